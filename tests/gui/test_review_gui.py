"""Review mode driven through real widgets: merge, step, accept, reject, edit, undo, save."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMenu

from annotator.model import CURATED_LAYER, Project, Retag, ReviewStatus
from annotator.review import adjudicate
from annotator.review.compare import Kind
from annotator.ui.review import install
from annotator.ui.session import ProjectSession
from tests.review_support import add, project

pytestmark = pytest.mark.gui

TEXT = (
    "Amnesty International urged the authorities to release Sané 😀 and the students "
    "detained in Rangoon. The military government should stop the arrests."
)


def _colleagues() -> tuple[Project, Project]:
    mine = project(TEXT, layers=("alice",))
    add(mine, "alice", "d1", "appeal", (22, 98))
    add(mine, "alice", "d1", "victim", (55, 59))  # "Sané"
    add(mine, "alice", "d1", "authority", (28, 43))
    theirs = project(TEXT, layers=("bob",))
    add(theirs, "bob", "d1", "appeal", (22, 98))  # exact
    add(theirs, "bob", "d1", "authority", (28, 43))  # exact
    add(theirs, "bob", "d1", "victim", (55, 61))  # "Sané 😀": boundary
    add(theirs, "bob", "d1", "victim", (66, 98))  # nested in the appeal, missing in alice
    add(theirs, "bob", "d1", "authority", (100, 123))  # missing in alice
    return mine, theirs


class StandInWindow(QMainWindow):
    """What the review mode needs of MainWindow: session, menus, conflict_actions, show_error."""

    def __init__(self, session: ProjectSession) -> None:
        super().__init__()
        self.session = session
        self.menus: dict[str, QMenu] = {"review": self.menuBar().addMenu("&Review")}
        self.conflict_actions: list[tuple[str, Any]] = []
        self.errors: list[BaseException] = []

    def show_error(self, err: BaseException) -> None:
        self.errors.append(err)


def _window(qtbot: Any, p: Project, user: str = "rita") -> StandInWindow:
    session = ProjectSession(p, user)
    window = StandInWindow(session)
    qtbot.addWidget(window)
    install(window)
    window.resize(1400, 900)
    window.show()
    return window


def _save_load(tmp_path: Path, p: Project, name: str) -> Path:
    project_xml = pytest.importorskip("annotator.formats.project_xml")
    path = tmp_path / name
    project_xml.save_project(p, path)
    return path


def test_merge_step_decide_undo_save_reopen(qtbot: Any, tmp_path: Path) -> None:
    project_xml = pytest.importorskip("annotator.formats.project_xml")
    mine, theirs = _colleagues()
    theirs_path = _save_load(tmp_path, theirs, "bob.xml")
    window = _window(qtbot, mine)
    ui = window.review  # type: ignore[attr-defined]
    ctl = ui.controller
    assert window.conflict_actions and window.conflict_actions[0][0] == "Merge their changes"

    report = ctl.merge_file(theirs_path)
    assert report.layers_added == ["bob"]
    assert window.session.modified

    # F8 enters review mode and selects the first disagreement
    ui.next_action.trigger()
    assert ui.dock.isVisible()
    assert ctl.layers == ["alice", "bob"]
    assert {"alice", "bob"} <= window.session.visible_layers
    first = ctl.current
    assert first is not None and first.kind is Kind.BOUNDARY
    assert window.session.selected[1] in {a.id for a in first.members["alice"]}
    assert ui.dock.tree.topLevelItemCount() == 5  # two exact + three disagreements
    assert "3 disagreements" in ui.dock.doc_list.item(0).text()

    # accept bob's boundaries: curated gets bob's span, alice's is marked rejected
    qtbot.mouseClick(ui.dock.accept_buttons["bob"], Qt.MouseButton.LeftButton)
    curated = mine.layers[CURATED_LAYER].docs["d1"].sorted_annotations()
    assert [(a.tag, a.start, a.end) for a in curated] == [("victim", 55, 61)]
    assert "Accepted by rita" in ui.dock.detail.toPlainText()

    ui.next_action.trigger()
    second = ctl.current
    assert second is not None and second.kind is Kind.MISSING and second is not first
    qtbot.mouseClick(ui.dock.reject_button, Qt.MouseButton.LeftButton)
    (bob_id,) = [a.id for a in second.members["bob"]]
    assert (
        mine.layer("bob").docs["d1"].annotations[bob_id].provenance["review_decision"] == "rejected"
    )

    # undo the rejection, then redo it through the same stack
    window.session.undo_stack.undo()
    assert "review_decision" not in mine.layer("bob").docs["d1"].annotations[bob_id].provenance
    window.session.undo_stack.redo()
    assert (
        mine.layer("bob").docs["d1"].annotations[bob_id].provenance["review_decision"] == "rejected"
    )

    # Shift+F8 goes back; the third one is accepted and then edited with a normal command
    ui.prev_action.trigger()
    assert ctl.current is not None and ctl.current.index == first.index
    ui.next_action.trigger()
    ui.next_action.trigger()
    third = ctl.current
    assert third is not None and third.kind is Kind.MISSING and third.index > second.index
    qtbot.mouseClick(ui.dock.accept_buttons["bob"], Qt.MouseButton.LeftButton)
    layer, cur_id = window.session.selected
    assert layer == CURATED_LAYER
    window.session.execute(Retag(CURATED_LAYER, "d1", cur_id, "appeal", author="rita"))
    edited = mine.layers[CURATED_LAYER].docs["d1"].annotations[cur_id]
    assert edited.tag == "appeal" and edited.modified_by == "rita"
    assert any(
        "Last edited by rita" in line for line in adjudicate.history(mine, CURATED_LAYER, edited)
    )

    # bulk: accept exact matches; review status
    ui.exact_action.trigger()
    assert len(mine.layers[CURATED_LAYER].docs["d1"].annotations) == 4
    ctl.set_review_status("d1", ReviewStatus.ADJUDICATED)
    assert ui.dock.status_combo.currentText() == "adjudicated"

    # save, reopen: the curated layer is identical
    out = tmp_path / "reviewed.xml"
    project_xml.save_project(mine, out)
    reopened, _sha = project_xml.load_project(out)

    def dump(p: Project) -> list[tuple[object, ...]]:
        da = p.layers[CURATED_LAYER].docs["d1"]
        return sorted(
            (a.id, a.tag, a.fragments, sorted(a.attributes.items()), sorted(a.provenance.items()))
            for a in da.annotations.values()
        )

    assert dump(reopened) == dump(mine)
    assert reopened.documents["d1"].review_status is ReviewStatus.ADJUDICATED
    assert project_xml.project_to_bytes(reopened) == project_xml.project_to_bytes(mine)
    assert not window.errors


def test_review_without_files(qtbot: Any) -> None:
    """The dock works on an in-memory project: agreement table, comments, accept all of a layer."""
    mine, theirs = _colleagues()
    for name, layer in theirs.layers.items():
        mine.layers[name] = layer
    window = _window(qtbot, mine)
    ui = window.review  # type: ignore[attr-defined]
    ui.show_agreement()
    table = ui.dock.agree_table
    assert table.rowCount() > 10
    labels = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert "Cohen's κ (tokens)" in labels
    ui.dock.tabs.setCurrentIndex(0)
    ui.next_action.trigger()
    layer, ann_id = window.session.selected
    ui.controller.add_comment(layer, "d1", ann_id, "Shortest phrase?")
    ann = mine.layer(layer).docs["d1"].annotations[ann_id]
    assert ann.comments[-1].author == "rita"
    assert ui.controller.accept_all_of("bob", "d1") == 5
    assert mine.layers[CURATED_LAYER].annotation_count() == 5
    window.session.undo_stack.undo()
    assert CURATED_LAYER not in mine.layers
    ui.leave()
    assert not ui.dock.isVisible() and not ui.controller.active


def test_conflict_action_merges_changes_on_disk(qtbot: Any, tmp_path: Path) -> None:
    project_xml = pytest.importorskip("annotator.formats.project_xml")
    mine, _theirs = _colleagues()
    path = tmp_path / "shared.xml"
    sha = project_xml.save_project(mine, path)
    opened, _ = project_xml.load_project(path)
    window = _window(qtbot, opened)
    window.session.mark_saved(path, sha)
    # a colleague saves the same file meanwhile with one more annotation in their layer
    other, _ = project_xml.load_project(path)
    other.ensure_layer("bob")
    add(other, "bob", "d1", "authority", (100, 123))
    new_sha = project_xml.save_project(other, path)
    label, callback = window.conflict_actions[0]
    assert label == "Merge their changes"
    ui = window.review  # type: ignore[attr-defined]
    report = ui.controller.merge_from_disk()
    assert report is not None and report.annotations_added == 1
    assert "bob" in opened.layers and window.session.disk_sha256 == new_sha
    assert window.session.modified
    # now saving with the new hash does not overwrite their work
    project_xml.save_project(opened, path, expected_sha256=window.session.disk_sha256)
    again, _ = project_xml.load_project(path)
    assert again.layers["bob"].annotation_count() == 1
    assert callable(callback)


def test_selecting_an_annotation_elsewhere_shows_its_item(qtbot: Any) -> None:
    mine, theirs = _colleagues()
    for name, layer in theirs.layers.items():
        mine.layers[name] = layer
    window = _window(qtbot, mine)
    ui = window.review  # type: ignore[attr-defined]
    ui.enter()
    bob_missing = next(
        a for a in mine.layer("bob").docs["d1"].annotations.values() if a.start == 100
    )
    window.session.select("bob", bob_missing.id)  # as a click in the text view would
    assert ui.controller.current is not None
    assert ui.controller.current.kind is Kind.MISSING
    assert "bob" in ui.dock.detail.toPlainText() and "military" in ui.dock.detail.toPlainText()
