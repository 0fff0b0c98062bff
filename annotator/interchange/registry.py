"""Which export formats exist, the options every exporter takes, and importer lookup.

Exporters and importers are small objects registered by name. The CLI
(``annotator export``) and the GUI's export dialog both list :data:`EXPORTERS`;
every registered exporter checks its redacted output for leaks
(:mod:`.redact_check`) and lands whole or not at all (:mod:`.output`).
``annotator import`` asks :func:`find_importer` whether an interchange file
(inline XML, brat, MAE, JSON) can be read back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from annotator.interchange.common import ExportOptions
from annotator.interchange.parsed import ParsedSource
from annotator.model import Project, TagSet

__all__ = [
    "EXPORTERS",
    "IMPORTERS",
    "ExportOptions",
    "Exporter",
    "Importer",
    "find_importer",
    "is_project_file",
    "sniff_own_format",
]


class Exporter(Protocol):
    """Writes one format. ``suffix`` empty means the output is a folder."""

    name: str
    description: str
    suffix: str

    def write(self, project: Project, out: Path, options: ExportOptions) -> list[str]:
        """Write the export; return one sentence for each thing the format could not hold."""
        ...


class Importer(Protocol):
    """Reads one interchange format into plain data (see :mod:`.parsed`).

    ``read`` never changes a project: ``tagset`` is the tag set the data is
    going into, for formats that need it to read values (which attributes take
    several); the import planner (:mod:`annotator.importing`) places the result.
    A folder is read file by file; a single file that cannot be read raises an
    :class:`~annotator.errors.AnnotatorError` naming it and the line.
    """

    name: str

    def sniff(self, path: Path) -> bool: ...

    def read(self, path: Path, tagset: TagSet) -> ParsedSource: ...


def _exporters() -> dict[str, Exporter]:
    from annotator.interchange import (
        brat,
        html_report,
        inline_xml,
        json_format,
        mae,
        tables,
        tei,
    )
    from annotator.interchange.output import AtomicExporter
    from annotator.interchange.redact_check import CheckedExporter

    found: list[Exporter] = [
        json_format.JsonExporter(),
        inline_xml.InlineXmlExporter(),
        tei.TeiExporter(),
        brat.BratExporter(),
        mae.MaeExporter(),
        tables.CsvExporter(),
        tables.JsonLinesExporter(),
        tables.AppealsCsvExporter(),
        html_report.HtmlExporter(),
    ]
    # a redacted export is checked for leaks before it reaches its destination,
    # and every export is staged beside its target and renamed into place whole
    return {e.name: AtomicExporter(CheckedExporter(e)) for e in found}


def _importers() -> list[Importer]:
    from annotator.interchange import brat, inline_xml, json_format, mae, tei

    return [
        inline_xml.InlineXmlImporter(),
        brat.BratImporter(),
        mae.MaeImporter(),
        tei.TeiImporter(),
        json_format.JsonImporter(),
    ]


EXPORTERS: dict[str, Exporter] = _exporters()
IMPORTERS: list[Importer] = _importers()


#: how far into a file the signatures of our own formats are looked for
_HEAD = 8192


def _head(path: Path) -> bytes:
    try:
        if not path.is_file():
            return b""
        with path.open("rb") as fh:
            return fh.read(_HEAD)
    except OSError:
        return b""


def is_project_file(path: Path) -> bool:
    """True for an annotator project file, whatever it is called (it is merged, not imported)."""
    return b"<annotator-project" in _head(path)


def sniff_own_format(path: Path) -> str | None:
    """The name of our own export format ``path`` holds, by content (any extension)."""
    from annotator.interchange import inline_xml, json_format, tei

    head = _head(path)
    if not head:
        return None
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and (
        f'"format": "{json_format.FORMAT}"'.encode() in head
        or f'"format":"{json_format.FORMAT}"'.encode() in head
    ):
        return "json"
    if f"<{inline_xml.ROOT} ".encode() in head and f'"{inline_xml.FORMAT}"'.encode() in head:
        return "inline-xml"
    if tei.TEI_NS.encode() in head and b"Exported by annotator" in head:
        return "tei"
    return None


def find_importer(path: Path) -> Importer | None:
    """The importer that recognises ``path`` (a file or a folder), else None.

    Our own exports are recognised by their content, so a JSON, inline-XML or
    TEI export saved under another extension is still read as what it is.
    """
    path = Path(path)
    own = sniff_own_format(path)
    if own is not None:
        return next(imp for imp in IMPORTERS if imp.name == own)
    for imp in IMPORTERS:
        try:
            if imp.sniff(path):
                return imp
        except OSError:
            continue
    return None
