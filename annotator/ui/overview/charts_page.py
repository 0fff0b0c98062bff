"""The Overview's charts page: every count of ``annotator overview``, drawn, and filterable.

The page computes nothing itself: :mod:`annotator.insight` counts (through an
:class:`~annotator.insight.index.OverviewIndex` kept for the open project, so a
filter change sums the releases' counts instead of walking every annotation)
and the page turns each chart into a :class:`ChartCard`. It counts only while it
is shown; edits made meanwhile are counted when it is shown again. A click on a
bar lists the annotations behind it in the Annotations panel.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import AnnotatorError
from annotator.insight.aggregate import (
    NEUTRAL_COLOR,
    NOT_RECORDED,
    Chart,
    FrequentTable,
    Overview,
    over_time,
    overview,
)
from annotator.insight.drill import FREQUENT, behind
from annotator.insight.index import OverviewIndex
from annotator.insight.scope import Scope, select
from annotator.model import TagSet
from annotator.ui.docks.annotations import AnnotationsDock
from annotator.ui.overview.chart_card import MUTED, BarSpec, ChartCard, ChartSpec
from annotator.ui.overview.filter_bar import FilterBar
from annotator.ui.session import ProjectSession
from annotator.wording import plural

#: more months than this and the timeline opens per year (the user may choose again)
MAX_MONTHS = 36
#: width of one column of cards
CARD_WIDTH = 460


def chart_spec(chart: Chart, tagset: TagSet) -> ChartSpec:
    """A chart of the core as a card draws it: each bar in its tag's colour."""
    bars = []
    for bar in chart.bars:
        if chart.id == "tag":
            color = tagset.tag(bar.key).color if tagset.has_tag(bar.key) else NEUTRAL_COLOR
        elif bar.key == NOT_RECORDED:
            color = MUTED
        else:
            color = chart.color
        bars.append(BarSpec(bar.key, bar.label, bar.count, color))
    vertical = ".per-" in chart.id
    return ChartSpec(chart.id, chart.title, chart.unit, tuple(bars), vertical=vertical)


def frequent_spec(table: FrequentTable, tagset: TagSet) -> ChartSpec:
    """A most-frequent table as horizontal bars, each saying in how many releases."""
    unit = plural(tagset.tag(table.tag).label.lower()) if tagset.has_tag(table.tag) else "times"
    bars = tuple(
        BarSpec(
            r.key,
            r.text,
            r.count,
            table.color,
            f"{r.releases:,} release" + ("" if r.releases == 1 else "s"),
        )
        for r in table.rows
    )
    return ChartSpec(FREQUENT + table.tag, table.title, unit, bars)


class ChartsPage(QWidget):
    """Filter bar, a line of totals, and the cards in as many columns as fit."""

    #: the charts were drawn for a new question (tests and benchmarks wait on it)
    drawn = Signal()

    def __init__(
        self, session: ProjectSession, annotations: AnnotationsDock, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("overviewCharts")
        self.session = session
        self.annotations = annotations
        self.index: OverviewIndex | None = None
        self.scope: Scope | None = None
        self.overview: Overview | None = None
        self.cards: dict[str, ChartCard] = {}
        self._dirty = True
        self._fresh_project = True
        self.filters = FilterBar(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("overviewSummary")
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(8)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroller.setWidget(self.grid_host)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 6, 6, 0)
        box.setSpacing(4)
        box.addWidget(self.filters)
        box.addWidget(self.summary)
        box.addWidget(self.scroller, 1)
        self._columns = 0
        self._order: list[str] = []
        # edits arrive one by one: the charts follow after a pause, not after each
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(300)
        self._later.timeout.connect(self.refresh)
        self.filters.changed.connect(self.refresh)
        session.projectReplaced.connect(self._on_project)
        session.annotationsChanged.connect(self._on_edit)

    # --- when to count --------------------------------------------------------------

    def _on_project(self) -> None:
        self.index = None
        self._fresh_project = True
        self._on_edit()

    def _on_edit(self, *_args: object) -> None:
        self._dirty = True
        if self.isVisible():
            self._later.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            QTimer.singleShot(0, self, self.refresh)

    # --- counting and drawing -------------------------------------------------------

    def compute(self) -> tuple[Scope, Overview] | None:
        """The filter's question answered (no drawing); None if the filter is wrong."""
        project = self.session.project
        if self.index is None or self.index.project is not project:
            self.index = OverviewIndex(project)
        if self._fresh_project:
            self._fresh_project = False
            self.filters.fill(project, self.session.user)
        question = self.filters.current()
        if question is None:
            return None
        flt, period = question
        try:
            scope = select(project, flt, self.index)
            result = overview(scope, period=period)
        except AnnotatorError as err:  # a status the layer cannot have, an empty range
            self.filters.say(str(err))
            return None
        if period == "month":
            first = project.tagset.tags[0].name if project.tagset.tags else ""
            timeline = f"{first}.per-month"
            months = [c for c in result.charts if c.id == timeline]
            if months and len([b for b in months[0].bars if b.key]) > MAX_MONTHS:
                # ten years of months are no chart: a year each, and the choice says so
                self.filters.set_period("year")
                result.charts = [
                    over_time(scope, first, "year") if c.id == timeline else c
                    for c in result.charts
                ]
        return scope, result

    def refresh(self) -> None:
        self._later.stop()
        answer = self.compute()
        if answer is None:
            return
        self._dirty = False
        self.scope, self.overview = answer
        self.draw(answer[1])

    def draw(self, result: Overview) -> None:
        tagset = self.session.project.tagset
        specs = [chart_spec(c, tagset) for c in result.charts]
        specs += [frequent_spec(t, tagset) for t in result.frequent]
        wanted = [s.id for s in specs]
        for chart_id in list(self.cards):
            if chart_id not in wanted:
                gone = self.cards.pop(chart_id)
                self.grid.removeWidget(gone)
                gone.deleteLater()
        for spec in specs:
            card = self.cards.get(spec.id)
            if card is None:
                card = self.cards[spec.id] = ChartCard(self.grid_host)
                card.barClicked.connect(self.show_annotations)
            card.set_spec(spec)
        moved = wanted != self._order
        self._order = wanted
        self._lay_out(force=moved)
        noun = "release" if result.releases == 1 else "releases"
        self.summary.setText(
            f"{result.releases:,} {noun} · {result.annotations:,} annotations"
            f" · layer {result.layer or '(none)'}"
        )
        self.drawn.emit()

    def _lay_out(self, force: bool = False) -> None:
        columns = max(1, min(3, self.scroller.viewport().width() // CARD_WIDTH))
        if columns == self._columns and not force:
            return
        self._columns = columns
        for card in self.cards.values():
            self.grid.removeWidget(card)
        for n, chart_id in enumerate(self._order):
            self.grid.addWidget(
                self.cards[chart_id], n // columns, n % columns, Qt.AlignmentFlag.AlignTop
            )
        for c in range(3):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._lay_out()

    # --- back to the text ---------------------------------------------------------------

    def show_annotations(self, chart_id: str, key: str, label: str, count: int) -> None:
        """List the annotations behind a bar in the Annotations panel, and bring it up."""
        scope = self.scope
        if scope is None:
            return
        pairs = behind(scope, chart_id, key)
        card = self.cards.get(chart_id)
        title = card.spec.title if card is not None and card.spec is not None else chart_id
        self.annotations.show_only(
            [(scope.layer, doc_id, ann_id) for doc_id, ann_id in pairs],
            f"{title}: {label} ({len(pairs):,})",
        )
        dock: QDockWidget = self.annotations
        dock.show()
        dock.raise_()


__all__ = ["ChartsPage", "chart_spec", "frequent_spec"]
