"""The Progress page of the Overview: how far each annotator is, and the review.

A table (one row per annotator: releases done, in progress, not started), a row
for the review under it (adjudicated, in review, not reviewed), and the same
rows as a horizontal stacked bar chart (Qt Charts), finished work first and
darkest, the annotators in greens and the review in blues.
Every count is also a number in the table, so colour is never the only cue.
The counts are :func:`annotator.insight.progress.progress`, the ones ``annotator
stats`` and ``annotator overview`` print, over the releases the Overview's
filter keeps.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import AnnotatorError
from annotator.insight.progress import REVIEW_STATUSES, STATUS_LABELS, STATUSES, Progress, progress
from annotator.insight.scope import Filter
from annotator.model import Change
from annotator.ui.overview.rows import page_scope
from annotator.ui.session import ProjectSession

#: the annotators' stages (done first, darkest) and the review's, in blues
ANNOTATOR_COLORS = ("#1b7837", "#a6dba0", "#d9d9d9")
REVIEW_COLORS = ("#2166ac", "#92c5de", "#f0f0f0")
#: the chart's row of the review status, under the annotators'
REVIEW_ROW = "Review"


class CountsModel(QAbstractTableModel):
    """Rows of (name, counts): the annotators' table, or the review's single row."""

    def __init__(self, first: str, stages: tuple[str, ...]) -> None:
        super().__init__()
        self.headers = (first, *stages, "Releases")
        self.rows: list[tuple[str, tuple[int, ...]]] = []

    def set_rows(self, rows: list[tuple[str, tuple[int, ...]]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        name, counts = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return name
            return str(sum(counts)) if col == len(self.headers) - 1 else str(counts[col - 1])
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None


def _table(model: CountsModel, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    head = table.horizontalHeader()
    head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


class ProgressView(QWidget):
    """The table beside the chart."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressView")
        self.session = session
        self.filter = Filter()
        self.progress: Progress | None = None
        self._stale = True
        self.model = CountsModel("Annotator", tuple(STATUS_LABELS[st] for st in STATUSES))
        self.table = _table(self.model, self)
        self.table.setObjectName("progressTable")
        self.review_model = CountsModel("", tuple(STATUS_LABELS[st] for st in REVIEW_STATUSES))
        self.review_table = _table(self.review_model, self)
        self.review_table.setObjectName("reviewTable")
        rows = self.review_table.verticalHeader()
        height = (
            self.review_table.horizontalHeader().sizeHint().height() + rows.defaultSectionSize()
        )
        self.review_table.setFixedHeight(height + 2 * self.review_table.frameWidth())
        self.chart = QChart()
        self.chart.setTitle("Releases per annotator, and their review")
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)  # six entries: a column
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setObjectName("progressChart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        tables = QVBoxLayout()
        tables.addWidget(self.table, 1)
        tables.addWidget(self.review_table)
        box = QHBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.addLayout(tables, 1)
        box.addWidget(self.chart_view, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.update_progress)
        session.projectReplaced.connect(self.refresh)
        session.annotationsChanged.connect(self._on_change)

    def set_filter(self, flt: Filter) -> None:
        if flt == self.filter:
            return  # the period changed, or nothing
        self.filter = flt
        self.refresh()

    def refresh(self) -> None:
        self._stale = True
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.update_progress()

    def _on_change(self, change: Change) -> None:
        if not change.doc_id or not change.layer:  # a status, a release, or everything
            self.refresh()

    def update_progress(self) -> None:
        self._timer.stop()
        self._stale = False
        try:
            scope = page_scope(self.session, self.filter)
        except AnnotatorError as e:
            self.chart.setTitle(str(e))
            return
        self.progress = p = progress(self.session.project, scope.documents)
        self.model.set_rows(
            [(r.annotator, tuple(r.count(st) for st in STATUSES)) for r in p.annotators]
        )
        review = tuple(p.review[st.value] for st in REVIEW_STATUSES)
        self.review_model.set_rows([(REVIEW_ROW, review)])
        t = self.review_table
        t.setFixedHeight(
            t.horizontalHeader().sizeHint().height() + t.rowHeight(0) + 2 * t.frameWidth()
        )
        self._draw(p)

    def _draw(self, p: Progress) -> None:
        """One stacked bar per annotator, and one for the review under them.

        The review's stages are sets of their own (in blues), zero on the
        annotators' bars and theirs zero on it, so the legend names each colour once.
        """
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        names = [REVIEW_ROW, *(r.annotator for r in reversed(p.annotators))]  # bottom to top
        series = QHorizontalStackedBarSeries()
        for st, color in zip(STATUSES, ANNOTATOR_COLORS, strict=True):
            counts = [0.0, *(float(r.count(st)) for r in reversed(p.annotators))]
            series.append(self._bar_set(STATUS_LABELS[st], color, counts))
        for rs, color in zip(REVIEW_STATUSES, REVIEW_COLORS, strict=True):
            counts = [float(p.review[rs.value])] + [0.0] * len(p.annotators)
            series.append(self._bar_set(STATUS_LABELS[rs], color, counts))
        series.setLabelsVisible(True)
        series.setLabelsPosition(series.LabelsPosition.LabelsCenter)
        chart.addSeries(series)
        axis = QBarCategoryAxis()
        axis.append(names)
        chart.addAxis(axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis)
        values = QValueAxis()
        values.setRange(0, max(1, p.releases))
        values.setLabelFormat("%d")
        values.setTickCount(min(11, max(2, p.releases + 1)))
        values.setTitleText("releases")
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(values)

    @staticmethod
    def _bar_set(label: str, color: str, counts: list[float]) -> QBarSet:
        bar_set = QBarSet(label)
        bar_set.setColor(QColor(color))
        bar_set.setBorderColor(QColor("#555555"))
        bar_set.setLabelColor(QColor("#ffffff" if color in ("#1b7837", "#2166ac") else "#222222"))
        bar_set.append(counts)
        return bar_set
