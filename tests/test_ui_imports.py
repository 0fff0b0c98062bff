"""The main window's parts do not import it back: the import-linter contract covers them all."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: the two modules that build the window; everything else in annotator.ui is a part of it
BUILDERS = {"annotator.ui.app", "annotator.ui.main_window"}
CONTRACT = "The window's parts never import the main window"


def ui_modules() -> set[str]:
    """annotator.ui's modules and subpackages, one level down (a subpackage counts whole)."""
    ui = ROOT / "annotator" / "ui"
    names = {f"annotator.ui.{p.stem}" for p in ui.glob("*.py") if p.stem != "__init__"}
    names |= {f"annotator.ui.{p.name}" for p in ui.iterdir() if (p / "__init__.py").is_file()}
    return names


def test_the_contract_names_every_part_of_the_window() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (contract,) = [c for c in contracts if c["name"] == CONTRACT]
    listed = set(contract["source_modules"])
    missing = ui_modules() - BUILDERS - listed
    assert not missing, f"add {sorted(missing)} to the contract {CONTRACT!r} in pyproject.toml"
    assert set(contract["forbidden_modules"]) == BUILDERS
    assert listed <= ui_modules()  # no stale names either
