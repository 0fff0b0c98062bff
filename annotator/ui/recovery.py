"""The edit journal of the open project, and the offer to replay it after a crash.

Every command the user does, undoes or redoes is appended to ``.NAME.journal``
beside the project (:mod:`annotator.formats.journal`), handed to the operating
system before the next keypress is handled, so a crash loses no edit (the
fsync runs in a thread of its own: the window never waits for the disk). An
untitled project, or one in
a folder we may not write to, keeps its journal in the user data folder
(``…/recovery/<hash>.journal``). A successful save or a discard removes it;
finding one when a project opens means the app did not close normally: the
saved file is loaded, the journal replayed on it, and the user is shown what
it holds before choosing to restore it.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from pathlib import Path

from PySide6.QtCore import QObject

from annotator.errors import AnnotatorError, JournalUnusable
from annotator.formats.journal import (
    Journal,
    JournalContents,
    check_base,
    describe,
    journal_path,
    read_journal,
    replay,
)
from annotator.formats.project_xml import load_project, new_project
from annotator.model import Command, Project
from annotator.ui import dialogs, settings
from annotator.ui.notifier import Notifier
from annotator.ui.session import ProjectSession

UNTITLED_KEY = "untitled"


def recovery_dir() -> Path:
    return settings.data_dir() / "recovery"


def recovery_path(project_path: Path | None) -> Path:
    """The journal's place in the user data folder (untitled or read-only projects)."""
    key = str(Path(project_path).resolve()) if project_path is not None else UNTITLED_KEY
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return recovery_dir() / f"{digest}.journal"


def candidates(project_path: Path | None) -> list[Path]:
    """Where a journal of ``project_path`` may be: beside it first."""
    found = [journal_path(project_path)] if project_path is not None else []
    return [*found, recovery_path(project_path)]


def _snapshot_bytes(project: Project) -> bytes:
    from annotator.formats.project_xml import project_to_bytes

    return project_to_bytes(project)


class Recovery(QObject):
    """The journal of one window's project."""

    def __init__(self, session: ProjectSession, notifier: Notifier) -> None:
        super().__init__(session)
        self.session = session
        self.notifier = notifier
        self.journal: Journal | None = None
        session.step_recorder = self.record
        session.projectReplaced.connect(self._forget)
        session.fileStateChanged.connect(self._follow_base)

    @property
    def path(self) -> Path:
        """Where the current project's journal is (or will be) written."""
        if self.journal is not None:
            return self.journal.path
        return candidates(self.session.path)[0]

    def _forget(self) -> None:
        """Another project (or a restored one) is now open: start a journal on its first edit."""
        if self.journal is not None:
            self.journal.close()
        self.journal = None

    def _follow_base(self) -> None:
        """The session adopted the file on disk without saving (a merge of a colleague's
        save): the steps so far no longer apply to that file, so start on it again."""
        session = self.session
        journal = self.journal
        if journal is None or journal.base_sha256 == session.disk_sha256 or not journal.steps:
            return
        if session.path is None or journal.path not in candidates(session.path):
            return
        try:
            journal.rebase(session.disk_sha256, session.project)
        except OSError as err:
            self.notifier.status(
                f"Cannot write the edit journal ({err.strerror or err}): save soon.", 15000
            )

    def _start(self) -> Journal:
        session = self.session
        last: OSError | None = None
        for place in candidates(session.path):
            try:
                place.parent.mkdir(parents=True, exist_ok=True)
                with open(place, "ab"):
                    pass
            except OSError as err:
                last = err
                continue
            return Journal(place, session.disk_sha256, snapshot=_snapshot_bytes)
        raise last or OSError("no place for the edit journal")

    def record(self, op: str, command: Command) -> None:
        """Write one step (called by the session after every do, undo and redo)."""
        try:
            if self.journal is None:
                self.journal = self._start()
            self.journal.append(op, command, self.session.project)
        except OSError as err:
            self.notifier.status(
                f"Cannot write the edit journal ({err.strerror or err}): save soon.", 15000
            )

    def autosave(self) -> Path | None:
        """The journal is already on disk after every edit: return it, if there is one."""
        if self.journal is not None and self.journal.path.is_file():
            return self.journal.path
        return None

    def remove(self) -> None:
        """Forget the journal of the current project (saved or discarded)."""
        if self.journal is not None:
            self.journal.remove()
            self.journal = None
        for place in candidates(self.session.path):
            with contextlib.suppress(OSError):
                place.unlink(missing_ok=True)

    def step(self) -> int:
        """How many steps the journal holds so far (a save remembers where it froze)."""
        return self.journal.steps if self.journal is not None else 0

    def saved(self, path: Path, sha256: str, frozen: Project, step: int) -> None:
        """``frozen`` (the project at ``step``) is now in ``path``: keep only later steps."""
        later = self.journal.lines_after(step) if self.journal is not None else []
        self.remove()  # under the old name, and any under the new one
        for place in candidates(path.resolve()):
            with contextlib.suppress(OSError):
                place.unlink(missing_ok=True)
        if not later:
            return
        try:
            journal = Journal(candidates(path.resolve())[0], sha256, snapshot=_snapshot_bytes)
            journal.restart(sha256, frozen, later)
        except OSError as err:
            self.notifier.status(
                f"Cannot write the edit journal ({err.strerror or err}): save again.", 15000
            )
            return
        self.journal = journal

    def _set_aside(self, place: Path) -> Path:
        """Keep a journal we cannot use under another name, so new edits do not overwrite it."""
        kept = place.with_name(f"{place.name}-{time.strftime('%Y%m%d-%H%M%S')}")
        with contextlib.suppress(OSError):
            place.rename(kept)
        return kept

    def offer_restore(self, project_path: Path | None, on_disk: Project | None) -> bool:
        """If a journal exists for ``project_path``, replay it, describe it and offer it."""
        place = next((p for p in candidates(project_path) if p.is_file()), None)
        if place is None:
            return False
        session = self.session
        try:
            contents = read_journal(place)
            check_base(contents, session.disk_sha256 if project_path is not None else None)
            base = (
                load_project(project_path)[0]
                if project_path is not None
                else new_project("Untitled")
            )
            recovered = replay(base, contents)
        except (AnnotatorError, OSError) as err:
            kept = self._set_aside(place)
            dialogs.show_error(
                self.notifier.parent,
                "Unsaved edits cannot be restored",
                f"{err} The journal is kept as {kept}.",
                str(err),
            )
            return False
        if not contents.steps:
            place.unlink(missing_ok=True)
            return False
        if not dialogs.ask_restore(self.notifier.parent, describe(contents)):
            place.unlink(missing_ok=True)
            return False
        session.set_project(recovered, session.path, session.disk_sha256)
        self._resume(place, contents, recovered)
        session.mark_dirty()
        self.notifier.status("Restored unsaved work; save to keep it.", 8000)
        return True

    def _resume(self, place: Path, contents: JournalContents, project: Project) -> None:
        """Go on writing to the restored journal (without its torn line, if any)."""
        try:
            journal = Journal(place, contents.base_sha256, snapshot=_snapshot_bytes)
            journal.resume(contents, project)
        except (JournalUnusable, OSError):
            return  # the next edit starts a journal of its own
        self.journal = journal
