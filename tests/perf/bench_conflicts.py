"""Listing and settling merge conflicts on a big project, against a plain load of it.

    PYTHONPATH=. python tests/perf/bench_conflicts.py [--docs 10000]
        [--annotations 200000] [--conflicts 1000] [--repeat 2]

Builds the synthetic project (tests/perf/synth.py) as the base, two branches
that change the same ``--conflicts`` annotations differently (a retag on one
side, a resize on the other), merges them three-way (the driver's core), and
reports, best of ``--repeat``: a plain ``load_project`` of the merged file (the
baseline), ``list_conflicts`` (what review mode's Conflicts tab and
``annotator conflicts`` do after every edit), and settling all of them at once,
ours and theirs, each followed by its undo, with their ratios to the load.
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import best, make_project

from annotator.formats.project_xml import load_project, save_project
from annotator.model import Project, Resize, Retag
from annotator.review.conflicts import list_conflicts, resolve_all
from annotator.review.three_way import merge_three_way


def conflicted(docs: int, annotations: int, n: int) -> Project:
    base = make_project(docs, annotations, layers=("alice",))
    refs = [(d, a) for d, da in base.layers["alice"].docs.items() for a in da.annotations]
    picks = random.Random(7).sample(refs, n)
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    tags = [t.name for t in base.tagset.tags]
    for doc_id, ann_id in picks:
        ann = ours.layers["alice"].docs[doc_id].annotations[ann_id]
        Retag("alice", doc_id, ann_id, next(t for t in tags if t != ann.tag)).do(ours)
        frag = ann.fragments[-1]
        if frag.end - frag.start > 1:  # one character shorter: another span than ours
            shorter = [*ann.fragments[:-1], (frag.start, frag.end - 1)]
            Resize("alice", doc_id, ann_id, shorter).do(theirs)
    merged, report = merge_three_way(base, ours, theirs)
    print(f"{len(report.conflicts)} conflicts recorded by the merge")
    return merged


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--annotations", type=int, default=200_000)
    ap.add_argument("--conflicts", type=int, default=1_000)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args(argv)
    merged = conflicted(args.docs, args.annotations, args.conflicts)
    path = Path(tempfile.mkdtemp(prefix="bench-conflicts-")) / "team.xml"
    save_project(merged, path, backup=False)
    project, _ = load_project(path)
    found = list_conflicts(project)

    def settle(side: str) -> None:
        cmd = resolve_all(project, side)
        cmd.do(project)
        cmd.undo(project)

    for side in ("ours", "theirs"):  # once, checked, outside the timing
        cmd = resolve_all(project, side)
        cmd.do(project)
        assert not list_conflicts(project), side
        cmd.undo(project)
        assert len(list_conflicts(project)) == len(found), side

    times = best(
        args.repeat,
        {
            "load": lambda: load_project(path),
            "list": lambda: list_conflicts(project),
            "ours": lambda: settle("ours"),
            "theirs": lambda: settle("theirs"),
        },
    )
    size = path.stat().st_size / 1e6
    print(
        f"{args.docs} documents, {args.annotations} annotations, {size:.0f} MB; "
        f"{len(found)} conflicts listed"
    )
    load = times["load"]
    print(f"plain load:                     {load:.2f} s")
    print(
        f"list_conflicts:                 {times['list']:.3f} s ({times['list'] / load:.3f}x load)"
    )
    for side in ("ours", "theirs"):
        print(
            f"keep {side:<6} for all, then undo: {times[side]:.3f} s "
            f"({times[side] / load:.3f}x load)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
