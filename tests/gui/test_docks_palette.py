"""The tag palette and the guidelines dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.formats.tagset_xml import default_tagset
from annotator.ui.docks.guidelines import GuidelinesDialog
from tests.gui.test_docks_support import (  # noqa: F401
    USER,
    project_ids_fixture,
    span,
    window_fixture,
)

pytestmark = pytest.mark.gui


def test_one_button_per_tag_with_label_key_and_tooltip(window):
    palette = window.docks.palette
    tagset = window.session.project.tagset
    assert list(palette.buttons) == [t.name for t in tagset.tags]
    for tt in tagset.tags:
        button = palette.buttons[tt.name]
        assert button.text() == tt.label  # never colour alone
        assert not button.icon().isNull()
        action = button.defaultAction()
        assert palette.keys[tt.name] == tt.shortcut
        # the real window binds the keys itself; the palette only shows them
        assert action.shortcut().isEmpty()
        assert tt.definition in action.toolTip()
        assert tt.examples[0] in action.toolTip()


def test_click_calls_tag_selection_and_tags_the_words(window, qtbot):
    palette, session = window.docks.palette, window.session
    text = session.project.documents["doc1"].text
    start, end = span(text, "political prisoners remain")
    window.text_view.set_selection_cp(start + 2, end - 3)  # snapped to whole words
    before = set(session.project.layers[USER].docs["doc1"].annotations)
    qtbot.mouseClick(palette.buttons["victim"], Qt.MouseButton.LeftButton)
    assert window.tagged == [("victim", False)]
    new = set(session.project.layers[USER].docs["doc1"].annotations) - before
    assert len(new) == 1
    ann = session.project.layers[USER].docs["doc1"].annotations[new.pop()]
    assert (ann.tag, ann.start, ann.end) == ("victim", start, end)
    with qtbot.waitSignal(palette.tagRequested) as blocker:
        palette.buttons["authority"].click()
    assert blocker.args == ["authority"]


def test_tag_keys_stay_unambiguous_in_the_real_window(window, qtbot):
    """The window binds 1, 2, 3 itself; the palette must not bind them a second time
    (Qt fires neither action of an ambiguous shortcut)."""
    session = window.session
    text = session.project.documents["doc3"].text
    session.set_current_document("doc3")
    start, end = span(text, "Trade unionists")
    window.text_view.set_selection_cp(start, end)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.text_view.setFocus()
    qtbot.keyClick(window.text_view, Qt.Key.Key_2)
    anns = session.project.annotations(USER, "doc3").annotations.values()
    assert [(a.tag, a.start, a.end) for a in anns] == [("victim", start, end)]


def test_tag_keys_work_with_the_palette_closed(window, qtbot):
    palette = window.docks.palette
    palette.hide()
    session = window.session
    text = session.project.documents["doc3"].text
    session.set_current_document("doc3")
    start, end = span(text, "Trade unionists")
    window.text_view.set_selection_cp(start, end)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.text_view.setFocus()
    qtbot.keyClick(window.text_view, Qt.Key.Key_1)
    assert window.tagged == [("appeal", False)]
    assert "Press 2 to tag" in palette.buttons["victim"].defaultAction().toolTip()


def test_guidelines_dialog_contains_the_whole_tagset(qtbot):
    tagset = default_tagset()
    dialog = GuidelinesDialog(tagset)
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    for tt in tagset.tags:
        assert tt.label in text
        assert tt.definition in text
        for example in tt.examples:
            assert example in text
        for attr in tt.attributes:
            assert attr.label in text
            assert attr.definition in text
            for value in attr.values:
                assert attr.label_of(value) in text
    for lt in tagset.links:
        assert lt.label in text
        assert lt.definition in text
    dialog.find_edit.setText("Buddhist monks")
    assert dialog.find_next()
    assert dialog.browser.textCursor().selectedText() == "Buddhist monks"


def test_guidelines_button_and_show_guidelines(window, qtbot):
    window.docks.palette.guidelines_button.click()
    dialog = window.docks.guidelines
    assert dialog is not None and dialog.isVisible()
    assert window.docks.show_guidelines() is dialog  # one dialog, raised again
    assert "Responsible for" in dialog.browser.toPlainText()


def test_menus_get_dock_toggles_guidelines_and_status(window):
    texts = [a.text() for a in window.menus["panels"].actions()]
    for title in ("Documents", "Tags", "Annotations", "Inspector"):
        assert title in texts, title
    help_actions = window.menus["help"].actions()
    assert help_actions[0].text() == "Annotation &Guidelines"
    help_actions[0].trigger()
    assert window.docks.guidelines.isVisible()
    status = [a for a in window.menus["annotate"].actions() if a.text() == "Document &Status"]
    assert len(status) == 1
