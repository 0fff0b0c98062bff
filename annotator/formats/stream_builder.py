"""The parser target that builds a project from a file's start tags, end tags and text.

:class:`Builder` is handed to libxml2 (through lxml) by
:class:`~.project_stream.StreamingReader`: libxml2 calls ``start`` for each
start tag with its attributes as a dict, ``end`` for each end tag and
``data`` for each run of text, and no element tree is ever built. The
builder makes the model's objects straight from those calls: a ``Document``
at its ``</document>``, an ``Annotation`` at its ``<ann>``, a ``Link`` once
both its ends are known.

It makes every check the XSD makes (which children, in which order, which
attributes, their patterns and enumerations, no stray text) and every check
of :class:`~.project_reader.ProjectReader` (tags, attributes and link types
against the tag set, offsets, quotes, hashes, unique ids), so loading needs
no schema pass: validating in the same pass cost as much as the parse. The
embedded tag set, a small subtree, is still checked by the XSD itself.

It only accepts: any doubt raises :class:`NotStreamable` (no message for a
user), and the caller reads the file the whole-tree way, which says what is
wrong and where. Where the schema allows a spelling the writer never uses
(a boolean written `` 1 ``, a comment between an annotation's attributes),
refusing is fine too: such a file only costs the slower path.
"""

from __future__ import annotations

import re
import threading
from typing import Any, cast

from lxml import etree

from annotator.formats.project_reader import checked_attributes
from annotator.formats.project_writer import (
    FORMAT_VERSION,
    QUOTE_SEPARATOR,
    ROOT_TAG,
    VERSION_WITHOUT_LOG,
)
from annotator.formats.tagset_log_xml import LOG_TAG, log_from_element
from annotator.formats.tagset_xml import tagset_from_element
from annotator.formats.xmltext import CHAR_TAG, attr_text
from annotator.model.project import (
    NO_ATTRIBUTES,
    NO_COMMENTS,
    NO_LINK_ATTRIBUTES,
    NO_PROVENANCE,
    Annotation,
    Comment,
    Document,
    DocumentMeta,
    Fragment,
    FrozenDict,
    Layer,
    LayerKind,
    Link,
    Project,
    ReviewStatus,
    Status,
    text_sha256,
)
from annotator.model.tagset import AttrValue
from annotator.numbers import CEILING, MAX_DIGITS, code_point, parse_offset

#: One validation at a time: an XMLSchema keeps its error log on itself.
SCHEMA_LOCK = threading.Lock()


class NotStreamable(Exception):
    """This file needs the whole-tree path (bad, or of an older format version)."""


# Where the builder is: the innermost open element. Each context's parent is fixed
# by the format, so an end tag needs no stack, only _PARENT.
(
    _OUT,  # before the root, and after it
    _PROJECT,
    _TAGSET,  # inside the tag set or its log, at any depth (handed to a TreeBuilder)
    _DOCUMENTS,
    _DOCUMENT,
    _DOC_CHILD,  # <meta>, <extra>, <status>: attributes only
    _TEXT,
    _CHAR,  # <c u="HEX"/> inside the text
    _LAYERS,
    _LAYER,
    _ANN,
    _ANN_CHILD,  # <attr>, <prov>, <comment>: attributes only
    _LINK,
    _LINK_ATTR,
) = range(14)

_PARENT = {
    _PROJECT: _OUT,
    _DOCUMENTS: _PROJECT,
    _DOCUMENT: _DOCUMENTS,
    _DOC_CHILD: _DOCUMENT,
    _TEXT: _DOCUMENT,
    _CHAR: _TEXT,
    _LAYERS: _PROJECT,
    _LAYER: _LAYERS,
    _ANN: _LAYER,
    _ANN_CHILD: _ANN,
    _LINK: _LAYER,
    _LINK_ATTR: _LINK,
}

#: White space as XML means it (Python's isspace also takes U+00A0 and others, which
#: the schema refuses between elements).
_XML_SPACE = " \t\r\n"

_META_FIELDS = (
    ("headline", "headline"),
    ("country", "country"),
    ("dateline", "dateline"),
    ("date", "date"),
    ("ai-index", "ai_index"),
    ("source-name", "source_name"),
    ("source-sha256", "source_sha256"),
)
_META_KEYS = frozenset(k for k, _ in _META_FIELDS)
_DOCUMENT_KEYS = frozenset(("id", "sha256", "review"))
_LAYER_KEYS = frozenset(("name", "kind", "counter"))
_ANN_REQUIRED = frozenset(("id", "doc", "tag", "frags", "quote"))
_ANN_KEYS = _ANN_REQUIRED | {
    "note", "needs-check", "created-by", "created-at", "modified-by", "modified-at"
}  # fmt: skip
_LINK_REQUIRED = frozenset(("id", "doc", "type", "from", "to"))
_LINK_KEYS = _LINK_REQUIRED | {"note"}
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
_FRAGMENTS = re.compile(r"[0-9]+-[0-9]+(?: [0-9]+-[0-9]+)*")
_CODE_POINT = re.compile(r"[0-9A-F]{4,6}")
#: The longest single-fragment value whose two numbers int() may take without a bound.
_SHORT_FRAGS = 2 * MAX_DIGITS + 1

_new_object = object.__new__
_set_start = Fragment.__dict__["start"].__set__  # the slot descriptors, bypassing frozen
_set_end = Fragment.__dict__["end"].__set__


#: The format versions read here: the current one, and the one files without a
#: tag-set log are written in (the same layout without that element).
_VERSIONS = frozenset((str(FORMAT_VERSION), str(VERSION_WITHOUT_LOG)))

#: What ``Builder._ann`` holds before the first annotation.
_NO_ANNOTATION = Annotation("", "", ())


def _boolean(value: str) -> bool:
    """An xs:boolean as the writer spells it (the schema's other spellings, with
    white space around, are left to the whole-tree path)."""
    flag = _BOOLEANS.get(value)
    if flag is None:
        raise _refuse("not a boolean")
    return flag


def _refuse(why: str) -> NotStreamable:
    """What the callbacks raise: libxml2 stops, and lxml raises it again from feed()."""
    return NotStreamable(why)


class Builder:
    """The parser target that builds the project (see the module's docstring).

    libxml2 calls ``start``, ``end`` and ``data`` tens of thousands of times per
    megabyte: the hot paths (an annotation and its attributes) are inlined in
    ``start`` and ``end``, the rest is in helpers.
    """

    def __init__(self, source: str, schema: etree.XMLSchema) -> None:
        self.source = source
        self.schema = schema
        #: set before each chunk is fed, once a chunk holds the private ``\\u{`` escape
        self.escaped = False
        self._buf: list[str] = []
        # The text between tags: collected by the parser at C speed, looked at
        # only where the format allows text (document text) or by the checks.
        self.data = self._buf.append
        self._ctx = _OUT
        self._stage = 0  # how far the children of the current element have got
        self._mark = 0  # len(self._buf) when the current empty element began
        self._project: Project | None = None
        self._tags: dict[str, str] = {}
        self._link_names: dict[str, str] = {}
        self._attr_cache: dict[tuple[str, ...], FrozenDict[str, AttrValue]] = {}
        self._links_ok: set[tuple[str, str, str]] = set()
        self._who: dict[str, str] = {}  # created-by and modified-by: one string each
        self._tree: etree.TreeBuilder | None = None
        self._depth = 0
        self._version = ""  # the root's format-version
        self._in_log = False  # the subtree being read is the tag-set log
        # the document being read
        self._doc: dict[str, str] = {}
        self._doc_parts: list[tuple[str, dict[str, str]]] = []
        # the layer being read
        self._layer: Layer | None = None
        self._ids: set[str] = set()
        self._doc_id: str | None = None
        self._text = ""
        self._anns: dict[str, Annotation] = {}
        self._later: list[tuple[dict[str, str], dict[str, str]]] = []
        # the annotation or link being read
        self._ann = _NO_ANNOTATION  # the one being read
        self._pairs: list[str] = []  # the current annotation's attributes: name, value...
        self._prov: dict[str, str] = {}
        self._comments: list[Comment] = []
        self._link: dict[str, str] = {}
        self._link_attrs: dict[str, str] = {}
        self._last_at = ""

    # --- the parser's callbacks --------------------------------------------------

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        ctx = self._ctx
        if ctx == _ANN:
            self._ctx = _ANN_CHILD
            if tag == "attr" and self._stage == 0 and len(attrib) == 2:
                pairs = self._pairs
                pairs.append(attrib["name"])
                pairs.append(attrib["value"])
            else:
                self._ann_child(tag, attrib)
        elif ctx == _LAYER:
            buf = self._buf
            if len(buf) > 200:  # the white space between lines, checked now and then
                self._blank()
            self._mark = len(buf)
            if tag == "ann":
                self._ctx = _ANN
                self._stage = 0
                self._annotation(attrib)
            elif tag == "link":
                self._ctx = _LINK
                self._link_start(attrib)
            else:
                raise _refuse(f"<{tag}> in a layer")
        elif ctx == _TAGSET:
            self._tagset_event()
            self._depth += 1
            assert self._tree is not None
            self._tree.start(tag, cast(Any, attrib))
        else:
            self._start(ctx, tag, attrib)

    def end(self, tag: str) -> None:
        ctx = self._ctx
        if ctx == _ANN_CHILD:
            self._ctx = _ANN
        elif ctx == _ANN:
            self._ctx = _LAYER
            if len(self._buf) != self._mark:
                raise _refuse("text inside an annotation")
            pairs = self._pairs
            if pairs:
                ann = self._ann
                key = (ann.tag, *pairs)  # flat: hashed twice as fast as pairs of pairs
                pairs.clear()
                checked = self._attr_cache.get(key)
                ann.attributes = checked if checked is not None else self._attributes(key)
            if self._stage:
                self._ann_extras()
        elif ctx == _TAGSET:
            self._tagset_event()
            assert self._tree is not None
            self._tree.end(tag)
            self._depth -= 1
            if not self._depth:
                self._tagset_end()
        else:
            self._end(ctx)

    def comment(self, text: str) -> None:
        self._other_node()
        if self._tree is not None:
            self._tree.comment(text)

    def pi(self, target: str, data: str | None = None) -> None:
        self._other_node()
        if self._tree is not None:
            self._tree.pi(target, data)

    def doctype(self, *args: object) -> None:
        # whatever it declares is never read: raising stops the parser here
        raise _refuse("a document type declaration")

    def close(self) -> Project:
        if self._ctx != _OUT or self._project is None or self._stage != 4:
            raise _refuse("the file ends early")
        self._blank()
        return self._project

    # --- checks ------------------------------------------------------------------

    def _blank(self) -> None:
        """The text since the last check: only XML white space, as between elements."""
        buf = self._buf
        if buf:
            if "".join(buf).strip(_XML_SPACE):
                raise _refuse("text between elements")
            buf.clear()
        self._mark = 0

    def _other_node(self) -> None:
        """A comment or processing instruction: the schema lets them be anywhere, but
        the whole-tree path refuses them in a document's text."""
        if self._ctx in (_TEXT, _CHAR):
            raise _refuse("a comment inside a text")
        if self._ctx == _TAGSET:
            self._tagset_event()

    # --- everything but the hot paths ------------------------------------------

    def _start(self, ctx: int, tag: str, a: dict[str, str]) -> None:
        if ctx == _DOCUMENTS:
            if tag != "document":
                raise _refuse(f"<{tag}> among the documents")
            self._blank()
            self._document_start(a)
        elif ctx == _DOCUMENT:
            self._document_child(tag, a)
        elif ctx == _TEXT:
            if tag != CHAR_TAG or len(a) != 1 or not _CODE_POINT.fullmatch(a.get("u", "")):
                raise _refuse(f"<{tag}> inside a text")
            self._buf.append(code_point(a["u"]))
            self._ctx = _CHAR
            self._mark = len(self._buf)
        elif ctx == _LINK:
            if tag != "attr" or len(a) != 2 or not a.get("name") or "value" not in a:
                raise _refuse(f"<{tag}> inside a link")
            self._link_attrs[attr_text(a["name"])] = attr_text(a["value"])
            self._ctx = _LINK_ATTR
        elif ctx == _LAYERS:
            if tag != "layer":
                raise _refuse(f"<{tag}> among the layers")
            self._blank()
            self._layer_start(a)
        elif ctx == _PROJECT:
            self._project_child(tag, a)
        elif ctx == _OUT:
            if self._project is not None or tag != ROOT_TAG:
                raise _refuse("not a project")
            version = a.get("format-version")
            if len(a) != 2 or version not in _VERSIONS or "name" not in a:
                raise _refuse("another format version, or other root attributes")
            self._version = version
            self._blank()
            self._name = attr_text(a["name"])
            self._ctx = _PROJECT
            self._stage = 0
        else:  # inside an element that has no children
            raise _refuse(f"<{tag}> inside an element that takes none")

    def _end(self, ctx: int) -> None:
        if ctx in (_DOC_CHILD, _CHAR, _LINK_ATTR):
            if len(self._buf) != self._mark:
                raise _refuse("text inside an element that takes none")
        elif ctx == _TEXT:
            self._text_end()
        elif ctx == _LINK:
            self._link_end()
        elif ctx == _DOCUMENT:
            self._document_end()
        elif ctx == _LAYER:
            self._layer_end()
        elif ctx in (_DOCUMENTS, _LAYERS):
            self._blank()
            self._stage = 3 if ctx == _LAYERS else 2
        elif ctx == _PROJECT:
            if self._stage != 3:
                raise _refuse("the project lacks its documents or layers")
            self._blank()
            self._stage = 4
        self._ctx = _PARENT.get(ctx, _OUT)

    def _project_child(self, tag: str, a: dict[str, str]) -> None:
        """<tagset>, <documents>, <layers>: each once, in that order."""
        self._blank()
        stage = self._stage
        if tag == "tagset" and stage == 0:
            self._tree = etree.TreeBuilder()
            self._tree.start(tag, cast(Any, a))
            self._depth = 1
            self._ctx = _TAGSET
        elif tag == LOG_TAG and stage == 1 and not a and self._version == str(FORMAT_VERSION):
            assert self._project is not None
            if self._project.tagset_log:
                raise _refuse("a second tag-set log")
            self._tree = etree.TreeBuilder()
            self._tree.start(tag, cast(Any, a))
            self._depth = 1
            self._in_log = True
            self._ctx = _TAGSET
        elif tag == "documents" and stage == 1 and not a:
            self._ctx = _DOCUMENTS
        elif tag == "layers" and stage == 2 and not a:
            self._ctx = _LAYERS
        else:
            raise _refuse(f"<{tag}> where the project does not take it")

    # --- the tag set ----------------------------------------------------------------

    def _tagset_event(self) -> None:
        """Hand the text collected since the last event to the tag set's tree."""
        buf = self._buf
        if buf:
            assert self._tree is not None
            self._tree.data("".join(buf))
            buf.clear()

    def _tagset_end(self) -> None:
        assert self._tree is not None
        el = self._tree.close()
        self._tree = None
        # a small subtree: the schema's own check (<tagset> and <tagset-log> are
        # global elements of it, so each validates on its own)
        with SCHEMA_LOCK:
            valid = self.schema.validate(el)
        if not valid:
            raise _refuse(f"the <{el.tag}> does not follow the schema")
        if self._in_log:
            assert self._project is not None
            self._in_log = False
            log = log_from_element(el, source=self.source)
            if not log:
                raise _refuse("an empty tag-set log (the writer leaves it out)")
            self._project.tagset_log = log
            self._ctx = _PROJECT
            return
        tagset = tagset_from_element(el, source=self.source)
        self._project = Project(name=self._name, tagset=tagset)
        self._tags = {t.name: t.name for t in tagset.tags}
        self._link_names = {lt.name: lt.name for lt in tagset.links}
        self._ctx = _PROJECT
        self._stage = 1

    # --- documents ------------------------------------------------------------------

    def _document_start(self, a: dict[str, str]) -> None:
        if not (_DOCUMENT_KEYS.issuperset(a) and a.get("id") and "sha256" in a):
            raise _refuse("a document's attributes")
        self._doc = a
        self._doc_parts = []
        self._ctx = _DOCUMENT
        self._stage = 0

    def _document_child(self, tag: str, a: dict[str, str]) -> None:
        """<meta>?, <extra>*, <status>*, <text>, in that order."""
        self._blank()
        stage = self._stage
        if tag == "text" and stage < 4 and not a:
            self._ctx = _TEXT
            self._stage = 4
            return
        if tag == "meta" and stage < 1:
            ok = _META_KEYS.issuperset(a)
            self._stage = 1
        elif tag == "extra" and stage <= 2:
            ok = len(a) == 2 and "key" in a and "value" in a
            self._stage = 2
        elif tag == "status" and stage <= 3:
            ok = len(a) == 2 and "annotator" in a and "value" in a
            self._stage = 3
        else:
            ok = False
        if not ok:
            raise _refuse(f"<{tag}> where a document does not take it")
        self._doc_parts.append((tag, a))
        self._ctx = _DOC_CHILD
        self._mark = len(self._buf)

    def _text_end(self) -> None:
        buf = self._buf
        self._text = "".join(buf)
        buf.clear()

    def _document_end(self) -> None:
        self._blank()
        if self._stage != 4:
            raise _refuse("a document without text")
        project = self._project
        assert project is not None
        a = self._doc
        doc_id = attr_text(a["id"])
        text, self._text = self._text, ""
        digest = text_sha256(text)
        if doc_id in project.documents or digest != a["sha256"]:
            raise _refuse("a document id used twice, or a text that does not match its hash")
        meta = DocumentMeta()
        doc = Document(id=doc_id, text=text, meta=meta)
        doc._sha = (text, digest)  # checked just now: the first save need not hash it again
        doc.review_status = ReviewStatus(a.get("review", ReviewStatus.NOT_REVIEWED.value))
        for tag, attrs in self._doc_parts:
            if tag == "meta":
                for xml_name, field in _META_FIELDS:
                    value = attrs.get(xml_name)
                    if value:
                        setattr(meta, field, attr_text(value))
            elif tag == "extra":
                meta.extra[attr_text(attrs["key"])] = attr_text(attrs["value"])
            else:
                doc.status[attr_text(attrs["annotator"])] = Status(attrs["value"])
        project.documents[doc_id] = doc

    # --- layers ---------------------------------------------------------------------

    def _layer_start(self, a: dict[str, str]) -> None:
        project = self._project
        assert project is not None
        if not (_LAYER_KEYS.issuperset(a) and a.get("name") and "kind" in a):
            raise _refuse("a layer's attributes")
        name = attr_text(a["name"])
        if name in project.layers:
            raise _refuse("a layer name used twice")
        layer = Layer(
            name=name,
            kind=LayerKind(a["kind"]),
            counter=parse_offset(a.get("counter", "0"), CEILING),
        )
        self._layer = layer
        self._ids = set()
        self._doc_id = None
        self._later = []
        self._ctx = _LAYER

    def _layer_end(self) -> None:
        self._blank()
        layer = self._layer
        project = self._project
        assert layer is not None and project is not None
        for head, attrs in self._later:  # links to annotations further down
            if not self._add_link(head, attrs, late=True):
                raise _refuse("a link to an annotation the layer does not have")
        self._later = []
        self._ids = set()
        project.layers[layer.name] = layer
        self._layer = None

    def _annotation(self, a: dict[str, str]) -> None:
        """An <ann> start tag: the hot path of loading (200,000 calls for a big project).

        The common line (the writer's seven attributes, one fragment, no escape)
        is read with seven lookups and checked inline; anything else is read by
        the general rules of _fields and _fragments.
        """
        try:
            if self.escaped:
                raise KeyError
            ann_id = a["id"]
            doc_id = a["doc"]
            tag = a["tag"]
            frags = a["frags"]
            quote = a["quote"]
            created_by = modified_by = a["created-by"]
            created_at = modified_at = a["created-at"]
        except KeyError:
            fields = self._fields(a)
            ann_id, doc_id, tag, frags, quote, note, needs_check = fields[:7]
            created_by, created_at, modified_by, modified_at = fields[7:]
        else:
            note = ""
            needs_check = False
            if len(a) != 7:  # a note, a check flag, a modification
                if not _ANN_KEYS.issuperset(a):
                    raise _refuse("an annotation's attributes")
                note = a.get("note", "")
                modified_by = a.get("modified-by", created_by)
                modified_at = a.get("modified-at", created_at)
                if "needs-check" in a:
                    needs_check = _boolean(a["needs-check"])
        if doc_id != self._doc_id:
            self._switch_document(doc_id)
        text = self._text
        known = self._tags.get(tag)
        ids = self._ids
        if not ann_id or ann_id in ids or known is None:
            raise _refuse("an annotation id used twice, or an unknown tag")
        start, _, end = frags.partition("-")
        if frags.isascii() and start.isdigit() and end.isdigit() and len(frags) <= _SHORT_FRAGS:
            s = int(start)
            e = int(end)
            if not s < e <= len(text) or quote != text[s:e]:
                raise _refuse("an annotation's offsets or quote")
            f: Fragment = _new_object(Fragment)  # checked just now: no __post_init__
            _set_start(f, s)
            _set_end(f, e)
            fragments: tuple[Fragment, ...] = (f,)
        else:
            fragments = _fragments(frags, text, quote)
        who = self._who
        created_by = who.setdefault(created_by, created_by)
        if modified_by is not created_by:
            modified_by = who.setdefault(modified_by, modified_by)
        # time stamps repeat in runs (one import, one merge): share a run's string
        if created_at == self._last_at:
            created_at = self._last_at
        else:
            self._last_at = created_at
        if modified_at == created_at:
            modified_at = created_at
        ann = self._ann = Annotation(
            ann_id, known, fragments, NO_ATTRIBUTES, note, created_by, created_at,
            modified_by, modified_at, needs_check, NO_COMMENTS, NO_PROVENANCE,
        )  # fmt: skip
        ids.add(ann_id)
        self._anns[ann_id] = ann

    def _fields(self, a: dict[str, str]) -> tuple[Any, ...]:
        """An annotation's attributes by the general rules: (id, doc, tag, frags, quote,
        note, needs-check, created-by, created-at, modified-by, modified-at)."""
        if not (_ANN_KEYS.issuperset(a) and a.keys() >= _ANN_REQUIRED):
            raise _refuse("an annotation's attributes")
        needs_check = _boolean(a.get("needs-check", "false"))
        created_by = a.get("created-by", "")
        created_at = a.get("created-at", "")
        texts: tuple[str, ...] = (
            a["id"], a["doc"], a["tag"], a["quote"], a.get("note", ""), created_by, created_at,
            a.get("modified-by", created_by), a.get("modified-at", created_at),
        )  # fmt: skip
        if self.escaped:
            texts = tuple(attr_text(v) for v in texts)
        ann_id, doc_id, tag, quote, note, *stamps = texts
        return (ann_id, doc_id, tag, a["frags"], quote, note, needs_check, *stamps)

    def _switch_document(self, doc_id: str) -> None:
        project = self._project
        layer = self._layer
        assert project is not None and layer is not None
        doc = project.documents.get(doc_id)
        if doc is None:
            raise _refuse("an annotation on an unknown document")
        self._doc_id = doc_id
        self._text = doc.text
        self._anns = layer.doc(doc_id).annotations

    def _ann_child(self, tag: str, a: dict[str, str]) -> None:
        """<attr>*, <prov>*, <comment>*, in that order; each with its attributes only."""
        stage = self._stage
        if tag == "attr" and stage == 0 and len(a) == 2 and "name" in a and "value" in a:
            self._pairs += (a["name"], a["value"])
        elif tag == "prov" and stage <= 1 and len(a) == 2 and "key" in a and "value" in a:
            self._stage = 1
            self._prov[attr_text(a["key"])] = attr_text(a["value"])
        elif tag == "comment" and stage <= 2 and len(a) == 3 and "by" in a and "at" in a:
            if "text" not in a:
                raise _refuse("a comment without text")
            self._stage = 2
            self._comments.append(Comment(*(attr_text(a[k]) for k in ("by", "at", "text"))))
        else:
            raise _refuse(f"<{tag}> where an annotation does not take it")

    def _attributes(self, key: tuple[str, ...]) -> dict[str, AttrValue]:
        """The <attr> children (tag, name, value, name, value...) of an annotation, as
        the tag set takes them: one shared dict per combination (most annotations
        share one of a few hundred)."""
        project = self._project
        assert project is not None
        pairs = zip(key[1::2], key[2::2], strict=True)
        checked = self._attr_cache[key] = checked_attributes(project.tagset, key[0], pairs)
        return checked

    def _ann_extras(self) -> None:
        ann = self._ann
        if self._prov:
            ann.provenance, self._prov = self._prov, {}
        if self._comments:
            ann.comments, self._comments = self._comments, []

    # --- links ----------------------------------------------------------------------

    def _link_start(self, a: dict[str, str]) -> None:
        if not (_LINK_KEYS.issuperset(a) and a.keys() >= _LINK_REQUIRED):
            raise _refuse("a link's attributes")
        if self.escaped:
            a = {k: attr_text(v) for k, v in a.items()}
        self._link = a
        self._link_attrs = {}

    def _link_end(self) -> None:
        if len(self._buf) != self._mark:
            raise _refuse("text inside a link")
        head, attrs = self._link, self._link_attrs
        if not self._add_link(head, attrs, late=False):
            self._later.append((head, attrs))

    def _add_link(self, head: dict[str, str], attrs: dict[str, str], *, late: bool) -> bool:
        """Add the link; False if an end is not (yet) an annotation of the layer."""
        layer = self._layer
        project = self._project
        assert layer is not None and project is not None
        link_id, doc_id, source, target = head["id"], head["doc"], head["from"], head["to"]
        link_type = self._link_names.get(head["type"])
        if not link_id or link_id in self._ids or link_type is None:
            raise _refuse("a link id used twice, or an unknown link type")
        da = layer.docs.get(doc_id)
        anns = da.annotations if da is not None else {}
        src = anns.get(source)
        tgt = anns.get(target)
        if src is None or tgt is None or da is None:
            return False
        key = (link_type, src.tag, tgt.tag)
        if key not in self._links_ok:
            project.tagset.check_link(*key)
            self._links_ok.add(key)
        self._ids.add(link_id)
        da.links[link_id] = Link(
            link_id, link_type, src.id, tgt.id, attrs or NO_LINK_ATTRIBUTES, head.get("note", "")
        )
        return True


def _fragments(frags: str, text: str, quote: str) -> tuple[Fragment, ...]:
    """Several fragments (or one with absurd numbers): in order, apart, in the text."""
    if not _FRAGMENTS.fullmatch(frags):
        raise _refuse("not a list of START-END")
    out: list[Fragment] = []
    prev_end = -1
    length = len(text)
    for piece in frags.split(" "):
        a, _, b = piece.partition("-")
        f = Fragment(parse_offset(a, length), parse_offset(b, length))
        if f.start <= prev_end:
            raise _refuse("fragments out of order")
        prev_end = f.end
        out.append(f)
    if quote != QUOTE_SEPARATOR.join([text[f.start : f.end] for f in out]):
        raise _refuse("an annotation's quote")
    return tuple(out)
