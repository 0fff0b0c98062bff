"""The command line's progress bar: on a terminal only, on stderr, never in a pipe.

A long command (``import`` of a folder, ``suggest``, ``agree``, ``export``,
``overview``) hands its core function the :class:`~annotator.progress.Progress`
that :func:`terminal_progress` yields. The bar is drawn by ``tqdm`` on stderr
and erased when the command ends, so what the command prints (on stdout, and its
own lines on stderr) is exactly what it prints without a bar. There is no bar
(the core gets ``None`` and pays nothing) when stdout or stderr is not a
terminal (a pipe, a file, a test) or with ``--quiet``.

Ctrl+C ends the command as before (exit 130) and, since the commands plan
first and write last, leaves the project and the output as they were.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from typing import Any

from annotator.progress import Progress, Step
from annotator.wording import plural

QUIET_HELP = "no progress bar (there is none anyway when the output is not a terminal)"


def add_quiet_option(parser: argparse.ArgumentParser) -> None:
    """``--quiet`` after the command too (``annotator import … --quiet``)."""
    # SUPPRESS: left out, the sub-command must not reset a ``--quiet`` given before it
    parser.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help=QUIET_HELP
    )


def wanted(args: argparse.Namespace) -> bool:
    """A bar is drawn: not ``--quiet``, and both output streams are terminals."""
    if getattr(args, "quiet", False):
        return False
    try:
        return sys.stderr.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False


class TerminalBar:
    """One tqdm bar per phase of a job, fed from :class:`Progress` reports."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.phase = -1

    def __call__(self, step: Step) -> None:
        if step.phase != self.phase:
            self.close()
            self.phase = step.phase
            self.bar = _new_bar(step)
        bar = self.bar
        if bar.total != step.total:
            bar.total = step.total
        bar.update(step.done - bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _new_bar(step: Step) -> Any:
    from tqdm import tqdm

    units = plural(step.unit)
    if step.total is None:
        form = "{desc}: {n:,} " + units + " [{elapsed}]"
    else:
        form = "{desc}: {percentage:3.0f}%|{bar}| {n:,} of {total:,} " + units
        form += " [{elapsed}<{remaining}]"
    return tqdm(
        total=step.total,
        desc=step.label,
        file=sys.stderr,
        leave=False,  # the command's own summary line follows, not a finished bar
        dynamic_ncols=True,
        bar_format=form,
        mininterval=0.1,
    )


@contextlib.contextmanager
def terminal_progress(args: argparse.Namespace) -> Iterator[Progress | None]:
    """The :class:`Progress` to hand a long job: a bar on a terminal, else None."""
    if not wanted(args):
        yield None
        return
    bar = TerminalBar()
    try:
        yield Progress(bar)
    finally:
        bar.close()


@contextlib.contextmanager
def printing(progress: Progress | None) -> Iterator[None]:
    """Print to stdout while a bar is drawn: the bar steps aside and comes back after."""
    if progress is None:
        yield
        return
    from tqdm import tqdm

    with tqdm.external_write_mode():
        yield


__all__ = [
    "QUIET_HELP",
    "TerminalBar",
    "add_quiet_option",
    "printing",
    "terminal_progress",
    "wanted",
]
