"""The Overview's filter bar: which layer, which releases (status, country, dates), per what.

It builds the same :class:`annotator.insight.Filter` that ``annotator overview
--layer --status --country --from --to`` builds, so the window and the command
line count the same releases. A date that is no date, or a status the chosen
layer cannot have, is said in one sentence beside the fields; the charts keep
what they showed until the filter makes sense again.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from annotator.errors import AnnotatorError
from annotator.insight.aggregate import Period
from annotator.insight.scope import Filter, default_layer, parse_date
from annotator.model import LayerKind, Project, ReviewStatus, Status

STATUS_CHOICES: tuple[tuple[str, str], ...] = (
    ("", "Any status"),
    (Status.DONE.value, "Done"),
    (Status.IN_PROGRESS.value, "In progress"),
    (Status.NOT_STARTED.value, "Not started"),
    (ReviewStatus.NOT_REVIEWED.value, "Not reviewed"),
    (ReviewStatus.IN_REVIEW.value, "In review"),
    (ReviewStatus.ADJUDICATED.value, "Adjudicated"),
)
_ANNOTATOR_STATUSES = {s.value for s in Status}


class FilterBar(QWidget):
    """Layer, status, country, from, to and period; ``changed`` after each choice."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overviewFilters")
        self.layer = QComboBox(self)
        self.layer.setAccessibleName("Layer counted")
        self.layer.setToolTip("Whose annotations are counted (the curated layer: the team's)")
        self.layer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status = QComboBox(self)
        self.status.setAccessibleName("Release status")
        for value, label in STATUS_CHOICES:
            self.status.addItem(label, value)
        self.country = QComboBox(self)
        self.country.setAccessibleName("Country")
        self.country.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.date_from = QLineEdit(self)
        self.date_to = QLineEdit(self)
        for edit, name in ((self.date_from, "From"), (self.date_to, "To")):
            edit.setPlaceholderText(f"{name}: YYYY-MM")
            edit.setAccessibleName(f"{name} date")
            edit.setToolTip("A year (1998), a month (1998-09) or a day (1998-09-10); inclusive")
            edit.setClearButtonEnabled(True)
            edit.setMaximumWidth(130)
        self.period = QComboBox(self)
        self.period.setAccessibleName("Period of the timeline")
        self.period.addItem("Per month", "month")
        self.period.addItem("Per year", "year")
        self.problem = QLabel(self)
        self.problem.setObjectName("overviewFilterProblem")
        self.problem.setStyleSheet("color: #B00020;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.layer, self.status, self.country):
            row.addWidget(widget)
        row.addWidget(self.date_from)
        row.addWidget(QLabel("–", self))
        row.addWidget(self.date_to)
        row.addWidget(self.period)
        row.addWidget(self.problem, 1)
        row.addStretch(0)
        # typing a date waits for a pause, so "1998-0" on the way to "1998-09" says nothing
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(400)
        self._typing.timeout.connect(self.changed)
        self._project: Project | None = None
        self.layer.currentIndexChanged.connect(self._on_layer)
        for combo in (self.status, self.country, self.period):
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        for edit in (self.date_from, self.date_to):
            edit.textEdited.connect(lambda _t: self._typing.start())
            edit.returnPressed.connect(self._now)
            edit.editingFinished.connect(self._now)

    def _now(self) -> None:
        if self._typing.isActive():
            self._typing.stop()
            self.changed.emit()

    # --- the project's choices ----------------------------------------------------------

    def fill(self, project: Project, user: str) -> None:
        """The project's layers and countries; the choices made stay where they still exist."""
        self._project = project
        layer = self.layer.currentData() or default_layer(project, user)
        country = self.country.currentData() or ""
        with QSignalBlocker(self.layer), QSignalBlocker(self.country):
            self.layer.clear()
            for name, lay in project.layers.items():
                kind = " (curated)" if lay.kind is LayerKind.CURATED else ""
                self.layer.addItem(f"{name}{kind}: {lay.annotation_count():,}", name)
            self.layer.setCurrentIndex(max(0, self.layer.findData(layer)))
            seen: dict[str, str] = {}
            for doc in project.documents.values():
                name = " ".join(doc.meta.country.split())
                if name:
                    seen.setdefault(name.casefold(), name)
            self.country.clear()
            self.country.addItem("All countries", "")
            for key in sorted(seen):
                self.country.addItem(seen[key], seen[key])
            self.country.setCurrentIndex(max(0, self.country.findData(country)))
        self._sync_statuses(project)

    def _on_layer(self, _index: int) -> None:
        if self._project is not None:
            self._sync_statuses(self._project)
        self.changed.emit()

    def _sync_statuses(self, project: Project) -> None:
        """A curated layer has no annotator's progress: those choices are greyed out."""
        name = self.layer.currentData()
        curated = name in project.layers and project.layers[name].kind is LayerKind.CURATED
        model = self.status.model()
        for i in range(self.status.count()):
            item = model.item(i)  # type: ignore[attr-defined]
            off = curated and self.status.itemData(i) in _ANNOTATOR_STATUSES
            item.setEnabled(not off)
        if curated and self.status.currentData() in _ANNOTATOR_STATUSES:
            with QSignalBlocker(self.status):
                self.status.setCurrentIndex(0)

    # --- the question --------------------------------------------------------------------

    def current(self) -> tuple[Filter, Period] | None:
        """The filter and period chosen, or None (with the problem said) if one is wrong."""
        try:
            start = self.date_from.text().strip()
            end = self.date_to.text().strip()
            flt = Filter(
                layer=self.layer.currentData() or None,
                status=self.status.currentData() or "",
                country=self.country.currentData() or "",
                date_from=parse_date(start) if start else None,
                date_to=parse_date(end, end=True) if end else None,
            )
        except AnnotatorError as err:
            self.say(str(err))
            return None
        self.say("")
        period: Period = "year" if self.period.currentData() == "year" else "month"
        return flt, period

    def say(self, problem: str) -> None:
        self.problem.setText(problem[:1].upper() + problem[1:] if problem else "")
        self.problem.setVisible(bool(problem))

    def set_period(self, period: Period) -> None:
        with QSignalBlocker(self.period):
            self.period.setCurrentIndex(max(0, self.period.findData(period)))


__all__ = ["STATUS_CHOICES", "FilterBar"]
