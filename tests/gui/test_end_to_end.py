"""The issue's end-to-end story, done the way a campaigner does it, on the real MainWindow.

Open a project, go to a release through the Documents panel, select a phrase in the
text and press the appeal key, fill its attributes in the Inspector, tag an authority,
link the appeal to it by picking it in the text, undo everything step by step, redo
it, save with Ctrl+S, close, reopen in a new window and compare. Nothing here sets
session state directly: every step goes through widgets with mouse and key events.
The only "programmatic" step is placing the text selection with a QTextCursor on the
real view (what a mouse drag does), in UTF-16 units computed here independently of
the app's own conversion.

The second test runs the same story on a release with an emoji and a CJK Extension B
character before the tagged phrases, where code points (model) and UTF-16 units (Qt)
differ, and checks what the view paints for the block.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox

from annotator.model import Document, DocumentMeta, Fragment

pytestmark = pytest.mark.gui

USER = "tester"  # the name the GUI fixtures give the window
APPEAL = "call on all sides in the current political crisis to exercise restraint"
AUTHORITY = "Security forces"
CTRL = Qt.KeyboardModifier.ControlModifier
LEFT = Qt.MouseButton.LeftButton


# --- what the user sees and does ------------------------------------------------------


def open_at_first_start_size(qtbot: Any, make_window: Any, path: Path) -> Any:
    """The real window with its panels, at the size it has on a first start (1440x900)."""
    window = make_window(path)
    window.resize(1440, 900)
    qtbot.waitUntil(lambda: window.width() == 1440, timeout=2000)
    return window


def u16(text: str, cp: int) -> int:
    """UTF-16 position of code point ``cp``: counted here, not with the app's OffsetMap."""
    return len(text[:cp].encode("utf-16-le")) // 2


def open_release_from_documents_panel(qtbot: Any, window: Any, headline_start: str) -> str:
    """Click the release's row in the Documents panel; return the document id now shown."""
    dock = window.docks.documents
    proxy = dock.proxy
    rows = [
        r
        for r in range(proxy.rowCount())
        if str(proxy.index(r, 0).data(Qt.ItemDataRole.DisplayRole)).startswith(headline_start)
    ]
    assert len(rows) == 1, f"one row for {headline_start!r} in the Documents panel"
    rect = dock.table.visualRect(proxy.index(rows[0], 0))
    assert dock.table.viewport().rect().contains(rect.center())
    qtbot.mouseClick(dock.table.viewport(), LEFT, pos=rect.center())
    doc_id = window.session.current_doc_id
    doc = window.session.project.documents[doc_id]
    assert doc.meta.headline.startswith(headline_start)
    assert window.text_view.toPlainText() == doc.text  # the view shows it
    return str(doc_id)


def select_phrase(window: Any, phrase: str) -> tuple[int, int]:
    """Select ``phrase`` in the text view (as a mouse drag would); return its code points."""
    view = window.text_view
    text = window.session.project.documents[window.session.current_doc_id].text
    assert text.count(phrase) == 1
    start = text.index(phrase)
    end = start + len(phrase)
    cursor = QTextCursor(view.document())
    cursor.setPosition(u16(text, start))
    cursor.setPosition(u16(text, end), QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == phrase  # the UTF-16 positions above are right
    view.setTextCursor(cursor)
    view.setFocus()
    return start, end


def press_tag_key(qtbot: Any, window: Any, tag: str) -> None:
    shortcut = window.session.project.tagset.tag(tag).shortcut
    qtbot.keyClick(window.text_view, getattr(Qt.Key, f"Key_{shortcut}"))


def point_of(window: Any, cp: int) -> QPoint:
    """Viewport point over code point ``cp`` (scrolled into view first)."""
    view = window.text_view
    text = view.text
    cursor = QTextCursor(view.document())
    cursor.setPosition(u16(text, cp))
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    rect = view.cursorRect(cursor)
    return QPoint(rect.left() + 3, rect.center().y())


def click_text(qtbot: Any, window: Any, cp: int) -> None:
    qtbot.mouseClick(window.text_view.viewport(), LEFT, pos=point_of(window, cp))


def inspector_checkbox(qtbot: Any, window: Any, label: str) -> QCheckBox:
    insp = window.docks.inspector

    def boxes() -> list[QCheckBox]:
        return [b for b in insp.findChildren(QCheckBox) if b.isVisible() and b.text() == label]

    # widgets added to a shown layout appear on the next turn of the event loop
    qtbot.waitUntil(lambda: len(boxes()) == 1, timeout=3000)
    return boxes()[0]


def inspector_combo(qtbot: Any, window: Any, accessible_name: str) -> QComboBox:
    insp = window.docks.inspector

    def combos() -> list[QComboBox]:
        return [
            c
            for c in insp.findChildren(QComboBox)
            if c.isVisible() and c.accessibleName() == accessible_name
        ]

    qtbot.waitUntil(lambda: len(combos()) == 1, timeout=3000)
    return combos()[0]


def shown_in_inspector(window: Any, widget: Any) -> bool:
    """Whether ``widget`` is wholly inside the visible part of the Inspector's scroll area."""
    viewport = window.docks.inspector.widget().viewport()
    area = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
    return bool(widget.isVisible() and viewport.rect().contains(area))


def scroll_to(window: Any, widget: Any) -> None:
    """Scroll the Inspector as a user would: only when the widget is out of sight."""
    if not shown_in_inspector(window, widget):
        window.docks.inspector.widget().ensureWidgetVisible(widget)
    assert shown_in_inspector(window, widget)


def click_checkbox(qtbot: Any, window: Any, box: QCheckBox) -> None:
    scroll_to(window, box)
    # on the box itself, not the middle of a cell that may be wider than the label
    qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))


def choose_in_combo(qtbot: Any, window: Any, combo: QComboBox, item_text: str) -> None:
    """Open the drop-down list and click the item whose text starts with ``item_text``."""
    scroll_to(window, combo)
    qtbot.mouseClick(combo, LEFT)  # opens the popup
    popup = combo.view()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    # the list ignores a release that comes sooner than a double click after it opened
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    matches = [i for i in range(combo.count()) if combo.itemText(i).startswith(item_text)]
    assert len(matches) == 1, f"one '{item_text}' item in {combo.accessibleName()}"
    rect = popup.visualRect(popup.model().index(matches[0], combo.modelColumn()))
    qtbot.mouseClick(popup.viewport(), LEFT, pos=rect.center())
    qtbot.waitUntil(lambda: not popup.isVisible(), timeout=3000)
    assert combo.currentIndex() == matches[0]


# --- what the model holds ---------------------------------------------------------------


def own_annotations(window: Any, doc_id: str) -> Any:
    layer = window.session.project.layers.get(USER)
    return layer.docs.get(doc_id) if layer is not None else None


def snapshot(window: Any, doc_id: str) -> tuple[Any, ...]:
    """The user's status on the release, their annotations (tag, fragments, attributes)
    and links there, and what the text view paints for their layer (code points)."""
    project = window.session.project
    da = own_annotations(window, doc_id)
    anns = {}
    links = set()
    if da is not None:
        anns = {
            a.id: (a.tag, a.fragments, tuple(sorted(a.attributes.items())))
            for a in da.annotations.values()
        }
        links = {(lk.type, lk.source, lk.target) for lk in da.links.values()}
    index = window.text_view.index
    painted = {
        (p.ann.id, p.start, p.end)
        for b in range(index.block_count)
        for p in index.pieces(b)
        if p.own
    }
    model_pieces = {(i, f.start, f.end) for i, (_t, frags, _a) in anns.items() for f in frags}
    assert painted == model_pieces, "the text view paints what the model holds"
    return (project.documents[doc_id].status_of(USER).value, anns, links)


def painted_background(window: Any, cp_start: int) -> list[tuple[int, int]]:
    """(start, length) in UTF-16 units, relative to the block, of every background range
    the highlighter set in the block holding code point ``cp_start``."""
    view = window.text_view
    block = view.document().findBlock(u16(view.text, cp_start))
    return [
        (r.start, r.length)
        for r in block.layout().formats()
        if r.format.background().style() != Qt.BrushStyle.NoBrush
    ]


# --- the story ---------------------------------------------------------------------------


def annotate(qtbot: Any, window: Any, headline_start: str) -> tuple[str, list[Any], str, str]:
    """Do the whole annotation story; return doc id, the state after each step, ids."""
    doc_id = open_release_from_documents_panel(qtbot, window, headline_start)
    text = window.session.project.documents[doc_id].text
    insp = window.docks.inspector
    states = [snapshot(window, doc_id)]
    assert states[0][1] == {} and states[0][2] == set()

    # 1. select the appeal and press its key
    start, end = select_phrase(window, APPEAL)
    assert window.text_view.selection_cp() == (start, end)
    press_tag_key(qtbot, window, "appeal")
    da = own_annotations(window, doc_id)
    assert da is not None and len(da.annotations) == 1
    appeal = next(iter(da.annotations.values()))
    assert appeal.tag == "appeal"
    assert appeal.fragments == (Fragment(start, end),)  # exact code points
    assert appeal.covered_text(text) == APPEAL
    assert window.session.selected == (USER, appeal.id)
    states.append(snapshot(window, doc_id))
    assert states[1][0] == "in-progress"  # the first tag starts the release

    # 2. its action, 3. its kind, through the Inspector's widgets
    click_checkbox(qtbot, window, inspector_checkbox(qtbot, window, "Restraint"))
    assert own_annotations(window, doc_id).annotations[appeal.id].attributes == {
        "action": ("restraint",)
    }
    states.append(snapshot(window, doc_id))
    choose_in_combo(qtbot, window, inspector_combo(qtbot, window, "Kind of appeal"), "Direct call")
    assert own_annotations(window, doc_id).annotations[appeal.id].attributes == {
        "action": ("restraint",),
        "kind": "direct-call",
    }
    states.append(snapshot(window, doc_id))

    # 4. the authority
    a_start, a_end = select_phrase(window, AUTHORITY)
    press_tag_key(qtbot, window, "authority")
    anns = own_annotations(window, doc_id).annotations
    (authority,) = [a for a in anns.values() if a.id != appeal.id]
    assert (authority.tag, authority.fragments) == ("authority", (Fragment(a_start, a_end),))
    states.append(snapshot(window, doc_id))

    # 5. back to the appeal (a click on it in the text), then link it by picking the
    #    authority in the text
    click_text(qtbot, window, (start + end) // 2)
    assert window.session.selected == (USER, appeal.id)
    choose_in_combo(
        qtbot, window, inspector_combo(qtbot, window, "Link type to add"), "→ Addressed to"
    )
    scroll_to(window, insp.pick_button)
    qtbot.mouseClick(insp.pick_button, LEFT)
    assert window.session.picking
    # the "click the annotation to link to" hint is on screen, not below the panel's fold
    qtbot.waitUntil(lambda: shown_in_inspector(window, insp.pick_hint), timeout=2000)
    click_text(qtbot, window, a_start + 2)
    assert not window.session.picking
    assert window.session.selected == (USER, appeal.id)  # the click went to the pick
    states.append(snapshot(window, doc_id))
    assert states[5][2] == {("addressee", appeal.id, authority.id)}
    assert insp.link_rows and "Security forces" in next(iter(insp.link_rows.values()))[0].text()
    # five steps, each a different state
    assert len({repr(s) for s in states}) == 6
    return doc_id, states, appeal.id, authority.id


def undo_redo_all(qtbot: Any, window: Any, doc_id: str, states: list[Any]) -> None:
    view = window.text_view
    for expected in reversed(states[:-1]):
        qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
        assert snapshot(window, doc_id) == expected
    assert not window.session.undo_stack.canUndo()
    for expected in states[1:]:
        qtbot.keyClick(view, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
        assert snapshot(window, doc_id) == expected
    assert not window.session.undo_stack.canRedo()


def layer_contents(window: Any) -> dict[str, Any]:
    """Everything in the user's layer: whole annotations (all fields) and links, per doc."""
    layer = window.session.project.layers[USER]
    return {
        doc_id: (dict(da.annotations), dict(da.links))
        for doc_id, da in layer.docs.items()
        if da.annotations or da.links
    }


def save_close_reopen(qtbot: Any, window: Any, make_window: Any, path: Path) -> Any:
    from annotator.formats.project_xml import validate_file

    before_bytes = path.read_bytes()
    before = layer_contents(window)
    others = {n: lay for n, lay in window.session.project.layers.items() if n != USER}
    qtbot.keyClick(window.text_view, Qt.Key.Key_S, CTRL)
    assert not window.session.modified
    assert path.read_bytes() != before_bytes
    assert path.with_name(path.name + ".bak").read_bytes() == before_bytes
    assert validate_file(path) == []
    assert window.close()  # saved: closes without asking (any dialog fails the test)
    assert not window.isVisible()

    again = make_window(path)
    assert again is not window
    assert layer_contents(again) == before
    assert {n: lay for n, lay in again.session.project.layers.items() if n != USER} == others
    return again


# --- the tests ---------------------------------------------------------------------------


def test_campaigner_tags_links_undoes_saves_and_reopens_the_sample(
    qtbot: Any, make_window: Any, repo_root: Path, tmp_path: Path
) -> None:
    path = tmp_path / "sample.xml"
    shutil.copyfile(repo_root / "projects" / "sample.xml", path)
    window = open_at_first_start_size(qtbot, make_window, path)
    assert window.session.current_doc_id != ""  # opens on the first release (Korea)
    assert not window.session.current_doc_id.endswith("-2")

    doc_id, states, appeal_id, authority_id = annotate(qtbot, window, "Cambodia")
    undo_redo_all(qtbot, window, doc_id, states)
    again = save_close_reopen(qtbot, window, make_window, path)
    da = own_annotations(again, doc_id)
    assert da.annotations[appeal_id].attributes == {
        "action": ("restraint",),
        "kind": "direct-call",
    }
    assert {(lk.type, lk.source, lk.target) for lk in da.links.values()} == {
        ("addressee", appeal_id, authority_id)
    }


ASTRAL_TEXT = (
    "Cambodia 😀: call for restraint\n"
    "\n"
    "Protesters 𠀀 and 😀😀 monks were hurt. We 𠀁 " + APPEAL + ", 😀 said the organization.\n"
    "\n"
    "𠀀 " + AUTHORITY + " 😀 beat a group of monks.\n"
)


def test_same_story_with_emoji_and_cjk_extension_b_before_the_phrases(
    qtbot: Any, make_window: Any, tmp_path: Path
) -> None:
    from annotator.formats.project_xml import new_project, save_project

    project = new_project("Astral")
    project.add_document(
        Document("doc0001", "Korea: plain text first.\n", DocumentMeta(headline="Korea: plain"))
    )
    project.add_document(
        Document("doc0002", ASTRAL_TEXT, DocumentMeta(headline="Cambodia 😀: call for restraint"))
    )
    path = tmp_path / "astral.xml"
    save_project(project, path)
    window = open_at_first_start_size(qtbot, make_window, path)

    doc_id, states, appeal_id, _authority_id = annotate(qtbot, window, "Cambodia")
    assert doc_id == "doc0002"
    start = ASTRAL_TEXT.index(APPEAL)
    end = start + len(APPEAL)
    a_start = ASTRAL_TEXT.index(AUTHORITY)
    # code points and UTF-16 units really differ here
    assert u16(ASTRAL_TEXT, start) - start == 5 and u16(ASTRAL_TEXT, a_start) - a_start == 7

    def check_paint(w: Any) -> None:
        ann = own_annotations(w, doc_id).annotations[appeal_id]
        assert ann.fragments == (Fragment(start, end),)
        view = w.text_view
        block = view.document().findBlock(u16(ASTRAL_TEXT, start))
        base = block.position()
        assert base == u16(ASTRAL_TEXT, ASTRAL_TEXT.index("Protesters"))
        # the tint covers exactly the phrase's UTF-16 units (4 astral characters before it
        # in this block, so a code-point offset would be 4 units short)
        expected = (u16(ASTRAL_TEXT, start) - base, u16(ASTRAL_TEXT, end) - u16(ASTRAL_TEXT, start))
        assert painted_background(w, start) == [expected]
        units = block.text().encode("utf-16-le")  # Python gives code points: slice units
        s16, n16 = expected
        assert units[2 * s16 : 2 * (s16 + n16)].decode("utf-16-le") == APPEAL
        # the index the underlines are drawn from holds the code points
        pieces = view.index.pieces(block.blockNumber())
        assert [(p.ann.id, p.start, p.end) for p in pieces if p.own] == [(appeal_id, start, end)]
        a_block = view.document().findBlock(u16(ASTRAL_TEXT, a_start))
        a_base = a_block.position()
        a_u16 = u16(ASTRAL_TEXT, a_start) - a_base
        assert painted_background(w, a_start) == [(a_u16, len(AUTHORITY))]
        assert a_u16 == 3  # "𠀀 " is three units

    check_paint(window)
    undo_redo_all(qtbot, window, doc_id, states)
    check_paint(window)
    again = save_close_reopen(qtbot, window, make_window, path)
    open_release_from_documents_panel(qtbot, again, "Cambodia")
    check_paint(again)
    assert again.session.project.documents[doc_id].text == ASTRAL_TEXT
