"""Change a project file without losing anyone else's change: load, apply, save, retry.

A command that writes a project (``import``, ``merge``) expresses its work as a
function of the loaded project. :func:`update_project` loads the file, applies
the change and saves with the hash it read; if another writer (a colleague's
import, the GUI's Save) replaced the file in between, the save refuses
(ConcurrentModification, or TargetExists when both created it), and the change
is applied again to what is on disk now. The first attempts hold the write
lock only for the check-and-write; the last one holds it from reading to
renaming, so it cannot be overtaken and the loop always ends: with the change
in the file, or with an error and nothing claimed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from annotator.errors import ConcurrentModification, TargetExists
from annotator.formats.locking import write_lock
from annotator.formats.project_xml import file_sha256, load_project, save_project
from annotator.model.project import Project

T = TypeVar("T")

#: Optimistic attempts before the last one, which holds the lock throughout.
OPTIMISTIC_ATTEMPTS = 3


@dataclass(frozen=True)
class Updated(Generic[T]):
    """What ``update_project`` did: the change's result and whether a file was written."""

    result: T
    saved: bool
    sha256: str | None
    #: how many times the change was applied (more than one: someone else wrote meanwhile)
    attempts: int


def update_project(
    path: str | Path,
    change: Callable[[Project], tuple[T, bool]],
    *,
    create: Callable[[], Project] | None = None,
    read: bool = True,
    notify: Callable[[str], None] | None = None,
) -> Updated[T]:
    """Apply ``change`` to the project at ``path`` and save it, never over another's write.

    ``change(project)`` edits the project in place and returns ``(result, changed)``;
    nothing is saved when ``changed`` is false. It may be called several times
    (each time on a freshly loaded project), so it must not print or otherwise
    act beyond the project: report from ``result`` once this returns.

    With ``create``, a missing file starts as ``create()`` and is created only
    if still missing at the save. With ``read=False`` the file's content is not
    used (``create()`` builds the whole project, e.g. a merge written to a new
    output): a file written by someone else meanwhile is not retried over but
    raises (ConcurrentModification or TargetExists), since re-applying the
    change could not take their write in.
    A missing file without ``create`` raises FileNotFoundError (the CLI names it).
    """
    target = Path(path)
    attempt = 0
    while True:
        attempt += 1
        last = attempt > OPTIMISTIC_ATTEMPTS
        hold = write_lock(target, notify=notify) if last else contextlib.nullcontext()
        with hold:
            project, expected = _start(target, create, read)
            result, changed = change(project)
            if not changed:
                return Updated(result, False, expected, attempt)
            try:
                sha = save_project(
                    project,
                    target,
                    expected_sha256=expected,
                    create=expected is None,
                    notify=notify,
                )
            except (ConcurrentModification, TargetExists):
                # Under the lock this cannot happen unless a writer ignores the lock. A
                # change that does not read the file cannot take the other write in.
                if last or not read:
                    raise
                continue
        return Updated(result, True, sha, attempt)


def _start(
    path: Path, create: Callable[[], Project] | None, read: bool
) -> tuple[Project, str | None]:
    """The project to change and the hash of the file it came from (None: no file)."""
    if not read:
        if create is None:
            raise ValueError("update_project(read=False) needs create")
        return create(), file_sha256(path)
    if create is not None and not path.exists():
        return create(), None
    return load_project(path)
