"""The git merge driver on a big project against a plain load of the same file.

    PYTHONPATH=. python tests/perf/bench_three_way.py [--docs 10000]
        [--annotations 200000] [--changed 1000] [--repeat 2] [--dir /tmp]

Builds the synthetic project (tests/perf/synth.py) as the base, then two
branches that each change ``--changed`` different annotations of it (a retag on
one side, a note on the other), and reports, best of ``--repeat`` interleaved
runs: a plain ``load_project`` of the base (the baseline), the model merge
alone (``merge_three_way`` on loaded projects), and the whole driver as git
runs it (``merge_files``: the three files cut into releases, the releases
either side changed read from base and theirs, ours read whole, the merge, the
checked save), with the driver's ratio to the plain load (target < 3x).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import best, make_project

from annotator.formats.project_xml import load_project, save_project
from annotator.model import Project, Retag, SetNote
from annotator.review.git_team import merge_files
from annotator.review.three_way import merge_three_way


def _branch(base: Project, picks: list[tuple[str, str]], kind: str) -> Project:
    project = load_copy(base)
    tags = [t.name for t in project.tagset.tags]
    for doc_id, ann_id in picks:
        ann = project.layers["alice"].docs[doc_id].annotations[ann_id]
        if kind == "retag":
            other = next(t for t in tags if t != ann.tag)
            Retag("alice", doc_id, ann_id, other, "bench").do(project)
        else:
            SetNote("alice", doc_id, ann_id, "checked against the source", "bench").do(project)
    return project


def load_copy(project: Project) -> Project:
    import copy

    return copy.deepcopy(project)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--annotations", type=int, default=200_000)
    ap.add_argument("--changed", type=int, default=1_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()))
    args = ap.parse_args(argv)
    folder = args.dir / f"three-way-{args.docs}"
    folder.mkdir(parents=True, exist_ok=True)
    base_path, ours_path, theirs_path = (folder / f"{n}.xml" for n in ("base", "ours", "theirs"))
    if not theirs_path.exists():
        base = make_project(args.docs, args.annotations, layers=("alice",))
        refs = [
            (doc_id, ann_id)
            for doc_id, da in base.layers["alice"].docs.items()
            for ann_id in da.annotations
        ]
        picks = random.Random(7).sample(refs, 2 * args.changed)
        save_project(base, base_path, backup=False)
        save_project(_branch(base, picks[: args.changed], "retag"), ours_path, backup=False)
        save_project(_branch(base, picks[args.changed :], "note"), theirs_path, backup=False)
    size = base_path.stat().st_size / 1e6
    loaded = [load_project(p)[0] for p in (base_path, ours_path, theirs_path)]
    work = folder / "work.xml"

    def driver() -> None:
        shutil.copyfile(ours_path, work)
        result = merge_files(base_path, work, theirs_path, "team.xml")
        assert result.status == 0, result.lines

    times = best(
        args.repeat,
        {
            "load": lambda: load_project(base_path),
            "merge (model)": lambda: merge_three_way(*loaded),
            "driver": driver,
        },
    )
    print(
        f"{args.docs} documents, {args.annotations} annotations, {size:.0f} MB; "
        f"{args.changed} changed on each side"
    )
    print(f"plain load:             {times['load']:.2f} s")
    print(
        f"merge (model only):     {times['merge (model)']:.2f} s "
        f"({times['merge (model)'] / times['load']:.2f}x load)"
    )
    ratio = times["driver"] / times["load"]
    print(
        f"merge driver (changed releases, ours whole, merge, save): {times['driver']:.2f} s "
        f"({ratio:.2f}x load, target < 3x: {'OK' if ratio < 3 else 'OVER'})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
