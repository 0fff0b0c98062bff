"""Reading and writing tag sets as XML: the ``<tagset>`` element.

The same element is a stand-alone tag-set file (``resources/tagsets/*.xml``,
``annotator new --tagset FILE``) and the first child of every project file, so
a project always carries the tag set it was annotated with.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from lxml import etree

from annotator import assets
from annotator.errors import SchemaViolation, WrongRootElement
from annotator.formats.safe_xml import line_of, parse_bytes
from annotator.formats.xmltext import attr_text, private_escape
from annotator.model.tagset import AttributeDef, LinkType, TagSet, TagType


def _text(el: etree._Element, child: str) -> str:
    found = el.find(child)
    return (found.text or "") if found is not None else ""


def _split(value: str | None) -> tuple[str, ...]:
    """The names of a ``sources``/``targets`` list (see :func:`_join`)."""
    return tuple(attr_text(name) for name in value.split()) if value else ()


def _join(names: tuple[str, ...]) -> str:
    """Names as one space-separated list. White space inside a name (a tag another
    tool called ``odd tag``) is written ``\\u{0020}``, so the list splits back into the
    same names instead of ``odd`` and ``tag``."""
    return " ".join(_WHITE.sub(_escape_white, private_escape(name)) for name in names)


_WHITE = re.compile(r"\s")


def _escape_white(m: re.Match[str]) -> str:
    return f"\\u{{{ord(m.group()):04X}}}"


def attribute_from_element(a: etree._Element) -> AttributeDef:
    """An attribute's definition from its ``<attribute>`` element."""
    return AttributeDef(
        name=a.get("name", ""),
        label=a.get("label", a.get("name", "")),
        values=tuple(v.get("name", "") for v in a.iterfind("value")),
        value_labels=tuple(v.get("label", v.get("name", "")) for v in a.iterfind("value")),
        multiple=a.get("multiple") == "true",
        definition=_text(a, "definition"),
    )


def tag_from_element(t: etree._Element, *, source: str = "") -> TagType:
    """A tag's definition from its ``<tag>`` element."""
    name = t.get("name")
    if not name:
        raise SchemaViolation("a <tag> has no name", path=source or None, line=line_of(t))
    return TagType(
        name=name,
        label=t.get("label", name),
        color=t.get("color", "#999999"),
        shortcut=t.get("shortcut", ""),
        definition=_text(t, "definition"),
        examples=tuple((e.text or "") for e in t.iterfind("example")),
        attributes=tuple(attribute_from_element(a) for a in t.iterfind("attribute")),
    )


def link_from_element(lk: etree._Element) -> LinkType:
    """A link type from its ``<link>`` element."""
    return LinkType(
        name=lk.get("name", ""),
        label=lk.get("label", lk.get("name", "")),
        sources=_split(lk.get("sources")),
        targets=_split(lk.get("targets")),
        definition=_text(lk, "definition"),
    )


def tagset_from_element(el: etree._Element, *, source: str = "") -> TagSet:
    """Build a TagSet from a ``<tagset>`` element (schema-valid or not: we check names)."""
    if el.tag != "tagset":
        raise WrongRootElement(
            f"expected a <tagset> element, found <{el.tag}>",
            path=source or None,
            line=line_of(el),
        )
    return TagSet(
        name=el.get("name", ""),
        tags=tuple(tag_from_element(t, source=source) for t in el.iterfind("tag")),
        links=tuple(link_from_element(lk) for lk in el.iterfind("link")),
        description=_text(el, "description"),
    )


def tag_element(parent: etree._Element, t: TagType) -> etree._Element:
    """``t`` as a ``<tag>`` child of ``parent``."""
    te = etree.SubElement(parent, "tag", name=t.name, label=t.label, color=t.color)
    if t.shortcut:
        te.set("shortcut", t.shortcut)
    if t.definition:
        etree.SubElement(te, "definition").text = t.definition
    for ex in t.examples:
        etree.SubElement(te, "example").text = ex
    for a in t.attributes:
        attribute_element(te, a)
    return te


def attribute_element(parent: etree._Element, a: AttributeDef) -> etree._Element:
    """``a`` as an ``<attribute>`` child of ``parent``."""
    ae = etree.SubElement(parent, "attribute", name=a.name, label=a.label)
    if a.multiple:
        ae.set("multiple", "true")
    if a.definition:
        etree.SubElement(ae, "definition").text = a.definition
    for i, v in enumerate(a.values):
        ve = etree.SubElement(ae, "value", name=v)
        if a.value_labels and a.value_labels[i] != v:
            ve.set("label", a.value_labels[i])
    return ae


def link_element(parent: etree._Element, lk: LinkType) -> etree._Element:
    """``lk`` as a ``<link>`` child of ``parent``."""
    le = etree.SubElement(
        parent,
        "link",
        name=lk.name,
        label=lk.label,
        sources=_join(lk.sources),
        targets=_join(lk.targets),
    )
    if lk.definition:
        etree.SubElement(le, "definition").text = lk.definition
    return le


def tagset_to_element(ts: TagSet) -> etree._Element:
    """The ``<tagset>`` element for ``ts``; deterministic (tag-set order is kept)."""
    root = etree.Element("tagset", name=ts.name)
    if ts.description:
        etree.SubElement(root, "description").text = ts.description
    for t in ts.tags:
        tag_element(root, t)
    for lk in ts.links:
        link_element(root, lk)
    return root


def load_tagset(path: str | Path) -> TagSet:
    p = Path(path)
    tree = parse_bytes(p.read_bytes(), source=str(p))
    return tagset_from_element(tree.getroot(), source=str(p))


@cache
def default_tagset() -> TagSet:
    """The campaign tag set shipped in ``resources/tagsets/default.xml``."""
    data = assets.read_bytes("tagsets", "default.xml")
    return tagset_from_element(parse_bytes(data, source="default.xml").getroot())
