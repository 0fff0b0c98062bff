"""What the streaming project builder holds while libxml2 feeds it, and how it refuses.

:class:`BuilderState` is the state the parts of :class:`~.stream_builder.Builder`
share: where in the file the parser is (one of the contexts below), the text
collected since the last check, the project built so far, and the document,
layer, annotation or link being read. :mod:`.stream_documents` reads the tag set
and the documents into it, :mod:`.stream_layers` the layers, annotations and
links, and :mod:`.stream_builder` takes the parser's callbacks and hands each
start and end tag to the part it belongs to.
"""

from __future__ import annotations

import threading

from lxml import etree

from annotator.model.project import Annotation, Comment, FrozenDict, Layer, Project
from annotator.model.tagset import AttrValue

#: One validation at a time: an XMLSchema keeps its error log on itself.
SCHEMA_LOCK = threading.Lock()


class NotStreamable(Exception):
    """This file needs the whole-tree path (bad, or of an older format version)."""


# Where the builder is: the innermost open element. Each context's parent is fixed
# by the format, so an end tag needs no stack, only the builder's table of parents.
(
    OUT,  # before the root, and after it
    PROJECT,
    TAGSET,  # inside the tag set or its log, at any depth (handed to a TreeBuilder)
    DOCUMENTS,
    DOCUMENT,
    DOC_CHILD,  # <meta>, <extra>, <status>: attributes only
    TEXT,
    CHAR,  # <c u="HEX"/> inside the text
    LAYERS,
    LAYER,
    ANN,
    ANN_CHILD,  # <attr>, <prov>, <comment>: attributes only
    LINK,
    LINK_ATTR,
) = range(14)

#: White space as XML means it (Python's isspace also takes U+00A0 and others, which
#: the schema refuses between elements).
_XML_SPACE = " \t\r\n"
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}

#: What ``BuilderState._ann`` holds before the first annotation.
_NO_ANNOTATION = Annotation("", "", ())


def boolean(value: str) -> bool:
    """An xs:boolean as the writer spells it (the schema's other spellings, with
    white space around, are left to the whole-tree path)."""
    flag = _BOOLEANS.get(value)
    if flag is None:
        raise refuse("not a boolean")
    return flag


def refuse(why: str) -> NotStreamable:
    """What the callbacks raise: libxml2 stops, and lxml raises it again from feed()."""
    return NotStreamable(why)


class BuilderState:
    """The builder's state, shared by its parts (see the module's docstring)."""

    def __init__(self, source: str, schema: etree.XMLSchema) -> None:
        self.source = source
        self.schema = schema
        #: set before each chunk is fed, once a chunk holds the private ``\\u{`` escape
        self.escaped = False
        self._buf: list[str] = []
        # The text between tags: collected by the parser at C speed, looked at
        # only where the format allows text (document text) or by the checks.
        self.data = self._buf.append
        self._ctx = OUT
        self._stage = 0  # how far the children of the current element have got
        self._mark = 0  # len(self._buf) when the current empty element began
        self._name = ""  # the project's, from the root's attributes
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

    # --- checks ------------------------------------------------------------------

    def _blank(self) -> None:
        """The text since the last check: only XML white space, as between elements."""
        buf = self._buf
        if buf:
            if "".join(buf).strip(_XML_SPACE):
                raise refuse("text between elements")
            buf.clear()
        self._mark = 0
