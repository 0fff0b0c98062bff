"""The review dock's two lists: releases by headline, and one release's items by group.

Releases show their headline with the disagreement count and review status in
columns of their own. Items are grouped (conflicts first, then boundaries, tags,
missing; agreements last and folded), each group a collapsible row with its
count; an item shows its words in context, and per layer the tag and the
attribute values by their labels in the tag set.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from annotator.model import Annotation, Document, Project, ReviewStatus
from annotator.review.compare import KIND_LABELS, Item, Kind
from annotator.review.presentation import GROUPS, Excerpt, grouped, item_excerpt
from annotator.ui.docks.common import attribute_summary, elide, tag_label

ITEM_ROLE = Qt.ItemDataRole.UserRole  # item index in the comparison (items) / doc id (releases)
EXCERPT_ROLE = Qt.ItemDataRole.UserRole + 1  # an Excerpt, painted with the span in bold

KIND_COLORS = {
    Kind.EXACT: "#d9f2d9",
    Kind.DETAILS: "#f9c0c0",
    Kind.OVERLAP: "#f9c0c0",
    Kind.BOUNDARY: "#ffe9a8",
    Kind.TAG: "#ffd8b0",
    Kind.MISSING: "#e3d4f5",
}

STATUS_LABELS = {
    ReviewStatus.NOT_REVIEWED: "not reviewed",
    ReviewStatus.IN_REVIEW: "in review",
    ReviewStatus.ADJUDICATED: "adjudicated",
}

AGREED = "Same in every layer"


def headline(doc: Document) -> str:
    """What people call a release: its headline, else its first words."""
    return doc.meta.headline or elide(doc.text, 80)


class ExcerptDelegate(QStyledItemDelegate):
    """Paints ``…a few words «span» a few words…`` with the span in bold."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        ex = index.data(EXCERPT_ROLE)
        if not isinstance(ex, Excerpt):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = opt.palette.ColorRole.HighlightedText if selected else opt.palette.ColorRole.Text
        rect = opt.rect.adjusted(4, 0, -4, 0)
        bold = QFont(opt.font)
        bold.setBold(True)
        plain_fm, bold_fm = QFontMetrics(opt.font), QFontMetrics(bold)
        room = rect.width()
        # the span is what matters: it gets its room first, the context what is left,
        # cut at its far ends (…words before «span» words after…)
        span_w = min(bold_fm.horizontalAdvance(ex.span), room * 7 // 10)
        rest = room - span_w
        least = plain_fm.horizontalAdvance("M") * 4  # less context than this says nothing
        before_w = min(plain_fm.horizontalAdvance(ex.before), rest // 2)
        after_w = min(plain_fm.horizontalAdvance(ex.after), rest - before_w)
        before_w = min(plain_fm.horizontalAdvance(ex.before), rest - after_w)
        if before_w < least:
            before_w = 0
        if after_w < least:
            after_w = 0
        span_w = room - before_w - after_w
        colour = opt.palette.color(role)
        dim = QColor(colour)
        if not selected:
            dim.setAlpha(170)
        x = rect.left()
        pieces = (
            (ex.before, opt.font, plain_fm, before_w, Qt.TextElideMode.ElideLeft, dim),
            (ex.span, bold, bold_fm, span_w, Qt.TextElideMode.ElideRight, colour),
            (ex.after, opt.font, plain_fm, after_w, Qt.TextElideMode.ElideRight, dim),
        )
        for text, font, fm, width, mode, pen in pieces:
            if not text or width <= 0:
                continue
            shown = fm.elidedText(text, mode, width)
            painter.setFont(font)
            painter.setPen(pen)
            box = QRect(x, rect.top(), width, rect.height())
            align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
            painter.drawText(box, int(align), shown)
            x += fm.horizontalAdvance(shown)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        ex = index.data(EXCERPT_ROLE)
        if isinstance(ex, Excerpt):
            fm = QFontMetrics(option.font)
            size.setWidth(fm.horizontalAdvance(ex.plain()) + 40)
        return size


class ReleaseModel(QAbstractTableModel):
    """The releases as rows, read from the project when a row is shown.

    Nothing is built per release: with 10,000 releases only the few dozen rows on
    screen are ever asked for their headline, count and status.
    """

    COLUMNS = ("Release", "Differ", "Status")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._project: Project | None = None
        self._ids: list[str] = []
        self._counts: dict[str, int] = {}
        self._by_kind: dict[str, dict[str, int]] = {}

    def fill(
        self, project: Project, counts: dict[str, int], by_kind: dict[str, dict[str, int]]
    ) -> None:
        """Show ``project``'s releases with these counts; the rows are read again when
        the view shows them (a reset only when releases were added or removed)."""
        ids = list(project.documents)
        if ids != self._ids or project is not self._project:
            self.beginResetModel()
            self._project, self._ids, self._counts, self._by_kind = project, ids, counts, by_kind
            self.endResetModel()
            return
        self._counts, self._by_kind = counts, by_kind
        if ids:
            last = self.index(len(ids) - 1, len(self.COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def doc_id(self, row: int) -> str:
        return self._ids[row] if 0 <= row < len(self._ids) else ""

    def row_of(self, doc_id: str) -> int:
        try:
            return self._ids.index(doc_id)
        except ValueError:
            return -1

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == 1:
            return "Items where the compared layers differ"
        if role == Qt.ItemDataRole.TextAlignmentRole and section == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        project = self._project
        if project is None or not index.isValid():
            return None
        doc_id = self._ids[index.row()]
        column = index.column()
        if role == ITEM_ROLE:
            return doc_id
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        doc = project.documents.get(doc_id)
        if doc is None:
            return None
        n = self._counts.get(doc_id, 0)
        status = STATUS_LABELS[doc.review_status]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return headline(doc)
            return (str(n) if n else "–") if column == 1 else status
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QBrush(QColor("#a03000" if n else "#404040"))
        if role == Qt.ItemDataRole.ToolTipRole:
            classes = self._by_kind.get(doc_id, {})
            detail = [f"{title}: {k}" for title, k in classes.items() if k]
            if column == 1:
                return "\n".join(detail) or "no disagreements"
            if column == 0:
                head = headline(doc)
                return "\n".join([head, f"id: {doc_id}", f"review: {status}", *detail])
        return None


class ReleaseList(QTreeView):
    """Releases by headline; disagreements and review status in columns of their own."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewDocuments")
        self.releases = ReleaseModel(self)
        self.setModel(self.releases)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # sized to their contents once per fill, not by reading every row (Qt's
        # ResizeToContents would ask all 10,000 releases for their text)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self._fit_columns()

    def _fit_columns(self) -> None:
        fm = self.fontMetrics()
        pad = fm.horizontalAdvance("M") * 2
        self.setColumnWidth(1, max(fm.horizontalAdvance(w) for w in ("Differ", "00000")) + pad)
        labels = [*STATUS_LABELS.values(), "Status"]
        self.setColumnWidth(2, max(fm.horizontalAdvance(w) for w in labels) + pad)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # narrow (a 1024 px laptop): the headline before the status word, which is in
        # the tooltip and in the Review status box above for the chosen release
        narrow = self.viewport().width() < self.fontMetrics().horizontalAdvance("M") * 26
        if self.isColumnHidden(2) != narrow:
            self.setColumnHidden(2, narrow)

    def doc_id(self, index: QModelIndex | QPersistentModelIndex | None) -> str:
        return self.releases.doc_id(index.row()) if index is not None and index.isValid() else ""

    def fill(
        self, project: Project, counts: dict[str, int], by_kind: dict[str, dict[str, int]]
    ) -> None:
        self.releases.fill(project, counts, by_kind)

    def select_doc(self, doc_id: str) -> None:
        row = self.releases.row_of(doc_id)
        if row >= 0:
            self.setCurrentIndex(self.releases.index(row, 0))
        else:
            self.clearSelection()
            self.setCurrentIndex(QModelIndex())


class ItemTree(QTreeWidget):
    """One release's items under collapsible group rows ("Conflicts (3)", …)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewDisagreements")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformRowHeights(True)
        self.setItemDelegateForColumn(0, ExcerptDelegate(self))
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.groups: dict[str, QTreeWidgetItem] = {}
        self._folded: set[str] = {AGREED}  # what the user folded stays folded on refill
        self.itemCollapsed.connect(lambda row: self._remember(row, True))
        self.itemExpanded.connect(lambda row: self._remember(row, False))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._size_text_column()

    def _size_text_column(self) -> None:
        """The words in context get nearly half the width (a reviewer reads them first),
        the layers share the rest, the decision keeps what its words need."""
        fm = self.fontMetrics()
        width = self.viewport().width()
        text = max(fm.horizontalAdvance("M" * 20), width * 9 // 20)
        self.setColumnWidth(0, text)
        layers = self.columnCount() - 2
        if layers > 0:
            decision = fm.horizontalAdvance("partly decided") + 16
            share = (width - text - decision) // layers
            for col in range(1, 1 + layers):
                self.setColumnWidth(col, max(fm.horizontalAdvance("M" * 11), share))

    def _remember(self, row: QTreeWidgetItem, folded: bool) -> None:
        title = row.data(0, Qt.ItemDataRole.UserRole + 2)
        if isinstance(title, str):
            (self._folded.add if folded else self._folded.discard)(title)

    def row_of(self, index: int) -> QTreeWidgetItem | None:
        for group in self.groups.values():
            for i in range(group.childCount()):
                child = group.child(i)
                if child is not None and child.data(0, ITEM_ROLE) == index:
                    return child
        return None

    def fill(
        self,
        project: Project,
        doc_id: str,
        items: list[Item],
        layers: list[str],
        decisions: dict[tuple[str, str], str],
    ) -> None:
        self.clear()
        self.groups = {}
        self.setHeaderLabels(["Text", *layers, "Decision"])
        if doc_id not in project.documents:
            return
        text = project.documents[doc_id].text
        sections = [(g.title, its) for g, its in grouped(items)]
        agreed = [it for it in items if not it.is_disagreement]
        if agreed:
            sections.append((AGREED, agreed))
        bold = QFont(self.font())
        bold.setBold(True)
        for title, its in sections:
            group = QTreeWidgetItem([f"{title} ({len(its)})"])
            group.setData(0, Qt.ItemDataRole.UserRole + 2, title)
            group.setFirstColumnSpanned(True)
            group.setFont(0, bold)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            self.groups[title] = group
            for item in its:
                group.addChild(self._row(project, text, item, layers, decisions))
            group.setExpanded(title not in self._folded)
        header = self.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self._size_text_column()

    def _row(
        self,
        project: Project,
        text: str,
        item: Item,
        layers: list[str],
        decisions: dict[tuple[str, str], str],
    ) -> QTreeWidgetItem:
        ex = item_excerpt(text, item, words=3)
        cells = [ex.plain()]
        for layer in layers:
            cells.append(
                "; ".join(member_label(project, a) for a in item.members.get(layer, [])) or "—"
            )
        states = {decisions.get(r) for r in item.refs()}
        if states == {None}:
            decision = ""
        elif None in states:
            decision = "partly decided"
        else:
            decision = ", ".join(sorted(s for s in states if s))
        cells.append(decision)
        row = QTreeWidgetItem(cells)
        row.setData(0, ITEM_ROLE, item.index)
        row.setData(0, EXCERPT_ROLE, ex)
        colour = QBrush(QColor(KIND_COLORS[item.kind]))
        for col in range(len(cells)):
            row.setBackground(col, colour)
        tip = [KIND_LABELS[item.kind], ex.plain()]
        for layer in layers:
            for a in item.members.get(layer, []):
                tip.append(f"{layer}: {member_label(project, a)}")
        row.setToolTip(0, "\n".join(tip))
        for col, cell in enumerate(cells[1:], start=1):
            row.setToolTip(col, cell)
        return row


def member_label(project: Project, ann: Annotation) -> str:
    """``Appeal · Action asked: Release, Stop / end`` — by the tag set's labels."""
    ts = project.tagset
    tt = ts.tag(ann.tag) if ts.has_tag(ann.tag) else None
    attrs = attribute_summary(tt, dict(ann.attributes))
    label = tag_label(ts, ann.tag)
    return f"{label} · {attrs}" if attrs else label


__all__ = [
    "AGREED",
    "GROUPS",
    "STATUS_LABELS",
    "ItemTree",
    "ReleaseList",
    "headline",
    "member_label",
]
