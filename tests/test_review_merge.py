"""Merging a colleague's project: layers, ids, texts that differ, re-anchoring, idempotence."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.model import Annotation, Comment, Document, History, Link, Project, Status
from annotator.review.merge import MergeProjects, merge_projects
from tests.review_support import add, project

TEXT = "Amnesty urged the authorities to release Sané 😀 and the students now."


def _mine_theirs():  # type: ignore[no-untyped-def]
    mine = project(TEXT, "Second release.", layers=("alice",))
    add(mine, "alice", "d1", "appeal", (8, 56), ann_id="a1")
    theirs = project(TEXT, "Second release.", layers=("bob",))
    theirs.ensure_layer("alice")
    add(theirs, "bob", "d1", "appeal", (8, 49), ann_id="a1")
    add(theirs, "bob", "d1", "authority", (18, 29), ann_id="a2")
    add(theirs, "bob", "d1", "victim", (41, 45), ann_id="a3")
    theirs.layer("bob").docs["d1"].links["r1"] = Link("r1", "addressee", "a1", "a2")
    # alice's layer in their copy: one identical, one identical under another id, one new
    add(theirs, "alice", "d1", "appeal", (8, 56), ann_id="a1")
    add(theirs, "alice", "d2", "appeal", (0, 6), ann_id="a1x")
    theirs.documents["d1"].status["bob"] = Status.DONE
    return mine, theirs


def _snapshot(p):  # type: ignore[no-untyped-def]
    return (
        {k: (d.text, dict(d.status)) for k, d in p.documents.items()},
        {
            n: {
                d: (
                    sorted(map(repr, da.annotations.values())),
                    sorted(map(repr, da.links.values())),
                )
                for d, da in lay.docs.items()
                if da
            }
            for n, lay in p.layers.items()
        },
    )


def test_merge_adds_layers_and_dedupes_same_name_layer() -> None:
    mine, theirs = _mine_theirs()
    rep = merge_projects(mine, theirs)
    assert rep.layers_added == ["bob"]
    assert len(mine.layer("bob").docs["d1"].annotations) == 3
    assert list(mine.layer("bob").docs["d1"].links) == ["r1"]
    alice = mine.layer("alice")
    assert alice.annotation_count() == 2  # a1 identical, a1x new on d2
    assert rep.annotations_identical == 1
    assert rep.annotations_added == 4
    assert rep.links_added == 1
    assert mine.documents["d1"].status["bob"] is Status.DONE
    assert rep.changed


def test_merging_twice_changes_nothing() -> None:
    mine, theirs = _mine_theirs()
    merge_projects(mine, theirs)
    before = _snapshot(mine)
    rep = merge_projects(mine, theirs)
    assert not rep.changed
    assert _snapshot(mine) == before


def test_conflicting_ids_are_renamed_and_reported() -> None:
    mine, theirs = _mine_theirs()
    # their alice a1 differs from mine: a different span under the same id
    theirs.layer("alice").docs["d1"].annotations["a1"].fragments = (
        theirs.layer("alice").docs["d1"].annotations["a1"].fragments[0].__class__(41, 45),
    )
    theirs.layer("alice").docs["d1"].annotations["a1"].tag = "victim"
    rep = merge_projects(mine, theirs)
    assert len(rep.renamed) == 1
    layer, old, new = rep.renamed[0]
    assert (layer, old) == ("alice", "a1") and new != "a1"
    renamed = mine.layer("alice").docs["d1"].annotations[new]
    assert renamed.tag == "victim"
    assert mine.layer("alice").docs["d1"].annotations["a1"].tag == "appeal"
    assert any("renamed" in line for line in rep.summary())
    # and the renamed one is recognised next time
    assert not merge_projects(mine, theirs).changed


def test_documents_only_in_theirs_are_added_and_matched_by_hash() -> None:
    mine, theirs = _mine_theirs()
    theirs.add_document(Document(id="d9", text="Only theirs."))
    add(theirs, "bob", "d9", "victim", (0, 4))
    # same text as my d2 under another id: matched by hash
    theirs.documents["dX"] = Document(id="dX", text="Second release.")
    add(theirs, "bob", "dX", "appeal", (0, 6), ann_id="bx")
    rep = merge_projects(mine, theirs)
    assert "d9" in rep.documents_added and "d9" in mine.documents
    assert ("dX", "d2") in rep.documents_matched
    assert "dX" not in mine.documents
    assert "bx" in mine.layer("bob").docs["d2"].annotations


def test_changed_text_is_reported_not_silently_reanchored() -> None:
    mine, theirs = _mine_theirs()
    theirs.documents["d1"].text = "Today: " + TEXT
    rep = merge_projects(copy.deepcopy(mine), theirs)
    assert rep.documents_differing == ["d1"]
    assert not rep.reanchored
    assert any("d1" in what for what, _ in rep.skipped)


def test_reanchor_by_covered_text() -> None:
    mine, theirs = _mine_theirs()
    old = TEXT + " Extra words here."
    theirs.documents["d1"].text = old
    # my text: shifted by 7 code points, one letter changed, the last sentence gone
    mine.documents["d1"].text = "Today: " + TEXT.replace("students", "stüdents")
    add(theirs, "bob", "d1", "victim", (old.index("the students"), old.index(" now")), ann_id="a4")
    add(theirs, "bob", "d1", "victim", (old.index("Extra"), old.index(" here")), ann_id="a5")
    mine_before = mine.documents["d1"].text
    rep = merge_projects(mine, theirs, reanchor=True)
    assert rep.documents_differing == ["d1"]
    assert mine.documents["d1"].text == mine_before  # my text is never touched
    bob = mine.layer("bob").docs["d1"].annotations
    text = mine.documents["d1"].text
    assert bob["a3"].covered_text(text) == "Sané"  # unique exact occurrence
    assert bob["a4"].covered_text(text) == "the stüdents"  # fuzzy, by the alignment
    assert {aid for _, _, aid in rep.reanchored} == {"a1", "a2", "a3", "a4"}
    assert rep.unplaced == [("bob", "d1", "a5", "Extra words")]
    assert "a5" not in bob


def test_comments_are_merged_into_identical_annotations() -> None:
    mine, theirs = _mine_theirs()
    theirs.layer("alice").docs["d1"].annotations["a1"].comments.append(
        Comment("rita", "2026-01-01T00:00:00Z", "Too long?")
    )
    rep = merge_projects(mine, theirs)
    assert rep.comments_added == 1
    assert mine.layer("alice").docs["d1"].annotations["a1"].comments[0].text == "Too long?"


def test_merge_is_one_undoable_command() -> None:
    mine, theirs = _mine_theirs()
    theirs.add_document(Document(id="d9", text="Only theirs."))
    before = _snapshot(mine)
    counters = {n: lay.counter for n, lay in mine.layers.items()}
    h = History(mine)
    cmd = h.push(MergeProjects(theirs))
    assert isinstance(cmd, MergeProjects) and cmd.report.changed
    after = _snapshot(mine)
    h.undo()
    assert _snapshot(mine) == before
    assert {n: lay.counter for n, lay in mine.layers.items()} == counters
    h.redo()
    assert _snapshot(mine) == after


def test_merging_the_same_file_twice_saves_identical_bytes() -> None:
    project_xml = pytest.importorskip("annotator.formats.project_xml")
    mine, theirs = _mine_theirs()
    theirs = project_xml.project_from_bytes(project_xml.project_to_bytes(theirs))
    merge_projects(mine, theirs)
    first = project_xml.project_to_bytes(mine)
    merge_projects(mine, theirs)
    assert project_xml.project_to_bytes(mine) == first


@st.composite
def _layers(draw: st.DrawFn) -> list[tuple[str, int, int, str]]:
    n = draw(st.integers(0, 8))
    out = []
    for i in range(n):
        start = draw(st.integers(0, len(TEXT) - 2))
        end = draw(st.integers(start + 1, len(TEXT)))
        tag = draw(st.sampled_from(["appeal", "victim", "authority"]))
        out.append((f"a{draw(st.integers(1, 6))}" if i % 2 else f"x{i}", start, end, tag))
    return out


@settings(max_examples=60, deadline=None)
@given(mine_anns=_layers(), their_anns=_layers())
def test_merge_properties(
    mine_anns: list[tuple[str, int, int, str]], their_anns: list[tuple[str, int, int, str]]
) -> None:
    """Whatever the ids and spans: nothing is lost, a second merge is a no-op, undo restores."""
    mine = project(TEXT, layers=("alice",))
    theirs = project(TEXT, layers=("alice",))
    for p, anns in ((mine, mine_anns), (theirs, their_anns)):
        for ann_id, s, e, tag in anns:
            if ann_id not in p.layer("alice").doc("d1").annotations:
                add(p, "alice", "d1", tag, (s, e), ann_id=ann_id)
    before = _snapshot(mine)
    h = History(mine)
    cmd = h.push(MergeProjects(theirs))

    def anns(p: Project) -> list[Annotation]:
        da = p.layer("alice").docs.get("d1")
        return list(da.annotations.values()) if da else []

    assert {(a.tag, a.fragments) for a in anns(theirs)} <= {
        (a.tag, a.fragments) for a in anns(mine)
    }
    ids = [a.id for a in anns(mine)]
    assert len(ids) == len(set(ids))
    after = _snapshot(mine)
    assert not merge_projects(mine, theirs).changed
    assert _snapshot(mine) == after
    assert isinstance(cmd, MergeProjects)
    h.undo()
    assert _snapshot(mine) == before


def test_a_tag_only_their_tag_set_has_comes_in_with_their_annotations() -> None:
    """They added a tag: a compatible change, so our tag set takes it (said in the
    report) and their annotations with it are merged, not skipped."""
    from dataclasses import replace

    from annotator.model import Annotation, Fragment, TagType

    mine, theirs = _mine_theirs()
    extra = TagType(name="perpetrator", label="Perpetrator", color="#000000")
    theirs.tagset = replace(theirs.tagset, tags=(*theirs.tagset.tags, extra))
    theirs.layer("bob").docs["d1"].annotations["p1"] = Annotation(
        id="p1", tag="perpetrator", fragments=(Fragment(0, 7),)
    )
    rep = merge_projects(mine, theirs)
    assert mine.tagset.tag("perpetrator") == extra
    assert mine.layer("bob").docs["d1"].annotations["p1"].tag == "perpetrator"
    assert rep.skipped == []
    assert "Tag set: added from theirs: tag 'perpetrator'." in rep.summary()


def test_a_document_where_nothing_lands_gets_no_empty_record() -> None:
    """Their annotations on d2 are all skipped: my layer gains no empty d2 entry (the
    merge takes back the record it made; before this test, removing that went unnoticed)."""
    from annotator.model import Fragment

    mine, theirs = _mine_theirs()
    theirs.layer("alice").docs["d2"].annotations["a1x"] = Annotation(
        id="a1x", tag="no-such-tag", fragments=(Fragment(0, 6),)
    )
    assert "d2" not in mine.layer("alice").docs
    rep = merge_projects(mine, theirs)
    assert any("a1x" in what for what, _why in rep.skipped)
    assert "d2" not in mine.layer("alice").docs


def test_added_documents_do_not_share_metadata_with_their_file() -> None:
    mine, theirs = _mine_theirs()
    theirs.add_document(Document("d9", "Only theirs."))
    theirs.documents["d9"].meta.headline = "Theirs"
    theirs.documents["d9"].meta.extra["layout"] = "kept"
    merge_projects(mine, theirs)
    theirs.documents["d9"].meta.extra["layout"] = "changed"
    theirs.documents["d9"].meta.headline = "changed"
    assert mine.documents["d9"].meta.extra == {"layout": "kept"}
    assert mine.documents["d9"].meta.headline == "Theirs"
