"""One keypress in the real window updates only the panel rows it changed.

The panels follow each edit by the annotations and links its ``Change`` names: the
Annotations table refreshes those rows (and nothing else: no reset, no re-sort),
the Documents table the open release's row, and a change of a release's status
touches no annotation row. Each test reads every cell before and after, so a row
left stale fails as surely as a row refreshed for nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from annotator.model import AddLink, RemoveLink
from annotator.ui.docks.annotations import COL_LINKS, COL_TAG, KEY_ROLE
from tests.gui.test_docks_support import (  # noqa: F401
    USER,
    project_ids_fixture,
    span,
    window_fixture,
)

pytestmark = pytest.mark.gui


def signals(model: Any) -> dict[str, Any]:
    seen: dict[str, Any] = {"changed": set(), "inserted": [], "removed": [], "whole": 0}

    def changed(a: Any, b: Any, *_: Any) -> None:
        seen["changed"].update(range(a.row(), b.row() + 1))

    def whole(*_: Any) -> None:
        seen["whole"] += 1

    model.dataChanged.connect(changed)
    model.rowsInserted.connect(lambda _p, a, b: seen["inserted"].append((a, b)))
    model.rowsRemoved.connect(lambda _p, a, b: seen["removed"].append((a, b)))
    model.modelReset.connect(whole)
    model.layoutChanged.connect(whole)
    return seen


def cells(model: Any) -> dict[Any, tuple[str, ...]]:
    """What each annotation's row reads, by its key."""
    return {
        model.index(r, 0).data(KEY_ROLE): tuple(
            model.text_of(r, c) for c in range(model.columnCount())
        )
        for r in range(model.rowCount())
    }


def rows_differing(model: Any, before: dict[Any, tuple[str, ...]]) -> set[int]:
    after = cells(model)
    return {model.row_of(*k) for k in after if k in before and before[k] != after[k]}


def select_text(window: Any, phrase: str) -> None:
    view = window.text_view
    text = window.session.project.documents[window.session.current_doc_id].text
    view.set_selection_cp(*span(text, phrase))
    view.setFocus()


def test_tagging_with_a_key_inserts_one_row_and_refreshes_one_release(window, qtbot):
    ann_model = window.docks.annotations.model
    doc_model = window.docks.documents.model
    before = cells(ann_model)
    ann_seen, doc_seen = signals(ann_model), signals(doc_model)
    select_text(window, "National Security Law")
    qtbot.keyClick(window.text_view, Qt.Key.Key_3)
    layer, new_id = window.session.selected
    assert layer == USER and new_id
    row = ann_model.row_of(USER, "doc1", new_id)
    assert ann_model.text_of(row, COL_TAG) == "Responsible authority"
    assert ann_seen["inserted"] == [(row, row)] and ann_seen["removed"] == []
    assert ann_seen["changed"] == set() and ann_seen["whole"] == 0
    assert rows_differing(ann_model, before) == set()
    assert doc_seen["changed"] == {doc_model.row_of("doc1")} and doc_seen["whole"] == 0
    assert doc_model.count("doc1", "authority") == 2


def test_retagging_with_a_key_refreshes_its_row_and_its_link_partner_only(
    window, project_ids, qtbot
):
    _project, ids = project_ids
    ann_model = window.docks.annotations.model
    window.session.select(USER, ids["kim"])
    window.text_view.setFocus()
    before = cells(ann_model)
    ann_seen = signals(ann_model)
    qtbot.keyClick(window.text_view, Qt.Key.Key_2)  # the authority becomes a victim
    kim, appeal = (ann_model.row_of(USER, "doc1", ids[k]) for k in ("kim", "appeal"))
    assert ann_model.text_of(kim, COL_TAG) == "Victim"
    # the appeal's Links column quoted its addressee: the retag dropped that link
    assert ann_model.text_of(appeal, COL_LINKS) == ""
    assert rows_differing(ann_model, before) == {kim, appeal}
    assert ann_seen["changed"] == {kim, appeal}
    assert ann_seen["inserted"] == ann_seen["removed"] == [] and ann_seen["whole"] == 0


def test_deleting_with_a_key_removes_its_row_and_refreshes_the_partner(window, project_ids, qtbot):
    _project, ids = project_ids
    ann_model = window.docks.annotations.model
    window.session.select(USER, ids["appeal"])
    window.text_view.setFocus()
    before = cells(ann_model)
    row = ann_model.row_of(USER, "doc1", ids["appeal"])
    ann_seen = signals(ann_model)
    qtbot.keyClick(window.text_view, Qt.Key.Key_Delete)
    assert ann_model.row_of(USER, "doc1", ids["appeal"]) == -1
    assert ann_seen["removed"] == [(row, row)]
    kim = ann_model.row_of(USER, "doc1", ids["kim"])
    assert ann_model.text_of(kim, COL_LINKS) == ""
    assert rows_differing(ann_model, before) == {kim}
    assert ann_seen["changed"] == {kim} and ann_seen["whole"] == 0


def test_a_link_refreshes_exactly_its_two_ends(window, project_ids):
    _project, ids = project_ids
    session = window.session
    ann_model = window.docks.annotations.model
    before = cells(ann_model)
    ann_seen = signals(ann_model)
    cmd = session.execute(AddLink(USER, "doc1", "on_behalf_of", ids["appeal"], ids["prisoners"]))
    ends = {ann_model.row_of(USER, "doc1", ids[k]) for k in ("appeal", "prisoners")}
    assert rows_differing(ann_model, before) == ends
    assert ann_seen["changed"] == ends and ann_seen["whole"] == 0
    before, ann_seen["changed"] = cells(ann_model), set()
    session.execute(RemoveLink(USER, "doc1", cmd.link_id))
    assert rows_differing(ann_model, before) == ends and ann_seen["changed"] == ends
    assert ann_seen["inserted"] == ann_seen["removed"] == [] and ann_seen["whole"] == 0


def test_marking_a_release_done_touches_no_annotation_row(window, qtbot):
    ann_model = window.docks.annotations.model
    doc_model = window.docks.documents.model
    ann_seen, doc_seen = signals(ann_model), signals(doc_model)
    window.text_view.setFocus()
    qtbot.keyClick(window.text_view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert doc_model.status(window.session.project.documents["doc1"]).value == "done"
    assert doc_seen["changed"] == {doc_model.row_of("doc1")} and doc_seen["whole"] == 0
    assert ann_seen == {"changed": set(), "inserted": [], "removed": [], "whole": 0}


def test_painted_cells_read_what_the_model_says(window, project_ids):
    """The tables answer a painted cell's roles in one call (``multiData``); what the
    delegate paints must be what ``data`` says, through the filter proxy, for every
    role a cell is drawn with: text, swatch, and the grey of a colleague's rows."""
    from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

    window.session.set_layer_visible("bob", True)
    delegate = QStyledItemDelegate()
    for dock in (window.docks.annotations, window.docks.documents):
        proxy = dock.proxy
        assert proxy.rowCount() >= 3
        for r in range(proxy.rowCount()):
            for c in range(proxy.columnCount()):
                index = proxy.index(r, c)
                option = QStyleOptionViewItem()
                delegate.initStyleOption(option, index)
                assert option.text == (index.data() or "")
                icon = index.data(Qt.ItemDataRole.DecorationRole)
                assert option.icon.isNull() == (icon is None)
                brush = index.data(Qt.ItemDataRole.ForegroundRole)
                if brush is not None:
                    assert option.palette.text().color() == brush.color()
    grey = [
        r
        for r in range(window.docks.annotations.proxy.rowCount())
        if window.docks.annotations.proxy.index(r, 0).data(KEY_ROLE)[0] == "bob"
    ]
    assert grey  # a colleague's row was among those checked


def test_the_panel_models_keep_qts_model_rules(window, qtmodeltester):
    """Qt's own model tester on the two tables (indexes, counts, roles, parents),
    for the one-call ``index`` and ``multiData`` the tables answer paints with."""
    window.session.set_layer_visible("bob", True)
    qtmodeltester.check(window.docks.annotations.model, force_py=True)
    qtmodeltester.check(window.docks.annotations.proxy, force_py=True)
    qtmodeltester.check(window.docks.documents.model, force_py=True)


class Watched(dict):  # type: ignore[type-arg]
    """A release's annotations that note every walk over them (lookups are free)."""

    walks: list[str] = []

    def __init__(self, doc_id: str, items: dict) -> None:  # type: ignore[type-arg]
        super().__init__(items)
        self.doc_id = doc_id

    def _walked(self) -> None:
        Watched.walks.append(self.doc_id)

    def __iter__(self):  # type: ignore[no-untyped-def]
        self._walked()
        return super().__iter__()

    def keys(self):  # type: ignore[no-untyped-def]
        self._walked()
        return super().keys()

    def values(self):  # type: ignore[no-untyped-def]
        self._walked()
        return super().values()

    def items(self):  # type: ignore[no-untyped-def]
        self._walked()
        return super().items()


def test_a_keypress_with_every_panel_on_all_docs_walks_no_other_release(qtbot, monkeypatch):
    """Tagging, retagging and undoing in one release, with the whole project listed,
    its filter's index built and every panel open, never walks another release's
    annotations: no panel recounts or re-sorts the project on one edit."""
    from tests.gui.test_docks_support import real_window
    from tests.gui.test_docks_whole_project import (
        KEYS,
        archive,
        scroll_to_end,
        tag_with_key,
        whole_project_on,
    )

    w = real_window(qtbot, archive())
    whole_project_on(qtbot, w)
    scroll_to_end(qtbot, w)
    while w.docks.annotations.model.indexing():
        qtbot.wait(1)
    doc = list(w.session.project.documents)[9]
    w.session.set_current_document(doc)
    qtbot.wait(1)
    for layer in w.session.project.layers.values():
        for doc_id, da in layer.docs.items():
            if doc_id != doc:
                da.annotations = Watched(doc_id, da.annotations)
    Watched.walks = []
    tag_with_key(qtbot, w, doc, "spreading false news", "victim")
    qtbot.keyClick(w.text_view, KEYS["appeal"])  # the new tag is selected: retag it
    qtbot.keyClick(w.text_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(w.text_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(1)
    assert Watched.walks == []
    w.closing_confirmed = True
    w.session.undo_stack.setClean()
