"""A frozen view of a project that a save can write while the user goes on editing.

Commands never change an :class:`Annotation`, :class:`Fragment` or :class:`Link`
in place: they put a changed copy in the layer's dictionaries (see
:mod:`annotator.model.commands`). So a snapshot only needs its own dictionaries
and its own :class:`Document` and :class:`Layer` objects (whose fields commands
do assign); the annotations themselves are shared. That makes a snapshot of
200,000 annotations a matter of copying dictionaries, not objects, and a worker
thread can serialise it while edits land in the live project.
"""

from __future__ import annotations

from annotator.model.project import Document, DocumentAnnotations, Layer, Project


def snapshot(project: Project) -> Project:
    """A copy of ``project`` that later edits of ``project`` do not reach."""
    documents = {
        doc_id: Document(
            id=doc.id,
            text=doc.text,
            meta=doc.meta.copy(),
            status=dict(doc.status),
            review_status=doc.review_status,
        )
        for doc_id, doc in project.documents.items()
    }
    layers = {
        name: Layer(
            name=layer.name,
            kind=layer.kind,
            docs={
                doc_id: DocumentAnnotations(dict(da.annotations), dict(da.links))
                for doc_id, da in layer.docs.items()
            },
            counter=layer.counter,
        )
        for name, layer in project.layers.items()
    }
    return Project(name=project.name, tagset=project.tagset, documents=documents, layers=layers)


__all__ = ["snapshot"]
