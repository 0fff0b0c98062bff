"""A save streams the file to the disk in pieces, counting them as they go; a broken
piece, a failing disk or a writer bug leaves the previous file as it was."""

from __future__ import annotations

import errno
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.errors import SaveFailed
from annotator.formats import project_writer, project_xml
from annotator.formats.atomic import atomic_write_chunks
from annotator.formats.project_xml import load_project, project_to_bytes, save_project
from annotator.formats.save_check import SaveCheck, check_bytes
from annotator.model.project import annotation_order

sys.path.insert(0, str(Path(__file__).resolve().parent / "perf"))
from synth import make_project

PROJECT = make_project(n_docs=6, n_annotations=60, seed=11)
DATA = project_to_bytes(PROJECT)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp-" in p.name)


def test_pieces_end_at_line_ends_and_make_the_file() -> None:
    project = make_project(n_docs=60, n_annotations=3000, seed=3)
    pieces = list(project_writer.project_chunks(project))
    assert len(pieces) > 2  # streamed, not one block
    assert all(piece.endswith(b"\n") for piece in pieces)
    assert b"".join(pieces) == project_to_bytes(project)


def test_the_writers_sort_is_the_models_reading_order() -> None:
    for layer in PROJECT.layers.values():
        for da in layer.docs.values():
            for ann in da.annotations.values():
                assert project_writer._order(ann) == annotation_order(ann)


@settings(max_examples=60, deadline=None)
@given(cuts=st.lists(st.integers(0, len(DATA)), max_size=40))
def test_the_check_counts_the_same_however_the_bytes_are_cut(cuts: list[int]) -> None:
    """Patterns split by the end of a piece (``<ann `` over two writes) count once."""
    bounds = [0, *sorted(cuts), len(DATA)]
    check = SaveCheck(PROJECT)
    for a, b in itertools.pairwise(bounds):
        check.feed(DATA[a:b])
    assert check.problems() == []
    assert (check.ann, check.size) == (DATA.count(b"<ann "), len(DATA))


def test_an_unescaped_bracket_is_torn_markup() -> None:
    bad = DATA.replace(b'quote="', b'quote="a<b ', 1)
    with pytest.raises(SaveFailed, match="markup is torn"):
        check_bytes(bad, PROJECT)


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d.replace(b"<layers>", b""),
        lambda d: d.replace(b"</documents>", b"</documents><", 1),
        lambda d: d[: d.rindex(b"      <ann ")] + d[d.rindex(b"</layer>") - 4 :],
    ],
)
def test_a_broken_writer_leaves_the_file_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, breakage: object
) -> None:
    path = tmp_path / "p.xml"
    save_project(PROJECT, path)
    before = path.read_bytes()
    bad = breakage(before)  # type: ignore[operator]

    def pieces(project: object) -> Iterator[bytes]:  # the bad bytes, cut in 7-byte writes
        return iter([bad[i : i + 7] for i in range(0, len(bad), 7)])

    monkeypatch.setattr(project_xml, "project_chunks", pieces)
    with pytest.raises(SaveFailed, match="nothing was written"):
        save_project(PROJECT, path)
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []


def test_a_full_disk_in_the_writing_thread_stops_the_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.xml"
    save_project(PROJECT, path)
    before = path.read_bytes()
    made: list[int] = []

    def pieces(project: object) -> Iterator[bytes]:
        for i in range(10_000):
            made.append(i)
            yield b"x" * 1000

    def full(chunk: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(project_xml, "project_chunks", pieces)
    monkeypatch.setattr(project_xml.hashlib, "sha256", lambda: _Hash(full))
    with pytest.raises(SaveFailed, match="the disk is full"):
        save_project(PROJECT, path, verify=False)
    assert len(made) < 10_000  # the maker stopped early, it did not make the whole file
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []


class _Hash:
    def __init__(self, update: object) -> None:
        self.update = update

    def hexdigest(self) -> str:
        return ""


def test_the_hash_returned_is_of_the_bytes_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "p.xml"
    digest = save_project(PROJECT, path)
    assert digest == project_xml.file_sha256(path)
    assert path.read_bytes() == DATA
    assert load_project(path)[1] == digest


def test_chunks_are_written_in_order_and_synced(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    pieces = [bytes([65 + i % 26]) * (1000 + i) for i in range(300)]
    seen: list[bytes] = []
    atomic_write_chunks(path, iter(pieces), observe=seen.append)
    assert path.read_bytes() == b"".join(pieces)
    assert seen == pieces


def test_a_maker_that_fails_midway_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"

    def pieces() -> Iterator[bytes]:
        yield b"half of it"
        raise SaveFailed("internal error, nothing was written: stop")

    with pytest.raises(SaveFailed):
        atomic_write_chunks(path, pieces())
    assert not path.exists()
    assert _leftovers(tmp_path) == []
