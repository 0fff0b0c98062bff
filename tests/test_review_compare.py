"""Comparison classes on hand-made layers."""

from __future__ import annotations

import pytest

from annotator.errors import UnknownLayer
from annotator.model import Link
from annotator.review.compare import Kind, compare_layers
from tests.review_support import add, project


def _setup():  # type: ignore[no-untyped-def]
    p = project("x" * 200, "y" * 50)
    ids = {}
    ids["exact_a"] = add(p, "alice", "d1", "appeal", (0, 10)).id
    ids["exact_b"] = add(p, "bob", "d1", "appeal", (0, 10)).id
    ids["details_a"] = add(p, "alice", "d1", "appeal", (20, 30), kind="urging").id
    ids["details_b"] = add(p, "bob", "d1", "appeal", (20, 30), kind="direct-call").id
    ids["tag_a"] = add(p, "alice", "d1", "victim", (40, 50)).id
    ids["tag_b"] = add(p, "bob", "d1", "authority", (40, 50)).id
    ids["boundary_a"] = add(p, "alice", "d1", "victim", (60, 70)).id
    ids["boundary_b"] = add(p, "bob", "d1", "victim", (62, 75)).id
    ids["overlap_a"] = add(p, "alice", "d1", "victim", (80, 90)).id
    ids["overlap_b"] = add(p, "bob", "d1", "authority", (85, 95)).id
    ids["missing_a"] = add(p, "alice", "d1", "appeal", (100, 110)).id
    ids["astral"] = add(p, "bob", "d2", "victim", (0, 3)).id
    return p, ids


def test_every_class() -> None:
    p, ids = _setup()
    cmp = compare_layers(p, ["alice", "bob"])
    k = cmp.kinds
    assert k[("alice", ids["exact_a"])] is Kind.EXACT
    assert k[("bob", ids["exact_b"])] is Kind.EXACT
    assert k[("alice", ids["details_a"])] is Kind.DETAILS
    assert k[("alice", ids["tag_a"])] is Kind.TAG
    assert k[("bob", ids["tag_b"])] is Kind.TAG
    assert k[("alice", ids["boundary_a"])] is Kind.BOUNDARY
    assert k[("alice", ids["overlap_a"])] is Kind.OVERLAP
    assert k[("alice", ids["missing_a"])] is Kind.MISSING
    assert k[("bob", ids["astral"])] is Kind.MISSING
    kinds = [it.kind for it in cmp.items]
    assert kinds == [
        Kind.EXACT,
        Kind.DETAILS,
        Kind.TAG,
        Kind.BOUNDARY,
        Kind.OVERLAP,  # alice's victim, partly overlapped by bob's authority
        Kind.OVERLAP,  # and bob's authority: an item each
        Kind.MISSING,
        Kind.MISSING,
    ]
    assert [it.doc_id for it in cmp.disagreements()] == ["d1"] * 6 + ["d2"]
    assert cmp.per_document() == {"d1": 6, "d2": 1}
    assert cmp.counts("d1")[Kind.EXACT] == 1
    pair = cmp.item_of[("alice", ids["boundary_a"])]
    assert pair is cmp.item_of[("bob", ids["boundary_b"])]
    assert (pair.start, pair.end) == (60, 75)


def test_links_that_differ_make_details() -> None:
    p = project("x" * 100)
    a1 = add(p, "alice", "d1", "victim", (0, 5))
    a2 = add(p, "alice", "d1", "authority", (10, 15))
    add(p, "bob", "d1", "victim", (0, 5))
    add(p, "bob", "d1", "authority", (10, 15))
    assert all(it.kind is Kind.EXACT for it in compare_layers(p, ["alice", "bob"]).items)
    link = Link("r1", "responsible_for", a2.id, a1.id)
    p.check_link("alice", "d1", link)
    p.layer("alice").doc("d1").links["r1"] = link
    kinds = {it.kind for it in compare_layers(p, ["alice", "bob"]).items}
    assert kinds == {Kind.DETAILS}


def test_nesting_is_not_a_disagreement() -> None:
    p = project("x" * 100)
    add(p, "alice", "d1", "appeal", (0, 50))
    add(p, "bob", "d1", "appeal", (0, 50))
    lone = add(p, "bob", "d1", "victim", (10, 20))  # inside the appeal: missing in alice
    cmp = compare_layers(p, ["alice", "bob"])
    assert cmp.kinds[("bob", lone.id)] is Kind.MISSING
    assert [it.kind for it in cmp.items] == [Kind.EXACT, Kind.MISSING]


def test_three_layers_and_nesting() -> None:
    p = project("x" * 100, layers=("alice", "bob", "carol"))
    for layer in ("alice", "bob", "carol"):
        add(p, layer, "d1", "appeal", (0, 50))
        add(p, layer, "d1", "victim", (10, 20))
    add(p, "carol", "d1", "authority", (60, 70))
    cmp = compare_layers(p, ["alice", "bob", "carol"])
    # nested victims pair with victims, appeals with appeals: two exact items
    assert [it.kind for it in cmp.items] == [Kind.EXACT, Kind.EXACT, Kind.MISSING]
    assert set(cmp.items[0].members) == {"alice", "bob", "carol"}


def test_compare_errors() -> None:
    p = project("x")
    with pytest.raises(UnknownLayer):
        compare_layers(p, ["alice", "zed"])
    with pytest.raises(UnknownLayer):
        compare_layers(p, ["alice"])


def test_update_recomputes_one_document() -> None:
    p, _ids = _setup()
    cmp = compare_layers(p, ["alice", "bob"])
    untouched = cmp.items[0]
    add(p, "alice", "d2", "victim", (0, 3))
    cmp.update(p, ["d2"])
    full = compare_layers(p, ["alice", "bob"])
    assert [(it.doc_id, it.kind, it.index) for it in cmp.items] == [
        (it.doc_id, it.kind, it.index) for it in full.items
    ]
    assert cmp.items[0] is untouched
    assert cmp.per_document() == {"d1": 6}
    assert cmp.kinds == full.kinds
