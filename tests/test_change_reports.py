"""Every edit tells views exactly what it touched (Qt-free).

Views refresh only the rows a ``Change`` names, so a command that names too little
leaves a stale row on screen, and one that names too much (or nothing) makes every
panel compare or recount a whole release on each keypress. The oracle here is the
model itself: the annotation and link objects of the (layer, document) before and
after each step, compared by identity (edits replace objects, never mutate them).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.formats.tagset_xml import default_tagset
from annotator.model import (
    CURATED_LAYER,
    AddAnnotation,
    AddComment,
    AddLink,
    Change,
    Command,
    DeleteAnnotation,
    Document,
    History,
    Macro,
    Project,
    RemoveLink,
    Resize,
    Retag,
    ReviewStatus,
    SetAttribute,
    SetNeedsCheck,
    SetNote,
    SetReviewStatus,
    SetStatus,
    Status,
)
from annotator.model.import_commands import PlaceAnnotations
from annotator.model.project import Annotation, Fragment, Link
from annotator.review.adjudicate import AcceptAnnotation, MarkRejected

# A release from another organisation, with a character beyond the BMP before the
# spans, so code-point offsets differ from UTF-16 ones.
TEXT = (
    "HRW 🌍 (Geneva) – The authorities of Ruritania should release the 14 students "
    "detained since March and allow independent monitors into Kessel prison, "
    "Human Rights Watch said today. Relatives of the detainees told us that guards "
    "beat them during interrogation. The Interior Ministry has not answered."
)
OTHER = "A second release. The Ministry of Justice must halt the executions."


def span(phrase: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


@pytest.fixture
def project() -> Project:
    p = Project("reports", default_tagset())
    p.add_document(Document("hrw-1", TEXT))
    p.add_document(Document("hrw-2", OTHER))
    p.ensure_layer("sam")
    p.ensure_layer("lee")
    return p


def state(project: Project, layer: str, doc_id: str) -> tuple[dict[str, Annotation], dict]:
    lay = project.layers.get(layer)
    da = lay.docs.get(doc_id) if lay is not None else None
    return (dict(da.annotations), dict(da.links)) if da is not None else ({}, {})


def expected(before: tuple[dict, dict], after: tuple[dict, dict]) -> tuple[set, set]:
    """What really changed: objects that came, went or were replaced, and link ends."""
    (ba, bl), (aa, al) = before, after
    anns = {i for i in ba.keys() | aa.keys() if ba.get(i) is not aa.get(i)}
    links = {i for i in bl.keys() | al.keys() if bl.get(i) is not al.get(i)}
    for lid in links:
        for lk in (bl.get(lid), al.get(lid)):
            if lk is not None:
                anns.update((lk.source, lk.target))
    return anns, links


def covered(change: Change, *versions: dict[str, Annotation]) -> None:
    """The spans cover every fragment, old and new, of the named annotations."""
    for aid in change.ann_ids:
        for anns in versions:
            if aid in anns:
                for f in anns[aid].fragments:
                    assert any(s <= f.start and f.end <= e for s, e in change.spans), (aid, f)


class Recorder:
    """Runs steps and checks each notice against the model's real difference."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.history = History(project)
        self.changes: list[Change] = []
        project.listeners.append(self.changes.append)

    def check(self, step, layer: str, doc_id: str) -> Change:  # type: ignore[no-untyped-def]
        before = state(self.project, layer, doc_id)
        self.changes.clear()
        step()
        after = state(self.project, layer, doc_id)
        assert len(self.changes) == 1, self.changes
        change = self.changes[0]
        anns, links = expected(before, after)
        assert (change.doc_id, change.layer) == (doc_id, layer)
        assert change.named
        assert set(change.ann_ids) == anns
        assert set(change.link_ids) == links
        assert len(change.ann_ids) == len(anns) and len(change.link_ids) == len(links)
        covered(change, before[0], after[0])
        return change

    def round_trip(self, cmd: Command, layer: str, doc_id: str) -> Change:
        """do, undo and redo each name the same annotations and links."""
        done = self.check(lambda: self.history.push(cmd), layer, doc_id)
        undone = self.check(self.history.undo, layer, doc_id)
        redone = self.check(self.history.redo, layer, doc_id)
        assert set(done.ann_ids) == set(undone.ann_ids) == set(redone.ann_ids)
        assert set(done.link_ids) == set(undone.link_ids) == set(redone.link_ids)
        return done


@pytest.fixture
def rec(project: Project) -> Recorder:
    return Recorder(project)


def tag(rec: Recorder, tag_name: str, phrase: str, layer: str = "sam") -> str:
    cmd = AddAnnotation(layer, "hrw-1", tag_name, [span(phrase)])
    rec.history.push(cmd)
    assert cmd.ann_id is not None
    return cmd.ann_id


def test_adding_names_the_new_annotation_only(rec):
    tag(rec, "victim", "14 students")
    cmd = AddAnnotation("sam", "hrw-1", "appeal", [span("release the 14 students")])
    change = rec.round_trip(cmd, "sam", "hrw-1")
    assert change.ann_ids == (cmd.ann_id,) and change.link_ids == ()
    assert change.spans == (span("release the 14 students"),)


@pytest.mark.parametrize(
    "make",
    [
        lambda a: Resize("sam", "hrw-1", a, [span("the 14 students detained")]),
        lambda a: SetAttribute("sam", "hrw-1", a, "harm", ["imprisoned", "tortured"]),
        lambda a: SetNote("sam", "hrw-1", a, "held since March"),
        lambda a: SetNeedsCheck("sam", "hrw-1", a, True),
        lambda a: AddComment("sam", "hrw-1", a, "is this the same group?", "reviewer"),
        lambda a: Retag("sam", "hrw-1", a, "appeal"),
    ],
    ids=["resize", "attribute", "note", "needs-check", "comment", "retag"],
)
def test_editing_one_annotation_names_it_alone(rec, make):
    victim = tag(rec, "victim", "14 students")
    tag(rec, "victim", "Relatives of the detainees")
    change = rec.round_trip(make(victim), "sam", "hrw-1")
    assert change.ann_ids == (victim,)


def test_links_name_the_link_and_both_ends(rec):
    appeal = tag(rec, "appeal", "release the 14 students")
    victim = tag(rec, "victim", "14 students")
    bystander = tag(rec, "authority", "The Interior Ministry")
    cmd = AddLink("sam", "hrw-1", "on_behalf_of", appeal, victim)
    change = rec.round_trip(cmd, "sam", "hrw-1")
    assert change.link_ids == (cmd.link_id,)
    assert set(change.ann_ids) == {appeal, victim} and bystander not in change.ann_ids
    change = rec.round_trip(RemoveLink("sam", "hrw-1", cmd.link_id), "sam", "hrw-1")
    assert set(change.ann_ids) == {appeal, victim}


def test_deleting_names_the_links_that_went_with_it(rec):
    appeal = tag(rec, "appeal", "release the 14 students")
    victim = tag(rec, "victim", "14 students")
    authority = tag(rec, "authority", "The Interior Ministry")
    rec.history.push(AddLink("sam", "hrw-1", "on_behalf_of", appeal, victim))
    rec.history.push(AddLink("sam", "hrw-1", "addressee", appeal, authority))
    change = rec.round_trip(DeleteAnnotation("sam", "hrw-1", appeal), "sam", "hrw-1")
    assert set(change.ann_ids) == {appeal, victim, authority}
    assert len(change.link_ids) == 2


def test_a_retag_names_the_links_its_new_tag_drops(rec):
    appeal = tag(rec, "appeal", "release the 14 students")
    victim = tag(rec, "victim", "14 students")
    link = AddLink("sam", "hrw-1", "on_behalf_of", appeal, victim)
    rec.history.push(link)
    change = rec.round_trip(Retag("sam", "hrw-1", appeal, "authority"), "sam", "hrw-1")
    assert change.link_ids == (link.link_id,) and set(change.ann_ids) == {appeal, victim}


def test_a_macro_names_each_step_once(rec):
    """Tag All Matches is a macro: one notice per annotation it adds, each naming it."""
    steps = [
        AddAnnotation("sam", "hrw-1", "victim", [span("14 students")]),
        AddAnnotation("sam", "hrw-1", "victim", [span("detainees")]),
    ]
    rec.history.push(Macro("Tag all", steps))
    assert [c.ann_ids for c in rec.changes] == [(s.ann_id,) for s in steps]


def test_document_fields_change_no_annotation(rec, project):
    tag(rec, "victim", "14 students")
    for cmd in (
        SetStatus("hrw-1", "sam", Status.DONE),
        SetReviewStatus("hrw-1", ReviewStatus.IN_REVIEW),
    ):
        rec.changes.clear()
        rec.history.push(cmd)
        rec.history.undo()
        for change in rec.changes:
            assert (change.doc_id, change.layer, change.text_changed) == ("hrw-1", "", False)
            assert not change.named


def test_an_import_names_what_it_placed_per_document(rec, project):
    placed = {
        "hrw-1": (
            [
                Annotation("i1", "appeal", (Fragment(*span("release the 14 students")),)),
                Annotation("i2", "victim", (Fragment(*span("14 students")),)),
            ],
            [Link("i3", "on_behalf_of", "i1", "i2")],
        ),
        "hrw-2": (
            [Annotation("i4", "authority", (Fragment(*span("Ministry of Justice", OTHER)),))],
            [],
        ),
    }
    rec.history.push(PlaceAnnotations("lee", placed, counter=4))
    by_doc = {c.doc_id: c for c in rec.changes}
    assert set(by_doc["hrw-1"].ann_ids) == {"i1", "i2"}
    assert by_doc["hrw-1"].link_ids == ("i3",)
    assert by_doc["hrw-2"].ann_ids == ("i4",) and by_doc["hrw-2"].layer == "lee"
    rec.changes.clear()
    rec.history.undo()
    assert {c.doc_id: set(c.ann_ids) for c in rec.changes} == {
        "hrw-1": {"i1", "i2"},
        "hrw-2": {"i4"},
    }


def test_adjudication_names_the_curated_and_the_rejected_annotation(rec, project):
    victim = tag(rec, "victim", "14 students", layer="lee")
    change = rec.round_trip(
        AcceptAnnotation("hrw-1", [("lee", victim)], "rev"), CURATED_LAYER, "hrw-1"
    )
    assert len(change.ann_ids) == 1
    other = tag(rec, "victim", "Relatives of the detainees", layer="lee")
    change = rec.round_trip(MarkRejected("lee", "hrw-1", other, "rev"), "lee", "hrw-1")
    assert change.ann_ids == (other,)


WORDS = [span(w) for w in ("students", "Kessel prison", "guards", "Interior Ministry", "🌍")]


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_any_sequence_of_edits_names_exactly_what_changed(data):
    """Random edits, undos and redos: every notice names exactly the real difference."""
    project = Project("fuzz", default_tagset())
    project.add_document(Document("hrw-1", TEXT))
    project.ensure_layer("sam")
    rec = Recorder(project)
    tags = [t.name for t in project.tagset.tags]
    for _ in range(data.draw(st.integers(1, 14))):
        anns, links = state(project, "sam", "hrw-1")
        kind = data.draw(st.sampled_from(["add", "edit", "delete", "link", "unlink", "undo"]))
        cmd: Command | None = None
        if kind == "add" or not anns:
            s, e = data.draw(st.sampled_from(WORDS))
            cmd = AddAnnotation("sam", "hrw-1", data.draw(st.sampled_from(tags)), [(s, e)])
        elif kind == "edit":
            aid = data.draw(st.sampled_from(sorted(anns)))
            cmd = data.draw(
                st.sampled_from(
                    [
                        Retag("sam", "hrw-1", aid, data.draw(st.sampled_from(tags))),
                        Resize("sam", "hrw-1", aid, [data.draw(st.sampled_from(WORDS))]),
                        SetNote("sam", "hrw-1", aid, "checked"),
                    ]
                )
            )
        elif kind == "delete":
            cmd = DeleteAnnotation("sam", "hrw-1", data.draw(st.sampled_from(sorted(anns))))
        elif kind == "link":
            pairs = [
                (lt.name, a, b)
                for lt in project.tagset.links
                for a in sorted(anns)
                for b in sorted(anns)
                if a != b and lt.allows(anns[a].tag, anns[b].tag)
            ]
            if pairs:
                name, a, b = data.draw(st.sampled_from(pairs))
                cmd = AddLink("sam", "hrw-1", name, a, b)
        elif kind == "unlink" and links:
            cmd = RemoveLink("sam", "hrw-1", data.draw(st.sampled_from(sorted(links))))
        if kind == "undo" and rec.history.done:
            rec.check(rec.history.undo, "sam", "hrw-1")
            if data.draw(st.booleans()):
                rec.check(rec.history.redo, "sam", "hrw-1")
        elif cmd is not None:
            rec.check(lambda c=cmd: rec.history.push(c), "sam", "hrw-1")
