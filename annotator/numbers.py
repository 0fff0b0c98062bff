"""Numbers and character codes read from files, bounded before they are converted.

A damaged or hostile file can hold a number thousands of digits long, where
Python's ``int()`` stops with a ValueError beyond 4,300 digits (and takes
quadratic time below that), or a character code beyond U+10FFFF, where
``chr()`` fails. Every reader converts through these functions: a number is
checked while it is still short text, against what it is for (an offset
against the length of its text), and the caller turns the ValueError into its
format's one-sentence error naming the file and line. The error is
:class:`~annotator.errors.BadNumber`, a ValueError that is also an
AnnotatorError: a reader that lets it through still ends in one clean line.
"""

from __future__ import annotations

from annotator.errors import BadNumber

#: More digits than any offset, counter or id number annotator writes (a
#: quintillion), far fewer than ``int()``'s limit.
MAX_DIGITS = 18

#: What :func:`number_key` gives every longer run of digits.
CEILING: int = int("1" + "0" * MAX_DIGITS)

#: Unicode's last code point.
MAX_CODE_POINT = 0x10FFFF

_HEX = frozenset("0123456789abcdefABCDEF")


def excerpt(text: str, width: int = 24) -> str:
    """``text`` short enough to quote in a one-line message."""
    return text if len(text) <= width else text[: width - 1] + "…"


def parse_offset(text: str, limit: int) -> int:
    """ASCII decimal ``text`` as an int from 0 to ``limit``; BadNumber otherwise.

    Only the digits 0-9: ``str.isdigit`` also accepts superscripts and other
    scripts' digits, which no file format means as offsets.
    """
    if not text or not (text.isascii() and text.isdigit()):
        raise BadNumber(f"{excerpt(text)!r} is not a number")
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(limit)):
        raise BadNumber(f"{excerpt(text)} is beyond {limit}")
    value = int(digits)
    if value > limit:
        raise BadNumber(f"{value} is beyond {limit}")
    return value


def number_key(digits: str) -> int:
    """The value of a run of decimal digits for sorting and counting ids; runs longer
    than :data:`MAX_DIGITS` all count as :data:`CEILING` (no id counter gets there)."""
    if len(digits) > MAX_DIGITS:
        return CEILING
    return int(digits)


def code_point(text: str, *, base: int = 16, surrogates: bool = True) -> str:
    """The character whose code is ``text`` (hexadecimal, or decimal with ``base=10``).

    BadNumber beyond U+10FFFF, for anything but digits of the base, and with
    ``surrogates=False`` for U+D800-U+DFFF (XML character references may not
    name them). The project format's own escapes do name them: that is how
    its writers keep a lone surrogate in a value, so they pass the default.
    """
    digits = "0123456789" if base == 10 else _HEX
    if not text or len(text) > 8 or any(ch not in digits for ch in text):
        raise BadNumber(f"{excerpt(text)!r} is not a character code")
    code = int(text, base)
    if code > MAX_CODE_POINT:
        raise BadNumber(f"U+{code:X} is beyond the last Unicode code point U+10FFFF")
    if not surrogates and 0xD800 <= code <= 0xDFFF:
        raise BadNumber(f"U+{code:04X} is a surrogate, not a character")
    return chr(code)


__all__ = [
    "CEILING",
    "MAX_CODE_POINT",
    "MAX_DIGITS",
    "code_point",
    "excerpt",
    "number_key",
    "parse_offset",
]
