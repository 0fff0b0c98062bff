"""The Overview panel in the real main window: opened by its key, fed pages by others."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel

from annotator.model import DeleteAnnotation
from annotator.ui.docks.annotations import KEY_ROLE

pytestmark = pytest.mark.gui

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def press_overview_key(qtbot: Any, window: Any) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.text_view.setFocus()
    qtbot.keyClick(window.text_view, Qt.Key.Key_O, CTRL_SHIFT)


def test_the_overview_key_opens_and_closes_the_panel_under_the_text(
    qtbot: Any, window: Any
) -> None:
    dock = window.overview
    assert dock.isHidden()
    press_overview_key(qtbot, window)
    qtbot.waitUntil(dock.isVisible)
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert dock.toggle_action.isChecked()
    assert dock.toggle_action in window.menus["view"].actions()
    press_overview_key(qtbot, window)
    qtbot.waitUntil(dock.isHidden)
    assert not dock.toggle_action.isChecked()


def test_a_page_added_through_the_hook_is_a_tab_of_the_panel(qtbot: Any, window: Any) -> None:
    dock = window.overview
    before = dock.pages.count()
    page = QLabel("a view of the corpus")
    index = dock.add_page("Corpus view", page)
    assert dock.pages.count() == before + 1
    assert dock.pages.tabText(index) == "Corpus view"
    assert dock.page("Corpus view") is page
    assert dock.show_page("Corpus view") is page
    qtbot.waitUntil(page.isVisible)
    assert dock.pages.currentWidget() is page
    assert dock.page("Nothing") is None


def test_the_focus_layout_hides_the_overview(qtbot: Any, window: Any) -> None:
    dock = window.overview
    dock.set_open(True)
    qtbot.waitUntil(dock.isVisible)
    window.window_layout.set_focus(True)
    assert dock.isHidden()
    window.window_layout.set_focus(False)
    qtbot.waitUntil(dock.isVisible)


# --- the charts on the sample project ------------------------------------------------


@pytest.fixture
def sample_window(make_window: Any, tmp_path: Path) -> Any:
    """The window on a copy of the shipped sample (dana's 43 annotations), as 'tester'."""
    path = tmp_path / "sample.xml"
    shutil.copyfile(Path(__file__).resolve().parents[2] / "projects" / "sample.xml", path)
    window = make_window(path)
    window.resize(1400, 900)
    return window


def open_charts(qtbot: Any, window: Any) -> Any:
    charts = window.overview.charts
    with qtbot.waitSignal(charts.drawn, timeout=10000):
        press_overview_key(qtbot, window)
    return charts


def counts(card: Any) -> dict[str, int]:
    return {b.key: b.count for b in card.spec.bars}


def dana(window: Any) -> list[tuple[str, Any]]:
    """(release id, annotation) of dana's layer, read straight from the project."""
    layer = window.session.project.layers["dana"]
    return [(doc_id, a) for doc_id, da in layer.docs.items() for a in da.annotations.values()]


def test_the_overview_opens_on_the_sample_with_a_chart_per_count(
    qtbot: Any, sample_window: Any
) -> None:
    charts = open_charts(qtbot, sample_window)
    # the layer with the annotations is counted, not the user's own empty one
    assert charts.filters.layer.currentData() == "dana"
    assert counts(charts.cards["tag"]) == {"appeal": 12, "victim": 18, "authority": 13}
    expected = {
        "tag",
        "appeal.action",
        "appeal.kind",
        "victim.group",
        "victim.harm",
        "authority.kind",
        "authority.level",
        "country",
        "appeal.per-month",
        "frequent:victim",
        "frequent:authority",
    }
    assert expected <= set(charts.cards)
    # each bar in its tag's colour
    tagset = sample_window.session.project.tagset
    tag_card = charts.cards["tag"]
    assert {b.key: b.color for b in tag_card.spec.bars} == {t.name: t.color for t in tagset.tags}
    bar_sets = tag_card.chart.series()[0].barSets()
    assert {s.color().name().upper() for s in bar_sets} == {t.color.upper() for t in tagset.tags}
    assert "2 releases" in charts.summary.text()


def test_clicking_a_bar_lists_its_annotations_in_the_annotations_panel(
    qtbot: Any, sample_window: Any
) -> None:
    charts = open_charts(qtbot, sample_window)
    card = charts.cards["victim.harm"]
    expected = sorted(
        doc_id + ":" + ann.id
        for doc_id, ann in dana(sample_window)
        if ann.tag == "victim" and "imprisoned" in ann.attributes.get("harm", ())
    )
    assert len(expected) == counts(card)["imprisoned"] > 0
    charts.scroller.ensureWidgetVisible(card)
    qtbot.waitUntil(lambda: card.view.isVisible() and card.view.height() > 100)
    point = card.bar_center("imprisoned")
    assert point is not None
    qtbot.mouseClick(
        card.view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(int(point.x()), int(point.y()))
    )
    annotations = sample_window.docks.annotations
    qtbot.waitUntil(lambda: annotations.only_button.isVisible())
    assert annotations.scope.isChecked()  # every release's, not only the open one
    rows = [
        "{1}:{2}".format(*annotations.proxy.index(r, 0).data(KEY_ROLE))
        for r in range(annotations.proxy.rowCount())
    ]
    assert sorted(rows) == expected
    assert "Imprisoned" in annotations.only_button.text()
    # the button gives the whole list back
    qtbot.mouseClick(annotations.only_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: annotations.proxy.rowCount() > len(expected))
    assert not annotations.only_button.isVisible()


def test_the_filter_bar_changes_every_chart(qtbot: Any, sample_window: Any) -> None:
    charts = open_charts(qtbot, sample_window)
    project = sample_window.session.project
    (cambodia,) = [d.id for d in project.documents.values() if d.meta.country == "Cambodia"]
    in_cambodia: dict[str, int] = {}
    for doc_id, ann in dana(sample_window):
        if doc_id == cambodia:
            in_cambodia[ann.tag] = in_cambodia.get(ann.tag, 0) + 1
    combo = charts.filters.country
    combo.setFocus()
    with qtbot.waitSignal(charts.drawn, timeout=10000):
        qtbot.keyClicks(combo, "Cambodia")
    assert combo.currentData() == "Cambodia"
    assert counts(charts.cards["tag"]) == in_cambodia
    assert counts(charts.cards["country"]) == {"cambodia": sum(in_cambodia.values())}
    assert "1 release " in charts.summary.text() + " "
    # no release adjudicated yet: every chart says so in words, none is an empty frame
    status = charts.filters.status
    with qtbot.waitSignal(charts.drawn, timeout=10000):
        status.setCurrentIndex(status.findData("adjudicated"))
    appeals = charts.cards["appeal.action"]
    assert appeals.body.currentWidget() is appeals.empty
    assert appeals.empty.text() == "No appeals in this selection"
    assert charts.cards["tag"].empty.text() == "No annotations in this selection"


def test_a_date_that_is_no_date_is_said_and_the_charts_stay(qtbot: Any, sample_window: Any) -> None:
    charts = open_charts(qtbot, sample_window)
    before = counts(charts.cards["tag"])
    charts.filters.date_from.setFocus()
    qtbot.keyClicks(charts.filters.date_from, "1998-13")
    qtbot.keyClick(charts.filters.date_from, Qt.Key.Key_Return)
    qtbot.waitUntil(charts.filters.problem.isVisible)
    assert "not a date of the calendar" in charts.filters.problem.text()
    assert counts(charts.cards["tag"]) == before
    # a real date: the problem goes and the charts follow; the sample's releases carry
    # no date, so none is left once a date is given, and the charts say so
    charts.filters.date_from.clear()
    with qtbot.waitSignal(charts.drawn, timeout=10000):
        qtbot.keyClicks(charts.filters.date_from, "1998")
        qtbot.keyClick(charts.filters.date_from, Qt.Key.Key_Return)
    assert not charts.filters.problem.isVisible()
    assert sum(counts(charts.cards["tag"]).values()) == 0
    assert charts.cards["tag"].empty.text() == "No annotations in this selection"
    assert "0 releases" in charts.summary.text()


def test_an_edit_while_the_panel_is_open_is_counted(qtbot: Any, sample_window: Any) -> None:
    charts = open_charts(qtbot, sample_window)
    before = counts(charts.cards["tag"])
    doc_id, victim = next((d, a) for d, a in dana(sample_window) if a.tag == "victim")
    with qtbot.waitSignal(charts.drawn, timeout=10000):
        sample_window.session.execute(DeleteAnnotation("dana", doc_id, victim.id))
    assert counts(charts.cards["tag"]) == {**before, "victim": before["victim"] - 1}
    assert charts.index is not None and charts.index.recounted == 3  # two, then the one


# --- the first count of a large project, as a job ---------------------------------------


def test_a_large_projects_first_count_runs_as_a_job_and_gives_the_same_charts(
    qtbot: Any, sample_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.ui.overview import counting

    # the sample stands for a large project: its first count goes to a worker
    monkeypatch.setattr(counting, "COUNT_IN_BACKGROUND_FROM", 1)
    charts = sample_window.overview.charts
    started: list[bool] = []
    real_start = charts.first_count.start

    def start(*args: Any) -> None:
        real_start(*args)
        started.append(charts.counting.isVisible())

    monkeypatch.setattr(charts.first_count, "start", start)
    charts = open_charts(qtbot, sample_window)
    assert started == [True]  # the strip with its bar and Cancel was shown
    assert charts.counting.isHidden()
    assert counts(charts.cards["tag"]) == {"appeal": 12, "victim": 18, "authority": 13}
    # the index follows the live project: an edit is counted without a second job
    doc_id, ann = dana(sample_window)[0]
    sample_window.session.execute(DeleteAnnotation("dana", doc_id, ann.id))
    with qtbot.waitSignal(charts.drawn, timeout=10000):
        pass
    assert started == [True]
    assert sum(counts(charts.cards["tag"]).values()) == 12 + 18 + 13 - 1


def test_cancelling_the_first_count_leaves_the_charts_empty_and_says_so(
    qtbot: Any, sample_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from annotator.insight.index import OverviewIndex
    from annotator.ui.overview import counting

    monkeypatch.setattr(counting, "COUNT_IN_BACKGROUND_FROM", 1)
    real_warm = OverviewIndex.warm

    def slow_warm(self: OverviewIndex, layer: str, progress: Any = None, chunk: int = 250) -> None:
        for _ in range(200):  # a count long enough for the click to land while it runs
            time.sleep(0.01)
            if progress is not None:
                progress.check()
        real_warm(self, layer, progress, chunk)

    monkeypatch.setattr(OverviewIndex, "warm", slow_warm)
    charts = sample_window.overview.charts
    press_overview_key(qtbot, sample_window)
    qtbot.waitUntil(charts.counting.isVisible)
    qtbot.mouseClick(charts.counting.cancel, Qt.MouseButton.LeftButton)
    assert charts.counting.isHidden()
    assert "Counting stopped" in charts.summary.text()
    qtbot.wait(2500)  # the worker stops at its next check; its result is never drawn
    assert charts.index is None and not charts.cards
    assert not sample_window.session.undo_stack.count()  # the project was never touched


@pytest.mark.parametrize(
    ("top", "ticks", "step"),
    [(6, 6, 1), (43, 6, 10), (395, 6, 100), (4_590, 4, 2_000), (82_548, 3, 50_000)],
)
def test_value_axis_ticks_are_round_and_few_for_long_numbers(
    top: int, ticks: int, step: int
) -> None:
    from annotator.ui.overview.chart_card import nice_step

    assert nice_step(top, ticks) == step
