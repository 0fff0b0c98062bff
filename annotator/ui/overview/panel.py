"""The Overview dock: a tab widget of corpus views, opened from View ▸ Overview.

The dock sits under the text, beside the Annotations list, so a bar clicked in a
chart and the annotations it stands for are both in sight. It is hidden until
asked for; the pages are built by their owners and handed in through
:meth:`OverviewDock.add_page`, each page free to compute only while it is shown.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabWidget, QWidget

from annotator.ui import keymap
from annotator.ui.docks.annotations import AnnotationsDock
from annotator.ui.notifier import Notifier
from annotator.ui.overview.charts_page import ChartsPage
from annotator.ui.session import ProjectSession


class OverviewDock(QDockWidget):
    """The panel; ``pages`` is its tab widget, ``toggle_action`` the View menu's entry."""

    #: the dock was opened (shown and raised) by the user or a test
    opened = Signal()

    def __init__(
        self,
        session: ProjectSession,
        notifier: Notifier,
        annotations: AnnotationsDock,
        parent: QMainWindow,
    ) -> None:
        super().__init__("Overview", parent)
        self.setObjectName("overviewDock")
        self.session = session
        self.notifier = notifier
        #: the list a clicked bar filters
        self.annotations = annotations
        self.host = parent
        self.pages = QTabWidget(self)
        self.pages.setObjectName("overviewPages")
        self.pages.setDocumentMode(True)
        self.setWidget(self.pages)
        #: the counts of ``annotator overview`` as charts, the first page
        self.charts = ChartsPage(session, annotations, self.pages, notifier=notifier)
        self.add_page("Charts", self.charts)
        self.toggle_action = keymap.bind(QAction("&Overview", parent), "view.overview")
        self.toggle_action.setCheckable(True)
        self.toggle_action.setStatusTip(
            "The whole project at a glance: counts per tag, attribute, country and month"
        )
        self.toggle_action.triggered.connect(self.set_open)
        self.visibilityChanged.connect(self._sync_action)
        parent.addAction(self.toggle_action)

    def sizeHint(self) -> QSize:
        return QSize(900, 360)

    # --- pages ----------------------------------------------------------------------

    def add_page(self, title: str, widget: QWidget) -> int:
        """Add a view of the corpus as a tab of the panel; returns its tab index.

        The widget is reparented to the panel. A page that computes should do so
        when it becomes visible (its ``showEvent``), not when it is added: the
        panel is often closed.
        """
        widget.setObjectName(widget.objectName() or f"overviewPage:{title}")
        return self.pages.addTab(widget, title)

    def page(self, title: str) -> QWidget | None:
        """The page with this tab title (mnemonic ampersands ignored), if any."""
        for i in range(self.pages.count()):
            if self.pages.tabText(i).replace("&", "") == title.replace("&", ""):
                return self.pages.widget(i)
        return None

    def show_page(self, title: str) -> QWidget | None:
        """Open the panel on the page with this title."""
        page = self.page(title)
        if page is not None:
            self.set_open(True)
            self.pages.setCurrentWidget(page)
        return page

    # --- opening and closing ---------------------------------------------------------

    def place(self) -> None:
        """Put the panel under the text, hidden until asked for (a window state the user
        left may show it again)."""
        self.host.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self)
        self.hide()

    def _beside_annotations(self) -> None:
        """To the left of the Annotations list when that list is under the text too, so a
        clicked bar's rows are in sight (on a laptop the list is on the right: the panel
        then has the whole width)."""
        host, annotations = self.host, self.annotations
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        if self.isFloating() or host.dockWidgetArea(self) != bottom:
            return  # where the user put it
        if host.dockWidgetArea(annotations) == bottom and not annotations.isFloating():
            host.splitDockWidget(self, annotations, Qt.Orientation.Horizontal)

    def set_open(self, on: bool) -> None:
        """Show (and bring to the front) or close the panel."""
        if not on:
            self.hide()
            return
        if self.isHidden():
            self._beside_annotations()
            self.show()
            self._give_room()
        self.raise_()
        self.opened.emit()

    def _give_room(self) -> None:
        """Charts need height: the bottom area takes about 45% of the window."""
        host = self.host
        height = max(300, host.height() * 45 // 100)
        host.resizeDocks([self], [height], Qt.Orientation.Vertical)
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        if (
            host.dockWidgetArea(self.annotations) == bottom
            and self.annotations.isVisible()
            and self.annotations not in host.tabifiedDockWidgets(self)
        ):
            width = host.width()
            host.resizeDocks(
                [self, self.annotations],
                [width * 3 // 5, width * 2 // 5],
                Qt.Orientation.Horizontal,
            )

    def _sync_action(self, _visible: bool) -> None:
        self.toggle_action.setChecked(not self.isHidden())


__all__ = ["OverviewDock"]
