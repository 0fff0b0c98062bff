"""Named victims: capitalised names governed by a harm or a victim noun.

The sentences are written in the wire services' way of naming victims, with
invented names; none comes from the sample releases.
"""

from __future__ import annotations

import pytest

from tests.assist_support import one, spans, suggest


def people(text: str) -> list[str]:
    return [
        s.covered_text(text)
        for s in suggest(text)
        if s.tag == "victim" and s.suggester == "named-people"
    ]


@pytest.mark.parametrize(
    ("text", "victim"),
    [
        # a role in front
        ("Police detained journalist Mehmet Aydin at his home.", "journalist Mehmet Aydin"),
        ("Student leader Daniel Ruiz was shot dead at the march.", "Student leader Daniel Ruiz"),
        # the subject of a harm, also across an aside
        ("Nguyen Van Hai, a blogger, was sentenced to 10 years.", "Nguyen Van Hai"),
        ("Olga Petrenko was tortured in custody, her lawyer said.", "Olga Petrenko"),
        ("Ali Reza Karimi, 34, has been held incommunicado since May.", "Ali Reza Karimi"),
        # the object of a harm
        ("Soldiers shot dead Joseph Kamau near the market.", "Joseph Kamau"),
        ("Rights groups condemned the arrest of Samir Haddad.", "Samir Haddad"),
        # whose release is asked, a role in apposition
        ("We call for the release of Leyla Hasanova without delay.", "Leyla Hasanova"),
        ("Ko Min Thu, a Buddhist monk, joined the march on Friday.", "Ko Min Thu"),
    ],
)
def test_a_named_victim_is_found(text: str, victim: str) -> None:
    assert victim in people(text)


def test_a_named_victim_is_an_individual_with_harm_and_group() -> None:
    text = "Police arrested lawyer Amina Diallo on Monday."
    sug = one([s for s in suggest(text) if s.suggester == "named-people"], "victim")
    assert sug.covered_text(text) == "lawyer Amina Diallo"
    assert sug.attributes["named"] == "individual"
    assert sug.attributes["harm"] == ("arrested",)
    assert sug.attributes["group"] == ("human-rights-defender",)


@pytest.mark.parametrize(
    "text",
    [
        # an authority's title governs the name
        "President Ali Hassan ordered the arrest of the protest leaders.",
        # organisations, places and bodies
        "Amnesty International was threatened with closure.",
        "Myanmar was criticised after the arrests.",
        "The Supreme Court was attacked by government supporters.",
        # a sentence-opening capital with no harm or role
        "Yesterday Jane Doe spoke at the conference.",
    ],
)
def test_no_victim_name_where_none_is(text: str) -> None:
    assert people(text) == []


def test_a_named_victim_wins_over_the_role_alone() -> None:
    text = "Security forces abducted trade unionist Carlos Mendoza outside his office."
    assert spans(text, suggest(text), "victim") == ["trade unionist Carlos Mendoza"]
