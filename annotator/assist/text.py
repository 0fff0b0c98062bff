"""A release cut into the pieces the suggesters read: tokens, sentences, clauses.

Every offset is a code point of the document's text, as everywhere else in
the project. A document is analysed once and every suggester reads the same
:class:`Analysed` view, so a release is tokenised once however many
suggesters run on it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from itertools import accumulate

from annotator.model.project import Document

#: A word (letters or digits, with inner hyphens and apostrophes: "ill-treatment",
#: "Sané’s"), or one punctuation character.
TOKEN_RE = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")

#: Where a sentence ends: a full stop, question or exclamation mark (with any
#: closing quotes), followed by white space; or a blank line.
SENTENCE_END_RE = re.compile(r"[.!?]+[”\"’']*(?=\s)|\n\s*\n")

_IRREGULAR = {
    "women": "woman",
    "men": "man",
    "children": "child",
    "people": "person",
    "policemen": "policeman",
    "schoolchildren": "schoolchild",
    "personnel": "personnel",
    "police": "police",
    "news": "news",
    "series": "series",
    "species": "species",
    "authorities": "authority",
    "paramilitaries": "paramilitary",
    "militias": "militia",
    "headquarters": "headquarters",
}

_NORM_CACHE: dict[str, str] = {}


def norm(word: str) -> str:
    """A word's lookup form: lower case, curly apostrophe straight, plural made singular.

    Only the plural of nouns matters to the lexicons, so the rule is small and
    errs towards leaving a word alone ("status", "crisis", "press" stay).
    """
    cached = _NORM_CACHE.get(word)
    if cached is not None:
        return cached
    w = word.lower().replace("’", "'")
    if w.endswith("'s") and len(w) > 2:
        w = w[:-2]  # the government's failure: a possessive is its noun
    elif w.endswith("s'") and len(w) > 2:
        w = w[:-1]
    out = _IRREGULAR.get(w)
    if out is None:
        out = w
        if len(w) > 3 and w.endswith("s") and w[-1:].isalpha():
            if w.endswith("ies") and len(w) > 4:
                out = w[:-3] + "y"
            elif w.endswith(("sses", "ches", "shes", "xes", "zes")):
                out = w[:-2]
            elif not w.endswith(("ss", "us", "is", "'s")):
                out = w[:-1]
    if len(_NORM_CACHE) < 200_000:
        _NORM_CACHE[word] = out
    return out


#: The same words as TOKEN_RE, captured, so that ``split`` gives separators and
#: tokens in turn and their offsets come from summing lengths (in C, not per token).
_SPLIT_RE = re.compile(r"(\w+(?:[-'’]\w+)*|[^\w\s])")


class _NormCache(dict[str, str]):
    def __missing__(self, word: str) -> str:
        value = norm(word)
        if len(self) < 200_000:
            self[word] = value
        return value


_NORMS = _NormCache()


def tokenize(text: str) -> tuple[list[str], list[int]]:
    """(the tokens, and the offsets where separators and tokens end, in turn).

    Token ``i`` is ``[offsets[2i], offsets[2i + 1])``.
    """
    parts = _SPLIT_RE.split(text)
    return parts[1::2], list(accumulate(map(len, parts)))


@dataclass(slots=True)
class Analysed:
    """One document as the suggesters see it; tokens and sentences are computed once.

    Token ``i`` is ``words[i]``, its lookup form ``norms[i]``, and it spans
    ``[start(i), end(i))``. Tokens are kept as plain lists (a 10,000-release
    project has millions of them): no object per token.
    """

    document: Document
    _words: list[str] | None = field(default=None, repr=False)
    _offsets: list[int] = field(default_factory=list, repr=False)
    _norms: list[str] | None = field(default=None, repr=False)
    _keys: list[str] | None = field(default=None, repr=False)
    _sentences: list[tuple[int, int]] | None = field(default=None, repr=False)
    _sentence_starts: list[int] | None = field(default=None, repr=False)
    #: results a suggester keeps for others to reuse (the lexicons' phrases for the cue rules)
    memo: dict[str, object] = field(default_factory=dict, repr=False)

    @property
    def id(self) -> str:
        return self.document.id

    @property
    def text(self) -> str:
        return self.document.text

    @property
    def words(self) -> list[str]:
        if self._words is None:
            self._words, self._offsets = tokenize(self.document.text)
        return self._words

    def __len__(self) -> int:
        return len(self.words)

    @property
    def offsets(self) -> list[int]:
        """Where each separator and each token ends, in turn (see :func:`tokenize`)."""
        if self._words is None:
            self._words, self._offsets = tokenize(self.document.text)
        return self._offsets

    def start(self, i: int) -> int:
        return self.offsets[2 * i]

    def end(self, i: int) -> int:
        return self.offsets[2 * i + 1]

    @property
    def norms(self) -> list[str]:
        """Each token's lookup form (see :func:`norm`), in token order."""
        if self._norms is None:
            self._norms = list(map(_NORMS.__getitem__, self.words))
        return self._norms

    @property
    def keys(self) -> list[str]:
        """Each token's first four characters in lower case (what cue lists are filed by)."""
        if self._keys is None:
            self._keys = [w[:4].lower() for w in self.words]
        return self._keys

    def is_word(self, i: int) -> bool:
        c = self.words[i][0]
        return c.isalnum() or c == "_"

    def capitalised(self, i: int) -> bool:
        return self.words[i][0].isupper()

    def gap(self, i: int, j: int) -> str:
        """The text between token ``i`` and token ``j`` (i < j)."""
        return self.document.text[self.end(i) : self.start(j)]

    def sentence_initial(self, i: int) -> bool:
        """True if token ``i`` opens a sentence, a paragraph or a quotation."""
        if i == 0:
            return True
        before = self.words[i - 1]
        return before in {".", "!", "?", "“", '"', ":", ";", "-", "—", "–"} or (
            "\n" in self.gap(i - 1, i)
        )

    @property
    def sentences(self) -> list[tuple[int, int]]:
        """``[start, end)`` of each sentence, leading and trailing white space left out."""
        if self._sentences is None:
            self._sentences = split_sentences(self.document.text)
        return self._sentences

    def sentence_at(self, offset: int) -> tuple[int, int]:
        sents = self.sentences
        if self._sentence_starts is None:
            self._sentence_starts = [s for s, _ in sents]
        i = bisect.bisect_right(self._sentence_starts, offset) - 1
        if i < 0:
            return (0, len(self.text))
        return sents[i]


def split_sentences(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for m in SENTENCE_END_RE.finditer(text):
        end = m.end() if not m.group().startswith("\n") else m.start()
        _add_trimmed(text, pos, end, out)
        pos = m.end()
    _add_trimmed(text, pos, len(text), out)
    return out


def _add_trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        out.append((start, end))


def trim_span(text: str, start: int, end: int, strip: str = " \t\n,;:-–—") -> tuple[int, int]:
    """``[start, end)`` without surrounding white space and clause punctuation."""
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    return start, end
