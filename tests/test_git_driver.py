"""The merge driver on what real repositories hand it: a file both sides added
(no common ancestor), versions that are not projects or cannot be read, CRLF
checkouts, a path with spaces."""

from __future__ import annotations

import copy
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.formats.project_xml import load_project, save_project, validate_file
from annotator.formats.tagset_xml import default_tagset
from annotator.model import AddAnnotation, Document, DocumentMeta, History, Project
from annotator.model.tagset_commands import AddValue
from annotator.review.git_team import merge_files
from tests.test_git_team import (
    BIN,
    GIT,
    RELEASE_1,
    RELEASE_2,
    Clone,
    _annotations,
    _env,
    span,
)

pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed on this machine")


def _project(*docs: tuple[str, str]) -> Project:
    project = Project(name="team", tagset=default_tagset())
    for doc_id, text in docs:
        project.add_document(Document(doc_id, text, DocumentMeta(headline=text[:20])))
    project.ensure_layer("team")
    return project


def _write(path: Path, project: Project) -> Path:
    save_project(project, path, backup=False)
    return path


def test_a_file_both_sides_added_merges_against_an_empty_base(tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.write_bytes(b"")  # git's %O when there is no common ancestor
    ours = _write(tmp_path / "ours", _project(("doc0001", RELEASE_1)))
    theirs = _write(tmp_path / "theirs", _project(("doc0001", RELEASE_2)))

    result = merge_files(base, ours, theirs, "team.xml")

    assert result.status == 0, result.lines
    merged, _ = load_project(ours)
    assert [d.text for d in merged.documents.values()] == [RELEASE_1, RELEASE_2]
    assert validate_file(ours) == []


def test_a_base_that_is_no_project_counts_as_empty(tmp_path: Path) -> None:
    base = tmp_path / "base"
    base.write_text("<rss><item/></rss>\n", "utf-8")  # the path held other XML once
    ours = _write(tmp_path / "ours", _project(("doc0001", RELEASE_1)))
    theirs = _write(tmp_path / "theirs", _project(("doc0002", RELEASE_2)))
    assert merge_files(base, ours, theirs, "team.xml").status == 0
    assert list(load_project(ours)[0].documents) == ["doc0001", "doc0002"]


@pytest.mark.parametrize(
    ("side", "damage", "said"),
    [
        ("theirs", lambda b: b[: len(b) // 2], "their version is not a valid project (line"),
        ("ours", lambda b: b.replace(b"<text>", b"<txt>", 1), "your version is not a valid"),
        ("base", lambda b: b.replace(b'review="', b'reviewed="', 1), "ancestor's version"),
    ],
    ids=["theirs cut short", "ours with a strange element", "base with a strange attribute"],
)
def test_a_version_that_cannot_be_read_leaves_ours_and_says_which(
    tmp_path: Path, side: str, damage: object, said: str
) -> None:
    files = {
        name: _write(tmp_path / name, _project(("doc0001", RELEASE_1)))
        for name in ("base", "ours", "theirs")
    }
    files[side].write_bytes(damage(files[side].read_bytes()))  # type: ignore[operator]
    before = files["ours"].read_bytes()

    result = merge_files(files["base"], files["ours"], files["theirs"], "campaign/team.xml")

    assert result.status == 1
    (line,) = result.lines
    assert line.startswith("campaign/team.xml: ") and said in line, line
    assert str(tmp_path) not in line  # git's temporary names mean nothing to the user
    assert files["ours"].read_bytes() == before


def test_a_version_git_could_not_hand_over_is_said_too(tmp_path: Path) -> None:
    ours = _write(tmp_path / "ours", _project(("doc0001", RELEASE_1)))
    base = _write(tmp_path / "base", _project(("doc0001", RELEASE_1)))
    theirs = tmp_path / "theirs"  # not there
    base.chmod(0o644)
    result = merge_files(base, ours, theirs, "team.xml")
    assert result.status == 1 and "their version cannot be read" in result.lines[0]


def test_crlf_checkouts_merge_into_a_valid_file(tmp_path: Path) -> None:
    base_project = _project(("doc0001", RELEASE_1), ("doc0002", RELEASE_2))
    ours_project = _project(("doc0001", RELEASE_1), ("doc0002", RELEASE_2))
    AddAnnotation("team", "doc0001", "victim", [span(RELEASE_1, "12 students")]).do(ours_project)
    theirs_project = _project(("doc0001", RELEASE_1), ("doc0002", RELEASE_2))
    AddAnnotation("team", "doc0002", "authority", [span(RELEASE_2, "Ministry of Interior")]).do(
        theirs_project
    )
    files = {}
    for name, p in (("base", base_project), ("ours", ours_project), ("theirs", theirs_project)):
        files[name] = _write(tmp_path / name, p)
        files[name].write_bytes(files[name].read_bytes().replace(b"\n", b"\r\n"))

    result = merge_files(files["base"], files["ours"], files["theirs"], "team.xml")

    assert result.status == 0, result.lines
    assert b"\r\n" not in files["ours"].read_bytes()  # written as the writer writes
    tags = sorted(tag for _doc, tag, _frags in _annotations(files["ours"]).values())
    assert tags == ["authority", "victim"]
    assert load_project(files["ours"])[0].documents["doc0002"].text == RELEASE_2


def _setup(clone: Clone, env: dict[str, str]) -> None:
    done = subprocess.run(
        [str(BIN / "annotator"), "git-setup"], cwd=clone.path, env=env, capture_output=True
    )
    assert done.returncode == 0, done.stderr


def test_a_project_in_a_folder_with_spaces_merges_in_a_crlf_clone(tmp_path: Path) -> None:
    """Two colleagues, one of them on a checkout that converts line ends (Windows'
    core.autocrlf), the project in "Campaign 2024/team notes.xml"."""
    env = _env(tmp_path / "home")
    (tmp_path / "home").mkdir()
    origin = tmp_path / "origin.git"
    assert GIT is not None
    subprocess.run([GIT, "init", "-q", "--bare", "-b", "main", str(origin)], env=env, check=True)
    clones = []
    for name, crlf in (("a", "false"), ("b", "true")):
        clone = Clone(tmp_path / f"clone {name}", env)
        subprocess.run([GIT, "clone", "-q", str(origin), str(clone.path)], env=env, check=True)
        clone.git("config", "core.autocrlf", crlf)
        clone.file = clone.path / "Campaign 2024" / "team notes.xml"
        clones.append(clone)
    a, b = clones
    a.git("checkout", "-q", "-b", "main")
    a.file.parent.mkdir()
    _write(a.file, _project(("doc0001", RELEASE_1), ("doc0002", RELEASE_2)))
    _setup(a, env)
    a.git("add", "-A")
    a.git("commit", "-q", "-m", "the project")
    a.git("push", "-q", "origin", "main")
    b.git("pull", "-q", "origin", "main")
    _setup(b, env)
    assert b"\r\n" in b.file.read_bytes()  # the checkout converted the line ends

    a.edit(AddAnnotation("team", "doc0001", "victim", [span(RELEASE_1, "12 students")]))
    a.git("commit", "-q", "-am", "A: victims")
    a.git("push", "-q", "origin", "main")
    b.edit(AddAnnotation("team", "doc0002", "authority", [span(RELEASE_2, "Ministry of Interior")]))
    b.git("commit", "-q", "-am", "B: the ministry")
    pulled = b.git("pull", "--no-rebase", "--no-edit", "origin", "main")

    assert "CONFLICT" not in pulled.stdout + pulled.stderr
    assert validate_file(b.file) == []
    tags = sorted(tag for _doc, tag, _frags in _annotations(b.file).values())
    assert tags == ["authority", "victim"]
    assert b.git("status", "--porcelain").stdout.strip() == ""


def _tagged(base: Project, value: str, phrase: str, *, logged: bool) -> Project:
    """A colleague's copy: a new value of victim.harm (through the tag-set editor's
    command, which logs it, or by a hand-edited tag set), and a victim tagged with it."""
    side = copy.deepcopy(base)
    history = History(side)
    if logged:
        history.push(AddValue("victim", "harm", value, author=value))
    else:
        ts = side.tagset
        tag = ts.tag("victim")
        harm = tag.attribute("harm")
        new_harm = replace(
            harm, values=(*harm.values, value), value_labels=(*harm.value_labels, value)
        )
        new_tag = replace(
            tag, attributes=tuple(new_harm if a is harm else a for a in tag.attributes)
        )
        side.tagset = replace(ts, tags=tuple(new_tag if t is tag else t for t in ts.tags))
    history.push(
        AddAnnotation("team", "doc0001", "victim", [span(RELEASE_1, phrase)], {"harm": (value,)})
    )
    return side


def test_conflicting_tag_sets_are_a_conflict_and_the_file_stays_valid(tmp_path: Path) -> None:
    base = _project(("doc0001", RELEASE_1))
    files = {
        "base": _write(tmp_path / "base", base),
        "ours": _write(tmp_path / "ours", _tagged(base, "exiled", "12 students", logged=False)),
        "theirs": _write(tmp_path / "theirs", _tagged(base, "exile", "Tora prison", logged=False)),
    }

    result = merge_files(files["base"], files["ours"], files["theirs"], "team.xml")

    assert result.status == 1
    said = "\n".join(result.lines)
    assert "Conflict on tag set victim.harm" in said and "map their 'exile'" in said
    assert validate_file(files["ours"]) == []
    merged, _ = load_project(files["ours"])
    anns = {a.covered_text(RELEASE_1): a for _l, _d, a in merged.iter_annotations()}
    assert anns["12 students"].attributes == {"harm": ("exiled",)}
    theirs = anns["Tora prison"]  # kept, its value where the file can hold it
    assert "harm" not in theirs.attributes and theirs.provenance["theirs~harm"] == "exile"


def test_tag_set_changes_made_in_the_editor_on_both_sides_merge_cleanly(tmp_path: Path) -> None:
    base = _project(("doc0001", RELEASE_1))
    files = {
        "base": _write(tmp_path / "base", base),
        "ours": _write(tmp_path / "ours", _tagged(base, "exiled", "12 students", logged=True)),
        "theirs": _write(tmp_path / "theirs", _tagged(base, "exile", "Tora prison", logged=True)),
    }

    result = merge_files(files["base"], files["ours"], files["theirs"], "team.xml")

    assert result.status == 0, result.lines
    assert validate_file(files["ours"]) == []
    merged, _ = load_project(files["ours"])
    assert {"exiled", "exile"} <= set(merged.tagset.tag("victim").attribute("harm").values)
    harms = sorted(a.attributes["harm"] for _l, _d, a in merged.iter_annotations())
    assert harms == [("exile",), ("exiled",)]
