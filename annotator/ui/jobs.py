"""Long jobs in the window: a worker thread, a progress dialog with a count and Cancel.

Importing a folder, suggesting over the whole project, exporting a large project
and building the overview take seconds to minutes. :class:`JobRunner` runs such
a job, a function of a :class:`~annotator.progress.Progress`, on a worker
thread, and keeps the window answering meanwhile: it paints, resizes and shows
the dialog, while a nested event loop waits for the job (so the caller gets the
result as a plain return value, as Save does).

The rules that keep the project safe:

* the job only *reads*: callers hand it a snapshot of the project
  (:func:`annotator.model.snapshot.snapshot`), and it returns a plan (a command,
  a report); the caller applies the plan on the UI thread as one undoable step.
  Nothing in the core is changed off the UI thread;
* while the job runs the user cannot edit: keys and clicks meant for the window
  are held back (the dialog takes them once shown) and closing the window waits;
* **Cancel** sets the job's token; the job stops between two steps with
  :class:`~annotator.errors.Cancelled`, its plan is dropped, and the status bar
  says that nothing was changed;
* an error of the job is shown through the one error rule (``Notifier.run``):
  one dialog for a user error, a bug propagates as a bug.

A job that ends within :data:`SHOW_AFTER_MS` never shows its dialog, so a small
import does not flash one. :class:`Job` alone (no dialog, no waiting) serves a
panel that shows its own bar, such as the Overview.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import Cancelled
from annotator.progress import CancelToken, Progress, Step

if TYPE_CHECKING:
    from annotator.ui.notifier import Notifier

T = TypeVar("T")

#: a job that ends sooner shows no dialog at all
SHOW_AFTER_MS = 300
#: how often the UI thread looks at the job's progress
POLL_MS = 40

#: what the user does to the window while a job runs: held back until it ends
_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.Shortcut,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.ContextMenu,
        QEvent.Type.Drop,
    }
)


class Job(QObject, Generic[T]):
    """One job on a worker thread, watched from the UI thread.

    ``progressed(Step)`` fires (on the UI thread) when the job reports a new step;
    ``ended()`` once it is over, with :attr:`result` or :attr:`error` set.
    """

    progressed = Signal(object)
    ended = Signal()

    def __init__(self, work: Callable[[Progress], T], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.token = CancelToken()
        self.progress = Progress(token=self.token)
        self.result: T | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="annotator-job", daemon=True)
        self._shown: Step | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._look)
        self.over = False

    def start(self) -> None:
        # As Save does: the project's many objects leave the collector's reach, so a
        # full collection set off by the worker's allocations does not walk them all
        # while holding the interpreter (a pause of the window on a large project).
        gc.freeze()
        self._thread.start()
        self._poll.start()

    def cancel(self) -> None:
        """Ask the job to stop at its next step (it says so with :class:`Cancelled`)."""
        self.token.cancel()

    @property
    def cancelled(self) -> bool:
        return isinstance(self.error, Cancelled)

    def _run(self) -> None:  # on the worker thread: nothing here touches Qt
        try:
            self.result = self.work(self.progress)
        except BaseException as err:  # handed to the UI thread
            self.error = err

    def _look(self) -> None:
        step = self.progress.latest
        if step is not None and step is not self._shown:
            self._shown = step
            self.progressed.emit(step)
        if not self._thread.is_alive() and not self.over:
            self._thread.join()
            self._poll.stop()
            self.over = True
            self.ended.emit()


class JobDialog(QDialog):
    """What a running job shows: the phase, a bar with "312 of 1,200 files", Cancel."""

    def __init__(self, title: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("jobDialog")
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        # the job's name heads the dialog: not every desktop draws a title bar
        self.heading = QLabel(title)
        self.heading.setObjectName("jobTitle")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.label = QLabel("Starting…")
        self.label.setObjectName("jobLabel")
        self.bar = QProgressBar()
        self.bar.setObjectName("jobBar")
        self.bar.setRange(0, 0)  # busy until the first count arrives
        self.bar.setTextVisible(True)
        self.bar.setMinimumWidth(360)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("jobCancel")
        self.cancel_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        #: the dialog was on screen at some point (a short job never shows it)
        self.was_shown = False

    def show_step(self, step: Step) -> None:
        self.label.setText(f"{step.label}…")
        if step.total is None:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, max(step.total, 1))
            self.bar.setValue(min(step.done, max(step.total, 1)))
        self.bar.setFormat(step.count_text.replace("%", "%%"))

    def cancelling(self) -> None:
        self.label.setText("Cancelling…")
        self.cancel_button.setEnabled(False)

    def showEvent(self, event) -> None:
        self.was_shown = True
        super().showEvent(event)

    def reject(self) -> None:
        """Esc or the title bar's close: the same as Cancel (the job decides when it ends)."""
        if self.cancel_button.isEnabled():
            self.cancel_button.click()


class _InputGuard(QObject):
    """Holds back the window's keys and clicks (and its closing) while a job runs."""

    def __init__(self, window: QWidget, dialog: JobDialog) -> None:
        # no Qt parent: owned by JobRunner.run alone and gone when it returns (as the
        # job dialog's child, deleting that dialog later crashed in Qt's child cleanup)
        super().__init__()
        self.window = window
        self.dialog = dialog

    def _in_dialog(self, obj: QObject) -> bool:
        if isinstance(obj, QWidget):
            return obj.window() is self.dialog
        return obj is self.dialog.windowHandle()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Close and obj is self.window:
            event.ignore()  # the window stays until the job has ended
            return True
        return kind in _INPUT and not self._in_dialog(obj)


class JobRunner:
    """Runs one long job at a time for a window (see the module docstring)."""

    def __init__(self, notifier: Notifier) -> None:
        self.notifier = notifier
        self.parent: QWidget = notifier.parent
        #: the dialog of the job now running (the tests press its Cancel button)
        self.dialog: JobDialog | None = None
        self.job: Job[object] | None = None
        self.show_after_ms = SHOW_AFTER_MS
        #: whether the last job's dialog came on screen (a short job's never does)
        self.last_dialog_shown = False

    @property
    def busy(self) -> bool:
        return self.job is not None

    def run(
        self,
        work: Callable[[Progress], T],
        *,
        title: str,
        error_title: str = "",
        over: QWidget | None = None,
    ) -> T | None:
        """Run ``work(progress)`` on a worker thread and wait for it, the window live.

        Returns its result; None if it was cancelled (said in the status bar) or
        failed (said in one dialog, under the notifier's one error rule). ``over``
        is the window the job belongs to when it is not the main window (a dialog).
        """
        if self.job is not None:
            self.notifier.status("Another long job is running; wait for it or cancel it.")
            return None
        owner = over if over is not None else self.parent
        job: Job[T] = Job(work, owner)
        dialog = JobDialog(title, owner)
        guard = _InputGuard(owner.window(), dialog)
        app = QApplication.instance()
        loop = QEventLoop()
        job.progressed.connect(dialog.show_step)
        job.ended.connect(loop.quit)

        def cancel() -> None:
            dialog.cancelling()
            job.cancel()

        dialog.cancel_button.clicked.connect(cancel)
        self.job, self.dialog = job, dialog  # type: ignore[assignment]
        if app is not None:
            app.installEventFilter(guard)
        try:
            # a timer the dialog owns: it goes with the dialog, never fires after it
            show = QTimer(dialog)
            show.setSingleShot(True)
            show.timeout.connect(lambda: _show(job, dialog))
            show.start(self.show_after_ms)
            job.start()
            if not job.over:
                loop.exec()
        finally:
            if app is not None:
                app.removeEventFilter(guard)
            self.job = self.dialog = None
            dialog.hide()
            dialog.deleteLater()
            job.deleteLater()
        self.last_dialog_shown = dialog.was_shown
        if job.cancelled:
            self.notifier.status(f"{title} cancelled; nothing was changed.", 6000)
            return None
        error = job.error
        if error is not None:
            return self.notifier.run(lambda: _raise(error), title=error_title or title)
        return job.result


def start_job(
    work: Callable[[Progress], T],
    parent: QObject,
    *,
    done: Callable[[T], None],
    progressed: Callable[[Step], None] | None = None,
    notifier: Notifier | None = None,
    error_title: str = "",
) -> Job[T]:
    """Start ``work`` on a worker without waiting: for a panel that shows its own bar.

    The Overview builds its charts this way: ``work`` reads a snapshot, ``done``
    gets the result on the UI thread, ``progressed`` each new :class:`Step`.
    ``job.cancel()`` (a new filter, the panel closed) drops the job: ``done`` is
    not called. An error goes through ``notifier`` (the one error rule) when given,
    else propagates on the UI thread.
    """
    job: Job[T] = Job(work, parent)
    if progressed is not None:
        job.progressed.connect(progressed)

    def ended() -> None:
        job.deleteLater()
        if job.cancelled or job.token.cancelled:
            return
        error = job.error
        if error is None:
            done(job.result)  # type: ignore[arg-type]
        elif notifier is not None:
            notifier.run(lambda: _raise(error), title=error_title)
        else:
            raise error

    job.ended.connect(ended)
    job.start()
    return job


def _show(job: Job[T], dialog: JobDialog) -> None:
    if not job.over:
        dialog.show()


def _raise(error: BaseException) -> None:
    raise error


__all__ = ["SHOW_AFTER_MS", "Job", "JobDialog", "JobRunner", "start_job"]
