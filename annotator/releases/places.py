"""Country, territory and region names, from the plain list ``resources/countries.txt``.

A release's country is taken only from a name on that list: ``Chad: …`` gives
``Chad``, while ``Target: …`` or ``PLACE (Town): …`` give nothing. Names are
compared after :func:`normalise`, so ``CHAD``, ``Cote d'Ivoire``, ``Côte
d’Ivoire``, ``The Gambia`` and ``St Lucia`` all find their entry.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from annotator import assets

#: The most words a name on the list has (``Democratic Republic of the Congo`` has 5).
MAX_WORDS = 10

_SAINT = re.compile(r"\bst\b\.?\s*")
_SPACE = re.compile(r"\s+")


def normalise(name: str) -> str:
    """Lower case, no accents, straight apostrophes, no leading ``the``, ``St`` as ``saint``."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("’", "'").replace("‘", "'").replace("–", "-")
    plain = _SAINT.sub("saint ", _SPACE.sub(" ", plain).strip())
    return plain.removeprefix("the ")


@cache
def known_places() -> frozenset[str]:
    """Every name on the list, normalised."""
    names: set[str] = set()
    for line in assets.read_text("countries.txt").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        names.update(normalise(part) for part in line.split("|") if part.strip())
    return frozenset(names)


def is_place(name: str) -> bool:
    """Whether ``name`` is a country, territory or region name on the list."""
    return bool(name.strip()) and normalise(name) in known_places()


_BRACKETED = re.compile(r"(?P<base>[^()]+?)\s*\((?P<inner>[^()]+)\)")
_JOINERS = re.compile(r"\s*/\s*|\s+(?:and|&)\s+(?:the\s+)?", re.IGNORECASE)


def country_name(head: str) -> str:
    """``head`` as written (or its part before brackets) if it names places; else ``""``.

    * a name on the list: ``Republic of Korea``, ``Bosnia and Herzegovina``;
    * a name with another name in brackets, kept whole: ``Republic of Korea
      (South Korea)``; with anything else in brackets, only the name: ``USA
      (Texas)`` gives ``USA``;
    * names joined by ``/``, ``and`` or ``&``: ``Israel/Occupied Territories``,
      ``Sudan and South Sudan``.
    """
    head = head.strip()
    if not head or len(head) > 80:
        return ""
    if is_place(head):
        return head
    bracketed = _BRACKETED.fullmatch(head)
    if bracketed is not None:
        base = bracketed.group("base")
        if not country_name(base):
            return ""
        return head if country_name(bracketed.group("inner")) else base.strip()
    parts = _JOINERS.split(head)
    if len(parts) > 1 and all(is_place(part) for part in parts):
        return head
    return ""


def place_prefix(text: str) -> str:
    """The longest run of whole words opening ``text`` that is a place name, or ``""``."""
    words = text.split(" ", MAX_WORDS)[:MAX_WORDS]
    for n in range(len(words), 0, -1):
        candidate = " ".join(words[:n])
        if is_place(candidate):
            return candidate
    return ""


__all__ = ["country_name", "is_place", "known_places", "normalise", "place_prefix"]
