"""Editable word lists in ``resources/lexicons/`` and the two ways they are matched.

Every list has the same plain format, so campaign staff can extend it in any
text editor::

    # comment
    [group=journalist]          attribute values the phrases below set
    journalist                  one phrase per line, singular
    woman | women               several forms of one phrase
    President +Name             also takes the capitalised name that follows
    person | people ?           counts only where the sentence reports harm
    investigat*                 (cue lists) any ending

:class:`PhraseLexicon` matches noun phrases (victims, authorities) on tokens
through a trie keyed by each word's singular, lower-case form, so plurals and
case need no extra lines; :class:`CueLexicon` finds cue words (actions asked,
harms done) as one compiled regular expression.

A hand-written token trie beats a library here: Aho-Corasick (pyahocorasick)
or spaCy's PhraseMatcher would match raw strings or spaCy tokens, and the
matches would still have to be snapped to words, singularised and extended
by modifiers, which is most of this module; spaCy's tokenizer alone is also
slower than the whole of this on the 10,000-release benchmark.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from annotator import assets
from annotator.assist.text import TOKEN_RE, Analysed, norm
from annotator.errors import FileFormatError

NAME_MARK = "+Name"
WEAK_MARK = "?"

_SECTION_RE = re.compile(r"^\[(.*)\]$")


@dataclass(frozen=True, slots=True)
class Entry:
    """One phrase of a lexicon: its words' lookup forms and what a match sets."""

    words: tuple[str, ...]
    attributes: tuple[tuple[str, str], ...]
    takes_name: bool = False
    weak: bool = False
    phrase: str = ""
    #: matches without a name too (a plain line beside a "+Name" one)
    bare: bool = True


@dataclass(frozen=True, slots=True)
class Line:
    """A parsed lexicon line: its forms, the section's attributes and its flags."""

    forms: tuple[str, ...]
    attributes: tuple[tuple[str, str], ...]
    takes_name: bool
    weak: bool
    number: int


def parse_lexicon(text: str, source: str = "") -> list[Line]:
    """The lines of a lexicon file; a malformed section header names its line."""
    attrs: tuple[tuple[str, str], ...] = ()
    out: list[Line] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        section = _SECTION_RE.match(line)
        if section:
            pairs = []
            for item in section.group(1).split():
                name, sep, value = item.partition("=")
                if not sep or not name or not value:
                    raise FileFormatError(
                        f"a section header names values as [name=value], not {line!r}",
                        path=source or None,
                        line=number,
                    )
                pairs.append((name, value))
            attrs = tuple(pairs)
            continue
        takes_name = weak = False
        if line.endswith(WEAK_MARK):
            weak, line = True, line[: -len(WEAK_MARK)].strip()
        if line.endswith(NAME_MARK):
            takes_name, line = True, line[: -len(NAME_MARK)].strip()
        forms = tuple(f.strip() for f in line.split("|") if f.strip())
        if forms:
            out.append(Line(forms, attrs, takes_name, weak, number))
    return out


def read_lexicon(name: str) -> list[Line]:
    """A lexicon shipped in ``resources/lexicons/`` (``name`` without ``.txt``)."""
    return parse_lexicon(assets.read_text("lexicons", f"{name}.txt"), f"{name}.txt")


def phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(norm(m.group()) for m in TOKEN_RE.finditer(phrase))


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    entry: Entry | None = None


class PhraseLexicon:
    """Noun phrases matched word by word, longest first, plural or singular alike."""

    def __init__(self, lines: list[Line]) -> None:
        self.root = _Node()
        self.entries: list[Entry] = []
        for line in lines:
            for form in line.forms:
                words = phrase_words(form)
                if not words:
                    continue
                entry = Entry(
                    words, line.attributes, line.takes_name, line.weak, form, not line.takes_name
                )
                self.entries.append(entry)
                node = self.root
                for w in words:
                    node = node.children.setdefault(w, _Node())
                old = node.entry
                if old is None or (old.weak and not entry.weak):
                    node.entry = entry
                elif old.takes_name != entry.takes_name:
                    # "President +Name" and "president": one entry that takes a name if
                    # one follows and stands alone otherwise
                    node.entry = replace(old, takes_name=True, bare=True)

    def longest_at(self, norms: list[str], i: int) -> tuple[int, Entry] | None:
        """The longest phrase starting at word ``i``: (index after it, entry)."""
        node = self.root.children.get(norms[i])
        if node is None:
            return None
        best: tuple[int, Entry] | None = None
        j = i + 1
        while True:
            if node.entry is not None:
                best = (j, node.entry)
            if j >= len(norms):
                break
            nxt = node.children.get(norms[j])
            if nxt is None:
                break
            node, j = nxt, j + 1
        return best

    def matches(self, norms: list[str]) -> Iterator[tuple[int, int, Entry]]:
        """Non-overlapping longest matches, left to right: (first word, after last, entry)."""
        root = self.root.children
        after = 0
        # the words that can start a phrase are picked out in one pass (most words cannot)
        for i in [i for i, word in enumerate(norms) if word in root]:
            if i < after:
                continue
            found = self.longest_at(norms, i)
            if found is not None:
                yield i, found[0], found[1]
                after = found[0]


class ModifierList:
    """Words that may stand before a lexicon phrase and belong to it."""

    def __init__(self, lines: list[Line]) -> None:
        #: words -> True for a determiner or quantifier, False for an adjective
        self.phrases: dict[tuple[str, ...], bool] = {}
        self.longest = 1
        for line in lines:
            determiner = dict(line.attributes).get("position") == "determiner"
            for form in line.forms:
                words = phrase_words(form)
                if words:
                    self.phrases[words] = determiner
                    self.longest = max(self.longest, len(words))

    def ending_at(self, norms: list[str], end: int, adjectives: bool = True) -> tuple[int, bool]:
        """(start, is a determiner) of the longest modifier ending just before word ``end``.

        The start is ``end`` when there is none; ``adjectives=False`` takes
        determiners and quantifiers only.
        """
        for size in range(min(self.longest, end), 0, -1):
            determiner = self.phrases.get(tuple(norms[end - size : end]))
            if determiner is not None and (determiner or adjectives):
                return end - size, determiner
        return end, False


#: Cues are filed by the first characters of their first word, tokens looked up by theirs.
KEY_CHARS = 4
#: The start of each word (not inside "ill-treatment") and its first characters.
_WORD_START = re.compile(rf"(?<![\w-])[\w'’-]{{1,{KEY_CHARS}}}")


class CueLexicon:
    """Cue words and phrases found anywhere in a stretch of text, each with its value.

    One alternation of every phrase would be tried at every character;
    instead each phrase is filed under the first four letters of its first
    word (the whole word if shorter), and only the phrases filed under a
    word's first four letters are tried where that word starts.
    """

    def __init__(self, lines: list[Line], attribute: str) -> None:
        self.attribute = attribute
        self.by_start: dict[str, list[tuple[re.Pattern[str], str]]] = {}
        for line in lines:
            value = dict(line.attributes).get(attribute)
            if value is None:
                continue
            for form in line.forms:
                words = form.split()
                pattern = r"\s+".join(re.escape(w).replace(r"\*", r"[\w'’-]*") for w in words)
                first = words[0].rstrip("*").lower()
                if len(first) < 2 or (words[0].endswith("*") and len(first) < KEY_CHARS):
                    raise FileFormatError(
                        f"a cue must start with a word of two letters or more (four before "
                        f"a *), not {form!r}",
                        line=line.number,
                    )
                key = first[:KEY_CHARS]
                self.by_start.setdefault(key, []).append(
                    (re.compile(rf"(?:{pattern})(?![\w-])", re.IGNORECASE), value)
                )
        for (
            cands
        ) in self.by_start.values():  # longest first: "sentenced to death" before "sentenced"
            cands.sort(key=lambda c: -len(c[0].pattern))

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
        """(start, end, value) of each cue in ``text[start:end]``, longest at each place."""
        out = []
        stop = len(text) if end is None else end
        by_start = self.by_start
        pos = start
        for m in _WORD_START.finditer(text, start, stop):
            if m.start() < pos:
                continue
            cands = by_start.get(m.group().lower())
            if cands is None:
                continue
            for regex, value in cands:
                hit = regex.match(text, m.start(), stop)
                if hit is not None:
                    out.append((hit.start(), hit.end(), value))
                    pos = hit.end()
                    break
        return out

    def find_in(self, doc: Analysed) -> list[tuple[int, int, str]]:
        """:meth:`find` over a whole analysed document, from its words (no scan of the text)."""
        out = []
        text, by_start, words = doc.text, self.by_start, doc.words
        pos = 0
        for i, key in enumerate(doc.keys):
            cands = by_start.get(key)
            if cands is None or words[i][0] == "_":
                continue
            start = doc.start(i)
            if start < pos:
                continue
            for regex, value in cands:
                hit = regex.match(text, start)
                if hit is not None:
                    out.append((start, hit.end(), value))
                    pos = hit.end()
                    break
        return out

    def values_in(self, text: str, start: int = 0, end: int | None = None) -> list[str]:
        return list(dict.fromkeys(v for _, _, v in self.find(text, start, end)))
