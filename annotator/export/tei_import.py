"""Reading our TEI export back (see :mod:`annotator.export.tei` for the layout).

Pieces of an annotation are ``<rs>`` elements with the same ``@n`` (our id),
chained by ``@next``/``@prev``; touching pieces merge back into one fragment.
``@ana`` points at ``<interp n="value">`` in an ``<interpGrp type="tag"
n="attribute">``; free-text values and notes are ``<note target="#…">``; links
are ``<link type=… n=… target="#a #b">``. Other TEI is not a goal: a file that
lacks ``<idno type="document">`` or ``@n`` on ``<rs>`` is reported, not guessed.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from annotator.errors import InterchangeError, WrongRootElement
from annotator.export.interchange import add_annotations, all_or_nothing, ensure_document
from annotator.export.tei import TEI_NS
from annotator.export.xmlsafe import attr_text
from annotator.formats.safe_xml import line_of, parse_bytes
from annotator.model import Annotation, DocumentMeta, Fragment, Link, Project, TagSet

T = f"{{{TEI_NS}}}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def _char(el: etree._Element) -> str:
    return chr(int(el.get("n", "FFFD"), 16))


def _text(el: etree._Element | None) -> str:
    if el is None:
        return ""
    parts = [el.text or ""]
    for child in el:
        if child.tag == f"{T}g":
            parts.append(_char(child))
        parts.append(child.tail or "")
    return "".join(parts)


class _Div:
    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.pos = 0
        self.pieces: list[tuple[etree._Element, int, int]] = []

    def add(self, s: str | None) -> None:
        if s:
            self.chunks.append(s)
            self.pos += len(s)

    def walk(self, el: etree._Element) -> None:
        self.add(el.text)
        for child in el:
            if child.tag == f"{T}g":
                self.add(_char(child))
            elif child.tag == f"{T}rs":
                start = self.pos
                self.walk(child)
                self.pieces.append((child, start, self.pos))
            elif isinstance(child.tag, str):
                self.walk(child)
            self.add(child.tail)


def _meta(bibl: etree._Element | None) -> tuple[str, DocumentMeta]:
    meta = DocumentMeta()
    doc_id = ""
    if bibl is None:
        return doc_id, meta
    for el in bibl:
        kind = el.get("type", "")
        if el.tag == f"{T}title" and kind != "untitled":
            meta.headline = _text(el)
        elif el.tag == f"{T}pubPlace":
            meta.dateline = _text(el)
        elif el.tag == f"{T}date":
            meta.date = _text(el)
        elif el.tag == f"{T}idno":
            if kind == "document":
                doc_id = _text(el)
            elif kind == "AI-index":
                meta.ai_index = _text(el)
            elif kind == "sha256":
                meta.source_sha256 = _text(el)
        elif el.tag == f"{T}note":
            if kind == "country":
                meta.country = _text(el)
            elif kind == "source":
                meta.source_name = _text(el)
            elif kind == "meta":
                meta.extra[attr_text(el.get("n", ""))] = _text(el)
    return doc_id, meta


def _read_tei(tei: etree._Element, project: Project, layer: str, source: str) -> list[str]:
    notes: list[str] = []
    doc_id, meta = _meta(tei.find(f"{T}teiHeader/{T}fileDesc/{T}sourceDesc/{T}bibl"))
    div = tei.find(f"{T}text/{T}body/{T}div")
    if not doc_id or div is None:
        raise InterchangeError(
            'a <TEI> without <idno type="document"> or body <div> was not written by annotator',
            path=source,
            line=line_of(tei),
        )
    reader = _Div()
    reader.walk(div)
    doc_id = ensure_document(project, doc_id, "".join(reader.chunks), meta, source=source)
    back = tei.find(f"{T}text/{T}back")
    interps: dict[str, tuple[str, str]] = {}
    if back is not None:
        for grp in back.iterfind(f"{T}interpGrp"):
            for it in grp.iterfind(f"{T}interp"):
                interps[it.get(XML_ID, "")] = (
                    attr_text(grp.get("n", "")),
                    attr_text(it.get("n", "")),
                )
    anns: dict[str, Annotation] = {}
    spans: dict[str, list[Fragment]] = {}
    by_xml_id: dict[str, str] = {}
    for el, start, end in sorted(reader.pieces, key=lambda p: p[1]):
        ann_id = attr_text(el.get("n", ""))
        if not ann_id or end <= start:
            notes.append(f"{doc_id}: <rs> on line {line_of(el)} has no n or no text; skipped")
            continue
        by_xml_id[el.get(XML_ID, "")] = ann_id
        ann = anns.setdefault(ann_id, Annotation(ann_id, attr_text(el.get("type", "")), ()))
        spans.setdefault(ann_id, []).append(Fragment(start, end))
        for ref in (el.get("ana") or "").split():
            name, value = interps.get(ref.lstrip("#"), ("", ""))
            if name:
                _add_value(project.tagset, ann, name, value)
    links: list[Link] = []
    if back is not None:
        for note in back.iterfind(f"{T}note"):
            target = by_xml_id.get(note.get("target", "").lstrip("#"))
            if target is None:
                continue
            if note.get("type") == "annotation":
                anns[target].note = _text(note)
            elif note.get("type") == "attribute":
                _add_value(project.tagset, anns[target], attr_text(note.get("n", "")), _text(note))
        for lk in back.iterfind(f"{T}linkGrp/{T}link"):
            ends = [by_xml_id.get(t.lstrip("#"), "") for t in lk.get("target", "").split()]
            if len(ends) == 2 and all(ends):
                links.append(
                    Link(
                        attr_text(lk.get("n", "")), attr_text(lk.get("type", "")), ends[0], ends[1]
                    )
                )
    for ann_id, ann in anns.items():
        ann.fragments = tuple(spans[ann_id])
    add_annotations(project, layer, doc_id, list(anns.values()), links, notes, where=doc_id)
    return notes


def _add_value(tagset: TagSet, ann: Annotation, name: str, value: str) -> None:
    try:
        multiple = tagset.tag(ann.tag).attribute(name).multiple
    except Exception:
        multiple = False
    if multiple:
        old = ann.attributes.get(name, ())
        ann.attributes[name] = (*((old,) if isinstance(old, str) else old), value)
    else:
        ann.attributes[name] = value


def read_tei(data: bytes, project: Project, layer: str, *, source: str = "") -> list[str]:
    root = parse_bytes(data, source=source).getroot()
    if root.tag == f"{T}TEI":
        teis = [root]
    elif root.tag == f"{T}teiCorpus":
        teis = list(root.iterfind(f"{T}TEI"))
    else:
        raise WrongRootElement(
            "not TEI (expected <TEI> or <teiCorpus> in the TEI namespace)",
            path=source or None,
            line=line_of(root),
        )
    notes: list[str] = []
    for tei in teis:
        notes += _read_tei(tei, project, layer, source)
    return notes


class TeiImporter:
    name = "tei"

    def sniff(self, path: Path) -> bool:
        if not path.is_file() or path.suffix.lower() != ".xml":
            return False
        with path.open("rb") as fh:
            head = fh.read(8192)
        return TEI_NS.encode() in head and b"Exported by annotator" in head

    def read(self, path: Path, project: Project, layer: str) -> list[str]:
        data = path.read_bytes()
        return all_or_nothing(
            project, layer, lambda: read_tei(data, project, layer, source=str(path))
        )
