"""The project format's reversible escape for what XML 1.0 cannot hold, reused by exports.

Element text: ``& < >`` as entities, CR as ``&#13;``, an unrepresentable code
point as ``<c u="HHHH"/>``. Attribute values: tab/LF/CR as character
references, an unrepresentable code point as ``\\u{HHHH}`` (and a literal
``\\u{`` as ``\\u{5C}u{``). The rules live in :mod:`annotator.formats.xmltext`;
this module only adds what the exporters need on top.
"""

from __future__ import annotations

import re

from lxml import etree

from annotator.formats.xmltext import CHAR_TAG, attr_text, attr_value, text_content
from annotator.numbers import code_point

_UNSAFE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def char_of(el: etree._Element) -> str:
    """The code point a ``<c u="HHHH"/>`` element stands for (ValueError if invalid)."""
    return code_point(el.get("u", ""))


def has_unrepresentable(s: str) -> bool:
    return _UNSAFE_RE.search(s) is not None


def attrs(pairs: list[tuple[str, str]]) -> str:
    """`` k="v"`` for every pair (values escaped), in the given order."""
    return "".join(f' {k}="{attr_value(v)}"' for k, v in pairs)


__all__ = ["CHAR_TAG", "attr_text", "attr_value", "attrs", "char_of", "text_content"]
