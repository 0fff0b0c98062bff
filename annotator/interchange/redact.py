"""Redaction for safe sharing: a copy of the project with chosen tags' text replaced.

Every annotation (of any layer) whose tag is to be redacted has its covered
text replaced by a placeholder made of the tag's label and a number, e.g.
``[Victim 1]``. The number is stable within a release: the same person (the
same covered text, compared case-insensitively with white space collapsed)
keeps the same number. Then, so the name appears nowhere in the output, every
other occurrence of a redacted string (whole words, case-insensitive, strings
of at least 3 characters) is replaced too: in the release's text (unannotated
mentions), its metadata (headline, dateline, ...), notes, comments and
free-text attribute values. Partial mentions (a surname alone after the full
name was redacted) are not found: redact them by annotating them.

Offsets stay consistent because the copy is edited with the core
:func:`~annotator.model.text_edit.shift_annotation`, which moves every
annotation of every layer exactly as the :class:`EditText` text-correction
command would (a test checks the two agree). Annotations
touched by an edit are flagged ``needs_check`` in the copy only; the original
project is never changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from annotator.model import (
    Annotation,
    Document,
    DocumentAnnotations,
    Fragment,
    Layer,
    Project,
    TagType,
)
from annotator.model.text_edit import shift_annotation


def normalise(s: str) -> str:
    return " ".join(s.split()).lower()


def _copy_project(project: Project, doc_ids: Sequence[str]) -> Project:
    """A copy to redact: documents and annotation maps are new, annotation objects shared
    (every document that gets redacted receives freshly shifted copies)."""
    copy = Project(name=project.name, tagset=project.tagset)
    for doc_id in doc_ids:
        d = project.documents[doc_id]
        meta = replace(d.meta, extra=dict(d.meta.extra))
        copy.add_document(
            Document(
                id=d.id,
                text=d.text,
                meta=meta,
                status=dict(d.status),
                review_status=d.review_status,
            )
        )
    for name, layer in project.layers.items():
        new = Layer(name=name, kind=layer.kind, counter=layer.counter)
        for doc_id in doc_ids:
            da = layer.docs.get(doc_id)
            if da is not None:
                new.docs[doc_id] = DocumentAnnotations(
                    annotations=dict(da.annotations), links=dict(da.links)
                )
        copy.layers[name] = new
    return copy


def apply_replacements(project: Project, doc_id: str, edits: list[tuple[int, int, str]]) -> None:
    """Replace disjoint ``(start, end, text)`` regions of one document, moving every
    annotation of every layer exactly as the same :class:`EditText` commands applied from the
    last region to the first would (one pass, same :func:`shift_annotation`)."""
    doc = project.documents[doc_id]
    ordered = sorted(edits, reverse=True)
    pieces: list[str] = []
    pos = len(doc.text)
    for start, end, new in ordered:
        pieces.append(doc.text[end:pos])
        pieces.append(new)
        pos = start
    pieces.append(doc.text[:pos])
    for layer in project.layers.values():
        da = layer.docs.get(doc_id)
        if not da:
            continue
        moved: dict[str, Annotation] = {}
        for ann in da.annotations.values():
            cur: Annotation | None = ann
            delta = 0
            for start, end, new in ordered:
                if cur is None:
                    break
                if start >= cur.end:
                    continue  # after the annotation: shift_annotation leaves it alone
                if end <= cur.start:  # before it: shift_annotation only moves it
                    delta += len(new) - (end - start)
                    continue
                cur = shift_annotation(cur, start, end, len(new))
            if cur is not None:
                cur = cur.copy() if cur is ann else cur
                if delta:
                    cur.fragments = tuple(
                        Fragment(f.start + delta, f.end + delta) for f in cur.fragments
                    )
                moved[ann.id] = cur
        links = {k: lk for k, lk in da.links.items() if lk.source in moved and lk.target in moved}
        layer.docs[doc_id] = DocumentAnnotations(annotations=moved, links=links)
    doc.text = "".join(reversed(pieces))


def _placeholders(project: Project, doc_id: str, tags: set[str]) -> list[tuple[int, int, str, str]]:
    """(start, end, placeholder, original text) for every redacted fragment, in text order."""
    text = project.documents[doc_id].text
    anns: list[Annotation] = []
    for layer in project.layers.values():
        da = layer.docs.get(doc_id)
        if da:
            anns.extend(a for a in da.annotations.values() if a.tag in tags)
    anns.sort(key=lambda a: (a.start, -a.end, a.tag, a.id))
    numbers: dict[tuple[str, str], int] = {}
    counters: dict[str, int] = {}
    regions: list[tuple[int, int, str, str]] = []
    for ann in anns:
        key = (ann.tag, normalise(ann.covered_text(text, " ")))
        if key not in numbers:
            counters[ann.tag] = counters.get(ann.tag, 0) + 1
            numbers[key] = counters[ann.tag]
        label = project.tagset.tag(ann.tag).label or ann.tag
        ph = f"[{label} {numbers[key]}]"
        for f in ann.fragments:
            regions.append((f.start, f.end, ph, text[f.start : f.end]))
    return regions


def _merge(regions: Iterable[tuple[int, int, str, str]]) -> list[tuple[int, int, str]]:
    """Overlapping regions become one, keeping the placeholder of the one that starts first
    (the outer one when nested)."""
    merged: list[tuple[int, int, str]] = []
    for s, e, ph, _ in sorted(regions, key=lambda r: (r[0], -r[1])):
        if merged and s < merged[-1][1]:
            ms, me, mph = merged[-1]
            merged[-1] = (ms, max(me, e), mph)
        else:
            merged.append((s, e, ph))
    return merged


@lru_cache(maxsize=8192)
def _mention_pattern(string: str, flags: int = 0) -> re.Pattern[str]:
    """A regex for mentions of one (lower-case) redacted string, any white space between
    its words, ending at a word boundary (the start is checked by find_mentions).
    Cached per string: the same names recur across releases, and compiling one
    alternation per release cost more than the rest of the redaction."""
    body = r"\s+".join(re.escape(w) for w in string.split())
    post = r"(?!\w)" if string[-1].isalnum() else ""
    return re.compile(f"{body}{post}", flags)


def find_mentions(text: str, strings: dict[str, str]) -> list[tuple[int, int, str]]:
    """(start, end, placeholder) of every mention of a redacted string, case-insensitive.
    Mentions may overlap (a short name inside a longer one); the caller merges them."""
    if not strings or not text:
        return []
    low = text.lower()
    same = len(low) == len(text)  # nearly always: search the lower-cased copy, same offsets
    found: list[tuple[int, int, str]] = []
    for key, ph in strings.items():
        if same:
            if key.split()[0] not in low:
                continue
            matches = _mention_pattern(key).finditer(low)
        else:
            matches = _mention_pattern(key, re.IGNORECASE).finditer(text)
        # the word boundary before a match is checked here, not in the regex: a leading
        # look-behind would stop the regex engine from scanning for the literal prefix
        found += [
            (m.start(), m.end(), ph)
            for m in matches
            if m.start() == 0 or not _word_char(text[m.start() - 1]) or not _word_char(key[0])
        ]
    return sorted(found, key=lambda r: (r[0], -r[1]))


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def replace_mentions(s: str, strings: dict[str, str]) -> str:
    if not s:
        return s
    out = []
    pos = 0
    for start, end, ph in _merge((a, b, p, "") for a, b, p in find_mentions(s, strings)):
        out.append(s[pos:start])
        out.append(ph)
        pos = end
    out.append(s[pos:])
    return "".join(out)


def redact_project(project: Project, tags: Sequence[str], doc_ids: Sequence[str]) -> Project:
    """A redacted copy holding ``doc_ids`` (see the module docstring)."""
    copy = _copy_project(project, doc_ids)
    tagset = set(tags)
    for doc_id in doc_ids:
        regions = _placeholders(copy, doc_id, tagset)
        if not regions:
            continue
        strings: dict[str, str] = {}
        for _, _, ph, original in regions:
            key = normalise(original)
            if len(key) >= 3:
                strings.setdefault(key, ph)
        text = copy.documents[doc_id].text
        spans = [(s, e, ph) for s, e, ph, _ in regions]
        spans += find_mentions(text, strings)
        apply_replacements(copy, doc_id, _merge((s, e, ph, "") for s, e, ph in spans))
        if strings:
            _scrub_strings(copy, doc_id, strings)
    return copy


def _scrub_strings(project: Project, doc_id: str, strings: dict[str, str]) -> None:
    def sub(s: str) -> str:
        return replace_mentions(s, strings)

    doc = project.documents[doc_id]
    m = doc.meta
    for f in ("headline", "dateline", "source_name"):
        setattr(m, f, sub(getattr(m, f)))
    m.extra = {k: sub(v) for k, v in m.extra.items()}
    if m.source_sha256:
        m.source_sha256 = ""  # a hash of the unredacted source would allow guessing it
    for layer in project.layers.values():
        da = layer.docs.get(doc_id)
        if not da:
            continue
        for ann in da.annotations.values():
            ann.note = sub(ann.note)
            tt = project.tagset.tag(ann.tag)
            ann.attributes = {
                k: (sub(v) if isinstance(v, str) and not _closed(tt, k) else v)
                for k, v in ann.attributes.items()
            }
            ann.comments = [type(c)(c.author, c.at, sub(c.text)) for c in ann.comments]


def _closed(tt: TagType, name: str) -> bool:
    return any(a.name == name and a.closed for a in tt.attributes)
