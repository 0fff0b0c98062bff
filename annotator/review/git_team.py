"""Working as a team through git: the merge driver, the diff view and their set-up.

Git does the transport; this module only answers git's two questions about a
project file. As a *merge driver* (``merge_files``) it merges the common
ancestor, ours and theirs three-way at the level of the model
(:mod:`annotator.review.three_way`) and writes a valid project over ours
atomically, never a file with conflict markers; XML that is not a project is
handed to ``git merge-file``. As a *diff text converter* (``annotation_lines``)
it turns a project into one line per annotation, link and status, so ``git diff``
and ``git log -p`` read "+ victim 'students' in doc0002 by bob".

``git_setup`` registers both with git (repository or ``--global``) and adds the
attribute line, and does nothing the second time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from annotator.errors import (
    AnnotatorError,
    GitError,
    GitMissing,
    NotInGitRepository,
    SaveFailed,
)
from annotator.formats.locking import lock_path
from annotator.formats.project_xml import load_project, save_project
from annotator.model import Project
from annotator.review.three_way import ThreeWayReport
from annotator.review.three_way_files import merge_project_files

ROOT = "annotator-project"
DRIVER = "annotator"
MERGE_COMMAND = "annotator merge-driver %O %A %B %P"
TEXTCONV_COMMAND = "annotator git-textconv"
ATTRIBUTES_LINE = f"*.xml merge={DRIVER} diff={DRIVER}"
#: What the app keeps beside a project file and git should not track: the empty
#: write lock, the previous version kept as a backup, a save's temporary file,
#: the edit journal of unsaved work (one person's, on one machine: a colleague who
#: pulled it would be offered edits made on another file), and the suggestions one
#: turned down with its lock (JSON that git's line merge could break).
IGNORE_LINES = (
    ".*.xml.lock",
    "*.xml.bak",
    ".*.xml.tmp-*",
    ".*.xml.journal",
    ".*.xml.rejections.json",
    ".*.xml.rejections.json.lock",
)


# --- the root sniff ---------------------------------------------------------------


def is_project_file(path: str | Path) -> bool:
    """True if the file's root element is ``<annotator-project>`` (read no further)."""
    try:
        for _event, el in etree.iterparse(
            str(path), events=("start",), resolve_entities=False, no_network=True, huge_tree=False
        ):
            return bool(el.tag == ROOT)
    except (etree.XMLSyntaxError, OSError):
        return False
    return False


def _is_empty(path: str | Path) -> bool:
    try:
        return Path(path).stat().st_size == 0
    except OSError:
        return True


# --- the merge driver -------------------------------------------------------------------


@dataclass
class DriverResult:
    """What the driver did: the exit status git reads and the lines it prints."""

    status: int
    lines: list[str]
    report: ThreeWayReport | None = None


def merge_files(
    base: str | Path,
    ours: str | Path,
    theirs: str | Path,
    shown_as: str = "",
    run: Callable[[list[str]], subprocess.CompletedProcess[bytes]] | None = None,
) -> DriverResult:
    """Merge three versions of a file into ``ours`` (git's ``%O %A %B``).

    Status 0: merged cleanly; 1: merged with recorded conflicts (git marks the
    file conflicted, the file is still a valid project). An empty base (git's
    ``%O`` when both sides added the file), or one that is not a project, is an
    empty project. A version that cannot be read as a project leaves ours as it
    was, with status 1 (git keeps theirs in its index: ``git checkout --theirs``)
    and one sentence naming the file, the version and what is wrong.
    """
    name = shown_as or str(ours)
    if not (is_project_file(ours) or is_project_file(theirs)):
        return _merge_as_text(base, ours, theirs, name, run)
    versions = {
        str(Path(base)): "the common ancestor's",
        str(Path(ours)): "your",
        str(Path(theirs)): "their",
    }
    no_base = _is_empty(base) or not is_project_file(base)
    try:
        merge = merge_project_files(None if no_base else Path(base), Path(ours), Path(theirs))
        # after a tag-set conflict the written file is read back before it replaces
        # ours: a file that could not be opened again must not reach the repository
        tagset_conflict = any(c.what == "tag set" for c in merge.report.conflicts)
        save_project(
            merge.project,
            ours,
            expected_sha256=merge.ours_sha256,
            backup=False,
            paranoid=tagset_conflict or None,
        )
    except (AnnotatorError, OSError) as err:
        return DriverResult(1, [_unreadable(name, err, versions)])
    finally:
        # %A is git's own temporary file: nobody else writes it, so its lock file can go
        lock_path(ours).unlink(missing_ok=True)
    report = merge.report
    lines = [f"{name}: {line}" for line in report.summary()]
    return DriverResult(0 if report.clean else 1, lines, report)


def _unreadable(name: str, err: AnnotatorError | OSError, versions: dict[str, str]) -> str:
    """The one sentence for a merge that could not be made (git's file names left out)."""
    kept = (
        f"; yours is left as it was and the file is marked conflicted "
        f"(git checkout --theirs {name} shows theirs)."
    )
    if isinstance(err, SaveFailed):
        return f"{name}: the merged project cannot be written: {err.message}{kept}"
    if isinstance(err, OSError):
        which = versions.get(str(err.filename), "a")
        return f"{name}: {which} version cannot be read: {err.strerror or err}{kept}"
    which = versions.get(err.path or "", "a")
    where = f" (line {err.line})" if err.line else ""
    return f"{name}: {which} version is not a valid project{where}: {err.message}{kept}"


def _merge_as_text(
    base: str | Path,
    ours: str | Path,
    theirs: str | Path,
    name: str,
    run: Callable[[list[str]], subprocess.CompletedProcess[bytes]] | None,
) -> DriverResult:
    """Git's own line merge, for XML that is not a project (it may leave markers)."""
    cmd = [_git(), "merge-file", "-L", "ours", "-L", "base", "-L", "theirs"]
    done = (run or _run)([*cmd, str(ours), str(base), str(theirs)])
    if done.returncode < 0 or done.returncode > 127:
        raise GitError(f"git merge-file could not merge {name}: {_said(done)}")
    status = 0 if done.returncode == 0 else 1
    return DriverResult(status, [f"{name}: not a project file, merged line by line by git."])


# --- the diff view ----------------------------------------------------------------------


def annotation_lines(project: Project) -> Iterator[str]:
    """One stable line per tag-set change, document, status, annotation and link (git
    diff's view)."""
    for entry in project.tagset_log:
        yield f"tag-set change {entry.line()}"
    for doc in project.documents.values():
        yield f"document {doc.id} {doc.meta.headline!r} ({len(doc.text)} characters)"
        for who, status in sorted(doc.status.items()):
            yield f"status {doc.id} {who}: {status}"
        yield f"review {doc.id}: {doc.review_status}"
    for layer in project.layers.values():
        for doc_id, da in layer.docs.items():
            text = project.documents[doc_id].text if doc_id in project.documents else ""
            for ann in da.sorted_annotations():
                attrs = "".join(f" {k}={v!r}" for k, v in sorted(ann.attributes.items()))
                note = f" note {ann.note!r}" if ann.note else ""
                by = ann.modified_by or ann.created_by or layer.name
                frags = " ".join(f"{f.start}-{f.end}" for f in ann.fragments)
                yield (
                    f"{ann.tag} {ann.covered_text(text)!r} in {doc_id} by {by}"
                    f" [{layer.name} {ann.id} {frags}]{attrs}{note}"
                )
                for c in ann.comments:
                    yield f"  comment by {c.author} at {c.at}: {c.text!r} [{layer.name} {ann.id}]"
            for link in sorted(da.links.values(), key=lambda lk: lk.id):
                yield (
                    f"link {link.type} {link.source} -> {link.target} in {doc_id}"
                    f" [{layer.name} {link.id}]"
                )


def textconv(path: str | Path) -> bytes:
    """What ``git diff`` compares for ``path``: annotation lines, or the bytes of other files."""
    if _is_empty(path) or not is_project_file(path):
        return Path(path).read_bytes() if Path(path).exists() else b""
    project, _ = load_project(path)
    return "".join(line + "\n" for line in annotation_lines(project)).encode("utf-8")


# --- set-up -------------------------------------------------------------------------------


def _git() -> str:
    git = shutil.which("git")
    if git is None:
        raise GitMissing("git is not installed (or not on PATH): install git to work as a team")
    return git


def _run(cmd: list[str], cwd: str | Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, check=False)


def _said(done: subprocess.CompletedProcess[bytes]) -> str:
    """The first line git printed, or its exit status."""
    said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
    return said.splitlines()[0] if said else f"exit status {done.returncode}"


def git_setup(folder: str | Path = ".", *, global_: bool = False) -> list[str]:
    """Register the merge and diff drivers and the attribute line; return what changed.

    Idempotent: a second run changes nothing and says so.
    """
    git = _git()
    scope = ["--global"] if global_ else []
    if global_:
        attributes = _global_attributes(git, folder)
    else:
        top = _run([git, "rev-parse", "--show-toplevel"], cwd=folder)
        if top.returncode != 0:
            raise NotInGitRepository(
                f"{Path(folder).resolve()} is not inside a git repository: run git init "
                "first, or use --global"
            )
        attributes = Path(top.stdout.decode().strip()) / ".gitattributes"
    wanted = {
        f"merge.{DRIVER}.name": "annotator project merge (annotation by annotation)",
        f"merge.{DRIVER}.driver": MERGE_COMMAND,
        f"diff.{DRIVER}.textconv": TEXTCONV_COMMAND,
    }
    changed: list[str] = []
    for key, value in wanted.items():
        now = _run([git, "config", *scope, "--get", key], cwd=folder)
        if now.returncode == 0 and now.stdout.decode().strip() == value:
            continue
        done = _run([git, "config", *scope, key, value], cwd=folder)
        if done.returncode != 0:
            raise GitError(f"git config {key} failed: {_said(done)}")
        changed.append(f"Set git config {key} = {value!r}.")
    changed += _add_lines(attributes, [ATTRIBUTES_LINE])
    changed += _add_lines(attributes.with_name("ignore" if global_ else ".gitignore"), IGNORE_LINES)
    return changed or ["Already set up: nothing changed."]


def _add_lines(path: Path, wanted: Iterable[str]) -> list[str]:
    """Append the lines ``path`` lacks (created if missing); say which were added."""
    lines = path.read_text("utf-8").splitlines() if path.exists() else []
    have = {line.strip() for line in lines}
    missing = [line for line in wanted if line not in have]
    if not missing:
        return []
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in [*lines, *missing]), "utf-8")
    return [f"Added {line!r} to {path}." for line in missing]


def _global_attributes(git: str, folder: str | Path) -> Path:
    """The user's global attributes file (core.attributesFile, else git's default)."""
    done = _run([git, "config", "--global", "--path", "--get", "core.attributesFile"], cwd=folder)
    if done.returncode == 0 and done.stdout.strip():
        return Path(done.stdout.decode().strip()).expanduser()
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(xdg) / "git" / "attributes"


__all__ = [
    "ATTRIBUTES_LINE",
    "MERGE_COMMAND",
    "DriverResult",
    "annotation_lines",
    "git_setup",
    "is_project_file",
    "merge_files",
    "textconv",
]
