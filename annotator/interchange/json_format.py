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
from pathlib import Path
from typing import Any

from annotator.errors import InterchangeError
from annotator.interchange.common import (
    META_FIELDS,
    ExportOptions,
    Selection,
    meta_dict,
    outgoing_links,
    prepare,
)
from annotator.interchange.parsed import ParsedDocument, ParsedSource
from annotator.model import Annotation, DocumentMeta, Fragment, Link, Project, TagSet

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
    for doc in sel.documents:
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

    def write(self, project: Project, out: Path, options: ExportOptions) -> None:
        Path(out).write_bytes(to_bytes(to_data(prepare(project, options))))


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
            data = json.loads(path.read_bytes().decode("utf-8"))
        except ValueError as err:  # not UTF-8, not JSON, or a number beyond 4,300 digits
            raise InterchangeError(f"not valid JSON: {err}", path=source) from None
        except RecursionError:
            raise InterchangeError("not valid JSON: nested too deeply", path=source) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InterchangeError(f'not an {FORMAT} file (no "format": "{FORMAT}")', path=source)
        problem = _shape_problem(data)
        if problem:
            raise InterchangeError(
                f"the JSON does not have the documented shape: {problem}", path=source
            )
        parsed = ParsedSource(path=path, format=self.name)
        parsed.documents = self._documents(data, source)
        return parsed

    def _documents(self, data: dict[str, Any], source: str) -> list[ParsedDocument]:
        docs: list[ParsedDocument] = []
        try:
            for d in data["documents"]:
                meta = _meta(d.get("metadata") or {})
                doc_id = d["id"]
                anns: list[Annotation] = []
                links: list[Link] = []
                for a in d.get("annotations", []):
                    anns.append(
                        Annotation(
                            id=a["id"],
                            tag=a["tag"],
                            fragments=tuple(Fragment(s, e) for s, e in a["fragments"]),
                            attributes={
                                k: (v if isinstance(v, str) else tuple(v))
                                for k, v in (a.get("attributes") or {}).items()
                            },
                            note=a.get("note", ""),
                            created_by=a.get("author", ""),
                            created_at=a.get("created_at", ""),
                            modified_by=a.get("modified_by", a.get("author", "")),
                            modified_at=a.get("modified_at", a.get("created_at", "")),
                        )
                    )
                    for lk in a.get("links", []):
                        links.append(
                            Link(
                                lk["id"],
                                lk["type"],
                                a["id"],
                                lk["target"],
                                dict(lk.get("attributes") or {}),
                                lk.get("note", ""),
                            )
                        )
                doc = ParsedDocument(doc_id, d["text"], meta, anns, links, source=source)
                doc.where = doc_id
                docs.append(doc)
        except (KeyError, TypeError, ValueError) as err:
            raise InterchangeError(
                f"the JSON does not have the documented shape ({err})", path=source
            ) from None
        return docs


def _meta(m: dict[str, str]) -> DocumentMeta:
    meta = DocumentMeta()
    for key, value in m.items():
        if key in (*META_FIELDS, "source_sha256"):
            setattr(meta, key, value)
        else:
            meta.extra[key] = value
    return meta


# --- types: every value the documented shape gives as text is a string ------------------

#: Keys whose values are not text.
_STRUCTURED = frozenset({"fragments", "attributes", "links", "metadata", "status", "annotations"})


def _values_problem(where: str, value: object) -> str:
    """Attributes: names to a string or a list of strings."""
    if not isinstance(value, dict):
        return f"{where} is not an object"
    for k, v in value.items():
        if not (isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))):
            return f"{where} {k!r} is neither text nor a list of texts"
    return ""


def _texts_problem(where: str, record: dict[str, Any]) -> str:
    for key, value in record.items():
        if key not in _STRUCTURED and not isinstance(value, str):
            return f"{where}: {key!r} is not text"
    return ""


def _shape_problem(data: dict[str, Any]) -> str:
    """What in ``data`` has the wrong type (a number where text belongs, null for a note,
    an object for a list), or "" when every value has the documented type."""
    docs = data.get("documents")
    if not isinstance(docs, list):
        return '"documents" is not a list'
    for i, d in enumerate(docs):
        if not isinstance(d, dict):
            return f"document {i + 1} is not an object"
        where = f"document {i + 1}"
        problem = _texts_problem(where, d)
        for key in ("metadata", "status"):
            m = d.get(key, {})
            if not problem and not (
                isinstance(m, dict) and all(isinstance(v, str) for v in m.values())
            ):
                problem = f"{where}: {key!r} is not an object of texts"
        anns = d.get("annotations", [])
        if not problem and not isinstance(anns, list):
            problem = f"{where}: 'annotations' is not a list"
        if problem:
            return problem
        for j, a in enumerate(anns):
            problem = _annotation_problem(f"{where}, annotation {j + 1}", a)
            if problem:
                return problem
    return ""


def _annotation_problem(where: str, a: object) -> str:
    if not isinstance(a, dict):
        return f"{where} is not an object"
    problem = _texts_problem(where, a) or _values_problem(
        f"{where}: attribute", a.get("attributes", {})
    )
    frags = a.get("fragments")
    if not problem and not (
        isinstance(frags, list)
        and all(
            isinstance(f, list)
            and len(f) == 2
            and all(isinstance(x, int) and not isinstance(x, bool) for x in f)
            for f in frags
        )
    ):
        problem = f"{where}: 'fragments' is not a list of [start, end] pairs of whole numbers"
    links = a.get("links", [])
    if not problem and not isinstance(links, list):
        problem = f"{where}: 'links' is not a list"
    for k, lk in enumerate(links if not problem else []):
        if not isinstance(lk, dict):
            return f"{where}, link {k + 1} is not an object"
        problem = _texts_problem(f"{where}, link {k + 1}", lk) or _values_problem(
            f"{where}, link {k + 1}: attribute", lk.get("attributes", {})
        )
        if problem:
            break
    return problem
