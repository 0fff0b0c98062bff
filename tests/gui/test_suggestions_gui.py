"""Suggestions in the window: shown in the background, walked with Tab, taken with Enter,
dismissed with Backspace, all of a kind in one undo step, each suggester switched off."""

from __future__ import annotations

import html
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip

from annotator.assist.rejections import load_rejections, sidecar_path
from annotator.model.suggested import SUGGESTED_BY, SUGGESTION_REASON
from annotator.ui import keymap
from annotator.ui.suggestions import Suggestions, off_setting

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def sample(tmp_path: Path, repo_root: Path) -> Path:
    """The shipped sample project (the seed releases), opened by a new annotator."""
    path = tmp_path / "sample.xml"
    shutil.copy(repo_root / "projects" / "sample.xml", path)
    return path


def press(qtbot: Any, window: Any, key: Qt.Key, mods: Any = Qt.KeyboardModifier.NoModifier) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.text_view.setFocus()
    qtbot.keyClick(window.text_view, key, mods)


def settled(qtbot: Any, sug: Suggestions) -> None:
    qtbot.waitUntil(lambda: not sug.busy, timeout=20000)


def show(qtbot: Any, window: Any) -> Suggestions:
    sug: Suggestions = window.suggestions
    assert not sug.shown  # off until the user turns them on
    press(qtbot, window, Qt.Key.Key_H, CTRL | SHIFT)
    assert sug.shown
    settled(qtbot, sug)
    return sug


def own(window: Any) -> dict[str, Any]:
    s = window.session
    layer = s.project.layers.get(s.layer)
    da = layer.docs.get(s.current_doc_id) if layer else None
    return dict(da.annotations) if da else {}


def keys(sug: Suggestions) -> list[str]:
    return [s.key for s in sug.items]


def test_tab_walks_suggestions_and_enter_accepts_one_step(make_window, sample, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample)
    sug = show(qtbot, window)
    doc_id = window.session.current_doc_id
    assert len(sug.items) >= 5
    assert all(s.doc_id == doc_id for s in sug.items)
    assert {s.suggester for s in sug.items} >= {"appeal-cues", "victim-lexicon"}
    window.text_view.set_selection_cp(0, 0)
    press(qtbot, window, Qt.Key.Key_Tab)
    first = sug.current()
    assert first is not None and first.key == sug.items[0].key
    press(qtbot, window, Qt.Key.Key_Tab)
    second = sug.current()
    assert second is not None and second.key == sug.items[1].key
    assert window.text_view.cursor_cp() == second.start  # scrolled to it
    press(qtbot, window, Qt.Key.Key_Backtab, SHIFT)
    assert sug.current() == first
    assert own(window) == {}
    stack = window.session.undo_stack
    before = stack.count()

    press(qtbot, window, Qt.Key.Key_Return)
    (ann,) = own(window).values()
    assert (ann.tag, ann.fragments) == (first.tag, first.fragments)
    assert ann.provenance[SUGGESTED_BY] == first.suggester
    assert ann.provenance[SUGGESTION_REASON] == first.reason
    assert ann.created_by == "tester"
    assert stack.count() == before + 1
    assert first.key not in keys(sug)
    assert sug.current() is not None  # the next one is current: Enter again walks on
    settled(qtbot, sug)
    assert first.key not in keys(sug)  # the recomputed list agrees

    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert own(window) == {}
    settled(qtbot, sug)
    assert first.key in keys(sug)  # offered again once the annotation is undone


def test_backspace_rejects_and_the_place_is_not_offered_again(make_window, sample, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample)
    sug = show(qtbot, window)
    window.text_view.set_selection_cp(0, 0)
    press(qtbot, window, Qt.Key.Key_Tab)
    press(qtbot, window, Qt.Key.Key_Tab)
    gone = sug.current()
    assert gone is not None
    press(qtbot, window, Qt.Key.Key_Backspace)
    assert gone.key not in keys(sug)
    assert own(window) == {}  # a rejection is no edit
    settled(qtbot, sug)
    assert gone.key not in keys(sug)
    assert sug.items  # the others stay
    # kept beside the project, for this annotator
    assert sidecar_path(sample).exists()
    (rej,) = load_rejections(sample, "tester").items
    assert (rej.doc, rej.tag) == (gone.doc_id, gone.tag)
    # a window opened on the project later does not offer it either
    window.session.undo_stack.setClean()
    other = make_window(sample)
    later = other.suggestions
    assert later.shown  # the setting is remembered
    settled(qtbot, later)
    assert later.items and gone.key not in keys(later)


def test_accept_all_of_a_kind_is_one_undo_step(make_window, sample, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample)
    sug = show(qtbot, window)
    window.text_view.set_selection_cp(0, 0)
    victims = [s for s in sug.items if s.tag == "victim"]
    assert len(victims) >= 3
    while (cur := sug.current()) is None or cur.tag != "victim":
        press(qtbot, window, Qt.Key.Key_Tab)
    stack = window.session.undo_stack
    before = stack.count()
    press(qtbot, window, Qt.Key.Key_Return, CTRL)
    accepted = [a for a in own(window).values() if a.tag == "victim"]
    assert sorted(a.fragments for a in accepted) == sorted(s.fragments for s in victims)
    assert {a.provenance[SUGGESTED_BY] for a in accepted} == {s.suggester for s in victims}
    assert len(own(window)) == len(victims)  # nothing of another tag
    assert stack.count() == before + 1
    assert not [s for s in sug.items if s.tag == "victim"]
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert own(window) == {}
    settled(qtbot, sug)
    assert len([s for s in sug.items if s.tag == "victim"]) == len(victims)


def test_a_suggester_switched_off_shows_nothing_remembered(make_window, sample, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample)
    sug = show(qtbot, window)
    assert any(s.suggester == "victim-lexicon" for s in sug.items)
    toggle = sug.actions["suggester.victim-lexicon"]
    menu_texts = [a.text() for a in window.menus["tools"].actions()]
    assert "&Suggestions" in menu_texts
    assert toggle.isChecked()
    toggle.trigger()
    settled(qtbot, sug)
    assert sug.items
    assert not any(s.suggester == "victim-lexicon" for s in sug.items)
    assert off_setting() == {"victim-lexicon"}
    window.session.undo_stack.setClean()
    other = make_window(sample)
    assert not other.suggestions.actions["suggester.victim-lexicon"].isChecked()
    settled(qtbot, other.suggestions)
    assert not any(s.suggester == "victim-lexicon" for s in other.suggestions.items)


def test_the_keys_are_live_only_while_suggestions_are_shown(make_window, sample, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample)
    sug: Suggestions = window.suggestions
    for action_id in ("suggest.next", "suggest.accept", "suggest.reject", "suggest.accept_all"):
        assert not sug.actions[action_id].isEnabled(), action_id
    press(qtbot, window, Qt.Key.Key_Return)
    press(qtbot, window, Qt.Key.Key_Backspace)
    assert own(window) == {}
    sug = show(qtbot, window)
    assert sug.actions["suggest.next"].isEnabled()
    # hidden again: nothing drawn, nothing to act on, Tab is the focus key again
    press(qtbot, window, Qt.Key.Key_H, CTRL | SHIFT)
    assert not sug.shown and sug.items == []
    assert not sug.actions["suggest.next"].isEnabled()
    for action_id in ("suggest.accept", "suggest.reject", "suggest.next", "suggest.previous"):
        assert keymap.KEYMAP[action_id].context is keymap.Context.TEXT


def test_a_result_for_a_release_gone_is_dropped(make_window, sample, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample)
    sug: Suggestions = window.suggestions
    s = window.session
    first, second = list(s.project.documents)[:2]
    wrong: list[str] = []
    sug.changed.connect(
        lambda: wrong.extend(x.doc_id for x in sug.items if x.doc_id != s.current_doc_id)
    )
    # the first release's job waits on the worker until the user has moved on
    gate = threading.Event()
    compute = sug._worker._suggest

    def held(*args: Any) -> Any:
        gate.wait(10)
        return compute(*args)

    monkeypatch.setattr(sug._worker, "_suggest", held)
    press(qtbot, window, Qt.Key.Key_H, CTRL | SHIFT)
    qtbot.waitUntil(lambda: sug._running, timeout=5000)
    s.set_current_document(second)  # before its result is in
    gate.set()
    settled(qtbot, sug)
    assert wrong == []
    assert sug.doc_id == second
    assert sug.items and all(x.doc_id == second for x in sug.items)
    s.set_current_document(first)
    assert sug.items == []  # the other release's boxes never stay on screen
    settled(qtbot, sug)
    assert sug.items and all(x.doc_id == first for x in sug.items)


def test_suggestions_are_painted_and_named_on_hover(make_window, sample, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample)
    sug = show(qtbot, window)
    target = sug.items[0]
    view = window.text_view
    c = QTextCursor(view.document())
    c.setPosition(view.offsets.to_utf16(target.start + 2))
    point = view.cursorRect(c).center()
    QApplication.sendEvent(
        view.viewport(),
        QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point)),
    )
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    tip = QToolTip.text()
    QToolTip.hideText()
    assert "Suggested" in tip and target.suggester in tip
    assert html.escape(target.reason) in tip
    # painted over the visible blocks: the view's pixels change where the box is drawn
    with_boxes = view.viewport().grab().toImage()
    press(qtbot, window, Qt.Key.Key_H, CTRL | SHIFT)
    qtbot.wait(50)
    without = view.viewport().grab().toImage()
    assert with_boxes != without


def test_correcting_text_pauses_the_keys_and_the_boxes(make_window, sample, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(sample)
    sug = show(qtbot, window)
    assert sug.items
    press(qtbot, window, Qt.Key.Key_E, CTRL | SHIFT)  # Tools > Correct Text
    assert window.correction.enabled
    assert sug.items == []  # Enter and Backspace type while correcting
    assert not sug.actions["suggest.accept"].isEnabled()
    assert not sug.actions["suggest.reject"].isEnabled()
    press(qtbot, window, Qt.Key.Key_E, CTRL | SHIFT)
    assert not window.correction.enabled
    settled(qtbot, sug)
    assert sug.items and sug.actions["suggest.next"].isEnabled()


def test_rejections_of_an_untitled_project_are_kept_at_its_first_save(  # type: ignore[no-untyped-def]
    make_window, sample, tmp_path, qtbot
) -> None:
    from annotator.formats.project_xml import load_project

    window = make_window(None)
    window.set_project(load_project(sample)[0], None, None)
    sug = show(qtbot, window)
    press(qtbot, window, Qt.Key.Key_Tab)
    gone = sug.current()
    assert gone is not None
    press(qtbot, window, Qt.Key.Key_Backspace)
    settled(qtbot, sug)
    assert gone.key not in keys(sug)  # remembered meanwhile, though there is no file yet
    target = tmp_path / "named.xml"
    assert not sidecar_path(target).exists()
    window.session.mark_saved(target, "0" * 64)  # what Save As ends with
    (rej,) = load_rejections(target, "tester").items
    assert (rej.doc, rej.tag) == (gone.doc_id, gone.tag)
