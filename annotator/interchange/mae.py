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
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from annotator.errors import InterchangeError, OffsetMismatch
from annotator.formats.safe_xml import line_of, parse_bytes
from annotator.interchange.common import (
    ExportOptions,
    Selection,
    Utf16Map,
    join_list,
    prepare,
    unique_file_stems,
)
from annotator.interchange.parsed import ParsedDocument, ParsedSource, read_each
from annotator.interchange.xmlsafe import attr_text, attr_value
from annotator.model import (
    Annotation,
    AttributeDef,
    DocumentAnnotations,
    Fragment,
    Link,
    LinkType,
    Project,
    TagSet,
    TagType,
)
from annotator.numbers import code_point, excerpt, number_key, parse_offset

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


def id_prefixes(names: Iterable[str]) -> dict[str, str]:
    """{element name: id prefix} by MedTator's rule, for names in DTD order.

    MedTator takes a tag's id prefix from its name, not from the DTD: the first
    letter, or one letter more while an earlier tag holds that prefix. New ids
    are the prefix plus one more than the highest number of that tag, so ids
    written with these prefixes never collide with ids MedTator hands out later.
    (A name used up is padded with ``_``, where MedTator would never stop.)
    """
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        if name in out:
            continue
        p = name[:1]
        while p in taken:
            longer = name[: len(p) + 1]
            p = longer if len(longer) > len(p) else p + "_"
        taken.add(p)
        out[name] = p
    return out


def tagset_prefixes(tagset: TagSet) -> dict[str, str]:
    """The id prefixes of our DTD's elements (extent tags first, then link tags)."""
    return id_prefixes(
        [mae_name(t.name) for t in tagset.tags] + [mae_name(lt.name) for lt in tagset.links]
    )


def _numbers(ids: list[str], ours: str) -> dict[str, int]:
    """Our ``a12`` keeps 12; other ids get numbers after the highest."""
    out: dict[str, int] = {}
    used: set[int] = set()
    for i in ids:
        m = re.fullmatch(ours + r"([1-9]\d*|0)", i)
        if m and number_key(m.group(1)) not in used:  # no int() of a 5,000-digit id
            used.add(number_key(m.group(1)))
            out[i] = number_key(m.group(1))
    n = max(used, default=0)
    for i in ids:
        if i not in out:
            n += 1
            out[i] = n
    return out


def mae_ids(da: DocumentAnnotations, prefixes: dict[str, str]) -> dict[str, str]:
    """{our id: MAE id} for one document: the element's prefix and our number."""
    anns = da.sorted_annotations()
    links = sorted(da.links.values(), key=lambda lk: lk.id)
    numbers = _numbers([a.id for a in anns], "a")
    numbers.update(_numbers([lk.id for lk in links], "r"))
    out: dict[str, str] = {}
    used: set[str] = set()
    for ident, name in [(a.id, mae_name(a.tag)) for a in anns] + [
        (lk.id, mae_name(lk.type)) for lk in links
    ]:
        prefix = prefixes.get(name, name[:1])
        n = numbers[ident]
        while f"{prefix}{n}" in used:  # two prefixes that only a digit tells apart
            n += 1
        out[ident] = f"{prefix}{n}"
        used.add(out[ident])
    return out


def document_xml(sel: Selection, doc_id: str, prefixes: dict[str, str] | None = None) -> str:
    doc = sel.project.documents[doc_id]
    da = sel.annotations(doc_id)
    m = Utf16Map(doc.text)
    task = mae_name(sel.project.tagset.name or "annotator")
    ids = mae_ids(da, prefixes if prefixes is not None else tagset_prefixes(sel.project.tagset))
    out = [
        '<?xml version="1.0" encoding="UTF-8" ?>\n',
        f"<{task}>\n",
        f"<TEXT>{cdata(doc.text)}</TEXT>\n<TAGS>\n",
    ]
    for ann in da.sorted_annotations():
        pairs = [
            ("id", ids[ann.id]),
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
        pairs = [
            ("id", ids[lk.id]),
            ("fromID", ids[src.id]),
            ("fromText", _covered(doc.text, src)),
            ("toID", ids[tgt.id]),
            ("toText", _covered(doc.text, tgt)),
        ]
        for k, v in sorted(lk.attributes.items()):
            pairs.append((_attr_name(k), v))
        if lk.note:
            pairs.append(("note", lk.note))
        out.append(_element(mae_name(lk.type), pairs))
    out.append("</TAGS>\n<META/>\n")
    out.append(f"</{task}>\n")
    return "".join(out)


def _covered(text: str, ann: Annotation) -> str:
    return _UNSAFE.sub("\ufffd", ann.covered_text(text, " ... "))


def _element(name: str, pairs: list[tuple[str, str]]) -> str:
    return f"<{name}" + "".join(f' {k}="{attr_value(v)}"' for k, v in pairs) + " />\n"


def dtd_text(tagset: TagSet, link_attributes: dict[str, set[str]] | None = None) -> str:
    """The task DTD for ``tagset`` in MAE/MedTator conventions.

    ``link_attributes`` ({link type: attribute names}) declares the free attributes
    the exported links carry, so MedTator keeps them when it saves.
    """
    task = mae_name(tagset.name or "annotator")
    out = [f'<!ENTITY name "{task}">', ""]
    prefixes = tagset_prefixes(tagset)
    for t in tagset.tags:
        name = mae_name(t.name)
        out.append(f"<!ELEMENT {name} ( #PCDATA ) >")
        out.append(f'<!ATTLIST {name} id ID prefix="{prefixes[name]}" #REQUIRED >')
        for a in t.attributes:
            if a.closed and not a.multiple:
                values = " | ".join(mae_name(v) for v in a.values)
                out.append(f"<!ATTLIST {name} {_attr_name(a.name)} ( {values} ) #IMPLIED >")
            else:
                out.append(f"<!ATTLIST {name} {_attr_name(a.name)} CDATA #IMPLIED >")
        out.append(f"<!ATTLIST {name} note CDATA #IMPLIED >")
        out.append("")
    extra = link_attributes or {}
    for lt in tagset.links:
        name = mae_name(lt.name)
        out.append(f"<!ELEMENT {name} EMPTY >")
        out.append(f'<!ATTLIST {name} id ID prefix="{prefixes[name]}" #REQUIRED >')
        out.append(f'<!ATTLIST {name} arg0 IDREF prefix="from" #IMPLIED >')
        out.append(f'<!ATTLIST {name} arg1 IDREF prefix="to" #IMPLIED >')
        for key in sorted(extra.get(lt.name, ())):
            out.append(f"<!ATTLIST {name} {_attr_name(key)} CDATA #IMPLIED >")
        out.append(f"<!ATTLIST {name} note CDATA #IMPLIED >")
        out.append("")
    return "\n".join(out)


class MaeExporter:
    name = "mae"
    description = "MAE / MedTator folder: DOC.xml per document plus the task DTD"
    suffix = ""

    def write(self, project: Project, out: Path, options: ExportOptions) -> list[str]:
        sel = prepare(project, options)
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        ts = sel.project.tagset
        link_attributes: dict[str, set[str]] = {}
        for doc in sel.documents:
            for lk in sel.annotations(doc.id).links.values():
                link_attributes.setdefault(lk.type, set()).update(lk.attributes)
        (out / f"{mae_name(ts.name or 'annotator')}.dtd").write_text(
            dtd_text(ts, link_attributes), encoding="utf-8"
        )
        prefixes = tagset_prefixes(ts)
        stems = unique_file_stems(d.id for d in sel.documents)
        for doc in sel.walk():
            (out / f"{stems[doc.id]}.xml").write_text(
                document_xml(sel, doc.id, prefixes), encoding="utf-8"
            )
        return []


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


_TAG_MARKUP = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")


def _text_section(raw: str, source: str) -> str:
    """The TEXT element's content from the raw file: CDATA sections and character data,
    without the whitespace before the first and after the last CDATA section.

    The file already parsed as XML, so sections and references are well formed.
    Comments and processing instructions are not text; the markup of an element
    inside TEXT (which MAE never writes) is dropped and its text kept, as
    MedTator's ``textContent`` does.
    """
    start = re.search(r"<TEXT(\s[^>]*)?>", raw)
    if start is None:
        if re.search(r"<TEXT\s*/>", raw):
            return ""
        raise InterchangeError("the file has no <TEXT> element", path=source)
    i = start.end()
    chunks: list[tuple[bool, str]] = []  # (is_cdata, text)
    named = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
    while i < len(raw):
        if raw.startswith("<![CDATA[", i):
            j = raw.find("]]>", i)
            j = len(raw) if j == -1 else j
            chunks.append((True, raw[i + 9 : j].replace("\r\n", "\n").replace("\r", "\n")))
            i = j + 3
        elif raw.startswith("</TEXT", i):
            break
        elif raw.startswith("<!--", i):
            j = raw.find("-->", i + 4)
            i = len(raw) if j == -1 else j + 3
        elif raw.startswith("<?", i):
            j = raw.find("?>", i + 2)
            i = len(raw) if j == -1 else j + 2
        elif raw.startswith("<", i):
            m = _TAG_MARKUP.match(raw, i)
            i = m.end() if m is not None else i + 1
        elif raw.startswith("&", i):
            j = raw.find(";", i)
            ent = raw[i + 1 : j] if j != -1 else ""
            try:
                # a code point up to U+10FFFF and no surrogate, bounded before int()
                if ent.startswith(("#x", "#X")):
                    ch = code_point(ent[2:], surrogates=False)
                elif ent.startswith("#"):
                    ch = code_point(ent[1:], base=10, surrogates=False)
                else:
                    ch = named[ent]
            except (KeyError, ValueError, OverflowError):
                line = raw.count("\n", 0, i) + 1
                raise InterchangeError(
                    f"the reference &{ent[:20]}; in <TEXT> is not a character",
                    path=source,
                    line=line,
                ) from None
            chunks.append((False, ch))
            i = j + 1
        else:
            ends = [k for k in (raw.find("<", i), raw.find("&", i)) if k != -1]
            j = min(ends) if ends else len(raw)
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


def read_mae(
    path: Path,
    notes: list[str],
    dtd_args: dict[str, list[str]],
    prefixes: dict[str, str] | None = None,
) -> ParsedDocument:
    """One MAE/MedTator file, element and attribute names as the file has them.

    ``prefixes`` ({element: MedTator id prefix}) turn the ids our export wrote back
    into ours (see :func:`_our_ids`)."""
    source = str(path)
    data = path.read_bytes()
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
    m = Utf16Map(text)
    anns: list[Annotation] = []
    links: list[Link] = []
    for el in tags_el if tags_el is not None else []:
        if not isinstance(el.tag, str):
            continue
        n = line_of(el)
        spans = el.get("spans")
        ident = el.get("id", "")
        if spans is None:
            _link(el, dtd_args, links, notes, path.name, n)
            continue
        if spans.strip() in ("", "-1~-1"):
            notes.append(
                f"{path.name}, line {n}: {el.tag} {ident} is non-consuming (no "
                "text span); not imported"
            )
            continue
        ref = el.get("text")
        ref = attr_text(ref) if ref is not None else None
        frags = _read_spans(spans, ref, text, m, source, n, f"{el.tag} {ident}")
        if not _matches(ref, text, frags):
            got = " ... ".join(text[f.start : f.end] for f in frags)
            notes.append(
                f"{path.name}, line {n}: {el.tag} {ident} says {ref!r} but its span "
                f"{spans} reads {got!r}; imported from the span (MAE and MedTator trust it)"
            )
        ann = Annotation(id=ident, tag=str(el.tag), fragments=tuple(sorted(frags)))
        remarks: dict[str, str] = {}
        for key, value in el.attrib.items():
            key = str(key)
            if key in ("id", "spans", "text"):
                continue
            value = attr_text(str(value))
            if key in ("note", "comment"):
                remarks[key] = value
                continue
            if not value:
                continue
            name = key[5:] if key.startswith("attr.") else key
            ann.attributes[name] = str(value)
        ann.note = _note(remarks)
        anns.append(ann)
    if prefixes is not None:
        anns, links = _our_ids(anns, links, prefixes)
    return ParsedDocument(
        name=path.stem, text=text, annotations=anns, links=links, source=source, where=path.name
    )


def _read_spans(
    spans: str, ref: str | None, text: str, m: Utf16Map, source: str, n: int | None, what: str
) -> list[Fragment]:
    """The fragments of ``spans``: UTF-16 offsets (MAE, MedTator), or code points when
    only that reading gives the ``text=`` the element quotes."""
    try:
        frags = _parse_spans(spans, text, m, True)
    except ValueError as err:
        try:
            return _parse_spans(spans, text, m, False)
        except ValueError:
            raise OffsetMismatch(f"{what}: {err}", path=source, line=n) from None
    if _matches(ref, text, frags):
        return frags
    try:
        points = _parse_spans(spans, text, m, False)
    except ValueError:
        return frags
    return points if _matches(ref, text, points) else frags


#: MedTator gives every tag a ``comment`` attribute whose default is "NA": not a note
_NO_REMARK = frozenset({"", "NA"})


def _note(remarks: dict[str, str]) -> str:
    """Our note from a tag's ``note`` (ours, kept as written) and ``comment`` (MedTator's;
    its default "NA" is no note)."""
    note = remarks.get("note", "")
    comment = remarks.get("comment", "")
    if comment in _NO_REMARK or comment == note:
        return note
    return f"{note}\n{comment}" if note else comment


def _our_ids(
    anns: list[Annotation], links: list[Link], prefixes: dict[str, str]
) -> tuple[list[Annotation], list[Link]]:
    """Ids our MAE export wrote (the tag's MedTator prefix + our number) back to ours:
    ``au12`` -> ``a12``, a link's ``ad3`` -> ``r3``. Only when every such id maps to a
    distinct one that no other id of the file uses; otherwise the file's ids stay."""
    mapping: dict[str, str] = {}
    for ident, name, ours in [(a.id, a.tag, "a") for a in anns] + [
        (lk.id, lk.type, "r") for lk in links
    ]:
        prefix = prefixes.get(name)
        rest = ident[len(prefix) :] if prefix and ident.startswith(prefix) else ""
        if rest.isdecimal() and rest.isascii():
            mapping[ident] = f"{ours}{rest}"
    if not mapping:
        return anns, links
    all_ids = [a.id for a in anns] + [lk.id for lk in links]
    results = [mapping.get(i, i) for i in all_ids]
    if len(set(results)) != len(results):
        return anns, links
    new_anns = [replace(a, id=mapping.get(a.id, a.id)) for a in anns]
    new_links = [
        replace(
            lk,
            id=mapping.get(lk.id, lk.id),
            source=mapping.get(lk.source, lk.source),
            target=mapping.get(lk.target, lk.target),
        )
        for lk in links
    ]
    return new_anns, new_links


def find_dtd(path: Path) -> Path | None:
    """The task DTD for a MAE file or folder: in its folder, else the folder above
    (MedTator keeps it beside the annotators' folders)."""
    folder = path if path.is_dir() else path.parent
    for candidate in (folder, folder.parent):
        found = sorted(candidate.glob("*.dtd"))
        if found:
            return found[0]
    return None


#: an XML name without a colon: the DTD is read by hand, so a damaged one can declare
#: anything, and a prefix is looked up as an attribute name in every link element
_XML_NAME = re.compile(r"[^\W\d][\w.\-]*\Z")


def _dtd_link_args(dtd: Path | None, notes: list[str]) -> dict[str, list[str]]:
    """Argument prefixes of the DTD's link tags ({tag: [from, to]}).

    A link type whose prefixes are not XML names is left out (with a note): its links
    are then read by the argument attributes each link element has."""
    out: dict[str, list[str]] = {}
    if dtd is None:
        return out
    try:
        _, elements, attlists = parse_dtd(dtd.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return out
    for name, extent in elements.items():
        if extent:
            continue
        args = _arg_prefixes(attlists.get(name, []))
        bad = [p for p in args if not _XML_NAME.match(p)]
        if bad:
            notes.append(
                f"{dtd.name}: link type {name!r} declares the argument prefix {bad[0]!r}, "
                "which is not an XML name; its links are read by the arguments they carry"
            )
            continue
        out[name] = args
    return out


def _dtd_prefixes(dtd: Path | None) -> dict[str, str]:
    """MedTator's id prefixes of the DTD's elements, in the DTD's order."""
    if dtd is None:
        return {}
    try:
        _, elements, _ = parse_dtd(dtd.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}
    return id_prefixes(elements)


def _link(
    el: object,
    dtd_args: dict[str, list[str]],
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
    if len(ends) < 2 or not all(ends[:2]):
        notes.append(f"{where}, line {n}: link {tag} {el.get('id', '')} lacks an argument; skipped")
        return
    if len(ends) > 2:
        notes.append(
            f"{where}, line {n}: link {el.get('id', '')} has {len(ends)} arguments; "
            "only the first two are kept"
        )
    args = {f"{p}{suffix}" for p in prefixes for suffix in ("ID", "Text")}
    attributes: dict[str, str] = {}
    remarks: dict[str, str] = {}
    for key, raw in el.attrib.items():
        key = str(key)
        if key == "id" or key in args:
            continue
        value = attr_text(str(raw))
        if key in ("note", "comment"):
            remarks[key] = value
        elif value:
            attributes[key[5:] if key.startswith("attr.") else key] = value
    links.append(Link(el.get("id", ""), tag, ends[0], ends[1], attributes, _note(remarks)))


def _has_mae_files(folder: Path) -> bool:
    return any(is_mae_file(f) for f in sorted(folder.glob("*.xml"))[:20])


def annotator_folders(path: Path) -> list[Path]:
    """The annotators' folders of a MedTator corpus: ``path`` holds no MAE file of its
    own but two or more sub-folders that do, one per annotator (``Annotator_A/``,
    ``Annotator_B/``, the task DTD beside them). Empty for any other path."""
    if not path.is_dir() or _has_mae_files(path):
        return []
    found = [sub for sub in sorted(path.iterdir()) if sub.is_dir() and _has_mae_files(sub)]
    return found if len(found) >= 2 else []


_ANNOTATOR_WORD = re.compile(r"annotator[ _\-]+(?=\S)", re.IGNORECASE)


def layer_of(folder: Path) -> str:
    """The layer an annotator's folder goes into: its name, without a leading
    "Annotator_" (MedTator's ``Annotator_A`` is layer ``A``)."""
    name = folder.name
    word = _ANNOTATOR_WORD.match(name)
    return name[word.end() :] if word else name


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
            return _has_mae_files(path)
        return is_mae_file(path)

    def read(self, path: Path, tagset: TagSet) -> ParsedSource:
        """Every MAE file of the folder (or the one file), each on its own."""
        parsed = ParsedSource(path=path, format=self.name)
        dtd = find_dtd(path)
        if dtd is not None:
            try:
                parsed.tagset = tagset_from_dtd(dtd.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as err:
                parsed.notes.append(f"{dtd}: cannot read the DTD ({err}); types inferred")
        dtd_args = _dtd_link_args(dtd, parsed.notes)
        prefixes = _dtd_prefixes(dtd) or tagset_prefixes(tagset)
        if path.is_dir():
            files = [f for f in sorted(path.glob("*.xml")) if is_mae_file(f)]
            # a damaged file in the folder is said, never silently left out
            parsed.notes += [
                f"{f.name}: not a MAE file (no <TEXT> with CDATA or <TAGS> near its start); skipped"
                for f in sorted(path.glob("*.xml"))
                if f not in files
            ]
            return read_each(
                parsed, files, lambda f, notes: [read_mae(f, notes, dtd_args, prefixes)]
            )
        parsed.documents.append(read_mae(path, parsed.notes, dtd_args, prefixes))
        return parsed
