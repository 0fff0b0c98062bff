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
    """Case-folded search texts of annotations, built per block on first search."""

    def __init__(self, describe: Callable[[str, Annotation], str]) -> None:
        """``describe(doc_id, annotation)`` is the text the filter searches (any case)."""
        self._describe = describe
        self._texts: dict[Block, dict[str, str]] = {}
        self._joined: dict[Block, str] = {}

    def __len__(self) -> int:
        """Blocks indexed so far."""
        return len(self._texts)

    def prepare(
        self, block: Block, annotations: Mapping[str, Annotation]
    ) -> tuple[dict[str, str], str]:
        """The block's search texts and their joined string, built if missing."""
        texts = self._texts.get(block)
        if texts is None:
            doc_id, describe = block[1], self._describe
            texts = {aid: describe(doc_id, ann).casefold() for aid, ann in annotations.items()}
            self._texts[block] = texts
        joined = self._joined.get(block)
        if joined is None:
            joined = self._joined[block] = SEP.join(texts.values())
        return texts, joined

    def matching(self, block: Block, annotations: Mapping[str, Annotation], text: str) -> set[str]:
        """Ids of the block's annotations whose search text holds ``text`` (case-folded)."""
        if SEP in text:
            return set()
        texts, joined = self.prepare(block, annotations)
        if text not in joined:
            return set()
        return {aid for aid, t in texts.items() if text in t}

    def update(
        self, block: Block, annotations: Mapping[str, Annotation], ids: Iterable[str]
    ) -> None:
        """The named annotations of a block came, went or changed."""
        texts = self._texts.get(block)
        if texts is None:
            return  # not searched yet: built from the model when it is
        for aid in ids:
            ann = annotations.get(aid)
            if ann is None:
                texts.pop(aid, None)
            else:
                texts[aid] = self._describe(block[1], ann).casefold()
        self._joined.pop(block, None)

    def forget(self, block: Block) -> None:
        self._texts.pop(block, None)
        self._joined.pop(block, None)

    def forget_document(self, doc_id: str) -> None:
        for block in [b for b in self._texts if b[1] == doc_id]:
            self.forget(block)

    def clear(self) -> None:
        self._texts.clear()
        self._joined.clear()
