"""The Overview's Concordance page in the real main window: sorting, and back to the text.

The releases carry characters beyond the Basic Multilingual Plane before the
annotations, so a code point / UTF-16 mix-up would open the text at the wrong place.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from annotator.formats.project_xml import new_project, save_project
from annotator.model import AddAnnotation, Document, DocumentMeta, History, Project
from annotator.model.tagset_commands import RenameTag
from annotator.ui.overview.concordance import LEFT, RELEASE, SPAN, ConcordancePage

TEXTS = {
    "ai-1": "Soldiers 🪖 arrested 𝔄𝔩𝔦 Hassan at dawn in Gao.",
    "ai-2": "In Gaza 😀😀 police arrested Bob Lee on Sunday.\nHe was beaten.",
    "ai-3": "The army detained Cy Ng after a march 🏳 in Lomé.",
}
VICTIMS = {"ai-1": "𝔄𝔩𝔦 Hassan", "ai-2": "Bob Lee", "ai-3": "Cy Ng"}


def corpus() -> Project:
    project = new_project("Arrests")
    for doc_id, text in TEXTS.items():
        project.add_document(Document(doc_id, text, DocumentMeta(headline=doc_id)))
    project.ensure_layer("dana")
    h = History(project)
    for doc_id, phrase in VICTIMS.items():
        start = TEXTS[doc_id].index(phrase)
        group = {"group": ["journalist"]} if doc_id == "ai-2" else None
        h.push(AddAnnotation("dana", doc_id, "victim", [(start, start + len(phrase))], group))
    start = TEXTS["ai-2"].index("police")
    h.push(AddAnnotation("dana", "ai-2", "authority", [(start, start + 6)]))
    return project


@pytest.fixture
def corpus_path(tmp_path: Path) -> Path:
    path = tmp_path / "arrests.xml"
    save_project(corpus(), path)
    return path


def open_page(window) -> ConcordancePage:  # type: ignore[no-untyped-def]
    window.overview.set_open(True)
    page = window.overview.show_page("Concordance")
    assert isinstance(page, ConcordancePage)
    page.choose("victim")
    return page


def double_click(qtbot, widget, pos) -> None:  # type: ignore[no-untyped-def]
    """What a user's double click sends: a click, then the double click (an item view
    acts only on a double click on the row its press went to)."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def column(page: ConcordancePage, col: int) -> list[str]:
    m = page.model
    return [m.index(r, col).data() for r in range(m.rowCount())]


def test_rows_sort_by_span_and_by_left_context_read_from_the_span(
    make_window, corpus_path: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(corpus_path)
    page = open_page(window)
    assert column(page, RELEASE) == ["ai-1", "ai-2", "ai-3"]
    assert "3 annotations in 3 releases" in page.count_label.text()
    header = page.table.horizontalHeader()

    def click_header(col: int) -> None:
        x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    click_header(SPAN)
    assert column(page, SPAN) == ["Bob Lee", "Cy Ng", "𝔄𝔩𝔦 Hassan"]
    click_header(LEFT)  # "arrested" twice: the word before decides, "police" < "🪖"
    assert column(page, RELEASE) == ["ai-2", "ai-1", "ai-3"]
    click_header(LEFT)
    assert column(page, RELEASE) == ["ai-3", "ai-1", "ai-2"]
    click_header(RELEASE)
    assert column(page, RELEASE) == ["ai-1", "ai-2", "ai-3"]

    # narrowed to one value from the Value list, then back to any value
    box = page.value_box
    box.setCurrentIndex(box.findText("Group: Journalist"))
    assert column(page, SPAN) == ["Bob Lee"]
    box.setCurrentIndex(0)
    assert column(page, SPAN) == ["𝔄𝔩𝔦 Hassan", "Bob Lee", "Cy Ng"]

    # an edit shows in the order the page is sorted in, and its undo takes it away
    click_header(SPAN)
    click_header(SPAN)  # descending
    start = TEXTS["ai-3"].index("march")
    window.session.execute(AddAnnotation("dana", "ai-3", "victim", [(start, start + 5)]))
    qtbot.waitUntil(lambda: page.model.rowCount() == 4, timeout=3000)
    assert column(page, SPAN) == ["𝔄𝔩𝔦 Hassan", "march", "Cy Ng", "Bob Lee"]
    window.session.undo_stack.undo()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=3000)
    assert column(page, SPAN) == ["𝔄𝔩𝔦 Hassan", "Cy Ng", "Bob Lee"]
    click_header(RELEASE)
    # the left context is right-aligned against the span
    align = page.model.index(0, LEFT).data(Qt.ItemDataRole.TextAlignmentRole)
    assert align & Qt.AlignmentFlag.AlignRight


def test_double_clicking_a_row_opens_the_release_at_the_annotation(
    make_window, corpus_path: Path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    window = make_window(corpus_path)
    page = open_page(window)
    page.table.sortByColumn(SPAN, Qt.SortOrder.AscendingOrder)  # Bob Lee (ai-2) first
    assert window.session.current_doc_id == "ai-1"
    rect = page.table.visualRect(page.model.index(0, SPAN))
    double_click(qtbot, page.table.viewport(), rect.center())
    s = window.session
    assert s.current_doc_id == "ai-2"
    layer = s.project.layers["dana"]
    (ann_id,) = [a.id for a in layer.docs["ai-2"].annotations.values() if a.tag == "victim"]
    assert s.selected == ("dana", ann_id)
    start = TEXTS["ai-2"].index("Bob Lee")  # 27 code points, 29 UTF-16 units (two emoji)
    assert window.text_view.cursor_cp() == start
    assert window.text_view.textCursor().position() == start + 2
    c = window.text_view.textCursor()
    c.setPosition(c.position() + 7, QTextCursor.MoveMode.KeepAnchor)
    assert c.selectedText() == "Bob Lee"  # what Qt shows at the cursor is the span
    assert "dana" in s.visible_layers


def test_enter_on_a_row_opens_it_too(make_window, corpus_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(corpus_path)
    page = open_page(window)
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, SPAN))
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert window.session.current_doc_id == "ai-3"
    assert window.text_view.cursor_cp() == TEXTS["ai-3"].index("Cy Ng")


def test_a_renamed_tag_is_chosen_by_its_new_name(make_window, corpus_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(corpus_path)
    page = open_page(window)
    window.session.execute(RenameTag("victim", "person"))
    qtbot.waitUntil(lambda: page.tag_box.findData("person") >= 0, timeout=3000)
    assert page.tag_box.findData("victim") < 0
    page.choose("person")
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=3000)
