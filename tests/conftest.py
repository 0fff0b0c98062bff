"""Shared fixtures: the real seed release file and small projects built from the default tag set.

GUI tests run headless: ``QT_QPA_PLATFORM`` defaults to ``offscreen`` here, before
pytest-qt creates the QApplication (a caller may still choose another platform).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.model import Document, DocumentMeta, Project

REPO = Path(__file__).resolve().parent.parent
#: The real input (a copy of the shared seed, kept in the repository so a clean
#: clone has it): two Amnesty International releases as PDF-extracted text.
SEED = REPO / "tests" / "data" / "000_3a922b85f584e461.txt"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The two-release seed text: every line followed by a blank line, curly quotes, "Sané"."""
    return SEED


@pytest.fixture
def small_project() -> Project:
    """Two short documents and one empty annotator layer, over the default tag set."""
    from annotator.formats.tagset_xml import default_tagset

    project = Project(name="small", tagset=default_tagset())
    project.add_document(
        Document(
            id="doc0001",
            text="Security forces beat a group of Buddhist monks. We call for restraint.",
            meta=DocumentMeta(headline="Cambodia: call for restraint", country="Cambodia"),
        )
    )
    project.add_document(
        Document(
            id="doc0002",
            text="More than 400 political prisoners remain in jail 😀 𠀀.",
            meta=DocumentMeta(headline="South Korea", country="South Korea"),
        )
    )
    project.ensure_layer("dana")
    return project


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """Where a test may write a project file (does not exist yet)."""
    return tmp_path / "project.xml"
