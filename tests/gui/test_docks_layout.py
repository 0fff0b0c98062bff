"""Panel layout: the text keeps the widest area, the inspector's controls never overlap."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QCheckBox

from tests.gui.test_docks_support import (  # noqa: F401
    USER,
    project_ids_fixture,
    window_fixture,
)

pytestmark = pytest.mark.gui


def _overlaps(widgets):
    """Pairs of widgets whose rectangles (in window coordinates) intersect."""
    rects = [
        (w.text(), w.rect().translated(w.mapTo(w.window(), w.rect().topLeft()))) for w in widgets
    ]
    return [
        (a, b) for i, (a, ra) in enumerate(rects) for b, rb in rects[i + 1 :] if ra.intersects(rb)
    ]


@pytest.mark.parametrize("size", [(1600, 1000), (1280, 720)])
def test_the_text_is_the_widest_area(project_ids, qtbot, size):
    from annotator.ui.main_window import MainWindow

    project, _ids = project_ids
    window = MainWindow(USER, project)
    qtbot.addWidget(window, before_close_func=lambda w: setattr(w, "closing_confirmed", True))
    window.resize(*size)
    window.show()  # the initial dock sizes are given once the window is first shown
    qtbot.waitExposed(window)
    qtbot.wait(100)  # the panels get their sizes just after the first show
    text = window.centralWidget().width()
    for dock in (window.docks.documents, window.docks.inspector, window.docks.palette):
        assert text > dock.width(), dock.objectName()
    assert text >= size[0] * 0.4
    assert window.centralWidget().height() > window.docks.annotations.height()


def test_attribute_checkboxes_never_overlap_in_a_short_inspector(window, project_ids, qtbot):
    """Even before the event loop runs (a screenshot taken at once) and in a short panel,
    every checkbox has its own place; the panel scrolls instead of squeezing them."""
    _p, ids = project_ids
    window.resize(1280, 600)
    insp = window.docks.inspector
    window.session.select(USER, ids["prisoners"])  # a victim: two multi-choice attributes
    boxes = [b for b in insp.attr_box.findChildren(QCheckBox) if not b.isHidden()]
    assert len(boxes) > 10
    assert _overlaps(boxes) == []
    QApplication.processEvents()
    insp.resize(insp.width(), 250)
    QApplication.processEvents()
    assert _overlaps(boxes) == []
    for box in boxes:
        assert box.height() >= box.sizeHint().height()


def test_a_long_link_label_does_not_widen_the_inspector(window, project_ids, qtbot):
    """Link labels are cut with "…" to the panel's width instead of making it scroll sideways."""
    _p, ids = project_ids
    insp = window.docks.inspector
    window.session.select(USER, ids["appeal"])
    follow, _remove = next(iter(insp.link_rows.values()))
    full = follow.fontMetrics().horizontalAdvance(follow.text())
    assert follow.parentWidget().minimumSizeHint().width() < full  # the row may be narrower
    assert follow.text() == "→ Addressed to: President Kim to"  # the whole label is kept
