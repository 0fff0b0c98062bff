"""The per-layer id index stays true through every kind of edit and its undo."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.errors import AnnotatorError
from annotator.formats.tagset_xml import default_tagset
from annotator.model import (
    AddAnnotation,
    AddLink,
    DeleteAnnotation,
    Document,
    History,
    Project,
    RemoveLink,
    Retag,
)
from annotator.model.import_commands import PlaceAnnotations
from annotator.model.project import Annotation, Fragment, Link
from annotator.review.merge import merge_projects

DOCS = ("d1", "d2")
#: few ids, so that adding, removing and undoing meet the same id often
IDS = ("a1", "a2", "a3", "r1", "r2")
TAGS = ("appeal", "victim", "authority")

steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("add"), st.sampled_from(DOCS), st.sampled_from(IDS[:3]), st.sampled_from(TAGS)
        ),
        st.tuples(st.just("delete"), st.sampled_from(DOCS), st.sampled_from(IDS[:3]), st.just("")),
        st.tuples(
            st.just("retag"), st.sampled_from(DOCS), st.sampled_from(IDS[:3]), st.sampled_from(TAGS)
        ),
        st.tuples(st.just("link"), st.sampled_from(DOCS), st.sampled_from(IDS[3:]), st.just("")),
        st.tuples(st.just("unlink"), st.sampled_from(DOCS), st.sampled_from(IDS[3:]), st.just("")),
        st.tuples(st.just("place"), st.sampled_from(DOCS), st.sampled_from(IDS[:3]), st.just("")),
        st.tuples(st.just("undo"), st.just(""), st.just(""), st.just("")),
        st.tuples(st.just("redo"), st.just(""), st.just(""), st.just("")),
        st.tuples(st.just("fresh"), st.sampled_from(DOCS), st.just(""), st.sampled_from(TAGS)),
    ),
    max_size=40,
)


def _project() -> Project:
    p = Project("p", default_tagset())
    for d in DOCS:
        p.add_document(Document(d, "Police beat the students and the journalists.\n"))
    p.ensure_layer("alice")
    return p


def _check(p: Project) -> None:
    layer = p.layers["alice"]
    truth = layer.ids()
    for ident in (*IDS, *(f"a{i}" for i in range(4, 30)), *(f"r{i}" for i in range(3, 30))):
        assert layer.id_taken(ident) == (ident in truth), ident


@settings(max_examples=300, deadline=None)
@given(steps)
def test_id_taken_is_always_what_the_documents_hold(ops: list[tuple[str, str, str, str]]) -> None:
    p = _project()
    history = History(p)
    for op, doc, ident, tag in ops:
        try:
            if op == "add":
                history.push(AddAnnotation("alice", doc, tag, [(0, 6)], ann_id=ident))
            elif op == "fresh":
                history.push(AddAnnotation("alice", doc, tag, [(7, 11)]))
            elif op == "delete":
                history.push(DeleteAnnotation("alice", doc, ident))
            elif op == "retag":
                history.push(Retag("alice", doc, ident, tag))
            elif op == "link":
                da = p.layers["alice"].doc(doc)
                pairs = [
                    (lt.name, a.id, b.id)
                    for a in da.annotations.values()
                    for b in da.annotations.values()
                    for lt in p.tagset.links
                    if lt.allows(a.tag, b.tag)
                ]
                if pairs:
                    history.push(AddLink("alice", doc, *pairs[0], ident))
            elif op == "unlink":
                history.push(RemoveLink("alice", doc, ident))
            elif op == "place":
                ann = Annotation(ident, "victim", (Fragment(12, 24),))
                history.push(PlaceAnnotations("alice", {doc: ([ann], [])}))
            elif op == "undo" and history.done:
                history.undo()
            elif op == "redo" and history.undone:
                history.redo()
        except AnnotatorError:
            pass  # a refused edit changes nothing
        _check(p)


def test_a_merge_that_brings_ids_is_seen_by_the_index() -> None:
    mine, theirs = _project(), _project()
    mine.layers["alice"].id_taken("a1")  # the index exists before the merge
    theirs.layers["alice"].doc("d1").annotations["a1"] = Annotation(
        "a1", "victim", (Fragment(0, 6),)
    )
    theirs.layers["alice"].doc("d1").links["r1"] = Link("r1", "x", "a1", "a1")
    merge_projects(mine, theirs)
    assert mine.layers["alice"].id_taken("a1") == ("a1" in mine.layers["alice"].ids())


def test_every_command_keeps_the_index_through_do_undo_and_redo() -> None:
    p = _project()
    history = History(p)
    layer = p.layers["alice"]
    assert not layer.id_taken("a1")  # the index is built here, before any edit
    edits = [
        AddAnnotation("alice", "d1", "appeal", [(0, 6)], ann_id="a1"),
        AddAnnotation("alice", "d1", "victim", [(12, 24)], ann_id="a2"),
        AddLink("alice", "d1", "on_behalf_of", "a1", "a2", "r1"),
        RemoveLink("alice", "d1", "r1"),
        AddLink("alice", "d1", "on_behalf_of", "a1", "a2", "r2"),
        Retag("alice", "d1", "a2", "authority"),  # drops r2: on_behalf_of needs a victim
        AddLink("alice", "d1", "addressee", "a1", "a2", "r3"),
        DeleteAnnotation("alice", "d1", "a1"),  # takes r3 with it
        PlaceAnnotations(
            "alice",
            {"d2": ([Annotation("a3", "victim", (Fragment(0, 6),))], [])},
        ),
    ]
    for edit in edits:
        history.push(edit)
        _check(p)
        history.undo()
        _check(p)
        history.redo()
        _check(p)
    while history.done:
        history.undo()
        _check(p)
    assert not layer.ids()
