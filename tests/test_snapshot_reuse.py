"""A save's snapshot reuses what did not change, and is still the project at that moment.

The snapshot shares each unchanged release's frozen annotations and links with
the previous snapshot, so it must notice every way a release can change. The
oracle is a full deep copy of the project taken at the moment of the snapshot:
random sequences of every kind of edit (each command the application has,
undo and redo), with snapshots taken in between, must give snapshots equal to
that copy, and a snapshot must stay equal to its copy whatever is edited later.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import pkgutil

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import annotator
from annotator.errors import AnnotatorError
from annotator.formats.tagset_xml import default_tagset
from annotator.model import (
    AddAnnotation,
    AddComment,
    AddLink,
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
from annotator.model.documents import AddDocuments
from annotator.model.import_commands import PlaceAnnotations, ReplaceTagSet
from annotator.model.project import Annotation, Fragment, FrozenDict, Link, TrackedDict
from annotator.model.snapshot import forget_snapshots, snapshot
from annotator.model.suggested import AddProposals, Proposal
from annotator.model.tagset import AttributeDef, LinkType, TagType
from annotator.model.tagset_commands import (
    AddAttribute,
    AddLinkType,
    AddTag,
    AddValue,
    EditAttribute,
    EditLinkType,
    EditTag,
    MergeValues,
    MoveTag,
    RecolourTag,
    RelabelTag,
    RelabelValue,
    RemoveAttribute,
    RemoveLinkType,
    RemoveTag,
    RemoveValue,
    RenameAttribute,
    RenameLinkType,
    RenameTag,
    RenameValue,
    SetMultiple,
)
from annotator.model.tagset_commands import ReplaceTagSet as TakeTagSet
from annotator.model.text_edit import EditText
from annotator.review.adjudicate import AcceptAnnotation, MarkRejected
from annotator.review.conflicts import ResolveConflicts, list_conflicts
from annotator.review.merge import MergeProjects

# Releases of another organisation; one with a character beyond the BMP.
TEXTS = {
    "ai-1": "Amnesty 🌍 (London) – Ruritania must free the 14 students held in Kessel prison.",
    "ai-2": "The Ministry of Justice must halt the executions of three men, Amnesty said.",
    "ai-3": "Guards beat the detainees, relatives told Amnesty. The Interior Ministry denied it.",
}
LAYERS = ("sam", "lee")


def fresh() -> Project:
    p = Project("archive", default_tagset())
    for doc_id, text in TEXTS.items():
        p.add_document(Document(doc_id, text))
    for name in LAYERS:
        p.ensure_layer(name)
    return p


def spans(text: str) -> list[tuple[int, int]]:
    """Word spans of ``text`` (the fragments edits draw from)."""
    out, start = [], None
    for i, ch in enumerate(text + " "):
        if ch.isalnum() and start is None:
            start = i
        elif not ch.isalnum() and start is not None:
            out.append((start, i))
            start = None
    return out


def full_copy(project: Project) -> Project:
    listeners, project.listeners = project.listeners, []
    last, project.last_snapshot = project.last_snapshot, None
    try:
        return copy.deepcopy(project)
    finally:
        project.listeners, project.last_snapshot = listeners, last


def draw_command(data: st.DataObject, project: Project) -> Command | None:
    """One edit of any kind the application makes, on what the project holds now."""
    doc_id = data.draw(st.sampled_from(sorted(project.documents)))
    text = project.documents[doc_id].text
    layer = data.draw(st.sampled_from(LAYERS))
    da = project.layers[layer].doc(doc_id)
    anns = sorted(da.annotations)
    tags = [t.name for t in project.tagset.tags]
    words = spans(text) or [(0, len(text))]
    kind = data.draw(st.sampled_from(sorted(KINDS)))
    if kind == "unlink":
        held = [
            (name, d, lid)
            for name, lay in project.layers.items()
            for d, x in lay.docs.items()
            for lid in x.links
        ]
        if held:
            name, d, lid = data.draw(st.sampled_from(sorted(held)))
            return RemoveLink(name, d, lid)
        kind = "link"  # nothing to remove yet: make something to remove
    if kind == "link-2":  # links are drawn twice as often: they need two annotations
        kind = "link"
    if kind == "link":
        pairs = [
            (lt.name, name, d, a, b)
            for name, lay in project.layers.items()
            for d, x in lay.docs.items()
            for lt in project.tagset.links
            for a in x.annotations
            for b in x.annotations
            if a != b and lt.allows(x.annotations[a].tag, x.annotations[b].tag)
        ]
        if pairs:
            link_type, name, d, a, b = data.draw(st.sampled_from(sorted(pairs)))
            return AddLink(name, d, link_type, a, b)
        # tag what a link needs at its ends first
        held = {da.annotations[a].tag for a in anns}
        wanted = next((t for t in ("appeal", "victim", "authority") if t not in held), "victim")
        return AddAnnotation(layer, doc_id, wanted, [data.draw(st.sampled_from(words))])
    if kind in ANN_KINDS and not anns:
        kind = "add"
    if kind == "add":
        return AddAnnotation(
            layer, doc_id, data.draw(st.sampled_from(tags)), [data.draw(st.sampled_from(words))]
        )
    if kind in ANN_KINDS:
        aid = data.draw(st.sampled_from(anns))
        if kind == "retag":
            return Retag(layer, doc_id, aid, data.draw(st.sampled_from(tags)))
        if kind == "resize":
            return Resize(layer, doc_id, aid, [data.draw(st.sampled_from(words))])
        if kind == "attribute":
            attrs = project.tagset.tag(da.annotations[aid].tag).attributes
            if not attrs:
                return SetNote(layer, doc_id, aid, "no attributes here")
            attr = data.draw(st.sampled_from(attrs))
            value = data.draw(st.sampled_from(attr.values)) if attr.values else "x"
            return SetAttribute(layer, doc_id, aid, attr.name, value)
        if kind == "note":
            return SetNote(
                layer, doc_id, aid, data.draw(st.sampled_from(["checked", "", "see 🌍"]))
            )
        if kind == "needs-check":
            return SetNeedsCheck(layer, doc_id, aid, data.draw(st.booleans()))
        if kind == "comment":
            return AddComment(layer, doc_id, aid, "same group?", "reviewer")
        if kind == "delete":
            return DeleteAnnotation(layer, doc_id, aid)
        if kind == "accept":
            return AcceptAnnotation(doc_id, [(layer, aid)], "rev")
        if kind == "reject":
            return MarkRejected(layer, doc_id, aid, "rev")
    if kind == "look":  # a tag's looks: no annotation changes, the tag set does
        name = data.draw(st.sampled_from([t.name for t in project.tagset.tags]))
        return data.draw(
            st.sampled_from(
                [
                    EditTag(name, label="Edited", shortcut=""),
                    RecolourTag(name, "#AA3300"),
                    RelabelTag(name, "Relabelled"),
                ]
            )
        )
    if kind == "status":
        return SetStatus(doc_id, layer, data.draw(st.sampled_from(list(Status))))
    if kind == "review-status":
        return SetReviewStatus(doc_id, data.draw(st.sampled_from(list(ReviewStatus))))
    if kind == "edit-text":
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 12)))
        return EditText(doc_id, start, end, data.draw(st.sampled_from(["", "the ", "🌍", "x"])))
    if kind == "import":
        n = len(project.layers[layer].ids()) + 1000
        s, e = data.draw(st.sampled_from(words))
        placed = {
            doc_id: (
                [
                    Annotation(f"i{n}", "victim", (Fragment(s, e),)),
                    Annotation(f"i{n + 1}", "appeal", (Fragment(s, e),)),
                ],
                [Link(f"i{n + 2}", "on_behalf_of", f"i{n + 1}", f"i{n}")],
            )
        }
        return PlaceAnnotations(layer, placed, counter=n + 2)
    if kind == "proposals":
        s, e = data.draw(st.sampled_from(words))
        return AddProposals(layer, [Proposal(doc_id, "victim", (Fragment(s, e),))], "assist")
    if kind == "tagset":  # an import's tag set, or a colleague's edited one
        if data.draw(st.booleans()):
            return ReplaceTagSet(default_tagset())
        return TakeTagSet(default_tagset(), delete=data.draw(st.booleans()))
    if kind == "documents":
        new_id = f"new-{len(project.documents)}"
        return AddDocuments([Document(new_id, "A new release: free the prisoners now.")])
    if kind in ("tagset-edit", "values"):
        return draw_tagset_command(data, project, values_only=kind == "values")
    if kind == "merge":
        # a colleague's copy of the same file, with a release tagged there
        theirs = full_copy(project)
        theirs.ensure_layer(data.draw(st.sampled_from(["kim", *LAYERS])))
        s, e = data.draw(st.sampled_from(words))
        # a tag the file has (an earlier tag-set edit may have removed "authority")
        tags = [t.name for t in theirs.tagset.tags]
        if not tags:
            return MergeProjects(theirs)
        tag = "authority" if "authority" in tags else tags[0]
        for name in theirs.layers:
            AddAnnotation(name, doc_id, tag, [(s, e)]).do(theirs)
        return MergeProjects(theirs)
    if kind == "conflicts":  # what a git merge recorded, settled one way or the other
        found = list_conflicts(project) or seed_conflicts(data, project, doc_id, layer)
        side = data.draw(st.sampled_from(["ours", "theirs"]))
        return ResolveConflicts([(data.draw(st.sampled_from(found)), side)])
    if kind == "macro":
        s, e = data.draw(st.sampled_from(words))
        return Macro(
            "Tag all",
            [
                AddAnnotation(layer, doc_id, "victim", [(s, e)]),
                SetStatus(doc_id, layer, Status.IN_PROGRESS),
            ],
        )
    raise AssertionError(kind)


def seed_conflicts(data: st.DataObject, project: Project, doc_id: str, layer: str) -> list:  # type: ignore[type-arg]
    """Records as the merge driver leaves them: their status in the document's metadata,
    their version of an annotation in the layer's ``~theirs`` twin."""
    doc = project.documents[doc_id]
    meta = doc.meta.copy()  # a snapshot shares the old metadata
    meta.extra[f"theirs~status:{layer}"] = data.draw(st.sampled_from([*Status, "deleted"]))
    doc.meta = meta
    da = project.layers[layer].doc(doc_id)
    if da.annotations:
        ann = da.annotations[data.draw(st.sampled_from(sorted(da.annotations)))].copy()
        ann.tag = data.draw(st.sampled_from([t.name for t in project.tagset.tags]))
        ann.note = "theirs"
        twin = project.ensure_layer(layer + "~theirs")
        twin.doc(doc_id).annotations[ann.id] = ann
        twin.forget_index()
    return list_conflicts(project)


def draw_tagset_command(
    data: st.DataObject, project: Project, values_only: bool = False
) -> Command:
    """One change of the tag set, which may rename, map or drop what annotations hold."""
    tags = list(project.tagset.tags)
    tag = data.draw(st.sampled_from(tags))
    other = data.draw(st.sampled_from([t.name for t in tags if t.name != tag.name] or [None]))
    gone = data.draw(st.booleans())
    attrs = list(tag.attributes)
    attr = data.draw(st.sampled_from(attrs)) if attrs else None
    values = list(attr.values) if attr is not None else []
    choices: list[Command] = [
        AddTag(
            TagType(
                f"place{len(tags)}",
                "Place",
                "#F0E442",
                attributes=(AttributeDef("precision", values=("city", "country")),),
            )
        ),
        RenameTag(tag.name, f"{tag.name}-x"),
        EditTag(tag.name, label="Edited", shortcut=""),
        RecolourTag(tag.name, "#AA3300"),
        RelabelTag(tag.name, "Relabelled"),
        RemoveTag(tag.name, map_to=None if gone else other, delete=gone),
        AddAttribute(tag.name, AttributeDef("age", values=("adult", "child"))),
        MoveTag(tag.name, 0),
        AddLinkType(LinkType(f"about{len(tags)}", "About", (tag.name,), (tag.name,))),
    ]
    links = list(project.tagset.links)
    if links:
        lt = data.draw(st.sampled_from(links))
        onto = data.draw(st.sampled_from([x.name for x in links if x is not lt] or [None]))
        choices += [
            RenameLinkType(lt.name, f"{lt.name}-x"),
            EditLinkType(lt.name, sources=(tag.name,), map_to=onto, delete=gone),
            RemoveLinkType(lt.name, map_to=onto, delete=gone),
        ]
    if attr is not None:
        choices += [
            RenameAttribute(tag.name, attr.name, f"{attr.name}-x"),
            RemoveAttribute(tag.name, attr.name, delete=gone),
            AddValue(tag.name, attr.name, "new-value", "New value"),
            EditAttribute(tag.name, attr.name, label="Edited", definition="Reworded."),
            SetMultiple(tag.name, attr.name, not attr.multiple, keep_first=not gone, delete=gone),
        ]
    if values:
        value = data.draw(st.sampled_from(values))
        into = data.draw(st.sampled_from(values))
        choices += [
            RenameValue(tag.name, attr.name, value, f"{value}-x"),  # type: ignore[union-attr]
            MergeValues(tag.name, attr.name, value, into),  # type: ignore[union-attr]
            RemoveValue(tag.name, attr.name, value, map_to=None if gone else into, delete=gone),  # type: ignore[union-attr]
            RelabelValue(tag.name, attr.name, value, "Relabelled"),  # type: ignore[union-attr]
        ]
        if values_only:
            choices = choices[-4:]
    return data.draw(st.sampled_from(choices))


ANN_KINDS = {
    "retag",
    "resize",
    "attribute",
    "note",
    "needs-check",
    "comment",
    "delete",
    "accept",
    "reject",
    "link",
}
KINDS = ANN_KINDS | {
    "add",
    "unlink",
    "status",
    "review-status",
    "edit-text",
    "import",
    "proposals",
    "tagset",
    "documents",
    "macro",
    "merge",
    "tagset-edit",
    "values",
    "look",
    "link-2",
    "conflicts",
}
#: every command class the draws above make
COVERED = {
    AddAnnotation, Retag, Resize, SetAttribute, SetNote, SetNeedsCheck, AddComment,
    DeleteAnnotation,
    AcceptAnnotation, MarkRejected, AddLink, RemoveLink, SetStatus, SetReviewStatus, EditText,
    PlaceAnnotations, AddProposals, ReplaceTagSet, AddDocuments, Macro, MergeProjects,
    AddTag, RenameTag, EditTag, RecolourTag, RelabelTag, RemoveTag, AddAttribute,
    RenameAttribute, RemoveAttribute, AddValue, RenameValue, MergeValues, RemoveValue,
    TakeTagSet, ResolveConflicts, MoveTag, AddLinkType, RenameLinkType, EditLinkType,
    RemoveLinkType, EditAttribute, SetMultiple, RelabelValue,
}  # fmt: skip


def all_command_classes() -> set[type]:
    """Every concrete Command the Qt-free core defines."""
    for info in pkgutil.walk_packages(annotator.__path__, "annotator."):
        if ".ui" in info.name or info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
    found: set[type] = set()
    todo = [Command]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if not inspect.isabstract(sub) and not sub.__name__.startswith("_"):
                found.add(sub)
    return found


def test_the_random_edits_reach_every_command_there_is():
    """A new command (a new way to change a release) must be added to the draws."""
    missing = {c.__qualname__ for c in all_command_classes() - COVERED}
    assert not missing, f"add these to draw_command: {sorted(missing)}"


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_every_snapshot_is_the_project_at_that_moment(data):
    project = fresh()
    history = History(project)
    taken: list[tuple[Project, Project]] = []
    for _ in range(data.draw(st.integers(1, 25))):
        step = data.draw(st.sampled_from(["edit", "edit", "edit", "undo", "redo", "snapshot"]))
        if step == "undo" and history.done:
            history.undo()
        elif step == "redo" and history.undone:
            history.redo()
        elif step == "snapshot":
            taken.append((snapshot(project), full_copy(project)))
        else:
            cmd = draw_command(data, project)
            if cmd is not None:
                # an edit the tag set or the text refuses changes nothing
                try:
                    history.push(cmd)
                    event(f"{type(cmd).__name__} done")
                except AnnotatorError:
                    event(f"{type(cmd).__name__} refused")
    taken.append((snapshot(project), full_copy(project)))
    for snap, then in taken:
        assert snap == then  # at its moment, and unchanged by every edit since
    # the last one also equals a snapshot made from nothing
    forget_snapshots(project)
    assert snapshot(project) == taken[-1][0]


def test_an_unchanged_release_is_shared_and_a_changed_one_is_not():
    project = fresh()
    history = History(project)
    history.push(AddAnnotation("sam", "ai-1", "victim", [spans(TEXTS["ai-1"])[5]]))
    history.push(AddAnnotation("sam", "ai-2", "victim", [spans(TEXTS["ai-2"])[2]]))
    first = snapshot(project)
    history.push(
        SetNote("sam", "ai-1", next(iter(project.layers["sam"].docs["ai-1"].annotations)), "x")
    )
    second = snapshot(project)
    assert second.layers["sam"].docs["ai-2"] is first.layers["sam"].docs["ai-2"]
    assert second.documents["ai-2"] is first.documents["ai-2"]
    assert second.layers["sam"].docs["ai-1"] is not first.layers["sam"].docs["ai-1"]
    assert (
        first.layers["sam"].docs["ai-1"].annotations
        != second.layers["sam"].docs["ai-1"].annotations
    )
    history.push(SetStatus("ai-2", "sam", Status.DONE))
    third = snapshot(project)
    assert third.documents["ai-2"] is not second.documents["ai-2"]
    assert second.documents["ai-2"].status == {}


def test_a_snapshot_refuses_changes():
    project = fresh()
    AddAnnotation("sam", "ai-1", "victim", [(0, 7)]).do(project)
    snap = snapshot(project)
    with pytest.raises(TypeError):
        snap.layers["sam"].docs["ai-1"].annotations.clear()
    with pytest.raises(TypeError):
        snap.documents["ai-1"].status["sam"] = Status.DONE


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.__setitem__("k", 2),
        lambda d: d.__delitem__("a"),
        lambda d: d.pop("a"),
        lambda d: d.popitem(),
        lambda d: d.setdefault("k", 3),
        lambda d: d.update(k=4),
        lambda d: d.clear(),
        lambda d: d.__ior__({"k": 5}),
    ],
    ids=["set", "del", "pop", "popitem", "setdefault", "update", "clear", "ior"],
)
def test_every_way_of_changing_a_tracked_dict_drops_its_frozen_copy(change):
    d: TrackedDict[str, int] = TrackedDict(a=1)
    before = d.frozen()
    assert d.frozen() is before and isinstance(before, FrozenDict)
    change(d)
    assert d.frozen() == dict(d) and before == {"a": 1}
    # a copy made by the copy module tracks its own changes
    c = copy.copy(d)
    frozen = c.frozen()
    c["z"] = 9
    assert c.frozen() is not frozen and "z" in c.frozen()


def test_assigning_a_plain_dict_to_a_release_keeps_it_tracked():
    project = fresh()
    da = project.layers["sam"].doc("ai-1")
    da.annotations = {}
    assert type(da.annotations) is TrackedDict
