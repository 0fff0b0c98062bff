"""Screenshots of a long job in the window: the progress dialog over the main window.

    Xvfb :95 -screen 0 1366x768x24 & DISPLAY=:95 PYTHONPATH=. python tests/perf/screens_jobs.py

Opens the sample at 1366×768, imports a folder of 300 releases (each file made a
little slower to read, as PDFs are, so the dialog has time to count), takes the
whole screen once the dialog shows a count, then presses Cancel and takes the
window again (the status bar says nothing was changed). Writes PNGs into
``tests/perf/out/``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("ANNOTATOR_SETTINGS_DIR", tempfile.mkdtemp(prefix="annotator-screens-"))
os.environ.setdefault("ANNOTATOR_NAME", "maria")
if "DISPLAY" not in os.environ:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import annotator.releases as releases
from annotator.ui import dialogs
from annotator.ui.main_window import MainWindow

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from tests.jobs_support import release_folder  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"


def main() -> int:
    OUT.mkdir(exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    folder = release_folder(Path(tempfile.mkdtemp()) / "archive", 300)
    real = releases.read_releases

    def slower(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.02)
        return real(*args, **kwargs)

    releases.read_releases = slower  # type: ignore[assignment]
    dialogs.get_import_folder = lambda *a, **k: folder  # type: ignore[assignment]
    dialogs.show_info = lambda *a, **k: None  # type: ignore[assignment]

    window = MainWindow("maria")
    window.file_ops.open_path(REPO / "projects" / "sample.xml", ask=False)
    window.resize(1366, 768)
    window.move(0, 0)
    window.show()
    screen = app.primaryScreen()  # type: ignore[union-attr]

    def look() -> None:
        dialog = window.notifier.jobs.dialog
        if dialog is None or not dialog.isVisible() or dialog.bar.value() < 60:
            QTimer.singleShot(20, look)
            return
        app.processEvents()  # type: ignore[union-attr]
        shot = screen.grabWindow(0) if os.environ.get("DISPLAY") else window.grab()
        shot.save(str(OUT / "jobs_progress_1366.png"))
        dialog.grab().save(str(OUT / "jobs_progress_dialog.png"))
        print(f"dialog: {dialog.label.text()!r} {dialog.bar.text()!r} {dialog.size().toTuple()}")
        dialog.cancel_button.click()

    QTimer.singleShot(0, look)
    window.file_ops.import_folder_dialog()
    app.processEvents()  # type: ignore[union-attr]
    window.grab().save(str(OUT / "jobs_cancelled_1366.png"))
    print("status:", window.statusBar().currentMessage())
    window.session.undo_stack.setClean()
    window.closing_confirmed = True
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
