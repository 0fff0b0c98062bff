"""Chance-corrected agreement coefficients on plain tables, nothing annotator-specific.

These are the exact functions the layer-level code in :mod:`annotator.review.agreement`
calls, so the published worked examples in the tests check the same code path as
the numbers the GUI and ``annotator agree`` show. Every function takes optional
``weights`` (one per row or unit) so that many identical units, e.g. thousands of
tokens nobody tagged, are counted once with their multiplicity.

A coefficient whose expected agreement is perfect (only one category was ever
used) is undefined; the functions return ``nan`` then, which the reports print
as "n/a".
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from itertools import combinations


def _nan_if(denominator: float) -> bool:
    return abs(denominator) < 1e-15


def observed_agreement(table: Sequence[Sequence[float]]) -> float:
    """Share of items on the diagonal of a square contingency table."""
    total = sum(sum(row) for row in table)
    if total == 0:
        return math.nan
    return sum(table[i][i] for i in range(len(table))) / total


def cohen_kappa(table: Sequence[Sequence[float]]) -> float:
    """Cohen's (1960) κ of a square contingency table ``table[a][b]``.

    Rows are coder A's categories, columns coder B's, in the same order.
    κ = (A_o − A_e) / (1 − A_e) with A_e = Σ_k (row_k / N)(col_k / N): each
    coder's own marginal distribution (Artstein & Poesio 2008, §2.4).
    """
    k = len(table)
    if any(len(row) != k for row in table):
        raise ValueError("cohen_kappa needs a square table")
    total = sum(sum(row) for row in table)
    if total == 0:
        return math.nan
    rows = [sum(row) / total for row in table]
    cols = [sum(table[r][c] for r in range(k)) / total for c in range(k)]
    a_o = sum(table[i][i] for i in range(k)) / total
    a_e = sum(r * c for r, c in zip(rows, cols, strict=True))
    if _nan_if(1 - a_e):
        return math.nan
    return (a_o - a_e) / (1 - a_e)


def fleiss_kappa(
    counts: Sequence[Sequence[float]], weights: Sequence[float] | None = None
) -> float:
    """Fleiss' (1971) κ — Artstein & Poesio's multi-π — from per-item category counts.

    ``counts[i][k]`` is how many coders put item ``i`` in category ``k``; every
    item must have the same number of coders ``n`` ≥ 2. With P_i = (Σ_k n_ik² − n)
    / (n(n − 1)), P̄ the (weighted) mean of P_i and p_k the share of all
    assignments in category k, κ = (P̄ − Σ p_k²) / (1 − Σ p_k²).
    """
    if not counts:
        return math.nan
    ws = list(weights) if weights is not None else [1.0] * len(counts)
    n = sum(counts[0])
    if n < 2:
        raise ValueError("fleiss_kappa needs at least two coders per item")
    k = len(counts[0])
    totals = [0.0] * k
    p_bar = 0.0
    n_items = 0.0
    for row, w in zip(counts, ws, strict=True):
        if sum(row) != n or len(row) != k:
            raise ValueError("fleiss_kappa needs the same number of coders on every item")
        p_bar += w * (sum(x * x for x in row) - n) / (n * (n - 1))
        n_items += w
        for j, x in enumerate(row):
            totals[j] += w * x
    if n_items == 0:
        return math.nan
    p_bar /= n_items
    p_e = sum((t / (n_items * n)) ** 2 for t in totals)
    if _nan_if(1 - p_e):
        return math.nan
    return (p_bar - p_e) / (1 - p_e)


def multi_kappa(
    reliability_data: Sequence[Sequence[Hashable]], weights: Sequence[float] | None = None
) -> float:
    """Davies & Fleiss' (1982) multi-κ (Artstein & Poesio's κ for several coders).

    ``reliability_data[c][u]`` is coder ``c``'s category for unit ``u`` (no gaps).
    Observed agreement as in Fleiss' κ; expected agreement is the mean over coder
    pairs of Σ_k P(k | c_m) P(k | c_n), i.e. each coder keeps their own
    distribution. For two coders it equals Cohen's κ.
    """
    m = len(reliability_data)
    if m < 2:
        raise ValueError("multi_kappa needs at least two coders")
    n_units = len(reliability_data[0])
    ws = list(weights) if weights is not None else [1.0] * n_units
    total = sum(ws)
    if total == 0:
        return math.nan
    dists: list[dict[Hashable, float]] = []
    for coder in reliability_data:
        dist: dict[Hashable, float] = defaultdict(float)
        for value, w in zip(coder, ws, strict=True):
            dist[value] += w
        dists.append(dist)
    pairs = list(combinations(range(m), 2))
    agree = 0.0
    for u, w in enumerate(ws):
        agree += w * sum(reliability_data[a][u] == reliability_data[b][u] for a, b in pairs)
    a_o = agree / (total * len(pairs))
    a_e = sum(
        sum(dists[a][k] * dists[b].get(k, 0.0) for k in dists[a]) / (total * total)
        for a, b in pairs
    ) / len(pairs)
    if _nan_if(1 - a_e):
        return math.nan
    return (a_o - a_e) / (1 - a_e)


def krippendorff_alpha_nominal(
    reliability_data: Sequence[Sequence[Hashable | None]],
    weights: Sequence[float] | None = None,
) -> float:
    """Krippendorff's α for nominal data; ``None`` marks a missing value.

    ``reliability_data[c][u]`` is coder ``c``'s value for unit ``u``
    (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", §A).
    Units with fewer than two values are not pairable and are dropped. From the
    coincidence matrix o_ck = Σ_u (number of c–k pairs in u) / (m_u − 1) and
    n_c = Σ_k o_ck, n = Σ_c n_c:
    α = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c · n_k.
    """
    if not reliability_data:
        return math.nan
    n_units = len(reliability_data[0])
    ws = list(weights) if weights is not None else [1.0] * n_units
    disagree = 0.0  # Σ_{c≠k} o_ck
    n_c: dict[Hashable, float] = defaultdict(float)
    for u, w in enumerate(ws):
        values = Counter(coder[u] for coder in reliability_data if coder[u] is not None)
        m_u = sum(values.values())
        if m_u < 2 or w == 0:
            continue
        squares = sum(x * x for x in values.values())
        disagree += w * (m_u * m_u - squares) / (m_u - 1)
        for value, x in values.items():
            n_c[value] += w * x
    n = sum(n_c.values())
    expected = n * n - sum(x * x for x in n_c.values())  # Σ_{c≠k} n_c n_k
    if n == 0 or _nan_if(expected):
        return math.nan
    return 1.0 - (n - 1) * disagree / expected


def precision_recall_f1(matched: float, reference: float, candidate: float) -> tuple[float, ...]:
    """(precision, recall, F1) of ``candidate`` against ``reference`` given matches.

    Symmetric in the sense that swapping the layers swaps precision and recall
    and keeps F1. Empty sides give ``nan`` rather than a made-up 0 or 1.
    """
    precision = matched / candidate if candidate else math.nan
    recall = matched / reference if reference else math.nan
    f1 = math.nan if reference + candidate == 0 else 2 * matched / (reference + candidate)
    return precision, recall, f1


__all__ = [
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha_nominal",
    "multi_kappa",
    "observed_agreement",
    "precision_recall_f1",
]
