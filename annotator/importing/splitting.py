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
    r"^[^\w\n]*(?:ENDS|(?<=[^\s\w])[ \t]*END|END(?=[ \t]*[^\s\w]))[^\w\n]*$",
    re.IGNORECASE | re.MULTILINE,
)


def is_end_marker(line: str) -> bool:
    """Whether ``line`` (without its newline) is an end marker."""
    return END_MARKER.fullmatch(line.strip()) is not None


def split_releases(text: str) -> list[str]:
    """The releases in ``text``, without their end-marker lines, in file order.

    Each piece keeps its text exactly (line breaks included); pieces that are
    empty or whitespace-only are dropped.
    """
    pieces: list[str] = []
    pos = 0
    for match in END_MARKER.finditer(text):
        pieces.append(text[pos : match.start()])
        pos = match.end() + 1  # the newline after the marker, if any
    pieces.append(text[pos:])
    return [piece for piece in pieces if piece.strip()]


__all__ = ["END_MARKER", "is_end_marker", "split_releases"]
