"""Importing a brat or MAE corpus, against our own export of the same data.

    PYTHONPATH=. python tests/perf/bench_corpus_import.py [--docs 3000] [--annotations 60000]

Builds the synthetic project (tests/perf/synth.py), exports its layer to brat
and to MAE (the baseline, timed in the same run), then imports each folder back
into a new project through the one import path (``plan_import`` and its
command, as ``annotator import`` does) and prints seconds and the ratio
import / export. A second import of the brat folder into the project that
already holds its texts measures matching by text and the duplicate check.
Target: every ratio at most 3.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from annotator.importing import ImportOptions, plan_import
from annotator.interchange.common import ExportOptions
from annotator.interchange.registry import EXPORTERS
from annotator.model import Project

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import make_project


def _import(project: Project, folder: Path, layer: str) -> tuple[float, int]:
    t = time.perf_counter()
    report, command = plan_import(project, [folder], ImportOptions(layer=layer))
    command.do(project)
    seconds = time.perf_counter() - t
    if report.skipped:
        raise SystemExit(f"skipped: {report.skipped[:3]}")
    return seconds, sum(s.annotations_added for s in report.annotated)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--annotations", type=int, default=60_000)
    args = parser.parse_args()
    t0 = time.perf_counter()
    project = make_project(args.docs, args.annotations)
    print(
        f"built {args.docs} releases, {args.annotations} annotations in "
        f"{time.perf_counter() - t0:.1f} s"
    )
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("brat", "mae"):
            out = Path(tmp) / fmt
            t = time.perf_counter()
            EXPORTERS[fmt].write(project, out, ExportOptions(layer="alice"))
            export_s = time.perf_counter() - t
            fresh = Project(name="back", tagset=project.tagset)
            import_s, added = _import(fresh, out, "alice")
            ratio = import_s / export_s
            worst = max(worst, ratio)
            print(
                f"{fmt:<5} export {export_s:6.2f} s   import {import_s:6.2f} s "
                f"({added} annotations)   import/export {ratio:5.2f}x"
            )
            if fmt == "brat":
                again_s, again = _import(fresh, out, "bob")
                ratio = again_s / export_s
                worst = max(worst, ratio)
                print(
                    f"brat into the same texts, another layer: {again_s:6.2f} s "
                    f"({again} annotations)   import/export {ratio:5.2f}x"
                )
    print(f"worst ratio {worst:.2f}x (target: at most 3x)")
    return 0 if worst <= 3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
