"""Readable, stable document ids derived from the source file name.

``Amnesty release 12.txt`` holding two releases gives ``Amnesty-release-12-1``
and ``Amnesty-release-12-2``: the same file always yields the same ids, and a
person can tell from an id where the release came from. Ids are XML NCNames
(the project file uses them as ``xml:id``-like keys): ASCII letters, digits,
``-``, ``_`` and ``.``, starting with a letter or ``_``; accents are folded
(``Sané`` gives ``Sane``), other characters become ``-``, and a name that would
start with a digit or be empty gets ``doc-`` in front. On a clash with an id
already in the project, ``_2``, ``_3``... is appended.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from pathlib import PurePosixPath

#: Longest stem kept from a file name, so ids stay readable in lists.
MAX_STEM = 48

_NOT_NAME = re.compile(r"[^A-Za-z0-9_.-]+")
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def id_stem(source_name: str) -> str:
    """The id stem for a source file name (its stem, folded to an NCName)."""
    stem = PurePosixPath(source_name.replace("\\", "/")).name
    if "." in stem[1:]:
        stem = stem.rsplit(".", 1)[0]
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    cleaned = _NOT_NAME.sub("-", folded).strip("-._")[:MAX_STEM].rstrip("-._")
    if not cleaned:
        return "doc"
    if not (cleaned[0].isalpha() or cleaned[0] == "_"):
        cleaned = f"doc-{cleaned}"
    return cleaned


def release_id(source_name: str, position: int) -> str:
    """The id of the ``position``-th (1-based) release of a source."""
    return f"{id_stem(source_name)}-{position}"


def unique_id(candidate: str, taken: Container[str]) -> str:
    """``candidate``, or ``candidate_2``, ``_3``... whichever is free first."""
    if candidate not in taken:
        return candidate
    n = 2
    while f"{candidate}_{n}" in taken:
        n += 1
    return f"{candidate}_{n}"


def is_ncname(value: str) -> bool:
    return _NCNAME.fullmatch(value) is not None


__all__ = ["MAX_STEM", "id_stem", "is_ncname", "release_id", "unique_id"]
