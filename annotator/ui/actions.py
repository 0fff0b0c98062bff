"""Every QAction of the main window's menus and toolbars, with its keys from the keymap.

The actions are made here, bare; the main window connects them to what they do.
Their keys come from :mod:`annotator.ui.keymap` (Help → Keyboard Shortcuts lists
them). The tag actions follow the project's tag set: 1, 2, 3 … tag the selection
(snapped to whole words), Alt+1, Alt+2 … the exact selection.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QObject, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import QWidget

from annotator import assets
from annotator.model.tagset import TagSet
from annotator.ui import keymap

_ICON_CACHE: dict[str, QIcon] = {}


def icon(name: str) -> QIcon:
    """An SVG icon from ``resources/icons`` (empty icon if it is missing)."""
    cached = _ICON_CACHE.get(name)
    if cached is not None:
        return cached
    result = QIcon()
    try:
        data = assets.read_bytes("icons", f"{name}.svg")
    except (FileNotFoundError, OSError):
        data = b""
    if data:
        pm = QPixmap()
        if pm.loadFromData(QByteArray(data), "SVG"):
            result = QIcon(pm)
    _ICON_CACHE[name] = result
    return result


def swatch(color: str, size: int = 16) -> QIcon:
    """A rounded colour square for a tag (the label is always shown next to it)."""
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    c = QColor(color)
    p.setBrush(c)
    p.setPen(c.darker(140))
    p.drawRoundedRect(2, 2, size - 4, size - 4, 3, 3)
    p.end()
    return QIcon(pm)


class Actions(QObject):
    """Creates and holds the window's actions; ``tag_actions`` follow the tag set."""

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.host = host
        self.all: list[QAction] = []
        make = self._make

        # File
        self.new = make("file.new", "&New Project", "new")
        self.open = make("file.open", "&Open…", "open")
        self.save = make("file.save", "&Save", "save")
        self.save_as = make("file.save_as", "Save &As…")
        self.import_releases = make(
            "file.import",
            "&Import Releases…",
            "import",
            tip="Add press releases (text, PDF, …) to this project",
        )
        self.import_folder = make("file.import_folder", "Import &Folder…")
        self.export = make(
            "file.export",
            "&Export…",
            tip="Write annotations as JSON, inline XML, TEI, brat, MAE, CSV or HTML",
        )
        self.close_window = make("file.close", "&Close Window")
        self.quit = make("file.quit", "&Quit")
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)

        # Edit
        self.undo = make("edit.undo", "&Undo", "undo")
        self.redo = make("edit.redo", "&Redo", "redo")
        self.find = make("edit.find", "&Find…", "find")
        self.find_next = make("edit.find_next", "Find &Next")
        self.find_previous = make("edit.find_previous", "Find Pre&vious")
        self.preferences = make("edit.preferences", "&Preferences…", "preferences")
        self.preferences.setMenuRole(QAction.MenuRole.PreferencesRole)

        # Annotate
        self.add_fragment = make(
            "annotate.add_fragment",
            "Add Selection as &Fragment",
            "add-fragment",
            tip="Add the selected text as another piece of the selected annotation",
        )
        self.grow_end = make("annotate.grow_end", "Grow End by a Word")
        self.shrink_end = make("annotate.shrink_end", "Shrink End by a Word")
        self.grow_start = make("annotate.grow_start", "Grow Start by a Word")
        self.shrink_start = make("annotate.shrink_start", "Shrink Start by a Word")
        self.delete = make("annotate.delete", "&Delete Annotation", "delete")
        self.mark_checked = make(
            "annotate.mark_checked",
            "Mark &Checked",
            "check",
            tip="Clear the ‘needs check’ mark a text correction left",
        )
        self.mark_done = make(
            "annotate.mark_done",
            "Mark Document &Done",
            "done",
            tip="Mark this document done for you (again to reopen it)",
        )
        self.mark_done.setCheckable(True)
        self.next_item = make(
            "navigate.next",
            "Next Annotation",
            tip="The next annotation; in review mode, the next disagreement",
        )
        self.previous_item = make(
            "navigate.previous",
            "Previous Annotation",
            tip="The previous annotation; in review mode, the previous disagreement",
        )
        self.clear_selection = make("annotate.clear_selection", "Clear Selection")

        # View
        self.zoom_in = make("view.zoom_in", "Zoom &In", "zoom-in")
        self.zoom_out = make("view.zoom_out", "Zoom &Out", "zoom-out")
        self.zoom_reset = make("view.zoom_reset", "&Actual Size")
        self.next_document = make("view.next_document", "&Next Document", "next")
        self.previous_document = make("view.previous_document", "&Previous Document", "previous")
        self.show_other_layers = make(
            "view.other_layers",
            "Show &All Layers",
            "layers",
            tip="Show the other annotators' layers (read-only, dashed)",
        )
        self.show_other_layers.setCheckable(True)
        self.show_links = make(
            "view.links",
            "Show Lin&ks",
            tip="Draw links as arcs between the spans they join (Ctrl+drag from one to "
            "another to link them)",
        )
        self.show_links.setCheckable(True)

        # Project
        self.tagset = make(
            "project.tagset",
            "&Tag Set…",
            tip="Add, rename and remove tags, attributes and values; colours, keys, guidelines",
        )

        # Tools
        self.correct_text = make(
            "tools.correct_text",
            "&Correct Text",
            "correct-text",
            tip="Make the text editable to fix extraction errors; annotations move with it",
        )
        self.correct_text.setCheckable(True)

        # Help
        self.shortcuts = make("help.shortcuts", "&Keyboard Shortcuts")
        self.about = make("help.about", "&About Annotator")
        self.about.setMenuRole(QAction.MenuRole.AboutRole)

        self.tag_actions: list[QAction] = []
        self.exact_tag_actions: list[QAction] = []

    def _make(self, action_id: str, text: str, icon_name: str = "", tip: str = "") -> QAction:
        action = keymap.bind(QAction(text, self.host), action_id)
        describe(action, tip or text.replace("&", "").rstrip("…"))
        if icon_name:
            action.setIcon(icon(icon_name))
        self.host.addAction(action)
        self.all.append(action)
        return action

    def rebuild_tag_actions(self, tagset: TagSet, tag: Callable[[str, bool], None]) -> None:
        """One action per tag with its key, and an 'exact' twin on Alt+key."""
        for a in self.tag_actions + self.exact_tag_actions:
            self.host.removeAction(a)
            self.all.remove(a)
            a.deleteLater()
        self.tag_actions, self.exact_tag_actions = [], []
        keys = keymap.tag_keys(tagset)
        for tt in tagset.tags:
            key = keys.get(tt.name, "")
            a = self._tag_action(f"Tag as {tt.label}", key, f"Tag the selected words as {tt.label}")
            a.triggered.connect(lambda _=False, name=tt.name: tag(name, False))
            a.setIcon(swatch(tt.color))
            a.setIconText(tt.label)
            a.setData(tt.name)
            exact = self._tag_action(
                f"Tag Exact Selection as {tt.label}",
                keymap.EXACT_MODIFIER + key if key else "",
                f"Tag exactly the selected characters as {tt.label}",
            )
            exact.triggered.connect(lambda _=False, name=tt.name: tag(name, True))
            exact.setData(tt.name)
            self.tag_actions.append(a)
            self.exact_tag_actions.append(exact)

    def _tag_action(self, text: str, key: str, tip: str) -> QAction:
        action = QAction(text, self.host)
        if key:
            action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        describe(action, tip)
        self.host.addAction(action)
        self.all.append(action)
        return action

    def set_tagging_enabled(self, enabled: bool) -> None:
        """Digits type text while correcting, so tag shortcuts pause then."""
        for a in [
            *self.tag_actions,
            *self.exact_tag_actions,
            self.delete,
            self.add_fragment,
            self.grow_end,
            self.shrink_end,
            self.grow_start,
            self.shrink_start,
        ]:
            a.setEnabled(enabled)


def describe(action: QAction, tip: str) -> None:
    """Tooltip with the first key, and the status-bar tip."""
    first = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{tip} ({first})" if first else tip)
    action.setStatusTip(tip)
