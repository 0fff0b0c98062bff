"""The appeal cue rules, on sentences written the way human-rights releases ask.

None of these sentences comes from the sample releases: they follow how
Amnesty International, Human Rights Watch, the UN human rights office and the
wire services phrase appeals in general.
"""

from __future__ import annotations

import pytest

from annotator.model import LinkType, TagSet, TagType
from tests.assist_support import one, spans, suggest


def appeals(text: str) -> list[str]:
    return spans(text, suggest(text), "appeal")


@pytest.mark.parametrize(
    ("text", "appeal", "kind", "actions"),
    [
        (
            "Amnesty International calls on the Ethiopian authorities to release all "
            "prisoners of conscience immediately and unconditionally.",
            "calls on the Ethiopian authorities to release all prisoners of conscience "
            "immediately and unconditionally",
            "direct-call",
            ("release",),
        ),
        (
            "Human Rights Watch urged the government to investigate the killings and bring "
            "those responsible to justice.",
            "urged the government to investigate the killings and bring those responsible "
            "to justice",
            "urging",
            ("investigate",),
        ),
        (
            "The organization urges that all death sentences be commuted without delay.",
            "urges that all death sentences be commuted without delay",
            "urging",
            ("death-penalty",),
        ),
        (
            "We ask the authorities to protect journalists covering the elections.",
            "ask the authorities to protect journalists covering the elections",
            "direct-call",
            ("protect",),
        ),
        (
            "The High Commissioner is calling for an independent inquiry into the deaths.",
            "calling for an independent inquiry into the deaths",
            "direct-call",
            ("investigate",),
        ),
        (
            "The union demands the release of the detained students.",
            "demands the release of the detained students",
            "direct-call",
            ("release",),
        ),
        (
            "Rights groups appealed for an end to the use of torture in police stations.",
            "appealed for an end to the use of torture in police stations",
            "direct-call",
            ("stop",),
        ),
        (
            "The security forces must exercise restraint when policing demonstrations.",
            "The security forces must exercise restraint when policing demonstrations",
            "recommendation",
            ("restraint",),
        ),
        (
            "Parliament should repeal the law that criminalises peaceful assembly.",
            "Parliament should repeal the law that criminalises peaceful assembly",
            "recommendation",
            ("reform-law",),
        ),
        (
            "The government should ratify the Convention against Torture.",
            "The government should ratify the Convention against Torture",
            "recommendation",
            ("ratify",),
        ),
    ],
)
def test_each_cue_gives_its_clause_kind_and_action(
    text: str, appeal: str, kind: str, actions: tuple[str, ...]
) -> None:
    found = suggest(text)
    sug = one(found, "appeal")
    assert sug.covered_text(text) == appeal
    assert sug.attributes["kind"] == kind
    assert sug.attributes["action"] == actions
    assert sug.suggester == "appeal-cues"


def test_an_appeal_covers_its_clause_not_the_paragraph() -> None:
    text = (
        "Police detained 40 people in the capital on Sunday. Amnesty International urged "
        "the authorities to release them. The organization has documented such arrests "
        "for years."
    )
    assert appeals(text) == ["urged the authorities to release them"]


def test_a_reporting_tail_and_a_second_request_are_left_out() -> None:
    text = (
        "“We call on all parties to the conflict to spare civilians, and to allow aid "
        "workers to reach the wounded,” the organization said in a statement."
    )
    assert appeals(text) == ["call on all parties to the conflict to spare civilians"]


def test_recommendations_in_one_sentence_stay_apart() -> None:
    text = (
        "Detainees must be brought before a judge within 48 hours and their families "
        "should be told where they are held."
    )
    assert appeals(text) == [
        "Detainees must be brought before a judge within 48 hours",
        "their families should be told where they are held",
    ]


def test_an_aside_between_addressee_and_request_is_left_out() -> None:
    text = (
        "We urged the Minister of Justice, who met our delegation on Monday, to abolish "
        "the death penalty."
    )
    sug = one(suggest(text), "appeal")
    assert [text[f.start : f.end] for f in sug.fragments] == [
        "urged the Minister of Justice",
        "to abolish the death penalty",
    ]


def test_the_addressee_is_suggested_as_an_authority_and_linked() -> None:
    text = "Amnesty International calls on the Kenyan police to stop using live ammunition."
    found = suggest(text)
    appeal, authority = one(found, "appeal"), one(found, "authority")
    assert authority.covered_text(text) == "the Kenyan police"
    assert authority.attributes["kind"] == "police"
    assert [(lk.type, lk.target) for lk in appeal.links] == [("addressee", authority.key)]


def test_victims_inside_the_appeal_are_linked_on_their_behalf() -> None:
    text = "The group called for the release of 12 trade unionists held since May."
    found = suggest(text)
    appeal, victim = one(found, "appeal"), one(found, "victim")
    assert victim.covered_text(text) == "12 trade unionists"
    assert ("on_behalf_of", victim.key) in [(lk.type, lk.target) for lk in appeal.links]


def test_an_earlier_appeal_reported_in_the_past_perfect_is_not_one() -> None:
    assert appeals("Relatives had appealed for clemency before the hanging.") == []


def test_asked_about_is_not_an_appeal() -> None:
    assert appeals("The minister was asked about the arrests at a news conference.") == []


def test_values_the_tag_set_lacks_and_missing_link_types_are_left_out() -> None:
    tagset = TagSet(
        name="small",
        tags=(
            TagType(name="appeal", label="Appeal", color="#000000"),
            TagType(name="authority", label="Authority", color="#000000"),
        ),
        links=(LinkType("asks", "Asks", ("appeal",), ("authority",)),),
    )
    text = "We call on the government to free all political prisoners."
    found = suggest(text, tagset=tagset)
    appeal = one(found, "appeal")
    assert dict(appeal.attributes) == {}
    assert appeal.links == ()
