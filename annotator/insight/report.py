"""The overview written out: a text table, JSON, CSV, or one self-contained HTML page.

The HTML page is for colleagues without the app: no script, no external file,
the charts as inline SVG with bars in the tags' colours and every count also
written as a number beside its bar (colour is never the only cue). Everything
that comes from data (labels, phrases, the project name, colours) is escaped
or checked exactly as the HTML report does it (:func:`.html_report.esc`).
"""

from __future__ import annotations

import csv
import io
import json
import math
import unicodedata
from collections.abc import Iterable

from annotator.insight.aggregate import Chart, FrequentTable, Overview
from annotator.insight.progress import (
    STATUS_LABELS,
    STATUSES,
    Progress,
    csv_rows,
    review_words,
    table_rows,
)
from annotator.interchange.html_report import esc
from annotator.interchange.tables import guard
from annotator.wording import count

_COLOR_OK = frozenset("0123456789abcdefABCDEF")


def _color(value: str) -> str:
    ok = len(value) == 7 and value[0] == "#" and all(c in _COLOR_OK for c in value[1:])
    return value if ok else "#999999"


def _filter_words(ov: Overview) -> str:
    return ", ".join(f"{k} {v}" for k, v in ov.filter.items() if v)


# --- text -----------------------------------------------------------------------


def text_table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Left-aligned first column, right-aligned numbers, two spaces between columns
    (``annotator stats`` prints its tables with it too)."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = []
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)]
        out.append("  ".join(cells).rstrip())
    return out


def to_text(ov: Overview) -> str:
    head = f"Project {ov.project!r}, layer {ov.layer!r}"
    words = _filter_words(ov)
    lines = [head + (f" ({words})" if words else "")]
    lines.append(f"{count(ov.releases, 'release')}, {count(ov.annotations, 'annotation')}")
    for chart in ov.charts:
        lines.append("")
        lines.append(chart.title)
        rows = [[b.label, str(b.count)] for b in chart.bars]
        lines += text_table(["", chart.unit], rows) if rows else ["  nothing counted"]
    for table in ov.frequent:
        lines.append("")
        lines.append(table.title)
        rows = [[r.text, str(r.count), str(r.releases)] for r in table.rows]
        lines += text_table(["", "annotations", "releases"], rows) if rows else ["  none"]
    if ov.progress is not None:
        lines += ["", "Progress (releases per annotator)"]
        header, rows = table_rows(ov.progress)
        lines += text_table(header, rows) if rows else ["  no annotators yet"]
        lines.append(f"Review: {review_words(ov.progress)}")
    return "\n".join(lines) + "\n"


# --- JSON and CSV ---------------------------------------------------------------


def to_json(ov: Overview) -> str:
    return json.dumps(ov.as_dict(), indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = ("chart", "key", "label", "count", "releases")


def to_csv(ov: Overview) -> str:
    """One long table: a row per bar (``releases`` empty) and per frequent phrase.

    Cells a spreadsheet would run as a formula get a leading ``'`` as in every
    CSV export.
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for chart in ov.charts:
        for b in chart.bars:
            w.writerow([chart.id, guard(b.key), guard(b.label), b.count, ""])
    for table in ov.frequent:
        for r in table.rows:
            w.writerow([f"{table.tag}.frequent", guard(r.key), guard(r.text), r.count, r.releases])
    if ov.progress is not None:
        for chart_id, key, label, n, releases in csv_rows(ov.progress):
            w.writerow([guard(str(chart_id)), key, label, n, releases])
    return buf.getvalue()


# --- HTML -----------------------------------------------------------------------

BAR_HEIGHT = 18
GAP = 6
PLOT_WIDTH = 380
NUMBER_WIDTH = 60
#: the charts' text (CSS below): the label column is sized from it
FONT_PX = 12
#: the label column's narrowest and widest; a longer label is cut with "…"
#: (the whole label is in the bar's title)
LABEL_MIN = 120
LABEL_MAX = 300
#: between a label's end and its bar
LABEL_PAD = 8


def _char_em(ch: str) -> float:
    """A generous width of one character in ems: the widest common sans-serif face
    (DejaVu Sans, which Linux browsers fall back to) at most, so that an estimate
    errs long and a label is cut rather than clipped at the chart's edge."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0.0
    if ord(ch) > 0xFFFF and unicodedata.category(ch) == "So":
        return 1.3  # colour emoji are wider than an em
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.05
    if ch.isspace():
        return 0.35
    if ch.isupper() or ord(ch) > 0xFFFF:
        return 0.8
    return 0.64


def text_width(label: str) -> float:
    """The estimated width in pixels of ``label`` in the charts' font."""
    return sum(_char_em(ch) for ch in label) * FONT_PX


def _short(label: str) -> str:
    """``label``, cut with "…" where it would overflow the widest label column."""
    room: float = LABEL_MAX - LABEL_PAD
    if text_width(label) <= room:
        return label
    room -= text_width("…")
    used = 0.0
    for i, ch in enumerate(label):
        used += _char_em(ch) * FONT_PX
        if used > room:
            return label[:i].rstrip() + "…"
    return label


def label_width(charts: Iterable[Chart]) -> int:
    """One label column for every chart of a page, so that their bars line up."""
    widest = max((text_width(_short(b.label)) for c in charts for b in c.bars), default=0.0)
    return max(LABEL_MIN, min(LABEL_MAX, math.ceil(widest) + LABEL_PAD))


def chart_svg(chart: Chart, labels: int | None = None) -> str:
    """A horizontal bar chart; the longest bar fills the plot, every count is written.

    ``labels`` is the label column's width (by default, as wide as this chart's
    labels need)."""
    if not chart.bars:
        return '<p class="none">Nothing counted.</p>'
    labels = label_width([chart]) if labels is None else labels
    top = max(b.count for b in chart.bars) or 1
    color = _color(chart.color)
    height = len(chart.bars) * (BAR_HEIGHT + GAP) + GAP
    width = labels + PLOT_WIDTH + NUMBER_WIDTH
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(chart.title)}">'
    ]
    for i, b in enumerate(chart.bars):
        y = GAP + i * (BAR_HEIGHT + GAP)
        length = round(PLOT_WIDTH * b.count / top)
        mid = y + BAR_HEIGHT / 2
        out.append(
            f"<g><title>{esc(b.label)}: {b.count}</title>"
            f'<text x="{labels - LABEL_PAD}" y="{mid}" text-anchor="end" '
            f'dominant-baseline="middle">{esc(_short(b.label))}</text>'
            f'<rect x="{labels}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
            f'fill="{color}"/>'
            f'<text x="{labels + length + 6}" y="{mid}" '
            f'dominant-baseline="middle">{b.count}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


def _frequent_html(table: FrequentTable) -> str:
    head = (
        f'<h2><span class="sw" style="background:{_color(table.color)}"></span> '
        f"{esc(table.title)}</h2>"
    )
    if not table.rows:
        return head + '<p class="none">None.</p>'
    rows = "".join(
        f'<tr><td>{esc(r.text)}</td><td class="n">{r.count}</td><td class="n">{r.releases}</td>'
        "</tr>"
        for r in table.rows
    )
    return head + f"<table><tr><th></th><th>Annotations</th><th>Releases</th></tr>{rows}</table>"


#: the progress bar's colours: done dark, in progress mid, not started light (and each
#: count written in its segment's table cell, so colour is never the only cue)
PROGRESS_COLORS = {STATUSES[0]: "#1b7837", STATUSES[1]: "#a6dba0", STATUSES[2]: "#dddddd"}


def progress_html(p: Progress) -> str:
    """Each annotator's releases as a table and a stacked bar (done, in progress, not
    started), then the review status."""
    out = ["<h2>Progress</h2>"]
    if not p.annotators:
        out.append('<p class="none">No annotators yet.</p>')
    else:
        header, rows = table_rows(p)
        head = "".join(f"<th>{esc(h)}</th>" for h in header)
        width = PLOT_WIDTH
        body = []
        for row, r in zip(rows, p.annotators, strict=True):
            x = 0.0
            rects = []
            for s in STATUSES:
                w = width * r.count(s) / r.total if r.total else 0
                rects.append(
                    f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{BAR_HEIGHT}" '
                    f'fill="{PROGRESS_COLORS[s]}"><title>{esc(STATUS_LABELS[s])}: '
                    f"{r.count(s)}</title></rect>"
                )
                x += w
            bar = (
                f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{BAR_HEIGHT}" '
                f'role="img" aria-label="{esc(r.annotator)}">{"".join(rects)}</svg>'
            )
            cells = f"<td>{esc(row[0])}</td>" + "".join(f'<td class="n">{c}</td>' for c in row[1:])
            body.append(f"<tr>{cells}<td>{bar}</td></tr>")
        legend = " ".join(
            f'<span class="sw" style="background:{PROGRESS_COLORS[s]}"></span> '
            f"{esc(STATUS_LABELS[s])}"
            for s in STATUSES
        )
        out.append(f"<table><tr>{head}<th>{legend}</th></tr>{''.join(body)}</table>")
    out.append(f"<p>Review: {esc(review_words(p))} (of {count(p.releases, 'release')}).</p>")
    return "".join(out)


_CSS = (
    "body{font:15px/1.5 sans-serif;max-width:62em;margin:2em auto;padding:0 1em;color:#222}"
    f"svg text{{font:{FONT_PX}px sans-serif;fill:#222}}svg{{max-width:100%;height:auto}}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "td,th{border:1px solid #bbb;padding:2px 6px;text-align:left;font-size:13px}"
    "td.n{text-align:right}.meta{color:#555}.none{color:#777;font-style:italic}"
    ".sw{display:inline-block;width:1em;height:1em;vertical-align:middle;"
    "border:1px solid #555}section{break-inside:avoid}"
)


def to_html(ov: Overview) -> str:
    name = esc(ov.project)
    words = _filter_words(ov)
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        f"<title>{name} — overview</title><style>{_CSS}</style></head><body>",
        f"<h1>{name} — overview</h1>",
        f'<p class="meta">Layer {esc(ov.layer)}'
        + (f" · {esc(words)}" if words else "")
        + f" · {count(ov.releases, 'release')}, {count(ov.annotations, 'annotation')}</p>",
    ]
    labels = label_width(ov.charts)
    for chart in ov.charts:
        parts.append(f"<section><h2>{esc(chart.title)}</h2>{chart_svg(chart, labels)}</section>")
    for table in ov.frequent:
        parts.append(f"<section>{_frequent_html(table)}</section>")
    if ov.progress is not None:
        parts.append(f"<section>{progress_html(ov.progress)}</section>")
    parts.append("</body></html>\n")
    return "".join(parts)
