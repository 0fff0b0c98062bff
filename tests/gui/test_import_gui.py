"""File → Import in the real window: a brat folder is read as brat (not as six press
releases), lands in the user's layer as one step, and Ctrl+Z takes all of it back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from annotator.ui import dialogs
from tests.test_import_pipeline import ANN, CONF, TEXT, _brat, _medtator_corpus

CTRL = Qt.KeyboardModifier.ControlModifier


def _state(window: Any) -> tuple[object, ...]:
    p = window.session.project
    return (
        list(p.documents),
        p.tagset,
        {n: ly.annotation_count() for n, ly in p.layers.items()},
    )


def test_importing_a_brat_folder_through_the_menu_and_undoing_it(
    qtbot: Any, window: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    folder = _brat(tmp_path / "brat", conf=CONF, ann=ANN)
    before = _state(window)
    infos: list[tuple[Any, ...]] = []
    monkeypatch.setattr(dialogs, "get_import_paths", lambda *a, **k: [folder])
    monkeypatch.setattr(dialogs, "show_info", lambda *a: infos.append(a))

    qtbot.keyClick(window.text_view, Qt.Key.Key_I, CTRL)  # File → Import Releases…

    project = window.session.project
    assert list(project.documents)[-1] == "minsk"  # one document, not .ann/.conf "releases"
    assert len(project.documents) == len(before[0]) + 1
    assert window.session.current_doc_id == "minsk"
    assert window.text_view.toPlainText() == TEXT
    mine = project.layers["tester"].docs["minsk"].annotations
    assert sorted(a.tag for a in mine.values()) == ["appeal", "authority", "authority", "victim"]
    # City and Detention are not tags of this project: the window says so
    [(_, _, message, details)] = infos
    assert "Imported 4 annotations and 1 new document." in message
    assert "'City'" in details and "--add-tags" in details
    assert window.session.undo_stack.count() == 1

    qtbot.keyClick(window.text_view, Qt.Key.Key_Z, CTRL)
    assert _state(window) == before
    assert window.session.current_doc_id != "minsk"


def test_an_empty_project_takes_the_tasks_new_types_and_undo_restores_ours(
    qtbot: Any, make_window: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """An empty project takes a MedTator task's DTD; the palette shows the new types."""
    from annotator.formats.project_xml import new_project, save_project

    empty = tmp_path / "empty.xml"
    save_project(new_project("empty"), empty)
    window = make_window(empty)  # with the docks: the palette must follow
    _medtator_corpus(tmp_path / "corpus")
    dtd = tmp_path / "corpus" / "campaign.dtd"
    dtd.write_text(dtd.read_text(encoding="utf-8").replace("APPEAL", "REQUEST"), "utf-8")
    for f in (tmp_path / "corpus").rglob("*.xml"):
        f.write_text(f.read_text(encoding="utf-8").replace("APPEAL", "REQUEST"), "utf-8")
    before = window.session.project.tagset
    monkeypatch.setattr(
        dialogs, "get_import_paths", lambda *a, **k: [tmp_path / "corpus" / "Annotator_A"]
    )
    monkeypatch.setattr(dialogs, "show_info", lambda *a: None)
    qtbot.keyClick(window.text_view, Qt.Key.Key_I, CTRL)
    project = window.session.project
    assert project.tagset.has_tag("REQUEST") and project.tagset.has_tag("appeal")
    assert len(project.documents) == 2
    kinds = {
        a.tag for da in project.layers["tester"].docs.values() for a in da.annotations.values()
    }
    assert kinds == {"REQUEST", "victim", "authority"}
    assert "REQUEST" in window.docks.palette.buttons  # the palette follows the tag set
    qtbot.keyClick(window.text_view, Qt.Key.Key_Z, CTRL)
    assert window.session.project.tagset == before and not window.session.project.documents
    assert "REQUEST" not in window.docks.palette.buttons
