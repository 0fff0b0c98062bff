"""The appeals board: each appeal with its addressees and victims, filtered, sorted, copied.

The rows are the export's appeals table (:func:`annotator.interchange.tables.
appeal_rows`, the one that writes ``appeals-csv`` and the HTML report's appeal
lists): one path, so the board, the CSV and the report never disagree. This
module adds what a live board needs on top: the rows of one release again
after an edit there, a filter (every word somewhere in the row), a sort by any
column, and the rows shown written for the clipboard as TSV (what spreadsheets
paste into cells) and as an HTML table (what word processors paste as a table).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.errors import OverviewError
from annotator.insight.scope import Scope
from annotator.interchange.common import Selection
from annotator.interchange.html_report import esc
from annotator.interchange.tables import APPEAL_COLUMNS, LIST_SEP, appeal_rows, delimited_text
from annotator.model import Document

#: Every column of the export's appeals table, in its order.
COLUMNS: tuple[str, ...] = tuple(APPEAL_COLUMNS)

COLUMN_LABELS: dict[str, str] = {
    "document": "Release",
    "country": "Country",
    "date": "Date",
    "headline": "Headline",
    "appeal": "Appeal id",
    "actions": "Actions",
    "kind": "Kind",
    "appeal_text": "Appeal",
    "addressees": "Addressees",
    "addressee_kinds": "Addressee kinds",
    "victims": "Victims",
    "victim_groups": "Victim groups",
    "victim_harms": "Victim harms",
}


@dataclass(frozen=True)
class AppealRow:
    """One appeal: where it is (release, annotation id) and its cells by column name."""

    doc_id: str
    ann_id: str
    cells: dict[str, str]

    def cell(self, column: str) -> str:
        return self.cells.get(column, "")

    @property
    def addressees(self) -> list[str]:
        value = self.cells.get("addressees", "")
        return value.split(LIST_SEP) if value else []

    @property
    def victims(self) -> list[str]:
        value = self.cells.get("victims", "")
        return value.split(LIST_SEP) if value else []


def appeals(scope: Scope, documents: Iterable[Document] | None = None) -> list[AppealRow]:
    """The appeals of ``documents`` (default: the scope's releases) in release order."""
    docs = scope.documents if documents is None else list(documents)
    sel = Selection(scope.project, scope.layer, docs)
    return [AppealRow(r["document"], r["appeal"], r) for r in appeal_rows(sel)]


def _check(column: str) -> None:
    if column not in COLUMN_LABELS:
        raise OverviewError(
            f"the appeals table has no column {column!r} (columns: {', '.join(COLUMNS)})"
        )


def matches(row: AppealRow, words: Sequence[str], column: str | None = None) -> bool:
    """True when every (case-folded) word is in the row, or in ``column`` when given."""
    if not words:
        return True
    if column is not None:
        hay = row.cell(column).casefold()
    else:
        hay = "\n".join(row.cells.get(c, "") for c in COLUMNS).casefold()
    return all(w in hay for w in words)


def filter_words(text: str) -> list[str]:
    """A filter as typed, split into case-folded words."""
    return text.casefold().split()


def filter_rows(rows: Iterable[AppealRow], text: str, column: str | None = None) -> list[AppealRow]:
    """The rows that hold every word of ``text`` (in ``column``, or anywhere)."""
    if column is not None:
        _check(column)
    words = filter_words(text)
    return [r for r in rows if matches(r, words, column)]


def sort_rows(
    rows: Iterable[AppealRow], column: str, *, descending: bool = False
) -> list[AppealRow]:
    """Rows ordered by one column, case folded; equal cells keep their order (stable).

    Dates are ISO (``1998-09-10``), so they sort as text.
    """
    _check(column)
    return sorted(rows, key=lambda r: r.cell(column).casefold(), reverse=descending)


def to_tsv(rows: Iterable[AppealRow], columns: Sequence[str] = COLUMNS) -> str:
    """The rows as tab-separated text with a header of the columns' labels.

    A cell a spreadsheet would run as a formula gets a leading ``'``, as in
    every CSV export: pasting is importing too.
    """
    for c in columns:
        _check(c)
    header = [COLUMN_LABELS[c] for c in columns]
    dicts = ({COLUMN_LABELS[c]: r.cell(c) for c in columns} for r in rows)
    return delimited_text(header, dicts, delimiter="\t")


def to_html(rows: Iterable[AppealRow], columns: Sequence[str] = COLUMNS) -> str:
    """The rows as one HTML ``<table>``, every cell escaped as in the HTML report."""
    for c in columns:
        _check(c)
    head = "".join(f"<th>{esc(COLUMN_LABELS[c])}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{esc(r.cell(c))}</td>" for c in columns) + "</tr>" for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
