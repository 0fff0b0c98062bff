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

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from annotator.model import Annotation, Document, Project, TagSet
from annotator.model.project import FrozenDict, TrackedDict

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

    def _check_tagset(self) -> None:
        tagset = self.project.tagset
        if tagset is not self._tagset:
            self._tagset = tagset
            self._attributes = {t.name: tuple(a.name for a in t.attributes) for t in tagset.tags}
            self._entries.clear()
            self._value_memo.clear()

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
        for doc in docs:
            da = layer_docs.get(doc.id)
            if da is None or not da.annotations:
                out.append(EMPTY)
                continue
            token = _token(da.annotations)
            key = (layer, doc.id)
            entry = entries.get(key)
            if entry is None or token is None or entry[0] is not token or entry[1] is not doc.text:
                entry = entries[key] = (token, doc.text, self._count(doc.text, da.annotations))
                self.recounted += 1
            out.append(entry[2])
        return out

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


__all__ = ["EMPTY", "UNSET", "Codes", "OverviewIndex", "ReleaseCounts"]
