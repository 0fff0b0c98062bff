"""The Annotations panel: a sortable, filterable table of annotations.

It lists the current document's annotations in every visible layer, or (with
the "All documents" toggle) every document's. Rows are ``(layer, doc, id)``
keys; cells are computed on demand, so the table costs one tuple per
annotation. ``annotationsChanged`` refreshes only the touched (layer, document).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
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
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.model import Annotation, Change, Project
from annotator.model.project import annotation_order
from annotator.ui.docks.common import (
    NavTable,
    SourceSortedFilterProxy,
    attribute_summary,
    elide,
    link_summary,
    rows_reordered,
    swatch_icon,
    tag_color,
    tag_label,
)
from annotator.ui.docks.search_index import SearchIndex
from annotator.ui.session import ProjectSession

COLUMNS = ("Tag", "Text", "Attributes", "Links", "Note", "Author", "Layer", "Check", "Document")
(
    COL_TAG,
    COL_TEXT,
    COL_ATTRS,
    COL_LINKS,
    COL_NOTE,
    COL_AUTHOR,
    COL_LAYER,
    COL_CHECK,
    COL_DOC,
) = range(len(COLUMNS))
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
Key = tuple[str, str, str]  # layer, document id, annotation id
_DRAWN_ROLES = frozenset(
    (
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.ForegroundRole,
    )
)
_Index = QModelIndex | QPersistentModelIndex


class AnnotationTableModel(QAbstractTableModel):
    """Annotations of the visible layers, in one document or the whole project."""

    #: the number of annotations listed (laid out or not) changed
    totalChanged = Signal()

    def __init__(self, session: ProjectSession, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self.whole_project = False
        self._keys: list[Key] = []
        self._row_cache: dict[Key, int] | None = None
        #: rows inserted by the last edit (checked before use: later inserts shift them)
        self._recent: dict[Key, int] = {}
        #: the documents listed, and how many of them are laid out as rows so far
        self._docs: list[str] = []
        self._fetched = 0
        #: rows per (layer, document) and their sum, for the count (built on first use)
        self._sizes: dict[tuple[str, str], int] | None = None
        self._total = 0
        #: which rows the whole-project list lays out (the panel's filters); None: all
        self.accept: Callable[[Key], bool] | None = None
        #: whether a (layer, document) block may hold such rows at all (None: yes)
        self.accept_block: Callable[[str, str], bool] | None = None
        #: the text filter's search texts, kept across reloads and updated by edits
        self.search = SearchIndex(self._search_text)
        self._matched: tuple[tuple[str, str], str, set[str]] | None = None
        self._described: dict[tuple[str, tuple[tuple[str, Any], ...]], str] = {}
        #: the index is built a few releases at a time while the window is idle, from
        #: when the whole project is listed: a first search over 200,000 annotations
        #: would otherwise stop the window for about a second
        self._index_timer = QTimer(self)
        self._index_timer.setInterval(0)
        self._index_timer.timeout.connect(self._index_some)
        self._index_next = 0
        #: (layer, doc) -> (annotations, links) as last shown; see ``_snapshot``
        self._seen: dict[tuple[str, str], tuple[dict[str, Any], dict[str, Any]]] = {}
        self._doc_pos: dict[str, int] | None = None
        self._sort_column = -1  # -1: reading order (as loaded)
        self._sort_order = Qt.SortOrder.AscendingOrder
        session.projectReplaced.connect(self._on_project)
        session.tagsetChanged.connect(self._on_tagset)
        session.currentDocumentChanged.connect(self._on_document)
        session.visibleLayersChanged.connect(self.reload)
        session.annotationsChanged.connect(self._on_change)
        self.reload()

    @property
    def project(self) -> Project:
        return self.session.project

    # --- which annotations ---------------------------------------------------------

    def _layers(self) -> list[str]:
        """The shown layers, the user's own first: what one adds appears with (never
        below) the colleagues' rows, where one looks for it."""
        own = self.session.layer
        visible = self.session.visible_layers
        return [own] + [n for n in self.project.layers if n in visible and n != own]

    def _keys_for(self, layer: str, doc_id: str) -> list[Key]:
        lay = self.project.layers.get(layer)
        da = lay.docs.get(doc_id) if lay is not None else None
        if da is None:
            return []
        return [(layer, doc_id, a.id) for a in da.sorted_annotations()]

    def _wanted_docs(self) -> list[str]:
        if self.whole_project:
            return list(self.project.documents)
        doc = self.session.current_doc_id
        return [doc] if doc in self.project.documents else []

    def reload(self) -> None:
        """Start over: the open document's rows, or the first batch of the whole project.

        The whole project is listed lazily: rows are laid out document by
        document as the view scrolls towards the end (``fetchMore``), and the
        text and tag filters are applied while laying them out, so turning the
        list on or filtering it never walks 200,000 annotations at once.
        """
        self.beginResetModel()
        self._docs = self._wanted_docs()
        self._fetched = 0
        self._keys = []
        self._seen = {}
        self._doc_pos = None
        self._recent = {}
        self._sizes = None
        self._keys = self._collect(self.BATCH if self.whole_project else len(self._docs))
        if self._sort_column >= 0:  # a sorted list stays sorted: it needs every row
            self._keys.extend(self._collect(1 << 62))
            col, descending = self._sort_column, self._sort_order == Qt.SortOrder.DescendingOrder
            self._keys.sort(key=lambda k: self._sort_key_of(k, col), reverse=descending)
        self._reindex()
        self.endResetModel()

    #: rows laid out per fetch of the whole-project list (a few screens' worth)
    BATCH = 1000

    def _collect(self, wanted: int) -> list[Key]:
        """The rows of the next whole documents, at least ``wanted`` of them (or all that
        are left). Documents not yet laid out have no snapshot: edits to them are seen
        when they are laid out."""
        out: list[Key] = []
        layers = self._layers()
        accept = self.accept if self.whole_project else None
        accept_block = self.accept_block if accept is not None else None
        while self._fetched < len(self._docs) and len(out) < wanted:
            doc_id = self._docs[self._fetched]
            self._fetched += 1
            for layer in layers:
                if accept_block is not None and not accept_block(layer, doc_id):
                    self._snapshot(layer, doc_id)
                    continue
                keys = self._keys_for(layer, doc_id)
                out.extend(keys if accept is None else [k for k in keys if accept(k)])
                self._snapshot(layer, doc_id)
        return out

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._fetched < len(self._docs)

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self._append(self._collect(self.BATCH))

    def fetch_all(self) -> None:
        """Lay out every remaining document (sorting needs every row)."""
        self._append(self._collect(1 << 62))

    def _append(self, new: list[Key]) -> None:
        if new:
            first = len(self._keys)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._keys.extend(new)
            self._reindex()
            self.endInsertRows()

    def _fetched_doc(self, doc_id: str) -> bool:
        if not self.whole_project:
            return doc_id in self._docs
        if self._doc_pos is None:
            self._doc_pos = {d: i for i, d in enumerate(self._docs)}
        pos = self._doc_pos.get(doc_id)
        return pos is not None and pos < self._fetched

    def ensure_fetched(self, doc_id: str) -> None:
        """Lay out every document up to ``doc_id`` (to show a selection made elsewhere)."""
        if not self.whole_project or doc_id not in self.project.documents:
            return
        new: list[Key] = []
        while self.canFetchMore() and not self._fetched_doc(doc_id):
            new.extend(self._collect(1))
        self._append(new)

    def total(self) -> int:
        """How many annotations the list holds once every document is laid out, kept by
        difference on edits (unfiltered)."""
        if self._sizes is None:
            project, layers = self.project, self._layers()
            self._sizes = {}
            for doc_id in self._docs:
                for layer in layers:
                    da = project.layers[layer].docs.get(doc_id)
                    if da is not None and da.annotations:
                        self._sizes[(layer, doc_id)] = len(da.annotations)
            self._total = sum(self._sizes.values())
        return self._total

    def _snapshot(self, layer: str, doc_id: str) -> None:
        """Remember the annotation and link objects a (layer, document) block shows.

        Edits replace an annotation (or link) by a new object, so comparing these
        dicts by identity later tells exactly which rows an edit touched.
        """
        lay = self.project.layers.get(layer)
        da = lay.docs.get(doc_id) if lay is not None else None
        if da is None:
            self._seen[(layer, doc_id)] = ({}, {})
        else:
            self._seen[(layer, doc_id)] = (dict(da.annotations), dict(da.links))

    def set_whole_project(self, on: bool) -> None:
        if on != self.whole_project:
            self.whole_project = on
            self.reload()
            self._index_next = 0
            if on:
                self._index_timer.start()
            else:
                self._index_timer.stop()

    #: how long one idle step of building the search index may keep the window busy
    INDEX_STEP = 0.004

    def indexing(self) -> bool:
        """Whether the text filter's index is still being built in idle time."""
        return self._index_timer.isActive()

    def _index_some(self) -> None:
        deadline = time.perf_counter() + self.INDEX_STEP
        docs, layers = self._docs, self._layers()
        while self._index_next < len(docs):
            doc_id = docs[self._index_next]
            self._index_next += 1
            for layer in layers:
                self.search.prepare((layer, doc_id), self._block_annotations(layer, doc_id))
            if time.perf_counter() > deadline:
                return
        self._index_timer.stop()

    def _reindex(self) -> None:
        self._row_cache = None  # rebuilt on first use: 200,000 rows cost 0.3 s

    @property
    def _row(self) -> dict[Key, int]:
        if self._row_cache is None:
            self._row_cache = {k: i for i, k in enumerate(self._keys)}
        return self._row_cache

    def _on_document(self, _doc_id: str) -> None:
        if not self.whole_project:
            self.reload()

    def _on_project(self) -> None:
        self.search.clear()  # the tag set's labels may have changed
        self._on_tagset()

    def _on_tagset(self) -> None:
        self._described.clear()  # tag and value labels as the filter searched them
        self.reload()

    # --- the text filter's index ----------------------------------------------------------

    def _block_annotations(self, layer: str, doc_id: str) -> dict[str, Annotation]:
        lay = self.project.layers.get(layer)
        da = lay.docs.get(doc_id) if lay is not None else None
        return da.annotations if da is not None else {}

    def _search_text(self, doc_id: str, ann: Annotation) -> str:
        """What the text filter searches: tag, attributes, author, covered text, note."""
        # tag and attributes as the Tag and Attributes columns read them; few
        # annotations differ in both, so their text is worked out once per pair
        pair = (ann.tag, tuple(ann.attributes.items()))
        head = self._described.get(pair)
        if head is None:
            tagset = self.project.tagset
            tt = tagset.tag(ann.tag) if tagset.has_tag(ann.tag) else None
            label = tt.label if tt is not None else ann.tag
            head = self._described[pair] = f"{label} {attribute_summary(tt, ann.attributes)}"
        author = ann.modified_by or ann.created_by
        covered = ann.covered_text(self.project.documents[doc_id].text)
        return f"{head} {author} {covered} {ann.note}"

    def matching_ids(self, layer: str, doc_id: str, text: str) -> set[str]:
        """Ids of the block's annotations the (case-folded) text filter matches."""
        block = (layer, doc_id)
        last = self._matched
        if last is None or last[0] != block or last[1] != text:
            ids = self.search.matching(block, self._block_annotations(layer, doc_id), text)
            self._matched = last = (block, text, ids)
        return last[2]

    def block_may_match(self, layer: str, doc_id: str, tag: str, text: str) -> bool:
        """Whether any annotation of the block passes the filters (before sorting it)."""
        anns = self._block_annotations(layer, doc_id)
        if text:
            ids = self.matching_ids(layer, doc_id, text)
            return any(anns[i].tag == tag for i in ids) if tag else bool(ids)
        return any(a.tag == tag for a in anns.values()) if tag else bool(anns)

    def _index_change(self, change: Change) -> None:
        self._matched = None
        if not change.doc_id:
            self.search.clear()
        elif change.text_changed:
            self.search.forget_document(change.doc_id)
        elif change.layer and change.named:
            anns = self._block_annotations(change.layer, change.doc_id)
            self.search.update((change.layer, change.doc_id), anns, change.ann_ids)
        elif change.layer:
            self.search.forget((change.layer, change.doc_id))

    def _on_change(self, change: Change) -> None:
        self._index_change(change)
        if not change.doc_id:
            self.reload()
            return
        listed = change.doc_id in self.project.documents and (
            self.whole_project or change.doc_id == self.session.current_doc_id
        )
        if listed and change.layer in self._layers() and self._sizes is not None:
            lay = self.project.layers.get(change.layer)
            da = lay.docs.get(change.doc_id) if lay is not None else None
            size, block = (
                len(da.annotations) if da is not None else 0,
                (change.layer, change.doc_id),
            )
            if size != self._sizes.get(block, 0):
                self._total += size - self._sizes.get(block, 0)
                self._sizes[block] = size
                self.totalChanged.emit()
        if not self._fetched_doc(change.doc_id):
            return  # not listed, or laid out fresh when the view reaches it
        if change.layer:
            if change.layer in self._layers():
                self._sync(change.layer, change.doc_id, named=change)
            return
        if change.text_changed:  # offsets, covered texts and check flags of every layer
            for layer in self._layers():
                self._sync(layer, change.doc_id, full=True)
            self._refresh_doc(change.doc_id)
        # else a document-level change (status): nothing we show

    def _refresh_doc(self, doc_id: str) -> None:
        rows = [r for k, r in self._row.items() if k[1] == doc_id]
        if rows:
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), last))

    def _sync(
        self, layer: str, doc_id: str, full: bool = False, named: Change | None = None
    ) -> None:
        """Bring one (layer, document) up to date, touching only the rows that changed.

        When the edit names what it touched (``named``), only those annotations and
        links are looked at. Otherwise the block's annotations and links are
        compared by identity with the snapshot taken when it was last shown
        (O(annotations in the document), no sorting). Gone rows are removed, new
        ones inserted where the current order puts them, changed ones (and the
        other ends of changed links) get ``dataChanged``.
        """
        block = (layer, doc_id)
        lay = self.project.layers.get(layer)
        da = lay.docs.get(doc_id) if lay is not None else None
        anns = da.annotations if da is not None else {}
        links = da.links if da is not None else {}
        if named is not None and named.named and not full and block in self._seen:
            self._sync_named(block, anns, links, named)
            return
        old_anns, old_links = self._seen.get(block, ({}, {}))
        gone = list(old_anns.keys() - anns.keys())
        new = list(anns.keys() - old_anns.keys())
        touched: set[str] = set()
        if full or not (new or gone):
            # an edit command adds/removes annotations or changes existing ones, never
            # both in one notice, so adding (the common case) skips this Python-level pass
            old_get = old_anns.get
            touched = {aid for aid, ann in anns.items() if old_get(aid, ann) is not ann}
        for lid in old_links.keys() | links.keys():
            before, after = old_links.get(lid), links.get(lid)
            if before is not after:
                for lk in (before, after):
                    if lk is not None:
                        touched.update((lk.source, lk.target))
        if touched:  # a changed span changes how links to it read at the other end
            for lk in links.values():
                if lk.source in touched or lk.target in touched:
                    touched.update((lk.source, lk.target))
        self._seen[block] = (dict(anns), dict(links))
        self._apply(block, anns, gone, new, touched)

    def _sync_named(
        self,
        block: tuple[str, str],
        anns: dict[str, Annotation],
        links: dict[str, Any],
        change: Change,
    ) -> None:
        """The snapshot is updated in place for the named annotations and links only.

        A named annotation still there before and after is refreshed even if it is the
        same object: it is an end of a link that came or went. One replaced by a
        changed copy also refreshes the other ends of its links (they quote it)."""
        seen_anns, seen_links = self._seen[block]
        for lid in change.link_ids:
            link = links.get(lid)
            if link is None:
                seen_links.pop(lid, None)
            else:
                seen_links[lid] = link
        gone: list[str] = []
        new: list[str] = []
        touched: set[str] = set()
        for aid in change.ann_ids:
            before, after = seen_anns.get(aid), anns.get(aid)
            if after is None:
                if before is not None:
                    gone.append(aid)
                    del seen_anns[aid]
                continue
            seen_anns[aid] = after
            if before is None:
                new.append(aid)
                continue
            touched.add(aid)
            if before is not after:
                for lk in links.values():
                    if aid in (lk.source, lk.target):
                        touched.update((lk.source, lk.target))
        self._apply(block, anns, gone, new, touched)

    def _apply(
        self,
        block: tuple[str, str],
        anns: dict[str, Annotation],
        gone: list[str],
        new: list[str],
        touched: set[str],
    ) -> None:
        """Remove, insert and refresh rows of one block; nothing else is re-sorted."""
        layer, doc_id = block
        self._recent = {}
        if self.whole_project and self.accept is not None and touched:
            # a filtered whole-project list laid out only the rows that matched: an
            # edit that makes one match (a note, a retag) brings its row in
            fresh = set(new)
            for aid in sorted(touched - fresh):
                key = (layer, doc_id, aid)
                if aid in anns and self.row_of(*key) < 0 and self.accept(key):
                    new = [*new, aid]
        if gone:
            rows = sorted((self.row_of(layer, doc_id, aid) for aid in gone), reverse=True)
            for row in rows:
                if row < 0:
                    continue
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._keys[row]
                self._reindex()
                self.endRemoveRows()
        for aid in sorted(new, key=lambda a: annotation_order(anns[a])):
            key = (layer, doc_id, aid)
            row = self._insert_position(key)
            self.beginInsertRows(QModelIndex(), row, row)
            self._keys.insert(row, key)
            self._reindex()
            self._recent[key] = row
            self.endInsertRows()
        rows = sorted(
            r for r in (self.row_of(layer, doc_id, aid) for aid in touched - set(new)) if r >= 0
        )
        last = self.columnCount() - 1
        while rows:  # one signal per run of adjacent rows
            first = end = rows.pop(0)
            while rows and rows[0] == end + 1:
                end = rows.pop(0)
            self.dataChanged.emit(self.index(first, 0), self.index(end, last))

    def _order_key(self, key: Key) -> Any:
        """Where a row belongs in the current order: the sorted column's key, or
        (unsorted) document, layer and reading order as ``reload`` lays them out."""
        if self._sort_column >= 0:
            return self._sort_key_of(key, self._sort_column)
        if self._doc_pos is None:
            self._doc_pos = {d: i for i, d in enumerate(self._docs)}
        layers = self._layers()
        ann = self._annotation_of(key)
        return (
            self._doc_pos.get(key[1], -1),
            layers.index(key[0]) if key[0] in layers else -1,
            annotation_order(ann) if ann is not None else (0, 0, "", ""),
        )

    def _insert_position(self, key: Key) -> int:
        """Binary search in the current order (after rows with an equal key, as a
        stable sort would put them): inserting a row never re-sorts the table."""
        target = self._order_key(key)
        descending = self._sort_column >= 0 and self._sort_order == Qt.SortOrder.DescendingOrder
        lo, hi = 0, len(self._keys)
        while lo < hi:
            mid = (lo + hi) // 2
            here = self._order_key(self._keys[mid])
            after = here < target if descending else target < here
            if after:
                hi = mid
            else:
                lo = mid + 1
        return lo

    # --- lookup ------------------------------------------------------------------------

    def key(self, row: int) -> Key:
        return self._keys[row]

    def row_of(self, layer: str, doc_id: str, ann_id: str) -> int:
        key = (layer, doc_id, ann_id)
        hint = self._recent.get(key)
        if hint is not None and hint < len(self._keys) and self._keys[hint] == key:
            return hint  # a row just inserted (the new tag is selected next)
        if self._row_cache is None:  # one lookup does not need the whole index
            try:
                return self._keys.index(key)
            except ValueError:
                return -1
        return self._row_cache.get(key, -1)

    def find_row(self, layer: str, ann_id: str) -> int:
        """Row of an annotation given only its layer (the session's selection)."""
        self.ensure_fetched(self.session.current_doc_id)
        row = self.row_of(layer, self.session.current_doc_id, ann_id)
        if row >= 0:
            return row
        for r, k in enumerate(self._keys):
            if k[0] == layer and k[2] == ann_id:
                return r
        return -1

    def annotation(self, row: int) -> Annotation | None:
        return self._annotation_of(self._keys[row])

    def _annotation_of(self, key: Key) -> Annotation | None:
        layer, doc_id, ann_id = key
        lay = self.project.layers.get(layer)
        da = lay.docs.get(doc_id) if lay is not None else None
        return da.annotations.get(ann_id) if da is not None else None

    # --- Qt model interface ---------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        """One call from Qt per index (the inherited one asks ``rowCount`` and
        ``columnCount`` first: two calls into Python for every painted cell)."""
        if 0 <= row < len(self._keys) and 0 <= column < len(COLUMNS) and not parent.isValid():
            return self.createIndex(row, column)
        return QModelIndex()

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.ToolTipRole and section == COL_CHECK:
            return "Needs check: a text correction changed characters inside the span"
        return None

    def text_of(self, row: int, col: int) -> str:
        return self._text_of_key(self._keys[row], col)

    def _text_of_key(self, key: Key, col: int) -> str:
        layer, doc_id, _ann_id = key
        ann = self._annotation_of(key)
        if ann is None:
            return ""
        project = self.project
        tagset = project.tagset
        if col == COL_TAG:
            return tag_label(tagset, ann.tag)
        if col == COL_TEXT:
            return elide(ann.covered_text(project.documents[doc_id].text), 120)
        if col == COL_ATTRS:
            tt = tagset.tag(ann.tag) if tagset.has_tag(ann.tag) else None
            return attribute_summary(tt, ann.attributes)
        if col == COL_LINKS:
            da = project.layers[layer].docs[doc_id]
            return link_summary(tagset, project.documents[doc_id].text, da, ann, 30)
        if col == COL_NOTE:
            return elide(ann.note, 80)
        if col == COL_AUTHOR:
            return ann.modified_by or ann.created_by
        if col == COL_LAYER:
            return layer
        if col == COL_CHECK:
            return "⚠ check" if ann.needs_check else ""
        if col == COL_DOC:
            doc = project.documents[doc_id]
            return doc.meta.headline or doc_id
        return ""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self._cell(index.row(), index.column(), role)

    def multiData(self, index: _Index, roleDataSpan: Any) -> None:
        """Every role a cell is painted with, in one call from Qt.

        A delegate asks for seven roles per visible cell; answered one ``data`` call at
        a time (each a crossing from C++ into Python, through the filter proxy), the
        table's repaint after one tag cost more than the edit itself.
        """
        if not index.isValid():
            return
        row, col, cell = index.row(), index.column(), self._cell
        for item in roleDataSpan:
            item.setData(cell(row, col, item.role()))

    def _cell(self, row: int, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text_of(row, col)
        if role == KEY_ROLE:
            return self._keys[row]
        if role not in _DRAWN_ROLES:  # a repaint asks for every role of every visible cell
            return None
        ann = self.annotation(row)
        if ann is None:
            return None
        if role == Qt.ItemDataRole.DecorationRole and col == COL_TAG:
            return swatch_icon(tag_color(self.project.tagset, ann.tag))
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_TEXT:
                doc = self.project.documents[self._keys[row][1]]
                return ann.covered_text(doc.text)
            if col in (COL_NOTE, COL_LINKS, COL_ATTRS, COL_DOC):
                return self.text_of(row, col) if col != COL_NOTE else ann.note
        if role == Qt.ItemDataRole.ForegroundRole and self._keys[row][0] != self.session.layer:
            return QBrush(QColor("#6a6a6a"))
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_CHECK:
            return QBrush(QColor("#b35900"))
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """While a link target is being picked, rows the pick cannot take (a colleague's
        annotation, a tag the link type does not allow) are greyed out and cannot be chosen."""
        flags = super().flags(index)
        if index.isValid() and self.session.picking:
            layer, _doc_id, ann_id = self._keys[index.row()]
            if not self.session.pick_accepts(layer, ann_id):
                flags &= ~(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        return flags

    def sort_key(self, row: int, col: int) -> Any:
        return self._sort_key_of(self._keys[row], col)

    def _sort_key_of(self, key: Key, col: int) -> Any:
        if col == COL_TEXT:
            ann = self._annotation_of(key)
            return (ann.start, -ann.end) if ann is not None else (0, 0)
        return self._text_of_key(key, col).casefold()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """One Python sort on plain keys; persistent indexes follow their annotations.

        The Text column sorts by position in the text (reading order), which is
        what people mean by "sort by text" in a document.
        """
        if not 0 <= column < len(COLUMNS):
            return
        self.fetch_all()
        self._sort_column, self._sort_order = column, order
        with rows_reordered(self, lambda r: self._keys[r], lambda k: self._row[k]):
            rows = list(range(len(self._keys)))
            keys = {r: self.sort_key(r, column) for r in rows}
            rows.sort(key=lambda r: keys[r], reverse=order == Qt.SortOrder.DescendingOrder)
            self._keys = [self._keys[r] for r in rows]
            self._reindex()


class AnnotationFilterProxy(SourceSortedFilterProxy):
    """Text filter (covered text, note, attributes, author) and tag filter."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.tag = ""
        #: only these rows (the annotations behind a bar of the Overview), or None
        self.keys: frozenset[Key] | None = None
        self._blocks: frozenset[tuple[str, str]] = frozenset()
        self._bulk: list[bool] | None = None

    @property
    def active(self) -> bool:
        return bool(self.tag or self.text) or self.keys is not None

    def set_keys(self, keys: frozenset[Key] | None) -> None:
        self.begin_filter_change()
        self.keys = keys
        self._blocks = frozenset((k[0], k[1]) for k in keys) if keys is not None else frozenset()
        self.end_filter_change()

    def set_filters(self, text: str | None = None, tag: str | None = None) -> None:
        self.begin_filter_change()
        if text is not None:
            self.text = text.strip().casefold()
        if tag is not None:
            self.tag = tag
        self.end_filter_change()

    def end_filter_change(self) -> None:
        """One layout change (see the base class), with the verdicts for all rows computed
        first in one Python loop, so the per-row callback from Qt is a list lookup
        (200,000 rows: about half the time)."""
        model = self.sourceModel()
        if isinstance(model, AnnotationTableModel) and self.active:
            self._bulk = [self.accepts(model, row) for row in range(model.rowCount())]
        try:
            super().end_filter_change()
        finally:
            self._bulk = None

    def accepts(self, model: AnnotationTableModel, row: int) -> bool:
        return self.accepts_key(model, model.key(row))

    def accepts_key(self, model: AnnotationTableModel, key: Key) -> bool:
        if self.keys is not None and key not in self.keys:
            return False
        if not self.tag and not self.text:
            return True
        ann = model._annotation_of(key)
        if ann is None:
            return False
        if self.tag and ann.tag != self.tag:
            return False
        if self.text:  # tag, attributes, author, covered text, note: see the model's index
            return key[2] in model.matching_ids(key[0], key[1], self.text)
        return True

    def key_filter(self, model: AnnotationTableModel) -> Callable[[Key], bool] | None:
        """The filters as a test of one row's key, for laying out the whole project."""
        if not self.active:
            return None
        return lambda key: self.accepts_key(model, key)

    def block_filter(self, model: AnnotationTableModel) -> Callable[[str, str], bool] | None:
        """The filters as a test of a whole (layer, document) block: blocks without a
        match are passed over without sorting or testing their rows one by one."""
        if not self.active:
            return None
        tag, text, blocks = self.tag, self.text, self._blocks
        if self.keys is not None:
            return lambda layer, doc_id: (
                (layer, doc_id) in blocks and (model.block_may_match(layer, doc_id, tag, text))
            )
        return lambda layer, doc_id: model.block_may_match(layer, doc_id, tag, text)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if not self.active:
            return True
        bulk = self._bulk
        if bulk is not None and source_row < len(bulk):
            return bulk[source_row]
        model = self.sourceModel()
        assert isinstance(model, AnnotationTableModel)
        return self.accepts(model, source_row)


class AnnotationsDock(QDockWidget):
    """The table plus its filters; row selection and session selection follow each other."""

    def sizeHint(self) -> QSize:
        """Initial size in the main window: wide enough for about eight rows."""
        return QSize(900, 240)

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__("Annotations", parent)
        self.setObjectName("AnnotationsDock")
        self.session = session
        self.model = AnnotationTableModel(session, self)
        self.proxy = AnnotationFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._syncing = False

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        bar = QHBoxLayout()
        self.search = QLineEdit(body)
        self.search.setPlaceholderText("Filter annotations (text, note, attribute, author)…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Filter annotations")
        self.tag_filter = QComboBox(body)
        self.tag_filter.setAccessibleName("Show only one tag")
        # narrow enough to share a laptop's side column with the Inspector
        self.tag_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.tag_filter.setMinimumContentsLength(3)
        self.scope = QCheckBox("All docs", body)
        self.scope.setToolTip("List the annotations of every document, not only the open one")
        self.count_label = QLabel(body)
        self.count_label.setWordWrap(True)  # "7 annotations" may take two lines, not more width
        # the annotations behind a bar of the Overview: says so, with a button to show all
        self.only_button = QToolButton(body)
        self.only_button.setObjectName("annotationsOnly")
        self.only_button.setAutoRaise(True)
        self.only_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.only_button.setStyleSheet(
            "QToolButton { background: #E8F0FE; border: 1px solid #9DB7E8;"
            " border-radius: 9px; padding: 1px 8px; }"
        )
        self.only_button.clicked.connect(lambda _c=False: self.show_only(None))
        self.only_button.hide()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.tag_filter, 1)
        bar.addWidget(self.scope)
        bar.addWidget(self.only_button)
        bar.addWidget(self.count_label)
        layout.addLayout(bar)

        self.table = NavTable(body, self.proxy, "Annotations")
        layout.addWidget(self.table, 1)
        self.setWidget(body)
        self._size_columns()

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.tag_filter.currentIndexChanged.connect(self._apply_filters)
        self.scope.toggled.connect(self.set_whole_project)
        self.table.userChose.connect(self._on_user_chose)
        self.table.userRefused.connect(self._on_refused)
        session.selectionChanged.connect(self._show_selection)
        session.projectReplaced.connect(self._fill_tags)
        session.projectReplaced.connect(self._drop_chosen)
        session.tagsetChanged.connect(self._fill_tags)
        # rows a pending link pick cannot take are greyed out (the model's flags)
        session.pickModeChanged.connect(lambda _on: self.table.viewport().update())
        for sig in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            sig.connect(self._update_count)
        self.proxy.modelReset.connect(self._reselect)
        self.model.totalChanged.connect(self._update_count)
        self._fill_tags()
        self._update_count()

    # --- filters ---------------------------------------------------------------------------

    def _fill_tags(self) -> None:
        current = self.tag_filter.currentData() or ""
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem("All tags", "")
        for tt in self.session.project.tagset.tags:
            self.tag_filter.addItem(swatch_icon(tt.color), tt.label, tt.name)
        self.tag_filter.setCurrentIndex(max(0, self.tag_filter.findData(current)))
        self.tag_filter.blockSignals(False)

    def _apply_filters(self) -> None:
        self._search_timer.stop()
        self.proxy.set_filters(self.search.text(), self.tag_filter.currentData() or "")
        self.model.accept = self.proxy.key_filter(self.model)
        self.model.accept_block = self.proxy.block_filter(self.model)
        if self.model.whole_project:  # lay out the matching rows only, from the top
            self.model.reload()
        self._update_count()
        self._reselect()

    def set_filters(self, text: str | None = None, tag: str | None = None) -> None:
        if text is not None:
            self.search.blockSignals(True)
            self.search.setText(text)
            self.search.blockSignals(False)
        if tag is not None:
            self.tag_filter.blockSignals(True)
            self.tag_filter.setCurrentIndex(max(0, self.tag_filter.findData(tag)))
            self.tag_filter.blockSignals(False)
        self._apply_filters()

    def show_only(self, keys: Iterable[Key] | None, label: str = "") -> None:
        """List only these annotations ((layer, release, id) each), from every release,
        their layers shown; ``None`` lists everything again. The text and tag filters
        still apply on top. ``label`` says what they are, on a button that clears it."""
        if keys is None:
            self.only_button.hide()
            self.proxy.set_keys(None)
        else:
            wanted = frozenset(keys)
            for layer in sorted({k[0] for k in wanted}):
                if layer not in self.session.visible_layers:
                    self.session.set_layer_visible(layer, True)  # the list shows visible layers
            self.set_whole_project(True)
            self.only_button.setText(f"{label or 'Chosen annotations'}  ✕")
            self.only_button.setToolTip("Showing only these annotations: click to list all")
            self.only_button.show()
            self.proxy.set_keys(wanted)
        self._apply_filters()

    def _drop_chosen(self) -> None:
        """Another project: the annotations a bar chose are not in it."""
        if self.proxy.keys is not None:
            self.show_only(None)

    def set_whole_project(self, on: bool) -> None:
        if self.scope.isChecked() != on:
            self.scope.setChecked(on)  # comes back here through toggled
            return
        self.model.set_whole_project(on)
        self.table.setColumnHidden(COL_DOC, not on)

    def _update_count(self, *_args: object) -> None:
        """ "N annotations", or "shown of N" while filtering (with "+" while more of the
        whole project is still to be laid out)."""
        shown, total = self.proxy.rowCount(), self.model.total()
        noun = "annotation" if total == 1 else "annotations"
        if self.proxy.active:
            more = "+" if self.model.canFetchMore() else ""
            self.count_label.setText(f"{shown:,}{more} of {total:,} {noun}")
        else:
            self.count_label.setText(f"{total:,} {noun}")

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        fm = self.fontMetrics()
        widths = {
            COL_TAG: fm.horizontalAdvance("Responsible authority") + 40,
            COL_TEXT: fm.horizontalAdvance("M" * 24),
            COL_ATTRS: fm.horizontalAdvance("M" * 16),
            COL_LINKS: fm.horizontalAdvance("M" * 16),
            COL_NOTE: fm.horizontalAdvance("M" * 10),
            COL_AUTHOR: fm.horizontalAdvance("reviewer") + 20,
            COL_LAYER: fm.horizontalAdvance("curated") + 20,
            COL_CHECK: fm.horizontalAdvance("⚠ check") + 20,
        }
        for col, width in widths.items():
            header.resizeSection(col, width)
        self.table.setColumnHidden(COL_DOC, True)

    # --- selection ---------------------------------------------------------------------------

    def _on_user_chose(self, current: QModelIndex) -> None:
        # also for a click on the already-current row: it may complete a link pick
        if not self._syncing and current.isValid():
            self.activate(current)

    def _on_refused(self, _index: QModelIndex) -> None:
        if self.session.picking:
            bar = getattr(self.window(), "statusBar", None)
            if bar is not None:
                bar().showMessage("Not a possible target of this link: choose another one.", 5000)

    def activate(self, index: QModelIndex) -> None:
        """Offer the row to a pending link pick, else select it (opening its document)."""
        layer, doc_id, ann_id = index.data(KEY_ROLE)
        if self.session.picking and not self.session.pick_accepts(layer, ann_id):
            # a link joins annotations of one's own layer: the pick waits for one it can take
            self._show_selection(*self.session.selected)
            return
        if self.session.pick(layer, ann_id):
            self._show_selection(*self.session.selected)
            return
        if doc_id != self.session.current_doc_id:
            self._syncing = True
            try:
                self.session.set_current_document(doc_id)
            finally:
                self._syncing = False
        self.session.select(layer, ann_id)
        self._show_selection(layer, ann_id)

    def _reselect(self) -> None:
        self._show_selection(*self.session.selected)

    def _show_selection(self, layer: str, ann_id: str) -> None:
        row = self.model.find_row(layer, ann_id) if ann_id else -1
        pidx = self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else QModelIndex()
        sel = self.table.selectionModel()
        self._syncing = True
        try:
            if pidx.isValid():
                sel.setCurrentIndex(
                    pidx,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.scrollTo(pidx)
            else:
                sel.clearSelection()
                sel.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)
        finally:
            self._syncing = False

    def selected_key(self) -> tuple[str, str, str] | None:
        idx = self.table.selectionModel().currentIndex()
        return idx.data(KEY_ROLE) if idx.isValid() else None
