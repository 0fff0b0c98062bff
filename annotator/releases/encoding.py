"""Deciding how the bytes of a plain-text release are encoded.

Releases arrive as UTF-8 (with or without a byte-order mark), as UTF-16 from
Windows tools, and as old cp1252 or Latin-1 files with Windows "smart quotes".
We try the encodings from the most to the least self-checking:

1. a byte-order mark (UTF-32, UTF-8, UTF-16) decides outright;
2. BOM-less UTF-16 is recognised by its zero bytes: ASCII text in UTF-16 LE
   has a zero in most odd positions and none in even ones (BE the reverse);
3. strict UTF-8 — random cp1252 text almost never decodes as UTF-8;
4. cp1252, when it decodes (only five bytes are undefined in it); bytes
   0x80–0x9F are then smart quotes and dashes, which is what such files mean;
5. Latin-1, which decodes any byte.

Decoded text in which more than 2% of the first 8192 characters are control
characters that text never holds (NUL, BEL, ...) is binary data, whatever
encoding decoded it, and :func:`decode_text` refuses it.
"""

from __future__ import annotations

import codecs
import re

from annotator.errors import BinaryFile, EmptyFile

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: How many leading bytes the sniffing heuristics look at.
SNIFF_BYTES = 8192

#: Controls that plain text never holds: all C0 but tab, LF, VT, FF, CR and ESC (ANSI colours).
_NON_TEXT_CONTROLS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")

#: Bytes where cp1252 and Latin-1 differ (smart quotes, dashes, euro sign).
_C1_BYTES = re.compile(rb"[\x80-\x9f]")


def bom_encoding(data: bytes) -> str | None:
    """The codec named by a byte-order mark at the start of ``data``, if any."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` if ``data`` looks like BOM-less UTF-16 text."""
    head = data[: SNIFF_BYTES - SNIFF_BYTES % 2]
    if len(head) < 4 or len(data) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    zeros_even, zeros_odd = even.count(0), odd.count(0)
    pairs = len(head) // 2
    if zeros_odd > 0.4 * pairs and zeros_even < 0.05 * pairs:
        name = "utf-16-le"
    elif zeros_even > 0.4 * pairs and zeros_odd < 0.05 * pairs:
        name = "utf-16-be"
    else:
        return None
    try:
        data.decode(name)
    except UnicodeDecodeError:
        return None
    return name


def looks_binary(text: str) -> bool:
    """True if over 2% (and more than two) of the first characters are controls text never holds.

    A stray NUL or BEL in a long release is damage, not binary data: the
    control-character rule turns it into U+FFFD. Images, archives and
    executables are full of such bytes.
    """
    head = text[:SNIFF_BYTES]
    bad = len(_NON_TEXT_CONTROLS.findall(head))
    return bad > max(2, 0.02 * len(head))


def decode_text(data: bytes, *, source: str = "") -> tuple[str, str]:
    """(text, codec name) for the bytes of a text file.

    Raises :class:`EmptyFile` for no bytes or only whitespace and
    :class:`BinaryFile` for data that is not text in any encoding we accept.
    The text is returned as decoded: newlines and controls are the caller's
    business (see :mod:`annotator.releases.characters`).
    """
    where = source or None
    if not data:
        raise EmptyFile("the file is empty", path=where)
    name = bom_encoding(data) or utf16_without_bom(data)
    text: str | None = None
    if name is not None:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            raise BinaryFile(
                f"the file starts like {name.upper()} text but is not valid {name.upper()}",
                path=where,
            ) from None
    else:
        try:
            text, name = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, name = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                text, name = data.decode("latin-1"), "latin-1"
            if name == "cp1252" and _C1_BYTES.search(data) is None:
                name = "latin-1"  # identical for these bytes; the plainer name
    if looks_binary(text):
        raise BinaryFile("the file holds binary data, not text", path=where)
    if not text.strip():
        raise EmptyFile("the file holds only whitespace", path=where)
    return text, name


__all__ = ["SNIFF_BYTES", "bom_encoding", "decode_text", "looks_binary", "utf16_without_bom"]
