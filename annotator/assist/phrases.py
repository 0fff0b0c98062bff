"""Victims and responsible authorities from the lexicons, as whole noun phrases.

A lexicon word is only the head of what a campaigner marks: "a group of
Buddhist monks and some students" is one victim phrase, "the Cambodian
Government" and "Second Prime Minister Hun Sen" one authority each. So a
match grows to the left over modifiers (``resources/lexicons/modifiers.txt``),
numbers and capitalised words, to the right over the name a title takes, and
victims joined by "and", "or", commas, "such as" or "including" become one
phrase, as the tag set's definition asks ("the shortest phrase that names
them", and a list of victims is one group).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from annotator.assist.lexicon import CueLexicon, Entry, ModifierList, PhraseLexicon, read_lexicon
from annotator.assist.suggestion import Evidence, Suggestion, find_tag, fit_attributes
from annotator.assist.text import Analysed
from annotator.model.project import Fragment
from annotator.model.tagset import TagSet

#: Days and months: capitalised in English, yet never a name nor a modifier of one.
CALENDAR_WORDS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)

#: Capitalised words that open no noun phrase of ours (report furniture, days, months).
_NOT_MODIFIERS = (
    frozenset(
        [
            "amnesty",
            "international",
            "human",
            "rights",
            "watch",
            "according",
            "yesterday",
            "today",
            "mr",
            "mrs",
            "ms",
            "dr",
        ]
    )
    | CALENDAR_WORDS
)

#: Lower-case words that may stand inside a name (al-Hassan, Ibn Saud, de la Cruz).
NAME_PARTICLES = frozenset(
    [
        "al",
        "el",
        "bin",
        "ibn",
        "de",
        "del",
        "della",
        "da",
        "dos",
        "das",
        "van",
        "von",
        "der",
        "la",
        "le",
        "du",
    ]
)

#: The words between two victims that make them one listed group.
_JOINERS = frozenset(
    {
        (",",),
        ("and",),
        ("or",),
        (",", "and"),
        (",", "or"),
        ("such", "as"),
        (",", "such", "as"),
        ("including",),
        (",", "including"),
        ("as", "well", "as"),
    }
)

#: Words that ask something of someone (the appeal cues' verbs and modals), as looked up.
ASKING = frozenset(
    [
        "call",
        "calling",
        "called",
        "urge",
        "urged",
        "urging",
        "appeal",
        "appealed",
        "demand",
        "demanded",
        "should",
        "must",
        "ask",
        "asked",
    ]
)

MAX_CAPS = 3
MAX_NAME = 4


@dataclass(slots=True)
class _Hit:
    first: int  # first token
    after: int  # one past the last token
    entries: list[Entry]


def _is_number(text: str) -> bool:
    return text.replace(",", "").isdigit()


class PhraseSuggester:
    """Noun phrases of one tag, found from a lexicon's head words."""

    def __init__(
        self,
        name: str,
        label: str,
        tag_names: tuple[str, ...],
        lexicon: PhraseLexicon,
        modifiers: ModifierList,
        harms: CueLexicon,
        *,
        join_lists: bool,
        join_adjacent: bool,
        role_from: PhraseSuggester | None = None,
    ) -> None:
        self.name = name
        self.label = label
        self.tag_names = tag_names
        self.lexicon = lexicon
        self.modifiers = modifiers
        self.harms = harms
        self.join_lists = join_lists
        self.join_adjacent = join_adjacent
        #: if set, a phrase counts only in a sentence that reports harm, asks
        #: something or names one of these (the victims)
        self.role_from = role_from

    def suggest(
        self, document: Analysed, tagset: TagSet, evidence: Evidence
    ) -> Iterator[Suggestion]:
        yield from self.found(document, tagset)

    def found(self, document: Analysed, tagset: TagSet) -> list[Suggestion]:
        """The phrases in ``document``, computed once per document and kept for reuse."""
        key = f"{self.name}:{tagset.name}"
        kept = document.memo.get(key)
        if kept is None:
            kept = document.memo[key] = list(self._find(document, tagset))
        return kept  # type: ignore[return-value]

    def _find(self, document: Analysed, tagset: TagSet) -> Iterator[Suggestion]:
        tag = find_tag(tagset, *self.tag_names)
        if tag is None:
            return
        grown = (
            self._grow(document, _Hit(i, j, [e]))
            for i, j, e in self.lexicon.matches(document.norms)
        )
        hits = self._join(document, [h for h in grown if h is not None])
        harm_at = _HarmIndex(document, self.harms)
        role_sentences = self._role_sentences(document, tagset, harm_at)
        for hit in hits:
            start, end = document.start(hit.first), _without_possessive(document, hit.after - 1)
            harms: list[str] = []
            if self.join_lists:
                harms = harm_at.values(start)
                if all(e.weak for e in hit.entries) and not harms:
                    continue  # "people" names a victim only where harm is reported
            if role_sentences is not None and document.sentence_at(start) not in role_sentences:
                continue  # a ministry mentioned in passing is not answerable for anything
            attrs: dict[str, list[str]] = {}
            for entry in hit.entries if self.join_lists else hit.entries[-1:]:
                for key, value in entry.attributes:
                    attrs.setdefault(key, []).append(value)
            if harms:
                attrs["harm"] = harms
            if self.join_lists:
                attrs["named"] = ["group"]
            heads = ", ".join(dict.fromkeys(e.phrase for e in hit.entries))
            yield Suggestion(
                doc_id=document.id,
                tag=tag,
                fragments=(Fragment(start, end),),
                suggester=self.name,
                reason=f"{self.label} lexicon: {heads}",
                attributes=fit_attributes(tagset, tag, attrs),
            )

    def _role_sentences(
        self, document: Analysed, tagset: TagSet, harm_at: _HarmIndex
    ) -> set[tuple[int, int]] | None:
        """The sentences where an authority plays a part: harm, an appeal, a victim."""
        if self.role_from is None:
            return None
        found = {s for s, values in harm_at.by_sentence.items() if values}
        for i in [i for i, word in enumerate(document.norms) if word in ASKING]:
            found.add(document.sentence_at(document.start(i)))
        for victim in self.role_from.found(document, tagset):
            found.add(document.sentence_at(victim.start))
        return found

    # --- growing a head word into its phrase -----------------------------------------

    def _grow(self, doc: Analysed, hit: _Hit) -> _Hit | None:
        norms = doc.norms
        k, caps, adjectives = hit.first, 0, True
        while k > 0 and _same_line(doc, k - 1, k):
            m, determiner = self.modifiers.ending_at(norms, k, adjectives)
            # "the detained students", but "police detained journalist X": a
            # participle is part of the phrase only after a determiner
            if (
                m < k
                and not determiner
                and norms[m].endswith("ed")
                and (m == 0 or self.modifiers.ending_at(norms, m, False)[0] == m)
            ):
                break
            if m < k and all(_same_line(doc, x, x + 1) for x in range(m, k)):
                k = m
                adjectives = adjectives and not determiner
                continue
            prev = k - 1
            if _is_number(doc.words[prev]):
                k -= 1
                adjectives = False
                continue
            if (
                adjectives
                and doc.is_word(prev)
                and doc.capitalised(prev)
                and caps < MAX_CAPS
                and norms[prev] not in _NOT_MODIFIERS
                and not doc.sentence_initial(k - 1)
            ):
                k -= 1
                caps += 1
                continue
            break
        after = hit.after
        entry = hit.entries[-1]
        if entry.takes_name:
            after = _name_after(doc, after)
            if after == hit.after and not entry.bare:
                return None  # "General" with no name after it is no authority
        if self.join_adjacent:
            after = _of_name(doc, after)
        return _Hit(k, after, hit.entries)

    def _join(self, doc: Analysed, hits: list[_Hit]) -> list[_Hit]:
        """Join listed victims (or adjacent authority words) into one phrase."""
        if not hits:
            return hits
        norms = doc.norms
        out = [hits[0]]
        for hit in hits[1:]:
            last = out[-1]
            if hit.first < last.after:  # grown into the previous phrase
                if hit.after > last.after:
                    out[-1] = _Hit(last.first, hit.after, last.entries + hit.entries)
                continue
            gap = tuple(norms[last.after : hit.first])
            if (self.join_lists and gap in _JOINERS) or (
                self.join_adjacent and not gap and _same_line(doc, last.after - 1, hit.first)
            ):
                out[-1] = _Hit(last.first, hit.after, last.entries + hit.entries)
            else:
                out.append(hit)
        if self.join_lists:
            out = [_and_others(doc, h) for h in out]
        return out


def _without_possessive(doc: Analysed, i: int) -> int:
    """The end of a phrase's last word without its possessive ("government’s" → "government")."""
    word = doc.words[i]
    if word.endswith(("’s", "'s")) and len(word) > 2:
        return doc.end(i) - 2
    return doc.end(i)


def _same_line(doc: Analysed, i: int, j: int) -> bool:
    """True if tokens ``i`` and ``j`` (i < j) are not separated by a line break."""
    if i < 0 or j >= len(doc):
        return False
    return "\n" not in doc.gap(i, j)


def _name_after(doc: Analysed, after: int) -> int:
    """One past the capitalised name that follows a title ("President" Kim Dae-jung)."""
    n = len(doc)
    j, taken = after, 0
    while j < n and taken < MAX_NAME and _same_line(doc, j - 1, j):
        if doc.is_word(j) and doc.capitalised(j) and doc.norms[j] not in _NOT_MODIFIERS:
            j, taken = j + 1, taken + 1
        elif taken and doc.norms[j] in NAME_PARTICLES and j + 1 < n and doc.capitalised(j + 1):
            j += 1
        else:
            break
    return j


def _of_name(doc: Analysed, after: int) -> int:
    """One past "of" + a capitalised name after a body ("the Minister of Justice")."""
    norms, n = doc.norms, len(doc)
    j = after
    if j < n and norms[j] == "of" and _same_line(doc, j - 1, j):
        k = j + 1
        if k < n and norms[k] == "the":
            k += 1
        end = _name_after(doc, k) if k < n and _same_line(doc, k - 1, k) else k
        if end > k:
            return end
    return after


def _and_others(doc: Analysed, hit: _Hit) -> _Hit:
    """A list that ends "… and others" takes the others in."""
    norms = doc.norms
    for gap in (("and", "other"), (",", "and", "other")):
        end = hit.after + len(gap)
        if tuple(norms[hit.after : end]) == gap:
            return _Hit(hit.first, end, hit.entries)
    return hit


def harm_cues(doc: Analysed, harms: CueLexicon) -> list[tuple[int, int, str]]:
    """The harms reported in ``doc`` (start, end, value), found once per document."""
    kept = doc.memo.get("harm-cues")
    if kept is None:
        kept = doc.memo["harm-cues"] = harms.find_in(doc)
    return kept  # type: ignore[return-value]


class _HarmIndex:
    """The harm values reported in each sentence of a document."""

    def __init__(self, doc: Analysed, harms: CueLexicon) -> None:
        self.doc = doc
        self.by_sentence: dict[tuple[int, int], list[str]] = {}
        for start, _end, value in harm_cues(doc, harms):
            sent = doc.sentence_at(start)
            values = self.by_sentence.setdefault(sent, [])
            if value not in values:
                values.append(value)

    def values(self, offset: int) -> list[str]:
        return self.by_sentence.get(self.doc.sentence_at(offset), [])


def _lexicon_suggester(
    name: str,
    label: str,
    tags: tuple[str, ...],
    lexicon: str,
    *,
    victims: bool,
    role_from: PhraseSuggester | None = None,
) -> PhraseSuggester:
    return PhraseSuggester(
        name,
        label,
        tags,
        PhraseLexicon(read_lexicon(lexicon)),
        ModifierList(read_lexicon("modifiers")),
        CueLexicon(read_lexicon("harms"), "harm"),
        join_lists=victims,
        join_adjacent=not victims,
        role_from=role_from,
    )


def victim_suggester() -> PhraseSuggester:
    """Victims from ``resources/lexicons/victims.txt``."""
    return _lexicon_suggester("victim-lexicon", "Victim", ("victim",), "victims", victims=True)


def authority_suggester(victims: PhraseSuggester | None = None) -> PhraseSuggester:
    """Responsible authorities from ``resources/lexicons/authorities.txt``.

    Only where they play the part the tag set defines: in a sentence that
    reports harm or abuse, asks something, or names a victim (``victims``).
    """
    return _lexicon_suggester(
        "authority-lexicon",
        "Authority",
        ("authority", "responsible authority"),
        "authorities",
        victims=False,
        role_from=victims or victim_suggester(),
    )
