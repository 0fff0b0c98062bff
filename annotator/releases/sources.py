"""Finding the files to import and reading each one into plain text.

A source is a file or a folder. Folders are walked recursively in sorted
order; hidden files and folders (a name starting with ``.``) are passed over,
and symbolic links to folders are not followed (no loops, no surprises).

Each file is read by its extension — ``.txt``/``.text``, ``.html``/``.htm``/
``.xhtml``, ``.docx``, ``.pdf`` — and any other file by sniffing its first
bytes: ``%PDF-`` is a PDF, a zip with ``word/document.xml`` a Word file, an
``<html>`` opening a page, anything else that decodes as text is text, and
the rest is binary and refused with a reason. Whatever the kind, the text
comes back with LF newlines and made XML-safe (:mod:`annotator.releases.characters`).
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.errors import (
    AnnotatorError,
    CorruptSource,
    EmptyFile,
    UnreadableSource,
    UnsupportedSource,
)
from annotator.releases.characters import clean_text
from annotator.releases.encoding import decode_text
from annotator.releases.markup import docx_text, html_text, is_docx, looks_like_html

TEXT_SUFFIXES = frozenset((".txt", ".text"))
HTML_SUFFIXES = frozenset((".html", ".htm", ".xhtml"))


@dataclass(frozen=True, slots=True)
class SourceText:
    """The text of one source file, ready for splitting and layout repair."""

    text: str
    #: ``txt``, ``html``, ``docx`` or ``pdf``
    kind: str
    #: the codec of a text or HTML file; empty for container formats
    encoding: str = ""

    @property
    def structured(self) -> bool:
        """Paragraphs come from markup, so lines must not be joined."""
        return self.kind in ("html", "docx")


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to import and the name it is recorded under (relative to its folder)."""

    path: Path
    name: str


def is_hidden(name: str) -> bool:
    return name.startswith(".")


def expand_sources(sources: Sequence[str | Path]) -> Iterator[SourceFile | tuple[Path, str]]:
    """Each file to import, in order; ``(path, reason)`` for a source that is neither.

    A file given directly is recorded by its name; a file found in a folder by
    its path relative to that folder, so two ``release.txt`` in different
    sub-folders stay distinguishable.
    """
    for source in sources:
        path = Path(source)
        if path.is_dir():
            found = False
            for file in _walk(path):
                found = True
                yield SourceFile(file, file.relative_to(path).as_posix())
            if not found:
                yield path, "the folder holds no files to import"
        elif path.is_file():
            yield SourceFile(path, path.name)
        elif path.exists() or path.is_symlink():
            reason = "the path is neither a file nor a folder"
            if path.is_symlink() and not path.exists():
                reason = "the link points to a file that does not exist"
            yield path, reason
        else:
            yield path, "no such file or folder"


def _walk(folder: Path) -> list[Path]:
    """Every non-hidden file below ``folder``, sorted by relative path (``a.txt``, ``b/c.txt``)."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not is_hidden(d)]
        found.extend(Path(root) / name for name in files if not is_hidden(name))
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or :class:`UnreadableSource` with the system's reason."""
    try:
        return path.read_bytes()
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise UnreadableSource(f"the file cannot be read ({reason})", path=str(path)) from None


def pdf_text(data: bytes, *, source: str = "") -> str:
    """The text of every page (pypdf), pages joined by a newline.

    pypdf is a parser of untrusted, often malformed input and raises many kinds
    of exception; any of them means the file cannot be read, so all become one
    :class:`CorruptSource`.
    """
    where = source or None
    from pypdf import PdfReader  # imported here: only PDF imports pay for it

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnsupportedSource(
                "the PDF is protected by a password; remove it and import again", path=where
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except AnnotatorError:
        raise
    except Exception as err:
        raise CorruptSource(
            f"the PDF cannot be read ({type(err).__name__}: {err})", path=where
        ) from None
    text = "\n".join(pages)
    if not text.strip():
        raise EmptyFile(
            "the PDF holds no extractable text (perhaps only scanned images)", path=where
        )
    return text


def sniff_kind(data: bytes) -> str:
    """``pdf``, ``docx``, ``html`` or ``txt`` from the content alone."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if is_docx(data):
        return "docx"
    if looks_like_html(data):
        return "html"
    return "txt"


def kind_of(path: Path, data: bytes) -> str:
    """The kind of source by extension, else by content (see :func:`sniff_kind`)."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "txt"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix == ".docx":
        return "docx"
    if suffix == ".pdf":
        return "pdf"
    if suffix == ".doc" and data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedSource(
            "old Word .doc files cannot be read; save it as .docx or plain text",
            path=str(path),
        )
    if data.startswith(b"{\\rtf"):
        raise UnsupportedSource(
            "RTF files cannot be read; save it as .docx or plain text", path=str(path)
        )
    return sniff_kind(data)


def read_source(path: Path, data: bytes | None = None) -> SourceText:
    """Read one file into :class:`SourceText`, or raise a one-sentence AnnotatorError."""
    if data is None:
        data = read_bytes(path)
    where = str(path)
    if not data.strip():
        raise EmptyFile("the file is empty", path=where)
    kind = kind_of(path, data)
    encoding = ""
    if kind == "pdf":
        if not data.startswith(b"%PDF-"):
            raise CorruptSource("the file is named .pdf but is not a PDF", path=where)
        text = pdf_text(data, source=where)
    elif kind == "docx":
        text = docx_text(data, source=where)
    elif kind == "html":
        text, encoding = html_text(data, source=where)
    else:
        text, encoding = decode_text(data, source=where)
    return SourceText(clean_text(text), kind, encoding)


__all__ = [
    "HTML_SUFFIXES",
    "TEXT_SUFFIXES",
    "SourceFile",
    "SourceText",
    "expand_sources",
    "kind_of",
    "pdf_text",
    "read_bytes",
    "read_source",
    "sniff_kind",
]
