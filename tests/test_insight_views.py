"""The cores of the Overview's Concordance, Appeals board and Progress pages, with known answers.

The projects are hand-made releases of other organisations (``insight_support``)
and a few lines written here; every expected value can be read off the texts.
"""

from __future__ import annotations

import pytest
from insight_support import corpus, linked_corpus, tag

from annotator.cli.stats import project_stats
from annotator.errors import OverviewError
from annotator.formats.tagset_xml import default_tagset
from annotator.insight.appeals import (
    appeals,
    filter_rows,
    sort_rows,
    to_html,
    to_tsv,
)
from annotator.insight.kwic import (
    concordance,
    document_lines,
    sort_lines,
    value_choices,
)
from annotator.insight.progress import progress
from annotator.insight.scope import Filter, select
from annotator.model import (
    CURATED_LAYER,
    Document,
    DocumentMeta,
    History,
    LayerKind,
    Project,
    SetStatus,
    Status,
)

# --- concordance -------------------------------------------------------------------


def arrests() -> Project:
    """Three releases whose victims share the word before them: the sort must look further
    left. Characters beyond the BMP come before the spans, so offsets are tested too."""
    texts = {
        "r1": "Soldiers arrested 𝔄𝔩𝔦 Hassan at dawn.",
        "r2": "In Gaza 😀 police arrested Bob Lee on Sunday.",
        "r3": "The army detained Cy Ng after a march.",
    }
    project = Project(name="arrests", tagset=default_tagset())
    for doc_id, text in texts.items():
        project.add_document(Document(doc_id, text, DocumentMeta(country="X")))
    project.ensure_layer("dana")
    h = History(project)
    d = project.documents
    tag(h, d["r1"], "victim", "𝔄𝔩𝔦 Hassan", {"group": ["human-rights-defender"]})
    tag(h, d["r2"], "victim", "Bob Lee", {"group": ["journalist"]})
    tag(h, d["r3"], "victim", "Cy Ng", {"group": ["student"]})
    return project


def test_concordance_lines_carry_code_point_offsets_beyond_the_bmp() -> None:
    project = arrests()
    lines = concordance(select(project, Filter()), "victim", width=30)
    assert [ln.span for ln in lines] == ["𝔄𝔩𝔦 Hassan", "Bob Lee", "Cy Ng"]
    for ln in lines:
        assert project.documents[ln.doc_id].text[ln.start : ln.end] == ln.span
    assert (lines[0].start, lines[0].end) == (18, 28)
    assert (lines[1].start, lines[1].end) == (26, 33)  # 😀 is one code point
    assert lines[1].left == "In Gaza 😀 police arrested "


def test_sort_by_left_context_reads_from_the_span_outwards() -> None:
    lines = concordance(select(arrests(), Filter()), "victim", width=30)
    # the word next to the span first ("arrested" twice, "detained"), then the one before
    # it decides between the two arrests: "police" before "soldiers"
    assert [ln.doc_id for ln in sort_lines(lines, "left")] == ["r2", "r1", "r3"]
    assert [ln.doc_id for ln in sort_lines(lines, "left", descending=True)] == ["r3", "r1", "r2"]


def test_sort_by_span_and_by_right_context() -> None:
    lines = concordance(select(corpus(), Filter()), "victim", width=20)
    assert [ln.span for ln in sort_lines(lines, "span")] == [
        "children",
        "demonstrators",
        "two journalists",
        "𝐌𝐚𝐫𝐲 a journalist",
    ]
    # right: "from", "near", "on", then the emoji (beyond every letter)
    assert [ln.doc_id for ln in sort_lines(lines, "right")] == [
        "undated",
        "hrw-1998-09",
        "licadho-1998-11",
        "fld-1999-01",
    ]
    # left: "abducted", "arrested", "beat", "detained"
    assert [ln.doc_id for ln in sort_lines(lines, "left")] == [
        "undated",
        "licadho-1998-11",
        "hrw-1998-09",
        "fld-1999-01",
    ]
    assert sort_lines(lines, "release") == lines
    with pytest.raises(OverviewError, match="sorts by"):
        sort_lines(lines, "colour")  # type: ignore[arg-type]


def test_one_release_again_gives_the_lines_the_whole_concordance_gives() -> None:
    project = corpus()
    scope = select(project, Filter())
    whole = concordance(scope, "authority", width=25)
    doc = project.documents["hrw-1998-09"]
    again = document_lines(scope, doc, "authority", width=25)
    assert again == [ln for ln in whole if ln.doc_id == doc.id]
    assert [ln.span for ln in again] == ["Security forces", "the government", "Security Forces"]
    narrowed = document_lines(scope, doc, "authority", {"kind": "Government"}, width=25)
    assert [ln.span for ln in narrowed] == ["the government"]


def test_value_choices_list_each_closed_value_with_its_attribute() -> None:
    choices = value_choices(default_tagset(), "victim")
    assert ("group", "journalist", "Group: Journalist") in [
        (a, v, label.replace("group", "Group")) for a, v, label in choices
    ]
    assert {a for a, _, _ in choices} == {"group", "harm", "named"}
    assert value_choices(default_tagset(), "no-such-tag") == []


# --- appeals board -------------------------------------------------------------------


def test_each_appeal_shows_its_addressees_and_victims_through_links() -> None:
    rows = appeals(select(linked_corpus(), Filter()))
    assert [(r.doc_id, r.addressees, r.victims) for r in rows] == [
        ("hrw-1998-09", ["the government"], ["demonstrators"]),
        ("licadho-1998-11", ["the police"], ["two journalists"]),
        ("fld-1999-01", ["the Government"], ["𝐌𝐚𝐫𝐲 a journalist"]),
    ]
    assert rows[0].cell("actions") == "Investigate; Release"
    assert rows[1].cell("victim_groups") == "Journalist"


def test_appeals_follow_the_overview_filter_and_can_be_listed_per_release() -> None:
    project = linked_corpus()
    scope = select(project, Filter(country="kenya"))
    assert [r.doc_id for r in appeals(scope)] == ["fld-1999-01"]
    whole = select(project, Filter())
    again = appeals(whole, [project.documents["licadho-1998-11"]])
    assert again == [r for r in appeals(whole) if r.doc_id == "licadho-1998-11"]


def test_filter_and_sort_the_board() -> None:
    rows = appeals(select(linked_corpus(), Filter()))
    assert [r.doc_id for r in filter_rows(rows, "JOURNALIST")] == [
        "licadho-1998-11",
        "fld-1999-01",
    ]
    assert [r.doc_id for r in filter_rows(rows, "government release")] == [
        "hrw-1998-09",
        "fld-1999-01",
    ]
    # a column narrows where the words are looked for: "police" is also in no addressee kind
    assert [r.doc_id for r in filter_rows(rows, "police", "addressees")] == ["licadho-1998-11"]
    assert filter_rows(rows, "police", "victims") == []
    assert [r.doc_id for r in sort_rows(rows, "date", descending=True)] == [
        "fld-1999-01",
        "licadho-1998-11",
        "hrw-1998-09",
    ]
    assert [r.doc_id for r in sort_rows(rows, "country")] == [
        "hrw-1998-09",
        "licadho-1998-11",
        "fld-1999-01",
    ]
    with pytest.raises(OverviewError, match="no column 'colour'"):
        sort_rows(rows, "colour")


def test_the_copied_table_is_tsv_and_html_of_the_rows_given() -> None:
    rows = appeals(select(linked_corpus(), Filter()))
    shown = sort_rows(filter_rows(rows, "journalist"), "date", descending=True)
    tsv = to_tsv(shown, ["document", "headline", "addressees", "victims"])
    assert tsv.split("\r\n") == [
        "Release\tHeadline\tAddressees\tVictims",
        # a cell a spreadsheet would run gets a quote; csv quotes the cell with quotes in it
        'fld-1999-01\t"\'=HYPERLINK(""http://x"") <b>Kenya</b>"\tthe Government\t𝐌𝐚𝐫𝐲 a journalist',
        "licadho-1998-11\t\tthe police\ttwo journalists",
        "",
    ]
    html = to_html(shown, ["document", "headline"])
    assert html.startswith("<table><thead><tr><th>Release</th><th>Headline</th></tr></thead>")
    assert "<b>" not in html and "&lt;b&gt;Kenya&lt;/b&gt;" in html
    assert html.count("<tr>") == 3


# --- progress -------------------------------------------------------------------------


def test_progress_per_annotator_and_review_status() -> None:
    project = corpus()
    project.ensure_layer(CURATED_LAYER, LayerKind.CURATED)
    h = History(project)
    h.push(SetStatus("undated", "omar", Status.DONE))  # a status without a layer counts too
    p = progress(project)
    assert p.releases == 4
    assert [(r.annotator, r.done, r.in_progress, r.not_started) for r in p.annotators] == [
        ("dana", 2, 1, 1),
        ("omar", 1, 0, 3),
    ]
    assert p.review == {"not-reviewed": 3, "in-review": 0, "adjudicated": 1}
    assert project_stats(project)["status"]["omar"] == {
        "not-started": 3,
        "in-progress": 0,
        "done": 1,
    }
    cambodia = select(project, Filter(layer="dana", country="Cambodia"))
    q = progress(project, cambodia.documents)
    assert (q.releases, q.of("dana").done, q.of("omar").not_started) == (2, 2, 2)
    assert q.review["adjudicated"] == 1
    assert q.as_dict()["annotators"]["dana"] == {"not-started": 0, "in-progress": 0, "done": 2}


def test_the_overview_writes_progress_as_text_json_csv_and_html() -> None:
    import json

    from annotator.insight.aggregate import overview
    from annotator.insight.report import to_csv, to_html, to_json, to_text

    project = corpus()
    History(project).push(SetStatus("undated", "<b>omar</b>", Status.IN_PROGRESS))
    ov = overview(select(project, Filter(layer="dana")))
    text = to_text(ov)
    assert "annotator    done  in progress  not started  releases" in text
    assert "dana            2            1            1         4" in text
    assert "Review: adjudicated 1, in review 0, not reviewed 3" in text
    data = json.loads(to_json(ov))["progress"]
    assert data["annotators"]["<b>omar</b>"] == {"not-started": 3, "in-progress": 1, "done": 0}
    assert data["review"]["adjudicated"] == 1
    assert "progress.dana,done,Done,2,\r\n" in to_csv(ov)
    assert "review,adjudicated,Adjudicated,1,\r\n" in to_csv(ov)
    page = to_html(ov)
    assert "<b>omar" not in page and "&lt;b&gt;omar&lt;/b&gt;" in page
    assert "<h2>Progress</h2>" in page and page.count('role="img" aria-label="') >= 2
