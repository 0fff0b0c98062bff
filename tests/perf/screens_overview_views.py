"""Screenshots of the Overview's Concordance, Appeals and Progress pages, for a visual check.

    xvfb-run -a -s "-screen 0 2000x1200x24" env PYTHONPATH=. \
        python tests/perf/screens_overview_views.py [PROJECT.xml]
    # or offscreen: QT_QPA_PLATFORM=offscreen PYTHONPATH=. python tests/perf/screens_...

At 1366×768 and 1920×1080: the main window with the Overview open on each page
(the concordance of victims sorted by left context, the appeals board filtered,
the progress), and the text after a double-click on a concordance row. Writes
PNGs into ``tests/perf/out/``; uses ``projects/sample.xml`` unless told otherwise.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("ANNOTATOR_SETTINGS_DIR", tempfile.mkdtemp(prefix="annotator-screens-"))
os.environ.setdefault("ANNOTATOR_NAME", "maria")
if "DISPLAY" not in os.environ:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.ui.main_window import MainWindow
from annotator.ui.overview.concordance import LEFT, SPAN, ConcordancePage

OUT = Path(__file__).resolve().parent / "out"
SAMPLE = Path(__file__).resolve().parents[2] / "projects" / "sample.xml"


def settle(app: QApplication, rounds: int = 10) -> None:
    for _ in range(rounds):
        app.processEvents()


def shoot(app: QApplication, project: Path, size: tuple[int, int]) -> list[Path]:
    tag = f"{size[0]}x{size[1]}"
    window = MainWindow("maria")
    window.closing_confirmed = True
    window.file_ops.open_path(project, ask=False)
    window.resize(*size)
    window.show()
    settle(app)
    window.overview.set_open(True)
    settle(app)
    out = []

    def save(name: str) -> None:
        settle(app)
        path = OUT / f"{name}_{tag}.png"
        window.grab().save(str(path))
        out.append(path)

    page = window.overview.show_page("Concordance")
    assert isinstance(page, ConcordancePage)
    page.choose("victim")
    page.table.sortByColumn(LEFT, Qt.SortOrder.AscendingOrder)
    save("overview_concordance")
    index = page.model.index(3, SPAN)
    page.table.setCurrentIndex(index)
    page.table.activated.emit(index)  # what a double-click does
    save("overview_concordance_opened")
    board = window.overview.show_page("Appeals")
    save("overview_appeals")
    board.filter_edit.setText("release")  # type: ignore[union-attr]
    save("overview_appeals_filtered")
    window.overview.show_page("Progress")
    save("overview_progress")
    window.session.undo_stack.setClean()
    window.close()
    return out


def main(argv: list[str]) -> int:
    app = QApplication.instance() or QApplication(argv)
    project = Path(argv[1]) if len(argv) > 1 else SAMPLE
    OUT.mkdir(parents=True, exist_ok=True)
    for size in ((1366, 768), (1920, 1080)):
        for path in shoot(app, project, size):  # type: ignore[arg-type]
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
