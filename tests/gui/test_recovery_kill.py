"""A real window in a real process, killed between two keyed edits: the next start
restores every edit the user saw done, with nothing of the journal synced to the disk."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from annotator.formats.journal import journal_path
from annotator.ui import dialogs
from tests.gui.conftest import SAMPLE_TEXT

pytestmark = pytest.mark.gui

# The child: the main window on the project, tag keys pressed on selections as a
# user does, one line printed after each edit is shown, then it waits for the
# next. Its disk never confirms an fsync, so what survives the kill is only what
# each edit handed to the operating system before it was shown.
CHILD = r"""
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from annotator.formats import group_sync
group_sync.os.fsync = lambda fd: time.sleep(3600)
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from annotator.ui.main_window import MainWindow

app = QApplication([])
w = MainWindow("tester")
assert w.file_ops.open_path(sys.argv[1], ask=False)
w.show()
for _ in range(5):
    app.processEvents()
text = w.session.project.documents[w.session.current_doc_id].text
keys = [("release", "1"), ("journalist", "2"), ("The Ministry of Interior", "3"),
        ("12 trade unionists", "2")]
for i, (phrase, key) in enumerate(keys):
    start = text.index(phrase)
    w.text_view.set_selection_cp(start, start + len(phrase))
    w.text_view.setFocus()
    QTest.keyClick(w.text_view, getattr(Qt.Key, f"Key_{key}"))
    app.processEvents()
    tagged = w.session.project.layers["tester"].annotation_count()
    print("done", i + 1, tagged, flush=True)
    sys.stdin.readline()
"""


def test_a_killed_window_loses_no_edit(
    project_path: Path, make_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(project_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        for i in range(1, 4):
            assert child.stdout.readline().split() == ["done", str(i), str(i)]
            if i < 3:
                child.stdin.write("\n")
                child.stdin.flush()
        os.kill(child.pid, signal.SIGKILL)  # three tags shown; the fourth key never pressed
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert journal_path(project_path).is_file()
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "ask_restore", lambda _p, summary: shown.append(summary) or True)
    w = make_window(project_path)
    assert len(shown) == 1 and "3 unsaved edits" in shown[0]
    layer = w.session.project.layers["tester"]
    restored = sorted(
        (a.start, a.end, a.tag) for da in layer.docs.values() for a in da.annotations.values()
    )

    def at(phrase: str) -> tuple[int, int]:
        start = SAMPLE_TEXT.index(phrase)
        return start, start + len(phrase)

    assert restored == sorted(
        [
            (*at("release"), "appeal"),
            (*at("journalist"), "victim"),
            (*at("The Ministry of Interior"), "authority"),
        ]
    )
    assert w.session.modified
