"""Never lose work: autosave, restore after a crash, discard on clean close."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.ui import dialogs
from annotator.ui.recovery import recovery_path
from tests.gui.conftest import SAMPLE_TEXT

pytestmark = pytest.mark.gui


def test_recovered_after_crash(make_window, project_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    w = make_window()
    s = SAMPLE_TEXT.index("journalist")
    w.text_view.set_selection_cp(s, s + 10)
    w.tag_selection("victim")
    rec = w.recovery.autosave()
    assert rec is not None and rec == recovery_path(project_path) and rec.is_file()
    assert rec.parent.name == "recovery"
    # "crash": the window goes away without saving or closing cleanly
    w.recovery.timer.stop()
    offered = []

    def restore(parent, summary):  # type: ignore[no-untyped-def]
        offered.append(summary)
        return True

    monkeypatch.setattr(dialogs, "ask_restore", restore)
    w2 = make_window(project_path)
    assert offered and "1 annotation" in offered[0] and "2 document" in offered[0]
    anns = list(w2.session.project.layers["tester"].docs["doc0001"].annotations.values())
    assert [(a.start, a.end, a.tag) for a in anns] == [(s, s + 10, "victim")]
    assert w2.session.modified and w2.isWindowModified()
    assert w2.session.path == project_path.resolve()
    # saving removes the recovery copy
    assert w2.file_ops.save()
    assert not rec.exists()


def test_declining_restore_deletes_copy(make_window, project_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    w = make_window()
    w.text_view.set_selection_cp(0, 7)
    w.tag_selection("appeal")
    rec = w.recovery.autosave()
    monkeypatch.setattr(dialogs, "ask_restore", lambda *a: False)
    w2 = make_window(project_path)
    assert w2.session.project.layers["tester"].annotation_count() == 0
    assert not rec.exists()


def test_autosave_after_n_edits_and_clean_close_removes(make_window, monkeypatch, qtbot) -> None:  # type: ignore[no-untyped-def]
    w = make_window()
    w.recovery.every_edits = 3
    w.recovery.idle.setInterval(50)
    rec = w.recovery.path
    for start in (0, 8, 22):
        w.text_view.set_selection_cp(start, start + 5)
        w.tag_selection("appeal")
        assert not rec.exists()  # never in the middle of an edit
    qtbot.waitUntil(rec.exists, timeout=3000)
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda *a: "discard")
    assert w.close()
    assert not rec.exists()


def test_nothing_written_without_changes(window) -> None:  # type: ignore[no-untyped-def]
    assert window.recovery.autosave() is None
    assert not window.recovery.path.exists()
