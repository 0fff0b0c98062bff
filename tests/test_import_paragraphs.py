"""Layout decided per document from evidence: blank-line paragraphs, headings, bylines, lists."""

from __future__ import annotations

from pathlib import Path

from import_fixtures import RELEASES, SEED

from annotator.cli import main
from annotator.formats.project_xml import load_project
from annotator.releases import read_releases
from annotator.releases.layout import repair


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def test_blank_line_paragraphs_with_a_byline_and_a_heading_stay_paragraphs() -> None:
    text = (
        "Country X: Activists detained\n\nBY JANE DOE\n\n"
        "Police detained five activists on Monday.\n\nBACKGROUND\n\n"
        "The group has campaigned since 2019.\n"
    )
    result = repair(text)
    assert not result.double_spaced
    assert paragraphs(result.text) == [
        "Country X: Activists detained",
        "BY JANE DOE",
        "Police detained five activists on Monday.",
        "BACKGROUND",
        "The group has campaigned since 2019.",
    ]
    assert result.decision == "blank-line paragraphs kept, not double-spaced"
    assert result.evidence == "0 of 4 single blank lines fall inside a sentence"


def test_plain_release_with_byline_headings_and_bullets() -> None:
    (doc,) = read_releases(RELEASES / "plain_byline_headings.txt")
    paras = paragraphs(doc.text)
    assert len(paras) == 12
    assert paras[1] == "BY AMINA HASSAN AND PETER OKELLO"
    assert paras[5] == "WHAT WE ARE ASKING FOR"
    assert paras[6] == "• Release the three aid workers immediately and unconditionally"
    assert paras[9] == "BACKGROUND"
    assert doc.meta.headline == "Sudan: Aid workers detained in El Fasher must be released"
    assert doc.meta.extra["layout"] == "blank-line paragraphs kept, not double-spaced"
    assert doc.meta.extra["layout_evidence"] == "0 of 11 single blank lines fall inside a sentence"


def test_one_line_per_paragraph_ending_in_captions_and_links_is_not_double_spaced() -> None:
    lines = [
        "Kenya: Protesters shot in Nairobi",
        "Police fired live ammunition at protesters in central Nairobi on Tuesday, killing two.",
        "Protesters run from tear gas on Moi Avenue in Nairobi, June 25, 2024. © 2024 Private",
        "Witnesses said officers fired without warning as the crowd dispersed.",
        "For more reporting on Kenya, please visit",
        "https://www.example.org/africa/kenya",
    ]
    result = repair("\n\n".join(lines))
    assert not result.double_spaced
    assert paragraphs(result.text) == lines


def test_double_spaced_extraction_keeps_its_heading_and_list_items_apart() -> None:
    lines = [
        "Amnesty International is calling on the authorities to release all those",
        "detained solely for their peaceful activities and to investigate the deaths",
        "of demonstrators in the capital last week.",
        "RECOMMENDED ACTION",
        "1. Release all prisoners of conscience immediately and without any",
        "conditions attached to their release.",
        "2. Investigate the killings and bring those responsible to justice in fair",
        "trials without recourse to the death penalty.",
    ]
    result = repair("".join(f"{line}\n\n" for line in lines))
    assert result.double_spaced
    assert result.decision == "double-spaced PDF lines joined"
    assert paragraphs(result.text) == [
        " ".join(lines[0:3]),
        "RECOMMENDED ACTION",
        " ".join(lines[4:6]),
        " ".join(lines[6:8]),
    ]


def test_lines_without_blank_lines_split_at_bylines_headings_and_bullets() -> None:
    text = (
        "Chad: Release detained journalists now\n"
        "By Jane Doe\n"
        "Police detained five journalists on Monday and the authorities in the capital\n"
        "have refused to say where they are being held or on what charges.\n"
        "BACKGROUND\n"
        "The journalists had reported on the protests of the previous week in the\n"
        "capital and in two towns in the south of the country.\n"
        "• Release the journalists\n"
        "• Drop all charges against them and allow them to return to\n"
        "work without fear of reprisals\n"
    )
    assert paragraphs(repair(text).text) == [
        "Chad: Release detained journalists now",
        "By Jane Doe",
        "Police detained five journalists on Monday and the authorities in the capital "
        "have refused to say where they are being held or on what charges.",
        "BACKGROUND",
        "The journalists had reported on the protests of the previous week in the "
        "capital and in two towns in the south of the country.",
        "• Release the journalists",
        "• Drop all charges against them and allow them to return to "
        "work without fear of reprisals",
    ]


def test_an_upper_case_headline_wrapped_over_two_lines_stays_one_paragraph() -> None:
    text = (
        "CHAD: AUTHORITIES MUST RELEASE\nDETAINED JOURNALISTS\n"
        "Police detained five journalists on Monday and the authorities in the capital\n"
        "have refused to say where they are held.\n"
    )
    assert paragraphs(repair(text).text)[0] == (
        "CHAD: AUTHORITIES MUST RELEASE DETAINED JOURNALISTS"
    )


def test_the_seed_records_its_layout_decision() -> None:
    docs = read_releases(SEED)
    for doc in docs:
        assert doc.meta.extra["layout"] == "double-spaced PDF lines joined"
        evidence = doc.meta.extra["layout_evidence"]
        assert evidence.endswith("single blank lines fall inside a sentence")


def test_the_cli_keeps_the_reproduction_paragraphs(tmp_path: Path) -> None:
    source = tmp_path / "m.txt"
    source.write_text(
        "Country X: Activists detained\n\nBY JANE DOE\n\n"
        "Police detained five activists on Monday.\n\nBACKGROUND\n\n"
        "The group has campaigned since 2019.\n",
        encoding="utf-8",
    )
    out = tmp_path / "m.xml"
    assert main(["import", str(source), "-o", str(out)]) == 0
    project, _ = load_project(out)
    (doc,) = project.documents.values()
    assert len(paragraphs(doc.text)) == 5
    assert doc.meta.headline == "Country X: Activists detained"
    assert doc.meta.extra["layout"] == "blank-line paragraphs kept, not double-spaced"
