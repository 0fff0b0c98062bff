"""Real-shaped releases of other organisations: paragraphs and metadata, exactly or absent."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from import_fixtures import RELEASES, SEED

from annotator.model.project import Document
from annotator.releases import read_releases, releases_from_bytes


@dataclass(frozen=True)
class Expected:
    paragraphs: int
    headline: str
    country: str
    dateline: str
    date: str
    date_as_written: str = ""


def check(doc: Document, want: Expected) -> None:
    got = Expected(
        len(doc.text.split("\n\n")),
        doc.meta.headline,
        doc.meta.country,
        doc.meta.dateline,
        doc.meta.date,
        doc.meta.extra.get("date_as_written", ""),
    )
    assert got == want


def only(name: str) -> Document:
    (doc,) = read_releases(RELEASES / name)
    return doc


def test_ngo_release_with_photo_captions_and_a_bracketed_dateline() -> None:
    doc = only("ngo_photo_captions.txt")
    check(
        doc,
        Expected(
            11,
            "Ethiopia: Journalists Held Without Charge",
            "Ethiopia",
            "Nairobi",
            "2025-03-03",
            "March 3, 2025",
        ),
    )
    paras = doc.text.split("\n\n")
    assert paras[3].startswith("Relatives of detained journalists wait") and paras[3].endswith(
        "© 2025 Private"
    )
    assert paras[-1] == "https://www.hrw.org/africa/ethiopia"


def test_news_agency_story_with_agency_dateline_states_no_country_or_date() -> None:
    doc = only("agency_story.txt")
    check(
        doc,
        Expected(
            8, "Kenyan police detain dozens at Nairobi protest over abductions", "", "NAIROBI", ""
        ),
    )
    assert doc.meta.extra["agency"] == "Reuters"
    assert doc.text.split("\n\n")[1] == "By Jane Muthoni"


def test_title_case_dateline_with_an_em_dash() -> None:
    text = (
        "Zambia: Opposition rally banned\n\n"
        "Lusaka — Police on Friday banned an opposition rally planned for the weekend, "
        "citing security concerns.\n\n"
        "The party said it would challenge the ban in court.\n"
    )
    (doc,) = releases_from_bytes(text.encode(), RELEASES / "lusaka.txt", "lusaka.txt")
    check(doc, Expected(3, "Zambia: Opposition rally banned", "Zambia", "Lusaka", ""))


def test_urgent_action_with_labelled_fields() -> None:
    doc = only("urgent_action.txt")
    check(
        doc,
        Expected(
            14,
            "JOURNALIST DETAINED FOR REPORTING ON PROTESTS",
            "Chad",
            "",
            "2021-03-03",
            "3 March 2021",
        ),
    )
    assert doc.meta.ai_index == "AFR 20/1234/2021"
    assert doc.meta.extra["ua_number"] == "12/21"
    # the letter's "Target: <name>, <office>" line is never read as a country
    assert "Target: Mahamat Ahmat Alhabo, Minister of Justice" in doc.text.split("\n\n")


def test_plain_release_with_byline_and_headings() -> None:
    doc = only("plain_byline_headings.txt")
    check(
        doc,
        Expected(12, "Sudan: Aid workers detained in El Fasher must be released", "Sudan", "", ""),
    )
    assert doc.meta.ai_index == ""


def test_the_seed_is_read_as_before() -> None:
    first, second = read_releases(SEED)
    check(
        first,
        Expected(
            19,
            "Republic of Korea (South Korea): Human rights crucial to long term development",
            "Republic of Korea (South Korea)",
            "SEOUL",
            "",
        ),
    )
    check(
        second,
        Expected(11, "Cambodia: call for restraint during demonstrations", "Cambodia", "", ""),
    )


def read_text(text: str) -> Document:
    (doc,) = releases_from_bytes(text.encode(), RELEASES / "inline.txt", "inline.txt")
    return doc


@pytest.mark.parametrize(
    ("first_line", "headline", "country"),
    [
        # a label before the colon is not a country
        (
            "Target: Mahamat Ahmat Alhabo, Minister of Justice",
            "Target: Mahamat Ahmat Alhabo, Minister of Justice",
            "",
        ),
        # a place with a town in brackets is not a country ...
        (
            "KHARTOUM (Omdurman): Forces have shelled the market",
            "KHARTOUM (Omdurman): Forces have shelled the market",
            "",
        ),
        # ... unless the place is a country
        (
            "SYRIA (Idlib): Forces have shelled the market",
            "SYRIA (Idlib): Forces have shelled the market",
            "SYRIA",
        ),
        ("Country X: Activists detained", "Country X: Activists detained", ""),
        (
            "Burma/Myanmar: Release the students",
            "Burma/Myanmar: Release the students",
            "Burma/Myanmar",
        ),
        ("Ivory Coast: Protesters killed", "Ivory Coast: Protesters killed", "Ivory Coast"),
        ("Kashmir: Curfew extended", "Kashmir: Curfew extended", "Kashmir"),
    ],
)
def test_country_only_from_a_country_name(first_line: str, headline: str, country: str) -> None:
    doc = read_text(f"{first_line}\n\nThe security forces fired on the crowd on Monday.\n")
    assert (doc.meta.headline, doc.meta.country) == (headline, country)


def test_an_organisation_before_a_dash_is_not_a_dateline() -> None:
    doc = read_text(
        "Zambia: Opposition rally banned\n\n"
        "Amnesty International — the organisation that monitors the rally ban — "
        "called on the police to lift it.\n\nMore text.\n"
    )
    check(doc, Expected(3, "Zambia: Opposition rally banned", "Zambia", "", ""))


def test_text_with_one_paragraph_per_line_and_no_blank_lines_keeps_them() -> None:
    paragraphs = [
        "Kenya: Police must stop abductions of critics",
        "Police in Kenya must stop abducting government critics and bring those who have "
        "disappeared before a court, the organisation said today, as families of the missing "
        "gathered outside parliament in Nairobi.",
        "At least 82 people have been abducted since June, when protests against tax rises "
        "turned deadly, according to the national human rights commission, which has "
        "documented each case.",
        "Relatives said they had searched police stations and mortuaries for weeks without "
        "any answer from the authorities, who deny holding any of the missing people.",
    ]
    doc = read_text("\n".join(paragraphs) + "\n")
    assert doc.text.split("\n\n") == paragraphs
    assert doc.meta.extra["layout"] == "one paragraph per line kept"
    check(doc, Expected(4, paragraphs[0], "Kenya", "", ""))
