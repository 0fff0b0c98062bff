"""Merging two corrections of one release's text, for the three-way merge.

Each side's correction is read as an edit script against the common ancestor's
text (``difflib.SequenceMatcher`` over code points, after the common start and
end are set aside). When no edit of ours overlaps one of theirs, both apply:
the merged text is the ancestor's with every edit, and each side's annotations
are moved through the edits the *other* side made, by the text-correction
code's own :func:`~annotator.model.text_edit.move_annotations` (so they land
where :class:`~annotator.model.text_edit.EditText` would have put them). Two
edits overlap when their regions share a character, or when both insert
different text at one place: which goes first is nobody's to guess, so that
stays a conflict. The same edit made on both sides applies once.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import pairwise

from annotator.model.text_edit import Edit, replace_regions

#: Edits closer than this (code points of unchanged text between them) are read
#: as one: a swapped pair of letters is one correction, not an insertion and a
#: deletion with a letter between (whose ends would snap differently).
_GAP = 3
#: Above this many character pairs the middle is taken as one replacement
#: (SequenceMatcher grows with the product of the lengths).
_MAX_PAIRS = 4_000_000


def text_edits(old: str, new: str) -> list[Edit]:
    """The disjoint, ascending edits that turn ``old`` into ``new`` (code points)."""
    if old == new:
        return []
    head = 0
    limit = min(len(old), len(new))
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    a, b = old[head : len(old) - tail], new[head : len(new) - tail]
    if not a or not b or len(a) * len(b) > _MAX_PAIRS:
        return [(head, head + len(a), b)]
    edits: list[Edit] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        start, end, text = head + i1, head + i2, b[j1:j2]
        if edits and start - edits[-1][1] < _GAP:
            p_start, p_end, p_text = edits.pop()
            text = p_text + old[p_end:start] + text
            start = p_start
        edits.append((start, end, text))
    return edits


@dataclass(frozen=True)
class TextMerge:
    """Both corrections applied: the text, and the edits that bring each version to it."""

    text: str
    base_edits: list[Edit]  # every edit, on the ancestor's text
    ours_edits: list[Edit]  # their edits, on our text
    theirs_edits: list[Edit]  # our edits, on their text
    ours_own: list[Edit]  # our edits, on the ancestor's text
    theirs_own: list[Edit]  # their edits, on the ancestor's text


def _overlap(a: Edit, b: Edit) -> bool:
    if a[0] == a[1] == b[0] == b[1]:
        return a[2] != b[2]  # two insertions at one place: which goes first?
    return a[0] < b[1] and b[0] < a[1]


def merge_texts(base: str, ours: str, theirs: str) -> TextMerge | None:
    """Both sides' corrections of ``base`` together, or None when two of them overlap."""
    mine, yours = text_edits(base, ours), text_edits(base, theirs)
    shared = set(mine) & set(yours)
    tagged = sorted(
        [(e, "both") for e in shared]
        + [(e, "ours") for e in mine if e not in shared]
        + [(e, "theirs") for e in yours if e not in shared],
        key=lambda item: (item[0][0], item[0][1]),
    )
    for (a, side_a), (b, side_b) in pairwise(tagged):
        if side_a != side_b and _overlap(a, b):
            return None
    ours_edits: list[Edit] = []
    theirs_edits: list[Edit] = []
    ours_shift = theirs_shift = 0  # how far our (their) edits so far moved the text
    for (start, end, text), side in tagged:
        delta = len(text) - (end - start)
        if side == "theirs":
            ours_edits.append((start + ours_shift, end + ours_shift, text))
            theirs_shift += delta
        elif side == "ours":
            theirs_edits.append((start + theirs_shift, end + theirs_shift, text))
            ours_shift += delta
        else:
            ours_shift += delta
            theirs_shift += delta
    edits = [e for e, _ in tagged]
    merged = replace_regions(base, edits)
    on_ours, on_theirs = replace_regions(ours, ours_edits), replace_regions(theirs, theirs_edits)
    if on_ours != merged or on_theirs != merged:
        return None  # the scripts do not add up (cannot happen with disjoint edits)
    return TextMerge(merged, edits, ours_edits, theirs_edits, mine, yours)


__all__ = ["TextMerge", "merge_texts", "text_edits"]
