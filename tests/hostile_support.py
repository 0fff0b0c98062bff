"""Running ``annotator`` on hostile files: the exit status, stderr, and a bound on time.

Shared by the fuzz tests and the regression tests for what they found. A file
is handled cleanly when the command exits 0 or 1 and every line on stderr is
the CLI's own one-line message (``annotator: …``; ``validate`` prints
``PATH[, line N]: …`` and a summary), never a traceback and never a hang.
"""

from __future__ import annotations

import contextlib
import io
import re
import signal
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from annotator.cli import main
from annotator.formats.project_writer import project_to_bytes
from annotator.formats.project_xml import load_project
from annotator.interchange.registry import EXPORTERS, ExportOptions
from annotator.model import Fragment

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "projects" / "sample.xml"

#: An example running longer than this is a hang (an alarm, not Hypothesis' deadline:
#: the CI machine is shared, so a deadline of milliseconds would fail at random).
HANG_SECONDS = 20

#: What ``validate`` prints last when a file is not valid.
SUMMARY = re.compile(r"\d+ of \d+ files are not valid")

#: Export formats that ``annotator import`` reads back, and the name of their output.
READABLE = {
    "json": "sample.json",
    "brat": "brat",
    "mae": "mae",
    "tei": "sample-tei.xml",
    "inline-xml": "sample-inline.xml",
}


class Hang(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: int = HANG_SECONDS) -> Iterator[None]:
    def _alarm(signum: int, frame: object) -> None:
        raise Hang(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def run_cli_output(*argv: str) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of ``annotator ARGV`` (as "fuzz"); any exception
    other than the CLI's own handling propagates."""
    out, err = io.StringIO(), io.StringIO()
    with time_limit(), contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        status = main(["--annotator", "fuzz", *argv])
    return status, out.getvalue(), err.getvalue()


def run_cli(*argv: str) -> tuple[int, str]:
    """Exit status and stderr of ``annotator ARGV``."""
    status, _, err = run_cli_output(*argv)
    return status, err


def assert_clean(
    status: int, stderr: str, path: Path | None = None, *, also: tuple[str, ...] = ()
) -> None:
    """Exit 0 or 1, and stderr holds only the CLI's own one-line messages (and lines
    starting with ``also``, such as export's ``wrote OUT``)."""
    assert status in (0, 1), (status, stderr)
    for line in stderr.splitlines():
        ours = line.startswith(("annotator: ", *also)) or SUMMARY.fullmatch(line)
        if path is not None:
            ours = ours or line.startswith((f"{path}: ", f"{path}, line "))
        assert ours, stderr


def make_exports(base: Path) -> dict[str, Path]:
    """The sample project's layer "dana" in every format ``import`` reads, by the real
    exporters, under ``base``."""
    project, _ = load_project(SAMPLE)
    out = {}
    for fmt, name in READABLE.items():
        EXPORTERS[fmt].write(project, base / name, ExportOptions(layer="dana"))
        out[fmt] = base / name
    return out


def review_project() -> bytes:
    """The sample with a second annotator, "eli", who disagrees the way colleagues do: she
    left every third of dana's annotations out and ended every fourth one a character early."""
    project, _ = load_project(SAMPLE)
    dana = project.layers["dana"]
    eli = project.ensure_layer("eli")
    for doc_id, da in dana.docs.items():
        for k, ann in enumerate(da.sorted_annotations()):
            if k % 3 == 2:
                continue
            frags = ann.fragments
            last = frags[-1]
            if k % 4 == 3 and last.end - last.start > 1:
                frags = (*frags[:-1], Fragment(last.start, last.end - 1))
            eli.doc(doc_id).annotations[ann.id] = replace(
                ann, fragments=frags, created_by="eli", modified_by="eli"
            )
    return project_to_bytes(project)
