"""The core and the command line never load Qt.

Campaign staff run ``annotator validate`` or ``export`` on servers without a
display; importing PySide6 there costs seconds and may fail outright. The
import-linter contract in pyproject.toml checks the static imports; this test
checks what really ends up in ``sys.modules`` when the CLI runs.
"""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import annotator

REPO = Path(__file__).resolve().parent.parent


def core_modules() -> list[str]:
    """Every module of the package outside ``annotator.ui`` (and its own ``__main__``)."""
    names = []
    for info in pkgutil.walk_packages(annotator.__path__, "annotator."):
        if info.name.startswith(("annotator.ui", "annotator.resources")):
            continue
        if info.name.endswith("__main__"):
            continue
        names.append(info.name)
    return sorted(names)


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


def test_the_core_package_list_is_real() -> None:
    mods = core_modules()
    assert "annotator.model.project" in mods
    assert "annotator.cli" in mods
    assert "annotator.assist.run" in mods
    assert "annotator.insight.aggregate" in mods
    assert not any(m.startswith("annotator.ui") for m in mods)


def test_importing_every_core_module_and_running_the_cli_loads_no_qt() -> None:
    proc = run_python(
        f"""
        import contextlib, importlib, io, sys
        for name in {core_modules()!r}:
            importlib.import_module(name)
        from annotator.cli import main
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            try:
                main(["--help"])
            except SystemExit:
                pass
            for cmd in ("new", "import", "validate", "stats", "suggest", "overview", "kwic", "gui"):
                try:
                    main([cmd, "--help"])
                except SystemExit:
                    pass
        assert "usage: annotator" in out.getvalue(), out.getvalue()
        qt_prefixes = ("PySide6", "shiboken6", "annotator.ui")
        print(",".join(sorted(m for m in sys.modules if m.startswith(qt_prefixes))))
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"the core loaded Qt modules: {proc.stdout.strip()}"


def test_the_probe_would_notice_qt() -> None:
    """The same probe reports PySide6 once something does import it (the test can fail)."""
    pytest.importorskip("PySide6")
    proc = run_python(
        """
        import sys
        import PySide6.QtCore  # noqa: F401
        print(",".join(sorted(m for m in sys.modules if m.startswith("PySide6"))))
        """
    )
    assert "PySide6.QtCore" in proc.stdout


def lint_imports_exe() -> str | None:
    beside = Path(sys.executable).parent / "lint-imports"
    return str(beside) if beside.exists() else shutil.which("lint-imports")


def test_import_linter_contract_holds() -> None:
    exe = lint_imports_exe()
    if exe is None:
        pytest.skip("import-linter is not installed (.ci/run runs it)")
    proc = subprocess.run(
        [exe, "--no-cache"], capture_output=True, text=True, cwd=REPO, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
