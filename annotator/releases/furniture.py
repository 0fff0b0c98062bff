"""Page furniture: page numbers and running headers and footers, found to be left out.

A PDF repeats its letterhead, its document reference and a page number on
every page. Extracted, they land between the paragraphs (or inside one that
runs over a page break) and one of them can even open the release and pass
for its headline. These lines are found here and left out by layout repair;
import lists each one in the document's metadata (``dropped_lines``), so the
decision can always be checked. A line is page furniture when, stripped:

* it is a **page number** in a form that says so, anywhere in the text:
  ``Page 2``, ``Page 2 of 5``, ``p. 2``, ``- 3 -``, ``– 3 –``;
* or, at the edge of a page (among the first or last two lines of it, where
  the page breaks are known: a PDF's pages, or the form feeds of a text file
  written by ``pdftotext``), it is a bare number (``3``), a
  number over a number (``3/5``), or a line that also stands at the same
  edge of at least one other page and of at least half of the pages, digits
  counting as equal (``Index: AFR 20/1234/2021 · 3`` on page 3 and ``… · 4``
  on page 4): a **running header** (top) or **running footer** (bottom).
  Lines longer than 120 characters are never running furniture.

Nothing else is dropped: a heading that happens to open two pages is a
heading, not furniture, unless it opens at least half of the pages.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from annotator.releases.layout import Dropped

#: How many non-blank lines at the top and at the bottom of a page are its edge.
EDGE_LINES = 2
#: Running headers and footers are short: a longer line is text.
MAX_RUNNING = 120

#: Page numbers that say so, on a line of their own.
PAGE_NUMBER = re.compile(
    r"(?:page|p\.|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|(?P<dash>[-–—])\s*\d{1,4}\s*(?P=dash)",
    re.IGNORECASE,
)
#: A page number on a line of its own, found in one pass over the text.
_PAGE_NUMBER_LINE = re.compile(
    rf"^[^\S\n]*(?P<line>{PAGE_NUMBER.pattern})[^\S\n]*$", re.IGNORECASE | re.MULTILINE
)
#: Numbers that are page numbers only at the edge of a page.
_EDGE_NUMBER = re.compile(r"\d{1,4}(?:\s*/\s*\d{1,4})?")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, stripped line) of every non-blank line of ``text``."""
    out: list[tuple[int, str]] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            out.append((pos, stripped))
        pos += len(raw) + 1
    return out


def _key(line: str) -> str:
    """The line as compared across pages: spaces collapsed, every number alike."""
    return _DIGITS.sub("#", _SPACES.sub(" ", line)).casefold()


def _pages(lines: list[tuple[int, str]], page_starts: Sequence[int]) -> list[list[tuple[int, str]]]:
    """``lines`` grouped by page; ``page_starts`` are the offsets where pages 2, 3… begin."""
    starts = sorted(s for s in page_starts if s > 0)
    pages: list[list[tuple[int, str]]] = [[]]
    index = 0
    for offset, line in lines:
        while index < len(starts) and offset >= starts[index]:
            pages.append([])
            index += 1
        pages[-1].append((offset, line))
    pages.extend([] for _ in range(len(starts) - index))
    return pages


def find_furniture(text: str, page_starts: Sequence[int] = ()) -> list[Dropped]:
    """The page furniture of ``text`` (see the module docstring), in text order.

    ``page_starts`` are the offsets in ``text`` where its pages begin (the
    first page's ``0`` may be left out); without them only page numbers that
    say so are found.
    """
    found: dict[int, Dropped] = {}
    for match in _PAGE_NUMBER_LINE.finditer(text):
        found[match.start()] = Dropped(match.start(), match.group("line"), "page number")
    if any(0 < s < len(text) for s in page_starts):
        pages = _pages(_lines(text), page_starts)
        edges: dict[tuple[str, str], set[int]] = defaultdict(set)
        for number, page in enumerate(pages):
            for where, edge in (("header", page[:EDGE_LINES]), ("footer", page[-EDGE_LINES:])):
                for offset, line in edge:
                    if _EDGE_NUMBER.fullmatch(line) and offset not in found:
                        found[offset] = Dropped(offset, line, "page number")
                    elif len(line) <= MAX_RUNNING:
                        edges[(where, _key(line))].add(number)
        running = {
            key for key, seen in edges.items() if len(seen) >= 2 and 2 * len(seen) >= len(pages)
        }
        for page in pages:
            for where, edge in (("header", page[:EDGE_LINES]), ("footer", page[-EDGE_LINES:])):
                for offset, line in edge:
                    if (where, _key(line)) in running and offset not in found:
                        found[offset] = Dropped(offset, line, f"running {where}")
    if len(found) >= len(_lines(text)):
        return []  # every line looks like furniture: then it is the release, not its frame
    return [found[offset] for offset in sorted(found)]


def form_feed_pages(text: str) -> tuple[int, ...]:
    """Where pages begin in text that marks them with a form feed (``pdftotext`` output).

    The form feed itself later becomes a line break (see
    :mod:`annotator.releases.characters`); its offset is where the page begins.
    """
    starts: list[int] = []
    at = text.find("\f")
    while at >= 0:
        if 0 < at < len(text) - 1:
            starts.append(at)
        at = text.find("\f", at + 1)
    return tuple(starts)


def describe_dropped(dropped: Sequence[Dropped]) -> str:
    """One line per dropped line, ``page number: Page 2 of 5``, for the metadata."""
    return "\n".join(f"{d.why}: {d.line}" for d in dropped)


__all__ = [
    "EDGE_LINES",
    "MAX_RUNNING",
    "PAGE_NUMBER",
    "describe_dropped",
    "find_furniture",
    "form_feed_pages",
]
