"""Writing any Python ``str`` into XML 1.0 so that it reads back exactly.

XML 1.0 cannot hold most C0 control characters, lone surrogates, U+FFFE and
U+FFFF, and a parser turns a literal CR (or CRLF) into LF. Press releases are
PDF extractions, so form feeds and stray controls do occur, and a writer that
fails on them would lose a day's work. Two reversible rules, one per place:

* **Element text** (a document's text): ``& < >`` are escaped as entities, CR
  as ``&#13;``, and every code point XML cannot hold becomes an empty element
  ``<c u="HHHH"/>`` (hex code point). Readers see markup, not magic strings,
  and the text's own newlines stay literal lines (diff-friendly).
* **Attribute values** (ids, metadata, notes, quotes, ...): tab, LF and CR are
  character references, so a value never spans lines; a code point XML cannot
  hold is written ``\\u{HHHH}`` and a literal ``\\u{`` as ``\\u{5C}u{``, so the
  escape is unambiguous. Values without either (nearly all) are unchanged.

The import step already replaces such characters by U+FFFD (one for one, so
offsets stay true); these rules are the safety net for everything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from annotator.numbers import code_point

#: Code points XML 1.0 cannot contain (besides the CR that parsers normalise).
_UNREPRESENTABLE = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"

_TEXT_SPECIAL = re.compile(f"[&<>\r{_UNREPRESENTABLE}]")
_ATTR_SPECIAL = re.compile(f'[&<>"\t\n\r{_UNREPRESENTABLE}]|\\\\u\\{{')
_PRIVATE_SPECIAL = re.compile(f"[{_UNREPRESENTABLE}]|\\\\u\\{{")
_ATTR_ESCAPE = re.compile(r"\\u\{([0-9A-F]{1,6})\}")
_ENTITIES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\t": "&#9;",
    "\n": "&#10;",
    "\r": "&#13;",
    "\\u{": "\\u{5C}u{",
}

#: The element that stands for one unrepresentable code point in element text.
CHAR_TAG = "c"


def _text_repl(m: re.Match[str]) -> str:
    ch = m.group()
    entity = _ENTITIES.get(ch)
    if entity is not None:
        return entity
    return f'<{CHAR_TAG} u="{ord(ch):04X}"/>'


def text_content(s: str) -> str:
    """``s`` as XML element content (markup included); exact round trip via read_text."""
    if _TEXT_SPECIAL.search(s) is None:
        return s
    return _TEXT_SPECIAL.sub(_text_repl, s)


def _attr_repl(m: re.Match[str]) -> str:
    ch = m.group()
    entity = _ENTITIES.get(ch)
    if entity is not None:
        return entity
    return f"\\u{{{ord(ch):04X}}}"


def attr_value(s: str) -> str:
    """``s`` escaped for use between double quotes; exact round trip via attr_text."""
    if not needs_attr_escape(s):
        return s
    return _ATTR_SPECIAL.sub(_attr_repl, s)


def private_escape(s: str) -> str:
    """Only the ``\\u{HEX}`` part of attr_value: for values set through lxml's API."""
    if _PRIVATE_SPECIAL.search(s) is None:
        return s
    return _PRIVATE_SPECIAL.sub(_attr_repl, s)


def needs_attr_escape(s: str) -> bool:
    """Whether attr_value would change ``s``; one call can vet several values joined.

    The common case is answered by C-speed string scans (``isprintable`` is
    False for every control, surrogate and non-character); the regex only runs
    when one of them finds something (also for harmless format characters).
    """
    if (
        s.isprintable()
        and '"' not in s
        and "&" not in s
        and "<" not in s
        and ">" not in s
        and "\\u{" not in s
    ):
        return False
    return _ATTR_SPECIAL.search(s) is not None


def attr_text(value: str) -> str:
    """Undo attr_value's private escape on a value read by an XML parser.

    Raises ValueError for an escape beyond U+10FFFF (no writer makes one).
    """
    if "\\u{" not in value:
        return value
    return _ATTR_ESCAPE.sub(lambda m: code_point(m.group(1)), value)


def element_text(el: etree._Element) -> str:
    """The text of ``el`` with every ``<c u="..."/>`` turned back into its code point.

    Raises ValueError for a child that is not a valid ``<c>`` element.
    """
    text = el.text or ""
    if len(el) == 0:
        return text
    parts = [text]
    for child in el:
        if child.tag != CHAR_TAG:
            raise ValueError(f"<{child.tag}> is not allowed inside <{el.tag}>")
        parts.append(code_point(child.get("u", "")))
        parts.append(child.tail or "")
    return "".join(parts)


def attr_items(pairs: Iterator[tuple[str, str]]) -> str:
    """`` k="v"`` for every pair with a non-empty value (already in the wanted order)."""
    return "".join(f' {k}="{attr_value(v)}"' for k, v in pairs if v)
