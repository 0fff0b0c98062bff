"""Three-way merge of project files: what git asks of a merge driver, item by item.

Given the common ancestor (*base*) and two descendants (*ours*, *theirs*), every
document field, status, layer, annotation and link is merged on its own:

* the same value on both sides (both unchanged, the same change made twice, the
  same deletion) is taken once;
* a side that left an item as it was in the base takes the other side's value,
  so additions, changes and deletions made on one side apply;
* comments only added on both sides to the same annotation are both kept;
* two annotations (or links) added on both sides under the same id with
  different content are both kept: theirs gets a fresh id, its links follow.

Anything else is a **real conflict**: our value stays in place and theirs is
recorded *inside the project*, so the file stays valid and nothing is lost.
The project format has no conflict element, so theirs goes where review mode
already compares: their annotation (and the ends of their link) in the layer
``NAME~theirs`` beside layer ``NAME``; their text of a document both sides
changed as document ``ID~theirs`` (its annotations in the ``~theirs`` layers);
their progress or review status in the document's extra metadata
``theirs~status:WHO`` / ``theirs~review-status``. Every conflict is listed in
the :class:`ThreeWayReport`.

A document whose text one side changed while the other side touched it too is
such a conflict as a whole (re-anchoring the other side's edits on the new text
is not attempted here). Plain Python, no Qt; the result is a fresh project.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TypeVar

from annotator.errors import ModelError
from annotator.model import (
    Annotation,
    Document,
    DocumentAnnotations,
    Layer,
    LayerKind,
    Link,
    Project,
)
from annotator.review.merge import _content
from annotator.wording import count

#: Suffix of the layer (and document) that holds their side of a conflict.
THEIRS_SUFFIX = "~theirs"
#: Prefix of the extra-metadata keys that hold their side of a status conflict.
THEIRS_META = "theirs~"

_V = TypeVar("_V")


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


_MISSING = object()


def _pick(base: object, ours: object, theirs: object) -> tuple[str, object]:
    """("same"|"ours"|"theirs"|"conflict", value) for one item's three versions."""
    if ours == theirs:
        return "same", ours
    if ours == base:
        return "theirs", theirs
    if theirs == base:
        return "ours", ours
    return "conflict", ours


def _without_comments(ann: Annotation | None) -> object:
    return None if ann is None else replace(ann, comments=[])


def _comment_keys(ann: Annotation | None) -> list[tuple[str, str, str]]:
    return [] if ann is None else [(c.author, c.at, c.text) for c in ann.comments]


class _Merger:
    def __init__(self, base: Project, ours: Project, theirs: Project) -> None:
        self.base, self.ours, self.theirs = base, ours, theirs
        self.report = ThreeWayReport()
        self.out = Project(name=ours.name, tagset=ours.tagset)
        #: documents merged as a whole conflict: their layer items go to ID~theirs
        self.split_docs: set[str] = set()
        #: document id -> the id of their copy of it
        self.copy_ids: dict[str, str] = {}
        #: their document id -> the id their new document has in the result
        self.doc_rename: dict[str, str] = {}

    # --- helpers ----------------------------------------------------------------------

    def conflict(self, what: str, where: str, ident: str, reason: str) -> None:
        self.report.conflicts.append(Conflict(what, where, ident, reason))

    def scalar(self, b: _V, o: _V, t: _V) -> tuple[str, _V]:
        how, value = _pick(b, o, t)
        if how == "theirs":
            self.report.from_theirs += 1
        return how, value  # type: ignore[return-value]

    def theirs_layer(self, name: str) -> Layer:
        layer = self.out.layers.get(name + THEIRS_SUFFIX)
        if layer is None:
            kind = self.ours.layers[name].kind if name in self.ours.layers else LayerKind.ANNOTATOR
            layer = self.out.ensure_layer(name + THEIRS_SUFFIX, kind)
        return layer

    # --- the project ------------------------------------------------------------------

    def run(self) -> Project:
        b, o, t = self.base, self.ours, self.theirs
        how, self.out.name = self.scalar(b.name, o.name, t.name)
        if how == "conflict":
            self.conflict("project name", "project", o.name, f"theirs is {t.name!r}")
        how, self.out.tagset = self.scalar(b.tagset, o.tagset, t.tagset)
        if how == "conflict":
            self.conflict("tag set", "project", o.tagset.name, "both sides changed it")
        self.merge_documents()
        for name in _ordered(o.layers, t.layers):
            self.merge_layer(name)
        self.check_links()
        return self.out

    def check_links(self) -> None:
        """Move beside ours each link the merge made invalid (its ends retagged on one side).

        The link is recorded with its ends as the side that made it had them,
        where it was valid.
        """
        for name, layer in list(self.out.layers.items()):
            for doc_id, da in list(layer.docs.items()):
                for link in list(da.links.values()):
                    try:
                        self.out.check_link(name, doc_id, link)
                    except ModelError as err:
                        del da.links[link.id]
                        side = (
                            self.theirs if _has_link(self.theirs, name, doc_id, link) else self.ours
                        )
                        their_da = side.layers[name].docs[doc_id]
                        self.conflict("link", f"layer {name}, document {doc_id}", link.id, str(err))
                        self.record_theirs(name, doc_id, (), (link,), their_da.annotations)
                layer.forget_index()

    # --- documents ----------------------------------------------------------------------

    def merge_documents(self) -> None:
        b, o, t = self.base.documents, self.ours.documents, self.theirs.documents
        pending: list[Document] = []
        for doc_id in _ordered(o, t, b):
            bd, od, td = b.get(doc_id), o.get(doc_id), t.get(doc_id)
            if od is None and td is None:
                continue  # deleted on both sides
            if od is None or td is None:
                kept = od or td
                assert kept is not None
                keeper = self.ours if od is not None else self.theirs
                if bd is None:  # added on one side
                    self.out.add_document(_copy_doc(kept))
                    self.report.from_theirs += od is None
                    continue
                if _doc_equal(bd, kept) and not self._touched(keeper, doc_id):
                    self.report.from_theirs += td is None  # deleted, the other left it
                    continue
                side = "ours" if od is None else "theirs"
                self.conflict(
                    "document", doc_id, doc_id, f"{side} deleted it, the other changed it"
                )
                self.out.add_document(_copy_doc(kept))  # keeping it loses nothing
                continue
            if bd is None and od.text != td.text:
                # both imported a release and were handed the same next id: keep both
                self.out.add_document(_copy_doc(od))
                pending.append(td)
                continue
            if bd is None:
                bd = Document(id=doc_id, text=od.text)
            if od.text != td.text and (od.text != bd.text and td.text != bd.text):
                self.split_document(od, td, "both sides changed its text differently")
                continue
            if od.text != td.text and self._touched_elsewhere(doc_id, bd, od, td):
                self.split_document(od, td, "one side corrected its text, the other edited it")
                continue
            self.out.add_document(self.merge_document(bd, od, td))
        for td in pending:
            new = _copy_doc(td)
            stem = td.id.rstrip("0123456789") or "doc"
            n = len(self.out.documents) + 1
            while any(f"{stem}{n:04d}" in docs for docs in (self.out.documents, o, t, b)):
                n += 1
            new.id = f"{stem}{n:04d}"
            self.out.add_document(new)
            self.doc_rename[td.id] = new.id
            self.report.renamed.append(("documents", td.id, new.id))
            self.report.from_theirs += 1

    def _touched_elsewhere(self, doc_id: str, bd: Document, od: Document, td: Document) -> bool:
        """True if the side that kept the text also changed the document's annotations."""
        return self._touched(self.theirs if od.text != bd.text else self.ours, doc_id)

    def _touched(self, other: Project, doc_id: str) -> bool:
        """True if ``other`` changed annotations or links on ``doc_id`` since the base."""
        for name in _ordered(other.layers, self.base.layers):
            olay, blay = other.layers.get(name), self.base.layers.get(name)
            oda = olay.docs.get(doc_id) if olay else None
            bda = blay.docs.get(doc_id) if blay else None
            if _da_key(oda) != _da_key(bda):
                return True
        return False

    def split_document(self, od: Document, td: Document, reason: str) -> None:
        self.conflict("document", od.id, od.id, reason)
        self.out.add_document(_copy_doc(od))
        copy_id = od.id + THEIRS_SUFFIX
        while copy_id in self.ours.documents or copy_id in self.theirs.documents:
            copy_id += THEIRS_SUFFIX
        theirs_doc = _copy_doc(td)
        theirs_doc.id = copy_id
        self.out.add_document(theirs_doc)
        self.split_docs.add(od.id)
        self.copy_ids[od.id] = copy_id

    def merge_document(self, bd: Document, od: Document, td: Document) -> Document:
        doc = _copy_doc(od)
        _how, doc.text = self.scalar(bd.text, od.text, td.text)
        how, meta = self.scalar(bd.meta, od.meta, td.meta)
        doc.meta = meta.copy()
        if how == "conflict":
            # each field of the metadata on its own; both-changed fields keep ours
            for name in ("headline", "country", "dateline", "date", "ai_index", "source_name"):
                fhow, value = _pick(
                    getattr(bd.meta, name), getattr(od.meta, name), getattr(td.meta, name)
                )
                setattr(doc.meta, name, value)
                if fhow == "conflict":
                    doc.meta.extra[THEIRS_META + name] = getattr(td.meta, name)
                    self.conflict("metadata", od.id, name, f"theirs is {getattr(td.meta, name)!r}")
            doc.meta.extra.update(
                self.merge_map(bd.meta.extra, od.meta.extra, td.meta.extra, "metadata", od.id)
            )
        doc.status = self.merge_map(bd.status, od.status, td.status, "status", od.id, record=doc)
        how, doc.review_status = self.scalar(bd.review_status, od.review_status, td.review_status)
        if how == "conflict":
            doc.meta.extra[THEIRS_META + "review-status"] = str(td.review_status)
            self.conflict("review status", od.id, od.id, f"theirs is {td.review_status}")
        return doc

    def merge_map(
        self,
        b: dict[str, _V],
        o: dict[str, _V],
        t: dict[str, _V],
        what: str,
        doc_id: str,
        record: Document | None = None,
    ) -> dict[str, _V]:
        out: dict[str, _V] = {}
        for key in _ordered(o, t, b):
            how, value = self.scalar(
                b.get(key, _MISSING), o.get(key, _MISSING), t.get(key, _MISSING)
            )
            if how == "conflict":
                theirs = t.get(key, _MISSING)
                shown = "deleted" if theirs is _MISSING else str(theirs)
                if record is not None:
                    record.meta.extra[f"{THEIRS_META}{what}:{key}"] = shown
                self.conflict(what, doc_id, key, f"theirs is {shown}")
            if value is not _MISSING:
                out[key] = value  # type: ignore[assignment]
        return out

    # --- layers ---------------------------------------------------------------------------

    def merge_layer(self, name: str) -> None:
        bl = self.base.layers.get(name)
        ol, tl = self.ours.layers.get(name), self.theirs.layers.get(name)
        if ol is None or tl is None:
            kept = ol or tl
            assert kept is not None
            if bl is not None and _layer_key(bl) != _layer_key(kept):
                side = "ours" if ol is None else "theirs"
                self.conflict("layer", name, name, f"{side} deleted it, the other changed it")
            elif ol is None and bl is not None:
                self.report.from_theirs += 1  # deleted by us, untouched by them
                return
            elif tl is None and bl is not None:
                self.report.from_theirs += 1
                return
            elif ol is None:
                self.report.from_theirs += 1
        bl = bl or Layer(name=name)
        ol = ol or Layer(name=name, kind=bl.kind)
        tl = tl or Layer(name=name, kind=bl.kind)
        _how, kind = self.scalar(bl.kind, ol.kind, tl.kind)
        out = self.out.ensure_layer(name, kind)
        out.counter = max(bl.counter, ol.counter, tl.counter)
        if self.doc_rename:
            tl = Layer(
                name=tl.name,
                kind=tl.kind,
                docs={self.doc_rename.get(d, d): da for d, da in tl.docs.items()},
                counter=tl.counter,
            )
        taken = ol.ids() | tl.ids() | bl.ids()
        tl = self.rename_clashes(name, bl, ol, tl, out, taken)
        for doc_id in _ordered(ol.docs, tl.docs, bl.docs):
            if doc_id not in self.out.documents:
                continue  # the document went: its annotations with it (it was unchanged)
            e = DocumentAnnotations()
            bda, oda, tda = (x.docs.get(doc_id, e) for x in (bl, ol, tl))
            if doc_id in self.split_docs:
                self.keep_split(name, doc_id, oda, tda)
                continue
            da = self.merge_doc_layer(name, doc_id, bda, oda, tda)
            if da:
                have = out.doc(doc_id)  # a ~theirs layer may hold records already
                have.annotations.update(da.annotations)
                have.links.update(da.links)
        out.forget_index()

    def rename_clashes(
        self, name: str, bl: Layer, ol: Layer, tl: Layer, out: Layer, taken: set[str]
    ) -> Layer:
        """Theirs, with a fresh id for each item both sides added under one id.

        Both colleagues hand out ids from the same layer counter, so two new
        annotations (or links) anywhere in the layer often share an id. The same
        item added on both sides keeps it; anything else of theirs is renamed and
        their links follow.
        """
        base_ids = bl.ids()
        both_added = (tl.ids() - base_ids) & (ol.ids() - base_ids)
        if not both_added:
            return tl
        ours_at = _where(ol)
        rename: dict[str, str] = {}
        for ident, (doc_id, item) in _where(tl).items():
            if ident not in both_added:
                continue
            if ours_at[ident][0] == doc_id and _same_addition(ours_at[ident][1], item):
                continue  # the same addition on both sides (perhaps at another moment)
            while True:
                out.counter += 1
                cand = f"{'r' if isinstance(item, Link) else 'a'}{out.counter}"
                if cand not in taken:
                    break
            taken.add(cand)
            rename[ident] = cand
            self.report.renamed.append((name, ident, cand))
        if not rename:
            return tl
        renamed = Layer(name=tl.name, kind=tl.kind, counter=tl.counter)
        for doc_id, da in tl.docs.items():
            anns = {}
            for ann in da.annotations.values():
                if ann.id in rename:
                    ann = replace(ann, id=rename[ann.id])
                anns[ann.id] = ann
            links = {}
            for link in da.links.values():
                link = replace(
                    link,
                    id=rename.get(link.id, link.id),
                    source=rename.get(link.source, link.source),
                    target=rename.get(link.target, link.target),
                )
                links[link.id] = link
            renamed.docs[doc_id] = DocumentAnnotations(anns, links)
        return renamed

    def keep_split(
        self, name: str, doc_id: str, oda: DocumentAnnotations, tda: DocumentAnnotations
    ) -> None:
        if oda:
            self.out.layers[name].docs[doc_id] = _copy_da(oda)
        if tda:
            self.theirs_layer(name).docs[self.copy_ids[doc_id]] = _copy_da(tda)

    def merge_doc_layer(
        self,
        name: str,
        doc_id: str,
        bda: DocumentAnnotations,
        oda: DocumentAnnotations,
        tda: DocumentAnnotations,
    ) -> DocumentAnnotations:
        where = f"layer {name}, document {doc_id}"
        da = DocumentAnnotations()
        recorded: list[Annotation] = []

        b, o, t = bda.annotations, oda.annotations, tda.annotations
        for ann_id in _ordered(o, t, b):
            ba, oa, ta = b.get(ann_id), o.get(ann_id), t.get(ann_id)
            if oa == ta or ta == ba:  # the common cases first: one equality each
                if oa is not None:
                    da.annotations[ann_id] = oa
                continue
            if oa == ba:
                self.report.from_theirs += 1
                if ta is not None:
                    da.annotations[ann_id] = ta
                continue
            if ba is None and oa is not None and ta is not None and _same_addition(oa, ta):
                da.annotations[ann_id] = _merge_comments(None, oa, ta)
                continue
            how, _ = _pick(_without_comments(ba), _without_comments(oa), _without_comments(ta))
            if how == "same" and oa is not None and ta is not None:
                merged = _merge_comments(ba, oa, ta)
                if merged is not oa:
                    self.report.from_theirs += 1
                da.annotations[ann_id] = merged
                continue
            if how == "theirs":
                self.report.from_theirs += 1
                if ta is not None:
                    da.annotations[ann_id] = ta
                continue
            if how == "conflict":
                side = "deleted" if ta is None else "changed"
                mine = "deleted" if oa is None else "changed"
                self.conflict(
                    "annotation", where, ann_id, f"ours {mine} it, theirs {side} it differently"
                )
                if ta is not None:
                    recorded.append(ta)
            if oa is not None:
                da.annotations[ann_id] = oa

        bl, ol, tl = bda.links, oda.links, tda.links
        recorded_links: list[Link] = []
        for link_id in _ordered(ol, tl, bl):
            bk, ok, tk = bl.get(link_id), ol.get(link_id), tl.get(link_id)
            if bk is None and ok is not None and tk is not None and _same_addition(ok, tk):
                tk = ok
            how, value = self.scalar(bk, ok, tk)
            if how == "conflict":
                self.conflict("link", where, link_id, "both sides changed it differently")
                if tk is not None:
                    recorded_links.append(tk)
            if isinstance(value, Link):
                da.links[link_id] = value

        # a link whose end the other side deleted: the end comes back (nothing lost)
        for link in list(da.links.values()):
            for end in (link.source, link.target):
                if end in da.annotations:
                    continue
                back = o.get(end) or t.get(end) or b.get(end)
                if back is None:
                    continue
                da.annotations[end] = back
                self.conflict(
                    "annotation",
                    where,
                    end,
                    f"one side deleted it, the other linked it ({link.id})",
                )
        for link_id in [lid for lid, lk in da.links.items() if not _ends_in(lk, da)]:
            recorded_links.append(da.links.pop(link_id))  # cannot happen unless files were odd

        if recorded or recorded_links:
            self.record_theirs(name, doc_id, recorded, recorded_links, t)
        return da

    def record_theirs(
        self,
        name: str,
        doc_id: str,
        anns: Iterable[Annotation],
        links: Iterable[Link],
        their_anns: dict[str, Annotation],
    ) -> None:
        tda = self.theirs_layer(name).doc(doc_id)
        for ann in anns:
            tda.annotations[ann.id] = ann
        for link in links:
            for end in (link.source, link.target):
                if end not in tda.annotations and end in their_anns:
                    tda.annotations[end] = their_anns[end]
            if _ends_in(link, tda):
                tda.links[link.id] = link


def _where(layer: Layer) -> dict[str, tuple[str, Annotation | Link]]:
    """Every annotation and link id of the layer: (document id, the item)."""
    out: dict[str, tuple[str, Annotation | Link]] = {}
    for doc_id, da in layer.docs.items():
        for ann in da.annotations.values():
            out[ann.id] = (doc_id, ann)
        for link in da.links.values():
            out[link.id] = (doc_id, link)
    return out


def _same_addition(a: Annotation | Link, b: Annotation | Link) -> bool:
    """Both sides made the same item: the same tag, span and attributes, or the same
    link type and ends (who made it and when may differ, as in the two-way merge)."""
    if isinstance(a, Annotation) and isinstance(b, Annotation):
        return _content(a) == _content(b)
    if isinstance(a, Link) and isinstance(b, Link):
        return (a.type, a.source, a.target) == (b.type, b.source, b.target)
    return False


def _has_link(p: Project, layer: str, doc_id: str, link: Link) -> bool:
    lay = p.layers.get(layer)
    da = lay.docs.get(doc_id) if lay is not None else None
    return da is not None and da.links.get(link.id) == link


def _ends_in(link: Link, da: DocumentAnnotations) -> bool:
    return link.source in da.annotations and link.target in da.annotations


def _merge_comments(ba: Annotation | None, oa: Annotation, ta: Annotation) -> Annotation:
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


def _ordered(*maps: Iterable[str]) -> list[str]:
    """The keys of all maps, first map's order first (so ours keeps its order)."""
    seen: dict[str, None] = {}
    for m in maps:
        for key in m:
            seen.setdefault(key, None)
    return list(seen)


def _doc_equal(a: Document, b: Document) -> bool:
    return (a.text, a.meta, a.status, a.review_status) == (
        b.text,
        b.meta,
        b.status,
        b.review_status,
    )


def _copy_doc(d: Document) -> Document:
    return Document(
        id=d.id,
        text=d.text,
        meta=d.meta.copy(),
        status=dict(d.status),
        review_status=d.review_status,
    )


def _copy_da(da: DocumentAnnotations) -> DocumentAnnotations:
    return DocumentAnnotations(dict(da.annotations), dict(da.links))


def _da_key(da: DocumentAnnotations | None) -> object:
    if not da:
        return None
    return (da.annotations, da.links)


def _layer_key(layer: Layer) -> object:
    return (layer.kind, {d: _da_key(da) for d, da in layer.docs.items() if da})


def merge_three_way(
    base: Project, ours: Project, theirs: Project
) -> tuple[Project, ThreeWayReport]:
    """The merged project (a new one; the inputs are left as they are) and what happened."""
    merger = _Merger(base, ours, theirs)
    return merger.run(), merger.report


def empty_base(like: Project) -> Project:
    """The base of a file both sides added: same name and tag set, nothing else."""
    return Project(name=like.name, tagset=like.tagset)


__all__ = ["THEIRS_SUFFIX", "Conflict", "ThreeWayReport", "empty_base", "merge_three_way"]
