"""Where the panels sit around the text, and how much room the text keeps.

The text is what people read and tag, so it always keeps at least half the
window's width, and 60% from 1280 px up. On a laptop (below 1280 px) the
Inspector and the Annotations list share one tab group on the right, so the
text also keeps its full height. View ▸ Reset Layout puts the panels back;
View ▸ Focus Layout (Ctrl+Shift+F11) shows only the text and the Inspector.

Passing modes (Find, review mode, correcting text) take a ``snapshot`` when
they start and ``restore`` it when they end, so they never leave the other
panels a different size.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow

from annotator.ui import keymap
from annotator.ui.docks import Docks

#: from this window width up the text keeps the larger share, and the
#: Annotations list gets its own place under the text
WIDE = 1280


def text_share(width: int) -> float:
    """The least part of the window's width the text view keeps."""
    return 0.6 if width >= WIDE else 0.5


class WindowLayout(QObject):
    """Sizes the docks of ``window`` so the text keeps its share, and offers the layouts."""

    def __init__(self, window: QMainWindow, docks: Docks) -> None:
        super().__init__(window)
        self.window = window
        self.docks = docks
        self._focus_state: QByteArray | None = None
        #: panels a mode opens (review): the Focus layout hides them too
        self.mode_docks: list[QDockWidget] = []
        #: the window put back the layout the user left: the default is not imposed
        self.restored = False
        #: the passing modes now on, and the layout the first of them found
        self._holders: list[object] = []
        self._held_state: QByteArray | None = None
        self._enforcing = False
        self._pending = False
        self.reset_action = keymap.bind(QAction("&Reset Layout", window), "view.reset_layout")
        self.reset_action.setStatusTip("Put the panels back where they started")
        self.reset_action.triggered.connect(lambda _c=False: self.reset())
        self.focus_action = keymap.bind(QAction("&Focus Layout", window), "view.focus_layout")
        self.focus_action.setStatusTip("Only the text and the Inspector; again to go back")
        self.focus_action.setCheckable(True)
        self.focus_action.triggered.connect(self.set_focus)
        window.addActions([self.reset_action, self.focus_action])
        self._first_show = True
        window.installEventFilter(self)
        for dock in self.side_docks():
            dock.installEventFilter(self)

    # --- panels --------------------------------------------------------------------------

    def side_docks(self) -> list[QDockWidget]:
        d = self.docks
        return [d.palette, d.documents, d.annotations, d.inspector]

    def _visible(self, dock: QDockWidget) -> bool:
        return dock.isVisible() and not dock.isFloating()

    # --- snapshots for passing modes -------------------------------------------------

    def snapshot(self) -> QByteArray:
        return self.window.saveState()

    def restore(self, state: QByteArray | None) -> None:
        if state is not None and not state.isEmpty():
            self.window.restoreState(state)

    def hold(self, owner: object) -> None:
        """A passing mode (Find, review, text correction) starts: the first one keeps the
        layout it found. Modes may overlap and end in any order."""
        if not self._holders:
            self._held_state = self.snapshot()
        if owner not in self._holders:
            self._holders.append(owner)

    def release(self, owner: object) -> None:
        """A passing mode ends; when the last one ends, the layout the first one found
        comes back. Ending Find while review is on must not take the review panel away."""
        if owner not in self._holders:
            return
        self._holders.remove(owner)
        if not self._holders:
            state, self._held_state = self._held_state, None
            self.restore(state)

    # --- the default and focus layouts ---------------------------------------------

    def reset(self) -> None:
        """Every panel back in its place, at the sizes that suit this window's width."""
        self._focus_state = None
        self.focus_action.setChecked(False)
        d = self.docks
        w = self.window
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        right = Qt.DockWidgetArea.RightDockWidgetArea
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        for dock in self.side_docks():
            dock.setFloating(False)
        w.addDockWidget(left, d.palette)
        w.addDockWidget(left, d.documents)
        w.splitDockWidget(d.palette, d.documents, Qt.Orientation.Vertical)
        w.addDockWidget(right, d.inspector)
        if w.width() < WIDE:
            # a laptop: the list and the Inspector take turns, the text keeps its height
            w.addDockWidget(right, d.annotations)
            w.tabifyDockWidget(d.inspector, d.annotations)
        else:
            w.addDockWidget(bottom, d.annotations)
        for dock in self.side_docks():
            dock.show()
        d.inspector.raise_()
        self.apply_sizes()

    def apply_sizes(self) -> None:
        """Side panels share what the text leaves: a bit more for the Inspector."""
        d = self.docks
        w = self.window
        width, height = w.width(), w.height()
        room = self._side_room(width)
        needs = max(d.palette.minimumSizeHint().width(), d.documents.minimumSizeHint().width())
        left = max(needs, min(360, room * 40 // 100))
        right = min(440, room - left)
        h, v = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
        w.resizeDocks([d.documents, d.inspector], [left, right], h)
        tags = d.palette.widget().sizeHint().height()
        w.resizeDocks([d.palette, d.documents], [tags, max(200, height - tags)], v)
        if w.dockWidgetArea(d.annotations) == Qt.DockWidgetArea.BottomDockWidgetArea:
            w.resizeDocks([d.annotations], [min(240, height * 22 // 100)], v)

    def _side_room(self, width: int) -> int:
        separators = 2 * (
            self.window.style().pixelMetric(
                self.window.style().PixelMetric.PM_DockWidgetSeparatorExtent
            )
            + 2
        )
        return max(0, width - int(width * text_share(width)) - separators - 2)

    def set_focus(self, on: bool) -> None:
        """Focus layout: the text and the Inspector only; off gives back the layout before."""
        d = self.docks
        if on and self._focus_state is None:
            self._focus_state = self.snapshot()
            hidden: list[QDockWidget] = [d.palette, d.documents, d.annotations, *self.mode_docks]
            for dock in hidden:
                dock.hide()
            d.inspector.show()
            d.inspector.raise_()
            self.enforce()
        elif not on and self._focus_state is not None:
            state, self._focus_state = self._focus_state, None
            self.restore(state)
        self.focus_action.setChecked(self._focus_state is not None)

    # --- keeping the text's share ------------------------------------------------------

    def enforce(self) -> None:
        """Narrow the side panels when the text has less than its share of the width."""
        if self._enforcing:
            return
        w = self.window
        central = w.centralWidget()
        if central is None or not w.isVisible():
            return
        need = int(w.width() * text_share(w.width()))
        lack = need - central.width()
        if lack <= 0:
            return
        lack += 2  # the separators round down
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        right = Qt.DockWidgetArea.RightDockWidgetArea
        columns: list[QDockWidget] = []
        for area in (left, right):
            # one dock per column is enough: resizing it resizes its column
            docks = [x for x in self.side_docks() if self._visible(x)]
            docks += [x for x in self._other_docks() if self._visible(x)]
            in_area = [x for x in docks if w.dockWidgetArea(x) == area]
            if in_area:
                columns.append(max(in_area, key=lambda x: x.width()))
        if not columns:
            return
        # the widest column gives first, each down to what its contents need
        sizes: dict[int, int] = {}
        for col in sorted(columns, key=lambda c: -c.width()):
            give = min(lack, max(0, col.width() - col.minimumSizeHint().width()))
            sizes[id(col)] = col.width() - give
            lack -= give
        if all(sizes[id(c)] == c.width() for c in columns):
            return
        self._enforcing = True
        try:
            w.resizeDocks(columns, [sizes[id(c)] for c in columns], Qt.Orientation.Horizontal)
        finally:
            self._enforcing = False

    def _other_docks(self) -> list[QDockWidget]:
        mine = set(map(id, self.side_docks()))
        return [x for x in self.window.findChildren(QDockWidget) if id(x) not in mine]

    def _enforce_later(self) -> None:
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self._run_enforce)

    def _run_enforce(self) -> None:
        self._pending = False
        self.enforce()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.window and kind == QEvent.Type.Show and self._first_show:
            self._first_show = False
            QTimer.singleShot(0, self, self._first_layout)
        elif kind in (QEvent.Type.Resize, QEvent.Type.Show):
            self._enforce_later()
        return False

    def _first_layout(self) -> None:
        if not self.restored:
            self.reset()
        self._enforce_later()  # once the new sizes are laid out


__all__ = ["WIDE", "WindowLayout", "text_share"]
