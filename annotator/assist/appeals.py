"""Appeals from the cue words human-rights releases ask with.

Releases ask in a handful of ways: a direct call ("calls on the authorities
to release …", "appeals for the release of …", "demands that …", "we ask
…"), an urging ("urged the government to …", "urges that …") and a
recommendation ("police must …", "the law should be amended", "reforms are
needed"). Each cue starts an appeal clause that runs to the end of what is
asked: the end of the sentence, a semicolon or colon, a closing quotation
mark, or the next coordinated request (", and to …", ", while …"). An appeal
covers that clause, never the whole paragraph.

Where the cue names whom it asks ("calls on X to", "urged X to"), X is the
addressee: an aside between X and the request (", as a former prisoner, …")
is left out of the appeal, which then has two pieces, and if X is an
authority of the lexicon it is suggested too, linked as the appeal's
addressee. Victims inside the appeal are linked as whom it is on behalf of.
The action attribute comes from the words of the clause
(``resources/lexicons/appeal-actions.txt``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from annotator.assist.lexicon import CueLexicon, read_lexicon
from annotator.assist.phrases import PhraseSuggester, authority_suggester, victim_suggester
from annotator.assist.suggestion import (
    Evidence,
    SuggestedLink,
    Suggestion,
    find_tag,
    fit_attributes,
)
from annotator.assist.text import Analysed, trim_span
from annotator.model.project import Fragment
from annotator.model.tagset import TagSet

DIRECT, URGING, RECOMMENDATION = "direct-call", "urging", "recommendation"

#: The addressee is the words between the cue and "to" + the request.
ADDRESSEE, NONE, MODAL, ASK = "addressee", "none", "modal", "ask"

_I = re.IGNORECASE
#: (pattern, kind of appeal, how the clause is built)
CUES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"\bcall(?:s|ed|ing)?\s+(?:on|upon)\b", _I), DIRECT, ADDRESSEE),
    (re.compile(r"\bcall(?:s|ed|ing)?\s+for\b", _I), DIRECT, NONE),
    (re.compile(r"\bappeal(?:s|ed|ing)?\s+to\b", _I), DIRECT, ADDRESSEE),
    (re.compile(r"\bappeal(?:s|ed|ing)?\s+for\b", _I), DIRECT, NONE),
    (re.compile(r"\burg(?:e|es|ed|ing)\s+that\b", _I), URGING, NONE),
    (re.compile(r"\burg(?:e|es|ed|ing)\b", _I), URGING, ADDRESSEE),
    (re.compile(r"\bdemand(?:s|ed|ing)?\b", _I), DIRECT, NONE),
    (re.compile(r"\b(?:ask(?:s|ed|ing)?|request(?:s|ed|ing)?)\b", _I), DIRECT, ASK),
    (re.compile(r"\b(?:should|must|ought\s+to)\b", _I), RECOMMENDATION, MODAL),
    (
        re.compile(r"\b(?:needs?\s+to|(?:is|are)\s+(?:also\s+|urgently\s+)?needed)\b", _I),
        RECOMMENDATION,
        MODAL,
    ),
)

#: Every cue as one expression: at one place the first that matches wins ("urges that"
#: before "urges"), and the text is scanned once.
_ANY_CUE = re.compile(
    "|".join(f"(?P<c{i}>{pattern.pattern})" for i, (pattern, _, _) in enumerate(CUES)), _I
)
_CUE_KINDS = tuple((kind, how) for _, kind, how in CUES)
#: The first word of every cue, as looked up (see ``text.norm``): only there is a cue tried.
CUE_HEADS = frozenset(
    [
        "call",
        "calling",
        "called",
        "appeal",
        "appealing",
        "appealed",
        "urge",
        "urged",
        "urging",
        "demand",
        "demanding",
        "demanded",
        "ask",
        "asking",
        "asked",
        "request",
        "requesting",
        "requested",
        "should",
        "must",
        "ought",
        "need",
        "needing",
        "needed",
        "is",
        "are",
    ]
)

#: A cue in the past perfect reports an earlier appeal ("many had appealed for clemency").
_REPORTED = re.compile(r"\bhad\s+(?:\w+\s+)?$", _I)

#: The " to " that opens the request after an addressee (not "to the", "to whom").
_TO_REQUEST = re.compile(r"\s(?:to)\s+(?!the\b|a\b|an\b|whom\b|which\b|be\s+\w+ed\s+by\b)(?=\w)")

#: Where an appeal clause ends, inside its sentence.
_CLAUSE_END = re.compile(
    r"\s*[;:](?=\s|$)|[”\"](?=[\s,.]|$)|\s+(?:--|—|–)\s|,\s+(?:and|but|while|which|whereas|"
    r"although|who|as|so)\s|\s+and\s+to\s|,\s+to\s"
)

#: A reporting tail after the appeal (", an Amnesty International delegation said today").
_ATTRIBUTION = re.compile(
    r",\s+[^,;]{0,80}?\b(?:said|says|added|stated|told|according)\b[^,;]{0,60}$", _I
)

#: Where the subject of a recommendation starts, looking back from the modal.
_CLAUSE_START = re.compile(
    r"(?:[,;:“\"(]|\s--|\s—|\s–|\band\b|\bbut\b|\bthat\b|\bwhich\b|\bif\b|\bwhile\b)\s*",
    _I,
)

#: A subject longer than this is not taken into a recommendation.
MAX_SUBJECT_CHARS = 90
#: An addressee longer than this is no addressee ("calls on" then a long clause).
MAX_ADDRESSEE_CHARS = 160

_ASIDE = re.compile(r",|\s--|\s—|\s–|\s\(")


@dataclass(slots=True)
class _Clause:
    fragments: list[tuple[int, int]]
    kind: str
    cue: str
    addressee: tuple[int, int] | None = None


class AppealSuggester:
    """Appeal clauses from cue words, with their addressee and the action asked."""

    name = "appeal-cues"
    label = "Appeal cues"

    def __init__(
        self,
        authorities: PhraseSuggester | None = None,
        victims: PhraseSuggester | None = None,
        actions: CueLexicon | None = None,
    ) -> None:
        self.victims = victims or victim_suggester()
        self.authorities = authorities or authority_suggester(self.victims)
        self.actions = actions or CueLexicon(read_lexicon("appeal-actions"), "action")

    def suggest(
        self, document: Analysed, tagset: TagSet, evidence: Evidence
    ) -> Iterator[Suggestion]:
        tag = find_tag(tagset, "appeal")
        if tag is None:
            return
        text = document.text
        addressee_type = _link_type(tagset, tag, "addressee", "addressed to")
        behalf_type = _link_type(tagset, tag, "on_behalf_of", "on behalf of")
        authorities = self.authorities.found(document, tagset) if addressee_type else []
        victims = self.victims.found(document, tagset) if behalf_type else []
        for clause in self.clauses(document):
            frags = tuple(Fragment(s, e) for s, e in clause.fragments)
            links: list[SuggestedLink] = []
            extra: list[Suggestion] = []
            if clause.addressee is not None and addressee_type:
                a0, a1 = clause.addressee
                for auth in authorities:
                    if a0 <= auth.start and auth.end <= a1:
                        links.append(SuggestedLink(addressee_type, auth.key))
                        extra.append(
                            Suggestion(
                                doc_id=auth.doc_id,
                                tag=auth.tag,
                                fragments=auth.fragments,
                                suggester=self.name,
                                reason=f"addressee of “{clause.cue}”",
                                attributes=auth.attributes,
                            )
                        )
            if behalf_type:
                for victim in victims:
                    if any(f.start <= victim.start and victim.end <= f.end for f in frags):
                        links.append(SuggestedLink(behalf_type, victim.key))
            covered = " ".join(text[s:e] for s, e in clause.fragments)
            attrs = {"kind": [clause.kind], "action": self.actions.values_in(covered)}
            yield Suggestion(
                doc_id=document.id,
                tag=tag,
                fragments=frags,
                suggester=self.name,
                reason=f"appeal cue “{clause.cue}”",
                attributes=fit_attributes(tagset, tag, attrs),
                links=tuple(links),
            )
            yield from extra

    def clauses(self, document: Analysed) -> list[_Clause]:
        """Every appeal clause in the document, in text order, none overlapping."""
        text = document.text
        by_sentence: dict[tuple[int, int], list[_Clause]] = {}
        for i in [i for i, word in enumerate(document.norms) if word in CUE_HEADS]:
            m = _ANY_CUE.match(text, document.start(i))
            if m is None:
                continue
            kind, how = _CUE_KINDS[int((m.lastgroup or "c0")[1:])]
            if _REPORTED.search(text, max(0, m.start() - 20), m.start()):
                continue
            s0, s1 = document.sentence_at(m.start())
            if m.end() > s1:
                continue
            clause = self._clause(text, s0, s1, m, kind, how)
            if clause is not None:
                by_sentence.setdefault((s0, s1), []).append(clause)
        out: list[_Clause] = []
        for _, found in sorted(by_sentence.items()):
            found.sort(key=lambda c: c.fragments[0][0])
            out.extend(_no_overlap(text, found))
        return out

    def _clause(
        self, text: str, s0: int, s1: int, m: re.Match[str], kind: str, how: str
    ) -> _Clause | None:
        cue = " ".join(m.group().split())
        if how == MODAL:
            start = _subject_start(text, s0, m.start())
            end = _clause_end(text, m.end(), s1)
            if end - m.end() < 3:
                return None
            return _Clause([trim_span(text, start, end)], kind, cue)
        if how in (ADDRESSEE, ASK):
            to = _TO_REQUEST.search(text, m.end(), min(s1, m.end() + MAX_ADDRESSEE_CHARS))
            if to is None:
                if how == ASK:
                    return None  # "asked about …" is no appeal
                end = _clause_end(text, m.end(), s1)
                return _Clause([trim_span(text, m.start(), end)], kind, cue)
            a0, a1 = trim_span(text, m.end(), to.start())
            if a0 >= a1:
                return None
            aside = _ASIDE.search(text, a0, a1)
            head_end = trim_span(text, a0, aside.start())[1] if aside else a1
            request = to.start() + 1
            end = _clause_end(text, to.end(), s1)
            if end <= to.end():
                return None
            if aside is not None and head_end > a0:
                frags = [(m.start(), head_end), trim_span(text, request, end)]
            else:
                frags = [trim_span(text, m.start(), end)]
            return _Clause(frags, kind, cue, (a0, head_end))
        end = _clause_end(text, m.end(), s1)
        if end - m.end() < 3:
            return None
        return _Clause([trim_span(text, m.start(), end)], kind, cue)


def _clause_end(text: str, pos: int, s1: int) -> int:
    m = _CLAUSE_END.search(text, pos, s1)
    end = m.start() if m else s1
    said = _ATTRIBUTION.search(text, pos, end)
    if said:
        end = said.start()
    while end > pos and text[end - 1] in ".!?”\"’' \n,":
        end -= 1
    return end


def _subject_start(text: str, s0: int, cue: int) -> int:
    """Where a recommendation's subject begins: the last clause boundary before the modal."""
    start = s0
    for m in _CLAUSE_START.finditer(text, s0, cue):
        start = m.end()
    return start if cue - start <= MAX_SUBJECT_CHARS else cue


def _no_overlap(text: str, clauses: list[_Clause]) -> Iterator[_Clause]:
    """Cut each clause back where the next one starts ("… tolerated and human rights should")."""
    for i, clause in enumerate(clauses):
        if i + 1 < len(clauses):
            nxt = clauses[i + 1].fragments[0][0]
            frags = []
            for s, e in clause.fragments:
                if s >= nxt:
                    break
                s, e = trim_span(text, s, min(e, nxt))
                if e > s:
                    frags.append((s, _drop_joiner(text, s, e)))
            if not frags:
                continue
            clause.fragments = frags
        yield clause


def _drop_joiner(text: str, start: int, end: int) -> int:
    """An end without the dangling "and" / "but" / "that" the next clause left behind."""
    words = text[start:end].rsplit(None, 1)
    if len(words) == 2 and words[1].lower() in {"and", "but", "that", "or", "while"}:
        return trim_span(text, start, end - len(words[1]))[1]
    return end


def _link_type(tagset: TagSet, source_tag: str, *names: str) -> str | None:
    """The link type called (or labelled) one of ``names`` that an appeal may start."""
    wanted = {n.casefold() for n in names}
    for lt in tagset.link_types_from(source_tag):
        if lt.name.casefold() in wanted or lt.label.casefold() in wanted:
            return lt.name
    return None
