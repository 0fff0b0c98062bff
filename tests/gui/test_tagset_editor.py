"""Project ▸ Tag Set…: the real window, keys and clicks as a user gives them."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from annotator.model import AddAnnotation
from annotator.model.colours import confusions
from annotator.ui import keymap
from annotator.ui.tagset_editor import TagSetEditor
from tests.gui.conftest import SAMPLE_TEXT
from tests.gui.test_keymap import live_bindings

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier


def open_editor(window: Any, qtbot: Any) -> TagSetEditor:
    """Project ▸ Tag Set…, as the menu does it."""
    (action,) = [a for a in window.menus["project"].actions() if a.text() == "&Tag Set…"]
    action.trigger()
    editor = window.tagset_editor
    assert editor is not None
    qtbot.waitUntil(editor.isVisible)
    qtbot.waitUntil(editor.isActiveWindow)
    return editor


def type_into(qtbot: Any, edit: Any, text: str) -> None:
    """Click into a field, replace what it holds by ``text`` and press Enter."""
    qtbot.mouseClick(edit, LEFT)
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def press_key(qtbot: Any, editor: TagSetEditor, key: Qt.Key, mods: Any = None) -> None:
    """Click the key field and press one key, as the user records a shortcut."""
    edit = editor.pages["tag"].shortcut.edit  # type: ignore[attr-defined]
    qtbot.mouseClick(edit, LEFT)
    qtbot.keyClick(edit, key, mods or Qt.KeyboardModifier.NoModifier)
    edit.clearFocus()  # recording ends when the field is left, if it had not yet


def click_radio(qtbot: Any, radio: Any) -> None:
    """Click a radio button on its round indicator, where a user clicks it."""
    qtbot.mouseClick(radio, LEFT, pos=QPoint(8, radio.height() // 2))


def annotations(window: Any) -> list[Any]:
    layer = window.session.project.layers[window.session.layer]
    return [a for da in layer.docs.values() for a in da.annotations.values()]


def test_add_a_tag_give_it_a_key_tag_with_it_rename_it_and_undo(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    editor = open_editor(window, qtbot)
    qtbot.mouseClick(editor.add_tag_button, LEFT)
    assert editor.tree.current_key() == ("tag", "new-tag")
    page = editor.pages["tag"]
    assert page.name.hasFocus()  # type: ignore[attr-defined]
    qtbot.keyClicks(page.name, "location")  # type: ignore[attr-defined]
    qtbot.keyClick(page.name, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    assert window.session.project.tagset.tag("location").label == "New tag"
    rename = window.session.undo_stack.command(window.session.undo_stack.index() - 1)
    assert rename.command.author == "tester"  # the tag set's log says who
    type_into(qtbot, page.label, "Location")  # type: ignore[attr-defined]
    press_key(qtbot, editor, Qt.Key.Key_L)
    location = window.session.project.tagset.tag("location")
    assert (location.label, location.shortcut) == ("Location", "L")
    # the palette and the Annotate menu follow at once
    assert "location" in window.docks.palette.buttons
    assert any(a.data() == "location" for a in window.menus["tags"].actions())

    # tag a span in the main window with the new key
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view = window.text_view
    view.setFocus()
    start = SAMPLE_TEXT.index("Ministry of Interior")
    view.set_selection_cp(start, start + len("Ministry of Interior"))
    qtbot.keyClick(view, Qt.Key.Key_L)
    (ann,) = annotations(window)
    assert (ann.tag, ann.start, ann.end) == ("location", start, start + 20)

    # rename the tag: the annotation follows, the text view paints it under the new name
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    editor.tree.select(("tag", "location"))
    type_into(qtbot, page.name, "place")  # type: ignore[attr-defined]
    (ann,) = annotations(window)
    assert ann.tag == "place"
    assert not window.session.project.tagset.has_tag("location")
    assert editor.tree.current_key() == ("tag", "place")
    assert view.tag_color("place").name().upper() == location.color.upper()

    # Ctrl+Z in the main window undoes the rename, then the tagging
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view.setFocus()
    assert window.session.project.tagset.tag("place").shortcut == "L"  # Enter kept the key
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    (ann,) = annotations(window)
    assert ann.tag == "location"
    assert editor.tree.item(("tag", "location")) is not None
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert annotations(window) == []


def test_remove_a_value_in_use_asks_and_maps_it(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    s = window.session
    start = SAMPLE_TEXT.index("journalist")
    s.execute(
        AddAnnotation(
            s.layer, "doc0001", "victim", [(start, start + 10)], {"harm": ("arrested", "killed")}
        )
    )
    editor = open_editor(window, qtbot)
    assert editor.tree.select(("value", "victim", "harm", "arrested"))
    editor.tree.setFocus()
    qtbot.keyClick(editor.tree, Qt.Key.Key_Delete)
    panel = editor.removal
    assert panel.isVisible()
    assert "1 annotation would lose it (tester: 1)" in panel.loss.text()
    # nothing is chosen for the user: Remove waits for a choice, and the file is as it was
    assert not panel.confirm.isEnabled()
    assert "arrested" in s.project.tagset.tag("victim").attribute("harm").values
    panel.map_to.setCurrentIndex(panel.map_to.findData("imprisoned"))
    click_radio(qtbot, panel.map_radio)
    assert panel.confirm.isEnabled()
    qtbot.mouseClick(panel.confirm, LEFT)
    assert not panel.isVisible()
    (ann,) = annotations(window)
    assert ann.attributes["harm"] == ("imprisoned", "killed")
    assert "arrested" not in s.project.tagset.tag("victim").attribute("harm").values
    assert editor.tree.current_key() == ("value", "victim", "harm", "imprisoned")
    # Ctrl+Z in the editor undoes it too
    qtbot.keyClick(editor.tree, Qt.Key.Key_Z, CTRL)
    (ann,) = annotations(window)
    assert ann.attributes["harm"] == ("arrested", "killed")


def test_removing_a_tag_in_use_can_delete_its_annotations_and_keeping_it_changes_nothing(
    make_window, qtbot
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    s = window.session
    s.execute(AddAnnotation(s.layer, "doc0001", "appeal", [(0, 20)]))
    editor = open_editor(window, qtbot)
    editor.tree.select(("tag", "appeal"))
    qtbot.mouseClick(editor.remove_button, LEFT)
    panel = editor.removal
    assert "1 annotation would be deleted (tester: 1)" in panel.loss.text()
    qtbot.mouseClick(panel.cancel, LEFT)
    assert not panel.isVisible() and len(annotations(window)) == 1
    qtbot.mouseClick(editor.remove_button, LEFT)
    click_radio(qtbot, panel.delete_radio)
    qtbot.mouseClick(panel.confirm, LEFT)
    assert annotations(window) == []
    assert not s.project.tagset.has_tag("appeal")
    assert "appeal" not in window.docks.palette.buttons
    # an unused tag goes at once, without asking
    editor.tree.select(("tag", "authority"))
    qtbot.mouseClick(editor.remove_button, LEFT)
    assert not panel.isVisible()
    assert [t.name for t in s.project.tagset.tags] == ["victim"]


def test_a_key_in_use_is_refused_saying_what_uses_it(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    editor = open_editor(window, qtbot)
    editor.tree.select(("tag", "appeal"))
    field = editor.pages["tag"].shortcut  # type: ignore[attr-defined]
    steps = window.session.undo_stack.count()
    press_key(qtbot, editor, Qt.Key.Key_S, CTRL)
    assert field.refusal.isVisible()
    assert field.refusal.text() == "Ctrl+S cannot be used: it is the key of Save."
    press_key(qtbot, editor, Qt.Key.Key_2)
    assert field.refusal.text() == "2 is already the key of the tag Victim."
    press_key(qtbot, editor, Qt.Key.Key_F8)
    assert "Next Annotation" in field.refusal.text()
    assert window.session.project.tagset.tag("appeal").shortcut == "1"
    assert window.session.undo_stack.count() == steps
    assert field.edit.keySequence().toString() == "1"
    # a free key is taken, and the refusal goes
    press_key(qtbot, editor, Qt.Key.Key_A)
    assert window.session.project.tagset.tag("appeal").shortcut == "A"
    assert not field.refusal.isVisible()


def test_a_colour_that_colour_blind_readers_confuse_warns_naming_the_tag(
    make_window, qtbot
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    editor = open_editor(window, qtbot)
    editor.tree.select(("tag", "victim"))
    field = editor.pages["tag"].colour  # type: ignore[attr-defined]
    assert not field.warning.isVisible()
    type_into(qtbot, field.edit, "#8FA000")  # an olive: the appeal's orange, without red
    assert window.session.project.tagset.tag("victim").color == "#8FA000"
    assert field.warning.isVisible()
    text = field.warning.text()
    assert "Appeal's (#E69F00)" in text and "deuteranopia" in text
    # the text view and the palette already paint the new colour
    assert window.text_view.tag_color("victim").name().upper() == "#8FA000"
    # a colour apart from every other tag for every vision: no warning
    type_into(qtbot, field.edit, "#CC79A7")
    others = [(t.label, t.color) for t in window.session.project.tagset.tags[::2]]
    assert confusions("#CC79A7", others) == []
    assert not field.warning.isVisible()


def test_guidelines_follow_the_definition_as_it_is_typed_and_one_undo_takes_it_back(
    make_window, qtbot
) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    guide = window.docks.show_guidelines()
    editor = open_editor(window, qtbot)
    editor.tree.select(("tag", "authority"))
    page = editor.pages["tag"]
    before = window.session.project.tagset.tag("authority").definition
    steps = window.session.undo_stack.count()
    qtbot.mouseClick(page.definition.viewport(), LEFT)  # type: ignore[attr-defined]
    page.definition.moveCursor(page.definition.textCursor().MoveOperation.End)  # type: ignore[attr-defined]
    qtbot.keyClicks(page.definition, " Include ministries.")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "Include ministries." in guide.browser.toPlainText(), timeout=3000)
    qtbot.keyClicks(page.definition, " And police.")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "And police." in guide.browser.toPlainText(), timeout=3000)
    assert window.session.project.tagset.tag("authority").definition.endswith("And police.")
    qtbot.mouseClick(page.examples.viewport(), LEFT)  # type: ignore[attr-defined]
    page.examples.moveCursor(page.examples.textCursor().MoveOperation.End)  # type: ignore[attr-defined]
    qtbot.keyClick(page.examples, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    qtbot.keyClicks(page.examples, "the provincial governor")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "the provincial governor" in guide.browser.toPlainText())
    # the typing in each field is one undo step
    assert window.session.undo_stack.count() == steps + 2
    window.session.undo_stack.undo()
    window.session.undo_stack.undo()
    assert window.session.project.tagset.tag("authority").definition == before
    assert "Include ministries." not in guide.browser.toPlainText()


def test_the_editors_keys_come_from_the_keymap_and_clash_with_nothing(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    open_editor(window, qtbot)
    assert keymap.clashes(live_bindings(window)) == []
    ids = {
        a.property(keymap.ACTION_ID)
        for a in window.tagset_editor.findChildren(type(window.ui_actions.tagset))
    }
    assert {"tagset.undo", "tagset.remove", "tagset.rename", "tagset.add_tag"} <= ids


def test_a_tag_set_change_keeps_the_edit_journal(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    s = window.session
    s.execute(AddAnnotation(s.layer, "doc0001", "appeal", [(0, 20)]))
    editor = open_editor(window, qtbot)
    editor.tree.select(("tag", "appeal"))
    type_into(qtbot, editor.pages["tag"].label, "Call")  # type: ignore[attr-defined]
    s.execute(AddAnnotation(s.layer, "doc0001", "victim", [(21, 30)]))
    # all three steps are in one journal: a crash now loses none of them
    assert window.recovery.step() == 3
    QApplication.processEvents()


def test_alt_up_moves_a_tag_up_in_the_palette_and_undo_puts_it_back(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    editor = open_editor(window, qtbot)
    editor.tree.select(("tag", "authority"))
    editor.tree.setFocus()
    qtbot.keyClick(editor.tree, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    names = [t.name for t in window.session.project.tagset.tags]
    assert names == ["appeal", "authority", "victim"]
    assert editor.tree.current_key() == ("tag", "authority")
    palette = window.docks.palette
    assert [a.data() for a in palette.tag_actions] == names
    assert editor.up_button.isEnabled()  # second of three: it can go up once more
    qtbot.keyClick(editor.tree, Qt.Key.Key_Z, CTRL)
    assert [t.name for t in window.session.project.tagset.tags] == [
        "appeal",
        "victim",
        "authority",
    ]
    editor.tree.select(("tag", "appeal"))
    assert not editor.up_button.isEnabled() and editor.down_button.isEnabled()


def test_one_value_instead_of_several_asks_what_to_keep(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    s = window.session
    start = SAMPLE_TEXT.index("journalist")
    s.execute(
        AddAnnotation(
            s.layer, "doc0001", "victim", [(start, start + 10)], {"harm": ("arrested", "killed")}
        )
    )
    editor = open_editor(window, qtbot)
    editor.tree.select(("attr", "victim", "harm"))
    page = editor.pages["attr"]
    page.kind.setCurrentIndex(0)  # type: ignore[attr-defined]
    page.kind.activated.emit(0)  # type: ignore[attr-defined]
    panel = editor.removal
    assert panel.isVisible()
    assert "1 annotation would lose it (tester: 1)" in panel.loss.text()
    assert s.project.tagset.tag("victim").attribute("harm").multiple
    QApplication.processEvents()  # the panel is laid out, as the user sees it
    click_radio(qtbot, panel.map_radio)  # keep the first value of each
    qtbot.mouseClick(panel.confirm, LEFT)
    assert not s.project.tagset.tag("victim").attribute("harm").multiple
    (ann,) = annotations(window)
    assert ann.attributes["harm"] == "killed"  # 'killed' comes first in the list


def test_narrowing_a_link_type_in_use_asks_and_a_relabelled_value_shows_in_the_guidelines(
    make_window, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from annotator.model import AddLink

    window = make_window()
    s = window.session
    appeal = s.execute(AddAnnotation(s.layer, "doc0001", "appeal", [(0, 20)]))
    start = SAMPLE_TEXT.index("authorities")
    authority = s.execute(AddAnnotation(s.layer, "doc0001", "authority", [(start, start + 11)]))
    s.execute(AddLink(s.layer, "doc0001", "addressee", appeal.ann_id, authority.ann_id))
    guide = window.docks.show_guidelines()
    editor = open_editor(window, qtbot)
    editor.tree.select(("link", "addressee"))
    targets = editor.pages["link"].targets  # type: ignore[attr-defined]
    row = next(
        i
        for i in range(targets.count())
        if targets.item(i).text() != "Appeal"
        and targets.item(i).checkState() == Qt.CheckState.Checked
    )
    targets.item(row).setCheckState(Qt.CheckState.Unchecked)
    panel = editor.removal
    assert panel.isVisible()
    assert "1 link would be removed (tester: 1)" in panel.loss.text()
    QApplication.processEvents()
    qtbot.mouseClick(panel.cancel, LEFT)
    assert len(s.project.layers[s.layer].docs["doc0001"].links) == 1
    # a value's label, as the guidelines read it
    editor.tree.select(("value", "victim", "harm", "arrested"))
    type_into(qtbot, editor.pages["value"].label, "Detained")  # type: ignore[attr-defined]
    assert "Detained" in guide.browser.toPlainText()
