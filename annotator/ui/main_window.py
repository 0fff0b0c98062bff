"""The main window: composes the text view, find bar, panels, actions, menus and review mode.

The behaviour lives in small modules (file_ops, tagging, recovery, find_bar,
text_correction, docks, review, …); this class builds them, hands each the
session and the notifier, and connects the actions to them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMenu, QVBoxLayout, QWidget

from annotator.model import Project
from annotator.ui import keymap, settings
from annotator.ui.about import show_about, show_shortcuts
from annotator.ui.actions import Actions
from annotator.ui.docks import build_docks
from annotator.ui.export_dialog import ExportDialog
from annotator.ui.file_ops import FileOps, new_project
from annotator.ui.find_bar import FindBar
from annotator.ui.git_menu import GitMenu
from annotator.ui.menus import build_menus, build_toolbars, fill_tag_menus
from annotator.ui.notifier import Notifier
from annotator.ui.overview import OverviewDock
from annotator.ui.overview.views import add_views
from annotator.ui.preferences import show_preferences
from annotator.ui.recovery import Recovery
from annotator.ui.review.mode import ReviewMode
from annotator.ui.session import ProjectSession
from annotator.ui.status import DocumentHeader, StatusWidgets
from annotator.ui.suggestions import Suggestions
from annotator.ui.tagging import Tagger
from annotator.ui.tagset_editor import TagSetEditor
from annotator.ui.text_correction import Correction
from annotator.ui.text_view import TextView
from annotator.ui.window_layout import WindowLayout

log = logging.getLogger(__name__)


def looks_like_project(path: Path) -> bool:
    """An annotator project file (rather than a release to import)?"""
    if path.suffix.lower() != ".xml" or not path.is_file():
        return False
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    return b"<annotator-project" in head


class MainWindow(QMainWindow):
    def __init__(
        self,
        user: str,
        project: Project | None = None,
        *,
        path: Path | None = None,
        disk_sha256: str | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.session = ProjectSession(project or new_project(), user, self)
        self.session.path = path
        self.session.disk_sha256 = disk_sha256
        self.notifier = Notifier(self, self.statusBar())
        self.closing_confirmed = False
        self.tagset_editor: TagSetEditor | None = None

        # the text, the panels around it, and the layout keeper the passing modes use
        session, notifier = self.session, self.notifier
        self.text_view = TextView(session, self)
        self.text_view.base_point_size = settings.font_size()
        self.text_view.set_point_size(self.text_view.base_point_size)
        self.text_view.statusMessage.connect(notifier.status)
        self.text_view.run = notifier.run  # a link drawn with Ctrl+drag, under the one rule
        self.docks = build_docks(self, session, notifier, self.tag_selection)
        self.window_layout = WindowLayout(self, self.docks)

        # central area: header, text, find bar
        self.header = DocumentHeader(session, self)
        self.correction_banner = QLabel(
            "Correcting text — edits change the release itself; annotations move with them. "
            f"{keymap.key_text('tools.correct_text')} to stop.",
            self,
        )
        self.correction_banner.setStyleSheet(
            "background: #FFF3CD; color: #5C4400; padding: 6px 18px;"
            " border-bottom: 1px solid #E8D9A8;"
        )
        self.correction_banner.setWordWrap(True)  # never widens the text's column
        self.correction_banner.hide()
        self.find_bar = FindBar(session, self.text_view, notifier, self.window_layout, self)
        central = QWidget(self)
        box = QVBoxLayout(central)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.header)
        box.addWidget(self.correction_banner)
        box.addWidget(self.text_view, 1)
        box.addWidget(self.find_bar)
        self.setCentralWidget(central)

        # behaviour: each part gets the session, the text view and the notifier it uses
        self.recovery = Recovery(session, notifier)
        self.file_ops = FileOps(session, notifier, self.recovery, self.text_view)
        self.tagger = Tagger(session, self.text_view, notifier)
        self.correction = Correction(session, self.text_view, notifier, self.window_layout)
        self.suggestions = Suggestions(session, self.text_view, notifier, self)
        self.ui_actions = Actions(self)
        self.correction.toggled.connect(self._on_correction_toggled)
        self.text_view.context_actions = self._text_menu_actions
        self.menus: dict[str, QMenu] = build_menus(
            self.menuBar(), self.ui_actions, self.session, self.file_ops.open_path
        )
        self.suggestions.fill_menu(self.menus["tools"].addMenu("&Suggestions"))
        self.main_toolbar, self.tag_toolbar = build_toolbars(self, self.ui_actions)
        self.tag_toolbar.hide()  # the Tags panel shows the same buttons
        self.review = ReviewMode(
            self.session,
            self.notifier,
            self,
            self.text_view,
            self.menus["review"],
            self.window_layout,
            beside=self.docks.annotations,
        )
        self.file_ops.conflict_actions.extend(self.review.conflict_actions)
        self.git = GitMenu(
            self.session,
            self.notifier,
            self.file_ops,
            self.review,
            self,
            self.menus["file"],
            self.ui_actions.import_releases,
            self.statusBar(),
        )
        # the corpus at a glance, under the text; the Focus layout hides it
        self.overview = OverviewDock(session, notifier, self.docks.annotations, self)
        self.overview.place()
        add_views(self.overview, session, self.text_view)
        self.window_layout.mode_docks.append(self.overview)
        self._connect_actions()
        self._fill_dock_menus()
        self.status = StatusWidgets(
            session,
            self.text_view,
            self.statusBar(),
            self.header,
            self.ui_actions.mark_done,
            self.update_title,
        )
        self._on_project_replaced()
        self.session.projectReplaced.connect(self._on_project_replaced)
        self.session.tagsetChanged.connect(self._on_tagset_changed)
        self.session.fileStateChanged.connect(self.update_title)
        self.session.currentDocumentChanged.connect(self._remember_document)
        self.session.visibleLayersChanged.connect(self._sync_layers_action)
        self.session.visibleLayersChanged.connect(self._remember_layers)

        self._restore_geometry()
        self.setAcceptDrops(True)
        self.text_view.setAcceptDrops(False)  # drops go to the window: open or import
        self.text_view.setFocus()

    def _connect_actions(self) -> None:
        a, f, t, view = self.ui_actions, self.file_ops, self.tagger, self.text_view
        stack = self.session.undo_stack
        slots: list[tuple[QAction, Callable[[], object]]] = [
            (a.new, f.new_project),
            (a.open, f.open_dialog),
            (a.save, f.save),
            (a.save_as, f.save_as),
            (a.import_releases, f.import_dialog),
            (a.import_folder, f.import_folder_dialog),
            (a.export, self.show_export),
            (a.close_window, self.close),
            (a.quit, self.quit_app),
            (a.undo, stack.undo),
            (a.redo, stack.redo),
            (a.find, self.find_bar.open),
            (a.find_next, self.find_bar.next),
            (a.find_previous, self.find_bar.previous),
            (a.preferences, self.show_preferences),
            (a.add_fragment, t.add_fragment),
            (a.grow_end, lambda: t.resize_selected("end", True)),
            (a.shrink_end, lambda: t.resize_selected("end", False)),
            (a.grow_start, lambda: t.resize_selected("start", True)),
            (a.shrink_start, lambda: t.resize_selected("start", False)),
            (a.delete, t.delete_selected),
            (a.mark_checked, t.mark_checked),
            (a.mark_done, t.toggle_done),
            (a.next_item, lambda: self.step(1)),
            (a.previous_item, lambda: self.step(-1)),
            (a.clear_selection, self.clear_selection),
            (a.zoom_in, view.zoom_in),
            (a.zoom_out, view.zoom_out),
            (a.zoom_reset, view.zoom_reset),
            (a.next_document, lambda: self.step_document(1)),
            (a.previous_document, lambda: self.step_document(-1)),
            (a.tagset, self.show_tagset_editor),
            (a.shortcuts, self.show_shortcuts),
            (a.about, self.show_about),
        ]
        for action, slot in slots:
            action.triggered.connect(lambda _c=False, run=slot: run())
        a.show_other_layers.triggered.connect(self.toggle_other_layers)
        a.show_links.setChecked(view.link_arcs.shown)
        a.show_links.triggered.connect(view.link_arcs.set_shown)
        a.correct_text.triggered.connect(self.correction.set_enabled)
        # Escape belongs to the text: in a panel's editor it keeps its usual meaning
        self.removeAction(a.clear_selection)
        view.addAction(a.clear_selection)
        stack.canUndoChanged.connect(a.undo.setEnabled)
        stack.canRedoChanged.connect(a.redo.setEnabled)
        stack.undoTextChanged.connect(lambda text: a.undo.setText(f"&Undo {text}".strip()))
        stack.redoTextChanged.connect(lambda text: a.redo.setText(f"&Redo {text}".strip()))
        a.undo.setEnabled(stack.canUndo())
        a.redo.setEnabled(stack.canRedo())

    def _fill_dock_menus(self) -> None:
        d, menus = self.docks, self.menus
        menus["panels"].addActions([dock.toggleViewAction() for dock in d.all()])
        view = menus["view"]
        view.addSeparator()
        view.addAction(self.overview.toggle_action)
        view.addActions([self.window_layout.focus_action, self.window_layout.reset_action])
        status_menu = menus["annotate"].addMenu("Document &Status")
        status_menu.addActions(list(d.documents.status_actions.values()))
        help_menu = menus["help"]
        help_menu.insertAction(help_menu.actions()[0], d.guidelines_action)

    # --- the parts' glue ----------------------------------------------------------

    def tag_selection(self, tag: str, exact: bool = False) -> None:
        self.tagger.tag_selection(tag, exact=exact)

    def _on_correction_toggled(self, on: bool) -> None:
        self.ui_actions.correct_text.setChecked(on)
        self.ui_actions.set_tagging_enabled(not on)
        self.correction_banner.setVisible(on)
        self.suggestions.set_paused(on)  # Enter and Backspace type while correcting

    def _text_menu_actions(self) -> tuple[list[QAction], list[QAction]]:
        a = self.ui_actions
        return a.tag_actions, [a.add_fragment, a.delete, a.mark_checked]

    def show_export(self) -> None:
        ExportDialog(self.session, self.notifier, self).exec()

    # --- project -----------------------------------------------------------------------

    def set_project(self, project: Project, path: Path | None, sha: str | None) -> None:
        self.session.set_project(project, path, sha)

    def _on_tagset_changed(self) -> None:
        self.ui_actions.rebuild_tag_actions(self.session.project.tagset, self.tag_selection)
        fill_tag_menus(self.menus, self.ui_actions, self.tag_toolbar)
        if self.correction.enabled:  # digits type text while correcting: new tag keys too
            self.ui_actions.set_tagging_enabled(False)

    def _on_project_replaced(self) -> None:
        self._on_tagset_changed()
        if self.correction.enabled:
            self.correction.set_enabled(False)
        self.status.update_all()
        self.header.update_header()
        self.update_title()

    def _remember_document(self, doc_id: str) -> None:
        if self.session.path is not None and doc_id:
            settings.set_last_document(self.session.path, doc_id)

    def _remember_layers(self) -> None:
        s = self.session
        if s.path is not None:
            settings.set_shown_layers(s.path, [n for n in s.visible_layers if n != s.user])

    def update_title(self) -> None:
        s = self.session
        name = s.path.name if s.path else "Untitled"
        project = s.project.name
        label = (
            f"{project} — {name}" if project and project not in (name, Path(name).stem) else name
        )
        self.setWindowTitle(f"{label}[*] — Annotator")
        self.setWindowModified(s.modified)

    # --- navigation -------------------------------------------------------------------

    def step_document(self, delta: int) -> None:
        """The next or previous release in the Documents panel's order and filter."""
        docs = self.docks.documents
        (docs.select_next if delta > 0 else docs.select_previous)()

    def step(self, delta: int) -> None:
        """F8 / Shift+F8: the next disagreement in review mode, else the next annotation."""
        if self.review.active:
            self.review.step(delta > 0)
        else:
            self.step_annotation(delta)

    def step_annotation(self, delta: int) -> None:
        s = self.session
        layer = s.project.layers.get(s.layer)
        da = layer.docs.get(s.current_doc_id) if layer else None
        if not da or not da.annotations:
            return
        anns = da.sorted_annotations()
        ids = [a.id for a in anns]
        cur = s.selected[1] if s.selected[0] == s.layer else ""
        if cur in ids:
            j = (ids.index(cur) + delta) % len(ids)
        else:
            pos = self.text_view.cursor_cp()
            after = [k for k, a in enumerate(anns) if a.start >= pos]
            j = (after[0] if after else 0) if delta > 0 else ((after[0] - 1) if after else -1)
        s.select(s.layer, ids[j])
        self.text_view.show_annotation(anns[j])

    def clear_selection(self) -> None:
        focus = QApplication.focusWidget()
        if self.find_bar.isVisible() and focus is not None and self.find_bar.isAncestorOf(focus):
            self.find_bar.close_bar()
            return
        self.session.cancel_pick()
        self.text_view.link_arcs.cancel_drag()  # a link being drawn with Ctrl+drag
        self.text_view.clear_text_selection()
        self.session.select("", "")

    def _sync_layers_action(self) -> None:
        s = self.session
        others = [n for n in s.project.layers if n != s.layer]
        self.ui_actions.show_other_layers.setChecked(any(n in s.visible_layers for n in others))

    def toggle_other_layers(self, on: bool) -> None:
        s = self.session
        for name in s.project.layers:
            if name != s.layer:
                s.set_layer_visible(name, on)

    # --- dialogs --------------------------------------------------------------------------

    def show_preferences(self) -> None:
        show_preferences(self, self.session, self.text_view, self.notifier)

    def show_tagset_editor(self) -> TagSetEditor:
        """Project > Tag Set…: one editor per window, made when first asked for."""
        if self.tagset_editor is None:
            self.tagset_editor = TagSetEditor(
                self.session, self.notifier, self, show_guidelines=self.docks.show_guidelines
            )
        self.tagset_editor.show()
        self.tagset_editor.raise_()
        self.tagset_editor.activateWindow()
        return self.tagset_editor

    def show_about(self) -> None:
        show_about(self)

    def show_shortcuts(self) -> None:
        show_shortcuts(self, self.ui_actions.tag_actions)

    # --- drag and drop: a project opens, anything else is imported ---------------------

    def dragEnterEvent(self, e: QDragEnterEvent) -> None:
        if e.mimeData().hasUrls() and any(u.isLocalFile() for u in e.mimeData().urls()):
            e.acceptProposedAction()

    def dropEvent(self, e: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in e.mimeData().urls() if u.isLocalFile()]
        if not paths:
            return
        e.acceptProposedAction()
        if len(paths) == 1 and looks_like_project(paths[0]):
            self.file_ops.open_path(paths[0])
        else:
            self.file_ops.import_paths(paths)

    # --- closing -----------------------------------------------------------------------------

    def quit_app(self) -> None:
        if self.close():
            app = QApplication.instance()
            if app is not None and not any(
                isinstance(w, MainWindow) and w.isVisible() for w in QApplication.topLevelWidgets()
            ):
                app.quit()

    def closeEvent(self, e: QCloseEvent) -> None:
        if self.file_ops.saving:  # the worker is writing the file: let it finish
            e.ignore()
            return
        if not self.closing_confirmed and not self.file_ops.maybe_save():
            e.ignore()
            return
        self.closing_confirmed = True
        self.git.shutdown()
        if not self.session.modified:
            self.recovery.remove()
        self._save_geometry()
        e.accept()

    def _restore_geometry(self) -> None:
        s = settings.app_settings()
        geo = s.value("window/geometry")
        if isinstance(geo, QByteArray) and not geo.isEmpty():
            self.restoreGeometry(geo)
        else:
            # a first start: roomy on a desktop, never larger than a laptop's screen
            screen = self.screen() or QGuiApplication.primaryScreen()
            room = screen.availableGeometry() if screen is not None else None
            if room is not None and room.isValid():
                self.resize(min(1440, room.width()), min(900, room.height()))
            else:
                self.resize(1440, 900)
        state = s.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            # the layout the user left; otherwise the window layout gives the default on show
            self.window_layout.restored = bool(self.restoreState(state))

    def _save_geometry(self) -> None:
        s = settings.app_settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("view/font_size", self.text_view.base_point_size)


__all__ = ["MainWindow", "Qt"]
