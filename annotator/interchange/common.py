"""What every exporter shares: options, the choice of layer and documents, value helpers.

:func:`prepare` turns a project and :class:`ExportOptions` into a
:class:`Selection` (already redacted when asked), so each format module only
walks documents and annotations and never repeats the selection rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from annotator.errors import ExportError
from annotator.model import (
    CURATED_LAYER,
    Annotation,
    AttrValue,
    Document,
    DocumentAnnotations,
    LayerKind,
    Link,
    Project,
)
from annotator.numbers import number_key
from annotator.progress import Progress, track


@dataclass(frozen=True)
class ExportOptions:
    """What to export and how.

    ``layer`` None means the only layer, or the curated layer if there is one.
    ``documents`` None means every document, in project order. ``redact`` names
    tags whose covered text is replaced by placeholders (see :mod:`.redact`);
    ``redact_also`` adds forms that were never annotated.
    ``bom`` and ``formula_guard`` only affect CSV/TSV output. ``progress``
    counts the releases written and stops the export between two when
    cancelled (the staged output is removed; the target is untouched).
    """

    layer: str | None = None
    documents: Sequence[str] | None = None
    redact: Sequence[str] = ()
    #: names never annotated (a nickname) to redact as well, e.g. ``("Lulu",)``
    redact_also: Sequence[str] = ()
    bom: bool = True
    #: prefix cells starting with = + - @ with ' so spreadsheets do not run them
    formula_guard: bool = True
    progress: Progress | None = field(default=None, compare=False, repr=False)


def choose_layer(project: Project, layer: str | None) -> str:
    """The layer to export: the named one, the curated one, or the only one."""
    if layer is not None:
        if layer not in project.layers:
            names = ", ".join(sorted(project.layers)) or "none"
            raise ExportError(f"the project has no layer {layer!r} (layers: {names})")
        return layer
    curated = [n for n, ly in project.layers.items() if ly.kind is LayerKind.CURATED]
    if CURATED_LAYER in project.layers:
        return CURATED_LAYER
    if curated:
        return curated[0]
    non_empty = [n for n, ly in project.layers.items() if ly.annotation_count()]
    if len(non_empty) == 1:
        return non_empty[0]
    if not non_empty:
        return next(iter(project.layers), "")
    raise ExportError(
        "the project has several layers (" + ", ".join(sorted(non_empty)) + "); choose one "
        "with --layer"
    )


def choose_documents(project: Project, ids: Sequence[str] | None) -> list[Document]:
    if ids is None:
        return list(project.documents.values())
    missing = [i for i in ids if i not in project.documents]
    if missing:
        raise ExportError("the project has no document " + ", ".join(repr(m) for m in missing))
    return [project.documents[i] for i in ids]


@dataclass
class Selection:
    """The (possibly redacted) project, the layer name and the documents to write."""

    project: Project
    layer: str
    documents: list[Document]
    progress: Progress | None = None

    def walk(self) -> Iterator[Document]:
        """The documents, in order, each counted as one release exported."""
        return track(self.documents, self.progress, "Exporting", "release")

    def annotations(self, doc_id: str) -> DocumentAnnotations:
        layer = self.project.layers.get(self.layer)
        if layer is None:
            return DocumentAnnotations()
        return layer.docs.get(doc_id) or DocumentAnnotations()


def redacting(options: ExportOptions) -> bool:
    return bool(options.redact) or any(w.strip() for w in options.redact_also)


def prepare(project: Project, options: ExportOptions) -> Selection:
    """Resolve layer and documents; build a redacted copy first when asked."""
    layer = choose_layer(project, options.layer)
    docs = choose_documents(project, options.documents)
    if redacting(options):
        from annotator.interchange.redact import redact_project

        for tag in options.redact:
            project.tagset.tag(tag)  # unknown tag: UnknownTag, one sentence
        project = redact_project(project, options.redact, [d.id for d in docs], options.redact_also)
        docs = list(project.documents.values())
    return Selection(project, layer, docs, options.progress)


# --- values -------------------------------------------------------------------


def values_of(value: AttrValue) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def attribute_labels(project: Project, tag: str, name: str, value: AttrValue) -> str:
    """Human labels of an attribute's values, joined by "; " (for analysts' tables)."""
    try:
        attr = project.tagset.tag(tag).attribute(name)
    except Exception:
        return "; ".join(values_of(value))
    return "; ".join(attr.label_of(v) for v in values_of(value))


_LIST_UNSAFE = re.compile(r"[\s%]")


def join_list(items: Iterable[str]) -> str:
    """Space-separated list; spaces and % inside an item are %-encoded (reversible)."""
    return " ".join(
        quote(i, safe="".join(chr(c) for c in range(33, 127) if chr(c) != "%"))
        if _LIST_UNSAFE.search(i)
        else i
        for i in items
    )


def split_list(s: str) -> list[str]:
    return [unquote(i) if "%" in i else i for i in s.split()]


def outgoing_links(da: DocumentAnnotations) -> dict[str, list[Link]]:
    """Links by source annotation id, in id order (deterministic)."""
    out: dict[str, list[Link]] = {}
    for lk in sorted(da.links.values(), key=lambda lk: natural_key(lk.id)):
        out.setdefault(lk.source, []).append(lk)
    return out


def natural_key(s: str) -> tuple[str, int, str]:
    m = re.fullmatch(r"(\D*)(\d+)(.*)", s)
    if m:
        return (m.group(1), number_key(m.group(2)), m.group(3))
    return (s, -1, "")


def sorted_annotations(da: DocumentAnnotations) -> list[Annotation]:
    return da.sorted_annotations()


META_FIELDS = ("headline", "country", "dateline", "date", "ai_index", "source_name")


def meta_dict(doc: Document) -> dict[str, str]:
    """Non-empty metadata of ``doc`` (standard fields first, then extra keys sorted)."""
    m = doc.meta
    out = {f: getattr(m, f) for f in (*META_FIELDS, "source_sha256") if getattr(m, f)}
    for k in sorted(m.extra):
        out.setdefault(k, m.extra[k])
    return out


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Map:
    """Code-point offsets <-> UTF-16 code-unit offsets (Java and JavaScript string indices)."""

    def __init__(self, text: str) -> None:
        # a regex scan: a Python loop over every character was half of a MAE export
        self.astral = [m.start() for m in _ASTRAL.finditer(text)]

    def to_utf16(self, cp: int) -> int:
        import bisect

        return cp + bisect.bisect_left(self.astral, cp)

    def to_cp(self, u: int) -> int:
        """The code point offset of UTF-16 offset ``u`` (ValueError inside a surrogate pair)."""
        cp = u
        for k, pos in enumerate(self.astral):
            unit = pos + k  # UTF-16 offset of this astral character
            if unit >= u:
                break
            if unit + 1 == u:
                raise ValueError(f"UTF-16 offset {u} splits a surrogate pair")
            cp -= 1
        return cp


_FILE_UNSAFE = re.compile(r"[^\w.\-]")


def file_stem(doc_id: str) -> str:
    """A file name stem for a document id (characters a file system may refuse become ``_``)."""
    return _FILE_UNSAFE.sub("_", doc_id) or "doc"


def unique_file_stems(doc_ids: Iterable[str]) -> dict[str, str]:
    """{document id: file stem}, no two alike even on a case-insensitive file system.

    Two ids that map to one stem (``a b`` and ``a_b``) would overwrite each other's
    files; the later one gets ``-2``, ``-3``... (never a stem another document has).
    """
    ids = list(doc_ids)
    natural = {i: file_stem(i) for i in ids}
    taken = {s.casefold() for s in natural.values()}
    used: set[str] = set()
    out: dict[str, str] = {}
    for i in ids:
        stem = natural[i]
        if stem.casefold() in used:
            n = 2
            while f"{stem}-{n}".casefold() in taken:
                n += 1
            stem = f"{stem}-{n}"
            taken.add(stem.casefold())
        used.add(stem.casefold())
        out[i] = stem
    return out
