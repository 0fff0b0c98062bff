"""Two colleagues, two clones, one project file: git merges it through annotator's driver.

These tests run the real ``git`` binary and the installed ``annotator`` command
(the driver git calls is the command line, as on a user's machine).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.formats.project_xml import load_project, save_project, validate_file
from annotator.formats.tagset_xml import default_tagset
from annotator.model import AddAnnotation, Document, DocumentMeta, Project, Retag
from annotator.review.git_team import ATTRIBUTES_LINE, git_setup, textconv
from annotator.review.three_way import THEIRS_SUFFIX
from tests.git_support import Clone

GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed on this machine")

BIN = Path(sys.executable).parent  # where pip put the ``annotator`` command

RELEASE_1 = (
    "Egypt: Release detained students now. Amnesty International calls on the Egyptian "
    "authorities to release the 12 students held at Tora prison since 3 March 2024 😀."
)
RELEASE_2 = (
    "Sané Mbaye, a journalist, was beaten by police in Dakar. The Senegalese Ministry of "
    "Interior must open an investigation 𠀀 and bring those responsible to justice."
)


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
    )
    return env


def _team_project() -> Project:
    project = Project(name="team", tagset=default_tagset())
    project.add_document(Document("doc0001", RELEASE_1, DocumentMeta(headline="Egypt")))
    project.add_document(Document("doc0002", RELEASE_2, DocumentMeta(headline="Senegal")))
    project.ensure_layer("team")
    return project


def span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


@pytest.fixture
def team(tmp_path: Path) -> tuple[Clone, Clone]:
    """A shared bare repository holding team.xml, cloned by A and B (both set up)."""
    env = _env(tmp_path / "home")
    (tmp_path / "home").mkdir()
    origin = tmp_path / "origin.git"
    subprocess.run([GIT, "init", "-q", "--bare", "-b", "main", str(origin)], env=env, check=True)  # type: ignore[list-item]
    a = Clone(tmp_path / "a", env)
    subprocess.run([GIT, "clone", "-q", str(origin), str(a.path)], env=env, check=True)  # type: ignore[list-item]
    a.git("checkout", "-q", "-b", "main")
    save_project(_team_project(), a.file, backup=False)
    run = subprocess.run(
        [str(BIN / "annotator"), "git-setup"], cwd=a.path, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    a.git("add", "team.xml", ".gitattributes", ".gitignore")
    a.git("commit", "-q", "-m", "the project")
    a.git("push", "-q", "origin", "main")
    b = Clone(tmp_path / "b", env)
    subprocess.run([GIT, "clone", "-q", str(origin), str(b.path)], env=env, check=True)  # type: ignore[list-item]
    run = subprocess.run(
        [str(BIN / "annotator"), "git-setup"], cwd=b.path, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return a, b


def _annotations(path: Path) -> dict[str, tuple[str, str, tuple[tuple[int, int], ...]]]:
    project, _ = load_project(path)
    return {
        f"{layer.name}/{ann.id}": (doc.id, ann.tag, tuple((f.start, f.end) for f in ann.fragments))
        for layer, doc, ann in project.iter_annotations()
    }


def test_tags_in_two_clones_merge_cleanly_into_a_valid_file(team: tuple[Clone, Clone]) -> None:
    a, b = team
    a.edit(AddAnnotation("team", "doc0001", "victim", [span(RELEASE_1, "12 students")]))
    a.commit("A: victims in the Egypt release")
    a.git("push", "-q", "origin", "main")
    b.edit(AddAnnotation("team", "doc0002", "authority", [span(RELEASE_2, "Ministry of Interior")]))
    b.commit("B: authority in the Senegal release")

    pulled = b.git("pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    assert "CONFLICT" not in pulled.stdout + pulled.stderr
    assert "<<<<<<<" not in b.file.read_text("utf-8")
    assert validate_file(b.file) == []
    got = sorted(_annotations(b.file).values())
    assert got == sorted(
        [
            ("doc0001", "victim", (span(RELEASE_1, "12 students"),)),
            ("doc0002", "authority", (span(RELEASE_2, "Ministry of Interior"),)),
        ]
    )
    assert b.git("status", "--porcelain").stdout.strip() == ""  # merged and committed


def test_same_annotation_changed_differently_is_a_conflict_in_a_valid_file(
    team: tuple[Clone, Clone],
) -> None:
    a, b = team
    a.edit(AddAnnotation("team", "doc0001", "victim", [span(RELEASE_1, "12 students")]))
    a.commit("A: victims")
    a.git("push", "-q", "origin", "main")
    b.git("pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    (ann_id,) = [k.split("/")[1] for k in _annotations(b.file)]

    a.edit(Retag("team", "doc0001", ann_id, "authority"))
    a.commit("A: it is the authority")
    a.git("push", "-q", "origin", "main")
    b.edit(Retag("team", "doc0001", ann_id, "appeal"))
    b.commit("B: it is the appeal")

    pulled = b.git("pull", "--no-rebase", "--no-edit", "origin", "main", check=False)
    assert pulled.returncode != 0
    assert "CONFLICT" in pulled.stdout + pulled.stderr
    assert "UU team.xml" in b.git("status", "--porcelain").stdout
    text = b.file.read_text("utf-8")
    assert "<<<<<<<" not in text and ">>>>>>>" not in text
    assert validate_file(b.file) == []
    got = _annotations(b.file)
    assert got[f"team/{ann_id}"][1] == "appeal"  # ours in place
    assert got[f"team{THEIRS_SUFFIX}/{ann_id}"][1] == "authority"  # theirs recorded beside it

    # B settles it in the app (takes A's tag, drops the record) and commits: the merge is done
    b.edit(Retag("team", "doc0001", ann_id, "authority"))
    project, sha = load_project(b.file)
    del project.layers[f"team{THEIRS_SUFFIX}"]
    save_project(project, b.file, expected_sha256=sha, backup=False)
    b.commit("settled: it is the authority")
    assert b.git("status", "--porcelain").stdout.strip() == ""
    parents = b.git("log", "-1", "--format=%P").stdout.split()
    assert len(parents) == 2
    assert _annotations(b.file) == {
        f"team/{ann_id}": ("doc0001", "authority", got[f"team/{ann_id}"][2])
    }


def test_git_diff_shows_annotations_not_xml(team: tuple[Clone, Clone]) -> None:
    a, _b = team
    a.edit(AddAnnotation("team", "doc0001", "victim", [span(RELEASE_1, "12 students")]))
    diff = a.git("diff").stdout
    assert "+victim '12 students' in doc0001" in diff
    assert "<ann" not in diff


def test_other_xml_is_merged_by_git_itself(team: tuple[Clone, Clone]) -> None:
    a, b = team
    lines = [f"<item n='{i}'/>" for i in range(8)]
    (a.path / "feed.xml").write_text("<rss>\n" + "\n".join(lines) + "\n</rss>\n", "utf-8")
    a.git("add", "feed.xml")
    a.commit("feed")
    a.git("push", "-q", "origin", "main")
    b.git("pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    a_lines = list(lines)
    a_lines[1] = "<item n='one'/>"
    (a.path / "feed.xml").write_text("<rss>\n" + "\n".join(a_lines) + "\n</rss>\n", "utf-8")
    a.git("commit", "-q", "-am", "A edits the top")
    a.git("push", "-q", "origin", "main")
    b_lines = list(lines)
    b_lines[6] = "<item n='six'/>"
    (b.path / "feed.xml").write_text("<rss>\n" + "\n".join(b_lines) + "\n</rss>\n", "utf-8")
    b.git("commit", "-q", "-am", "B edits the bottom")
    b.git("pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    merged = (b.path / "feed.xml").read_text("utf-8")
    assert "<item n='one'/>" in merged and "<item n='six'/>" in merged


def test_what_the_app_keeps_beside_the_project_is_never_committed(
    team: tuple[Clone, Clone],
) -> None:
    a, _ = team
    kept = [
        ".team.xml.lock",
        "team.xml.bak",
        ".team.xml.tmp-4242-0a1b2c3d",
        ".team.xml.journal",
        ".team.xml.rejections.json.lock",
    ]
    for name in kept:
        (a.path / name).write_text("x", encoding="utf-8")
    (a.path / ".team.xml.rejections.json").write_text("{}", encoding="utf-8")
    (a.path / "notes.txt").write_text("x", encoding="utf-8")
    a.git("add", "-A")
    assert a.git("diff", "--cached", "--name-only").stdout.split() == ["notes.txt"]


def test_git_setup_is_idempotent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = _env(tmp_path / "home")
    (tmp_path / "home").mkdir()
    for key in ("HOME", "XDG_CONFIG_HOME", "GIT_CONFIG_NOSYSTEM"):
        monkeypatch.setenv(key, env[key])
    repo = tmp_path / "repo"
    subprocess.run([GIT, "init", "-q", str(repo)], env=env, check=True)  # type: ignore[list-item]
    first = git_setup(repo)
    assert len(first) == 10
    second = git_setup(repo)
    assert second == ["Already set up: nothing changed."]
    assert (repo / ".gitattributes").read_text("utf-8").splitlines().count(ATTRIBUTES_LINE) == 1
    attributes = f"{tmp_path / 'home' / '.config' / 'git' / 'attributes'}."
    assert any(line.endswith(attributes) for line in git_setup(repo, global_=True))


def test_git_setup_outside_a_repository_says_so(tmp_path: Path) -> None:
    from annotator.errors import NotInGitRepository

    with pytest.raises(NotInGitRepository, match="not inside a git repository"):
        git_setup(tmp_path, global_=False)


def test_without_git_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from annotator.cli import main

    monkeypatch.setenv("PATH", str(tmp_path))  # no git here
    assert main(["git-setup"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "git is not installed" in err


def test_textconv_prints_other_files_unchanged(tmp_path: Path) -> None:
    other = tmp_path / "feed.xml"
    other.write_bytes(b"<rss>\xc3\xa9</rss>\n")
    assert textconv(other) == b"<rss>\xc3\xa9</rss>\n"


def test_driver_refuses_a_broken_side_in_one_sentence_and_leaves_ours(tmp_path: Path) -> None:
    ours = tmp_path / "ours.xml"
    save_project(_team_project(), ours, backup=False)
    before = ours.read_bytes()
    theirs = tmp_path / "theirs.xml"
    theirs.write_bytes(before[: len(before) // 2])  # cut short mid-file
    base = tmp_path / "base.xml"
    base.write_bytes(before)
    done = subprocess.run(
        [str(BIN / "annotator"), "merge-driver", str(base), str(ours), str(theirs), "team.xml"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "team.xml: their version" in done.stderr
    assert "(line " in done.stderr and str(theirs) not in done.stderr  # git's temp name
    assert "Traceback" not in done.stderr
    assert ours.read_bytes() == before
