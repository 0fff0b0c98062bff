"""Annotated (inline) XML: each release's text with its annotations as elements.

Layout (schema ``resources/schema/inline-1.xsd``)::

    <annotated format="annotator-inline" version="1" project="…" layer="alice" tagset="campaign">
      <release id="doc0001">
        <header><headline>…</headline><country>…</country><date>…</date>
                <meta key="batch">b3</meta></header>
        <body xml:space="preserve"><p>SEOUL -- <authority id="a3" kind="police">Police</authority>
    arrested <victim id="a4" group="student">students</victim> …</p>

    <p>… <appeal id="a9" action="release investigate" addressee="a3"
       addressee.link="r2">calls on …</appeal></p></body>
      </release>
    </annotated>

**Lossless.** The text of ``<body>`` with all markup removed is exactly the
document's text: paragraphs (text between blank lines) are ``<p>`` elements
and the blank lines between them stay as text nodes of ``<body>``. Characters
XML cannot hold appear as ``<c u="HHHH"/>`` (the project format's escape).

**Overlap rule.** Elements must nest, annotations need not. An annotation that
crosses another, or a paragraph edge, is split into pieces; every piece
carries the same ``id`` and ``part="k/n"`` (k-th of n pieces in text order).
Only the first piece carries the annotation's attributes, note and links. A
discontinuous annotation is written the same way: one or more pieces per
fragment, all with one id. Importing merges pieces that touch, so the exact
fragments come back.

**Attributes.** Tag-set attributes are XML attributes (a multiple one as a
space-separated list, with a space or ``%`` inside a value %-encoded); a name
that clashes with ``id``, ``part``, ``tag``, ``note``, the provenance names below
or a link type is written ``attr.NAME``. Links are IDREFS named after the link type on the source
annotation (``addressee="a3 a7"``), their own ids in ``addressee.link``.
A tag whose name is not a plain XML name (or is ``p``, ``c`` or ``ann``) is
written ``<ann tag="…">``.

**Provenance.** The first piece also says who made the annotation and when
(``created-by``, ``created-at``), who changed it last and when (``modified-by``,
``modified-at``, only when they differ, as in the project file) and
``needs-check="true"`` when a text correction flagged it. The header lists each
annotator's progress on the release (``<status annotator="alice" value="done"/>``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from functools import cache
from pathlib import Path

from lxml import etree

from annotator import assets
from annotator.errors import ExportError, InterchangeError, WrongRootElement
from annotator.formats.safe_xml import line_of, parse_bytes
from annotator.interchange.common import (
    ExportOptions,
    Selection,
    join_list,
    natural_key,
    outgoing_links,
    prepare,
    split_list,
)
from annotator.interchange.nesting import Open, nest, paragraphs
from annotator.interchange.parsed import ParsedDocument, ParsedSource
from annotator.interchange.textwalk import CharEscape, text_of, walk
from annotator.interchange.xmlsafe import CHAR_TAG, attr_text, attr_value, text_content
from annotator.model import (
    Annotation,
    DocumentAnnotations,
    DocumentMeta,
    Fragment,
    Link,
    Project,
    Status,
    TagSet,
)

FORMAT = "annotator-inline"
VERSION = "1"
ROOT = "annotated"
RESERVED_ELEMENTS = frozenset({"p", CHAR_TAG, "ann"})
#: who made and changed an annotation, and when (on its first piece, like attributes)
PROVENANCE_ATTRS = ("created-by", "created-at", "modified-by", "modified-at")
RESERVED_ATTRS = frozenset({"id", "part", "tag", "note", "needs-check", *PROVENANCE_ATTRS})
HEADER_FIELDS = (
    ("headline", "headline"),
    ("country", "country"),
    ("dateline", "dateline"),
    ("date", "date"),
    ("ai_index", "ai-index"),
    ("source_name", "source-name"),
    ("source_sha256", "source-sha256"),
)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")


def is_xml_name(name: str) -> bool:
    return bool(_NAME.fullmatch(name)) and not name.lower().startswith("xml")


def element_name(tag: str) -> str:
    return tag if is_xml_name(tag) and tag not in RESERVED_ELEMENTS else "ann"


def attribute_name(name: str, link_types: frozenset[str]) -> str:
    if not is_xml_name(name):
        raise ExportError(f"the attribute name {name!r} cannot be written as an XML attribute")
    if (
        name in RESERVED_ATTRS
        or name in link_types
        or name.endswith(".link")
        or (name.startswith("attr."))
    ):
        return f"attr.{name}"
    return name


def provenance_pairs(ann: Annotation) -> list[tuple[str, str]]:
    """``created-by``/``-at`` when set, ``modified-by``/``-at`` when they differ from them
    (as in the project file), ``needs-check`` when a text correction flagged it."""
    pairs = [
        (k, v) for k, v in (("created-by", ann.created_by), ("created-at", ann.created_at)) if v
    ]
    if ann.modified_by != ann.created_by:
        pairs.append(("modified-by", ann.modified_by))
    if ann.modified_at != ann.created_at:
        pairs.append(("modified-at", ann.modified_at))
    if ann.needs_check:
        pairs.append(("needs-check", "true"))
    return pairs


class _Writer:
    def __init__(self, tagset: TagSet) -> None:
        self.link_types = frozenset(lt.name for lt in tagset.links)
        for lt in self.link_types:
            if not is_xml_name(lt) or lt in RESERVED_ATTRS:
                raise ExportError(f"the link type {lt!r} cannot be written as an XML attribute")

    def open_tag(self, ann: Annotation, k: int, n: int, links: list[Link]) -> str:
        name = element_name(ann.tag)
        pairs = [("id", ann.id)]
        if name == "ann":
            pairs.insert(0, ("tag", ann.tag))
        if n > 1:
            pairs.append(("part", f"{k}/{n}"))
        if k == 1:
            for key, value in sorted(ann.attributes.items()):
                shown = value if isinstance(value, str) else join_list(value)
                pairs.append((attribute_name(key, self.link_types), shown))
            if ann.note:
                pairs.append(("note", ann.note))
            pairs += provenance_pairs(ann)
            by_type: dict[str, list[Link]] = {}
            for lk in links:
                by_type.setdefault(lk.type, []).append(lk)
            for lt, lks in sorted(by_type.items()):
                pairs.append((lt, join_list(lk.target for lk in lks)))
                pairs.append((f"{lt}.link", join_list(lk.id for lk in lks)))
        return f"<{name}" + "".join(f' {a}="{attr_value(v)}"' for a, v in pairs) + ">"

    def body(self, text: str, da: DocumentAnnotations) -> str:
        anns = da.sorted_annotations()
        out_links = outgoing_links(da)
        events = list(nest(text, anns, paragraphs(text)))
        pieces = Counter(
            o.ann.id
            for kind, o in events
            if kind == "open" and isinstance(o, Open) and o.ann is not None
        )
        seen: Counter[str] = Counter()
        parts: list[str] = []
        for kind, item in events:
            if kind == "text":
                assert isinstance(item, str)
                parts.append(text_content(item))
                continue
            assert isinstance(item, Open)
            if item.ann is None:
                parts.append("<p>" if kind == "open" else "</p>")
            elif kind == "open":
                seen[item.ann.id] += 1
                k, n = seen[item.ann.id], pieces[item.ann.id]
                parts.append(self.open_tag(item.ann, k, n, out_links.get(item.ann.id, [])))
            else:
                parts.append(f"</{element_name(item.ann.tag)}>")
        return "".join(parts)


def to_bytes(sel: Selection) -> bytes:
    writer = _Writer(sel.project.tagset)
    root = (
        f'<{ROOT} format="{FORMAT}" version="{VERSION}" project="{attr_value(sel.project.name)}"'
        f' layer="{attr_value(sel.layer)}" tagset="{attr_value(sel.project.tagset.name)}">\n'
    )
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n', root]
    for doc in sel.walk():
        out.append(f'<release id="{attr_value(doc.id)}">\n<header>')
        for field, el in HEADER_FIELDS:
            value = getattr(doc.meta, field)
            if value:
                out.append(f"<{el}>{text_content(value)}</{el}>")
        for key in sorted(doc.meta.extra):
            out.append(f'<meta key="{attr_value(key)}">{text_content(doc.meta.extra[key])}</meta>')
        for who in sorted(doc.status):
            out.append(f'<status annotator="{attr_value(who)}" value="{doc.status[who].value}"/>')
        out.append('</header>\n<body xml:space="preserve">')
        da = sel.annotations(doc.id)
        out.append(writer.body(doc.text, da))
        out.append("</body>\n")
        out.append(_link_details(da))
        out.append("</release>\n")
    out.append(f"</{ROOT}>\n")
    return "".join(out).encode("utf-8", "surrogatepass")


def _link_details(da: DocumentAnnotations) -> str:
    """``<links>`` with the note and attributes of the links that have any (the links
    themselves are ID references on their source annotation)."""
    out = []
    for lid in sorted(da.links, key=natural_key):
        lk = da.links[lid]
        if not (lk.note or lk.attributes):
            continue
        note = f' note="{attr_value(lk.note)}"' if lk.note else ""
        attrs = "".join(
            f'<attr name="{attr_value(k)}" value="{attr_value(v)}"/>'
            for k, v in sorted(lk.attributes.items())
        )
        out.append(f'<link id="{attr_value(lk.id)}"{note}>{attrs}</link>')
    return f"<links>{''.join(out)}</links>\n" if out else ""


def _read_link_details(rel: etree._Element, links: list[Link]) -> list[Link]:
    details: dict[str, tuple[str, dict[str, str]]] = {}
    for el in rel.iterfind("links/link"):
        attrs = {attr_text(a.get("name", "")): attr_text(a.get("value", "")) for a in el}
        details[attr_text(el.get("id", ""))] = (attr_text(el.get("note", "")), attrs)
    if not details:
        return links
    out = []
    for lk in links:
        if lk.id in details:
            note, attrs = details[lk.id]
            lk = replace(lk, note=note, attributes=attrs)
        out.append(lk)
    return out


@cache
def schema() -> etree.XMLSchema:
    data = assets.read_bytes("schema", "inline-1.xsd")
    return etree.XMLSchema(etree.fromstring(data))


class InlineXmlExporter:
    name = "inline-xml"
    description = "Annotated XML: release text with <appeal>, <victim>, … elements (lossless)"
    suffix = ".xml"

    def write(self, project: Project, out: Path, options: ExportOptions) -> list[str]:
        Path(out).write_bytes(to_bytes(prepare(project, options)))
        return []


# --- reading back ---------------------------------------------------------------


#: how inline XML writes a character XML cannot hold (the project file's escape)
ESCAPE = CharEscape(CHAR_TAG, "u")


def _is_piece(el: etree._Element) -> bool:
    return el.tag != "p"  # paragraphs are structure; every other element is an annotation


def read_documents(
    data: bytes, tagset: TagSet, notes: list[str], *, source: str = ""
) -> list[ParsedDocument]:
    """The releases of an inline-XML export, with their annotations and links."""
    tree = parse_bytes(data, source=source)
    root = tree.getroot()
    if root.tag != ROOT or root.get("format") != FORMAT:
        raise WrongRootElement(
            f'not annotated inline XML (expected <{ROOT} format="{FORMAT}">)',
            path=source or None,
            line=line_of(root),
        )
    link_types = {lt.name for lt in tagset.links}
    docs: list[ParsedDocument] = []
    for rel in root.iterfind("release"):
        doc_id = rel.get("id", "")
        body = rel.find("body")
        if body is None:
            raise InterchangeError(
                f"release {doc_id!r} has no <body>", path=source or None, line=line_of(rel)
            )
        meta = DocumentMeta()
        status: dict[str, Status] = {}
        header = rel.find("header")
        if header is not None:
            fields = {el: f for f, el in HEADER_FIELDS}
            for h in header:
                if h.tag in fields:
                    setattr(meta, fields[h.tag], text_of(h, ESCAPE, source))
                elif h.tag == "meta":
                    meta.extra[attr_text(h.get("key", ""))] = text_of(h, ESCAPE, source)
                elif h.tag == "status":
                    who, value = attr_text(h.get("annotator", "")), h.get("value", "")
                    try:
                        status[who] = Status(value)
                    except ValueError:
                        notes.append(
                            f"{source}, line {line_of(h)}: {value!r} is not a progress "
                            f"annotator knows; {who}'s status skipped"
                        )
        walked = walk(body, ESCAPE, source=source, is_piece=_is_piece)
        text = walked.text
        doc_id = attr_text(doc_id)
        anns, links = _annotations(walked.pieces, tagset, link_types, notes, doc_id)
        links = _read_link_details(rel, links)
        docs.append(
            ParsedDocument(
                doc_id, text, meta, anns, links, source=source, where=doc_id, status=status
            )
        )
    return docs


def _annotations(
    pieces: list[tuple[etree._Element, int, int]],
    tagset: TagSet,
    link_types: set[str],
    notes: list[str],
    doc_id: str,
) -> tuple[list[Annotation], list[Link]]:
    by_id: dict[str, Annotation] = {}
    spans: dict[str, list[Fragment]] = {}
    links: list[Link] = []
    for el, start, end in sorted(pieces, key=lambda p: p[1]):
        ann_id = attr_text(el.get("id", ""))
        if not ann_id:
            notes.append(f"{doc_id}: <{el.tag}> on line {line_of(el)} has no id; skipped")
            continue
        if end <= start:
            notes.append(f"{doc_id}: annotation {ann_id} covers no text; skipped")
            continue
        spans.setdefault(ann_id, []).append(Fragment(start, end))
        tag = attr_text(el.get("tag", "")) if el.tag == "ann" else str(el.tag)
        ann = by_id.setdefault(ann_id, Annotation(id=ann_id, tag=tag, fragments=()))
        targets: dict[str, list[str]] = {}
        link_ids: dict[str, list[str]] = {}
        provenance: dict[str, str] = {}
        for key, raw in el.attrib.items():
            key = str(key)
            value = attr_text(str(raw))
            if key in ("id", "part", "tag") or key.startswith("{"):
                continue
            if key == "note":
                ann.note = value
            elif key in PROVENANCE_ATTRS or key == "needs-check":
                provenance[key] = value
            elif key.endswith(".link"):
                link_ids[key[: -len(".link")]] = split_list(value)
            elif key in link_types:
                targets[key] = split_list(value)
            else:
                name = key[len("attr.") :] if key.startswith("attr.") else key
                ann.attributes[name] = _attr_value(tagset, tag, name, value)
        if provenance:
            set_provenance(ann, provenance)
        for lt, tgts in sorted(targets.items()):
            ids = link_ids.get(lt, [])
            for i, tgt in enumerate(tgts):
                links.append(Link(ids[i] if i < len(ids) else "", lt, ann_id, tgt))
    for ann_id, ann in by_id.items():
        ann.fragments = tuple(spans[ann_id])
    return [a for a in by_id.values() if a.fragments], sorted(
        links, key=lambda lk: natural_key(lk.id)
    )


def set_provenance(ann: Annotation, values: dict[str, str]) -> None:
    """The reverse of :func:`provenance_pairs`: ``modified-*`` default to ``created-*``."""
    ann.created_by = values.get("created-by", "")
    ann.created_at = values.get("created-at", "")
    ann.modified_by = values.get("modified-by", ann.created_by)
    ann.modified_at = values.get("modified-at", ann.created_at)
    ann.needs_check = values.get("needs-check") in ("true", "1")


def _attr_value(tagset: TagSet, tag: str, name: str, value: str) -> str | tuple[str, ...]:
    try:
        multiple = tagset.tag(tag).attribute(name).multiple
    except Exception:
        multiple = False
    return tuple(split_list(value)) if multiple else value


class InlineXmlImporter:
    name = "inline-xml"

    def sniff(self, path: Path) -> bool:
        if not path.is_file() or path.suffix.lower() != ".xml":
            return False
        with path.open("rb") as fh:
            head = fh.read(600)
        return f"<{ROOT} ".encode() in head and f'format="{FORMAT}"'.encode() in head

    def read(self, path: Path, tagset: TagSet) -> ParsedSource:
        parsed = ParsedSource(path=path, format=self.name)
        parsed.documents = read_documents(path.read_bytes(), tagset, parsed.notes, source=str(path))
        return parsed
