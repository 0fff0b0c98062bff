"""The Overview's charts page: every count of ``annotator overview``, drawn, and filterable.

The page computes nothing itself: :mod:`annotator.insight` counts (through an
:class:`~annotator.insight.index.OverviewIndex` kept for the open project, so a
filter change sums the releases' counts instead of walking every annotation)
and the page turns each chart into a :class:`ChartCard`. It counts only while it
is shown; edits made meanwhile are counted when it is shown again. A click on a
bar lists the annotations behind it in the Annotations panel.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
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
    Period,
    over_time,
    overview,
)
from annotator.insight.drill import FREQUENT, behind
from annotator.insight.index import OverviewIndex
from annotator.insight.scope import Filter, Scope, select
from annotator.interchange.common import choose_layer
from annotator.model import TagSet
from annotator.ui.docks.annotations import AnnotationsDock
from annotator.ui.notifier import Notifier
from annotator.ui.overview import counting
from annotator.ui.overview.chart_card import MUTED, BarSpec, ChartCard, ChartSpec
from annotator.ui.overview.counting import CountingStrip, FirstCount
from annotator.ui.overview.filter_bar import FilterBar
from annotator.ui.session import ProjectSession
from annotator.wording import plural

#: more months than this and the timeline opens per year (the user may choose again)
MAX_MONTHS = 36
#: width of one column of cards, and the most columns
CARD_WIDTH = 380
MAX_COLUMNS = 3


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
            f"in {r.releases:,} release" + ("" if r.releases == 1 else "s"),
            f"({r.releases:,})",
        )
        for r in table.rows
    )
    title = f"{table.title} (in how many releases)"
    return ChartSpec(FREQUENT + table.tag, title, unit, bars)


class ChartsPage(QWidget):
    """Filter bar, a line of totals, and the cards in as many columns as fit."""

    #: the charts were drawn for a new question (tests and benchmarks wait on it)
    drawn = Signal()

    def __init__(
        self,
        session: ProjectSession,
        annotations: AnnotationsDock,
        parent: QWidget | None = None,
        *,
        notifier: Notifier | None = None,
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
        #: the answers given since the last edit, by question: going back to a filter
        #: seen before (all countries again) costs nothing
        self._answers: dict[tuple[Filter, Period], tuple[Scope, Overview]] = {}
        self.filters = FilterBar(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("overviewSummary")
        # cards in columns, each card under the shortest column so far: charts differ in
        # height (three tags, forty countries), and a grid would leave holes beside them
        self.grid_host = QWidget()
        self.grid = QHBoxLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(8)
        self.stacks: list[QVBoxLayout] = []
        for _ in range(MAX_COLUMNS):
            stack = QVBoxLayout()
            stack.setSpacing(8)
            stack.addStretch(1)
            self.grid.addLayout(stack, 1)
            self.stacks.append(stack)
        self._placed: list[list[str]] = []
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroller.setWidget(self.grid_host)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 6, 6, 0)
        box.setSpacing(4)
        box.addWidget(self.filters)
        box.addWidget(self.summary)
        #: the first count of a large project, as a job with a bar and Cancel
        self.counting = CountingStrip(self)
        self.first_count = FirstCount(self, self.counting, notifier)
        self.counting.cancel.clicked.connect(self._count_cancelled)
        box.addWidget(self.counting)
        box.addWidget(self.scroller, 1)
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
        self.first_count.cancel()  # a count of the old project is of no use
        self.index = None
        self._fresh_project = True
        self._on_edit()

    def _on_edit(self, *_args: object) -> None:
        self._dirty = True
        self._answers.clear()
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
        first = self._fresh_project
        if first:
            self._fresh_project = False
            self.filters.fill(project, self.session.user)
        question = self.filters.current()
        if question is None:
            return None
        flt, period = question
        known = self._answers.get(question)
        if known is not None:
            return known  # asked before, and nothing changed since
        try:
            scope = select(project, flt, self.index)
            result = overview(scope, period=period)
        except AnnotatorError as err:  # a status the layer cannot have, an empty range
            self.filters.say(str(err))
            return None
        if period == "month" and first:
            # the first look at a project: ten years of months are no chart, so the
            # timeline starts per year (the choice shows it, and the user may change it)
            tag = project.tagset.tags[0].name if project.tagset.tags else ""
            timeline = f"{tag}.per-month"
            months = [c for c in result.charts if c.id == timeline]
            if months and len([b for b in months[0].bars if b.key]) > MAX_MONTHS:
                self.filters.set_period("year")
                result.charts = [
                    over_time(scope, tag, "year") if c.id == timeline else c for c in result.charts
                ]
                question = (flt, "year")
        self._answers[question] = (scope, result)
        return scope, result

    def refresh(self) -> None:
        self._later.stop()
        if self.first_count.running:
            return  # the count under way ends in a refresh
        project = self.session.project
        fresh_index = self.index is None or self.index.project is not project
        if fresh_index and len(project.documents) >= counting.COUNT_IN_BACKGROUND_FROM:
            self._count_first()
            return
        answer = self.compute()
        if answer is None:
            return
        self._dirty = False
        self.scope, self.overview = answer
        self.draw(answer[1])

    def _count_first(self) -> None:
        """Build the index of a large project off the UI thread (see :mod:`.counting`)."""
        project = self.session.project
        if self._fresh_project:
            self.filters.fill(project, self.session.user)  # count the layer that is shown
        question = self.filters.current()
        try:
            layer = choose_layer(project, question[0].layer if question is not None else None)
        except AnnotatorError:
            layer = None
        self.summary.setText("")  # the strip below says what is being counted
        self.first_count.start(project, layer, self._counted)

    def _counted(self, index: OverviewIndex) -> None:
        self.index = index
        self.refresh()

    def _count_cancelled(self) -> None:
        self._dirty = True
        self.summary.setText(
            "Counting stopped: the charts count again when a filter changes or the panel opens."
        )

    def draw(self, result: Overview) -> None:
        tagset = self.session.project.tagset
        specs = [chart_spec(c, tagset) for c in result.charts]
        specs += [frequent_spec(t, tagset) for t in result.frequent]
        wanted = [s.id for s in specs]
        for chart_id in list(self.cards):
            if chart_id not in wanted:
                gone = self.cards.pop(chart_id)
                gone.setParent(None)
                gone.deleteLater()
        for spec in specs:
            card = self.cards.get(spec.id)
            if card is None:
                card = self.cards[spec.id] = ChartCard(self.grid_host)
                card.barClicked.connect(self.show_annotations)
            card.set_spec(spec)
        self._order = wanted
        self._lay_out()
        noun = "release" if result.releases == 1 else "releases"
        self.summary.setText(
            f"{result.releases:,} {noun} · {result.annotations:,} annotations"
            f" · layer {result.layer or '(none)'}"
        )
        self.drawn.emit()

    def _lay_out(self, force: bool = False) -> None:
        """Deal the cards, in order, each to the shortest column; moved only if that changed."""
        columns = max(1, min(MAX_COLUMNS, self.scroller.viewport().width() // CARD_WIDTH))
        heights = [0] * columns
        placed: list[list[str]] = [[] for _ in range(columns)]
        for chart_id in self._order:
            col = heights.index(min(heights))
            placed[col].append(chart_id)
            heights[col] += self.cards[chart_id].sizeHint().height() + 8
        if placed == self._placed and not force:
            return
        self._placed = placed
        for card in self.cards.values():
            for stack in self.stacks:
                stack.removeWidget(card)
        for col, ids in enumerate(placed):
            for n, chart_id in enumerate(ids):
                self.stacks[col].insertWidget(n, self.cards[chart_id])
        for col in range(MAX_COLUMNS):
            self.grid.setStretch(col, 1 if col < columns else 0)

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
