"""Analysts' tables (CSV, JSON Lines, appeals), redaction and the HTML report."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import lxml.html

from annotator.interchange.common import ExportOptions, prepare
from annotator.interchange.context import SentenceIndex
from annotator.interchange.html_report import to_html
from annotator.interchange.registry import EXPORTERS
from annotator.interchange.tables import appeals_tsv, guard
from annotator.model import Annotation, Fragment
from tests.export_support import sample_project


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
