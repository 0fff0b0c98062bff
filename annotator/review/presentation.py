"""How a comparison is put before a reviewer: groups, excerpts and layer names.

Qt-free, so the review dock, the reports and the tests share one wording.

Groups come in the order a reviewer settles them, worst first:

``Conflicts``             the layers say different things about the same words:
                          overlapping spans with different tags, or the same span
                          and tag with different attributes or links;
``Different boundaries``  same tag, the spans start or end elsewhere;
``Different tags``        the same span, tagged differently;
``Missing in a layer``    one layer marked something the other did not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.model import Annotation
from annotator.review.compare import Item, Kind


@dataclass(frozen=True)
class Group:
    title: str
    kinds: tuple[Kind, ...]


GROUPS: tuple[Group, ...] = (
    Group("Conflicts", (Kind.OVERLAP, Kind.DETAILS)),
    Group("Different boundaries", (Kind.BOUNDARY,)),
    Group("Different tags", (Kind.TAG,)),
    Group("Missing in a layer", (Kind.MISSING,)),
)

_GROUP_OF = {kind: group for group in GROUPS for kind in group.kinds}


def group_of(kind: Kind) -> Group | None:
    """The group of a disagreement's class (None for an exact match)."""
    return _GROUP_OF.get(kind)


_RANK = {kind: i for i, group in enumerate(GROUPS) for kind in group.kinds}


def group_rank(kind: Kind) -> int:
    """Position of a class's group in :data:`GROUPS` (agreements come after all)."""
    return _RANK.get(kind, len(GROUPS))


def grouped(items: Iterable[Item]) -> list[tuple[Group, list[Item]]]:
    """Disagreements by group, in :data:`GROUPS` order, each in reading order.

    Groups without items are left out; exact matches belong to none.
    """
    buckets: dict[Group, list[Item]] = {g: [] for g in GROUPS}
    for item in items:
        group = _GROUP_OF.get(item.kind)
        if group is not None:
            buckets[group].append(item)
    return [(g, buckets[g]) for g in GROUPS if buckets[g]]


def group_counts(items: Iterable[Item]) -> dict[str, int]:
    """Number of disagreements per group title (every group, zero included)."""
    out = {g.title: 0 for g in GROUPS}
    for item in items:
        group = _GROUP_OF.get(item.kind)
        if group is not None:
            out[group.title] += 1
    return out


_SPACE = re.compile(r"\s+")
_WORD_BEFORE = re.compile(r"\S+\s*")
_WORD_AFTER = re.compile(r"\s*\S+")


def _flat(text: str) -> str:
    return _SPACE.sub(" ", text)


@dataclass(frozen=True)
class Excerpt:
    """The words of a span with a few words either side, on one line."""

    before: str
    span: str
    after: str

    def plain(self) -> str:
        return f"{self.before}{self.span}{self.after}"


def excerpt(
    text: str, start: int, end: int, words: int = 4, max_span: int = 80, reach: int = 200
) -> Excerpt:
    """``text[start:end]`` with up to ``words`` words of context either side.

    White space (line breaks included) becomes one space; a cut is marked with
    "…"; a span longer than ``max_span`` characters keeps its head and tail.
    Offsets are code points, as everywhere in the model.
    """
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    left = text[max(0, start - reach) : start]
    right = text[end : end + reach]
    before = "".join(_WORD_BEFORE.findall(left)[-words:]) if words else ""
    if left[: len(left) - len(before)].strip() or start - len(left) > 0:
        before = "…" + before
    after = "".join(_WORD_AFTER.findall(right)[:words]) if words else ""
    if right[len(after) :].strip() or end + len(right) < len(text):
        after += "…"
    body = _flat(text[start:end])
    if len(body) > max_span:
        half = max_span // 2
        body = body[:half].rstrip() + " … " + body[-half:].lstrip()
    return Excerpt(_flat(before), body, _flat(after))


def annotation_excerpt(text: str, ann: Annotation, words: int = 4) -> Excerpt:
    """An annotation's words in context; the gaps of a discontinuous one become "…"."""
    frags = sorted((f.start, f.end) for f in ann.fragments)
    outer = excerpt(text, frags[0][0], frags[-1][1], words)
    if len(frags) == 1:
        return outer
    body = " … ".join(_flat(text[s:e]).strip() for s, e in frags)
    return Excerpt(outer.before, body, outer.after)


def item_excerpt(text: str, item: Item, words: int = 4) -> Excerpt:
    """The words an item covers (from its first start to its last end), in context."""
    return excerpt(text, item.start, item.end, words)


def layers_label(layers: str | Sequence[str]) -> str:
    """One notation for a set of layers, wherever one is shown: ``dana & tester``.

    Accepts the agreement rows' own spellings (``a~b`` for a pair, ``a,b,c`` for
    all layers) as well as a list of names.
    """
    names = re.split(r"[~,]", layers) if isinstance(layers, str) else list(layers)
    return " & ".join(n for n in names if n)


__all__ = [
    "GROUPS",
    "Excerpt",
    "Group",
    "annotation_excerpt",
    "excerpt",
    "group_counts",
    "group_of",
    "group_rank",
    "grouped",
    "item_excerpt",
    "layers_label",
]
