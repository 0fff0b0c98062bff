"""TEI P5, written and read back: a ``<TEI>`` per release, annotations as ``<rs>``.

One release gives a ``<TEI>`` document; several give a ``<teiCorpus>`` holding
one ``<TEI>`` per release. Each has a ``<teiHeader>`` (``fileDesc`` with
``titleStmt``, ``publicationStmt`` and a ``sourceDesc/bibl`` carrying the
metadata: headline as title, dateline as pubPlace, date, AI index and country).
The text is ``<text><body><div type="release">`` with ``<p>`` per paragraph;
the blank lines between paragraphs stay as text, so the body's text equals the
release's text. Annotations are ``<rs type="victim" xml:id="…" n="ANN-ID" ana="…">`` (``@n``
keeps our annotation id, since ``xml:id`` must be unique in the file).

Overlap: a piece that has to be split (crossing another annotation or a
paragraph edge, or a discontinuous fragment) is a chain of ``<rs>`` elements
linked with ``@next``/``@prev``; the first has the annotation's ``xml:id`` and
``ana``, later ones ``xml:id="ID_pK"``. Closed attribute values are ``ana``
pointers to ``<interp>`` elements declared in ``<back>``
(``#doc0001-appeal.action.release``); free-text values and notes are ``<note
target="#ID">`` in ``<back>``; links are ``<link type="addressee"
target="#SRC #TGT"/>`` in a ``<linkGrp>``. Characters XML cannot hold appear
as ``<g type="codepoint" n="HHHH"/>``.

Every export validates against ``resources/schema/tei-subset-1.xsd``, an XSD of
the TEI subset written here (tested with lxml and ``xmllint --schema``). Full
TEI validation needs the TEI P5 RELAX NG schema (tei_all.rng), not shipped.

Reading back: Pieces of an annotation are ``<rs>`` elements with the same ``@n`` (our id),
chained by ``@next``/``@prev``; touching pieces merge back into one fragment.
``@ana`` points at ``<interp n="value">`` in an ``<interpGrp type="tag"
n="attribute">``; free-text values and notes are ``<note target="#…">``; links
are ``<link type=… n=… target="#a #b">``. Other TEI is not a goal: a file that
lacks ``<idno type="document">`` or ``@n`` on ``<rs>`` is reported, not guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache, lru_cache
from pathlib import Path

from lxml import etree

from annotator import assets
from annotator.errors import InterchangeError, WrongRootElement
from annotator.formats.safe_xml import line_of, parse_bytes
from annotator.interchange.common import (
    ExportOptions,
    Selection,
    outgoing_links,
    prepare,
    values_of,
)
from annotator.interchange.nesting import Open, nest, paragraphs
from annotator.interchange.parsed import ParsedDocument, ParsedSource
from annotator.interchange.textwalk import CharEscape, text_of, walk
from annotator.interchange.xmlsafe import attr_text, attr_value
from annotator.model import (
    Annotation,
    Document,
    DocumentMeta,
    Fragment,
    Link,
    Project,
    Status,
    TagSet,
)

TEI_NS = "http://www.tei-c.org/ns/1.0"
_NOT_NAME = re.compile(r"[^A-Za-z0-9_.\-]")
_TEXT_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ENT = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}


def tei_text(s: str) -> str:
    def repl(m: re.Match[str]) -> str:
        ch = m.group()
        return _ENT.get(ch) or f'<g type="codepoint" n="{ord(ch):04X}"/>'

    return _TEXT_SPECIAL.sub(repl, s) if _TEXT_SPECIAL.search(s) else s


@lru_cache(maxsize=65536)
def _safe(part: str) -> str:
    return _NOT_NAME.sub("_", part)


def xml_id(*parts: str) -> str:
    s = "-".join(_safe(p) for p in parts)
    return s if s[:1].isalpha() or s[:1] == "_" else f"_{s}"


def interp_id(doc_id: str, tag: str, attr: str, value: str) -> str:
    return xml_id(doc_id, f"{tag}.{attr}.{value}")


def _attrs(pairs: list[tuple[str, str]]) -> str:
    return "".join(f' {k}="{attr_value(v)}"' for k, v in pairs)


_W3C_WHEN = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?)?")


def _people(doc: Document, anns: list[Annotation]) -> dict[str, str]:
    """{person: the xml:id of their ``<respStmt>``}: everyone who made or changed an
    annotation of the release or has a progress status on it."""
    names = set(doc.status)
    for ann in anns:
        names.update((ann.created_by, ann.modified_by))
    names.discard("")
    return {name: f"{xml_id(doc.id)}.resp.{k}" for k, name in enumerate(sorted(names), 1)}


def _resp_stmts(people: dict[str, str]) -> str:
    return "".join(
        f'<respStmt xml:id="{rid}"><resp>annotation</resp><name>{tei_text(name)}</name></respStmt>'
        for name, rid in people.items()
    )


def _change(kind: str, who: str, when: str, people: dict[str, str], target: str = "") -> str:
    """A ``<change>``: @who points at the person's respStmt; a time TEI cannot take as
    @when (not W3C date/time) is kept as the change's ``<date>``."""
    pairs = [("type", kind)]
    if who:
        pairs.append(("who", f"#{people[who]}"))
    if when and _W3C_WHEN.fullmatch(when):
        pairs.append(("when", when))
    if target:
        pairs.append(("target", target))
    if when and not _W3C_WHEN.fullmatch(when):
        return f"<change{_attrs(pairs)}><date>{tei_text(when)}</date></change>"
    return f"<change{_attrs(pairs)}/>"


def _revision_desc(doc: Document, anns: list[Annotation], people: dict[str, str]) -> str:
    """Each annotator's progress (``type="status"``), and who made (``created``) and
    last changed (``modified``, when not the same) each annotation and when."""
    changes = [
        f'<change type="status" who="#{people[who]}" status="{doc.status[who].value}"/>'
        for who in sorted(doc.status)
    ]
    for ann in anns:
        target = f"#{xml_id(doc.id, ann.id)}"
        if ann.created_by or ann.created_at:
            changes.append(_change("created", ann.created_by, ann.created_at, people, target))
        if (ann.modified_by, ann.modified_at) != (ann.created_by, ann.created_at):
            changes.append(_change("modified", ann.modified_by, ann.modified_at, people, target))
    return f"<revisionDesc>{''.join(changes)}</revisionDesc>" if changes else ""


def _header(doc: Document, sel: Selection) -> str:
    m = doc.meta
    anns = sel.annotations(doc.id).sorted_annotations()
    people = _people(doc, anns)
    title = tei_text(m.headline or doc.id)
    bibl = [f"<title>{title}</title>" if m.headline else f'<title type="untitled">{title}</title>']
    if m.dateline:
        bibl.append(f"<pubPlace>{tei_text(m.dateline)}</pubPlace>")
    if m.date:
        when = f' when="{attr_value(m.date)}"' if re.fullmatch(r"\d{4}(-\d\d){0,2}", m.date) else ""
        bibl.append(f"<date{when}>{tei_text(m.date)}</date>")
    if m.ai_index:
        bibl.append(f'<idno type="AI-index">{tei_text(m.ai_index)}</idno>')
    bibl.append(f'<idno type="document">{tei_text(doc.id)}</idno>')
    if m.source_sha256:
        bibl.append(f'<idno type="sha256">{tei_text(m.source_sha256)}</idno>')
    if m.country:
        bibl.append(f'<note type="country">{tei_text(m.country)}</note>')
    if m.source_name:
        bibl.append(f'<note type="source">{tei_text(m.source_name)}</note>')
    for k in sorted(m.extra):
        bibl.append(f'<note type="meta" n="{attr_value(k)}">{tei_text(m.extra[k])}</note>')
    pub = (
        f"<p>Exported by annotator from project {tei_text(sel.project.name)}, "
        f"layer {tei_text(sel.layer)}.</p>"
    )
    return (
        f"<teiHeader><fileDesc><titleStmt><title>{title}</title>{_resp_stmts(people)}"
        f"</titleStmt><publicationStmt>{pub}</publicationStmt>"
        f"<sourceDesc><bibl>{''.join(bibl)}</bibl></sourceDesc></fileDesc>"
        f"{_revision_desc(doc, anns, people)}</teiHeader>"
    )


_DOC = "\x00"  # stands for the release's id prefix in the cached <back> head
_INTERPS: dict[int, tuple[TagSet, str]] = {}


def _interps(tagset: TagSet, doc_id: str) -> str:
    """``<back>`` with the tag set's ``<interpGrp>``s, ids prefixed by the release's id."""
    cached = _INTERPS.get(id(tagset))
    if cached is None or cached[0] is not tagset:
        out = ["<back>"]
        for t in tagset.tags:
            for a in t.attributes:
                if not a.closed:
                    continue
                out.append(f'<interpGrp type="{attr_value(t.name)}" n="{attr_value(a.name)}">')
                for v in a.values:
                    iid = f"{_DOC}-{_safe(f'{t.name}.{a.name}.{v}')}"
                    out.append(
                        f'<interp xml:id="{iid}" n="{attr_value(v)}">'
                        f"{tei_text(a.label_of(v))}</interp>"
                    )
                out.append("</interpGrp>")
        cached = _INTERPS[id(tagset)] = (tagset, "".join(out))
    return cached[1].replace(_DOC, xml_id(doc_id))


def _body(doc: Document, sel: Selection) -> tuple[str, str]:
    """(div content, back notes) for one release."""
    da = sel.annotations(doc.id)
    anns = da.sorted_annotations()
    people = _people(doc, anns)
    tagset = sel.project.tagset
    events = list(nest(doc.text, anns, paragraphs(doc.text)))
    total = Counter(
        o.ann.id for k, o in events if k == "open" and isinstance(o, Open) and o.ann is not None
    )
    seen: Counter[str] = Counter()
    out: list[str] = []

    def piece_id(ann: Annotation, k: int) -> str:
        return xml_id(doc.id, ann.id) + ("" if k == 1 else f"_p{k}")

    for kind, item in events:
        if kind == "text":
            assert isinstance(item, str)
            out.append(tei_text(item))
            continue
        assert isinstance(item, Open)
        if item.ann is None:
            out.append("<p>" if kind == "open" else "</p>")
            continue
        if kind == "close":
            out.append("</rs>")
            continue
        ann = item.ann
        seen[ann.id] += 1
        k, n = seen[ann.id], total[ann.id]
        pairs = [("type", ann.tag), ("xml:id", piece_id(ann, k)), ("n", ann.id)]
        if k == 1:
            if ann.created_by:
                pairs.append(("resp", f"#{people[ann.created_by]}"))
            ana = []
            for name, value in sorted(ann.attributes.items()):
                adef = next((a for a in tagset.tag(ann.tag).attributes if a.name == name), None)
                if adef is not None and adef.closed:
                    ana += [f"#{interp_id(doc.id, ann.tag, name, v)}" for v in values_of(value)]
            if ana:
                pairs.append(("ana", " ".join(ana)))
        if k > 1:
            pairs.append(("prev", f"#{piece_id(ann, k - 1)}"))
        if k < n:
            pairs.append(("next", f"#{piece_id(ann, k + 1)}"))
        out.append(f"<rs{_attrs(pairs)}>")
    notes: list[str] = []
    for ann in anns:
        target = f"#{xml_id(doc.id, ann.id)}"
        for name, value in sorted(ann.attributes.items()):
            adef = next((a for a in tagset.tag(ann.tag).attributes if a.name == name), None)
            if adef is None or not adef.closed:
                for v in values_of(value):
                    notes.append(
                        f'<note type="attribute" n="{attr_value(name)}" '
                        f'target="{target}">{tei_text(v)}</note>'
                    )
        if ann.note:
            notes.append(f'<note type="annotation" target="{target}">{tei_text(ann.note)}</note>')
    links = [lk for lks in outgoing_links(da).values() for lk in lks]
    for lk in links:  # a link's note and free attributes, like an annotation's
        target = f"#{xml_id(doc.id, lk.id)}"
        for name, value in sorted(lk.attributes.items()):
            notes.append(
                f'<note type="link-attribute" n="{attr_value(name)}" '
                f'target="{target}">{tei_text(value)}</note>'
            )
        if lk.note:
            notes.append(f'<note type="link" target="{target}">{tei_text(lk.note)}</note>')
    if links:
        notes.append('<linkGrp type="links">')
        for lk in links:
            notes.append(
                f'<link type="{attr_value(lk.type)}" xml:id="{xml_id(doc.id, lk.id)}" '
                f'n="{attr_value(lk.id)}" '
                f'target="#{xml_id(doc.id, lk.source)} #{xml_id(doc.id, lk.target)}"/>'
            )
        notes.append("</linkGrp>")
    return "".join(out), "".join(notes)


def to_bytes(sel: Selection) -> bytes:
    corpus = len(sel.documents) != 1
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    if corpus:
        title = tei_text(sel.project.name)
        parts.append(
            f'<teiCorpus xmlns="{TEI_NS}">\n<teiHeader><fileDesc><titleStmt><title>'
            f"{title}</title></titleStmt><publicationStmt><p>Exported by annotator, "
            f"layer {tei_text(sel.layer)}.</p></publicationStmt><sourceDesc><p>"
            f"{len(sel.documents)} releases.</p></sourceDesc></fileDesc>"
            "</teiHeader>\n"
        )
    for doc in sel.walk():
        ns = "" if corpus else f' xmlns="{TEI_NS}"'
        body, notes = _body(doc, sel)
        parts.append(
            f"<TEI{ns}>\n{_header(doc, sel)}\n<text><body>"
            f'<div type="release" xml:id="{xml_id(doc.id)}" xml:space="preserve">'
            f"{body}</div></body>\n{_interps(sel.project.tagset, doc.id)}{notes}"
            "</back></text>\n</TEI>\n"
        )
    if corpus:
        parts.append("</teiCorpus>\n")
    return "".join(parts).encode("utf-8", "surrogatepass")


@cache
def schema() -> etree.XMLSchema:
    """The shipped XSD of the TEI subset this module writes."""
    return etree.XMLSchema(etree.fromstring(assets.read_bytes("schema", "tei-subset-1.xsd")))


class TeiExporter:
    name = "tei"
    description = "TEI P5 XML: <TEI> per release, <rs type=…> for annotations"
    suffix = ".xml"

    def write(self, project: Project, out: Path, options: ExportOptions) -> list[str]:
        Path(out).write_bytes(to_bytes(prepare(project, options)))
        return []


# --- reading back -----------------------------------------------------------

T = f"{{{TEI_NS}}}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


#: how our TEI writes a character XML cannot hold
ESCAPE = CharEscape(f"{T}g", "n")


def _text(el: etree._Element | None, source: str = "") -> str:
    return text_of(el, ESCAPE, source)


def _meta(bibl: etree._Element | None, source: str = "") -> tuple[str, DocumentMeta]:
    meta = DocumentMeta()
    doc_id = ""
    if bibl is None:
        return doc_id, meta
    for el in bibl:
        kind = el.get("type", "")
        if el.tag == f"{T}title" and kind != "untitled":
            meta.headline = _text(el, source)
        elif el.tag == f"{T}pubPlace":
            meta.dateline = _text(el, source)
        elif el.tag == f"{T}date":
            meta.date = _text(el, source)
        elif el.tag == f"{T}idno":
            if kind == "document":
                doc_id = _text(el, source)
            elif kind == "AI-index":
                meta.ai_index = _text(el, source)
            elif kind == "sha256":
                meta.source_sha256 = _text(el, source)
        elif el.tag == f"{T}note":
            if kind == "country":
                meta.country = _text(el, source)
            elif kind == "source":
                meta.source_name = _text(el, source)
            elif kind == "meta":
                meta.extra[attr_text(el.get("n", ""))] = _text(el, source)
    return doc_id, meta


def _read_tei(tei: etree._Element, tagset: TagSet, notes: list[str], source: str) -> ParsedDocument:
    doc_id, meta = _meta(tei.find(f"{T}teiHeader/{T}fileDesc/{T}sourceDesc/{T}bibl"), source)
    div = tei.find(f"{T}text/{T}body/{T}div")
    if not doc_id or div is None:
        raise InterchangeError(
            'a <TEI> without <idno type="document"> or body <div> was not written by annotator',
            path=source,
            line=line_of(tei),
        )
    walked = walk(div, ESCAPE, source=source, is_piece=lambda el: el.tag == f"{T}rs")
    text = walked.text
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
    for el, start, end in sorted(walked.pieces, key=lambda p: p[1]):
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
                _add_value(tagset, ann, name, value)
    link_details: dict[str, tuple[str, dict[str, str]]] = {}
    links: list[Link] = []
    if back is not None:
        for note in back.iterfind(f"{T}note"):
            kind = note.get("type")
            if kind in ("link", "link-attribute"):
                key = note.get("target", "").lstrip("#")
                remark, attrs = link_details.setdefault(key, ("", {}))
                if kind == "link":
                    link_details[key] = (_text(note, source), attrs)
                else:
                    attrs[attr_text(note.get("n", ""))] = _text(note, source)
                continue
            target = by_xml_id.get(note.get("target", "").lstrip("#"))
            if target is None:
                continue
            if note.get("type") == "annotation":
                anns[target].note = _text(note, source)
            elif note.get("type") == "attribute":
                _add_value(tagset, anns[target], attr_text(note.get("n", "")), _text(note, source))
        for lk in back.iterfind(f"{T}linkGrp/{T}link"):
            ends = [by_xml_id.get(t.lstrip("#"), "") for t in lk.get("target", "").split()]
            if len(ends) == 2 and all(ends):
                remark, attrs = link_details.get(lk.get(XML_ID, ""), ("", {}))
                links.append(
                    Link(
                        attr_text(lk.get("n", "")),
                        attr_text(lk.get("type", "")),
                        ends[0],
                        ends[1],
                        attrs,
                        remark,
                    )
                )
    for ann_id, ann in anns.items():
        ann.fragments = tuple(spans[ann_id])
    status = read_provenance(tei, by_xml_id, anns, source)
    return ParsedDocument(
        doc_id, text, meta, list(anns.values()), links, source=source, where=doc_id, status=status
    )


def read_provenance(
    tei: etree._Element, by_xml_id: dict[str, str], anns: dict[str, Annotation], source: str = ""
) -> dict[str, Status]:
    """Who made and changed each annotation and when (the header's ``<change>``s), set on
    ``anns``; returns each annotator's progress on the release."""
    header = tei.find(f"{T}teiHeader")
    if header is None:
        return {}
    people = {
        r.get(XML_ID, ""): _text(r.find(f"{T}name"), source)
        for r in header.iterfind(f"{T}fileDesc/{T}titleStmt/{T}respStmt")
    }
    status: dict[str, Status] = {}
    modified: set[str] = set()
    for ch in header.iterfind(f"{T}revisionDesc/{T}change"):
        kind = ch.get("type")
        who = people.get((ch.get("who") or "").lstrip("#"), "")
        when = ch.get("when")
        if when is None:
            when = _text(ch.find(f"{T}date"), source)
        if kind == "status":
            try:
                status[who] = Status(ch.get("status", ""))
            except ValueError:
                continue  # not a progress annotator knows; the release keeps its own
            continue
        ann = anns.get(by_xml_id.get((ch.get("target") or "").lstrip("#"), ""))
        if ann is None:
            continue
        if kind == "created":
            ann.created_by, ann.created_at = who, when
            if ann.id not in modified:
                ann.modified_by, ann.modified_at = who, when
        elif kind == "modified":
            ann.modified_by, ann.modified_at = who, when
            modified.add(ann.id)
    return status


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


def read_tei(
    data: bytes, tagset: TagSet, notes: list[str], *, source: str = ""
) -> list[ParsedDocument]:
    """The releases of a TEI export, with their annotations and links."""
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
    return [_read_tei(tei, tagset, notes, source) for tei in teis]


class TeiImporter:
    name = "tei"

    def sniff(self, path: Path) -> bool:
        if not path.is_file() or path.suffix.lower() != ".xml":
            return False
        with path.open("rb") as fh:
            head = fh.read(8192)
        return TEI_NS.encode() in head and b"Exported by annotator" in head

    def read(self, path: Path, tagset: TagSet) -> ParsedSource:
        parsed = ParsedSource(path=path, format=self.name)
        parsed.documents = read_tei(path.read_bytes(), tagset, parsed.notes, source=str(path))
        return parsed
