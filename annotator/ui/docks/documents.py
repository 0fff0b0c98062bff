"""The Documents panel: every release with its headline, country, date, status and counts.

One table model over the project's documents, one proxy for the filters. The
model keeps per-document tag counts of the user's layer and, on
``annotationsChanged``, recounts only the touched document, so it stays fast at
10,000 releases. Sorting is done by the source model on plain Python keys (one
``sorted`` call) instead of the proxy's per-comparison ``data()`` calls.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from annotator.model import Change, Document, SetStatus, Status
from annotator.ui import keymap
from annotator.ui.docks.common import (
    STATUS_COLORS,
    STATUS_LABELS,
    NavTable,
    SourceSortedFilterProxy,
    elide,
    rows_reordered,
    swatch_icon,
)
from annotator.ui.notifier import Notifier
from annotator.ui.session import ProjectSession

#: Headline and Status lead, one count column per tag follows (what people scan for), then
#: Country and Date, whose positions depend on the number of tags (``model.col_country``).
COL_HEADLINE, COL_STATUS = 0, 1
FIRST_TAG_COL = 2
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 2
_STATUS_ORDER = {s: i for i, s in enumerate(Status)}
_Index = QModelIndex | QPersistentModelIndex


class DocumentTableModel(QAbstractTableModel):
    """Rows are documents (project order until sorted); one count column per tag."""

    def __init__(self, session: ProjectSession, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        #: a narrow panel shows the status as its coloured dot only (the word in the tooltip)
        self.compact_status = False
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._counts: dict[str, Counter[str]] = {}
        #: document id -> {annotation id: tag} as counted, for documents edited so far
        self._tag_of: dict[str, dict[str, str]] = {}
        self._folded: dict[str, str] = {}
        self._tags = list(session.project.tagset.tags)
        session.projectReplaced.connect(self.reload)
        session.tagsetChanged.connect(self.reload)  # one count column per tag
        session.annotationsChanged.connect(self._on_change)
        session.currentDocumentChanged.connect(self._remember_tags)
        self.reload()

    # --- data ---------------------------------------------------------------------

    def reload(self) -> None:
        self.beginResetModel()
        project = self.session.project
        self._tags = list(project.tagset.tags)
        self._ids = list(project.documents)
        self._reindex()
        self._folded.clear()
        layer = project.layers.get(self.session.layer)
        self._counts = {}
        self._tag_of = {}
        if layer is not None:
            for doc_id, da in layer.docs.items():
                if da.annotations:
                    self._counts[doc_id] = Counter(a.tag for a in da.annotations.values())
        self.endResetModel()

    def _reindex(self) -> None:
        self._row = {doc_id: i for i, doc_id in enumerate(self._ids)}

    def _remember_tags(self, doc_id: str) -> None:
        """Note the tags of the document just opened, where edits happen, so its first
        edit is counted by difference too (opening it costs that pass anyway)."""
        if doc_id in self._row and doc_id not in self._tag_of:
            self._recount(doc_id)

    def _recount(self, doc_id: str, ann_ids: tuple[str, ...] = ()) -> None:
        """Bring one document's counts up to date.

        With the ids an edit names, only those annotations are looked at: the tag
        each had when last counted is remembered (per document, from its first
        edit on), so tagging in a release of 10,000 annotations costs no recount.
        """
        layer = self.session.project.layers.get(self.session.layer)
        da = layer.docs.get(doc_id) if layer is not None else None
        anns = da.annotations if da is not None else {}
        seen = self._tag_of.get(doc_id)
        if ann_ids and seen is not None:
            counts = self._counts.setdefault(doc_id, Counter())
            for aid in ann_ids:
                before = seen.pop(aid, None)
                if before is not None:
                    counts[before] -= 1
                ann = anns.get(aid)
                if ann is not None:
                    seen[aid] = ann.tag
                    counts[ann.tag] += 1
            if not anns:
                self._counts.pop(doc_id, None)
            return
        self._tag_of[doc_id] = {aid: a.tag for aid, a in anns.items()}
        if anns:
            self._counts[doc_id] = Counter(self._tag_of[doc_id].values())
        else:
            self._counts.pop(doc_id, None)

    def _on_change(self, change: Change) -> None:
        row = self._row.get(change.doc_id) if change.doc_id else None
        if row is None:  # whole project, or a document we have not seen: start over
            self.reload()
            return
        if change.text_changed:  # annotations of every layer may have moved or gone
            self._folded.pop(change.doc_id, None)
            self._recount(change.doc_id)
        elif change.layer == self.session.layer:
            self._recount(change.doc_id, change.ann_ids if change.named else ())
        # else the document's own fields (status) or another layer: counts stand
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def document(self, row: int) -> Document:
        return self.session.project.documents[self._ids[row]]

    def row_of(self, doc_id: str) -> int:
        return self._row.get(doc_id, -1)

    def count(self, doc_id: str, tag: str) -> int:
        counts = self._counts.get(doc_id)
        return counts[tag] if counts else 0

    def status(self, doc: Document) -> Status:
        return doc.status_of(self.session.user)

    def folded_text(self, doc: Document) -> str:
        """The document's text case-folded once, so filtering 10,000 texts stays quick."""
        folded = self._folded.get(doc.id)
        if folded is None:
            folded = self._folded[doc.id] = doc.text.casefold()
        return folded

    def tag_of_column(self, column: int) -> str | None:
        i = column - FIRST_TAG_COL
        return self._tags[i].name if 0 <= i < len(self._tags) else None

    def tag_key(self, column: int) -> str:
        """The key that applies the column's tag (its shortcut, else its place: 1, 2, …)."""
        i = column - FIRST_TAG_COL
        if not 0 <= i < len(self._tags):
            return ""
        return self._tags[i].shortcut or (str(i + 1) if i < 9 else self._tags[i].label[:3])

    def column_of_tag(self, tag: str) -> int:
        names = [t.name for t in self._tags]
        return FIRST_TAG_COL + names.index(tag) if tag in names else -1

    @property
    def col_country(self) -> int:
        return FIRST_TAG_COL + len(self._tags)

    @property
    def col_date(self) -> int:
        return FIRST_TAG_COL + len(self._tags) + 1

    # --- Qt model interface -------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIRST_TAG_COL + len(self._tags) + 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        tag = self.tag_of_column(section)
        tt = self.session.project.tagset.tag(tag) if tag else None
        if role == Qt.ItemDataRole.DisplayRole:
            if tt is not None:  # swatch + the tag's key, as on the palette: counts stay narrow
                return self.tag_key(section)
            fixed = {COL_HEADLINE: "Headline", COL_STATUS: "" if self.compact_status else "Status"}
            fixed.update({self.col_country: "Country", self.col_date: "Date"})
            return fixed.get(section)
        if tt is not None and role == Qt.ItemDataRole.DecorationRole:
            return swatch_icon(tt.color)
        if tt is not None and role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{tt.label} (key {self.tag_key(section)}): how many {tt.label} annotations"
                " you have made in each release"
            )
        if tt is not None and role == Qt.ItemDataRole.AccessibleTextRole:
            return tt.label
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_STATUS:
            return "Status (your own, of each release)"
        if role == Qt.ItemDataRole.ToolTipRole and section in (self.col_country, self.col_date):
            return "Right-click the header to show or hide columns"
        return None

    def multiData(self, index: _Index, roleDataSpan: Any) -> None:
        """Every role a cell is painted with, in one call from Qt (see the Annotations
        panel's model: seven calls into Python per cell made repaints slow)."""
        data = self.data
        for item in roleDataSpan:
            item.setData(data(index, item.role()))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        doc = self.document(index.row())
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_HEADLINE:
                return doc.meta.headline or f"{doc.id} — {elide(doc.text, 60)}"
            if col == self.col_country:
                return doc.meta.country
            if col == self.col_date:
                return doc.meta.date
            if col == COL_STATUS:
                return STATUS_LABELS[self.status(doc)]
            tag = self.tag_of_column(col)
            return str(self.count(doc.id, tag)) if tag else None
        if role == SORT_ROLE:
            return self.sort_key(doc, col)
        if role == DOC_ID_ROLE:
            return doc.id
        if role == Qt.ItemDataRole.DecorationRole and col == COL_STATUS:
            return swatch_icon(STATUS_COLORS[self.status(doc)], 12, True)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_HEADLINE:
            parts = [doc.meta.headline or "(no headline)", f"id: {doc.id}"]
            if doc.meta.country or doc.meta.date:
                parts.append(" · ".join(p for p in (doc.meta.country, doc.meta.date) if p))
            if doc.meta.ai_index:
                parts.append(f"AI index: {doc.meta.ai_index}")
            if doc.meta.source_name:
                parts.append(f"source: {doc.meta.source_name}")
            parts.append(f"status: {STATUS_LABELS[self.status(doc)]}")
            counts = [f"{t.label}: {self.count(doc.id, t.name)}" for t in self._tags]
            if counts:
                parts.append(" · ".join(counts))
            return "\n".join(parts)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_STATUS:
            return STATUS_LABELS[self.status(doc)]
        if role == Qt.ItemDataRole.TextAlignmentRole and self.tag_of_column(col):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == COL_HEADLINE and not doc.meta.headline:
                return QBrush(QColor("#707070"))
            tag = self.tag_of_column(col)
            if tag and not self.count(doc.id, tag):
                return QBrush(QColor("#9a9a9a"))
        if role == Qt.ItemDataRole.FontRole and col == COL_HEADLINE and not doc.meta.headline:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def sort_key(self, doc: Document, col: int) -> Any:
        if col == COL_HEADLINE:
            return (doc.meta.headline or doc.text).casefold()
        if col == self.col_country:
            return doc.meta.country.casefold()
        if col == self.col_date:
            return doc.meta.date
        if col == COL_STATUS:
            return _STATUS_ORDER[self.status(doc)]
        tag = self.tag_of_column(col)
        return self.count(doc.id, tag) if tag else 0

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder rows with one Python sort; persistent indexes follow their documents."""
        if column >= self.columnCount():
            return
        with rows_reordered(self, lambda r: self._ids[r], lambda d: self._row[d]):
            docs = self.session.project.documents
            pos = {doc_id: i for i, doc_id in enumerate(docs)}  # ties keep project order
            self._ids.sort(key=lambda d: pos[d])
            if column >= 0:  # column -1: back to project order
                self._ids.sort(
                    key=lambda d: self.sort_key(docs[d], column),
                    reverse=order == Qt.SortOrder.DescendingOrder,
                )
            self._reindex()


class DocumentFilterProxy(SourceSortedFilterProxy):
    """Free text (headline or text), status and country filters; sorting goes to the source."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.status: Status | None = None
        self.country = ""

    def set_filters(
        self, text: str | None = None, status: Status | str | None = "", country: str | None = None
    ) -> None:
        self.begin_filter_change()
        if text is not None:
            self.text = text.strip().casefold()
        if status != "":
            self.status = Status(status) if status else None
        if country is not None:
            self.country = country
        self.end_filter_change()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, DocumentTableModel)
        doc = model.document(source_row)
        if self.status is not None and model.status(doc) != self.status:
            return False
        if self.country and doc.meta.country != self.country:
            return False
        if self.text:
            return self.text in doc.meta.headline.casefold() or self.text in model.folded_text(doc)
        return True


class _StatusDelegate(QStyledItemDelegate):
    """The status cell as its coloured dot only, while the panel is narrow."""

    def __init__(self, model: DocumentTableModel, parent: QWidget) -> None:
        super().__init__(parent)
        self._model = model

    def initStyleOption(self, option: QStyleOptionViewItem, index: Any) -> None:
        super().initStyleOption(option, index)
        if self._model.compact_status:
            option.text = ""


class DocumentsDock(QDockWidget):
    """Filterable list of releases; selecting one makes it the current document."""

    def sizeHint(self) -> QSize:
        """Initial size in the main window: headline, status and counts; the text gets the rest."""
        return QSize(420, 600)

    statusEdited = Signal(str, str)  # doc id, status value

    def __init__(
        self, session: ProjectSession, notifier: Notifier, parent: QWidget | None = None
    ) -> None:
        super().__init__("Documents", parent)
        self.setObjectName("DocumentsDock")
        self.session = session
        self.notifier = notifier
        self.model = DocumentTableModel(session, self)
        self.proxy = DocumentFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)

        self.search = QLineEdit(body)
        self.search.setPlaceholderText("Filter by headline or text…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Filter documents by headline or text")
        self.status_filter = QComboBox(body)
        self.status_filter.setAccessibleName("Filter documents by status")
        self.status_filter.addItem("Any status", "")
        for status, label in STATUS_LABELS.items():
            self.status_filter.addItem(swatch_icon(STATUS_COLORS[status], 12, True), label, status)
        self.country_filter = QComboBox(body)
        self.country_filter.setAccessibleName("Filter documents by country")
        self.country_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        filters = QHBoxLayout()
        filters.setSpacing(4)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.country_filter, 1)
        layout.addWidget(self.search)
        layout.addLayout(filters)

        self.table = NavTable(body, self.proxy, "Documents")
        self.table.setItemDelegateForColumn(COL_STATUS, _StatusDelegate(self.model, self.table))
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSectionsMovable(True)
        self._shown_extra: set[str] = set()  # "country"/"date" columns the user asked for
        header = self.table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        layout.addWidget(self.table, 1)
        self.summary = QLabel(body)
        self.summary.setStyleSheet("color: palette(dark);")
        layout.addWidget(self.summary)
        self.setWidget(body)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self._apply_text_filter)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._apply_text_filter)
        self.status_filter.currentIndexChanged.connect(self._apply_combo_filters)
        self.country_filter.currentIndexChanged.connect(self._apply_combo_filters)
        self.table.userChose.connect(self._on_user_chose)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.timeout.connect(self._update_summary)
        for sig in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            sig.connect(self._schedule_summary)
        session.currentDocumentChanged.connect(self._show_current)
        session.projectReplaced.connect(self._on_project_replaced)

        self.status_actions: dict[Status, QAction] = {}
        for status, label in STATUS_LABELS.items():
            act = QAction(
                swatch_icon(STATUS_COLORS[status], 12, True), f"Mark {label.lower()}", self
            )
            act.setData(status)
            act.triggered.connect(lambda _c=False, s=status: self.set_status(s))
            self.status_actions[status] = act
        keymap.bind(self.status_actions[Status.NOT_STARTED], "documents.not_started")
        keymap.bind(self.status_actions[Status.IN_PROGRESS], "documents.in_progress")
        keymap.bind(self.status_actions[Status.DONE], "documents.done")
        cycle = keymap.bind(QAction("Cycle status", self.table), "documents.cycle_status")
        cycle.triggered.connect(self.cycle_status)
        self.table.addAction(cycle)

        self._on_project_replaced()

    # --- filters ------------------------------------------------------------------

    def _refill_countries(self) -> None:
        current = self.country_filter.currentData() or ""
        countries = sorted(
            {d.meta.country for d in self.session.project.documents.values() if d.meta.country},
            key=str.casefold,
        )
        self.country_filter.blockSignals(True)
        self.country_filter.clear()
        self.country_filter.addItem("All countries", "")
        for c in countries:
            self.country_filter.addItem(c, c)
        i = self.country_filter.findData(current)
        self.country_filter.setCurrentIndex(max(0, i))
        self.country_filter.blockSignals(False)

    def _apply_text_filter(self) -> None:
        self._search_timer.stop()
        self.proxy.set_filters(text=self.search.text())
        self._after_filter()

    def _apply_combo_filters(self) -> None:
        self.proxy.set_filters(
            status=self.status_filter.currentData() or None,
            country=self.country_filter.currentData() or "",
        )
        self._after_filter()

    def set_filters(
        self, text: str | None = None, status: Status | str | None = "", country: str | None = None
    ) -> None:
        """Set any of the filters at once (the widgets follow)."""
        if text is not None:
            self.search.blockSignals(True)
            self.search.setText(text)
            self.search.blockSignals(False)
        if status != "":
            self.status_filter.blockSignals(True)
            self.status_filter.setCurrentIndex(max(0, self.status_filter.findData(status or "")))
            self.status_filter.blockSignals(False)
        if country is not None:
            self.country_filter.blockSignals(True)
            self.country_filter.setCurrentIndex(max(0, self.country_filter.findData(country)))
            self.country_filter.blockSignals(False)
        self.proxy.set_filters(text, status, country)
        self._after_filter()

    def _after_filter(self) -> None:
        self._show_current(self.session.current_doc_id)
        self._update_summary()

    def _schedule_summary(self, *_args: object) -> None:
        self._summary_timer.start(0)  # once per batch of row changes, not per range

    def _update_summary(self, *_args: object) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        done = sum(
            1
            for d in self.session.project.documents.values()
            if d.status_of(self.session.user) == Status.DONE
        )
        prefix = f"{shown:,} of {total:,} releases" if shown != total else f"{total:,} releases"
        self.summary.setText(f"{prefix} · {done:,} done")

    # --- navigation ------------------------------------------------------------------

    def visible_doc_ids(self) -> list[str]:
        """Document ids in the order the table shows them (after filters and sorting)."""
        return [self.proxy.index(r, 0).data(DOC_ID_ROLE) for r in range(self.proxy.rowCount())]

    def _current_proxy_row(self) -> int:
        row = self.model.row_of(self.session.current_doc_id)
        if row < 0:
            return -1
        return self.proxy.mapFromSource(self.model.index(row, 0)).row()

    def _go(self, step: int) -> None:
        rows = self.proxy.rowCount()
        if not rows:
            return
        cur = self._current_proxy_row()
        target = (0 if step > 0 else rows - 1) if cur < 0 else cur + step
        if 0 <= target < rows:
            self.session.set_current_document(self.proxy.index(target, 0).data(DOC_ID_ROLE))

    def select_next(self) -> None:
        """Open the next release in the table's order (filters and sorting apply)."""
        self._go(1)

    def select_previous(self) -> None:
        self._go(-1)

    def _on_user_chose(self, current: QModelIndex) -> None:
        if current.isValid():
            self.session.set_current_document(current.data(DOC_ID_ROLE))

    def _show_current(self, doc_id: str) -> None:
        """Select the current document's row without re-triggering navigation."""
        row = self.model.row_of(doc_id)
        sel = self.table.selectionModel()
        pidx = self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else QModelIndex()
        sel.blockSignals(True)
        if pidx.isValid():
            sel.setCurrentIndex(
                pidx,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        else:
            sel.clearSelection()
            sel.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)
        sel.blockSignals(False)
        self.table.viewport().update()
        if pidx.isValid():
            self.table.scrollTo(pidx)

    def _on_project_replaced(self) -> None:
        self._refill_countries()
        self.proxy.set_filters(country=self.country_filter.currentData() or "")
        self._size_columns()
        self._after_filter()

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # the headline is what people read: it gets whatever room the panel has
        header.setSectionResizeMode(COL_HEADLINE, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        fm = self.fontMetrics()
        header.setMinimumSectionSize(fm.horizontalAdvance("M") * 2)
        countries = {d.meta.country for d in self.session.project.documents.values()}
        widest = max((fm.horizontalAdvance(c) for c in countries), default=0)
        header.resizeSection(
            self.model.col_country, min(max(widest, fm.horizontalAdvance("Country")), 150) + 16
        )
        header.resizeSection(self.model.col_date, fm.horizontalAdvance("2000-00-00") + 16)
        header.resizeSection(COL_STATUS, fm.horizontalAdvance("Not started") + 30)
        for col in range(FIRST_TAG_COL, self.model.col_country):
            label = str(self.model.headerData(col, Qt.Orientation.Horizontal))
            widest = max(fm.horizontalAdvance(label), fm.horizontalAdvance("999"))
            header.resizeSection(col, widest + 28)  # swatch, key, sort arrow
        # country and date are in the headline's tooltip and the filter; shown on request
        for name, col in self._extra_columns().items():
            self.table.setColumnHidden(col, name not in self._shown_extra)
        self._fit_columns()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Keep the headline readable in a narrow panel (a 1024 px laptop gives it about
        200 px): first the status shrinks to its dot, then the per-tag counts step aside.
        Both come back when the panel is wide again; the headline's tooltip has them all."""
        header = self.table.horizontalHeader()
        fm = self.fontMetrics()
        avail = self.table.viewport().width() or self.width()
        want = max(fm.horizontalAdvance("M") * 14, int(avail * 0.55))
        tag_cols = list(range(FIRST_TAG_COL, self.model.col_country))
        counts = 0
        for col in tag_cols:
            label = str(self.model.headerData(col, Qt.Orientation.Horizontal))
            counts += max(fm.horizontalAdvance(label), fm.horizontalAdvance("999")) + 28
        extra = sum(
            header.sectionSize(col)
            for col in self._extra_columns().values()
            if not self.table.isColumnHidden(col)
        )
        full, dot = fm.horizontalAdvance("Not started") + 30, 30
        compact = avail - extra - full - counts < want
        hide_counts = compact and avail - extra - dot - counts < want
        if compact != self.model.compact_status:
            self.model.compact_status = compact
            self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, COL_STATUS, COL_STATUS)
            self.table.viewport().update()
        header.resizeSection(COL_STATUS, dot if compact else full)
        for col in tag_cols:
            if self.table.isColumnHidden(col) != hide_counts:
                self.table.setColumnHidden(col, hide_counts)

    def _extra_columns(self) -> dict[str, int]:
        return {"country": self.model.col_country, "date": self.model.col_date}

    def _header_menu(self, pos: Any) -> None:
        """Right-click on the header: show or hide the country and date columns."""
        menu = QMenu(self)
        for name, col in self._extra_columns().items():
            action = menu.addAction(str(self.model.headerData(col, Qt.Orientation.Horizontal)))
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(col))
            action.toggled.connect(lambda on, n=name: self.show_column(n, on))
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))

    def show_column(self, name: str, on: bool) -> None:
        """Show or hide the "country" or "date" column."""
        if on:
            self._shown_extra.add(name)
        else:
            self._shown_extra.discard(name)
        self.table.setColumnHidden(self._extra_columns()[name], not on)

    # --- status -----------------------------------------------------------------------

    def set_status(self, status: Status, doc_id: str | None = None) -> None:
        """Set the user's status on a document (the current one by default), undoably."""
        doc_id = doc_id or self.session.current_doc_id
        if not doc_id:
            return
        if self.session.project.document(doc_id).status_of(self.session.user) == status:
            return
        command = SetStatus(doc_id, self.session.user, status)
        if self.notifier.run(lambda: self.session.execute(command)) is None:
            return
        self.statusEdited.emit(doc_id, str(status))
        self._update_summary()

    def cycle_status(self) -> None:
        doc_id = self.session.current_doc_id
        if not doc_id:
            return
        order = list(Status)
        cur = self.session.project.document(doc_id).status_of(self.session.user)
        self.set_status(order[(order.index(cur) + 1) % len(order)], doc_id)

    def _context_menu(self, pos: Any) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        doc_id = index.data(DOC_ID_ROLE)
        self.session.set_current_document(doc_id)
        menu = QMenu(self)
        current = self.session.project.document(doc_id).status_of(self.session.user)
        for status, act in self.status_actions.items():
            act.setCheckable(True)
            act.setChecked(status == current)
            menu.addAction(act)
        menu.exec(self.table.viewport().mapToGlobal(pos))
