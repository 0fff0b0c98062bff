"""Agreement reports as a table, JSON, CSV or a standalone HTML page.

The same :func:`pivot` feeds the terminal table, the HTML page and the GUI's
agreement table, so all three show the same figures. Undefined figures (only
one category ever used, nothing to compare) are ``null`` in JSON, empty in CSV
and "n/a" in tables.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
from dataclasses import asdict

from annotator.interchange.tables import guard
from annotator.review.agreement import ALL, AgreementReport, Row
from annotator.review.presentation import layers_label
from annotator.wording import count

MEASURE_LABELS = {
    "precision_exact": "Precision (exact spans)",
    "recall_exact": "Recall (exact spans)",
    "f1_exact": "F1 (exact spans)",
    "precision_overlap": "Precision (overlapping spans)",
    "recall_overlap": "Recall (overlapping spans)",
    "f1_overlap": "F1 (overlapping spans)",
    "token_observed": "Observed agreement (tokens)",
    "cohen_kappa": "Cohen's κ (tokens)",
    "fleiss_kappa": "Fleiss' κ (tokens)",
    "multi_kappa": "Davies–Fleiss multi-κ (tokens)",
    "krippendorff_alpha": "Krippendorff's α nominal (tokens)",
    "unitizing_alpha": "Krippendorff's α_U (spans)",
    "attribute_observed": "Observed agreement (attribute)",
    "attribute_kappa": "Cohen's κ (attribute)",
}

MEASURE_ORDER = list(MEASURE_LABELS)

TOKEN_RULE = (
    "A token is a maximal run of word characters (\\w+) or one character that is neither a "
    "word character nor white space; offsets are code points. A token carries a tag when one "
    "of its code points is inside an annotation with that tag. Per tag each token is yes/no; "
    "overall a token gets the first tag in tag-set order that it carries, else O."
)


def fmt(value: float, digits: int = 3) -> str:
    return "n/a" if math.isnan(value) else f"{value:.{digits}f}"


def pivot(
    report: AgreementReport, scope: str = "project"
) -> tuple[list[str], list[tuple[str, str, list[float]]], list[tuple[str, str, str, float, int]]]:
    """(tag columns, span/token rows, attribute rows) for one scope.

    Span and token rows are (measure, layers, one value per column); attribute
    rows are (measure, layers, "tag.attribute", value, matched pairs).
    """
    columns = [ALL, *report.tags]
    col = {t: i for i, t in enumerate(columns)}
    grid: dict[tuple[str, str], list[float]] = {}
    attrs: list[tuple[str, str, str, float, int]] = []
    for row in report.rows:
        if row.scope != scope:
            continue
        if row.measure.startswith("attribute_"):
            attrs.append((row.measure, row.layers, row.tag, row.value, row.support))
            continue
        values = grid.setdefault((row.measure, row.layers), [math.nan] * len(columns))
        if row.tag in col:
            values[col[row.tag]] = row.value
    order = {m: i for i, m in enumerate(MEASURE_ORDER)}
    rows = sorted(
        ((m, lay, v) for (m, lay), v in grid.items()), key=lambda r: (order.get(r[0], 99), r[1])
    )
    attrs.sort(key=lambda r: (r[2], r[1], order.get(r[0], 99)))
    return columns, rows, attrs


def _clean(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 6)


def to_json(report: AgreementReport) -> str:
    rows = []
    for row in report.rows:
        d = asdict(row)
        d["value"] = _clean(row.value)
        rows.append(d)
    doc = {
        "layers": report.layers,
        "tags": report.tags,
        "documents": report.documents,
        "tokens": report.tokens,
        "tokeniser": TOKEN_RULE,
        "measures": rows,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_csv(report: AgreementReport) -> str:
    """One row per figure. Text cells (document ids, tag and layer names come from
    files) get the exports' formula guard; value and support are numbers we format,
    so a negative α stays a number in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["scope", "measure", "tag", "layers", "value", "support"])
    for r in report.rows:
        value = "" if math.isnan(r.value) else f"{r.value:.6f}"
        text = [guard(c) for c in (r.scope, r.measure, r.tag, r.layers)]
        writer.writerow([*text, value, r.support])
    return out.getvalue()


def _table(head: list[str], body: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip()]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in body]
    return lines


def to_text(report: AgreementReport, scope: str = "project") -> str:
    columns, rows, attrs = pivot(report, scope)
    head = ["measure", "layers", *("all tags" if c == ALL else c for c in columns)]
    body = [
        [MEASURE_LABELS.get(m, m), layers_label(lay), *(fmt(v) for v in vals)]
        for m, lay, vals in rows
    ]
    lines = [
        f"{count(report.documents, 'document')}, {count(report.tokens, 'token')}, layers: "
        + ", ".join(report.layers),
        "",
        *_table(head, body),
    ]
    if attrs:
        attr_body = [
            [key, layers_label(lay), MEASURE_LABELS.get(m, m), fmt(v), str(n)]
            for m, lay, key, v, n in attrs
        ]
        lines += ["", *_table(["attribute", "layers", "measure", "value", "pairs"], attr_body)]
    return "\n".join(lines) + "\n"


def to_html(report: AgreementReport) -> str:
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>Agreement</title>',
        "<style>body{font-family:sans-serif}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #999;padding:2px 8px;text-align:right}"
        "td:first-child,td:nth-child(2),th{text-align:left}</style></head><body>",
        f"<h1>Agreement between {e(layers_label(report.layers))}</h1>",
        f"<p>{count(report.documents, 'document')}, {count(report.tokens, 'token')}.</p>",
        f"<p>{e(TOKEN_RULE)}</p>",
    ]
    scopes = list(dict.fromkeys(["project", *(r.scope for r in report.rows)]))
    for scope in scopes:
        columns, rows, attrs = pivot(report, scope)
        title = "Whole project" if scope == "project" else f"Document {scope}"
        parts.append(f"<h2>{e(title)}</h2><table><tr><th>Measure</th><th>Layers</th>")
        parts.extend(f"<th>{e('all tags' if c == ALL else c)}</th>" for c in columns)
        parts.append("</tr>")
        for m, lay, vals in rows:
            cells = "".join(f"<td>{fmt(v)}</td>" for v in vals)
            parts.append(
                f"<tr><td>{e(MEASURE_LABELS.get(m, m))}</td><td>{e(layers_label(lay))}</td>"
                f"{cells}</tr>"
            )
        parts.append("</table>")
        if attrs:
            parts.append(
                "<table><tr><th>Attribute</th><th>Layers</th><th>Measure</th>"
                "<th>Value</th><th>Pairs</th></tr>"
            )
            for m, lay, key, v, n in attrs:
                parts.append(
                    f"<tr><td>{e(key)}</td><td>{e(layers_label(lay))}</td>"
                    f"<td>{e(MEASURE_LABELS.get(m, m))}</td>"
                    f"<td>{fmt(v)}</td><td>{n}</td></tr>"
                )
            parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


__all__ = [
    "MEASURE_LABELS",
    "TOKEN_RULE",
    "Row",
    "fmt",
    "pivot",
    "to_csv",
    "to_html",
    "to_json",
    "to_text",
]
