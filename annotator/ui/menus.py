"""Menu bar and toolbar from the window's actions.

``window.menus`` is part of the plug-in contract: docks, export and review add
their own entries to "file", "edit", "view", "tools", "review" and "help".
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QToolBar, QToolButton

from annotator.ui import settings

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


def build_menus(window: MainWindow) -> dict[str, QMenu]:
    a = window.actions
    bar = window.menuBar()
    menus: dict[str, QMenu] = {}

    m = menus["file"] = bar.addMenu("&File")
    m.addActions([a.new, a.open])
    recent = menus["recent"] = m.addMenu("Open &Recent")
    recent.aboutToShow.connect(lambda: _fill_recent(window, recent))
    m.addSeparator()
    m.addActions([a.save, a.save_as])
    m.addSeparator()
    m.addActions([a.import_releases, a.import_folder])
    m.addSeparator()
    window.export_separator = m.addSeparator()  # export engineer adds entries here
    m.addActions([a.close_window, a.quit])

    m = menus["edit"] = bar.addMenu("&Edit")
    m.addActions([a.undo, a.redo])
    m.addSeparator()
    m.addActions([a.find, a.find_next, a.find_previous])
    m.addSeparator()
    m.addAction(a.preferences)

    m = menus["annotate"] = bar.addMenu("&Annotate")
    tags = menus["tags"] = m.addMenu("&Tag Selection")
    exact = menus["tags_exact"] = m.addMenu("Tag &Exact Selection")
    m.addSeparator()
    m.addActions([a.add_fragment, a.grow_end, a.shrink_end, a.grow_start, a.shrink_start])
    m.addSeparator()
    m.addActions([a.next_annotation, a.previous_annotation, a.clear_selection])
    m.addSeparator()
    m.addActions([a.delete, a.mark_checked])
    m.addSeparator()
    m.addAction(a.mark_done)
    window.tag_menu, window.exact_tag_menu = tags, exact

    m = menus["view"] = bar.addMenu("&View")
    m.addActions([a.previous_document, a.next_document])
    m.addSeparator()
    layers = menus["layers"] = m.addMenu("&Layers")
    layers.setIcon(a.show_other_layers.icon())
    layers.aboutToShow.connect(lambda: _fill_layers(window, layers))
    m.addActions([a.show_other_layers, a.show_links])
    m.addSeparator()
    m.addActions([a.zoom_in, a.zoom_out, a.zoom_reset])
    m.addSeparator()
    menus["panels"] = m.addMenu("&Panels")  # the dock panels add their toggles here

    m = menus["tools"] = bar.addMenu("&Tools")
    m.addAction(a.correct_text)

    menus["review"] = bar.addMenu("&Review")
    menus["review"].menuAction().setVisible(False)  # shown once the review plug-in adds entries

    m = menus["help"] = bar.addMenu("&Help")
    m.addActions([a.shortcuts, a.about])
    return menus


def fill_tag_menus(window: MainWindow) -> None:
    window.tag_menu.clear()
    window.exact_tag_menu.clear()
    window.tag_menu.addActions(window.actions.tag_actions)
    window.exact_tag_menu.addActions(window.actions.exact_tag_actions)
    tb = window.tag_toolbar
    tb.clear()
    for act in window.actions.tag_actions:
        tb.addAction(act)


def build_toolbars(window: MainWindow) -> None:
    a = window.actions
    tb = QToolBar("Main", window)
    tb.setObjectName("mainToolbar")
    tb.setIconSize(QSize(20, 20))
    tb.setMovable(False)
    tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    tb.addActions([a.open, a.save, a.import_releases])
    tb.addSeparator()
    tb.addActions([a.undo, a.redo])
    tb.addSeparator()
    tb.addActions([a.previous_document, a.next_document])
    tb.addSeparator()
    tb.addActions([a.find, a.show_other_layers, a.correct_text])
    tb.addSeparator()
    tb.addActions([a.delete, a.add_fragment, a.mark_checked, a.mark_done])
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
    window.main_toolbar = tb

    tags = QToolBar("Tags", window)
    tags.setObjectName("tagToolbar")
    tags.setIconSize(QSize(14, 14))
    tags.setMovable(False)
    tags.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, tags)
    window.tag_toolbar = tags
    for button in tb.findChildren(QToolButton):
        button.setAutoRaise(True)


def _fill_recent(window: MainWindow, menu: QMenu) -> None:
    menu.clear()
    items = [p for p in settings.recent_files() if Path(p).exists()]
    if not items:
        none = menu.addAction("No recent projects")
        none.setEnabled(False)
        return
    for n, path in enumerate(items, start=1):
        act = menu.addAction(f"&{n % 10} {Path(path).name}  —  {Path(path).parent}")
        act.setToolTip(path)
        act.triggered.connect(lambda _=False, p=path: window.file_ops.open_path(Path(p)))


def _fill_layers(window: MainWindow, menu: QMenu) -> None:
    """One check box per layer; the user's own layer is the editable one."""
    menu.clear()
    session = window.session
    group = QActionGroup(menu)
    group.setExclusive(False)
    for name in session.project.layers:
        own = name == session.layer
        act = QAction(f"{name} (you, editable)" if own else f"{name} (read-only)", menu)
        act.setCheckable(True)
        act.setChecked(name in session.visible_layers)
        act.toggled.connect(lambda on, n=name: session.set_layer_visible(n, on))
        group.addAction(act)
        menu.addAction(act)
