"""The three-way merge of project *files*, reading only what changed.

A merge driver is handed three versions of a file that mostly agree: of a
10,000-release project, two colleagues each changed a few hundred releases.
Building all three models costs three full reads, and the merge itself would
walk 30,000 releases to find the few that differ. Instead, each file is cut
into per-release slices (:mod:`annotator.formats.project_slices`, a scan of
its lines), the releases either side holds otherwise than the base are found by
comparing bytes, and only those are read, as three small project files through
the normal, validating reader, and merged (:func:`merge_three_way`). Ours is
read whole once, since the result is ours with those releases replaced; the
others are shared, not copied. The result equals the merge of the three whole
projects (a test holds the two to the same bytes).

Files not shaped as the writer writes them (hand-edited, another version, a
tag set that differs between the versions, a file both sides added) take the
whole path: three full reads and the merge of the three projects.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from annotator.errors import AnnotatorError
from annotator.formats.project_slices import changed_by, slice_file
from annotator.formats.project_xml import project_from_bytes
from annotator.formats.xmltext import attr_value
from annotator.model import Document, Layer, Project
from annotator.review.three_way import ThreeWayReport, empty_base, merge_three_way


@dataclass
class FileMerge:
    """The merged project, what happened, and the hash of the ours that was read."""

    project: Project
    report: ThreeWayReport
    ours_sha256: str
    releases_read: int  # how many releases were read from each side (all on the whole path)


def merge_project_files(base: Path | None, ours: Path, theirs: Path) -> FileMerge:
    """Merge the files ``base`` (None: both sides added the file), ``ours`` and ``theirs``.

    Raises the reader's error (naming the file and line) for a file that is not
    a valid project.
    """
    ours_data = ours.read_bytes()
    sha = hashlib.sha256(ours_data).hexdigest()
    theirs_data = theirs.read_bytes()
    base_data = base.read_bytes() if base is not None else None
    if base is not None and base_data is not None:
        fast = _merge_changed(base_data, ours_data, theirs_data, (base, ours, theirs))
        if fast is not None:
            return FileMerge(fast[0], fast[1], sha, fast[2])
    their_project = project_from_bytes(theirs_data, source=str(theirs))
    our_project = project_from_bytes(ours_data, source=str(ours))
    if base is None or base_data is None:
        base_project = empty_base(our_project)
    else:
        base_project = project_from_bytes(base_data, source=str(base))
    merged, report = merge_three_way(base_project, our_project, their_project)
    return FileMerge(merged, report, sha, len(merged.documents))


def _merge_changed(
    base: bytes, ours: bytes, theirs: bytes, paths: tuple[Path, Path, Path]
) -> tuple[Project, ThreeWayReport, int] | None:
    """The merge reading only the releases a side changed; None to take the whole path."""
    cut = [slice_file(data) for data in (base, ours, theirs)]
    if any(s is None for s in cut):
        return None
    b, o, t = (s for s in cut if s is not None)
    if not b.tagset == o.tagset == t.tagset:
        return None  # the tag set reads every annotation's attributes: read them all
    mine, yours = changed_by(b, o), changed_by(b, t)
    if mine is None or yours is None:
        return None
    # Only the releases each side changed are read from the base and from theirs:
    # a release ours left as it was is, in the base, what ours holds (read anyway),
    # and one theirs left is, in theirs, what the base holds.
    base_subset, their_subset = b.subset(mine), t.subset(yours)
    if base_subset is None or their_subset is None:
        return None
    try:
        base_part = project_from_bytes(base_subset, source=str(paths[0]))
        their_part = project_from_bytes(their_subset, source=str(paths[2]))
    except AnnotatorError:
        return None  # the whole path says what is wrong, and where, in the real file
    whole = project_from_bytes(ours, source=str(paths[1]))
    written = {d: _as_written(d) for d in whole.documents}
    _borrow(base_part, whole, {d for d, w in written.items() if w in yours and w not in mine})
    _borrow(their_part, base_part, {d for d in base_part.documents if _as_written(d) not in yours})
    changed = mine | yours
    touched = {*base_part.documents, *their_part.documents}
    touched.update(d for d, w in written.items() if w in changed)
    merged, report = merge_three_way(base_part, _part(whole, touched), their_part, outside=whole)
    _splice(whole, merged, touched, report)
    return whole, report, len(touched)


def _borrow(into: Project, source: Project, doc_ids: set[str]) -> None:
    """Give ``into`` the releases ``doc_ids`` as ``source`` holds them (the two files
    hold them alike), shared, not copied."""
    if not doc_ids:
        return
    for doc_id, doc in source.documents.items():
        if doc_id in doc_ids:
            into.documents[doc_id] = doc
    for name, layer in source.layers.items():
        docs = [(d, da) for d, da in layer.docs.items() if d in doc_ids and da]
        if docs:
            into.ensure_layer(name, layer.kind).docs.update(docs)


def _as_written(doc_id: str) -> bytes:
    return attr_value(doc_id).encode("utf-8")


def _part(whole: Project, doc_ids: set[str]) -> Project:
    """``whole`` with only the releases ``doc_ids``: its layers, sharing what they hold."""
    part = Project(name=whole.name, tagset=whole.tagset)
    part.documents = {d: doc for d, doc in whole.documents.items() if d in doc_ids}
    for name, layer in whole.layers.items():
        docs = {d: da for d, da in layer.docs.items() if d in doc_ids}  # in its order
        part.layers[name] = Layer(name=name, kind=layer.kind, docs=docs, counter=layer.counter)
    return part


def _splice(whole: Project, part: Project, touched: set[str], report: ThreeWayReport) -> None:
    """Put the merged releases ``part`` into ``whole`` (ours), in place of ``touched``.

    The order is the whole merge's: ours' releases where they were (their copy of
    one right after it), then what only theirs or only the base held.
    """
    whole.name = part.name
    docs: dict[str, Document] = {}
    for doc_id, doc in whole.documents.items():
        if doc_id not in touched:
            docs[doc_id] = doc
        elif doc_id in part.documents:
            docs[doc_id] = part.documents[doc_id]
            copy = report.copies.get(doc_id)
            if copy is not None:
                docs[copy] = part.documents[copy]
    for doc_id, doc in part.documents.items():
        docs.setdefault(doc_id, doc)
    whole.documents = docs
    for name in [n for n in whole.layers if n not in part.layers]:
        del whole.layers[name]  # merged away (one side deleted it, the other left it)
    for name, merged in part.layers.items():
        layer = whole.layers.get(name)
        if layer is None:
            layer = whole.layers[name] = Layer(name=name, kind=merged.kind)
        layer.kind, layer.counter = merged.kind, merged.counter
        for doc_id in touched:
            layer.docs.pop(doc_id, None)
        layer.docs.update((d, da) for d, da in merged.docs.items() if da)
        layer.forget_index()


__all__ = ["FileMerge", "merge_project_files"]
