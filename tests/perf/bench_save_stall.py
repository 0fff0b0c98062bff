"""How long the window stops while a large project is saved, and while edits are journaled.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. python tests/perf/bench_save_stall.py \
        [--sizes 36,94] [--dir /tmp]

Uses the synthetic projects of bench_project_io.py (36 MB: 4,000 releases with
76,000 annotations; 94 MB: 10,000 with 200,000), built into ``DIR`` unless
already there. The window's event loop runs a 5 ms timer; the longest gap
between two ticks is how long a user's keypress would have waited. Measured in
the same run, for each size:

* baseline: the whole save on the UI thread (what Save and every autosave did
  before the journal);
* now: Save through the window (snapshot on the UI thread, serialise + write in
  the worker thread), its longest gap, and the time the UI thread itself spent
  before and after the worker (snapshot, rename bookkeeping);
* autosave, which is now the journal: one tag keypress's journaled edit
  (median, p99), and the longest gap while 200 edits arrive 10 ms apart;
* the loop doing nothing for as long (another process's load shows up here).

Target: the window never stops for more than 100 ms.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
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


def journal_burst(app: QApplication, session: object, doc_id: str, n: int) -> Callable[[], None]:
    """An action that makes ``n`` journaled edits 10 ms apart through the event loop,
    the way keys arrive while someone tags quickly."""

    def run() -> None:
        done: list[int] = []

        def edit() -> None:
            i = len(done)
            cmd = AddAnnotation(session.layer, doc_id, "victim", [(i, i + 2)])  # type: ignore[attr-defined]
            session.execute(cmd)  # type: ignore[attr-defined]
            done.append(i)
            if len(done) < n:
                QTimer.singleShot(10, edit)

        QTimer.singleShot(0, edit)
        while len(done) < n:
            app.processEvents()
            time.sleep(0.001)

    return run


def bench(app: QApplication, path: Path) -> None:
    from annotator.ui.file_ops import FileOps
    from annotator.ui.main_window import MainWindow

    size = path.stat().st_size / 1e6
    window = MainWindow("bench")
    window.file_ops.open_path(path, ask=False)
    window.show()
    session = window.session
    doc_id = session.current_doc_id
    project = session.project
    n_ann = sum(layer.annotation_count() for layer in project.layers.values())

    # one journaled edit: the command and its line, as a tag key does it
    steps = []
    for i in range(200):
        t0 = time.perf_counter()
        session.execute(AddAnnotation(session.layer, doc_id, "victim", [(i, i + 1)]))
        steps.append((time.perf_counter() - t0) * 1000)
    steps.sort()

    snaps = []
    for _ in range(3):
        t0 = time.perf_counter()
        snapshot(session.project)
        snaps.append((time.perf_counter() - t0) * 1000)

    def old_save() -> None:
        sha = save_project(session.project, path, expected_sha256=session.disk_sha256)
        window.recovery.remove()  # a save ends the journal (else it would take this for a merge)
        session.mark_saved(path, sha)

    # the machine's own noise: the same loop with nothing to do
    def idle() -> None:
        loop = QEventLoop()
        QTimer.singleShot(1000, loop.quit)
        loop.exec()

    # the UI thread's own share of a save: all of it but the wait for the worker
    waited: list[float] = []
    real_in_worker = FileOps._in_worker

    def timed_in_worker(self: FileOps, job: Callable[[], str]) -> str:
        t0 = time.perf_counter()
        try:
            return real_in_worker(self, job)
        finally:
            waited.append((time.perf_counter() - t0) * 1000)

    FileOps._in_worker = timed_in_worker  # type: ignore[method-assign]
    idle_stall, _ = longest_stall(app, idle)
    base_stall, base_wall = longest_stall(app, old_save)
    session.execute(AddAnnotation(session.layer, doc_id, "victim", [(300, 301)]))
    now_stall, now_wall = longest_stall(app, window.file_ops.save)
    assert not session.modified and not journal_path(path).exists()
    FileOps._in_worker = real_in_worker  # type: ignore[method-assign]
    ui_share = now_wall - waited[-1]
    # the journal's own share of each edit in the burst (the rest is the panels)
    record = window.recovery.record
    journaled: list[float] = []

    def timed_record(op: str, command: object) -> None:
        t0 = time.perf_counter()
        record(op, command)  # type: ignore[arg-type]
        journaled.append((time.perf_counter() - t0) * 1000)

    session.step_recorder = timed_record
    burst_stall, burst_wall = longest_stall(app, journal_burst(app, session, doc_id, 200))
    session.step_recorder = record
    journaled.sort()

    print(
        f"\nproject {path.name}: {len(project.documents)} releases, {n_ann} annotations, "
        f"{size:.1f} MB"
    )
    print(f"idle (the machine's own noise): longest gap {idle_stall:.0f} ms")
    print(
        f"baseline, save on the UI thread: window stopped {base_stall:.0f} ms "
        f"(the save took {base_wall:.0f} ms)"
    )
    print(
        f"now, save in the worker: window stopped at most {now_stall:.0f} ms "
        f"(the save took {now_wall:.0f} ms)"
    )
    print(f"  longest stop, now / baseline: {now_stall / base_stall:.3f}")
    print(
        f"  UI thread's own share of the save: {ui_share:.0f} ms "
        f"(snapshot alone: best {min(snaps):.0f} ms of 3)"
    )
    print(
        f"autosave = the journal: one journaled edit median {statistics.median(steps):.2f} ms, "
        f"p99 {steps[int(len(steps) * 0.99) - 1]:.2f} ms"
    )
    print(
        f"  200 journaled edits 10 ms apart: longest gap {burst_stall:.0f} ms "
        f"(took {burst_wall:.0f} ms); the journal's part of an edit: median "
        f"{statistics.median(journaled):.2f} ms, max {journaled[-1]:.2f} ms"
    )
    print("target: the window never stops for more than 100 ms")
    window.recovery.remove()
    window.closing_confirmed = True
    window.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="36,94", help="comma-separated, from: 36, 94")
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()))
    args = ap.parse_args(argv)
    from bench_project_io import SIZES, ensure_file

    app = QApplication.instance() or QApplication([])
    for mb in (int(s) for s in args.sizes.split(",")):
        docs, annotations = SIZES[mb]
        source = args.dir / f"project-io-{mb}.xml"
        ensure_file(source, docs, annotations)
        folder = Path(tempfile.mkdtemp(prefix="annotator-stall-", dir=args.dir))
        path = folder / "big.xml"
        shutil.copyfile(source, path)
        try:
            bench(app, path)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
