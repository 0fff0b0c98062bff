"""Encodings, newlines and the characters XML 1.0 cannot hold."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.errors import BinaryFile, EmptyFile
from annotator.releases import read_releases
from annotator.releases.characters import REPLACEMENT, clean_text, make_xml_safe
from annotator.releases.encoding import decode_text

TEXT = "Côte d’Ivoire: “Sané” says 50€ — naïve café\nSecond line"


@pytest.mark.parametrize(
    ("data", "codec"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_each_encoding_decodes_to_the_same_text(data: bytes, codec: str) -> None:
    text, found = decode_text(data)
    assert text == TEXT
    assert found == codec


def test_latin1_without_smart_quotes() -> None:
    data = "Pierre Sané, café, naïve".encode("latin-1")
    assert data.count(b"\xe9") == 2  # é as one Latin-1 byte, invalid UTF-8
    assert decode_text(data) == ("Pierre Sané, café, naïve", "latin-1")


def test_cp1252_smart_quotes_are_quotes_not_c1_controls() -> None:
    data = b"\x93Free them,\x94 he said \x96 it\x92s time."
    text, codec = decode_text(data)
    assert text == "“Free them,” he said – it’s time."
    assert codec == "cp1252"


def test_bytes_undefined_in_cp1252_fall_back_to_latin1() -> None:
    text, codec = decode_text(b"caf\xe9 \x81")
    assert (text, codec) == ("café \x81", "latin-1")


def test_utf8_bom_is_not_part_of_the_text(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + b"Headline\n\nBody text.")
    [doc] = read_releases(path)
    assert doc.text == "Headline\n\nBody text."
    assert doc.meta.extra["encoding"] == "utf-8-sig"


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_crlf_and_cr_become_lf(tmp_path: Path, newline: str) -> None:
    text = "Cambodia: call for restraint\n\nSecurity forces shot at monks.\nMore text.\n"
    path = tmp_path / "nl.txt"
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    [kept] = read_releases(path, keep_layout=True)
    assert "\r" not in kept.text
    assert kept.text == text.rstrip("\n")
    [repaired] = read_releases(path)
    assert repaired.text == (
        "Cambodia: call for restraint\n\nSecurity forces shot at monks. More text."
    )


def test_utf16_file_imports_with_accents(tmp_path: Path) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "Cambodia: Sané\r\n\r\nBody é.".encode("utf-16-le"))
    [doc] = read_releases(path)
    assert doc.text == "Cambodia: Sané\n\nBody é."


def test_empty_and_whitespace_files_are_refused() -> None:
    with pytest.raises(EmptyFile):
        decode_text(b"")
    with pytest.raises(EmptyFile):
        decode_text(b" \r\n\t \n")
    with pytest.raises(EmptyFile):
        decode_text(codecs.BOM_UTF16_LE)


def test_binary_data_is_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4
    with pytest.raises(BinaryFile, match="binary"):
        decode_text(png)
    noisy = bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 50 + b"text"
    with pytest.raises(BinaryFile):
        decode_text(noisy)


# --- the control-character rule ---------------------------------------------------


def test_control_rule_form_feed_and_vertical_tab_end_lines() -> None:
    assert make_xml_safe("page one\x0cpage two\x0bline") == "page one\npage two\nline"


def test_control_rule_other_forbidden_code_points_become_fffd_one_for_one() -> None:
    raw = "a\x00b\x01c\x08d\x1fe\ud800f\udfffg\ufffeh\uffffi"
    assert make_xml_safe(raw) == "a" + "".join(f"{REPLACEMENT}{c}" for c in "bcdefghi")
    assert len(make_xml_safe(raw)) == len(raw)


def test_control_rule_keeps_tab_lf_c1_and_astral() -> None:
    raw = "tab\there\nnext \x85 \x9f 😀 𠀀"
    assert make_xml_safe(raw) == raw


def test_control_characters_in_a_file(tmp_path: Path) -> None:
    path = tmp_path / "ctl.txt"
    path.write_bytes(b"Headline\x07 here\n\nFirst page ends\x0cSecond\tpage\x00 text.")
    [doc] = read_releases(path, keep_layout=True)
    assert (
        doc.text
        == f"Headline{REPLACEMENT} here\n\nFirst page ends\nSecond\tpage{REPLACEMENT} text."
    )
    [repaired] = read_releases(path)
    assert "\tpage" in repaired.text  # tabs are kept inside lines


XML_CHAR = st.characters(
    blacklist_categories=("Cs",), min_codepoint=0x20, max_codepoint=0x10FFFF
) | st.sampled_from("\t\n")


@settings(max_examples=80, deadline=None)
@given(st.text(st.characters(max_codepoint=0x10FFFF)))
def test_clean_text_always_yields_xml_characters(raw: str) -> None:
    out = clean_text(raw)
    for ch in out:
        cp = ord(ch)
        assert cp in (0x9, 0xA) or 0x20 <= cp <= 0xD7FF or 0xE000 <= cp <= 0xFFFD or cp >= 0x10000
    # one code point for one, apart from CRLF collapsing to LF
    assert len(out) == len(raw.replace("\r\n", "\n"))


@settings(max_examples=60, deadline=None)
@given(st.text(XML_CHAR))
def test_clean_text_leaves_xml_text_alone(raw: str) -> None:
    assert clean_text(raw) == raw
