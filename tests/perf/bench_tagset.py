"""Tag-set changes on a big project against writing that project once.

    PYTHONPATH=. python tests/perf/bench_tagset.py [--docs 10000]
        [--annotations 200000] [--repeat 3]

Builds the synthetic project (tests/perf/synth.py) and reports, best of
``--repeat`` interleaved runs: serialising the whole project (the baseline,
what every save costs), renaming the tag most annotations have and undoing it,
renaming a value of a multi-valued attribute, a change that touches no
annotation (a recolour), and merging a colleague's copy whose log holds one
rename (the replay walks every annotation once) against merging an identical
copy. Each with its ratio to the baseline: a change the user makes in the
editor should cost well under one save.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import best, make_project

from annotator.formats.project_writer import project_to_bytes
from annotator.model import Project
from annotator.model.tagset_commands import RecolourTag, RenameTag, RenameValue
from annotator.review.merge import merge_projects


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--annotations", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    project = make_project(args.docs, args.annotations, layers=("alice",))
    tags = Counter(a.tag for _l, _d, a in project.iter_annotations())
    tag = tags.most_common(1)[0][0]
    multi = next(
        (t.name, a.name, a.values[0])
        for t in project.tagset.tags
        for a in t.attributes
        if a.multiple and a.values
    )

    def rename_and_undo() -> None:
        cmd = RenameTag(tag, f"{tag}-renamed")
        cmd.do(project)
        cmd.undo(project)

    def rename_value_and_undo() -> None:
        cmd = RenameValue(*multi, f"{multi[2]}-renamed")
        cmd.do(project)
        cmd.undo(project)

    def recolour_and_undo() -> None:
        cmd = RecolourTag(tag, "#CC79A7")
        cmd.do(project)
        cmd.undo(project)

    def copy_of(p: Project) -> Project:
        return copy.deepcopy(p)

    renamed = copy_of(project)
    RenameTag(tag, f"{tag}-renamed", author="kim").do(renamed)
    same = copy_of(project)

    def merge_with(theirs: Project) -> Callable[[], None]:
        def run() -> None:
            mine, other = copy_of(project), copy_of(theirs)
            start = time.perf_counter()
            merge_projects(mine, other)
            timings.setdefault(id(theirs), []).append(time.perf_counter() - start)

        return run

    timings: dict[int, list[float]] = {}
    times = best(
        args.repeat,
        {
            "save (baseline)": lambda: project_to_bytes(project),
            "rename tag + undo": rename_and_undo,
            "rename value + undo": rename_value_and_undo,
            "recolour + undo": recolour_and_undo,
            "merge, identical": merge_with(same),
            "merge, their rename": merge_with(renamed),
        },
    )
    # the merges are timed without their copies
    times["merge, identical"] = min(timings[id(same)])
    times["merge, their rename"] = min(timings[id(renamed)])
    base = times["save (baseline)"]
    n = sum(tags.values())
    print(f"{args.docs} documents, {n} annotations; tag {tag!r} on {tags[tag]}")
    for name, secs in times.items():
        print(f"{name:<22} {secs * 1000:8.1f} ms  ({secs / base:.2f}x a save)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
