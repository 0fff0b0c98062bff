"""Krippendorff's unitizing alpha (α_U) over spans on a continuum.

Implemented from Krippendorff (2004), "Measuring the reliability of qualitative
text analysis data", Quality & Quantity 38:787–800 (after Krippendorff 1995,
Sociological Methodology 25:47–76). Each of ``m`` coders divides the continuum
of length ``L`` into *sections*: units ``v = 1`` (spans they gave category c)
and the gaps between them ``v = 0``. For sections g of coder i and h of coder j
with beginnings b, lengths l:

  δ²(g, h) = (b_g − b_h)² + (b_g + l_g − b_h − l_h)²   both units and they overlap
           = l_g²                                         unit g lies inside gap h
           = l_h²                                         unit h lies inside gap g
           = 0                                            otherwise

  D_o(c) = Σ_i Σ_{j≠i} Σ_g Σ_h δ²(g, h) / (m (m − 1) L²)

  D_e(c) = (2 / L) · Σ_i Σ_g v_ig [ (N_c − 1)/3 · (2 l_ig³ − 3 l_ig² + l_ig)
                      + l_ig² · Σ_j Σ_h (1 − v_jh)(l_jh − l_ig + 1)·[l_jh ≥ l_ig] ]
           / [ m L (m L − 1) − Σ_i Σ_g v_ig l_ig (l_ig − 1) ]

with N_c the number of units of category c over all coders, and
α_U(c) = 1 − D_o(c) / D_e(c); over all categories α_U = 1 − Σ_c D_o(c) / Σ_c D_e(c).
The tests reproduce the paper's worked example (α_c = 0.7285, α_U = 0.8587).

A coder's own *overlapping* units of one category are merged first (the
definition assumes they do not overlap). Units that only touch (one ends where
the next begins) stay two units with no gap between them: a coder who splits a
stretch in two disagrees with one who marks it whole, as in Krippendorff's
(1995) examples B and D. Like DKPro Statistics, α_U is 0 when the observed and
the expected disagreement are equal (also when both are 0 because the only
units of a category are empty); a category nobody used has no α_U (NaN). The
sums over gaps of length ≥ l use sorted gap lengths and prefix sums, so the
cost is O(n log n), not O(n²).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

Span = tuple[int, int]


@dataclass(frozen=True)
class UnitizingResult:
    """α_U per category and overall, with the disagreements they come from."""

    observed: dict[str, float] = field(default_factory=dict)
    expected: dict[str, float] = field(default_factory=dict)

    def category(self, category: str) -> float:
        if category not in self.expected:
            return math.nan
        return _alpha(self.observed[category], self.expected[category])

    @property
    def overall(self) -> float:
        if not self.expected:
            return math.nan
        return _alpha(sum(self.observed.values()), sum(self.expected.values()))

    @property
    def categories(self) -> list[str]:
        return sorted(self.expected)


def _alpha(d_o: float, d_e: float) -> float:
    if d_o == d_e:  # no better than chance, also when there is nothing to disagree on
        return 0.0
    if d_e <= 0:
        return math.nan
    return 1.0 - d_o / d_e


def _merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted units with overlapping ones joined; touching units stay apart."""
    out: list[Span] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _gaps(units: Sequence[Span], begin: int, end: int) -> list[int]:
    """Lengths of the gaps between sorted disjoint ``units`` on [begin, end)."""
    out: list[int] = []
    pos = begin
    for s, e in units:
        if s > pos:
            out.append(s - pos)
        pos = e
    if end > pos:
        out.append(end - pos)
    return out


def _pair_disagreement(a: Sequence[Span], b: Sequence[Span]) -> float:
    """Σ δ² over the sections of two coders (one direction), a and b sorted, disjoint."""
    total = 0.0
    a_hit = [False] * len(a)
    b_hit = [False] * len(b)
    j0 = 0
    for i, (s, e) in enumerate(a):
        while j0 < len(b) and b[j0][1] <= s:
            j0 += 1
        j = j0
        while j < len(b) and b[j][0] < e:
            bs, be = b[j]
            total += (s - bs) ** 2 + (e - be) ** 2
            a_hit[i] = b_hit[j] = True
            j += 1
    # a unit that overlaps no unit of the other coder lies inside one of their gaps
    total += sum((e - s) ** 2 for (s, e), hit in zip(a, a_hit, strict=True) if not hit)
    total += sum((e - s) ** 2 for (s, e), hit in zip(b, b_hit, strict=True) if not hit)
    return total


def unitizing_alpha(
    coders: Sequence[Iterable[tuple[int, int, str]]], length: int, begin: int = 0
) -> UnitizingResult:
    """α_U of ``coders`` (each an iterable of ``(start, end, category)``) on [begin, begin+length).

    Every coder is taken to have coded the whole continuum; spans outside it are
    clipped. An empty span names its category but carries no length.
    """
    m = len(coders)
    if m < 2 or length <= 0:
        return UnitizingResult()
    end = begin + length
    by_cat: dict[str, list[list[Span]]] = {}
    for ci, spans in enumerate(coders):
        for s, e, cat in spans:
            empty = s == e and begin <= s <= end
            s, e = max(s, begin), min(e, end)
            if s < e or empty:
                own = by_cat.setdefault(cat, [[] for _ in range(m)])[ci]
                if s < e:
                    own.append((s, e))
    result = UnitizingResult()
    big_l = float(length)
    for cat, raw in sorted(by_cat.items()):
        units = [_merge(spans) for spans in raw]
        d_o = 0.0
        for i in range(m):
            for j in range(i + 1, m):
                d_o += 2 * _pair_disagreement(units[i], units[j])
        result.observed[cat] = d_o / (m * (m - 1) * big_l * big_l)
        result.expected[cat] = _expected(units, begin, end, m, big_l)
    return result


def _expected(units: list[list[Span]], begin: int, end: int, m: int, big_l: float) -> float:
    lengths = [e - s for coder in units for s, e in coder]
    n_c = len(lengths)
    gaps = sorted(g for coder in units for g in _gaps(coder, begin, end))
    # suffix sums over sorted gap lengths: count and total of gaps with length >= l
    prefix = [0, *accumulate(gaps)]
    total_gap = prefix[-1]
    numerator = 0.0
    for length in lengths:
        k = bisect_left(gaps, length)
        count_ge = len(gaps) - k
        sum_ge = total_gap - prefix[k]
        gap_term = sum_ge - (length - 1) * count_ge  # Σ (l_gap − l + 1) over l_gap ≥ l
        numerator += (n_c - 1) / 3 * (2 * length**3 - 3 * length**2 + length)
        numerator += length * length * gap_term
    denominator = m * big_l * (m * big_l - 1) - sum(x * (x - 1) for x in lengths)
    if denominator <= 0:
        return 0.0
    return (2 / big_l) * numerator / denominator


__all__ = ["UnitizingResult", "unitizing_alpha"]
