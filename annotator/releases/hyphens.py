"""Whether a hyphen at a line end is a wrap (dropped) or part of the word (kept).

Layout repair joins a word broken over two lines; these are the rules and
word lists that decide if the hyphen between the halves stays
(``ill-`` / ``treatment``) or goes (``dem-`` / ``onstrators``).
"""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

#: First halves of compounds that are whole words, so ``self-`` / ``censorship`` keeps its hyphen.
COMPOUND_FIRST = frozenset(
    [
        "self",
        "non",
        "ill",
        "well",
        "long",
        "short",
        "full",
        "half",
        "all",
        "cross",
        "semi",
        "quasi",
        "anti",
        "high",
        "low",
        "far",
        "near",
        "left",
        "right",
    ]
)
#: Second halves that make a compound, so ``so-`` / ``called`` keeps its hyphen.
COMPOUND_SECOND = frozenset(
    [
        "called",
        "term",
        "based",
        "related",
        "wing",
        "led",
        "run",
        "owned",
        "scale",
        "free",
        "making",
        "level",
        "ranking",
        "standing",
        "minded",
        "old",
        "aged",
        "year",
    ]
)
#: Endings that continue a word, so ``ill-`` / ``ness`` is ``illness`` whatever the first half.
WORD_ENDINGS = frozenset(
    [
        "ness",
        "ment",
        "ments",
        "ing",
        "ings",
        "ed",
        "er",
        "ers",
        "est",
        "ly",
        "less",
        "ful",
        "ity",
        "ities",
        "ion",
        "ions",
        "tion",
        "tions",
        "sion",
        "sions",
        "ous",
        "able",
        "ible",
        "al",
        "ally",
        "ance",
        "ence",
        "ant",
        "ants",
        "ent",
        "ents",
        "ive",
        "ives",
        "ism",
        "ist",
        "ists",
        "ize",
        "ise",
        "ized",
        "ised",
        "ship",
        "hood",
        "age",
        "ure",
        "ures",
    ]
)


def keep_hyphen(left: str, right: str, vocabulary: Counter[str]) -> bool:
    """Whether ``left-`` at a line end followed by ``right`` is a real hyphen.

    ``left`` is the broken word before the hyphen (it may hold hyphens itself,
    ``not-too``), ``right`` the letters and digits that open the next line.
    Decided in this order:

    1. the text itself: whichever of ``left-right`` and ``leftright`` occurs
       more often elsewhere in the text (as a whole word, any case) wins; a tie
       between two seen forms keeps the hyphen;
    2. a digit on either side keeps it (``1990-`` / ``95``, ``COVID-`` / ``19``);
    3. an upper-case continuation keeps it (``Dae-`` / ``Jung``, ``anti-`` / ``American``);
    4. a continuation that is a word ending (``ness``, ``tion``...) drops it;
    5. a first half in :data:`COMPOUND_FIRST` or a second half in
       :data:`COMPOUND_SECOND` keeps it (``long-`` / ``term``, ``so-`` / ``called``);
    6. otherwise it is a wrap and is dropped (``dem-`` / ``onstrators``).
    """
    hyphenated = f"{left}-{right}".lower()
    joined = f"{left}{right}".lower()
    seen_h, seen_j = vocabulary[hyphenated], vocabulary[joined]
    if seen_h or seen_j:
        return seen_h >= seen_j
    if left[-1].isdigit() or right[0].isdigit():
        return True
    if right[0].isupper():
        return True
    if right.lower() in WORD_ENDINGS:
        return False
    last = left.rsplit("-", 1)[-1].lower()
    return last in COMPOUND_FIRST or right.lower() in COMPOUND_SECOND


def vocabulary_of(text: str) -> Counter[str]:
    """Lower-case words (with inner hyphens) of ``text``, counted."""
    return Counter(w.lower() for w in _WORD.findall(text))


__all__ = ["COMPOUND_FIRST", "COMPOUND_SECOND", "WORD_ENDINGS", "keep_hyphen", "vocabulary_of"]
