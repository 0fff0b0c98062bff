"""Newlines and the characters XML 1.0 cannot hold, made safe at import.

Release texts come from PDFs, Word exports and old mail archives, so they carry
carriage returns, page breaks and the odd stray control code. A project file is
XML 1.0, which cannot hold most C0 controls at all, so we decide once, here,
what each becomes. Every rule below replaces **one code point with one code
point** (CRLF is the only exception: two become one), so the stored text keeps
the shape of the source and no offset arithmetic is needed afterwards.

The rule:

* ``CR LF`` and a lone ``CR`` become ``LF``.
* Tab (U+0009) and line feed (U+000A) are kept.
* Form feed (U+000C, a page break from ``pdftotext``) and vertical tab
  (U+000B, Word's manual line break in text exports) become ``LF``, one for
  one. ``pdftotext`` writes the form feed right after a line's newline, so a
  page break turns into a blank line, which layout repair reads as a
  paragraph break in single-spaced text; with ``keep_layout`` it simply stays
  a line break, and offsets into the stored text still match the source.
* Every other C0 control (U+0000–U+0008, U+000E–U+001F), lone surrogates
  (U+D800–U+DFFF) and the non-characters U+FFFE and U+FFFF become
  U+FFFD REPLACEMENT CHARACTER, one for one, so the reader sees that
  something was there.
* C1 controls (U+0080–U+009F) are legal in XML 1.0 and are left alone.

The project writer escapes anything that slips past this (text added later by
other means), so saving never fails either way.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"

#: Code points XML 1.0 cannot hold (CR excluded: newline normalisation removes it first).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_LINE_BREAKS = {"\x0b": "\n", "\x0c": "\n"}


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _replace(match: re.Match[str]) -> str:
    return _LINE_BREAKS.get(match.group(), REPLACEMENT)


#: UTF-8 bytes that start a forbidden code point: C0 controls, and the lead bytes of
#: U+D000–U+DFFF (surrogates) and U+F000–U+FFFF (U+FFFE, U+FFFF).
_SUSPECT_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xED, 0xEF])


def make_xml_safe(text: str) -> str:
    """Apply the rule in the module docstring; the length never changes."""
    # Fast path: bytes.translate scans in C, many times faster than a regex over
    # the text; only text with a suspect byte pays for the regex.
    encoded = text.encode("utf-8", "surrogatepass")
    if len(encoded.translate(None, _SUSPECT_BYTES)) == len(encoded):
        return text
    if _FORBIDDEN.search(text) is None:
        return text
    return _FORBIDDEN.sub(_replace, text)


def clean_text(text: str) -> str:
    """Newline normalisation, then :func:`make_xml_safe`: what every source goes through."""
    return make_xml_safe(normalise_newlines(text))


__all__ = ["REPLACEMENT", "clean_text", "make_xml_safe", "normalise_newlines"]
