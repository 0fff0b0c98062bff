"""Accepting suggestions: annotations (and their links) added to a layer as one undoable step.

A suggestion becomes an ordinary annotation of the user's layer only through
this command, whether the user accepts one in the window or ``annotator
suggest --apply`` accepts a whole batch. Each annotation records where it came
from in its ``provenance`` (``suggested_by``: the suggester's name,
``suggestion_reason``: why it was suggested), the field the project file
already keeps for every annotation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from annotator.errors import DuplicateId, UnknownAnnotation
from annotator.model.commands import Command, utc_now
from annotator.model.project import Annotation, Change, Fragment, Link, Project
from annotator.model.tagset import AttrValue

SUGGESTED_BY = "suggested_by"
SUGGESTION_REASON = "suggestion_reason"


@dataclass(frozen=True, slots=True)
class Proposal:
    """One annotation to add. A link's target is the index of another proposal of the
    same batch (and document), or the id of an annotation already in the layer."""

    doc_id: str
    tag: str
    fragments: tuple[Fragment, ...]
    attributes: Mapping[str, AttrValue] = field(default_factory=dict)
    provenance: Mapping[str, str] = field(default_factory=dict)
    links: tuple[tuple[str, int | str], ...] = ()


class AddProposals(Command):
    """Add proposals to ``layer``; undo removes them and their links again.

    Ids are given on the first ``do`` and kept, so redo restores the very same
    annotations. Everything is checked before anything changes: an annotation
    that does not fit its document or the tag set refuses the whole batch.
    A link whose other end is not there, or that the tag set does not allow,
    is left out (a suggestion's addressee that was not accepted).
    """

    def __init__(
        self, layer: str, proposals: Sequence[Proposal], author: str = "", text: str = ""
    ) -> None:
        self.layer = layer
        self.proposals = list(proposals)
        self.author = author
        self.at = utc_now()
        n = len(self.proposals)
        self.text = text or (f"Accept {n} suggestion" + ("" if n == 1 else "s"))
        self._ids: list[str] = []
        self._links: list[tuple[str, Link]] = []
        self._created = False

    @property
    def annotation_ids(self) -> list[str]:
        return list(self._ids)

    def do(self, project: Project) -> None:
        self._created = self.layer not in project.layers
        layer = project.ensure_layer(self.layer)
        try:
            built = self._build(project)
        except Exception:
            if self._created:
                del project.layers[self.layer]
            raise
        for doc_id, ann in built:
            layer.doc(doc_id).annotations[ann.id] = ann
            layer.index_id(ann.id, doc_id)
        self._links = self._build_links(project, built)
        for doc_id, link in self._links:
            layer.doc(doc_id).links[link.id] = link
            layer.index_id(link.id, doc_id)
        self._notify(project, built)

    def _build(self, project: Project) -> list[tuple[str, Annotation]]:
        layer = project.layer(self.layer)
        fresh = not self._ids
        if not fresh:
            for ident in self._ids:
                if layer.id_taken(ident):
                    raise DuplicateId(f"layer {self.layer!r} already has an annotation {ident!r}")
        built: list[tuple[str, Annotation]] = []
        for k, prop in enumerate(self.proposals):
            ann = Annotation(
                id=self._ids[k] if not fresh else f"?{k}",
                tag=prop.tag,
                fragments=prop.fragments,
                attributes=dict(prop.attributes),
                created_by=self.author,
                created_at=self.at,
                modified_by=self.author,
                modified_at=self.at,
                provenance=dict(prop.provenance),
            )
            project.check_annotation(prop.doc_id, ann)
            built.append((prop.doc_id, ann))
        if fresh:
            self._ids = [layer.next_id("a") for _ in built]
            for ident, (_, ann) in zip(self._ids, built, strict=True):
                ann.id = ident
        return built

    def _build_links(
        self, project: Project, built: list[tuple[str, Annotation]]
    ) -> list[tuple[str, Link]]:
        layer = project.layer(self.layer)
        reuse = iter([lk.id for _, lk in self._links])
        links: list[tuple[str, Link]] = []
        for k, prop in enumerate(self.proposals):
            doc_id, source = built[k]
            da = layer.doc(doc_id)
            for link_type, target in prop.links:
                if isinstance(target, int):
                    if not 0 <= target < len(built) or built[target][0] != doc_id:
                        continue
                    target_ann = built[target][1]
                else:
                    if target not in da.annotations:
                        continue
                    target_ann = da.annotations[target]
                lt = next((t for t in project.tagset.links if t.name == link_type), None)
                if lt is None or not lt.allows(source.tag, target_ann.tag):
                    continue
                link_id = next(reuse, None) or layer.next_id("r")
                links.append((doc_id, Link(link_id, link_type, source.id, target_ann.id)))
        return links

    def undo(self, project: Project) -> None:
        layer = project.layer(self.layer)
        for doc_id, link in self._links:
            layer.doc(doc_id).links.pop(link.id, None)
            layer.unindex_id(link.id)
        built: list[tuple[str, Annotation]] = []
        for ident, prop in zip(self._ids, self.proposals, strict=True):
            da = layer.doc(prop.doc_id)
            ann = da.annotations.pop(ident, None)
            if ann is None:
                raise UnknownAnnotation(f"layer {self.layer!r} has no annotation {ident!r}")
            layer.unindex_id(ident)
            built.append((prop.doc_id, ann))
            if not da:
                del layer.docs[prop.doc_id]
        if self._created and not layer.docs:
            del project.layers[self.layer]
        self._notify(project, built)

    def _notify(self, project: Project, built: list[tuple[str, Annotation]]) -> None:
        by_doc: dict[str, list[Annotation]] = {}
        for doc_id, ann in built:
            by_doc.setdefault(doc_id, []).append(ann)
        linked = {doc_id for doc_id, _ in self._links}
        for doc_id, anns in by_doc.items():
            spans = tuple((f.start, f.end) for a in anns for f in a.fragments)
            ids = () if doc_id in linked else tuple(a.id for a in anns)
            project.notify(Change(doc_id, self.layer, spans, ann_ids=ids))


__all__ = ["SUGGESTED_BY", "SUGGESTION_REASON", "AddProposals", "Proposal"]
