"""How far the team is: releases per annotator done, in progress or not started, and reviewed.

A coordinator asks "who still has releases to do, and how many are adjudicated?":
:func:`progress` answers it for a list of releases (the whole project, or the
releases an overview's filter chose). ``annotator stats``, ``annotator
overview`` and the desktop app's Progress page all count with it, so they
agree. Every annotator and every status appears, with 0 where nothing was
counted, so tables, JSON and charts keep one shape for every project.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from annotator.model import Document, LayerKind, Project, ReviewStatus, Status
from annotator.review.conflicts import is_theirs_layer

#: The annotator's statuses in the order a bar stacks them: finished work first.
STATUSES: tuple[Status, ...] = (Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED)
REVIEW_STATUSES: tuple[ReviewStatus, ...] = (
    ReviewStatus.ADJUDICATED,
    ReviewStatus.IN_REVIEW,
    ReviewStatus.NOT_REVIEWED,
)

STATUS_LABELS = {
    Status.DONE: "Done",
    Status.IN_PROGRESS: "In progress",
    Status.NOT_STARTED: "Not started",
    ReviewStatus.ADJUDICATED: "Adjudicated",
    ReviewStatus.IN_REVIEW: "In review",
    ReviewStatus.NOT_REVIEWED: "Not reviewed",
}


@dataclass(frozen=True)
class AnnotatorProgress:
    """One annotator's releases by status (they add up to the releases counted)."""

    annotator: str
    done: int
    in_progress: int
    not_started: int

    @property
    def total(self) -> int:
        return self.done + self.in_progress + self.not_started

    def count(self, status: Status) -> int:
        return {
            Status.DONE: self.done,
            Status.IN_PROGRESS: self.in_progress,
            Status.NOT_STARTED: self.not_started,
        }[status]


@dataclass(frozen=True)
class Progress:
    """The releases counted, each annotator's progress on them, and their review status."""

    releases: int
    annotators: tuple[AnnotatorProgress, ...]
    #: review status value -> releases, every value present (``ReviewStatus`` order)
    review: dict[str, int]

    def of(self, annotator: str) -> AnnotatorProgress:
        for row in self.annotators:
            if row.annotator == annotator:
                return row
        raise KeyError(annotator)

    def as_dict(self) -> dict[str, Any]:
        return {
            "releases": self.releases,
            "annotators": {
                row.annotator: {s.value: row.count(s) for s in Status} for row in self.annotators
            },
            "review": dict(self.review),
        }


def annotators_of(project: Project) -> list[str]:
    """Everyone whose progress counts: each annotator's layer, and anyone who set a
    status on a release (even without a layer yet), sorted by name. A ``NAME~theirs``
    layer holds a colleague's side of merge conflicts: no annotator of its own."""
    return sorted(
        {
            n
            for n, layer in project.layers.items()
            if layer.kind == LayerKind.ANNOTATOR and not is_theirs_layer(n)
        }
        | {a for doc in project.documents.values() for a in doc.status}
    )


def progress(
    project: Project,
    documents: Iterable[Document] | None = None,
    annotators: Iterable[str] | None = None,
) -> Progress:
    """Progress on ``documents`` (default: every release) of ``annotators`` (default:
    :func:`annotators_of`). A release an annotator never touched is not started."""
    docs = list(project.documents.values() if documents is None else documents)
    names = annotators_of(project) if annotators is None else list(annotators)
    rows = []
    for name in names:
        counts = dict.fromkeys(Status, 0)
        for doc in docs:
            counts[doc.status.get(name, Status.NOT_STARTED)] += 1
        rows.append(
            AnnotatorProgress(
                name, counts[Status.DONE], counts[Status.IN_PROGRESS], counts[Status.NOT_STARTED]
            )
        )
    review = {s.value: 0 for s in ReviewStatus}
    for doc in docs:
        review[doc.review_status.value] += 1
    return Progress(len(docs), tuple(rows), review)


# --- written out: the overview's text, CSV and HTML sections -----------------------


def table_rows(p: Progress) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of the progress table: one row per annotator, then the review."""
    header = ["annotator", *(STATUS_LABELS[s].lower() for s in STATUSES), "releases"]
    rows = [[r.annotator, *(str(r.count(s)) for s in STATUSES), str(r.total)] for r in p.annotators]
    return header, rows


def review_words(p: Progress) -> str:
    """ "adjudicated 1, in review 0, not reviewed 3"."""
    return ", ".join(f"{STATUS_LABELS[rs].lower()} {p.review[rs.value]}" for rs in REVIEW_STATUSES)


def csv_rows(p: Progress) -> list[list[str | int]]:
    """Rows for the overview's long CSV (chart, key, label, count, releases): one per
    annotator and status (chart ``progress.NAME``), one per review status."""
    out: list[list[str | int]] = []
    for r in p.annotators:
        for s in STATUSES:
            out.append([f"progress.{r.annotator}", s.value, STATUS_LABELS[s], r.count(s), ""])
    for rs in REVIEW_STATUSES:
        out.append(["review", rs.value, STATUS_LABELS[rs], p.review[rs.value], ""])
    return out
