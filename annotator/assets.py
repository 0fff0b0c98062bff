"""Plain-file resources (schemas, tag sets, icons) via ``importlib.resources``.

In a wheel the top-level ``resources/`` folder is installed as the package
``annotator.resources`` (see ``[tool.setuptools.package-dir]``). In a bare
checkout run with ``PYTHONPATH=.`` that package does not exist, so we fall back
to the folder beside the package.
"""

from __future__ import annotations

import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path


def root() -> Traversable:
    try:
        return importlib.resources.files("annotator.resources")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Traversable:
    """A resource by its path below ``resources/``, e.g. ``resource("schema", "project.xsd")``."""
    node = root()
    for part in parts:
        node = node / part
    return node


def read_bytes(*parts: str) -> bytes:
    return resource(*parts).read_bytes()


def read_text(*parts: str) -> str:
    return resource(*parts).read_text(encoding="utf-8")
