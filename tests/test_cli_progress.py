"""The command line draws a progress bar on a terminal only, and never changes what it prints.

Each test runs the real ``annotator`` in a child process: once with its output in
pipes (as a script or CI sees it: no bar, the same bytes as always), once on a
pseudo-terminal (as a person at a terminal sees it: a bar on stderr, erased at
the end), and once on a terminal with ``--quiet``.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from tests.jobs_support import release_folder

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "projects" / "sample.xml"
ENV = {**os.environ, "PYTHONPATH": str(REPO), "ANNOTATOR_NAME": "dana", "COLUMNS": "100"}


def piped(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args],
        capture_output=True,
        text=True,
        env=ENV,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def on_terminal(*args: str) -> tuple[int, str]:
    """Run with stdout and stderr on one pseudo-terminal; everything it showed, and its status."""
    master, slave = pty.openpty()
    # 24 rows of 100 columns: a new pseudo-terminal has no size, and a bar needs a width
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", *args],
        stdout=slave,
        stderr=slave,
        stdin=subprocess.DEVNULL,
        env=ENV,
    )
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    # the terminal turns each newline into CR LF: back to what the program wrote
    return proc.wait(timeout=120), shown.decode("utf-8", "replace").replace("\r\n", "\n")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return release_folder(tmp_path_factory.mktemp("archive"), 12)


@pytest.fixture(scope="module")
def project(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("project") / "archive.xml"
    done = piped("import", str(archive), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert piped("suggest", str(out), "--apply").returncode == 0
    return out


BAR = re.compile(r"\d+ of 12 (releases|files)")


def test_import_on_a_terminal_shows_a_bar_that_counts_the_files(
    archive: Path, tmp_path: Path
) -> None:
    status, shown = on_terminal("import", str(archive), "-o", str(tmp_path / "new.xml"))
    assert status == 0
    assert "Reading releases" in shown
    assert re.search(r"\d+ of 12 files", shown)
    assert shown.startswith("\rReading releases")  # drawn before any line was printed
    assert "saved" in shown and "12 documents" in shown  # the summary is still printed


def test_import_piped_prints_exactly_what_it_did_before(archive: Path, tmp_path: Path) -> None:
    done = piped("import", str(archive), "-o", str(tmp_path / "new.xml"))
    assert done.returncode == 0
    assert "Reading releases" not in done.stderr and "\r" not in done.stderr
    assert not BAR.search(done.stdout + done.stderr)
    assert done.stdout.splitlines()[-1] == f"saved {tmp_path / 'new.xml'}: 12 documents"


@pytest.mark.parametrize(
    "args",
    [
        ("export", "{p}", "-f", "json", "-o", "{out}/x.json"),
        ("agree", "{p}", "--layers", "dana,ruth"),
        ("--annotator", "ruth", "suggest", "{p}"),
        ("overview", "{p}", "--layer", "dana"),
    ],
    ids=["export", "agree", "suggest", "overview"],
)
def test_long_commands_show_a_bar_on_a_terminal_and_none_with_quiet_or_piped(
    project: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    if args[0] == "agree":  # a second annotator's layer to measure against
        ruth = piped(
            "--annotator", "ruth", "suggest", str(project), "--apply", "--suggesters", "appeal-cues"
        )
        assert ruth.returncode == 0, ruth.stderr
    argv = [a.format(p=project, out=tmp_path) for a in args]
    status, shown = on_terminal(*argv)
    assert status == 0, shown
    assert "\r" in shown and re.search(r"\d+ of \d+ (releases|charts)", shown), shown

    status, quiet = on_terminal(*argv, "--quiet")
    assert status == 0
    assert "\r" not in quiet and not re.search(r"\d+ of \d+ (releases|charts)", quiet)
    status, quiet_first = on_terminal("--quiet", *argv)
    assert status == 0 and "\r" not in quiet_first

    done = piped(*argv)
    assert done.returncode == 0
    assert "\r" not in done.stderr and "\x1b" not in done.stderr
    assert not re.search(r"\d+ of \d+ (releases|charts)", done.stderr)
    # a quiet terminal shows what the pipes carry, line for line (the bar only added)
    assert sorted(quiet.splitlines()) == sorted((done.stdout + done.stderr).splitlines())
