"""The project format's reversible escape for what XML 1.0 cannot hold, reused by exports.

Element text: ``& < >`` as entities, CR as ``&#13;``, an unrepresentable code
point as ``<c u="HHHH"/>``. Attribute values: tab/LF/CR as character
references, an unrepresentable code point as ``\\u{HHHH}`` (and a literal
``\\u{`` as ``\\u{5C}u{``). The rules live in :mod:`annotator.formats.xmltext`
(fmt); this module falls back to an identical copy while that is not merged.
"""

from __future__ import annotations

import re

from lxml import etree

try:  # pragma: no cover - whichever is present
    from annotator.formats.xmltext import (  # type: ignore[import-not-found,unused-ignore]
        CHAR_TAG,
        attr_text,
        attr_value,
        text_content,
    )
except ImportError:  # pragma: no cover
    _UNREPRESENTABLE = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
    _TEXT_SPECIAL = re.compile(f"[&<>\r{_UNREPRESENTABLE}]")
    _ATTR_SPECIAL = re.compile(f'[&<>"\t\n\r{_UNREPRESENTABLE}]|\\\\u\\{{')
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
    CHAR_TAG = "c"

    def _text_repl(m: re.Match[str]) -> str:
        ch = m.group()
        return _ENTITIES.get(ch) or f'<{CHAR_TAG} u="{ord(ch):04X}"/>'

    def text_content(s: str) -> str:
        return _TEXT_SPECIAL.sub(_text_repl, s) if _TEXT_SPECIAL.search(s) else s

    def _attr_repl(m: re.Match[str]) -> str:
        ch = m.group()
        return _ENTITIES.get(ch) or f"\\u{{{ord(ch):04X}}}"

    def attr_value(s: str) -> str:
        return _ATTR_SPECIAL.sub(_attr_repl, s) if _ATTR_SPECIAL.search(s) else s

    def attr_text(value: str) -> str:
        if "\\u{" not in value:
            return value
        return _ATTR_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)


_UNSAFE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def char_of(el: etree._Element) -> str:
    """The code point a ``<c u="HHHH"/>`` element stands for (ValueError if invalid)."""
    code = int(el.get("u", ""), 16)
    if code > 0x10FFFF:
        raise ValueError(f"U+{code:X} is not a Unicode code point")
    return chr(code)


def has_unrepresentable(s: str) -> bool:
    return _UNSAFE_RE.search(s) is not None


def attrs(pairs: list[tuple[str, str]]) -> str:
    """`` k="v"`` for every pair (values escaped), in the given order."""
    return "".join(f' {k}="{attr_value(v)}"' for k, v in pairs)


__all__ = ["CHAR_TAG", "attr_text", "attr_value", "attrs", "char_of", "text_content"]
