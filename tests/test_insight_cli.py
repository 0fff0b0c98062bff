"""``annotator overview`` and ``annotator kwic`` on a saved hand-made corpus."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.formats.project_xml import save_project
from annotator.insight import Filter, concordance, format_concordance, overview, select
from annotator.insight.report import to_html
from annotator.model import TagSet
from tests.insight_support import corpus


@pytest.fixture
def corpus_file(tmp_path: Path) -> Path:
    path = tmp_path / "coalition.xml"
    save_project(corpus(), path, backup=False)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_overview_prints_tables(corpus_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "overview", str(corpus_file))
    assert code == 0
    assert "4 releases, 15 annotations" in out
    lines = out.splitlines()
    assert "Appeal by action asked" in lines
    release = next(ln for ln in lines if ln.startswith("Release "))
    assert release.split()[-1] == "3"
    assert re.search(r"^the government\s+2\s+2$", out, re.M)


def test_overview_json_follows_the_filter(
    corpus_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "overview", str(corpus_file), "--json", "--country", "Cambodia", "--status", "done"
    )
    assert code == 0
    data = json.loads(out)
    assert data["releases"] == 2
    assert data["annotations"] == 9
    assert data["filter"]["country"] == "Cambodia"
    charts = {c["id"]: c for c in data["charts"]}
    tags = {b["key"]: b["count"] for b in charts["tag"]["bars"]}
    assert tags == {"appeal": 2, "victim": 2, "authority": 5}
    months = {b["key"]: b["count"] for b in charts["appeal.per-month"]["bars"]}
    assert months == {"1998-09": 1, "1998-10": 0, "1998-11": 1}


def test_overview_csv_rows_per_bar_and_phrase(
    corpus_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "overview", str(corpus_file), "--csv", "--period", "year", "--from", "1999"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    by = {(r["chart"], r["key"]): r for r in rows}
    assert by[("appeal.per-year", "1999")]["count"] == "1"
    assert by[("country", "kenya")]["label"] == "Kenya"
    assert by[("authority.frequent", "the government")]["releases"] == "1"
    assert ("appeal.per-year", "1998") not in by  # filtered out by --from


def test_overview_html_is_written_atomically_with_svg_bars_in_tag_colours(
    corpus_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "overview.html"
    target.write_text("old", encoding="utf-8")
    code, out, err = run(capsys, "overview", str(corpus_file), "--html", "-o", str(target))
    assert code == 0, err
    assert out == ""
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # tags, 7 closed attributes, countries, appeals per month; then dana's progress bar
    assert page.count("<svg") == 11
    assert 'fill="#E69F00"' in page and 'fill="#56B4E9"' in page and 'fill="#009E73"' in page
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    # nothing staged is left beside the page (the project's own lock file may stay)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".overview")] == []


def test_html_needs_a_file_and_bad_input_is_one_sentence(
    corpus_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "overview", str(corpus_file), "--html")
    assert code == 1
    assert err == "annotator: error: an HTML overview is a file: give it with -o FILE\n"
    code, _, err = run(capsys, "overview", str(corpus_file), "--from", "10/09/1998")
    assert code == 1
    assert err.count("\n") == 1 and "'10/09/1998' is not a date" in err
    code, _, err = run(capsys, "kwic", str(corpus_file), "--tag", "victim", "--value", "group")
    assert code == 1 and "ATTRIBUTE=VALUE" in err
    code, _, err = run(capsys, "kwic", str(corpus_file), "--tag", "victim", "--value", "group=poet")
    assert code == 1 and "'poet' is not a value of victim.group" in err


def test_html_escapes_every_label_and_phrase() -> None:
    project = corpus()
    hostile = '<script>alert("x")</script>'
    victim = project.tagset.tag("victim")
    tags = tuple(
        dataclasses.replace(t, label=hostile, color='red" onload="x') if t is victim else t
        for t in project.tagset.tags
    )
    project.tagset = TagSet(project.tagset.name, tags, project.tagset.links)
    project.name = "<b>coalition</b> & co"
    doc = project.documents["undated"]
    doc.meta.country = "<img src=x onerror=alert(1)>"
    page = to_html(overview(select(project, Filter())))
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "onload" not in page  # a colour that is not #rrggbb is replaced, not copied
    assert "&lt;b&gt;coalition&lt;/b&gt; &amp; co" in page


def test_kwic_aligns_spans_in_one_column_beyond_the_bmp(
    corpus_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "kwic", str(corpus_file), "--tag", "victim", "--width", "20")
    assert code == 0
    lines = out.splitlines()
    spans = ["demonstrators", "two journalists", "𝐌𝐚𝐫𝐲 a journalist", "children"]
    assert len(lines) == 4
    columns = {ln.index(span) for ln, span in zip(lines, spans, strict=True)}
    assert len(columns) == 1  # every span starts in the same column (code points)
    assert "4 of the victim annotations in 4 releases" in err
    # the release id padded to the longest, the left context right-aligned in 20 characters
    assert lines[2] == (
        "fld-1999-01    "
        + "  "
        + "Police detained ".rjust(20)
        + "  "
        + "𝐌𝐚𝐫𝐲 a journalist"
        + "  "
        + " 😀 in Nairobi. Front"
    )


def test_kwic_filters_by_value_name_or_label(
    corpus_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(
        capsys, "kwic", str(corpus_file), "--tag", "victim", "--value", "group=journalist"
    )
    assert [ln.split()[0] for ln in out.splitlines()] == ["licadho-1998-11", "fld-1999-01"]
    _, out2, _ = run(
        capsys, "kwic", str(corpus_file), "--tag", "victim", "--value", "group=Journalist"
    )
    assert out2 == out


def test_concordance_context_is_the_nearest_characters() -> None:
    scope = select(corpus(), Filter())
    lines = concordance(scope, "victim", {"group": "journalist"}, width=8)
    mary = lines[1]
    assert (mary.left, mary.span, mary.right) == ("etained ", "𝐌𝐚𝐫𝐲 a journalist", " 😀 in Na")
    text = scope.project.documents["fld-1999-01"].text
    assert text[mary.start : mary.end] == "𝐌𝐚𝐫𝐲 a journalist"
    # line breaks in the context become single spaces: one annotation, one line
    first = concordance(scope, "appeal", width=30)[0]
    assert "\n" not in first.left and first.left.endswith("Human Rights Watch ")
    table = format_concordance(lines, 8)
    assert table.splitlines()[1].startswith("fld-1999-01      etained   𝐌𝐚𝐫𝐲")
