"""Merging projects whose tag sets differ: identical definitions merge, compatible ones
are combined, conflicting ones are reported with a proposed mapping and never resolved
silently; a colleague's logged tag-set changes are replayed on our annotations, or
rejected."""

from __future__ import annotations

import copy
from dataclasses import replace

from annotator.formats.project_xml import load_project, save_project
from annotator.model import AddAnnotation, AttributeDef, History, Project, TagType
from annotator.model.tagset import LinkType, TagSet
from annotator.model.tagset_commands import (
    AddAttribute,
    AddTag,
    AddValue,
    RenameTag,
    RenameValue,
    SetMultiple,
)
from annotator.model.tagset_merge import merge_project_tagsets, merge_tagsets
from annotator.review.merge import MergeProjects, merge_projects
from tests.tagset_support import build, span


def colleague(project: Project) -> Project:
    """A colleague's copy of the same file (as they would have pulled it)."""
    listeners, project.listeners = project.listeners, []
    try:
        return copy.deepcopy(project)
    finally:
        project.listeners = listeners


def with_attr(ts: TagSet, tag: str, attr: str, **changes: object) -> TagSet:
    tt = ts.tag(tag)
    attrs = tuple(replace(a, **changes) if a.name == attr else a for a in tt.attributes)  # type: ignore[arg-type]
    return replace(ts, tags=tuple(replace(t, attributes=attrs) if t is tt else t for t in ts.tags))


def harm(ts: TagSet) -> AttributeDef:
    return ts.tag("victim").attribute("harm")


def more_harms(ts: TagSet, *values: str) -> TagSet:
    """``ts`` with values added to victim.harm, each labelled as a person would."""
    old = harm(ts)
    labels = tuple(v.replace("-", " ").capitalize() for v in values)
    return with_attr(
        ts,
        "victim",
        "harm",
        values=(*old.values, *values),
        value_labels=(*old.value_labels, *labels),
    )


# --- the tag sets alone ------------------------------------------------------------------


def test_identical_tag_sets_merge_to_the_same():
    from annotator.formats.tagset_xml import tagset_from_element, tagset_to_element

    project, _ = build()
    ts = AddAttribute("victim", AttributeDef("age", values=("adult", "child")))
    ts.do(project)
    # read back from a file, a value without a label has its name for one: the same
    read = tagset_from_element(tagset_to_element(project.tagset))
    assert read != project.tagset
    merged = merge_tagsets(project.tagset, read)
    assert merged.clean and merged.added == [] and merged.tagset == project.tagset


def test_compatible_additions_on_their_side_are_combined():
    ours, _ = build()
    ts = ours.tagset
    theirs_ts = more_harms(ts, "enforced-disappearance")
    location = TagType("location", "Location", "#F0E442", shortcut="4")
    theirs_ts = replace(
        theirs_ts,
        tags=(*theirs_ts.tags, location),
        links=(*theirs_ts.links, LinkType("where", "Where", ("victim",), ("location",))),
    )
    merged = merge_tagsets(ts, theirs_ts)
    assert merged.clean, merged.conflicts
    assert merged.added == [
        "value 'enforced-disappearance' of victim.harm",
        "tag 'location'",
        "link type 'where'",
    ]
    assert harm(merged.tagset).values[-1] == "enforced-disappearance"
    assert merged.tagset.tag("location") == location
    # and the other way round: what we added stays, nothing is reported
    back = merge_tagsets(theirs_ts, ts)
    assert back.clean and back.added == [] and back.tagset == theirs_ts


def test_value_lists_that_each_added_something_conflict_with_a_proposed_mapping():
    ours_p, _ = build()
    ts = ours_p.tagset
    ours = more_harms(ts, "enforced-disappearance")
    theirs = more_harms(ts, "enforced-disappearances", "exiled")
    merged = merge_tagsets(ours, theirs)
    assert not merged.clean
    (conflict,) = merged.conflicts
    assert conflict.where == "victim.harm"
    assert conflict.mapping == (
        ("enforced-disappearances", "enforced-disappearance"),
        ("exiled", ""),
    )
    assert conflict.proposal == (
        "map their 'enforced-disappearances' to our 'enforced-disappearance'; add 'exiled'"
    )
    assert harm(merged.tagset).values == harm(ours).values  # ours stays: nothing silent


def test_one_value_against_several_is_a_conflict():
    ours_p, _ = build()
    ts = ours_p.tagset
    theirs = with_attr(ts, "victim", "harm", multiple=False)
    merged = merge_tagsets(ts, theirs)
    assert [(c.where, c.ours, c.theirs) for c in merged.conflicts] == [
        ("victim.harm", "several values", "one value")
    ]
    assert harm(merged.tagset).multiple


def test_the_same_tag_under_two_names_is_said_with_the_mapping():
    ours_p, _ = build()
    ts = ours_p.tagset
    theirs = replace(
        ts, tags=tuple(replace(t, name="affected") if t.name == "victim" else t for t in ts.tags)
    )
    merged = merge_tagsets(ts, theirs)
    assert ("affected", "victim") in [m for c in merged.conflicts for m in c.mapping]


def test_with_a_base_a_change_made_on_one_side_only_is_taken():
    ours_p, _ = build()
    base = ours_p.tagset
    theirs = replace(
        base,
        tags=tuple(replace(t, color="#CC79A7") if t.name == "victim" else t for t in base.tags),
    )
    merged = merge_tagsets(base, theirs, base)
    assert merged.clean and merged.tagset.tag("victim").color == "#CC79A7"
    # without the base the same difference is a conflict: keep ours, say so
    two_way = merge_tagsets(base, theirs)
    assert two_way.tagset.tag("victim").color != "#CC79A7"
    assert [c.where for c in two_way.conflicts] == ["tag victim"]


# --- annotator merge: the logs replayed ------------------------------------------------------


def tag_victim(project: Project, layer: str, phrase: str, harm_value: str, ann_id: str) -> None:
    tag = "affected" if project.tagset.has_tag("affected") else "victim"
    project.ensure_layer(layer)
    AddAnnotation(layer, "doc0001", tag, [span(phrase)], {"harm": (harm_value,)}, ann_id=ann_id).do(
        project
    )


def test_merge_replays_their_rename_on_our_annotations_and_undo_gives_back_the_file(tmp_path):
    ours, _ = build()
    theirs = colleague(ours)
    RenameTag("victim", "affected", author="kim").do(theirs)
    tag_victim(theirs, "kim", "students", "arrested", "k1")
    tag_victim(ours, "dana", "Soldiers", "injured", "d9")  # ours, made meanwhile
    path = tmp_path / "ours.xml"
    save_project(ours, path)
    before = path.read_bytes()
    history = History(ours)
    cmd = MergeProjects(theirs)
    history.push(cmd)
    assert not ours.tagset.has_tag("victim")
    tags = {(la.name, a.id): a.tag for la, _d, a in ours.iter_annotations() if a.tag != "appeal"}
    assert tags[("dana", "d9")] == "affected"  # ours, renamed by their change
    assert tags[("kim", "k1")] == "affected"
    assert [e.op for e in ours.tagset_log] == ["rename-tag"]
    assert ours.tagset_log[0].author == "kim"
    assert "Replayed their tag-set change: renamed tag 'victim' to 'affected'." in (
        cmd.report.summary()
    )
    history.undo()
    save_project(ours, path)
    assert path.read_bytes() == before


def test_merge_carries_our_changes_onto_their_new_annotations():
    ours, _ = build()
    theirs = colleague(ours)
    RenameValue("victim", "harm", "arrested", "detained", author="dana").do(ours)
    tag_victim(theirs, "kim", "students", "arrested", "k1")  # their value of before
    report = merge_projects(ours, theirs)
    kim = ours.layers["kim"].docs["doc0001"].annotations["k1"]
    assert kim.attributes["harm"] == ("detained",)
    assert report.skipped == []


def test_rejecting_their_changes_keeps_ours_and_says_what_came_in_instead():
    ours, _ = build()
    theirs = colleague(ours)
    RenameTag("victim", "affected", author="kim").do(theirs)
    tag_victim(theirs, "kim", "students", "arrested", "k1")
    report = merge_projects(ours, theirs, replay_changes=False, author="dana")
    assert ours.tagset.has_tag("victim")
    (entry,) = ours.tagset_log
    assert entry.rejected == "dana" and entry.op == "rename-tag"
    lines = report.summary()
    assert any(line.startswith("Rejected their tag-set change by kim") for line in lines)
    # their tag came in as a tag of its own, and the two names are said to be one
    assert ours.tagset.has_tag("affected")
    assert any("map their 'affected' to our 'victim'" in line for line in lines)
    # merging the same file again offers the rejected change no more
    again = merge_projects(ours, colleague(theirs), replay_changes=True)
    assert ours.tagset.has_tag("victim") and not any("Replayed" in x for x in again.summary())


def test_a_change_that_cannot_be_made_here_is_rejected_with_why():
    ours, _ = build()
    theirs = colleague(ours)
    AddValue("victim", "harm", "exiled", author="kim").do(theirs)
    AddValue("victim", "harm", "exiled", author="dana").do(ours)  # made here too, on its own
    report = merge_projects(ours, theirs)
    lines = report.summary()
    assert any("already has 'exiled'" in line for line in lines), lines
    assert harm(ours.tagset).values.count("exiled") == 1


def test_their_conflicting_value_list_is_reported_and_their_annotations_are_not_dropped_unsaid():
    ours, _ = build()
    theirs = colleague(ours)
    # edited by hand, no log: both sides made a different list
    ours.tagset = more_harms(ours.tagset, "exiled")
    theirs.tagset = more_harms(theirs.tagset, "banished")
    tag_victim(theirs, "kim", "students", "banished", "k1")
    report = merge_projects(ours, theirs)
    lines = report.summary()
    assert (
        "Tag set conflict: victim.harm: ours has exiled, theirs has banished; "
        "kept ours; proposed: add 'banished'." in lines
    )
    assert [what for what, _why in report.skipped] == ["kim k1 on doc0001"]


def test_set_multiple_in_their_log_is_replayed_with_their_choice(tmp_path):
    ours, _ = build()
    theirs = colleague(ours)
    SetMultiple("victim", "group", False, keep_first=True, author="kim").do(theirs)
    merge_projects(ours, theirs)
    groups = [
        a.attributes.get("group") for _l, _d, a in ours.iter_annotations() if a.tag == "victim"
    ]
    assert groups and all(g is None or isinstance(g, str) for g in groups)
    path = tmp_path / "merged.xml"
    save_project(ours, path)
    assert load_project(path)[0].tagset_log == ours.tagset_log


# --- the three-way merge's rules --------------------------------------------------------------


def test_three_way_replays_each_sides_changes_on_the_other_and_the_base():
    base, _ = build()
    ours, theirs = colleague(base), colleague(base)
    RenameTag("victim", "affected", author="kim").do(theirs)
    AddTag(TagType("location", "Location", "#F0E442"), author="dana").do(ours)
    result = merge_project_tagsets(base, ours, theirs)
    assert result.merge.clean
    assert [t.name for t in result.tagset.tags] == ["appeal", "affected", "authority", "location"]
    assert [e.op for e in result.log] == ["add-tag", "rename-tag"]
    for project in (base, ours, theirs):
        assert {a.tag for _l, _d, a in project.iter_annotations()} == {
            "appeal",
            "affected",
            "authority",
        }


def test_the_git_merge_driver_carries_their_rename_onto_our_new_annotations(tmp_path):
    from annotator.review.three_way import merge_three_way

    base, _ = build()
    ours, theirs = colleague(base), colleague(base)
    tag_victim(ours, "dana", "Soldiers", "injured", "d9")  # ours, made meanwhile
    RenameTag("victim", "affected", author="kim").do(theirs)
    merged, report = merge_three_way(base, ours, theirs)
    assert report.conflicts == []
    assert {a.tag for _l, _d, a in merged.iter_annotations()} == {
        "appeal",
        "affected",
        "authority",
    }
    assert merged.layers["dana"].docs["doc0001"].annotations["d9"].tag == "affected"
    assert [e.author for e in merged.tagset_log] == ["kim"]
    path = tmp_path / "merged.xml"
    save_project(merged, path)
    assert load_project(path)[0].tagset_log == merged.tagset_log


def test_the_git_merge_driver_reports_conflicting_tag_sets_and_keeps_ours():
    from annotator.review.three_way import merge_three_way

    base, _ = build()
    ours, theirs = colleague(base), colleague(base)
    ours.tagset = more_harms(ours.tagset, "exiled")
    theirs.tagset = more_harms(theirs.tagset, "exile")
    merged, report = merge_three_way(base, ours, theirs)
    assert [(c.what, c.ident) for c in report.conflicts] == [("tag set", "victim.harm")]
    assert "map their 'exile' to our 'exiled'" in report.conflicts[0].reason
    assert harm(merged.tagset).values == harm(ours.tagset).values


def test_the_git_merge_driver_takes_the_same_change_made_on_both_sides_once():
    from annotator.review.three_way import merge_three_way

    base, _ = build()
    ours, theirs = colleague(base), colleague(base)
    AddValue("victim", "harm", "exiled", author="dana").do(ours)
    AddValue("victim", "harm", "exiled", author="kim").do(theirs)
    merged, report = merge_three_way(base, ours, theirs)
    assert report.conflicts == []
    assert harm(merged.tagset).values.count("exiled") == 1
    # each side's own entry, and the other's marked as not made a second time
    assert [(e.author, e.rejected) for e in merged.tagset_log] == [("dana", ""), ("kim", "merge")]
