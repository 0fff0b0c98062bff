"""The annotations behind one bar of the overview: from a count back to the text.

A coordinator who sees "Arrested: 212" wants to read those 212 victims. Given
the chart's id (as :mod:`.aggregate` names them) and a bar's key,
:func:`behind` lists exactly the annotations that bar counts, in project order,
so a list of them has as many rows as the bar says.
"""

from __future__ import annotations

from collections.abc import Callable

from annotator.errors import OverviewError
from annotator.insight.aggregate import NOT_RECORDED, Period, attr_values, period_key
from annotator.insight.scope import Scope, release_date
from annotator.model import Annotation, Document

#: the prefix of a most-frequent table's id: ``frequent:TAG``
FREQUENT = "frequent:"

Test = Callable[[Document, Annotation], bool]


def _folded(doc: Document, ann: Annotation) -> str:
    frags = ann.fragments
    raw = doc.text[frags[0].start : frags[0].end] if len(frags) == 1 else ann.covered_text(doc.text)
    return " ".join(raw.split()).casefold()


def _test(scope: Scope, chart_id: str, key: str) -> Test:
    """What an annotation must be to count in the bar ``key`` of chart ``chart_id``."""
    tagset = scope.project.tagset
    if chart_id == "tag":
        return lambda _doc, ann: ann.tag == key
    if chart_id == "country":
        return lambda doc, _ann: " ".join(doc.meta.country.split()).casefold() == key
    if chart_id.startswith(FREQUENT):
        tag = chart_id[len(FREQUENT) :]
        return lambda doc, ann: ann.tag == tag and _folded(doc, ann) == key
    tag, _, rest = chart_id.partition(".")
    if rest.startswith("per-") and rest[4:] in ("month", "year"):
        period: Period = "month" if rest[4:] == "month" else "year"

        def in_period(doc: Document, ann: Annotation) -> bool:
            if ann.tag != tag:
                return False
            when = release_date(doc)
            return (period_key(when, period) if when else NOT_RECORDED) == key

        return in_period
    if tagset.has_tag(tag) and rest:
        tagset.tag(tag).attribute(rest)  # UnknownAttribute: one sentence

        def has_value(_doc: Document, ann: Annotation) -> bool:
            if ann.tag != tag:
                return False
            # as the chart counts it: once under each value, or under NOT_RECORDED
            return key in (set(attr_values(ann.attributes.get(rest))) or {NOT_RECORDED})

        return has_value
    raise OverviewError(f"the overview has no chart {chart_id!r}")


def behind(scope: Scope, chart_id: str, key: str) -> list[tuple[str, str]]:
    """(release id, annotation id) of every annotation the bar counts, in project order."""
    test = _test(scope, chart_id, key)
    out: list[tuple[str, str]] = []
    for doc in scope.documents:
        for ann in scope.annotations(doc.id).annotations.values():
            if test(doc, ann):
                out.append((doc.id, ann.id))
    return out


__all__ = ["FREQUENT", "behind"]
