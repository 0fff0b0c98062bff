"""Turning press-release files into clean project documents.

One file goes through five steps, each in its own module:

1. :mod:`~annotator.releases.sources` reads it by kind (text, HTML, Word,
   PDF; folders are walked), :mod:`~annotator.releases.encoding` decides a
   text file's encoding, and :mod:`~annotator.releases.characters`
   normalises newlines and replaces what XML 1.0 cannot hold;
2. :mod:`~annotator.releases.splitting` cuts it at ``ENDS`` markers;
3. :mod:`~annotator.releases.layout` turns each piece's PDF line layout into
   paragraphs (unless ``keep_layout``);
4. :mod:`~annotator.releases.metadata` reads headline, country, dateline,
   AI Index and date;
5. :mod:`~annotator.releases.naming` gives each release an id.

:func:`import_sources` runs that over many sources, skips what cannot be read
(with a reason) and what the project already holds (same text), and returns
an undoable :class:`~annotator.model.documents.AddDocuments` for the rest.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.errors import AnnotatorError, EmptyFile
from annotator.model.commands import Command
from annotator.model.documents import AddDocuments
from annotator.model.project import Document, DocumentMeta, Project
from annotator.progress import Progress, track
from annotator.releases.furniture import describe_dropped, find_furniture
from annotator.releases.layout import hyphen_words, repair, tidy_lines
from annotator.releases.metadata import describe, find_ai_index
from annotator.releases.naming import release_id, unique_id
from annotator.releases.sources import (
    SourceFile,
    SourceText,
    expand_sources,
    read_bytes,
    read_source,
)
from annotator.releases.splitting import release_spans
from annotator.releases.webpage import WebPage

_LEADING_BLANK_LINES = re.compile(r"\A(?:[^\S\n]*\n)+")
_TRAILING_BLANK_LINES = re.compile(r"(?:\n[^\S\n]*)+\Z")


@dataclass
class ImportReport:
    """What an import did, for the CLI's summary and the GUI's message."""

    #: new documents (ids assigned, metadata filled), in import order
    imported: list[Document] = field(default_factory=list)
    #: (source path, one-sentence reason) for each source that could not be read
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: (source path, id of the document that already has the same text)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    #: (source path, one sentence) for visible text an imported source lost
    #: (its documents are imported with what could be read; the CLI exits 1)
    losses: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        """One line: ``Imported 3 releases; 1 duplicate; 2 files skipped``."""
        n = len(self.imported)
        parts = [f"Imported {n} release" + ("" if n == 1 else "s")]
        if self.duplicates:
            d = len(self.duplicates)
            parts.append(f"{d} duplicate" + ("" if d == 1 else "s") + " left out")
        if self.skipped:
            s = len(self.skipped)
            parts.append(f"{s} source" + ("" if s == 1 else "s") + " skipped")
        if self.losses:
            n_lost = len({source for source, _ in self.losses})
            parts.append(f"text lost in {n_lost} source" + ("" if n_lost == 1 else "s"))
        return "; ".join(parts)


def trim_blank_lines(text: str) -> str:
    """``text`` without whitespace-only lines at its start and end (keep_layout)."""
    return _TRAILING_BLANK_LINES.sub("", _LEADING_BLANK_LINES.sub("", text))


def _release_text(
    piece: str, pages: tuple[int, ...], source: SourceText, keep_layout: bool
) -> tuple[str, str, dict[str, str], str]:
    """Stored text, repaired text for metadata, layout metadata, dropped furniture lines.

    ``pages`` are the offsets in ``piece`` where its later pages begin.
    """
    dropped = ""
    if source.structured:
        repaired = tidy_lines(piece)
        layout = {"layout": "markup paragraphs kept"}
    else:
        result = repair(piece, find_furniture(piece, pages))
        repaired = result.text
        layout = {"layout": result.decision, "layout_evidence": result.evidence}
        if result.dropped:
            dropped = layout["dropped_lines"] = describe_dropped(result.dropped)
        if result.removed_hyphens:
            words = hyphen_words(piece, result.removed_hyphens)
            layout["dropped_hyphens"] = "\n".join(words)
    if keep_layout:
        return trim_blank_lines(piece), repaired, {"layout": "kept"}, dropped
    return repaired, repaired, layout, dropped


def releases_from_bytes(
    data: bytes, path: Path, name: str, *, keep_layout: bool = False, whole_page: bool = False
) -> list[Document]:
    """The releases in one source file's ``data`` (see :func:`read_releases`)."""
    source = read_source(path, data, whole_page=whole_page)
    digest = hashlib.sha256(data).hexdigest()
    pieces = release_spans(source.text)
    if not pieces:
        raise EmptyFile("the file holds end markers but no release text", path=str(path))
    documents: list[Document] = []
    for position, (start, piece) in enumerate(pieces, start=1):
        end = start + len(piece)
        pages = tuple(s - start for s in source.page_starts if start < s < end)
        text, repaired, layout, dropped = _release_text(piece, pages, source, keep_layout)
        meta = describe(repaired)
        if not meta.ai_index and dropped:  # an index printed in every page's footer
            meta.ai_index = find_ai_index(dropped)
        meta.source_name = name
        meta.source_sha256 = digest
        meta.extra.update(
            {
                "release": str(position),
                "releases_in_source": str(len(pieces)),
                "source_format": source.kind,
            }
        )
        meta.extra.update(layout)
        if source.encoding:
            meta.extra["encoding"] = source.encoding
        if source.losses:
            meta.extra["text_lost"] = " ".join(source.losses)
        if source.page is not None:
            describe_page(meta, source.page, whole_source=len(pieces) == 1)
        documents.append(Document(id=release_id(name, position), text=text, meta=meta))
    return documents


def describe_page(meta: DocumentMeta, page: WebPage, *, whole_source: bool) -> None:
    """Add what a web page says about itself; its headline and date beat the text's."""
    meta.extra.update(page.extra)
    if not whole_source:  # a page of several releases: its title is none of theirs
        return
    if page.headline:
        meta.headline = page.headline
    if page.date:
        meta.date = page.date
        meta.extra["date_as_written"] = page.date_as_written


def read_releases(
    path: Path, *, keep_layout: bool = False, name: str | None = None, whole_page: bool = False
) -> list[Document]:
    """One file to its releases, in file order, with metadata and ids ``<stem>-<n>``.

    ``name`` is what ``meta.source_name`` records (default: the file name).
    Raises an :class:`~annotator.errors.AnnotatorError` subclass with one plain
    sentence if the file cannot be read, is empty or is binary.
    """
    path = Path(path)
    return releases_from_bytes(
        read_bytes(path), path, name or path.name, keep_layout=keep_layout, whole_page=whole_page
    )


def import_sources(
    project: Project,
    sources: Sequence[str | Path],
    *,
    keep_layout: bool = False,
    whole_page: bool = False,
    claim: Callable[[Path], bool] | None = None,
    progress: Progress | None = None,
) -> tuple[ImportReport, Command]:
    """Read every source (folders expanded) into new documents for ``project``.

    The project is not changed: the returned command, once done, adds
    ``report.imported``. A source that cannot be read goes to ``skipped``
    and the others still import. A release whose text the project (or an
    earlier source of this batch) already holds goes to ``duplicates``. Ids
    are made unique against the project and the batch. A saved web page
    comes in as its article unless ``whole_page``. A file for which ``claim``
    returns True is left to the caller (the import planner takes our own
    exports and project files found in a folder).

    ``progress`` counts the files (folders walked first, so the total is known)
    and stops the import between two files when cancelled.
    """
    report = ImportReport()
    known = {doc.sha256: doc.id for doc in project.documents.values()}
    taken: set[str] = set(project.documents)
    items = expand_sources(sources) if progress is None else list(expand_sources(sources))
    for item in track(items, progress, "Reading releases", "file"):
        if not isinstance(item, SourceFile):
            report.skipped.append((str(item[0]), item[1]))
            continue
        if claim is not None and claim(item.path):
            continue
        try:
            documents = read_releases(
                item.path, keep_layout=keep_layout, name=item.name, whole_page=whole_page
            )
        except AnnotatorError as err:
            report.skipped.append((str(item.path), err.message))
            continue
        lost = documents[0].meta.extra.get("text_lost") if documents else None
        if lost:
            report.losses.append((str(item.path), lost))
        for doc in documents:
            existing = known.get(doc.sha256)
            if existing is not None:
                report.duplicates.append((str(item.path), existing))
                continue
            doc.id = unique_id(doc.id, taken)
            taken.add(doc.id)
            known[doc.sha256] = doc.id
            report.imported.append(doc)
    return report, AddDocuments(report.imported)


__all__ = [
    "ImportReport",
    "describe_page",
    "import_sources",
    "read_releases",
    "releases_from_bytes",
    "trim_blank_lines",
]
