"""The Documents panel: listing, filters, navigation, counts and status."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.model import AddAnnotation, Status
from annotator.ui.docks.documents import COL_STATUS, DOC_ID_ROLE, FIRST_TAG_COL
from tests.gui.test_docks_support import USER, project_ids_fixture, span, window_fixture  # noqa: F401

pytestmark = pytest.mark.gui


def shown(win):
    return win.docks.documents.visible_doc_ids()


def cell(win, doc_id, col):
    dock = win.docks.documents
    return dock.model.index(dock.model.row_of(doc_id), col).data()


def tag_col(win, tag):
    dock = win.docks.documents
    col = dock.model.column_of_tag(tag)
    assert dock.model.tag_of_column(col) == tag
    return col


def test_lists_every_release_with_metadata_and_status(window):
    dock = window.docks.documents
    assert shown(window) == ["doc1", "doc2", "doc3"]
    assert cell(window, "doc2", 0).startswith("Cambodia: Security forces")
    assert cell(window, "doc2", dock.model.col_country) == "Cambodia"
    assert cell(window, "doc2", dock.model.col_date) == "1998-09-08"
    assert cell(window, "doc1", COL_STATUS) == "Not started"
    assert cell(window, "doc3", COL_STATUS) == "Done"
    # one column per tag, header = label with a colour swatch
    headers = [
        dock.model.headerData(c, Qt.Orientation.Horizontal)
        for c in range(FIRST_TAG_COL, dock.model.col_country)
    ]
    # short headers (the tag's key beside its swatch) so the headline gets the room;
    # the full label is in the tooltip and for screen readers
    assert headers == ["1", "2", "3"]
    tip = dock.model.headerData(
        FIRST_TAG_COL + 2, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    assert tip.startswith("Responsible authority (key 3)")
    spoken = dock.model.headerData(
        FIRST_TAG_COL + 2, Qt.Orientation.Horizontal, Qt.ItemDataRole.AccessibleTextRole
    )
    assert spoken == "Responsible authority"
    icon = dock.model.headerData(
        FIRST_TAG_COL, Qt.Orientation.Horizontal, Qt.ItemDataRole.DecorationRole
    )
    assert not icon.isNull()
    assert cell(window, "doc1", tag_col(window, "appeal")) == "1"
    assert cell(window, "doc1", tag_col(window, "victim")) == "1"  # bob's victim is not counted
    assert cell(window, "doc2", tag_col(window, "authority")) == "1"
    assert cell(window, "doc3", tag_col(window, "appeal")) == "0"
    assert "3 releases" in dock.summary.text()


def test_text_filter_matches_headline_and_body(window, qtbot):
    dock = window.docks.documents
    dock.set_filters(text="buddhist")  # in Cambodia's headline and text
    assert shown(window) == ["doc2"]
    dock.set_filters(text="NATIONAL SECURITY LAW")  # body text only, any case
    assert shown(window) == ["doc1"]
    dock.set_filters(text="")
    assert len(shown(window)) == 3
    # typing in the box filters after a short pause
    qtbot.keyClicks(dock.search, "nairobi")
    qtbot.waitUntil(lambda: shown(window) == ["doc3"])
    assert "1 of 3 releases" in dock.summary.text()


def test_status_and_country_filters_via_combos(window):
    dock = window.docks.documents
    dock.status_filter.setCurrentIndex(dock.status_filter.findData(Status.IN_PROGRESS))
    assert shown(window) == ["doc2"]
    dock.status_filter.setCurrentIndex(0)
    countries = [dock.country_filter.itemText(i) for i in range(dock.country_filter.count())]
    assert countries == ["All countries", "Cambodia", "Kenya", "South Korea"]
    dock.country_filter.setCurrentIndex(dock.country_filter.findData("Kenya"))
    assert shown(window) == ["doc3"]
    dock.status_filter.setCurrentIndex(dock.status_filter.findData(Status.NOT_STARTED))
    assert shown(window) == []


def test_next_previous_follow_table_order_and_set_current(window, qtbot):
    dock, session = window.docks.documents, window.session
    assert session.current_doc_id == "doc1"
    dock.select_next()
    assert session.current_doc_id == "doc2"
    dock.select_next()
    dock.select_next()  # stays on the last one
    assert session.current_doc_id == "doc3"
    dock.select_previous()
    assert session.current_doc_id == "doc2"
    # sorted by date: doc3 (1997), doc1, doc2
    dock.table.sortByColumn(dock.model.col_date, Qt.SortOrder.AscendingOrder)
    assert shown(window) == ["doc3", "doc1", "doc2"]
    dock.select_previous()
    assert session.current_doc_id == "doc1"
    # the window's keys do the same, in the table's order
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.text_view.setFocus()
    qtbot.keyClick(window.text_view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert session.current_doc_id == "doc3"
    qtbot.keyClick(window.text_view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert session.current_doc_id == "doc1"
    qtbot.keyClick(window.text_view, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert session.current_doc_id == "doc3"
    # the selected row follows the session
    assert dock.table.currentIndex().data(DOC_ID_ROLE) == "doc3"


def test_clicking_a_row_opens_the_document(window, qtbot):
    dock = window.docks.documents
    row = shown(window).index("doc3")
    rect = dock.table.visualRect(dock.proxy.index(row, 0))
    qtbot.mouseClick(dock.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.session.current_doc_id == "doc3"


def test_counts_update_incrementally_and_on_undo(window, qtbot):
    dock, session = window.docks.documents, window.session
    col = tag_col(window, "victim")
    text = session.project.documents["doc2"].text
    changed_rows = []
    dock.model.dataChanged.connect(lambda a, b, _r=(): changed_rows.append((a.row(), b.row())))
    session.execute(AddAnnotation(USER, "doc2", "victim", [span(text, "some students")]))
    assert cell(window, "doc2", col) == "2"
    row = dock.model.row_of("doc2")
    assert changed_rows == [(row, row)]  # only the touched document's row
    session.undo_stack.undo()
    assert cell(window, "doc2", col) == "1"
    session.undo_stack.redo()
    assert cell(window, "doc2", col) == "2"


def test_status_is_set_from_actions_and_undoable(window):
    dock, session = window.docks.documents, window.session
    doc = session.project.documents["doc1"]
    dock.status_actions[Status.DONE].trigger()
    assert doc.status_of(USER) == Status.DONE
    assert cell(window, "doc1", COL_STATUS) == "Done"
    assert "2 done" in dock.summary.text()
    session.undo_stack.undo()
    assert doc.status_of(USER) == Status.NOT_STARTED
    assert cell(window, "doc1", COL_STATUS) == "Not started"
    # Space on the table cycles the status
    dock.table.setFocus()
    dock.cycle_status()
    assert doc.status_of(USER) == Status.IN_PROGRESS
    # status filter picks up a changed status
    dock.set_filters(status=Status.IN_PROGRESS)
    assert set(shown(window)) == {"doc1", "doc2"}


def test_sorting_by_count_and_many_documents_stay_quick(window):
    dock = window.docks.documents
    dock.table.sortByColumn(tag_col(window, "victim"), Qt.SortOrder.DescendingOrder)
    assert shown(window)[:2] == ["doc1", "doc2"]
    assert shown(window)[2] == "doc3"


def test_filtering_never_switches_the_open_document(window, qtbot):
    dock, session = window.docks.documents, window.session
    session.set_current_document("doc2")
    dock.set_filters(country="Kenya")  # hides the open document's row
    assert shown(window) == ["doc3"]
    assert session.current_doc_id == "doc2"
    dock.set_filters(country="")
    assert dock.table.currentIndex().data(DOC_ID_ROLE) == "doc2"
    # a status change that makes the row leave the filter does not move on either
    dock.set_filters(status=Status.IN_PROGRESS)
    dock.set_status(Status.DONE)
    assert shown(window) == []
    assert session.current_doc_id == "doc2"


def test_arrow_keys_in_the_table_open_documents(window, qtbot):
    dock, session = window.docks.documents, window.session
    dock.table.setFocus()
    qtbot.keyClick(dock.table, Qt.Key.Key_Down)
    assert session.current_doc_id == "doc2"
    qtbot.keyClick(dock.table, Qt.Key.Key_End)
    assert session.current_doc_id == "doc3"


def test_headline_gets_the_room_and_no_header_is_clipped(window, qtbot):
    """In a narrow panel the headline column takes what is left, every header's text fits
    its column, and country/date appear only when asked for (header context menu)."""
    dock = window.docks.documents
    window.show()
    dock.resize(440, 400)
    qtbot.waitUntil(lambda: dock.table.viewport().width() > 300)
    header = dock.table.horizontalHeader()
    fm = header.fontMetrics()
    assert dock.table.isColumnHidden(dock.model.col_country)
    others = sum(
        header.sectionSize(c)
        for c in range(1, dock.model.columnCount())
        if not dock.table.isColumnHidden(c)
    )
    assert header.sectionSize(0) >= dock.table.viewport().width() - others - 2
    widest_other = max(
        header.sectionSize(c)
        for c in range(1, dock.model.columnCount())
        if not dock.table.isColumnHidden(c)
    )
    assert header.sectionSize(0) > max(widest_other, dock.table.viewport().width() * 0.35)
    for c in range(dock.model.columnCount()):
        if dock.table.isColumnHidden(c):
            continue
        label = str(dock.model.headerData(c, Qt.Orientation.Horizontal))
        room = header.sectionSize(c) - 8  # margins
        if dock.model.tag_of_column(c):
            room -= 16 + 4  # swatch
        assert fm.horizontalAdvance(label) <= room, label
    dock.show_column("country", True)
    assert not dock.table.isColumnHidden(dock.model.col_country)
    assert cell(window, "doc2", dock.model.col_country) == "Cambodia"
