"""Tables for analysts: one row per annotation (CSV, JSON Lines) and the appeals table.

CSV is UTF-8 with a byte-order mark by default, so Excel and LibreOffice open it
with the right encoding (``bom=False`` / ``--no-bom`` drops it). Quoting is the
csv module's: fields with commas, quotes or line breaks are quoted. **Formula
injection guard**: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or
a CR is prefixed with ``'`` so a spreadsheet shows it instead of running it
(``formula_guard=False`` / ``--no-formula-guard`` turns that off; JSON Lines is
never changed).

Annotation rows: document id, headline, country, date, dateline, layer,
annotation id, tag, text, fragments (``12-30;41-50``), context (the sentence
around it), one column per attribute name of the tag set (value labels joined
by "; "), note, author, links (``type → id tag “text”``, outgoing) and
linked_from (incoming).

Appeals rows: one per appeal, with its actions, kind and text; the addressees
(linked authorities' text and kind); the victims it is made for (text, group,
harm); and the release's country, date and headline.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from annotator.interchange.common import (
    ExportOptions,
    Selection,
    attribute_labels,
    prepare,
)
from annotator.interchange.context import SentenceIndex, one_line
from annotator.model import Annotation, DocumentAnnotations, Project

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_CHARS = frozenset(FORMULA_START)
LIST_SEP = "; "


def guard(cell: str) -> str:
    """``cell`` made safe for spreadsheets (see the module docstring)."""
    return "'" + cell if cell[:1] in _FORMULA_CHARS and cell else cell


#: Columns before and after the per-attribute columns of the annotation table.
_LEAD_COLUMNS = (
    "document",
    "headline",
    "country",
    "date",
    "dateline",
    "layer",
    "annotation",
    "tag",
    "text",
    "fragments",
    "context",
)
_TAIL_COLUMNS = ("note", "author", "links", "linked_from")
STANDARD_COLUMNS = frozenset(_LEAD_COLUMNS + _TAIL_COLUMNS)


def column_of(attribute: str) -> str:
    """The column of an attribute: its name, or ``attr.NAME`` if a standard column has it."""
    return f"attr.{attribute}" if attribute in STANDARD_COLUMNS else attribute


def attribute_columns(project: Project) -> list[str]:
    names: list[str] = []
    for tt in project.tagset.tags:
        for a in tt.attributes:
            if column_of(a.name) not in names:
                names.append(column_of(a.name))
    return names


def _fragments(ann: Annotation) -> str:
    return ";".join(f"{f.start}-{f.end}" for f in ann.fragments)


def _linked(
    da: DocumentAnnotations, text: str
) -> dict[str, tuple[list[dict[str, str]], list[dict[str, str]]]]:
    """Per annotation id: (outgoing, incoming) links resolved to id, tag and text."""
    out: dict[str, tuple[list[dict[str, str]], list[dict[str, str]]]] = {}
    texts: dict[str, str] = {}

    def info(lk_type: str, ann_id: str) -> dict[str, str]:
        a = da.annotations[ann_id]
        if ann_id not in texts:
            texts[ann_id] = one_line(a.covered_text(text))
        return {"type": lk_type, "id": a.id, "tag": a.tag, "text": texts[ann_id]}

    for lk in sorted(da.links.values(), key=lambda lk: lk.id):
        if lk.source in da.annotations and lk.target in da.annotations:
            out.setdefault(lk.source, ([], []))[0].append(info(lk.type, lk.target))
            out.setdefault(lk.target, ([], []))[1].append(info(lk.type, lk.source))
    return out


def _link_cell(links: list[dict[str, str]]) -> str:
    return LIST_SEP.join(f"{lk['type']} → {lk['id']} {lk['tag']} “{lk['text']}”" for lk in links)


def annotation_rows(sel: Selection) -> Iterator[dict[str, Any]]:
    """One dict per annotation (values are str, or lists of link dicts for links)."""
    project = sel.project
    attr_cols = attribute_columns(project)
    for doc in sel.walk():
        da = sel.annotations(doc.id)
        if not da.annotations:
            continue
        index = SentenceIndex(doc.text)
        linked = _linked(da, doc.text)
        none: tuple[list[dict[str, str]], list[dict[str, str]]] = ([], [])
        for ann in da.sorted_annotations():
            out, inc = linked.get(ann.id, none)
            row: dict[str, Any] = {
                "document": doc.id,
                "headline": doc.meta.headline,
                "country": doc.meta.country,
                "date": doc.meta.date,
                "dateline": doc.meta.dateline,
                "layer": sel.layer,
                "annotation": ann.id,
                "tag": ann.tag,
                "text": one_line(ann.covered_text(doc.text)),
                "fragments": _fragments(ann),
                "context": index.context(ann),
            }
            for name in attr_cols:
                row[name] = ""
            for name, value in ann.attributes.items():
                row[column_of(name)] = attribute_labels(project, ann.tag, name, value)
            row["note"] = ann.note
            row["author"] = ann.created_by
            row["links"] = out
            row["linked_from"] = inc
            yield row


def annotation_header(project: Project) -> list[str]:
    return [*_LEAD_COLUMNS, *attribute_columns(project), *_TAIL_COLUMNS]


APPEAL_COLUMNS = [
    "document",
    "country",
    "date",
    "headline",
    "appeal",
    "actions",
    "kind",
    "appeal_text",
    "addressees",
    "addressee_kinds",
    "victims",
    "victim_groups",
    "victim_harms",
]


def _labels(project: Project, ann: Annotation, name: str) -> str:
    value = ann.attributes.get(name)
    return "" if value is None else attribute_labels(project, ann.tag, name, value)


def appeal_rows(
    sel: Selection,
    appeal_tag: str = "appeal",
    authority_tag: str = "authority",
    victim_tag: str = "victim",
) -> Iterator[dict[str, str]]:
    """One row per appeal with its addressees and victims (see the module docstring)."""
    project = sel.project
    for doc in sel.walk():
        da = sel.annotations(doc.id)
        for ann in da.sorted_annotations():
            if ann.tag != appeal_tag:
                continue
            targets = [
                da.annotations[lk.target]
                for lk in sorted(da.links.values(), key=lambda lk: lk.id)
                if lk.source == ann.id and lk.target in da.annotations
            ]
            auths = [t for t in targets if t.tag == authority_tag]
            victims = [t for t in targets if t.tag == victim_tag]
            yield {
                "document": doc.id,
                "country": doc.meta.country,
                "date": doc.meta.date,
                "headline": doc.meta.headline,
                "appeal": ann.id,
                "actions": _labels(project, ann, "action"),
                "kind": _labels(project, ann, "kind"),
                "appeal_text": one_line(ann.covered_text(doc.text)),
                "addressees": LIST_SEP.join(one_line(a.covered_text(doc.text)) for a in auths),
                "addressee_kinds": LIST_SEP.join(_labels(project, a, "kind") or "?" for a in auths),
                "victims": LIST_SEP.join(one_line(v.covered_text(doc.text)) for v in victims),
                "victim_groups": LIST_SEP.join(
                    _labels(project, v, "group") or "?" for v in victims
                ),
                "victim_harms": LIST_SEP.join(_labels(project, v, "harm") or "?" for v in victims),
            }


def _write_rows(
    fh: TextIO,
    header: list[str],
    rows: Iterable[dict[str, Any]],
    *,
    delimiter: str = ",",
    formula_guard: bool = True,
) -> None:
    w = csv.writer(fh, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(header)
    unsafe = _FORMULA_CHARS
    for row in rows:
        cells = [
            _link_cell(v) if isinstance(v, list) else v
            for v in (row.get(col, "") for col in header)
        ]
        if formula_guard:
            cells = ["'" + c if c and c[0] in unsafe else c for c in cells]
        w.writerow(cells)


def delimited_text(
    header: list[str],
    rows: Iterable[dict[str, Any]],
    *,
    delimiter: str = ",",
    formula_guard: bool = True,
) -> str:
    """The rows as CSV text (or TSV with ``delimiter="\t"``, as the clipboard takes it)."""
    buf = io.StringIO()
    _write_rows(buf, header, rows, delimiter=delimiter, formula_guard=formula_guard)
    return buf.getvalue()


def _write_csv(
    out: Path, header: list[str], rows: Iterator[dict[str, Any]], options: ExportOptions
) -> None:
    """Stream rows to ``out`` (UTF-8, with a BOM unless ``options.bom`` is False)."""
    encoding = "utf-8-sig" if options.bom else "utf-8"
    with Path(out).open("w", encoding=encoding, errors="surrogatepass", newline="") as fh:
        _write_rows(fh, header, rows, formula_guard=options.formula_guard)


def appeals_tsv(project: Project, options: ExportOptions) -> str:
    """The appeals table as tab-separated text (the GUI's "Copy appeals table")."""
    sel = prepare(project, options)
    text = delimited_text(
        APPEAL_COLUMNS, appeal_rows(sel), delimiter="\t", formula_guard=options.formula_guard
    )
    from annotator.interchange.redact_check import check_text

    check_text(text, project, options, "the appeals table")  # the clipboard is an export too
    return text


class CsvExporter:
    name = "csv"
    description = "CSV table, one row per annotation with context, attributes and links"
    suffix = ".csv"

    def write(self, project: Project, out: Path, options: ExportOptions) -> list[str]:
        sel = prepare(project, options)
        _write_csv(out, annotation_header(sel.project), annotation_rows(sel), options)
        return []


class JsonLinesExporter:
    name = "jsonl"
    description = "JSON Lines, one object per annotation (same fields as the CSV)"
    suffix = ".jsonl"

    def write(self, project: Project, out: Path, options: ExportOptions) -> list[str]:
        sel = prepare(project, options)
        with Path(out).open("w", encoding="utf-8", errors="backslashreplace", newline="") as fh:
            for row in annotation_rows(sel):
                fh.write(json.dumps(row, ensure_ascii=False))
                fh.write("\n")
        return []


class AppealsCsvExporter:
    name = "appeals-csv"
    description = "Appeals table (CSV): each appeal with its actions, addressees and victims"
    suffix = ".csv"

    def write(self, project: Project, out: Path, options: ExportOptions) -> list[str]:
        sel = prepare(project, options)
        _write_csv(out, APPEAL_COLUMNS, appeal_rows(sel), options)
        return []
