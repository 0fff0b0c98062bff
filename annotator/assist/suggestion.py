"""What a suggester proposes, and the one protocol every suggester follows.

A :class:`Suggestion` is not an annotation: it lives apart from every layer
(nothing in the project changes while suggestions are computed, listed or
shown) and enters the user's layer only when accepted, through the undoable
:class:`~annotator.model.suggested.AddProposals` command, with provenance
naming its suggester.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from annotator.assist.text import Analysed
from annotator.model.project import Fragment, Spanned
from annotator.model.tagset import AttrValue, TagSet


@dataclass(frozen=True, slots=True)
class SuggestedLink:
    """A link the suggestion would start: ``type`` to the suggestion keyed ``target``."""

    type: str
    target: str


@dataclass(frozen=True, slots=True)
class Suggestion(Spanned):
    """A proposed annotation on one document.

    ``key`` identifies the suggestion within its document (tag and spans), so a
    link can name its other end and a rejection can name its place.
    """

    doc_id: str
    tag: str
    fragments: tuple[Fragment, ...]
    suggester: str
    reason: str
    attributes: Mapping[str, AttrValue] = field(default_factory=dict)
    links: tuple[SuggestedLink, ...] = ()

    @property
    def key(self) -> str:
        return suggestion_key(self.tag, self.fragments)

    def overlaps(self, fragments: Iterable[Fragment]) -> bool:
        return any(a.overlaps(b) for a in self.fragments for b in fragments)


def suggestion_key(tag: str, fragments: Iterable[Fragment]) -> str:
    return tag + ":" + " ".join(f"{f.start}-{f.end}" for f in fragments)


class Evidence(Protocol):
    """What the user has already decided, as the suggesters may consult it."""

    def blocked(self, tag: str, text: str) -> bool:
        """True if the user rejected this string with this tag often enough."""
        ...


class Suggester(Protocol):
    """One source of suggestions. ``name`` is what provenance and the GUI show."""

    name: str
    label: str

    def suggest(
        self, document: Analysed, tagset: TagSet, evidence: Evidence
    ) -> Iterable[Suggestion]: ...


def find_tag(tagset: TagSet, *names: str) -> str | None:
    """The tag set's tag called (or labelled) one of ``names``, ignoring case; else None."""
    wanted = {n.casefold() for n in names}
    for tag in tagset.tags:
        if tag.name.casefold() in wanted or tag.label.casefold() in wanted:
            return tag.name
    return None


def fit_attributes(
    tagset: TagSet, tag: str, attributes: Mapping[str, Iterable[str]]
) -> dict[str, AttrValue]:
    """Only the attributes and values the tag set defines for ``tag``, in its form.

    A lexicon or rule may name a value a project's own tag set lacks; the
    suggestion then simply does not set it.
    """
    out: dict[str, AttrValue] = {}
    if not tagset.has_tag(tag):
        return out
    defs = {a.name: a for a in tagset.tag(tag).attributes}
    for name, values in attributes.items():
        attr = defs.get(name)
        if attr is None:
            continue
        kept = [v for v in dict.fromkeys(values) if not attr.closed or v in attr.values]
        if not kept:
            continue
        out[name] = tuple(sorted(kept)) if attr.multiple else kept[0]
    return out
