"""What one writer at a time and atomic exports cost, against the same writes without them.

    PYTHONPATH=. python tests/perf/bench_atomic_writes.py [--docs 2000] [--annotations 40000]

Baselines, measured in the same run on the same synthetic project
(tests/perf/synth.py): ``save_project`` with the write lock replaced by a no-op,
and each exporter writing straight to its target (no staging, no fsync, no
rename). Each figure is the best of ``--repeat`` runs, the two sides in turns.
Target: the lock costs under 1 % of a save; a file export staged costs under
1.2x a direct one. A folder export pays one fsync per file (brat writes two per
release), done eight at a time; that is the price of finding either the whole
old folder or the whole new one after a power cut.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from annotator.formats import project_xml
from annotator.interchange.common import ExportOptions
from annotator.interchange.output import AtomicExporter
from annotator.interchange.registry import EXPORTERS
from tests.perf.synth import make_project


def best(a: Callable[[], Any], b: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Best seconds of ``a`` and of ``b``, run in turns (a shared machine drifts)."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in ((a, times[0]), (b, times[1])):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
    return min(times[0]), min(times[1])


def time_export(project: Any, name: str, base: Path, repeat: int) -> tuple[float, float]:
    """Best seconds of the bare exporter writing straight to a new target, and of the
    registered (staged, fsynced, renamed) one replacing its previous output."""
    exp = EXPORTERS[name]
    assert isinstance(exp, AtomicExporter)
    options = ExportOptions(layer="alice")
    n = [0]

    def direct() -> None:
        n[0] += 1
        exp.inner.write(project, base / f"direct-{name}-{n[0]}{exp.suffix}", options)

    def staged() -> None:
        exp.write(project, base / f"staged-{name}{exp.suffix}", options)

    return best(direct, staged, repeat)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--annotations", type=int, default=40_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default=",".join(EXPORTERS))
    args = parser.parse_args()
    project = make_project(args.docs, args.annotations)
    print(f"{args.docs} releases, {args.annotations} annotations; best of {args.repeat}")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        target = base / "project.xml"
        project_xml.save_project(project, target)
        real_lock = project_xml.write_lock

        def save() -> None:
            sha = project_xml.file_sha256(target)
            project_xml.save_project(project, target, expected_sha256=sha)

        def save_unlocked() -> None:
            project_xml.write_lock = lambda *_a, **_k: contextlib.nullcontext()  # type: ignore[assignment]
            try:
                save()
            finally:
                project_xml.write_lock = real_lock

        locked, unlocked = best(save, save_unlocked, args.repeat)
        rounds = 1000
        t0 = time.perf_counter()
        for _ in range(rounds):
            with real_lock(target):
                pass
        per_lock = (time.perf_counter() - t0) / rounds
        print(
            f"save_project  no lock {unlocked:6.3f} s  with lock {locked:6.3f} s  "
            f"{locked / unlocked:5.2f}x; the lock alone {per_lock * 1e6:.0f} µs "
            f"({per_lock / unlocked:.2%} of a save)"
        )
        worst = 0.0
        for name in args.formats.split(","):
            t_direct, t_staged = time_export(project, name, base, args.repeat)
            ratio = t_staged / t_direct
            worst = max(worst, ratio)
            print(f"{name:<12}  direct  {t_direct:6.3f} s  staged {t_staged:6.3f} s  {ratio:5.2f}x")
        print(f"worst staging ratio: {worst:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
