"""Autosave to a recovery file, and the offer to restore it after a crash.

The recovery copy lives in the user data folder (``…/recovery/<hash>.xml``,
the hash of the project path, so each project has its own), written
atomically through the project writer every few minutes and after every N
edits. A successful save or a clean close deletes it; finding one when a
project opens means the app did not close normally, and the user is shown
what it holds before choosing to restore it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from annotator.errors import AnnotatorError
from annotator.model import Project
from annotator.ui import dialogs, settings
from annotator.ui.file_ops import load_project, save_project
from annotator.wording import count

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

UNTITLED_KEY = "untitled"


def recovery_dir() -> Path:
    return settings.data_dir() / "recovery"


def recovery_path(project_path: Path | None) -> Path:
    key = str(Path(project_path).resolve()) if project_path is not None else UNTITLED_KEY
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return recovery_dir() / f"{digest}.xml"


def _meta_path(rec: Path) -> Path:
    return rec.with_suffix(".json")


def _count(project: Project) -> tuple[int, int]:
    return len(project.documents), sum(lay.annotation_count() for lay in project.layers.values())


def describe(rec: Project, saved_at: float, on_disk: Project | None) -> str:
    """What a recovery file holds, and how it differs from the file on disk."""
    docs, anns = _count(rec)
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(saved_at))
    lines = [f"Autosaved {when}: {count(docs, 'document')}, {count(anns, 'annotation')}."]
    if on_disk is not None:
        d_docs, d_anns = _count(on_disk)
        diff_docs, diff_anns = docs - d_docs, anns - d_anns
        if diff_docs or diff_anns:
            lines.append(
                f"The saved file has {count(d_docs, 'document')} and {count(d_anns, 'annotation')} "
                f"({diff_anns:+d} annotations, {diff_docs:+d} documents in the recovered copy)."
            )
        else:
            lines.append(
                f"The saved file has the same counts ({d_docs} documents, {d_anns} annotations); "
                "the recovered copy may hold edits to attributes, notes or text."
            )
    return "\n".join(lines)


class Recovery(QObject):
    """Autosave for one window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.edits_since = 0
        self.last_written: Path | None = None
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.autosave)
        # after N edits, write once the user pauses: a big project takes a moment to
        # serialise and that must not land in the middle of a burst of tagging
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(1500)
        self.idle.timeout.connect(self.autosave)
        self.apply_settings()
        window.session.undo_stack.indexChanged.connect(self._on_edit)

    def apply_settings(self) -> None:
        minutes = settings.autosave_minutes()
        self.every_edits = settings.autosave_edits()
        if minutes > 0:
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    @property
    def path(self) -> Path:
        return recovery_path(self.window.session.path)

    def _on_edit(self, _index: int) -> None:
        self.edits_since += 1
        if self.every_edits and self.edits_since >= self.every_edits:
            self.idle.start()  # restarts on every further edit

    def autosave(self) -> Path | None:
        """Write the recovery copy if there are unsaved changes; return its path."""
        session = self.window.session
        if not session.modified:
            return None
        rec = self.path
        try:
            rec.parent.mkdir(parents=True, exist_ok=True)
            save_project(session.project, rec, None, False)
            meta = {
                "project": str(session.path) if session.path else "",
                "saved_at": time.time(),
            }
            from annotator.formats.atomic import atomic_write_bytes

            atomic_write_bytes(_meta_path(rec), json.dumps(meta).encode("utf-8"))
        except ImportError:
            _meta_path(rec).write_text(json.dumps({"saved_at": time.time()}), encoding="utf-8")
        except (AnnotatorError, OSError) as err:
            self.window.statusBar().showMessage(f"Autosave failed: {err}", 8000)
            return None
        self.edits_since = 0
        self.idle.stop()
        self.last_written = rec
        return rec

    def remove(self) -> None:
        """Forget the recovery copy of the current project (saved or discarded)."""
        rec = self.path
        for p in (rec, _meta_path(rec)):
            with contextlib.suppress(OSError):
                p.unlink(missing_ok=True)
        self.edits_since = 0

    def offer_restore(self, project_path: Path | None, on_disk: Project | None) -> bool:
        """If a recovery copy exists for ``project_path``, describe it and offer to restore."""
        rec = recovery_path(project_path)
        if not rec.is_file():
            return False
        try:
            recovered, _sha = load_project(rec)
        except (AnnotatorError, OSError) as err:
            dialogs.show_error(
                self.window,
                "Recovery file unreadable",
                f"An autosaved copy exists but cannot be read; it is kept at {rec}.",
                str(err),
            )
            return False
        try:
            saved_at = float(json.loads(_meta_path(rec).read_text("utf-8"))["saved_at"])
        except (OSError, ValueError, KeyError, TypeError):
            saved_at = rec.stat().st_mtime
        if not dialogs.ask_restore(self.window, describe(recovered, saved_at, on_disk)):
            self.remove()
            return False
        session = self.window.session
        self.window.set_project(recovered, session.path, session.disk_sha256)
        session.mark_dirty()
        self.window.statusBar().showMessage("Restored unsaved work; save to keep it.", 8000)
        return True
