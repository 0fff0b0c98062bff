"""Adjudication: decisions are undoable commands and leave a record in provenance."""

from __future__ import annotations

import pytest

from annotator.errors import UnknownAnnotation
from annotator.model import CURATED_LAYER, History, LayerKind, Link, ReviewStatus
from annotator.review.adjudicate import (
    REJECTED,
    accept,
    accept_all_of,
    accept_both,
    accept_exact_matches,
    accept_side,
    comment,
    decisions,
    history,
    item_decided,
    parse_refs,
    reject_item,
    set_review_status,
)
from annotator.review.compare import Kind, compare_layers
from tests.review_support import add, project


def _two_layers():  # type: ignore[no-untyped-def]
    p = project("x" * 100)
    add(p, "alice", "d1", "appeal", (0, 10), ann_id="a1", kind="urging")
    add(p, "bob", "d1", "appeal", (0, 10), ann_id="b1", kind="urging")
    add(p, "alice", "d1", "victim", (20, 30), ann_id="a2")
    add(p, "bob", "d1", "victim", (22, 30), ann_id="b2")
    add(p, "bob", "d1", "authority", (40, 50), ann_id="b3")
    return p, History(p)


def _curated(p):  # type: ignore[no-untyped-def]
    return p.layers[CURATED_LAYER].docs["d1"].sorted_annotations()


def test_accept_one_side_rejects_the_other_and_undoes() -> None:
    p, h = _two_layers()
    cmp = compare_layers(p, ["alice", "bob"])
    boundary = next(it for it in cmp.items if it.kind is Kind.BOUNDARY)
    h.push(accept_side(boundary, "bob", "rita"))
    (cur,) = _curated(p)
    assert p.layers[CURATED_LAYER].kind is LayerKind.CURATED
    assert cur.fragments == p.layer("bob").docs["d1"].annotations["b2"].fragments
    assert cur.provenance["decision"] == "accepted"
    assert cur.provenance["by"] == "rita"
    assert parse_refs(cur.provenance["sources"]) == [("bob", "b2")]
    assert cur.provenance["at"].endswith("Z")
    rejected = p.layer("alice").docs["d1"].annotations["a2"]
    assert rejected.provenance["review_decision"] == REJECTED
    assert rejected.provenance["review_by"] == "rita"
    assert item_decided(p, boundary)
    h.undo()
    assert CURATED_LAYER not in p.layers
    assert p.layer("alice").docs["d1"].annotations["a2"].provenance == {}
    assert not item_decided(p, boundary)
    h.redo()
    assert _curated(p)[0].id == cur.id  # redo gives the same id


def test_accept_exact_matches_records_all_sources() -> None:
    p, h = _two_layers()
    cmp = compare_layers(p, ["alice", "bob"])
    h.push(accept_exact_matches(p, cmp, "rita"))
    (cur,) = _curated(p)
    assert set(parse_refs(cur.provenance["sources"])) == {("alice", "a1"), ("bob", "b1")}
    assert cur.provenance["rule"] == "exact-match"
    assert cur.attributes == {"kind": "urging"}
    # doing it again adds nothing
    again = accept_exact_matches(p, cmp, "rita")
    assert again.commands == []


def test_accept_both_reject_and_all_of_layer() -> None:
    p, h = _two_layers()
    cmp = compare_layers(p, ["alice", "bob"])
    boundary = next(it for it in cmp.items if it.kind is Kind.BOUNDARY)
    missing = next(it for it in cmp.items if it.kind is Kind.MISSING)
    h.push(accept_both(boundary, "rita"))
    assert len(_curated(p)) == 2
    h.push(reject_item(missing, "rita"))
    assert decisions(p, "d1")[("bob", "b3")] == REJECTED
    h.push(accept_all_of(p, "alice", "d1", "rita"))
    # a2 was accepted already; only a1 is new
    assert len(_curated(p)) == 3
    for _ in range(3):
        h.undo()
    assert CURATED_LAYER not in p.layers
    assert decisions(p, "d1") == {}


def test_links_follow_into_curated() -> None:
    p = project("x" * 100)
    add(p, "alice", "d1", "authority", (0, 5), ann_id="a1")
    add(p, "alice", "d1", "victim", (10, 15), ann_id="a2")
    p.layer("alice").docs["d1"].links["r1"] = Link("r1", "responsible_for", "a1", "a2")
    h = History(p)
    h.push(accept(p, "d1", "alice", "a1", "rita"))
    h.push(accept(p, "d1", "alice", "a2", "rita"))
    links = list(p.layers[CURATED_LAYER].docs["d1"].links.values())
    assert len(links) == 1 and links[0].type == "responsible_for"
    da = p.layers[CURATED_LAYER].docs["d1"]
    assert da.annotations[links[0].source].tag == "authority"
    h.undo()
    assert not p.layers[CURATED_LAYER].docs["d1"].links
    # the layer's id index forgets the undone annotation and link (no stale entries
    # that send the next id check to a rebuild of the whole layer)
    curated = p.layers[CURATED_LAYER]
    assert set(curated._ids()) == curated.ids()


def test_review_status_comment_and_history() -> None:
    p, h = _two_layers()
    h.push(set_review_status("d1", ReviewStatus.IN_REVIEW))
    assert p.documents["d1"].review_status is ReviewStatus.IN_REVIEW
    h.push(comment("alice", "d1", "a2", "Shortest phrase?", "rita"))
    h.push(accept(p, "d1", "alice", "a2", "rita"))
    cur = _curated(p)[0]
    lines = history(p, CURATED_LAYER, cur)
    assert lines[0].startswith("Accepted by rita") and "alice (a2)" in lines[0]
    src_lines = history(p, "alice", p.layer("alice").docs["d1"].annotations["a2"])
    assert any("Comment by rita" in line and "Shortest phrase?" in line for line in src_lines)
    h.undo()
    h.undo()
    h.undo()
    assert p.documents["d1"].review_status is ReviewStatus.NOT_REVIEWED


def test_refused_decision_leaves_project_untouched() -> None:
    p, h = _two_layers()
    with pytest.raises(UnknownAnnotation):
        h.push(accept(p, "d1", "alice", "nope", "rita"))
    assert CURATED_LAYER not in p.layers


def test_first_decision_starts_the_review_in_the_same_step() -> None:
    from annotator.review.adjudicate import starting_review

    p, h = _two_layers()
    cmp = compare_layers(p, ["alice", "bob"])
    missing = next(it for it in cmp.items if it.kind is Kind.MISSING)
    h.push(starting_review(p, "d1", reject_item(missing, "rita")))
    assert p.documents["d1"].review_status is ReviewStatus.IN_REVIEW
    h.undo()
    assert p.documents["d1"].review_status is ReviewStatus.NOT_REVIEWED
    assert decisions(p, "d1") == {}
    p.documents["d1"].review_status = ReviewStatus.ADJUDICATED
    cmd = reject_item(missing, "rita")
    assert starting_review(p, "d1", cmd) is cmd  # a settled status is left alone


def test_history_tells_how_a_curated_annotation_differs_from_its_source() -> None:
    from annotator.model import Resize, Retag, SetAttribute

    p, h = _two_layers()
    h.push(accept(p, "d1", "alice", "a1", "rita"))
    cur_id = _curated(p)[0].id
    assert not any("→" in line for line in history(p, CURATED_LAYER, _curated(p)[0]))
    h.push(Retag(CURATED_LAYER, "d1", cur_id, "victim", author="sam"))
    h.push(Resize(CURATED_LAYER, "d1", cur_id, [(2, 12)], author="sam"))
    lines = history(p, CURATED_LAYER, _curated(p)[0])
    edited = [line for line in lines if line.startswith("Last edited by sam")]
    assert len(edited) == 1
    assert "tag appeal → victim" in edited[0] and "span 0–10 → 2–12" in edited[0]
    assert "attributes changed" in edited[0]  # Retag dropped appeal's "kind"
    h.undo()
    h.undo()
    h.push(SetAttribute(CURATED_LAYER, "d1", cur_id, "kind", None, author="sam"))
    (edited_line,) = [ln for ln in history(p, CURATED_LAYER, _curated(p)[0]) if "sam" in ln]
    assert edited_line.endswith("attributes changed")


def test_a_bulk_decision_starts_the_review_of_every_document_it_touches() -> None:
    from annotator.review.adjudicate import starting_reviews

    p, h = _two_layers()
    p.add_document(type(p.documents["d1"])(id="d2", text="y" * 50))
    p.add_document(type(p.documents["d1"])(id="d3", text="z" * 50))
    add(p, "alice", "d2", "victim", (0, 5), ann_id="a9")
    add(p, "bob", "d2", "victim", (0, 5), ann_id="b9")
    p.documents["d3"].review_status = ReviewStatus.ADJUDICATED
    cmp = compare_layers(p, ["alice", "bob"])
    macro = accept_exact_matches(p, cmp, "rita")
    h.push(starting_reviews(p, ["d1", "d2", "d3", "d2"], macro))
    assert p.documents["d1"].review_status is ReviewStatus.IN_REVIEW
    assert p.documents["d2"].review_status is ReviewStatus.IN_REVIEW
    assert p.documents["d3"].review_status is ReviewStatus.ADJUDICATED  # settled: left alone
    h.undo()  # one step takes back the decisions and the statuses
    assert CURATED_LAYER not in p.layers
    assert p.documents["d1"].review_status is ReviewStatus.NOT_REVIEWED
    assert p.documents["d2"].review_status is ReviewStatus.NOT_REVIEWED
    assert starting_reviews(p, ["d3"], macro) is macro


def test_layer_names_with_spaces_survive_the_decision_record() -> None:
    """Layers are named after people ("Ana María"); the provenance record lists sources
    space-separated, so a space in a name must not split it (the decision was lost and a
    second "accept exact matches" accepted the same annotations again)."""
    from annotator.review.adjudicate import ref_text

    p = project("x" * 100, layers=("Ana María", "bob 50%"))
    add(p, "Ana María", "d1", "appeal", (0, 10), ann_id="a1", kind="urging")
    add(p, "bob 50%", "d1", "appeal", (0, 10), ann_id="b1", kind="urging")
    h = History(p)
    cmp = compare_layers(p, ["Ana María", "bob 50%"])
    h.push(accept_exact_matches(p, cmp, "rita"))
    assert decisions(p, "d1") == {("Ana María", "a1"): "accepted", ("bob 50%", "b1"): "accepted"}
    assert not accept_exact_matches(p, cmp, "rita").commands
    (line,) = [ln for ln in history(p, CURATED_LAYER, _curated(p)[0]) if "Accepted" in ln]
    assert "Ana María (a1)" in line and "bob 50% (b1)" in line
    # records written before spaces were escaped still read the same
    assert parse_refs("alice:a3 bob:a7") == [("alice", "a3"), ("bob", "a7")]
    refs = [("Ana María", "a1"), ("tab\there", "a2"), ("100%", "a3"), ("x:y", "a4")]
    assert parse_refs(ref_text(refs)) == refs
