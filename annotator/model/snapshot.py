"""A frozen view of a project that a save can write while the user goes on editing.

Commands never change an :class:`Annotation`, :class:`Fragment` or :class:`Link`
in place: they put a changed copy in the layer's dictionaries (see
:mod:`annotator.model.commands`). So a snapshot only needs its own dictionaries
and its own :class:`Document` and :class:`Layer` objects (whose fields commands
do assign); the annotations and each document's metadata (which no command
changes) are shared. That makes a snapshot of
200,000 annotations a matter of copying dictionaries, not objects, and a worker
thread can serialise it while edits land in the live project.
"""

from __future__ import annotations

import gc

from annotator.model.project import Document, DocumentAnnotations, Layer, Project


def snapshot(project: Project) -> Project:
    """A copy of ``project`` that later edits of ``project`` do not reach."""
    # Tens of thousands of small objects would set off full collections of a heap
    # of millions (the annotations): seconds on a large project, for no garbage.
    paused = gc.isenabled()
    gc.disable()
    try:
        documents = {
            doc_id: Document(doc.id, doc.text, doc.meta, dict(doc.status), doc.review_status)
            for doc_id, doc in project.documents.items()
        }
        layers = {
            name: Layer(
                name=layer.name,
                kind=layer.kind,
                docs={
                    doc_id: DocumentAnnotations(da.annotations.copy(), da.links.copy())
                    for doc_id, da in layer.docs.items()
                },
                counter=layer.counter,
            )
            for name, layer in project.layers.items()
        }
    finally:
        if paused:
            gc.enable()
    return Project(name=project.name, tagset=project.tagset, documents=documents, layers=layers)


__all__ = ["snapshot"]
