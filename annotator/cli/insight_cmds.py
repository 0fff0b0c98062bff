"""``annotator overview`` and ``annotator kwic``: the corpus at a glance, and back to the text."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.cli.progress_bar import add_quiet_option, terminal_progress
from annotator.errors import OverviewError

if TYPE_CHECKING:
    from annotator.insight.scope import Scope


def _filter_options(p: argparse.ArgumentParser) -> None:
    from annotator.insight.scope import STATUS_VALUES

    p.add_argument("project", type=Path, help="the project file")
    p.add_argument(
        "--layer",
        default=None,
        help="layer to count (default: the curated layer, else the only one)",
    )
    p.add_argument(
        "--status",
        default="",
        metavar="S",
        help="only releases with this status: " + ", ".join(STATUS_VALUES),
    )
    p.add_argument("--country", default="", metavar="C", help="only releases from this country")
    p.add_argument(
        "--from",
        dest="date_from",
        default="",
        metavar="DATE",
        help="released on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)",
    )
    p.add_argument(
        "--to", dest="date_to", default="", metavar="DATE", help="released on or before DATE"
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "overview",
        help="count what the team found: per tag, per attribute value, country, month",
        description="Counts over one layer: annotations per tag and per attribute value, per "
        "country, per month or year, and the most frequent phrases with the number of "
        "releases each appears in.",
        epilog="examples:\n  annotator overview korea.xml\n"
        "  annotator overview korea.xml --country Cambodia --from 1998 --to 1999-06 --json\n"
        "  annotator overview korea.xml --html -o overview.html",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _filter_options(p)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="JSON instead of tables")
    out.add_argument("--csv", action="store_true", help="CSV: one row per bar and phrase")
    out.add_argument("--html", action="store_true", help="one self-contained HTML page")
    p.add_argument("-o", "--output", type=Path, default=None, help="write to FILE (HTML needs it)")
    p.add_argument(
        "--period", choices=("month", "year"), default="month", help="time bars per (month)"
    )
    p.add_argument("--top", type=int, default=10, metavar="N", help="phrases listed per tag (10)")
    add_quiet_option(p)
    p.set_defaults(func=run_overview)

    k = sub.add_parser(
        "kwic",
        help="list every annotation of a tag with its context, aligned (a concordance)",
        description="A concordance: each annotation of a tag with the text left and right of "
        "it, the spans in one column.",
        epilog="examples:\n  annotator kwic korea.xml --tag victim\n"
        "  annotator kwic korea.xml --tag victim --value group=journalist --width 40",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _filter_options(k)
    k.add_argument("--tag", required=True, help="the tag whose annotations to list")
    k.add_argument(
        "--value",
        action="append",
        default=[],
        metavar="ATTR=VALUE",
        help="only annotations with this attribute value (repeatable)",
    )
    k.add_argument("--width", type=int, default=60, help="characters of context each side (60)")
    k.set_defaults(func=run_kwic)


def _scope(args: argparse.Namespace) -> Scope:
    from annotator.formats.project_xml import load_project
    from annotator.insight.scope import Filter, parse_date, select

    flt = Filter(
        layer=args.layer,
        status=args.status,
        country=args.country,
        date_from=parse_date(args.date_from) if args.date_from else None,
        date_to=parse_date(args.date_to, end=True) if args.date_to else None,
    )
    project, _ = load_project(args.project)
    return select(project, flt)


def _write(target: Path | None, text: str) -> None:
    if target is None:
        sys.stdout.write(text)
        return
    from annotator.interchange.output import write_output

    def write(staged: Path) -> None:
        staged.write_text(text, encoding="utf-8")

    write_output(target, write, folder=False)
    print(f"wrote {target}", file=sys.stderr)


def run_overview(args: argparse.Namespace) -> int:
    from annotator.insight.aggregate import overview
    from annotator.insight.report import to_csv, to_html, to_json, to_text

    if args.html and args.output is None:
        raise OverviewError("an HTML overview is a file: give it with -o FILE")
    if args.top < 0:
        raise OverviewError(f"--top must be 0 or more, not {args.top}")
    scope = _scope(args)
    with terminal_progress(args) as progress:
        ov = overview(scope, period=args.period, limit=args.top, progress=progress)
    ov.filter = {
        "status": args.status,
        "country": args.country,
        "from": args.date_from,
        "to": args.date_to,
    }
    render = to_json if args.json else to_csv if args.csv else to_html if args.html else to_text
    _write(args.output, render(ov))
    return 0


def run_kwic(args: argparse.Namespace) -> int:
    from annotator.insight.kwic import concordance, format_concordance, parse_values

    values = parse_values(args.value)
    scope = _scope(args)
    lines = concordance(scope, args.tag, values, args.width)
    if lines:
        print(format_concordance(lines, args.width))
    print(
        f"{len(lines)} of the {args.tag} annotations in {len(scope.documents)} releases "
        f"(layer {scope.layer})",
        file=sys.stderr,
    )
    return 0
