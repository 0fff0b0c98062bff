"""What review mode puts before a reviewer: groups in order, words in context, one
notation for layers, and the whole-project figures measured a slice at a time."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.review.agreement import AgreementBuilder, agreement_report
from annotator.review.compare import Kind, compare_layers
from annotator.review.presentation import (
    GROUPS,
    annotation_excerpt,
    excerpt,
    group_counts,
    grouped,
    layers_label,
)
from tests.review_support import add, project

TEXT = (
    "NAIROBI (Reuters) - Kenyan police must release the 23 students detained "
    "after the protest in Kisumu, the Law Society said on Tuesday. "
    "The Interior Ministry has not answered."
)


def _span(phrase: str) -> tuple[int, int]:
    i = TEXT.index(phrase)
    return i, i + len(phrase)


def _two_layers() -> tuple[object, list[Kind]]:
    p = project(TEXT)
    # missing in bob
    add(p, "alice", "d1", "authority", _span("Kenyan police"))
    # different boundaries
    add(p, "alice", "d1", "victim", _span("23 students"))
    add(p, "bob", "d1", "victim", _span("the 23 students detained"))
    # different tags
    add(p, "alice", "d1", "authority", _span("Law Society"))
    add(p, "bob", "d1", "victim", _span("Law Society"))
    # conflict: same span and tag, different attribute values
    add(p, "alice", "d1", "authority", _span("Interior Ministry"), kind="government")
    add(p, "bob", "d1", "authority", _span("Interior Ministry"), kind="police")
    cmp = compare_layers(p, ["alice", "bob"])  # type: ignore[arg-type]
    return cmp, [it.kind for it in cmp.items]


def test_groups_come_conflicts_first_then_boundaries_tags_missing() -> None:
    cmp, kinds = _two_layers()
    assert set(kinds) == {Kind.MISSING, Kind.BOUNDARY, Kind.TAG, Kind.DETAILS}
    groups = grouped(cmp.items)  # type: ignore[attr-defined]
    assert [g.title for g, _ in groups] == [
        "Conflicts",
        "Different boundaries",
        "Different tags",
        "Missing in a layer",
    ]
    # reading order inside a group; every disagreement in exactly one group
    assert sum(len(items) for _, items in groups) == len(cmp.disagreements())  # type: ignore[attr-defined]
    assert group_counts(cmp.items) == {  # type: ignore[attr-defined]
        "Conflicts": 1,
        "Different boundaries": 1,
        "Different tags": 1,
        "Missing in a layer": 1,
    }
    assert GROUPS[0].title == "Conflicts"


def test_excerpt_gives_a_few_words_either_side_on_one_line() -> None:
    text = "First line.\n\nThe   authorities detained Sané 😀 Diop and\nothers yesterday in Dakar."
    start = text.index("Sané")
    ex = excerpt(text, start, start + len("Sané 😀 Diop"), words=3)
    assert ex.span == "Sané 😀 Diop"
    assert ex.before == "…The authorities detained "
    assert ex.after == " and others yesterday…"
    assert "\n" not in ex.plain()


def test_excerpt_at_the_edges_has_no_ellipsis() -> None:
    text = "Police arrested him."
    assert excerpt(text, 0, 6).plain() == "Police arrested him."
    assert excerpt(text, 0, 6).before == ""
    assert excerpt(text, 16, 20).after == ""


def test_discontinuous_annotation_shows_its_pieces() -> None:
    p = project(TEXT)
    ann = add(p, "alice", "d1", "victim", _span("23 students"), _span("Kisumu"))
    ex = annotation_excerpt(TEXT, ann)
    assert ex.span == "23 students … Kisumu"


@given(
    st.text(alphabet=st.sampled_from("ab 😀\n.é"), max_size=60),
    st.integers(0, 70),
    st.integers(0, 70),
)
@settings(max_examples=200)
def test_excerpt_holds_the_span_and_never_breaks(text: str, a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    ex = excerpt(text, lo, hi)
    inner = " ".join(text[min(lo, len(text)) : min(hi, len(text))].split())
    assert " ".join(ex.span.split()) == inner
    assert "\n" not in ex.plain()


def test_layers_label_is_one_notation_for_pairs_and_all_layers() -> None:
    assert layers_label("dana~tester") == "dana & tester"
    assert layers_label("dana,tester") == "dana & tester"
    assert layers_label(["a", "b", "c"]) == "a & b & c"


def test_builder_in_slices_gives_the_same_figures_as_one_call() -> None:
    texts = [TEXT, "Police held 3 people. The army denied it.", "No one was named."]
    p = project(*texts)
    add(p, "alice", "d1", "authority", _span("Kenyan police"))
    add(p, "bob", "d1", "authority", _span("Kenyan police"))
    add(p, "alice", "d1", "victim", _span("23 students"))
    add(p, "bob", "d2", "authority", (0, 6))
    add(p, "alice", "d2", "authority", (0, 6))
    add(p, "alice", "d2", "victim", (12, 20))
    whole = agreement_report(p, ["alice", "bob"])
    builder = AgreementBuilder(p, ["alice", "bob"])
    steps = 0
    while not builder.run(1):
        steps += 1
    assert steps == len(texts) - 1 and builder.done == len(texts)
    sliced = builder.report()
    assert (sliced.documents, sliced.tokens) == (whole.documents, whole.tokens)
    assert len(sliced.rows) == len(whole.rows)
    for x, y in zip(sliced.rows, whole.rows, strict=True):
        assert (x.measure, x.tag, x.layers, x.scope) == (y.measure, y.tag, y.layers, y.scope)
        assert (math.isnan(x.value) and math.isnan(y.value)) or x.value == y.value


def test_text_and_html_reports_name_layer_pairs_one_way() -> None:
    from annotator.review.report import to_html, to_text

    p = project(TEXT, layers=("alice", "bob", "carol"))
    for layer in ("alice", "bob", "carol"):
        add(p, layer, "d1", "authority", _span("Kenyan police"))
    add(p, "bob", "d1", "victim", _span("23 students"))
    report = agreement_report(p, ["alice", "bob", "carol"])
    text, page = to_text(report), to_html(report)
    assert "alice & bob" in text and "alice & bob & carol" in text  # pairs and all three
    assert "alice &amp; bob" in page and "alice &amp; bob &amp; carol" in page
    for shown in (text, page):
        assert "alice~bob" not in shown and "alice,bob,carol" not in shown
