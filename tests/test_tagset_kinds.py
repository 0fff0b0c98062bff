"""The newer kinds of tag-set change: order of tags, one value or several, attribute and
value labels, link types and their ends. Every layer follows, undo gives back the bytes,
a refused change leaves the file as it was, and each change is logged with who and when."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from annotator.errors import (
    InvalidAttributeValue,
    InvalidTagSetChange,
    LinkTypeMismatch,
    TagSetChangeRefused,
)
from annotator.formats.project_xml import save_project
from annotator.model import CURATED_LAYER, History, Project
from annotator.model.tagset import LinkType
from annotator.model.tagset_change import command_for
from annotator.model.tagset_commands import (
    AddLinkType,
    EditAttribute,
    EditLinkType,
    EditTag,
    MoveTag,
    RelabelValue,
    RemoveLinkType,
    RenameLinkType,
    RenameTag,
    SetMultiple,
)
from tests.tagset_support import build


def saved(project: Project, path: Path) -> bytes:
    save_project(project, path)
    return path.read_bytes()


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


def links_by_type(project: Project) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for layer in project.layers.values():
        for da in layer.docs.values():
            for lk in da.links.values():
                counts[(layer.name, lk.type)] = counts.get((layer.name, lk.type), 0) + 1
    return counts


def values_of(project: Project, tag: str, attr: str) -> list[object]:
    return [
        ann.attributes.get(attr)
        for _layer, _doc, ann in sorted(
            project.iter_annotations(), key=lambda t: (t[0].name, t[2].id)
        )
        if ann.tag == tag
    ]


# --- order, looks -------------------------------------------------------------------------


def test_move_tag_reorders_and_refuses_a_place_that_is_not_there(setup):
    project, history, path, before = setup
    history.push(MoveTag("authority", 0, author="lead"))
    assert [t.name for t in project.tagset.tags] == ["authority", "appeal", "victim"]
    with pytest.raises(InvalidTagSetChange, match="no place 4"):
        history.push(MoveTag("victim", 3))
    with pytest.raises(InvalidTagSetChange, match="already in place 1"):
        history.push(MoveTag("authority", 0))
    text = saved(project, path).decode()
    assert text.index('<tag name="authority"') < text.index('<tag name="appeal"')
    undo_gives_back(history, path, before)


def test_edit_tag_covers_definition_examples_and_shortcut(setup):
    project, history, path, before = setup
    history.push(
        EditTag(
            "victim",
            definition="Who suffered.",
            examples=("the detained monks", "🌍 relatives"),
            shortcut="v",
        )
    )
    tt = project.tagset.tag("victim")
    assert (tt.definition, tt.examples, tt.shortcut) == (
        "Who suffered.",
        ("the detained monks", "🌍 relatives"),
        "v",
    )
    history.push(EditTag("victim", shortcut=""))  # clears the key
    assert project.tagset.tag("victim").shortcut == ""
    history.undo()
    undo_gives_back(history, path, before)


def test_edit_attribute_and_relabel_value_touch_no_annotation(setup):
    project, history, path, before = setup
    anns = {(la.name, a.id): a for la, _d, a in project.iter_annotations()}
    history.push(EditAttribute("victim", "harm", label="Violation", definition="What was done."))
    history.push(RelabelValue("victim", "harm", "arrested", "Detained"))
    ad = project.tagset.tag("victim").attribute("harm")
    assert (ad.label, ad.definition, ad.label_of("arrested")) == (
        "Violation",
        "What was done.",
        "Detained",
    )
    assert {(la.name, a.id): a for la, _d, a in project.iter_annotations()} == anns
    with pytest.raises(InvalidAttributeValue, match=r"'vanished' is not a value of victim\.harm"):
        history.push(RelabelValue("victim", "harm", "vanished", "Vanished"))
    history.undo()
    undo_gives_back(history, path, before)


# --- one value or several -------------------------------------------------------------------


def test_single_to_multiple_turns_every_value_into_a_list(setup):
    project, history, path, before = setup
    history.push(SetMultiple("authority", "kind", True))
    assert values_of(project, "authority", "kind") == [("military",), ("military",)]
    assert 'multiple="true"' in saved(project, path).decode().split("<tag name=")[3]
    with pytest.raises(InvalidTagSetChange, match="already takes several values"):
        history.push(SetMultiple("authority", "kind", True))
    undo_gives_back(history, path, before)


def test_multiple_to_single_with_several_values_needs_a_choice(setup):
    project, history, path, before = setup
    with pytest.raises(TagSetChangeRefused) as err:
        history.push(SetMultiple("victim", "group", False))
    assert str(err.value) == (
        "cannot let victim.group take one value: 2 annotations hold several "
        "(curated: 1, dana: 1); choose to keep the first value of each, or to delete them"
    )
    assert saved(project, path) == before and history.done == []
    # keep the first in the list's order: prisoner-of-conscience comes before religious-figure
    cmd = SetMultiple("victim", "group", False, keep_first=True)
    impact = cmd.impact(project)
    assert impact.stripped == {"dana": 1, CURATED_LAYER: 1}
    assert impact.rewritten == {"dana": 1, CURATED_LAYER: 1}  # the demonstrators: one value
    history.push(cmd)
    assert (
        values_of(project, "victim", "group")
        == [
            "prisoner-of-conscience",
            "demonstrator",
        ]
        * 2
    )
    undo_gives_back(history, path, before)
    history.push(SetMultiple("victim", "group", False, delete=True))
    assert values_of(project, "victim", "group") == [None, "demonstrator"] * 2
    undo_gives_back(history, path, before)


def test_multiple_to_single_with_one_value_each_goes_through(setup):
    project, history, path, before = setup
    history.push(SetMultiple("victim", "harm", False))  # everyone has one harm
    assert values_of(project, "victim", "harm") == ["arrested", "injured"] * 2
    with pytest.raises(InvalidTagSetChange, match="either"):
        SetMultiple("victim", "harm", False, keep_first=True, delete=True)
    undo_gives_back(history, path, before)


# --- link types ----------------------------------------------------------------------------


def test_add_link_type_must_name_tags_the_set_has(setup):
    project, history, path, before = setup
    history.push(AddLinkType(LinkType("witness_of", "Witness of", ("victim",), ("authority",))))
    assert project.tagset.link_type("witness_of").sources == ("victim",)
    with pytest.raises(InvalidTagSetChange, match="target tag 'perpetrator': the tag set has no"):
        history.push(AddLinkType(LinkType("blames", "Blames", ("appeal",), ("perpetrator",))))
    with pytest.raises(InvalidTagSetChange, match="same name"):
        history.push(AddLinkType(LinkType("addressee", "Again", ("appeal",), ("victim",))))
    undo_gives_back(history, path, before)


def test_rename_link_type_rewrites_its_links_in_every_layer(setup):
    project, history, path, before = setup
    cmd = RenameLinkType("on_behalf_of", "for")
    summary = cmd.impact(project).summary()
    history.push(cmd)
    assert links_by_type(project) == {
        ("dana", "for"): 1,
        ("dana", "addressee"): 1,
        (CURATED_LAYER, "for"): 1,
        (CURATED_LAYER, "addressee"): 1,
    }
    assert summary == (
        "renamed link type 'on_behalf_of' to 'for': 2 links rewritten (curated: 1, dana: 1)"
    )
    assert 'type="for"' in saved(project, path).decode()
    undo_gives_back(history, path, before)


def test_narrowing_a_link_type_that_links_use_is_refused_with_counts(setup):
    project, history, path, before = setup
    with pytest.raises(TagSetChangeRefused) as err:
        history.push(EditLinkType("addressee", targets=("victim",)))
    assert "2 links would be removed (curated: 1, dana: 1)" in str(err.value)
    assert saved(project, path) == before and history.done == []
    # widening is free, and a label or definition too
    history.push(EditLinkType("addressee", targets=("authority", "victim"), label="To"))
    assert project.tagset.link_type("addressee").targets == ("authority", "victim")
    history.undo()
    # mapping onto a type that does not take an appeal -> authority link: still a loss
    with pytest.raises(TagSetChangeRefused, match="2 links would be removed"):
        history.push(EditLinkType("addressee", targets=("victim",), map_to="on_behalf_of"))
    assert saved(project, path) == before


def test_narrowing_with_a_mapping_that_fits_rewrites_the_links(setup):
    project, history, path, before = setup
    # let on_behalf_of reach authorities too, then narrow addressee to nothing
    history.push(EditLinkType("on_behalf_of", targets=("victim", "authority")))
    history.push(EditLinkType("addressee", targets=(), map_to="on_behalf_of"))
    assert links_by_type(project) == {
        ("dana", "on_behalf_of"): 2,
        (CURATED_LAYER, "on_behalf_of"): 2,
    }
    history.undo()
    with pytest.raises(TagSetChangeRefused, match="2 links would be removed"):
        history.push(EditLinkType("addressee", targets=(), map_to="responsible_for"))
    history.push(EditLinkType("addressee", targets=(), map_to="responsible_for", delete=True))
    assert links_by_type(project) == {
        ("dana", "on_behalf_of"): 1,
        (CURATED_LAYER, "on_behalf_of"): 1,
    }
    history.undo()
    history.undo()
    assert saved(project, path) == before


def test_remove_link_type_in_use_needs_map_or_delete(setup):
    project, history, path, before = setup
    with pytest.raises(TagSetChangeRefused) as err:
        history.push(RemoveLinkType("on_behalf_of"))
    assert "2 links would be removed (curated: 1, dana: 1)" in str(err.value)
    assert saved(project, path) == before
    with pytest.raises(LinkTypeMismatch):
        history.push(RemoveLinkType("on_behalf_of", map_to="speaks_for"))
    history.push(RemoveLinkType("responsible_for"))  # unused: no choice needed
    history.undo()
    history.push(RemoveLinkType("on_behalf_of", delete=True))
    assert links_by_type(project) == {("dana", "addressee"): 1, (CURATED_LAYER, "addressee"): 1}
    undo_gives_back(history, path, before)


# --- the log ---------------------------------------------------------------------------------


def test_each_change_is_logged_with_who_and_when_and_undo_takes_it_away(setup):
    project, history, _path, _before = setup
    history.push(RenameTag("victim", "affected", author="lead"))
    history.push(SetMultiple("authority", "kind", True, author="dana"))
    assert [(e.op, e.author, e.what) for e in project.tagset_log] == [
        ("rename-tag", "lead", "renamed tag 'victim' to 'affected'"),
        ("set-multiple", "dana", "let authority.kind take several values"),
    ]
    assert all(e.at.endswith("Z") for e in project.tagset_log)
    assert dict(project.tagset_log[0].args) == {"old": "victim", "new": "affected"}
    history.undo()
    assert [e.op for e in project.tagset_log] == ["rename-tag"]
    history.redo()
    assert project.tagset_log[1].id == history.done[-1].change_id  # type: ignore[attr-defined]
    with pytest.raises(TagSetChangeRefused):
        history.push(SetMultiple("affected", "group", False))  # several groups: refused
    assert len(project.tagset_log) == 2


def test_a_logged_change_replayed_on_another_copy_gives_the_same_file(setup, tmp_path):
    project, history, path, _before = setup
    other = copy.deepcopy(project)  # one build: the same time stamps
    cmds = [
        MoveTag("victim", 0, author="lead"),
        EditTag("appeal", examples=("urges",), definition="Asks.", author="lead"),
        EditAttribute("victim", "harm", label="Violation"),
        SetMultiple("victim", "group", False, keep_first=True, author="kim"),
        AddLinkType(LinkType("witness", "Witness", ("victim",), ("authority",)), position=0),
        EditLinkType("addressee", targets=(), map_to="on_behalf_of", delete=True),
        RenameLinkType("responsible_for", "answers_for"),
        RemoveLinkType("witness"),
        RelabelValue("authority", "kind", "military", "Armed forces"),
    ]
    for cmd in cmds:
        history.push(cmd)
    for entry in project.tagset_log:
        command_for(entry).do(other)
    assert saved(other, tmp_path / "other.xml") == saved(project, path)


def test_the_new_kinds_survive_the_edit_journal(setup):
    """Crash recovery replays a journalled change: the link type it carries comes back too."""
    from annotator.formats.journal import decode, encode

    project, history, path, _before = setup
    fresh = copy.deepcopy(project)  # one build: the same time stamps
    for cmd in (
        AddLinkType(LinkType("witness", "Witness", ("victim",), ("authority",))),
        SetMultiple("victim", "group", False, keep_first=True, author="kim"),
        RemoveLinkType("addressee", delete=True),
        MoveTag("authority", 1),
    ):
        history.push(cmd)
        replayed = decode(encode(cmd))
        assert type(replayed) is type(cmd) and vars(replayed).keys() == vars(cmd).keys()
        replayed.do(fresh)
    assert saved(fresh, path) == saved(project, path)
    assert fresh.tagset_log == project.tagset_log


def test_a_journal_naming_a_command_by_its_old_module_still_replays():
    """The attribute and value changes moved out of tagset_commands: a journal written
    before names them there, and recovery must still find them."""
    from annotator.formats.journal import decode, encode
    from annotator.model.tagset_attributes import RenameValue

    data = encode(RenameValue("victim", "harm", "arrested", "detained"))
    data["$"] = "annotator.model.tagset_commands.RenameValue"
    assert type(decode(data)) is RenameValue
