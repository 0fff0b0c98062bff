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
:class:`~annotator.model.text_edit.EditText` command, which moves every
annotation of every layer exactly like a text correction does. Annotations
touched by an edit are flagged ``needs_check`` in the copy only; the original
project is never changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from annotator.model import (
    Annotation,
    Document,
    DocumentAnnotations,
    DocumentMeta,
    EditText,
    Layer,
    Project,
    TagType,
)


def normalise(s: str) -> str:
    return " ".join(s.split()).casefold()


def _copy_project(project: Project, doc_ids: Sequence[str]) -> Project:
    copy = Project(name=project.name, tagset=project.tagset)
    for doc_id in doc_ids:
        d = project.documents[doc_id]
        meta = DocumentMeta(
            **{
                k: getattr(d.meta, k)
                for k in (
                    "headline",
                    "country",
                    "dateline",
                    "date",
                    "ai_index",
                    "source_name",
                    "source_sha256",
                )
            },
            extra=dict(d.meta.extra),
        )
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
                    annotations={k: a.copy() for k, a in da.annotations.items()},
                    links=dict(da.links),
                )
        copy.layers[name] = new
    return copy


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


def _mention_pattern(strings: dict[str, str]) -> re.Pattern[str] | None:
    """A regex for other mentions of redacted strings (longest first, whole words)."""
    parts = []
    for s in sorted(strings, key=len, reverse=True):
        body = r"\s+".join(re.escape(w) for w in s.split())
        if not body:
            continue
        pre = r"(?<!\w)" if s[0].isalnum() else ""
        post = r"(?!\w)" if s[-1].isalnum() else ""
        parts.append(f"{pre}{body}{post}")
    if not parts:
        return None
    return re.compile("|".join(parts), re.IGNORECASE)


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
        pattern = _mention_pattern(strings)
        text = copy.documents[doc_id].text
        spans = [(s, e, ph) for s, e, ph, _ in regions]
        if pattern is not None:
            for m in pattern.finditer(text):
                spans.append((m.start(), m.end(), strings[normalise(m.group())]))
        for s, e, ph in reversed(_merge((s, e, ph, "") for s, e, ph in spans)):
            EditText(doc_id, s, e, ph).do(copy)
        if pattern is not None:
            _scrub_strings(copy, doc_id, pattern, strings)
    return copy


def _scrub_strings(
    project: Project, doc_id: str, pattern: re.Pattern[str], strings: dict[str, str]
) -> None:
    def sub(s: str) -> str:
        return pattern.sub(lambda m: strings[normalise(m.group())], s) if s else s

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
