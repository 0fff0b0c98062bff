"""Reading and writing the tag-set log: the ``<tagset-log>`` element of a project file.

It follows the tag set (format version 3; see ``resources/schema/project-3.xsd``)::

    <tagset-log>
      <change id="c1f…" op="rename-tag" by="lead" at="2026-11-30T08:40:00Z"
              what="renamed tag 'victim' to 'affected'"
              ><arg name="old" value="victim"/><arg name="new" value="affected"/></change>
    </tagset-log>

One ``<change>`` per line, oldest first, so a diff or a merge conflict shows
exactly which change two files disagree on. Each ``<arg>`` is one argument of
the change: text in ``value``; ``type="bool"`` or ``"int"`` with the value; a
list of names as ``type="list"`` with one ``<item value="…"/>`` each; or a
definition the change brings (``type="tag"``, ``"attribute"``, ``"link"``,
``"tagset"``) as its one child, written as in the tag set itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from annotator.errors import SaveFailed, SchemaViolation
from annotator.formats.safe_xml import line_of
from annotator.formats.tagset_xml import (
    attribute_element,
    attribute_from_element,
    link_element,
    link_from_element,
    tag_element,
    tag_from_element,
    tagset_from_element,
    tagset_to_element,
)
from annotator.formats.xmltext import attr_text, private_escape
from annotator.model.tagset import AttributeDef, LinkType, TagType
from annotator.model.tagset_log import LogArg, TagSetLogEntry

LOG_TAG = "tagset-log"


# --- writing ---------------------------------------------------------------------------


def _arg_element(parent: etree._Element, name: str, value: LogArg) -> None:
    el = etree.SubElement(parent, "arg", name=private_escape(name))
    if isinstance(value, bool):  # before int: a bool is an int too
        el.set("type", "bool")
        el.set("value", "true" if value else "false")
    elif isinstance(value, int):
        el.set("type", "int")
        el.set("value", str(value))
    elif isinstance(value, str):
        el.set("value", private_escape(value))
    elif isinstance(value, tuple):
        el.set("type", "list")
        for item in value:
            etree.SubElement(el, "item", value=private_escape(item))
    elif isinstance(value, TagType):
        el.set("type", "tag")
        tag_element(el, value)
    elif isinstance(value, AttributeDef):
        el.set("type", "attribute")
        attribute_element(el, value)
    elif isinstance(value, LinkType):
        el.set("type", "link")
        link_element(el, value)
    else:
        el.set("type", "tagset")
        el.append(tagset_to_element(value))


def change_element(entry: TagSetLogEntry) -> etree._Element:
    """One entry as its ``<change>`` element."""
    el = etree.Element("change", id=private_escape(entry.id), op=private_escape(entry.op))
    for key, text in (("by", entry.author), ("at", entry.at), ("what", entry.what)):
        if text:
            el.set(key, private_escape(text))
    if entry.rejected:
        el.set("rejected-by", private_escape(entry.rejected))
    for name, value in entry.args:
        _arg_element(el, name, value)
    return el


def log_lines(log: Iterable[TagSetLogEntry]) -> str:
    """The ``<tagset-log>`` element as lines of the project file (one change a line),
    or nothing for an empty log."""
    entries = list(log)
    if not entries:
        return ""
    lines = ["  <tagset-log>\n"]
    for entry in entries:
        try:
            line = etree.tostring(change_element(entry), encoding="unicode")
        except ValueError as err:  # lxml refuses control characters in a definition
            raise SaveFailed(f"the tag-set log cannot be written as XML: {err}") from None
        lines.append(f"    {line}\n")
    lines.append("  </tagset-log>\n")
    return "".join(lines)


# --- reading ---------------------------------------------------------------------------


def _arg_value(el: etree._Element, source: str) -> LogArg:
    kind = el.get("type", "text")
    raw = attr_text(el.get("value", ""))
    if kind == "text":
        return raw
    if kind == "bool" and raw in ("true", "false"):
        return raw == "true"
    if kind == "int" and raw.lstrip("-").isdigit() and len(raw) < 10:
        return int(raw)
    if kind == "list":
        return tuple(attr_text(item.get("value", "")) for item in el.iterfind("item"))
    child = el.find({"tag": "tag", "attribute": "attribute", "link": "link"}.get(kind, kind))
    if child is not None:
        if kind == "tag":
            return tag_from_element(child, source=source)
        if kind == "attribute":
            return attribute_from_element(child)
        if kind == "link":
            return link_from_element(child)
        if kind == "tagset":
            return tagset_from_element(child, source=source)
    raise SchemaViolation(
        f"the tag-set log's argument {el.get('name')!r} is not a {kind} argument",
        path=source or None,
        line=line_of(el),
    )


def log_from_element(el: etree._Element, *, source: str = "") -> tuple[TagSetLogEntry, ...]:
    """The entries of a ``<tagset-log>`` element, oldest first."""
    entries: list[TagSetLogEntry] = []
    seen: set[str] = set()
    for ch in el.iterfind("change"):
        ident, op = attr_text(ch.get("id", "")), attr_text(ch.get("op", ""))
        if not ident or not op or ident in seen:
            why = "is listed twice" if ident in seen else "has no id or no op"
            raise SchemaViolation(
                f"a change of the tag-set log {why}", path=source or None, line=line_of(ch)
            )
        seen.add(ident)
        args = tuple(
            (attr_text(a.get("name", "")), _arg_value(a, source)) for a in ch.iterfind("arg")
        )
        entries.append(
            TagSetLogEntry(
                id=ident,
                op=op,
                author=attr_text(ch.get("by", "")),
                at=attr_text(ch.get("at", "")),
                what=attr_text(ch.get("what", "")),
                args=args,
                rejected=attr_text(ch.get("rejected-by", "")),
            )
        )
    return tuple(entries)


__all__ = ["LOG_TAG", "change_element", "log_from_element", "log_lines"]
