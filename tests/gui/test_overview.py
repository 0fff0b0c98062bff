"""The Overview panel in the real main window: opened by its key, fed pages by others."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

pytestmark = pytest.mark.gui

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def press_overview_key(qtbot: Any, window: Any) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.text_view.setFocus()
    qtbot.keyClick(window.text_view, Qt.Key.Key_O, CTRL_SHIFT)


def test_the_overview_key_opens_and_closes_the_panel_under_the_text(
    qtbot: Any, window: Any
) -> None:
    dock = window.overview
    assert dock.isHidden()
    press_overview_key(qtbot, window)
    qtbot.waitUntil(dock.isVisible)
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert dock.toggle_action.isChecked()
    assert dock.toggle_action in window.menus["view"].actions()
    press_overview_key(qtbot, window)
    qtbot.waitUntil(dock.isHidden)
    assert not dock.toggle_action.isChecked()


def test_a_page_added_through_the_hook_is_a_tab_of_the_panel(qtbot: Any, window: Any) -> None:
    dock = window.overview
    before = dock.pages.count()
    page = QLabel("a view of the corpus")
    index = dock.add_page("Corpus view", page)
    assert dock.pages.count() == before + 1
    assert dock.pages.tabText(index) == "Corpus view"
    assert dock.page("Corpus view") is page
    assert dock.show_page("Corpus view") is page
    qtbot.waitUntil(page.isVisible)
    assert dock.pages.currentWidget() is page
    assert dock.page("Nothing") is None


def test_the_focus_layout_hides_the_overview(qtbot: Any, window: Any) -> None:
    dock = window.overview
    dock.set_open(True)
    qtbot.waitUntil(dock.isVisible)
    window.window_layout.set_focus(True)
    assert dock.isHidden()
    window.window_layout.set_focus(False)
    qtbot.waitUntil(dock.isVisible)
