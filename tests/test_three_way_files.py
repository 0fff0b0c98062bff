"""Merging project files: reading only the releases a side changed gives the same
file, byte for byte, as merging the three whole projects; files not shaped as
the writer writes them are read whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.formats.project_slices import changed_releases, slice_file
from annotator.formats.project_writer import project_to_bytes
from annotator.formats.project_xml import project_from_bytes
from annotator.model import Document, Project, Retag
from annotator.review.three_way import merge_three_way
from annotator.review.three_way_files import merge_project_files
from tests.three_way_support import BASE_ITEMS, base_project, edited, edits


def _files(folder: Path, **projects: Project) -> dict[str, Path]:
    paths = {}
    for name, p in projects.items():
        paths[name] = folder / f"{name}.xml"
        paths[name].write_bytes(project_to_bytes(p))
    return paths


def _whole_merge(paths: dict[str, Path]) -> tuple[bytes, list[str]]:
    loaded = [project_from_bytes(paths[n].read_bytes()) for n in ("base", "ours", "theirs")]
    merged, report = merge_three_way(*loaded)
    return project_to_bytes(merged), report.summary()


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_reading_only_the_changed_releases_gives_the_whole_merge(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    base = base_project()
    items = data.draw(st.lists(st.sampled_from(BASE_ITEMS), max_size=6, unique=True))
    ours, _ = edited(base, data.draw(edits(items, "carla", shared=True), label="ours"))
    theirs, _ = edited(base, data.draw(edits(items, "dev", shared=True), label="theirs"))
    if data.draw(st.booleans(), label="a release added on each side under one id"):
        ours.add_document(Document("d5", "Kenya: free the protesters."))
        theirs.add_document(Document("d5", "Chile: end torture in police stations."))
    paths = _files(tmp_path_factory.mktemp("m"), base=base, ours=ours, theirs=theirs)

    merge = merge_project_files(paths["base"], paths["ours"], paths["theirs"])

    assert (project_to_bytes(merge.project), merge.report.summary()) == _whole_merge(paths)
    assert merge.releases_read <= len(merge.project.documents)


def test_only_the_changed_releases_are_read(tmp_path: Path) -> None:
    base = base_project()
    ours, _ = edited(base, [("retag", "alice", "d1", "a2", "appeal")])
    theirs, _ = edited(base, [("note", "bob", "d2", "a3", "seen in the video")])
    paths = _files(tmp_path, base=base, ours=ours, theirs=theirs)
    cut = [slice_file(paths[n].read_bytes()) for n in ("base", "ours", "theirs")]
    assert all(c is not None for c in cut)
    assert changed_releases(*cut) == {b"d1", b"d2"}  # type: ignore[arg-type]

    merge = merge_project_files(paths["base"], paths["ours"], paths["theirs"])

    assert merge.releases_read == 2 and merge.report.clean
    da = merge.project.layers["alice"].docs["d1"]
    assert da.annotations["a2"].tag == "appeal"
    assert merge.project.layers["bob"].docs["d2"].annotations["a3"].note == "seen in the video"
    assert (project_to_bytes(merge.project), merge.report.summary()) == _whole_merge(paths)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="CRLF line ends"),
        pytest.param(
            lambda b: b.replace(b"  <layers>\n", b"  <layers>\n    <!-- checked by hand -->\n"),
            id="a comment",
        ),
        pytest.param(
            lambda b: b.replace(b'" doc="d2" tag=', b'"\n        doc="d2" tag='), id="a long line"
        ),
        pytest.param(
            lambda b: b.replace(b'<tagset name="', b'<tagset name="x'), id="another tag set"
        ),
    ],
)
def test_a_file_not_as_the_writer_writes_it_is_read_whole(tmp_path: Path, change: object) -> None:
    base = base_project()
    ours, _ = edited(base, [("retag", "alice", "d1", "a2", "appeal")])
    theirs, _ = edited(base, [("note", "bob", "d2", "a3", "seen in the video")])
    paths = _files(tmp_path, base=base, ours=ours, theirs=theirs)
    paths["theirs"].write_bytes(change(paths["theirs"].read_bytes()))  # type: ignore[operator]

    merge = merge_project_files(paths["base"], paths["ours"], paths["theirs"])

    assert merge.releases_read == len(merge.project.documents)  # the whole path
    assert merge.project.layers["bob"].docs["d2"].annotations["a3"].note == "seen in the video"
    assert merge.project.layers["alice"].docs["d1"].annotations["a2"].tag == "appeal"


def test_a_subset_of_every_release_reads_as_the_whole_file() -> None:
    base = base_project()
    ours, _ = edited(base, [("status", "carla", "d3", "done")])
    Retag("alice", "d1", "a2", "appeal").do(ours)
    data = project_to_bytes(ours)
    cut = slice_file(data)
    assert cut is not None
    subset = cut.subset(set(cut.docs))
    assert subset is not None
    assert project_to_bytes(project_from_bytes(subset)) == data


def test_a_release_whose_last_annotation_went_on_one_side_loses_it(tmp_path: Path) -> None:
    base = base_project()
    ours, _ = edited(base, [("retag", "alice", "d1", "a2", "appeal")])
    theirs, _ = edited(base, [("delete", "alice", "d4", "a12")])  # d4's only annotation
    paths = _files(tmp_path, base=base, ours=ours, theirs=theirs)

    merge = merge_project_files(paths["base"], paths["ours"], paths["theirs"])

    assert merge.releases_read == 2
    assert not merge.project.layers["alice"].docs.get("d4")
    assert (project_to_bytes(merge.project), merge.report.summary()) == _whole_merge(paths)


def test_files_with_a_tag_set_log_take_the_short_path_too(tmp_path: Path) -> None:
    from annotator.model import History
    from annotator.model.tagset_commands import AddValue

    base = base_project()
    History(base).push(AddValue("victim", "harm", "exiled", author="dana"))  # logged: version 3
    ours, _ = edited(base, [("retag", "alice", "d1", "a2", "appeal")])
    theirs, _ = edited(base, [("note", "bob", "d2", "a3", "seen in the video")])
    paths = _files(tmp_path, base=base, ours=ours, theirs=theirs)
    assert b'format-version="3"' in paths["base"].read_bytes()

    merge = merge_project_files(paths["base"], paths["ours"], paths["theirs"])

    assert merge.releases_read == 2 and merge.report.clean
    assert merge.project.tagset_log == base.tagset_log
    assert (project_to_bytes(merge.project), merge.report.summary()) == _whole_merge(paths)
