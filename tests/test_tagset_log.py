"""The tag-set log in the project file: written as version 3 only when there is one,
read back the same by the streaming and the whole-tree paths, valid against the schema,
and replayable from what was read."""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from annotator import assets
from annotator.errors import SchemaViolation, UnsupportedFormatVersion
from annotator.formats.project_xml import (
    load_project,
    project_from_bytes,
    save_project,
    validate_file,
)
from annotator.formats.project_xml import project_from_tree as tree_load
from annotator.model import AttributeDef, History, Project, TagType
from annotator.model.tagset import LinkType
from annotator.model.tagset_change import command_for
from annotator.model.tagset_commands import (
    AddAttribute,
    AddLinkType,
    AddTag,
    EditTag,
    RemoveValue,
    RenameTag,
    ReplaceTagSet,
    SetMultiple,
)
from tests.tagset_support import build

SCHEMA_3 = Path(str(assets.resource("schema", "project-3.xsd")))


def changed_project(project: Project | None = None):
    """The release of the support module (or ``project``, one) after one change of every
    argument form."""
    if project is None:
        project, _ = build()
    history = History(project)
    odd = "odd\x0cname 𠀀"  # a form feed and a character beyond the BMP in a value
    history.push(RenameTag("victim", "affected", author="lead"))
    history.push(EditTag("appeal", examples=("urges", "calls on"), shortcut="", author=odd))
    history.push(SetMultiple("authority", "kind", True, author="kim"))
    history.push(
        AddTag(
            TagType(
                "location",
                "Location",
                "#F0E442",
                definition="Where it happened.",
                attributes=(AttributeDef("precision", values=("city", "country")),),
            ),
            position=1,
        )
    )
    history.push(AddAttribute("location", AttributeDef("certain", multiple=True)))
    history.push(AddLinkType(LinkType("in", "In", ("affected",), ("location",))))
    history.push(RemoveValue("affected", "harm", "arrested", map_to="imprisoned"))
    history.push(ReplaceTagSet(project.tagset, {"appeal": "appeal"}))
    return project, history


def test_a_file_with_a_log_is_version_3_and_reads_back_the_same_both_ways(tmp_path):
    project, _history = changed_project()
    path = tmp_path / "p.xml"
    save_project(project, path, paranoid=True)
    data = path.read_bytes()
    assert b'<annotator-project format-version="3"' in data
    lines = data.decode().splitlines()
    start = lines.index("  <tagset-log>")
    assert (
        lines[start + 1].startswith('    <change id="c') and ' op="rename-tag"' in lines[start + 1]
    )
    assert lines[start + 9] == "  </tagset-log>"  # one change a line
    assert 'by="odd\\u{000C}name 𠀀"' in lines[start + 2]
    streamed, _ = load_project(path)
    whole = tree_load(data, source=str(path))
    assert streamed.tagset_log == whole.tagset_log == project.tagset_log
    assert validate_file(path) == []
    back = tmp_path / "back.xml"
    save_project(streamed, back)
    assert back.read_bytes() == data


@pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint is not installed")
def test_the_shipped_schema_takes_the_log(tmp_path):
    project, _ = changed_project()
    path = tmp_path / "p.xml"
    save_project(project, path)
    proc = subprocess.run(
        ["xmllint", "--noout", "--schema", str(SCHEMA_3), str(path)],
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


def test_undo_of_every_change_gives_back_the_version_2_file(tmp_path):
    project, _ = build()
    path = tmp_path / "p.xml"
    save_project(project, path)
    before = path.read_bytes()
    assert b'format-version="2"' in before
    again, history = changed_project()
    while history.done:
        history.undo()
    save_project(again, path)
    assert path.read_bytes() == before


def test_the_log_read_from_a_file_replays_on_another_copy(tmp_path):
    project, _ = build()
    fresh = copy.deepcopy(project)  # one build: the same time stamps
    changed_project(project)
    path = tmp_path / "p.xml"
    save_project(project, path)
    read, _ = load_project(path)
    history = History(fresh)
    for entry in read.tagset_log:
        history.push(command_for(entry))
    other = tmp_path / "other.xml"
    save_project(fresh, other)
    assert other.read_bytes() == path.read_bytes()


def test_a_version_2_file_with_a_log_or_a_newer_version_is_said_clearly(tmp_path):
    project, _ = changed_project()
    path = tmp_path / "p.xml"
    save_project(project, path)
    data = path.read_bytes()
    with pytest.raises(UnsupportedFormatVersion, match="newer annotator"):
        project_from_bytes(data.replace(b'format-version="3"', b'format-version="4"'))
    # a change listed twice: one sentence with the line
    lines = data.split(b"\n")
    at = lines.index(b"  <tagset-log>")
    lines.insert(at + 1, lines[at + 1])
    with pytest.raises(SchemaViolation) as err:
        project_from_bytes(b"\n".join(lines), source="p.xml")
    assert err.value.line == at + 3  # the second of the two


def test_an_unknown_kind_of_change_in_a_colleagues_log_is_refused_by_name(tmp_path):
    from annotator.errors import InvalidTagSetChange

    project, _ = changed_project()
    path = tmp_path / "p.xml"
    save_project(project, path)
    data = path.read_bytes().replace(b'op="set-multiple"', b'op="split-tag"', 1)
    read = project_from_bytes(data)
    entry = next(e for e in read.tagset_log if e.op == "split-tag")
    with pytest.raises(InvalidTagSetChange, match="does not know: 'split-tag'"):
        command_for(entry)


def test_the_change_element_holds_each_argument_form():
    from annotator.formats.tagset_log_xml import change_element, log_from_element

    project, _ = changed_project()
    root = etree.Element("tagset-log")
    for entry in project.tagset_log:
        root.append(change_element(entry))
    assert log_from_element(root) == project.tagset_log
    kinds = {a.get("type", "text") for a in root.iter("arg")}
    assert kinds == {"text", "bool", "int", "list", "tag", "attribute", "link", "tagset"}


def test_git_diff_shows_each_tag_set_change_as_a_line():
    from annotator.review.git_team import annotation_lines

    project, _ = changed_project()
    lines = list(annotation_lines(project))
    assert lines[0].startswith("tag-set change 20") and lines[0].endswith(
        "  lead  renamed tag 'victim' to 'affected'"
    )
    assert sum(line.startswith("tag-set change ") for line in lines) == 8
