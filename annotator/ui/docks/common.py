"""Small helpers the dock panels share: colour swatches, labels and link wording.

A tag is never shown by colour alone: every swatch here comes with the tag's
label, so users who cannot tell the colours apart lose nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QMouseEvent, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from annotator.model import Annotation, AttrValue, DocumentAnnotations, Link, Status, TagSet
from annotator.model.tagset import TagType

STATUS_LABELS: dict[Status, str] = {
    Status.NOT_STARTED: "Not started",
    Status.IN_PROGRESS: "In progress",
    Status.DONE: "Done",
}

#: status dot colours (the label always accompanies them)
STATUS_COLORS: dict[Status, str] = {
    Status.NOT_STARTED: "#B0B0B0",
    Status.IN_PROGRESS: "#E69F00",
    Status.DONE: "#009E73",
}


@lru_cache(maxsize=256)
def swatch_icon(color: str, size: int = 14, round_: bool = False) -> QIcon:
    """A filled square (or dot) of ``color`` with a thin dark border, for lists and buttons."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(0, 0, 0, 140))
    painter.setBrush(QColor(color))
    if round_:
        painter.drawEllipse(1, 1, size - 2, size - 2)
    else:
        painter.drawRoundedRect(1, 1, size - 2, size - 2, 2, 2)
    painter.end()
    return QIcon(pix)


def tag_label(tagset: TagSet, tag: str) -> str:
    """The tag's human label, or its name if the tag set does not know it."""
    return tagset.tag(tag).label if tagset.has_tag(tag) else tag


def tag_color(tagset: TagSet, tag: str) -> str:
    return tagset.tag(tag).color if tagset.has_tag(tag) else "#999999"


def elide(text: str, limit: int = 60) -> str:
    """One line, at most ``limit`` characters (an ellipsis marks the cut).

    Only a head of the text is flattened: a whole 1 MB release costs 20 ms a call.
    """
    head = text[: limit * 20 + 200]
    flat = " ".join(head.split())
    if len(flat) <= limit and len(head) < len(text):  # mostly whitespace: look at it all
        flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def attribute_summary(tt: TagType | None, attributes: dict[str, AttrValue]) -> str:
    """``Kind: Police; Level: National`` using the tag set's labels."""
    parts = []
    for name, value in attributes.items():
        attr = None
        if tt is not None:
            attr = next((a for a in tt.attributes if a.name == name), None)
        label = attr.label if attr is not None else name
        values = (value,) if isinstance(value, str) else value
        shown = ", ".join(attr.label_of(v) if attr is not None else v for v in values)
        parts.append(f"{label}: {shown}")
    return "; ".join(parts)


def link_label(tagset: TagSet, link_type: str) -> str:
    for lt in tagset.links:
        if lt.name == link_type:
            return lt.label
    return link_type


def link_summary(
    tagset: TagSet, text: str, da: DocumentAnnotations, ann: Annotation, limit: int = 40
) -> str:
    """``→ Addressed to: President Kim; ← On behalf of: …`` for one annotation."""
    parts = []
    for lk in sorted(da.links_of(ann.id), key=lambda lk: (lk.source != ann.id, lk.id)):
        parts.append(describe_link(tagset, text, da, lk, ann.id, limit))
    return "; ".join(parts)


def describe_link(
    tagset: TagSet, text: str, da: DocumentAnnotations, link: Link, from_id: str, limit: int = 40
) -> str:
    """How a link reads from one of its ends: arrow, link label, the other end's text."""
    outgoing = link.source == from_id
    other_id = link.target if outgoing else link.source
    other = da.annotations.get(other_id)
    other_text = elide(other.covered_text(text), limit) if other is not None else other_id
    arrow = "→" if outgoing else "←"
    return f"{arrow} {link_label(tagset, link.type)}: {other_text}"


class NavTable(QTableView):
    """A table that tells user moves (click, keys) apart from moves caused by the model.

    When a filter hides the current row or a sort reorders rows, Qt moves the
    current index by itself; reacting to that would open another document or
    select another annotation behind the user's back. ``userChose`` fires only for
    a mouse press on a row or a key press that moved the current row.
    """

    userChose = Signal(QModelIndex)
    #: a click on a row that cannot be chosen now (greyed out, e.g. during a link pick)
    userRefused = Signal(QModelIndex)

    def __init__(self, parent: QWidget, model: QAbstractItemModel, name: str) -> None:
        """A one-row-at-a-time list over ``model``, unsorted until the user sorts,
        compact plain rows; ``name`` is what screen readers announce."""
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # start unsorted (project / reading order): the header's default would sort column 0
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.setAccessibleName(name)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        index = self.indexAt(event.position().toPoint())
        if index.isValid() and event.button() == Qt.MouseButton.LeftButton:
            if not index.flags() & Qt.ItemFlag.ItemIsEnabled:
                self.userRefused.emit(index)  # the current row did not move: not a choice
                return
            self.userChose.emit(self.currentIndex())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        before = self.currentIndex().row()
        if event.key() in (Qt.Key.Key_Home, Qt.Key.Key_End) and not event.modifiers():
            # rows are what matter here: Home/End go to the first/last row, not column
            event = QKeyEvent(
                event.type(), event.key(), Qt.KeyboardModifier.ControlModifier, event.text()
            )
        super().keyPressEvent(event)
        current = self.currentIndex()
        if current.isValid() and current.row() != before:
            self.userChose.emit(current)


K = TypeVar("K", bound=Hashable)


@contextmanager
def rows_reordered(
    model: QAbstractItemModel, key_of_row: Callable[[int], K], row_of_key: Callable[[K], int]
) -> Iterator[None]:
    """Wrap a reordering of a table model's rows: views are told once, and persistent
    indexes (selection, current row) follow their items by key, not by row number."""
    model.layoutAboutToBeChanged.emit()
    old = model.persistentIndexList()
    old_keys = [key_of_row(i.row()) for i in old]
    yield
    new = [model.index(row_of_key(k), i.column()) for k, i in zip(old_keys, old, strict=True)]
    model.changePersistentIndexList(old, new)
    model.layoutChanged.emit()


class SourceSortedFilterProxy(QSortFilterProxyModel):
    """The dock tables' filter proxy: the source model sorts, a filter change is one layout change.

    Sorting is left to the source model, which sorts plain Python keys in one call
    instead of the proxy's per-comparison ``data()`` calls.
    """

    def begin_filter_change(self) -> None:
        """Nothing to prepare: see :meth:`end_filter_change`."""

    def end_filter_change(self) -> None:
        """Re-filter with one layout change instead of per-range row removals.

        ``invalidateFilter`` (and begin/endFilterChange) diff the old and new rows
        and emit a removal per contiguous range: a country filter over 10,000
        releases makes thousands of ranges and takes seconds. ``invalidate`` emits
        a single layout change; this proxy does not sort, so nothing else is lost.
        """
        self.invalidate()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    def multiData(self, index: QModelIndex | QPersistentModelIndex, roleDataSpan: Any) -> None:
        """Hand a painted cell's whole request to the source model in one call (the
        proxy's own would ask the source one role at a time)."""
        self.sourceModel().multiData(self.mapToSource(index), roleDataSpan)
