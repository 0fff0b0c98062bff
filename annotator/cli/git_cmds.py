"""``annotator merge-driver``, ``annotator git-setup`` and ``annotator git-textconv``.

Thin wrappers over :mod:`annotator.review.git_team`: git calls the first and the
last itself once ``git-setup`` has registered them.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from annotator.review.git_team import git_setup, merge_files, textconv


def _merge_driver(args: argparse.Namespace) -> int:
    result = merge_files(args.base, args.ours, args.theirs, args.path or "")
    for line in result.lines:
        print(line, file=sys.stderr)  # git shows the driver's output beside its own
    return result.status


def _git_setup(args: argparse.Namespace) -> int:
    for line in git_setup(".", global_=args.global_):
        print(line)
    return 0


def _git_textconv(args: argparse.Namespace) -> int:
    sys.stdout.buffer.write(textconv(args.file))
    sys.stdout.flush()
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "merge-driver",
        help="merge three versions of a project file (git's merge driver)",
        description="Merge BASE, OURS and THEIRS annotation by annotation and write the result "
        "over OURS. Exit status 0 when clean, 1 when a real conflict was recorded in the file "
        "(their side in the layers ending '~theirs'). Registered by 'annotator git-setup'.",
    )
    p.add_argument("base", metavar="BASE")
    p.add_argument("ours", metavar="OURS")
    p.add_argument("theirs", metavar="THEIRS")
    p.add_argument("path", metavar="PATH", nargs="?", help="the file's name in the repository")
    p.set_defaults(func=_merge_driver)

    p = sub.add_parser(
        "git-setup",
        help="let git merge and diff project files annotation by annotation",
        description="Register annotator's merge and diff drivers with git and add "
        "'*.xml merge=annotator diff=annotator' to .gitattributes. Running it again "
        "changes nothing.",
    )
    p.add_argument(
        "--global",
        dest="global_",
        action="store_true",
        help="for every repository of this user (git config --global, global attributes file)",
    )
    p.set_defaults(func=_git_setup)

    p = sub.add_parser(
        "git-textconv",
        help="print a project as one line per annotation (git's diff view)",
        description="Print FILE's documents, statuses, annotations and links one per line; "
        "other files are printed as they are.",
    )
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=_git_textconv)
