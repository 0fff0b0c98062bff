"""Upgrading project trees written by older annotator versions, one step at a time.

A file of format version N < current is upgraded in memory on load by
applying ``upgrade_vN_to_vN+1``, ``upgrade_vN+1_to_vN+2``, ... to its parsed
tree, then validated against the current schema like any other file. The file
on disk is only rewritten (in the current version) when the user saves.

Each step is a function ``(root element) -> None`` registered in ``UPGRADES``
under the version it upgrades from. To change the format: bump
``FORMAT_VERSION``, ship ``project-N.xsd``, write the step from N-1 to N here,
and add a version N-1 fixture to the tests.

Version 0 never shipped; it exists to keep this machinery tested. It is how
the format looked in its first draft: single-span annotations with ``start``
and ``end`` attributes, and no ``quote``.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from annotator.formats.project_writer import FORMAT_VERSION
from annotator.formats.xmltext import attr_text, element_text, private_escape
from annotator.numbers import MAX_DIGITS

Upgrade = Callable[[etree._Element], None]


def _document_texts(root: etree._Element) -> dict[str, str]:
    texts: dict[str, str] = {}
    for doc in root.iterfind("documents/document"):
        text_el = doc.find("text")
        if text_el is not None:
            try:
                texts[attr_text(doc.get("id", ""))] = element_text(text_el)
            except ValueError:
                continue  # the schema check after the upgrade reports it
    return texts


def _offset(value: str) -> bool:
    """Whether ``value`` is short ASCII digits (the schema check reports anything else)."""
    return value.isascii() and value.isdigit() and len(value) <= MAX_DIGITS


def upgrade_v0_to_v1(root: etree._Element) -> None:
    """``start``/``end`` become ``frags``; the ``quote`` is computed from the text."""
    texts = _document_texts(root)
    for ann in root.iterfind("layers/layer/ann"):
        start, end = ann.get("start"), ann.get("end")
        if start is None or end is None:
            continue  # left for the schema check to report
        attrs: dict[str, str] = {str(k): str(v) for k, v in ann.attrib.items()}
        attrs.pop("start")
        attrs.pop("end")
        text = texts.get(attr_text(attrs.get("doc", "")))
        new: dict[str, str] = {k: attrs.pop(k) for k in ("id", "doc", "tag") if k in attrs}
        new["frags"] = f"{start}-{end}"
        if text is not None and _offset(start) and _offset(end):
            new["quote"] = private_escape(text[int(start) : int(end)])
        new.update(attrs)
        ann.attrib.clear()
        for k, v in new.items():
            ann.set(k, v)


def upgrade_v1_to_v2(root: etree._Element) -> None:
    """Version 2 only adds what links may carry (``<attr>`` children, ``note``): a
    version 1 tree is already a valid version 2 tree, so nothing changes but the number."""


def upgrade_v2_to_v3(root: etree._Element) -> None:
    """Version 3 only adds the tag-set log (``<tagset-log>``, optional): a version 2
    tree is already a valid version 3 tree, so nothing changes but the number."""


#: from-version -> the step to the next version
UPGRADES: dict[int, Upgrade] = {0: upgrade_v0_to_v1, 1: upgrade_v1_to_v2, 2: upgrade_v2_to_v3}


def upgrade(root: etree._Element, version: int) -> None:
    """Bring ``root`` (of format ``version``) up to FORMAT_VERSION in place."""
    while version < FORMAT_VERSION:
        UPGRADES[version](root)
        version += 1
    root.set("format-version", str(FORMAT_VERSION))
