"""``annotator conflicts``: list the conflicts a git merge recorded in a project, settle them.

The same core as review mode's Conflicts list (:mod:`annotator.review.conflicts`);
the write goes through ``update_project``, so a colleague's save is never lost.
"""

from __future__ import annotations

import argparse
from typing import Any

from annotator.errors import NoConflictChosen
from annotator.model.project import Project
from annotator.review.conflicts import (
    ProjectConflict,
    ResolveConflicts,
    Side,
    list_conflicts,
    sides,
)
from annotator.wording import count


def register(sub: Any) -> None:
    p = sub.add_parser(
        "conflicts",
        help="list the conflicts a git merge recorded in a project, keep ours or theirs",
        description="List the conflicts 'git pull' recorded in PROJECT.xml (their side kept "
        "in the layers and documents ending '~theirs'), ours beside theirs. With --accept, "
        "settle them: ours drops their record, theirs puts it in place. Once none is left, "
        "the '~theirs' layers, documents and metadata are gone; then 'git add' and 'git "
        "commit' finish the merge.",
    )
    p.add_argument("project", metavar="PROJECT.xml")
    p.add_argument("--accept", choices=[s.value for s in Side], help="the side to keep")
    p.add_argument("--all", action="store_true", help="settle every conflict (with --accept)")
    p.add_argument(
        "--only",
        metavar="N[,N...]",
        type=_numbers,
        default=[],
        dest="numbers",
        help="settle only these conflicts, by their number in the listing (with --accept)",
    )
    p.set_defaults(func=cmd_conflicts)


def _numbers(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None


def conflict_lines(project: Project, conflicts: list[ProjectConflict]) -> list[str]:
    lines: list[str] = []
    for n, c in enumerate(conflicts, start=1):
        ours, theirs = sides(project, c)
        lines += [f"{n}. {c.title()}", f"   ours:   {ours}", f"   theirs: {theirs}"]
    return lines


def cmd_conflicts(args: argparse.Namespace) -> int:
    if args.accept is None:
        if args.all or args.numbers:
            raise NoConflictChosen("say which side to keep: --accept ours or --accept theirs")
        from annotator.formats.project_xml import load_project

        project, _ = load_project(args.project)
        conflicts = list_conflicts(project)
        if not conflicts:
            print(f"{args.project}: no conflicts")
            return 0
        print(f"{args.project}: {count(len(conflicts), 'conflict')}")
        print("\n".join(conflict_lines(project, conflicts)))
        return 0
    if not args.all and not args.numbers:
        raise NoConflictChosen(
            f"say which conflicts to settle: --all, or --only and their numbers "
            f"(annotator conflicts {args.project} lists them)"
        )
    from annotator.formats.project_update import update_project

    def change(project: Project) -> tuple[tuple[int, int], bool]:
        conflicts = list_conflicts(project)
        if args.all:
            chosen = conflicts
        else:
            wrong = [n for n in args.numbers if not 1 <= n <= len(conflicts)]
            if wrong:
                raise NoConflictChosen(
                    f"{args.project} has {count(len(conflicts), 'conflict')}: "
                    f"there is no conflict {wrong[0]}"
                )
            chosen = [conflicts[n - 1] for n in dict.fromkeys(args.numbers)]
        if not chosen:
            return (0, 0), False
        ResolveConflicts((c, args.accept) for c in chosen).do(project)
        return (len(chosen), len(list_conflicts(project))), True

    done = update_project(args.project, change)
    if not done.saved:
        print(f"{args.project}: no conflicts; not changed")
        return 0
    settled, left = done.result
    print(f"kept {args.accept} for {count(settled, 'conflict')}")
    if left:
        print(f"{count(left, 'conflict')} left")
    else:
        print("no conflicts left: the '~theirs' records are gone")
    print(f"saved {args.project}")
    return 0
