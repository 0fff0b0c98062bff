"""The review dock's Agreement tab: measured when first shown, never blank.

The whole-project figures take seconds on 10,000 releases, so the controller
measures a few releases per turn of the event loop while a progress bar
counts them ("312 of 1,200 releases") beside a Cancel button; the window keeps
answering, and an edit meanwhile starts the count again (figures of a project
that has changed since are never shown). Until the figures are there, a line
says what is happening (measuring, or why there is nothing to measure).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.model import TagSet
from annotator.progress import Step
from annotator.review.agreement import ALL, AgreementReport
from annotator.review.presentation import layers_label
from annotator.review.report import MEASURE_LABELS, TOKEN_RULE, fmt, pivot
from annotator.ui.review.controller import ReviewController
from annotator.wording import count


class AgreementTab(QWidget):
    def __init__(self, controller: ReviewController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.table = QTableWidget()
        self.table.setObjectName("agreementTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.scope = QComboBox()
        self.scope.addItem("Whole project", "project")
        self.scope.addItem("Current release", "document")
        self.scope.activated.connect(lambda _i: self.ensure())
        self.note = QLabel()
        self.note.setObjectName("agreementNote")
        self.note.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("agreementProgress")
        self.progress.setFormat("%v of %m releases")
        self.progress.hide()
        self.cancel = QPushButton("Cancel")
        self.cancel.setObjectName("agreementCancel")
        self.cancel.setToolTip("Stop measuring; choose “Whole project” again to measure")
        self.cancel.clicked.connect(self._cancel)
        self.cancel.hide()
        top = QHBoxLayout()
        top.addWidget(self.scope)
        top.addWidget(self.note, 1)
        top.addWidget(self.progress, 1)
        top.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        # how tokens are counted: at hand on the figures, without taking rows from them
        self.table.setToolTip(TOKEN_RULE)
        self.note.setToolTip(TOKEN_RULE)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        controller.agreementProgress.connect(self._on_progress)
        controller.agreementChanged.connect(self._on_agreement)
        self._shown_for: object = None

    # --- what to show ---------------------------------------------------------------

    def ensure(self) -> None:
        """Fill the table for the chosen scope, starting the measurement if needed."""
        ctl = self.controller
        if self.scope.currentData() == "document":
            self._show(ctl.document_agreement(ctl.session.current_doc_id), "this release")
            return
        if ctl.agreement is not None:
            self._show(ctl.agreement, "the whole project")
        elif not ctl.measuring:
            ctl.start_agreement()
            if ctl.agreement is None and not ctl.measuring:
                self._show(None, "the whole project")

    def document_changed(self) -> None:
        if self.isVisible() and self.scope.currentData() == "document":
            self.ensure()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(Step("", done, total, "release").count_text)
        self.progress.show()
        self.cancel.show()
        self.note.setText(f"Measuring agreement between {layers_label(self.controller.layers)}…")
        if self.table.rowCount() == 0:
            self.table.setEnabled(False)

    def _on_agreement(self) -> None:
        if self.scope.currentData() == "document":
            if self.isVisible():
                self.ensure()
            return
        if self.controller.agreement is not None:
            self._show(self.controller.agreement, "the whole project")
        elif self.isVisible() and not self.controller.measuring:
            self.ensure()  # the figures went stale: measure again while someone looks

    def _cancel(self) -> None:
        self.controller.cancel_agreement()
        self.progress.hide()
        self.cancel.hide()
        self.table.setEnabled(True)
        self.note.setText("Measuring cancelled. Choose “Whole project” above to measure again.")

    # --- the table --------------------------------------------------------------------

    def _show(self, report: AgreementReport | None, scope: str) -> None:
        self.progress.hide()
        self.cancel.hide()
        self.table.setEnabled(True)
        self.table.clear()
        if report is None:
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.note.setText(
                "Tick two or more layers under “Compare layers” to measure how far they agree."
            )
            return
        self.note.setText(
            f"Agreement between {layers_label(report.layers)} over {scope}: "
            f"{count(report.documents, 'release')}, {count(report.tokens, 'token')}."
        )
        columns, rows, attrs = pivot(report)
        tags = self.controller.session.project.tagset
        heads = [
            "Measure",
            "Layers",
            *(
                "All tags" if c == ALL else (tags.tag(c).label if tags.has_tag(c) else c)
                for c in columns
            ),
        ]
        self.table.setColumnCount(len(heads))
        self.table.setHorizontalHeaderLabels(heads)
        body = [
            [MEASURE_LABELS.get(m, m), layers_label(lay), *(fmt(v) for v in vals)]
            for m, lay, vals in rows
        ]
        body += [
            [
                f"{MEASURE_LABELS.get(m, m)}: {_attribute_label(tags, key)}",
                layers_label(lay),
                fmt(v),
            ]
            for m, lay, key, v, _n in attrs
        ]
        self.table.setRowCount(len(body))
        for r, cells in enumerate(body):
            for c, value in enumerate(cells):
                cell = QTableWidgetItem(value)
                if c >= 2:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, cell)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)


def _attribute_label(tags: TagSet, key: str) -> str:
    """``appeal.action`` as people read it: ``Appeal · Action asked``."""
    tag, _, name = key.partition(".")
    if not tags.has_tag(tag):
        return key
    tt = tags.tag(tag)
    attr = next((a for a in tt.attributes if a.name == name), None)
    return f"{tt.label} · {attr.label or attr.name}" if attr is not None else f"{tt.label} · {name}"


__all__ = ["AgreementTab"]
