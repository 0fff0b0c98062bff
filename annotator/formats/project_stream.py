"""Reading a project file in one streaming pass, building the model as the parser goes.

The file is fed to libxml2 in chunks, with a :class:`~.stream_builder.Builder`
as the parser's target, so neither the file's bytes nor an element tree are
ever held whole, and the model is complete when the last chunk is parsed.

This pass is the fast path for a good file of the current format version.
Anything else (an older version to upgrade, a file that is not XML, a schema
or meaning error) raises :class:`NotStreamable`, and the caller reads the file
again with the whole-tree path, which validates with the XSD, upgrades, and
names the problem and its line exactly as it always has. A bad file costs a
second read; a good one never does. The tests hold the two paths to the same
verdict and the same project.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, cast

from lxml import etree

from annotator.formats.safe_xml import _DOCTYPE  # what parse_bytes refuses up front
from annotator.formats.stream_builder import SCHEMA_LOCK, Builder, NotStreamable
from annotator.model.project import Project

__all__ = ["CHUNK", "SCHEMA_LOCK", "NotStreamable", "StreamingReader"]

#: How much of the file is fed to the parser at a time.
CHUNK = 1 << 16

_ESCAPE = b"\\u{"


class StreamingReader:
    """Strict reading of a current-version project file from its bytes, in chunks."""

    def __init__(self, source: str = "", *, schema: etree.XMLSchema) -> None:
        self.source = source
        self._schema = schema

    def read_chunks(self, chunks: Iterable[bytes]) -> Project:
        """The project in ``chunks`` (the file's bytes in order); raise NotStreamable
        (or another error) for anything but a good current-version file."""
        builder = Builder(self.source, self._schema)
        parser = etree.XMLParser(
            target=cast(Any, builder),  # the stubs want str | bytes where we take str
            # Only the five predefined entities and character references: a DTD,
            # the one place an entity could be declared, stops the parser at once
            # (see Builder.doctype). Without resolving, libxml2 hands a target
            # "&#38;" for every "&amp;" in an attribute value.
            resolve_entities=True,
            no_network=True,
            load_dtd=False,
            huge_tree=True,  # 10,000-release projects are large but legitimate
        )
        try:
            for chunk in _checked(chunks, builder):
                parser.feed(chunk)
            project = cast(Project, parser.close())
        except (NotStreamable, OSError):
            raise
        except Exception as err:  # not XML, or a value no check foresaw: the tree path says
            raise NotStreamable(f"{type(err).__name__}: {err}") from err
        return project


def _checked(chunks: Iterable[bytes], builder: Builder) -> Iterator[bytes]:
    """The chunks, after safe_xml's checks on the head, noting any private escape.

    The note is taken before the chunk is parsed, so the annotations it holds
    are read knowing whether an escape may be among them.
    """
    first = True
    tail = b""
    for chunk in chunks:
        if first:
            binary = b"\x00" in chunk[:4096]
            if not chunk or chunk.isspace() or binary or _DOCTYPE.match(chunk, 0, 1 << 16):
                raise NotStreamable("empty, binary or with a DTD")
            first = False
        if not builder.escaped and (_ESCAPE in chunk or _ESCAPE in tail + chunk[:2]):
            builder.escaped = True
        tail = chunk[-2:]
        yield chunk
    if first:
        raise NotStreamable("empty")
