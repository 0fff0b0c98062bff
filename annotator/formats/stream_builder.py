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

This module takes the parser's callbacks and hands each tag to the part that
reads it: :mod:`.stream_documents` (the tag set and the documents) and
:mod:`.stream_layers` (layers, annotations, links), over the state they share
(:mod:`.stream_state`).
"""

from __future__ import annotations

import re
from typing import Any, cast

from lxml import etree

from annotator.formats.project_writer import FORMAT_VERSION, ROOT_TAG, VERSION_WITHOUT_LOG
from annotator.formats.stream_documents import DocumentReading
from annotator.formats.stream_layers import LayerReading
from annotator.formats.stream_state import (
    ANN,
    ANN_CHILD,
    CHAR,
    DOC_CHILD,
    DOCUMENT,
    DOCUMENTS,
    LAYER,
    LAYERS,
    LINK,
    LINK_ATTR,
    OUT,
    PROJECT,
    SCHEMA_LOCK,
    TAGSET,
    TEXT,
    NotStreamable,
    refuse,
)
from annotator.formats.tagset_log_xml import LOG_TAG
from annotator.formats.xmltext import CHAR_TAG, attr_text
from annotator.model.project import Project
from annotator.numbers import code_point

__all__ = ["SCHEMA_LOCK", "Builder", "NotStreamable"]

#: Each context's parent: an end tag needs no stack.
_PARENT = {
    PROJECT: OUT,
    DOCUMENTS: PROJECT,
    DOCUMENT: DOCUMENTS,
    DOC_CHILD: DOCUMENT,
    TEXT: DOCUMENT,
    CHAR: TEXT,
    LAYERS: PROJECT,
    LAYER: LAYERS,
    ANN: LAYER,
    ANN_CHILD: ANN,
    LINK: LAYER,
    LINK_ATTR: LINK,
}

_CODE_POINT = re.compile(r"[0-9A-F]{4,6}")
#: The format versions read here: the current one, and the one files without a
#: tag-set log are written in (the same layout without that element).
_VERSIONS = frozenset((str(FORMAT_VERSION), str(VERSION_WITHOUT_LOG)))


class Builder(LayerReading, DocumentReading):
    """The parser target that builds the project (see the module's docstring).

    libxml2 calls ``start``, ``end`` and ``data`` tens of thousands of times per
    megabyte: the hot paths (an annotation and its attributes) are inlined in
    ``start`` and ``end``, the rest is in helpers.
    """

    # --- the parser's callbacks --------------------------------------------------

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        ctx = self._ctx
        if ctx == ANN:
            self._ctx = ANN_CHILD
            if tag == "attr" and self._stage == 0 and len(attrib) == 2:
                pairs = self._pairs
                pairs.append(attrib["name"])
                pairs.append(attrib["value"])
            else:
                self._ann_child(tag, attrib)
        elif ctx == LAYER:
            buf = self._buf
            if len(buf) > 200:  # the white space between lines, checked now and then
                self._blank()
            self._mark = len(buf)
            if tag == "ann":
                self._ctx = ANN
                self._stage = 0
                self._annotation(attrib)
            elif tag == "link":
                self._ctx = LINK
                self._link_start(attrib)
            else:
                raise refuse(f"<{tag}> in a layer")
        elif ctx == TAGSET:
            self._tagset_event()
            self._depth += 1
            assert self._tree is not None
            self._tree.start(tag, cast(Any, attrib))
        else:
            self._start(ctx, tag, attrib)

    def end(self, tag: str) -> None:
        ctx = self._ctx
        if ctx == ANN_CHILD:
            self._ctx = ANN
        elif ctx == ANN:
            self._ctx = LAYER
            if len(self._buf) != self._mark:
                raise refuse("text inside an annotation")
            pairs = self._pairs
            if pairs:
                ann = self._ann
                key = (ann.tag, *pairs)  # flat: hashed twice as fast as pairs of pairs
                pairs.clear()
                checked = self._attr_cache.get(key)
                ann.attributes = checked if checked is not None else self._attributes(key)
            if self._stage:
                self._ann_extras()
        elif ctx == TAGSET:
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
        raise refuse("a document type declaration")

    def close(self) -> Project:
        if self._ctx != OUT or self._project is None or self._stage != 4:
            raise refuse("the file ends early")
        self._blank()
        return self._project

    # --- checks ------------------------------------------------------------------

    def _other_node(self) -> None:
        """A comment or processing instruction: the schema lets them be anywhere, but
        the whole-tree path refuses them in a document's text."""
        if self._ctx in (TEXT, CHAR):
            raise refuse("a comment inside a text")
        if self._ctx == TAGSET:
            self._tagset_event()

    # --- everything but the hot paths ------------------------------------------

    def _start(self, ctx: int, tag: str, a: dict[str, str]) -> None:
        if ctx == DOCUMENTS:
            if tag != "document":
                raise refuse(f"<{tag}> among the documents")
            self._blank()
            self._document_start(a)
        elif ctx == DOCUMENT:
            self._document_child(tag, a)
        elif ctx == TEXT:
            if tag != CHAR_TAG or len(a) != 1 or not _CODE_POINT.fullmatch(a.get("u", "")):
                raise refuse(f"<{tag}> inside a text")
            self._buf.append(code_point(a["u"]))
            self._ctx = CHAR
            self._mark = len(self._buf)
        elif ctx == LINK:
            if tag != "attr" or len(a) != 2 or not a.get("name") or "value" not in a:
                raise refuse(f"<{tag}> inside a link")
            self._link_attrs[attr_text(a["name"])] = attr_text(a["value"])
            self._ctx = LINK_ATTR
        elif ctx == LAYERS:
            if tag != "layer":
                raise refuse(f"<{tag}> among the layers")
            self._blank()
            self._layer_start(a)
        elif ctx == PROJECT:
            self._project_child(tag, a)
        elif ctx == OUT:
            if self._project is not None or tag != ROOT_TAG:
                raise refuse("not a project")
            version = a.get("format-version")
            if len(a) != 2 or version not in _VERSIONS or "name" not in a:
                raise refuse("another format version, or other root attributes")
            self._version = version
            self._blank()
            self._name = attr_text(a["name"])
            self._ctx = PROJECT
            self._stage = 0
        else:  # inside an element that has no children
            raise refuse(f"<{tag}> inside an element that takes none")

    def _end(self, ctx: int) -> None:
        if ctx in (DOC_CHILD, CHAR, LINK_ATTR):
            if len(self._buf) != self._mark:
                raise refuse("text inside an element that takes none")
        elif ctx == TEXT:
            self._text_end()
        elif ctx == LINK:
            self._link_end()
        elif ctx == DOCUMENT:
            self._document_end()
        elif ctx == LAYER:
            self._layer_end()
        elif ctx in (DOCUMENTS, LAYERS):
            self._blank()
            self._stage = 3 if ctx == LAYERS else 2
        elif ctx == PROJECT:
            if self._stage != 3:
                raise refuse("the project lacks its documents or layers")
            self._blank()
            self._stage = 4
        self._ctx = _PARENT.get(ctx, OUT)

    def _project_child(self, tag: str, a: dict[str, str]) -> None:
        """<tagset>, <documents>, <layers>: each once, in that order."""
        self._blank()
        stage = self._stage
        if tag == "tagset" and stage == 0:
            self._tree = etree.TreeBuilder()
            self._tree.start(tag, cast(Any, a))
            self._depth = 1
            self._ctx = TAGSET
        elif tag == LOG_TAG and stage == 1 and not a and self._version == str(FORMAT_VERSION):
            assert self._project is not None
            if self._project.tagset_log:
                raise refuse("a second tag-set log")
            self._tree = etree.TreeBuilder()
            self._tree.start(tag, cast(Any, a))
            self._depth = 1
            self._in_log = True
            self._ctx = TAGSET
        elif tag == "documents" and stage == 1 and not a:
            self._ctx = DOCUMENTS
        elif tag == "layers" and stage == 2 and not a:
            self._ctx = LAYERS
        else:
            raise refuse(f"<{tag}> where the project does not take it")
