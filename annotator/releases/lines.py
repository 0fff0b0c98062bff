"""What a single line of a release is, judged from the line alone.

Layout repair joins wrapped lines into paragraphs, but some lines are
paragraphs of their own whatever the spacing around them says: a heading
(``BACKGROUND``), a byline (``BY JANE DOE``), a dateline that opens a story
(``SEOUL --``, ``NAIROBI (Reuters) -``, ``(Geneva, March 3, 2025) –``) and a
list item (``• Release them``, ``1. Release them``). Each role is recognised
by a narrow shape, so ordinary wrapped lines are never mistaken for one:

* **heading** — at most 60 characters and 8 words, at least two letters, no
  lower-case letter, not ending in ``. , ;``; or one of the usual section
  labels alone on the line (``Background``, ``Notes to editors``, ``Contact``…,
  a colon allowed);
* **byline** — ``By`` or ``BY`` and up to seven capitalised words (``and`` and
  commas between them), nothing else, at most 80 characters;
* **dateline** — see :data:`DATELINE` and :func:`match_dateline`;
* **list item** — a bullet glyph (``• ● ◦ ▪ ■ ‣ ∙ · *``), ``1.``, ``1)``,
  ``(1)``, ``a)``, ``(a)``, ``(iv)`` followed by a space; ``-`` and ``–``
  bullets only in a text where at least two lines open with them (a single
  dash at a line start is usually a dash in a sentence).
"""

from __future__ import annotations

import re
from typing import Final

#: A sentence or clause ends here, so a break after it is no evidence of a wrap.
CLOSES_SENTENCE = frozenset('.!?:;"”’)]»…')

#: Characters that open a quoted paragraph.
OPENERS = frozenset("\"“‘'«(")

_PLACE_CAPS = r"[A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]*)*"
_DASH = r"(?:--?|—|–)"
#: Month names for the bracketed dateline: a date inside brackets must look like one.
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_BRACKET_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2})"
)
#: A story's opening dateline, at the start of a line (``place`` and ``when`` when stated):
#:
#: * ``SEOUL --``, ``PHNOM PENH —``, ``LONDON, 12 September 1998 --`` (upper-case place);
#: * ``NAIROBI (Reuters) -`` (upper-case place, agency in brackets, kept as ``agency``);
#: * ``Lusaka —`` (a place in title case, at most three words, an em or en dash only);
#: * ``(Geneva, March 3, 2025) –`` (place and date in brackets, any dash).
DATELINE = re.compile(
    rf"^(?:(?P<place>{_PLACE_CAPS})"
    rf"(?:\s*\((?P<agency>[A-Z][\w&.'’ -]{{1,30}})\))?"
    rf"(?:\s*,\s*(?P<when>[^\n—–]{{1,40}}?))?\s*{_DASH}\s+"
    r"|(?P<tplace>[A-Z][a-zà-ÿ'’.\-]+(?: [A-Z][a-zà-ÿ'’.\-]+){0,2})\s*[—–]\s+"
    rf"|\((?P<bplace>[A-Z][\w'’.\- ]{{1,40}}?),\s*(?P<bwhen>{_BRACKET_DATE})\)\s*{_DASH}\s+)"
)

_BULLET = re.compile(r"[•●○◦▪▫■□‣∙·*]\s+\S")
_NUMBERED = re.compile(r"(?:\(?\d{1,2}[.)]|\(?[a-z][.)]|\([ivxIVX]{1,4}\))\s+\S")
_DASH_BULLET = re.compile(r"[-–]\s+\S")
_BYLINE = re.compile(
    r"(?:By|BY)\s+[A-Z][\w'’.\-]*(?:(?:\s*,\s*|\s+)(?:(?:and|AND)\s+)?[A-Z][\w'’.\-]*){0,6}"
)
_SECTION_LABEL = re.compile(
    r"(?:background|notes? (?:to|for) editors?|further information|for more information"
    r"|more information|contacts?|media contacts?|press contacts?|recommended action"
    r"|additional information|ends)\s*:?",
    re.IGNORECASE,
)


#: Words that name an organisation, not a place: ``Amnesty International —`` opens a
#: sentence, not a dateline (title-case datelines only; capitals are always a place).
_NOT_PLACE_WORDS = frozenset(
    (
        "amnesty",
        "international",
        "watch",
        "human",
        "rights",
        "council",
        "commission",
        "committee",
        "government",
        "police",
        "ministry",
        "office",
        "nations",
        "union",
        "court",
        "army",
        "party",
        "president",
        "minister",
    )
)


def match_dateline(line: str) -> re.Match[str] | None:
    """The :data:`DATELINE` opening ``line``, unless its title-case "place" is an organisation."""
    match = DATELINE.match(line)
    place = match.group("tplace") if match is not None else None
    if place and any(word.lower() in _NOT_PLACE_WORDS for word in place.split()):
        return None
    return match


def dateline_parts(match: re.Match[str]) -> tuple[str, str, str]:
    """(place, date as written or "", agency or "") of a :data:`DATELINE` match."""
    place = match.group("place") or match.group("tplace") or match.group("bplace") or ""
    when = match.group("when") or match.group("bwhen") or ""
    return place.strip(), when.strip(), (match.group("agency") or "").strip()


class Role:
    """What a line is, when it is more than a piece of running text.

    Plain strings, not an Enum: layout repair asks for every line, and a class
    attribute is several times cheaper to read than an Enum member.
    """

    HEADING: Final = "heading"
    BYLINE: Final = "byline"
    DATELINE: Final = "dateline"
    LIST_ITEM: Final = "list item"


def ends_sentence(line: str) -> bool:
    return bool(line) and line[-1] in CLOSES_SENTENCE


def opens_paragraph(line: str) -> bool:
    return bool(line) and (line[0].isupper() or line[0] in OPENERS)


def is_heading(line: str) -> bool:
    if len(line) > 60:  # most lines: one comparison
        return False
    if _SECTION_LABEL.fullmatch(line):
        return True
    if line[-1] in ".,;" or len(line.split()) > 8:
        return False
    letters = sum(1 for ch in line if ch.isalpha())
    return letters >= 2 and not any(ch.islower() for ch in line)


def dash_bullets(lines: list[str]) -> bool:
    """Whether ``-`` / ``–`` open at least two lines: then they are list bullets."""
    return sum(1 for line in lines if _DASH_BULLET.match(line)) >= 2


def role_of(line: str, *, dash_bullets: bool = False) -> str | None:
    """The role of one stripped, non-empty line (see the module docstring), or None."""
    first = line[0]
    if first.islower():  # most wrapped lines: only a list letter can start this way
        return Role.LIST_ITEM if line[1:2] in ".)" and _NUMBERED.match(line) else None
    if first.isdigit() or first == "(":
        if _NUMBERED.match(line):
            return Role.LIST_ITEM
    elif not first.isalpha() and (
        _BULLET.match(line) or (dash_bullets and _DASH_BULLET.match(line))
    ):
        return Role.LIST_ITEM
    if (first.isupper() or first == "(") and match_dateline(line):
        return Role.DATELINE
    if first == "B" and len(line) <= 80 and _BYLINE.fullmatch(line):
        return Role.BYLINE
    if is_heading(line):
        return Role.HEADING
    return None


__all__ = [
    "CLOSES_SENTENCE",
    "DATELINE",
    "OPENERS",
    "Role",
    "dash_bullets",
    "dateline_parts",
    "ends_sentence",
    "is_heading",
    "match_dateline",
    "opens_paragraph",
    "role_of",
]
