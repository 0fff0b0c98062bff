"""Correcting a document's text without losing annotations.

Text pulled out of PDFs has broken words, stray headers and missing spaces.
:class:`EditText` replaces ``text[start:end]`` and moves every annotation of
every layer with the edit. An annotation whose own characters changed keeps its
place (its ends snap to the edit) and is flagged ``needs_check`` for a look.
"""

from __future__ import annotations

from bisect import bisect_left

from annotator.errors import OffsetOutOfRange
from annotator.model.commands import Command
from annotator.model.project import (
    Annotation,
    Change,
    DocumentAnnotations,
    Fragment,
    Project,
)


def map_fragment(f: Fragment, start: int, end: int, inserted: int) -> tuple[Fragment | None, bool]:
    """Where fragment ``f`` lands after ``[start, end)`` is replaced by ``inserted`` chars.

    Returns the new fragment (``None`` if it vanished) and whether its own
    characters were touched. Text inserted exactly at a boundary stays outside.
    """
    delta = inserted - (end - start)
    if f.end <= start:  # wholly before; text inserted right after the end stays outside
        return f, False
    if f.start >= end:  # wholly after; text inserted right before the start stays outside
        return Fragment(f.start + delta, f.end + delta), False
    new_start = f.start if f.start < start else start
    new_end = f.end + delta if f.end >= end else start + inserted
    if new_end <= new_start:
        return None, True
    return Fragment(new_start, new_end), True


def shift_annotation(ann: Annotation, start: int, end: int, inserted: int) -> Annotation | None:
    """A moved copy of ``ann``, flagged if touched; ``None`` if nothing of it is left."""
    frags: list[Fragment] = []
    touched_any = False
    for f in ann.fragments:
        nf, touched = map_fragment(f, start, end, inserted)
        touched_any |= touched
        if nf is not None:
            frags.append(nf)
    if not frags:
        return None
    new = ann.copy()
    merged: list[Fragment] = []
    for f in sorted(frags):
        if merged and f.start <= merged[-1].end:
            merged[-1] = Fragment(merged[-1].start, max(f.end, merged[-1].end))
        else:
            merged.append(f)
    new.fragments = tuple(merged)
    if touched_any:
        new.needs_check = True
    return new


#: One replacement of ``text[start:end]`` by a new string, in code points.
Edit = tuple[int, int, str]


def replace_regions(text: str, edits: list[Edit]) -> str:
    """``text`` with each of the disjoint, ascending ``edits`` applied."""
    pieces: list[str] = []
    pos = 0
    for start, end, new in edits:
        pieces += (text[pos:start], new)
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def move_annotations(
    da: DocumentAnnotations, edits: list[Edit]
) -> tuple[DocumentAnnotations, list[str]]:
    """One layer's annotations on a document after the disjoint, ascending ``edits``.

    Each annotation moves exactly as :class:`EditText` commands applied from the
    last edit to the first would move it (one pass, the same
    :func:`shift_annotation`); links lose nothing but the ends that vanished.
    Returns the moved annotations and links, and the ids of the annotations
    nothing was left of. With no edits, ``da`` itself comes back.
    """
    if not edits or not da:
        return da, []
    starts = [s for s, _, _ in edits]
    # before[i]: how far edits 0..i-1 move what lies after them
    before = [0]
    for s, e, new in edits:
        before.append(before[-1] + len(new) - (e - s))
    moved: dict[str, Annotation] = {}
    vanished: list[str] = []
    for ann in da.annotations.values():
        cur: Annotation | None = ann
        delta = 0
        # from the last edit that starts inside or before the annotation, backwards:
        # edits after it leave it alone, edits overlapping it go through
        # shift_annotation, and the first edit wholly before it (and so every
        # earlier one) only moves it
        for k in range(bisect_left(starts, ann.end) - 1, -1, -1):
            start, end, new = edits[k]
            assert cur is not None
            if start >= cur.end:
                continue
            if end <= cur.start:
                delta = before[k + 1]
                break
            cur = shift_annotation(cur, start, end, len(new))
            if cur is None:
                break
        if cur is None:
            vanished.append(ann.id)
            continue
        if delta:
            cur = cur.copy() if cur is ann else cur
            cur.fragments = tuple(Fragment(f.start + delta, f.end + delta) for f in cur.fragments)
        moved[ann.id] = cur
    links = {k: lk for k, lk in da.links.items() if lk.source in moved and lk.target in moved}
    return DocumentAnnotations(annotations=moved, links=links), vanished


class EditText(Command):
    """Replace ``text[start:end]`` with ``replacement`` in one document, moving annotations.

    Undo restores the text and every layer's annotations on that document exactly.
    """

    def __init__(self, doc_id: str, start: int, end: int, replacement: str) -> None:
        self.doc_id = doc_id
        self.start = start
        self.end = end
        self.replacement = replacement
        self.text = "Correct text"
        self._old_text: str | None = None
        self._before: dict[str, DocumentAnnotations] = {}

    def do(self, project: Project) -> None:
        doc = project.document(self.doc_id)
        if not 0 <= self.start <= self.end <= len(doc.text):
            raise OffsetOutOfRange(
                f"cannot edit [{self.start}, {self.end}) in document {self.doc_id!r} "
                f"({len(doc.text)} characters)"
            )
        self._old_text = doc.text
        self._before = {}
        inserted = len(self.replacement)
        for name, layer in project.layers.items():
            da = layer.docs.get(self.doc_id)
            if not da:
                continue
            self._before[name] = da
            new_da = DocumentAnnotations(links=dict(da.links))
            for ann in da.annotations.values():
                moved = shift_annotation(ann, self.start, self.end, inserted)
                if moved is not None:
                    new_da.annotations[ann.id] = moved
            new_da.links = {
                k: lk
                for k, lk in da.links.items()
                if lk.source in new_da.annotations and lk.target in new_da.annotations
            }
            layer.docs[self.doc_id] = new_da
        doc.text = doc.text[: self.start] + self.replacement + doc.text[self.end :]
        project.notify(Change(self.doc_id, text_changed=True))

    def undo(self, project: Project) -> None:
        assert self._old_text is not None
        doc = project.document(self.doc_id)
        doc.text = self._old_text
        for name, da in self._before.items():
            project.layer(name).docs[self.doc_id] = da
        project.notify(Change(self.doc_id, text_changed=True))
