"""The first count of a large project, off the UI thread, with a bar and Cancel.

The Overview answers every later question from an index of per-release counts
(:class:`~annotator.insight.index.OverviewIndex`). Building it reads every
annotation once: half a second on 10,000 releases, more on a slow machine. On a
project that large the count runs as a long job on a snapshot, so the window
stays usable; the charts page shows the count's progress in a strip above the
charts, with Cancel. A cancelled count leaves the charts empty and says so; the
next filter change or opening of the panel starts it again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from annotator.insight.index import OverviewIndex
from annotator.model import Project
from annotator.model.snapshot import snapshot
from annotator.progress import Progress, Step
from annotator.ui.jobs import Job, start_job
from annotator.ui.notifier import Notifier

#: from this many releases on, the first count runs as a job (below, it is too quick
#: for a bar to be worth showing)
COUNT_IN_BACKGROUND_FROM = 2_000


class CountingStrip(QWidget):
    """ "Counting releases… 3,000 of 10,000 [bar] [Cancel]", shown while the job runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overviewCounting")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel("Counting releases…", self)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(320)
        self.cancel = QPushButton("Cancel", self)
        self.cancel.setObjectName("overviewCountingCancel")
        row.addWidget(self.label)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel)
        row.addStretch(1)
        self.hide()

    def show_step(self, step: Step) -> None:
        self.label.setText(f"{step.label}… {step.count_text}")
        fraction = step.fraction
        if fraction is None:
            self.bar.setRange(0, 0)  # busy
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(fraction * 1000))


class FirstCount:
    """Runs the first count of ``project`` for ``layer`` and hands the index over."""

    def __init__(self, page: QWidget, strip: CountingStrip, notifier: Notifier | None) -> None:
        self.page = page
        self.strip = strip
        self.notifier = notifier
        self.job: Job[OverviewIndex] | None = None
        strip.cancel.clicked.connect(self.cancel)

    @property
    def running(self) -> bool:
        return self.job is not None

    def start(
        self, project: Project, layer: str | None, done: Callable[[OverviewIndex], None]
    ) -> None:
        """Count ``layer`` (None: nothing to count) on a snapshot of ``project``."""
        self.cancel()
        frozen = snapshot(project)  # on the UI thread: edits after it are counted later

        def work(progress: Progress) -> OverviewIndex:
            index = OverviewIndex(frozen)
            if layer is not None:
                index.warm(layer, progress)
            return index

        def finished(index: OverviewIndex) -> None:
            self.job = None
            self.strip.hide()
            index.follow(project)
            done(index)

        self.strip.show_step(Step("Counting releases", 0, len(frozen.documents), "release"))
        self.strip.show()
        self.job = start_job(
            work,
            self.page,
            done=finished,
            progressed=self.strip.show_step,
            notifier=self.notifier,
            error_title="Overview",
        )

    def cancel(self) -> None:
        """Stop a count under way (its result is dropped): Cancel, or a new project."""
        if self.job is not None:
            self.job.cancel()
            self.job = None
        self.strip.hide()
