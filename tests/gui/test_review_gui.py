"""Review mode driven through real widgets: merge, step, accept, reject, edit, undo, save."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from annotator.model import CURATED_LAYER, AddAnnotation, Project, Retag, ReviewStatus
from annotator.review import adjudicate
from annotator.review.compare import Kind
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


def press(qtbot: Any, window: Any, key: Qt.Key, shift: bool = False) -> None:
    """A key as the user presses it, in the text with the window active."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.text_view.setFocus()
    mods = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(window.text_view, key, mods)


@pytest.fixture
def open_window(make_window: Any, tmp_path: Path) -> Any:
    """The real MainWindow with its plug-ins, on ``project`` saved to a file."""
    from annotator.formats.project_xml import save_project

    def build(p: Project, name: str = "mine.xml") -> Any:
        path = tmp_path / name
        save_project(p, path)
        window = make_window(path)
        window.resize(1400, 900)
        return window

    return build


def test_merge_step_decide_undo_save_reopen(
    qtbot: Any, tmp_path: Path, open_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from annotator.formats import project_xml
    from annotator.ui import dialogs

    mine, theirs = _colleagues()
    theirs_path = tmp_path / "bob.xml"
    project_xml.save_project(theirs, theirs_path)
    window = open_window(mine)
    mine = window.session.project
    ui = window.review
    ctl = ui.controller
    assert (
        window.file_ops.conflict_actions
        and window.file_ops.conflict_actions[0][0] == "Merge their changes"
    )

    # Review > Add colleague's annotations…
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_a, **_k: ([str(theirs_path)], ""))
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        dialogs, "show_info", lambda _w, title, msg, details="": shown.append((title, details))
    )
    assert ui.menu.menuAction().isVisible()
    ui.merge_action.trigger()
    assert shown and shown[0][0] == "Merged bob.xml" and "New layers: bob." in shown[0][1]
    assert mine.layers["bob"].annotation_count() == 5
    assert window.session.modified

    # Ctrl+Shift+R enters review mode; F8 selects the first disagreement
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(
        window.text_view,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert ui.dock.isVisible() and ui.active
    press(qtbot, window, Qt.Key.Key_F8)
    assert ctl.layers == ["alice", "bob"]
    assert {"alice", "bob"} <= window.session.visible_layers
    first = ctl.current
    assert first is not None and first.kind is Kind.BOUNDARY
    assert window.session.selected[1] in {a.id for a in first.members["alice"]}
    groups = {t: g.childCount() for t, g in ui.dock.tree.groups.items()}
    assert groups == {"Different boundaries": 1, "Missing in a layer": 2, "Same in every layer": 2}
    assert ui.dock.doc_list.model().index(0, 1).data() == "3"

    # accept bob's boundaries: curated gets bob's span, alice's is marked rejected
    qtbot.mouseClick(ui.dock.accept_buttons["bob"], Qt.MouseButton.LeftButton)
    curated = mine.layers[CURATED_LAYER].docs["d1"].sorted_annotations()
    assert [(a.tag, a.start, a.end) for a in curated] == [("victim", 55, 61)]
    assert mine.documents["d1"].review_status is ReviewStatus.IN_REVIEW  # first decision
    assert ui.dock.status_combo.currentText() == "in review"
    assert "Accepted by tester" in ui.dock.detail.toPlainText()

    press(qtbot, window, Qt.Key.Key_F8)
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
    press(qtbot, window, Qt.Key.Key_F8, shift=True)
    assert ctl.current is not None and ctl.current.index == first.index
    press(qtbot, window, Qt.Key.Key_F8)
    press(qtbot, window, Qt.Key.Key_F8)
    third = ctl.current
    assert third is not None and third.kind is Kind.MISSING and third.index > second.index
    qtbot.mouseClick(ui.dock.accept_buttons["bob"], Qt.MouseButton.LeftButton)
    layer, cur_id = window.session.selected
    assert layer == CURATED_LAYER
    window.session.execute(Retag(CURATED_LAYER, "d1", cur_id, "appeal", author="tester"))
    edited = mine.layers[CURATED_LAYER].docs["d1"].annotations[cur_id]
    assert edited.tag == "appeal" and edited.modified_by == "tester"
    assert any(
        "Last edited by tester" in line for line in adjudicate.history(mine, CURATED_LAYER, edited)
    )

    # bulk: accept exact matches; review status
    ui.exact_action.trigger()
    assert len(mine.layers[CURATED_LAYER].docs["d1"].annotations) == 4
    ctl.set_review_status("d1", ReviewStatus.ADJUDICATED)
    assert ui.dock.status_combo.currentText() == "adjudicated"

    # save, reopen: the curated layer is identical
    assert window.file_ops.save()
    assert not window.session.modified
    reopened, _sha = project_xml.load_project(window.session.path)

    def dump(p: Project) -> list[tuple[object, ...]]:
        da = p.layers[CURATED_LAYER].docs["d1"]
        return sorted(
            (a.id, a.tag, a.fragments, sorted(a.attributes.items()), sorted(a.provenance.items()))
            for a in da.annotations.values()
        )

    assert dump(reopened) == dump(mine)
    assert reopened.documents["d1"].review_status is ReviewStatus.ADJUDICATED
    assert project_xml.project_to_bytes(reopened) == project_xml.project_to_bytes(mine)


def test_agreement_comments_and_bulk(qtbot: Any, open_window: Any, tmp_path: Path) -> None:
    """Agreement table, comments, accept all of a layer, leaving review mode."""
    mine, theirs = _colleagues()
    for name, layer in theirs.layers.items():
        mine.layers[name] = layer
    window = open_window(mine)
    mine = window.session.project
    ui = window.review
    ui.show_agreement()
    table = ui.dock.agree_table
    qtbot.waitUntil(lambda: table.rowCount() > 10, timeout=5000)
    labels = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert "Cohen's κ (tokens)" in labels
    project_f1 = table.item(labels.index("F1 (exact spans)"), 2).text()
    assert project_f1 == f"{2 * 2 / (3 + 5):.3f}"  # 2 exact of alice's 3 and bob's 5
    for suffix, marker in (
        (".html", "<!DOCTYPE html>"),
        (".csv", "scope,measure"),
        (".json", '"measures"'),
    ):
        ui.write_agreement(tmp_path / f"agreement{suffix}")
        assert marker in (tmp_path / f"agreement{suffix}").read_text(encoding="utf-8")
    ui.dock.agree_scope.setCurrentIndex(1)  # the current document
    ui.dock.agree_scope.activated.emit(1)
    assert table.rowCount() > 10
    ui.dock.tabs.setCurrentIndex(0)
    press(qtbot, window, Qt.Key.Key_F8)
    layer, ann_id = window.session.selected
    ui.controller.add_comment(layer, "d1", ann_id, "Shortest phrase?")
    ann = mine.layer(layer).docs["d1"].annotations[ann_id]
    assert ann.comments[-1].author == "tester"
    # keys: F9 accepts the first compared layer's side of the current item, F12 rejects
    ui.dock.tabs.setCurrentIndex(0)
    ui.controller.select_item(None)
    window.session.set_current_document("d1")
    press(qtbot, window, Qt.Key.Key_F8)  # the boundary item: alice's "Sané" against bob's "Sané 😀"
    press(qtbot, window, Qt.Key.Key_F9)
    (cur,) = mine.layers[CURATED_LAYER].docs["d1"].annotations.values()
    assert (cur.start, cur.end) == (55, 59)
    press(qtbot, window, Qt.Key.Key_F8)
    press(qtbot, window, Qt.Key.Key_F12)
    assert adjudicate.item_decided(mine, ui.controller.current)
    window.session.undo_stack.undo()
    window.session.undo_stack.undo()
    assert ui.controller.accept_all_of("bob", "d1") == 5
    assert mine.layers[CURATED_LAYER].annotation_count() == 5
    window.session.undo_stack.undo()
    assert CURATED_LAYER not in mine.layers
    window.docks.annotations.raise_()  # the annotation list's tab: review mode goes on
    qtbot.wait(10)
    assert ui.controller.active
    ui.leave()
    assert ui.dock.isHidden() and not ui.controller.active


def test_conflict_action_merges_changes_on_disk(
    qtbot: Any, tmp_path: Path, open_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.formats import project_xml
    from annotator.ui import dialogs

    mine, _theirs = _colleagues()
    window = open_window(mine, "shared.xml")
    path = tmp_path / "shared.xml"
    opened = window.session.project
    # a colleague saves the same file meanwhile with one more annotation in their layer
    other, _ = project_xml.load_project(path)
    other.ensure_layer("bob")
    add(other, "bob", "d1", "authority", (100, 123))
    new_sha = project_xml.save_project(other, path)
    # my own edit, then Save: the window finds the file changed and offers the merge
    window.session.execute(AddAnnotation(window.session.user, "d1", "victim", [(66, 98)]))
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "ask_conflict", lambda _w, _m, extra: extra[0])
    monkeypatch.setattr(dialogs, "show_info", lambda _w, title, msg, details="": shown.append(msg))
    assert [label for label, _ in window.file_ops.conflict_actions] == ["Merge their changes"]
    assert window.file_ops.save() is False  # merged, not saved: the user looks first
    assert shown and "1 annotation added" in shown[0]
    assert "bob" in opened.layers and window.session.disk_sha256 == new_sha
    assert window.session.modified
    assert window.file_ops.save() is True  # now it does not overwrite their work
    again, _ = project_xml.load_project(path)
    assert again.layers["bob"].annotation_count() == 1


def test_merging_during_review_mode_adds_their_layer(
    qtbot: Any, tmp_path: Path, open_window: Any
) -> None:
    from annotator.formats import project_xml

    mine, theirs = _colleagues()
    mine.ensure_layer("carol")
    add(mine, "carol", "d1", "appeal", (22, 98))
    window = open_window(mine)
    ui = window.review
    ui.enter()
    assert ui.controller.layers == ["alice", "carol"]
    path = tmp_path / "bob.xml"
    project_xml.save_project(theirs, path)
    ui.controller.merge_file(path)
    assert ui.controller.layers == ["alice", "carol", "bob"]
    ticked = [
        ui.dock.layer_list.item(i).text()
        for i in range(ui.dock.layer_list.count())
        if ui.dock.layer_list.item(i).checkState() == Qt.CheckState.Checked
    ]
    assert ticked == ["alice", "carol", "bob"]
    assert set(ui.dock.accept_buttons) == {"alice", "carol", "bob"}
    # unticking a layer compares the others only
    row = [ui.dock.layer_list.item(i).text() for i in range(ui.dock.layer_list.count())]
    ui.dock.layer_list.item(row.index("carol")).setCheckState(Qt.CheckState.Unchecked)
    assert ui.controller.layers == ["alice", "bob"]
    assert set(ui.dock.accept_buttons) == {"alice", "bob"}


def _in_review_with_both_layers(open_window: Any) -> tuple[Any, Project, Any]:
    """(window, its project, review UI) on one file holding alice's and bob's layers."""
    mine, theirs = _colleagues()
    for name, layer in theirs.layers.items():
        mine.layers[name] = layer
    window = open_window(mine)
    ui = window.review
    ui.enter()
    return window, window.session.project, ui


def test_selecting_an_annotation_elsewhere_shows_its_item(qtbot: Any, open_window: Any) -> None:
    window, mine, ui = _in_review_with_both_layers(open_window)
    bob_missing = next(
        a for a in mine.layer("bob").docs["d1"].annotations.values() if a.start == 100
    )
    window.session.select("bob", bob_missing.id)  # as a click in the text view would
    assert ui.controller.current is not None
    assert ui.controller.current.kind is Kind.MISSING
    assert "bob" in ui.dock.detail.toPlainText() and "military" in ui.dock.detail.toPlainText()


def test_accepting_exact_matches_first_starts_the_review(qtbot: Any, open_window: Any) -> None:
    """Like any first decision on a document, the bulk accept marks it "in review"."""
    window, mine, ui = _in_review_with_both_layers(open_window)
    assert mine.documents["d1"].review_status is ReviewStatus.NOT_REVIEWED
    ui.exact_action.trigger()
    assert len(mine.layers[CURATED_LAYER].docs["d1"].annotations) == 2
    assert mine.documents["d1"].review_status is ReviewStatus.IN_REVIEW
    window.session.undo_stack.undo()
    assert mine.documents["d1"].review_status is ReviewStatus.NOT_REVIEWED
    assert CURATED_LAYER not in mine.layers
