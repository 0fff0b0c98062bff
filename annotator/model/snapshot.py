"""A frozen view of a project that a save can write while the user goes on editing.

Commands never change an :class:`Annotation`, :class:`Fragment` or :class:`Link`
in place: they put a changed copy in the layer's dictionaries (see
:mod:`annotator.model.commands`). So a snapshot only needs its own dictionaries
and its own :class:`Document` and :class:`Layer` objects (whose fields commands
do assign); the annotations and each document's metadata (which no command
changes) are shared.

A snapshot costs what changed since the last one, not what the project holds.
Each release's annotations and links sit in a :class:`TrackedDict`, which keeps
a frozen copy of itself until something changes it, whatever path the change
takes (a command, an import, adjudication, a text correction, a merge). So the
snapshot takes the frozen copy of every release, made anew only for the
releases changed since, and reuses the previous snapshot's per-release and
per-document objects wherever they still hold the same values. Everything a
snapshot holds is frozen or shared only with other snapshots, so a later edit
of the project never reaches it, and a worker thread can serialise it while
edits land in the live project.
"""

from __future__ import annotations

import gc

from annotator.model.project import (
    Document,
    DocumentAnnotations,
    FrozenDict,
    Layer,
    Project,
    TrackedDict,
)


def _frozen(d: dict[str, object]) -> FrozenDict[str, object]:
    if type(d) is TrackedDict:
        return d.frozen()
    if isinstance(d, FrozenDict):
        return d
    return FrozenDict(d)


def snapshot(project: Project) -> Project:
    """A copy of ``project`` that later edits of ``project`` do not reach.

    Treat it as read-only: its dictionaries refuse changes, and its documents
    and per-release objects may be shared with the previous snapshot.
    """
    # Tens of thousands of small objects would set off full collections of a heap
    # of millions (the annotations): seconds on a large project, for no garbage.
    paused = gc.isenabled()
    gc.disable()
    try:
        previous = project.last_snapshot
        old_docs = previous.documents if previous is not None else {}
        documents: dict[str, Document] = {}
        for doc_id, doc in project.documents.items():
            old = old_docs.get(doc_id)
            if (
                old is None
                or old.text is not doc.text
                or old.meta is not doc.meta
                or old.review_status != doc.review_status
                or old.status != doc.status
            ):
                old = Document(
                    doc.id, doc.text, doc.meta, FrozenDict(doc.status), doc.review_status
                )
            documents[doc_id] = old
        layers: dict[str, Layer] = {}
        old_layers = previous.layers if previous is not None else {}
        for name, layer in project.layers.items():
            old_layer = old_layers.get(name)
            old_das = old_layer.docs if old_layer is not None else {}
            docs: dict[str, DocumentAnnotations] = {}
            for doc_id, da in layer.docs.items():
                annotations = _frozen(da.annotations)  # type: ignore[arg-type]
                links = _frozen(da.links)  # type: ignore[arg-type]
                kept = old_das.get(doc_id)
                if kept is None or kept.annotations is not annotations or kept.links is not links:
                    kept = DocumentAnnotations(annotations, links)  # type: ignore[arg-type]
                docs[doc_id] = kept
            layers[name] = Layer(name=layer.name, kind=layer.kind, docs=docs, counter=layer.counter)
    finally:
        if paused:
            gc.enable()
    frozen = Project(
        name=project.name,
        tagset=project.tagset,
        documents=documents,
        layers=layers,
        tagset_log=project.tagset_log,  # a tuple of frozen entries: shared as it is
    )
    project.last_snapshot = frozen
    return frozen


def forget_snapshots(project: Project) -> None:
    """Drop every frozen copy kept for the next snapshot, which is then made from nothing
    (to measure or test the first save of a session)."""
    project.last_snapshot = None
    for layer in project.layers.values():
        for da in layer.docs.values():
            for d in (da.annotations, da.links):
                if type(d) is TrackedDict:
                    d.forget()


__all__ = ["forget_snapshots", "snapshot"]
