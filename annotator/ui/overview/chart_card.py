"""One chart of the Overview: a titled card with a Qt Charts bar chart, or a sentence.

Bars are drawn in their tag's colour (a bar of no tag in grey); each category's
label carries its count, so nothing rests on colour or on reading an axis. Long
labels go on horizontal bars, elided with the full text on hover; time runs
along vertical bars. A chart with nothing to count says so in words ("No
appeals in this selection") instead of an empty frame. A click on a bar emits
:attr:`ChartCard.barClicked` with the chart's id and the bar's key.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFont, QFontMetrics, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

#: the colour of a bar that stands for no value ("Not recorded", "No date")
MUTED = "#B8B8B8"
#: characters of a category label before it is elided (its count is added after)
LABEL_CHARS = 30
#: height of one horizontal bar's row, and of the axes and margins around them
ROW = 22
FRAME = 56


@dataclass(frozen=True)
class BarSpec:
    key: str
    label: str
    count: int
    color: str
    #: said on hover, beside the label and count
    detail: str = ""
    #: a short word after the count in the label, e.g. "(226)" releases
    note: str = ""


@dataclass(frozen=True)
class ChartSpec:
    """What a card draws: ``id`` names the chart for :func:`insight.drill.behind`."""

    id: str
    title: str
    unit: str
    bars: tuple[BarSpec, ...]
    #: categories along the bottom (time), else down the side (values, names)
    vertical: bool = False

    @property
    def total(self) -> int:
        return sum(b.count for b in self.bars)


def elide(text: str, limit: int = LABEL_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def category_labels(spec: ChartSpec, fit: Callable[[str, str], str] | None = None) -> list[str]:
    """One label per bar with its count; never two alike (the axis would merge them).

    ``fit(label, suffix)`` shortens a label so that it and its count fit the room
    the chart gives labels (by default: :data:`LABEL_CHARS` characters).
    """
    out: list[str] = []
    seen: set[str] = set()
    for bar in spec.bars:
        if spec.vertical:
            label = f"{bar.label} ({bar.count:,})"
        else:
            suffix = f"  {bar.count:,}" + (f" {bar.note}" if bar.note else "")
            label = (fit(bar.label, suffix) if fit else elide(bar.label)) + suffix
        while label in seen:
            label += "\u200b"  # invisible: a second "Police…" stays a bar of its own
        seen.add(label)
        out.append(label)
    return out


def nice_step(top: int, ticks: int) -> int:
    """A round distance between ticks (1, 2 or 5 times a power of ten) giving at most
    about ``ticks`` intervals from 0 to ``top``."""
    raw = max(top / ticks, 1)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return int(factor * power)
    return int(10 * power)


class ChartCard(QFrame):
    """A title, and the chart or the sentence saying there is nothing to chart."""

    #: chart id, bar key, bar label, count
    barClicked = Signal(str, str, str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("overviewCard")
        self.spec: ChartSpec | None = None
        self.title = QLabel(self)
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.legend().hide()
        self.chart.setMargins(QMargins(2, 2, 8, 2))
        self.chart.setBackgroundRoundness(0)
        self.view = QChartView(self.chart, self)
        # bars are upright rectangles: antialiasing would cost paint time and add nothing
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: palette(mid); padding: 18px;")
        self.body = QStackedWidget(self)
        self.body.addWidget(self.view)
        self.body.addWidget(self.empty)
        box = QVBoxLayout(self)
        box.setContentsMargins(8, 6, 8, 6)
        box.setSpacing(2)
        box.addWidget(self.title)
        box.addWidget(self.body)
        self._drawn_width = 0
        #: what the series was built for: (vertical, colours, bars); another shape rebuilds
        self._shape: tuple[bool, tuple[str, ...], int] | None = None
        self._sets: list[QBarSet] = []
        self._categories = QBarCategoryAxis()
        self._values = QValueAxis()
        self._bars: list[BarSpec] = []

    # --- drawing -----------------------------------------------------------------------

    def set_spec(self, spec: ChartSpec) -> None:
        """Draw ``spec`` (a new series each time: the categories change with the filter)."""
        if spec == self.spec:
            return  # the same bars: nothing to draw again
        self.spec = spec
        total = spec.total
        self.title.setText(f"{spec.title} · {total:,} {spec.unit}" if total else spec.title)
        if not total:
            self.empty.setText(f"No {spec.unit} in this selection")
            self.body.setCurrentWidget(self.empty)
            self.body.setFixedHeight(self.empty.sizeHint().height())
            return
        self.body.setCurrentWidget(self.view)
        self._draw(spec)
        height = self._height(spec)
        self.view.setFixedHeight(height)
        self.body.setFixedHeight(height)

    def _height(self, spec: ChartSpec) -> int:
        if spec.vertical:
            longest = max(len(b.label) for b in spec.bars) + 8
            return 230 + (min(longest, 24) * 6 if len(spec.bars) > 8 else 0)
        return FRAME + ROW * max(2, len(spec.bars))

    def _label_room(self) -> int:
        """Pixels for a category label and its count: a third of the chart's width
        (Qt Charts gives the axis no more; a longer label would run off the card)."""
        width = self.view.width() if self.view.width() > 100 else 380
        return max(90, width * 34 // 100)

    def _fit(self, label: str, suffix: str) -> str:
        metrics = QFontMetrics(self._label_font())
        room = self._label_room() - metrics.horizontalAdvance(suffix)
        flat = " ".join(label.split())
        return metrics.elidedText(flat, Qt.TextElideMode.ElideRight, max(30, room))

    def _label_font(self) -> QFont:
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.9))
        return small

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # the labels were fitted to the old width: fit them again when it changed much
        spec = self.spec
        if spec is not None and spec.total and abs(self.view.width() - self._drawn_width) > 30:
            self._draw(spec)

    def _draw(self, spec: ChartSpec) -> None:
        self._drawn_width = self.view.width()
        # the first bar reads at the top: a horizontal chart draws category 0 at the bottom
        bars = list(spec.bars) if spec.vertical else list(reversed(spec.bars))
        labels = category_labels(spec, self._fit)
        if not spec.vertical:
            labels.reverse()
        # one bar set per colour: a stacked series with one non-zero value per category
        # gives each bar its own colour (a tag chart shows each tag in the tag's colour)
        colors: list[str] = []
        for bar in bars:
            if bar.color not in colors:
                colors.append(bar.color)
        rows = [[float(b.count) if b.color == color else 0.0 for b in bars] for color in colors]
        shape = (spec.vertical, tuple(colors), len(bars))
        if shape != self._shape:
            self._build(spec.vertical, colors, len(bars))
            self._shape = shape
        # a filter changes the counts, seldom the bars: values are replaced in place,
        # which costs a fraction of a new series and axes
        for bar_set, values in zip(self._sets, rows, strict=True):
            for i, value in enumerate(values):
                if bar_set.at(i) != value:
                    bar_set.replace(i, value)
        if self._categories.categories() != labels:
            self._categories.setCategories(labels)
        top = max(b.count for b in bars)
        axis = self._values
        if top > 5:
            # round ticks, as few as read well, and a little room after the longest bar;
            # long numbers get fewer ticks, or "80000100000" runs together on a card
            step = nice_step(top, 6 if top < 1_000 else 4 if top < 10_000 else 3)
            axis.setTickType(QValueAxis.TickType.TicksDynamic)
            axis.setTickAnchor(0)
            axis.setTickInterval(step)
            axis.setRange(0, math.ceil(top * 1.05 / step) * step)
        else:
            axis.setTickType(QValueAxis.TickType.TicksFixed)
            axis.setRange(0, top + 1)
            axis.setTickCount(top + 2)  # 0, 1, 2...: no half annotations
        if spec.vertical:
            self._categories.setLabelsAngle(-60 if len(bars) > 8 else 0)
        self._bars = bars

    def _build(self, vertical: bool, colors: list[str], count: int) -> None:
        """A new series (one bar set per colour, zeros for now) and its two axes."""
        chart = self.chart
        chart.removeAllSeries()
        for old in chart.axes():
            chart.removeAxis(old)
        series: QAbstractBarSeries = (
            QStackedBarSeries() if vertical else QHorizontalStackedBarSeries()
        )
        series.setBarWidth(0.7)
        self._sets = []
        for color in colors:
            bar_set = QBarSet(color, series)
            bar_set.append([0.0] * count)
            bar_set.setColor(QColor(color))
            bar_set.setBorderColor(QColor(color).darker(130))
            series.append(bar_set)
            self._sets.append(bar_set)
        series.clicked.connect(lambda index, _set: self._on_click(index))
        series.hovered.connect(lambda on, index, _set: self._on_hover(on, index))
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        values = QValueAxis()
        values.setLabelFormat("%d")
        small = self._label_font()
        categories.setLabelsFont(small)
        values.setLabelsFont(small)
        # the labels are fitted already: Qt's own cut would leave "..." alone
        categories.setTruncateLabels(False)
        values.setGridLineVisible(True)
        categories.setGridLineVisible(False)
        if vertical:
            chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        else:
            chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        series.attachAxis(values)
        self._categories, self._values = categories, values

    # --- clicks and hovering ---------------------------------------------------------

    def bar_at(self, index: int) -> BarSpec | None:
        """The bar drawn at category ``index`` (the series' own numbering)."""
        bars = self._bars
        return bars[index] if 0 <= index < len(bars) else None

    def bar_center(self, key: str) -> QPointF | None:
        """Where the bar of ``key`` is drawn, in the view's coordinates (for tests)."""
        bars = self._bars
        series = self.chart.series()
        for i, bar in enumerate(bars):
            if bar.key == key and bar.count and series:
                value = bar.count / 2
                point = QPointF(i, value) if self.spec and self.spec.vertical else QPointF(value, i)
                scene = self.chart.mapToPosition(point, series[0])
                return QPointF(self.view.mapFromScene(scene))
        return None

    def _on_click(self, index: int) -> None:
        bar = self.bar_at(index)
        if bar is not None and bar.count and self.spec is not None:
            self.barClicked.emit(self.spec.id, bar.key, bar.label, bar.count)

    def _on_hover(self, on: bool, index: int) -> None:
        bar = self.bar_at(index)
        if not on or bar is None or self.spec is None:
            QToolTip.hideText()
            return
        detail = f" · {bar.detail}" if bar.detail else ""
        QToolTip.showText(
            QCursor.pos(),
            f"{bar.label}: {bar.count:,} {self.spec.unit}{detail}\nClick to list them",
            self.view,
        )


__all__ = ["MUTED", "BarSpec", "ChartCard", "ChartSpec", "category_labels", "elide"]
