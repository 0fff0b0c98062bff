"""The streaming reader builds the same project as the whole-tree path, and the
writer's cheap check catches broken bytes without a second parse."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from annotator.errors import (
    AnnotatorError,
    OffsetMismatch,
    SaveFailed,
    SchemaViolation,
    UnsafeXML,
)
from annotator.formats import project_stream, project_xml, stream_builder
from annotator.formats.project_xml import (
    check_bytes,
    load_project,
    project_from_bytes,
    project_from_tree,
    project_to_bytes,
    save_project,
)
from annotator.model import Project
from tests.strategies import projects

sys.path.insert(0, str(Path(__file__).resolve().parent / "perf"))
from synth import make_project

SAMPLE = Path(__file__).resolve().parent.parent / "projects" / "sample.xml"


def _tree_path_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the whole-tree path fail loudly: what follows must stream."""

    def refuse(data: bytes, *, source: str = "") -> Project:
        raise AssertionError("the whole-tree path was taken for a good file")

    monkeypatch.setattr(project_xml, "project_from_tree", refuse)


def test_a_good_file_streams_and_gives_the_tree_paths_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(n_docs=30, n_annotations=600, layers=("alice", "bob"), seed=3)
    data = project_to_bytes(project)
    reference = project_from_tree(data)
    path = tmp_path / "p.xml"
    path.write_bytes(data)
    monkeypatch.setattr(project_stream, "CHUNK", 4096)  # many chunks, elements cut across them
    monkeypatch.setattr(project_xml, "CHUNK", 4096)
    _tree_path_forbidden(monkeypatch)
    streamed, digest = load_project(path)
    assert streamed == reference
    assert project_to_bytes(streamed) == data
    assert digest == project_xml.hashlib.sha256(data).hexdigest()


def test_the_shipped_sample_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    data = SAMPLE.read_bytes()
    reference = project_from_tree(data)
    _tree_path_forbidden(monkeypatch)
    assert project_from_bytes(data) == reference


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_any_project_streams_like_the_tree(project: Project) -> None:
    """Escapes, control characters, astral text, links and comments: both paths agree,
    also when the first private escape comes in a late chunk."""
    data = project_to_bytes(project)
    chunks = [data[i : i + 64] for i in range(0, len(data), 64)]
    reader = project_stream.StreamingReader("x", schema=project_xml.schema())
    try:
        expected = project_from_tree(data)
    except AnnotatorError as err:  # a project the strategy made that no reader accepts
        with pytest.raises(project_stream.NotStreamable):
            reader.read_chunks(chunks)
        with pytest.raises(type(err)):
            project_from_bytes(data)
        return
    assert reader.read_chunks(chunks) == expected


def test_a_bad_file_is_named_as_before(tmp_path: Path) -> None:
    """A meaning error or a schema error found while streaming: the same error and
    line as the whole-tree path gives."""
    data = project_to_bytes(make_project(n_docs=5, n_annotations=40, seed=1))
    quote = data.index(b'quote="') + len(b'quote="')
    wrong_quote = data[:quote] + b"X" + data[quote + 1 :]
    bad_attr = data.replace(b"<ann ", b'<ann bogus="1" ', 1)
    for bad, kind in ((wrong_quote, OffsetMismatch), (bad_attr, SchemaViolation)):
        path = tmp_path / "bad.xml"
        path.write_bytes(bad)
        with pytest.raises(kind) as streamed:
            load_project(path)
        with pytest.raises(kind) as tree:
            project_from_tree(bad, source=str(path))
        assert str(streamed.value) == str(tree.value)
        assert streamed.value.line is not None


def test_a_declaration_beyond_the_first_chunk_is_refused() -> None:
    """However the file is cut, a DOCTYPE (here after a long comment) never streams."""
    data = SAMPLE.read_bytes().replace(
        b"?>\n", b"?>\n<!--" + b"x" * 200 + b'-->\n<!DOCTYPE p [<!ENTITY e "boom">]>\n', 1
    )
    reader = project_stream.StreamingReader("x", schema=project_xml.schema())
    with pytest.raises(project_stream.NotStreamable):
        reader.read_chunks([data[i : i + 64] for i in range(0, len(data), 64)])
    with pytest.raises(UnsafeXML):
        project_from_bytes(data)


def test_the_model_is_built_as_the_file_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """No tree and no whole text: each document and annotation exists in the model
    once its line has gone by, and what the builder holds besides is at most one
    document's text (kept until its hash is checked) and a few lines."""
    data = project_to_bytes(make_project(n_docs=10, n_annotations=300, seed=2))
    longest_text = max(len(d.text) for d in project_from_tree(data).documents.values())
    built: list[tuple[int, int]] = []
    held: list[int] = []

    class Watching(stream_builder.Builder):
        def end(self, tag: str) -> None:
            super().end(tag)
            held.append(sum(map(len, self._buf)))
            project = self._project
            if tag in ("document", "ann") and project is not None:
                layer = self._layer
                n = sum(len(da.annotations) for da in layer.docs.values()) if layer else 0
                built.append((len(project.documents), n))

    monkeypatch.setattr(project_stream, "Builder", Watching)
    chunks = [data[i : i + 1000] for i in range(0, len(data), 1000)]
    project = project_stream.StreamingReader("x", schema=project_xml.schema()).read_chunks(chunks)
    assert project == project_from_tree(data)
    assert built[:10] == [(i, 0) for i in range(1, 11)]  # one document after the other
    assert [n for _, n in built[10:]] == list(range(1, 301))  # then one annotation at a time
    assert max(held) <= longest_text + 1000


# --- the writer's cheap check ------------------------------------------------------


def _broken(data: bytes) -> list[bytes]:
    line_start = data.index(b"      <ann ")
    line_end = data.index(b"\n", line_start) + 1
    return [
        data.replace(b"<layers>", b""),  # structure lost
        data.replace(b"  </documents>\n", b""),
        data[:line_start] + data[line_end:],  # an annotation lost
        data[:line_end] + data[line_start:line_end] + data[line_end:],  # one written twice
        data[: len(data) // 2],  # cut short
        data.replace(b"<?xml", b"<?xmm", 1),
    ]


def test_the_cheap_check_catches_broken_writes() -> None:
    project = make_project(n_docs=4, n_annotations=30, seed=4)
    data = project_to_bytes(project)
    check_bytes(data, project)  # the writer's own bytes pass
    for bad in _broken(data):
        with pytest.raises(SaveFailed, match="nothing was written"):
            check_bytes(bad, project)


def test_paranoid_save_reparses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A corruption the counts cannot see (a value the schema forbids) is caught by
    the paranoid save's re-parse and schema check, before the disk."""
    project = make_project(n_docs=2, n_annotations=10, seed=6)
    path = tmp_path / "p.xml"
    save_project(project, path)
    before = path.read_bytes()
    bad = before.replace(b'review="', b'review="maybe-', 1)
    monkeypatch.setattr(project_xml, "project_chunks", lambda p: iter([bad]))
    save_project(project, tmp_path / "q.xml")  # the counts hold: the cheap check passes
    with pytest.raises(SaveFailed, match="nothing was written"):
        save_project(project, path, paranoid=True)
    assert path.read_bytes() == before


def test_the_paranoid_option_of_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from annotator.cli import main

    good = tmp_path / "good.xml"
    assert main(["new", str(good)]) == 0
    bad = good.read_bytes().replace(b'name="', b'name2="', 1)  # counts intact, schema not
    monkeypatch.setattr(project_xml, "project_chunks", lambda p: iter([bad]))
    monkeypatch.setattr(project_xml, "_paranoid", False)  # set_paranoid lasts the process
    assert main(["new", str(tmp_path / "quick.xml")]) == 0  # the quick check cannot see it
    target = tmp_path / "p.xml"
    assert main(["--paranoid", "new", str(target)]) == 1
    assert "nothing was written" in capsys.readouterr().err
    assert not target.exists()
