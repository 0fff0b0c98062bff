"""The Concordance page of the Overview: every annotation of a tag in its context.

Choose a tag (and, to narrow it, one value of one of its attributes); each
annotation is a row: the release, the left context right-aligned against the
span, the span, and the right context, in a fixed-width font so the spans line
up as in a printed concordance. A long left context is cut on its left (the
words next to the span stay), a long right context on its right. Click a column
header to sort: by span, by the left context read from the span outwards (as
concordancers do), by the right context, or back in release order. Double-click
(or Enter) opens the release at the annotation, selected in the text.

The lines are :func:`annotator.insight.kwic.concordance`'s (what ``annotator
kwic`` prints), each cut when first shown or sorted; after an edit, the lines of
that release alone are computed again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QColor, QFontDatabase, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import AnnotatorError
from annotator.insight.kwic import KwicLine, SortBy, document_matching, matching, sort_key
from annotator.insight.kwic import line as kwic_line
from annotator.insight.kwic import value_choices as kwic_value_choices
from annotator.insight.scope import Filter, Scope
from annotator.model import Annotation, Change, Document
from annotator.ui.overview.rows import (
    KEY_ROLE,
    Elide,
    RowsModel,
    describe,
    page_scope,
    touched_documents,
)
from annotator.ui.session import ProjectSession
from annotator.wording import count

#: characters of context kept each side; the view cuts what does not fit its column
CONTEXT_CHARS = 80

RELEASE, LEFT, SPAN, RIGHT = range(4)
_SORT_BY: dict[int, SortBy] = {LEFT: "left", SPAN: "span", RIGHT: "right"}

#: what a double-click does: (layer, document id, annotation id) -> opened
Reveal = Callable[[str, str, str], bool]


class Entry:
    """A row: one annotation, its line (contexts cut) computed when first shown or sorted.

    Cutting the contexts is most of a concordance's work; a page of 80,000 rows
    shows a few dozen, so it opens without cutting the rest.
    """

    __slots__ = ("_line", "ann", "doc", "text")

    def __init__(self, doc: Document, ann: Annotation) -> None:
        self.doc = doc
        self.ann = ann
        #: the text the line is cut from (a corrected text is another string)
        self.text = doc.text
        self._line: KwicLine | None = None

    def same(self, doc: Document, ann: Annotation) -> bool:
        """Still this annotation on this text (edits replace an annotation with a copy)."""
        return self.ann is ann and self.text is doc.text and self.doc is doc

    @property
    def doc_id(self) -> str:
        return self.doc.id

    @property
    def ann_id(self) -> str:
        return self.ann.id

    @property
    def line(self) -> KwicLine:
        if self._line is None:
            self._line = kwic_line(self.doc, self.ann, CONTEXT_CHARS)
        return self._line


class ConcordanceModel(RowsModel[Entry]):
    def __init__(self) -> None:
        super().__init__(["Release", "Left context", "Span", "Right context"])
        self.span_color = QColor()

    def cell(self, row: Entry, column: int) -> str:
        if column == RELEASE:
            return row.doc.meta.headline or row.doc.id
        ln = row.line
        if column == LEFT:
            return ln.left
        if column == SPAN:
            return ln.span
        return ln.right

    def sort_key(self, column: int) -> Callable[[Entry], Any]:
        if column == RELEASE:
            order = self.order
            return lambda e: (order.get(e.doc.id, -1), e.ann.start, -e.ann.end)
        key = sort_key(_SORT_BY[column])  # the core's order, as `annotator kwic` would
        return lambda e: key(e.line)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and index.isValid():
            side = (
                Qt.AlignmentFlag.AlignRight
                if index.column() == LEFT
                else Qt.AlignmentFlag.AlignLeft
            )
            return side | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == RELEASE and index.isValid():
            doc = self.shown[index.row()].doc
            return f"{doc.meta.headline}\n{doc.id}".strip()
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == SPAN:
            return self.span_color if self.span_color.isValid() else None
        return super().data(index, role)


def tint(color: str, share: float = 0.25) -> QColor:
    """The tag's colour mixed into white, light enough for black text on it."""
    c = QColor(color)
    if not c.isValid():
        return QColor()
    mix = [round(255 - (255 - v) * share) for v in (c.red(), c.green(), c.blue())]
    return QColor(*mix)


class ConcordancePage(QWidget):
    """The page: tag and value choosers, the count, and the lines."""

    def __init__(
        self, session: ProjectSession, reveal: Reveal, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("concordancePage")
        self.session = session
        self.reveal = reveal
        self.filter = Filter()
        self.scope: Scope | None = None
        #: releases whose lines an edit changed since they were computed (None: all)
        self._stale: set[str] | None = None
        self.tag_box = QComboBox(self)
        self.tag_box.setObjectName("concordanceTag")
        self.value_box = QComboBox(self)
        self.value_box.setObjectName("concordanceValue")
        self.count_label = QLabel(self)
        self.model = ConcordanceModel()
        self.table = QTableView(self)
        self.table.setObjectName("concordanceTable")
        self.table.setModel(self.model)
        left, middle = Qt.TextElideMode.ElideLeft, Qt.TextElideMode.ElideMiddle
        self.table.setItemDelegate(Elide({LEFT: left, SPAN: middle}, self.table))
        self.table.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(LEFT, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(RIGHT, QHeaderView.ResizeMode.Stretch)
        head.resizeSection(RELEASE, 130)
        head.resizeSection(SPAN, 240)
        self.table.activated.connect(self._open)

        bar = QHBoxLayout()
        for text, box_ in (("&Tag:", self.tag_box), ("&Value:", self.value_box)):
            label = QLabel(text, self)
            label.setBuddy(box_)
            bar.addWidget(label)
            bar.addWidget(box_, 1 if box_ is self.value_box else 0)
        bar.addWidget(self.count_label)
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.addLayout(bar)
        box.addWidget(self.table, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)  # a burst of keys is one update
        self._timer.timeout.connect(self.update_lines)
        self._fill_tags()
        self.tag_box.currentIndexChanged.connect(self._on_tag)
        self.value_box.currentIndexChanged.connect(lambda _i: self.refresh())
        session.projectReplaced.connect(self._on_project_replaced)
        session.tagsetChanged.connect(self._on_project_replaced)  # tags renamed, values merged
        session.annotationsChanged.connect(self._on_change)

    # --- choosers -----------------------------------------------------------------------

    def _fill_tags(self) -> None:
        tagset = self.session.project.tagset
        current = self.tag_box.currentData()
        self.tag_box.blockSignals(True)
        self.tag_box.clear()
        for tt in tagset.tags:
            self.tag_box.addItem(tt.label, tt.name)
        at = self.tag_box.findData(current)
        self.tag_box.setCurrentIndex(max(0, at))
        self.tag_box.blockSignals(False)
        self._fill_values()

    def _fill_values(self) -> None:
        self.value_box.blockSignals(True)
        self.value_box.clear()
        self.value_box.addItem("Any value", None)
        for attr, value, label in kwic_value_choices(self.session.project.tagset, self.tag):
            self.value_box.addItem(label, (attr, value))
        self.value_box.blockSignals(False)

    @property
    def tag(self) -> str:
        data = self.tag_box.currentData()
        return data if isinstance(data, str) else ""

    @property
    def values(self) -> dict[str, str]:
        data = self.value_box.currentData()
        return {data[0]: data[1]} if isinstance(data, tuple) else {}

    def choose(self, tag: str, attribute: str = "", value: str = "") -> None:
        """Show ``tag`` (narrowed to ``attribute`` = ``value`` when given)."""
        self.tag_box.setCurrentIndex(self.tag_box.findData(tag))
        if attribute:
            self.value_box.setCurrentIndex(self.value_box.findData((attribute, value)))
        self.refresh()

    def _on_tag(self, _index: int) -> None:
        self._fill_values()
        self.refresh()

    def set_filter(self, flt: Filter) -> None:
        """Follow the Overview's filter (layer, status, country, dates)."""
        if flt == self.filter:
            return  # the period changed, or nothing
        self.filter = flt
        self.refresh()

    # --- computing --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Compute every line again (now if the page is shown, else when it is)."""
        self._stale = None
        if self.isVisible():
            self.update_lines()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale is None or self._stale:
            self.update_lines()

    def _on_project_replaced(self) -> None:
        self._fill_tags()
        self.refresh()

    def _on_change(self, change: Change) -> None:
        layer = self.scope.layer if self.scope is not None else ""
        docs = touched_documents(change, layer)
        if docs is None:
            self._stale = None  # the whole project changed
        elif not change.layer and not change.text_changed:
            if not self.filter.status:
                return  # a release's status: no line changes
            self._stale = None  # the filter's status chooses the releases anew
        elif self._stale is not None:
            self._stale |= docs
        if self.isVisible() and (self._stale is None or self._stale):
            self._timer.start()

    def update_lines(self) -> None:
        self._timer.stop()
        stale, self._stale = self._stale, set()
        tag = self.tag
        color = self.session.project.tagset.tag(tag).color if tag else ""
        self.model.span_color = tint(color) if color else QColor()
        try:
            if stale is None or self.scope is None:
                self.scope = page_scope(self.session, self.filter)
                order = {d.id: i for i, d in enumerate(self.scope.documents)}
                found = matching(self.scope, tag, self.values) if tag else []
                # lines already cut (shown or sorted before) are kept: narrowing to a
                # value or a new filter does not cut them all again on a sorted page
                cut = {id(e.ann): e for e in self.model.all_rows if e._line is not None}
                rows = [Entry(d, a) for d, a in found] if not cut else []
                for d, a in found if cut else ():
                    e = cut.get(id(a))
                    rows.append(e if e is not None and e.same(d, a) else Entry(d, a))
                self.model.set_rows(rows, order)
            elif stale:
                project = self.session.project
                docs = [project.documents[d] for d in stale if d in project.documents]
                docs = [d for d in docs if d.id in self.model.order]
                fresh = [
                    Entry(d, a)
                    for d in docs
                    for a in document_matching(self.scope, d, tag, self.values)
                ]
                self.model.replace_documents(stale, fresh)
        except AnnotatorError as e:
            self.model.set_rows([])
            self.count_label.setText(str(e))
            return
        self.count_label.setText(
            f"{count(len(self.model.shown), 'annotation')} in "
            f"{count(len(self.scope.documents), 'release')} · {describe(self.scope, self.filter)}"
        )

    # --- back to the text --------------------------------------------------------------------

    def _open(self, index: QModelIndex) -> None:
        if not index.isValid() or self.scope is None:
            return
        doc_id, ann_id = index.data(KEY_ROLE)
        self.reveal(self.scope.layer, doc_id, ann_id)
