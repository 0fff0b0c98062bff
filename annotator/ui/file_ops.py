"""New, Open, Save, Save As, Import, and the "unsaved changes" question.

Every failure from the core (bad file, failed import, failed save) reaches the
user as one dialog through the notifier; the window keeps its project, so
nothing is lost. A file that changed on disk since it was opened is never
silently overwritten (``ConcurrentModification``): the user gets Save As and
whatever ``conflict_actions`` offer (review mode adds Merge).
"""

from __future__ import annotations

import gc
import hashlib
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEventLoop, QFileSystemWatcher, QTimer
from PySide6.QtWidgets import QWidget

from annotator.errors import ConcurrentModification
from annotator.formats.project_xml import new_project as make_new_project
from annotator.model import Project
from annotator.model.snapshot import snapshot
from annotator.ui import dialogs, settings
from annotator.ui.notifier import USER_ERRORS, Notifier
from annotator.ui.recovery import Recovery
from annotator.ui.session import ProjectSession
from annotator.wording import count


def new_project(name: str = "Untitled") -> Project:
    """An empty project with the default tag set."""
    return make_new_project(name)


def load_project(path: Path) -> tuple[Project, str]:
    from annotator.formats.project_xml import load_project as load

    return load(path)


def save_project(
    project: Project,
    path: Path,
    expected_sha256: str | None,
    backup: bool,
    notify: Callable[[str], None] | None = None,
) -> str:
    """The core save: under the file's write lock, only if the file is still as read."""
    from annotator.formats.project_xml import save_project as save

    return save(project, path, expected_sha256=expected_sha256, backup=backup, notify=notify)


def _identity(path: Path) -> tuple[int, int, int, int] | None:
    """What tells one version of a file from another without reading it."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def sample_project_path() -> Path | None:
    """The bundled sample project in a checkout (``projects/sample.xml``), if present."""
    here = Path(__file__).resolve().parent.parent.parent
    path = here / "projects" / "sample.xml"
    return path if path.is_file() else None


class FileOps:
    """The file commands of one window, on its session."""

    def __init__(
        self, session: ProjectSession, notifier: Notifier, recovery: Recovery, text_view: QWidget
    ) -> None:
        self.session = session
        self.notifier = notifier
        self.recovery = recovery
        self.text_view = text_view
        #: the window the file dialogs belong to
        self.parent = notifier.parent
        self.disk_changed = False
        #: a save is being written by the worker thread
        self.saving = False
        #: the open file as last read or written by this window (see _identity)
        self._seen: tuple[int, int, int, int] | None = None
        # Tell the user as soon as someone else saves over the open project; the
        # save itself is guarded anyway (ConcurrentModification).
        self.watcher = QFileSystemWatcher(session)
        self.watcher.fileChanged.connect(self._on_disk_change)
        #: what the "changed on disk" question offers besides Save As (review mode: Merge)
        self.conflict_actions: list[tuple[str, Callable[[], None]]] = []
        session.fileStateChanged.connect(self._watch)

    def _watch(self) -> None:
        self.disk_changed = False
        files = self.watcher.files()
        if files:
            self.watcher.removePaths(files)
        path = self.session.path
        self._seen = _identity(path) if path is not None else None
        if path is not None and path.exists():
            self.watcher.addPath(str(path))

    def _on_disk_change(self, name: str) -> None:
        path = self.session.path
        if path is None or str(path) != name or self.saving:
            return  # our own save replacing the file is not someone else's change
        seen = self._seen
        self._watch()  # an atomic replace drops the watch: set it again
        if seen is not None and self._seen == seen:
            return  # the file we read or wrote, as it was (our own save, noticed late)
        # Hashing a 100 MB project takes a good part of a second: not on the UI thread.
        expected = self.session.disk_sha256
        found: list[str | None] = []

        def digest() -> None:
            try:
                with open(path, "rb") as fh:
                    found.append(hashlib.file_digest(fh, "sha256").hexdigest())
            except OSError:
                found.append(None)

        threading.Thread(target=digest, name="annotator-watch", daemon=True).start()

        def check() -> None:
            if not found:
                QTimer.singleShot(20, self.parent, check)
                return
            if found[0] is not None and found[0] != expected == self.session.disk_sha256:
                self.disk_changed = True
                self.notifier.status(
                    f"{path.name} was changed on disk by someone else. "
                    "Saving will ask before overwriting it.",
                    15000,
                )

        # Timed on the window, so a window closed while the hash runs is not asked
        # to show the answer on a status bar that no longer exists.
        QTimer.singleShot(20, self.parent, check)

    def _start_dir(self) -> str:
        path = self.session.path
        return str(path.parent) if path else str(Path.home())

    # --- leaving the current project -------------------------------------------------

    def maybe_save(self) -> bool:
        """Ask Save / Discard / Cancel if there are unsaved changes. True = go on."""
        if not self.session.modified:
            return True
        name = self.session.path.name if self.session.path else "The new project"
        answer = dialogs.ask_save_changes(self.parent, f"“{name}”")
        if answer == "save":
            return self.save()
        if answer == "discard":
            self.recovery.remove()
            return True
        return False

    # --- new and open ---------------------------------------------------------------------

    def new_project(self) -> None:
        if not self.maybe_save():
            return
        self.recovery.remove()
        self.session.set_project(new_project(), None, None)
        self.recovery.offer_restore(None, None)

    def open_dialog(self) -> None:
        path = dialogs.get_open_path(self.parent, self._start_dir())
        if path is not None:
            self.open_path(path)

    def open_path(self, path: Path, *, ask: bool = True) -> bool:
        """Open ``path`` in this window; on failure keep the current project."""
        path = Path(path)
        same = self.session.path is not None and path.resolve() == self.session.path.resolve()
        if ask and same and not self.session.modified:
            return True
        if ask and not self.maybe_save():
            return False
        loaded = self.notifier.run(lambda: load_project(path), title="Cannot open project")
        if loaded is None:
            return False
        project, sha = loaded
        old_path = self.session.path
        if old_path is not None and old_path.resolve() != path.resolve():
            self.recovery.remove()
        last = settings.last_document(path)  # before the new project resets it
        shown = settings.shown_layers(path)
        self.session.set_project(project, path.resolve(), sha)
        if shown is not None:
            self.session.show_layers(shown)
        if last in project.documents:
            self.session.set_current_document(last)
        settings.add_recent_file(path)
        self.recovery.offer_restore(path.resolve(), project)
        if self.is_bundled_sample():
            self.notifier.status(
                "This is the bundled sample: Save will ask where to keep your copy.", 15000
            )
        return True

    # --- save ------------------------------------------------------------------------------

    def is_bundled_sample(self) -> bool:
        """True while the open file is the sample shipped in the checkout.

        The sample is a template: saving it in place would change a tracked file
        that the tests compare byte for byte, so Save asks where to keep a copy.
        """
        sample = sample_project_path()
        path = self.session.path
        return path is not None and sample is not None and path.resolve() == sample.resolve()

    def save(self) -> bool:
        if self.session.path is None or self.is_bundled_sample():
            return self.save_as()
        return self._save_to(self.session.path, self.session.disk_sha256)

    def save_as(self) -> bool:
        if self.is_bundled_sample():
            start = str(Path.home() / "my-sample.xml")
        else:
            start = str(self.session.path) if self.session.path else self._start_dir()
        path = dialogs.get_save_path(self.parent, start)
        if path is None:
            return False
        same = self.session.path is not None and path.resolve() == self.session.path.resolve()
        # The file dialog already confirmed overwriting another file.
        return self._save_to(path, self.session.disk_sha256 if same else None)

    def _save_to(self, path: Path, expected: str | None) -> bool:
        if self.saving:
            self.notifier.status("A save is already running.", 4000)
            return False
        self.text_view.setFocus()
        # The file gets the project as it is now; edits made while the worker writes
        # it stay in the journal (they are not in the saved file).
        frozen = snapshot(self.session.project)
        # The project's objects live as long as the window: a full garbage collection
        # walking them (set off by the worker's allocations) holds the interpreter for
        # hundreds of milliseconds on a large project. Moved out of the collector's
        # reach, they are still freed by reference counting when the project is closed.
        gc.freeze()
        recovery = self.recovery
        step = recovery.step()
        index = self.session.undo_stack.index()
        notices: list[str] = []
        try:
            sha = self._in_worker(
                lambda: save_project(frozen, path, expected, True, notices.append)
            )
        except ConcurrentModification as err:
            return self.handle_conflict(err)
        except USER_ERRORS as err:  # the notifier's rule; a conflict is answered above
            self.notifier.show_error(err, title="Cannot save project")
            return False
        edited_meanwhile = self.session.undo_stack.index() != index or recovery.step() != step
        recovery.saved(path, sha, frozen, step)
        before = self.session.path
        self.session.mark_saved(path.resolve(), sha)
        if edited_meanwhile:
            self.session.mark_dirty()
        if before is None or before.resolve() != path.resolve():
            # the open file is already among the recent ones: only a new name is news
            # (rewriting the list costs tens of milliseconds on the UI thread)
            settings.add_recent_file(path)
        if notices:  # a stale lock taken over: worth reading, so it stays up longer
            notice = notices[0]
            self.notifier.status(f"Saved {path.name}. {notice[:1].upper()}{notice[1:]}", 15000)
        else:
            self.notifier.status(f"Saved {path.name}", 4000)
        return True

    def _in_worker(self, job: Callable[[], str]) -> str:
        """Run ``job`` in a worker thread; the window keeps handling input meanwhile.

        A nested event loop waits for the worker, so callers (Save, the question
        on closing) still get an answer, while keys and paints go on being served:
        a large project takes seconds to write, and that must not freeze the window.
        """
        outcome: dict[str, object] = {}

        def run() -> None:
            try:
                outcome["sha"] = job()
            except BaseException as err:  # handed to the UI thread below
                outcome["error"] = err

        worker = threading.Thread(target=run, name="annotator-save", daemon=True)
        self.saving = True
        try:
            worker.start()
            loop = QEventLoop()
            poll = QTimer()
            poll.setInterval(10)
            poll.timeout.connect(lambda: None if worker.is_alive() else loop.quit())
            poll.start()
            if worker.is_alive():
                loop.exec()
            poll.stop()
            worker.join()
        finally:
            self.saving = False
        error = outcome.get("error")
        if isinstance(error, BaseException):
            raise error
        return str(outcome["sha"])

    def handle_conflict(self, err: ConcurrentModification) -> bool:
        extra = [label for label, _ in self.conflict_actions]
        choice = dialogs.ask_conflict(self.parent, str(err), extra)
        if choice == "save-as":
            return self.save_as()
        for label, callback in self.conflict_actions:
            if choice == label:
                callback()
                return not self.session.modified
        return False

    # --- import ---------------------------------------------------------------------------

    def import_dialog(self) -> None:
        paths = dialogs.get_import_paths(self.parent, self._start_dir())
        if paths:
            self.import_paths(paths)

    def import_folder_dialog(self) -> None:
        folder = dialogs.get_import_folder(self.parent, self._start_dir())
        if folder is not None:
            self.import_paths([folder])

    def import_paths(self, paths: Sequence[Path]) -> int:
        """Import releases and annotated files (brat, MAE, our exports) as one undoable step.

        The same planner as ``annotator import``; returns how many documents were added.
        """
        from annotator.importing import ImportOptions, plan_import

        project = self.session.project
        fresh = not project.documents and not any(
            ly.annotation_count() for ly in project.layers.values()
        )
        options = ImportOptions(layer=self.session.layer, adopt_tagset=fresh)
        # planned on a worker from a frozen copy; only the finished plan is applied,
        # here on the UI thread, as one undoable step (a cancel leaves nothing behind)
        frozen = snapshot(project)
        sources = list(paths)
        planned = self.notifier.run_job(
            lambda progress: plan_import(frozen, sources, options, progress=progress),
            title="Importing releases",
            error_title="Import failed",
        )
        if planned is None:
            return 0
        report, command = planned
        if report.changed:
            if self.notifier.run(lambda: self.session.execute(command), "Import failed") is None:
                return 0
            first = report.first_document
            if first is not None:
                self.session.set_current_document(first)
        added = len(report.releases.imported) + len(report.documents)
        annotations = sum(s.annotations_added for s in report.annotated)
        lines = [f"Imported {count(len(report.releases.imported), 'release')}."]
        if report.annotated:
            lines = [
                f"Imported {count(annotations, 'annotation')} and {count(added, 'new document')}."
            ]
        layers = sorted({s.layer for s in report.annotated if s.layer})
        if len(layers) > 1:  # a MedTator corpus: a layer per annotator's folder
            lines.append(f"Into the layers {', '.join(layers)}.")
        if report.tagset_note:
            lines.append(report.tagset_note[:1].upper() + report.tagset_note[1:] + ".")
        if report.releases.duplicates:
            lines.append(f"{len(report.releases.duplicates)} already in the project (skipped).")
        if report.skipped:
            lines.append(f"{len(report.skipped)} could not be read.")
        lost = [s.path for s in report.annotated if s.lost_everything]
        if lost:
            lines.append(f"No annotation of {', '.join(lost)} fits the tag set.")
        losses = report.releases.losses
        if losses:
            lines.append(f"Text was lost in {len(losses)} (see details).")
        details = "\n".join(
            [f"{src}: {why}" for src, why in report.skipped]
            + [f"{src}: text lost: {why}" for src, why in losses]
            + [f"{src}: same text as {doc}" for src, doc in report.releases.duplicates]
            + report.notes
        )
        if details or not report.changed or lost:
            dialogs.show_info(self.parent, "Import", " ".join(lines), details)
        else:
            self.notifier.status(lines[0], 5000)
        return added
