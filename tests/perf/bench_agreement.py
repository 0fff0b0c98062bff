"""Agreement over the 10,000-release benchmark project (two layers of ~200,000 annotations).

    PYTHONPATH=. python tests/perf/bench_agreement.py [--docs 10000] [--annotations 200000]

The baseline, measured in the same run, is one pass that merely iterates every
annotation of both layers and tokenises every text: the least any token-level
measure has to do. The target is the full project-level report in under 10 s.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from annotator.model import Project
from annotator.review.agreement import ALL, AgreementBuilder, agreement_report
from annotator.review.compare import compare_layers
from annotator.review.tokens import tokenise
from tests.perf.synth import make_project


def baseline(project: Project, layers: Sequence[str]) -> int:
    n = 0
    for name in layers:
        for da in project.layers[name].docs.values():
            for ann in da.annotations.values():
                n += len(ann.fragments)
    for doc in project.documents.values():
        n += len(tokenise(doc.text))
    return n


def sliced(
    project: Project, layers: Sequence[str], slice_s: float = 0.03
) -> tuple[float, float, float]:
    """The GUI's Agreement tab: releases measured in turns of ``slice_s`` (at least one
    release a turn), then the figures. (total, longest turn, final figures step)."""
    builder = AgreementBuilder(project, layers)
    t0 = time.perf_counter()
    longest = 0.0
    while not builder.finished:
        start = time.perf_counter()
        builder.run(1)
        while not builder.finished and time.perf_counter() < start + slice_s:
            builder.run(1)
        longest = max(longest, time.perf_counter() - start)
    t_final, _ = timed(builder.report)
    return time.perf_counter() - t0, longest, t_final


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--annotations", type=int, default=200_000)
    args = ap.parse_args(argv)
    layers = ("alice", "bob")
    t_gen, project = timed(lambda: make_project(args.docs, args.annotations, layers=layers))
    counts = {n: project.layers[n].annotation_count() for n in layers}
    print(f"generated {args.docs} documents, {counts} in {t_gen:.1f} s")
    t_base, _ = timed(lambda: baseline(project, layers))
    t_agree, rep = timed(lambda: agreement_report(project, layers))
    t_per_doc, _ = timed(lambda: agreement_report(project, layers, per_document=True))
    t_sliced, longest, t_final = sliced(project, layers)
    t_cmp, cmp = timed(lambda: compare_layers(project, layers))
    print(f"baseline (iterate annotations + tokenise texts): {t_base:.2f} s")
    print(
        f"agreement, whole project:        {t_agree:.2f} s  ({t_agree / t_base:.1f}x baseline)"
        f"  {'OK' if t_agree < 10 else 'OVER'} the 10 s target"
    )
    print(
        f"agreement, + every document:     {t_per_doc:.2f} s  ({t_per_doc / t_base:.1f}x baseline)"
    )
    print(
        f"agreement, in 30 ms turns (GUI): {t_sliced:.2f} s  ({t_sliced / t_agree:.2f}x one call);"
        f" longest turn {longest * 1000:.0f} ms; final figures {t_final * 1000:.0f} ms (a worker)"
    )
    print(f"comparison (all items):          {t_cmp:.2f} s  ({t_cmp / t_base:.1f}x baseline)")
    print(
        f"tokens {rep.tokens}; κ {rep.value('cohen_kappa', ALL):.3f}; "
        f"α {rep.value('krippendorff_alpha', ALL):.3f}; "
        f"α_U {rep.value('unitizing_alpha', ALL):.3f}; "
        f"F1 exact {rep.value('f1_exact', ALL):.3f}, overlap {rep.value('f1_overlap', ALL):.3f}; "
        f"{len(cmp.disagreements())} disagreements"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
