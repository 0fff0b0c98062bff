"""What an importer hands to the import planner: plain data, never a changed project.

Every reader of an annotated format (brat, MAE, inline XML, TEI, JSON) turns a
file or folder into a :class:`ParsedSource`: documents with their text,
metadata, annotations and links as the file states them. Type names, attribute
names and link types stay the source's own (``Responsible_authority``); ids
stay the file's ids made readable (brat ``T3`` becomes ``a3``). Fitting all of
that into a project (which tag a type is, which document a text is, which ids
are free) is the planner's job (:mod:`annotator.importing`), done the same way
for every format.

Attribute values follow one convention: a ``str`` for a value as the file
wrote it (for a multi-valued attribute, our space-separated, %-encoded list), a
``tuple`` for values the file gave one by one.

A folder is read file by file (:func:`read_each`): a file that cannot be read
is recorded in :attr:`ParsedSource.skipped` with its reason (the error names
the file and line), and the other files still come in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.errors import AnnotatorError
from annotator.model import Annotation, DocumentMeta, Link, Status, TagSet


@dataclass
class ParsedDocument:
    """One text and what a file says about it."""

    #: the name the file gives the text (document id, or the file's stem)
    name: str
    text: str
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    #: ``tag`` is the source's type name, attributes as the file has them
    annotations: list[Annotation] = field(default_factory=list)
    #: ``type`` is the source's relation name; ends are ids of ``annotations``
    links: list[Link] = field(default_factory=list)
    #: the file it came from (for messages)
    source: str = ""
    #: how notes about it start (``doc1.ann``)
    where: str = ""
    #: each annotator's progress on the text, when the file says (our own formats)
    status: dict[str, Status] = field(default_factory=dict)


@dataclass
class Skip:
    """A file of a source that was not read, and why (one sentence naming file and line)."""

    path: str
    reason: str
    error: AnnotatorError | None = None


@dataclass
class ParsedSource:
    """All that one source (a file or a folder) holds."""

    path: Path
    format: str
    documents: list[ParsedDocument] = field(default_factory=list)
    #: what was read but cannot be kept, one sentence each
    notes: list[str] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    #: the source's own tag set (brat ``annotation.conf``, a MAE DTD), when it has one
    tagset: TagSet | None = None
    #: the layer its annotations go into ("" for the importing annotator's): one of a
    #: MedTator corpus's annotators' folders names its own
    layer: str = ""

    def annotation_count(self) -> int:
        return sum(len(d.annotations) for d in self.documents)


def error_reason(err: AnnotatorError) -> str:
    """The error as one sentence without its path (the caller names the file)."""
    where = f"line {err.line}: " if err.line else ""
    return where + err.message


def read_each(
    parsed: ParsedSource,
    files: Iterable[Path],
    read_one: Callable[[Path, list[str]], list[ParsedDocument]],
) -> ParsedSource:
    """Read ``files`` one by one into ``parsed``; a file that fails is skipped with its reason.

    ``read_one(file, notes)`` returns the file's documents and appends its notes.
    Notes of a file that fails are dropped with it (the skip says why).
    """
    for f in files:
        notes: list[str] = []
        try:
            docs = read_one(f, notes)
        except AnnotatorError as err:
            parsed.skipped.append(Skip(str(f), error_reason(err), err))
            continue
        except OSError as err:
            parsed.skipped.append(Skip(str(f), err.strerror or str(err)))
            continue
        parsed.documents += docs
        parsed.notes += notes
    return parsed


__all__ = ["ParsedDocument", "ParsedSource", "Skip", "error_reason", "read_each"]
