"""Which releases an overview counts: one layer, filtered by status, country and date.

A coordinator asks "what did we find in Cambodia last year, in the releases that
are done?": :class:`Filter` holds that question and :func:`select` answers it
with a :class:`Scope` (the layer and the releases that pass). The CLI and the
GUI build the same filter, so both count the same releases.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from annotator.errors import OverviewError
from annotator.insight.index import OverviewIndex, ReleaseCounts, Totals
from annotator.interchange.common import choose_layer
from annotator.model import (
    Annotation,
    Document,
    DocumentAnnotations,
    LayerKind,
    Project,
    ReviewStatus,
    Status,
)

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")

#: Every value ``--status`` takes: an annotator's progress or the review status.
STATUS_VALUES = tuple(s.value for s in Status) + tuple(s.value for s in ReviewStatus)


def parse_date(value: str, *, end: bool = False) -> dt.date:
    """``2024``, ``2024-03`` or ``2024-03-09`` as the first (or, with ``end``, last) day."""
    m = _DATE.fullmatch(value.strip())
    if m is None:
        raise OverviewError(f"{value!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day is not None:
            return dt.date(year, int(month), int(day))
        if month is not None:
            first = dt.date(year, int(month), 1)
            if not end:
                return first
            following = dt.date(year + (first.month == 12), first.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    except ValueError:
        raise OverviewError(f"{value!r} is not a date of the calendar") from None


def release_date(doc: Document) -> dt.date | None:
    """The release's own date (ISO in the metadata), or None when it has none."""
    try:
        return dt.date.fromisoformat(doc.meta.date.strip()) if doc.meta.date else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Filter:
    """What to count. Empty fields mean "no restriction".

    ``status`` is an annotator's progress (``done``, ``in-progress``,
    ``not-started``: of the chosen layer's annotator) or a review status
    (``adjudicated``...). ``country`` matches the release's country, case
    folded. ``date_from`` and ``date_to`` are inclusive; a release without a
    date is left out as soon as either is given.
    """

    layer: str | None = None
    status: str = ""
    country: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass
class Scope:
    """The project, the layer counted and the releases that pass the filter.

    A scope is a snapshot of one question: build a new one (with :func:`select`)
    after the project changes, because :meth:`by_tag` and :meth:`release_counts`
    are computed once. The counts per release come from ``index``, which a caller
    asking many questions of one project (the Overview panel) passes to every
    :func:`select`, so only releases changed since the last question are counted.
    """

    project: Project
    layer: str
    documents: list[Document]
    index: OverviewIndex | None = None
    _by_tag: dict[str, list[tuple[Document, Annotation]]] | None = field(
        default=None, init=False, repr=False
    )
    _counts: list[tuple[Document, ReleaseCounts]] | None = field(
        default=None, init=False, repr=False
    )
    _totals: Totals | None = field(default=None, init=False, repr=False)

    def release_counts(self) -> list[tuple[Document, ReleaseCounts]]:
        """(release, its counts) for every release in the scope, in project order."""
        if self._counts is None:
            if self.index is None:
                self.index = OverviewIndex(self.project)
            counts = self.index.counts_of(self.layer, self.documents)
            self._counts = list(zip(self.documents, counts, strict=True))
        return self._counts

    def totals(self) -> Totals:
        """Every release's counts summed, once for every chart (read, never change)."""
        if self._totals is None:
            if self.index is None:
                self.index = OverviewIndex(self.project)
            self._totals = self.index.totals(self.layer, self.documents)
        return self._totals

    def value_totals(self) -> dict[tuple[str, str, str], int]:
        """(tag, attribute, value) -> annotations over the scope."""
        summed = self.totals().values
        assert self.index is not None  # totals() made it
        keys = self.index.values.key
        return {keys[code]: n for code, n in summed.items() if n}

    def by_tag(self) -> dict[str, list[tuple[Document, Annotation]]]:
        """{tag: [(release, annotation)...]} in release order: one walk for every chart."""
        if self._by_tag is None:
            out: dict[str, list[tuple[Document, Annotation]]] = {}
            layer = self.project.layers.get(self.layer)
            docs = layer.docs if layer is not None else {}
            for doc in self.documents:
                da = docs.get(doc.id)
                if da is None:
                    continue
                for ann in da.annotations.values():
                    bucket = out.get(ann.tag)
                    if bucket is None:
                        bucket = out[ann.tag] = []
                    bucket.append((doc, ann))
            self._by_tag = out
        return self._by_tag

    def annotations(self, doc_id: str) -> DocumentAnnotations:
        layer = self.project.layers.get(self.layer)
        if layer is None:
            return DocumentAnnotations()
        return layer.docs.get(doc_id) or DocumentAnnotations()


def default_layer(project: Project, user: str = "") -> str:
    """The layer a coordinator asks about first: the curated one, else the one with the
    most annotations (``user``'s own on a tie), else ``user``'s."""
    layers = project.layers
    for name, layer in layers.items():
        if layer.kind is LayerKind.CURATED:
            return name
    if not layers:
        return user
    return max(layers, key=lambda n: (layers[n].annotation_count(), n == user))


def _status_test(project: Project, layer: str, status: str) -> tuple[str, str]:
    """("review" | "annotator", value) after checking ``status`` means something here."""
    value = status.strip().lower()
    if value in {s.value for s in ReviewStatus}:
        return "review", value
    if value not in {s.value for s in Status}:
        raise OverviewError(
            f"{status!r} is not a release status (one of: {', '.join(STATUS_VALUES)})"
        )
    kind = project.layers[layer].kind if layer in project.layers else LayerKind.ANNOTATOR
    if kind is LayerKind.CURATED:
        raise OverviewError(
            f"the curated layer {layer!r} has no annotator's status {value!r}; filter it by a "
            f"review status ({', '.join(s.value for s in ReviewStatus)})"
        )
    return "annotator", value


def select(project: Project, flt: Filter, index: OverviewIndex | None = None) -> Scope:
    """The releases of ``project`` that pass ``flt``, in project order.

    ``index`` (of the same project) keeps the counts per release between calls.
    """
    layer = choose_layer(project, flt.layer)
    if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
        raise OverviewError(
            f"the date range is empty: {flt.date_from.isoformat()} is after "
            f"{flt.date_to.isoformat()}"
        )
    status = _status_test(project, layer, flt.status) if flt.status.strip() else None
    country = flt.country.strip().casefold()
    docs = []
    for doc in project.documents.values():
        if status is not None:
            kind, value = status
            got = doc.review_status.value if kind == "review" else doc.status_of(layer).value
            if got != value:
                continue
        if country and doc.meta.country.strip().casefold() != country:
            continue
        if flt.date_from or flt.date_to:
            when = release_date(doc)
            if when is None:
                continue
            if (flt.date_from and when < flt.date_from) or (flt.date_to and when > flt.date_to):
                continue
        docs.append(doc)
    return Scope(project, layer, docs, index if index is not None else OverviewIndex(project))
