"""The text view: code points vs UTF-16, painting, hit testing, partial re-highlighting."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from annotator.model import AddAnnotation, Document, Resize
from annotator.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

ASTRAL = "Smile 😀 and 𠀀 then Sané Diop was held; 😀😀 Ali Hassan too."
RTL = "Officials detained \u0639\u0644\u064a \u062d\u0633\u0646 (Ali Hassan)\tand others in Cairo."


@pytest.fixture
def view_window(qtbot):  # type: ignore[no-untyped-def]
    from tests.gui.conftest import make_project

    project = make_project()
    project.add_document(Document("astral", ASTRAL))
    project.add_document(Document("rtl", RTL))
    long_para = " ".join(f"word{i}" for i in range(3000))
    project.add_document(Document("many", "\n\n".join([long_para] + ["para x"] * 200)))
    w = MainWindow("tester", project)
    qtbot.addWidget(w, before_close_func=lambda w: setattr(w, "closing_confirmed", True))
    w.resize(900, 600)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)
    return w


def formats_of_block(view, number):  # type: ignore[no-untyped-def]
    block = view.document().findBlockByNumber(number)
    return [(r.start, r.length) for r in block.layout().formats()]


def test_selection_after_astral_characters_maps_to_code_points(view_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    w = view_window
    w.session.set_current_document("astral")
    view = w.text_view
    cp = ASTRAL.index("Sané")
    u16 = len(ASTRAL[:cp].encode("utf-16-le")) // 2
    assert u16 == cp + 2  # 😀 and 𠀀 each take two UTF-16 units
    c = QTextCursor(view.document())
    c.setPosition(u16)
    c.setPosition(u16 + 9, QTextCursor.MoveMode.KeepAnchor)  # "Sané Diop"
    view.setTextCursor(c)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_2)
    (ann,) = w.session.project.layers["tester"].docs["astral"].annotations.values()
    assert (ann.start, ann.end) == (cp, cp + 9)
    assert ASTRAL[ann.start : ann.end] == "Sané Diop"


def test_annotation_after_astral_characters_is_painted_on_the_right_units(view_window) -> None:  # type: ignore[no-untyped-def]
    w = view_window
    w.session.set_current_document("astral")
    cp = ASTRAL.index("Ali")
    w.session.execute(AddAnnotation("tester", "astral", "victim", [(cp, cp + 10)]))
    u16 = len(ASTRAL[:cp].encode("utf-16-le")) // 2
    assert u16 == cp + 4
    assert formats_of_block(w.text_view, 0) == [(u16, 10)]
    # and what Qt shows in that range is exactly the annotated text
    c = QTextCursor(w.text_view.document())
    c.setPosition(u16)
    c.setPosition(u16 + 10, QTextCursor.MoveMode.KeepAnchor)
    assert c.selectedText() == "Ali Hassan"


def test_right_to_left_names_and_tabs_tag_exactly(view_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    w = view_window
    w.session.set_current_document("rtl")
    view = w.text_view
    s = RTL.index("\u0639")
    view.set_selection_cp(s + 1, s + 6)  # inside both Arabic words
    qtbot.keyClick(view, Qt.Key.Key_2)
    (ann,) = w.session.project.layers["tester"].docs["rtl"].annotations.values()
    assert RTL[ann.start : ann.end] == "\u0639\u0644\u064a \u062d\u0633\u0646"
    assert formats_of_block(view, 0) == [(s, 7)]
    tab = RTL.index("\t")
    view.set_selection_cp(tab - 1, tab + 4)  # ")\tand" -> "and"
    w.tag_selection("victim")
    spans = sorted(
        (a.start, a.end)
        for a in w.session.project.layers["tester"].docs["rtl"].annotations.values()
    )
    assert (tab + 1, tab + 4) in spans


def test_edit_rehighlights_only_touched_blocks(view_window) -> None:  # type: ignore[no-untyped-def]
    w = view_window
    w.session.set_current_document("many")
    text = w.session.project.document("many").text
    view = w.text_view
    assert view.document().blockCount() == 401
    hl = view.highlighter
    hl.calls, hl.blocks = 0, []
    s = text.index("para x", len(text) // 2)
    add = AddAnnotation("tester", "many", "appeal", [(s, s + 4)])
    w.session.execute(add)
    block = view.index.block_of(s)
    assert hl.blocks == [block] and hl.calls == 1
    hl.calls, hl.blocks = 0, []
    w.session.execute(Resize("tester", "many", add.ann_id, [(s, s + 6)]))
    assert hl.calls == 1
    hl.calls, hl.blocks = 0, []
    w.session.undo_stack.undo()
    w.session.undo_stack.undo()
    assert hl.calls == 2 and set(hl.blocks) == {block}


def test_overlapping_annotations_click_cycles_and_tooltip(view_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    w = view_window
    from tests.gui.conftest import SAMPLE_TEXT

    s = SAMPLE_TEXT.index("release")
    e = SAMPLE_TEXT.index(", a journalist")
    outer = AddAnnotation("tester", "doc0001", "appeal", [(s, e)], note="main ask")
    inner = AddAnnotation("tester", "doc0001", "victim", [(s + 9, e - 1)])
    w.session.execute(outer)
    w.session.execute(inner)
    view = w.text_view
    # a point inside "Sané": find its pixel position from the layout
    target = SAMPLE_TEXT.index("ané")
    c = QTextCursor(view.document())
    c.setPosition(target)
    rect = view.cursorRect(c)
    point = QPoint(rect.left() + 3, rect.center().y())
    assert view.char_at(point) == target
    keys = [p.key for p in view.pieces_at_point(point)]
    assert keys == [("tester", inner.ann_id), ("tester", outer.ann_id)]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert w.session.selected == ("tester", inner.ann_id)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert w.session.selected == ("tester", outer.ann_id)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert w.session.selected == ("tester", inner.ann_id)
    tip = view.tooltip_html(view.pieces_at_point(point))
    assert "Victim" in tip and "Appeal" in tip and "main ask" in tip and "your layer" in tip


def test_click_offers_annotation_to_a_pending_pick(view_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    w = view_window
    add = AddAnnotation("tester", "doc0001", "appeal", [(0, 7)])
    w.session.execute(add)
    picked = []
    w.session.begin_pick(lambda layer, ann: picked.append((layer, ann)))
    c = QTextCursor(w.text_view.document())
    c.setPosition(2)
    point = w.text_view.cursorRect(c).center()
    qtbot.mouseClick(w.text_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert picked == [("tester", add.ann_id)]
    assert w.session.selected == ("", "")


def test_other_layers_are_shown_read_only(view_window) -> None:  # type: ignore[no-untyped-def]
    w = view_window
    w.session.project.ensure_layer("alice")
    w.session.execute(AddAnnotation("alice", "doc0001", "victim", [(0, 7)]))
    assert w.text_view.index.pieces(0) == []  # hidden until shown
    w.ui_actions.show_other_layers.trigger()
    pieces = w.text_view.index.pieces(0)
    assert [(p.layer, p.own) for p in pieces] == [("alice", False)]
    assert formats_of_block(w.text_view, 0) == []  # no background: underline only
    tip = w.text_view.tooltip_html(pieces)
    assert "alice" in tip
    # retagging the other layer's annotation is refused (no text selection: nothing happens)
    w.session.select("alice", pieces[0].ann.id)
    w.tag_selection("appeal")
    assert pieces[0].ann.tag == "victim"


def test_zoom_changes_font_size(view_window) -> None:  # type: ignore[no-untyped-def]
    view = view_window.text_view
    size = view.point_size
    view_window.ui_actions.zoom_in.trigger()
    assert view.point_size == size + 1
    view_window.ui_actions.zoom_reset.trigger()
    assert view.point_size == view.base_point_size


def test_crlf_text_keeps_offsets(qtbot) -> None:  # type: ignore[no-untyped-def]
    from tests.gui.conftest import make_project

    project = make_project()
    text = "first line\r\nSecond Victim here\r\n"
    project.add_document(Document("crlf", text))
    w = MainWindow("tester", project)
    qtbot.addWidget(w, before_close_func=lambda w: setattr(w, "closing_confirmed", True))
    w.session.set_current_document("crlf")
    s = text.index("Victim")
    w.text_view.set_selection_cp(s, s + 6)
    w.tag_selection("victim")
    (ann,) = w.session.project.layers["tester"].docs["crlf"].annotations.values()
    assert text[ann.start : ann.end] == "Victim"


def test_hover_shows_tooltip_with_label_layer_and_note(view_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    w = view_window
    w.session.execute(AddAnnotation("tester", "doc0001", "victim", [(0, 7)], note="who?"))
    view = w.text_view
    c = QTextCursor(view.document())
    c.setPosition(3)
    point = view.cursorRect(c).center()
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert "Victim" in QToolTip.text() and "who?" in QToolTip.text()
    assert "your layer" in QToolTip.text()
    QToolTip.hideText()


def test_underlines_painted_inside_a_very_long_paragraph(view_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor

    w = view_window
    w.session.set_current_document("many")
    text = w.session.project.document("many").text
    s = text.index("word1500 ")
    add = AddAnnotation("tester", "many", "appeal", [(s, s + len("word1500 word1501"))])
    w.session.execute(add)
    view = w.text_view
    view.show_annotation(view.annotation("tester", add.ann_id))
    view.viewport().repaint()
    image = view.viewport().grab().toImage()
    target = QColor("#E69F00")

    def close(c: QColor) -> bool:
        return (
            abs(c.red() - target.red()) < 12
            and abs(c.green() - target.green()) < 12
            and abs(c.blue() - target.blue()) < 12
        )

    hits = sum(
        1
        for x in range(0, image.width(), 2)
        for y in range(image.height())
        if close(image.pixelColor(x, y))
    )
    assert hits > 20  # the solid underline in the tag's colour is on screen


def test_a_piece_going_on_past_a_wrap_stops_at_the_last_glyph(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The underline and selection frame ended under the wrapped line's trailing space."""
    from PySide6.QtGui import QFont, QTextLayout

    from annotator.ui.text_paint import piece_x_range

    text = "violence and call on all sides in the current political crisis to exercise"
    layout = QTextLayout(text, QFont())
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(200)
    layout.endLayout()
    end = line.textStart() + line.textLength()
    assert text[end - 1] == " " and end < len(text)  # the line wraps after a space
    last_glyph = line.cursorToX(end - 1)[0]
    assert piece_x_range(line, 13, end, wraps=True) == (line.cursorToX(13)[0], last_glyph)
    # a piece that ends at the line's end keeps its full width
    assert piece_x_range(line, 13, end, wraps=False)[1] == line.cursorToX(end)[0] > last_glyph
