"""The project model: documents, annotation layers, annotations and links.

Plain Python, no Qt and no XML. Offsets are Unicode code points (Python ``str``
indices), half-open ``[start, end)``. The model only holds data and checks
invariants; every change a user makes goes through :mod:`annotator.model.commands`
so it can be undone and replayed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, NoReturn, TypeVar

from annotator.errors import (
    DuplicateId,
    EmptySpan,
    OffsetOutOfRange,
    UnknownAnnotation,
    UnknownDocument,
    UnknownLayer,
)
from annotator.model.tagset import AttrValue, TagSet
from annotator.model.tagset_log import TagSetLogEntry
from annotator.numbers import number_key

_K = TypeVar("_K")
_V = TypeVar("_V")
_T = TypeVar("_T")

_SHARED = "shared by several annotations: assign a changed copy instead"


class FrozenDict(dict[_K, _V]):
    """A dict that refuses every change in place, so many annotations can share one.

    A loaded project of 200,000 annotations holds a few hundred distinct attribute
    combinations and almost no provenance: one object per combination (and one
    empty one) instead of one per annotation saves tens of megabytes. It is still
    a ``dict`` for everything that reads it (equality, ``json``, ``dict(...)``);
    an edit goes through :meth:`Annotation.copy`, which gives plain dicts, so a
    change to one annotation can never reach another.
    """

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError(f"this dict is {_SHARED}")

    __setitem__ = __delitem__ = _refuse
    pop = popitem = setdefault = update = clear = _refuse
    __ior__ = _refuse

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (dict(self),))  # copy and pickle without setting items


class FrozenList(list[_T]):
    """A list that refuses every change in place (see :class:`FrozenDict`)."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError(f"this list is {_SHARED}")

    __setitem__ = __delitem__ = _refuse
    append = extend = insert = pop = remove = clear = sort = reverse = _refuse
    __iadd__ = __imul__ = _refuse

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (list(self),))


_dict_setitem = dict.__setitem__
_dict_delitem = dict.__delitem__


class TrackedDict(dict[_K, _V]):
    """A dict that keeps a frozen copy of itself until its next change.

    A release's annotations and links live in these (see
    :class:`DocumentAnnotations`), so a save's snapshot copies only the releases
    changed since the last snapshot and shares the frozen copy of every other one
    (:mod:`annotator.model.snapshot`). Every method that changes a dict in place
    drops the copy; reading costs what it costs on a plain dict.
    """

    __slots__ = ("_frozen",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._frozen: FrozenDict[_K, _V] | None = None
        dict.__init__(self, *args, **kwargs)

    def frozen(self) -> FrozenDict[_K, _V]:
        """A frozen copy of the dict as it is now (the same object until a change)."""
        try:
            copy = self._frozen
        except AttributeError:  # made without __init__ (copy.copy, pickle)
            copy = None
        if copy is None:
            copy = self._frozen = FrozenDict(self)
        return copy

    def forget(self) -> None:
        """Drop the frozen copy (the next :meth:`frozen` makes a new one)."""
        self._frozen = None

    def __setitem__(self, key: _K, value: _V) -> None:
        self._frozen = None
        _dict_setitem(self, key, value)

    def __delitem__(self, key: _K) -> None:
        self._frozen = None
        _dict_delitem(self, key)

    def pop(self, *args: Any) -> Any:
        self._frozen = None
        return dict.pop(self, *args)

    def popitem(self) -> tuple[_K, _V]:
        self._frozen = None
        return dict.popitem(self)

    def setdefault(self, key: _K, default: Any = None) -> Any:
        self._frozen = None
        return dict.setdefault(self, key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._frozen = None
        dict.update(self, *args, **kwargs)

    def clear(self) -> None:
        self._frozen = None
        dict.clear(self)

    def __ior__(self, other: Any) -> TrackedDict[_K, _V]:  # type: ignore[override,misc]
        self._frozen = None
        dict.update(self, other)
        return self


class Status(StrEnum):
    """An annotator's progress on one document."""

    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    DONE = "done"


class ReviewStatus(StrEnum):
    """A reviewer's progress on one document."""

    NOT_REVIEWED = "not-reviewed"
    IN_REVIEW = "in-review"
    ADJUDICATED = "adjudicated"


class LayerKind(StrEnum):
    ANNOTATOR = "annotator"
    CURATED = "curated"


CURATED_LAYER = "curated"


def text_sha256(text: str) -> str:
    """The hash a project file records for a document's text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True, order=True)
class Fragment:
    """One contiguous piece ``[start, end)`` of an annotation, in code points."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise EmptySpan(f"a fragment needs start < end, got [{self.start}, {self.end})")
        if self.start < 0:
            raise OffsetOutOfRange(f"a fragment cannot start before 0, got {self.start}")

    def overlaps(self, other: Fragment) -> bool:
        return self.start < other.end and other.start < self.end

    def __len__(self) -> int:
        return self.end - self.start


def normalise_fragments(fragments: Iterable[Fragment | tuple[int, int]]) -> tuple[Fragment, ...]:
    """Sort fragments and merge those that touch or overlap."""
    frags = sorted(f if isinstance(f, Fragment) else Fragment(*f) for f in fragments)
    if not frags:
        raise EmptySpan("an annotation needs at least one fragment")
    merged = [frags[0]]
    for f in frags[1:]:
        last = merged[-1]
        if f.start <= last.end:
            merged[-1] = Fragment(last.start, max(last.end, f.end))
        else:
            merged.append(f)
    return tuple(merged)


@dataclass(frozen=True, slots=True)
class Comment:
    """A reviewer's remark on an annotation (kept in the file, shown to its author)."""

    author: str
    at: str
    text: str


#: The empties a loaded annotation or link shares with all the others that have none
#: (a reader's choice: code that builds an annotation gets fresh, changeable ones).
NO_ATTRIBUTES: FrozenDict[str, AttrValue] = FrozenDict()
NO_COMMENTS: FrozenList[Comment] = FrozenList()
NO_PROVENANCE: FrozenDict[str, str] = FrozenDict()
NO_LINK_ATTRIBUTES: FrozenDict[str, str] = FrozenDict()


class Spanned:
    """Something over one or more spans of a document's text: an annotation, or a
    suggestion of one. ``fragments`` are sorted and disjoint."""

    __slots__ = ()
    fragments: tuple[Fragment, ...]

    @property
    def start(self) -> int:
        return self.fragments[0].start

    @property
    def end(self) -> int:
        return self.fragments[-1].end

    def covered_text(self, text: str, sep: str = " … ") -> str:
        """The text the spans cover; discontinuous pieces joined by ``sep``."""
        return sep.join(text[f.start : f.end] for f in self.fragments)


@dataclass(slots=True)
class Annotation(Spanned):
    """A tagged span. ``fragments`` are sorted and disjoint (see normalise_fragments).

    An annotation in a project is never changed in place: commands change a
    :meth:`copy` and put it in the layer (a save's snapshot shares the old one).
    So a reader may give many annotations one :class:`FrozenDict` of attributes
    and the shared empty comments and provenance; changing them in place raises.
    """

    id: str
    tag: str
    fragments: tuple[Fragment, ...]
    attributes: dict[str, AttrValue] = field(default_factory=dict)
    note: str = ""
    created_by: str = ""
    created_at: str = ""
    modified_by: str = ""
    modified_at: str = ""
    #: set when a text correction changed characters inside the span
    needs_check: bool = False
    comments: list[Comment] = field(default_factory=list)
    #: adjudication record: where a curated annotation came from, free key/values
    provenance: dict[str, str] = field(default_factory=dict)

    def copy(self) -> Annotation:
        return Annotation(
            id=self.id,
            tag=self.tag,
            fragments=self.fragments,
            attributes=dict(self.attributes),
            note=self.note,
            created_by=self.created_by,
            created_at=self.created_at,
            modified_by=self.modified_by,
            modified_at=self.modified_at,
            needs_check=self.needs_check,
            comments=list(self.comments),
            provenance=dict(self.provenance),
        )


@dataclass(frozen=True, slots=True)
class Link:
    """A typed, directed edge between two annotations of the same layer and document.

    ``attributes`` are free name/value pairs the link carries (another tool's link
    attributes, such as a MAE link tag's own attributes); the tag set does not
    constrain them. ``note`` is a free-text remark on the link. Neither takes
    part in the hash, so links stay usable in sets.
    """

    id: str
    type: str
    source: str
    target: str
    attributes: dict[str, str] = field(default_factory=dict, hash=False)
    note: str = ""


@dataclass(slots=True)
class DocumentMeta:
    """What we know about a release besides its text. Nothing is invented: empty means absent."""

    headline: str = ""
    country: str = ""
    dateline: str = ""
    date: str = ""
    ai_index: str = ""
    source_name: str = ""
    source_sha256: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def copy(self) -> DocumentMeta:
        """An independent copy (``extra`` is not shared)."""
        return replace(self, extra=dict(self.extra))


@dataclass(slots=True)
class Document:
    """One release: a stable id, its text and metadata, and per-person progress."""

    id: str
    text: str
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    status: dict[str, Status] = field(default_factory=dict)
    review_status: ReviewStatus = ReviewStatus.NOT_REVIEWED
    #: (text, its hash): recomputed only when ``text`` is another string object
    _sha: tuple[str, str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def sha256(self) -> str:
        cached = self._sha
        if cached is None or cached[0] is not self.text:
            cached = self._sha = (self.text, text_sha256(self.text))
        return cached[1]

    def status_of(self, annotator: str) -> Status:
        return self.status.get(annotator, Status.NOT_STARTED)


@dataclass(slots=True)
class DocumentAnnotations:
    """One layer's annotations and links on one document, keyed by id.

    Both are kept as :class:`TrackedDict` whatever dict is assigned (a copy is
    taken of any other), so that a snapshot can tell which releases changed.
    """

    annotations: dict[str, Annotation] = field(default_factory=dict)
    links: dict[str, Link] = field(default_factory=dict)

    def __setattr__(self, name: str, value: Any) -> None:
        # A FrozenDict is a snapshot's own (never changed), so it is kept as it is.
        if type(value) is not TrackedDict and not isinstance(value, FrozenDict):
            value = TrackedDict(value)
        object.__setattr__(self, name, value)

    def links_of(self, ann_id: str) -> list[Link]:
        return [lk for lk in self.links.values() if ann_id in (lk.source, lk.target)]

    def sorted_annotations(self) -> list[Annotation]:
        return sorted(self.annotations.values(), key=annotation_order)

    def __bool__(self) -> bool:
        return bool(self.annotations or self.links)


def annotation_order(a: Annotation) -> tuple[int, int, str, str]:
    """Reading order: by start, longer first, then tag and id (deterministic)."""
    return (a.start, -a.end, a.tag, a.id)


@dataclass(slots=True)
class Layer:
    """The annotations of one person (or the curated result), over all documents.

    Annotation and link ids are unique within a layer; ``next_id`` hands them out.
    """

    name: str
    kind: LayerKind = LayerKind.ANNOTATOR
    docs: dict[str, DocumentAnnotations] = field(default_factory=dict)
    counter: int = 0
    #: id -> document id, so that checking an id costs the same in a layer of any size
    _index: dict[str, str] | None = field(default=None, init=False, repr=False, compare=False)

    def doc(self, doc_id: str) -> DocumentAnnotations:
        """The layer's annotations on ``doc_id`` (created empty on first use)."""
        da = self.docs.get(doc_id)
        if da is None:
            da = self.docs[doc_id] = DocumentAnnotations()
        return da

    def next_id(self, prefix: str = "a") -> str:
        """A fresh id, never handed out before in this layer."""
        self.counter += 1
        candidate = f"{prefix}{self.counter}"
        if not self.id_taken(candidate):
            return candidate
        # The counter lags behind ids already here (a file another tool wrote, ids
        # copied in by hand): jump past them with one scan of the layer instead of
        # testing every number in between against every document.
        taken = self.ids()
        self.counter = max(self.counter, _highest_number(taken, prefix))
        while True:
            self.counter += 1
            candidate = f"{prefix}{self.counter}"
            if candidate not in taken:
                return candidate

    def _ids(self) -> dict[str, str]:
        """The id index ({annotation or link id: document id}), built on first use.

        Commands keep it right as they add and remove; code that changes
        ``docs`` by hand calls :meth:`index_id` or :meth:`forget_index`.
        """
        index = self._index
        if index is None:
            index = self._index = {
                i: doc_id for doc_id, da in self.docs.items() for i in (*da.annotations, *da.links)
            }
        return index

    def index_id(self, ident: str, doc_id: str) -> None:
        """Record that ``ident`` is now used on ``doc_id``."""
        if self._index is not None:
            self._index[ident] = doc_id

    def unindex_id(self, ident: str) -> None:
        """Record that ``ident`` is free again."""
        if self._index is not None:
            self._index.pop(ident, None)

    def forget_index(self) -> None:
        """Rebuild the id index on next use (after ``docs`` was changed by hand)."""
        self._index = None

    def id_taken(self, candidate: str) -> bool:
        """True if an annotation or link of this layer (on any document) has that id."""
        doc_id = self._ids().get(candidate)
        if doc_id is None:
            return False
        da = self.docs.get(doc_id)
        if da is not None and (candidate in da.annotations or candidate in da.links):
            return True
        self._index = None  # an entry outlived its id: rebuild once from the documents
        return candidate in self._ids()

    def ids(self) -> set[str]:
        """Every annotation and link id in the layer."""
        return {i for da in self.docs.values() for i in (*da.annotations, *da.links)}

    def find(self, ann_id: str) -> tuple[str, Annotation]:
        """(document id, annotation) for ``ann_id`` anywhere in the layer."""
        doc_id = self._ids().get(ann_id)
        da = self.docs.get(doc_id) if doc_id is not None else None
        if da is not None and ann_id in da.annotations:
            return doc_id or "", da.annotations[ann_id]
        for doc_id, da in self.docs.items():
            if ann_id in da.annotations:
                return doc_id, da.annotations[ann_id]
        raise UnknownAnnotation(f"layer {self.name!r} has no annotation {ann_id!r}")

    def annotation_count(self) -> int:
        return sum(len(d.annotations) for d in self.docs.values())


def _highest_number(ids: Iterable[str], prefix: str) -> int:
    """The largest ``n`` among ids spelled ``prefix`` + decimal ``n`` (0 if none)."""
    highest = 0
    cut = len(prefix)
    for i in ids:
        if i.startswith(prefix) and i[cut:].isdecimal():
            highest = max(highest, number_key(i[cut:]))
    return highest


@dataclass(frozen=True, slots=True)
class Change:
    """What an edit touched, so views refresh only that. ``spans`` are code points.

    What is set says what kind of change it is:

    * ``doc_id`` empty: the whole project (documents added or removed, the tag set
      replaced, layers merged).
    * ``doc_id`` without ``layer``: the document itself. With ``text_changed`` its
      text changed (annotations of every layer on it may have moved); without, only
      its own fields (status, review status): no annotation or link changed.
    * ``doc_id`` and ``layer``: annotations and links of that layer on that
      document. ``ann_ids`` names every annotation whose row reads differently
      after the edit: added, removed, replaced by a changed copy, or at an end of a
      link that came, went or changed; ``link_ids`` names those links; ``spans``
      cover the fragments of the named annotations, before and after. Views update
      those rows alone. A layer change naming neither (``named`` false) asks views
      to compare the whole (layer, document); ``spans`` empty there means the
      whole document.
    """

    doc_id: str = ""
    layer: str = ""
    spans: tuple[tuple[int, int], ...] = ()
    text_changed: bool = False
    ann_ids: tuple[str, ...] = ()
    link_ids: tuple[str, ...] = ()

    @property
    def named(self) -> bool:
        """The edit said exactly which annotations and links it touched."""
        return bool(self.ann_ids or self.link_ids)


Listener = Callable[[Change], None]


@dataclass(slots=True)
class Project:
    """A tag set, documents in a fixed order, and annotation layers."""

    name: str
    tagset: TagSet
    documents: dict[str, Document] = field(default_factory=dict)
    layers: dict[str, Layer] = field(default_factory=dict)
    #: every tag-set change made, oldest first (see :mod:`annotator.model.tagset_log`)
    tagset_log: tuple[TagSetLogEntry, ...] = ()
    listeners: list[Listener] = field(default_factory=list, compare=False, repr=False)
    #: the last snapshot taken of this project, whose unchanged parts the next one
    #: shares (see :mod:`annotator.model.snapshot`)
    last_snapshot: Project | None = field(default=None, init=False, compare=False, repr=False)

    # --- lookup -------------------------------------------------------------

    def document(self, doc_id: str) -> Document:
        try:
            return self.documents[doc_id]
        except KeyError:
            raise UnknownDocument(f"the project has no document {doc_id!r}") from None

    def layer(self, name: str) -> Layer:
        try:
            return self.layers[name]
        except KeyError:
            raise UnknownLayer(f"the project has no layer {name!r}") from None

    def ensure_layer(self, name: str, kind: LayerKind = LayerKind.ANNOTATOR) -> Layer:
        """The layer called ``name``, created empty if missing (not an undoable edit)."""
        layer = self.layers.get(name)
        if layer is None:
            layer = self.layers[name] = Layer(name=name, kind=kind)
        return layer

    def annotations(self, layer: str, doc_id: str) -> DocumentAnnotations:
        self.document(doc_id)
        return self.layer(layer).doc(doc_id)

    def iter_annotations(self) -> Iterator[tuple[Layer, Document, Annotation]]:
        for layer in self.layers.values():
            for doc_id, da in layer.docs.items():
                doc = self.documents[doc_id]
                for ann in da.annotations.values():
                    yield layer, doc, ann

    # --- documents (not undoable: import and merge build projects) ----------

    def add_document(self, doc: Document) -> None:
        if doc.id in self.documents:
            raise DuplicateId(f"the project already has a document {doc.id!r}")
        self.documents[doc.id] = doc

    def new_document_id(self, stem: str = "doc") -> str:
        n = len(self.documents) + 1
        while f"{stem}{n:04d}" in self.documents:
            n += 1
        return f"{stem}{n:04d}"

    def find_document_by_hash(self, sha256: str) -> Document | None:
        for doc in self.documents.values():
            if doc.sha256 == sha256:
                return doc
        return None

    # --- invariants -----------------------------------------------------------

    def check_fragments(self, doc_id: str, fragments: Iterable[Fragment]) -> None:
        length = len(self.document(doc_id).text)
        for f in fragments:
            if f.end > length:
                raise OffsetOutOfRange(
                    f"fragment [{f.start}, {f.end}) is outside document {doc_id!r} "
                    f"({length} characters)"
                )

    def check_annotation(self, doc_id: str, ann: Annotation) -> None:
        """Raise a named ModelError if ``ann`` does not fit document and tag set."""
        if not ann.fragments:
            raise EmptySpan(f"annotation {ann.id!r} has no fragments")
        self.check_fragments(doc_id, ann.fragments)
        ann.attributes = self.tagset.check_attributes(ann.tag, ann.attributes)

    def check_link(self, layer: str, doc_id: str, link: Link) -> None:
        da = self.annotations(layer, doc_id)
        for end in (link.source, link.target):
            if end not in da.annotations:
                raise UnknownAnnotation(
                    f"link {link.id!r} points to {end!r}, which is not in layer "
                    f"{layer!r} on document {doc_id!r}"
                )
        self.tagset.check_link(
            link.type, da.annotations[link.source].tag, da.annotations[link.target].tag
        )

    # --- notification -----------------------------------------------------------

    def notify(self, change: Change) -> None:
        for listener in list(self.listeners):
            listener(change)
