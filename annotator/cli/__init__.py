"""The headless command line: ``annotator COMMAND ...``.

It never imports PySide6 (``annotator gui`` imports the UI only when run).
Each command lives in a small module with ``register(subparsers)``; its parser
sets ``func(args) -> int``. Errors derived from :class:`AnnotatorError` become
one line on stderr and exit status 1; a traceback is a bug.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import importlib
import os
import sys
from collections.abc import Sequence

from annotator import __version__
from annotator.errors import AnnotatorError

#: Modules that contribute sub-commands, in the order ``--help`` lists them.
COMMAND_MODULES = (
    "annotator.cli.project_cmds",  # new, import, validate, stats, gui
    "annotator.cli.export_cmd",  # export
    "annotator.cli.review_cmds",  # merge, compare, agree
    "annotator.cli.suggest_cmd",  # suggest
    "annotator.cli.insight_cmds",  # overview, kwic
    "annotator.cli.git_cmds",  # merge-driver, git-setup, git-textconv
    "annotator.cli.conflicts_cmd",  # conflicts
    "annotator.cli.tagset_cmd",  # tagset show, export, rename-tag, rename-value, ...
)


def default_annotator() -> str:
    """The configured name (ANNOTATOR_NAME), else the operating-system user."""
    name = os.environ.get("ANNOTATOR_NAME", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # no user database (containers)
        return "annotator"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Mark appeals, victims and responsible authorities in press releases.",
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.add_argument(
        "--annotator",
        metavar="NAME",
        default=None,
        help="whose layer a command writes (default: $ANNOTATOR_NAME, else your user name)",
    )
    parser.add_argument(
        "--paranoid",
        action="store_true",
        help="before a project file is replaced, re-read the new one whole (XML and schema) "
        "instead of the quick check of its structure",
    )
    from annotator.cli.progress_bar import QUIET_HELP

    parser.add_argument("-q", "--quiet", action="store_true", help=QUIET_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # the GUI asks a first-time user for a name unless one was given explicitly
    args.annotator_given = args.annotator is not None or bool(
        os.environ.get("ANNOTATOR_NAME", "").strip()
    )
    if args.annotator is None:
        args.annotator = default_annotator()
    if args.paranoid:
        from annotator.formats.project_xml import set_paranoid

        set_paranoid(True)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        return int(func(args) or 0)
    except AnnotatorError as err:
        print(f"annotator: error: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # ``annotator stats --json | head``: the reader left, not an error
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as err:
        where = f"{err.filename}: " if err.filename else ""
        print(f"annotator: error: {where}{err.strerror or err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("annotator: interrupted", file=sys.stderr)
        return 130
