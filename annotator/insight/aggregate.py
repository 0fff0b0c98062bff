"""Counts over a :class:`~annotator.insight.scope.Scope`: plain data for tables and charts.

Nothing here knows the sample tag set: tags, attributes, value labels and
colours come from the project's tag set, so a team with its own tags gets the
same overview. :func:`overview` gathers one chart per tag, per closed attribute,
per country and per period, and the most frequent phrases of chosen tags.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from annotator.insight import progress as team_progress
from annotator.insight.progress import Progress
from annotator.insight.scope import Scope, release_date
from annotator.model import AttrValue, TagSet
from annotator.progress import Progress as JobProgress
from annotator.wording import plural

Period = Literal["month", "year"]

#: The bar of annotations whose attribute nobody set (and of releases without a
#: country or date): counted, so totals add up, and labelled so nobody reads it as a value.
NOT_RECORDED = ""
NOT_RECORDED_LABEL = "Not recorded"

_SPACE = re.compile(r"\s+")

#: the colour of bars that belong to no tag (countries, every tag at once)
NEUTRAL_COLOR = "#777777"


@dataclass(frozen=True)
class Bar:
    """One bar: a key (value name, country, period), its label and its count."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Chart:
    """One aggregation: ``id`` is stable (``tag``, ``appeal.action``, ``country``...)."""

    id: str
    title: str
    unit: str
    color: str
    bars: tuple[Bar, ...]
    #: the tag whose annotations each bar counts ("" for the chart of all tags)
    tag: str = ""
    attribute: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "unit": self.unit,
            "tag": self.tag,
            "attribute": self.attribute,
            "color": self.color,
            "bars": [{"key": b.key, "label": b.label, "count": b.count} for b in self.bars],
        }


@dataclass(frozen=True)
class Frequent:
    """A phrase as the team marked it, case and white space folded."""

    key: str
    text: str
    count: int
    releases: int


@dataclass(frozen=True)
class FrequentTable:
    tag: str
    title: str
    color: str
    rows: tuple[Frequent, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "tag": self.tag,
            "title": self.title,
            "rows": [
                {"key": r.key, "text": r.text, "annotations": r.count, "releases": r.releases}
                for r in self.rows
            ],
        }


@dataclass
class Overview:
    project: str
    layer: str
    releases: int
    annotations: int
    charts: list[Chart] = field(default_factory=list)
    frequent: list[FrequentTable] = field(default_factory=list)
    filter: dict[str, str] = field(default_factory=dict)
    #: each annotator's releases done, in progress, not started, and the review status
    progress: Progress | None = None

    def chart(self, chart_id: str) -> Chart:
        for c in self.charts:
            if c.id == chart_id:
                return c
        raise KeyError(chart_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "layer": self.layer,
            "filter": self.filter,
            "releases": self.releases,
            "annotations": self.annotations,
            "charts": [c.as_dict() for c in self.charts],
            "frequent": [f.as_dict() for f in self.frequent],
            "progress": self.progress.as_dict() if self.progress is not None else None,
        }


def _tag_label(tagset: TagSet, tag: str) -> str:
    return tagset.tag(tag).label if tagset.has_tag(tag) else tag


def _tag_color(tagset: TagSet, tag: str) -> str:
    return tagset.tag(tag).color if tagset.has_tag(tag) else NEUTRAL_COLOR


def tag_counts(scope: Scope) -> Chart:
    """Annotations per tag, in tag-set order, every tag shown (0 too); unknown tags after."""
    tagset = scope.project.tagset
    counts = +scope.totals().tags  # a tag whose last annotation went is no unknown tag
    names = [t.name for t in tagset.tags] + sorted(set(counts) - {t.name for t in tagset.tags})
    bars = tuple(Bar(n, _tag_label(tagset, n), counts[n]) for n in names)
    return Chart("tag", "Annotations per tag", "annotations", NEUTRAL_COLOR, bars)


def attr_values(value: AttrValue | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def attribute_counts(scope: Scope, tag: str, attribute: str) -> Chart:
    """Annotations of ``tag`` by each value of ``attribute``.

    A multi-valued attribute counts an annotation once under each of its values
    (an appeal to release and investigate is one "Release" and one
    "Investigate"), so the bars may add up to more than the annotations.
    Closed values appear in the tag set's order, 0 included; values outside the
    list follow, then :data:`NOT_RECORDED` when any annotation lacks the attribute.
    """
    tagset = scope.project.tagset
    tt = tagset.tag(tag)  # UnknownTag: one sentence
    attr = tt.attribute(attribute)  # UnknownAttribute
    counts: Counter[str] = Counter()
    for (t, a, v), n in scope.value_totals().items():
        if t == tag and a == attribute:
            counts[v] += n
    known = list(attr.values)
    extra = sorted(set(counts) - set(known) - {NOT_RECORDED})
    bars = [Bar(v, attr.label_of(v), counts[v]) for v in (*known, *extra)]
    if counts[NOT_RECORDED]:
        bars.append(Bar(NOT_RECORDED, NOT_RECORDED_LABEL, counts[NOT_RECORDED]))
    title = f"{tt.label} by {(attr.label or attr.name).lower()}"
    unit = plural(tt.label.lower())
    return Chart(
        f"{tag}.{attribute}", title, unit, tt.color, tuple(bars), tag=tag, attribute=attribute
    )


def country_counts(scope: Scope) -> Chart:
    """Annotations per release country, most first (releases without one last)."""
    counts: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for doc, rc in scope.release_counts():
        country = " ".join(doc.meta.country.split())
        key = country.casefold()
        labels.setdefault(key, country or NOT_RECORDED_LABEL)
        counts[key] += rc.total
    order = sorted((k for k in counts if k), key=lambda k: (-counts[k], k))
    if NOT_RECORDED in counts:
        order.append(NOT_RECORDED)
    bars = tuple(Bar(k, labels[k], counts[k]) for k in order)
    return Chart("country", "Annotations per country", "annotations", NEUTRAL_COLOR, bars)


def period_key(when: Any, period: Period) -> str:
    return f"{when.year:04d}" if period == "year" else f"{when.year:04d}-{when.month:02d}"


def _periods(first: str, last: str, period: Period) -> list[str]:
    """Every period from ``first`` to ``last``: a gap is a 0 bar, not a missing one."""
    if period == "year":
        return [f"{y:04d}" for y in range(int(first), int(last) + 1)]
    y, m = int(first[:4]), int(first[5:])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def over_time(scope: Scope, tag: str, period: Period = "month") -> Chart:
    """Annotations of ``tag`` by their release's date, per month or year.

    Periods run without gaps from the first to the last that has any; the
    annotations of releases without a date form a last :data:`NOT_RECORDED` bar.
    """
    tagset = scope.project.tagset
    tt = tagset.tag(tag)
    counts: Counter[str] = Counter()
    for doc, rc in scope.release_counts():
        n = rc.tags.get(tag, 0)
        if not n:
            continue
        when = release_date(doc)
        counts[period_key(when, period) if when else NOT_RECORDED] += n
    dated = sorted(k for k in counts if k)
    keys = _periods(dated[0], dated[-1], period) if dated else []
    bars = [Bar(k, k, counts[k]) for k in keys]
    if counts[NOT_RECORDED]:
        bars.append(Bar(NOT_RECORDED, "No date", counts[NOT_RECORDED]))
    title = f"{plural(tt.label)} per {period}"
    return Chart(
        f"{tag}.per-{period}", title, plural(tt.label.lower()), tt.color, tuple(bars), tag=tag
    )


def normalise(text: str) -> str:
    """Case and white space folded: "Security  Forces" and "security forces" are one."""
    return _SPACE.sub(" ", text).strip().casefold()


def most_frequent(scope: Scope, tag: str, limit: int = 10) -> FrequentTable:
    """The phrases marked with ``tag`` most often, with how many releases each appears in.

    Each row shows the form the team marked most often (the first seen on a
    tie). Rows are ordered by annotations, then releases, then the phrase.
    """
    tagset = scope.project.tagset
    tt = tagset.tag(tag)
    # each release's phrases are coded already: the scope sums them once (in C) for
    # every table, and the form shown is the one marked most often (on a tie, the one
    # the index met first)
    summed = scope.totals()
    coded, in_releases, coded_forms = summed.phrases, summed.distinct, summed.forms
    index = scope.index
    assert index is not None  # totals() made it
    phrase_of, form_of = index.phrases.key, index.forms.key
    counts: dict[str, int] = {}
    releases: dict[str, int] = {}
    for code, n in coded.items():
        t, key = phrase_of[code]
        if t == tag and n > 0:
            counts[key], releases[key] = n, in_releases[code]
    best: dict[str, tuple[int, int]] = {}
    for code, n in coded_forms.items():
        t, shown = form_of[code]
        if t != tag or n <= 0:
            continue
        key = shown.casefold()
        if key not in best or n > best[key][0] or (n == best[key][0] and code < best[key][1]):
            best[key] = (n, code)
    order = sorted(counts, key=lambda k: (-counts[k], -releases[k], k))[: max(0, limit)]
    rows = tuple(Frequent(k, form_of[best[k][1]][1], counts[k], releases[k]) for k in order)
    return FrequentTable(tag, f"Most frequent: {tt.label.lower()}", tt.color, rows)


def default_timeline_tags(tagset: TagSet) -> tuple[str, ...]:
    """The first tag of the tag set (its most important, by the tag set's own order)."""
    return tuple(t.name for t in tagset.tags[:1])


def default_frequent_tags(tagset: TagSet) -> tuple[str, ...]:
    """Every tag after the first: the people and bodies a release names."""
    return tuple(t.name for t in tagset.tags[1:])


def overview(
    scope: Scope,
    *,
    period: Period = "month",
    timeline_tags: tuple[str, ...] | None = None,
    frequent_tags: tuple[str, ...] | None = None,
    limit: int = 10,
    progress: JobProgress | None = None,
) -> Overview:
    """Every aggregation of the overview, in the order a reader takes them in.

    ``progress`` counts the charts and tables made; cancelling stops between two.
    """
    tagset = scope.project.tagset
    timeline = default_timeline_tags(tagset) if timeline_tags is None else timeline_tags
    frequent = default_frequent_tags(tagset) if frequent_tags is None else frequent_tags
    made = _made(progress, tagset, len(timeline) + len(frequent))
    charts = [tag_counts(scope)]
    for tt in tagset.tags:
        charts += [attribute_counts(scope, tt.name, a.name) for a in tt.attributes if a.closed]
        made(len(charts))
    charts.append(country_counts(scope))
    charts += [over_time(scope, tag, period) for tag in timeline]
    made(len(charts))
    tables = []
    for tag in frequent:
        tables.append(most_frequent(scope, tag, limit))
        made(len(charts) + len(tables))
    team = team_progress.progress(scope.project, scope.documents)
    made(len(charts) + len(tables) + 1)
    return Overview(
        project=scope.project.name,
        layer=scope.layer,
        releases=len(scope.documents),
        annotations=scope.totals().total,
        charts=charts,
        frequent=tables,
        progress=team,
    )


def _made(progress: JobProgress | None, tagset: TagSet, more: int) -> Callable[[int], None]:
    """Tell ``progress`` how many of the overview's charts and tables are made."""
    if progress is None:
        return lambda _done: None
    closed = sum(1 for tt in tagset.tags for a in tt.attributes if a.closed)
    # the tag counts, the closed attributes, the countries, ``more``, the team's progress
    progress.phase("Building the overview", 3 + closed + more, "chart")

    def made(done: int) -> None:
        progress.advance(done - progress.done)

    return made
