"""How the dock panels scale, at the project sizes of the speed targets (synthetic
projects from synth.py: 36 MB is 4,000 releases with 76,000 annotations, 94 MB is
10,000 with 200,000).

    PYTHONPATH=. QT_QPA_PLATFORM=offscreen python tests/perf/bench_docks.py [--sizes 36,94]

Each figure is also given as a ratio to a baseline measured in the same run: one
pure-Python pass counting the tags of every annotation of the layer (the least
any view of the whole project must do). The Annotations panel's "All docs" list
is held to 200 ms at 200,000 annotations: it lays rows out lazily (``fetchMore``)
and shows the first screens at once.
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
from annotator.ui.docks import build_docks
from annotator.ui.notifier import Notifier
from annotator.ui.session import ProjectSession


class Window(QMainWindow):
    """The panels alone around an empty centre: what they cost, apart from the text view."""

    def __init__(self, session: ProjectSession) -> None:
        super().__init__()
        self.session = session
        self.docks = build_docks(self, session, Notifier(self, self.statusBar()), lambda _tag: None)


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


SIZES = {36: (4_000, 76_000), 94: (10_000, 200_000)}


def bench_size(app: QApplication, docs_n: int, anns_n: int) -> None:
    project = make_project(docs_n, anns_n, ("alice",), 0)
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
    session.set_current_document(doc_id)
    text = project.documents[doc_id].text

    def edit_and_undo() -> None:
        session.execute(AddAnnotation("alice", doc_id, "victim", [(0, min(5, len(text)))]))
        app.processEvents()
        session.undo_stack.undo()
        app.processEvents()

    results["one AddAnnotation + undo, painted (all docks update)"] = timed(edit_and_undo, 10)
    results["documents: next document x100"] = timed(
        lambda: [docs.select_next() for _ in range(100)], 1
    )
    session.set_current_document(doc_id)
    anns = win.docks.annotations

    def whole_on() -> None:
        anns.set_whole_project(True)
        app.processEvents()  # the first screens of rows painted

    results["annotations: All docs on, painted (target <= 200 ms)"] = timed(
        lambda: (whole_on(), anns.set_whole_project(False)), 3
    )
    anns.set_whole_project(True)
    results["annotations: tag filter over All docs"] = timed(
        lambda: (anns.set_filters(tag="victim"), app.processEvents(), anns.set_filters(tag="")),
        1,
    )
    t0, c0 = time.perf_counter(), time.thread_time()
    while anns.model.indexing():
        app.processEvents()
    results["annotations: text filter's index, built in idle steps (CPU)"] = time.thread_time() - c0
    print(f"  (index built over {time.perf_counter() - t0:.2f} s of idle time)")
    for label, text in (("no match", "zzqx"), ("common word", "police")):
        results[f"annotations: text filter over All docs, {label}"] = timed(
            lambda t=text: (anns.set_filters(text=t), app.processEvents()), 1
        )
        anns.set_filters(text="")
    results["annotations: All docs, lay out every row (a sort does)"] = timed(
        anns.model.fetch_all, 1
    )
    anns.set_whole_project(False)
    anns.set_whole_project(True)
    app.processEvents()
    results["All docs on: one AddAnnotation + undo, painted"] = timed(edit_and_undo, 10)
    anns.set_whole_project(False)
    print(f"{len(project.documents):,} documents, {layer.annotation_count():,} annotations")
    print(f"baseline (count tags of every annotation once): {base * 1000:.1f} ms")
    for name, secs in results.items():
        print(f"{name:56s} {secs * 1000:9.1f} ms  {secs / base:7.1f}x baseline")
    win.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="36,94", help="project sizes (MB), from: 36, 94")
    parser.add_argument("--docs", type=int, help="instead of --sizes: this many releases…")
    parser.add_argument("--annotations", type=int, default=200_000, help="…and annotations")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    if args.docs:
        bench_size(app, args.docs, args.annotations)
        return 0
    for size in (int(x) for x in args.sizes.split(",")):
        docs_n, anns_n = SIZES[size]
        print(f"— {size} MB project —")
        bench_size(app, docs_n, anns_n)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
