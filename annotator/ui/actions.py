"""Every QAction of the main window, each with a shortcut (shown in the menus).

Keyboard map (also in Help → Keyboard shortcuts):

* 1, 2, 3 … tag the selection (snapped to whole words) with the tag set's tags;
  Alt+1, Alt+2 … tag the exact selection. With an annotation selected and no
  text selected, the digit retags it.
* Ctrl+Shift+A adds the selection as another fragment of the selected annotation.
* Alt+Shift+Right / Alt+Shift+Left grow / shrink the selected annotation's end by a word;
  Ctrl+Alt+Shift+Left / Ctrl+Alt+Shift+Right grow / shrink its start.
* Delete removes the selected annotation; Ctrl+D marks the document done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QObject, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPainter, QPixmap

from annotator import assets

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

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


def _std(key: QKeySequence.StandardKey, fallback: str) -> list[QKeySequence]:
    keys = QKeySequence.keyBindings(key)
    return keys or [QKeySequence(fallback)]


class Actions(QObject):
    """Creates and holds the window's actions; ``tag_actions`` follow the tag set."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        w = window
        self.all: list[QAction] = []
        std = QKeySequence.StandardKey

        # File
        self.new = self._make("&New Project", "Ctrl+N", w.file_ops.new_project, "new")
        self.open = self._make("&Open…", _std(std.Open, "Ctrl+O"), w.file_ops.open_dialog, "open")
        self.save = self._make("&Save", _std(std.Save, "Ctrl+S"), w.file_ops.save, "save")
        self.save_as = self._make("Save &As…", "Ctrl+Shift+S", w.file_ops.save_as)
        self.import_releases = self._make(
            "&Import Releases…",
            "Ctrl+I",
            w.file_ops.import_dialog,
            "import",
            tip="Add press releases (text, PDF, …) to this project",
        )
        self.import_folder = self._make(
            "Import &Folder…", "Ctrl+Shift+I", w.file_ops.import_folder_dialog
        )
        self.close_window = self._make("&Close Window", "Ctrl+W", w.close)
        self.quit = self._make("&Quit", "Ctrl+Q", w.quit_app)
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)

        # Edit
        self.undo = self._make("&Undo", _std(std.Undo, "Ctrl+Z"), w.session.undo_stack.undo, "undo")
        self.redo = self._make(
            "&Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], w.session.undo_stack.redo, "redo"
        )
        self.find = self._make("&Find…", _std(std.Find, "Ctrl+F"), w.find_bar.open, "find")
        self.find_next = self._make("Find &Next", ["F3", "Ctrl+G"], w.find_bar.next)
        self.find_previous = self._make(
            "Find Pre&vious", ["Shift+F3", "Ctrl+Shift+G"], w.find_bar.previous
        )
        self.preferences = self._make("&Preferences…", "Ctrl+,", w.show_preferences, "preferences")
        self.preferences.setMenuRole(QAction.MenuRole.PreferencesRole)

        # Annotate
        t = w.tagger
        self.add_fragment = self._make(
            "Add Selection as &Fragment",
            "Ctrl+Shift+A",
            t.add_fragment,
            "add-fragment",
            tip="Add the selected text as another piece of the selected annotation",
        )
        self.grow_end = self._make(
            "Grow End by a Word", "Alt+Shift+Right", lambda: t.resize_selected("end", True)
        )
        self.shrink_end = self._make(
            "Shrink End by a Word", "Alt+Shift+Left", lambda: t.resize_selected("end", False)
        )
        self.grow_start = self._make(
            "Grow Start by a Word", "Ctrl+Alt+Shift+Left", lambda: t.resize_selected("start", True)
        )
        self.shrink_start = self._make(
            "Shrink Start by a Word",
            "Ctrl+Alt+Shift+Right",
            lambda: t.resize_selected("start", False),
        )
        self.delete = self._make(
            "&Delete Annotation",
            "Delete",
            t.delete_selected,
            "delete",
        )
        self.mark_checked = self._make(
            "Mark &Checked",
            "Ctrl+Shift+K",
            t.mark_checked,
            "check",
            tip="Clear the ‘needs check’ mark a text correction left",
        )
        self.mark_done = self._make(
            "Mark Document &Done",
            "Ctrl+D",
            t.toggle_done,
            "done",
            tip="Mark this document done for you (again to reopen it)",
        )
        self.mark_done.setCheckable(True)
        self.next_annotation = self._make("Next Annotation", "F8", lambda: w.step_annotation(1))
        self.previous_annotation = self._make(
            "Previous Annotation", "Shift+F8", lambda: w.step_annotation(-1)
        )
        self.clear_selection = self._make("Clear Selection", "Escape", w.clear_selection)
        # Escape belongs to the text: in a panel's editor it must keep its usual meaning
        w.removeAction(self.clear_selection)
        self.clear_selection.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        w.text_view.addAction(self.clear_selection)

        # View
        self.zoom_in = self._make("Zoom &In", ["Ctrl+=", "Ctrl++"], w.text_view.zoom_in, "zoom-in")
        self.zoom_out = self._make("Zoom &Out", "Ctrl+-", w.text_view.zoom_out, "zoom-out")
        self.zoom_reset = self._make("&Actual Size", "Ctrl+0", w.text_view.zoom_reset)
        self.next_document = self._make(
            "&Next Document", ["Ctrl+PgDown", "Alt+Right"], lambda: w.step_document(1), "next"
        )
        self.previous_document = self._make(
            "&Previous Document",
            ["Ctrl+PgUp", "Alt+Left"],
            lambda: w.step_document(-1),
            "previous",
        )
        self.show_other_layers = self._make(
            "Show &All Layers",
            "Ctrl+Shift+L",
            w.toggle_other_layers,
            "layers",
            tip="Show the other annotators' layers (read-only, dashed)",
        )
        self.show_other_layers.setCheckable(True)
        self.show_links = self._make(
            "Show Lin&ks",
            "Ctrl+Shift+J",
            w.text_view.link_arcs.set_shown,
            tip="Draw links as arcs between the spans they join (Ctrl+drag from one to "
            "another to link them)",
        )
        self.show_links.setCheckable(True)
        self.show_links.setChecked(w.text_view.link_arcs.shown)

        # Tools
        self.correct_text = self._make(
            "&Correct Text",
            "Ctrl+Shift+E",
            w.correction.set_enabled,
            "correct-text",
            tip="Make the text editable to fix extraction errors; annotations move with it",
        )
        self.correct_text.setCheckable(True)

        # Help
        self.shortcuts = self._make("&Keyboard Shortcuts", "F1", w.show_shortcuts)
        self.about = self._make("&About Annotator", "Shift+F1", w.show_about)
        self.about.setMenuRole(QAction.MenuRole.AboutRole)

        self.tag_actions: list[QAction] = []
        self.exact_tag_actions: list[QAction] = []

        stack = w.session.undo_stack
        stack.canUndoChanged.connect(self.undo.setEnabled)
        stack.canRedoChanged.connect(self.redo.setEnabled)
        stack.undoTextChanged.connect(lambda t: self.undo.setText(f"&Undo {t}".strip()))
        stack.redoTextChanged.connect(lambda t: self.redo.setText(f"&Redo {t}".strip()))
        self.undo.setEnabled(stack.canUndo())
        self.redo.setEnabled(stack.canRedo())

    def _make(
        self,
        text: str,
        shortcut: str | list[str] | list[QKeySequence],
        slot: object,
        icon_name: str = "",
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self.window)
        keys = [shortcut] if isinstance(shortcut, str) else shortcut
        action.setShortcuts([k if isinstance(k, QKeySequence) else QKeySequence(k) for k in keys])
        # The platform's standard bindings list aliases after the primary key (Undo is
        # "Ctrl+Z, Alt+Backspace, F14, Undo" on X11): Help > Keyboard Shortcuts names the first.
        action.setProperty("primary_only", any(isinstance(k, QKeySequence) for k in keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if icon_name:
            action.setIcon(icon(icon_name))
        plain = text.replace("&", "").rstrip("…")
        first = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip or plain} ({first})" if first else (tip or plain))
        action.setStatusTip(tip or plain)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        self.window.addAction(action)
        self.all.append(action)
        return action

    def rebuild_tag_actions(self) -> None:
        """One action per tag with its shortcut digit, and an 'exact' twin on Alt+digit."""
        for a in self.tag_actions + self.exact_tag_actions:
            self.window.removeAction(a)
            if a in self.all:
                self.all.remove(a)
            a.deleteLater()
        self.tag_actions, self.exact_tag_actions = [], []
        for n, tt in enumerate(self.window.session.project.tagset.tags, start=1):
            key = tt.shortcut or (str(n) if n <= 9 else "")
            a = self._make(
                f"Tag as {tt.label}",
                key,
                lambda _=False, name=tt.name: self.window.tag_selection(name),
                tip=f"Tag the selected words as {tt.label}",
            )
            a.setIcon(swatch(tt.color))
            a.setIconText(tt.label)
            a.setData(tt.name)
            exact = self._make(
                f"Tag Exact Selection as {tt.label}",
                f"Alt+{key}" if key else "",
                lambda _=False, name=tt.name: self.window.tag_selection(name, exact=True),
                tip=f"Tag exactly the selected characters as {tt.label}",
            )
            exact.setData(tt.name)
            self.tag_actions.append(a)
            self.exact_tag_actions.append(exact)

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
