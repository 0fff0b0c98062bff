"""The Progress page of the Overview: how far each annotator is, and the review.

A table (one row per annotator: releases done, in progress, not started; then a
row for the review: adjudicated, in review, not reviewed) and the same rows as
a horizontal stacked bar chart (Qt Charts), finished work first and darkest.
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
from PySide6.QtGui import QColor, QFont, QPainter, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QTableView, QWidget

from annotator.errors import AnnotatorError
from annotator.insight.progress import REVIEW_STATUSES, STATUS_LABELS, STATUSES, Progress, progress
from annotator.insight.scope import Filter
from annotator.model import Change
from annotator.ui.overview.rows import page_scope
from annotator.ui.session import ProjectSession

#: the row of the review status, after the annotators'
REVIEW_ROW = "Review"
#: one colour per stage (done / adjudicated first), dark to light
STAGE_COLORS = ("#1b7837", "#a6dba0", "#d9d9d9")
STAGE_LABELS = tuple(
    f"{STATUS_LABELS[a]} · {STATUS_LABELS[r].lower()}"
    for a, r in zip(STATUSES, REVIEW_STATUSES, strict=True)
)


def stage_rows(p: Progress) -> list[tuple[str, tuple[int, int, int]]]:
    """(name, (first, second, third stage)) per annotator, then the review's row."""
    rows = [(r.annotator, (r.done, r.in_progress, r.not_started)) for r in p.annotators]
    review = tuple(p.review[s.value] for s in REVIEW_STATUSES)
    rows.append((REVIEW_ROW, (review[0], review[1], review[2])))
    return rows


class ProgressModel(QAbstractTableModel):
    HEADERS = (
        "",
        "Done / adjudicated",
        "In progress / in review",
        "Not started / not reviewed",
        "Releases",
    )

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, tuple[int, int, int]]] = []

    def set_progress(self, p: Progress) -> None:
        self.beginResetModel()
        self.rows = stage_rows(p)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
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
            return str(sum(counts)) if col == 4 else str(counts[col - 1])
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if (
            role == Qt.ItemDataRole.FontRole
            and name == REVIEW_ROW
            and index.row() == len(self.rows) - 1
        ):
            font = QFont()
            font.setItalic(True)
            return font
        return None


class ProgressView(QWidget):
    """The table beside the chart."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressView")
        self.session = session
        self.filter = Filter()
        self.progress: Progress | None = None
        self._stale = True
        self.model = ProgressModel()
        self.table = QTableView(self)
        self.table.setObjectName("progressTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setStretchLastSection(False)
        self.chart = QChart()
        self.chart.setTitle("Releases per annotator, and their review")
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setObjectName("progressChart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QHBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(self.table, 2)
        box.addWidget(self.chart_view, 3)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.update_progress)
        session.projectReplaced.connect(self.refresh)
        session.annotationsChanged.connect(self._on_change)

    def set_filter(self, flt: Filter) -> None:
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
        self.model.set_progress(p)
        self._draw(p)

    def _draw(self, p: Progress) -> None:
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        rows = stage_rows(p)
        series = QHorizontalStackedBarSeries()
        for stage, (label, color) in enumerate(zip(STAGE_LABELS, STAGE_COLORS, strict=True)):
            bar_set = QBarSet(label)
            bar_set.setColor(QColor(color))
            bar_set.setBorderColor(QColor("#555555"))
            # categories run bottom to top in a horizontal chart: reverse so the
            # first annotator is on top, as in the table
            bar_set.append([float(counts[stage]) for _name, counts in reversed(rows)])
            series.append(bar_set)
        series.setLabelsVisible(True)
        series.setLabelsPosition(series.LabelsPosition.LabelsCenter)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append([name for name, _c in reversed(rows)])
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)
        values = QValueAxis()
        values.setRange(0, max(1, p.releases))
        values.setLabelFormat("%d")
        values.setTickCount(min(11, max(2, p.releases + 1)))
        values.setTitleText("releases")
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(values)
