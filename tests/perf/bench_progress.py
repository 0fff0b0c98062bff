"""What counting and cancelling cost a long job: each job with a progress bar against without.

    PYTHONPATH=. python tests/perf/bench_progress.py [--docs 2000] [--repeat 5]

Builds a synthetic project (tests/perf/synth.py, two layers) and a folder of
release files, then times each long job the CLI and the window run, first with
``progress=None`` (the baseline, measured in the same run) and then with a
:class:`~annotator.progress.Progress` whose sink keeps the last step (what the
window's poll and the terminal bar do). Runs alternate and the best of
``--repeat`` counts, in CPU seconds (a shared machine's other work does not).
Prints seconds, the ratio with/without and the sink calls.
Target: every ratio under 1.03 (counting is a few percent at most).

It also times the bare cost of one ``advance()`` in a loop of a million steps,
against the same loop without it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from annotator.assist.run import default_suggesters, suggest_project
from annotator.importing import ImportOptions, plan_import
from annotator.insight.aggregate import overview
from annotator.insight.scope import Filter, select
from annotator.interchange.common import ExportOptions
from annotator.interchange.registry import EXPORTERS
from annotator.model import Project
from annotator.progress import Progress, Step, track
from annotator.review.agreement import agreement_report

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(REPO))
from synth import make_project  # noqa: E402

from tests.jobs_support import release_folder  # noqa: E402

Job = Callable[[Progress | None], object]


def jobs(project: Project, folder: Path, out: Path) -> dict[str, Job]:
    fixed = default_suggesters(project, "alice", ["appeal-cues", "authority-lexicon"])

    def export(fmt: str, name: str) -> Job:
        # the format's own writer, without the staging's fsyncs: those wait for the
        # disk, the same with or without a bar, and only add noise to the ratio
        writer = EXPORTERS[fmt].inner.inner  # type: ignore[attr-defined]
        return lambda p: writer.write(project, out / name, ExportOptions(layer="alice", progress=p))

    return {
        "import a folder": lambda p: plan_import(
            Project(name="x", tagset=project.tagset),
            [folder],
            ImportOptions(layer="alice"),
            progress=p,
        ),
        "suggest (2 suggesters)": lambda p: sum(
            len(f) for _, f in suggest_project(project, "alice", suggesters=fixed, progress=p)
        ),
        "agreement": lambda p: agreement_report(project, ["alice", "bob"], progress=p),
        "export json": export("json", "x.json"),
        "export csv": export("csv", "x.csv"),
        "export brat": export("brat", "brat"),
        "overview": lambda p: overview(select(project, Filter(layer="alice")), progress=p),
    }


def timed(job: Job, progress: Progress | None) -> float:
    """CPU seconds of this process: the machine's other work does not count."""
    t0 = time.process_time()
    job(progress)
    return time.process_time() - t0


def bare_advance(n: int) -> tuple[float, float]:
    """Seconds for ``n`` empty steps, without and with a Progress counting them."""
    t0 = time.perf_counter()
    for _ in track(range(n), None, "x", "item"):
        pass
    plain = time.perf_counter() - t0
    progress = Progress(lambda step: None)
    t0 = time.perf_counter()
    for _ in track(range(n), progress, "x", "item"):
        pass
    return plain, time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--annotations", type=int, default=40_000)
    parser.add_argument("--files", type=int, default=400, help="release files to import")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    project = make_project(args.docs, args.annotations, layers=("alice", "bob"))
    print(
        f"project: {len(project.documents):,} releases, "
        f"{project.layers['alice'].annotation_count():,} annotations per layer"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = release_folder(Path(tmp) / "releases", args.files)
        out = Path(tmp) / "out"
        out.mkdir()
        print(f"{'job':<24} {'without':>9} {'with':>9} {'ratio':>7} {'reports':>8}")
        for name, job in jobs(project, folder, out).items():
            base, counted, reports = [], [], 0
            for i in range(args.repeat):
                last: list[Step] = []
                progress = Progress(last.append)  # the window keeps the last step too
                if i % 2:  # alternate which goes first: the machine warms up and cools down
                    counted.append(timed(job, progress))
                    base.append(timed(job, None))
                else:
                    base.append(timed(job, None))
                    counted.append(timed(job, progress))
                reports = progress.reports
            b, c = min(base), min(counted)
            print(f"{name:<24} {b:>8.3f}s {c:>8.3f}s {c / b:>7.3f} {reports:>8}")
    n = 1_000_000
    plain, counted_loop = bare_advance(n)
    per_step = (counted_loop - plain) / n * 1e9
    print(
        f"one advance(): {per_step:.0f} ns per step ({n:,} empty steps: {plain:.3f}s plain, "
        f"{counted_loop:.3f}s counted)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
