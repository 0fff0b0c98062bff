"""Reading sources without losing text, hanging or running away.

Old press-release pages leave ``<font>`` tags unclosed by the hundred; folders
people import hold named pipes, sockets and links; a small Word file can
unpack to hundreds of megabytes. Each of these either imports whole or is
skipped with one sentence saying why.
"""

from __future__ import annotations

import io
import os
import socket
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_fixtures import W_NS, docx_bytes
from test_cli import run

from annotator.errors import UnreadableSource, UnsupportedSource
from annotator.formats.project_xml import load_project, new_project
from annotator.releases import import_sources, read_releases
from annotator.releases.markup import (
    MAX_DOCX_ELEMENTS,
    MAX_HTML_ELEMENTS,
    docx_text,
    html_paragraphs,
    parse_html,
)
from annotator.releases.sources import MAX_PDF_CONTENT, MAX_PDF_PAGES, read_bytes

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX special files")


def old_press_page(paragraphs: int) -> bytes:
    """A 1990s-style release page: tables, ``<font>`` and ``<p>`` never closed."""
    head = (
        "<HTML><HEAD><TITLE>Press Release</TITLE></HEAD>\n"
        '<BODY BGCOLOR="#FFFFFF"><TABLE WIDTH=600><TR><TD>\n'
        '<FONT FACE="Arial" SIZE=4><B>Nigeria: Release the Ogoni detainees</B><BR>\n'
    )
    body = "".join(
        f'<P><FONT FACE="Arial" SIZE=2>Paragraph {n} of the release, with its '
        f"facts and its appeal.\n"
        for n in range(1, paragraphs + 1)
    )
    return (head + body + "</TD></TR></TABLE></BODY></HTML>\n").encode("cp1252")


@pytest.mark.parametrize("paragraphs", [400, 1500])
def test_old_page_with_unclosed_font_tags_keeps_every_paragraph(
    tmp_path: Path, paragraphs: int
) -> None:
    page = tmp_path / "pr-1996.html"
    page.write_bytes(old_press_page(paragraphs))
    report, _ = import_sources(new_project("t"), [page])
    assert report.skipped == [] and report.losses == []
    (doc,) = report.imported
    parts = doc.text.split("\n\n")
    assert parts[0] == "Nigeria: Release the Ogoni detainees"
    assert len(parts) == paragraphs + 1
    assert parts[-1] == f"Paragraph {paragraphs} of the release, with its facts and its appeal."
    assert "text_lost" not in doc.meta.extra


def test_unclosed_font_tags_from_the_report_all_arrive(tmp_path: Path) -> None:
    page = tmp_path / "u.html"
    page.write_text(
        "<html><body>"
        + "".join(f"<font size=2>Paragraph {i}.<br>\n" for i in range(400))
        + "</body></html>"
    )
    (doc,) = read_releases(page)
    assert [line for line in doc.text.splitlines() if line.strip()] == [
        f"Paragraph {i}." for i in range(400)
    ]


def nested_divs(depth: int) -> str:
    return "<html><body>" + "".join(f"<div>Section {i}.\n" for i in range(depth)) + "</body></html>"


def test_nesting_the_parser_cannot_follow_imports_what_it_read_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "deep.html"
    page.write_text(nested_divs(3000))
    report, _ = import_sources(new_project("t"), [page])
    (doc,) = report.imported
    assert doc.text.startswith("Section 0.\n\nSection 1.")
    assert "Section 2999." not in doc.text
    ((source, note),) = report.losses
    assert source == str(page)
    assert note.startswith("the page nests elements more than 2048 deep (line ")
    assert note.endswith("); the text after that point is lost")
    assert doc.meta.extra["text_lost"] == note
    assert report.summary() == "Imported 1 release; text lost in 1 source"

    out = tmp_path / "p.xml"
    code, _, stderr = run(capsys, "import", str(page), "-o", str(out))
    assert code == 1
    assert f"annotator: text lost in {page}: the page nests elements" in stderr
    assert len(load_project(out)[0].documents) == 1  # what was read is kept, and said


# --- only regular files ------------------------------------------------------------


def release(path: Path, headline: str) -> Path:
    path.write_text(f"{headline}\n\nPolice detained five activists on Monday.\n")
    return path


def test_folder_with_pipe_socket_and_links_imports_only_its_regular_files(tmp_path: Path) -> None:
    outside = release(tmp_path / "secret.txt", "Private: not part of the batch")
    folder = tmp_path / "batch"
    (folder / "sub").mkdir(parents=True)
    release(folder / "a.txt", "Chad: Release the students")
    os.mkfifo(folder / "b-pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(folder / "c-socket.txt"))
        (folder / "d-outside.txt").symlink_to(outside)
        (folder / "e-inside.txt").symlink_to(folder / "sub" / "f.txt")
        release(folder / "sub" / "f.txt", "Peru: End the curfew")
        (folder / "g-folder").symlink_to(tmp_path)
        report, _ = import_sources(new_project("t"), [folder])
    finally:
        sock.close()
    assert [d.meta.source_name for d in report.imported] == ["a.txt", "e-inside.txt"]
    assert report.duplicates == [(str(folder / "sub" / "f.txt"), "e-inside-1")]
    only_regular = "not a regular file; only regular files are read"
    assert report.skipped == [
        (str(folder / "b-pipe.txt"), f"the path is a named pipe, {only_regular}"),
        (str(folder / "c-socket.txt"), f"the path is a socket, {only_regular}"),
        (
            str(folder / "d-outside.txt"),
            "the link points outside the imported folder; it is not followed",
        ),
        (
            str(folder / "g-folder"),
            "the link points to a folder; links to folders are not followed",
        ),
    ]
    assert all("Private" not in d.text for d in report.imported)


def test_pipe_named_directly_is_skipped_without_waiting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pipe = tmp_path / "release.txt"
    os.mkfifo(pipe)
    code, _, stderr = run(capsys, "import", str(pipe), "-o", str(tmp_path / "p.xml"))
    assert code == 1
    assert (
        f"annotator: skipped {pipe}: the path is a named pipe, not a regular file; "
        "only regular files are read" in stderr
    )
    assert not (tmp_path / "p.xml").exists()


def test_a_pipe_that_replaced_a_listed_file_is_refused_when_opened(tmp_path: Path) -> None:
    pipe = tmp_path / "swapped.txt"
    os.mkfifo(pipe)
    with pytest.raises(UnreadableSource) as caught:
        read_bytes(pipe)  # no writer: a blocking open would wait forever
    assert caught.value.message.startswith("the path is a named pipe")


def test_a_file_larger_than_the_limit_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "dump.txt"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(UnsupportedSource) as caught:
        read_bytes(big, limit=1024)
    assert "far more than a press release" in caught.value.message


# --- caps on unpacked size and element count -------------------------------------


def test_docx_that_unpacks_far_beyond_a_release_is_refused_before_inflating() -> None:
    # 263 KB on disk, 40 MB of empty paragraphs once unpacked
    document = (
        f'<w:document xmlns:w="{W_NS}"><w:body>' + "<w:p/>" * 7_000_000 + "</w:body></w:document>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", document)
    assert len(buf.getvalue()) < 300_000
    with pytest.raises(UnsupportedSource) as caught:
        docx_text(buf.getvalue(), source="bomb.docx")
    assert str(caught.value) == (
        "bomb.docx: the Word file's text part would unpack to 40 MB, more than the "
        "32 MB any release needs; refused"
    )


def test_docx_with_more_elements_than_any_release_is_refused() -> None:
    data = docx_bytes("<w:p/>" * (MAX_DOCX_ELEMENTS + 1))
    with pytest.raises(UnsupportedSource) as caught:
        docx_text(data, source="many.docx")
    assert caught.value.message == (
        f"the Word file's text part holds {MAX_DOCX_ELEMENTS + 3} elements, more than the "
        f"{MAX_DOCX_ELEMENTS} any release needs; refused"
    )


def test_html_with_more_elements_than_any_page_is_skipped_with_a_reason(tmp_path: Path) -> None:
    page = tmp_path / "bomb.html"
    page.write_text("<html><body>" + "<b>" * MAX_HTML_ELEMENTS + "x</body></html>")
    assert page.stat().st_size < 1024 * 1024
    report, _ = import_sources(new_project("t"), [page])
    assert report.imported == []
    assert report.skipped == [
        (
            str(page),
            f"the page has {MAX_HTML_ELEMENTS + 2} tags, more than the {MAX_HTML_ELEMENTS} "
            "any release page needs; refused (save the article alone, or as plain text)",
        )
    ]


# --- no visible word is lost, whatever the nesting ------------------------------------

_TAGS = st.sampled_from(
    ["<font size=2>", "<b>", "<i>", "<span>", "<p>", "<div>", "<br>", "</font>"]
)
_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.lists(_TAGS, max_size=3), _WORDS), min_size=1, max_size=60),
    st.integers(0, 3000),
)
def test_every_word_of_a_page_arrives_however_deep_its_unclosed_tags(
    pieces: list[tuple[list[str], str]], unclosed: int
) -> None:
    body = "<font face=Arial>" * unclosed + "".join(
        "".join(tags) + f" {word} " for tags, word in pieces
    )
    root, _, notes = parse_html(f"<html><body>{body}</body></html>".encode())
    assert notes == []
    assert html_paragraphs(root).split() == [word for _, word in pieces]


def flate_pdf(content: bytes, pages: int = 1) -> bytes:
    """A PDF whose ``pages`` pages all draw one compressed content stream."""
    data = zlib.compress(content, 9)
    kids = " ".join(f"{6 + i} 0 R" for i in range(pages)).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(data) + data + b"\nendstream",
    ] + [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
    ] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_pdf_whose_pages_unpack_to_megabytes_of_drawing_is_refused(tmp_path: Path) -> None:
    line = b"(Police detained five activists on Monday.) Tj T* "
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(flate_pdf(b"BT /F1 12 Tf 14 TL 72 720 Td " + line * 40_000 + b"ET"))
    assert bomb.stat().st_size < 100_000
    report, _ = import_sources(new_project("t"), [bomb])
    assert report.skipped == [
        (
            str(bomb),
            f"the PDF's pages hold more than {MAX_PDF_CONTENT // 1024} KB of drawing "
            "instructions, far more than any release; refused (save the pages of the "
            "release as their own PDF)",
        )
    ]


def test_pdf_with_more_pages_than_any_release_is_refused(tmp_path: Path) -> None:
    many = tmp_path / "many.pdf"
    many.write_bytes(flate_pdf(b"BT /F1 12 Tf 72 720 Td (x) Tj ET", pages=MAX_PDF_PAGES + 1))
    report, _ = import_sources(new_project("t"), [many])
    assert report.skipped == [
        (
            str(many),
            f"the PDF has {MAX_PDF_PAGES + 1} pages, more than the {MAX_PDF_PAGES} any "
            "release needs; refused",
        )
    ]
