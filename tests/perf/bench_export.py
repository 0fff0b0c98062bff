"""Export speed on the 10,000-release benchmark project, against saving the project file.

    PYTHONPATH=. python tests/perf/bench_export.py [--docs 10000] [--annotations 200000]

Builds the synthetic project (tests/perf/synth.py), saves it once with
``save_project`` (the baseline, measured in the same run), then writes every
export format into a temporary folder and prints seconds, output MB, MB/s and
the ratio to the save time. Target: no format slower than 3x the project save.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from annotator.formats.project_xml import save_project
from annotator.interchange.common import ExportOptions
from annotator.interchange.registry import EXPORTERS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import make_project


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--annotations", type=int, default=200_000)
    parser.add_argument("--formats", default=",".join(EXPORTERS))
    parser.add_argument("--redact", action="store_true", help="also time a redacted export")
    args = parser.parse_args()
    t0 = time.perf_counter()
    project = make_project(args.docs, args.annotations)
    print(
        f"built {args.docs} releases, {args.annotations} annotations in "
        f"{time.perf_counter() - t0:.1f} s"
    )
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        t = time.perf_counter()
        save_project(project, base / "project.xml", backup=False)
        save_s = time.perf_counter() - t
        save_mb = size_of(base / "project.xml") / 1e6
        print(
            f"{'save_project':<14} {save_s:7.2f} s {save_mb:8.1f} MB {save_mb / save_s:7.1f} MB/s"
            "   1.00x"
        )
        worst = 0.0
        for name in args.formats.split(","):
            exp = EXPORTERS[name]
            out = base / f"out-{name}{exp.suffix}"
            options = ExportOptions(layer="alice", redact=("victim",) if args.redact else ())
            t = time.perf_counter()
            exp.write(project, out, options)
            secs = time.perf_counter() - t
            mb = size_of(out) / 1e6
            ratio = secs / save_s
            worst = max(worst, ratio)
            flag = "" if ratio <= 3 else "  SLOWER THAN 3x"
            print(
                f"{name:<14} {secs:7.2f} s {mb:8.1f} MB {mb / secs:7.1f} MB/s {ratio:6.2f}x{flag}"
            )
        print(f"worst ratio to save_project: {worst:.2f}x (target <= 3x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
