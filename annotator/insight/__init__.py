"""The corpus overview: what the team has found across all releases, counted.

Qt-free: the CLI (``annotator overview``, ``annotator kwic``) and the desktop
app call the same functions. :mod:`.scope` chooses the layer and the releases,
:mod:`.aggregate` counts (from :mod:`.index`, which keeps each release's counts
until it changes), :mod:`.drill` lists the annotations behind one bar,
:mod:`.kwic` lists annotations in context and :mod:`.report` writes the counts as
text, JSON, CSV or a self-contained HTML page.
"""

from annotator.insight.aggregate import (
    Bar,
    Chart,
    Frequent,
    FrequentTable,
    Overview,
    attribute_counts,
    country_counts,
    most_frequent,
    normalise,
    over_time,
    overview,
    tag_counts,
)
from annotator.insight.kwic import KwicLine, concordance, format_concordance, parse_values
from annotator.insight.scope import Filter, Scope, parse_date, select

__all__ = [
    "Bar",
    "Chart",
    "Filter",
    "Frequent",
    "FrequentTable",
    "KwicLine",
    "Overview",
    "Scope",
    "attribute_counts",
    "concordance",
    "country_counts",
    "format_concordance",
    "most_frequent",
    "normalise",
    "over_time",
    "overview",
    "parse_date",
    "parse_values",
    "select",
    "tag_counts",
]
