"""Redaction for safe sharing: a copy of the project in which chosen tags' names are gone.

Every annotation (of any layer) whose tag is redacted has its covered text
replaced by a placeholder made of the tag's label and a number, e.g.
``[Victim 1]``. The number is stable within a release: the same person (the
same covered text, compared case-insensitively with white space collapsed)
keeps the same number. Then every *form* of every redacted name (the full form,
its name parts, their possessive, plural and hyphenated forms: see
:mod:`.redact_forms`), from whichever exported release it came, is replaced in
every string the export writes: each release's text, all its metadata (keys and
values), notes, comments, free-text attribute values (single and multi-valued),
links' notes and attribute values, annotations' provenance values,
the project name and the tag set's definitions and examples. ``also`` adds
forms that were never annotated (a nickname); they become ``[Redacted]``.

Document ids (and so every file name derived from them) become ``release-1``,
``release-2``, ... in export order, and the source file name and hash are
dropped: both come from the unredacted source and may name the person.

Offsets stay consistent because the copy is edited with the core
:func:`~annotator.model.text_edit.shift_annotation`, which moves every
annotation of every layer exactly as the :class:`EditText` text-correction
command would (a test checks the two agree). Annotations touched by an edit are
flagged ``needs_check`` in the copy only; the original project is never changed.

What the forms cannot catch (a nickname never annotated, a misspelling) is the
user's to add with ``also``; what the exporters add on their own is caught by
the check of the written files (:mod:`.redact_check`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from annotator.interchange.redact_forms import Forms, merge_spans, vocabulary
from annotator.model import (
    Annotation,
    Comment,
    Document,
    DocumentAnnotations,
    DocumentMeta,
    Layer,
    LayerKind,
    Project,
    ReviewStatus,
    Status,
    TagSet,
    TagType,
)
from annotator.model.text_edit import move_annotations, replace_regions

#: the placeholder of a form given with ``also`` (never annotated, so no tag)
ALSO_PLACEHOLDER = "[Redacted]"
#: neutral document ids: ``release-1``, ``release-2``, ...
NEUTRAL_ID = "release-{}"


def normalise(s: str) -> str:
    return " ".join(s.split()).lower()


@dataclass
class Plan:
    """Who is redacted (people by tag and normalised covered text) and their forms."""

    people: list[tuple[str, str]] = field(default_factory=list)  # (tag, key); -1 = also
    forms: Forms = field(default_factory=Forms)
    labels: dict[str, str] = field(default_factory=dict)  # tag -> label


def plan_redaction(
    project: Project, tags: Iterable[str], doc_ids: Sequence[str], also: Iterable[str] = ()
) -> Plan:
    """The people and forms to redact in ``doc_ids`` (used for writing and for the check)."""
    plan = Plan(forms=Forms(vocabulary=vocabulary(_category_texts(project.tagset))))
    wanted = set(tags)
    for tag in wanted:
        tt = project.tagset.tag(tag)  # unknown tag: UnknownTag, one sentence
        plan.labels[tag] = tt.label or tag
    index: dict[tuple[str, str], int] = {}
    for doc_id in doc_ids:
        text = project.documents[doc_id].text
        for layer in project.layers.values():
            da = layer.docs.get(doc_id)
            for ann in da.annotations.values() if da else ():
                if ann.tag not in wanted:
                    continue
                covered = ann.covered_text(text, " ")
                key = (ann.tag, normalise(covered))
                owner = index.get(key)
                if owner is None:
                    owner = index[key] = len(plan.people)
                    plan.people.append(key)
                plan.forms.add_name(covered, owner)
    for word in also:
        if word.strip():
            key = ("", normalise(word))
            owner = index.get(key)
            if owner is None:
                owner = index[key] = len(plan.people)
                plan.people.append(key)
            plan.forms.add_name(word, owner)
    return plan


def _category_texts(tagset: TagSet) -> Iterable[str]:
    """The tag set's names and labels and the progress states (written into exports as
    structure, never scrubbed)."""
    yield from (*Status, *ReviewStatus, *LayerKind)
    for t in tagset.tags:
        yield from (t.name, t.label)
        for a in t.attributes:
            yield from (a.name, a.label, *a.values, *a.value_labels)
    for lt in tagset.links:
        yield from (lt.name, lt.label)


class _Numbers:
    """Placeholders within one release: the same person keeps one number."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.numbers: dict[int, int] = {}
        self.counters: dict[str, int] = {}
        self.cache: dict[frozenset[int], str] = {}

    def placeholder(self, owners: frozenset[int]) -> str:
        ph = self.cache.get(owners)
        if ph is None:
            ph = self.cache[owners] = self._placeholder(owners)
        return ph

    def _placeholder(self, owners: frozenset[int]) -> str:
        people = sorted(owners)
        tags = {self.plan.people[p][0] for p in people}
        if tags == {""}:
            return ALSO_PLACEHOLDER
        if len(people) > 1:  # a part shared by several people names none of them
            tag = min(t for t in tags if t)
            return f"[{self.plan.labels.get(tag, tag)}]"
        p = people[0]
        tag = self.plan.people[p][0]
        if p not in self.numbers:
            self.counters[tag] = self.counters.get(tag, 0) + 1
            self.numbers[p] = self.counters[tag]
        return f"[{self.plan.labels.get(tag, tag)} {self.numbers[p]}]"


def _unnumbered(plan: Plan, owners: frozenset[int]) -> str:
    tags = sorted({plan.people[p][0] for p in owners} - {""})
    if not tags:
        return ALSO_PLACEHOLDER
    return f"[{plan.labels.get(tags[0], tags[0])}]"


def scrub(s: str, plan: Plan, numbers: _Numbers | None = None) -> str:
    """``s`` with every redacted form replaced (numbered within a release when given)."""
    if not s:
        return s
    spans = plan.forms.find(s)
    if not spans:
        return s
    out = []
    pos = 0
    named = [
        (a, b, numbers.placeholder(o) if numbers else _unnumbered(plan, o)) for a, b, o in spans
    ]
    for start, end, ph in merge_spans(named):
        out.append(s[pos:start])
        out.append(ph)
        pos = end
    out.append(s[pos:])
    return "".join(out)


def _copy_project(project: Project, doc_ids: Sequence[str], plan: Plan | None = None) -> Project:
    """A copy to redact: documents and annotation maps are new, annotation objects shared
    (every document that gets redacted receives freshly shifted copies). With a plan,
    documents get neutral ids and the project name and tag set are scrubbed."""
    if plan is None:
        copy = Project(name=project.name, tagset=project.tagset)
        ids = {d: d for d in doc_ids}
    else:
        copy = Project(name=scrub(project.name, plan), tagset=_scrub_tagset(project.tagset, plan))
        ids = {d: NEUTRAL_ID.format(i) for i, d in enumerate(doc_ids, 1)}
    for doc_id in doc_ids:
        d = project.documents[doc_id]
        meta = replace(d.meta, extra=dict(d.meta.extra))
        copy.add_document(
            Document(
                id=ids[doc_id],
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
                new.docs[ids[doc_id]] = DocumentAnnotations(
                    annotations=dict(da.annotations), links=dict(da.links)
                )
        copy.layers[name] = new
    return copy


def _scrub_tagset(tagset: TagSet, plan: Plan) -> TagSet:
    def sub(s: str) -> str:
        return scrub(s, plan)

    tags = tuple(
        replace(
            t,
            definition=sub(t.definition),
            examples=tuple(sub(e) for e in t.examples),
            attributes=tuple(replace(a, definition=sub(a.definition)) for a in t.attributes),
        )
        for t in tagset.tags
    )
    links = tuple(replace(lt, definition=sub(lt.definition)) for lt in tagset.links)
    return replace(tagset, tags=tags, links=links, description=sub(tagset.description))


def apply_replacements(project: Project, doc_id: str, edits: list[tuple[int, int, str]]) -> None:
    """Replace disjoint ``(start, end, text)`` regions of one document, moving every
    annotation of every layer exactly as the same :class:`EditText` commands applied from the
    last region to the first would (one pass, same :func:`shift_annotation`)."""
    doc = project.documents[doc_id]
    ascending = sorted(edits)
    for layer in project.layers.values():
        da = layer.docs.get(doc_id)
        if da:
            layer.docs[doc_id] = move_annotations(da, ascending)[0]
    doc.text = replace_regions(doc.text, ascending)


def _placeholders(
    project: Project, doc_id: str, plan: Plan, numbers: _Numbers
) -> list[tuple[int, int, str]]:
    """(start, end, placeholder) for every redacted fragment, in text order."""
    text = project.documents[doc_id].text
    wanted = set(plan.labels)
    anns: list[Annotation] = []
    for layer in project.layers.values():
        da = layer.docs.get(doc_id)
        if da:
            anns.extend(a for a in da.annotations.values() if a.tag in wanted)
    anns.sort(key=lambda a: (a.start, -a.end, a.tag, a.id))
    index = {key: i for i, key in enumerate(plan.people)}
    regions: list[tuple[int, int, str]] = []
    for ann in anns:
        owner = index[(ann.tag, normalise(ann.covered_text(text, " ")))]
        ph = numbers.placeholder(frozenset({owner}))
        regions.extend((f.start, f.end, ph) for f in ann.fragments)
    return regions


def redact_project(
    project: Project, tags: Sequence[str], doc_ids: Sequence[str], also: Sequence[str] = ()
) -> Project:
    """A redacted copy holding ``doc_ids`` under neutral ids (see the module docstring)."""
    plan = plan_redaction(project, tags, doc_ids, also)
    copy = _copy_project(project, doc_ids, plan)
    for doc_id in list(copy.documents):
        numbers = _Numbers(plan)
        spans = _placeholders(copy, doc_id, plan, numbers)
        text = copy.documents[doc_id].text
        spans += [(s, e, numbers.placeholder(o)) for s, e, o in plan.forms.find(text)]
        if spans:
            apply_replacements(copy, doc_id, merge_spans(spans))
        _scrub_document(copy, doc_id, plan, numbers)
    return copy


def _scrub_document(project: Project, doc_id: str, plan: Plan, numbers: _Numbers) -> None:
    def sub(s: str) -> str:
        return scrub(s, plan, numbers)

    doc = project.documents[doc_id]
    m = doc.meta
    # the source file's name and hash come from the unredacted source and may name the person
    doc.meta = DocumentMeta(
        headline=sub(m.headline),
        country=sub(m.country),
        dateline=sub(m.dateline),
        date=sub(m.date),
        ai_index=sub(m.ai_index),
        extra={sub(k): sub(v) for k, v in m.extra.items()},
    )
    for layer in project.layers.values():
        da = layer.docs.get(doc_id)
        if not da:
            continue
        for aid, ann in list(da.annotations.items()):
            new = ann.copy()  # annotations untouched by the text edits are still shared
            new.note = sub(ann.note)
            tt = project.tagset.tag(ann.tag) if project.tagset.has_tag(ann.tag) else None
            new.attributes = {
                k: v if tt is not None and _closed(tt, k) else _scrub_value(v, sub)
                for k, v in ann.attributes.items()
            }
            new.comments = [Comment(c.author, c.at, sub(c.text)) for c in ann.comments]
            new.provenance = {k: sub(v) for k, v in ann.provenance.items()}
            da.annotations[aid] = new
        for lid, lk in list(da.links.items()):
            if lk.note or lk.attributes:
                da.links[lid] = replace(
                    lk, note=sub(lk.note), attributes={k: sub(v) for k, v in lk.attributes.items()}
                )


def _scrub_value(value: str | tuple[str, ...], sub: Callable[[str], str]) -> str | tuple[str, ...]:
    if isinstance(value, str):
        return sub(value)
    return tuple(sub(v) for v in value)


def _closed(tt: TagType, name: str) -> bool:
    return any(a.name == name and a.closed for a in tt.attributes)
