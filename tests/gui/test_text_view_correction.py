"""Correct Text mode: typing becomes core EditText commands; annotations move; undo restores."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from annotator.model import AddAnnotation
from tests.gui.conftest import SAMPLE_TEXT

pytestmark = pytest.mark.gui


def test_typing_moves_annotations_and_undo_restores(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    s = SAMPLE_TEXT.index("Ministry")
    add = AddAnnotation("tester", "doc0001", "authority", [(s, s + 8)])
    window.session.execute(add)
    view = window.text_view
    window.ui_actions.correct_text.trigger()
    assert not view.isReadOnly() and window.correction.enabled
    assert not window.ui_actions.tag_actions[0].isEnabled()
    c = QTextCursor(view.document())
    c.setPosition(0)
    view.setTextCursor(c)
    view.setFocus()
    depth = window.session.undo_stack.count()
    qtbot.keyClicks(view, "Now ")
    doc = window.session.project.document("doc0001")
    assert doc.text == "Now " + SAMPLE_TEXT
    assert window.session.undo_stack.count() == depth + 1  # one typing burst, one step
    ann = window.session.project.layers["tester"].docs["doc0001"].annotations[add.ann_id]
    assert doc.text[ann.start : ann.end] == "Ministry" and not ann.needs_check
    # an edit inside the annotation flags it
    c = view.textCursor()
    c.setPosition(ann.start + 4)
    view.setTextCursor(c)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    ann = window.session.project.layers["tester"].docs["doc0001"].annotations[add.ann_id]
    assert doc.text[ann.start : ann.end] == "Minitry" and ann.needs_check
    window.ui_actions.correct_text.trigger()
    window.session.select("tester", add.ann_id)
    window.ui_actions.mark_checked.trigger()
    ann = window.session.project.layers["tester"].docs["doc0001"].annotations[add.ann_id]
    assert not ann.needs_check
    for _ in range(3):  # mark checked, the Delete, the typing
        window.session.undo_stack.undo()
    assert doc.text == SAMPLE_TEXT
    assert view.toPlainText() == SAMPLE_TEXT
    ann = window.session.project.layers["tester"].docs["doc0001"].annotations[add.ann_id]
    assert (ann.start, ann.end) == (s, s + 8)


def test_paste_over_selection_is_one_edit(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.text_view
    window.correction.set_enabled(True)
    s = SAMPLE_TEXT.index("12 trade")
    view.set_selection_cp(s, s + 2)
    depth = window.session.undo_stack.count()
    view.insertPlainText("twelve")
    assert window.session.undo_stack.count() == depth + 1
    assert window.session.project.document("doc0001").text == SAMPLE_TEXT.replace("12", "twelve")
    window.session.undo_stack.undo()
    assert view.toPlainText() == SAMPLE_TEXT


def test_minimal_edit() -> None:
    from annotator.ui.text_correction import minimal_edit

    assert minimal_edit("hello world", 0, 11, "hello there world") == (6, 6, "there ")
    assert minimal_edit("abc", 1, 2, "b") == (2, 2, "")
    assert minimal_edit("aXa", 0, 3, "aa") == (1, 2, "")


def test_correction_after_astral_characters(qtbot) -> None:  # type: ignore[no-untyped-def]
    from annotator.model import Document
    from annotator.ui.main_window import MainWindow
    from tests.gui.conftest import make_project

    text = "Smile 😀 and 𠀀 then Sane Diop was held."
    project = make_project()
    project.add_document(Document("astral", text))
    w = MainWindow("tester", project)
    qtbot.addWidget(w, before_close_func=lambda w: setattr(w, "closing_confirmed", True))
    w.show()
    w.session.set_current_document("astral")
    s = text.index("Diop")
    add = AddAnnotation("tester", "astral", "victim", [(s, s + 4)])
    w.session.execute(add)
    view = w.text_view
    w.correction.set_enabled(True)
    # put the cursor after "Sane" (UTF-16 position: two astral characters before it)
    c = QTextCursor(view.document())
    c.setPosition(view.offsets.to_utf16(text.index("Sane") + 3))
    c.deleteChar()  # 'e' -> typed 'é'
    c.insertText("é")
    doc = w.session.project.document("astral")
    assert doc.text == text.replace("Sane", "Sané")
    ann = w.session.project.layers["tester"].docs["astral"].annotations[add.ann_id]
    assert doc.text[ann.start : ann.end] == "Diop" and not ann.needs_check
    assert [
        (r.start, r.length) for r in view.document().findBlockByNumber(0).layout().formats()
    ] == [(view.offsets.to_utf16(ann.start), 4)]


def test_ctrl_z_in_correction_mode_undoes_through_our_stack(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.text_view
    window.correction.set_enabled(True)
    c = QTextCursor(view.document())
    c.setPosition(0)
    view.setTextCursor(c)
    view.setFocus()
    qtbot.keyClicks(view, "X")
    assert window.session.project.document("doc0001").text == "X" + SAMPLE_TEXT
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.project.document("doc0001").text == SAMPLE_TEXT
    assert view.toPlainText() == SAMPLE_TEXT
    qtbot.keyClick(
        view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert window.session.project.document("doc0001").text == "X" + SAMPLE_TEXT


def _ctrl(view, qtbot, key, extra=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(view, key, Qt.KeyboardModifier.ControlModifier | extra)


def test_a_typed_sentence_is_one_ctrl_z(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.text_view
    _ctrl(view, qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ShiftModifier)  # Correct Text
    assert window.correction.enabled
    _ctrl(view, qtbot, Qt.Key.Key_End)  # end of the release
    qtbot.keyClicks(view, " Added.")
    doc = window.session.project.document("doc0001")
    assert doc.text == SAMPLE_TEXT + " Added."
    _ctrl(view, qtbot, Qt.Key.Key_Z)
    assert doc.text == SAMPLE_TEXT and view.toPlainText() == SAMPLE_TEXT
    assert not window.session.undo_stack.canUndo()
    _ctrl(view, qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ShiftModifier)  # redo: all of it
    assert doc.text == SAMPLE_TEXT + " Added." and view.toPlainText() == doc.text


def test_a_cursor_jump_or_a_non_typing_key_starts_a_new_step(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.text_view
    _ctrl(view, qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ShiftModifier)
    stack = window.session.undo_stack
    qtbot.keyClicks(view, "ab")
    qtbot.keyClick(view, Qt.Key.Key_Left)
    qtbot.keyClick(view, Qt.Key.Key_Right)  # back where typing stopped: still a jump
    qtbot.keyClicks(view, "cd")
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    qtbot.keyClicks(view, "e")
    doc = window.session.project.document("doc0001")
    assert doc.text == "abce" + SAMPLE_TEXT
    assert stack.count() == 4  # "ab", "cd", Backspace, "e"
    _ctrl(view, qtbot, Qt.Key.Key_Z)
    assert doc.text == "abc" + SAMPLE_TEXT
    _ctrl(view, qtbot, Qt.Key.Key_Z)
    assert doc.text == "abcd" + SAMPLE_TEXT
    _ctrl(view, qtbot, Qt.Key.Key_Z)
    assert doc.text == "ab" + SAMPLE_TEXT


def test_a_pause_starts_a_new_step(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from annotator.ui import text_correction

    view = window.text_view
    _ctrl(view, qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ShiftModifier)
    clock = iter([100.0, 100.5, 104.0, 104.2])  # a pause of 3.5 s after "ab"
    monkeypatch.setattr(text_correction.time, "monotonic", lambda: next(clock))
    qtbot.keyClicks(view, "abcd")
    assert window.session.undo_stack.count() == 2
    _ctrl(view, qtbot, Qt.Key.Key_Z)
    assert window.session.project.document("doc0001").text == "ab" + SAMPLE_TEXT
