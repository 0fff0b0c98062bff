"""Edits as small command objects with ``do`` and ``undo``.

Every change to a project goes through one of these, the way glue's
``core/command.py`` does it. The GUI wraps them in one generic ``QUndoCommand``;
the CLI and the tests replay them with :class:`History`. A command checks its
invariants in ``do`` before it mutates anything, so a refused edit leaves the
project untouched. ``do`` after ``undo`` (redo) reproduces the same ids and
timestamps, so a replayed history gives identical files.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from datetime import UTC, datetime

from annotator.errors import DuplicateId, InvalidAttributeValue, UnknownAnnotation
from annotator.model.project import (
    Annotation,
    Change,
    Comment,
    Fragment,
    Link,
    Project,
    ReviewStatus,
    Status,
    normalise_fragments,
)
from annotator.model.tagset import AttrValue


def utc_now() -> str:
    """Timestamp for edits: UTC, second resolution, ISO 8601."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Command(ABC):
    """One undoable edit. ``text`` is what the Undo menu shows."""

    text: str = "Edit"

    @abstractmethod
    def do(self, project: Project) -> None: ...

    @abstractmethod
    def undo(self, project: Project) -> None: ...


def _spans(fragments: Iterable[Fragment]) -> tuple[tuple[int, int], ...]:
    return tuple((f.start, f.end) for f in fragments)


def touched(
    project: Project,
    doc_id: str,
    layer: str,
    anns: Iterable[Annotation],
    links: Iterable[Link] = (),
) -> Change:
    """The :class:`Change` naming exactly what an edit of one (layer, document) touched.

    ``anns`` are the annotations it added, removed or replaced (both the old and the
    new object of a replaced one); ``links`` the links it added, removed or changed.
    The ends of those links are named too, since how their links read changed. The
    spans cover every named annotation's fragments, so painted blocks follow.
    """
    lay = project.layers.get(layer)
    da = lay.docs.get(doc_id) if lay is not None else None
    ids: dict[str, None] = {}
    frags: list[Fragment] = []
    for ann in anns:
        ids[ann.id] = None
        frags.extend(ann.fragments)
    link_ids: dict[str, None] = {}
    for lk in links:
        link_ids[lk.id] = None
        for end in (lk.source, lk.target):
            if end not in ids:
                ids[end] = None
                other = da.annotations.get(end) if da is not None else None
                if other is not None:
                    frags.extend(other.fragments)
    return Change(doc_id, layer, _spans(frags), ann_ids=tuple(ids), link_ids=tuple(link_ids))


class _AnnotationCommand(Command):
    """Base for edits of one existing annotation: keeps the before-image for undo."""

    def __init__(self, layer: str, doc_id: str, ann_id: str, author: str = "") -> None:
        self.layer = layer
        self.doc_id = doc_id
        self.ann_id = ann_id
        self.author = author
        self.at = utc_now()
        self._before: Annotation | None = None

    def _get(self, project: Project) -> Annotation:
        da = project.annotations(self.layer, self.doc_id)
        try:
            return da.annotations[self.ann_id]
        except KeyError:
            raise UnknownAnnotation(
                f"layer {self.layer!r} has no annotation {self.ann_id!r} "
                f"on document {self.doc_id!r}"
            ) from None

    def do(self, project: Project) -> None:
        ann = self._get(project)
        new = ann.copy()
        self.apply(project, new)
        new.modified_by = self.author or new.modified_by
        new.modified_at = self.at
        project.check_annotation(self.doc_id, new)
        self._before = ann
        project.annotations(self.layer, self.doc_id).annotations[self.ann_id] = new
        self.after_replace(project)
        project.notify(touched(project, self.doc_id, self.layer, (ann, new), self.links_touched()))

    def undo(self, project: Project) -> None:
        assert self._before is not None, "undo before do"
        da = project.annotations(self.layer, self.doc_id)
        current = da.annotations[self.ann_id]
        da.annotations[self.ann_id] = self._before
        before, links = self._before, self.links_touched()
        project.notify(touched(project, self.doc_id, self.layer, (current, before), links))

    @abstractmethod
    def apply(self, project: Project, ann: Annotation) -> None:
        """Change ``ann`` (a copy) in place."""

    def after_replace(self, project: Project) -> None:
        """Consequences of the new annotation, done before views are notified."""

    def links_touched(self) -> Sequence[Link]:
        """Links ``after_replace`` removed (undo puts them back)."""
        return ()


class AddAnnotation(Command):
    """Tag a span. The id is allocated on the first ``do`` and kept for redo."""

    def __init__(
        self,
        layer: str,
        doc_id: str,
        tag: str,
        fragments: Iterable[Fragment | tuple[int, int]],
        attributes: Mapping[str, AttrValue] | None = None,
        note: str = "",
        author: str = "",
        ann_id: str | None = None,
    ) -> None:
        self.layer = layer
        self.doc_id = doc_id
        self.tag = tag
        self.fragments = normalise_fragments(fragments)
        self.attributes = dict(attributes or {})
        self.note = note
        self.author = author
        self.at = utc_now()
        self.ann_id = ann_id
        self.text = f"Tag {tag}"

    def do(self, project: Project) -> None:
        layer = project.layer(self.layer)
        da = project.annotations(self.layer, self.doc_id)
        if self.ann_id is None:
            self.ann_id = layer.next_id("a")
        elif self.ann_id in da.annotations or layer.id_taken(self.ann_id):
            raise DuplicateId(f"layer {self.layer!r} already has an annotation {self.ann_id!r}")
        ann = Annotation(
            id=self.ann_id,
            tag=self.tag,
            fragments=self.fragments,
            attributes=dict(self.attributes),
            note=self.note,
            created_by=self.author,
            created_at=self.at,
            modified_by=self.author,
            modified_at=self.at,
        )
        project.check_annotation(self.doc_id, ann)
        da.annotations[ann.id] = ann
        layer.index_id(ann.id, self.doc_id)
        project.notify(touched(project, self.doc_id, self.layer, (ann,)))

    def undo(self, project: Project) -> None:
        assert self.ann_id is not None
        da = project.annotations(self.layer, self.doc_id)
        ann = da.annotations.pop(self.ann_id)
        project.layer(self.layer).unindex_id(self.ann_id)
        # links to it were undone before (the stack is last in, first out)
        project.notify(touched(project, self.doc_id, self.layer, (ann,)))


class DeleteAnnotation(Command):
    """Remove an annotation and every link that touches it."""

    text = "Delete annotation"

    def __init__(self, layer: str, doc_id: str, ann_id: str) -> None:
        self.layer = layer
        self.doc_id = doc_id
        self.ann_id = ann_id
        self._ann: Annotation | None = None
        self._links: list[Link] = []

    def do(self, project: Project) -> None:
        da = project.annotations(self.layer, self.doc_id)
        if self.ann_id not in da.annotations:
            raise UnknownAnnotation(f"layer {self.layer!r} has no annotation {self.ann_id!r}")
        layer = project.layer(self.layer)
        self._links = da.links_of(self.ann_id)
        for lk in self._links:
            del da.links[lk.id]
            layer.unindex_id(lk.id)
        self._ann = da.annotations.pop(self.ann_id)
        layer.unindex_id(self.ann_id)
        project.notify(touched(project, self.doc_id, self.layer, (self._ann,), self._links))

    def undo(self, project: Project) -> None:
        assert self._ann is not None
        da = project.annotations(self.layer, self.doc_id)
        layer = project.layer(self.layer)
        da.annotations[self._ann.id] = self._ann
        layer.index_id(self._ann.id, self.doc_id)
        for lk in self._links:
            da.links[lk.id] = lk
            layer.index_id(lk.id, self.doc_id)
        project.notify(touched(project, self.doc_id, self.layer, (self._ann,), self._links))


class Retag(_AnnotationCommand):
    """Change the tag. Attributes and links the new tag does not allow are dropped."""

    def __init__(self, layer: str, doc_id: str, ann_id: str, tag: str, author: str = "") -> None:
        super().__init__(layer, doc_id, ann_id, author)
        self.tag = tag
        self.text = f"Retag as {tag}"
        self._dropped_links: list[Link] = []

    def apply(self, project: Project, ann: Annotation) -> None:
        tt = project.tagset.tag(self.tag)
        kept: dict[str, AttrValue] = {}
        for attr in tt.attributes:
            if attr.name in ann.attributes:
                # a value that means nothing for the new tag is dropped; undo restores it
                with suppress(InvalidAttributeValue):
                    kept[attr.name] = attr.normalise(self.tag, ann.attributes[attr.name])
        ann.tag = self.tag
        ann.attributes = kept

    def after_replace(self, project: Project) -> None:
        da = project.annotations(self.layer, self.doc_id)
        self._dropped_links = []
        for lk in da.links_of(self.ann_id):
            src, tgt = da.annotations[lk.source], da.annotations[lk.target]
            lt = next((t for t in project.tagset.links if t.name == lk.type), None)
            if lt is None or not lt.allows(src.tag, tgt.tag):
                self._dropped_links.append(da.links.pop(lk.id))
                project.layer(self.layer).unindex_id(lk.id)

    def links_touched(self) -> Sequence[Link]:
        return self._dropped_links

    def undo(self, project: Project) -> None:
        da = project.annotations(self.layer, self.doc_id)
        for lk in self._dropped_links:
            da.links[lk.id] = lk
            project.layer(self.layer).index_id(lk.id, self.doc_id)
        super().undo(project)


class Resize(_AnnotationCommand):
    """Give an annotation new fragments (grow, shrink, add or drop a piece)."""

    text = "Resize annotation"

    def __init__(
        self,
        layer: str,
        doc_id: str,
        ann_id: str,
        fragments: Iterable[Fragment | tuple[int, int]],
        author: str = "",
    ) -> None:
        super().__init__(layer, doc_id, ann_id, author)
        self.fragments = normalise_fragments(fragments)

    def apply(self, project: Project, ann: Annotation) -> None:
        ann.fragments = self.fragments


class SetAttribute(_AnnotationCommand):
    """Set one attribute; ``None`` removes it."""

    def __init__(
        self,
        layer: str,
        doc_id: str,
        ann_id: str,
        name: str,
        value: AttrValue | Sequence[str] | None,
        author: str = "",
    ) -> None:
        super().__init__(layer, doc_id, ann_id, author)
        self.name = name
        self.value = value
        self.text = f"Set {name}"

    def apply(self, project: Project, ann: Annotation) -> None:
        if self.value is None or self.value == () or self.value == []:
            project.tagset.tag(ann.tag).attribute(self.name)  # still must be known
            ann.attributes.pop(self.name, None)
        else:
            attr = project.tagset.tag(ann.tag).attribute(self.name)
            ann.attributes[self.name] = attr.normalise(ann.tag, self.value)


class SetNote(_AnnotationCommand):
    text = "Edit note"

    def __init__(self, layer: str, doc_id: str, ann_id: str, note: str, author: str = "") -> None:
        super().__init__(layer, doc_id, ann_id, author)
        self.note = note

    def apply(self, project: Project, ann: Annotation) -> None:
        ann.note = self.note


class SetNeedsCheck(_AnnotationCommand):
    """Clear (or set) the flag a text correction leaves on an annotation."""

    text = "Mark checked"

    def __init__(self, layer: str, doc_id: str, ann_id: str, flag: bool, author: str = "") -> None:
        super().__init__(layer, doc_id, ann_id, author)
        self.flag = flag

    def apply(self, project: Project, ann: Annotation) -> None:
        ann.needs_check = self.flag


class AddComment(_AnnotationCommand):
    """A reviewer's comment on any annotation of any layer."""

    text = "Add comment"

    def __init__(self, layer: str, doc_id: str, ann_id: str, comment: str, author: str) -> None:
        super().__init__(layer, doc_id, ann_id, "")
        self.comment = Comment(author=author, at=self.at, text=comment)

    def apply(self, project: Project, ann: Annotation) -> None:
        ann.comments.append(self.comment)


class AddLink(Command):
    """Link two annotations of one layer and document with a typed, directed edge."""

    def __init__(
        self,
        layer: str,
        doc_id: str,
        link_type: str,
        source: str,
        target: str,
        link_id: str | None = None,
    ) -> None:
        self.layer = layer
        self.doc_id = doc_id
        self.link_type = link_type
        self.source = source
        self.target = target
        self.link_id = link_id
        self.text = f"Link {link_type}"

    def do(self, project: Project) -> None:
        da = project.annotations(self.layer, self.doc_id)
        layer = project.layer(self.layer)
        if self.link_id is None:
            self.link_id = layer.next_id("r")
        elif self.link_id in da.links or layer.id_taken(self.link_id):
            raise DuplicateId(f"layer {self.layer!r} already has a link {self.link_id!r}")
        link = Link(self.link_id, self.link_type, self.source, self.target)
        project.check_link(self.layer, self.doc_id, link)
        da.links[link.id] = link
        project.layer(self.layer).index_id(link.id, self.doc_id)
        project.notify(touched(project, self.doc_id, self.layer, (), (link,)))

    def undo(self, project: Project) -> None:
        assert self.link_id is not None
        da = project.annotations(self.layer, self.doc_id)
        link = da.links.pop(self.link_id)
        project.layer(self.layer).unindex_id(self.link_id)
        project.notify(touched(project, self.doc_id, self.layer, (), (link,)))


class RemoveLink(Command):
    text = "Remove link"

    def __init__(self, layer: str, doc_id: str, link_id: str) -> None:
        self.layer = layer
        self.doc_id = doc_id
        self.link_id = link_id
        self._link: Link | None = None

    def do(self, project: Project) -> None:
        da = project.annotations(self.layer, self.doc_id)
        if self.link_id not in da.links:
            raise UnknownAnnotation(f"layer {self.layer!r} has no link {self.link_id!r}")
        self._link = da.links.pop(self.link_id)
        project.layer(self.layer).unindex_id(self.link_id)
        project.notify(touched(project, self.doc_id, self.layer, (), (self._link,)))

    def undo(self, project: Project) -> None:
        assert self._link is not None
        project.annotations(self.layer, self.doc_id).links[self._link.id] = self._link
        project.layer(self.layer).index_id(self._link.id, self.doc_id)
        project.notify(touched(project, self.doc_id, self.layer, (), (self._link,)))


class SetStatus(Command):
    """An annotator's progress on a document."""

    text = "Set status"

    def __init__(self, doc_id: str, annotator: str, status: Status) -> None:
        self.doc_id = doc_id
        self.annotator = annotator
        self.status = Status(status)
        self._before: Status | None = None

    def do(self, project: Project) -> None:
        doc = project.document(self.doc_id)
        self._before = doc.status.get(self.annotator)
        doc.status[self.annotator] = self.status
        project.notify(Change(self.doc_id))

    def undo(self, project: Project) -> None:
        doc = project.document(self.doc_id)
        if self._before is None:
            doc.status.pop(self.annotator, None)
        else:
            doc.status[self.annotator] = self._before
        project.notify(Change(self.doc_id))


class SetReviewStatus(Command):
    text = "Set review status"

    def __init__(self, doc_id: str, status: ReviewStatus) -> None:
        self.doc_id = doc_id
        self.status = ReviewStatus(status)
        self._before = ReviewStatus.NOT_REVIEWED

    def do(self, project: Project) -> None:
        doc = project.document(self.doc_id)
        self._before = doc.review_status
        doc.review_status = self.status
        project.notify(Change(self.doc_id))

    def undo(self, project: Project) -> None:
        project.document(self.doc_id).review_status = self._before
        project.notify(Change(self.doc_id))


class Macro(Command):
    """Several commands as one undo step (bulk tagging, adjudication of a document).

    If a step fails, the steps already done are undone and the error propagates,
    so a macro is all or nothing.
    """

    def __init__(self, text: str, commands: Iterable[Command]) -> None:
        self.text = text
        self.commands = list(commands)

    def do(self, project: Project) -> None:
        done: list[Command] = []
        try:
            for cmd in self.commands:
                cmd.do(project)
                done.append(cmd)
        except Exception:
            for cmd in reversed(done):
                cmd.undo(project)
            raise

    def undo(self, project: Project) -> None:
        for cmd in reversed(self.commands):
            cmd.undo(project)


def id_counters(project: Project) -> dict[str, int]:
    """Every layer's id counter, to put back with :func:`restore_id_counters`."""
    return {name: layer.counter for name, layer in project.layers.items()}


def restore_id_counters(project: Project, counters: dict[str, int]) -> None:
    for name, counter in counters.items():
        layer = project.layers.get(name)
        if layer is not None:
            layer.counter = counter


def do_or_refuse(command: Command, project: Project) -> None:
    """Do ``command``; if it is refused, the ids it took are handed back too.

    A command takes a fresh id before the model checks what it makes (a tag the tag
    set lacks, a span out of range). Refused, it changed nothing, so no layer's id
    counter may have moved either: the edit journal never hears of a refused
    command, and a journal replayed after a crash must end where the session was.
    Every place that does a user's command calls this: :class:`History` and the
    window's session (a :class:`Macro` refused half-way is covered too: its done
    steps are undone, and the counters put back here).
    """
    counters = id_counters(project)
    try:
        command.do(project)
    except Exception:
        restore_id_counters(project, counters)
        raise


class History:
    """Undo and redo without Qt: for the CLI, scripts and tests."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.done: list[Command] = []
        self.undone: list[Command] = []

    def push(self, cmd: Command) -> Command:
        do_or_refuse(cmd, self.project)
        self.done.append(cmd)
        self.undone.clear()
        return cmd

    def undo(self) -> None:
        cmd = self.done.pop()
        cmd.undo(self.project)
        self.undone.append(cmd)

    def redo(self) -> None:
        cmd = self.undone.pop()
        cmd.do(self.project)
        self.done.append(cmd)


__all__ = [
    "AddAnnotation",
    "AddComment",
    "AddLink",
    "Command",
    "DeleteAnnotation",
    "History",
    "Macro",
    "RemoveLink",
    "Resize",
    "Retag",
    "SetAttribute",
    "SetNeedsCheck",
    "SetNote",
    "SetReviewStatus",
    "SetStatus",
    "do_or_refuse",
    "touched",
]
