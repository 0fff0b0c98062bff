"""What the app asks git (no Qt): is the project in a work tree, how far behind, which
commands commit and push. Real git, local repositories only."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from annotator.formats.tagset_xml import default_tagset
from annotator.model import AddAnnotation, Document, Project
from annotator.review.git_ops import behind_text, git_env, repository_of
from tests.git_support import GIT, Clone, make_team, team_env

pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed on this machine")

TEXT = "Human Rights Watch urges the Bahraini authorities to free Abdulhadi al-Khawaja."


def _project() -> Project:
    p = Project(name="team", tagset=default_tagset())
    p.add_document(Document("doc0001", TEXT))
    p.ensure_layer("amal")
    return p


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Clone, Clone]:
    _origin, a, b = make_team(tmp_path, _project())
    for key, value in team_env(tmp_path / "home").items():
        monkeypatch.setenv(key, value)
    return a, b


def _tag(clone: Clone, phrase: str) -> None:
    start = TEXT.index(phrase)
    clone.edit(AddAnnotation("amal", "doc0001", "victim", [(start, start + len(phrase))]))


def test_a_file_outside_a_work_tree_has_no_repository(tmp_path: Path) -> None:
    (tmp_path / "loose.xml").write_text("<annotator-project/>", "utf-8")
    assert repository_of(tmp_path / "loose.xml") is None
    assert repository_of(None) is None


def test_the_repository_of_a_clone_and_how_far_behind_it_is(team: tuple[Clone, Clone]) -> None:
    a, b = team
    repo = repository_of(b.file)
    assert repo is not None and repo.top == b.path.resolve() and repo.file == Path("team.xml")
    assert repo.remotes() == ["origin"] and repo.upstream() == "origin/main"
    assert repo.driver_registered() and not repo.merging and not repo.file_changed()
    assert repo.commits_behind() == 0
    _tag(a, "Abdulhadi al-Khawaja")
    a.commit("one")
    _tag(a, "the Bahraini authorities")
    a.commit("two")
    a.git("push", "-q")
    assert repo.commits_behind() == 0  # git knows only after a fetch
    b.git("fetch", "-q")
    assert repo.commits_behind() == 2
    assert behind_text(2) == "2 commits behind" and behind_text(1) == "1 commit behind"
    assert behind_text(0) == ""


def test_commit_commands_add_commit_and_push(team: tuple[Clone, Clone]) -> None:
    _a, b = team
    repo = repository_of(b.file)
    assert repo is not None
    assert [c[1] for c in repo.commit_commands("nothing")] == ["add", "push"]  # unchanged
    _tag(b, "Abdulhadi al-Khawaja")
    assert repo.file_changed()
    cmds = repo.commit_commands("B: the victim")
    assert [c[1:] for c in cmds] == [
        ["add", "--", "team.xml"],
        ["commit", "-m", "B: the victim", "--", "team.xml"],
        ["push"],
    ]
    b.git("remote", "remove", "origin")
    assert [c[1] for c in repo.commit_commands("B")] == ["add", "commit"]  # nowhere to push


def test_git_never_prompts_and_finds_the_merge_driver() -> None:
    env = git_env({"PATH": "/usr/bin"})
    assert env["GIT_TERMINAL_PROMPT"] == "0"
    assert "BatchMode=yes" in env["GIT_SSH_COMMAND"]
    first = env["PATH"].split(os.pathsep)[0]
    assert (Path(first) / "annotator").exists()
    done = subprocess.run(["annotator", "--version"], env=env, capture_output=True, text=True)
    assert done.returncode == 0
