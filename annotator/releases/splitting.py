"""Splitting a file that holds several releases at their end markers.

Press offices send batches: one file, many releases, each closed by a line
such as ``ENDS``. A line is an end marker when, ignoring case and
surrounding whitespace, it is the word ``ENDS`` (or ``END`` with some
decoration) wrapped only in punctuation: ``ENDS``, ``/ENDS``, ``..../ENDS``,
``...ENDS/``, ``-ends-``, ``- ENDS -``, ``ENDS.``, ``*** END ***``, ``[ENDS]``.
A bare ``END`` is not a marker (it is too often a word on its own line).

The marker line belongs to no release. Pieces that hold only whitespace
(after the last marker, or between two markers) are dropped. A file with no
marker is one release.
"""

from __future__ import annotations

import re

#: An end marker on a line of its own (see the module docstring).
END_MARKER = re.compile(
    r"[^\w\n]*(?:ENDS|(?<=[^\s\w])[ \t]*END|END(?=[ \t]*[^\s\w]))[^\w\n]*",
    re.IGNORECASE,
)
#: The same after a newline: a literal first character lets the regex engine skip
#: straight to line starts, which makes splitting a large file several times faster.
_MARKER_LINE = re.compile(r"\n" + END_MARKER.pattern + r"(?=\n|\Z)", re.IGNORECASE)


def is_end_marker(line: str) -> bool:
    """Whether ``line`` (without its newline) is an end marker."""
    return END_MARKER.fullmatch(line.strip()) is not None


def release_spans(text: str) -> list[tuple[int, str]]:
    """(offset in ``text``, piece) of each release, as :func:`split_releases` cuts them."""
    spans: list[tuple[int, str]] = []
    pos = 0
    # in "\n" + text, a match's start is the offset of the marker line in text
    for match in _MARKER_LINE.finditer("\n" + text):
        spans.append((pos, text[pos : match.start()]))
        pos = match.end()  # in text: one past the marker line, after its newline
    spans.append((pos, text[pos:]))
    return [(start, piece) for start, piece in spans if piece.strip()]


def split_releases(text: str) -> list[str]:
    """The releases in ``text``, without their end-marker lines, in file order.

    Each piece keeps its text exactly (line breaks included); pieces that are
    empty or whitespace-only are dropped.
    """
    return [piece for _, piece in release_spans(text)]


__all__ = ["END_MARKER", "is_end_marker", "release_spans", "split_releases"]
