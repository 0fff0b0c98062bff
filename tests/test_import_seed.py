"""The real seed release file: two PDF-extracted, double-spaced releases."""

from __future__ import annotations

import hashlib
import re

import pytest
from import_fixtures import SEED

from annotator.model.project import Document
from annotator.releases import read_releases
from annotator.releases.layout import repair
from annotator.releases.splitting import split_releases


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    return read_releases(SEED)


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def test_seed_splits_into_two_releases_with_exact_headlines(docs: list[Document]) -> None:
    assert len(docs) == 2
    assert docs[0].meta.headline == (
        "Republic of Korea (South Korea): Human rights crucial to long term development"
    )
    assert docs[1].meta.headline == "Cambodia: call for restraint during demonstrations"
    assert docs[0].meta.country == "Republic of Korea (South Korea)"
    assert docs[1].meta.country == "Cambodia"
    assert docs[0].meta.dateline == "SEOUL"
    assert docs[1].meta.dateline == ""  # "Amnesty International today ..." has none


def test_seed_metadata_records_source_and_position(docs: list[Document]) -> None:
    digest = hashlib.sha256(SEED.read_bytes()).hexdigest()
    for position, doc in enumerate(docs, start=1):
        assert doc.meta.source_name == SEED.name
        assert doc.meta.source_sha256 == digest
        assert doc.meta.extra["release"] == str(position)
        assert doc.meta.extra["releases_in_source"] == "2"
        assert doc.meta.extra["encoding"] == "utf-8"
        # nothing invented: the seed states neither a date nor an AI Index
        assert doc.meta.date == "" and doc.meta.ai_index == ""
    assert [d.id for d in docs] == ["doc-000_3a922b85f584e461-1", "doc-000_3a922b85f584e461-2"]


def test_headline_stays_in_the_text_as_first_paragraph(docs: list[Document]) -> None:
    for doc in docs:
        assert paragraphs(doc.text)[0] == doc.meta.headline


def test_seed_paragraphs_are_the_writers_paragraphs(docs: list[Document]) -> None:
    first, second = paragraphs(docs[0].text), paragraphs(docs[1].text)
    assert len(first) == 19
    assert len(second) == 11
    assert first[1].startswith("SEOUL -- President Kim needs to move beyond rhetoric")
    assert first[1].endswith("an Amnesty International delegation visiting the country said today.")
    assert first[2].startswith("“President Kim seems to have lost touch")
    assert first[4].startswith("Yesterday President Kim Dae-jung leant his support")
    assert first[-1].endswith("economic recovery and long term sustainable development.”")
    assert second[1].startswith("Amnesty International today condemned the deaths")
    assert second[9] == "Background"
    assert second[10].endswith("reported irregularities in the July elections.")


def test_no_stray_wraps_or_layout_spaces(docs: list[Document]) -> None:
    for doc in docs:
        assert "\n\n\n" not in doc.text
        for para in paragraphs(doc.text):
            assert "\n" not in para  # every wrap was joined
            assert para == para.strip()
            assert "  " not in para
        # a paragraph never starts in lower case (that would be a broken wrap)
        assert all(not p[0].islower() for p in paragraphs(doc.text))


def test_superscript_quotes_and_accents_survive(docs: list[Document]) -> None:
    text = docs[0].text
    assert "mark the 50th anniversary of the Universal Declaration" in text
    assert "said Pierre Sané, Secretary General" in text
    assert "“His government’s failure" in text
    assert "South Korea’s" in text
    assert "“left-wing” organizations" in text
    assert "the not-too-distant future" in text
    assert '"Peoples’ lives are yet again' in docs[1].text


def test_end_markers_are_gone(docs: list[Document]) -> None:
    for doc in docs:
        assert not re.search(r"\bENDS\b", doc.text, re.IGNORECASE)
        assert "/" not in doc.text[-20:] and "...." not in doc.text
    assert docs[0].text.endswith("long term sustainable development.”")


def test_seed_is_recognised_as_double_spaced() -> None:
    pieces = split_releases(SEED.read_text(encoding="utf-8"))
    assert [repair(p).double_spaced for p in pieces] == [True, True]


def test_keep_layout_stores_the_release_verbatim() -> None:
    docs = read_releases(SEED, keep_layout=True)
    raw = SEED.read_text(encoding="utf-8")
    assert len(docs) == 2
    for doc in docs:
        assert doc.text in raw  # verbatim: a slice of the file (it has LF newlines already)
        assert doc.meta.extra["layout"] == "kept"
    assert docs[0].text.startswith(" Republic of Korea (South Korea): Human rights crucial")
    assert "the 50\nth\n anniversary" in docs[0].text
    assert "ENDS" not in docs[0].text and "ENDS" not in docs[1].text
    # metadata is read the same way whatever the layout mode
    assert docs[0].meta.headline == read_releases(SEED)[0].meta.headline
