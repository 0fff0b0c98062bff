"""The Inspector: every edit is one undoable core command; links follow the tag set."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from annotator.errors import LinkTypeMismatch
from annotator.model import SetNeedsCheck
from tests.gui.test_docks_support import (  # noqa: F401
    USER,
    project_ids_fixture,
    window_fixture,
)

pytestmark = pytest.mark.gui


def ann(win, ann_id, layer=USER, doc="doc1"):
    return win.session.project.layers[layer].docs[doc].annotations[ann_id]


def links(win, doc="doc1"):
    return {
        (lk.type, lk.source, lk.target)
        for lk in win.session.project.layers[USER].docs[doc].links.values()
    }


def choose(combo: QComboBox, data) -> None:
    i = combo.findData(data)
    assert i >= 0, data
    combo.setCurrentIndex(i)
    combo.activated.emit(i)


def link_labels(insp):
    return [insp.link_type_combo.itemText(i) for i in range(insp.link_type_combo.count())]


def test_empty_then_shows_selected_annotation(window, project_ids):
    _p, ids = project_ids
    insp = window.docks.inspector
    assert not insp.content.isVisibleTo(insp) and insp.empty_label.isVisibleTo(insp)
    window.session.select(USER, ids["appeal"])
    assert insp.content.isVisibleTo(insp)
    assert "urged President Kim" in insp.text_label.text()
    assert insp.tag_combo.currentData() == "appeal"
    assert "Created by alice" in insp.meta_label.text()


def test_retag_via_combo_and_undo(window, project_ids):
    _p, ids = project_ids
    insp, session = window.docks.inspector, window.session
    session.select(USER, ids["prisoners"])
    choose(insp.tag_combo, "authority")
    assert ann(window, ids["prisoners"]).tag == "authority"
    assert session.undo_stack.count() == 1
    session.undo_stack.undo()
    assert ann(window, ids["prisoners"]).tag == "victim"
    assert insp.tag_combo.currentData() == "victim"  # refreshed on undo


def test_closed_single_and_multiple_attributes(window, project_ids):
    _p, ids = project_ids
    insp, session = window.docks.inspector, window.session
    session.select(USER, ids["prisoners"])
    named = insp._attr_widgets["named"]
    assert isinstance(named, QComboBox) and named.itemText(0) == "—"  # empty choice
    choose(named, "group")
    assert ann(window, ids["prisoners"]).attributes["named"] == "group"
    choose(named, "")
    assert "named" not in ann(window, ids["prisoners"]).attributes
    harm = insp._attr_widgets["harm"]
    harm["imprisoned"].click()
    harm["tortured"].click()
    assert ann(window, ids["prisoners"]).attributes["harm"] == ("imprisoned", "tortured")
    harm["imprisoned"].click()
    assert ann(window, ids["prisoners"]).attributes["harm"] == ("tortured",)
    assert session.undo_stack.count() == 5
    for _ in range(5):
        session.undo_stack.undo()
    assert ann(window, ids["prisoners"]).attributes == {}
    assert not harm["tortured"].isChecked()


def test_note_commits_once_on_ctrl_enter_and_focus_out(window, project_ids, qtbot):
    _p, ids = project_ids
    insp, session = window.docks.inspector, window.session
    session.select(USER, ids["appeal"])
    insp.note_edit.setFocus()
    qtbot.keyClicks(insp.note_edit, "check the date")
    assert session.undo_stack.count() == 0  # not one command per keystroke
    qtbot.keyClick(insp.note_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert ann(window, ids["appeal"]).note == "check the date"
    assert session.undo_stack.count() == 1
    # changing the selection commits a pending note to the annotation it belongs to
    insp.note_edit.setPlainText("second thoughts")
    session.select(USER, ids["kim"])
    assert ann(window, ids["appeal"]).note == "second thoughts"
    assert session.undo_stack.count() == 2
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert ann(window, ids["appeal"]).note == ""


def test_link_types_offered_follow_the_tagset(window, project_ids):
    _p, ids = project_ids
    insp, session = window.docks.inspector, window.session
    session.select(USER, ids["kim"])  # an authority
    assert link_labels(insp) == ["→ Responsible for (Victim)", "← Addressed to (from Appeal)"]
    session.select(USER, ids["appeal"])
    assert link_labels(insp) == [
        "→ Addressed to (Responsible authority)",
        "→ On behalf of (Victim)",
    ]
    session.select(USER, ids["prisoners"])  # victims only receive links
    assert link_labels(insp) == [
        "← On behalf of (from Appeal)",
        "← Responsible for (from Responsible authority)",
    ]


def test_add_link_by_pick_mode(window, project_ids):
    _p, ids = project_ids
    insp, session = window.docks.inspector, window.session
    session.select(USER, ids["kim"])
    insp.link_type_combo.setCurrentIndex(0)  # → Responsible for (Victim)
    insp.pick_button.click()
    assert session.picking
    assert insp.pick_hint.isVisibleTo(insp)
    assert "Esc to cancel" in insp.pick_hint_label.text()
    assert session.pick(USER, ids["prisoners"])  # what a click in the text does
    assert ("responsible_for", ids["kim"], ids["prisoners"]) in links(window)
    assert not insp.pick_hint.isVisibleTo(insp)
    session.undo_stack.undo()
    assert ("responsible_for", ids["kim"], ids["prisoners"]) not in links(window)


def test_pick_of_a_wrong_tag_is_refused_with_a_message(window, project_ids):
    _p, ids = project_ids
    insp, session = window.docks.inspector, window.session
    session.select(USER, ids["kim"])
    before = links(window)
    insp.pick_button.click()
    session.pick(USER, ids["appeal"])  # an appeal cannot be the target of responsible_for
    assert links(window) == before
    assert len(window.errors) == 1 and isinstance(window.errors[0], LinkTypeMismatch)
    assert "Responsible for" in str(window.errors[0])
    assert session.undo_stack.count() == 0


def test_pick_cancelled_with_escape(window, project_ids, qtbot):
    _p, ids = project_ids
    insp, session = window.docks.inspector, window.session
    session.select(USER, ids["kim"])
    insp.pick_button.click()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.text_view.setFocus()
    qtbot.keyClick(window.text_view, Qt.Key.Key_Escape)
    assert not session.picking
    assert not insp.pick_hint.isVisibleTo(insp)


def test_incoming_link_by_combo(window, project_ids):
    _p, ids = project_ids
    insp, session = window.docks.inspector, window.session
    session.select(USER, ids["prisoners"])
    insp.link_type_combo.setCurrentIndex(0)  # ← On behalf of (from Appeal)
    # the list of targets is filled only when it is opened (a document may hold thousands)
    assert insp.target_combo.count() == 1 and not insp.target_combo.currentData()
    assert insp.link_button.isEnabled()  # but we know there is something to link to
    insp.target_combo.showPopup()
    insp.target_combo.hidePopup()
    targets = [insp.target_combo.itemData(i) for i in range(insp.target_combo.count())]
    assert targets == [ids["appeal"]]  # only compatible annotations of this document
    assert insp.link_to_chosen()
    assert ("on_behalf_of", ids["appeal"], ids["prisoners"]) in links(window)
    # the new link is listed and the same pair is no longer offered
    assert _last_link(window) in insp.link_rows
    assert not insp.link_button.isEnabled()
    session.undo_stack.undo()
    assert ("on_behalf_of", ids["appeal"], ids["prisoners"]) not in links(window)


def _last_link(win):
    return max(win.session.project.layers[USER].docs["doc1"].links, key=lambda k: int(k[1:]))


def test_follow_and_remove_link(window, project_ids):
    _p, ids = project_ids
    insp, session = window.docks.inspector, window.session
    session.select(USER, ids["appeal"])
    follow, _remove = insp.link_rows[ids["link"]]
    assert follow.text() == "→ Addressed to: President Kim to"
    follow.click()
    assert session.selected == (USER, ids["kim"])
    follow, remove = insp.link_rows[ids["link"]]
    assert follow.text().startswith("← Addressed to: urged President Kim to release")
    remove.click()
    assert links(window) == set()
    session.undo_stack.undo()
    assert links(window) == {("addressee", ids["appeal"], ids["kim"])}


def test_other_layers_are_read_only(window, project_ids):
    _p, ids = project_ids
    insp, session = window.docks.inspector, window.session
    session.set_layer_visible("bob", True)
    session.select("bob", ids["bob_victim"])
    assert insp.readonly_label.isVisibleTo(insp)
    assert not insp.tag_combo.isEnabled()
    assert insp.note_edit.isReadOnly()
    assert not insp.add_link_row.isVisibleTo(insp)
    insp.retag("appeal")
    assert ann(window, ids["bob_victim"], "bob").tag == "victim"
    assert session.undo_stack.count() == 0


def test_mark_checked_and_comments(window, project_ids):
    _p, ids = project_ids
    insp, session = window.docks.inspector, window.session
    a = ann(window, ids["monks"], doc="doc2")
    session.project.layers[USER].docs["doc2"].annotations[ids["monks"]].needs_check = True
    from annotator.model import Comment

    a.comments.append(Comment("reviewer", "2026-01-01T00:00:00Z", "Too long?"))
    session.set_current_document("doc2")
    session.select(USER, ids["monks"])
    assert insp.check_row.isVisibleTo(insp)
    assert "Too long?" in insp.comments_label.text()
    insp.check_button.click()
    assert not ann(window, ids["monks"], doc="doc2").needs_check
    assert not insp.check_row.isVisibleTo(insp)
    session.undo_stack.undo()
    assert ann(window, ids["monks"], doc="doc2").needs_check
    assert isinstance(session.undo_stack.command(0).command, SetNeedsCheck)


def test_undo_of_all_inspector_edits_restores_the_model(window, project_ids):
    project, ids = project_ids
    insp, session = window.docks.inspector, window.session
    before = _snapshot(project)
    session.select(USER, ids["kim"])
    choose(insp._attr_widgets["level"], "national")
    insp.link_type_combo.setCurrentIndex(0)
    assert insp.link_to_chosen()
    choose(insp.tag_combo, "victim")  # drops the addressee link and the attributes
    insp.note_edit.setPlainText("not an authority after all")
    insp.commit_note()
    while session.undo_stack.canUndo():
        session.undo_stack.undo()
    assert _snapshot(project) == before


def _snapshot(project):
    return {
        (name, doc): (
            {k: (a.tag, a.attributes, a.note) for k, a in da.annotations.items()},
            dict(da.links),
        )
        for name, layer in project.layers.items()
        for doc, da in layer.docs.items()
    }


def test_pick_the_link_target_by_clicking_it_in_the_text(window, project_ids, qtbot):
    from PySide6.QtGui import QTextCursor

    _p, ids = project_ids
    insp, session, view = window.docks.inspector, window.session, window.text_view
    session.select(USER, ids["appeal"])
    insp.link_type_combo.setCurrentIndex(1)  # → On behalf of (Victim)
    insp.pick_button.click()
    target = ann(window, ids["prisoners"])
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_utf16((target.start + target.end) // 2))
    view.show_annotation(target)
    point = view.cursorRect(cursor).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert ("on_behalf_of", ids["appeal"], ids["prisoners"]) in links(window)
    assert session.selected == (USER, ids["appeal"])  # the click was consumed by the pick
    assert not session.picking


def test_free_text_attribute_is_a_line_edit_committed_once(qtbot):
    from PySide6.QtWidgets import QLineEdit

    from annotator.model import (
        AddAnnotation,
        AttributeDef,
        Document,
        History,
        Project,
        TagSet,
        TagType,
    )
    from tests.gui.test_docks_support import real_window

    tagset = TagSet(
        name="free",
        tags=(
            TagType(
                "victim",
                "Victim",
                "#56B4E9",
                "1",
                attributes=(AttributeDef("name", "Name", definition="As written"),),
            ),
        ),
    )
    project = Project(name="p", tagset=tagset)
    project.add_document(Document("d", "𠀀 Sané was held."))
    project.ensure_layer(USER)
    cmd = History(project).push(AddAnnotation(USER, "d", "victim", [(2, 6)]))
    win = real_window(qtbot, project)
    win.session.select(USER, cmd.ann_id)
    insp = win.docks.inspector
    assert "“Sané”" in insp.text_label.text()  # astral character before the span
    edit = insp._attr_widgets["name"]
    assert isinstance(edit, QLineEdit)
    edit.setFocus()
    qtbot.keyClicks(edit, "Sane N.")  # QTest types ASCII only
    assert win.session.undo_stack.count() == 0
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    ann = project.layers[USER].docs["d"].annotations[cmd.ann_id]
    assert ann.attributes == {"name": "Sane N."}
    assert win.session.undo_stack.count() == 1
    win.session.undo_stack.undo()
    assert project.layers[USER].docs["d"].annotations[cmd.ann_id].attributes == {}


def test_add_link_starts_on_a_type_with_something_left_to_link(window, project_ids):
    _p, ids = project_ids
    insp = window.docks.inspector
    window.session.select(USER, ids["appeal"])  # its only authority is already its addressee
    assert insp.link_type_combo.currentText() == "→ On behalf of (Victim)"
    insp.target_combo.showPopup()
    insp.target_combo.hidePopup()
    assert insp.target_combo.currentData() == ids["prisoners"]
    assert insp.link_button.isEnabled()


def test_history_of_an_adjudicated_annotation_is_shown_read_only(window, project_ids):
    """A curated annotation tells where it came from and what changed since; a rejected
    one tells its author who rejected it; an ordinary one shows no History section."""
    from annotator.model import CURATED_LAYER, Retag
    from annotator.review.adjudicate import accept, comment, reject

    _p, ids = project_ids
    insp, session = window.docks.inspector, window.session
    project = session.project
    session.select(USER, ids["kim"])
    assert not insp.history_box.isVisibleTo(insp)

    cmd = session.execute(accept(project, "doc1", USER, ids["appeal"], "rev"))
    curated_id = cmd.ann_id
    assert project.layers[CURATED_LAYER].docs["doc1"].annotations[curated_id].provenance
    session.select(CURATED_LAYER, curated_id)
    assert insp.history_box.isVisibleTo(insp)
    text = insp.history_label.text()
    assert "Accepted by rev" in text and f"{USER} ({ids['appeal']})" in text
    assert "→" not in text

    # an edit of the curated annotation after the decision shows up, undo takes it back
    session.execute(Retag(CURATED_LAYER, "doc1", curated_id, "victim", author="rev"))
    assert "tag appeal → victim" in insp.history_label.text()
    session.undo_stack.undo()
    assert "→" not in insp.history_label.text()

    session.execute(comment(USER, "doc1", ids["prisoners"], "Not a victim here", "rev"))
    session.execute(reject(project, "doc1", USER, ids["prisoners"], "rev"))
    session.select(USER, ids["prisoners"])
    assert insp.history_box.isVisibleTo(insp)
    assert "Rejected by rev" in insp.history_label.text()
    # the comment is in its own section, not repeated in the history
    assert "Not a victim here" in insp.comments_label.text()
    assert "Not a victim here" not in insp.history_label.text()
    session.undo_stack.undo()
    assert not insp.history_box.isVisibleTo(insp)


def test_an_edit_elsewhere_in_the_document_does_not_rebuild_the_inspector(
    window, project_ids, monkeypatch
):
    """Tagging in a long document must not redo the panel (it listed every annotation)."""
    from annotator.model import SetNote

    _p, ids = project_ids
    insp, session = window.docks.inspector, window.session
    session.select(USER, ids["appeal"])
    calls = []
    real = insp.refresh
    monkeypatch.setattr(insp, "refresh", lambda: (calls.append(1), real()))
    session.execute(SetNote(USER, "doc1", ids["prisoners"], "unrelated", USER))
    assert calls == []
    # its link partner changed: the link's wording may have too
    session.execute(SetNote(USER, "doc1", ids["kim"], "partner", USER))
    assert calls
    calls.clear()
    session.execute(SetNote(USER, "doc1", ids["appeal"], "mine", USER))
    assert calls and insp.note_edit.toPlainText() == "mine"


def test_nothing_is_cut_in_a_laptop_sized_inspector(window, project_ids, qtbot):
    """At 1024×700 the chosen tag and link type read whole: labels go above the combos
    and the link buttons under them when a combo beside them would cut its text."""
    _p, ids = project_ids
    insp, session = window.docks.inspector, window.session
    window.resize(1024, 700)
    session.select(USER, ids["kim"])  # "Responsible authority", the longest tag label
    qtbot.wait(50)

    def reads_whole(combo: QComboBox) -> bool:
        text = combo.fontMetrics().horizontalAdvance(combo.currentText())
        return combo.width() >= text + 30  # the swatch or arrow beside it

    qtbot.waitUntil(lambda: reads_whole(insp.tag_combo))
    assert insp.tag_combo.currentText().startswith("Responsible authority")
    qtbot.waitUntil(lambda: reads_whole(insp.link_type_combo))
    assert insp.link_type_combo.currentText() == "→ Responsible for (Victim)"
    assert insp.pick_button.isVisible() and insp.link_button.isVisible()
