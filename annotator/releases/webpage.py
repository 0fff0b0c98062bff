"""Saved web pages: the article, not the page.

Campaigners save releases from their organisation's website, and such a page
carries navigation, a cookie banner, share buttons, related news and a footer
around the release. Finding the article is done by trafilatura, a well-kept
extractor (lxml-based, no network) that scores the page's blocks. Its answer
is only used within limits we can check:

* a page is only handed to the extractor if it shows page furniture
  (``<nav>``, ``<footer>``, ``<aside>``, a site ``<header>``, ARIA roles such
  as ``navigation``, or class names such as ``cookie``, ``share``,
  ``related``); an old press-release page of tables and ``<font>`` tags has
  none and comes in whole;
* the paragraphs kept are our own (the same as for the whole page), so the
  text is exactly what the page shows: from the article's headline to the
  last paragraph the extractor chose, everything but furniture is kept;
* if the extractor left out prose that is not furniture (a long paragraph
  outside the article it found), the extraction is not trusted and the whole
  page comes in.

Headline and date are read from the page's own evidence: the article's
``<h1>`` or ``og:title``; ``article:published_time`` and similar ``<meta>``,
JSON-LD ``datePublished`` or the article's ``<time datetime>``. Which
extractor decided, and why, goes into the document's metadata.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from annotator.releases.markup import Block, html_blocks

#: Elements that are page furniture wherever they stand (not ``<form>``: some
#: sites wrap the whole page in one).
FURNITURE_TAGS = frozenset(("nav", "footer", "aside", "dialog", "menu"))
#: ARIA landmark roles of page furniture.
FURNITURE_ROLES = frozenset(
    (
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
        "search",
        "dialog",
        "alertdialog",
        "menu",
        "menubar",
    )
)
#: Words in class or id names that sites use for furniture (``cookie-banner``,
#: ``share_buttons``, ``related-news``).
FURNITURE_WORDS = frozenset(
    (
        "nav",
        "navbar",
        "navigation",
        "menu",
        "breadcrumb",
        "breadcrumbs",
        "cookie",
        "cookies",
        "consent",
        "gdpr",
        "onetrust",
        "share",
        "sharing",
        "social",
        "related",
        "newsletter",
        "subscribe",
        "signup",
        "sidebar",
        "search",
        "footer",
        "masthead",
        "skip",
        "donate",
        "promo",
        "tags",
        "toolbar",
        "pagination",
        "pager",
        "comments",
        "advert",
        "ads",
    )
)
_NAME_WORD = re.compile(r"[\s_\-]+")
#: A paragraph the extractor may not leave out unless it is furniture.
PROSE_WORDS = 25
#: Most elements handed to the extractor (after furniture is taken out): its
#: work grows faster than the page (about 3 s for 12,000 elements of links on
#: our 2-core machine, 30 s for 90,000); an article page has a few thousand.
MAX_EXTRACTOR_ELEMENTS = 12_000

#: ``<meta>`` names and properties that give a page's publication date, best first.
DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "date",
    "pubdate",
    "publish-date",
    "publication_date",
    "parsely-pub-date",
    "sailthru.date",
)
_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])")
_SPACE = re.compile(r"\s+")


@dataclass
class WebPage:
    """The text kept from a saved page and what the page says about itself."""

    text: str
    headline: str = ""
    date: str = ""
    date_as_written: str = ""
    #: ``extractor``, ``extractor_reason``, ``furniture_dropped``, ``author``
    extra: dict[str, str] = field(default_factory=dict)


def is_furniture(el: etree._Element) -> bool:
    """True if ``el`` looks like page furniture by its tag, role or class and id names."""
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if tag in FURNITURE_TAGS:
        return True
    if tag == "header" and next(el.iterancestors("article", "main"), None) is None:
        return True
    if (el.get("role") or "").strip().lower() in FURNITURE_ROLES:
        return True
    names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return bool(names.strip()) and not FURNITURE_WORDS.isdisjoint(_NAME_WORD.split(names))


def furniture_of(root: etree._Element) -> Callable[[etree._Element], bool]:
    """:func:`is_furniture` for ``root``'s page, never true of an element that holds
    the article (an ``<article>``, ``<main>`` or ``<h1>``): a page wrapper named
    ``has-sidebar`` or ``nav-open`` is not furniture."""
    tree = root.getroottree()
    holders = set()
    for el in _find(root, "//article | //main | //h1"):
        holders.add(tree.getpath(el))
        holders.update(tree.getpath(up) for up in el.iterancestors())

    def furniture(el: etree._Element) -> bool:
        return is_furniture(el) and tree.getpath(el) not in holders

    return furniture


def _find(root: etree._Element, path: str) -> list[etree._Element]:
    """The elements an XPath selects (lxml types its answer as any XPath result)."""
    found = root.xpath(path)
    return [el for el in found if isinstance(el, etree._Element)] if isinstance(found, list) else []


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


def page_headline(root: etree._Element) -> tuple[str, bool]:
    """(headline, whether it is shown on the page): the article's ``<h1>``, else ``og:title``."""
    h1s = _find(root, "//article//h1 | //main//h1") or _find(root, "//h1")
    for h1 in h1s:
        text = " ".join("".join(str(t) for t in h1.itertext()).split())
        if text:
            return text, True
    for name in ("og:title", "twitter:title"):
        for meta in _find(root, f"//meta[@property='{name}' or @name='{name}']"):
            text = " ".join((meta.get("content") or "").split())
            if text:
                return text, False
    return "", False


def _iso(written: str) -> str:
    match = _ISO_DATE.match(written)
    if match is None:
        return ""
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return ""


def _json_ld_dates(root: etree._Element) -> list[str]:
    found: list[str] = []
    for script in _find(root, "//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        items += [g for d in items if isinstance(d, dict) for g in d.get("@graph", [])]
        found += [
            d["datePublished"]
            for d in items
            if isinstance(d, dict) and isinstance(d.get("datePublished"), str)
        ]
    return found


def page_date(root: etree._Element) -> tuple[str, str]:
    """(ISO 8601 date, the string as written) of the page's publication, or ``("", "")``.

    Only what the page states in machine-readable form counts; the date part
    is taken as written (the publisher's own day, not converted to UTC).
    """
    metas: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key and key not in metas and meta.get("content"):
            metas[key] = meta.get("content", "").strip()
    candidates = [metas[name] for name in DATE_META if name in metas]
    candidates += _json_ld_dates(root)
    candidates += [
        t.get("datetime", "") for t in _find(root, "//article//time[@datetime] | //time[@pubdate]")
    ]
    for written in candidates:
        iso = _iso(written)
        if iso:
            return iso, written.strip()
    return "", ""


def _whole(blocks: list[Block], page: WebPage, reason: str) -> WebPage:
    page.text = "\n\n".join(block.text for block in blocks)
    page.extra.update({"extractor": "whole page", "extractor_reason": reason})
    return page


def _without_furniture(root: etree._Element) -> etree._Element:
    """A copy of ``root`` without its furniture (the text after each piece stays)."""
    copied = copy.deepcopy(root)
    furniture = furniture_of(copied)
    found: list[etree._Element] = []
    walker = etree.iterwalk(copied, events=("start",))
    for _, el in walker:
        if furniture(el) and el is not copied:
            found.append(el)
            walker.skip_subtree()
    for el in found:
        parent = el.getparent()
        if parent is not None:
            if el.tail:
                previous = el.getprevious()
                if previous is not None:
                    previous.tail = (previous.tail or "") + el.tail
                else:
                    parent.text = (parent.text or "") + el.tail
            parent.remove(el)
    return copied


def _extracted_text(article: etree._Element) -> tuple[str, str, str]:
    """(article text without white space, extractor name, author) from trafilatura."""
    import trafilatura  # imported here: only web pages pay for it

    result = trafilatura.bare_extraction(
        article,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
    )
    name = f"trafilatura {trafilatura.__version__}"
    body = getattr(result, "body", None)
    if body is None:
        return "", name, ""
    return _squash("".join(body.itertext())), name, getattr(result, "author", None) or ""


def read_web_page(root: etree._Element, *, whole_page: bool = False) -> WebPage:
    """The release in a parsed page (see the module's rules); ``whole_page`` keeps everything."""
    blocks = html_blocks(root, furniture_of(root))
    headline, shown = page_headline(root)
    date, written = page_date(root)
    page = WebPage("", headline, date, written)
    if whole_page:
        return _whole(blocks, page, "the whole page was asked for")
    if not any(block.furniture for block in blocks):
        return _whole(blocks, page, "the page shows no navigation, banners or footer")
    candidate = _without_furniture(root)
    size = sum(1 for _ in candidate.iter())
    if size > MAX_EXTRACTOR_ELEMENTS:
        return _whole(
            blocks,
            page,
            f"the page has {size} elements besides its furniture, more than the "
            f"{MAX_EXTRACTOR_ELEMENTS} the extractor is given",
        )
    article, name, author = _extracted_text(candidate)
    if not article:
        return _whole(blocks, page, f"{name} found no article in the page")
    matched: list[int] = []
    position = 0
    for index, block in enumerate(blocks):
        squashed = _squash(block.text)
        found = article.find(squashed, position)
        if found >= 0 and len(squashed) >= 20:
            matched.append(index)
            position = found + len(squashed)
    if not matched:
        return _whole(blocks, page, f"{name} chose text the page does not show as paragraphs")
    start, end = matched[0], matched[-1]
    chosen = set(matched)
    if shown:
        start = min(
            (i for i, b in enumerate(blocks[: start + 1]) if " ".join(b.text.split()) == headline),
            default=start,
        )
    for index, block in enumerate(blocks):
        outside = index < start or index > end
        prose = not block.furniture and not block.links and len(block.text.split()) >= PROSE_WORDS
        if outside and prose:
            words = " ".join(block.text.split()[:8])
            return _whole(blocks, page, f"{name} left out prose outside the article ({words} …)")
    kept = [
        block
        for index, block in enumerate(blocks)
        if index in chosen or (start <= index <= end and not block.furniture)
    ]
    page.text = "\n\n".join(block.text for block in kept)
    page.extra.update(
        {
            "extractor": name,
            "extractor_reason": "the page shows navigation, banners or a footer",
            "furniture_dropped": f"{len(blocks) - len(kept)} paragraphs of navigation, banners, "
            "share and related links, footer (import with --whole-page to keep them)",
        }
    )
    if author:
        page.extra["author"] = author
    return page


__all__ = [
    "DATE_META",
    "FURNITURE_ROLES",
    "FURNITURE_TAGS",
    "FURNITURE_WORDS",
    "MAX_EXTRACTOR_ELEMENTS",
    "WebPage",
    "furniture_of",
    "is_furniture",
    "page_date",
    "page_headline",
    "read_web_page",
]
