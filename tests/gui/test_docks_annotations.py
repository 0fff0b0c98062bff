"""The Annotations panel: listing, sorting, filtering, selection both ways, updates."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.model import AddAnnotation, DeleteAnnotation
from annotator.ui.docks.annotations import (
    COL_AUTHOR,
    COL_LINKS,
    COL_NOTE,
    COL_TAG,
    COL_TEXT,
    KEY_ROLE,
)
from tests.gui.test_docks_support import (  # noqa: F401
    USER,
    project_ids_fixture,
    span,
    window_fixture,
)

pytestmark = pytest.mark.gui


def rows(win, col=COL_TAG):
    proxy = win.docks.annotations.proxy
    return [proxy.index(r, col).data() for r in range(proxy.rowCount())]


def keys(win):
    proxy = win.docks.annotations.proxy
    return [proxy.index(r, 0).data(KEY_ROLE) for r in range(proxy.rowCount())]


def row_of(win, ann_id):
    return [k[2] for k in keys(win)].index(ann_id)


def test_lists_current_document_in_reading_order_with_readable_columns(window):
    assert rows(window) == ["Appeal", "Responsible authority", "Victim"]
    assert rows(window, COL_TEXT)[0].startswith("urged President Kim")
    dock = window.docks.annotations
    # colour swatch plus the label text
    icon = dock.proxy.index(0, COL_TAG).data(Qt.ItemDataRole.DecorationRole)
    assert not icon.isNull()
    assert rows(window, COL_LINKS)[0] == "→ Addressed to: President Kim to"
    assert rows(window, COL_LINKS)[1] == "← Addressed to: urged President Kim to releas…"
    assert rows(window, COL_NOTE)[2] == "count them"
    assert rows(window, COL_AUTHOR) == [USER] * 3
    attrs = dock.proxy.index(0, 2).data()
    assert attrs == "Kind of appeal: Urging"


def test_other_layers_shown_when_visible(window):
    window.session.set_layer_visible("bob", True)
    assert ("bob", "doc1") in {k[:2] for k in keys(window)}
    assert len(keys(window)) == 4


def test_document_switch_and_whole_project_toggle(window, project_ids, qtbot):
    _project, ids = project_ids
    window.session.set_current_document("doc2")
    assert rows(window) == ["Responsible authority", "Victim"]
    window.docks.annotations.scope.setChecked(True)
    assert len(keys(window)) == 5
    assert not window.docks.annotations.table.isColumnHidden(8)  # Document column shown
    # choosing a row of another document opens it and selects the annotation
    table = window.docks.annotations.table
    rect = table.visualRect(table.model().index(row_of(window, ids["appeal"]), 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.session.current_doc_id == "doc1"
    assert window.session.selected == (USER, ids["appeal"])


def test_sorting_by_column(window):
    dock = window.docks.annotations
    dock.table.sortByColumn(COL_TAG, Qt.SortOrder.AscendingOrder)
    assert rows(window) == ["Appeal", "Responsible authority", "Victim"]
    dock.table.sortByColumn(COL_TAG, Qt.SortOrder.DescendingOrder)
    assert rows(window) == ["Victim", "Responsible authority", "Appeal"]
    dock.table.sortByColumn(COL_NOTE, Qt.SortOrder.DescendingOrder)
    assert rows(window)[0] == "Victim"
    dock.table.sortByColumn(COL_TEXT, Qt.SortOrder.AscendingOrder)  # reading order
    assert rows(window) == ["Appeal", "Responsible authority", "Victim"]


def test_text_and_tag_filters(window, qtbot):
    dock = window.docks.annotations
    dock.set_filters(text="400")
    assert rows(window) == ["Victim"]
    dock.set_filters(text="", tag="authority")
    assert rows(window) == ["Responsible authority"]
    assert dock.count_label.text() == "1 of 3 annotations"
    dock.set_filters(tag="")
    qtbot.keyClicks(dock.search, "URGING")  # attribute labels are searched too
    qtbot.waitUntil(lambda: rows(window) == ["Appeal"])


def test_row_selection_selects_annotation_and_back(window, project_ids, qtbot):
    _project, ids = project_ids
    dock, session = window.docks.annotations, window.session
    rect = dock.table.visualRect(dock.proxy.index(row_of(window, ids["prisoners"]), 1))
    qtbot.mouseClick(dock.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert session.selected == (USER, ids["prisoners"])
    session.select(USER, ids["kim"])
    assert dock.selected_key() == (USER, "doc1", ids["kim"])
    session.select("", "")
    assert dock.selected_key() is None


def test_row_click_completes_a_pick_instead_of_selecting(window, project_ids, qtbot):
    _project, ids = project_ids
    dock, session = window.docks.annotations, window.session
    session.select(USER, ids["appeal"])
    picked = []
    session.begin_pick(lambda layer, ann: picked.append((layer, ann)))
    rect = dock.table.visualRect(dock.proxy.index(row_of(window, ids["prisoners"]), 1))
    qtbot.mouseClick(dock.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert picked == [(USER, ids["prisoners"])]
    assert session.selected == (USER, ids["appeal"])  # selection did not move
    assert dock.selected_key() == (USER, "doc1", ids["appeal"])


def test_incremental_updates_on_add_delete_and_undo(window, project_ids):
    _project, ids = project_ids
    session = window.session
    dock = window.docks.annotations
    resets = []
    dock.model.modelReset.connect(lambda: resets.append(1))
    text = session.project.documents["doc1"].text
    cmd = session.execute(AddAnnotation(USER, "doc1", "victim", [span(text, "😀")]))
    assert len(keys(window)) == 4
    assert cmd.ann_id in [k[2] for k in keys(window)]
    session.undo_stack.undo()
    assert len(keys(window)) == 3
    session.execute(DeleteAnnotation(USER, "doc1", ids["kim"]))
    assert ids["kim"] not in [k[2] for k in keys(window)]
    assert rows(window, COL_LINKS)[0] == ""  # the appeal lost its link
    session.undo_stack.undo()
    assert ids["kim"] in [k[2] for k in keys(window)]
    assert resets == []  # no full reset for a single edit


def test_filtering_keeps_the_selection_and_keys_move_it(window, project_ids, qtbot):
    _project, ids = project_ids
    dock, session = window.docks.annotations, window.session
    session.select(USER, ids["kim"])
    dock.set_filters(tag="victim")  # hides the selected row
    assert session.selected == (USER, ids["kim"])
    dock.set_filters(tag="")
    assert dock.selected_key() == (USER, "doc1", ids["kim"])
    dock.table.setFocus()
    qtbot.keyClick(dock.table, Qt.Key.Key_Down)
    assert session.selected == (USER, ids["prisoners"])


def test_sorting_keeps_the_selected_annotation_selected(window, project_ids):
    """Rows move when sorted; the selection follows the annotation, not the row number."""
    _project, ids = project_ids
    dock, session = window.docks.annotations, window.session
    dock.table.sortByColumn(COL_TAG, Qt.SortOrder.AscendingOrder)
    session.select(USER, ids["prisoners"])
    before = row_of(window, ids["prisoners"])
    dock.table.sortByColumn(COL_TAG, Qt.SortOrder.DescendingOrder)
    assert row_of(window, ids["prisoners"]) != before
    assert dock.selected_key() == (USER, "doc1", ids["prisoners"])
    assert dock.table.currentIndex().data(KEY_ROLE) == (USER, "doc1", ids["prisoners"])
    assert session.selected == (USER, ids["prisoners"])


def test_text_filter_searches_notes_and_authors(window):
    dock = window.docks.annotations
    dock.set_filters(text="COUNT THEM")  # only in the victim's note
    assert rows(window) == ["Victim"]
    dock.set_filters(text="alice")  # the author of all three
    assert len(rows(window)) == 3
    dock.set_filters(text="no such words")
    assert rows(window) == []


def _changes(model):
    """Rows named by dataChanged / rowsInserted / rowsRemoved and whether a reset or
    layout change happened (both would make Qt revisit every row)."""
    seen = {"changed": [], "inserted": [], "removed": [], "whole": 0}
    model.dataChanged.connect(lambda a, b, *_: seen["changed"].append((a.row(), b.row())))
    model.rowsInserted.connect(lambda _p, a, b: seen["inserted"].append((a, b)))
    model.rowsRemoved.connect(lambda _p, a, b: seen["removed"].append((a, b)))
    model.modelReset.connect(lambda: seen.__setitem__("whole", seen["whole"] + 1))
    model.layoutChanged.connect(lambda *_: seen.__setitem__("whole", seen["whole"] + 1))
    return seen


def test_a_new_annotation_is_inserted_in_reading_order_and_only_its_row_signals(window):
    session = window.session
    model = window.docks.annotations.model
    seen = _changes(model)
    text = session.project.documents["doc1"].text
    before = keys(window)
    # a span inside the document, between the existing ones in reading order
    start, _end = span(text, "political prisoners")
    cmd = session.execute(AddAnnotation(USER, "doc1", "victim", [(start, start + 9)]))
    order = [k[2] for k in keys(window)]
    starts = [model.annotation(model.row_of(*k)).start for k in keys(window)]
    assert starts == sorted(starts)  # still reading order, not appended at the end
    assert cmd.ann_id in order and len(order) == len(before) + 1
    row = order.index(cmd.ann_id)
    assert seen == {"changed": [], "inserted": [(row, row)], "removed": [], "whole": 0}


def test_an_edit_signals_only_the_edited_row_and_its_link_partner(window, project_ids):
    from annotator.model import Retag, SetNote

    _project, ids = project_ids
    session = window.session
    model = window.docks.annotations.model
    seen = _changes(model)
    session.execute(SetNote(USER, "doc1", ids["prisoners"], "new note", USER))
    row = model.row_of(USER, "doc1", ids["prisoners"])
    assert seen["changed"] == [(row, row)] and seen["whole"] == 0
    seen["changed"].clear()
    session.execute(Retag(USER, "doc1", ids["kim"], "victim", USER))
    partners = sorted(model.row_of(USER, "doc1", ids[n]) for n in ("kim", "appeal"))
    assert sorted(r for a, b in seen["changed"] for r in range(a, b + 1)) == partners
    assert model.text_of(model.row_of(USER, "doc1", ids["kim"]), COL_TAG) == "Victim"
    assert seen["inserted"] == seen["removed"] == [] and seen["whole"] == 0


def test_a_new_annotation_goes_to_its_sorted_place_without_a_resort(window):
    session = window.session
    dock = window.docks.annotations
    dock.table.sortByColumn(COL_TAG, Qt.SortOrder.DescendingOrder)
    seen = _changes(dock.model)
    text = session.project.documents["doc1"].text
    start, _end = span(text, "political prisoners")
    cmd = session.execute(AddAnnotation(USER, "doc1", "appeal", [(start, start + 9)]))
    labels = rows(window)
    assert labels == sorted(labels, reverse=True)
    assert seen["whole"] == 0 and len(seen["inserted"]) == 1
    session.undo_stack.undo()
    assert cmd.ann_id not in [k[2] for k in keys(window)]
    assert len(seen["removed"]) == 1 and seen["whole"] == 0


def test_a_link_pick_in_the_list_passes_over_a_colleagues_row(window, project_ids, qtbot):
    """Links join annotations of one's own layer: a colleague's row is greyed out while
    a target is picked, a click on it leaves the pick waiting, one's own row completes it."""
    _project, ids = project_ids
    dock, session, insp = window.docks.annotations, window.session, window.docks.inspector
    session.set_layer_visible("bob", True)
    assert ids["bob_victim"] in [k[2] for k in keys(window)]
    session.select(USER, ids["appeal"])
    insp.link_type_combo.setCurrentIndex(1)  # → On behalf of (Victim)
    insp.pick_button.click()
    assert session.picking
    bob_index = dock.proxy.index(row_of(window, ids["bob_victim"]), 1)
    assert not bob_index.flags() & Qt.ItemFlag.ItemIsEnabled
    rect = dock.table.visualRect(bob_index)
    qtbot.mouseClick(dock.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert session.picking  # still waiting for a target it can take
    assert "Not a possible target" in window.statusBar().currentMessage()
    own = dock.proxy.index(row_of(window, ids["prisoners"]), 1)
    assert own.flags() & Qt.ItemFlag.ItemIsEnabled
    qtbot.mouseClick(
        dock.table.viewport(), Qt.MouseButton.LeftButton, pos=dock.table.visualRect(own).center()
    )
    assert not session.picking
    da = session.project.layers[USER].docs["doc1"]
    assert ("on_behalf_of", ids["appeal"], ids["prisoners"]) in {
        (lk.type, lk.source, lk.target) for lk in da.links.values()
    }
    assert ids["bob_victim"] not in {lk.target for lk in da.links.values()}
    # once the pick is over, the colleague's row can be chosen again
    assert (
        dock.proxy.index(row_of(window, ids["bob_victim"]), 1).flags() & Qt.ItemFlag.ItemIsEnabled
    )
