"""Screenshots of working as a team through git: the output of File ▸ Pull and Merge and
review mode's Conflicts tab after a pull that met a colleague's different change,
at 1366×768 and 1920×1080.

    Xvfb :94 -screen 0 2000x1200x24 & DISPLAY=:94 PYTHONPATH=. python tests/perf/screens_git.py
    # or QT_QPA_PLATFORM=offscreen PYTHONPATH=. python tests/perf/screens_git.py

Builds a shared bare repository and two clones in a temporary folder (no network),
lets colleague A retag an annotation, correct a headline and set a status, lets
B change the same things differently, and pulls in B's window. Writes PNGs into
``tests/perf/out/``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("ANNOTATOR_SETTINGS_DIR", tempfile.mkdtemp(prefix="annotator-screens-"))
os.environ["ANNOTATOR_NAME"] = "bea"
if "DISPLAY" not in os.environ:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from annotator.formats.tagset_xml import default_tagset
from annotator.model import (
    AddAnnotation,
    AddLink,
    Document,
    DocumentMeta,
    EditText,
    Project,
    Retag,
    SetStatus,
)
from tests.git_support import make_team, team_env

OUT = Path(__file__).resolve().parent / "out"
RELEASE = (
    "Egypt: Release detained students now. Amnesty International calls on the Egyptian "
    "authorities to release the 12 students held at Tora prison since 3 March 2024, and "
    "to investigate reports that they were beaten during interrogation."
)
OTHER = (
    "The Committee to Protect Journalists calls on Senegalese authorities to release "
    "journalist Pape Alé Niang and to drop all charges against him."
)


def span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def project() -> Project:
    p = Project(name="Campaign 2024", tagset=default_tagset())
    p.add_document(Document("doc0001", RELEASE, DocumentMeta(headline="Egypt: students")))
    p.add_document(Document("doc0002", OTHER, DocumentMeta(headline="Senegal: journalist")))
    p.ensure_layer("bea")
    return p


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def until(check: object, seconds: float = 60) -> None:
    for _ in range(int(seconds * 20)):
        if check():  # type: ignore[operator]
            return
        wait(50)
    raise SystemExit("timed out")


def grab(widget: QWidget, name: str) -> None:
    OUT.mkdir(exist_ok=True)
    widget.grab().save(str(OUT / name))
    print(OUT / name)


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    from annotator.ui.main_window import MainWindow

    for width, height in ((1366, 768), (1920, 1080)):
        root = Path(tempfile.mkdtemp(prefix="annotator-team-"))
        _origin, a, b = make_team(root, project())
        os.environ.update(team_env(root / "home"))
        appeal = span(RELEASE, "calls on the Egyptian authorities to release the 12 students")
        a.edit(
            AddAnnotation("bea", "doc0001", "victim", [span(RELEASE, "12 students")]),
            AddAnnotation("bea", "doc0001", "appeal", [appeal]),
            AddLink("bea", "doc0001", "on_behalf_of", "a2", "a1"),
        )
        a.commit("the students")
        a.git("push", "-q")
        b.git("pull", "-q", "--no-rebase")
        word = span(OTHER, "release journalist")
        a.edit(
            Retag("bea", "doc0001", "a1", "authority", author="amal"),
            SetStatus("doc0002", "bea", "done"),
            EditText("doc0002", word[0], word[1], "free the reporter"),
        )
        a.commit("A: retag, done")
        a.git("push", "-q")
        b.edit(
            Retag("bea", "doc0001", "a1", "appeal", author="bea"),
            SetStatus("doc0002", "bea", "in-progress"),
            EditText("doc0002", word[0], word[1], "release the editor"),
        )
        b.commit("B: appeal, in progress")

        w = MainWindow("bea")
        w.file_ops.open_path(b.file, ask=False)
        w.resize(width, height)
        w.show()
        wait(300)
        w.git.pull_action.trigger()
        until(lambda w=w: not w.git.busy)
        wait(500)
        w.git.output.resize(min(900, width - 100), 420)
        wait(200)
        grab(w.git.output, f"git_pull_output_{width}x{height}.png")
        w.git.output.hide()
        wait(300)
        grab(w, f"git_conflicts_{width}x{height}.png")
        tab = w.review.dock.conflicts_tab
        tab.list.setCurrentRow(tab.list.count() - 1)
        wait(300)
        grab(w, f"git_conflicts_text_{width}x{height}.png")
        w.closing_confirmed = True
        w.session.undo_stack.setClean()
        w.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
