"""The forms of a redacted name, and finding them in any string.

A redacted annotation covers a name ("Leila Haddad", "Kim Sun-myung", "Trade
unionists"). What must never survive in a redacted export is:

* the **full form**: the covered text, compared word by word, so "Leila Haddad",
  "LEILA HADDAD", "Leila-Haddad's" and "leila_haddad" all match it;
* every **name part**: each word of the covered text that is capitalised there
  (or, with three or more letters, belongs to a capitalised hyphenated word, so
  "myung" of "Sun-myung" counts, and the "s" of "International's" does not),
  whatever its length. Parts of three or more letters also match with a plural
  ending ("the Haddads"), so the surname alone ("Haddad had reported"), the
  possessive ("Haddad's", "Haddad’s") and hyphenated forms are found. Parts of one or
  two letters ("Xi", "U") match only as a whole word;
* a word of the tag set's own categories (its tag, attribute, value and link names
  and labels: "Trade unionist", "Journalist", "Police") is not a name, even when an
  annotation capitalises it ("Trade unionists were beaten"): the tag set is written
  into every export, and a form made only of such words would make every export fail;
* words in scripts without letter case (Chinese, Arabic, ...) cannot be told
  apart from common words, so each one counts as a part; those of two or more
  characters match anywhere, since such scripts need not separate words by spaces.

A *word* is a run of letters and digits: any other character (space, hyphen,
apostrophe, underscore, dot) separates words, and comparison ignores case
(Unicode case folding, NFKC). The same matcher replaces names before writing
(:mod:`.redact`) and checks the written files afterwards (:mod:`.redact_check`),
so what one replaces the other looks for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

#: blocks holding every combining mark (Unicode categories Mn, Mc, Me)
_MARK_BLOCKS = (
    (0x0300, 0x1DFF),
    (0x20D0, 0x20FF),
    (0x2CEF, 0x2DFF),
    (0x302A, 0x309A),
    (0xA66F, 0xABFF),
    (0xFB1E, 0xFB1E),
    (0xFE00, 0xFE2F),
    (0x101FD, 0x1E94A),
    (0xE0100, 0xE01EF),
)


def _mark_ranges() -> list[tuple[int, int]]:
    """The code point ranges of all combining marks: they belong to the word they sit
    in, so Devanagari vowel signs and decomposed accents ("u" + U+0308) do not split
    words."""
    ranges: list[tuple[int, int]] = []
    for lo, hi in _MARK_BLOCKS:
        for cp in range(lo, hi + 1):
            if unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me"):
                if ranges and ranges[-1][1] == cp - 1:
                    ranges[-1] = (ranges[-1][0], cp)
                else:
                    ranges.append((cp, cp))
    return ranges


_MARK_RANGES = _mark_ranges()
_MARK_CLASS = "".join(f"{chr(a)}-{chr(b)}" if a != b else chr(a) for a, b in _MARK_RANGES)
_WORD = re.compile(f"[^\\W_](?:[^\\W_]|[{_MARK_CLASS}])*")
#: the marks as a set: testing a text against it is much faster than a regex class
_MARKS = frozenset(chr(cp) for a, b in _MARK_RANGES for cp in range(a, b + 1))
_PLAIN_WORD = re.compile(r"[^\W_]+")  # the same words in text without combining marks
#: plural endings a name part of three or more letters may carry ("the Haddads")
_PLURALS = ("s", "es")


def fold(s: str) -> str:
    """The form words are compared in: NFKC, case-folded."""
    return unicodedata.normalize("NFKC", s).casefold()


def words(s: str) -> list[str]:
    return _WORD.findall(s)


def _letters(word: str) -> bool:
    return any(ch.isalpha() for ch in word)


def _cased(word: str) -> bool:
    return any(ch.isupper() or ch.islower() for ch in word)


def name_parts(covered: str) -> list[str]:
    """The words of ``covered`` that are name parts (see the module docstring), in order."""
    parts: list[str] = []
    for chunk in covered.split():
        chunk_words = words(chunk)
        capital = bool(chunk_words) and chunk_words[0][0].isupper()
        for w in chunk_words:
            if not _cased(w):
                if _letters(w):
                    parts.append(w)
            elif w[0].isupper() or (capital and len(w) >= 3):
                parts.append(w)
    return parts


@dataclass
class Forms:
    """Redacted forms, each owned by one or more people (opaque integer owners).

    ``single`` maps a folded word to its owners and the length of the ending that
    is not part of the name (a plural "s"); ``multi`` maps a sequence's longest word
    to the word sequences holding it (and at which position); ``anywhere`` holds
    caseless forms matched as substrings.
    """

    single: dict[str, tuple[frozenset[int], int]] = field(default_factory=dict)
    multi: dict[str, list[tuple[tuple[str, ...], int, frozenset[int]]]] = field(
        default_factory=dict
    )
    anywhere: dict[str, frozenset[int]] = field(default_factory=dict)
    #: every form as a user would write it, for messages: folded form -> shown form
    shown: dict[str, str] = field(default_factory=dict)
    #: folded words of the tag set's own categories: never a form on their own
    vocabulary: frozenset[str] = frozenset()
    #: words an exporter writes whatever the data: the check does not count them alone
    structure: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.single or self.multi or self.anywhere)

    def add_name(self, covered: str, owner: int) -> None:
        """The full form of ``covered`` and its name parts, owned by ``owner``."""
        full = tuple(fold(w) for w in words(covered))
        if any(_letters(w) and not self.categorical(w) for w in full):
            self._add_sequence(full, owner, " ".join(words(covered)))
        for part in name_parts(covered):
            f = fold(part)
            if self.categorical(f):
                continue
            if not _cased(part) and len(f) >= 2:
                self.anywhere[f] = self.anywhere.get(f, frozenset()) | {owner}
                self.shown.setdefault(f, part)
                continue
            self._add_single(f, owner, 0)
            self.shown.setdefault(f, part)
            if len(f) >= 3:
                for ending in _PLURALS:
                    self._add_single(f + ending, owner, len(ending), plural=True)

    def categorical(self, word: str) -> bool:
        """A word (folded) of the tag set's categories, or its plural ("Students")."""
        if word in self.vocabulary:
            return True
        return any(word.endswith(e) and word[: -len(e)] in self.vocabulary for e in _PLURALS)

    def _add_sequence(self, seq: tuple[str, ...], owner: int, shown: str) -> None:
        if len(seq) == 1:
            self._add_single(seq[0], owner, 0)
            self.shown.setdefault(seq[0], shown)
            return
        # indexed by its longest word, the rarest as a rule ("prisoners", not "the"), so
        # that a text is only walked where such a word occurs
        key = max(range(len(seq)), key=lambda k: len(seq[k]))
        bucket = self.multi.setdefault(seq[key], [])
        for i, (s, k, owners) in enumerate(bucket):
            if s == seq:
                bucket[i] = (s, k, owners | {owner})
                return
        bucket.append((seq, key, frozenset({owner})))
        bucket.sort(key=lambda item: -len(item[0]))  # the longest match first
        self.shown.setdefault(" ".join(seq), shown)

    def _add_single(self, word: str, owner: int, ending: int, plural: bool = False) -> None:
        old = self.single.get(word)
        if old is None:
            self.single[word] = (frozenset({owner}), ending)
        elif plural and old[1] == 0:
            return  # an exact form ("Jones") wins over a plural of another ("Jone" + s)
        elif not plural and old[1]:
            self.single[word] = (frozenset({owner}), 0)
        else:
            self.single[word] = (old[0] | {owner}, old[1])

    def find(self, text: str) -> list[tuple[int, int, frozenset[int]]]:
        """(start, end, owners) of every redacted form in ``text``, in text order.

        Matches may overlap (a part inside a full form); :func:`merge_spans` joins them.
        """
        if not text or not self:
            return []
        found: list[tuple[int, int, frozenset[int]]] = []
        if self.single or self.multi:
            ws, low, rx = _folded_words(text)
            present = set(ws)
            cand = (present & self.single.keys()) | self._possible_keys(present)
            if cand:
                hits = [i for i, w in enumerate(ws) if w in cand]
                spans = [m.span() for m in rx.finditer(low if low is not None else text)]
                found += self._matches(ws, spans, hits)
        if self.anywhere:
            hay = fold(text)
            if len(hay) != len(text):  # folding moved offsets: look in the text as it is
                hay = text
            for form, owners in self.anywhere.items():
                found += _find_anywhere(hay, form, owners)
        found.sort(key=lambda r: (r[0], -r[1]))
        return found

    def may_leak(self, text: str) -> bool:
        """A quick test before :meth:`present_in`: can ``text`` hold a form that is not
        only a word of the format's structure?"""
        if self.anywhere:
            return True
        ws, low, _ = _folded_words(text)
        present = set(ws)
        if (present & self.single.keys()) - self.structure:
            return True
        seqs = sorted(
            {seq for key in self._possible_keys(present) for seq, _, _ in self.multi[key]}
        )
        if not seqs:
            return False
        return (
            _sequences_pattern(tuple(seqs)).search(low if low is not None else fold(text))
            is not None
        )

    def _possible_keys(self, present: set[str]) -> set[str]:
        """The index words of the word sequences whose words all occur in ``present``."""
        return {
            key
            for key in present & self.multi.keys()
            if any(present.issuperset(seq) for seq, _, _ in self.multi[key])
        }

    def _matches(
        self, ws: list[str], spans: list[tuple[int, int]], hits: list[int]
    ) -> list[tuple[int, int, frozenset[int]]]:
        out: list[tuple[int, int, frozenset[int]]] = []
        for i in hits:
            w = ws[i]
            start, end = spans[i]
            hit = self.single.get(w)
            if hit is not None:
                owners, ending = hit
                out.append((start, end - ending if ending <= end - start - 1 else end, owners))
            for seq, k, owners in self.multi.get(w, ()):
                n, j = len(seq), i - k
                if j >= 0 and ws[j : j + n] == list(seq):
                    out.append((spans[j][0], spans[j + n - 1][1], owners))
                    break
        return out

    def present_in(self, text: str) -> list[tuple[str, int]]:
        """(form as shown, line number) for each distinct form found in ``text`` (the
        leak check). The text is folded as a whole first (offsets need not stay)."""
        text = fold(text)
        if not self.may_leak(text):
            return []
        seen: dict[str, int] = {}
        for start, end, _ in self.find(text):
            key = " ".join(words(text[start:end])) or text[start:end]
            if key in self.structure:
                continue
            seen.setdefault(self._shown_key(key), start)
        return [(self.shown.get(k, k), text.count("\n", 0, pos) + 1) for k, pos in seen.items()]

    def _shown_key(self, key: str) -> str:
        if key in self.shown:
            return key
        for ending in _PLURALS:
            if key.endswith(ending) and key[: -len(ending)] in self.shown:
                return key[: -len(ending)]
        return key


@lru_cache(maxsize=256)
def _sequences_pattern(seqs: tuple[tuple[str, ...], ...]) -> re.Pattern[str]:
    """Any of these folded word sequences, as whole words with anything between them."""
    body = "|".join(r"[\W_]+".join(map(re.escape, seq)) for seq in seqs)
    return re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_])")


def _folded_words(text: str) -> tuple[list[str], str | None, re.Pattern[str]]:
    """The folded words of ``text``; the folded text when its offsets are the same
    (ASCII and NFKC text: nearly every release), else None; and the word pattern
    used (the simpler one when the text has no combining marks)."""
    rx = _PLAIN_WORD if text.isascii() or _MARKS.isdisjoint(text) else _WORD
    folded = text.casefold()
    if len(folded) == len(text) and (text.isascii() or unicodedata.is_normalized("NFKC", text)):
        return rx.findall(folded), folded, rx
    return [w.lower() if w.isascii() else fold(w) for w in rx.findall(text)], None, rx


def _find_anywhere(
    hay: str, form: str, owners: frozenset[int]
) -> list[tuple[int, int, frozenset[int]]]:
    out = []
    start = hay.find(form)
    while start >= 0:
        out.append((start, start + len(form), owners))
        start = hay.find(form, start + len(form))
    return out


def vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """The folded words of ``texts`` (a tag set's names and labels)."""
    return frozenset(fold(w) for t in texts for w in words(t))


def merge_spans(
    spans: Iterable[tuple[int, int, str]],
) -> list[tuple[int, int, str]]:
    """Overlapping spans become one, keeping the replacement of the one that starts
    first (the outer one when nested)."""
    merged: list[tuple[int, int, str]] = []
    for s, e, ph in sorted(spans, key=lambda r: (r[0], -r[1])):
        if merged and s < merged[-1][1]:
            ms, me, mph = merged[-1]
            merged[-1] = (ms, max(me, e), mph)
        else:
            merged.append((s, e, ph))
    return merged
