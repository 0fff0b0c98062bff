"""Counts in messages, in proper English: "1 appeal", "2 appeals", never "appeal(s)".

Every message that counts something (import reports, find, the HTML report,
merges, recovery) says the count through :func:`count`, so a campaigner reads
"Imported 1 release." rather than the programmer's "release(s)".
"""

from __future__ import annotations

#: Plurals the rules below would get wrong.
_IRREGULAR = {"person": "people", "analysis": "analyses"}


def plural(word: str) -> str:
    """The plural of ``word`` (the nouns our messages count)."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return word[:-1] + "ies"
    return word + "s"


def count(n: int, word: str, many: str = "") -> str:
    """``n`` and ``word`` in the right number: ``count(1, "match")`` is "1 match",
    ``count(3, "match")`` is "3 matches"; ``many`` overrides the plural."""
    return f"{n} {word if n == 1 else (many or plural(word))}"
