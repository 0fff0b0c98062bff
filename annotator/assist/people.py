"""Named victims: capitalised names that a harm or a victim noun governs.

Wire services and human-rights releases name victims in a few steady ways:
with their role in front ("activist Jane Doe", "opposition leader Sam
Rainsy"), as the subject of a harm ("Jane Doe, 34, was arrested on …"), as
its object ("police detained Jane Doe", "the arrest of Jane Doe"). A name is
a run of capitalised words; names of places, organisations and bodies ("Amnesty
International", "the Supreme Court"), and names an authority's title governs
("President Kim"), are not victims.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from annotator import assets
from annotator.assist.lexicon import CueLexicon, read_lexicon
from annotator.assist.phrases import (
    CALENDAR_WORDS,
    PhraseSuggester,
    authority_suggester,
    harm_cues,
    victim_suggester,
)
from annotator.assist.suggestion import Evidence, Suggestion, find_tag, fit_attributes
from annotator.assist.text import Analysed
from annotator.model.project import Fragment
from annotator.model.tagset import TagSet

_WORD = r"[A-Z][\w'’]*(?:-[\w'’]+)*"
_PARTICLE = r"(?:al|el|bin|ibn|de|da|del|dos|van|von|der|la|le)"
#: A name: one to four capitalised words, with the particles names carry.
NAME = rf"{_WORD}(?:[ \t](?:{_PARTICLE}[ \t-])?{_WORD}){{0,3}}"
_NAME_RE = re.compile(NAME)

#: The name and what may stand between it and the harm: an aside (", 34,",
#: ", a lawyer,") and the verb's auxiliaries.
_SUBJECT_RE = re.compile(
    rf"(?P<name>{NAME})(?:,[^,\n]{{1,60}},)?\s+(?:(?:was|were|is|are|has|have|had|been|being|"
    r"reportedly|allegedly|later|also|then|again|himself|herself)\s+)*$"
)
_OBJECT_RE = re.compile(rf"[ \t]+(?:of[ \t]+)?(?P<name>{NAME})")
_APPOSED_RE = re.compile(rf"(?P<name>{NAME}),[ \t]+$")
_RELEASE_OF_RE = re.compile(rf"\b(?i:releas(?:e|ing)[ \t]+of)[ \t]+(?P<name>{NAME})")

#: Words that make a capitalised run a place, a body or a document, not a person.
_NOT_PEOPLE = (
    frozenset(
        [
            "amnesty",
            "international",
            "human",
            "rights",
            "watch",
            "nations",
            "united",
            "union",
            "european",
            "council",
            "committee",
            "commission",
            "court",
            "government",
            "ministry",
            "ministers",
            "police",
            "army",
            "party",
            "front",
            "movement",
            "organization",
            "organisation",
            "office",
            "embassy",
            "assembly",
            "university",
            "association",
            "republic",
            "kingdom",
            "state",
            "states",
            "province",
            "city",
            "street",
            "prison",
            "agency",
            "law",
            "act",
            "day",
            "the",
            "a",
            "an",
            "this",
            "that",
            "these",
            "those",
            "he",
            "she",
            "they",
            "it",
            "we",
            "i",
            "his",
            "her",
            "their",
            "its",
            "our",
            "after",
            "before",
            "on",
            "in",
            "at",
            "during",
            "when",
            "while",
            "since",
            "following",
            "security",
            "national",
            "international",
            "secretary",
            "general",
        ]
    )
    | CALENDAR_WORDS
)

MIN_NAME_CHARS = 3


def _countries() -> frozenset[str]:
    names = set()
    for line in assets.read_text("countries.txt").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            names.add(line.casefold())
    return frozenset(names)


class PeopleSuggester:
    """Victims named as people: a role or a harm next to a capitalised name."""

    name = "named-people"
    label = "Named people"

    def __init__(
        self,
        victims: PhraseSuggester | None = None,
        authorities: PhraseSuggester | None = None,
        harms: CueLexicon | None = None,
    ) -> None:
        self.victims = victims or victim_suggester()
        self.authorities = authorities or authority_suggester(self.victims)
        self.harms = harms or CueLexicon(read_lexicon("harms"), "harm")
        self.countries = _countries()

    def suggest(
        self, document: Analysed, tagset: TagSet, evidence: Evidence
    ) -> Iterator[Suggestion]:
        tag = find_tag(tagset, "victim")
        if tag is None:
            return
        text = document.text
        authority_spans = [(a.start, a.end) for a in self.authorities.found(document, tagset)]
        roles = {v.end: v for v in self.victims.found(document, tagset)}
        found: dict[tuple[int, int], tuple[list[str], str]] = {}

        def add(start: int, end: int, harm: str | None, why: str) -> None:
            if not self._is_person(text[start:end]):
                return
            if any(a0 < end and start < a1 for a0, a1 in authority_spans):
                return
            harms, _ = found.setdefault((start, end), ([], why))
            if harm and harm not in harms:
                harms.append(harm)

        # a role in front: "activist Jane Doe", "opposition leader Sam Rainsy"
        for role_end, role in roles.items():
            m = _NAME_RE.match(text, role_end + 1)
            if m and text[role_end : role_end + 1] == " " and not _plural_role(text, role):
                add(m.start(), m.end(), None, f"named after “{text[role.start : role_end]}”")
        # a role in apposition: "Leyla Hasanova, a peaceful protester"
        for role in roles.values():
            before = _APPOSED_RE.search(text, max(0, role.start - 80), role.start)
            if before and not _plural_role(text, role):
                add(
                    before.start("name"),
                    before.end("name"),
                    None,
                    f"named as “{text[role.start : role.end]}”",
                )
        # the subject or the object of a harm, or whose release is asked
        for m in _RELEASE_OF_RE.finditer(text):
            add(m.start("name"), m.end("name"), "imprisoned", "whose release is asked")
        cues = harm_cues(document, self.harms)
        for h0, h1, harm in cues:
            s0 = document.sentence_at(h0)[0]
            before = _SUBJECT_RE.search(text, max(s0, h0 - 140), h0)
            if before:
                add(before.start("name"), before.end("name"), harm, f"subject of “{text[h0:h1]}”")
            after = _OBJECT_RE.match(text, h1)
            if after:
                add(after.start("name"), after.end("name"), harm, f"object of “{text[h0:h1]}”")
        harm_of: dict[tuple[int, int], list[str]] = {}
        for h0, _h1, harm in cues:
            harm_of.setdefault(document.sentence_at(h0), []).append(harm)
        for (start, end), (harms, why) in sorted(found.items()):
            before_name = _role_before(text, start, roles)
            span_start = before_name.start if before_name is not None else start
            attrs: dict[str, list[str]] = {"named": ["individual"]}
            if before_name is not None:
                for key, values in before_name.attributes.items():
                    if key == "group":
                        attrs["group"] = list(values) if isinstance(values, tuple) else [values]
            attrs["harm"] = harms or list(
                dict.fromkeys(harm_of.get(document.sentence_at(start), []))
            )
            yield Suggestion(
                doc_id=document.id,
                tag=tag,
                fragments=(Fragment(span_start, end),),
                suggester=self.name,
                reason=why,
                attributes=fit_attributes(tagset, tag, attrs),
            )

    def _is_person(self, name: str) -> bool:
        words = name.replace("’", "'").split()
        if len(name) < MIN_NAME_CHARS or not words:
            return False
        if name.casefold() in self.countries:
            return False
        if any(w.casefold().rstrip("'s") in _NOT_PEOPLE for w in words):
            return False
        # a single capitalised word is a name only when it is not all capitals (SEOUL)
        return not name.isupper()


def _plural_role(text: str, role: Suggestion) -> bool:
    """True if the role word is plural ("students Kim and Lee" is rare; "students" + Place)."""
    last = text[role.start : role.end].split()[-1].lower()
    return last.endswith("s") and not last.endswith("ss")


def _role_before(text: str, start: int, roles: dict[int, Suggestion]) -> Suggestion | None:
    """The victim role that stands right before a name ("journalist" Jane Doe)."""
    role = roles.get(start - 1)
    if role is not None and text[start - 1 : start] == " " and not _plural_role(text, role):
        return role
    return None
