"""What a release says about itself: headline, country, dateline, AI Index, date.

Nothing is guessed: a field stays empty unless the release states it in one of
the shapes below. The input is the repaired text (paragraphs separated by a
blank line), so the result is the same whether or not the layout is kept.

* **Header items** — ``AI Index: ASA 25/28/98``, a date alone, ``News
  Service 123/98``, ``Press release`` or ``News release``, ``Public
  document``, ``For immediate release``, ``Date: …``, and the labelled fields
  of an Amnesty Urgent Action (``UA: 12/21``, ``First UA: 12/21``, ``Index:
  AFR 20/1234/2021``, the country named between the index and the next field,
  ``URGENT ACTION`` in capitals or alone) — may open the release, in
  paragraphs of their own or glued before the headline. They are read, then
  passed over; the UA number goes to ``extra["ua_number"]``.
* **Headline** — the first paragraph after the header items, if it is at most
  250 characters, does not open with a dateline, and the release has more
  text after it (so an Urgent Action's headline is its title). If a dateline
  appears inside that paragraph (single-spaced text without a blank line
  after the headline) the headline ends before it. The headline stays in the
  document text too: the text is the whole release.
* **Country or region** — the part of the headline before the first colon, or
  the country field of an Urgent Action, only if it is a name on the list in
  ``resources/countries.txt`` (:mod:`annotator.releases.places`: countries and
  territories in their short and long forms, former names, regions such as
  ``Kashmir`` or ``Middle East and North Africa``). ``Republic of Korea (South
  Korea)`` is kept whole; ``USA (Texas)`` gives ``USA``; ``Israel/Occupied
  Territories`` names two. ``Target: <name>, <office>``, ``Update: …`` or
  ``PLACE (Town): …`` give no country.
* **Dateline** — the place opening one of the first three paragraphs of the
  body (:data:`annotator.releases.lines.DATELINE`): ``SEOUL --`` and
  ``LONDON, 12 September 1998 --`` (upper case, any dash), ``NAIROBI (Reuters)
  -`` (the agency goes to ``extra["agency"]``), ``Lusaka —`` (title case, an
  em or en dash), Human Rights Watch's ``(Geneva, March 3, 2025) –`` (place
  and date).
* **AI Index** — ``AI Index: XXX nn/nn/nn`` or ``Index: XXX nn/nnnn/nnnn``
  (the colon required) anywhere in the release, also in a page footer that
  layout repair dropped, written with single spaces (``ASA 25/28/98``).
* **Date** — a full date (day, month name and year in either order, or ISO
  ``1998-09-12``) among the header items, on a ``Date:`` line, or in the
  dateline; stored as ISO ``YYYY-MM-DD``, the words as written go to
  ``extra["date_as_written"]``. Dates in the body (``On 8 September``) are
  events, not the release date, and are ignored.
"""

from __future__ import annotations

import datetime as dt
import re

from annotator.model.project import DocumentMeta
from annotator.releases.lines import dateline_parts, match_dateline
from annotator.releases.places import country_name, place_prefix

MAX_HEADLINE = 250

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"
_DATE = re.compile(
    rf"(?:(?P<d1>\d{{1,2}}){_ORD}\s+(?P<m1>{_MONTH_NAMES})\.?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH_NAMES})\.?\s+(?P<d2>\d{{1,2}}){_ORD},?\s+(?P<y2>\d{{4}})"
    rf"|(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}}))\b",
    re.IGNORECASE,
)
_AI_INDEX_TEXT = r"AI\s+Index\s*(?:No\.?|Number)?\s*:?\s*"
#: ``Index: AFR 20/1234/2021`` as an Urgent Action labels it (the colon is required).
_INDEX_LABEL = r"(?:AI\s+)?Index\s*(?:No\.?|Number)?\s*:\s*"
_INDEX_CODE = r"(?P<code>[A-Z]{3})\s*(?P<num>\d{1,3}/\d{1,4}/\d{2,4})"
_AI_INDEX = re.compile(rf"\b(?:{_AI_INDEX_TEXT}|{_INDEX_LABEL}){_INDEX_CODE}", re.IGNORECASE)
_LABELLED_INDEX = re.compile(rf"{_INDEX_LABEL}{_INDEX_CODE}", re.IGNORECASE)
#: ``UA: 12/21``, ``First UA: 12/21``, ``Further information on UA: 12/21``, ``UA 25/05``.
_UA = re.compile(
    r"(?:(?:First|Further\s+information\s+on)\s+)?UA\s*(?:number|No\.?)?\s*:?\s*"
    r"(?P<ua>\d{1,4}/\d{2,4})\b",
    re.IGNORECASE,
)
_UA_ITEM = (
    r"(?:(?:First|Further\s+information\s+on)\s+)?(?-i:UA)\s*(?:number|No\.?)?\s*:?\s*"
    r"\d{1,4}/\d{2,4}\b"
)
#: One header item at the start of a paragraph (see the module docstring).
_HEADER_ITEM = re.compile(
    rf"(?:{_AI_INDEX_TEXT}[A-Z]{{3}}\s*\d{{1,3}}/\d{{1,4}}/\d{{2,4}}"
    rf"|{_INDEX_LABEL}[A-Z]{{3}}\s*\d{{1,3}}/\d{{1,4}}/\d{{2,4}}"
    rf"|{_UA_ITEM}"
    rf"|(?:Date\s*:\s*)?(?:\d{{1,2}}{_ORD}\s+(?:{_MONTH_NAMES})\.?,?\s+\d{{4}}"
    rf"|(?:{_MONTH_NAMES})\.?\s+\d{{1,2}}{_ORD},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})\b"
    r"|News\s+Service\s*(?:No\.?)?\s*:?\s*\d+/\d+"
    r"|(?:Press|News)\s+release|Public\s+document|For\s+immediate\s+release"
    r"|(?-i:URGENT\s+ACTION)\b(?!\s*:)|Urgent\s+Action\s*\Z"
    r")[\s.,;:|/-]*",
    re.IGNORECASE,
)


def parse_date(match: re.Match[str]) -> str:
    """ISO ``YYYY-MM-DD`` for a :data:`_DATE` match, or ``""`` if it is no real day."""
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    try:
        if "y1" in groups:
            day, month, year = int(groups["d1"]), _MONTHS[groups["m1"].lower()], int(groups["y1"])
        elif "y2" in groups:
            day, month, year = int(groups["d2"]), _MONTHS[groups["m2"].lower()], int(groups["y2"])
        else:
            day, month, year = int(groups["d3"]), int(groups["m3"]), int(groups["y3"])
        return dt.date(year, month, day).isoformat()
    except (KeyError, ValueError):
        return ""


def find_date(text: str) -> tuple[str, str]:
    """(ISO date, words as written) of the first full date in ``text``, or ``("", "")``."""
    for match in _DATE.finditer(text):
        iso = parse_date(match)
        if iso:
            return iso, match.group()
    return "", ""


def find_ai_index(text: str) -> str:
    """``ASA 25/28/98`` for ``AI Index: ASA 25/28/98`` anywhere in ``text``."""
    # a plain find is far cheaper than a case-blind regex over the whole release
    for needle in ("ndex", "NDEX"):
        at = text.find(needle)
        while at >= 0:
            match = _AI_INDEX.search(text, max(0, at - 12), at + 48)
            if match is not None:
                return f"{match.group('code').upper()} {match.group('num')}"
            at = text.find(needle, at + 4)
    return ""


def strip_header_items(paragraph: str) -> tuple[str, list[str]]:
    """``paragraph`` without the header items that open it, and those items.

    In a line of labelled fields a country name may stand between two items
    (``Index: AFR 20/1234/2021 Chad Date: 3 March 2021``); it becomes an item
    of its own, ``Country: Chad``.
    """
    items: list[str] = []
    rest = paragraph
    while rest:
        match = _HEADER_ITEM.match(rest)
        if match is None and items and _LABELLED_INDEX.match(items[-1]):
            place = place_prefix(rest)
            after = rest[len(place) :].lstrip()
            if place and after and _HEADER_ITEM.match(after):
                items.append(f"Country: {place}")
                rest = after
                continue
        if match is None or not match.group().strip():
            break
        items.append(match.group().strip())
        rest = rest[match.end() :]
    return rest, items


def country_of(headline: str) -> str:
    """The ``Country`` of ``Country: headline``, if it is a country or region name.

    See :func:`annotator.releases.places.country_name` for the shapes accepted.
    """
    head, colon, tail = headline.partition(":")
    if not colon or not tail.strip():
        return ""
    return country_name(head)


def _labelled_fields(header: list[str], meta: DocumentMeta) -> None:
    """Urgent Action number, Index and country from the header items, as labelled."""
    for item in header:
        ua = _UA.match(item)
        if ua is not None:
            meta.extra.setdefault("ua_number", ua.group("ua"))
        index = _LABELLED_INDEX.match(item)
        if index is not None and not meta.ai_index:
            meta.ai_index = f"{index.group('code').upper()} {index.group('num')}"
        if item.startswith("Country: ") and not meta.country:
            meta.country = item.removeprefix("Country: ")


def describe(text: str) -> DocumentMeta:
    """Headline, country, dateline, AI Index and date of one repaired release."""
    meta = DocumentMeta()
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    header: list[str] = []
    index = 0
    headline = ""
    while index < len(paragraphs):
        rest, items = strip_header_items(paragraphs[index])
        header.extend(items)
        index += 1
        if rest.strip():
            headline = rest.strip()
            break
    body = paragraphs[index:]
    while body:  # header items right after the headline (a date line, say)
        rest, items = strip_header_items(body[0])
        if rest.strip():
            break
        header.extend(items)
        body = body[1:]
    if headline:
        inner = re.search(r"\s(?=[A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]*)*\s*(?:,|--?|—|–))", headline)
        if match_dateline(headline):
            body.insert(0, headline)
            headline = ""
        elif inner is not None and match_dateline(headline[inner.end() :]):
            body.insert(0, headline[inner.end() :])
            headline = headline[: inner.start()].strip()
    if headline and body and len(headline) <= MAX_HEADLINE:
        meta.headline = headline
        meta.country = country_of(headline)
    elif headline:
        body.insert(0, headline)
    when = ""
    for paragraph in body[:3]:
        match = match_dateline(paragraph)
        if match is not None:
            meta.dateline, when, agency = dateline_parts(match)
            if agency:
                meta.extra["agency"] = agency
            break
    meta.ai_index = find_ai_index(text)
    _labelled_fields(header, meta)
    iso, written = find_date(" | ".join([*header, when]))
    if iso:
        meta.date = iso
        meta.extra["date_as_written"] = written
    return meta


__all__ = [
    "MAX_HEADLINE",
    "country_of",
    "describe",
    "find_ai_index",
    "find_date",
    "parse_date",
    "strip_header_items",
]
