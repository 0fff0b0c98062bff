"""Shared steps of every importer: find or add the document, add annotations and links.

Importers parse their format into plain :class:`Annotation` and :class:`Link`
objects; these helpers put them into a layer the same way for every format:
what the project's tag set cannot hold is dropped and reported (one sentence
each), never silently lost and never a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from annotator.errors import AnnotatorError, InterchangeError
from annotator.model import (
    Annotation,
    Document,
    DocumentAnnotations,
    DocumentMeta,
    Link,
    Project,
    normalise_fragments,
)
from annotator.numbers import number_key


def ensure_document(
    project: Project,
    doc_id: str,
    text: str,
    meta: DocumentMeta | None = None,
    *,
    source: str = "",
) -> str:
    """The id of the project's document with this text, adding the document if new.

    A document with the same id but another text is an error: the annotations'
    offsets would point at the wrong words.
    """
    existing = project.documents.get(doc_id)
    if existing is not None:
        if existing.text != text:
            raise InterchangeError(
                f"document {doc_id!r} in the project has a different text from the one in "
                "the file; offsets would not fit",
                path=source or None,
            )
        return doc_id
    doc = Document(id=doc_id or project.new_document_id(), text=text, meta=meta or DocumentMeta())
    project.add_document(doc)
    return doc.id


def add_annotations(
    project: Project,
    layer_name: str,
    doc_id: str,
    annotations: Iterable[Annotation],
    links: Iterable[Link],
    notes: list[str],
    *,
    where: str = "",
) -> dict[str, str]:
    """Add to ``layer_name`` what fits the tag set; returns {file id: layer id}.

    Ids already taken in the layer get fresh ones (reported); links are remapped.
    """
    layer = project.ensure_layer(layer_name)
    da = layer.doc(doc_id)
    prefix = f"{where}: " if where else ""
    ids: dict[str, str] = {}
    for ann in annotations:
        if not project.tagset.has_tag(ann.tag):
            notes.append(f"{prefix}annotation {ann.id} has tag {ann.tag!r}, unknown here; skipped")
            continue
        ann.fragments = normalise_fragments(ann.fragments)
        tt = project.tagset.tag(ann.tag)
        kept = {}
        for name, value in ann.attributes.items():
            try:
                kept[name] = tt.attribute(name).normalise(ann.tag, value)
            except AnnotatorError as err:
                notes.append(f"{prefix}annotation {ann.id}: {err}; attribute dropped")
        ann.attributes = kept
        try:
            project.check_fragments(doc_id, ann.fragments)
        except AnnotatorError as err:
            notes.append(f"{prefix}annotation {ann.id}: {err}; skipped")
            continue
        new_id = ann.id
        if not new_id or layer._id_taken(new_id):
            new_id = layer.next_id("a")
            if ann.id:
                notes.append(
                    f"{prefix}annotation id {ann.id} is taken in layer "
                    f"{layer_name!r}; renamed {new_id}"
                )
        ids[ann.id] = new_id
        ann.id = new_id
        da.annotations[new_id] = ann
    for lk in links:
        src, tgt = ids.get(lk.source), ids.get(lk.target)
        if src is None or tgt is None:
            notes.append(
                f"{prefix}link {lk.id} ({lk.type}) points to an annotation that was "
                "not imported; skipped"
            )
            continue
        link_id = lk.id
        if not link_id or layer._id_taken(link_id):
            link_id = layer.next_id("r")
        new = Link(link_id, lk.type, src, tgt)
        try:
            project.check_link(layer_name, doc_id, new)
        except AnnotatorError as err:
            notes.append(f"{prefix}link {lk.id}: {err}; skipped")
            continue
        da.links[link_id] = new
    _bump_counter(project, layer_name)
    return ids


def _bump_counter(project: Project, layer_name: str) -> None:
    """Keep ``next_id`` from handing out a number an imported id already uses."""
    layer = project.layer(layer_name)
    highest = layer.counter
    for da in layer.docs.values():
        for key in (*da.annotations, *da.links):
            digits = key.lstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
            if digits.isdecimal():
                highest = max(highest, number_key(digits))
    layer.counter = highest


def all_or_nothing(project: Project, layer_name: str, read: Callable[[], list[str]]) -> list[str]:
    """Run an importer's ``read``; if it raises, undo every document and annotation it added,
    so a file that fails half-way leaves the project exactly as it was."""
    docs_before = dict(project.documents)
    layer = project.layers.get(layer_name)
    snapshot = None
    if layer is not None:
        snapshot = (
            {k: (dict(v.annotations), dict(v.links)) for k, v in layer.docs.items()},
            layer.counter,
        )
    try:
        return read()
    except BaseException:
        project.documents.clear()
        project.documents.update(docs_before)
        if snapshot is None or layer is None:
            project.layers.pop(layer_name, None)
        else:
            docs, counter = snapshot
            layer.docs = {
                k: DocumentAnnotations(annotations=a, links=lk) for k, (a, lk) in docs.items()
            }
            layer.counter = counter
        raise
