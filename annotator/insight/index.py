"""Each release's annotations counted once, and kept until the release changes.

The overview answers many questions over the same project: the panel opens, then
the coordinator narrows it to a country, a status, a few months. Walking 200,000
annotations for every question costs seconds; summing one small table per
release costs a fraction of that. :class:`OverviewIndex` holds those tables
(:class:`ReleaseCounts`), one per (layer, release), and recounts a release only
when its annotations or its text changed: an edit replaces an annotation (they
are never changed in place), which gives the release's annotation dict a new
frozen copy, and a text correction gives the release a new text string. A new
tag set (they are immutable: a change swaps in another) starts the index over.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain
from typing import Generic, TypeVar

from annotator.model import Annotation, Document, Project, TagSet
from annotator.model.project import FrozenDict, TrackedDict
from annotator.progress import Progress as JobProgress

K = TypeVar("K")

#: the value of an annotation whose attribute nobody set (see aggregate.NOT_RECORDED)
UNSET = ""


@dataclass(frozen=True, slots=True)
class ReleaseCounts:
    """One layer's annotations on one release, counted.

    The attribute values and phrases are small integers (the codes of
    :class:`OverviewIndex`), one per annotation: summing a scope is then one
    ``Counter`` over the chained tuples, which runs in C.
    """

    total: int
    #: tag -> annotations
    tags: Mapping[str, int]
    #: the code of (tag, attribute, value) once per annotation with that value (UNSET:
    #: none); an annotation with several values appears once under each
    values: tuple[int, ...]
    #: the code of (tag, phrase case and white space folded), once per annotation
    phrases: tuple[int, ...]
    #: the same codes, each once: the phrases found in this release
    distinct: tuple[int, ...]
    #: the code of (tag, phrase as marked with white space folded), once per annotation
    forms: tuple[int, ...]


EMPTY = ReleaseCounts(0, {}, (), (), (), ())


@dataclass
class Totals:
    """:class:`ReleaseCounts` summed over many releases (the codes stay codes)."""

    total: int = 0
    tags: Counter[str] = field(default_factory=Counter)
    values: Counter[int] = field(default_factory=Counter)
    phrases: Counter[int] = field(default_factory=Counter)
    distinct: Counter[int] = field(default_factory=Counter)
    forms: Counter[int] = field(default_factory=Counter)

    @classmethod
    def of(cls, counts: Iterable[ReleaseCounts]) -> Totals:
        """The sum of ``counts``; the tuples are counted in C (``Counter`` of a chain)."""
        counts = list(counts)
        tags: Counter[str] = Counter()
        for rc in counts:
            for tag, n in rc.tags.items():
                tags[tag] += n
        return cls(
            sum(rc.total for rc in counts),
            tags,
            Counter(chain.from_iterable(rc.values for rc in counts)),
            Counter(chain.from_iterable(rc.phrases for rc in counts)),
            Counter(chain.from_iterable(rc.distinct for rc in counts)),
            Counter(chain.from_iterable(rc.forms for rc in counts)),
        )

    def add(self, rc: ReleaseCounts) -> None:
        self.total += rc.total
        self.tags.update(rc.tags)
        self.values.update(rc.values)
        self.phrases.update(rc.phrases)
        self.distinct.update(rc.distinct)
        self.forms.update(rc.forms)

    def remove(self, rc: ReleaseCounts) -> None:
        self.total -= rc.total
        self.tags.subtract(rc.tags)
        self.values.subtract(rc.values)
        self.phrases.subtract(rc.phrases)
        self.distinct.subtract(rc.distinct)
        self.forms.subtract(rc.forms)

    def minus(self, other: Totals) -> Totals:
        """These totals without ``other``'s (keys left at 0 are dropped)."""
        return Totals(
            self.total - other.total,
            self.tags - other.tags,
            self.values - other.values,
            self.phrases - other.phrases,
            self.distinct - other.distinct,
            self.forms - other.forms,
        )


class Codes(Generic[K]):
    """Small integers for recurring keys, and back."""

    def __init__(self) -> None:
        self.code: dict[K, int] = {}
        self.key: list[K] = []

    def __call__(self, key: K) -> int:
        code = self.code.get(key)
        if code is None:
            code = self.code[key] = len(self.key)
            self.key.append(key)
        return code


def _token(annotations: dict[str, Annotation]) -> object:
    """An object that stays the same exactly as long as the dict does not change."""
    if type(annotations) is TrackedDict:
        return annotations.frozen()
    if isinstance(annotations, FrozenDict):
        return annotations  # a snapshot's own: never changed
    return None  # a plain dict: no way to tell, count it again each time


class OverviewIndex:
    """:class:`ReleaseCounts` per (layer, release) of one project, counted when first asked."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._tagset: TagSet | None = None
        self._attributes: dict[str, tuple[str, ...]] = {}
        self._entries: dict[tuple[str, str], tuple[object, str, ReleaseCounts]] = {}
        #: (tag, attribute, value) <-> code
        self.values: Codes[tuple[str, str, str]] = Codes()
        #: phrases, white space folded (forms) and case folded too (phrases)
        self.forms: Codes[tuple[str, str]] = Codes()
        self.phrases: Codes[tuple[str, str]] = Codes()
        #: (tag, phrase as marked) -> (form code, phrase code): the same words recur
        self._folded: dict[tuple[str, str], tuple[int, int]] = {}
        #: (tag, attribute, stored value) -> value codes: annotations share their values
        self._value_memo: dict[tuple[str, str, object], tuple[int, ...]] = {}
        #: releases counted since the index was made (for tests and benchmarks)
        self.recounted = 0
        #: layer -> (the project's release ids when summed, every release's counts summed),
        #: kept up to date as releases are counted again
        self._totals: dict[str, tuple[list[str], Totals]] = {}

    def _check_tagset(self) -> None:
        tagset = self.project.tagset
        if tagset is not self._tagset:
            self._tagset = tagset
            self._attributes = {t.name: tuple(a.name for a in t.attributes) for t in tagset.tags}
            self._entries.clear()
            self._value_memo.clear()
            self._totals.clear()

    def counts(self, layer: str, doc: Document) -> ReleaseCounts:
        """The counts of ``layer``'s annotations on ``doc``, recounted only if they changed."""
        return self.counts_of(layer, [doc])[0]

    def counts_of(self, layer: str, docs: list[Document]) -> list[ReleaseCounts]:
        """:meth:`counts` of each release in ``docs``, in order."""
        self._check_tagset()
        lay = self.project.layers.get(layer)
        if lay is None:
            return [EMPTY] * len(docs)
        layer_docs = lay.docs
        entries = self._entries
        out = []
        summed = self._totals.get(layer)
        totals = summed[1] if summed is not None else None
        for doc in docs:
            da = layer_docs.get(doc.id)
            key = (layer, doc.id)
            entry = entries.get(key)
            if da is None or not da.annotations:
                if entry is not None:  # its last annotations were deleted
                    del entries[key]
                    if totals is not None:
                        totals.remove(entry[2])
                out.append(EMPTY)
                continue
            token = _token(da.annotations)
            if entry is None or token is None or entry[0] is not token or entry[1] is not doc.text:
                old = entry
                entry = entries[key] = (token, doc.text, self._count(doc.text, da.annotations))
                self.recounted += 1
                if totals is not None:
                    if old is not None:
                        totals.remove(old[2])
                    totals.add(entry[2])
            out.append(entry[2])
        return out

    def warm(self, layer: str, progress: JobProgress | None = None, chunk: int = 250) -> None:
        """Count every release of ``layer`` now, ``chunk`` at a time so that a job can
        report and stop between two (the first look at a large project). Run it on a
        snapshot off the UI thread, then hand the index to the live project with
        :meth:`follow`: what did not change since is not counted again."""
        docs = list(self.project.documents.values())
        if progress is not None:
            progress.phase("Counting releases", len(docs), "release")
        for start in range(0, len(docs), chunk):
            part = docs[start : start + chunk]
            self.counts_of(layer, part)
            if progress is not None:
                progress.advance(len(part))
        self.totals(layer, docs)  # the whole layer's sum, from what was just counted
        if progress is not None:
            progress.finish()

    def follow(self, project: Project) -> None:
        """Answer for ``project`` from now on (the live project a snapshot was taken of).
        A release is recounted when its annotations or text are other objects than
        the ones counted, so edits made meanwhile are counted, and nothing else."""
        self.project = project

    def totals(self, layer: str, docs: list[Document]) -> Totals:
        """The counts of ``docs`` summed. When they are most of the project, the sum of
        every release (kept, and brought up to date release by release) less the
        releases left out: "all releases" again after an edit costs one release.
        The result may be the index's own: read it, never change it."""
        counts = self.counts_of(layer, docs)
        everything = self.project.documents
        if len(docs) * 2 <= len(everything):
            return Totals.of(counts)
        ids = list(everything)
        summed = self._totals.get(layer)
        if summed is None or summed[0] != ids:
            # first use, or releases were added or removed: sum them all once
            whole = Totals.of(self.counts_of(layer, list(everything.values())))
            self._totals[layer] = (ids, whole)
        else:
            whole = summed[1]
            self.counts_of(layer, list(everything.values()))  # brings ``whole`` up to date
        if len(docs) == len(everything):
            return whole
        inside = {doc.id for doc in docs}
        left_out = [doc for doc in everything.values() if doc.id not in inside]
        return whole.minus(Totals.of(self.counts_of(layer, left_out)))

    def _value_codes(self, tag: str, name: str, value: object) -> tuple[int, ...]:
        if value is None or isinstance(value, str):
            return (self.values((tag, name, value or UNSET)),)
        got = sorted(set(value)) if isinstance(value, (list, tuple, set, frozenset)) else ()
        return tuple(self.values((tag, name, v)) for v in got or [UNSET])

    def _phrase_codes(self, tag: str, raw: str) -> tuple[int, int]:
        shown = " ".join(raw.split())
        if not shown:
            return (-1, -1)
        return (self.forms((tag, shown)), self.phrases((tag, shown.casefold())))

    def _count(self, text: str, annotations: dict[str, Annotation]) -> ReleaseCounts:
        # the inner loop of the overview: every lookup that recurs is memoised
        tags: dict[str, int] = {}
        values: list[int] = []
        phrases: list[int] = []
        forms: list[int] = []
        declared = self._attributes
        value_memo = self._value_memo
        phrase_memo = self._folded
        for ann in annotations.values():
            tag = ann.tag
            tags[tag] = tags.get(tag, 0) + 1
            attrs = ann.attributes
            for name in declared.get(tag, ()):
                value = attrs.get(name)
                try:
                    codes = value_memo.get((tag, name, value))
                except TypeError:  # a list of values: unhashable, so not memoised
                    codes = self._value_codes(tag, name, value)
                if codes is None:
                    codes = value_memo[(tag, name, value)] = self._value_codes(tag, name, value)
                values += codes
            frags = ann.fragments
            raw = text[frags[0].start : frags[0].end] if len(frags) == 1 else ann.covered_text(text)
            pair = phrase_memo.get((tag, raw))
            if pair is None:
                pair = phrase_memo[(tag, raw)] = self._phrase_codes(tag, raw)
            if pair[0] >= 0:
                forms.append(pair[0])
                phrases.append(pair[1])
        return ReleaseCounts(
            len(annotations),
            tags,
            tuple(values),
            tuple(phrases),
            tuple(set(phrases)),
            tuple(forms),
        )


__all__ = ["EMPTY", "UNSET", "Codes", "OverviewIndex", "ReleaseCounts", "Totals"]
