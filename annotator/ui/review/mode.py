"""Review mode in the GUI: merge colleagues' files, step through disagreements, adjudicate.

:class:`ReviewMode` holds the Review menu's actions, the review dock and the
"Merge their changes" answer to a file changed on disk. F8 / Shift+F8 are the
window's one pair of stepping keys: in review mode the window hands them to
:meth:`ReviewMode.step`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMainWindow, QMenu, QMessageBox

from annotator.formats.atomic import atomic_write_bytes
from annotator.review.compare import Item
from annotator.review.merge import MergeReport
from annotator.review.report import to_csv, to_html, to_json
from annotator.ui import keymap
from annotator.ui.notifier import Notifier
from annotator.ui.review.controller import ReviewController
from annotator.ui.review.dock import ReviewDock
from annotator.ui.session import ProjectSession
from annotator.ui.text_view import TextView
from annotator.ui.window_layout import WindowLayout
from annotator.wording import count


class ReviewMode(QObject):
    """The Review menu, the review dock, and the decisions made from the keyboard."""

    def __init__(
        self,
        session: ProjectSession,
        notifier: Notifier,
        host: QMainWindow,
        text_view: TextView,
        menu: QMenu,
        layout: WindowLayout,
        beside: QDockWidget | None = None,
    ) -> None:
        super().__init__(host)
        self.host = host
        self.text_view = text_view
        self.notifier = notifier
        self.layout = layout
        self.menu = menu
        self.annotations = beside
        self.controller = ReviewController(session, host)
        self.controller.itemSelected.connect(self.reveal)
        self.dock = ReviewDock(self.controller, notifier, host)
        # wide, under the text, in a tab beside the annotation list
        host.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        if beside is not None:
            host.tabifyDockWidget(beside, self.dock)
        self.dock.hide()
        layout.mode_docks.append(self.dock)
        self.dock.visibilityChanged.connect(self._on_dock_visible)
        self.actions: list[QAction] = []
        self.merge_action = self._action("review.merge", self.merge_dialog)
        self.mode_action = self._action("review.mode", self.toggle_mode)
        self.mode_action.setCheckable(True)
        menu.addSeparator()
        self.accept_first_action = self._action("review.accept_first", lambda: self.decide(0))
        self.accept_second_action = self._action("review.accept_second", lambda: self.decide(1))
        self.accept_all_action = self._action("review.accept_all", lambda: self.decide("all"))
        self.reject_action = self._action("review.reject", lambda: self.decide("reject"))
        self.exact_action = self._action("review.accept_exact", self.accept_exact)
        self.comment_action = self._action("review.comment", self.dock._comment)
        menu.addSeparator()
        self.agree_action = self._action("review.agreement", self.show_agreement)
        self.export_action = self._action("review.export_agreement", self.export_agreement)
        menu.addSeparator()
        self.conflicts_action = self._action("review.conflicts", self.show_conflicts)
        #: the answers this mode adds to "the file changed on disk"
        self.conflict_actions: list[tuple[str, Callable[[], None]]] = [
            ("Merge their changes", self.merge_from_disk)
        ]

    def _action(self, action_id: str, slot: Callable[[], None]) -> QAction:
        action = keymap.bind(QAction(keymap.label(action_id), self.host), action_id)
        action.triggered.connect(lambda _checked=False: slot())
        self.menu.addAction(action)
        self.host.addAction(action)
        self.actions.append(action)
        return action

    @property
    def active(self) -> bool:
        """Review mode is on: its panel is open and F8 steps through disagreements."""
        return self.controller.active and not self.dock.isHidden()

    # --- mode ----------------------------------------------------------------------------

    def enter(self) -> None:
        if not self.controller.active:
            self.controller.start()
            self.dock.sync_layers()
        if self.dock.isHidden():
            self.layout.hold(self)
            self.dock.show()
            self._share_the_bottom()
            self.host.resizeDocks(
                [self.dock], [max(360, self.host.height() // 2)], Qt.Orientation.Vertical
            )
        self.dock.raise_()
        self.mode_action.setChecked(True)

    def _share_the_bottom(self) -> None:
        """Review wants most of the window's width: where the annotation list sits
        beside it under the text, review takes three quarters (the layout keeper gives
        the old sizes back when review ends). Not a tab beside the list: Qt leaves a
        hidden dock's tab bar standing over the list after the layout is given back."""
        annotations = self.annotations
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        if (
            annotations is not None
            and annotations.isVisible()
            and self.host.dockWidgetArea(annotations) == bottom
            and self.host.dockWidgetArea(self.dock) == bottom
            and annotations not in self.host.tabifiedDockWidgets(self.dock)
        ):
            width = self.host.width()
            self.host.resizeDocks(
                [self.dock, annotations], [width * 3 // 4, width // 4], Qt.Orientation.Horizontal
            )

    def leave(self) -> None:
        self.controller.stop()
        self.dock.hide()
        self.mode_action.setChecked(False)
        self._give_back_layout()

    def _give_back_layout(self) -> None:
        self.layout.release(self)

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
        """Keyboard decisions on the current item: accept layer N, all sides, or reject.

        In the Conflicts tab the first two keep ours or theirs of the chosen conflict.
        """
        ctl = self.controller
        if self.active and self.dock.tabs.currentWidget() is self.dock.conflicts_tab:
            if what in (0, 1):
                self.dock.conflicts_tab.keep("ours" if what == 0 else "theirs")
            return
        if not ctl.active or ctl.current is None:
            return
        if what == "all":
            self.notifier.run(ctl.accept_all_sides)
        elif what == "reject":
            self.notifier.run(ctl.reject)
        elif isinstance(what, int) and what < len(ctl.layers):
            layer = ctl.layers[what]
            if layer in ctl.current.members:
                self.notifier.run(lambda: ctl.accept_side(layer))

    def accept_exact(self) -> None:
        self.enter()
        self.notifier.run(self.controller.accept_exact_matches)

    def show_agreement(self) -> None:
        """The Agreement tab; it measures the project itself, showing its progress."""
        self.enter()
        self.dock.tabs.setCurrentWidget(self.dock.agreement_tab)
        self.dock.agreement_tab.ensure()

    def show_conflicts(self) -> None:
        """The Conflicts tab: what a git merge recorded, ours beside theirs."""
        self.enter()
        self.dock.tabs.setCurrentWidget(self.dock.conflicts_tab)
        self.dock.conflicts_tab.refresh()

    def reveal(self, item: Item) -> None:
        """Scroll the text to the chosen item, however far down the release it is."""
        view = self.text_view
        if item.doc_id != self.controller.session.current_doc_id:
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
            self.host,
            "Export agreement",
            "agreement.html",
            "HTML (*.html);;CSV (*.csv);;JSON (*.json)",
        )
        if path:
            self.notifier.run(lambda: self.write_agreement(Path(path)))

    def write_agreement(self, path: Path) -> None:
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
            self.host,
            "Add colleague's annotations",
            "",
            "Annotator projects (*.xml);;All files (*)",
        )
        for path in paths:

            def merge(p: Path = Path(path)) -> MergeReport:
                return self.controller.merge_file(p, ask_reanchor=self._ask_reanchor)

            report = self.notifier.run(merge)
            if report is None:
                return
            self._info(f"Merged {Path(path).name}", report)

    def _ask_reanchor(self, report: MergeReport) -> bool:
        n = len(report.documents_differing)
        answer = QMessageBox.question(
            self.host,
            "Texts differ",
            f"{count(n, 'document')} {'has' if n == 1 else 'have'} a different text in their file, "
            "so their annotations were not "
            "merged. Place them on your text by the text they cover? Those that cannot be placed "
            "are listed afterwards.",
        )
        return answer == QMessageBox.StandardButton.Yes

    def merge_from_disk(self) -> None:
        report = self.notifier.run(self.controller.merge_from_disk)
        if report is not None:
            self._info("Merged their changes", report)

    def _info(self, title: str, report: MergeReport) -> None:
        """The merge report: the summary line, the details on demand."""
        lines = report.summary()
        self.notifier.show_info(title, lines[0], "\n".join(lines[1:]))
