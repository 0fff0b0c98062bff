"""Analysts' tables (CSV, JSON Lines, appeals), redaction and the HTML report."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.interchange.common import ExportOptions, prepare
from annotator.interchange.context import SentenceIndex
from annotator.interchange.html_report import to_html
from annotator.interchange.redact import redact_project
from annotator.interchange.registry import EXPORTERS
from annotator.interchange.tables import appeals_tsv, guard
from annotator.model import Annotation, Fragment
from tests.export_support import sample_project
from tests.strategies import projects, signature


def _rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM by default
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_annotation_csv(tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    EXPORTERS["csv"].write(sample_project(), out, ExportOptions())
    rows = _rows(out)
    assert len(rows) == 10
    a1 = next(r for r in rows if r["annotation"] == "a1")
    assert a1["document"] == "doc0001" and a1["country"] == "Republic of Korea"
    assert a1["action"] == "Investigate; Release"  # labels, not value names
    assert a1["kind"] == "Direct call"
    assert a1["context"].startswith("Amnesty International called on President Kim")
    assert a1["context"].endswith("investigate the arrests.")
    assert "addressee → a3 authority “President Kim”" in a1["links"]
    a8 = next(r for r in rows if r["annotation"] == "a8")
    assert a8["fragments"].count(";") == 1 and a8["note"] == "odd span, check"
    a3 = next(r for r in rows if r["annotation"] == "a3")
    assert "addressee → a1 appeal" in a3["linked_from"]


def test_no_bom_and_formula_guard(tmp_path: Path) -> None:
    p = sample_project()
    text = p.documents["doc0001"].text
    start = text.index('"=cmd|calc"') + 1
    da = p.layers["alice"].docs["doc0001"]
    da.annotations["a20"] = Annotation(
        "a20", "victim", (Fragment(start, start + 9),), note='+1, said "he"\nnext line'
    )
    out = tmp_path / "a.csv"
    EXPORTERS["csv"].write(p, out, ExportOptions(bom=False))
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    row = next(r for r in rows if r["annotation"] == "a20")
    assert row["text"] == "'=cmd|calc"
    assert row["note"] == '\'+1, said "he"\nnext line'  # quoted field keeps comma, quote, newline
    EXPORTERS["csv"].write(p, out, ExportOptions(bom=False, formula_guard=False))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert next(r for r in rows if r["annotation"] == "a20")["text"] == "=cmd|calc"
    assert [guard(x) for x in ("=1", "-2", "@a", "ok", "")] == ["'=1", "'-2", "'@a", "ok", ""]


def test_jsonl_and_appeals(tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    EXPORTERS["jsonl"].write(sample_project(), out, ExportOptions())
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    a1 = next(r for r in rows if r["annotation"] == "a1")
    assert {"type": "addressee", "id": "a3", "tag": "authority", "text": "President Kim"} in (
        a1["links"]
    )
    app = tmp_path / "appeals.csv"
    EXPORTERS["appeals-csv"].write(sample_project(), app, ExportOptions())
    (row,) = _rows(app)
    assert row["actions"] == "Investigate; Release"
    assert row["addressees"] == "President Kim"
    assert row["addressee_kinds"] == "Head of state or government"
    assert row["victims"] == "Kim Sun-myung" and row["headline"].startswith("SOUTH KOREA")
    tsv = appeals_tsv(sample_project(), ExportOptions())
    header, line = tsv.splitlines()[:2]
    assert header.split("\t")[:5] == ["document", "country", "date", "headline", "appeal"]
    assert "President Kim" in line.split("\t")


def test_context_sentence() -> None:
    text = "First one. Second “quoted.” Third\nline here? Yes.\n\nNew para"
    idx = SentenceIndex(text)
    third = text.index("Third")
    ann = Annotation("a", "victim", (Fragment(third, third + 5),))
    assert idx.context(ann) == "Third line here?"
    para = Annotation("b", "victim", (Fragment(text.index("New"), len(text)),))
    assert idx.context(para) == "New para"


def test_redaction_replaces_names_everywhere(tmp_path: Path) -> None:
    p = sample_project()
    sel = prepare(p, ExportOptions(redact=["victim"]))
    text = sel.project.documents["doc0001"].text
    assert "Sun-myung" not in text and "students" not in text
    # the same person keeps one number; another person gets another
    assert text.count("[Victim 1]") == 3  # Kim Sun-myung, three times
    assert "[Victim 2]" in text
    assert "Sun-myung" not in sel.project.documents["doc0001"].meta.headline
    da = sel.annotations("doc0001")
    for a in da.annotations.values():  # offsets consistent: annotations cover placeholders
        if a.tag == "victim":
            assert a.covered_text(text).startswith("[Victim")
    assert da.annotations["a3"].covered_text(text) == "President Kim"
    assert p.documents["doc0001"].text.count("Kim Sun-myung") == 3  # original untouched
    for fmt in EXPORTERS:
        out = tmp_path / fmt
        EXPORTERS[fmt].write(p, out, ExportOptions(redact=["victim"]))
        files = [out] if out.is_file() else sorted(out.iterdir())
        for f in files:
            data = f.read_bytes().decode("utf-8", "replace")
            assert "Sun-myung" not in data, (fmt, f)
            assert "Trade unionists" not in data, (fmt, f)


@settings(max_examples=40, deadline=None)
@given(project=projects(), tag=st.sampled_from(["victim", "p"]))
def test_redaction_keeps_offsets_consistent(project, tag) -> None:  # type: ignore[no-untyped-def]
    if not project.tagset.has_tag(tag):
        return
    red = redact_project(project, [tag], list(project.documents))
    for doc_id, doc in red.documents.items():
        da = red.layers["alice"].docs.get(doc_id)
        for a in da.annotations.values() if da else ():
            assert a.end <= len(doc.text)
            if a.tag == tag:
                assert all(doc.text[f.start : f.end].startswith("[") for f in a.fragments)
        orig = project.layers["alice"].docs.get(doc_id)
        assert len(da.annotations if da else {}) == len(orig.annotations if orig else {})


def test_html_report_escapes_everything() -> None:
    p = sample_project()
    p.documents["doc0001"].meta.headline = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    da = p.layers["alice"].docs["doc0001"]
    da.annotations["a1"].note = '"><script>bad()</script>'
    page = to_html(prepare(p, ExportOptions()))
    doc = lxml.html.document_fromstring(page)
    assert not doc.xpath("//script")
    assert not doc.xpath("//img")
    for el in doc.iter():
        if isinstance(el.tag, str):
            assert not any(k.lower().startswith("on") for k in el.attrib)
            assert "href" not in el.attrib and "src" not in el.attrib
    assert "<script>alert(1)</script>" in doc.text_content()  # shown as text
    assert len(doc.xpath("//section[@class='release']")) == 2
    assert "page-break-before" in page
    labels = doc.xpath("//span[contains(@class,'ann')]/span[@class='lbl']/text()")
    assert {"Appeal", "Victim", "Responsible authority"} <= set(labels)
    titled = doc.xpath("//span[contains(@class,'ann')]/@title")
    assert any("action: Investigate; Release" in t for t in titled)


@settings(max_examples=60, deadline=None)
@given(project=projects(), data=st.data())
def test_one_pass_replacement_equals_edit_text_commands(project, data) -> None:  # type: ignore[no-untyped-def]
    """apply_replacements moves annotations exactly as EditText applied back to front."""
    from annotator.interchange.redact import _copy_project, apply_replacements
    from annotator.model import EditText

    doc_id = next(iter(project.documents))
    n = len(project.documents[doc_id].text)
    cuts = sorted(set(data.draw(st.lists(st.integers(0, n), max_size=6))))
    edits = [
        (cuts[i], cuts[i + 1], data.draw(st.sampled_from(["", "[V 1]", "x"])))
        for i in range(0, len(cuts) - 1, 2)
    ]
    ids = list(project.documents)
    text_before = project.documents[doc_id].text
    sig_before = signature(project, "alice")
    fast = _copy_project(project, ids)
    apply_replacements(fast, doc_id, edits)
    slow = _copy_project(project, ids)
    for s, e, t in sorted(edits, reverse=True):
        EditText(doc_id, s, e, t).do(slow)
    assert fast.documents[doc_id].text == slow.documents[doc_id].text
    for name in project.layers:
        f, s_ = fast.layers[name].docs.get(doc_id), slow.layers[name].docs.get(doc_id)
        assert (f.annotations if f else {}) == (s_.annotations if s_ else {})
        assert (f.links if f else {}) == (s_.links if s_ else {})
    # the original is untouched
    assert project.documents[doc_id].text == text_before
    assert signature(project, "alice") == sig_before


def test_redaction_mentions_are_case_insensitive_even_when_lowercase_changes_length() -> None:
    from annotator.interchange.redact import find_mentions

    strings = {"kim sun-myung": "[Victim 1]"}
    for text in ("Free KIM  Sun-myung now", "İstanbul: free KIM\nSun-myung now"):
        ((s, e, ph),) = find_mentions(text, strings)
        assert text[s:e].replace("\n", " ").replace("  ", " ").lower() == "kim sun-myung"
        assert ph == "[Victim 1]"
    assert find_mentions("Kim Sun-myungs", strings) == []  # whole words only
    assert find_mentions("McKim Sun-myung", strings) == []


def test_attribute_named_like_a_standard_column(tmp_path: Path) -> None:
    from annotator.model import Document, Layer, Project
    from tests.strategies import TRICKY_TAGSET

    p = Project("t", TRICKY_TAGSET)
    p.add_document(Document("d", "some text here"))
    p.layers["alice"] = Layer("alice")
    p.layers["alice"].doc("d").annotations["a1"] = Annotation(
        "a1", "p", (Fragment(0, 4),), {"note": ("n1",), "id": "x"}, note="real note"
    )
    out = tmp_path / "t.csv"
    EXPORTERS["csv"].write(p, out, ExportOptions())
    (row,) = _rows(out)
    assert row["note"] == "real note" and row["attr.note"] == "n1" and row["id"] == "x"
