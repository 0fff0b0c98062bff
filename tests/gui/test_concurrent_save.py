"""Ctrl+S in the real main window while ``annotator import`` writes the same project.

Each run tags a span in the window, starts a real ``annotator import`` process
on a new urgent appeal against the open file, and presses Ctrl+S after a delay
that moves across the import's lifetime (before it reads, while it works,
after it saved). Whoever comes second must not overwrite the first: the import
re-applies itself to the window's save; the window, finding the file changed,
offers "Merge their changes" and saves nothing until the user saves again
(which may offer the merge once more, if the import saved after the merge).
After every run both the tag and the release are in the file, and the window
claimed "Saved" only for a save that happened.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from annotator.formats.project_xml import load_project
from annotator.model.commands import AddAnnotation

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[2]
APPEAL = REPO / "tests" / "data" / "concurrent" / "fld-defender-arrested.txt"
RUNS = 20
#: the last Ctrl+S comes this long after the import started (its whole lifetime)
SPREAD_MS = 600
CTRL = Qt.KeyboardModifier.ControlModifier


def appeal_for(run: int, folder: Path) -> tuple[Path, str]:
    """A distinct urgent appeal per run (the same text twice is a duplicate, not added)."""
    reference = f"FLD reference UA-{2025_0100 + run}"
    path = folder / f"appeal-{run}.txt"
    path.write_text(f"{APPEAL.read_text(encoding='utf-8')}\n{reference}\n", encoding="utf-8")
    return path, reference


def start_import(source: Path, project: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "annotator", "import", str(source), "-o", str(project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "ANNOTATOR_NAME": "cli", "PYTHONPATH": str(REPO)},
    )


def test_ctrl_s_racing_a_cli_import_keeps_both_every_time(
    make_window: Any,
    project_path: Path,
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from annotator.ui import dialogs

    window = make_window(project_path)
    offered: list[list[str]] = []

    def conflict(_parent: Any, _message: str, extra: list[str]) -> str:
        offered.append(list(extra))
        return "Merge their changes"

    monkeypatch.setattr(dialogs, "ask_conflict", conflict)
    monkeypatch.setattr(dialogs, "show_info", lambda *_a, **_k: None)  # the merge report
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    conflicts = 0
    for run in range(RUNS):
        source, reference = appeal_for(run, tmp_path)
        edit = AddAnnotation(window.session.user, "doc0001", "victim", [(2 * run, 2 * run + 5)])
        window.session.execute(edit)
        offered.clear()
        window.statusBar().clearMessage()  # so that the same "Saved …" again is seen
        said.clear()
        proc = start_import(source, project_path)
        qtbot.wait(SPREAD_MS * run // (RUNS - 1))
        qtbot.keyClick(window.text_view, Qt.Key.Key_S, CTRL)
        first_saved = not window.session.modified
        if first_saved:
            assert not offered and any(m.startswith("Saved ") for m in said), (run, said)
        else:  # the import saved first: the window offered the merge and claimed nothing
            conflicts += 1
            assert offered == [["Merge their changes"]]
            assert not any(m.startswith("Saved ") for m in said)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and f"saved {project_path}" in out, (out, err)
        # Merged what was on disk then: save again (the import may have saved once more
        # after that merge, which offers the merge once more; then the save goes through).
        presses = 0
        while window.session.modified and presses < 3:
            qtbot.keyClick(window.text_view, Qt.Key.Key_S, CTRL)
            presses += 1
        assert not window.session.modified, (run, offered, said)
        on_disk = load_project(project_path)[0]
        assert edit.ann_id in on_disk.layers["tester"].docs["doc0001"].annotations
        assert any(reference in doc.text for doc in on_disk.documents.values()), run
        # every tag of every earlier run is still there too
        assert on_disk.layers["tester"].annotation_count() == run + 1
        assert len(on_disk.documents) == 2 + run + 1
    # the delays cover both orders: some runs the window saved first, some the import
    assert 0 < conflicts < RUNS or RUNS < 5


def test_ctrl_s_takes_over_a_stale_lock_and_says_so_in_the_status_bar(
    window: Any, project_path: Path, qtbot: Any
) -> None:
    crashed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys\n"
            "from annotator.formats.locking import write_lock\n"
            "with write_lock(sys.argv[1]):\n"
            "    os._exit(9)  # killed while saving: the lock file still names it\n",
            str(project_path),
        ],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    assert crashed.returncode == 9
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    window.session.execute(AddAnnotation(window.session.user, "doc0001", "victim", [(0, 8)]))
    qtbot.keyClick(window.text_view, Qt.Key.Key_S, CTRL)
    assert not window.session.modified
    stale = [m for m in said if "Took over the lock" in m]
    assert len(stale) == 1 and "no longer running" in stale[0]
    assert stale[0].startswith(f"Saved {project_path.name}. Took over the lock on ")
    assert load_project(project_path)[0].layers["tester"].annotation_count() == 1
