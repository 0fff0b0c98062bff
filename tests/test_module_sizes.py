"""Modules stay small enough to read in one sitting: the project's guide is about
200 to 600 lines per module, each named for what it holds."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GUIDE = 600


@pytest.mark.parametrize("package", ["formats"])
def test_modules_of_the_package_stay_within_the_guide(package: str) -> None:
    sizes = {
        path.name: len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted((REPO / "annotator" / package).glob("*.py"))
    }
    assert len(sizes) > 5
    assert {name: n for name, n in sizes.items() if n > GUIDE} == {}
