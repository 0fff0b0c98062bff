"""Code points <-> UTF-16 units, the one conversion between our model and Qt.

The model counts Unicode code points (Python ``str`` indices); Qt's text classes
count UTF-16 code units, where every character beyond the Basic Multilingual
Plane (emoji, CJK Extension B) takes two. A table of where those "astral"
characters are and ``bisect`` make both directions O(log n) even for a
1 MB release, which matters because painting converts on every block.

Qt-free on purpose, so it is tested without a display.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right


class OffsetMap:
    """Converts positions in one text. Build once per text (O(n)), query in O(log n)."""

    __slots__ = ("_astral_cp", "_astral_u16", "length", "length_u16")

    def __init__(self, text: str) -> None:
        # Fast path: a text with no astral characters maps 1:1. Encoding to
        # UTF-16 and comparing lengths is far quicker than a Python loop.
        self.length = len(text)
        u16 = len(text.encode("utf-16-le", "surrogatepass")) // 2
        self.length_u16 = u16
        if u16 == len(text):
            self._astral_cp: list[int] = []
        else:
            self._astral_cp = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        #: where each astral character starts in UTF-16 units
        self._astral_u16 = [cp + k for k, cp in enumerate(self._astral_cp)]

    @property
    def identity(self) -> bool:
        """True when code points and UTF-16 units coincide (no astral characters)."""
        return not self._astral_cp

    def to_utf16(self, cp: int) -> int:
        """UTF-16 position of code-point position ``cp`` (0 <= cp <= len(text))."""
        if not self._astral_cp:
            return cp
        return cp + bisect_left(self._astral_cp, cp)

    def to_cp(self, u16: int) -> int:
        """Code-point position of UTF-16 position ``u16``.

        A position inside a surrogate pair (which Qt can report while a cursor
        moves) rounds down to the start of that character.
        """
        if not self._astral_u16:
            return u16
        return u16 - bisect_right(self._astral_u16, u16 - 1)

    def span_to_utf16(self, start: int, end: int) -> tuple[int, int]:
        return self.to_utf16(start), self.to_utf16(end)

    def span_to_cp(self, start: int, end: int) -> tuple[int, int]:
        return self.to_cp(start), self.to_cp(end)
