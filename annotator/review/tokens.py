"""The token, the unit of the token-level agreement measures.

A **token** is a maximal run of word characters (``\\w+`` in Python's Unicode
regex sense: letters and digits of every script, and ``_``; combining marks are not
word characters there) or a single
character that is neither a word character nor white space (each punctuation
mark or symbol is its own token). White space is never a token. Offsets are
code points, half-open, like every offset in annotator; so "Sané" is one token
``[0, 4)`` and "😀" is a one-code-point token.

A token **carries a tag** in a layer when at least one of its code points lies
inside a fragment of an annotation with that tag. A token can therefore carry
several tags in one layer (nested or overlapping annotations); see
:func:`token_label` for how the measures turn that set into one label.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence

from annotator.model import Fragment

TOKEN_RE = re.compile(r"\w+|[^\w\s]")

#: The label of a token no annotation covers.
OUTSIDE = "O"


def tokenise(text: str) -> list[tuple[int, int]]:
    """Token spans ``(start, end)`` of ``text`` in code points, in order."""
    return [m.span() for m in TOKEN_RE.finditer(text)]


class TokenIndex:
    """Token boundaries of one text, to turn character spans into token ranges fast."""

    __slots__ = ("ends", "starts")

    def __init__(self, text: str) -> None:
        spans = tokenise(text)
        self.starts: Sequence[int] = ()
        self.ends: Sequence[int] = ()
        if spans:
            self.starts, self.ends = zip(*spans, strict=True)

    def __len__(self) -> int:
        return len(self.starts)

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices ``[i, j)`` of the tokens that share a code point with ``[start, end)``."""
        i = bisect_right(self.ends, start)  # first token ending after start
        j = bisect_left(self.starts, end)  # first token starting at or after end
        return i, max(i, j)

    def fragment_ranges(self, fragments: Iterable[Fragment]) -> list[tuple[int, int]]:
        """Token ranges of an annotation's fragments (empty ranges dropped)."""
        return _fragment_ranges(self.token_range, fragments)


def _is_word_char(ch: str) -> bool:
    """Exactly the ``\\w`` of Python's Unicode regexes: alphanumeric or underscore."""
    return ch.isalnum() or ch == "_"


class TokenCounter:
    """Token ranges of a text at a few known positions, without listing every token.

    The whole-project measures only need the token index at annotation
    boundaries and the number of tokens, so instead of building the list of all
    tokens (:class:`TokenIndex`) this counts tokens between consecutive
    boundaries with ``findall`` and corrects for words a boundary cuts in two.
    Same answers as :class:`TokenIndex` (a test checks it), about twice as fast.
    """

    __slots__ = ("_before", "_split", "total")

    def __init__(self, text: str, positions: Iterable[int]) -> None:
        findall = TOKEN_RE.findall
        n = len(text)
        before: dict[int, int] = {}
        split: dict[int, bool] = {}
        count = 0
        pos = 0
        pos_split = False
        for p in sorted(set(positions)):
            p = min(max(p, 0), n)
            count += len(findall(text, pos, p)) - pos_split
            pos_split = 0 < p < n and _is_word_char(text[p - 1]) and _is_word_char(text[p])
            before[p] = count  # tokens starting before p (a cut word counts once)
            split[p] = pos_split
            pos = p
        self.total = count + len(findall(text, pos)) - pos_split
        self._before = before
        self._split = split

    def __len__(self) -> int:
        return self.total

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """As :meth:`TokenIndex.token_range`; ``start`` and ``end`` must be known positions."""
        i = self._before[start] - self._split[start]
        j = self._before[end]
        return i, max(i, j)

    def fragment_ranges(self, fragments: Iterable[Fragment]) -> list[tuple[int, int]]:
        """As :meth:`TokenIndex.fragment_ranges`; fragment ends must be known positions."""
        return _fragment_ranges(self.token_range, fragments)


def _fragment_ranges(
    token_range: Callable[[int, int], tuple[int, int]], fragments: Iterable[Fragment]
) -> list[tuple[int, int]]:
    """Token ranges of fragments, pieces that share or touch a token merged, empty ones dropped."""
    out: list[tuple[int, int]] = []
    for f in fragments:
        i, j = token_range(f.start, f.end)
        if i < j:
            if out and out[-1][1] >= i:
                out[-1] = (out[-1][0], max(out[-1][1], j))
            else:
                out.append((i, j))
    return out


def token_label(tags: frozenset[str], precedence: Sequence[str]) -> str:
    """One label for a token that carries ``tags`` in one layer (overall measures).

    The rule: a token no annotation covers is :data:`OUTSIDE`; otherwise it gets
    the tag that comes **first in the tag set's order** (``precedence``) among the
    tags it carries; tags the tag set does not know come after, alphabetically.
    Per-tag figures do not need this rule: there each tag is a separate yes/no
    labelling of every token.
    """
    if not tags:
        return OUTSIDE
    if len(tags) == 1:
        return next(iter(tags))
    for tag in precedence:
        if tag in tags:
            return tag
    return min(tags)
