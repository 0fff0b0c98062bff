"""MAE / MedTator annotation XML (DTD-defined tasks): import and export.

One file per document::

    <?xml version="1.0" encoding="UTF-8" ?>
    <campaign>
    <TEXT><![CDATA[the release text]]></TEXT>
    <TAGS>
    <victim id="a4" spans="12~30,41~50" text="political prisoners ... students" harm="killed"/>
    <addressee id="r2" fromID="a9" fromText="calls on" toID="a3" toText="police"/>
    </TAGS>
    <META/>
    </campaign>

plus ``TASK.dtd`` describing the task (extent tags ``( #PCDATA )``, link tags
``EMPTY`` with ``arg0``/``arg1`` IDREFs prefixed ``from``/``to``, closed
attributes as enumerations). MAE is written in Java and MedTator in JavaScript,
so ``spans`` count **UTF-16 code units**; we convert (an astral character such
as 😀 counts 2 there, 1 here). Import also accepts files whose spans count
code points (tried when the UTF-16 reading does not match ``text``).

The text is one or more CDATA sections (``]]>`` inside the text is split across
two sections, a CR is written ``&#13;`` between sections); whitespace between
``]]>`` and ``</TEXT>`` is not part of the text. Characters XML cannot hold
become U+FFFD in the text (one for one, so offsets stay true); in attribute
values they use the project format's ``\\u{HHHH}`` escape. A multi-valued attribute is
a space-separated list. Our note is the ``note`` attribute (declared in the DTD).

Import parses safely (:func:`safe_xml.parse_bytes`, no DTD is ever loaded). A
``<!DOCTYPE …>`` *without* internal subset, which some tools write, is removed
before parsing (and reported); one with an internal subset is refused.
Non-consuming tags (``spans="-1~-1"``) have no text to stand on and are
reported, not imported. :func:`tagset_from_dtd` reads a task DTD into a tag set
(the DTD text is parsed by hand, never by an XML parser).
"""

from __future__ import annotations

import re
from pathlib import Path

from annotator.errors import InterchangeError, OffsetMismatch
from annotator.formats.safe_xml import line_of, parse_bytes
from annotator.interchange.common import (
    ExportOptions,
    Selection,
    Utf16Map,
    join_list,
    prepare,
    split_list,
)
from annotator.interchange.placing import add_annotations, all_or_nothing, ensure_document
from annotator.interchange.xmlsafe import attr_text, attr_value
from annotator.model import (
    Annotation,
    AttributeDef,
    Fragment,
    Link,
    LinkType,
    Project,
    TagSet,
    TagType,
)
from annotator.numbers import code_point, excerpt, parse_offset

RESERVED = frozenset({"id", "spans", "text", "note", "comment"})
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_NAME = re.compile(r"[^A-Za-z0-9_.\-]")
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")


def mae_name(name: str) -> str:
    n = _NOT_NAME.sub("_", name)
    return n if n and (n[0].isalpha() or n[0] == "_") else f"_{n}"


def _attr_name(name: str) -> str:
    n = mae_name(name)
    return f"attr.{n}" if n in RESERVED or n.endswith(("ID", "Text")) else n


def cdata(text: str) -> str:
    """``text`` as CDATA sections: ``]]>`` split, CR as a character reference."""
    text = _UNSAFE.sub("\ufffd", text)
    body = text.replace("]]>", "]]]]><![CDATA[>").replace("\r", "]]>&#13;<![CDATA[")
    return f"<![CDATA[{body}]]>"


def _spans(frags: tuple[Fragment, ...], m: Utf16Map) -> str:
    return ",".join(f"{m.to_utf16(f.start)}~{m.to_utf16(f.end)}" for f in frags)


def document_xml(sel: Selection, doc_id: str) -> str:
    doc = sel.project.documents[doc_id]
    da = sel.annotations(doc_id)
    m = Utf16Map(doc.text)
    task = mae_name(sel.project.tagset.name or "annotator")
    out = [
        '<?xml version="1.0" encoding="UTF-8" ?>\n',
        f"<{task}>\n",
        f"<TEXT>{cdata(doc.text)}</TEXT>\n<TAGS>\n",
    ]
    for ann in da.sorted_annotations():
        pairs = [
            ("id", ann.id),
            ("spans", _spans(ann.fragments, m)),
            ("text", _covered(doc.text, ann)),
        ]
        for k, v in sorted(ann.attributes.items()):
            pairs.append((_attr_name(k), v if isinstance(v, str) else join_list(v)))
        if ann.note:
            pairs.append(("note", ann.note))
        out.append(_element(mae_name(ann.tag), pairs))
    for lk in sorted(da.links.values(), key=lambda lk: lk.id):
        src, tgt = da.annotations.get(lk.source), da.annotations.get(lk.target)
        if src is None or tgt is None:
            continue
        out.append(
            _element(
                mae_name(lk.type),
                [
                    ("id", lk.id),
                    ("fromID", src.id),
                    ("fromText", _covered(doc.text, src)),
                    ("toID", tgt.id),
                    ("toText", _covered(doc.text, tgt)),
                ],
            )
        )
    out.append("</TAGS>\n<META/>\n")
    out.append(f"</{task}>\n")
    return "".join(out)


def _covered(text: str, ann: Annotation) -> str:
    return _UNSAFE.sub("\ufffd", ann.covered_text(text, " ... "))


def _element(name: str, pairs: list[tuple[str, str]]) -> str:
    return f"<{name}" + "".join(f' {k}="{attr_value(v)}"' for k, v in pairs) + " />\n"


def dtd_text(tagset: TagSet) -> str:
    """The task DTD for ``tagset`` in MAE/MedTator conventions."""
    task = mae_name(tagset.name or "annotator")
    out = [f'<!ENTITY name "{task}">', ""]
    prefixes: set[str] = set()

    def prefix(name: str) -> str:
        base = re.sub(r"[^A-Z]", "", name.upper())[:2] or "X"
        p, n = base, 1
        while p in prefixes:
            n += 1
            p = f"{base}{n}"
        prefixes.add(p)
        return p

    for t in tagset.tags:
        name = mae_name(t.name)
        out.append(f"<!ELEMENT {name} ( #PCDATA ) >")
        out.append(f'<!ATTLIST {name} id ID prefix="{prefix(t.name)}" #REQUIRED >')
        for a in t.attributes:
            if a.closed and not a.multiple:
                values = " | ".join(mae_name(v) for v in a.values)
                out.append(f"<!ATTLIST {name} {_attr_name(a.name)} ( {values} ) #IMPLIED >")
            else:
                out.append(f"<!ATTLIST {name} {_attr_name(a.name)} CDATA #IMPLIED >")
        out.append(f"<!ATTLIST {name} note CDATA #IMPLIED >")
        out.append("")
    for lt in tagset.links:
        name = mae_name(lt.name)
        out.append(f"<!ELEMENT {name} EMPTY >")
        out.append(f'<!ATTLIST {name} id ID prefix="{prefix(lt.name)}" #REQUIRED >')
        out.append(f'<!ATTLIST {name} arg0 IDREF prefix="from" #IMPLIED >')
        out.append(f'<!ATTLIST {name} arg1 IDREF prefix="to" #IMPLIED >')
        out.append("")
    return "\n".join(out)


class MaeExporter:
    name = "mae"
    description = "MAE / MedTator folder: DOC.xml per document plus the task DTD"
    suffix = ""

    def write(self, project: Project, out: Path, options: ExportOptions) -> None:
        from annotator.interchange.brat import file_stem

        sel = prepare(project, options)
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        ts = sel.project.tagset
        (out / f"{mae_name(ts.name or 'annotator')}.dtd").write_text(dtd_text(ts), encoding="utf-8")
        for doc in sel.documents:
            (out / f"{file_stem(doc.id)}.xml").write_text(
                document_xml(sel, doc.id), encoding="utf-8"
            )


# --- DTD -> tag set -------------------------------------------------------------------

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ENTITY = re.compile(r'<!ENTITY\s+name\s+"([^"]*)"\s*>')
_ELEMENT = re.compile(r"<!ELEMENT\s+(\S+)\s+(.*?)\s*>", re.S)
_ATTLIST = re.compile(r"<!ATTLIST\s+(\S+)\s+(\S+)\s+(\([^)]*\)|\S+)(.*?)>", re.S)


def parse_dtd(text: str) -> tuple[str, dict[str, bool], dict[str, list[tuple[str, str, str]]]]:
    """(task name, {element: is_extent}, {element: [(attr, type, rest)]})."""
    text = _COMMENT.sub("", text)
    m = _ENTITY.search(text)
    task = m.group(1) if m else ""
    elements = {e.group(1): "PCDATA" in e.group(2) for e in _ELEMENT.finditer(text)}
    attlists: dict[str, list[tuple[str, str, str]]] = {}
    for a in _ATTLIST.finditer(text):
        attlists.setdefault(a.group(1), []).append((a.group(2), a.group(3), a.group(4)))
    return task, elements, attlists


def _arg_prefixes(attlist: list[tuple[str, str, str]]) -> list[str]:
    out = []
    for name, type_, rest in attlist:
        if type_ == "IDREF":
            m = re.search(r'prefix="([^"]*)"', rest)
            out.append(m.group(1) if m else name)
    return out


def tagset_from_dtd(text: str) -> TagSet:
    """A tag set from a MAE/MedTator task DTD (links may join any two extent tags)."""
    task, elements, attlists = parse_dtd(text)
    tags: list[TagType] = []
    links: list[LinkType] = []
    extents = [n for n, ext in elements.items() if ext]
    for i, (name, extent) in enumerate(elements.items()):
        if not extent:
            links.append(LinkType(name, name, tuple(extents), tuple(extents)))
            continue
        attrs = []
        for aname, type_, _rest in attlists.get(name, []):
            if aname in RESERVED or type_ in ("ID", "IDREF"):
                continue
            values: tuple[str, ...] = ()
            if type_.startswith("("):
                values = tuple(v.strip() for v in type_.strip("()").split("|") if v.strip())
            attrs.append(AttributeDef(aname, aname, values=values, value_labels=values))
        tags.append(TagType(name, name, PALETTE[i % len(PALETTE)], attributes=tuple(attrs)))
    return TagSet(name=task, tags=tuple(tags), links=tuple(links))


# --- import ---------------------------------------------------------------------------

_DOCTYPE = re.compile(rb"<!DOCTYPE\s[^\[>]*>")


def _text_section(raw: str, source: str) -> str:
    """The TEXT element's content from the raw file: CDATA sections and character data,
    without the whitespace before the first and after the last CDATA section."""
    start = re.search(r"<TEXT(\s[^>]*)?>", raw)
    if start is None:
        raise InterchangeError("the file has no <TEXT> element", path=source)
    i = start.end()
    chunks: list[tuple[bool, str]] = []  # (is_cdata, text)
    while True:
        if raw.startswith("<![CDATA[", i):
            j = raw.find("]]>", i)
            if j < 0:
                raise InterchangeError("the CDATA section in <TEXT> is not closed", path=source)
            chunks.append((True, raw[i + 9 : j].replace("\r\n", "\n").replace("\r", "\n")))
            i = j + 3
        elif raw.startswith("</TEXT", i):
            break
        elif raw.startswith("&", i):
            j = raw.find(";", i, i + 12)
            ent = raw[i + 1 : j]
            named = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
            try:  # a character reference names a code point up to U+10FFFF, no surrogate
                if j < 0:
                    raise ValueError("an unfinished reference")
                if ent.startswith(("#x", "#X")):
                    ch = code_point(ent[2:], surrogates=False)
                elif ent.startswith("#"):
                    ch = code_point(ent[1:], base=10, surrogates=False)
                else:
                    ch = named[ent]
            except (KeyError, ValueError) as err:
                msg = f"cannot read &{excerpt(ent)}; in <TEXT>: {err}"
                raise InterchangeError(msg, path=source) from None
            chunks.append((False, ch))
            i = j + 1
        else:
            j = min((k for k in (raw.find("<", i), raw.find("&", i)) if k != -1), default=i)
            if j == i:  # markup that is neither CDATA nor </TEXT>: no progress, stop
                raise InterchangeError(
                    "<TEXT> holds markup other than CDATA sections and character references",
                    path=source,
                )
            chunks.append((False, raw[i:j].replace("\r\n", "\n").replace("\r", "\n")))
            i = j
    if any(c for c, _ in chunks):
        while chunks and not chunks[0][0] and not chunks[0][1].strip():
            chunks.pop(0)
        while chunks and not chunks[-1][0] and not chunks[-1][1].strip():
            chunks.pop()
    return "".join(t for _, t in chunks)


def _parse_spans(spans: str, text: str, m: Utf16Map, utf16: bool) -> list[Fragment]:
    frags = []
    for piece in spans.split(","):
        # bounded before int(): an offset must fit the text (UTF-16 units: twice the
        # code points at most)
        parts = piece.split("~")
        if len(parts) != 2:
            raise ValueError(f"span {excerpt(piece)!r} is not START~END")
        try:
            s, e = (parse_offset(x.strip(), 2 * len(text)) for x in parts)
        except ValueError:
            if all(x.strip().isascii() and x.strip().isdigit() for x in parts):
                raise ValueError(f"span {excerpt(piece)} is outside the text") from None
            raise
        if utf16:
            s, e = m.to_cp(s), m.to_cp(e)
        if not 0 <= s < e <= len(text):
            raise ValueError(f"span {excerpt(piece)} is outside the text")
        frags.append(Fragment(s, e))
    return frags


def _matches(ref: str | None, text: str, frags: list[Fragment]) -> bool:
    if ref is None:
        return True
    pieces = [text[f.start : f.end] for f in frags]
    return any(ref == sep.join(pieces) for sep in (" ... ", " ", "...", "", " … "))


def read_mae(path: Path, project: Project, layer: str) -> list[str]:
    source = str(path)
    data = path.read_bytes()
    notes: list[str] = []
    m_doc = _DOCTYPE.search(data[:4096])
    if m_doc is not None:
        data = data[: m_doc.start()] + data[m_doc.end() :]
        notes.append(
            f"{path.name}: its <!DOCTYPE> declaration was removed before reading "
            "(the DTD is never loaded)"
        )
    tree = parse_bytes(data, source=source)
    root = tree.getroot()
    text = _text_section(data.decode(tree.docinfo.encoding or "utf-8"), source)
    tags_el = root.find("TAGS")
    doc_id = ensure_document(project, path.stem, text, source=source)
    tag_names = [t.name for t in project.tagset.tags]
    link_names = [lt.name for lt in project.tagset.links]
    dtd_args = _dtd_link_args(path)
    m = Utf16Map(text)
    anns: list[Annotation] = []
    links: list[Link] = []
    from annotator.interchange.brat import _find_name

    for el in tags_el if tags_el is not None else []:
        if not isinstance(el.tag, str):
            continue
        n = line_of(el)
        spans = el.get("spans")
        ident = el.get("id", "")
        if spans is None:
            _link(el, dtd_args, link_names, links, notes, path.name, n)
            continue
        if spans.strip() in ("", "-1~-1"):
            notes.append(
                f"{path.name}, line {n}: {el.tag} {ident} is non-consuming (no "
                "text span); not imported"
            )
            continue
        ref = el.get("text")
        ref = attr_text(ref) if ref is not None else None
        try:
            frags = _parse_spans(spans, text, m, True)
            if not _matches(ref, text, frags):
                frags = _parse_spans(spans, text, m, False)
        except ValueError as err:
            raise OffsetMismatch(f"{el.tag} {ident}: {err}", path=source, line=n) from None
        if not _matches(ref, text, frags):
            got = " ... ".join(text[f.start : f.end] for f in frags)
            raise OffsetMismatch(
                f"{el.tag} {ident} says {ref!r} but the text at {spans} is {got!r}",
                path=source,
                line=n,
            )
        tag = _find_name(str(el.tag), tag_names) or next(
            (t for t in tag_names if mae_name(t) == el.tag), None
        )
        if tag is None:
            notes.append(f"{path.name}, line {n}: {el.tag} is not a tag here; {ident} skipped")
            continue
        ann = Annotation(id=ident, tag=tag, fragments=tuple(sorted(frags)))
        tt = project.tagset.tag(tag)
        for key, value in el.attrib.items():
            key = str(key)
            if key in ("id", "spans", "text"):
                continue
            value = attr_text(str(value))
            if key == "note":
                ann.note = value
                continue
            if key == "comment":
                ann.note = ann.note or str(value)
                continue
            if not value:
                continue
            name = key[5:] if key.startswith("attr.") else key
            real = next(
                (a for a in tt.attributes if a.name == name or mae_name(a.name) == name), None
            )
            if real is None:
                notes.append(f"{path.name}, line {n}: {tag} has no attribute {name!r}; dropped")
                continue
            ann.attributes[real.name] = (
                tuple(split_list(str(value))) if real.multiple else str(value)
            )
        anns.append(ann)
    add_annotations(project, layer, doc_id, anns, links, notes, where=path.name)
    return notes


def _dtd_link_args(path: Path) -> dict[str, list[str]]:
    """Argument prefixes of link tags from a ``.dtd`` beside the file ({tag: [from, to]})."""
    out: dict[str, list[str]] = {}
    for dtd in sorted(path.parent.glob("*.dtd")):
        try:
            _, elements, attlists = parse_dtd(dtd.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        for name, extent in elements.items():
            if not extent:
                out[name] = _arg_prefixes(attlists.get(name, []))
    return out


def _link(
    el: object,
    dtd_args: dict[str, list[str]],
    link_names: list[str],
    links: list[Link],
    notes: list[str],
    where: str,
    n: int | None,
) -> None:
    from lxml import etree

    assert isinstance(el, etree._Element)
    tag = str(el.tag)
    prefixes = dtd_args.get(tag) or (
        ["from", "to"]
        if el.get("fromID") is not None
        else [str(k)[:-2] for k in el.attrib if str(k).endswith("ID")]
    )
    ends = [el.get(f"{p}ID", "") for p in prefixes]
    lt = next((t for t in link_names if t == tag or mae_name(t) == tag), None)
    if lt is None or len(ends) < 2 or not all(ends[:2]):
        notes.append(
            f"{where}, line {n}: link {tag} {el.get('id', '')} does not map to a "
            "link type here (or lacks an argument); skipped"
        )
        return
    if len(ends) > 2:
        notes.append(
            f"{where}, line {n}: link {el.get('id', '')} has {len(ends)} arguments; "
            "only the first two are kept"
        )
    links.append(Link(el.get("id", ""), lt, ends[0], ends[1]))


def is_mae_file(path: Path) -> bool:
    if not path.is_file() or path.suffix.lower() != ".xml":
        return False
    with path.open("rb") as fh:
        head = fh.read(4096)
    return b"<TEXT" in head and (b"<TAGS" in head or b"<![CDATA[" in head)


class MaeImporter:
    """One MAE/MedTator file, or a folder of them (as the MAE export writes)."""

    name = "mae"

    def sniff(self, path: Path) -> bool:
        if path.is_dir():
            return any(is_mae_file(f) for f in sorted(path.glob("*.xml"))[:20])
        return is_mae_file(path)

    def read(self, path: Path, project: Project, layer: str) -> list[str]:
        candidates = sorted(path.glob("*.xml")) if path.is_dir() else [path]
        files = [f for f in candidates if not path.is_dir() or is_mae_file(f)]
        # a damaged file in the folder is said, never silently left out
        others = [f.name for f in candidates if f not in files]

        def read_all() -> list[str]:
            notes = [
                f"{name}: not a MAE file (no <TEXT> with CDATA or <TAGS> near its start); skipped"
                for name in others
            ]
            for f in files:
                notes += read_mae(f, project, layer)
            return notes

        return all_or_nothing(project, layer, read_all)
