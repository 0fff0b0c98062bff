"""Which annotation pieces fall in which text block, for painting (Qt-free).

The text view paints annotations instead of writing formats into the document,
so it needs, for each block (paragraph) Qt asks it to paint, the annotation
pieces inside that block and a stacking level for each, so overlapping and
nested annotations get separate underlines (the way brat stacks boxes).

Buckets per block are filled once on load; an edit (a core ``Change``) only
refreshes the blocks its ``spans`` touch, and tells the caller which blocks
those are so only they are re-highlighted.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from annotator.model import Annotation, Change

BLOCK_SEPARATORS = ("\n", "\u2029")


def display_text(text: str) -> str:
    """``text`` as the view shows it: same length, no character Qt would merge or drop.

    QTextDocument folds ``\\r\\n`` into one paragraph break (shifting every later
    offset) and reserves U+FDD0/U+FDD1 as frame markers.
    """
    # str.replace is a fast C loop; str.translate with a dict costs ~70 ms per MB
    for old, new in (("\r", " "), ("\ufdd0", "\ufffd"), ("\ufdd1", "\ufffd")):
        if old in text:
            text = text.replace(old, new)
    return text


def block_starts(text: str) -> list[int]:
    """Code-point offset where each QTextDocument block of ``text`` starts."""
    starts = [0]
    for sep in BLOCK_SEPARATORS:
        pos = text.find(sep)
        while pos != -1:
            starts.append(pos + 1)
            pos = text.find(sep, pos + 1)
    if len(starts) > 1:
        starts.sort()
    return starts


@dataclass(frozen=True, slots=True)
class Piece:
    """One fragment of one annotation, clipped to one block. Offsets are document code points."""

    start: int
    end: int
    layer: str
    ann: Annotation
    own: bool  # the user's (editable) layer
    level: int = 0  # stacking level among pieces of this block (0 = nearest the text)

    @property
    def key(self) -> tuple[str, str]:
        return (self.layer, self.ann.id)


def _order(p: Piece) -> tuple[int, int, int, int, str]:
    # the user's layer first, then reading order of whole annotations (outer before inner)
    return (0 if p.own else 1, p.ann.start, -p.ann.end, p.start, p.ann.id)


class HighlightIndex:
    """Per-block annotation pieces for one document and a set of visible layers."""

    def __init__(self, text: str, own_layer: str) -> None:
        self.own_layer = own_layer
        self.set_text(text)

    # --- building ---------------------------------------------------------------

    def set_text(self, text: str) -> None:
        self.text_length = len(text)
        self.starts = block_starts(text)
        self._raw: list[list[Piece]] = [[] for _ in self.starts]
        self._levelled: dict[int, list[Piece]] = {}
        self._layers: dict[str, Mapping[str, Annotation]] = {}
        self._known: dict[str, set[str]] = {}  # annotation ids indexed, per layer

    @property
    def block_count(self) -> int:
        return len(self.starts)

    def block_of(self, pos: int) -> int:
        """Number of the block holding code point ``pos``."""
        return max(0, bisect_right(self.starts, pos) - 1)

    def block_range(self, block: int) -> tuple[int, int]:
        """[start, end) of the block's text, without its separator."""
        start = self.starts[block]
        end = self.starts[block + 1] - 1 if block + 1 < len(self.starts) else self.text_length
        return start, end

    def set_layers(self, layers: Mapping[str, Mapping[str, Annotation]]) -> None:
        """Replace everything: ``layers`` maps layer name -> {id: annotation}."""
        self._raw = [[] for _ in self.starts]
        self._levelled.clear()
        self._layers = dict(layers)
        self._known = {name: set(anns) for name, anns in self._layers.items()}
        for name, anns in self._layers.items():
            self._add_layer(name, anns.values(), 0, len(self.starts) - 1)

    def _add_layer(self, name: str, anns: Iterable[Annotation], first: int, last: int) -> None:
        own = name == self.own_layer
        starts = self.starts
        lo_pos = starts[first]
        hi_pos = starts[last + 1] if last + 1 < len(starts) else self.text_length + 1
        raw = self._raw
        for ann in anns:
            for f in ann.fragments:
                if f.start >= hi_pos or f.end <= lo_pos:
                    continue
                b0 = max(first, bisect_right(starts, f.start) - 1)
                b1 = min(last, bisect_right(starts, max(f.start, f.end - 1)) - 1)
                for b in range(b0, b1 + 1):
                    bs, be = self.block_range(b)
                    s, e = max(f.start, bs), min(f.end, be)
                    if s < e:
                        raw[b].append(Piece(s, e, name, ann, own))

    # --- updating -------------------------------------------------------------------

    def blocks_touched(self, spans: Iterable[tuple[int, int]]) -> list[int]:
        touched: set[int] = set()
        for s, e in spans:
            b0 = self.block_of(s)
            b1 = self.block_of(max(s, e - 1))
            touched.update(range(b0, b1 + 1))
        return sorted(touched)

    def apply_change(
        self, change: Change, layer_anns: Mapping[str, Annotation] | None
    ) -> list[int]:
        """Refresh what ``change`` touched in one layer; return the touched block numbers.

        ``layer_anns`` is the layer's current {id: annotation} on this document
        (None if the layer is not shown). A change without spans refreshes the
        whole layer and returns every block.
        """
        name = change.layer
        if layer_anns is None:
            return []
        self._layers[name] = layer_anns
        known = self._known.get(name)
        if not change.spans or known is None:
            blocks = list(range(len(self.starts)))
            for k in blocks:
                self._raw[k] = [p for p in self._raw[k] if p.layer != name]
            self._levelled.clear()
            self._add_layer(name, layer_anns.values(), 0, len(self.starts) - 1)
            self._known[name] = set(layer_anns)
            return blocks
        blocks = self.blocks_touched(change.spans)
        if change.named:
            # the edit names its annotations, and its spans cover their old and new
            # fragments: nothing else in the layer needs a look
            candidates = set(change.ann_ids)
        else:
            # Only annotations with pieces in the touched blocks, or new ids, can have
            # changed: a command's spans cover both the old and the new fragments.
            candidates = set(layer_anns.keys() - known)
            for b in blocks:
                candidates.update(p.ann.id for p in self._raw[b] if p.layer == name)
        allowed = set(blocks)
        for b in blocks:
            self._raw[b] = [
                p for p in self._raw[b] if p.layer != name or p.ann.id not in candidates
            ]
            self._levelled.pop(b, None)
        own = name == self.own_layer
        for ann_id in candidates:
            ann = layer_anns.get(ann_id)
            if ann is None:
                known.discard(ann_id)
                continue
            known.add(ann_id)
            for f in ann.fragments:
                for b in self.blocks_touched(((f.start, f.end),)):
                    if b not in allowed:
                        continue
                    bs, be = self.block_range(b)
                    st, en = max(f.start, bs), min(f.end, be)
                    if st < en:
                        self._raw[b].append(Piece(st, en, name, ann, own))
        return blocks

    def drop_layer(self, name: str) -> list[int]:
        """Forget a layer (hidden); return the blocks that showed it."""
        self._layers.pop(name, None)
        self._known.pop(name, None)
        blocks = []
        for b, pieces in enumerate(self._raw):
            if any(p.layer == name for p in pieces):
                self._raw[b] = [p for p in pieces if p.layer != name]
                self._levelled.pop(b, None)
                blocks.append(b)
        return blocks

    # --- querying -------------------------------------------------------------------

    def pieces(self, block: int) -> list[Piece]:
        """The block's pieces in paint order, each with its stacking level."""
        if block < 0 or block >= len(self._raw):
            return []
        cached = self._levelled.get(block)
        if cached is not None:
            return cached
        raw = sorted(self._raw[block], key=_order)
        level_ends: list[int] = []  # per level, where its last piece ends
        # an annotation keeps one level across its fragments within a block
        ann_level: dict[tuple[str, str], int] = {}
        out: list[Piece] = []
        for p in raw:
            lvl = ann_level.get(p.key)
            if lvl is None or level_ends[lvl] > p.start:
                lvl = next((k for k, end in enumerate(level_ends) if end <= p.start), None)
                if lvl is None:
                    lvl = len(level_ends)
                    level_ends.append(0)
            level_ends[lvl] = max(level_ends[lvl], p.end)
            ann_level[p.key] = lvl
            out.append(Piece(p.start, p.end, p.layer, p.ann, p.own, lvl))
        self._levelled[block] = out
        return out

    def at(self, pos: int) -> list[Piece]:
        """Pieces covering code point ``pos``, innermost (shortest annotation) first."""
        hits = [p for p in self.pieces(self.block_of(pos)) if p.start <= pos < p.end]
        hits.sort(key=lambda p: (not p.own, p.ann.end - p.ann.start, p.ann.start))
        return hits

    def max_level(self, block: int) -> int:
        return max((p.level for p in self.pieces(block)), default=-1)
