"""What the Concordance and the Appeals board share: a table model over rows of releases.

Both pages list rows that belong to a release and an annotation (a concordance
line, an appeal). :class:`RowsModel` holds them in release order as the Qt-free
core computed them, and shows them filtered and sorted in Python (one ``sorted``
with a key per column), which is far quicker for 100,000 rows than a
``QSortFilterProxyModel`` calling back into Python for every comparison. After
an edit, the rows of the releases it touched are computed again and swapped in.

:func:`reveal_annotation` is what a double-click does on either page: open the
release at the annotation, with it selected in the text view.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QWidget

from annotator.insight.scope import Filter, Scope, default_layer, select
from annotator.model import Change
from annotator.ui.session import ProjectSession
from annotator.ui.text_view import TextView

Index = QModelIndex | QPersistentModelIndex


class Row(Protocol):
    @property
    def doc_id(self) -> str: ...

    @property
    def ann_id(self) -> str: ...


R = TypeVar("R", bound=Row)

#: the role that gives a row's (document id, annotation id)
KEY_ROLE = Qt.ItemDataRole.UserRole + 1


class RowsModel(QAbstractTableModel, Generic[R]):
    """Rows in release order (``all_rows``) shown filtered and sorted (``shown``).

    Subclasses say what a cell shows (:meth:`cell`) and how a column sorts
    (:meth:`sort_key`); a row passes the filter when :meth:`accepts` says so.
    """

    #: the rows shown changed (filter, sort or new rows): pages update their counts
    shownChanged = Signal()

    def __init__(self, headers: Sequence[str]) -> None:
        super().__init__()
        self.headers = list(headers)
        self.all_rows: list[R] = []
        self.shown: list[R] = []
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder
        #: release id -> its place in the scope (the order rows come in)
        self.order: dict[str, int] = {}

    # --- what subclasses say ----------------------------------------------------------

    def cell(self, row: R, column: int) -> str:
        raise NotImplementedError

    def sort_key(self, column: int) -> Callable[[R], Any]:
        return lambda r: self.cell(r, column).casefold()

    def accepts(self, row: R) -> bool:
        return True

    # --- Qt's model interface ----------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.shown[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cell(row, index.column())
        if role == KEY_ROLE:
            return (row.doc_id, row.ann_id)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        self.shown = self._arranged(self.shown)
        self.layoutChanged.emit()
        self.shownChanged.emit()

    # --- rows in, rows shown ---------------------------------------------------------------

    def filtering(self) -> bool:
        """True while a filter is on (else every row is shown without asking)."""
        return False

    def _arranged(self, rows: Iterable[R]) -> list[R]:
        if self.sort_column < 0:
            return list(rows)
        return sorted(
            rows,
            key=self.sort_key(self.sort_column),
            reverse=self.sort_order == Qt.SortOrder.DescendingOrder,
        )

    def refilter(self) -> None:
        """Show the rows that pass the filter, in the current order."""
        self.beginResetModel()
        rows = self.all_rows
        self.shown = self._arranged(
            (r for r in rows if self.accepts(r)) if self.filtering() else rows
        )
        self.endResetModel()
        self.shownChanged.emit()

    def set_rows(self, rows: list[R], order: dict[str, int] | None = None) -> None:
        """All rows anew, in release order (``order``: release id -> its place)."""
        if order is not None:
            self.order = order
        self.all_rows = rows
        self.refilter()

    def replace_documents(self, doc_ids: set[str], rows: list[R]) -> None:
        """Swap in the rows of ``doc_ids`` (computed again after an edit there).

        Only those rows move: each old one is removed and each new one inserted
        where the current order puts it (a binary search), so a view keeps its
        selection and scroll position, and an edit costs the same on a page of
        a hundred rows or of a hundred thousand.
        """
        order = self.order
        place: Callable[[R], int] = lambda r: order.get(r.doc_id, -1)  # noqa: E731
        kept = [r for r in self.all_rows if r.doc_id not in doc_ids]
        for r in sorted(rows, key=place):  # stable: a release's rows keep their order
            kept.insert(bisect_right(kept, place(r), key=place), r)
        self.all_rows = kept
        gone = [i for i, r in enumerate(self.shown) if r.doc_id in doc_ids]
        root = QModelIndex()
        for i in reversed(gone):
            self.beginRemoveRows(root, i, i)
            del self.shown[i]
            self.endRemoveRows()
        for r in sorted(rows, key=place):
            if self.filtering() and not self.accepts(r):
                continue
            i = self._position(r)
            self.beginInsertRows(root, i, i)
            self.shown.insert(i, r)
            self.endInsertRows()
        self.shownChanged.emit()

    def _position(self, row: R) -> int:
        """Where ``row`` goes among the rows shown, in their current order."""
        shown = self.shown
        if self.sort_column < 0:
            order = self.order
            return bisect_right(
                shown, order.get(row.doc_id, -1), key=lambda r: order.get(r.doc_id, -1)
            )
        key = self.sort_key(self.sort_column)
        k = key(row)
        if self.sort_order == Qt.SortOrder.AscendingOrder:
            return bisect_right(shown, k, key=key)
        lo, hi = 0, len(shown)  # descending: after every row whose key is not smaller
        while lo < hi:
            mid = (lo + hi) // 2
            if key(shown[mid]) < k:
                hi = mid
            else:
                lo = mid + 1
        return lo

    def row_of(self, doc_id: str, ann_id: str) -> int:
        for i, r in enumerate(self.shown):
            if r.ann_id == ann_id and r.doc_id == doc_id:
                return i
        return -1


# --- the scope a page counts over ------------------------------------------------------


def page_scope(session: ProjectSession, flt: Filter) -> Scope:
    """The releases and layer a page shows: the filter's, and without a layer named the
    one the Charts page asks about first (curated, else the most annotated)."""
    project = session.project
    if flt.layer is None:
        layer = default_layer(project, session.user)
        flt = Filter(layer, flt.status, flt.country, flt.date_from, flt.date_to)
    return select(project, flt)


def describe(scope: Scope, flt: Filter) -> str:
    """What a page counts, in a few words: "layer dana · Cambodia · done · 1998-01-01 – …"
    (the filter bar is on the Charts page; the other pages say what it chose)."""
    words = [f"layer {scope.layer}"]
    if flt.country:
        words.append(flt.country)
    if flt.status:
        words.append(flt.status)
    if flt.date_from or flt.date_to:
        start = flt.date_from.isoformat() if flt.date_from else "…"
        end = flt.date_to.isoformat() if flt.date_to else "…"
        words.append(f"{start} – {end}")
    return " · ".join(words)


def touched_documents(change: Change, layer: str) -> set[str] | None:
    """Releases whose rows an edit may change (None: every release, compute all again)."""
    if not change.doc_id:
        return None
    if change.layer and change.layer != layer:
        return set()
    return {change.doc_id}


# --- going back to the text ---------------------------------------------------------------


def reveal_annotation(
    session: ProjectSession, text_view: TextView, layer: str, doc_id: str, ann_id: str
) -> bool:
    """Open ``doc_id`` at the annotation and select it (its layer shown if it was hidden).

    The text cursor goes to the annotation's start (a code point, converted to
    Qt's UTF-16 only here) and the view scrolls so the whole span is in sight.
    Returns False when the annotation is gone (the row was stale).
    """
    lay = session.project.layers.get(layer)
    da = lay.docs.get(doc_id) if lay is not None else None
    ann = da.annotations.get(ann_id) if da is not None else None
    if ann is None or doc_id not in session.project.documents:
        return False
    if layer not in session.visible_layers:
        session.set_layer_visible(layer, True)
    session.set_current_document(doc_id)
    session.select(layer, ann_id)
    text_view.show_annotation(ann)
    # then its line in the middle of the view, once the view has laid the release out
    # (the room for link arcs comes later): the span and what surrounds it in sight
    QTimer.singleShot(0, lambda: _center(text_view, doc_id, ann.start))
    return True


def _center(text_view: TextView, doc_id: str, start: int) -> None:
    if text_view.doc_id == doc_id and text_view.cursor_cp() == start:  # nobody moved on
        text_view.centerCursor()


class Elide(QStyledItemDelegate):
    """Cut each column's text on the side that matters least (``modes``: column -> mode;
    the others are cut on their right)."""

    def __init__(self, modes: dict[int, Qt.TextElideMode], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.modes = modes

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = self.modes.get(index.column(), Qt.TextElideMode.ElideRight)
