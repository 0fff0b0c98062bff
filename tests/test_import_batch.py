"""Importing many sources into a project: folders, skips, duplicates, undo."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from import_fixtures import SEED, docx_bytes

from annotator.errors import DuplicateId
from annotator.formats.tagset_xml import default_tagset
from annotator.model.commands import AddAnnotation, History
from annotator.model.documents import AddDocuments
from annotator.model.project import Change, Document, Project
from annotator.releases import import_sources, read_releases


def new_project() -> Project:
    return Project(name="test", tagset=default_tagset())


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "batch"
    root.mkdir()
    shutil.copy(SEED, root / "seed.txt")
    write(root / "b" / "one.txt", "Nigeria: Release them\n\nLAGOS -- Prisoners must go free.\n")
    (root / "b" / "w.docx").write_bytes(
        docx_bytes(
            "<w:p><w:r><w:t>Peru: Word release</w:t></w:r></w:p>"
            "<w:p><w:r><w:t>LIMA -- Body.</w:t></w:r></w:p>"
        )
    )
    write(root / "a.html", "<html><body><h1>Chad: Page</h1><p>Body of the page.</p></body></html>")
    write(root / ".hidden.txt", "Hidden: never imported\n\nBody.")
    write(root / ".git" / "x.txt", "Hidden folder: never imported\n\nBody.")
    (root / "empty.txt").write_bytes(b"")
    (root / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    return root


def test_folder_import_is_recursive_sorted_and_skips_hidden(folder: Path) -> None:
    project = new_project()
    report, command = import_sources(project, [folder])
    assert [d.meta.source_name for d in report.imported] == [
        "a.html",
        "b/one.txt",
        "b/w.docx",
        "seed.txt",
        "seed.txt",
    ]
    assert [d.id for d in report.imported] == ["a-1", "one-1", "w-1", "seed-1", "seed-2"]
    assert [d.meta.headline for d in report.imported][:3] == [
        "Chad: Page",
        "Nigeria: Release them",
        "Peru: Word release",
    ]
    assert sorted(Path(p).name for p, _ in report.skipped) == ["empty.txt", "picture.png"]
    reasons = dict((Path(p).name, r) for p, r in report.skipped)
    assert reasons["empty.txt"] == "the file is empty"
    assert reasons["picture.png"] == "the file holds binary data, not text"
    assert report.duplicates == []
    assert project.documents == {}  # nothing happens until the command is done
    History(project).push(command)
    assert list(project.documents) == [d.id for d in report.imported]
    assert report.summary() == "Imported 5 releases; 2 sources skipped"


def test_unreadable_and_missing_sources_are_skipped_and_the_rest_imports(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", "Chad: Headline\n\nBody text.")
    dangling = tmp_path / "gone.txt"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    missing = tmp_path / "missing.txt"
    empty_dir = tmp_path / "empty-dir"
    empty_dir.mkdir()
    report, _ = import_sources(new_project(), [dangling, missing, good, empty_dir])
    assert [d.id for d in report.imported] == ["good-1"]
    assert report.skipped == [
        (str(dangling), "the link points to a file that does not exist"),
        (str(missing), "no such file or folder"),
        (str(empty_dir), "the folder holds no files to import"),
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_file_without_read_permission_is_skipped(tmp_path: Path) -> None:
    locked = write(tmp_path / "locked.txt", "Chad: x\n\ny")
    locked.chmod(0)
    try:
        report, _ = import_sources(new_project(), [locked])
    finally:
        locked.chmod(0o644)
    assert report.skipped == [(str(locked), "the file cannot be read (Permission denied)")]


def test_read_error_becomes_a_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "flaky.txt", "Chad: x\n\ny")

    real_open = os.open

    def refuse(file: str | Path, flags: int, *args: int, **kwargs: int) -> int:
        if Path(file) == path:  # the file is listed, then refused when opened
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    report, _ = import_sources(new_project(), [path])
    assert report.skipped == [(str(path), "the file cannot be read (Permission denied)")]


def test_importing_the_same_source_again_adds_nothing(tmp_path: Path) -> None:
    project = new_project()
    history = History(project)
    report, command = import_sources(project, [SEED])
    history.push(command)
    assert len(project.documents) == 2
    again, command2 = import_sources(project, [SEED])
    assert again.imported == []
    assert again.duplicates == [(str(SEED), d.id) for d in report.imported]
    history.push(command2)
    assert len(project.documents) == 2
    assert again.summary() == "Imported 0 releases; 2 duplicates left out"


def test_duplicates_within_one_batch_and_renamed_copies(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    shutil.copy(SEED, copy)
    report, _ = import_sources(new_project(), [SEED, copy])
    assert len(report.imported) == 2
    assert report.duplicates == [(str(copy), d.id) for d in report.imported]


def test_ids_are_made_unique_against_the_project(tmp_path: Path) -> None:
    project = new_project()
    project.add_document(Document(id="release-1", text="something else"))
    first = write(tmp_path / "x" / "release.txt", "Chad: One\n\nBody one.")
    second = write(tmp_path / "y" / "release.txt", "Chad: Two\n\nBody two.")
    report, _ = import_sources(project, [first, second])
    assert [d.id for d in report.imported] == ["release-1_2", "release-1_3"]


def test_read_releases_gives_ids_per_position() -> None:
    assert [d.id for d in read_releases(SEED, name="Seoul and Phnom Penh.txt")] == [
        "Seoul-and-Phnom-Penh-1",
        "Seoul-and-Phnom-Penh-2",
    ]


def test_keep_layout_is_passed_through(tmp_path: Path) -> None:
    path = write(tmp_path / "r.txt", "Chad: One\n\n  wrapped\n  line  \n")
    report, _ = import_sources(new_project(), [path], keep_layout=True)
    assert report.imported[0].text == "Chad: One\n\n  wrapped\n  line  "
    assert report.imported[0].meta.extra["layout"] == "kept"


# --- AddDocuments -------------------------------------------------------------------


def test_add_documents_do_undo_redo() -> None:
    project = new_project()
    project.add_document(Document(id="old", text="old text"))
    changes: list[Change] = []
    project.listeners.append(changes.append)
    docs = [Document(id="n1", text="one"), Document(id="n2", text="two")]
    command = AddDocuments(docs)
    assert command.text == "Import 2 releases"
    history = History(project)
    history.push(command)
    assert list(project.documents) == ["old", "n1", "n2"]
    history.undo()
    assert list(project.documents) == ["old"]
    history.redo()
    assert list(project.documents) == ["old", "n1", "n2"]
    assert len(changes) == 3 and all(c.doc_id == "" for c in changes)


def test_add_documents_refuses_duplicate_ids_and_changes_nothing() -> None:
    project = new_project()
    project.add_document(Document(id="n2", text="existing"))
    with pytest.raises(DuplicateId, match="already has a document 'n2'"):
        AddDocuments([Document(id="n1", text="a"), Document(id="n2", text="b")]).do(project)
    assert list(project.documents) == ["n2"]
    with pytest.raises(DuplicateId, match="appears twice"):
        AddDocuments([Document(id="x", text="a"), Document(id="x", text="b")]).do(project)
    assert list(project.documents) == ["n2"]


def test_undo_of_an_import_after_annotating_restores_everything() -> None:
    project = new_project()
    layer = project.ensure_layer("alice")
    history = History(project)
    history.push(AddDocuments([Document(id="d1", text="Free the prisoners now.")]))
    tag = project.tagset.tags[0].name
    history.push(AddAnnotation("alice", "d1", tag, [(0, 4)]))
    history.undo()  # the annotation
    history.undo()  # the import
    assert project.documents == {}
    assert "d1" not in layer.docs
    history.redo()
    history.redo()
    assert project.annotations("alice", "d1").annotations


def test_imported_releases_survive_a_project_file_round_trip(tmp_path: Path) -> None:
    project_xml = pytest.importorskip("annotator.formats.project_xml")
    odd = tmp_path / "odd.txt"
    odd.write_bytes("Chad: Odd\x07 text 😀 𠀀\n\nPage one\x0cpage two\x00.".encode())
    project = project_xml.new_project("round trip")
    report, command = import_sources(project, [SEED, odd])
    History(project).push(command)
    loaded = project_xml.project_from_bytes(project_xml.project_to_bytes(project))
    assert list(loaded.documents) == [d.id for d in report.imported]
    for doc in report.imported:
        again = loaded.documents[doc.id]
        assert again.text == doc.text
        assert again.meta == doc.meta
