"""A real multi-page PDF (fpdf2) through the real import path (pypdf): page furniture goes."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.model.project import Document
from annotator.releases import read_releases

fpdf = pytest.importorskip("fpdf")

SENTENCES = [
    "Security forces arrested the journalists at their homes in the capital before dawn.",
    "Their families were not told where they were taken or why they were held.",
    "Lawyers who tried to visit them were turned away at the gates of the detention centre.",
    "The authorities have not brought any charge against them in the weeks since.",
    "Several of the journalists had reported on the protests against the transitional council.",
    "One of them needs regular medical care that he has not received in detention.",
    "Colleagues say the arrests have spread fear among reporters across the country.",
    "International law forbids holding anyone without charge for exercising free expression.",
]


def body_paragraphs(count: int) -> list[str]:
    """``count`` paragraphs of four to seven sentences, each different."""
    out = []
    for i in range(count):
        n = 4 + i % 4
        picked = [SENTENCES[(i + k * 3) % len(SENTENCES)] for k in range(n)]
        out.append(f"In case {i + 1}, " + " ".join(picked)[0].lower() + " ".join(picked)[1:])
    return out


HEADLINE = "Chad: Journalists held without charge must be released"
DATELINE = (
    "N'DJAMENA, 3 March 2021 -- The Chadian authorities must immediately release seven "
    "journalists held without charge for more than a month, Amnesty International said today."
)


def statement_pdf(path: Path, paragraphs: list[str], *, style: str) -> Path:
    """An A4 public statement with a letterhead, running header and footer and page numbers.

    ``style`` ``"page-of"``: the letterhead on every page, a footer with the index
    and ``Page N of M``. ``"bare"``: the page number alone at the top of every
    page (the first included), a running title at the foot of pages 2 and on, and
    ``- N -`` below it.
    """

    class Statement(fpdf.FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", "B", 9)
            if style == "page-of":
                self.cell(0, 8, "AMNESTY INTERNATIONAL PUBLIC STATEMENT", align="C")
            else:
                self.cell(0, 8, str(self.page_no()), align="R")
            self.ln(12)

        def footer(self) -> None:
            self.set_y(-20)
            self.set_font("Helvetica", "", 8)
            if style == "page-of":
                self.cell(0, 5, "Index: AFR 20/1234/2021", align="L")
                self.ln(5)
                self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")
            else:
                if self.page_no() > 1:
                    self.cell(0, 5, "Chad: Journalists held without charge", align="C")
                self.ln(5)
                self.cell(0, 5, f"- {self.page_no()} -", align="C")

    pdf = Statement(format="A4")
    pdf.set_auto_page_break(True, margin=25)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 8, HEADLINE)
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 11)
    for paragraph in [DATELINE, *paragraphs]:
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(3)
    pdf.output(str(path))
    return path


def only(path: Path) -> Document:
    (doc,) = read_releases(path)
    return doc


def check_statement(doc: Document, paragraphs: list[str], ai_index: str) -> None:
    assert doc.text.split("\n\n") == [HEADLINE, DATELINE, *paragraphs]
    assert (doc.meta.headline, doc.meta.country, doc.meta.dateline, doc.meta.date) == (
        HEADLINE,
        "Chad",
        "N'DJAMENA",
        "2021-03-03",
    )
    assert doc.meta.extra["date_as_written"] == "3 March 2021"
    assert doc.meta.ai_index == ai_index


def test_letterhead_index_footer_and_page_of_numbers_are_dropped_and_listed(
    tmp_path: Path,
) -> None:
    paragraphs = body_paragraphs(20)
    doc = only(statement_pdf(tmp_path / "statement.pdf", paragraphs, style="page-of"))
    # a paragraph running over a page break is one paragraph, nothing glued into it
    check_statement(doc, paragraphs, "AFR 20/1234/2021")  # the index is read from the footer
    assert doc.meta.extra["dropped_lines"].split("\n") == [
        line
        for n in (1, 2, 3)
        for line in (
            "running header: AMNESTY INTERNATIONAL PUBLIC STATEMENT",
            "running footer: Index: AFR 20/1234/2021",
            f"page number: Page {n} of 3",
        )
    ]
    assert doc.meta.extra["source_format"] == "pdf"


def test_a_page_number_above_the_headline_is_not_the_headline(tmp_path: Path) -> None:
    paragraphs = body_paragraphs(20)
    doc = only(statement_pdf(tmp_path / "statement.pdf", paragraphs, style="bare"))
    check_statement(doc, paragraphs, "")
    assert doc.meta.extra["dropped_lines"].split("\n") == [
        "page number: 1",
        "page number: - 1 -",
        "page number: 2",
        "running footer: Chad: Journalists held without charge",
        "page number: - 2 -",
        "page number: 3",
        "running footer: Chad: Journalists held without charge",
        "page number: - 3 -",
    ]


def test_keep_layout_keeps_the_furniture_and_still_finds_the_metadata(tmp_path: Path) -> None:
    path = statement_pdf(tmp_path / "statement.pdf", body_paragraphs(20), style="page-of")
    (doc,) = read_releases(path, keep_layout=True)
    assert doc.meta.extra["layout"] == "kept"
    assert "dropped_lines" not in doc.meta.extra
    assert doc.text.count("AMNESTY INTERNATIONAL PUBLIC STATEMENT") == 3
    assert "Page 2 of 3" in doc.text
    assert (doc.meta.headline, doc.meta.country, doc.meta.date, doc.meta.ai_index) == (
        HEADLINE,
        "Chad",
        "2021-03-03",
        "AFR 20/1234/2021",
    )


def test_a_page_set_in_two_columns_is_read_column_after_column(tmp_path: Path) -> None:
    pdf = fpdf.FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    sentences = [
        f"Witness {i} saw the police beat the protesters in the square." for i in range(90)
    ]
    with pdf.text_columns(ncols=2, gutter=8) as columns:
        columns.write(" ".join(sentences))
    path = tmp_path / "columns.pdf"
    pdf.output(str(path))
    text = only(path).text
    positions = [text.index(sentence) for sentence in sentences]
    assert positions == sorted(positions)  # never a line of one column beside the other


def test_a_pdf_set_double_spaced_is_joined_into_its_paragraphs(tmp_path: Path) -> None:
    paragraphs = body_paragraphs(5)
    pdf = fpdf.FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 12, "Chad: Journalists detained", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    for paragraph in paragraphs:  # line spacing twice the font size, a blank line between
        pdf.multi_cell(0, 12, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(12)
    path = tmp_path / "double.pdf"
    pdf.output(str(path))
    doc = only(path)
    assert doc.meta.extra["layout"] == "double-spaced PDF lines joined"
    assert doc.text.split("\n\n") == ["Chad: Journalists detained", *paragraphs]
    assert (doc.meta.headline, doc.meta.country) == ("Chad: Journalists detained", "Chad")
