"""Reading a project file in one streaming pass, never holding its whole tree.

The file is fed to libxml2 in chunks; the XSD is checked by the same parser
as the bytes go by (libxml2's streaming validator), and the model is built
from each element as soon as it is complete: a ``<document>`` once its text
has arrived, an ``<ann>`` once its line has. Each element is cleared and
dropped right after, so at any moment the tree holds the root, one document
or annotation, and the links of the current layer (kept until the layer ends,
because a link may point to an annotation further down).

The meaning checks are those of :class:`~.project_reader.ProjectReader`, run on
the same elements. This pass is the fast path for a good file of the current
format version. Anything else (an older version to upgrade, a file that is not
XML, a schema or meaning error) makes the caller read the file again with the
whole-tree path, which upgrades or names the problem and its line exactly as
it always has; a bad file costs a second read, a good one never does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from lxml import etree

from annotator.formats.project_reader import ProjectReader
from annotator.formats.project_writer import FORMAT_VERSION, ROOT_TAG
from annotator.formats.safe_xml import _DOCTYPE  # what parse_bytes refuses up front
from annotator.formats.tagset_xml import tagset_from_element
from annotator.formats.xmltext import attr_text
from annotator.model.project import Project

#: The elements the reader acts on; the others arrive inside them.
_EVENT_TAGS = ("tagset", "document", "layer", "ann", "link")

#: How much of the file is fed to the parser at a time.
CHUNK = 1 << 20

_ESCAPE = b"\\u{"


class NotStreamable(Exception):
    """This file needs the whole-tree path (bad, or of an older format version)."""


def _drop(el: etree._Element, parent: etree._Element | None) -> None:
    """Free a used element: empty it, and unhook the one before it (also used).

    The element just completed is left in place (the parser may still point
    near it); its previous sibling is certainly done with.
    """
    el.clear()
    prev = el.getprevious()
    if prev is not None and parent is not None:
        parent.remove(prev)


class StreamingReader(ProjectReader):
    """Strict reading of a current-version project file from its bytes, in chunks."""

    def __init__(self, source: str = "", *, schema: etree.XMLSchema) -> None:
        super().__init__(source, escaped=False)
        self._schema = schema
        self._tail = b""

    def read_chunks(self, chunks: Iterable[bytes]) -> Project:
        """The project in ``chunks`` (the file's bytes in order); raise NotStreamable
        or the error met for anything but a good current-version file."""
        parser = etree.XMLPullParser(
            events=("end",),
            tag=_EVENT_TAGS,
            schema=self._schema,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=True,  # 10,000-release projects are large but legitimate
        )
        events = self._events(self._checked(chunks), parser)
        project: Project | None = None
        for el in events:
            tag = el.tag
            if project is None:
                if tag == "tagset":
                    project = self._begin(el)
                continue  # a <link> of the tag set
            if tag == "document":
                self._document(el, project)
                _drop(el, el.getparent())
            elif tag in ("ann", "link", "layer"):
                self._stream_layer(el, events, project)
        if project is None:
            raise NotStreamable("no tag set")
        return project

    def _checked(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """The chunks, after safe_xml's checks on the head, noting any private escape.

        The note is taken before the chunk is parsed, so the annotations it holds
        are read knowing whether an escape may be among them.
        """
        first = True
        for chunk in chunks:
            if first:
                binary = b"\x00" in chunk[:4096]
                if not chunk or chunk.isspace() or binary or _DOCTYPE.match(chunk, 0, 1 << 16):
                    raise NotStreamable("empty, binary or with a DTD")
                first = False
            if not self.escaped and (_ESCAPE in chunk or _ESCAPE in self._tail + chunk[:2]):
                self.escaped = True
            self._tail = chunk[-2:]
            yield chunk
        if first:
            raise NotStreamable("empty")

    @staticmethod
    def _events(chunks: Iterable[bytes], parser: etree.XMLPullParser) -> Iterator[etree._Element]:
        for chunk in chunks:
            parser.feed(chunk)
            for _, el in parser.read_events():
                yield el  # type: ignore[misc]  # "end" events only: always an element
        parser.close()
        for _, el in parser.read_events():
            yield el  # type: ignore[misc]

    def _begin(self, tagset_el: etree._Element) -> Project:
        """The project, once the root's attributes and the tag set are known."""
        root = tagset_el.getparent()
        if root is None or root.tag != ROOT_TAG:
            raise NotStreamable("not a project")
        if root.get("format-version") != str(FORMAT_VERSION):
            raise NotStreamable("another format version")
        info = root.getroottree().docinfo
        if info.internalDTD is not None or info.doctype:  # the whole-tree path refuses it
            raise NotStreamable("a document type declaration")
        tagset = tagset_from_element(tagset_el, source=self.source or "")
        tagset_el.clear()
        return Project(name=attr_text(root.get("name", "")), tagset=tagset)

    def _stream_layer(
        self, first: etree._Element, events: Iterator[etree._Element], project: Project
    ) -> None:
        """One layer, from its first event (a child's, or its own if it is empty)."""
        if first.tag == "layer":  # <layer .../>: no children
            self._fill_layer(self._new_layer(first, project), (), project)
            _drop(first, first.getparent())
            return
        layer_el = first.getparent()
        if layer_el is None:
            raise NotStreamable("an annotation outside a layer")
        layer = self._new_layer(layer_el, project)
        self._fill_layer(layer, self._children(first, layer_el, events), project)
        _drop(layer_el, layer_el.getparent())

    @staticmethod
    def _children(
        first: etree._Element, layer_el: etree._Element, events: Iterator[etree._Element]
    ) -> Iterator[etree._Element]:
        """The layer's children as they complete, each freed once read (a ``<link>`` is
        kept by the reader until the layer ends: unhooked, but not emptied)."""
        el = first
        while True:
            yield el
            if el.tag == "ann":
                el.clear()
            prev = el.getprevious()
            if prev is not None:
                layer_el.remove(prev)
            el = next(events)
            if el is layer_el:
                return
