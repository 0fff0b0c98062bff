"""The documented JSON export (and its import): one file, every document with its annotations.

Shape (``"format": "annotator-json"``, ``"version": 1``)::

    {
      "format": "annotator-json", "version": 1,
      "project": "Korea 1998", "layer": "alice", "tagset": "campaign",
      "documents": [
        {
          "id": "doc0001",
          "metadata": {"headline": "...", "country": "...", "date": "...", ...},
          "status": {"alice": "done", "bob": "in-progress"},   each annotator's progress
          "text": "the full release text",
          "annotations": [
            {
              "id": "a3", "layer": "alice", "tag": "victim",
              "fragments": [[12, 30], [41, 50]],       code points, half-open
              "text": "political prisoners … students",   fragments joined by " … "
              "attributes": {"group": ["student"], "named": "group"},
              "note": "", "author": "alice", "created_at": "2026-11-27T09:00:41Z",
              "modified_by": "bob", "modified_at": "2026-11-28T10:00:00Z",
              "links": [{"id": "r4", "type": "addressee", "target": "a7",
                         "attributes": {...}, "note": "..."}]     (both only when set)
            }
          ]
        }
      ]
    }

``metadata`` holds only non-empty fields (headline, country, dateline, date,
ai_index, source_name, source_sha256, then free keys). ``author`` made the
annotation at ``created_at``; ``modified_by`` changed it last, at ``modified_at``
(UTC ISO 8601 as the project file holds them, empty when unknown). A multi-valued
attribute is a list, a single one a string. ``links`` are the annotation's
outgoing links; the target is an annotation id of the same document and layer.
Offsets count Unicode code points (Python string indices), not UTF-16 units.
The file is UTF-8; a lone surrogate (never in real text) is written as a JSON
``\\udXXX`` escape so the file stays valid UTF-8.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from annotator.errors import InterchangeError, ModelError
from annotator.interchange.common import (
    META_FIELDS,
    ExportOptions,
    Selection,
    meta_dict,
    outgoing_links,
    prepare,
)
from annotator.interchange.parsed import ParsedDocument, ParsedSource
from annotator.model import (
    Annotation,
    AttrValue,
    DocumentMeta,
    Fragment,
    Link,
    Project,
    Status,
    TagSet,
)

FORMAT = "annotator-json"
VERSION = 1


def annotation_record(
    sel: Selection, doc_id: str, text: str, ann: Annotation, links: list[Link]
) -> dict[str, Any]:
    return {
        "id": ann.id,
        "layer": sel.layer,
        "tag": ann.tag,
        "fragments": [[f.start, f.end] for f in ann.fragments],
        "text": ann.covered_text(text),
        "attributes": {
            k: (v if isinstance(v, str) else list(v)) for k, v in sorted(ann.attributes.items())
        },
        "note": ann.note,
        "author": ann.created_by,
        "created_at": ann.created_at,
        "modified_by": ann.modified_by,
        "modified_at": ann.modified_at,
        "links": [link_record(lk) for lk in links],
    }


def link_record(lk: Link) -> dict[str, Any]:
    record: dict[str, Any] = {"id": lk.id, "type": lk.type, "target": lk.target}
    if lk.attributes:
        record["attributes"] = dict(sorted(lk.attributes.items()))
    if lk.note:
        record["note"] = lk.note
    return record


def to_data(sel: Selection) -> dict[str, Any]:
    docs = []
    for doc in sel.walk():
        da = sel.annotations(doc.id)
        out = outgoing_links(da)
        docs.append(
            {
                "id": doc.id,
                "metadata": meta_dict(doc),
                "status": {who: doc.status[who].value for who in sorted(doc.status)},
                "text": doc.text,
                "annotations": [
                    annotation_record(sel, doc.id, doc.text, a, out.get(a.id, []))
                    for a in da.sorted_annotations()
                ],
            }
        )
    return {
        "format": FORMAT,
        "version": VERSION,
        "project": sel.project.name,
        "layer": sel.layer,
        "tagset": sel.project.tagset.name,
        "documents": docs,
    }


def dumps(data: Any, *, indent: int | None = None) -> bytes:
    """UTF-8 JSON; lone surrogates become ``\\udXXX`` escapes (valid JSON and UTF-8)."""
    return json.dumps(data, ensure_ascii=False, indent=indent).encode("utf-8", "backslashreplace")


def to_bytes(data: dict[str, Any]) -> bytes:
    """The file: the header keys first, then one document per line.

    One line per document keeps the file greppable and diffable, and lets
    Python's C encoder do the work (``indent`` switches to a much slower
    pure-Python encoder: 10,000 releases took 2.7x a project save).
    """
    docs = data["documents"]
    head = dumps({k: v for k, v in data.items() if k != "documents"})
    lines = b",\n".join(dumps(d) for d in docs)
    return head[:-1] + b', "documents": [\n' + lines + (b"\n" if docs else b"") + b"]}\n"


class JsonExporter:
    name = "json"
    description = "JSON: every document (id, metadata, text) with its annotations and links"
    suffix = ".json"

    def write(self, project: Project, out: Path, options: ExportOptions) -> list[str]:
        Path(out).write_bytes(to_bytes(to_data(prepare(project, options))))
        return []


class JsonImporter:
    name = "json"

    def sniff(self, path: Path) -> bool:
        if not path.is_file() or path.suffix.lower() != ".json":
            return False
        with path.open("rb") as fh:
            return f'"format": "{FORMAT}"'.encode() in fh.read(400)

    def read(self, path: Path, tagset: TagSet) -> ParsedSource:
        source = str(path)
        try:
            raw = path.read_bytes().decode("utf-8")
            data = json.loads(raw)
        except UnicodeDecodeError as err:
            raise InterchangeError(f"not UTF-8 ({err.reason})", path=source) from None
        except json.JSONDecodeError as err:
            raise InterchangeError(
                f"not valid JSON: {err.msg}", path=source, line=err.lineno
            ) from None
        except ValueError as err:  # a number beyond 4,300 digits
            raise InterchangeError(f"not valid JSON: {err}", path=source) from None
        except RecursionError:
            raise InterchangeError("not valid JSON: nested too deeply", path=source) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InterchangeError(f'not an {FORMAT} file (no "format": "{FORMAT}")', path=source)
        parsed = ParsedSource(path=path, format=self.name)
        parsed.documents = _Shape(raw, source).documents(data)
        return parsed


class _Shape:
    """Reads the documented shape, checking every value's type: a wrong one is one
    sentence naming the file, the line of the document or annotation, and the key."""

    def __init__(self, raw: str, source: str) -> None:
        self.raw = raw
        self.source = source
        self.line: int | None = None
        self._pos = 0

    def fail(self, what: str) -> InterchangeError:
        return InterchangeError(what, path=self.source, line=self.line)

    def locate(self, ident: object) -> None:
        """The line where the record with this id begins (its ``"id"`` after the last one)."""
        if not isinstance(ident, str | int):
            return
        m = re.compile(r'"id"\s*:\s*' + re.escape(json.dumps(ident, ensure_ascii=False))).search(
            self.raw, self._pos
        )
        if m is not None:
            self._pos = m.end()
            self.line = self.raw.count("\n", 0, m.start()) + 1

    def text(self, record: dict[str, Any], key: str, what: str, default: str | None = None) -> str:
        value = record.get(key, default)
        if value is None:
            raise self.fail(f'{what} has no "{key}"')
        if not isinstance(value, str):
            raise self.fail(f'{what}: "{key}" must be a string, not {_kind(value)}')
        return value

    def record(self, value: object, what: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"{what} must be an object, not {_kind(value)}")
        return value

    def items(self, record: dict[str, Any], key: str, what: str) -> list[Any]:
        value = record.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f'{what}: "{key}" must be a list, not {_kind(value)}')
        return value

    def strings(self, value: object, what: str) -> dict[str, str]:
        if value is None:
            return {}
        m = self.record(value, what)
        for k, v in m.items():
            if not isinstance(v, str):
                raise self.fail(f"{what}: {k!r} must be a string, not {_kind(v)}")
        return m

    def documents(self, data: dict[str, Any]) -> list[ParsedDocument]:
        docs: list[ParsedDocument] = []
        for i, d in enumerate(self.items(data, "documents", "the file"), 1):
            d = self.record(d, f"document {i}")
            self.locate(d.get("id"))
            doc_id = self.text(d, "id", f"document {i}")
            what = f"document {doc_id!r}"
            meta = _meta(self.strings(d.get("metadata"), f"{what}: metadata"))
            status: dict[str, Status] = {}
            for who, value in self.strings(d.get("status"), f"{what}: status").items():
                try:
                    status[who] = Status(value)
                except ValueError:
                    raise self.fail(
                        f"{what}: status {value!r} of {who!r} is not one annotator knows"
                    ) from None
            text = self.text(d, "text", what)
            anns: list[Annotation] = []
            links: list[Link] = []
            for a in self.items(d, "annotations", what):
                a = self.record(a, f"{what}: an annotation")
                self.locate(a.get("id"))
                ann = self.annotation(a, what)
                anns.append(ann)
                for lk in self.items(a, "links", f"annotation {ann.id!r}"):
                    links.append(self.link(self.record(lk, f"a link of {ann.id!r}"), ann.id))
            docs.append(
                ParsedDocument(
                    doc_id, text, meta, anns, links, source=self.source, where=doc_id, status=status
                )
            )
        return docs

    def annotation(self, a: dict[str, Any], doc: str) -> Annotation:
        ann_id = self.text(a, "id", f"{doc}: an annotation")
        what = f"annotation {ann_id!r}"
        fragments: list[Fragment] = []
        for pair in self.items(a, "fragments", what):
            if (
                not isinstance(pair, list)
                or len(pair) != 2
                or not all(isinstance(x, int) and not isinstance(x, bool) for x in pair)
            ):
                raise self.fail(
                    f"{what}: a fragment must be [start, end] in whole numbers, not {pair!r:.40}"
                )
            try:
                fragments.append(Fragment(pair[0], pair[1]))
            except ModelError as err:
                raise self.fail(f"{what}: {err.message}") from None
        if not fragments:
            raise self.fail(f"{what} has no fragments")
        attributes: dict[str, AttrValue] = {}
        for name, value in self.record(a.get("attributes") or {}, f"{what}: attributes").items():
            if isinstance(value, str):
                attributes[name] = value
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                attributes[name] = tuple(value)
            else:
                raise self.fail(f"{what}: attribute {name!r} must be a string or a list of strings")
        author = self.text(a, "author", what, "")
        created_at = self.text(a, "created_at", what, "")
        return Annotation(
            id=ann_id,
            tag=self.text(a, "tag", what),
            fragments=tuple(fragments),
            attributes=attributes,
            note=self.text(a, "note", what, ""),
            created_by=author,
            created_at=created_at,
            modified_by=self.text(a, "modified_by", what, author),
            modified_at=self.text(a, "modified_at", what, created_at),
        )

    def link(self, lk: dict[str, Any], source: str) -> Link:
        what = f"a link of annotation {source!r}"
        return Link(
            self.text(lk, "id", what),
            self.text(lk, "type", what),
            source,
            self.text(lk, "target", what),
            self.strings(lk.get("attributes"), f"{what}: attributes"),
            self.text(lk, "note", what, ""),
        )


def _kind(value: object) -> str:
    """How JSON calls a value's type, for messages."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return "null" if value is None else "a string"


def _meta(m: dict[str, str]) -> DocumentMeta:
    meta = DocumentMeta()
    for key, value in m.items():
        if key in (*META_FIELDS, "source_sha256"):
            setattr(meta, key, value)
        else:
            meta.extra[key] = value
    return meta
