"""Three-way merge of project files: what git asks of a merge driver, item by item.

Given the common ancestor (*base*) and two descendants (*ours*, *theirs*), every
document field, status, layer, annotation and link is merged on its own:

* the same value on both sides (both unchanged, the same change made twice, the
  same deletion) is taken once;
* a side that left an item as it was in the base takes the other side's value,
  so additions, changes and deletions made on one side apply;
* comments only added on both sides to the same annotation are both kept;
* two annotations (or links) added on both sides under the same id with
  different content are both kept: theirs gets a fresh id, its links follow;
* a release's text corrected on one side, or on both where the corrections do
  not overlap, takes every correction (:mod:`annotator.review.text_merge`), and
  the annotations of all three versions are first moved onto the merged text by
  the text-correction code, then merged as above.

Anything else is a **real conflict**: our value stays in place and theirs is
recorded *inside the project*, so the file stays valid and nothing is lost.
The project format has no conflict element, so theirs goes where review mode
already compares: their annotation (and the ends of their link) in the layer
``NAME~theirs`` beside layer ``NAME``; their text of a document whose
corrections overlap (or whose correction deleted the words under an annotation
the other side made) as document ``ID~theirs`` (its annotations in the
``~theirs`` layers); their progress or review status in the document's extra
metadata ``theirs~status:WHO`` / ``theirs~review-status``. Every conflict is
listed in the :class:`ThreeWayReport`. Plain Python, no Qt; the result is a
fresh project.
"""

from __future__ import annotations

from typing import TypeVar

from annotator.model import Document, DocumentAnnotations, Project
from annotator.model.tagset_merge import merge_project_tagsets
from annotator.model.text_edit import move_annotations
from annotator.review.text_merge import merge_texts
from annotator.review.three_way_items import (
    MISSING,
    THEIRS_DELETED,
    THEIRS_META,
    THEIRS_SUFFIX,
    Conflict,
    ThreeWayReport,
    copy_doc,
    da_key,
    doc_equal,
    ordered,
    pick,
)
from annotator.review.three_way_layers import LayerMerger

_V = TypeVar("_V")
_NONE = DocumentAnnotations()


class _Merger(LayerMerger):
    """The project and its documents; the layers come from :class:`LayerMerger`."""

    # --- the project ------------------------------------------------------------------

    def run(self) -> Project:
        b, o, t = self.base, self.ours, self.theirs
        how, self.out.name = self.scalar(b.name, o.name, t.name)
        if how == "conflict":
            self.conflict("project name", "project", o.name, f"theirs is {t.name!r}")
        # the tag sets by the rules `annotator merge` uses: each side's logged changes
        # replayed on the other (in place, before the layers merge), then item by item
        tagsets = merge_project_tagsets(b, o, t)
        self.out.tagset, self.out.tagset_log = tagsets.tagset, tagsets.log
        # (a change one side could not replay is marked rejected in the log; what it
        # leaves different between the tag sets is a conflict here)
        for c in tagsets.merge.conflicts:
            self.conflict("tag set", "project", c.where, c.reason())
        self.merge_documents()
        for name in ordered(o.layers, t.layers):
            self.merge_layer(name)
        self.check_links()
        if tagsets.merge.conflicts:
            self.check_attributes()
        return self.out

    # --- documents ----------------------------------------------------------------------

    def merge_documents(self) -> None:
        b, o, t = self.base.documents, self.ours.documents, self.theirs.documents
        pending: list[Document] = []
        for doc_id in ordered(o, t, b):
            bd, od, td = b.get(doc_id), o.get(doc_id), t.get(doc_id)
            if od is None and td is None:
                continue  # deleted on both sides
            if od is None or td is None:
                kept = od or td
                assert kept is not None
                keeper = self.ours if od is not None else self.theirs
                if bd is None:  # added on one side
                    self.out.add_document(copy_doc(kept))
                    self.report.from_theirs += od is None
                    continue
                if doc_equal(bd, kept) and not self._touched(keeper, doc_id):
                    self.report.from_theirs += td is None  # deleted, the other left it
                    continue
                side = "ours" if od is None else "theirs"
                self.conflict(
                    "document", doc_id, doc_id, f"{side} deleted it, the other changed it"
                )
                self.out.add_document(copy_doc(kept))  # keeping it loses nothing
                continue
            if bd is None and od.text != td.text:
                # both imported a release and were handed the same next id: keep both
                self.out.add_document(copy_doc(od))
                pending.append(td)
                continue
            if bd is None:
                bd = Document(id=doc_id, text=od.text)
            if od.text != bd.text or td.text != bd.text:
                reason = self.merge_text(bd, od, td)
                if reason:
                    self.split_document(od, td, reason)
                    continue
            self.out.add_document(self.merge_document(bd, od, td))
        for td in pending:
            new = copy_doc(td)
            stem = td.id.rstrip("0123456789") or "doc"
            n = len(self.out.documents) + self.untouched() + 1
            everywhere = (self.out.documents, o, t, b, self.outside.documents)
            while any(f"{stem}{n:04d}" in docs for docs in everywhere):
                n += 1
            new.id = f"{stem}{n:04d}"
            self.out.add_document(new)
            self.doc_rename[td.id] = new.id
            self.report.renamed.append(("documents", td.id, new.id))
            self.report.from_theirs += 1

    def merge_text(self, bd: Document, od: Document, td: Document) -> str:
        """Plan the merge of a text corrected on one side or both; '' if it can be done,
        else why the document is a conflict.

        Each side's annotations move through the other side's edits. One that a
        side added or changed and that nothing is left of on the merged text (the
        other side deleted the words under it) would be lost: that is a conflict.
        """
        tm = merge_texts(bd.text, od.text, td.text)
        if tm is None:
            return "both sides corrected its text at the same place"
        for name in ordered(self.ours.layers, self.theirs.layers):
            bda = _da(self.base, name, bd.id)
            for side, da, own, other in (
                ("our", _da(self.ours, name, od.id), tm.ours_own, tm.ours_edits),
                ("their", _da(self.theirs, name, td.id), tm.theirs_own, tm.theirs_edits),
            ):
                moved, _vanished = move_annotations(da, other)
                mine = move_annotations(bda, own)[0]
                lost = [a for a in da.annotations if a not in moved.annotations] + [
                    k for k in da.links if k not in moved.links
                ]
                made = [
                    i
                    for i in lost
                    if da.annotations.get(i, da.links.get(i))
                    != mine.annotations.get(i, mine.links.get(i))
                ]
                if made:
                    corrector = "theirs" if side == "our" else "ours"
                    return f"{corrector} deleted the text under {side} {made[0]} in layer {name}"
        self.text_merges[bd.id] = tm
        return ""

    def untouched(self) -> int:
        """How many releases, left out of the three projects, the result also holds."""
        if not self.outside.documents:
            return 0
        here = (self.base.documents, self.ours.documents, self.theirs.documents)
        return sum(not any(d in docs for docs in here) for d in self.outside.documents)

    def _touched(self, other: Project, doc_id: str) -> bool:
        """True if ``other`` changed annotations or links on ``doc_id`` since the base."""
        for name in ordered(other.layers, self.base.layers):
            olay, blay = other.layers.get(name), self.base.layers.get(name)
            oda = olay.docs.get(doc_id) if olay else None
            bda = blay.docs.get(doc_id) if blay else None
            if da_key(oda) != da_key(bda):
                return True
        return False

    def split_document(self, od: Document, td: Document, reason: str) -> None:
        self.conflict("document", od.id, od.id, reason)
        self.out.add_document(copy_doc(od))
        copy_id = od.id + THEIRS_SUFFIX
        while any(copy_id in p.documents for p in (self.ours, self.theirs, self.outside)):
            copy_id += THEIRS_SUFFIX
        theirs_doc = copy_doc(td)
        theirs_doc.id = copy_id
        self.out.add_document(theirs_doc)
        self.split_docs.add(od.id)
        self.copy_ids[od.id] = copy_id
        self.report.copies[od.id] = copy_id

    def merge_document(self, bd: Document, od: Document, td: Document) -> Document:
        doc = copy_doc(od)
        tm = self.text_merges.get(bd.id)
        if tm is not None:
            doc.text = tm.text
            self.report.from_theirs += bool(tm.theirs_own)
        how, meta = self.scalar(bd.meta, od.meta, td.meta)
        doc.meta = meta.copy()
        if how == "conflict":
            # each field of the metadata on its own; both-changed fields keep ours
            for name in ("headline", "country", "dateline", "date", "ai_index", "source_name"):
                fhow, value = pick(
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
        for key in ordered(o, t, b):
            how, value = self.scalar(b.get(key, MISSING), o.get(key, MISSING), t.get(key, MISSING))
            if how == "conflict":
                theirs = t.get(key, MISSING)
                shown = "deleted" if theirs is MISSING else str(theirs)
                if record is not None:
                    record.meta.extra[f"{THEIRS_META}{what}:{key}"] = shown
                self.conflict(what, doc_id, key, f"theirs is {shown}")
            if value is not MISSING:
                out[key] = value  # type: ignore[assignment]
        return out


def _da(p: Project, layer: str, doc_id: str) -> DocumentAnnotations:
    lay = p.layers.get(layer)
    return (lay.docs.get(doc_id) if lay is not None else None) or _NONE


def merge_three_way(
    base: Project, ours: Project, theirs: Project, *, outside: Project | None = None
) -> tuple[Project, ThreeWayReport]:
    """The merged project (a new one) and what happened. The inputs are left as they
    are, but for the tag-set changes each side's log has and the other's lacks: those
    are replayed on the other side (and the base) first, annotations and all.

    ``outside``: when the three projects hold only the releases that changed on
    a side (:mod:`annotator.review.three_way_files`), the whole of ours, whose
    ids fresh ids and renamed releases must avoid. (That path is taken only when
    the three tag sets and their logs are the same, so nothing is replayed then.)
    """
    merger = _Merger(base, ours, theirs, outside)
    return merger.run(), merger.report


def empty_base(like: Project) -> Project:
    """The base of a file both sides added: same name and tag set, nothing else."""
    return Project(name=like.name, tagset=like.tagset)


__all__ = [
    "THEIRS_DELETED",
    "THEIRS_META",
    "THEIRS_SUFFIX",
    "Conflict",
    "ThreeWayReport",
    "empty_base",
    "merge_three_way",
]
