"""The tag palette and the guidelines dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.formats.tagset_xml import default_tagset
from annotator.ui.docks.guidelines import GuidelinesDialog
from tests.gui.test_docks_support import project_ids_fixture, window_fixture  # noqa: F401

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
        assert action.shortcut().toString() == tt.shortcut
        assert tt.definition in action.toolTip()
        assert tt.examples[0] in action.toolTip()


def test_click_and_shortcut_call_tag_selection(window, qtbot):
    palette = window.docks.palette
    qtbot.mouseClick(palette.buttons["victim"], Qt.MouseButton.LeftButton)
    assert window.tagged == [("victim", False)]
    with qtbot.waitSignal(palette.tagRequested) as blocker:
        palette.buttons["authority"].click()
    assert blocker.args == ["authority"]
    # the key works from the window even if the palette is hidden
    palette.hide()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.text_view.setFocus()
    qtbot.keyClick(window.text_view, Qt.Key.Key_1)
    assert window.tagged[-1] == ("appeal", False)


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


def test_view_menu_gets_dock_toggles(window):
    texts = [a.text() for a in window.menus["view"].actions()]
    for title in ("Documents", "Tags", "Annotations", "Inspector"):
        assert title in texts
