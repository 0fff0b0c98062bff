"""Suggestions in the window: how long until they show, and how long the window stalls.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. python tests/perf/bench_suggest_gui.py [--repeat 40]

Opens the main window on the sample project with one more release: the sample's
first release repeated ``--repeat`` times (a long report, the worst case for one
release), turns suggestions on and reports, for that release:

* the time until its suggestions are on screen (computed on the worker);
* the longest gap between ticks of a 5 ms timer in the event loop meanwhile (what a
  key pressed then would wait at most), against the same gap with nothing
  computing, measured in the same run (the baseline);
* the time the same computation takes when run in the event loop, which is how
  long the window would freeze if it were not on the worker.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ANNOTATOR_SETTINGS_DIR", tempfile.mkdtemp(prefix="annotator-bench-"))
os.environ.setdefault("ANNOTATOR_NAME", "bench")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from annotator.assist.run import default_suggesters, suggest_document
from annotator.formats.project_xml import load_project
from annotator.model import Document, DocumentMeta

SAMPLE = Path(__file__).resolve().parents[2] / "projects" / "sample.xml"


def ticks_until(app: QApplication, done: object, limit_s: float = 120.0) -> tuple[float, float]:
    """(seconds until ``done()`` is true, longest gap between 5 ms ticks meanwhile)."""
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    t0 = time.perf_counter()
    timer.start()
    check = done if callable(done) else (lambda: True)
    while not check() and time.perf_counter() - t0 < limit_s:
        app.processEvents()
        time.sleep(0.001)
    elapsed = time.perf_counter() - t0
    timer.stop()
    return elapsed, max(gaps, default=0.0)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    from annotator.ui.main_window import MainWindow

    project, _ = load_project(SAMPLE)
    first = next(iter(project.documents.values()))
    long_text = "\n\n".join([first.text] * args.repeat)
    project.add_document(Document("long", long_text, DocumentMeta(headline="Long report")))
    window = MainWindow("bench")
    window.set_project(project, None, None)
    window.session.set_current_document("long")
    window.resize(1200, 800)
    window.show()
    app.processEvents()
    sug = window.suggestions

    start = time.perf_counter()
    _idle, base_gap = ticks_until(app, lambda: time.perf_counter() - start > 1.0)
    sug.set_shown(True)
    shown_s, busy_gap = ticks_until(app, lambda: not sug.busy)
    t0 = time.perf_counter()
    found = suggest_document(project, "long", "bench", default_suggesters(project, "bench"))
    inline_s = time.perf_counter() - t0
    print(f"release: {len(long_text):,} characters, {len(sug.items):,} suggestions shown")
    print(f"suggestions on screen after {shown_s * 1000:.0f} ms (computed on the worker)")
    print(
        f"longest event-loop gap while computing: {busy_gap * 1000:.0f} ms"
        f" (baseline, nothing computing: {base_gap * 1000:.0f} ms,"
        f" ratio {busy_gap / max(base_gap, 1e-6):.1f}x)"
    )
    print(
        f"the same computation in the event loop: {inline_s * 1000:.0f} ms"
        f" ({len(found):,} suggestions): the freeze the worker avoids"
    )
    sug.set_shown(False)
    window.closing_confirmed = True
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
