"""HTML pages, Word files and PDFs, and files sniffed by content."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_fixtures import docx_bytes, pdf_bytes

from annotator.errors import AnnotatorError, BinaryFile, CorruptSource, EmptyFile, UnsupportedSource
from annotator.releases import read_releases
from annotator.releases.markup import docx_text, html_text
from annotator.releases.naming import is_ncname
from annotator.releases.sources import read_source

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Ignored title</title>
<style>p { color: red }</style><script>document.write("no")</script></head>
<body>
<h1>Cambodia:   call for
    restraint</h1>
<p>Amnesty International today <b>condemned</b> the deaths
   of demonstrators.<br>A second line.</p>
<!-- a comment -->
<div>Security forces shot at <i>monks</i>.<noscript>enable js</noscript></div>
<ul><li>First point</li><li>Second point</li></ul>
<pre>kept   as
  written</pre>
<p>- ENDS -</p>
<p>Second release: headline</p><p>Body of the second release.</p>
</body></html>
"""


def test_html_block_elements_become_paragraphs() -> None:
    text, codec = html_text(PAGE.encode("utf-8"))
    assert codec == "utf-8"
    assert text.split("\n\n") == [
        "Cambodia: call for restraint",
        "Amnesty International today condemned the deaths of demonstrators.\nA second line.",
        "Security forces shot at monks.",
        "First point",
        "Second point",
        "kept   as\n  written",
        "- ENDS -",
        "Second release: headline",
        "Body of the second release.",
    ]
    for dropped in ("Ignored title", "color", "document.write", "comment", "enable js"):
        assert dropped not in text


def test_html_file_splits_and_reads_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    first, second = read_releases(path)
    assert first.meta.headline == "Cambodia: call for restraint"
    assert first.meta.country == "Cambodia"
    assert first.meta.extra["source_format"] == "html"
    assert "ENDS" not in first.text
    # a <br> is a deliberate line break: kept, not joined
    assert "demonstrators.\nA second line." in first.text
    assert second.text == "Second release: headline\n\nBody of the second release."
    assert second.meta.headline == "Second release: headline"


def test_html_meta_charset_and_cp1252_entities() -> None:
    page = b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    page += b"</head><body><p>\x93Sans\xe9\x94 &amp; caf&eacute; &#8211; ok</p></body></html>"
    text, codec = html_text(page)
    assert text == "“Sansé” & café – ok"
    assert codec == "windows-1252"


def test_html_never_fetches_external_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    page = (
        f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<html><body><p>before &x; after</p></body></html>"
    )
    text, _ = html_text(page.encode("utf-8"))
    assert "TOP SECRET" not in text
    assert "before" in text


def test_html_with_no_text_is_empty() -> None:
    with pytest.raises(EmptyFile):
        html_text(b"<html><head><script>x()</script></head><body> </body></html>")


# --- Word ---------------------------------------------------------------------


def _p(*runs: str) -> str:
    return "<w:p>" + "".join(runs) + "</w:p>"


def _r(inner: str) -> str:
    return f"<w:r>{inner}</w:r>"


def test_docx_paragraphs_tabs_and_breaks(tmp_path: Path) -> None:
    body = (
        _p(
            '<w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>',
            _r("<w:t>Republic of Korea: Human </w:t>"),
            _r('<w:t xml:space="preserve">rights</w:t>'),
        )
        + _p(_r("<w:t>SEOUL -- Name</w:t><w:tab/><w:t>Value</w:t><w:br/><w:t>next line</w:t>"))
        + _p()  # an empty paragraph adds nothing
        + _p(
            _r("<w:t>long</w:t><w:noBreakHyphen/><w:t>term</w:t>"),
            "<w:del><w:r><w:delText>deleted words</w:delText></w:r></w:del>",
            _r("<w:t> Sané.</w:t>"),
        )
        + _p(_r("<w:t>/ENDS</w:t>"))
    )
    path = tmp_path / "release.docx"
    path.write_bytes(docx_bytes(body))
    assert docx_text(path.read_bytes()) == (
        "Republic of Korea: Human rights\n\nSEOUL -- Name\tValue\nnext line\n\n"
        "long-term Sané.\n\n/ENDS"
    )
    [doc] = read_releases(path)
    assert doc.text == (
        "Republic of Korea: Human rights\n\nSEOUL -- Name\tValue\nnext line\n\nlong-term Sané."
    )
    assert doc.meta.headline == "Republic of Korea: Human rights"
    assert doc.meta.dateline == "SEOUL"
    assert doc.meta.extra["source_format"] == "docx"


def test_docx_refuses_entity_tricks(tmp_path: Path) -> None:
    declaration = '<!DOCTYPE w:document [<!ENTITY lol "lololol">]>'
    path = tmp_path / "evil.docx"
    path.write_bytes(docx_bytes(_p(_r("<w:t>&lol;</w:t>")), declaration=declaration))
    with pytest.raises(CorruptSource, match="refused for safety"):
        read_releases(path)


def test_docx_without_document_part_or_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("other.xml", "<a/>")
    with pytest.raises(CorruptSource, match=r"no word/document\.xml"):
        read_releases(path)
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 this is no zip archive at all")
    with pytest.raises(CorruptSource, match="not a readable Word"):
        read_releases(bad)


def test_docx_with_no_text(tmp_path: Path) -> None:
    path = tmp_path / "blank.docx"
    path.write_bytes(docx_bytes(_p() + _p(_r("<w:t> </w:t>"))))
    with pytest.raises(EmptyFile, match="Word file holds no text"):
        read_releases(path)


# --- PDF ------------------------------------------------------------------------

PDF_LINES = [
    "Cambodia: call for restraint",
    "Amnesty International today condemned the deaths and injuries of demon-",
    "strators resulting from the repression of opposition protests by security",
    "forces in Phnom Penh this week, and called for restraint on all sides.",
    "Security forces are reported to have shot at and beaten a group of monks.",
    "...ENDS/",
]


def test_pdf_text_is_extracted_and_repaired(tmp_path: Path) -> None:
    path = tmp_path / "release.pdf"
    path.write_bytes(pdf_bytes(PDF_LINES))
    [doc] = read_releases(path)
    assert doc.meta.extra["source_format"] == "pdf"
    assert doc.meta.headline == "Cambodia: call for restraint"
    assert doc.text == (
        "Cambodia: call for restraint\n\n"
        "Amnesty International today condemned the deaths and injuries of demonstrators "
        "resulting from the repression of opposition protests by security forces in Phnom "
        "Penh this week, and called for restraint on all sides. Security forces are reported "
        "to have shot at and beaten a group of monks."
    )


def test_pdf_damaged_or_misnamed(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    with pytest.raises((CorruptSource, EmptyFile)):
        read_releases(broken)
    misnamed = tmp_path / "text.pdf"
    misnamed.write_text("just text", encoding="utf-8")
    with pytest.raises(CorruptSource, match="not a PDF"):
        read_releases(misnamed)


def test_pdf_without_text(tmp_path: Path) -> None:
    path = tmp_path / "blank.pdf"
    path.write_bytes(pdf_bytes([]))
    with pytest.raises(EmptyFile, match="no extractable text"):
        read_releases(path)


# --- sniffing ---------------------------------------------------------------------


def test_unknown_extensions_are_sniffed(tmp_path: Path) -> None:
    cases = {
        "a.dat": (pdf_bytes(["Hello from a PDF"]), "pdf"),
        "b.bin": (docx_bytes(_p(_r("<w:t>Hello from Word</w:t>"))), "docx"),
        "c.release": (b"<!doctype html><html><body><p>Hello page</p></body></html>", "html"),
        "d": ("Hello plain text, Sané".encode("cp1252"), "txt"),
    }
    for name, (data, kind) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        source = read_source(path)
        assert source.kind == kind, name
        assert "Hello" in source.text


def test_unknown_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)) * 8)
    with pytest.raises(BinaryFile, match="binary data"):
        read_releases(path)


def test_old_word_and_rtf_get_a_useful_reason(tmp_path: Path) -> None:
    doc = tmp_path / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(UnsupportedSource, match=r"save it as \.docx"):
        read_releases(doc)
    rtf = tmp_path / "x.rtf"
    rtf.write_bytes(b"{\\rtf1\\ansi Hello}")
    with pytest.raises(UnsupportedSource, match="RTF"):
        read_releases(rtf)


# --- robustness ------------------------------------------------------------------------

XML_OK = re.compile("[\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"<html><body>", b"{\\rtf"]).flatmap(
            lambda head: st.binary(max_size=200).map(lambda tail: head + tail)
        ),
    ),
    suffix=st.sampled_from([".txt", ".html", ".docx", ".pdf", ".bin", ""]),
)
def test_any_bytes_give_releases_or_one_plain_error(
    tmp_path: Path, data: bytes, suffix: str
) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        docs = read_releases(path)
    except AnnotatorError as err:
        assert str(err).strip() and "\n" not in str(err)
        return
    for doc in docs:
        assert doc.text.strip()
        assert XML_OK.fullmatch(doc.text), repr(doc.text)
        assert is_ncname(doc.id)
