"""What the Annotations panel's text filter searches, prepared once per release.

The filter matches a case-folded text per annotation (tag label, attributes,
author, covered text, note). Working those out for every annotation on every
keystroke took seconds at 200,000 annotations. This index keeps them per
(layer, release) block, with the block's texts also joined in one string, so a
search asks the joined string first (one fast substring search) and looks at
single annotations only in blocks that match at all. Edits update the entries
of the annotations their ``Change`` names; a text correction drops the release's
blocks, which are built again on the next search.

No Qt here: the panel's model hands in how to describe an annotation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from annotator.model import Annotation

Block = tuple[str, str]  # layer, document id
#: between two annotations' texts in a block's joined string: no text holds it
#: (XML cannot carry it), so a match never spans two annotations
SEP = "\x00"


class SearchIndex:
    """Case-folded search texts of annotations, built per block on first search.

    A block keeps its annotation ids and their texts joined in one string (the
    texts are not kept apart as well: at 200,000 annotations that doubled the
    memory). Edits are noted per block and worked in at the block's next search.
    """

    def __init__(self, describe: Callable[[str, Annotation], str]) -> None:
        """``describe(doc_id, annotation)`` is the text the filter searches (any case)."""
        self._describe = describe
        self._blocks: dict[Block, tuple[list[str], str]] = {}
        #: block -> {annotation id: its new text, or None if it went}, since built
        self._pending: dict[Block, dict[str, str | None]] = {}

    def __len__(self) -> int:
        """Blocks indexed so far."""
        return len(self._blocks)

    def prepare(self, block: Block, annotations: Mapping[str, Annotation]) -> tuple[list[str], str]:
        """The block's annotation ids and their joined search texts, built if missing."""
        entry = self._blocks.get(block)
        pending = self._pending.pop(block, None)
        if entry is None:
            doc_id, describe = block[1], self._describe
            ids = list(annotations)
            joined = SEP.join(describe(doc_id, annotations[aid]).casefold() for aid in ids)
            entry = self._blocks[block] = (ids, joined)
        elif pending:
            texts = dict(zip(entry[0], entry[1].split(SEP), strict=True)) if entry[0] else {}
            for aid, text in pending.items():
                if text is None:
                    texts.pop(aid, None)
                else:
                    texts[aid] = text
            entry = self._blocks[block] = (list(texts), SEP.join(texts.values()))
        return entry

    def matching(self, block: Block, annotations: Mapping[str, Annotation], text: str) -> set[str]:
        """Ids of the block's annotations whose search text holds ``text`` (case-folded)."""
        if SEP in text:
            return set()
        ids, joined = self.prepare(block, annotations)
        if text not in joined:
            return set()
        return {aid for aid, t in zip(ids, joined.split(SEP), strict=True) if text in t}

    def update(
        self, block: Block, annotations: Mapping[str, Annotation], ids: Iterable[str]
    ) -> None:
        """The named annotations of a block came, went or changed."""
        if block not in self._blocks:
            return  # not searched yet: built from the model when it is
        pending = self._pending.setdefault(block, {})
        for aid in ids:
            ann = annotations.get(aid)
            pending[aid] = None if ann is None else self._describe(block[1], ann).casefold()

    def forget(self, block: Block) -> None:
        self._blocks.pop(block, None)
        self._pending.pop(block, None)

    def forget_document(self, doc_id: str) -> None:
        for block in [b for b in self._blocks if b[1] == doc_id]:
            self.forget(block)

    def clear(self) -> None:
        self._blocks.clear()
        self._pending.clear()
