"""Parsing untrusted XML safely, with one plain error sentence for every failure.

The parser resolves no entities, loads no DTD and touches no network. A
document that declares a DTD or entities is refused outright (external
entities, entity bombs), so no local file content can leak into a project.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from annotator.errors import BinaryFile, EmptyFile, MalformedXML, UnsafeXML

#: A document type declaration after the XML declaration, comments and processing
#: instructions: refused before libxml2 sees it, so an entity bomb or an external
#: entity is reported as what it is (UnsafeXML), not as a parse failure.
_DOCTYPE = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*<!DOCTYPE", re.S)


def make_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=True,  # 10,000-release projects are large but legitimate
        remove_blank_text=False,
        remove_comments=False,
    )


def parse_bytes(data: bytes, *, source: str = "") -> etree._ElementTree:
    """Parse ``data`` or raise EmptyFile, BinaryFile, MalformedXML or UnsafeXML."""
    if not data or data.isspace():  # no copy of a 100 MB file, unlike strip()
        raise EmptyFile("the file is empty", path=source or None)
    head = data[:4096]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BinaryFile("the file is binary, not XML", path=source or None)
    if _DOCTYPE.match(data, 0, 1 << 16):  # the prolog; later ones fail in libxml2
        raise UnsafeXML(
            "the file declares a DTD or entities, which annotator files never contain; "
            "refused for safety",
            path=source or None,
            line=data[: data.find(b"<!DOCTYPE")].count(b"\n") + 1,
        )
    try:
        tree = etree.ElementTree(etree.fromstring(data, make_parser()))
    except etree.XMLSyntaxError as err:
        line = err.position[0] if err.position else None
        msg = str(err.msg or err).split(" (line")[0].split(", line ")[0]
        raise MalformedXML(f"not well-formed XML: {msg}", path=source or None, line=line) from None
    docinfo = tree.docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        raise UnsafeXML(
            "the file declares a DTD or entities, which annotator files never contain; "
            "refused for safety",
            path=source or None,
            line=1,
        )
    for el in tree.iter(etree.Entity):
        raise UnsafeXML(
            f"the file uses the undeclared entity {el.text}; refused for safety",
            path=source or None,
            line=line_of(el),
        )
    return tree


def parse_file(path: str | Path) -> etree._ElementTree:
    p = Path(path)
    return parse_bytes(p.read_bytes(), source=str(p))


def line_of(el: etree._Element) -> int | None:
    """The source line of ``el`` for error messages (None when unknown)."""
    line = el.sourceline
    return line if isinstance(line, int) else None
