"""``annotator export PROJECT.xml --format F -o OUT``: write a project in another format."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from annotator.cli.progress_bar import add_quiet_option, terminal_progress
from annotator.errors import ExportError


def _format_help() -> str:
    from annotator.interchange.registry import EXPORTERS

    width = max(len(n) for n in EXPORTERS)
    lines = [f"  {name:<{width}}  {e.description}" for name, e in EXPORTERS.items()]
    return "formats:\n" + "\n".join(lines)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from annotator.interchange.registry import EXPORTERS

    p = sub.add_parser(
        "export",
        help="write annotations as JSON, inline XML, TEI, brat, MAE, CSV, HTML …",
        description="Export one layer of a project (by default the curated or the only one).",
        epilog=_format_help()
        + "\n\nexamples:\n  annotator export korea.xml -f inline-xml -o korea-inline.xml\n"
        "  annotator export korea.xml -f csv --layer alice --redact victim -o victims.csv\n"
        "  annotator export korea.xml -f brat -o brat-folder/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("project", type=Path, help="the project file")
    p.add_argument(
        "-f",
        "--format",
        required=True,
        choices=list(EXPORTERS),
        metavar="FORMAT",
        help="one of: " + ", ".join(EXPORTERS),
    )
    p.add_argument(
        "-o", "--output", required=True, type=Path, help="output file (a folder for brat and mae)"
    )
    p.add_argument(
        "--layer",
        default=None,
        help="layer to export (default: the curated layer, else the only one)",
    )
    p.add_argument(
        "--documents",
        default=None,
        metavar="IDS",
        help="comma-separated document ids (default: all)",
    )
    p.add_argument(
        "--redact",
        nargs="+",
        default=[],
        metavar="TAG",
        help="replace the text of these tags, and every other mention of the names they "
        "cover, by placeholders like [Victim 1]",
    )
    p.add_argument(
        "--redact-also",
        nargs="+",
        default=[],
        metavar="WORD",
        help="also redact these names, never annotated (a nickname, another spelling)",
    )
    p.add_argument("--no-bom", action="store_true", help="CSV without a byte-order mark")
    p.add_argument(
        "--no-formula-guard",
        action="store_true",
        help="do not prefix CSV cells starting with = + - @ with '",
    )
    add_quiet_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from annotator.formats.project_xml import (  # type: ignore[import-not-found,unused-ignore]
        load_project,
    )
    from annotator.interchange.common import ExportOptions
    from annotator.interchange.registry import EXPORTERS

    project, _ = load_project(args.project)
    exporter = EXPORTERS.get(args.format)
    if exporter is None:
        raise ExportError(f"unknown format {args.format!r}")
    docs = [d.strip() for d in args.documents.split(",") if d.strip()] if args.documents else None
    options = ExportOptions(
        layer=args.layer,
        documents=docs,
        redact=tuple(args.redact),
        redact_also=tuple(args.redact_also),
        bom=not args.no_bom,
        formula_guard=not args.no_formula_guard,
    )
    with terminal_progress(args) as progress:
        options = dataclasses.replace(options, progress=progress)
        notes = exporter.write(project, args.output, options)
    print(f"wrote {args.output} ({exporter.name})", file=sys.stderr)
    for note in notes:  # what the format could not hold: said, never silently dropped
        print(f"  note: {note}", file=sys.stderr)
    return 0
