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

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from annotator.errors import AnnotatorError
from annotator.insight.scope import Filter, Scope, select
from annotator.interchange.common import choose_layer
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
        self.shown = self._arranged(r for r in self.all_rows if self.accepts(r))
        self.endResetModel()
        self.shownChanged.emit()

    def set_rows(self, rows: list[R]) -> None:
        self.all_rows = rows
        self.refilter()

    def replace_documents(self, doc_ids: set[str], rows: list[R], order: dict[str, int]) -> None:
        """Swap in the rows of ``doc_ids`` (computed again), keeping release order."""
        kept = [r for r in self.all_rows if r.doc_id not in doc_ids]
        merged = kept + rows
        merged.sort(key=lambda r: order.get(r.doc_id, -1))  # stable: rows keep their order
        self.set_rows(merged)

    def row_of(self, doc_id: str, ann_id: str) -> int:
        for i, r in enumerate(self.shown):
            if r.ann_id == ann_id and r.doc_id == doc_id:
                return i
        return -1


# --- the scope a page counts over ------------------------------------------------------


def page_scope(session: ProjectSession, flt: Filter) -> Scope:
    """The releases and layer a page shows: the filter's, and without a layer named the
    overview's default (curated, else the only annotated one), else the user's own."""
    project = session.project
    if flt.layer is None:
        try:
            layer = choose_layer(project, None)
        except AnnotatorError:
            layer = session.layer
        flt = Filter(layer or session.layer, flt.status, flt.country, flt.date_from, flt.date_to)
    return select(project, flt)


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
    return True
