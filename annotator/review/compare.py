"""Where colleagues' layers differ: every annotation classed against the others.

For two or more layers and each document, every annotation is compared with
each other layer and gets the first class that fits, in this order:

``exact``       an annotation there has the same tag and the same fragments, and
                the same attributes and links;
``details``     same tag and fragments, but attributes or links differ;
``tag``         same fragments, a different tag;
``boundary``    same tag, overlapping, different fragments;
``overlap``     partly overlapping, with a different tag and different fragments;
``missing``     nothing there overlaps it, except annotations of another tag that
                contain it or that it contains (nesting, e.g. a victim inside an
                appeal, is structure, not disagreement).

An annotation's class is the worst over the other layers. Each annotation is
tied to its best counterpart in every other layer (the one that gave the
class; ties go to the largest overlap) when they share the tag or the span,
and the connected groups are the **items** a reviewer steps through: an item is
an agreement when every layer has a member and all members are ``exact``, else
a disagreement of the worst class among its members. An ``overlap`` annotation
is an item of its own, so it does not swallow the other tag's item.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from annotator.errors import UnknownLayer
from annotator.model import Annotation, DocumentAnnotations, Project, annotation_order
from annotator.review.batch import no_gc


class Kind(StrEnum):
    EXACT = "exact"
    DETAILS = "details"
    TAG = "tag"
    BOUNDARY = "boundary"
    OVERLAP = "overlap"
    MISSING = "missing"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


_SEVERITY = {k: i for i, k in enumerate(Kind)}
_BY_SEVERITY = list(Kind)

KIND_LABELS = {
    Kind.EXACT: "exact match",
    Kind.DETAILS: "attributes or links differ",
    Kind.TAG: "same span, different tag",
    Kind.BOUNDARY: "same tag, different boundaries",
    Kind.OVERLAP: "overlapping, different tag",
    Kind.MISSING: "missing in a layer",
}


@dataclass
class Item:
    """Annotations of several layers that correspond to each other on one document."""

    doc_id: str
    members: dict[str, list[Annotation]]
    kind: Kind
    index: int = 0  # position in the comparison's item list

    @property
    def start(self) -> int:
        return min(a.start for anns in self.members.values() for a in anns)

    @property
    def end(self) -> int:
        return max(a.end for anns in self.members.values() for a in anns)

    @property
    def is_disagreement(self) -> bool:
        return self.kind is not Kind.EXACT

    def refs(self) -> list[tuple[str, str]]:
        """(layer, annotation id) of every member."""
        return [(layer, a.id) for layer, anns in self.members.items() for a in anns]


class Comparison:
    """The items of every compared document, grouped by document in project order.

    ``items`` (all documents, each item's ``index`` its position there) is built
    on first use after an :meth:`update`, so deciding one item on a project of
    10,000 releases recomputes one document, not the whole list.
    """

    def __init__(self, layers: Sequence[str]) -> None:
        self.layers = list(layers)
        self.by_doc: dict[str, list[Item]] = {}
        #: (layer, annotation id) -> class of that annotation
        self.kinds: dict[tuple[str, str], Kind] = {}
        #: (layer, annotation id) -> its item
        self.item_of: dict[tuple[str, str], Item] = {}
        self._items: list[Item] | None = None
        self._disagreements: dict[str, int] = {}

    def _add_document(self, doc_id: str, items: list[Item]) -> None:
        self.by_doc[doc_id] = items
        n = sum(1 for it in items if it.is_disagreement)
        if n:
            self._disagreements[doc_id] = n
        else:
            self._disagreements.pop(doc_id, None)
        self._items = None

    @property
    def items(self) -> list[Item]:
        if self._items is None:
            self._items = [it for items in self.by_doc.values() for it in items]
            for i, it in enumerate(self._items):
                it.index = i
        return self._items

    def document_items(self, doc_id: str) -> list[Item]:
        self.items  # noqa: B018 -- make sure indices are current
        return self.by_doc.get(doc_id, [])

    def disagreements(self, doc_id: str | None = None) -> list[Item]:
        pool = self.items if doc_id is None else self.document_items(doc_id)
        return [it for it in pool if it.is_disagreement]

    def counts(self, doc_id: str | None = None) -> Counter[Kind]:
        pool = self.items if doc_id is None else self.by_doc.get(doc_id, [])
        return Counter(it.kind for it in pool)

    def update(self, project: Project, doc_ids: Sequence[str]) -> None:
        """Recompute only ``doc_ids`` (after an edit there); other items keep their objects."""
        present = [d for d in doc_ids if d in project.documents]
        fresh = compare_layers(project, self.layers, present)
        for doc_id in doc_ids:
            for it in self.by_doc.pop(doc_id, []):
                for ref in it.refs():
                    self.kinds.pop(ref, None)
                    self.item_of.pop(ref, None)
            self._disagreements.pop(doc_id, None)
        self.kinds.update(fresh.kinds)
        self.item_of.update(fresh.item_of)
        for doc_id in present:
            self._add_document(doc_id, fresh.by_doc.get(doc_id, []))
        order = {d: i for i, d in enumerate(project.documents)}
        if list(self.by_doc) != sorted(self.by_doc, key=lambda d: order.get(d, len(order))):
            self.by_doc = dict(sorted(self.by_doc.items(), key=lambda kv: order.get(kv[0], 0)))
        self._items = None

    def per_document(self) -> dict[str, int]:
        """Number of disagreements per document (documents without any are left out)."""
        return dict(self._disagreements)


Signature = frozenset[tuple[object, ...]]
_NO_LINKS: Signature = frozenset()


def link_signatures(da: DocumentAnnotations) -> dict[str, Signature]:
    """Per annotation id: its links as (type, outgoing?, other end's tag and fragments).

    Links compare by what they connect, not by ids, which differ between layers.
    """
    sigs: dict[str, set[tuple[object, ...]]] = {}
    for lk in da.links.values():
        src, tgt = da.annotations.get(lk.source), da.annotations.get(lk.target)
        if src is None or tgt is None:
            continue
        sigs.setdefault(src.id, set()).add((lk.type, True, tgt.tag, tgt.fragments))
        sigs.setdefault(tgt.id, set()).add((lk.type, False, src.tag, src.fragments))
    return {k: frozenset(v) for k, v in sigs.items()}


def _overlaps(a: Annotation, b: Annotation) -> bool:
    if len(a.fragments) == 1 and len(b.fragments) == 1:
        return True  # the caller checked the outer bounds
    return any(f.overlaps(g) for f in a.fragments for g in b.fragments)


def _overlap_len(a: Annotation, b: Annotation) -> int:
    return sum(
        max(0, min(f.end, g.end) - max(f.start, g.start)) for f in a.fragments for g in b.fragments
    )


def classify(
    ann: Annotation,
    da: DocumentAnnotations,
    others: Sequence[Annotation],
    db: DocumentAnnotations,
    sigs: tuple[dict[str, Signature], dict[str, Signature]] | None = None,
) -> tuple[Kind, Annotation | None]:
    """Class of ``ann`` (from ``da``) against one other layer's annotations, and its counterpart.

    ``others`` must be in reading order (sorted by start), as ``sorted_annotations`` gives;
    ``sigs`` are :func:`link_signatures` of ``da`` and ``db`` if already computed.
    """
    sig_a, sig_b = sigs if sigs is not None else (link_signatures(da), link_signatures(db))
    best: tuple[int, int, Annotation] | None = None
    a_start = ann.fragments[0].start
    a_end = ann.fragments[-1].end
    for other in others:
        o_frags = other.fragments
        if o_frags[0].start >= a_end:
            break
        if o_frags[-1].end <= a_start or not _overlaps(ann, other):
            continue
        same_frags = other.fragments == ann.fragments
        same_tag = other.tag == ann.tag
        if same_frags and same_tag:
            same = other.attributes == ann.attributes and sig_a.get(ann.id, _NO_LINKS) == sig_b.get(
                other.id, _NO_LINKS
            )
            if same:
                return Kind.EXACT, other  # nothing can beat it
            kind = Kind.DETAILS
        elif same_frags:
            kind = Kind.TAG
        elif same_tag:
            kind = Kind.BOUNDARY
        else:
            o_start, o_end = o_frags[0].start, o_frags[-1].end
            nested = (o_start <= a_start and a_end <= o_end) or (
                a_start <= o_start and o_end <= a_end
            )
            if nested:
                continue
            kind = Kind.OVERLAP
        key = (_SEVERITY[kind], -_overlap_len(ann, other), other)
        if best is None or key[:2] < best[:2]:
            best = key
    if best is None:
        return Kind.MISSING, None
    return _BY_SEVERITY[best[0]], best[2]


Ref = tuple[str, str]


def _find(parent: dict[Ref, Ref], x: Ref) -> Ref:
    """Union-find root of ``x`` (with path halving)."""
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def compare_layers(
    project: Project, layers: Sequence[str], documents: Sequence[str] | None = None
) -> Comparison:
    """Class every annotation of ``layers`` on ``documents`` (default: all, in order)."""
    with no_gc():
        return _compare(project, layers, documents)


def _compare(
    project: Project, layers: Sequence[str], documents: Sequence[str] | None
) -> Comparison:
    layers = list(layers)
    for name in layers:
        if name not in project.layers:
            raise UnknownLayer(f"the project has no layer {name!r}")
    if len(layers) < 2:
        raise UnknownLayer("a comparison needs at least two layers")
    result = Comparison(layers)
    doc_ids = list(documents) if documents is not None else list(project.documents)
    for doc_id in doc_ids:
        project.document(doc_id)
        das = {n: project.layers[n].docs.get(doc_id, DocumentAnnotations()) for n in layers}
        anns = {n: das[n].sorted_annotations() for n in layers}
        sigs = {n: link_signatures(das[n]) for n in layers}
        exact_index = {n: {(a.tag, a.fragments): a for a in anns[n]} for n in layers}
        parent: dict[Ref, Ref] = {}

        for n in layers:
            for a in anns[n]:
                parent[(n, a.id)] = (n, a.id)
        for n in layers:
            for a in anns[n]:
                worst = Kind.EXACT
                for m in layers:
                    if m == n:
                        continue
                    twin = exact_index[m].get((a.tag, a.fragments))
                    if (
                        twin is not None
                        and twin.attributes == a.attributes
                        and sigs[n].get(a.id, _NO_LINKS) == sigs[m].get(twin.id, _NO_LINKS)
                    ):
                        kind: Kind = Kind.EXACT  # the common case, without a scan
                        other: Annotation | None = twin
                    else:
                        kind, other = classify(a, das[n], anns[m], das[m], (sigs[n], sigs[m]))
                    if _SEVERITY[kind] > _SEVERITY[worst]:
                        worst = kind
                    if other is not None and kind is not Kind.OVERLAP:
                        parent[_find(parent, (n, a.id))] = _find(parent, (m, other.id))
                result.kinds[(n, a.id)] = worst
        groups: dict[tuple[str, str], dict[str, list[Annotation]]] = {}
        first: dict[tuple[str, str], tuple[int, int, str, str]] = {}
        for n in layers:
            for a in anns[n]:  # in reading order, so a group's first member per layer is its min
                root = _find(parent, (n, a.id))
                members = groups.setdefault(root, {})
                if n not in members:
                    key = annotation_order(a)
                    if root not in first or key < first[root]:
                        first[root] = key
                members.setdefault(n, []).append(a)
        doc_items: list[tuple[tuple[int, int, str, str], Item]] = []
        for root, members in groups.items():
            kind = _BY_SEVERITY[
                max(_SEVERITY[result.kinds[(n, a.id)]] for n, lst in members.items() for a in lst)
            ]
            if kind is Kind.EXACT and (
                len(members) < len(layers) or any(len(v) > 1 for v in members.values())
            ):
                kind = Kind.DETAILS
            doc_items.append((first[root], Item(doc_id, members, kind)))
        doc_items.sort(key=lambda pair: pair[0])
        items = [it for _, it in doc_items]
        for it in items:
            for ref in it.refs():
                result.item_of[ref] = it
        result._add_document(doc_id, items)
    return result


__all__ = ["KIND_LABELS", "Comparison", "Item", "Kind", "classify", "compare_layers"]
