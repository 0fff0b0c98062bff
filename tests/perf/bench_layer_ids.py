"""What a new annotation's id costs in a big layer (10,000 releases, 200,000 annotations).

    PYTHONPATH=. python tests/perf/bench_layer_ids.py [--docs N] [--annotations N] [--ids N]

Three runs of ``AddAnnotation`` (each allocating an id with ``Layer.next_id``):
with the layer's counter as the file recorded it; with the counter reset to 0
(a file another tool wrote: every number up to the highest id is taken); and,
as the baseline, the same commands given explicit fresh ids on a one-document
layer, where no id search is needed at all. Ratios are against that baseline.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import make_project

from annotator.model import AddAnnotation, Project


def _add_many(project: Project, layer: str, doc_id: str, n: int, explicit: bool) -> float:
    t0 = time.perf_counter()
    for i in range(n):
        AddAnnotation(
            layer, doc_id, "victim", [(0, 1)], ann_id=f"bench{i}" if explicit else None
        ).do(project)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--annotations", type=int, default=200_000)
    ap.add_argument("--ids", type=int, default=300, help="new annotations per run")
    args = ap.parse_args()
    project = make_project(args.docs, args.annotations)
    layer = project.layers["alice"]
    doc_id = next(iter(project.documents))

    small = make_project(1, 10)
    base = _add_many(small, "alice", next(iter(small.documents)), args.ids, explicit=True)
    kept = _add_many(project, "alice", doc_id, args.ids, explicit=False)
    layer.counter = 0
    lagging = _add_many(project, "alice", doc_id, args.ids, explicit=False)

    print(f"{args.docs} releases, {layer.annotation_count()} annotations in the layer")
    print(f"baseline (explicit ids, 1 release): {base * 1000:8.1f} ms per {args.ids} ids")
    for label, secs in (("counter as saved", kept), ("counter reset to 0", lagging)):
        print(f"{label:>35}: {secs * 1000:8.1f} ms  ({secs / base:6.1f}x baseline)")


if __name__ == "__main__":
    main()
