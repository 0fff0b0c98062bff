"""Reading the text back out of our annotated XML (inline XML and TEI): one walker for both.

Both formats hold a release's text as the character data of an element, with
annotations as elements inside it (``<victim>`` or ``<rs>``), paragraphs as
``<p>`` and a character XML cannot hold as an empty element naming its code
point (``<c u="HHHH"/>``, ``<g n="HHHH"/>``). :func:`walk` collects that text,
in code points, and where each annotation element starts and ends in it.

The walk is iterative, so a file nested thousands of levels deep is read (or
refused by the parser) without exhausting Python's stack, and a bad code point
becomes one sentence naming the file and the line. Comments and processing
instructions are not text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from lxml import etree

from annotator.errors import InterchangeError
from annotator.formats.safe_xml import line_of


@dataclass(frozen=True)
class CharEscape:
    """The element standing for one code point, and the attribute holding it in hex."""

    tag: str
    attr: str


@dataclass
class Walked:
    """An element's text and the annotation elements in it, as (element, start, end)."""

    text: str
    pieces: list[tuple[etree._Element, int, int]] = field(default_factory=list)


def code_point(el: etree._Element, escape: CharEscape, source: str) -> str:
    """The character an escape element stands for; a bad one is an error naming the line."""
    raw = el.get(escape.attr, "")
    try:
        code = int(raw, 16)
        if not 0 <= code <= 0x10FFFF:
            raise ValueError
    except ValueError:
        local = etree.QName(el).localname
        raise InterchangeError(
            f'<{local} {escape.attr}="{raw[:20]}"/> is not a Unicode code point',
            path=source or None,
            line=line_of(el),
        ) from None
    return chr(code)


def walk(
    root: etree._Element,
    escape: CharEscape,
    *,
    source: str = "",
    is_piece: Callable[[etree._Element], bool] = lambda el: False,
) -> Walked:
    """The text under ``root`` and the elements ``is_piece`` picks, with their offsets."""
    chunks: list[str] = []
    pos = 0
    pieces: list[tuple[etree._Element, int, int]] = []

    def add(s: str | None) -> None:
        nonlocal pos
        if s:
            chunks.append(s)
            pos += len(s)

    add(root.text)
    # (element, its children still to walk, where it started)
    stack: list[tuple[etree._Element, Iterator[etree._Element], int]] = [(root, iter(root), 0)]
    while stack:
        el, children, start = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack:
                if is_piece(el):
                    pieces.append((el, start, pos))
                add(el.tail)
            continue
        if not isinstance(child.tag, str):  # comment or processing instruction
            add(child.tail)
        elif child.tag == escape.tag:
            add(code_point(child, escape, source))
            add(child.tail)
        else:
            began = pos
            add(child.text)
            stack.append((child, iter(child), began))
    return Walked("".join(chunks), pieces)


def text_of(el: etree._Element | None, escape: CharEscape, source: str = "") -> str:
    """The text of a header element (a title, a note), escapes decoded."""
    return "" if el is None else walk(el, escape, source=source).text
