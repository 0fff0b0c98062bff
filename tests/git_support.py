"""A team through git for tests: a bare repository standing for the shared host, and two
colleagues' clones of it holding one project file, both set up with ``annotator git-setup``.

Everything is local (``file`` paths, no network); each clone has its own
``user.name`` and ``user.email``, and the branch is ``main`` whatever the
machine's git defaults to. :func:`team_env` is the environment git and the
app's git processes run in: a private home, no system configuration, and the
``annotator`` command (git's merge driver) on ``PATH``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from annotator.formats.project_xml import load_project, save_project
from annotator.model import History, Project

GIT = shutil.which("git")
BIN = Path(sys.executable).parent  # where pip put the ``annotator`` command


def team_env(home: Path) -> dict[str, str]:
    home.mkdir(parents=True, exist_ok=True)
    return {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }


class Clone:
    """One colleague's working copy."""

    def __init__(self, path: Path, env: dict[str, str], file: str = "team.xml") -> None:
        self.path = path
        self.env = {**os.environ, **env}
        self.file = path / file

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        assert GIT is not None
        done = subprocess.run(
            [GIT, *args], cwd=self.path, env=self.env, capture_output=True, text=True
        )
        if check and done.returncode != 0:
            raise AssertionError(f"git {' '.join(args)}: {done.stdout}{done.stderr}")
        return done

    def edit(self, *commands: object) -> None:
        """Edit the project file as the app would, each command on the loaded project."""
        project, sha = load_project(self.file)
        history = History(project)
        for cmd in commands:
            history.push(cmd)  # type: ignore[arg-type]
        save_project(project, self.file, expected_sha256=sha, backup=False)

    def commit(self, message: str) -> None:
        self.git("add", self.file.name)
        self.git("commit", "-q", "-m", message)

    def merging(self) -> bool:
        return (self.path / ".git" / "MERGE_HEAD").exists()

    def status(self) -> str:
        return self.git("status", "--porcelain").stdout.strip()


def _clone(origin: Path, path: Path, env: dict[str, str], who: str) -> Clone:
    assert GIT is not None
    subprocess.run(
        [GIT, "clone", "-q", str(origin), str(path)],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    clone = Clone(path, env)
    clone.git("config", "user.name", who)
    clone.git("config", "user.email", f"{who}@example.org")
    return clone


def _setup(clone: Clone) -> None:
    run = subprocess.run(
        [str(BIN / "annotator"), "git-setup"],
        cwd=clone.path,
        env=clone.env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr


def make_team(root: Path, project: Project) -> tuple[Path, Clone, Clone]:
    """The shared bare repository holding ``team.xml``, and colleagues A and B's clones."""
    assert GIT is not None
    env = team_env(root / "home")
    origin = root / "origin.git"
    subprocess.run(
        [GIT, "-c", "init.defaultBranch=main", "init", "-q", "--bare", str(origin)],
        env={**os.environ, **env},
        check=True,
    )
    a = _clone(origin, root / "a", env, "amal")
    a.git("checkout", "-q", "-B", "main")
    save_project(project, a.file, backup=False)
    _setup(a)
    a.git("add", "team.xml", ".gitattributes", ".gitignore")
    a.git("commit", "-q", "-m", "the releases")
    a.git("push", "-q", "-u", "origin", "main")
    b = _clone(origin, root / "b", env, "bea")
    _setup(b)
    return origin, a, b
