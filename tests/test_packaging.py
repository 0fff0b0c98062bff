"""The package as users get it: a wheel installed outside the checkout, and the README's commands.

A checkout run with ``PYTHONPATH=.`` hides packaging mistakes (a schema or tag
set left out of the wheel, a sub-package not listed), because everything is
found beside the sources anyway. So we build the wheel, install it into a fresh
virtual environment under a temporary folder, and run the command line from a
folder that is not the checkout.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


# --- README and CI agree --------------------------------------------------------


def readme_commands() -> list[str]:
    """The one-line shell commands in the README that start from a fresh venv."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip().startswith("python3 -m venv")]


def test_readme_has_the_two_commands() -> None:
    cmds = readme_commands()
    assert any(" gui " in c and c.endswith("projects/sample.xml") for c in cmds), cmds
    assert any("-m pytest" in c for c in cmds), cmds


def test_ci_runs_exactly_the_readme_test_command() -> None:
    """``.ci/run`` runs the README's install half, then (after linting) its test half."""
    (test_cmd,) = [c for c in readme_commands() if "-m pytest" in c]
    install, sep, tests = test_cmd.rpartition(" && ")
    assert sep, test_cmd
    ci_lines = [ln.strip() for ln in (REPO / ".ci" / "run").read_text().splitlines()]
    assert install in ci_lines, f".ci/run does not install with the README's {install!r}"
    assert any(ln.startswith(tests) for ln in ci_lines), f".ci/run does not run {tests!r}"
    assert "set -euo pipefail" in ci_lines


def test_ci_treats_no_tests_as_failure(tmp_path: Path) -> None:
    """The exit-status handling in .ci/run, run on a fake pytest that collects nothing."""
    script = (REPO / ".ci" / "run").read_text()
    block = script[script.index("rc=0") : script.index('step "done"')]
    block = block.replace("QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest", "(exit 5)")
    proc = subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + block + "\necho REACHED"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 5
    assert "REACHED" not in proc.stdout
    assert "no tests" in proc.stderr


# --- the wheel ------------------------------------------------------------------


def build_wheel(out: Path) -> Path:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (wheel,) = out.glob("annotator-*.whl")
    return wheel


def install_into_fresh_venv(wheel: Path, root: Path) -> Path:
    """A venv at ``root`` with only the wheel; lxml etc. come from this interpreter's
    site-packages through a ``.pth`` line (its own .pth files, e.g. an editable
    install of the checkout, are not processed that way)."""
    venv.EnvBuilder(with_pip=False).create(root)
    python = root / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(site, "_test_deps.pth").write_text("\n".join(sorted(ours)) + "\n")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(wheel, venv root) — built once for the tests below."""
    base = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(base / "dist")
    return wheel, install_into_fresh_venv(wheel, base / "venv")


def run_in(venv_root: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run(args, capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


@pytest.mark.slow
def test_wheel_contains_every_package_and_resource(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for init in REPO.glob("annotator/**/__init__.py"):
        rel = init.relative_to(REPO).as_posix()
        assert rel in names, f"{rel} is missing from the wheel"
    for res in (REPO / "resources").rglob("*"):
        if res.is_file() and "__pycache__" not in res.parts:
            rel = "annotator/resources/" + res.relative_to(REPO / "resources").as_posix()
            assert rel in names, f"{rel} is missing from the wheel"
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "annotator = annotator.cli:main" in text
    assert "annotator-gui = annotator.ui.app:main" in text


@pytest.mark.slow
def test_installed_package_reads_its_own_resources(
    installed: tuple[Path, Path], tmp_path: Path
) -> None:
    _, root = installed
    probe = (
        "import annotator, annotator.assets as a; "
        "print(annotator.__file__); print(a.root()); "
        "print(len(a.read_text('tagsets', 'default.xml')))"
    )
    proc = run_in(root, [str(root / "bin" / "python"), "-c", probe], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    module_file, resource_root, size = proc.stdout.split("\n")[:3]
    assert Path(module_file).is_relative_to(root), module_file
    assert Path(resource_root).is_relative_to(root), resource_root
    assert int(size) == len((REPO / "resources/tagsets/default.xml").read_text("utf-8"))


@pytest.mark.slow
def test_installed_cli_imports_and_validates_outside_the_checkout(
    installed: tuple[Path, Path], tmp_path: Path, seed_path: Path
) -> None:
    _, root = installed
    exe = str(root / "bin" / "annotator")
    project = tmp_path / "x" / "p.xml"
    project.parent.mkdir()
    proc = run_in(root, [exe, "import", str(seed_path), "-o", str(project)], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert len(re.findall(r"^imported \S+  ", proc.stdout, re.M)) == 2, proc.stdout
    proc = run_in(root, [exe, "validate", str(project)], cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == f"{project}: valid"
    # the schema validate used is the installed one, not the checkout's
    probe = "import annotator.assets as a; print(a.resource('schema', 'project-3.xsd'))"
    proc = run_in(root, [str(root / "bin" / "python"), "-c", probe], cwd=tmp_path)
    assert Path(proc.stdout.strip()).is_relative_to(root), proc.stdout
