"""brat standoff: a ``.txt`` and an ``.ann`` per document, plus ``annotation.conf``.

Export writes into a folder: ``DOC.txt`` (the exact text, UTF-8, line ends
untouched), ``DOC.ann``, ``annotation.conf`` generated from the tag set and a
``visual.conf`` with the tag colours. brat offsets count Unicode code points,
like ours, so they are written unchanged.

``.ann`` lines written:

* ``T12\\tvictim 5 20;31 40\\tpolitical prisoners students`` text-bound
  annotation (discontinuous fragments ``start end;start end``; the reference
  text joins them with one space, as brat requires). A fragment that crosses a
  line break is split there, as brat's own editor does (``T1\\tvictim 10 15;16 20``),
  since an ``.ann`` line cannot hold one; import joins pieces that only line
  breaks separate, so the span comes back whole. A line break at a fragment's
  edge has no brat form and is left out, and the export says so (one note each);
* ``A3\\taction T12 release``: an attribute value, one line per value of a
  multi-valued attribute (a space or ``%`` in a value is %-encoded);
* ``R4\\taddressee Arg1:T12 Arg2:T7``: a link;
* ``#1\\tAnnotatorNotes T12\\tthe note`` (line breaks and tabs become spaces), also on
  a relation (``R4``) for a link's note.

Two documents whose ids give one file name (``a b`` and ``a_b``) get ``-2``, ``-3``...

Our ids ``aN``/``rN`` become ``TN``/``RN`` and come back as ``aN``/``rN``.
A tag or attribute name with spaces is written with ``_`` instead.

Import reads brat data as found in the wild: zero-byte ``.ann`` files,
discontinuous spans (also crossing a newline, with ``;`` in the reference
text), reference text continued on the next line, trailing tabs, CRLF line
ends, equivalences (``*\\tEquiv T1 T2``), events (``E1\\tType:T3 Role:T4``, the
trigger becomes the annotation, arguments become links when a link type of that
name exists), normalisations and other lines. What maps is kept; what does not
is reported. The reference text must equal the ``.txt`` slice (line breaks
compared as spaces); a mismatch is an error naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from annotator.errors import InterchangeError, OffsetMismatch
from annotator.interchange.common import (
    ExportOptions,
    Selection,
    join_list,
    prepare,
    unique_file_stems,
    values_of,
)
from annotator.interchange.parsed import ParsedDocument, ParsedSource, read_each
from annotator.model import Annotation, Fragment, Link, Project, TagSet
from annotator.numbers import excerpt, number_key, parse_offset

#: the value a brat binary attribute (``A1\tNegated T3``) is read as
BINARY_VALUE = "true"

_LINE_BREAKS = re.compile(r"[\r\n\t]")
_BREAK_RUN = re.compile(r"[\r\n]+")
_ID = re.compile(r"^([TRAMNE#]\d+|\*)\t")


@lru_cache(maxsize=4096)  # a handful of tag and attribute names, asked for on every line
def brat_name(name: str) -> str:
    return re.sub(r"\s", "_", name)


def line_pieces(text: str, fragments: Iterable[Fragment]) -> list[tuple[int, int]]:
    """The fragments as brat holds them: split at every line break (CR, LF or a run of
    them), the breaks themselves left out, as brat's own editor splits a selection.

    An ``.ann`` line cannot hold a line break, and brat reads the reference text
    as the pieces' text joined by one space, so a piece must never contain one.
    """
    out: list[tuple[int, int]] = []
    for f in fragments:
        pos = f.start
        for m in _BREAK_RUN.finditer(text, f.start, f.end):
            if m.start() > pos:
                out.append((pos, m.start()))
            pos = m.end()
        if pos < f.end:
            out.append((pos, f.end))
    return out


def join_line_breaks(text: str, fragments: Iterable[Fragment]) -> tuple[Fragment, ...]:
    """The import side of :func:`line_pieces`: pieces that only line breaks separate
    are one fragment again, so ours -> brat -> ours keeps a span across a line end."""
    merged: list[Fragment] = []
    for f in sorted(fragments):
        last = merged[-1] if merged else None
        if last is not None and (
            f.start <= last.end or _BREAK_RUN.fullmatch(text, last.end, f.start) is not None
        ):
            merged[-1] = Fragment(last.start, max(last.end, f.end))
        else:
            merged.append(f)
    return tuple(merged)


def _lost_in_brat(
    doc_id: str, ordered: list[Annotation], pieces: dict[str, list[tuple[int, int]]]
) -> list[str]:
    """One sentence for each annotation brat cannot hold whole."""
    notes: list[str] = []
    for ann in ordered:
        held = pieces[ann.id]
        if not held:
            notes.append(
                f"{doc_id}: annotation {ann.id} ({ann.tag}) covers only line breaks, "
                "which brat cannot hold; left out"
            )
        elif held[0][0] != ann.fragments[0].start or held[-1][1] != ann.fragments[-1].end:
            notes.append(
                f"{doc_id}: annotation {ann.id} ({ann.tag}) starts or ends with a line break, "
                "which brat cannot hold; written without it"
            )
    return notes


def _number_ids(ids: list[str], prefix: str, ours: str) -> dict[str, str]:
    """Map our ids to brat ids: ``a12`` -> ``T12``; others numbered after the highest."""
    out: dict[str, str] = {}
    used: set[int] = set()
    for i in ids:
        m = re.fullmatch(ours + r"(\d+)", i)
        if m and number_key(m.group(1)) not in used and not m.group(1).startswith("0"):
            used.add(number_key(m.group(1)))
            out[i] = f"{prefix}{number_key(m.group(1))}"
    n = max(used, default=0)
    for i in ids:
        if i not in out:
            n += 1
            out[i] = f"{prefix}{n}"
    return out


def ann_text(sel: Selection, doc_id: str, notes: list[str] | None = None) -> str:
    """The ``.ann`` file of one document. What brat cannot hold (an annotation of
    nothing but line breaks, a line break at a span's edge) is left out and, when
    ``notes`` is given, said there, one sentence each."""
    doc = sel.project.documents[doc_id]
    da = sel.annotations(doc_id)
    ordered = da.sorted_annotations()
    pieces = {a.id: line_pieces(doc.text, a.fragments) for a in ordered}
    anns = [a for a in ordered if pieces[a.id]]
    if notes is not None:
        notes.extend(_lost_in_brat(doc_id, ordered, pieces))
    tids = _number_ids([a.id for a in anns], "T", "a")
    rids = _number_ids(sorted(da.links), "R", "r")
    lines: list[str] = []
    attr_lines: list[str] = []
    note_lines: list[str] = []
    for ann in anns:
        tid = tids[ann.id]
        offsets = ";".join(f"{s} {e}" for s, e in pieces[ann.id])
        ref = " ".join(doc.text[s:e] for s, e in pieces[ann.id])
        lines.append(f"{tid}\t{brat_name(ann.tag)} {offsets}\t{ref}")
        for name, value in sorted(ann.attributes.items()):
            for v in values_of(value):
                attr_lines.append(f"\t{brat_name(name)} {tid} {join_list([v])}")
        if ann.note:
            note_lines.append(f"\tAnnotatorNotes {tid}\t{_LINE_BREAKS.sub(' ', ann.note)}")
    for lid in sorted(da.links, key=lambda i: int(rids[i][1:])):
        lk = da.links[lid]
        if lk.source in tids and lk.target in tids:
            lines.append(
                f"{rids[lid]}\t{brat_name(lk.type)} Arg1:{tids[lk.source]} Arg2:{tids[lk.target]}"
            )
            if lk.note:
                note_lines.append(f"\tAnnotatorNotes {rids[lid]}\t{_LINE_BREAKS.sub(' ', lk.note)}")
    lines += [f"A{i}{line}" for i, line in enumerate(attr_lines, 1)]
    lines += [f"#{i}{line}" for i, line in enumerate(note_lines, 1)]
    return "".join(line + "\n" for line in lines)


def annotation_conf(tagset: TagSet) -> str:
    out = ["[entities]"]
    out += [brat_name(t.name) for t in tagset.tags]
    out.append("\n[relations]")
    for lt in tagset.links:
        arg1 = "|".join(brat_name(s) for s in lt.sources)
        arg2 = "|".join(brat_name(t) for t in lt.targets)
        out.append(f"{brat_name(lt.name)}\tArg1:{arg1}, Arg2:{arg2}")
    out.append("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>")
    out.append("\n[events]\n\n[attributes]")
    attrs: dict[str, tuple[list[str], list[str]]] = {}
    for t in tagset.tags:
        for a in t.attributes:
            args, values = attrs.setdefault(brat_name(a.name), ([], []))
            args.append(brat_name(t.name))
            values += [join_list([v]) for v in a.values if join_list([v]) not in values]
    for name, (args, values) in attrs.items():
        line = f"{name}\tArg:{'|'.join(args)}"
        if values:
            line += f", Value:{'|'.join(values)}"
        out.append(line)
    return "\n".join(out) + "\n"


def visual_conf(tagset: TagSet) -> str:
    out = ["[labels]"]
    out += [f"{brat_name(t.name)} | {t.label}" for t in tagset.tags]
    out += [f"{brat_name(lt.name)} | {lt.label}" for lt in tagset.links]
    out.append("\n[drawing]")
    out += [f"{brat_name(t.name)}\tbgColor:{t.color}" for t in tagset.tags]
    return "\n".join(out) + "\n"


class BratExporter:
    name = "brat"
    description = "brat standoff folder: DOC.txt + DOC.ann per document, annotation.conf"
    suffix = ""

    def write(self, project: Project, out: Path, options: ExportOptions) -> list[str]:
        sel = prepare(project, options)
        notes: list[str] = []
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        stems = unique_file_stems(d.id for d in sel.documents)
        for doc in sel.walk():
            stem = stems[doc.id]
            (out / f"{stem}.txt").write_bytes(doc.text.encode("utf-8", "surrogatepass"))
            (out / f"{stem}.ann").write_bytes(
                ann_text(sel, doc.id, notes).encode("utf-8", "surrogatepass")
            )
        (out / "annotation.conf").write_text(annotation_conf(sel.project.tagset), encoding="utf-8")
        (out / "visual.conf").write_text(visual_conf(sel.project.tagset), encoding="utf-8")
        return notes


# --- import -------------------------------------------------------------------------


def _our_id(brat_id: str, ours: str) -> str:
    return ours + brat_id[1:] if brat_id[1:].isdigit() else brat_id


def _logical_lines(data: str) -> list[tuple[int, str]]:
    """(line number, line) with a line that is not a new annotation joined to the one
    before it (reference text containing a line break)."""
    out: list[tuple[int, str]] = []
    for n, raw in enumerate(data.split("\n"), 1):
        line = raw[:-1] if raw.endswith("\r") else raw
        if not line.strip():
            continue
        if _ID.match(line) or not out:
            out.append((n, line))
        else:
            prev_n, prev = out[-1]
            out[-1] = (prev_n, prev + "\n" + line)
    return out


def _same_text(ref: str, actual: str) -> bool:
    return _LINE_BREAKS.sub(" ", ref) == _LINE_BREAKS.sub(" ", actual)


def read_ann(ann_path: Path, notes: list[str]) -> ParsedDocument:
    """One ``.ann`` and the ``.txt`` beside it, types and names as the file has them."""
    txt_path = ann_path.with_suffix(".txt")
    if not txt_path.is_file():
        raise InterchangeError(
            f"no text file {txt_path.name} beside it (brat ignores such a file)",
            path=str(ann_path),
        )
    try:
        text = txt_path.read_bytes().decode("utf-8")
        data = ann_path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InterchangeError(f"not UTF-8 text ({err.reason})", path=str(txt_path)) from None
    where = ann_path.name
    anns: dict[str, Annotation] = {}
    alias: dict[str, str] = {}  # event id -> trigger id
    links: list[Link] = []
    pending: list[tuple[int, str]] = []
    for n, line in _logical_lines(data):
        kind = line[0]
        fields = line.split("\t")
        if kind == "T":
            if len(fields) < 3:
                raise InterchangeError(
                    f"text-bound annotation {fields[0]} has no reference text",
                    path=str(ann_path),
                    line=n,
                )
            tid, head, ref = fields[0], fields[1], "\t".join(fields[2:])
            type_, _, offs = head.partition(" ")
            frags = _fragments(offs, text, str(ann_path), n)
            actual = " ".join(text[f.start : f.end] for f in frags)
            if not _same_text(ref, actual):
                raise OffsetMismatch(
                    f"{tid} says {ref!r} but the text at {offs} is {actual!r}",
                    path=str(ann_path),
                    line=n,
                )
            anns[tid] = Annotation(
                id=_our_id(tid, "a"), tag=type_, fragments=join_line_breaks(text, frags)
            )
        else:
            pending.append((n, line))
    events: list[tuple[int, str, str, list[str]]] = []
    for n, line in pending:  # every event's trigger first: an argument may name a later event
        if line[0] != "E":
            continue
        fields = line.rstrip("\t ").split("\t")
        args = fields[1].split() if len(fields) > 1 else []
        trigger = args[0].split(":", 1)[1] if args and ":" in args[0] else ""
        if trigger in anns:
            alias[fields[0]] = trigger
            events.append((n, fields[0], trigger, args[1:]))
        else:
            notes.append(f"{where}, line {n}: event {fields[0]} has no trigger; skipped")
    for n, eid, trigger, event_args in events:  # then their arguments
        for arg in event_args:
            role, _, target = arg.partition(":")
            _relation(
                anns,
                alias,
                links,
                re.sub(r"\d+$", "", role),
                trigger,
                target,
                f"{eid}-{role}",
                notes,
                where,
                n,
            )
    link_notes: dict[str, str] = {}
    for n, line in pending:
        kind = line[0]
        fields = (line if kind == "#" else line.rstrip("\t ")).split("\t")
        args = fields[1].split() if len(fields) > 1 else []
        if kind == "R" and len(args) >= 3:
            src = args[1].split(":", 1)[-1]
            tgt = args[2].split(":", 1)[-1]
            _relation(
                anns, alias, links, args[0], src, tgt, _our_id(fields[0], "r"), notes, where, n
            )
        elif kind in "AM" and len(args) >= 2:
            # the value is the rest of the field, spaces and all (other tools write them)
            _attribute(anns, alias, fields[1].split(None, 2), notes, where, n, fields[0])
        elif kind == "#" and len(args) >= 2 and len(fields) >= 3:
            target = alias.get(args[1], args[1])
            if target[:1] == "R" and target[1:].isdigit():  # a note on a relation: the link's
                note = "\t".join(fields[2:])
                rid = _our_id(target, "r")
                link_notes[rid] = f"{link_notes[rid]}\n{note}" if rid in link_notes else note
            elif target in anns:
                note = "\t".join(fields[2:])
                a = anns[target]
                a.note = f"{a.note}\n{note}" if a.note else note
            else:
                notes.append(f"{where}, line {n}: note on unknown {args[1]}; skipped")
        elif kind == "*":
            notes.append(
                f"{where}, line {n}: equivalence {' '.join(args)} is not kept "
                "(annotator has no equivalence sets)"
            )
        elif kind == "N":
            notes.append(
                f"{where}, line {n}: normalisation {fields[0]} ({' '.join(args)}) is not kept"
            )
        elif kind in "TE":
            continue
        else:
            notes.append(f"{where}, line {n}: cannot read {line[:40]!r}; skipped")
    kept = {lk.id for lk in links}
    for rid in sorted(set(link_notes) - kept):
        notes.append(f"{where}: the note on relation {rid} goes with the relation; skipped")
    links = [replace(lk, note=link_notes[lk.id]) if lk.id in link_notes else lk for lk in links]
    return ParsedDocument(
        name=ann_path.stem,
        text=text,
        annotations=list(anns.values()),
        links=links,
        source=str(ann_path),
        where=where,
    )


def _fragments(offs: str, text: str, source: str, n: int) -> list[Fragment]:
    frags: list[Fragment] = []
    for piece in offs.split(";"):
        parts = piece.split()
        if len(parts) != 2 or not all(x.isascii() and x.isdigit() for x in parts):
            raise InterchangeError(
                f"cannot read the offsets {excerpt(offs)!r}", path=source, line=n
            )
        try:  # bounded before int(): offsets must fit the text (int() stops at 4,300 digits)
            s, e = (parse_offset(x, len(text)) for x in parts)
        except ValueError:
            s = e = 0
        if not s < e:
            raise OffsetMismatch(
                f"offsets {excerpt(piece)} are outside the text ({len(text)} characters)",
                path=source,
                line=n,
            )
        frags.append(Fragment(s, e))
    return frags


def _relation(
    anns: dict[str, Annotation],
    alias: dict[str, str],
    links: list[Link],
    type_: str,
    src: str,
    tgt: str,
    link_id: str,
    notes: list[str],
    where: str,
    n: int,
) -> None:
    src, tgt = alias.get(src, src), alias.get(tgt, tgt)
    if src not in anns or tgt not in anns:
        notes.append(
            f"{where}, line {n}: {type_} between {src} and {tgt}: an end is not a "
            "text-bound annotation of this file; skipped"
        )
        return
    links.append(Link(link_id, type_, anns[src].id, anns[tgt].id))


def _attribute(
    anns: dict[str, Annotation],
    alias: dict[str, str],
    args: list[str],
    notes: list[str],
    where: str,
    n: int,
    aid: str,
) -> None:
    """An attribute line; values are given one by one (a tuple), a binary one as "true"."""
    name, target = args[0], alias.get(args[1], args[1])
    if target not in anns:
        notes.append(f"{where}, line {n}: attribute {aid} on unknown {args[1]}; skipped")
        return
    ann = anns[target]
    value = args[2].strip() if len(args) >= 3 else BINARY_VALUE
    if "%" in value and " " not in value:  # our export %-encodes a space or % in a value
        value = unquote(value)
    ann.attributes[name] = (*values_of(ann.attributes.get(name, ())), value)


def find_conf(path: Path) -> Path | None:
    """The ``annotation.conf`` that applies to ``path``: in its folder or the nearest parent,
    as brat looks it up."""
    folder = path if path.is_dir() else path.parent
    for candidate in (folder, *folder.parents):
        conf = candidate / "annotation.conf"
        if conf.is_file():
            return conf
    return None


class BratImporter:
    name = "brat"

    def sniff(self, path: Path) -> bool:
        if path.is_dir():
            return any(path.glob("*.ann"))
        return path.suffix == ".ann" and path.is_file()

    def read(self, path: Path, tagset: TagSet) -> ParsedSource:
        """Every ``.ann`` of the folder (or the one file), each on its own."""
        from annotator.interchange.brat_conf import tagset_from_conf

        parsed = ParsedSource(path=path, format=self.name)
        conf = find_conf(path)
        if conf is not None:
            text = conf.read_bytes().decode("utf-8", "replace")
            parsed.tagset = tagset_from_conf(text, source=str(conf), notes=parsed.notes)
        if path.is_dir():
            files = sorted(path.glob("*.ann"))
            return read_each(parsed, files, lambda f, notes: [read_ann(f, notes)])
        parsed.documents.append(read_ann(path, parsed.notes))
        return parsed
