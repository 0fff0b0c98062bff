"""What a change in Project ▸ Tag Set… costs in the real window on a large project.

    PYTHONPATH=. QT_QPA_PLATFORM=offscreen python tests/perf/bench_tagset_editor.py [--sizes 36]

Synthetic projects from synth.py (36: 4,000 releases with 76,000 annotations; 94:
10,000 with 200,000). Each change goes through the editor as a user makes it
(the field's editingFinished), then through the session, the journal and every
view that follows the tag set (text view, Tags panel, menus, Documents,
Annotations, Inspector, Guidelines), until the event loop is idle. The baseline,
measured in the same run, is the core command alone on the same project:
``RenameTag.do`` and ``undo`` with no window at all.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("ANNOTATOR_SETTINGS_DIR", tempfile.mkdtemp(prefix="annotator-bench-"))
os.environ.setdefault("ANNOTATOR_NAME", "alice")

from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import make_project

from annotator.model.tagset_commands import RenameTag

SIZES = {36: (4_000, 76_000), 94: (10_000, 200_000)}


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def bench_size(app: QApplication, docs_n: int, anns_n: int) -> None:
    from annotator.ui.main_window import MainWindow

    project = make_project(docs_n, anns_n, ("alice",), 0)

    def core_rename() -> None:
        cmd = RenameTag("victim", "person")
        cmd.do(project)
        cmd.undo(project)

    base = timed(core_rename)
    window = MainWindow("alice", project)
    window.resize(1440, 900)
    window.show()
    window.docks.show_guidelines()
    editor = window.show_tagset_editor()
    app.processEvents()
    stack = window.session.undo_stack
    page = editor.pages["tag"]

    def settle() -> None:
        app.processEvents()

    def rename_and_undo() -> None:
        editor.tree.select(("tag", "victim"))
        page.name.setText("person")  # type: ignore[attr-defined]
        page.name.editingFinished.emit()  # type: ignore[attr-defined]
        settle()
        assert window.session.project.tagset.has_tag("person")
        stack.undo()
        settle()

    def recolour_and_undo() -> None:
        editor.tree.select(("tag", "victim"))
        page.colour.chosen.emit("#CC79A7")  # type: ignore[attr-defined]
        settle()
        stack.undo()
        settle()

    def choose_row() -> None:
        editor.tree.select(("tag", "appeal"))
        settle()
        editor.tree.select(("value", "victim", "harm", "arrested"))
        settle()

    results = {
        "rename a tag and undo it (through the editor)": timed(rename_and_undo),
        "recolour a tag and undo it": timed(recolour_and_undo),
        "choose two rows (counts what uses each)": timed(choose_row),
    }
    print(f"\n{docs_n:,} releases, {anns_n:,} annotations")
    print(f"  baseline: core RenameTag do + undo, no window: {base * 1000:8.1f} ms")
    for name, secs in results.items():
        print(f"  {name:<48} {secs * 1000:8.1f} ms  ({secs / base:5.1f}× baseline)")
    window.closing_confirmed = True
    editor.close()
    window.close()
    app.processEvents()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="36", help="comma-separated: 36, 94")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    for size in (int(s) for s in args.sizes.split(",")):
        bench_size(app, *SIZES[size])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
