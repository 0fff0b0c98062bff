"""The undoable steps an import is made of, besides adding documents.

:class:`PlaceAnnotations` puts whole annotation and link objects (every field
the file gave them: authors, times, notes, link attributes) into one layer;
:class:`ReplaceTagSet` swaps the tag set for one that also holds the source's
types. The import planner checks everything before it builds them, so ``do``
only re-checks that the ids it was given are still free.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from annotator.errors import DuplicateId
from annotator.model.commands import Command, touched
from annotator.model.project import Annotation, Change, Link, Project
from annotator.model.tagset import TagSet


class PlaceAnnotations(Command):
    """Add annotations and links to ``layer`` on several documents; undo removes them.

    ``placed`` maps a document id to (annotations, links) with final ids.
    ``counter`` is the layer's id counter after the placement (so ``next_id``
    never hands out an id the import used); undo restores the old one. The layer
    is created if missing and removed again by undo.
    """

    def __init__(
        self,
        layer: str,
        placed: Mapping[str, tuple[Sequence[Annotation], Sequence[Link]]],
        counter: int = 0,
        text: str = "",
    ) -> None:
        self.layer = layer
        self.placed = {d: (list(a), list(lk)) for d, (a, lk) in placed.items()}
        self.counter = counter
        n = sum(len(a) for a, _ in self.placed.values())
        self.text = text or f"Import {n} annotation" + ("" if n == 1 else "s")
        self._created = False
        self._old_counter = 0

    def do(self, project: Project) -> None:
        self._created = self.layer not in project.layers
        layer = project.ensure_layer(self.layer)
        for anns, links in self.placed.values():
            for ident in (*(a.id for a in anns), *(lk.id for lk in links)):
                if layer.id_taken(ident):
                    if self._created:
                        del project.layers[self.layer]
                    raise DuplicateId(f"layer {self.layer!r} already has an id {ident!r}")
        self._old_counter = layer.counter
        layer.counter = max(layer.counter, self.counter)
        for doc_id, (anns, links) in self.placed.items():
            project.document(doc_id)
            da = layer.doc(doc_id)
            for ann in anns:
                da.annotations[ann.id] = ann
                layer.index_id(ann.id, doc_id)
            for link in links:
                da.links[link.id] = link
                layer.index_id(link.id, doc_id)
        for doc_id, (anns, links) in self.placed.items():
            project.notify(touched(project, doc_id, self.layer, anns, links))

    def undo(self, project: Project) -> None:
        layer = project.layer(self.layer)
        for doc_id, (anns, links) in self.placed.items():
            da = layer.doc(doc_id)
            for link in links:
                da.links.pop(link.id, None)
                layer.unindex_id(link.id)
            for ann in anns:
                da.annotations.pop(ann.id, None)
                layer.unindex_id(ann.id)
            if not da:
                del layer.docs[doc_id]
        layer.counter = self._old_counter
        if self._created and not layer.docs:
            del project.layers[self.layer]
        for doc_id, (anns, links) in self.placed.items():
            if doc_id in project.documents:
                project.notify(touched(project, doc_id, self.layer, anns, links))


class ReplaceTagSet(Command):
    """Use ``tagset`` from now on (an import that brings new types); undo puts the old back."""

    def __init__(self, tagset: TagSet, text: str = "Change the tag set") -> None:
        self.tagset = tagset
        self.text = text
        self._old: TagSet | None = None

    def do(self, project: Project) -> None:
        self._old = project.tagset
        project.tagset = self.tagset
        project.notify(Change())

    def undo(self, project: Project) -> None:
        assert self._old is not None
        project.tagset = self._old
        project.notify(Change())


__all__ = ["PlaceAnnotations", "ReplaceTagSet"]
