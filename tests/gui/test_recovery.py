"""Never lose work: every keyed edit is journaled, and replayed after a crash on the next start."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCursor

from annotator.formats.journal import journal_path
from annotator.formats.project_xml import load_project, save_project
from annotator.model import Document
from annotator.ui import dialogs, file_ops
from tests.gui.conftest import SAMPLE_TEXT, make_project

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier


def select(window: Any, phrase: str) -> tuple[int, int]:
    """Select ``phrase`` as a mouse drag would (the sample text is all in the BMP)."""
    text = window.session.project.documents[window.session.current_doc_id].text
    start = text.index(phrase)
    cursor = QTextCursor(window.text_view.document())
    cursor.setPosition(start)
    cursor.setPosition(start + len(phrase), QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == phrase
    window.text_view.setTextCursor(cursor)
    window.text_view.setFocus()
    return start, start + len(phrase)


def press(
    qtbot: Any, window: Any, key: str, modifier: Any = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(window.text_view, getattr(Qt.Key, f"Key_{key}"), modifier)


def tagged(window: Any) -> list[tuple[str, int, int, str]]:
    layer = window.session.project.layers["tester"]
    return sorted(
        (a.id, a.start, a.end, a.tag) for da in layer.docs.values() for a in da.annotations.values()
    )


def offer(monkeypatch: pytest.MonkeyPatch, answer: bool) -> list[str]:
    shown: list[str] = []

    def ask(_parent: Any, summary: str) -> bool:
        shown.append(summary)
        return answer

    monkeypatch.setattr(dialogs, "ask_restore", ask)
    return shown


def test_keyed_edits_survive_a_crash(make_window, project_path: Path, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    w = make_window()
    assert [t.shortcut for t in w.session.project.tagset.tags[:3]] == ["1", "2", "3"]
    select(w, "release")
    press(qtbot, w, "1")
    select(w, "journalist")
    press(qtbot, w, "2")
    select(w, "The Ministry of Interior")
    press(qtbot, w, "3")
    select(w, "12 trade unionists")
    press(qtbot, w, "2")
    press(qtbot, w, "Z", CTRL)  # the user takes the last one back
    live = tagged(w)
    assert [t[3] for t in live] == ["appeal", "victim", "authority"]
    journal = journal_path(project_path)
    assert journal.is_file()  # beside the project, written as the keys were pressed
    # crash: the window is gone without saving or closing; nothing else is written
    shown = offer(monkeypatch, True)
    w2 = make_window(project_path)
    assert len(shown) == 1
    assert "5 unsaved edits" in shown[0] and "Tag victim ×2" in shown[0]
    assert "1 of them undo" in shown[0]
    assert tagged(w2) == live
    assert w2.session.modified and w2.isWindowModified()
    # the next edit goes on in the same journal, and Save ends it
    select(w2, "harassment")
    press(qtbot, w2, "2")
    press(qtbot, w2, "S", CTRL)
    qtbot.waitUntil(lambda: not w2.session.modified, timeout=5000)
    assert not journal.exists()
    saved = load_project(project_path)[0].layers["tester"]
    assert sorted(a.tag for da in saved.docs.values() for a in da.annotations.values()) == [
        "appeal",
        "authority",
        "victim",
        "victim",
    ]


def test_declining_the_offer_removes_the_journal(
    make_window, project_path: Path, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    w = make_window()
    select(w, "Amnesty")
    press(qtbot, w, "1")
    shown = offer(monkeypatch, False)
    w2 = make_window(project_path)
    assert shown and w2.session.project.layers["tester"].annotation_count() == 0
    assert not journal_path(project_path).exists()


def test_torn_last_line_is_said_once(make_window, project_path: Path, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    w = make_window()
    select(w, "journalist")
    press(qtbot, w, "2")
    select(w, "Sané Diop")
    press(qtbot, w, "2")
    journal = journal_path(project_path)
    data = journal.read_bytes()
    journal.write_bytes(data[:-40])  # the machine died while the second key was written
    shown = offer(monkeypatch, True)
    w2 = make_window(project_path)
    assert "cut short" in shown[0]
    s = SAMPLE_TEXT.index("journalist")
    assert tagged(w2) == [("a1", s, s + 10, "victim")]
    # the restored journal no longer holds the torn piece: a new edit replays cleanly
    select(w2, "Ministry")
    press(qtbot, w2, "3")
    shown.clear()
    w3 = make_window(project_path)
    assert tagged(w3) == tagged(w2)


def test_base_file_changed_is_one_message_and_journal_kept(
    make_window, project_path: Path, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    w = make_window()
    select(w, "journalist")
    press(qtbot, w, "2")
    other = make_project()
    other.add_document(Document("doc0003", "A colleague's release."))
    save_project(other, project_path)  # someone else saved the file meanwhile
    errors: list[tuple[Any, ...]] = []
    monkeypatch.setattr(dialogs, "show_error", lambda *a: errors.append(a))
    w2 = make_window(project_path)
    assert len(errors) == 1
    assert "changed after these unsaved edits" in errors[0][2]
    assert "doc0003" in w2.session.project.documents  # the file as it is on disk
    kept = [p for p in project_path.parent.iterdir() if p.name.startswith(".sample.xml.journal-")]
    assert len(kept) == 1 and str(kept[0]) in errors[0][2]
    assert not journal_path(project_path).exists()


def test_edit_made_while_the_save_runs_stays_in_the_journal(
    make_window, project_path: Path, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    w = make_window()
    select(w, "journalist")
    press(qtbot, w, "2")
    edited = threading.Event()
    real_save = file_ops.save_project

    def slow_save(*args: Any, **kwargs: Any) -> str:
        assert threading.current_thread() is not threading.main_thread()
        assert edited.wait(10)  # the window took a keypress while we were writing
        return real_save(*args, **kwargs)

    def type_meanwhile() -> None:
        select(w, "Ministry")
        press(qtbot, w, "3")
        edited.set()

    monkeypatch.setattr(file_ops, "save_project", slow_save)
    QTimer.singleShot(0, type_meanwhile)
    assert w.file_ops.save()
    on_disk = load_project(project_path)[0].layers["tester"]
    assert [a.tag for da in on_disk.docs.values() for a in da.annotations.values()] == ["victim"]
    assert w.session.modified  # the authority is not in the file yet
    assert journal_path(project_path).is_file()
    shown = offer(monkeypatch, True)
    w2 = make_window(project_path)
    assert "1 unsaved edit" in shown[0] and "Tag authority" in shown[0]
    assert tagged(w2) == tagged(w)


def test_nothing_written_without_changes(window, project_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert window.recovery.autosave() is None
    assert not journal_path(project_path).exists()


def test_crash_after_merging_a_colleagues_save_keeps_both(
    make_window, project_path: Path, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    w = make_window(project_path)  # the merge comes with the review plug-in
    select(w, "journalist")
    press(qtbot, w, "2")
    theirs = make_project()
    theirs.add_document(Document("doc0003", "A colleague's release about 12 students."))
    save_project(theirs, project_path)  # a colleague saved meanwhile
    monkeypatch.setattr(dialogs, "ask_conflict", lambda *_a: "Merge their changes")
    monkeypatch.setattr(dialogs, "show_info", lambda *_a, **_k: None)  # the merge report
    press(qtbot, w, "S", CTRL)  # refused: the file changed; their work is merged in instead
    assert w.session.modified and "doc0003" in w.session.project.documents
    select(w, "Ministry")
    press(qtbot, w, "3")
    # crash before the second save: the journal now stands on their file
    shown = offer(monkeypatch, True)
    w2 = make_window(project_path)
    assert shown and "doc0003" in w2.session.project.documents
    assert tagged(w2) == tagged(w)


def test_a_typing_burst_undone_as_one_step_survives_a_crash(  # type: ignore[no-untyped-def]
    make_window, project_path: Path, qtbot, monkeypatch
) -> None:
    w = make_window()
    press(qtbot, w, "E", CTRL | Qt.KeyboardModifier.ShiftModifier)  # Correct Text
    press(qtbot, w, "End", CTRL)
    qtbot.keyClicks(w.text_view, " Added.")
    press(qtbot, w, "Return")
    qtbot.keyClicks(w.text_view, "Kept.")
    press(qtbot, w, "Z", CTRL)  # "Kept." goes in one step
    press(qtbot, w, "Z", CTRL)  # then the line break
    press(qtbot, w, "Z", CTRL)  # then " Added." in one step
    qtbot.keyClick(w.text_view, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)  # redo
    live = w.session.project.documents["doc0001"].text
    assert live == SAMPLE_TEXT + " Added."
    shown = offer(monkeypatch, True)
    w2 = make_window(project_path)
    assert len(shown) == 1
    assert w2.session.project.documents["doc0001"].text == live
