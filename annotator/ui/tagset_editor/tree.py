"""The left pane of the tag-set editor: tags, their attributes and values, the link types.

Each row carries a key naming what it shows (:data:`Key`): ``("tag", name)``,
``("attr", tag, attribute)``, ``("value", tag, attribute, value)``,
``("link", name)``, and ``("links",)`` for the heading of the link types. The
tree is rebuilt from the tag set after every change (the tag set is immutable
and small); the current row is kept by its key, or by its place when the key is
gone (an undo of a rename).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from annotator.model.tagset import AttributeDef, TagSet
from annotator.ui.docks.common import swatch_icon

Key = tuple[str, ...]
LINKS: Key = ("links",)
_KEY_ROLE = Qt.ItemDataRole.UserRole


def key_of(item: QTreeWidgetItem | None) -> Key:
    if item is None:
        return ()
    key = item.data(0, _KEY_ROLE)
    return tuple(key) if key else ()


def attribute_kind(attr: AttributeDef) -> str:
    if not attr.closed:
        return "free text"
    return "any number of values" if attr.multiple else "one value"


class TagTree(QTreeWidget):
    """The tag set as a tree; ``fill`` rebuilds it and keeps the current row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tagsetTree")
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # a long value name scrolls sideways rather than being cut off with "…", and
        # the chosen row is highlighted across the whole pane (see _fit_column)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        self.header().setStretchLastSection(False)
        self._items: dict[Key, QTreeWidgetItem] = {}
        self._expanded: set[Key] = set()
        self.itemExpanded.connect(lambda _item: self._fit_column())
        self.itemCollapsed.connect(lambda _item: self._fit_column())

    def fill(self, tagset: TagSet, current: Key = ()) -> None:
        """Show ``tagset``; make ``current`` (else the old current row) current."""
        old_key = key_of(self.currentItem())
        old_path = self._path(self.currentItem())
        if self._items:
            self._expanded = {k for k, it in self._items.items() if it.isExpanded()}
        else:
            self._expanded = {("tag", t.name) for t in tagset.tags}
        self.blockSignals(True)
        try:
            self.clear()
            self._items = {}
            for tt in tagset.tags:
                item = self._add(None, ("tag", tt.name), f"{tt.label}  ({tt.name})")
                item.setIcon(0, swatch_icon(tt.color, 14))
                if tt.shortcut:
                    item.setToolTip(0, f"{tt.label}: key {tt.shortcut}")
                for attr in tt.attributes:
                    label = attr.label or attr.name
                    a_item = self._add(
                        item,
                        ("attr", tt.name, attr.name),
                        label if label == attr.name else f"{label}  ({attr.name})",
                    )
                    a_item.setToolTip(0, f"{label}: {attribute_kind(attr)}")
                    for value in attr.values:
                        label = attr.label_of(value)
                        text = label if label == value else f"{label}  ({value})"
                        self._add(a_item, ("value", tt.name, attr.name, value), text)
            heading = self._add(None, LINKS, "Link types")
            font = QFont(heading.font(0))
            font.setItalic(True)
            heading.setFont(0, font)
            for lt in tagset.links:
                self._add(heading, ("link", lt.name), f"{lt.label or lt.name}  ({lt.name})")
            for key in self._expanded | {LINKS}:
                if key in self._items:
                    self._items[key].setExpanded(True)
        finally:
            self.blockSignals(False)
        self._fit_column()
        target = (
            self._items.get(current)
            or self._items.get(old_key)
            or self._at_path(old_path)
            or self.topLevelItem(0)
        )
        if target is not None:
            self.setCurrentItem(target)
            self.scrollToItem(target)

    def _fit_column(self) -> None:
        self.setColumnWidth(0, max(self.viewport().width(), self.sizeHintForColumn(0)))

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        self._fit_column()

    def _add(self, parent: QTreeWidgetItem | None, key: Key, text: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([text])
        item.setData(0, _KEY_ROLE, list(key))
        if parent is None:
            self.addTopLevelItem(item)
        else:
            parent.addChild(item)
        self._items[key] = item
        return item

    def item(self, key: Key) -> QTreeWidgetItem | None:
        return self._items.get(key)

    def select(self, key: Key) -> bool:
        item = self._items.get(key)
        if item is None:
            return False
        self.setCurrentItem(item)
        self.scrollToItem(item)
        return True

    def current_key(self) -> Key:
        return key_of(self.currentItem())

    def _path(self, item: QTreeWidgetItem | None) -> list[int]:
        """Where ``item`` is: its row under each of its ancestors, from the top."""
        path: list[int] = []
        while item is not None:
            parent = item.parent()
            row = parent.indexOfChild(item) if parent else self.indexOfTopLevelItem(item)
            path.insert(0, row)
            item = parent
        return path

    def _at_path(self, path: list[int]) -> QTreeWidgetItem | None:
        """The row at ``path``, or the nearest one above it that still exists."""
        if not path:
            return None
        count = self.topLevelItemCount()
        if not count:
            return None
        item: QTreeWidgetItem | None = self.topLevelItem(min(path[0], count - 1))
        for row in path[1:]:
            if item is None or not item.childCount():
                break
            item = item.child(min(row, item.childCount() - 1))
        return item
