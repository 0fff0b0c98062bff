"""The project model and its commands, without Qt or files."""

from __future__ import annotations

import pytest

from annotator.errors import (
    DuplicateId,
    EmptySpan,
    InvalidAttributeValue,
    LinkTypeMismatch,
    OffsetOutOfRange,
    UnknownAnnotation,
    UnknownAttribute,
    UnknownDocument,
    UnknownTag,
)
from annotator.formats.tagset_xml import default_tagset, tagset_from_element, tagset_to_element
from annotator.model import (
    AddAnnotation,
    AddComment,
    AddLink,
    Annotation,
    DeleteAnnotation,
    Document,
    Fragment,
    History,
    Layer,
    Link,
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
    normalise_fragments,
)

TEXT = (
    "Security forces are reported to have shot at and beaten a group of Buddhist monks "
    "and some students. 😀 Amnesty International calls on all sides to exercise restraint."
)


def span(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


@pytest.fixture
def project() -> Project:
    p = Project("test", default_tagset())
    p.add_document(Document("d1", TEXT))
    p.ensure_layer("dana")
    return p


@pytest.fixture
def history(project: Project) -> History:
    return History(project)


def anns(project: Project) -> dict[str, object]:
    return {
        k: (a.tag, a.fragments, dict(a.attributes), a.note)
        for k, a in project.layers["dana"].doc("d1").annotations.items()
    }


def test_add_annotation_uses_code_points_after_astral_character(project, history):
    cmd = history.push(AddAnnotation("dana", "d1", "appeal", [span("exercise restraint")]))
    ann = project.layers["dana"].doc("d1").annotations[cmd.ann_id]
    assert ann.covered_text(TEXT) == "exercise restraint"
    # the emoji is one code point, so the offset equals the str index
    assert ann.start == TEXT.index("exercise")


def test_undo_redo_reproduces_ids_and_timestamps(project, history):
    cmd = history.push(
        AddAnnotation("dana", "d1", "victim", [span("Buddhist monks")], author="dana")
    )
    before = anns(project)
    created = project.layers["dana"].doc("d1").annotations[cmd.ann_id].created_at
    history.undo()
    assert anns(project) == {}
    history.redo()
    assert anns(project) == before
    assert project.layers["dana"].doc("d1").annotations[cmd.ann_id].created_at == created


@pytest.mark.parametrize(
    ("tag", "fragments", "attributes", "error"),
    [
        ("appeal", [(0, 10_000)], {}, OffsetOutOfRange),
        ("nonsense", [(0, 5)], {}, UnknownTag),
        ("appeal", [(0, 5)], {"colour": "red"}, UnknownAttribute),
        ("appeal", [(0, 5)], {"kind": "shouting"}, InvalidAttributeValue),
        ("appeal", [(0, 5)], {"kind": ("urging", "direct-call")}, InvalidAttributeValue),
    ],
)
def test_invariants_raise_named_errors_and_leave_project_untouched(
    project, history, tag, fragments, attributes, error
):
    with pytest.raises(error):
        history.push(AddAnnotation("dana", "d1", tag, fragments, attributes))
    assert anns(project) == {}
    assert history.done == []


def test_fragment_invariants():
    with pytest.raises(EmptySpan):
        Fragment(5, 5)
    with pytest.raises(EmptySpan):
        normalise_fragments([])
    with pytest.raises(OffsetOutOfRange):
        Fragment(-1, 3)
    assert normalise_fragments([(10, 12), (0, 3), (2, 5)]) == (Fragment(0, 5), Fragment(10, 12))


def test_multiple_attribute_is_sorted_set(project, history):
    cmd = history.push(
        AddAnnotation(
            "dana",
            "d1",
            "victim",
            [span("Buddhist monks")],
            {"group": ["student", "religious-figure", "student"]},
        )
    )
    ann = project.layers["dana"].doc("d1").annotations[cmd.ann_id]
    assert ann.attributes["group"] == ("religious-figure", "student")


def test_discontinuous_annotation_and_resize(project, history):
    cmd = history.push(
        AddAnnotation(
            "dana", "d1", "victim", [span("a group of Buddhist monks"), span("some students")]
        )
    )
    ann = project.layers["dana"].doc("d1").annotations[cmd.ann_id]
    assert ann.covered_text(TEXT) == "a group of Buddhist monks … some students"
    history.push(Resize("dana", "d1", cmd.ann_id, [span("Buddhist monks")]))
    assert project.layers["dana"].doc("d1").annotations[cmd.ann_id].fragments == (
        Fragment(*span("Buddhist monks")),
    )
    history.undo()
    assert len(project.layers["dana"].doc("d1").annotations[cmd.ann_id].fragments) == 2


def test_links_are_typed_and_checked(project, history):
    appeal = history.push(
        AddAnnotation("dana", "d1", "appeal", [span("exercise restraint")])
    ).ann_id
    victim = history.push(AddAnnotation("dana", "d1", "victim", [span("Buddhist monks")])).ann_id
    authority = history.push(
        AddAnnotation("dana", "d1", "authority", [span("Security forces")])
    ).ann_id
    with pytest.raises(LinkTypeMismatch):
        history.push(AddLink("dana", "d1", "addressee", appeal, victim))
    with pytest.raises(LinkTypeMismatch):
        history.push(AddLink("dana", "d1", "no-such-type", appeal, victim))
    with pytest.raises(UnknownAnnotation):
        history.push(AddLink("dana", "d1", "addressee", appeal, "a999"))
    link = history.push(AddLink("dana", "d1", "responsible_for", authority, victim)).link_id
    da = project.layers["dana"].doc("d1")
    assert da.links[link].source == authority
    history.push(RemoveLink("dana", "d1", link))
    assert link not in da.links
    history.undo()
    assert link in project.layers["dana"].doc("d1").links


def test_delete_removes_links_and_undo_restores_them(project, history):
    appeal = history.push(
        AddAnnotation("dana", "d1", "appeal", [span("exercise restraint")])
    ).ann_id
    victim = history.push(AddAnnotation("dana", "d1", "victim", [span("Buddhist monks")])).ann_id
    history.push(AddLink("dana", "d1", "on_behalf_of", appeal, victim))
    history.push(DeleteAnnotation("dana", "d1", victim))
    da = project.layers["dana"].doc("d1")
    assert victim not in da.annotations and not da.links
    history.undo()
    da = project.layers["dana"].doc("d1")
    assert victim in da.annotations and len(da.links) == 1


def test_retag_drops_invalid_attributes_and_links_and_undo_restores(project, history):
    appeal = history.push(
        AddAnnotation("dana", "d1", "appeal", [span("exercise restraint")], {"kind": "direct-call"})
    ).ann_id
    victim = history.push(AddAnnotation("dana", "d1", "victim", [span("Buddhist monks")])).ann_id
    history.push(AddLink("dana", "d1", "on_behalf_of", appeal, victim))
    history.push(Retag("dana", "d1", appeal, "authority"))
    da = project.layers["dana"].doc("d1")
    assert da.annotations[appeal].tag == "authority"
    # "kind" exists on authority too but "direct-call" is not one of its values
    assert da.annotations[appeal].attributes == {}
    assert not da.links
    history.undo()
    da = project.layers["dana"].doc("d1")
    assert da.annotations[appeal].tag == "appeal"
    assert da.annotations[appeal].attributes == {"kind": "direct-call"}
    assert len(da.links) == 1


def test_set_attribute_note_flag_comment_and_status(project, history):
    ann = history.push(AddAnnotation("dana", "d1", "appeal", [span("exercise restraint")])).ann_id
    history.push(SetAttribute("dana", "d1", ann, "action", ["restraint"], author="lee"))
    history.push(SetNote("dana", "d1", ann, "addressed to all sides"))
    history.push(SetNeedsCheck("dana", "d1", ann, True))
    history.push(AddComment("dana", "d1", ann, "Is 'all sides' an authority?", author="rev"))
    a = project.layers["dana"].doc("d1").annotations[ann]
    assert a.attributes == {"action": ("restraint",)}
    assert a.note == "addressed to all sides"
    assert a.needs_check
    assert a.comments[0].author == "rev"
    assert a.modified_by == "lee"
    history.push(SetAttribute("dana", "d1", ann, "action", None))
    assert "action" not in project.layers["dana"].doc("d1").annotations[ann].attributes
    history.push(SetStatus("d1", "dana", Status.DONE))
    history.push(SetReviewStatus("d1", ReviewStatus.IN_REVIEW))
    assert project.documents["d1"].status_of("dana") is Status.DONE
    for _ in range(7):
        history.undo()
    a = project.layers["dana"].doc("d1").annotations[ann]
    assert a.attributes == {} and a.note == "" and not a.needs_check and a.comments == []
    assert project.documents["d1"].status_of("dana") is Status.NOT_STARTED
    assert project.documents["d1"].review_status is ReviewStatus.NOT_REVIEWED


def test_macro_is_all_or_nothing(project, history):
    good = AddAnnotation("dana", "d1", "victim", [span("Buddhist monks")])
    bad = AddAnnotation("dana", "d1", "victim", [(0, 100_000)])
    with pytest.raises(OffsetOutOfRange):
        history.push(Macro("Tag all", [good, bad]))
    assert anns(project) == {}
    history.push(Macro("Tag all", [AddAnnotation("dana", "d1", "victim", [span("some students")])]))
    assert len(anns(project)) == 1
    history.undo()
    assert anns(project) == {}


def test_explicit_duplicate_id_refused(project, history):
    history.push(AddAnnotation("dana", "d1", "victim", [span("some students")], ann_id="x1"))
    with pytest.raises(DuplicateId):
        history.push(AddAnnotation("dana", "d1", "victim", [span("Buddhist monks")], ann_id="x1"))


def test_ids_are_never_reused_after_undo_and_new_edit(project, history):
    first = history.push(AddAnnotation("dana", "d1", "victim", [span("some students")])).ann_id
    history.undo()
    second = history.push(AddAnnotation("dana", "d1", "victim", [span("Buddhist monks")])).ann_id
    assert first != second


def test_unknown_document(project, history):
    with pytest.raises(UnknownDocument):
        history.push(AddAnnotation("dana", "nope", "victim", [(0, 1)]))


def test_change_notifications_name_the_touched_spans(project, history):
    seen = []
    project.listeners.append(seen.append)
    history.push(AddAnnotation("dana", "d1", "victim", [span("Buddhist monks")]))
    assert seen[-1].doc_id == "d1" and seen[-1].spans == (span("Buddhist monks"),)


def test_default_tagset_round_trips_and_has_required_values():
    ts = default_tagset()
    assert tagset_from_element(tagset_to_element(ts)) == ts
    assert [t.name for t in ts.tags] == ["appeal", "victim", "authority"]
    action = ts.tag("appeal").attribute("action")
    assert {
        "release",
        "investigate",
        "stop",
        "death-penalty",
        "protect",
        "reform-law",
        "restraint",
        "ratify",
        "other",
    } == set(action.values)
    assert ts.tag("victim").attribute("harm").multiple
    assert ts.link_type("addressee").allows("appeal", "authority")
    assert ts.link_type("on_behalf_of").allows("appeal", "victim")
    assert ts.link_type("responsible_for").allows("authority", "victim")
    assert not ts.link_type("addressee").allows("appeal", "victim")
    for t in ts.tags:
        assert t.definition and t.examples and t.shortcut


def test_explicit_id_used_on_another_document_of_the_layer_is_refused(project, history):
    """Ids are unique within a layer, not just within one document of it."""
    project.add_document(Document("d2", TEXT))
    history.push(AddAnnotation("dana", "d1", "victim", [span("some students")], ann_id="x1"))
    with pytest.raises(DuplicateId):
        history.push(AddAnnotation("dana", "d2", "victim", [span("some students")], ann_id="x1"))
    assert "x1" not in project.layers["dana"].doc("d2").annotations


def test_next_id_catches_up_with_a_lagging_counter_in_one_scan(project, monkeypatch):
    """A file whose counter lags behind its ids (another tool wrote it, ids copied in)
    must not cost one whole-layer scan per number skipped: at 200,000 annotations
    that was minutes for the first new tag."""
    layer = project.layers["dana"]
    for d in range(50):
        project.add_document(Document(f"n{d}", TEXT))
        da = layer.doc(f"n{d}")
        for k in range(40):
            n = d * 40 + k + 1
            da.annotations[f"a{n}"] = Annotation(f"a{n}", "victim", (Fragment(0, 1),))
    da.links["r7"] = Link("r7", "by", "a1999", "a2000")
    assert layer.counter == 0
    scans = 0
    real = Layer.id_taken

    def counting(self: Layer, candidate: str) -> bool:
        nonlocal scans
        scans += 1
        return real(self, candidate)

    monkeypatch.setattr(Layer, "id_taken", counting)
    assert [layer.next_id("a") for _ in range(3)] == ["a2001", "a2002", "a2003"]
    assert layer.next_id("r") == "r2004"
    assert scans <= 8


def test_document_hash_is_computed_once_per_text(monkeypatch):
    """Merge, import and save ask every document for its hash; hashing megabytes of
    text again for each question is wasted work. A corrected text gets a new hash."""
    from annotator.model import project as project_module

    calls = []
    real = project_module.text_sha256

    def counting(text: str) -> str:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(project_module, "text_sha256", counting)
    p = Project("t", default_tagset())
    p.add_document(Document("d1", TEXT))
    p.add_document(Document("d2", TEXT + " more"))
    wanted = real(TEXT + " more")
    assert p.find_document_by_hash(wanted) is p.documents["d2"]
    assert p.find_document_by_hash(wanted) is p.documents["d2"]
    assert p.find_document_by_hash("0" * 64) is None
    assert len(calls) == 2
    p.documents["d1"].text = "corrected"
    assert p.documents["d1"].sha256 == real("corrected")
    assert p.find_document_by_hash(real(TEXT)) is None


def test_views_told_of_a_retag_see_the_links_it_dropped_gone(project, history):
    """A view refreshes when notified; if Retag notified before dropping the links its
    new tag does not allow, the view kept showing a link that no longer exists."""
    appeal = history.push(AddAnnotation("dana", "d1", "appeal", [span("exercise restraint")]))
    victim = history.push(AddAnnotation("dana", "d1", "victim", [span("Buddhist monks")]))
    history.push(AddLink("dana", "d1", "on_behalf_of", appeal.ann_id, victim.ann_id))
    da_links = []
    project.listeners.append(
        lambda change: da_links.append(set(project.layers["dana"].doc("d1").links))
    )
    history.push(Retag("dana", "d1", appeal.ann_id, "authority"))
    assert da_links and da_links[-1] == set()
    history.undo()
    assert len(da_links[-1]) == 1


def test_a_refused_command_hands_back_the_ids_it_took(project: Project, history: History) -> None:
    history.push(AddAnnotation("dana", "d1", "victim", [span("some students")]))
    counter = project.layers["dana"].counter
    with pytest.raises(UnknownTag):
        history.push(AddAnnotation("dana", "d1", "location", [span("Buddhist monks")]))
    with pytest.raises(OffsetOutOfRange):
        history.push(AddAnnotation("dana", "d1", "victim", [(0, len(TEXT) + 5)]))
    with pytest.raises(LinkTypeMismatch):
        history.push(AddLink("dana", "d1", "addressee", "a1", "a1"))
    # a macro refused half-way: its first tagging was done, then undone
    with pytest.raises(UnknownTag):
        history.push(
            Macro(
                "Tag two",
                [
                    AddAnnotation("dana", "d1", "authority", [span("Security forces")]),
                    AddAnnotation("dana", "d1", "location", [span("Buddhist monks")]),
                ],
            )
        )
    assert project.layers["dana"].counter == counter
    assert set(project.layers["dana"].doc("d1").annotations) == {"a1"}
    added = history.push(AddAnnotation("dana", "d1", "authority", [span("Security forces")]))
    assert added.ann_id == "a2"  # type: ignore[attr-defined]
