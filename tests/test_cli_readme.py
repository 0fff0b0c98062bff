"""The README's command-line tour is real output: every ``$ annotator …`` line is run again.

A newcomer copies these commands first, so they must say what the tool really
prints. The tour runs in a scratch folder holding what it names: the seed as
``amnesty-1998.txt``, a truncated ``broken.xml`` and ``projects/sample.xml``.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def tour() -> list[tuple[str, str]]:
    """(command line, expected output) for each ``$ annotator`` line in console blocks."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    steps: list[tuple[str, str]] = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            steps.append((command, output))
    return steps


def test_the_readme_has_a_tour() -> None:
    commands = [c.split()[1] for c, _ in tour()]
    assert {"new", "import", "validate", "stats"} <= set(commands)


def test_the_tour_prints_what_the_readme_says(tmp_path: Path, seed_path: Path) -> None:
    shutil.copy(seed_path, tmp_path / "amnesty-1998.txt")
    (tmp_path / "broken.xml").write_text(
        '<annotator-project format-version="1">\n<documents>\n', encoding="utf-8"
    )
    (tmp_path / "projects").mkdir()
    shutil.copy(REPO / "projects" / "sample.xml", tmp_path / "projects" / "sample.xml")
    env = {**os.environ, "PYTHONPATH": str(REPO), "ANNOTATOR_NAME": "readme"}
    for command, expected in tour():
        argv = shlex.split(command)
        assert argv[0] == "annotator"
        proc = subprocess.run(
            # -u: unbuffered, so stdout and stderr interleave as on a terminal
            [sys.executable, "-u", "-m", "annotator", *argv[1:]],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=120,
        )
        assert proc.stdout == expected, f"README output of `{command}` is out of date"
