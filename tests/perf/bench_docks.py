"""How the dock panels scale: 10,000 releases, 200,000 annotations (synthetic project).

    PYTHONPATH=. QT_QPA_PLATFORM=offscreen python tests/perf/bench_docks.py [--docs N]

Each figure is also given as a ratio to a baseline measured in the same run: one
pure-Python pass counting the tags of every annotation of the layer (the least
any view of the whole project must do).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import make_project

from annotator.model import AddAnnotation
from annotator.ui.docks import install_docks
from annotator.ui.session import ProjectSession


class Window(QMainWindow):
    def __init__(self, session: ProjectSession) -> None:
        super().__init__()
        self.session = session
        self.menus: dict[str, object] = {}
        self.docks = install_docks(self)

    def tag_selection(self, tag: str, exact: bool = False) -> None:
        pass


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--annotations", type=int, default=200_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    project = make_project(args.docs, args.annotations, ("alice",), 0)
    layer = project.layers["alice"]

    def baseline() -> None:
        for da in layer.docs.values():
            Counter(a.tag for a in da.annotations.values())

    base = timed(baseline)
    session = ProjectSession(project, "alice")
    t0 = time.perf_counter()
    win = Window(session)
    win.resize(1600, 1000)
    win.show()
    app.processEvents()
    results = {"open window with docks": time.perf_counter() - t0}
    docs = win.docks.documents
    results["documents: reload model"] = timed(docs.model.reload)
    results["documents: text filter 'security law'"] = timed(
        lambda: docs.set_filters(text="security law")
    )
    docs.set_filters(text="")
    results["documents: country filter"] = timed(
        lambda: (docs.set_filters(country="Peru"), docs.set_filters(country=""))
    )
    results["documents: sort by headline"] = timed(
        lambda: docs.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    )
    doc_id = next(iter(project.documents))
    text = project.documents[doc_id].text

    def edit_and_undo() -> None:
        session.execute(AddAnnotation("alice", doc_id, "victim", [(0, min(5, len(text)))]))
        session.undo_stack.undo()

    results["one AddAnnotation + undo (all docks update)"] = timed(edit_and_undo, 10)
    results["documents: next document x100"] = timed(
        lambda: [docs.select_next() for _ in range(100)], 1
    )
    anns = win.docks.annotations
    results["annotations: whole project on (target <= 200 ms)"] = timed(
        lambda: (anns.set_whole_project(True), app.processEvents(), anns.set_whole_project(False)),
        1,
    )
    anns.set_whole_project(True)
    results["annotations: tag filter over whole project"] = timed(
        lambda: (anns.set_filters(tag="victim"), anns.set_filters(tag="")), 1
    )
    results["annotations: whole project, lay out every row"] = timed(anns.model.fetch_all, 1)
    anns.set_whole_project(False)
    anns.set_whole_project(True)
    first = next(iter(project.documents))
    session.set_current_document(first)

    def tag_and_undo_whole_project() -> None:
        session.execute(AddAnnotation("alice", first, "victim", [(0, min(5, len(text)))]))
        session.undo_stack.undo()

    results["whole project on: one AddAnnotation + undo"] = timed(tag_and_undo_whole_project, 10)
    anns.set_whole_project(False)
    print(f"{len(project.documents):,} documents, {layer.annotation_count():,} annotations")
    print(f"baseline (count tags of every annotation once): {base * 1000:.1f} ms")
    for name, secs in results.items():
        print(f"{name:48s} {secs * 1000:9.1f} ms  {secs / base:7.1f}x baseline")
    win.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
