"""Overview speed on the 10,000-release benchmark project, against counting per tag.

    PYTHONPATH=. python tests/perf/bench_overview.py [--docs 10000] [--annotations 200000]

Builds the synthetic project (tests/perf/synth.py), then times, in the same run:
the baseline (``annotator stats``' count of every layer by tag, one walk over
the annotations), the whole overview of the first layer, the overview of one
country's releases (a filter change), the HTML page of the whole overview, and
a concordance of every victim. Each row prints seconds and the ratio to the
baseline; the issue's targets for the app are under 2 s to open and 300 ms for
a filter change.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from annotator.cli.stats import project_stats
from annotator.insight import Filter, concordance, overview, select
from annotator.insight.report import to_html

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import make_project


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--annotations", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs per row")
    args = parser.parse_args()
    t0 = time.perf_counter()
    project = make_project(args.docs, args.annotations)
    print(
        f"built {args.docs} releases, {args.annotations} annotations in "
        f"{time.perf_counter() - t0:.1f} s"
    )
    countries = Counter(d.meta.country for d in project.documents.values())
    country = countries.most_common(1)[0][0]

    def best(job: object) -> float:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            job()  # type: ignore[operator]
            times.append(time.perf_counter() - t)
        return min(times)

    base = best(lambda: project_stats(project))
    whole = overview(select(project, Filter(layer="alice")))
    rows = [
        ("stats (baseline)", base),
        ("overview, all", best(lambda: overview(select(project, Filter(layer="alice"))))),
        (
            f"overview, {country}",
            best(lambda: overview(select(project, Filter(layer="alice", country=country)))),
        ),
        ("HTML page", best(lambda: to_html(whole))),
        (
            "kwic victim",
            best(lambda: concordance(select(project, Filter(layer="alice")), "victim")),
        ),
    ]
    for name, secs in rows:
        print(f"{name:<28} {secs * 1000:8.1f} ms {secs / base:6.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
