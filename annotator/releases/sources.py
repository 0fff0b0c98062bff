"""Finding the files to import and reading each one into plain text.

A source is a file or a folder. Folders are walked recursively in sorted
order; hidden files and folders (a name starting with ``.``) are passed over.
Only regular files are read: a named pipe, socket or device would block the
import or stream forever, so it is skipped with a reason (and the file is
opened non-blocking and checked again, in case it changed meanwhile). Inside a
folder, a link to a file outside that folder is skipped (importing a folder
must not read ``/etc/passwd`` because someone left a link to it), and links to
folders are not followed (no loops, no surprises); both are listed as skipped.
A file is read up to :data:`MAX_SOURCE_BYTES`.

Each file is read by its extension — ``.txt``/``.text``, ``.html``/``.htm``/
``.xhtml``, ``.docx``, ``.pdf`` — and any other file by sniffing its first
bytes: ``%PDF-`` is a PDF, a zip with ``word/document.xml`` a Word file, an
``<html>`` opening a page, anything else that decodes as text is text, and
the rest is binary and refused with a reason. Whatever the kind, the text
comes back with LF newlines and made XML-safe (:mod:`annotator.releases.characters`).
"""

from __future__ import annotations

import io
import itertools
import logging
import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.errors import (
    AnnotatorError,
    CorruptSource,
    EmptyFile,
    UnreadableSource,
    UnsupportedSource,
)
from annotator.releases.characters import clean_text, normalise_newlines
from annotator.releases.encoding import decode_text
from annotator.releases.furniture import form_feed_pages
from annotator.releases.markup import docx_text, is_docx, looks_like_html, parse_html
from annotator.releases.webpage import WebPage, read_web_page

TEXT_SUFFIXES = frozenset((".txt", ".text"))
#: Largest source file read: press releases are kilobytes, long PDF reports a
#: few tens of megabytes; beyond this it is not a release and reading it
#: would only fill memory.
MAX_SOURCE_BYTES = 64 * 1024 * 1024
#: Most pages and most decoded page content (drawing instructions) read from
#: a PDF. A release has a few pages of 5 to 30 KB each; reading the text in
#: layout order takes about 4 s per MB of content and a 30 KB file can hold
#: 12 MB of it, so beyond this the import would run for minutes.
MAX_PDF_PAGES = 2000
MAX_PDF_CONTENT = 1536 * 1024
HTML_SUFFIXES = frozenset((".html", ".htm", ".xhtml"))


@dataclass(frozen=True, slots=True)
class SourceText:
    """The text of one source file, ready for splitting and layout repair."""

    text: str
    #: ``txt``, ``html``, ``docx`` or ``pdf``
    kind: str
    #: the codec of a text or HTML file; empty for container formats
    encoding: str = ""
    #: one sentence for each piece of visible text the reader could not keep
    losses: tuple[str, ...] = ()
    #: for a web page: headline, date and which extractor chose the text
    page: WebPage | None = None
    #: offsets in ``text`` where the pages after the first begin (PDF only), for page furniture
    page_starts: tuple[int, ...] = ()

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
            for item in _walk(path):
                if isinstance(item, Path):
                    found = True
                    yield SourceFile(item, item.relative_to(path).as_posix())
                else:
                    yield item
            if not found:
                yield path, "the folder holds no files to import"
        elif path.is_file():
            yield SourceFile(path, path.name)
        elif path.is_symlink() and not path.exists():
            yield path, "the link points to a file that does not exist"
        elif path.exists():
            yield path, not_regular_reason(path.stat().st_mode)
        else:
            yield path, "no such file or folder"


def not_regular_reason(mode: int) -> str:
    """Why a path with ``mode`` (not a regular file or folder) is not read."""
    if stat.S_ISFIFO(mode):
        what = "a named pipe"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    else:
        what = "neither a file nor a folder"
    return f"the path is {what}, not a regular file; only regular files are read"


def _inside(target: Path, folder: Path) -> bool:
    return target == folder or folder in target.parents


def _walk(folder: Path) -> list[Path | tuple[Path, str]]:
    """Every non-hidden regular file below ``folder``, sorted by relative path
    (``a.txt``, ``b/c.txt``), and ``(path, reason)`` for what is passed over."""
    root_real = folder.resolve()
    found: list[Path | tuple[Path, str]] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not is_hidden(d))
        for name in list(dirs):
            if (here / name).is_symlink():
                dirs.remove(name)
                found.append(
                    (here / name, "the link points to a folder; links to folders are not followed")
                )
        for name in files:
            if is_hidden(name):
                continue
            path = here / name
            reason = _walk_reason(path, root_real)
            found.append(path if reason is None else (path, reason))
    return sorted(
        found, key=lambda p: (p if isinstance(p, Path) else p[0]).relative_to(folder).parts
    )


def _walk_reason(path: Path, root_real: Path) -> str | None:
    """Why ``path`` (found in a folder) is not read, or None if it is read."""
    if path.is_symlink():
        target = path.resolve()
        if not target.exists():
            return "the link points to a file that does not exist"
        if not _inside(target, root_real):
            return "the link points outside the imported folder; it is not followed"
    try:
        mode = path.stat().st_mode
    except OSError as err:
        return f"the file cannot be read ({err.strerror or type(err).__name__})"
    if stat.S_ISDIR(mode):
        return "the link points to a folder; links to folders are not followed"
    return None if stat.S_ISREG(mode) else not_regular_reason(mode)


def read_bytes(path: Path, *, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """The bytes of a regular file, or :class:`UnreadableSource` with the reason.

    The file is opened non-blocking and checked on the open descriptor, so a
    path that became a named pipe or device since it was listed is refused
    instead of hanging; at most ``limit`` bytes are read.
    """
    where = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise UnreadableSource(f"the file cannot be read ({reason})", path=where) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise UnreadableSource(not_regular_reason(mode), path=where)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise UnreadableSource(f"the file cannot be read ({reason})", path=where) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise UnsupportedSource(
            f"the file is larger than {limit // (1024 * 1024)} MB, far more than a press "
            "release; refused",
            path=where,
        )
    return data


def pdf_text(data: bytes, *, source: str = "") -> str:
    """The text of every page (pypdf), pages joined by a newline."""
    return "\n".join(pdf_pages(data, source=source))


#: A run of spaces this long between words of one layout line separates two columns.
_COLUMN_GAP = re.compile(r"\S {6,}\S")


def _page_text(page: Any) -> str:
    """One page's text in pypdf's layout mode, or its plain mode for a page set in columns.

    Layout mode places lines as they stand on the page, so the space between
    paragraphs comes out as blank lines and layout repair can find them;
    plain mode runs paragraphs together. Layout mode sets columns side by
    side on one line, so a page where a quarter of the lines hold a wide gap
    is read in plain mode, column after column.
    """
    text: str = page.extract_text(extraction_mode="layout") or ""
    lines = [line for line in text.split("\n") if line.strip()]
    if sum(1 for line in lines if _COLUMN_GAP.search(line)) * 4 >= len(lines) > 0:
        text = page.extract_text() or ""
    return text


def _check_pdf_size(reader: Any, where: str | None) -> None:
    """Refuse a PDF whose pages would take far longer to read than any release's."""
    declared = reader.trailer["/Root"]["/Pages"].get("/Count", 0)  # before walking the tree
    count = declared if isinstance(declared, int) and declared > MAX_PDF_PAGES else None
    if count is None and len(reader.pages) > MAX_PDF_PAGES:
        count = len(reader.pages)
    if count is not None:
        raise UnsupportedSource(
            f"the PDF has {count} pages, more than the {MAX_PDF_PAGES} any release needs; refused",
            path=where,
        )
    content = 0
    for page in reader.pages:
        stream = page.get_contents()
        content += len(stream.get_data()) if stream is not None else 0
        if content > MAX_PDF_CONTENT:
            raise UnsupportedSource(
                f"the PDF's pages hold more than {MAX_PDF_CONTENT // 1024} KB of "
                "drawing instructions, far more than any release; refused (save the pages "
                "of the release as their own PDF)",
                path=where,
            )


def pdf_pages(data: bytes, *, source: str = "") -> list[str]:
    """The text of each page (pypdf), in page order.

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
        _check_pdf_size(reader, where)
        pages = [_page_text(page) for page in reader.pages]
    except AnnotatorError:
        raise
    except Exception as err:
        raise CorruptSource(
            f"the PDF cannot be read ({type(err).__name__}: {err})", path=where
        ) from None
    if not "".join(pages).strip():
        raise EmptyFile(
            "the PDF holds no extractable text (perhaps only scanned images)", path=where
        )
    return pages


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


def read_source(path: Path, data: bytes | None = None, *, whole_page: bool = False) -> SourceText:
    """Read one file into :class:`SourceText`, or raise a one-sentence AnnotatorError.

    A web page comes in as its article (:mod:`annotator.releases.webpage`)
    unless ``whole_page``.
    """
    if data is None:
        data = read_bytes(path)
    where = str(path)
    if not data.strip():
        raise EmptyFile("the file is empty", path=where)
    kind = kind_of(path, data)
    encoding = ""
    losses: list[str] = []
    page = None
    page_starts: tuple[int, ...] = ()
    if kind == "pdf":
        if not data.startswith(b"%PDF-"):
            raise CorruptSource("the file is named .pdf but is not a PDF", path=where)
        pages = [clean_text(page) for page in pdf_pages(data, source=where)]
        text = "\n".join(pages)
        starts = itertools.accumulate(len(page) + 1 for page in pages[:-1])
        page_starts = tuple(starts)
    elif kind == "docx":
        text = docx_text(data, source=where)
    elif kind == "html":
        root, encoding, losses = parse_html(data, source=where)
        page = read_web_page(root, whole_page=whole_page)
        text = page.text
        if not text.strip():
            raise EmptyFile("the HTML page holds no text", path=where)
    else:
        text, encoding = decode_text(data, source=where)
        text = normalise_newlines(text)
        page_starts = form_feed_pages(text)  # pdftotext output: a form feed opens a page
    return SourceText(clean_text(text), kind, encoding, tuple(losses), page, page_starts)


__all__ = [
    "HTML_SUFFIXES",
    "MAX_PDF_CONTENT",
    "MAX_PDF_PAGES",
    "MAX_SOURCE_BYTES",
    "TEXT_SUFFIXES",
    "SourceFile",
    "SourceText",
    "expand_sources",
    "kind_of",
    "not_regular_reason",
    "pdf_pages",
    "pdf_text",
    "read_bytes",
    "read_source",
    "sniff_kind",
]
