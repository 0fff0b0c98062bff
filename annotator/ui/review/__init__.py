"""Review mode in the GUI: merge colleagues' files, step through disagreements, adjudicate.

``install(window)`` is called by ``annotator.ui.extensions``. It adds the Review
menu (``window.menus["review"]``), the review dock, the F8 / Shift+F8 keys and
the "Merge their changes" button of the changed-on-disk dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from annotator.review.compare import Item
from annotator.review.merge import MergeReport
from annotator.review.report import to_csv, to_html, to_json
from annotator.ui.review.controller import ReviewController
from annotator.ui.review.dock import ReviewDock
from annotator.wording import count

__all__ = ["ReviewController", "ReviewDock", "install"]


def _report_text(report: MergeReport, limit: int = 25) -> str:
    lines = report.summary()
    if len(lines) > limit:
        lines = [*lines[:limit], f"… and {len(lines) - limit} more."]
    return "\n".join(lines)


class _ReviewUi:
    """Menu actions and dialogs around the controller (kept on the window as ``review``)."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.controller = ReviewController(window.session, window)
        self.text_view = getattr(window, "text_view", None)
        self.controller.itemSelected.connect(self.reveal)
        self.dock = ReviewDock(self.controller, window)
        # wide, under the text, in a tab beside the annotation list when there is one
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        docks = getattr(window, "docks", None)
        annotations = getattr(docks, "annotations", None)
        if annotations is not None:
            window.tabifyDockWidget(annotations, self.dock)
        self.dock.hide()
        #: the panels' layout before review mode, given back exactly when it ends
        self.dock.visibilityChanged.connect(self._on_dock_visible)
        menus = getattr(window, "menus", None)
        if menus is None:
            menus = window.menus = {}
        menu = menus.get("review")
        if menu is None:
            menu = window.menuBar().addMenu("&Review")
            menus["review"] = menu
        self.menu: QMenu = menu
        menu.menuAction().setVisible(True)
        self.merge_action = self._action("Add colleague's annotations…", self.merge_dialog)
        self.mode_action = self._action("Review mode", self.toggle_mode, "Ctrl+Shift+R")
        self.mode_action.setCheckable(True)
        self.next_action = self._action("Next disagreement", lambda: self.step(True), "F8")
        self.prev_action = self._action(
            "Previous disagreement", lambda: self.step(False), "Shift+F8"
        )
        menu.addSeparator()
        self.accept_first_action = self._action("Accept first layer", lambda: self.decide(0), "F9")
        self.accept_second_action = self._action(
            "Accept second layer", lambda: self.decide(1), "F10"
        )
        self.accept_all_action = self._action("Accept all sides", lambda: self.decide("all"), "F11")
        self.reject_action = self._action("Reject", lambda: self.decide("reject"), "F12")
        self.exact_action = self._action("Accept all exact matches", self.accept_exact)
        self.comment_action = self._action("Comment on selected annotation…", self.dock._comment)
        menu.addSeparator()
        self.agree_action = self._action("Agreement table", self.show_agreement)
        self.export_action = self._action("Export agreement…", self.export_agreement)
        conflict = getattr(window, "conflict_actions", None)
        if conflict is not None:
            conflict.append(("Merge their changes", self.merge_from_disk))

    def _action(self, text: str, slot: Any, shortcut: str = "") -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.menu.addAction(action)
        self.window.addAction(action)
        return action

    def _error(self, err: BaseException) -> None:
        show = getattr(self.window, "show_error", None)
        if show is None:
            raise err
        show(err)

    # --- mode ----------------------------------------------------------------------------

    def enter(self) -> None:
        if not self.controller.active:
            self.controller.start()
            self.dock.sync_layers()
        if self.dock.isHidden():
            keeper = getattr(self.window, "window_layout", None)
            if keeper is not None:
                keeper.hold(self)
            self.dock.show()
            self._share_the_bottom()
            self.window.resizeDocks(
                [self.dock], [max(360, self.window.height() // 2)], Qt.Orientation.Vertical
            )
        self.dock.raise_()
        self.mode_action.setChecked(True)

    def _share_the_bottom(self) -> None:
        """Review wants most of the window's width: where the annotation list sits
        beside it under the text, review takes three quarters (the layout keeper gives
        the old sizes back when review ends). Not a tab beside the list: Qt leaves a
        hidden dock's tab bar standing after the layout is given back."""
        docks = getattr(self.window, "docks", None)
        annotations = getattr(docks, "annotations", None)
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        if (
            annotations is not None
            and annotations.isVisible()
            and self.window.dockWidgetArea(annotations) == bottom
            and self.window.dockWidgetArea(self.dock) == bottom
            and annotations not in self.window.tabifiedDockWidgets(self.dock)
        ):
            width = self.window.width()
            self.window.resizeDocks(
                [self.dock, annotations], [width * 3 // 4, width // 4], Qt.Orientation.Horizontal
            )

    def leave(self) -> None:
        self.controller.stop()
        self.dock.hide()
        self.mode_action.setChecked(False)
        self._give_back_layout()

    def _give_back_layout(self) -> None:
        keeper = getattr(self.window, "window_layout", None)
        if keeper is not None:
            keeper.release(self)

    def toggle_mode(self) -> None:
        if self.controller.active and not self.dock.isHidden():
            self.leave()
        else:
            self.enter()

    def _on_dock_visible(self, visible: bool) -> None:
        # closed, not merely behind another tab: review mode ends
        if not visible and self.dock.isHidden() and self.controller.active:
            self.controller.stop()
            self.mode_action.setChecked(False)
            QTimer.singleShot(0, self._give_back_layout)  # not inside the dock's own hiding

    def step(self, forward: bool) -> None:
        self.enter()
        self.controller.step(forward)

    def decide(self, what: int | str) -> None:
        """Keyboard decisions on the current item: accept layer N, all sides, or reject."""
        ctl = self.controller
        if not ctl.active or ctl.current is None:
            return
        try:
            if what == "all":
                ctl.accept_all_sides()
            elif what == "reject":
                ctl.reject()
            elif isinstance(what, int) and what < len(ctl.layers):
                layer = ctl.layers[what]
                if layer in ctl.current.members:
                    ctl.accept_side(layer)
        except Exception as err:
            self._error(err)

    def accept_exact(self) -> None:
        self.enter()
        try:
            self.controller.accept_exact_matches()
        except Exception as err:
            self._error(err)

    def show_agreement(self) -> None:
        """The Agreement tab; it measures the project itself, showing its progress."""
        self.enter()
        self.dock.tabs.setCurrentWidget(self.dock.agreement_tab)
        self.dock.agreement_tab.ensure()

    def reveal(self, item: Item) -> None:
        """Scroll the text to the chosen item, however far down the release it is."""
        view = self.text_view
        if view is None or item.doc_id != self.controller.session.current_doc_id:
            return
        layer, ann_id = self.controller.session.selected
        ann = view.annotation(layer, ann_id) if ann_id else None
        if ann is None:
            layer, ann_id = item.refs()[0]
            ann = view.annotation(layer, ann_id)
        if ann is not None:
            view.show_annotation(ann)

    def export_agreement(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            "Export agreement",
            "agreement.html",
            "HTML (*.html);;CSV (*.csv);;JSON (*.json)",
        )
        if not path:
            return
        try:
            self.write_agreement(Path(path))
        except Exception as err:
            self._error(err)

    def write_agreement(self, path: Path) -> None:
        from annotator.formats.atomic import atomic_write_bytes

        if self.controller.agreement is None:
            self.controller.refresh_agreement()
        report = self.controller.agreement
        if report is None:
            return
        suffix = path.suffix.lower()
        text = (
            to_csv(report)
            if suffix == ".csv"
            else to_json(report)
            if suffix == ".json"
            else to_html(report)
        )
        atomic_write_bytes(path, text.encode("utf-8"))

    # --- merging ------------------------------------------------------------------------------

    def merge_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self.window,
            "Add colleague's annotations",
            "",
            "Annotator projects (*.xml);;All files (*)",
        )
        for path in paths:
            try:
                report = self.controller.merge_file(path, ask_reanchor=self._ask_reanchor)
            except Exception as err:
                self._error(err)
                return
            self._info(f"Merged {Path(path).name}", report)

    def _ask_reanchor(self, report: MergeReport) -> bool:
        n = len(report.documents_differing)
        answer = QMessageBox.question(
            self.window,
            "Texts differ",
            f"{count(n, 'document')} {'has' if n == 1 else 'have'} a different text in their file, "
            "so their annotations were not "
            "merged. Place them on your text by the text they cover? Those that cannot be placed "
            "are listed afterwards.",
        )
        return answer == QMessageBox.StandardButton.Yes

    def merge_from_disk(self) -> None:
        try:
            report = self.controller.merge_from_disk()
        except Exception as err:
            self._error(err)
            return
        if report is not None:
            self._info("Merged their changes", report)

    def _info(self, title: str, report: MergeReport) -> None:
        """The merge report: the summary line, the details on demand."""
        lines = report.summary()
        try:
            from annotator.ui import dialogs
        except ImportError:
            QMessageBox.information(self.window, title, _report_text(report))
            return
        dialogs.show_info(self.window, title, lines[0], "\n".join(lines[1:]))


def install(window: Any) -> ReviewController:
    ui = _ReviewUi(window)
    window.review = ui
    return ui.controller
