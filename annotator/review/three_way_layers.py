"""The three-way merge of the layers: annotations and links, one document at a time.

The state every part of the merge shares (the three projects, the result, the
report) lives here with the layer rules; :mod:`annotator.review.three_way`
adds the project and document level on top. The rules are those listed there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TypeVar

from annotator.errors import ModelError
from annotator.model import (
    Annotation,
    DocumentAnnotations,
    Layer,
    LayerKind,
    Link,
    Project,
)
from annotator.model.tagset import AttrValue, TagSet
from annotator.model.text_edit import move_annotations
from annotator.review.text_merge import TextMerge
from annotator.review.three_way_items import (
    THEIRS_META,
    THEIRS_SUFFIX,
    Conflict,
    ThreeWayReport,
    copy_da,
    deletion_record,
    ends_in,
    has_link,
    layer_key,
    merge_comments,
    ordered,
    pick,
    same_addition,
    where_ids,
    without_comments,
)

_V = TypeVar("_V")


class LayerMerger:
    """The merge's shared state and the rules for layers, annotations and links."""

    def __init__(
        self, base: Project, ours: Project, theirs: Project, outside: Project | None = None
    ) -> None:
        self.base, self.ours, self.theirs = base, ours, theirs
        #: the whole of ours when the three projects hold only the releases a side
        #: changed: its other releases are the same on every side, and only their
        #: ids matter here (a fresh id must not be one of theirs)
        self.outside = outside or Project(name="", tagset=ours.tagset)
        self.report = ThreeWayReport()
        self.out = Project(name=ours.name, tagset=ours.tagset)
        #: documents merged as a whole conflict: their layer items go to ID~theirs
        self.split_docs: set[str] = set()
        #: document id -> the id of their copy of it
        self.copy_ids: dict[str, str] = {}
        #: their document id -> the id their new document has in the result
        self.doc_rename: dict[str, str] = {}
        #: documents whose text was corrected (on one side or both): how each
        #: side's annotations move to the merged text
        self.text_merges: dict[str, TextMerge] = {}

    # --- helpers ----------------------------------------------------------------------

    def conflict(self, what: str, where: str, ident: str, reason: str) -> None:
        self.report.conflicts.append(Conflict(what, where, ident, reason))

    def scalar(self, b: _V, o: _V, t: _V) -> tuple[str, _V]:
        how, value = pick(b, o, t)
        if how == "theirs":
            self.report.from_theirs += 1
        return how, value  # type: ignore[return-value]

    def theirs_layer(self, name: str) -> Layer:
        layer = self.out.layers.get(name + THEIRS_SUFFIX)
        if layer is None:
            kind = self.ours.layers[name].kind if name in self.ours.layers else LayerKind.ANNOTATOR
            layer = self.out.ensure_layer(name + THEIRS_SUFFIX, kind)
        return layer

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
                            self.theirs if has_link(self.theirs, name, doc_id, link) else self.ours
                        )
                        their_da = side.layers[name].docs[doc_id]
                        self.conflict("link", f"layer {name}, document {doc_id}", link.id, str(err))
                        self.record_theirs(name, doc_id, (), (link,), their_da.annotations)
                layer.forget_index()

    def check_attributes(self) -> None:
        """Keep every annotation readable under the merged tag set.

        When the tag sets conflicted, ours stays, and an annotation may hold a value
        (or an attribute) only their tag set has: the file could not be read back.
        Such a value moves into the annotation's provenance (``theirs~NAME``), so
        nothing is lost and the file stays valid, and it is a conflict of its own.
        """
        tagset = self.out.tagset
        for name, layer in self.out.layers.items():
            for doc_id, da in layer.docs.items():
                for ann in list(da.annotations.values()):
                    if not tagset.has_tag(ann.tag):
                        continue  # the tag-set merge keeps every tag either side has
                    fixed = _fitted(ann, tagset)
                    if fixed is None:
                        continue
                    da.annotations[ann.id] = fixed
                    moved = ", ".join(
                        f"{k[len(THEIRS_META) :]} {v!r}"
                        for k, v in fixed.provenance.items()
                        if k.startswith(THEIRS_META) and k not in ann.provenance
                    )
                    self.conflict(
                        "annotation",
                        f"layer {name}, document {doc_id}",
                        ann.id,
                        f"the merged tag set has no {moved}; kept in its provenance",
                    )

    # --- layers ---------------------------------------------------------------------------

    def merge_layer(self, name: str) -> None:
        bl = self.base.layers.get(name)
        ol, tl = self.ours.layers.get(name), self.theirs.layers.get(name)
        if ol is None or tl is None:
            kept = ol or tl
            assert kept is not None
            if bl is not None and layer_key(bl) != layer_key(kept):
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
        tl = self.rename_clashes(name, bl, ol, tl, out)
        for doc_id in ordered(ol.docs, tl.docs, bl.docs):
            if doc_id not in self.out.documents:
                continue  # the document went: its annotations with it (it was unchanged)
            e = DocumentAnnotations()
            bda, oda, tda = (x.docs.get(doc_id, e) for x in (bl, ol, tl))
            if doc_id in self.split_docs:
                self.keep_split(name, doc_id, oda, tda)
                continue
            tm = self.text_merges.get(doc_id)
            if tm is not None:  # all three versions onto the merged text
                bda, oda, tda = _anchored(
                    (bda, move_annotations(bda, tm.base_edits)[0]),
                    (oda, move_annotations(oda, tm.ours_edits)[0]),
                    (tda, move_annotations(tda, tm.theirs_edits)[0]),
                )
            da = self.merge_doc_layer(name, doc_id, bda, oda, tda)
            if da:
                have = out.doc(doc_id)  # a ~theirs layer may hold records already
                have.annotations.update(da.annotations)
                have.links.update(da.links)
        out.forget_index()

    def rename_clashes(self, name: str, bl: Layer, ol: Layer, tl: Layer, out: Layer) -> Layer:
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
        ours_at = where_ids(ol)
        taken = ol.ids() | tl.ids() | bl.ids()
        if name in self.outside.layers:
            taken |= self.outside.layers[name].ids()
        rename: dict[str, str] = {}
        for ident, (doc_id, item) in where_ids(tl).items():
            if ident not in both_added:
                continue
            if ours_at[ident][0] == doc_id and same_addition(ours_at[ident][1], item):
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
            self.out.layers[name].docs[doc_id] = copy_da(oda)
        if tda:
            self.theirs_layer(name).docs[self.copy_ids[doc_id]] = copy_da(tda)

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
        for ann_id in ordered(o, t, b):
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
            if ba is None and oa is not None and ta is not None and same_addition(oa, ta):
                da.annotations[ann_id] = merge_comments(oa, ta)
                continue
            how, _ = pick(without_comments(ba), without_comments(oa), without_comments(ta))
            if how == "same" and oa is not None and ta is not None:
                merged = merge_comments(oa, ta)
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
                elif ba is not None and oa is not None:
                    recorded.append(deletion_record(ba))  # so review can offer their deletion
            if oa is not None:
                da.annotations[ann_id] = oa

        bl, ol, tl = bda.links, oda.links, tda.links
        recorded_links: list[Link] = []
        for link_id in ordered(ol, tl, bl):
            bk, ok, tk = bl.get(link_id), ol.get(link_id), tl.get(link_id)
            if bk is None and ok is not None and tk is not None and same_addition(ok, tk):
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
        for link_id in [lid for lid, lk in da.links.items() if not ends_in(lk, da)]:
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
            if ends_in(link, tda):
                tda.links[link.id] = link


def _anchor_free(ann: Annotation) -> Annotation:
    return replace(ann, fragments=(), needs_check=False)


def _anchored(
    base: tuple[DocumentAnnotations, DocumentAnnotations],
    ours: tuple[DocumentAnnotations, DocumentAnnotations],
    theirs: tuple[DocumentAnnotations, DocumentAnnotations],
) -> tuple[DocumentAnnotations, DocumentAnnotations, DocumentAnnotations]:
    """The three moved versions, each side's own text correction trusted for the span.

    Each pair is (as the side had it, moved onto the merged text). The edit script
    read from a side's text cannot know where its author's edit began and ended,
    so where that edit crossed an annotation's edge the base moved by the script
    may end elsewhere than the side's annotation moved by the edit itself. When
    that is the side's only change to the annotation (its text correction flagged
    it) and the other side changed the rest of it, the merge takes the other
    side's annotation on the corrected span, as if both edits had been made on
    one copy, instead of calling it a conflict.
    """
    (b0, b), (o0, o), (t0, t) = base, ours, theirs
    b_anns, o_anns, t_anns = dict(b.annotations), dict(o.annotations), dict(t.annotations)
    for ann_id, ba in b.annotations.items():
        oa, ta = o_anns.get(ann_id), t_anns.get(ann_id)
        if oa is None or ta is None or oa == ta or ba in (oa, ta):
            continue
        for (s0, sa), (x, xa) in (((o0, oa), (t_anns, ta)), ((t0, ta), (o_anns, oa))):
            own = s0.annotations[ann_id]
            if (
                own.needs_check
                and not b0.annotations[ann_id].needs_check
                and _anchor_free(sa) == _anchor_free(ba)
                and xa.fragments == ba.fragments
            ):
                x[ann_id] = replace(xa, fragments=sa.fragments, needs_check=True)
                b_anns[ann_id] = sa
                break
    return (
        DocumentAnnotations(b_anns, b.links),
        DocumentAnnotations(o_anns, o.links),
        DocumentAnnotations(t_anns, t.links),
    )


def _fitted(ann: Annotation, tagset: TagSet) -> Annotation | None:
    """``ann`` with each attribute value ``tagset`` refuses moved into its provenance
    (``theirs~NAME``: the values, space-separated); None if all of them fit."""
    kept: dict[str, AttrValue] = {}
    refused: dict[str, list[str]] = {}
    for key, value in ann.attributes.items():
        values = [value] if isinstance(value, str) else list(value)
        good = []
        for v in values:
            try:
                tagset.check_attributes(ann.tag, {key: v if isinstance(value, str) else (v,)})
            except ModelError:
                refused.setdefault(key, []).append(v)
            else:
                good.append(v)
        if good:
            kept[key] = good[0] if isinstance(value, str) else tuple(good)
    if not refused:
        return None
    fixed = ann.copy()
    fixed.attributes = kept
    for key, bad in refused.items():
        fixed.provenance[THEIRS_META + key] = " ".join(bad)
    return fixed
