"""Turning overlapping standoff spans into properly nested pieces (for inline XML and TEI).

XML elements must nest; annotations need not. :func:`nest` walks the text once
and yields open/close/text events in which every annotation fragment becomes
one or more pieces: when an annotation ends while another that started inside
it (or began earlier and is nested deeper) is still open, the deeper one is
closed and reopened right after. Paragraphs are outermost and never split:
annotations are closed at a paragraph's start and end and reopened around it.

At each boundary the elements to (re)open are ordered longest first, which keeps
the number of splits small. Pieces of one annotation are numbered in document
order by the writer (``part="2/3"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from annotator.model import Annotation, annotation_order

_PARA_SEP = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of paragraphs: text between blank lines that holds more than whitespace."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _PARA_SEP.finditer(text):
        if text[pos : m.start()].strip():
            spans.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        spans.append((pos, len(text)))
    return spans


@dataclass(slots=True)
class Open:
    """An element being written: a paragraph (``ann`` None) or a piece of an annotation."""

    ann: Annotation | None
    end: int


def nest(
    text: str, annotations: list[Annotation], paras: list[tuple[int, int]]
) -> Iterator[tuple[str, Open | str]]:
    starts: dict[int, list[tuple[int, Annotation]]] = {}
    bounds = {0, len(text)}
    for ann in annotations:
        for f in ann.fragments:
            starts.setdefault(f.start, []).append((f.end, ann))
            bounds.add(f.start)
            bounds.add(f.end)
    para_at = dict(paras)
    for s, e in paras:
        bounds.add(s)
        bounds.add(e)
    order = sorted(bounds)
    stack: list[Open] = []
    for i, x in enumerate(order):
        reopen: list[Open] = []
        # 1. close what ends here, and everything opened inside it
        low = next((k for k, o in enumerate(stack) if o.end == x), None)
        if low is not None:
            for o in reversed(stack[low:]):
                yield "close", o
            reopen = [o for o in stack[low:] if o.end != x]
            del stack[low:]
        # 2. a paragraph opens outermost: close open pieces, reopen them inside it
        if x in para_at and x < para_at[x]:
            for o in reversed(stack):
                yield "close", o
            reopen = stack + reopen
            stack = []
            p = Open(None, para_at[x])
            stack.append(p)
            yield "open", p
        # 3. (re)open pieces, longest first; a piece never crosses a paragraph edge
        limit = _limit(stack, x, paras)
        fresh = [Open(o.ann, o.end) for o in reopen]
        fresh += [Open(ann, end) for end, ann in starts.get(x, ())]
        if x == len(text):
            fresh = []
        fresh.sort(key=lambda o: (-min(o.end, limit), annotation_order(o.ann) if o.ann else ()))
        for o in fresh:
            stack.append(o)
            yield "open", o
        if i + 1 < len(order):
            yield "text", text[x : order[i + 1]]
    for o in reversed(stack):
        yield "close", o


def _limit(stack: list[Open], x: int, paras: list[tuple[int, int]]) -> int:
    """Where the innermost container (paragraph or gap between paragraphs) ends."""
    if stack and stack[0].ann is None:
        return stack[0].end
    for s, _e in paras:
        if s > x:
            return s
    return 1 << 62
