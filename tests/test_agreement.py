"""Agreement measures: published worked examples and hand-made layers with known answers."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.errors import UnknownLayer
from annotator.model import Status
from annotator.review.agreement import ALL, agreement_report
from annotator.review.coefficients import (
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha_nominal,
    multi_kappa,
    observed_agreement,
    precision_recall_f1,
)
from annotator.review.tokens import OUTSIDE, TokenCounter, TokenIndex, token_label, tokenise
from annotator.review.unitizing import unitizing_alpha
from tests.review_support import add, project, tokens_span, words
from tests.strategies import unit_continua

# --- Artstein & Poesio (2008), Table 1 ----------------------------------------------------
# coder A (columns) vs coder B (rows), categories STAT / IREQ
AP_TABLE_1 = [[20, 20], [10, 50]]


def test_artstein_poesio_table_1() -> None:
    assert observed_agreement(AP_TABLE_1) == pytest.approx(0.70)
    assert round(cohen_kappa(AP_TABLE_1), 3) == 0.348
    # κ does not depend on which coder is the row
    transposed = [list(r) for r in zip(*AP_TABLE_1, strict=True)]
    assert cohen_kappa(transposed) == pytest.approx(cohen_kappa(AP_TABLE_1))


def test_table_1_through_layers() -> None:
    """The same 100 items as tokens: alice tags 30 as appeal, bob 40, 20 shared."""
    p = project(words(100))
    add(p, "alice", "d1", "appeal", tokens_span(0, 30))
    add(p, "bob", "d1", "appeal", tokens_span(0, 20))
    add(p, "bob", "d1", "appeal", tokens_span(30, 50))
    rep = agreement_report(p, ["alice", "bob"])
    assert rep.tokens == 100
    assert rep.value("token_observed", "appeal") == pytest.approx(0.70)
    assert round(rep.value("cohen_kappa", "appeal"), 3) == 0.348
    assert round(rep.value("cohen_kappa", ALL), 3) == 0.348  # only one tag used


# --- Artstein & Poesio (2008), Table 4: STAT / IREQ / CHCK, 100 items, 2 coders ---------
# (the data NLTK ships as artstein_poesio_example.txt). Rows coder A, columns coder B.
AP_TABLE_4 = [[46, 0, 0], [6, 32, 6], [0, 0, 10]]


def _ap4_items() -> tuple[list[str], list[str]]:
    a: list[str] = []
    b: list[str] = []
    cats = ["stat", "ireq", "chck"]
    for i, row in enumerate(AP_TABLE_4):
        for j, n in enumerate(row):
            a += [cats[i]] * n
            b += [cats[j]] * n
    return a, b


def test_artstein_poesio_table_4() -> None:
    assert observed_agreement(AP_TABLE_4) == pytest.approx(0.88)
    assert round(cohen_kappa(AP_TABLE_4), 4) == 0.8013
    a, b = _ap4_items()
    # Davies & Fleiss multi-κ on the raw items is the same code path for 2+ coders
    assert round(multi_kappa([a, b]), 4) == 0.8013
    # Fleiss' κ is Artstein & Poesio's multi-π: on this table it is π = 0.7995, not 0.8013
    counts = [
        [(x == c) + (y == c) for c in ("stat", "ireq", "chck")] for x, y in zip(a, b, strict=True)
    ]
    assert round(fleiss_kappa(counts), 4) == 0.7995


def test_table_4_through_layers() -> None:
    tag_of = {"stat": "appeal", "ireq": "victim", "chck": "authority"}
    a, b = _ap4_items()
    p = project(words(100))
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        add(p, "alice", "d1", tag_of[x], tokens_span(i, i + 1))
        add(p, "bob", "d1", tag_of[y], tokens_span(i, i + 1))
    rep = agreement_report(p, ["alice", "bob"])
    assert round(rep.value("cohen_kappa", ALL), 4) == 0.8013
    assert rep.value("f1_exact", ALL) == pytest.approx(0.88)


# --- Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", §C -----------------
KRIPPENDORFF_DATA = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def test_krippendorff_reliability_example() -> None:
    assert round(krippendorff_alpha_nominal(KRIPPENDORFF_DATA), 3) == 0.743
    # weights count a unit several times: duplicating every unit changes nothing... except n
    doubled = [row + row for row in KRIPPENDORFF_DATA]
    weighted = krippendorff_alpha_nominal(KRIPPENDORFF_DATA, [2.0] * 12)
    assert weighted == pytest.approx(krippendorff_alpha_nominal(doubled))


def test_fleiss_wikipedia_example() -> None:
    counts = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    assert round(fleiss_kappa(counts), 3) == 0.210


def test_coefficients_edge_cases() -> None:
    assert math.isnan(cohen_kappa([[5, 0], [0, 0]]))  # one category only: undefined
    assert math.isnan(cohen_kappa([[0, 0], [0, 0]]))
    assert cohen_kappa([[3, 0], [0, 7]]) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        cohen_kappa([[1, 2]])
    with pytest.raises(ValueError):
        fleiss_kappa([[2, 0], [1, 0]])
    assert precision_recall_f1(1, 2, 3) == pytest.approx((1 / 3, 1 / 2, 2 / 5))


# --- Krippendorff (2004), unitizing example (α_U) -----------------------------------------
CODER_I = [(225, 295, "c"), (370, 400, "c"), (180, 240, "k"), (300, 350, "k")]
CODER_J = [(220, 300, "c"), (355, 375, "c"), (400, 420, "c"), (180, 240, "k"), (300, 350, "k")]


def test_krippendorff_unitizing_example() -> None:
    r = unitizing_alpha([CODER_I, CODER_J], length=300, begin=150)
    assert r.observed["c"] == pytest.approx(0.0144, abs=1e-4)
    assert r.expected["c"] == pytest.approx(0.0532, abs=1e-4)
    assert r.expected["k"] == pytest.approx(0.0490, abs=1e-4)
    assert r.category("c") == pytest.approx(0.7285, abs=2e-4)
    assert r.category("k") == 1.0
    assert r.overall == pytest.approx(0.8587, abs=1e-4)


def test_krippendorff_2004_as_dkpro_statistics() -> None:
    """DKPro Statistics' Krippendorff2004Test: the same study, its tolerances."""
    r = unitizing_alpha([CODER_I, CODER_J], length=300, begin=150)
    assert r.overall == pytest.approx(0.8591, abs=0.0005)
    assert r.observed["c"] == pytest.approx(0.0144, abs=1e-4)
    assert r.expected["c"] == pytest.approx(0.0532, abs=1e-4)
    assert r.category("c") == pytest.approx(0.7286, abs=1e-4)
    assert r.observed["k"] == pytest.approx(0.0, abs=1e-4)
    assert r.expected["k"] == pytest.approx(0.0490, abs=1e-4)
    assert r.category("k") == pytest.approx(1.0, abs=1e-4)


# --- Krippendorff (1995: p. 57), examples A-D, as DKPro Statistics' Krippendorff1995Test -----
# (offset, length, coder) per example; the example letter is the category. In B and D
# the coders' units touch: John marks one unit where Jill marks six, Heather and Hill
# cover the whole continuum with units that abut at different places.
K1995 = {
    "A": [(2, 8, 0), (14, 6, 0), (4, 4, 1), (15, 2, 1)],
    "B": [(0, 18, 0), (0, 2, 1), (2, 1, 1), (3, 1, 1), (4, 1, 1), (5, 1, 1), (6, 3, 1), (9, 1, 1)],
    "C": [
        *[(2, 6, 0), (10, 2, 0), (14, 4, 0), (20, 2, 0)],
        *[(0, 2, 1), (4, 4, 1), (10, 4, 1), (16, 2, 1), (20, 2, 1)],
    ],
    "D": [
        *[(0, 2, 0), (2, 8, 0), (10, 4, 0), (14, 6, 0), (20, 4, 0)],
        *[(0, 4, 1), (4, 4, 1), (8, 7, 1), (15, 2, 1), (17, 7, 1)],
    ],
}


def _k1995(stretch: float) -> list[list[tuple[int, int, str]]]:
    """The study stretched as DKPro does it: every number times ``stretch``, truncated."""
    coders: list[list[tuple[int, int, str]]] = [[], []]
    for cat, units in K1995.items():
        for offset, length, coder in units:
            b = int(offset * stretch)
            coders[coder].append((b, b + int(length * stretch), cat))
    return coders


def test_krippendorff_1995_examples() -> None:
    observed = unitizing_alpha(_k1995(1), 24).observed
    assert observed["A"] == pytest.approx(0.03125, abs=1e-5)
    assert observed["B"] == pytest.approx(2.26736, abs=1e-5)
    assert observed["C"] == pytest.approx(0.02777, abs=1e-5)
    assert observed["D"] == pytest.approx(0.38715, abs=1e-5)
    stretch = 1200000 // 24
    r = unitizing_alpha(_k1995(stretch), int(24 * stretch))
    assert r.expected["A"] == pytest.approx(0.06990, abs=0.005)
    assert r.expected["B"] == pytest.approx(1.17731, abs=0.005)
    assert r.expected["C"] == pytest.approx(0.08642, abs=0.005)
    assert r.expected["D"] == pytest.approx(0.41445, abs=0.005)
    assert r.category("A") == pytest.approx(0.553, abs=0.02)
    assert r.category("B") == pytest.approx(-0.926, abs=0.02)
    assert r.category("C") == pytest.approx(0.679, abs=0.02)
    assert r.category("D") == pytest.approx(0.066, abs=0.02)
    # the figures DKPro computes to three places (joining touching units gave 0.494 and 1.0)
    assert round(r.category("B"), 3) == -0.928
    assert round(r.category("D"), 3) == 0.066


@pytest.mark.parametrize(
    ("stretch", "expected", "alpha", "tolerance"),
    [
        (12 / 24, 0.05494, 0.494, 0.00001),
        (120 / 24, 0.08234, 0.663, 0.005),
        (1200 / 24, 0.08600, 0.677, 0.005),
        (12000 / 24, 0.08638, 0.678, 0.005),
        (120000 / 24, 0.08642, 0.679, 0.005),
        (1200000 / 24, 0.08642, 0.679, 0.005),
    ],
)
def test_krippendorff_1995_varying_lengths(
    stretch: float, expected: float, alpha: float, tolerance: float
) -> None:
    """Example C on ever longer continua (DKPro's testVaryingLengths)."""
    r = unitizing_alpha(_k1995(stretch), int(24 * stretch))
    assert r.observed["C"] == pytest.approx(0.02777, abs=1e-5)
    assert r.expected["C"] == pytest.approx(expected, abs=tolerance)
    assert r.category("C") == pytest.approx(alpha, abs=0.02)


def test_krippendorff_1995_touching_units_through_layers() -> None:
    """B and D as annotations: touching annotations of one tag stay separate units."""
    stretch = 1000
    p = project("x" * 24 * stretch)
    tag = {"B": "appeal", "D": "victim"}
    for cat, units in K1995.items():
        if cat in tag:
            for offset, length, coder in units:
                b = offset * stretch
                add(p, ("alice", "bob")[coder], "d1", tag[cat], (b, b + length * stretch))
    rep = agreement_report(p, ["alice", "bob"])
    assert rep.value("unitizing_alpha", "appeal") == pytest.approx(-0.928, abs=1e-3)
    assert rep.value("unitizing_alpha", "victim") == pytest.approx(0.066, abs=1e-3)


# --- DKPro Statistics' UnitizingAgreementTest, its three-coder studies among them ---------


def test_dkpro_unitizing_example() -> None:
    # r0: -11111111-   r1: --1-1-1---
    r = unitizing_alpha([[(1, 9, "A")], [(2, 3, "A"), (4, 5, "A"), (6, 7, "A")]], 10)
    assert r.observed["A"] == pytest.approx(0.9100, abs=1e-4)
    assert r.expected["A"] == pytest.approx(0.5351, abs=1e-4)
    assert r.category("A") == pytest.approx(-0.7003, abs=1e-4)


def test_dkpro_three_coders_single_unit() -> None:
    """One of three coders marks one character: no better than chance, α_U = 0."""
    r = unitizing_alpha([[(0, 1, "X")], [], []], 20)
    assert r.overall == 0.0


def test_dkpro_three_coders_no_units() -> None:
    assert math.isnan(unitizing_alpha([[], [], []], 20).overall)


@pytest.mark.parametrize("other", ["A", "B"])
def test_dkpro_only_empty_units(other: str) -> None:
    """Empty units carry no length: the study is degenerate, α_U is 0, never 1."""
    r = unitizing_alpha([[(0, 0, "A")], [(0, 0, other)]], 15)
    assert sum(r.observed.values()) == pytest.approx(0.0, abs=1e-3)
    assert sum(r.expected.values()) == pytest.approx(0.0, abs=1e-3)
    assert r.overall == pytest.approx(0.0, abs=1e-3)


def test_dkpro_empty_unit_beside_real_ones() -> None:
    r = unitizing_alpha([[(0, 0, "A"), (2, 7, "A")], [(2, 7, "A")]], 15)
    assert sum(r.observed.values()) == pytest.approx(0.0, abs=1e-3)
    assert sum(r.expected.values()) > 0
    assert r.overall == pytest.approx(1.0, abs=1e-3)


def test_units_touching_across_documents_stay_apart() -> None:
    """The project continuum lays documents end to end; a unit ending one document and
    one starting the next are two units, never one that spans the boundary."""
    p = project("abcd", "efgh")
    add(p, "alice", "d1", "appeal", (2, 4))
    add(p, "alice", "d2", "appeal", (0, 3))
    add(p, "bob", "d1", "appeal", (2, 4))
    p.documents["d2"].status["bob"] = Status.DONE  # bob read d2 and found nothing
    rep = agreement_report(p, ["alice", "bob"])
    separate = unitizing_alpha([[(2, 4, "a"), (4, 7, "a")], [(2, 4, "a")]], 8).category("a")
    joined = unitizing_alpha([[(2, 7, "a")], [(2, 4, "a")]], 8).category("a")
    assert separate != pytest.approx(joined)
    assert rep.value("unitizing_alpha", "appeal") == pytest.approx(separate)


def test_unitizing_through_layers() -> None:
    tag = {"c": "appeal", "k": "victim"}
    p = project("x" * 300)
    for layer, spans in (("alice", CODER_I), ("bob", CODER_J)):
        for s, e, c in spans:
            add(p, layer, "d1", tag[c], (s - 150, e - 150))
    rep = agreement_report(p, ["alice", "bob"])
    assert rep.value("unitizing_alpha", "appeal") == pytest.approx(0.7286, abs=1e-4)
    assert rep.value("unitizing_alpha", "victim") == 1.0
    assert rep.value("unitizing_alpha", ALL) == pytest.approx(0.8587, abs=1e-4)
    assert math.isnan(rep.value("unitizing_alpha", "authority"))


# --- tokens ------------------------------------------------------------------------------------


def test_tokeniser_rule() -> None:
    text = "Sané 😀 said: “stop”, 50th"
    spans = tokenise(text)
    assert [text[s:e] for s, e in spans] == [
        "Sané",
        "😀",
        "said",
        ":",
        "“",
        "stop",
        "”",
        ",",
        "50th",
    ]
    assert spans[1] == (5, 6)  # code points: the emoji is one
    idx = TokenIndex(text)
    assert idx.token_range(2, 3) == (0, 1)  # any shared code point counts
    assert idx.token_range(4, 5) == (1, 1)  # white space only: no token


def test_overlapping_tags_label_rule() -> None:
    order = ["appeal", "victim", "authority"]
    assert token_label(frozenset(), order) == OUTSIDE
    assert token_label(frozenset({"victim", "appeal"}), order) == "appeal"
    assert token_label(frozenset({"zzz", "victim"}), order) == "victim"
    assert token_label(frozenset({"zzz", "yyy"}), order) == "yyy"


def test_nested_tags_counted_per_tag_and_overall() -> None:
    # alice: appeal over tokens 0-9 with a victim nested at 2-4; bob: only the victim
    p = project(words(10))
    add(p, "alice", "d1", "appeal", tokens_span(0, 10))
    add(p, "alice", "d1", "victim", tokens_span(2, 4))
    add(p, "bob", "d1", "victim", tokens_span(2, 4))
    rep = agreement_report(p)
    assert rep.value("cohen_kappa", "victim") == pytest.approx(1.0)  # per tag: yes/no agree
    assert rep.value("token_observed", ALL) == pytest.approx(0.0)  # overall: appeal vs victim/O


# --- spans and attributes -----------------------------


def test_span_precision_recall_exact_and_overlap() -> None:
    p = project("x" * 100)
    add(p, "alice", "d1", "appeal", (0, 10))
    add(p, "alice", "d1", "victim", (20, 25))
    add(p, "bob", "d1", "appeal", (0, 10))
    add(p, "bob", "d1", "victim", (21, 25))
    add(p, "bob", "d1", "authority", (30, 35))
    rep = agreement_report(p)
    assert rep.value("precision_exact") == pytest.approx(1 / 3)
    assert rep.value("recall_exact") == pytest.approx(1 / 2)
    assert rep.value("f1_exact") == pytest.approx(2 / 5)
    assert rep.value("precision_overlap") == pytest.approx(2 / 3)
    assert rep.value("recall_overlap") == pytest.approx(1.0)
    assert rep.value("f1_overlap", "victim") == pytest.approx(1.0)
    assert rep.value("f1_exact", "victim") == pytest.approx(0.0)
    assert math.isnan(rep.value("recall_exact", "authority"))


def test_attribute_agreement_on_matched_spans() -> None:
    p = project("x" * 100)
    kinds = [
        ("direct-call", "direct-call"),
        ("urging", "urging"),
        ("urging", "direct-call"),
        ("urging", None),
    ]
    for i, (ka, kb) in enumerate(kinds):
        add(p, "alice", "d1", "appeal", (10 * i, 10 * i + 5), kind=ka)
        extra = {"kind": kb} if kb else {}
        add(p, "bob", "d1", "appeal", (10 * i, 10 * i + 6), **extra)
    rep = agreement_report(p)
    assert rep.value("attribute_observed", "appeal.kind") == pytest.approx(0.5)
    # table rows alice (direct, urging), cols bob (—, direct, urging):
    expected = cohen_kappa([[0, 0, 0], [0, 1, 0], [1, 1, 1]])
    assert rep.value("attribute_kappa", "appeal.kind") == pytest.approx(expected)


# --- several coders, missing coders, per document ---------------


def test_three_layers_fleiss_and_missing_coder() -> None:
    p = project(words(20), words(20), layers=("alice", "bob", "carol"))
    for layer in ("alice", "bob", "carol"):
        add(p, layer, "d1", "appeal", tokens_span(0, 5))
    add(p, "alice", "d2", "victim", tokens_span(0, 5))
    add(p, "bob", "d2", "victim", tokens_span(0, 4))
    # carol never opened d2: she is a missing coder there, not a coder who tagged nothing
    rep = agreement_report(p, ["alice", "bob", "carol"], per_document=True)
    assert rep.value("fleiss_kappa", ALL) == pytest.approx(1.0)  # only d1 has all three
    assert rep.value("cohen_kappa", ALL, "alice~carol") == pytest.approx(1.0)
    assert rep.value("cohen_kappa", ALL, "alice~bob") < 1.0
    alpha = rep.value("krippendorff_alpha", ALL)
    assert 0 < alpha < 1
    assert rep.value("cohen_kappa", ALL, "alice~bob", scope="d1") == pytest.approx(1.0)
    # once carol marks d2 done with no tags she disagrees on the five victim tokens
    p.documents["d2"].status["carol"] = Status.DONE
    rep2 = agreement_report(p, ["alice", "bob", "carol"])
    assert rep2.value("krippendorff_alpha", ALL) < alpha


def test_agreement_needs_two_known_layers() -> None:
    p = project("abc")
    with pytest.raises(UnknownLayer):
        agreement_report(p, ["alice"])
    with pytest.raises(UnknownLayer):
        agreement_report(p, ["alice", "nobody"])


# --- α_U: the fast sums against the definition written out term by term ------------------------


def _sections(units: list[tuple[int, int]], begin: int, end: int) -> list[tuple[int, int, int]]:
    """(b, l, v) of every unit (v=1) and gap (v=0) of one coder, in order."""
    out, pos = [], begin
    for s, e in sorted(units):
        if s > pos:
            out.append((pos, s - pos, 0))
        out.append((s, e - s, 1))
        pos = e
    if end > pos:
        out.append((pos, end - pos, 0))
    return out


def _naive_alpha_u(coders: list[list[tuple[int, int]]], length: int) -> tuple[float, float]:
    m, big_l = len(coders), length
    secs = [_sections(c, 0, length) for c in coders]
    d_o = 0.0
    for i in range(m):
        for j in range(m):
            if i == j:
                continue
            for bg, lg, vg in secs[i]:
                for bh, lh, vh in secs[j]:
                    if vg and vh and bg < bh + lh and bh < bg + lg:
                        d_o += (bg - bh) ** 2 + (bg + lg - bh - lh) ** 2
                    elif vg and not vh and bh <= bg and bg + lg <= bh + lh:
                        d_o += lg**2
                    elif vh and not vg and bg <= bh and bh + lh <= bg + lg:
                        d_o += lh**2
    d_o /= m * (m - 1) * big_l**2
    units = [(ln, v) for s in secs for _, ln, v in s]
    n_c = sum(v for _, v in units)
    num = 0.0
    for lg, vg in units:
        if not vg:
            continue
        num += (n_c - 1) / 3 * (2 * lg**3 - 3 * lg**2 + lg)
        num += lg**2 * sum((lh - lg + 1) for lh, vh in units if not vh and lh >= lg)
    den = m * big_l * (m * big_l - 1) - sum(lg * (lg - 1) for lg, vg in units if vg)
    return d_o, (2 / big_l) * num / den


Continuum = tuple[list[list[tuple[int, int, str]]], int]


@settings(max_examples=120, deadline=None)
@given(unit_continua(categories=("c", "k")))
def test_unitizing_matches_the_definition(case: Continuum) -> None:
    """Every unit is a section of its own, touching units included (no joining)."""
    coders, length = case
    r = unitizing_alpha(coders, length)
    for cat in ("c", "k"):
        units = [[(s, e) for s, e, c in coder if c == cat] for coder in coders]
        if not any(units):
            assert cat not in r.expected
            continue
        d_o, d_e = _naive_alpha_u(units, length)
        assert r.observed[cat] == pytest.approx(d_o)
        assert r.expected[cat] == pytest.approx(d_e)


@settings(max_examples=60, deadline=None)
@given(unit_continua())
def test_splitting_a_unit_in_two_is_a_disagreement(case: Continuum) -> None:
    """A coder who cuts a unit in two touching halves no longer agrees with a copy of the whole."""
    coders, length = case
    whole = [(s, e, c) for s, e, c in coders[0] if e - s >= 2]
    if not whole:
        return
    s, e, c = whole[0]
    halves = [u for u in coders[0] if u != (s, e, c)] + [(s, s + 1, c), (s + 1, e, c)]
    assert unitizing_alpha([coders[0], coders[0]], length).category(c) == 1.0
    assert unitizing_alpha([coders[0], halves], length).category(c) < 1.0


@settings(max_examples=100, deadline=None)
@given(
    st.text(alphabet="ab_ 1.,“”\n😀𠀀é\u0301ß-", max_size=60),
    st.lists(st.integers(0, 60), max_size=12),
)
def test_token_counter_agrees_with_the_full_token_list(text: str, cuts: list[int]) -> None:
    positions = sorted({min(c, len(text)) for c in cuts} | {0, len(text)})
    full = TokenIndex(text)
    fast = TokenCounter(text, positions)
    assert len(fast) == len(full) == len(tokenise(text))
    for a in positions:
        for b in positions:
            if a < b:
                assert fast.token_range(a, b) == full.token_range(a, b), (a, b)


def test_default_layers_skip_empty_ones() -> None:
    p = project(words(10), layers=("alice", "bob", "rita"))
    add(p, "alice", "d1", "appeal", tokens_span(0, 3))
    add(p, "bob", "d1", "appeal", tokens_span(0, 3))
    assert agreement_report(p).layers == ["alice", "bob"]
