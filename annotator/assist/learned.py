"""Learning from the user: what they tagged once is suggested wherever it recurs.

Every annotation in the user's layer (made by hand, imported, or accepted from
a suggestion) is evidence: the same words elsewhere in the project, in any
case and singular or plural, are suggested with the same tag and attributes,
as INCEpTION's string-matching recommender does. Where the user gave one
string several tags, the tag (and attributes) they gave it most often wins.
Discontinuous annotations are left out: their pieces alone are not what the
user tagged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from annotator.assist.lexicon import Entry, PhraseLexicon
from annotator.assist.suggestion import Evidence, Suggestion
from annotator.assist.text import Analysed, norm, tokenize
from annotator.model.project import Annotation, Document, Fragment
from annotator.model.tagset import AttrValue, TagSet

#: Words that alone are no evidence of anything ("the", "of").
_FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "or",
        "to",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "this",
        "that",
        "it",
        "its",
        "his",
        "her",
        "their",
        "he",
        "she",
        "they",
        "we",
        "i",
    ]
)
#: Strings shorter than this (in characters) are not learned.
MIN_CHARS = 3
#: Strings longer than this many words are clauses, not names or groups: not learned.
MAX_WORDS = 12


@dataclass(frozen=True, slots=True)
class Learned:
    tag: str
    attributes: tuple[tuple[str, AttrValue], ...]
    example: str
    doc_id: str

    @property
    def reason(self) -> str:
        return f"you tagged “{self.example}” as {self.tag} ({self.doc_id})"


class LearnedSuggester:
    """The strings of the user's layer, found again elsewhere."""

    name = "learned"
    label = "Learned from your tags"

    def __init__(self, examples: Iterable[tuple[Document, Annotation]]) -> None:
        votes: dict[tuple[str, ...], Counter[tuple[str, tuple[tuple[str, AttrValue], ...]]]] = {}
        first: dict[tuple[tuple[str, ...], str], tuple[str, str]] = {}
        for doc, ann in examples:
            if len(ann.fragments) != 1:
                continue
            covered = doc.text[ann.start : ann.end]
            words = tuple(norm(w) for w in tokenize(covered)[0])
            if not _learnable(covered, words):
                continue
            attrs = tuple(sorted(ann.attributes.items()))
            votes.setdefault(words, Counter())[(ann.tag, attrs)] += 1
            first.setdefault((words, ann.tag), (covered, doc.id))
        self.learned: dict[tuple[str, ...], Learned] = {}
        for words, counter in votes.items():
            (tag, attrs), _ = counter.most_common(1)[0]
            example, doc_id = first[(words, tag)]
            self.learned[words] = Learned(tag, attrs, example, doc_id)
        self.lexicon = _lexicon(self.learned)
        #: per tag set, the attributes each learned string still may carry (None: its tag is gone)
        self._valid: dict[int, dict[tuple[str, ...], dict[str, AttrValue] | None]] = {}

    def __len__(self) -> int:
        return len(self.learned)

    def suggest(
        self, document: Analysed, tagset: TagSet, evidence: Evidence
    ) -> Iterator[Suggestion]:
        if not self.learned:
            return
        valid: dict[tuple[str, ...], dict[str, AttrValue] | None] = self._valid.setdefault(
            id(tagset), {}
        )
        for i, j, entry in self.lexicon.matches(document.norms):
            learned = self.learned[entry.words]
            attrs = valid.get(entry.words, {})
            if attrs == {} and entry.words not in valid:
                attrs = valid[entry.words] = (
                    _still_valid(tagset, learned) if tagset.has_tag(learned.tag) else None
                )
            if attrs is None:
                continue
            yield Suggestion(
                doc_id=document.id,
                tag=learned.tag,
                fragments=(Fragment(document.start(i), document.end(j - 1)),),
                suggester=self.name,
                reason=learned.reason,
                attributes=attrs,
            )


def _learnable(covered: str, words: tuple[str, ...]) -> bool:
    if len(covered.strip()) < MIN_CHARS or not words or len(words) > MAX_WORDS:
        return False
    if not any(c.isalpha() for c in covered):
        return False
    return not all(w in _FUNCTION_WORDS or not w[0].isalnum() for w in words)


def _lexicon(learned: dict[tuple[str, ...], Learned]) -> PhraseLexicon:
    lexicon = PhraseLexicon([])
    for words in learned:
        node = lexicon.root
        for w in words:
            node = node.children.setdefault(w, type(lexicon.root)())
        node.entry = Entry(words, ())
    return lexicon


def _still_valid(tagset: TagSet, learned: Learned) -> dict[str, AttrValue]:
    """The learned attributes the tag set still defines (it may have changed since)."""
    defs = {a.name: a for a in tagset.tag(learned.tag).attributes}
    out: dict[str, AttrValue] = {}
    for name, value in learned.attributes:
        attr = defs.get(name)
        if attr is None:
            continue
        values = (value,) if isinstance(value, str) else value
        if attr.closed and any(v not in attr.values for v in values):
            continue
        out[name] = value
    return out


def layer_examples(
    documents: dict[str, Document], layer_docs: dict[str, Iterable[Annotation]]
) -> Iterator[tuple[Document, Annotation]]:
    for doc_id, anns in layer_docs.items():
        doc = documents.get(doc_id)
        if doc is None:
            continue
        for ann in anns:
            yield doc, ann
