"""The sentence around an annotation, for analysts' tables and reports.

Sentences end at ``.``, ``!`` or ``?`` (with any closing quotes or brackets)
followed by white space, and at paragraph breaks (a blank line). PDF-extracted
releases break lines inside sentences, so line breaks inside a sentence are
shown as spaces.
"""

from __future__ import annotations

import bisect
import re

from annotator.model import Annotation

_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s)|\n\s*\n")
_SPACE = re.compile(r"\s+")


class SentenceIndex:
    """Sentence boundaries of one text, computed once, looked up by bisection."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ends = [m.end() for m in _END.finditer(text)]

    def sentence_span(self, start: int, end: int) -> tuple[int, int]:
        """The span from the start of the sentence holding ``start`` to the end of the one
        holding ``end - 1`` (leading and trailing white space dropped)."""
        i = bisect.bisect_right(self.ends, start)
        s = self.ends[i - 1] if i > 0 else 0
        j = bisect.bisect_left(self.ends, end)
        e = self.ends[j] if j < len(self.ends) else len(self.text)
        while s < start and self.text[s].isspace():
            s += 1
        while e > end and self.text[e - 1].isspace():
            e -= 1
        return s, e

    def context(self, ann: Annotation, *, limit: int = 600) -> str:
        """The sentence(s) around ``ann``, on one line; long ones trimmed around it."""
        s, e = self.sentence_span(ann.start, ann.end)
        if e - s > limit:
            s = max(s, ann.start - limit // 2)
            e = min(e, max(ann.end, s + limit))
        return _SPACE.sub(" ", self.text[s:e]).strip()


def one_line(s: str) -> str:
    return _SPACE.sub(" ", s).strip()
