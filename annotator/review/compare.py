"""Where colleagues' layers differ: every annotation classed against the others.

For two or more layers and each document, every annotation is compared with
each other layer and gets the first class that fits, in this order:

``exact``       an annotation there has the same tag and the same fragments, and
                the same attributes and links;
``details``     same tag and fragments, but attributes or links differ;
``tag``         same fragments, a different tag;
``boundary``    same tag, overlapping, different fragments;
``overlap``     overlapping, with a different tag and different fragments;
``missing``     nothing there overlaps it.

An annotation's class is the worst over the other layers. Each annotation is
tied to its best counterpart in every other layer (the one that gave the
class; ties go to the largest overlap), and the connected groups are the
**items** a reviewer steps through: an item is an agreement when every layer
has a member and all members are ``exact``, else a disagreement of the worst
class among its members.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from annotator.errors import UnknownLayer
from annotator.model import Annotation, DocumentAnnotations, Project, annotation_order


class Kind(StrEnum):
    EXACT = "exact"
    DETAILS = "details"
    TAG = "tag"
    BOUNDARY = "boundary"
    OVERLAP = "overlap"
    MISSING = "missing"

    @property
    def severity(self) -> int:
        return list(Kind).index(self)

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


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


@dataclass
class Comparison:
    layers: list[str]
    items: list[Item] = field(default_factory=list)
    #: (layer, annotation id) -> class of that annotation
    kinds: dict[tuple[str, str], Kind] = field(default_factory=dict)
    #: (layer, annotation id) -> its item
    item_of: dict[tuple[str, str], Item] = field(default_factory=dict)

    def disagreements(self, doc_id: str | None = None) -> list[Item]:
        return [
            it
            for it in self.items
            if it.is_disagreement and (doc_id is None or it.doc_id == doc_id)
        ]

    def counts(self, doc_id: str | None = None) -> Counter[Kind]:
        return Counter(it.kind for it in self.items if doc_id is None or it.doc_id == doc_id)

    def per_document(self) -> dict[str, int]:
        """Number of disagreements per document (documents without any are left out)."""
        out: Counter[str] = Counter(it.doc_id for it in self.items if it.is_disagreement)
        return dict(out)


def _link_signature(da: DocumentAnnotations, ann: Annotation) -> frozenset[tuple[object, ...]]:
    sig: set[tuple[object, ...]] = set()
    for lk in da.links_of(ann.id):
        out = lk.source == ann.id
        other = da.annotations.get(lk.target if out else lk.source)
        if other is not None:
            sig.add((lk.type, out, other.tag, other.fragments))
    return frozenset(sig)


def _overlaps(a: Annotation, b: Annotation) -> bool:
    if a.start >= b.end or b.start >= a.end:
        return False
    return any(f.overlaps(g) for f in a.fragments for g in b.fragments)


def _overlap_len(a: Annotation, b: Annotation) -> int:
    return sum(
        max(0, min(f.end, g.end) - max(f.start, g.start)) for f in a.fragments for g in b.fragments
    )


def classify(
    ann: Annotation, da: DocumentAnnotations, others: Sequence[Annotation], db: DocumentAnnotations
) -> tuple[Kind, Annotation | None]:
    """Class of ``ann`` (from ``da``) against one other layer's annotations, and its counterpart."""
    best: tuple[int, int, Annotation] | None = None
    for other in others:
        if not _overlaps(ann, other):
            continue
        same_frags = other.fragments == ann.fragments
        same_tag = other.tag == ann.tag
        if same_frags and same_tag:
            same = other.attributes == ann.attributes and _link_signature(
                da, ann
            ) == _link_signature(db, other)
            kind = Kind.EXACT if same else Kind.DETAILS
        elif same_frags:
            kind = Kind.TAG
        elif same_tag:
            kind = Kind.BOUNDARY
        else:
            kind = Kind.OVERLAP
        key = (kind.severity, -_overlap_len(ann, other), other)
        if best is None or key[:2] < best[:2]:
            best = key
    if best is None:
        return Kind.MISSING, None
    return list(Kind)[best[0]], best[2]


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
                    kind, other = classify(a, das[n], anns[m], das[m])
                    worst = max(worst, kind, key=lambda k: k.severity)
                    if other is not None:
                        parent[_find(parent, (n, a.id))] = _find(parent, (m, other.id))
                result.kinds[(n, a.id)] = worst
        groups: dict[tuple[str, str], dict[str, list[Annotation]]] = {}
        for n in layers:
            for a in anns[n]:
                groups.setdefault(_find(parent, (n, a.id)), {}).setdefault(n, []).append(a)
        doc_items: list[Item] = []
        for members in groups.values():
            kind = max(
                (result.kinds[(n, a.id)] for n, lst in members.items() for a in lst),
                key=lambda k: k.severity,
            )
            if kind is Kind.EXACT and (
                len(members) < len(layers) or any(len(v) > 1 for v in members.values())
            ):
                kind = Kind.DETAILS
            doc_items.append(Item(doc_id, members, kind))
        doc_items.sort(
            key=lambda it: min(annotation_order(a) for v in it.members.values() for a in v)
        )
        for it in doc_items:
            it.index = len(result.items)
            result.items.append(it)
            for ref in it.refs():
                result.item_of[ref] = it
    return result


__all__ = ["KIND_LABELS", "Comparison", "Item", "Kind", "classify", "compare_layers"]
