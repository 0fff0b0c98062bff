"""Adding documents to a project as one undoable step (the import command).

Import builds the documents first and hands this command to the caller, who
runs it through the undo history (``ProjectSession.execute`` in the GUI,
:class:`~annotator.model.commands.History` in the CLI and tests), so an
import can be undone like any other edit.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.errors import DuplicateId
from annotator.model.commands import Command
from annotator.model.project import Change, Document, DocumentAnnotations, Project


class AddDocuments(Command):
    """Append documents in the given order; undo removes them again.

    ``do`` refuses the whole batch (and changes nothing) if an id is already in
    the project or appears twice in the batch. Undo also removes the (empty)
    per-layer entries that views create for a document, and redo restores them,
    so do/undo/redo leaves the project exactly as it was.
    """

    def __init__(self, documents: Sequence[Document], text: str | None = None) -> None:
        self.documents = list(documents)
        n = len(self.documents)
        self.text = text or (f"Import {n} release" + ("" if n == 1 else "s"))
        self._layer_entries: dict[str, dict[str, DocumentAnnotations]] = {}

    @property
    def ids(self) -> list[str]:
        return [doc.id for doc in self.documents]

    def do(self, project: Project) -> None:
        seen: set[str] = set()
        for doc in self.documents:
            if doc.id in project.documents:
                raise DuplicateId(f"the project already has a document {doc.id!r}")
            if doc.id in seen:
                raise DuplicateId(f"document id {doc.id!r} appears twice in one import")
            seen.add(doc.id)
        for doc in self.documents:
            project.documents[doc.id] = doc
        for layer_name, entries in self._layer_entries.items():
            layer = project.layers.get(layer_name)
            if layer is not None:
                layer.docs.update(entries)
        self._layer_entries = {}
        project.notify(Change())

    def undo(self, project: Project) -> None:
        ids = set(self.ids)
        for layer in project.layers.values():
            entries = {
                doc_id: layer.docs.pop(doc_id) for doc_id in list(layer.docs) if doc_id in ids
            }
            if entries:
                self._layer_entries[layer.name] = entries
        for doc in self.documents:
            project.documents.pop(doc.id, None)
        project.notify(Change())


__all__ = ["AddDocuments"]
