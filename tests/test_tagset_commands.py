"""Tag-set changes as undoable commands: every layer follows, undo gives back the bytes."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from annotator.errors import (
    InvalidAttributeValue,
    InvalidTagSetChange,
    TagSetChangeRefused,
    UnknownTag,
)
from annotator.formats.project_xml import load_project, save_project
from annotator.model import (
    CURATED_LAYER,
    AddAnnotation,
    AttributeDef,
    History,
    Project,
    TagType,
)
from annotator.model.tagset_commands import (
    AddAttribute,
    AddTag,
    AddValue,
    EditTag,
    MergeValues,
    RecolourTag,
    RelabelTag,
    RemoveAttribute,
    RemoveTag,
    RemoveValue,
    RenameAttribute,
    RenameTag,
    RenameValue,
    value_uses,
)
from tests.tagset_support import build, span


def saved(project: Project, path: Path) -> bytes:
    save_project(project, path)
    return path.read_bytes()


def by_tag(project: Project, tag: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for layer, _doc, ann in project.iter_annotations():
        if ann.tag == tag:
            counts[layer.name] = counts.get(layer.name, 0) + 1
    return counts


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Project, History, Path, bytes]:
    project, history = build()
    path = tmp_path / "myanmar.xml"
    return project, history, path, saved(project, path)


def undo_gives_back(history: History, path: Path, before: bytes) -> None:
    history.undo()
    assert saved(history.project, path) == before
    history.redo()
    history.undo()
    assert saved(history.project, path) == before


def test_rename_tag_rewrites_every_layer_and_the_link_types(setup):
    project, history, path, before = setup
    history.push(RenameTag("victim", "affected", author="lead"))
    assert by_tag(project, "affected") == {"dana": 2, CURATED_LAYER: 2}
    assert by_tag(project, "victim") == {}
    assert project.tagset.link_type("on_behalf_of").targets == ("affected",)
    assert project.tagset.link_type("responsible_for").targets == ("affected",)
    text = saved(project, path).decode()
    assert 'tag="affected"' in text and 'tag="victim"' not in text
    # the saved file loads back: links still fit their (renamed) types
    loaded, _ = load_project(path)
    assert sum(len(da.links) for da in loaded.layers["dana"].docs.values()) == 2
    undo_gives_back(history, path, before)


def test_rename_to_a_taken_name_is_refused_and_changes_nothing(setup):
    project, history, path, before = setup
    with pytest.raises(InvalidTagSetChange, match="already has a tag 'appeal'"):
        history.push(RenameTag("victim", "appeal"))
    with pytest.raises(UnknownTag):
        history.push(RenameTag("perpetrator", "culprit"))
    assert saved(project, path) == before


def test_recolour_relabel_and_edit_do_not_touch_annotations(setup):
    project, history, path, before = setup
    history.push(RecolourTag("appeal", "#CC79A7"))
    history.push(RelabelTag("appeal", "Call to action"))
    history.push(EditTag("appeal", shortcut="a", examples=("urges the release of",)))
    tt = project.tagset.tag("appeal")
    assert (tt.color, tt.label, tt.shortcut, tt.examples) == (
        "#CC79A7",
        "Call to action",
        "a",
        ("urges the release of",),
    )
    with pytest.raises(InvalidTagSetChange, match="#rrggbb"):
        history.push(RecolourTag("appeal", "red"))
    with pytest.raises(InvalidTagSetChange, match="shortcut '2'"):
        history.push(EditTag("appeal", shortcut="2"))  # the victim's
    for _ in range(3):
        history.undo()
    assert saved(project, path) == before


def test_add_tag_then_tag_with_it_then_undo_both(setup):
    project, history, path, before = setup
    location = TagType(
        "location",
        "Location of the incident",
        "#F0E442",
        shortcut="4",
        attributes=(AttributeDef("precision", values=("city", "country")),),
    )
    history.push(AddTag(location, position=1))
    assert [t.name for t in project.tagset.tags][:2] == ["appeal", "location"]
    # an explicit id: a handed-out one stays counted as used after undo (by design)
    history.push(
        AddAnnotation(
            "dana", "doc0001", "location", [span("Yangon")], {"precision": "city"}, ann_id="x1"
        )
    )
    with pytest.raises(InvalidTagSetChange):
        history.push(AddTag(location))
    history.undo()
    undo_gives_back(history, path, before)


def test_remove_tag_in_use_is_refused_with_counts_per_layer(setup):
    project, history, path, before = setup
    with pytest.raises(TagSetChangeRefused) as err:
        history.push(RemoveTag("authority"))
    message = str(err.value)
    assert "2 annotations would be deleted (curated: 1, dana: 1)" in message
    assert "2 links would be removed" in message
    assert saved(project, path) == before
    assert history.done == []


def test_remove_tag_with_delete_takes_annotations_and_links(setup):
    project, history, path, before = setup
    cmd = RemoveTag("authority", delete=True, author="lead")
    impact = cmd.impact(project)
    assert impact.deleted == {"dana": 1, CURATED_LAYER: 1}
    history.push(cmd)
    assert by_tag(project, "authority") == {}
    assert not project.tagset.has_tag("authority")
    assert project.tagset.link_type("addressee").targets == ()
    for layer in project.layers.values():
        assert [lk.type for lk in layer.docs["doc0001"].links.values()] == ["on_behalf_of"]
    assert cmd.author == "lead" and cmd.at.endswith("Z")
    undo_gives_back(history, path, before)


def test_remove_tag_mapped_onto_another_keeps_what_fits(setup):
    project, history, path, before = setup
    history.push(RemoveTag("authority", map_to="victim"))
    assert by_tag(project, "victim") == {"dana": 3, CURATED_LAYER: 3}
    # the authority's "kind" means nothing for a victim; the addressee link now
    # allows victims as targets, so the links are carried along
    assert project.tagset.link_type("addressee").targets == ("victim",)
    for layer in project.layers.values():
        assert len(layer.docs["doc0001"].links) == 2
        for ann in layer.docs["doc0001"].annotations.values():
            assert "kind" not in ann.attributes or ann.tag == "appeal"
    undo_gives_back(history, path, before)


def test_attribute_add_rename_remove(setup):
    project, history, path, before = setup
    history.push(AddAttribute("victim", AttributeDef("age", values=("adult", "child"))))
    history.push(RenameAttribute("victim", "harm", "violation"))
    names = [
        list(ann.attributes)
        for _layer, _doc, ann in project.iter_annotations()
        if ann.tag == "victim"
    ]
    assert all("violation" in n and "harm" not in n for n in names) and len(names) == 4
    with pytest.raises(TagSetChangeRefused, match="4 annotations would lose it"):
        history.push(RemoveAttribute("victim", "violation"))
    history.push(RemoveAttribute("victim", "violation", delete=True))
    assert all(
        "violation" not in ann.attributes for _layer, _doc, ann in project.iter_annotations()
    )
    history.undo()
    history.undo()
    history.undo()
    assert saved(project, path) == before


def test_rename_value_in_a_multi_valued_attribute_keeps_it_sorted(setup):
    project, history, path, before = setup
    history.push(RenameValue("victim", "group", "religious-figure", "clergy"))
    monks = [
        ann.attributes["group"]
        for _layer, _doc, ann in project.iter_annotations()
        if "prisoner-of-conscience" in ann.attributes.get("group", ())
    ]
    assert monks == [("clergy", "prisoner-of-conscience")] * 2
    ad = project.tagset.tag("victim").attribute("group")
    assert "clergy" in ad.values and ad.label_of("clergy") == "Religious figure"
    with pytest.raises(InvalidTagSetChange, match="merge the values instead"):
        history.push(RenameValue("victim", "group", "clergy", "student"))
    undo_gives_back(history, path, before)


def test_rename_single_value(setup):
    project, history, path, before = setup
    history.push(RenameValue("authority", "kind", "military", "armed-forces"))
    assert value_uses(project, "authority", "kind") == {"armed-forces": 2}
    undo_gives_back(history, path, before)


def test_merge_values_maps_one_onto_the_other(setup):
    project, history, path, before = setup
    history.push(MergeValues("victim", "harm", "injured", "tortured"))
    assert value_uses(project, "victim", "harm") == {"arrested": 2, "tortured": 2}
    assert "injured" not in project.tagset.tag("victim").attribute("harm").values
    # merging a value an annotation holds with one it also holds keeps one of them
    history.push(MergeValues("victim", "group", "religious-figure", "prisoner-of-conscience"))
    assert value_uses(project, "victim", "group")["prisoner-of-conscience"] == 2
    with pytest.raises(InvalidAttributeValue):
        history.push(MergeValues("victim", "harm", "arrested", "vanished"))
    history.undo()
    undo_gives_back(history, path, before)


def test_add_and_remove_value(setup):
    project, history, path, before = setup
    history.push(AddValue("victim", "harm", "enforced-disappearance", "Enforced disappearance"))
    ad = project.tagset.tag("victim").attribute("harm")
    assert ad.values[-1] == "enforced-disappearance"
    assert ad.label_of("enforced-disappearance") == "Enforced disappearance"
    history.push(RemoveValue("victim", "harm", "enforced-disappearance"))  # unused: no choice
    history.undo()
    history.undo()
    assert saved(project, path) == before


def test_remove_value_in_use_needs_a_choice(setup):
    project, history, path, before = setup
    with pytest.raises(TagSetChangeRefused, match="2 annotations would lose it") as err:
        history.push(RemoveValue("victim", "harm", "arrested"))
    assert err.value.impact is not None
    assert saved(project, path) == before
    history.push(RemoveValue("victim", "harm", "arrested", delete=True))
    # the monk had only "arrested": the attribute goes; the demonstrators keep theirs
    assert value_uses(project, "victim", "harm") == {"injured": 2}
    history.undo()
    history.push(RemoveValue("victim", "harm", "arrested", map_to="imprisoned"))
    assert value_uses(project, "victim", "harm") == {"imprisoned": 2, "injured": 2}
    undo_gives_back(history, path, before)


def test_remove_single_value_with_delete_drops_the_attribute(setup):
    project, history, path, before = setup
    history.push(RemoveValue("victim", "named", "group", delete=True))
    assert value_uses(project, "victim", "named") == {}
    undo_gives_back(history, path, before)


def test_free_text_attribute_has_no_values_to_change(setup):
    _project, history, _path, _before = setup
    history.push(AddAttribute("victim", AttributeDef("age")))
    with pytest.raises(InvalidTagSetChange, match="free text"):
        history.push(AddValue("victim", "age", "child"))


def test_tag_set_changes_survive_the_edit_journal(setup):
    """Recovery replays a journalled change: it must come back whole, adding a tag too."""
    from annotator.formats.journal import decode, encode

    project, history, path, _before = setup
    fresh = copy.deepcopy(project)  # one build: the same time stamps
    commands = [
        AddTag(TagType("location", "Location", "#F0E442", attributes=(AttributeDef("city"),))),
        RenameValue("victim", "harm", "arrested", "detained", author="lead"),
        RemoveTag("authority", delete=True),
    ]
    for cmd in commands:
        history.push(cmd)
        replayed = decode(encode(cmd))
        assert type(replayed) is type(cmd) and replayed.author == cmd.author
        replayed.do(fresh)
    assert saved(fresh, path) == saved(project, path)
    replayed.undo(fresh)
    history.undo()
    assert saved(fresh, path) == saved(project, path)


def test_replace_tag_set_renames_through_the_map_and_refuses_losses(setup):
    from dataclasses import replace as dc_replace

    from annotator.model.tagset_commands import ReplaceTagSet

    project, history, path, before = setup
    old = project.tagset
    victim = old.tag("victim")
    harm = victim.attribute("harm")
    # the campaign's new tag set: "victim" is now "affected", "injured" is gone
    affected = dc_replace(
        victim,
        name="affected",
        attributes=tuple(
            dc_replace(a, values=tuple(v for v in a.values if v != "injured"), value_labels=())
            if a is harm
            else a
            for a in victim.attributes
        ),
    )
    new = dc_replace(
        old,
        name="campaign-2",
        tags=tuple(affected if t is victim else t for t in old.tags),
        links=tuple(
            dc_replace(lt, targets=tuple("affected" if n == "victim" else n for n in lt.targets))
            for lt in old.links
        ),
    )
    with pytest.raises(TagSetChangeRefused, match="2 annotations would lose it"):
        history.push(ReplaceTagSet(new, {"victim": "affected"}))
    assert saved(project, path) == before
    with pytest.raises(InvalidTagSetChange, match="no tag 'victims'"):
        history.push(ReplaceTagSet(new, {"victim": "victims"}))
    history.push(ReplaceTagSet(new, {"victim": "affected"}, delete=True))
    assert by_tag(project, "affected") == {"dana": 2, CURATED_LAYER: 2}
    assert value_uses(project, "affected", "harm") == {"arrested": 2}
    for layer in project.layers.values():
        assert len(layer.docs["doc0001"].links) == 2  # the link types name "affected" now
    undo_gives_back(history, path, before)
