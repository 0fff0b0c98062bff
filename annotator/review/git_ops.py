"""What the app asks of git for File ▸ Pull and merge, File ▸ Commit and push, and
"N commits behind": the questions, and the command lines that do the work.

Git does the transport; this module only says which git commands to run, in
which folder and with which environment, and reads git's short answers. The
GUI runs the long ones (pull, push, fetch) in a separate process so the window
never waits; the quick questions (is this a work tree, how far behind) are
asked here with :func:`ask`. Plain Python, no Qt.

Every git command runs with :func:`git_env`: git never stops to ask for a
password on a terminal nobody sees (``GIT_TERMINAL_PROMPT=0``, ssh in batch
mode), and the ``annotator`` command git calls as the merge driver is found on
``PATH`` even when the app was started from a virtual environment's own folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from annotator.errors import GitMissing
from annotator.review.git_team import DRIVER
from annotator.wording import count

#: how long a quick question to git may take before the answer is "unknown"
ASK_SECONDS = 10.0


def git_program() -> str:
    """The git binary; GitMissing (one sentence) without one."""
    git = shutil.which("git")
    if git is None:
        raise GitMissing("git is not installed (or not on PATH): install git to work as a team")
    return git


def git_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment git runs in: never prompting, and finding ``annotator``."""
    env = dict(os.environ if base is None else base)
    env["GIT_TERMINAL_PROMPT"] = "0"
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    here = str(Path(sys.executable).parent)
    path = env.get("PATH", "")
    if here not in path.split(os.pathsep):
        env["PATH"] = f"{here}{os.pathsep}{path}" if path else here
    return env


@dataclass(frozen=True)
class Answer:
    """What git said to one question: exit status and its output as text."""

    status: int
    out: str
    err: str

    @property
    def ok(self) -> bool:
        return self.status == 0

    def first_line(self) -> str:
        said = (self.err or self.out).strip()
        return said.splitlines()[0] if said else f"git exited with status {self.status}"


def ask(folder: str | Path, *args: str) -> Answer:
    """Run one quick git command in ``folder`` and wait for it (a bounded wait)."""
    try:
        done = subprocess.run(
            [git_program(), *args],
            cwd=folder,
            env=git_env(),
            capture_output=True,
            text=True,
            timeout=ASK_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Answer(124, "", f"git {args[0]} took longer than {ASK_SECONDS:.0f} s")
    except OSError as err:
        return Answer(127, "", str(err))
    return Answer(done.returncode, done.stdout, done.stderr)


@dataclass(frozen=True)
class Repository:
    """The git work tree a project file sits in."""

    top: Path
    file: Path  # the project file, relative to ``top``

    @property
    def merging(self) -> bool:
        """A pull stopped on a conflict: the next commit finishes the merge."""
        return bool(ask(self.top, "rev-parse", "-q", "--verify", "MERGE_HEAD").ok)

    def remotes(self) -> list[str]:
        answer = ask(self.top, "remote")
        return answer.out.split() if answer.ok else []

    def upstream(self) -> str:
        """The branch ``git pull`` takes from (``origin/main``), or "" if none is set."""
        answer = ask(self.top, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}")
        return answer.out.strip() if answer.ok else ""

    def behind_command(self) -> list[str]:
        """Counts the upstream's commits not yet ours (nor in a merge under way)."""
        cmd = [git_program(), "rev-list", "--count", "HEAD..@{u}"]
        return [*cmd, "^MERGE_HEAD"] if self.merging else cmd

    def commits_behind(self) -> int | None:
        """How many commits the upstream has that we have not pulled (None: unknown)."""
        answer = ask(self.top, *self.behind_command()[1:])
        if not answer.ok:
            return None
        try:
            return int(answer.out.strip())
        except ValueError:
            return None

    def driver_registered(self) -> bool:
        return ask(self.top, "config", "--get", f"merge.{DRIVER}.driver").ok

    def file_changed(self) -> bool:
        """The project file differs from the last commit (or is conflicted, or new)."""
        answer = ask(self.top, "status", "--porcelain", "--", str(self.file))
        return bool(answer.ok and answer.out.strip())

    # --- the long jobs, as command lines for the caller to run ---------------------------

    def fetch_command(self) -> list[str]:
        return [git_program(), "fetch", "--quiet"]

    def pull_command(self) -> list[str]:
        """A merge (never a rebase: the driver merges the project annotation by annotation)."""
        return [git_program(), "pull", "--no-rebase", "--no-edit"]

    def commit_commands(self, message: str) -> list[list[str]]:
        """Add the project file, commit it (finishing a merge), push if there is a remote."""
        git = git_program()
        commands = [[git, "add", "--", str(self.file)]]
        if self.merging:
            commands.append([git, "commit", "--no-edit"])
        elif self.file_changed():
            commands.append([git, "commit", "-m", message, "--", str(self.file)])
        remotes = self.remotes()
        if remotes:
            if self.upstream():
                commands.append([git, "push"])
            else:  # the first push of a new branch sets where later pulls come from
                commands.append([git, "push", "--set-upstream", remotes[0], "HEAD"])
        return commands


def repository_of(path: str | Path | None) -> Repository | None:
    """The work tree holding the project file at ``path`` (None: not in one, or no git)."""
    if path is None or shutil.which("git") is None:
        return None
    file = Path(path).resolve()
    folder = file.parent
    if not folder.is_dir():
        return None
    answer = ask(folder, "rev-parse", "--show-toplevel")
    if not answer.ok or not answer.out.strip():
        return None
    top = Path(answer.out.strip()).resolve()
    try:
        relative = file.relative_to(top)
    except ValueError:
        return None
    return Repository(top, relative)


def behind_text(n: int) -> str:
    """The status bar's words for the upstream's new work ("" when there is none)."""
    return f"{count(n, 'commit')} behind" if n > 0 else ""


__all__ = [
    "Answer",
    "Repository",
    "ask",
    "behind_text",
    "git_env",
    "git_program",
    "repository_of",
]
