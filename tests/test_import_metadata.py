"""Metadata read from a release: only what it states, never invented."""

from __future__ import annotations

import pytest

from annotator.releases.metadata import country_of, describe, find_ai_index, find_date
from annotator.releases.naming import id_stem, is_ncname, release_id, unique_id
from annotator.releases.places import is_place


def test_full_header_block() -> None:
    meta = describe(
        "AI Index: ASA 25/28/98\n\n12 September 1998\n\n"
        "Republic of Korea: Human rights crucial\n\nSEOUL -- President Kim said.\n\nMore."
    )
    assert meta.headline == "Republic of Korea: Human rights crucial"
    assert meta.country == "Republic of Korea"
    assert meta.dateline == "SEOUL"
    assert meta.ai_index == "ASA 25/28/98"
    assert meta.date == "1998-09-12"
    assert meta.extra["date_as_written"] == "12 September 1998"


def test_header_items_glued_to_the_headline_in_one_paragraph() -> None:
    meta = describe(
        "AI INDEX: AFR 44/12/98 News Service 175/98 1998-09-12 "
        "Nigeria: Release the prisoners LAGOS -- Amnesty International called today."
    )
    assert meta.ai_index == "AFR 44/12/98"
    assert meta.date == "1998-09-12"
    assert meta.headline == "Nigeria: Release the prisoners"
    assert meta.country == "Nigeria"
    assert meta.dateline == "LAGOS"


def test_letterhead_items_are_passed_over() -> None:
    meta = describe("NEWS RELEASE\n\nPublic document\n\nPeru: Free them\n\nBody.")
    assert meta.headline == "Peru: Free them"
    meta = describe("For immediate release Press release\n\nPeru: Free them\n\nBody.")
    assert meta.headline == "Peru: Free them"


def test_date_in_the_dateline() -> None:
    meta = describe("Cambodia: restraint\n\nPHNOM PENH, September 12, 1998 -- Monks were shot.")
    assert meta.dateline == "PHNOM PENH"
    assert meta.date == "1998-09-12"
    assert meta.extra["date_as_written"] == "September 12, 1998"


def test_dates_in_the_body_are_events_not_the_release_date() -> None:
    meta = describe("Cambodia: restraint\n\nOn 8 September 1998 security forces fired.")
    assert meta.date == ""
    assert "date_as_written" not in meta.extra


def test_nothing_is_invented_for_a_bare_text() -> None:
    meta = describe("Amnesty International condemned the deaths of demonstrators today.")
    assert (meta.headline, meta.country, meta.dateline, meta.date, meta.ai_index) == ("",) * 5


def test_a_long_first_paragraph_is_body_not_headline() -> None:
    long_first = "Amnesty International: " + "word " * 60
    meta = describe(long_first + "\n\nSecond paragraph.")
    assert meta.headline == "" and meta.country == ""


def test_a_release_that_opens_with_its_dateline_has_no_headline() -> None:
    meta = describe("SEOUL -- President Kim spoke.\n\nMore text.")
    assert meta.headline == ""
    assert meta.dateline == "SEOUL"


@pytest.mark.parametrize(
    ("headline", "country"),
    [
        ("Republic of Korea (South Korea): Human rights", "Republic of Korea (South Korea)"),
        ("Côte d'Ivoire: Arrests", "Côte d'Ivoire"),
        ("Israel/Occupied Territories: Demolitions", "Israel/Occupied Territories"),
        ("Democratic Republic of the Congo: Killings", "Democratic Republic of the Congo"),
        ("Update: more arrests", ""),
        ("URGENT ACTION: free him", ""),
        ("Cambodia call for restraint", ""),
        ("the government says: no", ""),
        ("Cambodia:", ""),
    ],
)
def test_country_of(headline: str, country: str) -> None:
    assert country_of(headline) == country


def test_dates_and_index_shapes() -> None:
    assert find_date("on 1st Sept. 1998") == ("1998-09-01", "1st Sept. 1998")
    assert find_date("31 February 1998") == ("", "")  # no such day
    assert find_date("1998-13-01") == ("", "")
    assert find_ai_index("AI Index:EUR 01/001/2005 rest") == "EUR 01/001/2005"
    assert find_ai_index("ai index asa 25/28/98") == "ASA 25/28/98"
    assert find_ai_index("no index here") == ""


def test_ids_are_readable_ncnames() -> None:
    assert release_id("Amnesty release 12.txt", 2) == "Amnesty-release-12-2"
    assert id_stem("000_3a922b85f584e461.txt") == "doc-000_3a922b85f584e461"
    assert id_stem("sub/dir/Sané’s statement.html") == "Sanes-statement"
    assert id_stem("😀.txt") == "doc"
    assert id_stem("x" * 100 + ".txt") == "x" * 48
    for name in ("a b.txt", "1.txt", "-.txt", "é.pdf", ".hidden", "a.b.c"):
        assert is_ncname(release_id(name, 1)), name


def test_unique_id() -> None:
    assert unique_id("a-1", set()) == "a-1"
    assert unique_id("a-1", {"a-1"}) == "a-1_2"
    assert unique_id("a-1", {"a-1", "a-1_2"}) == "a-1_3"


@pytest.mark.parametrize(
    "name",
    [
        "South Korea",
        "Republic of Korea",
        "Korea (Republic of)",
        "Burma",
        "Myanmar",
        "Côte d'Ivoire",
        "Cote d’Ivoire",
        "Ivory Coast",
        "Middle East and North Africa",
        "Kashmir",
        "Western Sahara",
        "Occupied Palestinian Territories",
        "CHAD",
        "The Gambia",
        "Saint Lucia",
        "St. Lucia",
        "Democratic Republic of the Congo",
        "Bosnia and Herzegovina",
    ],
)
def test_country_list_knows_short_long_and_regional_names(name: str) -> None:
    assert is_place(name)
    assert country_of(f"{name}: arrests") == name


@pytest.mark.parametrize("name", ["Target", "Country X", "Khartoum", "Amnesty International", ""])
def test_country_list_rejects_what_is_not_a_country(name: str) -> None:
    assert not is_place(name)


@pytest.mark.parametrize(
    "first",
    [
        "UA: 12/21 Index: AFR 20/1234/2021 Chad Date: 3 March 2021",
        "First UA: 12/21 Index: AFR 20/1234/2021 Chad Date: 3 March 2021",
        "Further information on UA: 12/21 Index: AFR 20/1234/2021 Chad Date: 3 March 2021",
    ],
)
def test_urgent_action_header_fields(first: str) -> None:
    meta = describe(f"{first}\n\nURGENT ACTION\n\nJOURNALIST DETAINED\n\nHe was arrested.")
    assert (meta.headline, meta.country, meta.ai_index, meta.date) == (
        "JOURNALIST DETAINED",
        "Chad",
        "AFR 20/1234/2021",
        "2021-03-03",
    )
    assert meta.extra["ua_number"] == "12/21"


def test_a_word_that_is_no_country_between_labelled_fields_is_not_a_country() -> None:
    meta = describe(
        "UA: 12/21 Index: AFR 20/1234/2021 Somewhere Date: 3 March 2021\n\nTitle\n\nBody."
    )
    assert meta.country == ""
    assert meta.ai_index == "AFR 20/1234/2021"


def test_urgent_action_in_a_sentence_is_not_a_label() -> None:
    meta = describe("Urgent action needed to stop executions\n\nBody text.")
    assert meta.headline == "Urgent action needed to stop executions"
