"""Serialising a Project to the project-file bytes (format version 2).

The layout is described in :mod:`annotator.formats.project_xml`. The writer
builds the lines as strings rather than an lxml tree: an annotation is one
line, and formatting 200,000 of them directly is several times faster than
creating and serialising 600,000 elements. Correctness is not left to trust:
``save_project`` re-parses and schema-validates the bytes before anything
touches the disk, and the tests compare against lxml and xmllint.

Output is deterministic: documents in project order, annotations in
``annotation_order``, links by natural id order, every mapping sorted by key,
fixed attribute order, LF line ends, a trailing newline, no time stamps the
user did not make.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from lxml import etree

from annotator.errors import SaveFailed
from annotator.formats.tagset_log_xml import log_lines
from annotator.formats.tagset_xml import tagset_to_element
from annotator.formats.xmltext import attr_value, needs_attr_escape, text_content
from annotator.model.project import (
    Annotation,
    Document,
    DocumentAnnotations,
    Layer,
    Link,
    Project,
)
from annotator.model.tagset import AttrValue, TagSet
from annotator.numbers import MAX_DIGITS, number_key

#: The newest format version, the one read and written: 3 adds the tag-set log.
FORMAT_VERSION = 3
#: The version a file without a tag-set log is written in: the same bytes as before
#: the log existed, which annotators that know only version 2 still open.
VERSION_WITHOUT_LOG = 2
ROOT_TAG = "annotator-project"
#: The first line of every project file.
XML_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n'
#: What joins the pieces of a discontinuous annotation in its ``quote``.
QUOTE_SEPARATOR = " … "

_DIGITS = re.compile(r"(\d+)")

#: How much text the writer gathers before encoding it and handing it on: large
#: enough that the pieces cost nothing to pass between threads, small enough that
#: no single encode or scan of one holds the interpreter for long.
CHUNK_CHARS = 1 << 18
#: the same for lines of annotations (a few hundred characters each)
_LINES_PER_CHUNK = 1024


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector around bulk work on a big project.

    Loading builds 100,000s of objects that all stay alive, so the collections
    it triggers find nothing, yet each full one walks the whole heap; saving
    allocates a list per line. Without them both run about 1.3-1.5x faster.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Everything allocated meanwhile is still in the youngest generation, so
        # the first collection after re-enabling would walk all of it (about a
        # second for a big project). Freeze + unfreeze moves it to the oldest
        # generation in O(1) instead: it is long-lived, and a full collection
        # still visits it when the heap has grown enough to warrant one.
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def natural_key(ident: str) -> tuple[tuple[int, str], ...]:
    """Sort key putting ``r2`` before ``r10`` (ids are prefix + counter)."""
    # The ids the layers hand out (a letter and a short ASCII number) without the
    # regex: the same key, five times faster, for the 50,000 links of a big project.
    digits = ident[1:]
    if digits and len(digits) <= MAX_DIGITS and digits.isascii() and digits.isdigit():
        head = ident[0]
        if not head.isdigit():
            return ((-1, head), (int(digits), digits))
    parts = _DIGITS.split(ident)
    return tuple((number_key(p), p) if p.isdecimal() else (-1, p) for p in parts if p)


def quote_of(ann: Annotation, text: str) -> str:
    return QUOTE_SEPARATOR.join([text[f.start : f.end] for f in ann.fragments])


def frags_value(ann: Annotation) -> str:
    return " ".join([f"{f.start}-{f.end}" for f in ann.fragments])


def format_version(project: Project) -> int:
    """The version ``project`` is written in: the oldest that holds all it has (a file
    with a tag-set log needs version 3; one without stays readable by older annotators,
    which would drop a log they do not know on their next save)."""
    return FORMAT_VERSION if project.tagset_log else VERSION_WITHOUT_LOG


def tagset_lines(tagset: TagSet) -> str:
    try:
        el = tagset_to_element(tagset)
    except ValueError as err:  # lxml refuses control characters in names or definitions
        raise SaveFailed(f"the tag set cannot be written as XML: {err}") from None
    etree.indent(el, space="  ", level=1)
    return "  " + etree.tostring(el, encoding="unicode") + "\n"


def _document_lines(doc: Document, w: Callable[[str], None]) -> None:
    w(
        f'    <document id="{attr_value(doc.id)}" sha256="{doc.sha256}" '
        f'review="{doc.review_status.value}">\n'
    )
    m = doc.meta
    meta = [
        ("headline", m.headline),
        ("country", m.country),
        ("dateline", m.dateline),
        ("date", m.date),
        ("ai-index", m.ai_index),
        ("source-name", m.source_name),
        ("source-sha256", m.source_sha256),
    ]
    fields = "".join([f' {k}="{attr_value(v)}"' for k, v in meta if v])
    if fields:
        w(f"      <meta{fields}/>\n")
    for key in sorted(m.extra):
        w(f'      <extra key="{attr_value(key)}" value="{attr_value(m.extra[key])}"/>\n')
    for who in sorted(doc.status):
        w(f'      <status annotator="{attr_value(who)}" value="{doc.status[who].value}"/>\n')
    w("      <text>")
    w(text_content(doc.text))  # not inside an f-string: no second copy of a long text
    w("</text>\n")
    w("    </document>\n")


def _same(s: str) -> str:
    return s


class _AnnotationLines:
    """Formats ``<ann>`` lines; the hot path of saving (200,000 calls for a big project).

    Most values need no escaping, so one scan of all of a line's free-text values
    decides whether to escape each; and the ``<attr>`` children of one set of
    attribute values are formatted once per save, not once per annotation.
    """

    def __init__(self) -> None:
        self._attr_xml: dict[tuple[tuple[str, AttrValue], ...], str] = {}

    def _attr_children(self, attributes: dict[str, AttrValue]) -> str:
        # keyed by the pairs in the dict's own order: a few hundred distinct keys in
        # a big project, each sorted and escaped once
        key = tuple(attributes.items())
        xml = self._attr_xml.get(key)
        if xml is None:
            parts = []
            for name in sorted(attributes):
                value = attributes[name]
                n = attr_value(name)
                values = (value,) if isinstance(value, str) else value
                parts.extend([f'<attr name="{n}" value="{attr_value(v)}"/>' for v in values])
            xml = self._attr_xml[key] = "".join(parts)
        return xml

    def line(self, ann: Annotation, doc_id: str, text: str) -> str:
        frags = ann.fragments
        if len(frags) == 1:
            f = frags[0]
            start = f.start
            end = f.end
            span = f"{start}-{end}"
            quote = text[start:end]
        else:
            span = frags_value(ann)
            quote = quote_of(ann, text)
        ident = ann.id
        tag = ann.tag
        note = ann.note
        cby = ann.created_by
        cat = ann.created_at
        mby = ann.modified_by
        mat = ann.modified_at
        if needs_attr_escape(ident + tag + quote + note + cby + cat + mby + mat):
            ident, tag, quote = attr_value(ident), attr_value(tag), attr_value(quote)
            note, cby, cat = attr_value(note), attr_value(cby), attr_value(cat)
            mby, mat = attr_value(mby), attr_value(mat)
        line = f'      <ann id="{ident}" doc="{doc_id}" tag="{tag}" frags="{span}" quote="{quote}"'
        if note:
            line += f' note="{note}"'
        if ann.needs_check:
            line += ' needs-check="true"'
        if cby:
            line += f' created-by="{cby}"'
        if cat:
            line += f' created-at="{cat}"'
        # modified-* only when they differ from created-* (the common case is equal)
        if mby != cby:
            line += f' modified-by="{mby}"'
        if mat != cat:
            line += f' modified-at="{mat}"'
        attributes = ann.attributes
        provenance = ann.provenance
        comments = ann.comments
        if not (attributes or provenance or comments):
            return line + "/>\n"
        children = self._attr_children(attributes) if attributes else ""
        av = attr_value
        if provenance:
            children += "".join(
                [f'<prov key="{av(k)}" value="{av(provenance[k])}"/>' for k in sorted(provenance)]
            )
        if comments:
            children += "".join(
                [
                    f'<comment by="{av(c.author)}" at="{av(c.at)}" text="{av(c.text)}"/>'
                    for c in comments
                ]
            )
        return f"{line}>{children}</ann>\n"


def _order(a: Annotation) -> tuple[int, int, str, str]:
    """``annotation_order`` without its two property calls (the sort of every save)."""
    frags = a.fragments
    return (frags[0].start, -frags[-1].end, a.tag, a.id)


def _link_line(link: Link, doc_id: str) -> str:
    raw = link.id + link.type + link.source + link.target + link.note
    av = attr_value if needs_attr_escape(raw) else _same
    head = (
        f'      <link id="{av(link.id)}" doc="{doc_id}" type="{av(link.type)}" '
        f'from="{av(link.source)}" to="{av(link.target)}"'
    )
    if link.note:
        head += f' note="{av(link.note)}"'
    if not link.attributes:
        return head + "/>\n"
    attrs = link.attributes
    children = "".join(
        [f'<attr name="{attr_value(k)}" value="{attr_value(attrs[k])}"/>' for k in sorted(attrs)]
    )
    return f"{head}>{children}</link>\n"


def _layer_lines(layer: Layer, project: Project, w: Callable[[str], None]) -> Iterator[None]:
    """Write ``layer``; yields after each document's lines (a place to hand text on)."""
    w(
        f'    <layer name="{attr_value(layer.name)}" kind="{layer.kind.value}" '
        f'counter="{layer.counter}"'
    )
    docs: list[tuple[str, DocumentAnnotations]] = [
        (doc_id, layer.docs[doc_id]) for doc_id in project.documents if layer.docs.get(doc_id)
    ]
    if not docs:
        w("/>\n")
        return
    w(">\n")
    line = _AnnotationLines().line
    for doc_id, da in docs:
        text = project.documents[doc_id].text
        ref = attr_value(doc_id)
        for ann in sorted(da.annotations.values(), key=_order):
            w(line(ann, ref, text))
        links = da.links
        for link_id in sorted(links, key=natural_key):
            w(_link_line(links[link_id], ref))
        yield None
    w("    </layer>\n")


def project_to_bytes(project: Project) -> bytes:
    """The project file for ``project``: UTF-8, deterministic, one annotation per line.

    Annotations on documents the project does not hold are not written (they
    cannot be anchored); the model never creates them. A save streams
    :func:`project_chunks` to the disk instead of holding the whole file.
    """
    with paused_gc():
        return b"".join(project_chunks(project))


def project_chunks(project: Project) -> Iterator[bytes]:
    """The file as UTF-8 pieces of about :data:`CHUNK_CHARS` characters, each ending
    at the end of a line (a release's text is never split).

    Made as they are consumed: a save writes each piece and lets it go, so the
    file never exists whole in memory, neither as ``str`` (for a text with a
    curly quote Python stores two bytes a character) nor as bytes; and no
    encoding of the whole file holds the interpreter while the window waits.
    """
    out: list[str] = []
    w = out.append
    size = 0

    def take() -> bytes:
        nonlocal size
        data = "".join(out).encode("utf-8")
        out.clear()
        size = 0
        return data

    w(XML_HEAD.decode())
    version = format_version(project)
    w(f'<{ROOT_TAG} format-version="{version}" name="{attr_value(project.name)}">\n')
    w(tagset_lines(project.tagset))
    w(log_lines(project.tagset_log))
    if project.documents:
        w("  <documents>\n")
        for doc in project.documents.values():
            _document_lines(doc, w)
            size += len(doc.text)
            if size >= CHUNK_CHARS or len(out) >= _LINES_PER_CHUNK:
                yield take()
        w("  </documents>\n")
    else:
        w("  <documents/>\n")
    if project.layers:
        w("  <layers>\n")
        for name in sorted(project.layers):  # by name: independent of who made one first
            for _ in _layer_lines(project.layers[name], project, w):
                if len(out) >= _LINES_PER_CHUNK:
                    yield take()
        w("  </layers>\n")
    else:
        w("  <layers/>\n")
    w(f"</{ROOT_TAG}>\n")
    yield take()
