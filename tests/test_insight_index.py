"""The overview's index and the way back from a bar to its annotations, on the hand-made corpus."""

from __future__ import annotations

import pytest

from annotator.errors import OverviewError
from annotator.insight import Filter, overview, parse_date, select
from annotator.insight.drill import FREQUENT, behind
from annotator.insight.index import OverviewIndex
from annotator.insight.scope import default_layer
from annotator.model import (
    CURATED_LAYER,
    DeleteAnnotation,
    Document,
    DocumentMeta,
    History,
    LayerKind,
    Project,
    SetAttribute,
)
from annotator.model.documents import AddDocuments
from annotator.model.tagset_commands import RenameTag
from tests.insight_support import corpus, tag


def ids(project, pairs):  # type: ignore[no-untyped-def]
    """(release, covered text) of each (release id, annotation id)."""
    out = []
    for doc_id, ann_id in pairs:
        ann = project.layers["dana"].docs[doc_id].annotations[ann_id]
        out.append((doc_id, ann.covered_text(project.documents[doc_id].text)))
    return out


def test_the_index_recounts_only_the_release_that_changed() -> None:
    project = corpus()
    index = OverviewIndex(project)
    before = overview(select(project, Filter(), index))
    assert index.recounted == 4
    again = overview(select(project, Filter(), index))
    assert index.recounted == 4  # nothing changed: nothing counted again
    assert again.as_dict() == before.as_dict()
    # an edit in one release: that release is counted again, and the answer follows
    (victim_id,) = [
        a.id
        for a in project.layers["dana"].docs["undated"].annotations.values()
        if a.tag == "victim"
    ]
    History(project).push(SetAttribute("dana", "undated", victim_id, "harm", ["disappeared"]))
    after = overview(select(project, Filter(), index))
    assert index.recounted == 5
    harm = {b.key: b.count for b in after.chart("victim.harm").bars if b.count}
    assert harm == {"injured": 1, "arrested": 2, "disappeared": 1}  # "not recorded" is gone
    # the same answer a fresh index gives
    assert after.as_dict() == overview(select(project, Filter())).as_dict()


def test_an_index_counted_on_a_snapshot_follows_the_live_project() -> None:
    from annotator.model.snapshot import snapshot
    from annotator.progress import Progress

    project = corpus()
    frozen = snapshot(project)
    index = OverviewIndex(frozen)
    progress = Progress()
    index.warm("dana", progress)  # as the window's job does, off the UI thread
    assert index.recounted == 4 and progress.done == len(project.documents)
    # an edit made while the count ran: only that release is counted again
    (victim_id,) = [
        a.id
        for a in project.layers["dana"].docs["undated"].annotations.values()
        if a.tag == "victim"
    ]
    History(project).push(SetAttribute("dana", "undated", victim_id, "harm", ["disappeared"]))
    index.follow(project)
    answer = overview(select(project, Filter(), index))
    assert index.recounted == 5
    assert answer.as_dict() == overview(select(project, Filter())).as_dict()


def test_a_new_tag_set_starts_the_index_over() -> None:
    project = corpus()
    index = OverviewIndex(project)
    overview(select(project, Filter(), index))
    History(project).push(RenameTag("victim", "person"))
    after = overview(select(project, Filter(), index))
    assert index.recounted == 8
    assert {b.key: b.count for b in after.chart("tag").bars}["person"] == 4
    assert after.as_dict() == overview(select(project, Filter())).as_dict()


def test_a_filtered_question_counts_only_its_releases() -> None:
    project = corpus()
    index = OverviewIndex(project)
    kenya = overview(select(project, Filter(country="kenya"), index))
    assert index.recounted == 1
    assert kenya.annotations == 4


def test_behind_a_bar_are_exactly_the_annotations_it_counts() -> None:
    project = corpus()
    scope = select(project, Filter())
    whole = overview(scope, frequent_tags=("victim", "authority"), limit=100)
    for chart in whole.charts:
        for bar in chart.bars:
            assert len(behind(scope, chart.id, bar.key)) == bar.count, (chart.id, bar.key)
    for table in whole.frequent:
        for row in table.rows:
            found = behind(scope, FREQUENT + table.tag, row.key)
            assert len(found) == row.count
            assert len({doc for doc, _ in found}) == row.releases


def test_behind_known_bars() -> None:
    project = corpus()
    scope = select(project, Filter())
    assert ids(project, behind(scope, "victim.harm", "arrested")) == [
        ("licadho-1998-11", "two journalists"),
        ("fld-1999-01", "𝐌𝐚𝐫𝐲 a journalist"),
    ]
    assert ids(project, behind(scope, "victim.harm", "")) == [("undated", "children")]
    assert ids(project, behind(scope, "appeal.per-month", "1998-11")) == [
        ("licadho-1998-11", "call on the police to release the journalists")
    ]
    assert ids(project, behind(scope, "frequent:authority", "security forces")) == [
        ("hrw-1998-09", "Security forces"),
        ("hrw-1998-09", "Security  Forces"),
    ]
    assert [d for d, _ in behind(scope, "country", "kenya")] == ["fld-1999-01"] * 4
    # the filter applies: in Kenya's releases, no victim was arrested in Cambodia
    kenya = select(project, Filter(country="Kenya"))
    assert ids(project, behind(kenya, "victim.harm", "arrested")) == [
        ("fld-1999-01", "𝐌𝐚𝐫𝐲 a journalist")
    ]


def test_an_unknown_chart_is_one_sentence() -> None:
    scope = select(corpus(), Filter())
    with pytest.raises(OverviewError, match="no chart 'weather'"):
        behind(scope, "weather", "rain")


def test_most_releases_are_the_sum_of_all_less_the_rest_and_follow_every_edit() -> None:
    project = corpus()
    index = OverviewIndex(project)
    dated = Filter(date_from=parse_date("1998"))  # three of the four releases
    questions = [Filter(), dated, Filter(country="Cambodia"), Filter(status="done")]

    def same_as_fresh() -> None:
        for flt in questions:
            kept = overview(select(project, flt, index)).as_dict()
            assert kept == overview(select(project, flt)).as_dict(), flt

    same_as_fresh()
    assert overview(select(project, dated, index)).annotations == 13
    history = History(project)
    # a release loses its last annotations, another gains one, a new release arrives
    for ann_id in list(project.layers["dana"].docs["undated"].annotations):
        history.push(DeleteAnnotation("dana", "undated", ann_id))
    tag(history, project.documents["fld-1999-01"], "victim", "Nairobi", {"group": ["other"]})
    history.push(
        AddDocuments(
            [
                Document(
                    "new",
                    "Guards beat prisoners.",
                    DocumentMeta(country="Kenya", date="1999-02-01"),
                )
            ]
        )
    )
    project.ensure_layer("dana")
    tag(history, project.documents["new"], "victim", "prisoners")
    same_as_fresh()
    assert overview(select(project, Filter(), index)).annotations == 15 - 2 + 1 + 1
    # and back: undo every step
    while history.done:
        history.undo()
    same_as_fresh()


def test_the_layer_asked_about_first() -> None:
    project = corpus()  # dana's layer only
    assert default_layer(project, "tester") == "dana"
    project.ensure_layer("tester")  # the user's own, empty: dana's has the annotations
    assert default_layer(project, "tester") == "dana"
    project.ensure_layer("bob")
    project.ensure_layer(CURATED_LAYER, LayerKind.CURATED)  # the team's, even empty
    assert default_layer(project, "tester") == CURATED_LAYER
    empty = Project(name="new", tagset=project.tagset)
    assert default_layer(empty, "tester") == "tester"
