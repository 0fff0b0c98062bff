"""The three-way merge of projects: each rule on its own, then random edit sequences."""

from __future__ import annotations

import copy
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.formats.project_writer import project_to_bytes
from annotator.formats.project_xml import project_from_bytes
from annotator.model import (
    AddAnnotation,
    AddComment,
    Command,
    DeleteAnnotation,
    Document,
    History,
    Link,
    Project,
    Resize,
    Retag,
    SetNote,
    SetStatus,
    Status,
)
from annotator.review.three_way import THEIRS_SUFFIX, merge_three_way
from tests.review_support import add, project, tokens_span, words
from tests.three_way_support import (
    BASE_ITEMS,
    OURS_SHARE,
    THEIRS_SHARE,
    base_project,
    content,
    edited,
    edits,
)

TAGS = ("appeal", "victim", "authority")


def _base() -> Project:
    base = project(words(30), words(20) + " 😀 𠀀 end", layers=("alice", "bob"))
    for i in range(6):
        add(base, "alice", "d1", TAGS[i % 3], tokens_span(i * 4, i * 4 + 2), ann_id=f"a{i + 1}")
        add(base, "bob", "d2", TAGS[i % 3], tokens_span(i * 3, i * 3 + 1), ann_id=f"a{i + 1}")
    base.layer("alice").counter = base.layer("bob").counter = 6
    base.layer("alice").docs["d1"].links["r7"] = Link("r7", "addressee", "a1", "a3")
    return base


def _apply(p: Project, *commands: Command) -> Project:
    out = copy.deepcopy(p)
    history = History(out)
    for cmd in commands:
        history.push(cmd)
    return out


def _valid(p: Project) -> Project:
    """The project through the normal writer and reader (raises if the file would be bad)."""
    return project_from_bytes(project_to_bytes(p))


def test_additions_on_both_sides_are_kept_and_clashing_ids_renamed() -> None:
    base = _base()
    ours = _apply(base, AddAnnotation("alice", "d1", "victim", [tokens_span(25, 27)]))
    theirs = _apply(base, AddAnnotation("alice", "d2", "appeal", [tokens_span(0, 2)]))
    assert ours.layer("alice").find("a7")[0] == "d1"
    assert theirs.layer("alice").find("a7")[0] == "d2"  # the same id, elsewhere

    merged, report = merge_three_way(base, ours, theirs)

    assert report.clean
    alice = merged.layer("alice")
    assert alice.find("a7")[1].tag == "victim"
    assert report.renamed == [("alice", "a7", "a8")]
    assert alice.find("a8")[0] == "d2"
    assert alice.annotation_count() == 8
    _valid(merged)


def test_the_same_tagging_on_both_sides_is_kept_once() -> None:
    base = _base()
    ours = _apply(base, AddAnnotation("bob", "d2", "victim", [tokens_span(19, 20)], author="carla"))
    theirs = _apply(base, AddAnnotation("bob", "d2", "victim", [tokens_span(19, 20)], author="dev"))
    merged, report = merge_three_way(base, ours, theirs)
    assert report.clean and not report.renamed
    assert merged.layer("bob").annotation_count() == 7
    assert merged.layer("bob").find("a7")[1].created_by == "carla"


def test_releases_imported_on_both_sides_under_one_id_are_both_kept() -> None:
    base = _base()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours.add_document(Document("d3", "Kenya: free the protesters."))
    theirs.add_document(Document("d3", "Chile: end torture in police stations."))
    theirs_ann = add(theirs, "bob", "d3", "victim", (0, 5))  # bob's a7, on their d3
    add(ours, "bob", "d3", "victim", (7, 11))  # bob's a7 too, on our d3

    merged, report = merge_three_way(base, ours, theirs)

    assert report.clean
    assert merged.documents["d3"].text.startswith("Kenya")
    assert merged.documents["d0004"].text.startswith("Chile")
    moved = merged.layer("bob").docs["d0004"].annotations
    assert [(a.tag, a.fragments) for a in moved.values()] == [("victim", theirs_ann.fragments)]
    assert "a7" in merged.layer("bob").docs["d3"].annotations
    _valid(merged)


def test_one_sided_change_and_deletion_apply_and_the_same_change_applies_once() -> None:
    base = _base()
    ours = _apply(base, Retag("alice", "d1", "a2", "appeal"), DeleteAnnotation("bob", "d2", "a5"))
    theirs = _apply(
        base,
        Resize("alice", "d1", "a4", [tokens_span(12, 14)]),
        DeleteAnnotation("bob", "d2", "a5"),
        SetStatus("d1", "bob", Status.DONE),
    )
    merged, report = merge_three_way(base, ours, theirs)
    assert report.clean
    alice, bob = merged.layer("alice").docs["d1"], merged.layer("bob").docs["d2"]
    assert alice.annotations["a2"].tag == "appeal"
    assert (
        alice.annotations["a4"].fragments
        == theirs.layer("alice").docs["d1"].annotations["a4"].fragments
    )
    assert "a5" not in bob.annotations
    assert merged.documents["d1"].status == {"bob": Status.DONE}


def test_deletion_against_an_unchanged_side_applies_links_included() -> None:
    base = _base()
    theirs = _apply(base, DeleteAnnotation("alice", "d1", "a1"))  # takes link r7 with it
    merged, report = merge_three_way(base, copy.deepcopy(base), theirs)
    assert report.clean
    da = merged.layer("alice").docs["d1"]
    assert "a1" not in da.annotations and "r7" not in da.links


def test_comments_added_on_both_sides_are_both_kept() -> None:
    base = _base()
    ours = _apply(base, AddComment("alice", "d1", "a3", "are they students?", "carla"))
    theirs = _apply(base, AddComment("alice", "d1", "a3", "see the second release", "dev"))
    merged, report = merge_three_way(base, ours, theirs)
    assert report.clean
    texts = [c.text for c in merged.layer("alice").docs["d1"].annotations["a3"].comments]
    assert texts == ["are they students?", "see the second release"]


def test_real_conflict_keeps_ours_and_records_theirs_beside_it() -> None:
    base = _base()
    ours = _apply(base, Retag("alice", "d1", "a2", "appeal"))
    theirs = _apply(base, Retag("alice", "d1", "a2", "authority"))
    merged, report = merge_three_way(base, ours, theirs)
    assert [(c.what, c.ident) for c in report.conflicts] == [("annotation", "a2")]
    assert merged.layer("alice").docs["d1"].annotations["a2"].tag == "appeal"
    recorded = merged.layer("alice" + THEIRS_SUFFIX).docs["d1"].annotations["a2"]
    assert recorded.tag == "authority"
    reread = _valid(merged)
    assert reread.layer("alice" + THEIRS_SUFFIX).docs["d1"].annotations["a2"].tag == "authority"


def test_deleted_against_changed_is_a_conflict_and_nothing_is_lost() -> None:
    base = _base()
    ours = _apply(base, DeleteAnnotation("bob", "d2", "a3"))
    theirs = _apply(base, SetNote("bob", "d2", "a3", "the minister himself"))
    merged, report = merge_three_way(base, ours, theirs)
    assert [c.ident for c in report.conflicts] == ["a3"]
    assert "a3" not in merged.layer("bob").docs["d2"].annotations  # ours: deleted
    kept = merged.layer("bob" + THEIRS_SUFFIX).docs["d2"].annotations["a3"]
    assert kept.note == "the minister himself"


def test_status_conflict_is_recorded_in_the_document() -> None:
    base = _base()
    ours = _apply(base, SetStatus("d1", "alice", Status.DONE))
    theirs = _apply(base, SetStatus("d1", "alice", Status.IN_PROGRESS))
    merged, report = merge_three_way(base, ours, theirs)
    assert not report.clean
    doc = _valid(merged).documents["d1"]
    assert doc.status["alice"] is Status.DONE
    assert doc.meta.extra["theirs~status:alice"] == "in-progress"


def test_text_changed_on_both_sides_keeps_their_document_beside_ours() -> None:
    base = _base()
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    ours.documents["d2"].text = ours.documents["d2"].text.replace("end", "fin")
    theirs.documents["d2"].text = theirs.documents["d2"].text.replace("end", "End.")
    merged, report = merge_three_way(base, ours, theirs)
    assert [c.what for c in report.conflicts] == ["document"]
    assert merged.documents["d2"].text.endswith("fin")
    assert merged.documents["d2~theirs"].text.endswith("End.")
    assert merged.layer("bob~theirs").docs["d2~theirs"].annotations.keys() == {
        f"a{i}" for i in range(1, 7)
    }
    _valid(merged)


def test_a_link_whose_ends_were_retagged_on_the_other_side_moves_beside_ours() -> None:
    base = _base()
    ours = _apply(base, Retag("alice", "d1", "a6", "victim"))  # a6 was an authority
    theirs = copy.deepcopy(base)
    theirs.layer("alice").docs["d1"].links["r8"] = Link("r8", "addressee", "a4", "a6")
    merged, report = merge_three_way(base, ours, theirs)
    assert "r8" not in merged.layer("alice").docs["d1"].links
    recorded = merged.layer("alice" + THEIRS_SUFFIX).docs["d1"]
    assert recorded.links["r8"].target == "a6" and recorded.annotations["a6"].tag == "authority"
    assert [(c.what, c.ident) for c in report.conflicts] == [("link", "r8")]
    _valid(merged)


def test_a_link_to_an_annotation_the_other_side_deleted_brings_it_back() -> None:
    base = _base()
    ours = _apply(base, DeleteAnnotation("alice", "d1", "a3"))  # and link r7 a1 -> a3
    theirs = copy.deepcopy(base)
    theirs.layer("alice").docs["d1"].links["r8"] = Link("r8", "addressee", "a4", "a3")
    merged, report = merge_three_way(base, ours, theirs)
    da = merged.layer("alice").docs["d1"]
    assert "r8" in da.links and "a3" in da.annotations and "r7" not in da.links
    assert [c.ident for c in report.conflicts] == ["a3"]
    _valid(merged)


# --- random edit sequences ------------------------------------------------------------------


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_non_conflicting_sequences_merge_as_if_applied_one_after_the_other(
    data: st.DataObject,
) -> None:
    """Two colleagues, each editing their own share of the base (annotations,
    links, comments, statuses, review statuses, text corrections): the merge is
    clean and says exactly what applying both sequences says."""
    base = base_project()
    ours, _ = edited(base, data.draw(edits(OURS_SHARE, "carla"), label="ours"))
    theirs, yours = edited(base, data.draw(edits(THEIRS_SHARE, "dev"), label="theirs"))

    merged, report = merge_three_way(base, ours, theirs)

    both, applied = edited(ours, yours)
    assert applied == yours  # every edit of theirs still applies after ours
    assert report.clean, report.summary()
    assert content(merged, fold=False) == content(both, fold=False)
    assert _valid(merged) is not None


def _link_keys(p: Project, renamed: dict[tuple[str, str], str]) -> set[tuple[str, ...]]:
    """Each link as (layer, document, type, source, target), ids as the merge renamed them."""
    out = set()
    for layer in p.layers.values():
        name = layer.name.removesuffix(THEIRS_SUFFIX)
        for doc_id, da in layer.docs.items():
            for lk in da.links.values():
                ends = (renamed.get((name, e), e) for e in (lk.id, lk.source, lk.target))
                out.add((name, doc_id.removesuffix(THEIRS_SUFFIX), lk.type, *ends))
    return out


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_nothing_either_side_made_is_lost_even_in_conflict(data: st.DataObject) -> None:
    """Both colleagues edit the same items (deleting what the other changes,
    retagging it differently...): every annotation, link and status either side
    made or changed is in the merged file, in place or recorded as theirs."""
    base = base_project()
    # a few items each time, so that both sides often touch the same one
    items = data.draw(st.lists(st.sampled_from(BASE_ITEMS), min_size=1, max_size=5, unique=True))
    ours, _ = edited(base, data.draw(edits(items, "carla", shared=True), label="ours"))
    theirs, _ = edited(base, data.draw(edits(items, "dev", shared=True), label="theirs"))

    merged, report = merge_three_way(base, ours, theirs)

    def anns(p: Project) -> Counter[tuple[object, ...]]:
        return Counter({k: n for k, n in content(p).items() if k[0] == "ann"})

    have = list(anns(merged))
    made = (anns(ours) - anns(base)) + (anns(theirs) - anns(base))

    def kept(item: tuple[object, ...]) -> bool:  # comments of both sides may have joined
        said = set(item[-1])  # type: ignore[call-overload]
        return any(h[:-1] == item[:-1] and said <= set(h[-1]) for h in have)  # type: ignore[call-overload]

    missing = [item for item in made if not kept(item)]
    assert not missing, (missing, report.summary())

    renamed = {(layer, old): new for layer, old, new in report.renamed}
    links = _link_keys(merged, {})
    for side, names in ((ours, {}), (theirs, renamed)):
        lost = _link_keys(side, names) - _link_keys(base, {}) - links
        assert not lost, (lost, report.summary())  # in place, or recorded beside ours

    for side in (ours, theirs):
        for doc_id, doc in side.documents.items():
            for who, status in doc.status.items():
                if base.documents[doc_id].status.get(who) == status:
                    continue
                got = merged.documents[doc_id]
                copy = merged.documents.get(report.copies.get(doc_id, ""))
                recorded = (
                    got.meta.extra.get(f"theirs~status:{who}"),
                    copy.status.get(who) if copy else None,
                )
                assert status in (got.status.get(who), *recorded), (doc_id, who, report.summary())
    assert report.clean == (not report.conflicts)
    _valid(merged)
