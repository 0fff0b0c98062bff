"""The conflicts a three-way merge left in a project: list them, settle them one by one.

When both colleagues changed the same item differently, the merge driver
(:mod:`annotator.review.three_way`) kept ours in place and recorded theirs
inside the project, where a valid file can hold it:

* their annotation or link in the layer ``NAME~theirs`` beside layer ``NAME``
  (with the ends of their link, so the link stays readable);
* their text of a document as the document ``ID~theirs`` (their annotations on
  it in the ``~theirs`` layers);
* their status, review status or metadata field as the document's extra
  metadata ``theirs~status:WHO``, ``theirs~review-status``, ``theirs~FIELD``.

:func:`list_conflicts` reads those records back as :class:`ProjectConflict`
pairs, ours beside theirs. :class:`ResolveConflicts` settles some of them as
one undoable command: *ours* drops their record, *theirs* puts theirs in place
and drops the record. A ``~theirs`` layer or document goes as soon as nothing
left in it is a conflict, so once every conflict is settled the project holds
no trace of the merge. The GUI's review mode and ``annotator conflicts`` both
go through here. Plain Python, no Qt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from annotator.errors import ModelError, UnknownConflict
from annotator.model import (
    Annotation,
    Change,
    Command,
    Document,
    DocumentAnnotations,
    DocumentMeta,
    Layer,
    Link,
    Project,
    ReviewStatus,
    Status,
)
from annotator.review.presentation import annotation_excerpt
from annotator.review.three_way import THEIRS_DELETED, THEIRS_META, THEIRS_SUFFIX
from annotator.wording import count

#: the metadata fields the merge driver records their side of
META_FIELDS = ("headline", "country", "dateline", "date", "ai_index", "source_name")
#: what a recorded status says when their side deleted it
DELETED = "deleted"


class Side(StrEnum):
    OURS = "ours"
    THEIRS = "theirs"


class ConflictKind(StrEnum):
    ANNOTATION = "annotation"
    LINK = "link"
    DOCUMENT = "document"
    STATUS = "status"
    REVIEW_STATUS = "review status"
    METADATA = "metadata"


def is_theirs_layer(name: str) -> bool:
    """True for a layer that holds their side of conflicts (never an annotator's own)."""
    return name.endswith(THEIRS_SUFFIX)


Value = Annotation | Link | Document | str | None
_E = TypeVar("_E", Status, ReviewStatus)
_T = TypeVar("_T")


@dataclass(frozen=True)
class ProjectConflict:
    """One item both sides changed differently: ours as it stands, theirs as recorded.

    ``layer`` is our layer's name (annotations and links); ``ident`` is the
    annotation or link id, the annotator of a status, the metadata field, or the
    document id for a document whose text both sides changed.
    """

    kind: ConflictKind
    doc_id: str
    ident: str
    layer: str = ""
    ours: Value = None
    theirs: Value = None

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.kind.value, self.layer, self.doc_id, self.ident)

    def title(self) -> str:
        if self.kind in (ConflictKind.ANNOTATION, ConflictKind.LINK):
            return f"{self.kind} {self.ident} in layer {self.layer}, document {self.doc_id}"
        if self.kind is ConflictKind.DOCUMENT:
            return f"text of document {self.doc_id}"
        if self.kind is ConflictKind.STATUS:
            return f"status of {self.ident} on document {self.doc_id}"
        if self.kind is ConflictKind.REVIEW_STATUS:
            return f"review status of document {self.doc_id}"
        return f"{self.ident} of document {self.doc_id}"


# --- reading the records ------------------------------------------------------------------


def _copy_of(project: Project, doc_id: str) -> str | None:
    """Our document's id if ``doc_id`` is the merge's copy of their text of it."""
    if doc_id.endswith(THEIRS_SUFFIX):
        ours = doc_id[: -len(THEIRS_SUFFIX)]
        if ours in project.documents:
            return ours
    return None


def _layer_doc_conflicts(project: Project, name: str, doc_id: str) -> list[ProjectConflict]:
    """The annotation and link conflicts recorded in ``name~theirs`` on one document."""
    theirs = project.layers.get(name + THEIRS_SUFFIX)
    tda = theirs.docs.get(doc_id) if theirs is not None else None
    if not tda:
        return []
    ours = project.layers.get(name)
    oda = ours.docs.get(doc_id) if ours is not None else None
    ends = {end for lk in tda.links.values() for end in (lk.source, lk.target)}
    out: list[ProjectConflict] = []
    for ann in tda.sorted_annotations():
        mine = oda.annotations.get(ann.id) if oda else None
        if ann.id in ends or mine == ann:
            continue  # the end of their link, or the same as ours: no conflict of its own
        theirs_value = None if ann.provenance.get(THEIRS_DELETED) else ann  # they deleted it
        out.append(
            ProjectConflict(ConflictKind.ANNOTATION, doc_id, ann.id, name, mine, theirs_value)
        )
    for link in sorted(tda.links.values(), key=lambda lk: lk.id):
        mine_link = oda.links.get(link.id) if oda else None
        out.append(ProjectConflict(ConflictKind.LINK, doc_id, link.id, name, mine_link, link))
    return out


def _meta_conflicts(doc: Document) -> list[ProjectConflict]:
    out: list[ProjectConflict] = []
    for key, value in doc.meta.extra.items():
        if not key.startswith(THEIRS_META):
            continue
        what = key[len(THEIRS_META) :]
        if what.startswith("status:"):
            who = what[len("status:") :]
            ours = doc.status.get(who)
            mine = str(ours) if ours is not None else DELETED
            out.append(ProjectConflict(ConflictKind.STATUS, doc.id, who, "", mine, value))
        elif what == "review-status":
            mine = str(doc.review_status)
            out.append(ProjectConflict(ConflictKind.REVIEW_STATUS, doc.id, doc.id, "", mine, value))
        elif what in META_FIELDS:
            mine = str(getattr(doc.meta, what))
            out.append(ProjectConflict(ConflictKind.METADATA, doc.id, what, "", mine, value))
    return out


def list_conflicts(project: Project) -> list[ProjectConflict]:
    """Every conflict the project records, document by document in the project's order."""
    by_doc: dict[str, list[ProjectConflict]] = {}
    for doc in project.documents.values():
        ours_id = _copy_of(project, doc.id)
        if ours_id is not None:
            by_doc.setdefault(ours_id, []).append(
                ProjectConflict(
                    ConflictKind.DOCUMENT, ours_id, ours_id, "", project.documents[ours_id], doc
                )
            )
        else:
            found = _meta_conflicts(doc)
            if found:
                by_doc.setdefault(doc.id, []).extend(found)
    for name, layer in project.layers.items():
        if not is_theirs_layer(name):
            continue
        base = name[: -len(THEIRS_SUFFIX)]
        for doc_id in layer.docs:
            if _copy_of(project, doc_id) is None and doc_id in project.documents:
                found = _layer_doc_conflicts(project, base, doc_id)
                if found:
                    by_doc.setdefault(doc_id, []).extend(found)
    order = {doc_id: i for i, doc_id in enumerate(project.documents)}
    return [c for d in sorted(by_doc, key=lambda d: order.get(d, len(order))) for c in by_doc[d]]


def has_conflict_records(project: Project) -> bool:
    """True while the project holds any ``~theirs`` layer, document or metadata."""
    return any(is_theirs_layer(n) for n in project.layers) or any(
        _copy_of(project, d.id) is not None or any(k.startswith(THEIRS_META) for k in d.meta.extra)
        for d in project.documents.values()
    )


# --- how each side reads ------------------------------------------------------------------


def _annotation_text(project: Project, doc_id: str, ann: Annotation) -> str:
    doc = project.documents.get(doc_id)
    ex = annotation_excerpt(doc.text if doc else "", ann, words=0)
    attrs = "".join(f", {k}={v}" for k, v in sorted(ann.attributes.items()))
    note = f", note {ann.note!r}" if ann.note else ""
    by = ann.modified_by or ann.created_by
    who = f" (by {by})" if by else ""
    return f"{ann.tag} {ex.span!r}{attrs}{note}{who}"


def _link_text(project: Project, c: ProjectConflict, link: Link, layer: str) -> str:
    lay = project.layers.get(layer)
    da = lay.docs.get(c.doc_id) if lay is not None else None
    ends = []
    for end in (link.source, link.target):
        ann = da.annotations.get(end) if da else None
        ends.append(_annotation_text(project, c.doc_id, ann) if ann else end)
    return f"{link.type}: {ends[0]} → {ends[1]}"


def _mid_word(text: str, at: int) -> bool:
    return 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum()


def text_difference(ours: str, theirs: str, context: int = 30) -> tuple[str, str]:
    """Where two texts differ, each with a little context ("…was [beaten] by…")."""
    start = 0
    limit = min(len(ours), len(theirs))
    while start < limit and ours[start] == theirs[start]:
        start += 1
    end = 0
    while end < limit - start and ours[-1 - end] == theirs[-1 - end]:
        end += 1
    # whole words: a reader compares "editor" with "reporter", not "edito" with "reporte"
    while start > 0 and (_mid_word(ours, start) or _mid_word(theirs, start)):
        start -= 1
    while end > 0 and (_mid_word(ours, len(ours) - end) or _mid_word(theirs, len(theirs) - end)):
        end -= 1

    def shown(text: str) -> str:
        cut = len(text) - end
        before = text[max(0, start - context) : start]
        after = text[cut : cut + context]
        lead = "…" if start > context else ""
        tail = "…" if cut + context < len(text) else ""
        return f"{lead}{before}[{text[start:cut]}]{after}{tail}"

    return shown(ours), shown(theirs)


def sides(project: Project, c: ProjectConflict) -> tuple[str, str]:
    """(ours, theirs) as one line of plain text each, for the review panel and the CLI."""
    if c.kind is ConflictKind.DOCUMENT:
        assert isinstance(c.ours, Document) and isinstance(c.theirs, Document)
        return text_difference(c.ours.text, c.theirs.text)
    out: list[str] = []
    for value, layer in ((c.ours, c.layer), (c.theirs, c.layer + THEIRS_SUFFIX)):
        if value is None:
            out.append(DELETED)
        elif isinstance(value, Annotation):
            out.append(_annotation_text(project, c.doc_id, value))
        elif isinstance(value, Link):
            out.append(_link_text(project, c, value, layer))
        else:
            out.append(str(value) or "(empty)")
    return out[0], out[1]


# --- settling them ------------------------------------------------------------------------


class _Patch:
    """What a resolution changed, kept so that undo puts every object back as it was."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.doc_order = list(project.documents)
        self.layer_order = list(project.layers)
        self.docs: dict[str, tuple[str, DocumentMeta, dict[str, Status], ReviewStatus]] = {}
        self.removed_docs: dict[str, Document] = {}
        self.das: dict[tuple[str, str], DocumentAnnotations | None] = {}
        self.removed_layers: dict[str, Layer] = {}
        self.created_layers: list[str] = []

    def document(self, doc_id: str) -> Document:
        doc = self.project.document(doc_id)
        if doc_id not in self.docs:
            self.docs[doc_id] = (doc.text, doc.meta, dict(doc.status), doc.review_status)
            doc.meta = doc.meta.copy()  # a snapshot shares the old one: never change it
        return doc

    def remove_document(self, doc_id: str) -> None:
        self.removed_docs[doc_id] = self.project.documents.pop(doc_id)

    def layer(self, name: str, like: Layer | None = None) -> Layer:
        if name not in self.project.layers:
            kind = like.kind if like is not None else Layer(name).kind
            self.project.ensure_layer(name, kind)
            self.created_layers.append(name)
        return self.project.layers[name]

    def da(self, layer: str, doc_id: str) -> DocumentAnnotations:
        """A fresh copy of the layer's annotations on the document, put in its place."""
        lay = self.project.layers[layer]
        old = lay.docs.get(doc_id)
        self.das.setdefault((layer, doc_id), old)
        new = DocumentAnnotations(
            dict(old.annotations) if old else {}, dict(old.links) if old else {}
        )
        lay.docs[doc_id] = new
        lay.forget_index()
        return new

    def drop_da(self, layer: str, doc_id: str) -> None:
        lay = self.project.layers[layer]
        if doc_id in lay.docs:
            self.das.setdefault((layer, doc_id), lay.docs[doc_id])
            del lay.docs[doc_id]
            lay.forget_index()

    def remove_layer(self, name: str) -> None:
        self.removed_layers[name] = self.project.layers.pop(name)

    def undo(self) -> None:
        p = self.project
        for name, layer in self.removed_layers.items():
            p.layers[name] = layer
        for (name, doc_id), old in reversed(list(self.das.items())):
            lay = p.layers.get(name)
            if lay is None:
                continue
            if old is None:
                lay.docs.pop(doc_id, None)
            else:
                lay.docs[doc_id] = old
            lay.forget_index()
        for name in self.created_layers:
            p.layers.pop(name, None)
        for doc_id, doc in self.removed_docs.items():
            p.documents[doc_id] = doc
        for doc_id, (text, meta, status, review) in self.docs.items():
            doc = p.documents[doc_id]
            doc.text, doc.meta, doc.review_status = text, meta, review
            doc.status.clear()
            doc.status.update(status)
        _reorder(p.documents, self.doc_order)
        _reorder(p.layers, self.layer_order)


def _reorder(d: dict[str, _T], order: Sequence[str]) -> None:
    items = {k: d[k] for k in order if k in d}
    items.update({k: v for k, v in d.items() if k not in items})
    d.clear()
    d.update(items)


def _settle(project: Project, patch: _Patch, c: ProjectConflict, side: Side) -> None:
    take = side is Side.THEIRS
    if c.kind is ConflictKind.DOCUMENT:
        _settle_document(project, patch, c, take)
    elif c.kind in (ConflictKind.ANNOTATION, ConflictKind.LINK):
        _settle_item(project, patch, c, take)
    else:
        _settle_meta(patch, c, take)


def _settle_item(project: Project, patch: _Patch, c: ProjectConflict, take: bool) -> None:
    tname = c.layer + THEIRS_SUFFIX
    theirs_layer = project.layers[tname]
    tda = patch.da(tname, c.doc_id)
    if take:
        oda = patch.da(patch.layer(c.layer, theirs_layer).name, c.doc_id)
        if isinstance(c.theirs, Annotation):
            ann = c.theirs.copy()
            project.check_annotation(c.doc_id, ann)
            oda.annotations[ann.id] = ann
            for lk in oda.links_of(ann.id):
                try:
                    project.check_link(c.layer, c.doc_id, lk)
                except ModelError:
                    del oda.links[lk.id]  # their tag does not allow our link (undo restores it)
        elif isinstance(c.theirs, Link):
            for end in (c.theirs.source, c.theirs.target):
                if end not in oda.annotations and end in tda.annotations:
                    oda.annotations[end] = tda.annotations[end]
            oda.links[c.ident] = c.theirs
            project.check_link(c.layer, c.doc_id, c.theirs)
        elif c.kind is ConflictKind.ANNOTATION:  # they deleted it: so do we, with its links
            oda.annotations.pop(c.ident, None)
            for lk in oda.links_of(c.ident):
                del oda.links[lk.id]
    if c.kind is ConflictKind.ANNOTATION:
        tda.annotations.pop(c.ident, None)
    else:
        tda.links.pop(c.ident, None)
    if not _layer_doc_conflicts(project, c.layer, c.doc_id):
        patch.drop_da(tname, c.doc_id)  # what is left are the ends of settled links
    if not any(theirs_layer.docs.values()):
        patch.remove_layer(tname)


def _settle_document(project: Project, patch: _Patch, c: ProjectConflict, take: bool) -> None:
    copy_id = c.doc_id + THEIRS_SUFFIX
    copy = project.documents[copy_id]
    if take:
        doc = patch.document(c.doc_id)
        doc.text, doc.meta, doc.review_status = copy.text, copy.meta.copy(), copy.review_status
        doc.status.clear()
        doc.status.update(copy.status)
        for name in [n for n in project.layers if not is_theirs_layer(n)]:
            theirs_layer = project.layers.get(name + THEIRS_SUFFIX)
            tda = theirs_layer.docs.get(copy_id) if theirs_layer is not None else None
            if tda:
                oda = patch.da(name, c.doc_id)
                oda.annotations.clear()
                oda.links.clear()
                oda.annotations.update(tda.annotations)
                oda.links.update(tda.links)
            else:
                patch.drop_da(name, c.doc_id)  # their version has nothing in this layer
    # the copy goes with whatever was put on it (even a tag made on it by mistake)
    for name in list(project.layers):
        patch.drop_da(name, copy_id)
        if is_theirs_layer(name) and not any(project.layers[name].docs.values()):
            patch.remove_layer(name)
    patch.remove_document(copy_id)


def _settle_meta(patch: _Patch, c: ProjectConflict, take: bool) -> None:
    doc = patch.document(c.doc_id)
    value = str(c.theirs or "")
    if c.kind is ConflictKind.STATUS:
        key = f"{THEIRS_META}status:{c.ident}"
        if take and value == DELETED:
            doc.status.pop(c.ident, None)
        elif take:
            doc.status[c.ident] = _enum(Status, value, c)
    elif c.kind is ConflictKind.REVIEW_STATUS:
        key = f"{THEIRS_META}review-status"
        if take:
            doc.review_status = _enum(ReviewStatus, value, c)
    else:
        key = f"{THEIRS_META}{c.ident}"
        if take:
            setattr(doc.meta, c.ident, value)
    doc.meta.extra.pop(key, None)


def _enum(kind: type[_E], value: str, c: ProjectConflict) -> _E:
    try:
        return kind(value)
    except ValueError:
        raise ModelError(f"their {c.title()} is {value!r}, which is no such status") from None


class ResolveConflicts(Command):
    """Settle conflicts (ours: drop their record; theirs: put it in place) as one step."""

    def __init__(self, choices: Iterable[tuple[ProjectConflict, Side | str]]) -> None:
        self.choices = [(c.key, Side(side)) for c, side in choices]
        n = len(self.choices)
        sides_taken = {side for _k, side in self.choices}
        which = sides_taken.pop().value if len(sides_taken) == 1 else "ours or theirs"
        self.text = f"Keep {which} ({count(n, 'conflict')})" if n != 1 else f"Keep {which}"
        self._patch: _Patch | None = None

    def do(self, project: Project) -> None:
        found = {c.key: c for c in list_conflicts(project)}
        for key, _side in self.choices:
            if key not in found:
                raise UnknownConflict(
                    f"the project records no conflict on the {key[0]} {key[3]} "
                    f"(document {key[2]}): it was settled already"
                )
        patch = _Patch(project)
        try:
            for key, side in self.choices:
                _settle(project, patch, found[key], side)
        except Exception:
            patch.undo()
            raise
        self._patch = patch
        project.notify(Change())

    def undo(self, project: Project) -> None:
        assert self._patch is not None, "undo before do"
        self._patch.undo()
        project.notify(Change())


def resolve_all(project: Project, side: Side | str) -> ResolveConflicts:
    """The command that settles every conflict the same way (not yet done)."""
    return ResolveConflicts((c, side) for c in list_conflicts(project))


__all__ = [
    "ConflictKind",
    "ProjectConflict",
    "ResolveConflicts",
    "Side",
    "UnknownConflict",
    "has_conflict_records",
    "is_theirs_layer",
    "list_conflicts",
    "resolve_all",
    "sides",
    "text_difference",
]
