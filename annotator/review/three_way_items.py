"""What the three-way merge reports, and how it compares one item's three versions.

:class:`Conflict` and :class:`ThreeWayReport` are what the merge driver prints
and what review mode lists; the functions below are the item-level rules of
:mod:`annotator.review.three_way` (plain values in, plain values out).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from annotator.model import Annotation, Document, DocumentAnnotations, Layer, Link, Project
from annotator.review.merge import _content
from annotator.wording import count

#: Suffix of the layer (and document) that holds their side of a conflict.
THEIRS_SUFFIX = "~theirs"
#: Prefix of the extra-metadata keys that hold their side of a status conflict.
THEIRS_META = "theirs~"
#: Provenance key that marks, in a ``~theirs`` layer, an annotation their side deleted
#: while ours changed it: the record holds it as the common ancestor had it.
THEIRS_DELETED = "theirs~deleted"


def deletion_record(ann: Annotation) -> Annotation:
    """``ann`` marked as deleted by their side (see :data:`THEIRS_DELETED`)."""
    record = ann.copy()
    record.provenance = {**ann.provenance, THEIRS_DELETED: "yes"}
    return record


#: A key absent on one side (``dict.get``'s default in the three-way comparisons).
MISSING = object()


@dataclass(frozen=True)
class Conflict:
    """One item both sides changed differently (or one deleted and the other changed)."""

    what: str  # "annotation", "link", "document", "status", "layer", ...
    where: str  # layer and document, or document
    ident: str
    reason: str

    def sentence(self) -> str:
        return f"Conflict on {self.what} {self.ident} ({self.where}): {self.reason}."


@dataclass
class ThreeWayReport:
    conflicts: list[Conflict] = field(default_factory=list)
    from_theirs: int = 0  # items whose merged value came from their side
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (layer, theirs, new)
    #: release id -> the id of their copy of it (their text, when both corrected it)
    copies: dict[str, str] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not self.conflicts

    def summary(self) -> list[str]:
        lines = [
            f"Three-way merge: {count(self.from_theirs, 'change')} taken from theirs, "
            f"{count(len(self.conflicts), 'conflict')}."
        ]
        for layer, old, new in self.renamed:
            lines.append(f"Layer {layer}: their new {old} was renamed {new} (both added it).")
        lines += [c.sentence() for c in self.conflicts]
        if self.conflicts:
            lines.append(
                f"Their side of each conflict is kept in the layers ending {THEIRS_SUFFIX!r}; "
                "compare them in review mode and keep one."
            )
        return lines


def pick(base: object, ours: object, theirs: object) -> tuple[str, object]:
    """("same"|"ours"|"theirs"|"conflict", value) for one item's three versions."""
    if ours == theirs:
        return "same", ours
    if ours == base:
        return "theirs", theirs
    if theirs == base:
        return "ours", ours
    return "conflict", ours


def without_comments(ann: Annotation | None) -> object:
    return None if ann is None else replace(ann, comments=[])


def _comment_keys(ann: Annotation | None) -> list[tuple[str, str, str]]:
    return [] if ann is None else [(c.author, c.at, c.text) for c in ann.comments]


def where_ids(layer: Layer) -> dict[str, tuple[str, Annotation | Link]]:
    """Every annotation and link id of the layer: (document id, the item)."""
    out: dict[str, tuple[str, Annotation | Link]] = {}
    for doc_id, da in layer.docs.items():
        for ann in da.annotations.values():
            out[ann.id] = (doc_id, ann)
        for link in da.links.values():
            out[link.id] = (doc_id, link)
    return out


def same_addition(a: Annotation | Link, b: Annotation | Link) -> bool:
    """Both sides made the same item: the same tag, span and attributes, or the same
    link type and ends (who made it and when may differ, as in the two-way merge)."""
    if isinstance(a, Annotation) and isinstance(b, Annotation):
        return _content(a) == _content(b)
    if isinstance(a, Link) and isinstance(b, Link):
        return (a.type, a.source, a.target) == (b.type, b.source, b.target)
    return False


def has_link(p: Project, layer: str, doc_id: str, link: Link) -> bool:
    lay = p.layers.get(layer)
    da = lay.docs.get(doc_id) if lay is not None else None
    return da is not None and da.links.get(link.id) == link


def ends_in(link: Link, da: DocumentAnnotations) -> bool:
    return link.source in da.annotations and link.target in da.annotations


def merge_comments(oa: Annotation, ta: Annotation) -> Annotation:
    """Ours with the comments theirs added (the annotations are otherwise equal)."""
    if oa.comments == ta.comments:
        return oa
    have = set(_comment_keys(oa))
    extra = [c for c in ta.comments if (c.author, c.at, c.text) not in have]
    if not extra:
        return oa
    new = oa.copy()
    new.comments.extend(extra)
    return new


def ordered(*maps: Iterable[str]) -> list[str]:
    """The keys of all maps, first map's order first (so ours keeps its order)."""
    seen: dict[str, None] = {}
    for m in maps:
        for key in m:
            seen.setdefault(key, None)
    return list(seen)


def doc_equal(a: Document, b: Document) -> bool:
    return (a.text, a.meta, a.status, a.review_status) == (
        b.text,
        b.meta,
        b.status,
        b.review_status,
    )


def copy_doc(d: Document) -> Document:
    return Document(
        id=d.id,
        text=d.text,
        meta=d.meta.copy(),
        status=dict(d.status),
        review_status=d.review_status,
    )


def copy_da(da: DocumentAnnotations) -> DocumentAnnotations:
    return DocumentAnnotations(dict(da.annotations), dict(da.links))


def da_key(da: DocumentAnnotations | None) -> object:
    if not da:
        return None
    return (da.annotations, da.links)


def layer_key(layer: Layer) -> object:
    return (layer.kind, {d: da_key(da) for d, da in layer.docs.items() if da})
