"""One chart of the Overview: a titled card with a Qt Charts bar chart, or a sentence.

Bars are drawn in their tag's colour (a bar of no tag in grey); each category's
label carries its count, so nothing rests on colour or on reading an axis. Long
labels go on horizontal bars, elided with the full text on hover; time runs
along vertical bars. A chart with nothing to count says so in words ("No
appeals in this selection") instead of an empty frame. A click on a bar emits
:attr:`ChartCard.barClicked` with the chart's id and the bar's key.
"""

from __future__ import annotations

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
from PySide6.QtGui import QColor, QCursor, QFont, QPainter
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


def category_labels(spec: ChartSpec) -> list[str]:
    """One label per bar with its count; never two alike (the axis would merge them)."""
    out: list[str] = []
    seen: set[str] = set()
    for bar in spec.bars:
        label = (
            f"{bar.label} ({bar.count:,})"
            if spec.vertical
            else f"{elide(bar.label)}  {bar.count:,}"
        )
        while label in seen:
            label += "\u200b"  # invisible: a second "Police…" stays a bar of its own
        seen.add(label)
        out.append(label)
    return out


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
        self._sets: dict[int, list[int]] = {}

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

    def _draw(self, spec: ChartSpec) -> None:
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        # the first bar reads at the top: a horizontal chart draws category 0 at the bottom
        bars = list(spec.bars) if spec.vertical else list(reversed(spec.bars))
        labels = category_labels(spec)
        if not spec.vertical:
            labels.reverse()
        series: QAbstractBarSeries = (
            QStackedBarSeries() if spec.vertical else QHorizontalStackedBarSeries()
        )
        series.setBarWidth(0.7)
        # one bar set per colour: a stacked series with one non-zero value per category
        # gives each bar its own colour (a tag chart shows each tag in the tag's colour)
        colors: list[str] = []
        for bar in bars:
            if bar.color not in colors:
                colors.append(bar.color)
        self._sets = {}
        for color in colors:
            bar_set = QBarSet(color, series)
            bar_set.append([float(b.count) if b.color == color else 0.0 for b in bars])
            bar_set.setColor(QColor(color))
            bar_set.setBorderColor(QColor(color).darker(130))
            bar_set.clicked.connect(self._on_click)
            bar_set.hovered.connect(self._on_hover)
            series.append(bar_set)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append(labels)
        values = QValueAxis()
        values.setLabelFormat("%d")
        top = max(b.count for b in bars)
        values.setRange(0, top)
        if top > 5:
            values.applyNiceNumbers()  # round ticks, as few as read well
        else:
            values.setTickCount(top + 1)  # 0, 1, 2...: no half annotations
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.9))
        categories.setLabelsFont(small)
        values.setLabelsFont(small)
        # the labels are elided to LABEL_CHARS already: Qt's own cut leaves "..." alone
        categories.setTruncateLabels(False)
        values.setGridLineVisible(True)
        categories.setGridLineVisible(False)
        if spec.vertical:
            categories.setLabelsAngle(-60 if len(bars) > 8 else 0)
            chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        else:
            chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        series.attachAxis(values)
        self._bars = bars

    # --- clicks and hovering ---------------------------------------------------------

    def bar_at(self, index: int) -> BarSpec | None:
        """The bar drawn at category ``index`` (the series' own numbering)."""
        bars = getattr(self, "_bars", [])
        return bars[index] if 0 <= index < len(bars) else None

    def bar_center(self, key: str) -> QPointF | None:
        """Where the bar of ``key`` is drawn, in the view's coordinates (for tests)."""
        bars = getattr(self, "_bars", [])
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
