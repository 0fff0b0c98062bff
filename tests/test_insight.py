"""The overview's counts, with answers known from a hand-made corpus (tests/insight_support.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from annotator.errors import ExportError, OverviewError, UnknownAttribute, UnknownTag
from annotator.insight import (
    Filter,
    attribute_counts,
    country_counts,
    most_frequent,
    normalise,
    over_time,
    overview,
    parse_date,
    select,
    tag_counts,
)
from annotator.model import (
    CURATED_LAYER,
    AddAnnotation,
    AttributeDef,
    Document,
    DocumentMeta,
    History,
    LayerKind,
    Project,
    TagSet,
    TagType,
)
from tests.insight_support import corpus


def counts(chart) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {b.key: b.count for b in chart.bars}


def nonzero(chart) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {b.key: b.count for b in chart.bars if b.count}


def test_annotations_per_tag_in_tag_set_order() -> None:
    scope = select(corpus(), Filter())
    chart = tag_counts(scope)
    assert [(b.key, b.label, b.count) for b in chart.bars] == [
        ("appeal", "Appeal", 3),
        ("victim", "Victim", 4),
        ("authority", "Responsible authority", 8),
    ]


def test_appeals_by_action_count_each_value_and_keep_zero_values() -> None:
    scope = select(corpus(), Filter())
    chart = attribute_counts(scope, "appeal", "action")
    assert nonzero(chart) == {"release": 3, "investigate": 1}
    assert counts(chart)["ratify"] == 0  # every value of the tag set has its bar
    assert chart.bars[0].label == "Release"  # the tag set's label, in its order
    assert chart.color == "#E69F00"
    assert nonzero(attribute_counts(scope, "appeal", "kind")) == {"urging": 1, "direct-call": 2}


def test_victims_by_group_and_harm_with_unrecorded_values_counted() -> None:
    scope = select(corpus(), Filter())
    assert nonzero(attribute_counts(scope, "victim", "group")) == {
        "demonstrator": 1,
        "journalist": 2,
        "children": 1,
    }
    harm = attribute_counts(scope, "victim", "harm")
    assert nonzero(harm) == {"injured": 1, "arrested": 2, "": 1}
    assert harm.bars[-1].label == "Not recorded"


def test_authorities_by_kind_and_level() -> None:
    scope = select(corpus(), Filter())
    assert nonzero(attribute_counts(scope, "authority", "kind")) == {
        "security-forces": 2,
        "government": 2,
        "police": 3,
        "armed-group": 1,
    }
    assert nonzero(attribute_counts(scope, "authority", "level")) == {
        "national": 1,
        "local": 1,
        "": 6,
    }


def test_annotations_per_country_most_first_and_releases_without_one_last() -> None:
    chart = country_counts(select(corpus(), Filter()))
    assert [(b.label, b.count) for b in chart.bars] == [
        ("Cambodia", 9),
        ("Kenya", 4),
        ("Not recorded", 2),
    ]


def test_appeals_per_month_show_empty_months_and_per_year() -> None:
    scope = select(corpus(), Filter())
    months = over_time(scope, "appeal", "month")
    assert counts(months) == {
        "1998-09": 1,
        "1998-10": 0,
        "1998-11": 1,
        "1998-12": 0,
        "1999-01": 1,
    }
    assert counts(over_time(scope, "appeal", "year")) == {"1998": 2, "1999": 1}
    # the undated release holds two annotations, none an appeal: no "No date" bar for appeals
    victims = over_time(scope, "victim", "year")
    assert counts(victims) == {"1998": 2, "1999": 1, "": 1}


def test_most_frequent_folds_case_and_white_space_and_counts_releases() -> None:
    scope = select(corpus(), Filter())
    table = most_frequent(scope, "authority", limit=4)
    assert [(r.key, r.text, r.count, r.releases) for r in table.rows] == [
        ("the government", "the government", 2, 2),
        ("security forces", "Security forces", 2, 1),
        ("the police", "The police", 2, 1),
        ("an armed group", "An armed group", 1, 1),
    ]
    victims = most_frequent(scope, "victim")
    assert {r.text for r in victims.rows} == {
        "demonstrators",
        "two journalists",
        "𝐌𝐚𝐫𝐲 a journalist",
        "children",
    }
    assert normalise(" Security\n  FORCES ") == "security forces"


def test_filter_by_status_country_and_dates() -> None:
    project = corpus()
    done = select(project, Filter(status="done"))
    assert [d.id for d in done.documents] == ["hrw-1998-09", "licadho-1998-11"]
    assert [d.id for d in select(project, Filter(status="adjudicated")).documents] == [
        "licadho-1998-11"
    ]
    kenya = select(project, Filter(country=" kenya "))
    assert [d.id for d in kenya.documents] == ["fld-1999-01"]
    assert counts(tag_counts(kenya)) == {"appeal": 1, "victim": 1, "authority": 2}
    autumn = select(
        project, Filter(date_from=parse_date("1998-10"), date_to=parse_date("1998", end=True))
    )
    assert [d.id for d in autumn.documents] == ["licadho-1998-11"]  # the undated one is out
    assert parse_date("1999-02", end=True) == dt.date(1999, 2, 28)
    assert parse_date("2000-12", end=True) == dt.date(2000, 12, 31)


@pytest.mark.parametrize("bad", ["10/09/1998", "1998-13", "1998-02-30", "soon"])
def test_a_date_that_is_not_one_is_one_sentence(bad: str) -> None:
    with pytest.raises(OverviewError, match="date"):
        parse_date(bad)


def test_bad_filters_say_what_is_wrong() -> None:
    project = corpus()
    with pytest.raises(OverviewError, match="not a release status"):
        select(project, Filter(status="finished"))
    with pytest.raises(OverviewError, match="empty"):
        select(project, Filter(date_from=dt.date(1999, 1, 1), date_to=dt.date(1998, 1, 1)))
    with pytest.raises(ExportError, match="no layer 'nobody'"):
        select(project, Filter(layer="nobody"))
    project.ensure_layer(CURATED_LAYER, LayerKind.CURATED)
    with pytest.raises(OverviewError, match="review status"):
        select(project, Filter(status="done"))
    with pytest.raises(UnknownTag):
        attribute_counts(select(project, Filter(layer="dana")), "petition", "kind")
    with pytest.raises(UnknownAttribute):
        attribute_counts(select(project, Filter(layer="dana")), "appeal", "colour")


def test_the_curated_layer_is_counted_by_default() -> None:
    project = corpus()
    project.ensure_layer(CURATED_LAYER, LayerKind.CURATED)
    History(project).push(
        AddAnnotation(CURATED_LAYER, "undated", "victim", [(29, 37)], {"group": ["children"]})
    )
    ov = overview(select(project, Filter()))
    assert ov.layer == CURATED_LAYER
    assert ov.annotations == 1
    assert counts(ov.chart("tag")) == {"appeal": 0, "victim": 1, "authority": 0}


def test_overview_follows_any_tag_set() -> None:
    """Another team's tags: the charts come from its tag set, none from the sample's."""
    tagset = TagSet(
        "litigation",
        (
            TagType(
                "case",
                "Court case",
                "#336699",
                attributes=(
                    AttributeDef("outcome", "Outcome", ("won", "lost"), ("Won", "Lost")),
                    AttributeDef("court", "Court"),  # free text: no chart
                ),
            ),
            TagType("judge", "Judge", "#993366"),
        ),
    )
    project = Project(name="cases", tagset=tagset)
    text = "Judge Okafor ruled for the applicants; judge  okafor later ruled against them."
    project.add_document(Document("c1", text, DocumentMeta(date="2021-03-04")))
    project.ensure_layer("kim")
    h = History(project)

    def span(phrase: str) -> list[tuple[int, int]]:
        start = text.index(phrase)
        return [(start, start + len(phrase))]

    h.push(AddAnnotation("kim", "c1", "case", span("ruled for the applicants"), {"outcome": "won"}))
    h.push(
        AddAnnotation("kim", "c1", "case", span("later ruled against them"), {"outcome": "lost"})
    )
    h.push(AddAnnotation("kim", "c1", "judge", span("Judge Okafor")))
    h.push(AddAnnotation("kim", "c1", "judge", span("judge  okafor")))
    ov = overview(select(project, Filter()), period="year")
    assert [c.id for c in ov.charts] == ["tag", "case.outcome", "country", "case.per-year"]
    outcome = ov.chart("case.outcome")
    assert [(b.label, b.count) for b in outcome.bars] == [("Won", 1), ("Lost", 1)]
    assert outcome.title == "Court case by outcome"
    assert [(t.tag, [(r.text, r.count) for r in t.rows]) for t in ov.frequent] == [
        ("judge", [("Judge Okafor", 2)])
    ]
