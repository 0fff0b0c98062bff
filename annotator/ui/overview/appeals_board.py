"""The Appeals board page of the Overview: every appeal with its addressees and victims, live.

The rows are the export's appeals table (:mod:`annotator.insight.appeals` over
:func:`annotator.interchange.tables.appeal_rows`): what ``annotator export
--format appeals-csv`` writes, here as it is now. Each edit computes the rows
of its release again, so the board follows the tagging. Type in the filter to
keep the rows holding every word (anywhere, or in one column), click a header
to sort, double-click (or Enter) to open the release at the appeal. **Copy**
(Ctrl+C in the board) puts the rows shown, in their order, on the clipboard as
TSV (a spreadsheet pastes cells) and as an HTML table (a word processor pastes a
table).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import AnnotatorError
from annotator.insight.appeals import COLUMN_LABELS, AppealRow, appeals, filter_words, matches
from annotator.insight.appeals import to_html as appeals_html
from annotator.insight.appeals import to_tsv as appeals_tsv
from annotator.insight.scope import Filter, Scope
from annotator.model import Change
from annotator.ui import keymap
from annotator.ui.overview.rows import (
    KEY_ROLE,
    Elide,
    RowsModel,
    describe,
    page_scope,
    touched_documents,
)
from annotator.ui.session import ProjectSession

#: the columns the board shows (and copies), in this order: who is asked and for whom
#: next to the appeal, so a narrow panel shows them; the appeal's id stays out
SHOWN = (
    "document",
    "appeal_text",
    "addressees",
    "victims",
    "actions",
    "kind",
    "date",
    "country",
    "addressee_kinds",
    "victim_groups",
    "victim_harms",
    "headline",
)

#: what a double-click does: (layer, document id, annotation id) -> opened
Reveal = Callable[[str, str, str], bool]


class AppealsModel(RowsModel[AppealRow]):
    def __init__(self) -> None:
        super().__init__([COLUMN_LABELS[c] for c in SHOWN])
        self.words: list[str] = []
        self.column: str | None = None

    def cell(self, row: AppealRow, column: int) -> str:
        return row.cell(SHOWN[column])

    def sort_key(self, column: int) -> Callable[[AppealRow], Any]:
        name = SHOWN[column]
        return lambda r: r.cell(name).casefold()

    def filtering(self) -> bool:
        return bool(self.words)

    def accepts(self, row: AppealRow) -> bool:
        return matches(row, self.words, self.column)


class AppealsBoard(QWidget):
    """Filter, count, Copy, and the table of appeals."""

    def __init__(
        self, session: ProjectSession, reveal: Reveal, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("appealsBoard")
        self.session = session
        self.reveal = reveal
        self.filter = Filter()
        self.scope: Scope | None = None
        self._stale: set[str] | None = None
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("appealsFilter")
        self.filter_edit.setPlaceholderText("Filter appeals: words anywhere in the row")
        self.filter_edit.setClearButtonEnabled(True)
        self.column_box = QComboBox(self)
        self.column_box.addItem("Anywhere", None)
        for c in SHOWN:
            self.column_box.addItem(f"in {COLUMN_LABELS[c]}", c)
        self.count_label = QLabel(self)
        self.copy_button = QPushButton("&Copy", self)
        self.copy_button.setToolTip(
            "Copy the appeals shown to the clipboard, as a table "
            f"({keymap.key_text('overview.copy_appeals')} in the board)"
        )
        self.model = AppealsModel()
        self.table = QTableView(self)
        self.table.setObjectName("appealsTable")
        self.table.setModel(self.model)
        ids = Qt.TextElideMode.ElideMiddle  # release ids differ at their end
        self.table.setItemDelegate(Elide({SHOWN.index("document"): ids}, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, self.model.sort_order)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        head = self.table.horizontalHeader()
        widths = {"document": 110, "date": 90, "country": 110, "appeal_text": 300}
        for i, c in enumerate(SHOWN):
            head.resizeSection(i, widths.get(c, 150))
        self.table.activated.connect(self._open)

        self.copy_action = keymap.bind(QAction("Copy Appeals Table", self), "overview.copy_appeals")
        self.copy_action.triggered.connect(self.copy)
        self.table.addAction(self.copy_action)  # in the table: the filter field copies its text
        self.copy_button.clicked.connect(self.copy)

        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit, 2)
        bar.addWidget(self.column_box)
        bar.addWidget(self.count_label, 1)
        bar.addWidget(self.copy_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.addLayout(bar)
        box.addWidget(self.table, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.update_rows)
        self.filter_edit.textChanged.connect(self._on_filter)
        self.column_box.currentIndexChanged.connect(lambda _i: self._on_filter())
        self.model.shownChanged.connect(self._count)
        session.projectReplaced.connect(self.refresh)
        session.tagsetChanged.connect(self.refresh)  # value labels in the cells
        session.annotationsChanged.connect(self._on_change)

    # --- filter -----------------------------------------------------------------------------

    def set_filter(self, flt: Filter) -> None:
        """Follow the Overview's filter (layer, status, country, dates)."""
        if flt == self.filter:
            return  # the period changed, or nothing
        self.filter = flt
        self.refresh()

    def _on_filter(self, _text: str = "") -> None:
        self.model.words = filter_words(self.filter_edit.text())
        data = self.column_box.currentData()
        self.model.column = data if isinstance(data, str) else None
        self.model.refilter()

    def _count(self) -> None:
        shown, total = len(self.model.shown), len(self.model.all_rows)
        what = "appeal" if total == 1 else "appeals"
        counted = f"{total} {what}" if shown == total else f"{shown} of {total} {what}"
        scope = f" · {describe(self.scope, self.filter)}" if self.scope is not None else ""
        self.count_label.setText(counted + scope)

    # --- computing ---------------------------------------------------------------------------

    def refresh(self) -> None:
        self._stale = None
        if self.isVisible():
            self.update_rows()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale is None or self._stale:
            self.update_rows()

    def _on_change(self, change: Change) -> None:
        docs = touched_documents(change, self.scope.layer if self.scope is not None else "")
        if docs is None:
            self._stale = None
        elif not change.layer and not change.text_changed:
            if self.filter.status:
                self._stale = None
            elif self._stale is not None:
                self._stale |= docs  # the release's headline, country or date may show
        elif self._stale is not None:
            self._stale |= docs
        if self.isVisible() and (self._stale is None or self._stale):
            self._timer.start()

    def update_rows(self) -> None:
        self._timer.stop()
        stale, self._stale = self._stale, set()
        try:
            if stale is None or self.scope is None:
                self.scope = page_scope(self.session, self.filter)
                order = {d.id: i for i, d in enumerate(self.scope.documents)}
                self.model.set_rows(appeals(self.scope), order)
            elif stale:
                project = self.session.project
                docs = [project.documents[d] for d in stale if d in self.model.order]
                self.model.replace_documents(stale, appeals(self.scope, docs))
        except AnnotatorError as e:
            self.model.set_rows([])
            self.count_label.setText(str(e))

    # --- copy and open -------------------------------------------------------------------------

    def copy(self) -> None:
        """The rows shown, in their order, as TSV and as an HTML table."""
        rows = self.model.shown
        mime = QMimeData()
        mime.setText(appeals_tsv(rows, SHOWN))
        mime.setHtml(appeals_html(rows, SHOWN))
        QGuiApplication.clipboard().setMimeData(mime)
        n = len(rows)
        self.count_label.setText(f"copied {n} {'appeal' if n == 1 else 'appeals'}")

    def _open(self, index: QModelIndex) -> None:
        if not index.isValid() or self.scope is None:
            return
        doc_id, ann_id = index.data(KEY_ROLE)
        self.reveal(self.scope.layer, doc_id, ann_id)
