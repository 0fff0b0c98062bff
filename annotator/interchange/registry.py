"""Which export formats exist, the options every exporter takes, and importer lookup.

Exporters and importers are small objects registered by name. The CLI
(``annotator export``) and the GUI's export dialog both list :data:`EXPORTERS`;
Every registered exporter checks its redacted output for leaks
(:mod:`.redact_check`). ``annotator import`` asks :func:`find_importer` whether an interchange file
(inline XML, brat, MAE, JSON) can be read back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from annotator.interchange.common import ExportOptions
from annotator.model import Project

__all__ = ["EXPORTERS", "IMPORTERS", "ExportOptions", "Exporter", "Importer", "find_importer"]


class Exporter(Protocol):
    """Writes one format. ``suffix`` empty means the output is a folder."""

    name: str
    description: str
    suffix: str

    def write(self, project: Project, out: Path, options: ExportOptions) -> None: ...


class Importer(Protocol):
    """Reads one interchange format back into a project's layer."""

    name: str

    def sniff(self, path: Path) -> bool: ...

    def read(self, path: Path, project: Project, layer: str) -> list[str]: ...


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
    # a redacted export is checked for leaks before it reaches its destination
    return {e.name: CheckedExporter(e) for e in found}


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


def find_importer(path: Path) -> Importer | None:
    """The importer that recognises ``path`` (a file or a brat folder), else None."""
    path = Path(path)
    for imp in IMPORTERS:
        try:
            if imp.sniff(path):
                return imp
        except OSError:
            continue
    return None
