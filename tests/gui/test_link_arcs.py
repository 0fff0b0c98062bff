"""Links drawn in the text: arcs between the right spans, hover, Ctrl+drag to link,
the View toggle. The release starts with characters beyond the BMP, so every
offset the arcs use has to go through the code-point / UTF-16 conversion."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QTextCursor
from PySide6.QtWidgets import QApplication

from annotator.formats.project_xml import new_project, save_project
from annotator.model import AddAnnotation, AddLink, Change, Document, DocumentMeta
from annotator.ui import settings
from annotator.ui.link_arcs import Arc, LinkIndex

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier

TEXT = (
    "😀 Amnesty International urged the Ministry of Interior to free Sané Diop "
    "and other journalists.\n"
    "\n"
    "𝐀 The police arrested them again on 3 May.\n"
)


def span(phrase: str) -> tuple[int, int]:
    s = TEXT.index(phrase)  # code points: the emoji before it counts one
    return s, s + len(phrase)


SPANS = {
    "ministry": ("authority", "the Ministry of Interior"),
    "appeal": ("appeal", "to free Sané Diop"),
    "diop": ("victim", "Sané Diop"),
    "journalists": ("victim", "other journalists"),
    "police": ("authority", "The police"),
}


@pytest.fixture
def links_path(tmp_path: Path) -> Path:
    p = new_project("Links")
    p.add_document(Document("doc0001", TEXT, DocumentMeta(headline="Arcs")))
    p.ensure_layer("tester")
    ids = {}
    for name, (tag, phrase) in SPANS.items():
        cmd = AddAnnotation("tester", "doc0001", tag, [span(phrase)])
        cmd.do(p)
        ids[name] = cmd.ann_id
    for link_type, src, tgt, link_id in (
        ("addressee", "appeal", "ministry", "r1"),  # same line, target before source
        ("on_behalf_of", "appeal", "diop", "r2"),  # nested spans
        ("responsible_for", "police", "journalists", "r3"),  # another paragraph
    ):
        AddLink("tester", "doc0001", link_type, ids[src], ids[tgt], link_id).do(p)
    # over "The police": tester's victim on "police" and a colleague's authority as well
    AddAnnotation("tester", "doc0001", "victim", [span("police")]).do(p)
    p.ensure_layer("alice")
    AddAnnotation("alice", "doc0001", "authority", [span("The police")]).do(p)
    path = tmp_path / "links.xml"
    save_project(p, path)
    return path


def ann_id(window, name: str) -> str:  # type: ignore[no-untyped-def]
    da = window.session.project.layers["tester"].docs["doc0001"]
    tag, phrase = SPANS[name]
    s, _e = span(phrase)
    return next(a.id for a in da.annotations.values() if a.start == s and a.tag == tag)


def links(window) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    da = window.session.project.layers["tester"].docs["doc0001"]
    return {(lk.type, lk.source, lk.target) for lk in da.links.values()}


def caret_rect(view, cp: int) -> QRect:  # type: ignore[no-untyped-def]
    c = QTextCursor(view.document())
    c.setPosition(view.offsets.to_utf16(cp))
    return view.cursorRect(c)


def point_in(view, phrase: str, chars_in: int = 2) -> QPoint:  # type: ignore[no-untyped-def]
    r = caret_rect(view, span(phrase)[0] + chars_in)
    return QPoint(r.left() + 1, r.center().y())


def arcs_of(view, link_id: str) -> list[Arc]:  # type: ignore[no-untyped-def]
    view.viewport().repaint()
    return [a for a in view.link_arcs.painted if a.key == ("tester", link_id)]


@pytest.fixture
def window(make_window, links_path):  # type: ignore[no-untyped-def]
    w = make_window(links_path)
    w.resize(1920, 1080)  # with the panels beside it, the text's first line holds its links
    QApplication.processEvents()
    w.text_view.viewport().repaint()
    return w


def colour_pixels(image: QImage, rect: QRectF, colour: QColor, tolerance: int = 60) -> int:
    """Pixels within ``rect`` close to ``colour`` (antialiased thin lines blend a little)."""
    n = 0
    r = rect.toAlignedRect().intersected(image.rect())
    for y in range(r.top(), r.bottom() + 1):
        for x in range(r.left(), r.right() + 1):
            c = image.pixelColor(x, y)
            d = (
                abs(c.red() - colour.red())
                + abs(c.green() - colour.green())
                + abs(c.blue() - colour.blue())
            )
            if d <= tolerance:
                n += 1
    return n


def test_an_arc_joins_the_rectangles_of_its_two_spans(window) -> None:  # type: ignore[no-untyped-def]
    view = window.text_view
    (arc,) = arcs_of(view, "r1")
    appeal_s, appeal_e = span(SPANS["appeal"][1])
    ministry_s, ministry_e = span(SPANS["ministry"][1])
    # the rectangles are the spans' own: they start and end where the caret stands there
    for rect, (s, e) in (
        (arc.source, (appeal_s, appeal_e)),
        (arc.target, (ministry_s, ministry_e)),
    ):
        assert rect is not None
        start, end = caret_rect(view, s), caret_rect(view, e)
        assert abs(rect.left() - start.center().x()) <= 2
        assert abs(rect.right() - end.center().x()) <= 2
        assert abs(rect.top() - start.top()) <= 2
        assert abs(rect.bottom() - start.bottom()) <= 3
    assert arc.label == "Addressed to"
    # it rises from the appeal, runs above the line and lands on the ministry with an arrow
    path = arc.path
    rise = path.elementAt(0)
    assert abs(rise.x - arc.source.center().x()) <= 1
    assert abs(rise.y - arc.source.top()) <= 1
    assert arc.arrow is not None
    tip = arc.arrow.at(0)
    assert abs(tip.x() - arc.target.center().x()) <= 1
    assert abs(tip.y() - arc.target.top()) <= 1
    top = path.boundingRect().top()
    assert top < arc.source.top() - 3
    # and it is painted: the appeal's colour between the two spans, above the line
    colour = view.tag_color("appeal")
    band = QRectF(
        QPointF(arc.target.center().x() + 6, top - 2),
        QPointF(arc.source.center().x() - 6, top + 3),
    )
    image = view.viewport().grab().toImage()
    # the line runs on both sides of its label (the label's white ground cuts it)
    for part in (
        QRectF(QPointF(band.left(), band.top()), QPointF(arc.label_rect.left(), band.bottom())),
        QRectF(QPointF(arc.label_rect.right(), band.top()), QPointF(band.right(), band.bottom())),
    ):
        assert part.width() > 10
        assert colour_pixels(image, part, colour) >= part.width() * 0.8


def test_the_view_toggle_hides_links_by_its_key_and_is_remembered(window, make_window, qtbot):  # type: ignore[no-untyped-def]
    view = window.text_view
    (arc,) = arcs_of(view, "r1")
    top = arc.path.boundingRect().top()
    band = QRectF(
        QPointF(arc.target.center().x() + 6, top - 2),
        QPointF(arc.source.center().x() - 6, top + 3),
    )
    police = view.document().findBlock(view.offsets.to_utf16(span("The police")[0]))
    plain = police.previous()  # the blank line between the paragraphs: no arc lands there
    assert police.layout().lineAt(0).y() == view.spaced_layout.room > 10
    assert plain.layout().lineAt(0).y() == 0
    qtbot.keyClick(view, Qt.Key.Key_J, CTRL | SHIFT)
    assert not window.ui_actions.show_links.isChecked()
    view.viewport().repaint()
    assert view.link_arcs.painted == []
    image = view.viewport().grab().toImage()
    assert colour_pixels(image, band, view.tag_color("appeal")) == 0
    # the lines close up again: no room above them for arcs
    assert view.spaced_layout.anchors is None
    assert police.layout().lineAt(0).y() == 0
    assert settings.show_links() is False
    other = make_window(window.session.path)
    assert not other.ui_actions.show_links.isChecked()
    assert not other.text_view.link_arcs.shown
    qtbot.keyClick(other.text_view, Qt.Key.Key_J, CTRL | SHIFT)
    assert settings.show_links() is True


def test_ends_in_different_paragraphs_get_half_arcs_towards_each_other(window) -> None:  # type: ignore[no-untyped-def]
    view = window.text_view
    halves = arcs_of(view, "r3")
    assert len(halves) == 2
    by_end = {("source" if a.arrow is None else "target"): a for a in halves}
    width = view.viewport().width()
    # the source (the police, below) goes to the left edge: its target is further up
    src = by_end["source"].path.boundingRect()
    assert src.left() <= 6 and by_end["source"].label == "Responsible for"
    police = caret_rect(view, span("The police")[0])
    assert abs(by_end["source"].source.left() - police.center().x()) <= 2
    # the target (the journalists) is reached from the right edge, with the arrow
    tgt = by_end["target"].path.boundingRect()
    assert tgt.right() >= width - 6
    journalists = caret_rect(view, span("other journalists")[0])
    assert abs(by_end["target"].target.left() - journalists.center().x()) <= 2


def test_hovering_a_link_frames_both_its_ends(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.text_view
    (arc,) = arcs_of(view, "r1")
    before = view.viewport().grab().toImage()
    qtbot.mouseMove(view.viewport(), arc.label_rect.center().toPoint())
    assert view.link_arcs.hovered == {("tester", "r1")}
    assert view.link_arcs.ends_of(("tester", "r1")) == [arc.source, arc.target]
    view.viewport().repaint()
    after = view.viewport().grab().toImage()

    def changed_round(rect: QRectF) -> int:
        ring = rect.adjusted(-3, -2, 3, 2).toAlignedRect()
        return sum(
            before.pixel(x, y) != after.pixel(x, y)
            for x in range(ring.left(), ring.right() + 1)
            for y in (ring.top(), ring.top() + 1, ring.bottom() - 1, ring.bottom())
        )

    assert changed_round(arc.source) > 10
    assert changed_round(arc.target) > 10
    # and says in words what it joins
    tip = view.link_arcs.tooltip_at(arc.label_rect.center().toPoint())
    assert tip == (
        "Addressed to: Appeal “to free Sané Diop” → "
        "Responsible authority “the Ministry of Interior”"
    )
    # an annotation with links lights up its links too; plain text lights up nothing
    qtbot.mouseMove(view.viewport(), point_in(view, "the Ministry of Interior", 6))
    assert ("tester", "r1") in view.link_arcs.hovered
    qtbot.mouseMove(view.viewport(), point_in(view, "Amnesty International", 3))
    assert view.link_arcs.hovered == frozenset()


def drag(qtbot, view, start: QPoint, end: QPoint) -> None:  # type: ignore[no-untyped-def]
    vp = view.viewport()
    qtbot.mousePress(vp, LEFT, CTRL, start)
    qtbot.mouseMove(vp, QPoint((start.x() + end.x()) // 2, start.y() - 10))
    qtbot.mouseMove(vp, end)
    qtbot.mouseRelease(vp, LEFT, CTRL, end)


def test_ctrl_drag_makes_the_one_allowed_link_as_an_undo_step(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.text_view
    before = links(window)
    # from the journalists (a victim) to the ministry: only "responsible for" fits, backwards
    drag(qtbot, view, point_in(view, "other journalists"), point_in(view, "Ministry"))
    made = ("responsible_for", ann_id(window, "ministry"), ann_id(window, "journalists"))
    assert links(window) == before | {made}
    assert window.session.undo_stack.undoText().startswith("Link")
    assert "Linked: Responsible for" in window.statusBar().currentMessage()
    assert not view.textCursor().hasSelection()  # the drag selected no text
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert links(window) == before
    # a drag between two spans no link type joins makes nothing and says so
    drag(qtbot, view, point_in(view, "the Ministry of Interior"), point_in(view, "The police"))
    assert links(window) == before
    assert "No link" in window.statusBar().currentMessage()


def test_escape_during_a_ctrl_drag_draws_no_link(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.text_view
    before = links(window)
    vp = view.viewport()
    start, end = point_in(view, "other journalists"), point_in(view, "Ministry")
    qtbot.mousePress(vp, LEFT, CTRL, start)
    qtbot.mouseMove(vp, end)
    assert view.link_arcs.drag_from
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not view.link_arcs.drag_from
    qtbot.mouseRelease(vp, LEFT, CTRL, end)
    assert links(window) == before


def test_ctrl_drag_offers_a_menu_when_several_links_fit(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.text_view
    before = links(window)
    seen: list[list[str]] = []

    def choose_second() -> None:
        menu = QApplication.activePopupWidget()
        if menu is None:
            QTimer.singleShot(20, choose_second)
            return
        seen.append([a.text() for a in menu.actions()])
        qtbot.keyClick(menu, Qt.Key.Key_Down)
        qtbot.keyClick(menu, Qt.Key.Key_Down)
        qtbot.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(20, choose_second)
    # "Sané Diop" is an appeal's and a victim's; the police an authority: the appeal can be
    # addressed to it, or it can be responsible for the victim
    drag(qtbot, view, point_in(view, "Sané Diop"), point_in(view, "The police"))
    assert len(seen) == 1 and len(seen[0]) == 2
    assert seen[0][0].startswith("Addressed to") and seen[0][1].startswith("Responsible for")
    made = ("responsible_for", ann_id(window, "police"), ann_id(window, "diop"))
    assert links(window) == before | {made}


def test_tagging_elsewhere_keeps_the_link_index(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A new annotation has no links: the per-block link index is not rebuilt for it."""
    view = window.text_view
    view.viewport().repaint()
    index = view.link_arcs.index()
    assert index is not None and index.by_block
    s, e = span("arrested")
    view.set_selection_cp(s, e)
    qtbot.keyClick(view, Qt.Key.Key_2)
    view.viewport().repaint()
    assert view.link_arcs.index() is index
    # a link edit does rebuild it
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    cmd = AddLink(
        "tester", "doc0001", "addressee", ann_id(window, "appeal"), ann_id(window, "police")
    )
    view.session.execute(cmd)
    assert view.link_arcs.index() is not index
    assert cmd.link_id is not None and len(arcs_of(view, cmd.link_id)) == 2


def test_the_link_index_is_rebuilt_only_for_edits_that_touch_links(links_path: Path) -> None:
    from annotator.formats.project_xml import load_project

    project = load_project(links_path)[0]
    da = project.layers["tester"].docs["doc0001"]
    index = LinkIndex([0, TEXT.index("\n\n") + 1, TEXT.index("\n\n") + 2], {"tester": da})
    assert sorted(index.by_block) == [0, 2]
    assert len(index.in_blocks([0, 2])) == 3  # the cross-paragraph link once
    free = "a-new-one"
    end = next(iter(index.ends["tester"]))
    assert not index.touches(Change("doc0001", "tester", ((0, 3),), ann_ids=(free,)))
    assert not index.touches(Change("doc0001"))  # the document's status
    assert index.touches(Change("doc0001", "tester", ((0, 3),), ann_ids=(end,)))
    # a link between two annotations that had none before
    assert index.touches(Change("doc0001", "tester", (), ann_ids=(free, "b"), link_ids=("r9",)))
    assert index.touches(Change("doc0001", "tester"))  # not said what changed


def test_pick_in_text_takes_the_allowed_target_over_a_colleagues_overlap(
    make_window, links_path, qtbot
) -> None:  # type: ignore[no-untyped-def]
    w = make_window(links_path)
    view, session = w.text_view, w.session
    qtbot.keyClick(view, Qt.Key.Key_L, CTRL | SHIFT)  # show colleagues' layers
    assert "alice" in session.visible_layers
    on_police = point_in(view, "police", 2)
    layers = {p.layer for p in view.pieces_at_point(on_police)}
    assert layers == {"tester", "alice"} and len(view.pieces_at_point(on_police)) == 3
    qtbot.mouseClick(view.viewport(), LEFT, NONE, point_in(view, "to free"))
    assert session.selected == ("tester", ann_id(w, "appeal"))
    insp = w.docks.inspector
    combo = insp.link_type_combo
    combo.setCurrentIndex(combo.findText("Addressed to", Qt.MatchFlag.MatchContains))
    qtbot.mouseClick(insp.pick_button, LEFT)
    assert session.picking
    before = links(w)
    # under the mouse: tester's victim (innermost), tester's authority, alice's authority
    qtbot.mouseClick(view.viewport(), LEFT, NONE, on_police)
    assert links(w) == before | {("addressee", ann_id(w, "appeal"), ann_id(w, "police"))}
    assert not session.picking
