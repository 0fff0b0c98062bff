"""How long the window stops while a large project is saved, and what one journaled edit costs.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. python tests/perf/bench_save_stall.py \
        [--docs 10000] [--annotations 200000]

The window's event loop runs a 5 ms timer; the longest gap between two ticks
is how long a user's keypress would have waited. Measured in the same run:

* baseline: the whole save on the UI thread (what Save and every autosave did
  before the journal);
* now: Save through the window (snapshot on the UI thread, serialise + write in
  the worker thread);
* the snapshot alone, and one tag keypress's journal append (median, p99);
* the loop doing nothing for as long (another process's load shows up here).

Target: the window never stops for more than 100 ms.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ANNOTATOR_SETTINGS_DIR", tempfile.mkdtemp(prefix="annotator-bench-"))
os.environ.setdefault("ANNOTATOR_NAME", "bench")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from annotator.formats.journal import journal_path
from annotator.formats.project_xml import save_project
from annotator.model import AddAnnotation
from annotator.model.snapshot import snapshot


def longest_stall(app: QApplication, action: Callable[[], object]) -> tuple[float, float]:
    """(longest gap between 5 ms ticks, wall time) in ms while ``action`` runs in the loop."""
    clock = QElapsedTimer()
    ticks: list[int] = []
    tick = QTimer()
    tick.setInterval(5)
    tick.timeout.connect(lambda: ticks.append(clock.elapsed()))
    finished: list[float] = []

    def run() -> None:
        t0 = time.perf_counter()
        action()
        finished.append((time.perf_counter() - t0) * 1000)

    clock.start()
    tick.start()
    QTimer.singleShot(50, run)
    while not finished:
        app.processEvents()
        time.sleep(0.001)
    end = clock.elapsed() + 20
    while clock.elapsed() < end:
        app.processEvents()
    tick.stop()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    return float(max(gaps)), finished[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=2_000)
    ap.add_argument("--annotations", type=int, default=40_000)
    args = ap.parse_args(argv)
    from synth import make_project

    from annotator.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="annotator-stall-"))
    path = folder / "big.xml"
    save_project(make_project(args.docs, args.annotations), path)
    size = path.stat().st_size / 1e6
    window = MainWindow("bench")
    window.file_ops.open_path(path, ask=False)
    window.show()
    session = window.session
    doc_id = session.current_doc_id

    # one journaled edit: the command and its fsynced line, as a tag key does it
    steps = []
    for i in range(200):
        t0 = time.perf_counter()
        session.execute(AddAnnotation(session.layer, doc_id, "victim", [(i, i + 1)]))
        steps.append((time.perf_counter() - t0) * 1000)
    steps.sort()

    t0 = time.perf_counter()
    snapshot(session.project)
    snap_ms = (time.perf_counter() - t0) * 1000

    def old_save() -> None:
        save_project(session.project, path, expected_sha256=session.disk_sha256)
        from annotator.formats.project_xml import file_sha256

        session.mark_saved(path, file_sha256(path) or "")

    # the machine's own noise: the same loop with nothing to do
    def idle() -> None:
        loop = QEventLoop()
        QTimer.singleShot(1000, loop.quit)
        loop.exec()

    idle_stall, _ = longest_stall(app, idle)
    base_stall, base_wall = longest_stall(app, old_save)
    session.execute(AddAnnotation(session.layer, doc_id, "victim", [(300, 301)]))
    now_stall, now_wall = longest_stall(app, window.file_ops.save)
    assert not session.modified and not journal_path(path).exists()

    print(f"project: {args.docs} releases, {args.annotations} annotations, {size:.1f} MB")
    print(
        f"journaled edit (execute + fsynced line): median {statistics.median(steps):.2f} ms, "
        f"p99 {steps[int(len(steps) * 0.99) - 1]:.2f} ms"
    )
    print(f"snapshot on the UI thread: {snap_ms:.0f} ms")
    print(f"idle (the machine's own noise): longest gap {idle_stall:.0f} ms")
    print(f"baseline, save on the UI thread: window stopped {base_stall:.0f} ms")
    print(f"  (the save took {base_wall:.0f} ms)")
    print(f"now, save in the worker: window stopped at most {now_stall:.0f} ms")
    print(f"  (the save took {now_wall:.0f} ms)")
    print(f"longest stop, now / baseline: {now_stall / base_stall:.3f}")
    window.closing_confirmed = True
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
