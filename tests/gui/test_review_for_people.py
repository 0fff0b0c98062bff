"""Review mode as a campaigner reads it, in the real main window driven by mouse and keys:
releases by headline, items grouped worst first with their words and labels, the text
scrolled to the chosen item, and the Agreement tab measuring itself when first shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from annotator.model import DocumentMeta, Project
from tests.review_support import add, project

pytestmark = pytest.mark.gui

HEADLINE = "Kenya: Trade unionists held without charge in Nairobi"
FILLER = (
    "Amnesty International has received reports that the detainees were denied access to "
    "their lawyers and families during the first days of their detention. "
)


def _long_release() -> tuple[str, dict[str, tuple[int, int]]]:
    """A release of some 60 paragraphs; the phrases review is about, at top and bottom."""
    parts = [
        HEADLINE,
        "NAIROBI -- Kenyan police must release the 23 trade unionists detained on Monday, "
        "the Law Society said.",
    ]
    parts += [FILLER * 3 for _ in range(60)]
    parts.append(
        "The Interior Ministry has not answered. Amnesty International urges the Attorney "
        "General to drop the charges against Sané 😀 Mwangi."
    )
    text = "\n\n".join(parts)

    def at(phrase: str) -> tuple[int, int]:
        i = text.index(phrase)
        return i, i + len(phrase)

    spans = {
        p: at(p)
        for p in (
            "Kenyan police",
            "23 trade unionists",
            "the 23 trade unionists detained",
            "Law Society",
            "Interior Ministry",
            "Attorney General",
            "Sané 😀 Mwangi",
        )
    }
    return text, spans


def _project() -> Project:
    text, s = _long_release()
    p = project(text, "Police held 3 people. The army denied it.")
    p.documents["d1"].meta = DocumentMeta(headline=HEADLINE, country="Kenya")
    p.documents["d2"].meta = DocumentMeta(headline="Zambia: Three journalists arrested")
    add(p, "alice", "d1", "authority", s["Kenyan police"], kind="police")  # missing in bob
    add(p, "alice", "d1", "victim", s["23 trade unionists"])
    add(p, "bob", "d1", "victim", s["the 23 trade unionists detained"])  # boundaries
    add(p, "alice", "d1", "authority", s["Law Society"])
    add(p, "bob", "d1", "victim", s["Law Society"])  # different tags
    add(p, "alice", "d1", "authority", s["Interior Ministry"], kind="government")
    add(p, "bob", "d1", "authority", s["Interior Ministry"], kind="police")  # conflict
    add(p, "bob", "d1", "authority", s["Attorney General"], kind="judiciary")  # missing, far down
    add(p, "alice", "d1", "victim", s["Sané 😀 Mwangi"])
    add(p, "bob", "d1", "victim", s["Sané 😀 Mwangi"])  # the same: agreed
    add(p, "alice", "d2", "authority", (0, 6))
    add(p, "bob", "d2", "authority", (0, 6))
    return p


@pytest.fixture
def reviewing(make_window: Any, tmp_path: Path) -> Any:
    from annotator.formats.project_xml import save_project

    path = tmp_path / "review.xml"
    save_project(_project(), path)
    window = make_window(path)
    window.resize(1024, 700)
    window.session.set_current_document("d1")
    ui = window.review
    ui.enter()
    return window, ui


def _click(qtbot: Any, view: Any, rect: Any) -> None:
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_releases_are_listed_by_headline_with_counts_in_their_own_column(
    qtbot: Any, reviewing: Any
) -> None:
    _window, ui = reviewing
    releases = ui.dock.doc_list.model()

    def cell(row: int, column: int, role: Any = Qt.ItemDataRole.DisplayRole) -> Any:
        return releases.index(row, column).data(role)

    assert [cell(i, 0) for i in range(2)] == [HEADLINE, "Zambia: Three journalists arrested"]
    assert cell(0, 1) == "5"  # five items differ in the Kenya release
    assert cell(1, 1) == "–"
    assert "d1" in cell(0, 0, Qt.ItemDataRole.ToolTipRole)  # the id only where asked for


def test_items_are_grouped_worst_first_with_words_and_labels(qtbot: Any, reviewing: Any) -> None:
    _window, ui = reviewing
    tree = ui.dock.tree
    titles = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert titles == [
        "Conflicts (1)",
        "Different boundaries (1)",
        "Different tags (1)",
        "Missing in a layer (2)",
        "Same in every layer (1)",
    ]
    conflict = tree.topLevelItem(0).child(0)
    assert "Interior Ministry" in conflict.text(0)
    assert "answered" in conflict.text(0)  # a few words of context, not offsets
    # attribute values by their labels in the tag set, never name=value
    alice, bob = conflict.text(1), conflict.text(2)
    assert alice.startswith("Responsible authority")
    assert "Government" in alice and "Police" in bob
    assert "=" not in alice + bob and "kind" not in alice + bob
    # a group folds and unfolds; the agreements start folded
    assert not tree.topLevelItem(4).isExpanded()
    tree.topLevelItem(0).setExpanded(False)
    assert not tree.topLevelItem(0).isExpanded()


def test_choosing_an_item_far_down_scrolls_the_text_to_it(qtbot: Any, reviewing: Any) -> None:
    window, ui = reviewing
    view, tree = window.text_view, ui.dock.tree
    qtbot.waitUntil(lambda: tree.isVisible())
    missing = tree.groups["Missing in a layer"]
    row = next(
        missing.child(i)
        for i in range(missing.childCount())
        if "Attorney" in missing.child(i).text(0)
    )
    tree.scrollToItem(row)
    view.verticalScrollBar().setValue(0)  # the text at its top, the item near the end
    _click(qtbot, tree, tree.visualItemRect(row))
    layer, ann_id = window.session.selected
    ann = view.annotation(layer, ann_id)
    assert ann is not None and ann.covered_text(view.text) == "Attorney General"
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_utf16(ann.start))
    assert view.verticalScrollBar().value() > 0
    assert view.viewport().rect().contains(view.cursorRect(cursor).center())
    # Up in the list goes to the item above: the text follows it back to the top
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Up)
    layer, ann_id = window.session.selected
    above = view.annotation(layer, ann_id)
    assert above is not None and above.covered_text(view.text) == "Kenyan police"
    cursor.setPosition(view.offsets.to_utf16(above.start))
    assert view.viewport().rect().contains(view.cursorRect(cursor).center())


def test_f8_walks_the_groups_in_order_and_the_text_follows(qtbot: Any, reviewing: Any) -> None:
    window, ui = reviewing
    view = window.text_view
    ui.controller.select_item(None)
    view.verticalScrollBar().setValue(0)
    seen = []
    for _ in range(5):
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        view.setFocus()
        qtbot.keyClick(view, Qt.Key.Key_F8)
        current = ui.controller.current
        assert current is not None
        layer, ann_id = window.session.selected
        ann = view.annotation(layer, ann_id)
        assert ann is not None
        cursor = QTextCursor(view.document())
        cursor.setPosition(view.offsets.to_utf16(ann.start))
        assert view.viewport().rect().contains(view.cursorRect(cursor).center())
        seen.append((current.kind.value, ann.covered_text(view.text)))
    # the conflict sits near the end of the release: F8 goes there first, as the list shows
    assert seen == [
        ("details", "Interior Ministry"),
        ("boundary", "23 trade unionists"),
        ("tag", "Law Society"),
        ("missing", "Kenyan police"),
        ("missing", "Attorney General"),
    ]
    qtbot.keyClick(view, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert ui.controller.current is not None
    assert window.session.selected[1] and "Kenyan" in view.annotation(
        *window.session.selected
    ).covered_text(view.text)


def test_agreement_tab_measures_when_first_shown(qtbot: Any, reviewing: Any) -> None:
    window, ui = reviewing
    ctl, tab = ui.controller, ui.dock.agreement_tab
    ctl.SLICE_SECONDS = 0.0  # one release per turn of the event loop: the progress shows
    progress: list[tuple[int, int]] = []
    ctl.agreementProgress.connect(lambda done, total: progress.append((done, total)))
    assert ctl.agreement is None and tab.table.rowCount() == 0
    bar = ui.dock.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert ui.dock.tabs.currentWidget() is tab
    assert ctl.measuring and "Measuring agreement between alice & bob" in tab.note.text()
    assert tab.progress.isVisible()
    qtbot.waitUntil(lambda: tab.table.rowCount() > 10, timeout=5000)
    assert progress[0] == (0, 2) and progress[-1] == (2, 2) and (1, 2) in progress
    assert not tab.progress.isVisible()
    assert "alice & bob" in tab.note.text() and "2 releases" in tab.note.text()
    layers = {tab.table.item(r, 1).text() for r in range(tab.table.rowCount())}
    assert layers == {"alice & bob"}  # one notation for pairs and for all layers
    measures = [tab.table.item(r, 0).text() for r in range(tab.table.rowCount())]
    assert "Cohen's κ (attribute): Responsible authority · Kind of authority" in measures
    assert not any("authority.kind" in m for m in measures)
    # an edit makes the figures stale: the visible tab measures again by itself
    from annotator.model import AddAnnotation

    window.session.execute(AddAnnotation("bob", "d2", "victim", [(12, 20)]))
    assert ctl.agreement is None
    qtbot.waitUntil(lambda: ctl.agreement is not None, timeout=5000)
    assert tab.table.rowCount() > 10


def test_agreement_tab_with_one_layer_says_why_it_is_empty(qtbot: Any, reviewing: Any) -> None:
    _window, ui = reviewing
    layers = ui.dock.layer_list
    layers.item(1).setCheckState(Qt.CheckState.Unchecked)  # only alice left
    bar = ui.dock.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    tab = ui.dock.agreement_tab
    assert tab.table.rowCount() == 0
    assert "two or more layers" in tab.note.text()


def test_documents_headline_is_readable_at_laptop_size(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    window.resize(1024, 700)
    qtbot.wait(50)
    dock = window.docks.documents
    table = dock.table
    qtbot.waitUntil(lambda: table.viewport().width() > 0)
    from annotator.ui.docks.documents import COL_HEADLINE

    assert table.columnWidth(COL_HEADLINE) >= table.viewport().width() * 0.5
    index = dock.proxy.index(0, COL_HEADLINE)
    assert "status:" in str(index.data(Qt.ItemDataRole.ToolTipRole))
    # wide again: the status word and the counts come back
    dock.setFloating(True)
    dock.resize(700, 400)
    qtbot.waitUntil(lambda: table.viewport().width() > 600)
    assert not dock.model.compact_status
    dock.setFloating(False)
