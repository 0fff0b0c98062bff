"""How the UI's parts speak to the user: one error dialog, one info dialog, the status bar.

The panels, dialogs and modes are handed a :class:`Notifier` rather than the main
window, so they need nothing else of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtWidgets import QStatusBar, QWidget

from annotator.errors import AnnotatorError
from annotator.ui import dialogs

if TYPE_CHECKING:
    from annotator.progress import Progress
    from annotator.ui.jobs import JobRunner

T = TypeVar("T")

#: what the user can act on; every other exception is a programming error
USER_ERRORS = (AnnotatorError, OSError)


class Notifier:
    def __init__(self, parent: QWidget, status_bar: QStatusBar) -> None:
        self.parent = parent
        self._status_bar = status_bar
        self._jobs: JobRunner | None = None

    def show_error(self, err: BaseException, title: str = "") -> None:
        """One clear dialog; user errors show their one-sentence message."""
        if isinstance(err, AnnotatorError):
            message, details = str(err), ""
        elif isinstance(err, OSError):
            where = f"{err.filename}: " if err.filename else ""
            message, details = f"{where}{err.strerror or err}", ""
        else:
            message, details = str(err) or type(err).__name__, repr(err)
        dialogs.show_error(self.parent, title or "Annotator", message, details)

    def show_info(self, title: str, message: str, details: str = "") -> None:
        dialogs.show_info(self.parent, title, message, details)

    def status(self, message: str, timeout_ms: int = 4000) -> None:
        self._status_bar.showMessage(message, timeout_ms)

    def run(self, job: Callable[[], T], title: str = "") -> T | None:
        """Run one command from the UI under the one error rule; None if it was refused.

        A user error (:class:`AnnotatorError`: bad input, a refused edit, a file
        changed on disk; or an ``OSError``: a full disk, a folder without write
        permission) is shown as one message and the window keeps what it had.
        Anything else is a bug: it propagates, to the log and the tests.
        """
        try:
            return job()
        except USER_ERRORS as err:
            self.show_error(err, title)
            return None

    @property
    def jobs(self) -> JobRunner:
        """The window's one runner of long jobs (see :mod:`annotator.ui.jobs`)."""
        if self._jobs is None:
            from annotator.ui.jobs import JobRunner

            self._jobs = JobRunner(self)
        return self._jobs

    def run_job(
        self,
        work: Callable[[Progress], T],
        *,
        title: str,
        error_title: str = "",
        over: QWidget | None = None,
    ) -> T | None:
        """Run a long job on a worker thread with a progress dialog and Cancel.

        Its result; None if it was cancelled or refused (shown under :meth:`run`'s rule).
        ``over`` is the dialog the job belongs to (default: the window).
        """
        return self.jobs.run(work, title=title, error_title=error_title, over=over)
