"""The Overview's Appeals board and Progress pages in the real main window.

The project is the hand-made coalition corpus (four releases of other
organisations, appeals linked to their addressees and victims): every count
here can be read off ``tests/insight_support.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from insight_support import linked_corpus
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from test_overview_concordance import double_click

from annotator.formats.project_xml import save_project
from annotator.insight.appeals import to_tsv
from annotator.insight.scope import Filter
from annotator.model import AddAnnotation
from annotator.ui.overview.appeals_board import SHOWN, AppealsBoard
from annotator.ui.overview.progress_view import ProgressView


@pytest.fixture(autouse=True)
def empty_clipboard_after(qapp):  # type: ignore[no-untyped-def]
    """Qt's offscreen platform crashes at exit when rich clipboard data (the board's
    TSV + HTML) is still there (a desktop's clipboard keeps it): empty it after each test."""
    yield
    QGuiApplication.clipboard().clear()


@pytest.fixture
def corpus_path(tmp_path: Path) -> Path:
    path = tmp_path / "coalition.xml"
    save_project(linked_corpus(), path)
    return path


def open_page(window, title: str):  # type: ignore[no-untyped-def]
    window.overview.set_open(True)
    return window.overview.show_page(title)


def cells(board: AppealsBoard, name: str) -> list[str]:
    col = SHOWN.index(name)
    return [board.model.index(r, col).data() for r in range(board.model.rowCount())]


def test_the_board_filters_sorts_copies_what_it_shows_and_follows_edits(
    make_window, corpus_path: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(corpus_path)
    board = open_page(window, "Appeals")
    assert isinstance(board, AppealsBoard)
    assert cells(board, "document") == ["hrw-1998-09", "licadho-1998-11", "fld-1999-01"]
    assert cells(board, "addressees") == ["the government", "the police", "the Government"]
    assert cells(board, "victims") == ["demonstrators", "two journalists", "𝐌𝐚𝐫𝐲 a journalist"]
    assert board.count_label.text() == "3 appeals · layer dana"

    qtbot.keyClicks(board.filter_edit, "journalist")
    assert cells(board, "document") == ["licadho-1998-11", "fld-1999-01"]
    assert board.count_label.text() == "2 of 3 appeals · layer dana"
    header = board.table.horizontalHeader()
    date = SHOWN.index("date")
    x = header.sectionViewportPosition(date) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert cells(board, "date") == ["1999-01-15", "1998-11-02"]  # newest first

    QGuiApplication.clipboard().clear()
    board.table.setFocus()
    qtbot.keyClick(board.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    mime = QGuiApplication.clipboard().mimeData()
    lines = mime.text().split("\r\n")
    assert lines[0].split("\t")[:4] == ["Release", "Appeal", "Addressees", "Victims"]
    assert [ln.split("\t")[0] for ln in lines[1:-1]] == ["fld-1999-01", "licadho-1998-11"]
    assert mime.text() == to_tsv(board.model.shown, SHOWN)
    assert mime.html().count("<tr>") == 3 and "&lt;b&gt;Kenya&lt;/b&gt;" in mime.html()

    # a new appeal in dana's layer shows without reopening the board, through the filter
    text = window.session.project.documents["undated"].text
    window.session.execute(AddAnnotation("dana", "undated", "appeal", [(0, len(text))]))
    qtbot.waitUntil(lambda: board.count_label.text().startswith("2 of 4 appeals"), timeout=3000)
    board.filter_edit.clear()
    assert len(cells(board, "document")) == 4
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(board.copy_button, Qt.MouseButton.LeftButton)
    assert len(QGuiApplication.clipboard().text().split("\r\n")) == 6  # header, 4, ""

    # the Overview's filter narrows the board as it narrows the charts
    board.set_filter(Filter(country="kenya"))
    assert cells(board, "document") == ["fld-1999-01"]
    assert board.count_label.text() == "1 appeal · layer dana · kenya"


def test_double_clicking_an_appeal_opens_its_release_with_it_selected(
    make_window, corpus_path: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(corpus_path)
    board = open_page(window, "Appeals")
    row = cells(board, "document").index("fld-1999-01")
    rect = board.table.visualRect(board.model.index(row, SHOWN.index("appeal_text")))
    double_click(qtbot, board.table.viewport(), rect.center())
    s = window.session
    assert s.current_doc_id == "fld-1999-01"
    layer, ann_id = s.selected
    ann = s.project.layers["dana"].docs["fld-1999-01"].annotations[ann_id]
    assert (layer, ann.tag) == ("dana", "appeal")
    text = s.project.documents["fld-1999-01"].text
    assert window.text_view.cursor_cp() == ann.start == text.index("calls on")


def test_progress_shows_each_annotators_releases_and_the_review(
    make_window, corpus_path: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(corpus_path)
    view = open_page(window, "Progress")
    assert isinstance(view, ProgressView)
    m = view.model

    def table() -> list[list[str]]:
        return [[m.index(r, c).data() for c in range(5)] for r in range(m.rowCount())]

    assert table() == [
        ["dana", "2", "1", "1", "4"],
        ["tester", "0", "0", "4", "4"],  # the user, who has not started
    ]
    review = view.review_model
    assert [review.index(0, c).data() for c in range(5)] == ["Review", "1", "0", "3", "4"]
    assert review.headerData(1, Qt.Orientation.Horizontal) == "Adjudicated"
    (series,) = view.chart.series()
    labels = [b.label() for b in series.barSets()]
    assert labels == [
        "Done",
        "In progress",
        "Not started",
        "Adjudicated",
        "In review",
        "Not reviewed",
    ]

    def bars(n: int) -> list[float]:  # bottom to top: the review, then tester, dana
        b = series.barSets()[n]
        return [b.at(i) for i in range(b.count())]

    assert bars(0) == [0.0, 0.0, 2.0]
    assert bars(2) == [0.0, 4.0, 1.0]
    assert bars(3) == [1.0, 0.0, 0.0]
    assert bars(5) == [3.0, 0.0, 0.0]

    s = window.session
    s.set_current_document("undated")
    qtbot.keyClick(window.text_view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: table()[1] == ["tester", "1", "0", "3", "4"], timeout=3000)


def test_the_charts_filter_bar_chooses_what_the_pages_count(
    make_window, corpus_path: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(corpus_path)
    window.overview.set_open(True)
    filters = window.overview.charts.filters
    qtbot.waitUntil(lambda: filters.country.findData("Kenya") >= 0, timeout=5000)
    filters.country.setCurrentIndex(filters.country.findData("Kenya"))
    board = open_page(window, "Appeals")
    assert cells(board, "document") == ["fld-1999-01"]
    assert board.count_label.text() == "1 appeal · layer dana · Kenya"
    view = open_page(window, "Progress")
    assert view.progress is not None and view.progress.releases == 1
    filters.country.setCurrentIndex(filters.country.findData(""))  # all countries again
    qtbot.waitUntil(lambda: view.progress is not None and view.progress.releases == 4, timeout=3000)
