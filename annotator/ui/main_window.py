"""The main window: composes the text view, find bar, actions, menus and plug-ins.

The behaviour lives in small modules (file_ops, tagging, recovery, find_bar,
text_correction, …); this class wires them together and carries the public
contract the dock, export and review plug-ins use: ``session``, ``menus``,
``text_view``, ``docks``, ``conflict_actions``, ``show_error`` and
``tag_selection``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMenu, QVBoxLayout, QWidget

from annotator.errors import AnnotatorError
from annotator.model import Project
from annotator.ui import dialogs, settings
from annotator.ui.about import show_about, show_shortcuts
from annotator.ui.actions import Actions
from annotator.ui.extensions import (
    install_docks,
    install_extensions,
    resolve_shortcut_conflicts,
)
from annotator.ui.file_ops import FileOps, new_project
from annotator.ui.find_bar import FindBar
from annotator.ui.menus import build_menus, build_toolbars, fill_tag_menus
from annotator.ui.preferences import show_preferences
from annotator.ui.recovery import Recovery
from annotator.ui.session import ProjectSession
from annotator.ui.status import DocumentHeader, StatusWidgets
from annotator.ui.tagging import Tagger
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
        plugins: bool = True,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.session = ProjectSession(project or new_project(), user, self)
        self.session.path = path
        self.session.disk_sha256 = disk_sha256
        self.conflict_actions: list[tuple[str, Callable[[], None]]] = []
        self.docks: Any = None
        #: the dock layout keeper (None without panels); passing modes snapshot through it
        self.window_layout: WindowLayout | None = None
        self.layout_restored = False
        self.closing_confirmed = False

        # central area: header, text, find bar
        self.text_view = TextView(self.session, self)
        self.text_view.base_point_size = settings.font_size()
        self.text_view.set_point_size(self.text_view.base_point_size)
        self.header = DocumentHeader(self)
        self.correction_banner = QLabel(
            "Correcting text — edits change the release itself; annotations move with them. "
            "Ctrl+Shift+E to stop.",
            self,
        )
        self.correction_banner.setStyleSheet(
            "background: #FFF3CD; color: #5C4400; padding: 6px 18px;"
            " border-bottom: 1px solid #E8D9A8;"
        )
        self.correction_banner.setWordWrap(True)  # never widens the text's column
        self.correction_banner.hide()
        self.find_bar = FindBar(self)
        central = QWidget(self)
        box = QVBoxLayout(central)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.header)
        box.addWidget(self.correction_banner)
        box.addWidget(self.text_view, 1)
        box.addWidget(self.find_bar)
        self.setCentralWidget(central)

        # behaviour
        self.file_ops = FileOps(self)
        self.tagger = Tagger(self)
        self.recovery = Recovery(self)
        self.correction = Correction(self)
        self.actions = Actions(self)
        self.menus: dict[str, QMenu] = build_menus(self)
        build_toolbars(self)
        self.status = StatusWidgets(self)
        self._on_project_replaced()
        self.session.projectReplaced.connect(self._on_project_replaced)
        self.session.fileStateChanged.connect(self.update_title)
        self.session.currentDocumentChanged.connect(self._remember_document)
        self.session.visibleLayersChanged.connect(self._sync_layers_action)
        self.session.visibleLayersChanged.connect(self._remember_layers)

        if plugins:
            try:
                self.docks = install_docks(self)
            except Exception as err:  # a broken panel must not take the editor down
                log.exception("docks failed")
                self.statusBar().showMessage(f"Panels failed to load: {err}", 10000)
            if self.docks is not None:
                self.window_layout = WindowLayout(self, self.docks)
                view = self.menus["view"]
                view.addSeparator()
                view.addActions([self.window_layout.focus_action, self.window_layout.reset_action])
            install_extensions(self)
            resolve_shortcut_conflicts(self)
            # plug-ins rebuild their actions on a new project too: settle keys after them
            self.session.projectReplaced.connect(lambda: resolve_shortcut_conflicts(self))
        review = self.menus["review"]
        review.menuAction().setVisible(bool(review.actions()))
        if getattr(self.docks, "palette", None) is not None:
            self.tag_toolbar.hide()  # the Tags panel shows the same buttons
        self._restore_geometry()
        self.setAcceptDrops(True)
        self.text_view.setAcceptDrops(False)  # drops go to the window: open or import
        self.text_view.setFocus()

    # --- contract ------------------------------------------------------------------

    def show_error(self, err: BaseException, title: str = "") -> None:
        """One clear dialog; user errors show their one-sentence message."""
        if isinstance(err, AnnotatorError):
            message, details = str(err), ""
        elif isinstance(err, OSError):
            where = f"{err.filename}: " if err.filename else ""
            message, details = f"{where}{err.strerror or err}", ""
        else:
            message, details = str(err) or type(err).__name__, repr(err)
        dialogs.show_error(self, title or "Annotator", message, details)

    def tag_selection(self, tag: str, exact: bool = False) -> None:
        self.tagger.tag_selection(tag, exact=exact)

    # --- project -----------------------------------------------------------------------

    def set_project(self, project: Project, path: Path | None, sha: str | None) -> None:
        self.session.set_project(project, path, sha)

    def _on_project_replaced(self) -> None:
        self.actions.rebuild_tag_actions()
        fill_tag_menus(self)
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
        docs = self.docks.documents if self.docks is not None else None
        if docs is not None and hasattr(docs, "select_next"):
            (docs.select_next if delta > 0 else docs.select_previous)()
            return
        ids = list(self.session.project.documents)
        if not ids:
            return
        cur = self.session.current_doc_id
        i = ids.index(cur) if cur in ids else -1
        j = max(0, min(len(ids) - 1, i + delta))
        self.session.set_current_document(ids[j])

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
        if self.find_bar.isVisible() and self.find_bar.isAncestorOf(QApplication.focusWidget()):
            self.find_bar.close_bar()
            return
        self.session.cancel_pick()
        self.text_view.clear_text_selection()
        self.session.select("", "")

    def _sync_layers_action(self) -> None:
        s = self.session
        others = [n for n in s.project.layers if n != s.layer]
        self.actions.show_other_layers.setChecked(any(n in s.visible_layers for n in others))

    def toggle_other_layers(self, on: bool) -> None:
        s = self.session
        for name in s.project.layers:
            if name != s.layer:
                s.set_layer_visible(name, on)

    # --- dialogs --------------------------------------------------------------------------

    def show_preferences(self) -> None:
        show_preferences(self)

    def show_about(self) -> None:
        show_about(self)

    def show_shortcuts(self) -> None:
        show_shortcuts(self)

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
            self.layout_restored = bool(self.restoreState(state))

    def _save_geometry(self) -> None:
        s = settings.app_settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("view/font_size", self.text_view.base_point_size)


__all__ = ["MainWindow", "Qt"]
