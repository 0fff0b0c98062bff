"""Paragraphs out of HTML pages and Word ``.docx`` files.

Both formats say where paragraphs are, so we take them from the markup
instead of guessing from line breaks: each block element (HTML) or ``w:p``
(Word) becomes one paragraph, paragraphs are separated by a blank line, and a
line break inside one (``<br>``, ``w:br``) becomes a single newline.

Both parsers are locked down. HTML goes through lxml's HTML parser with no
network access and no DTD; nothing in a page is fetched. ``word/document.xml``
goes through :func:`annotator.formats.safe_xml.parse_bytes`, which refuses DTDs
and entity declarations, and is only unpacked if its declared size is sane
(a zip bomb is refused before it is inflated).
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile

import lxml.html
from lxml import etree

from annotator.errors import AnnotatorError, CorruptSource, EmptyFile
from annotator.formats.safe_xml import parse_bytes
from annotator.releases.encoding import bom_encoding, decode_text

# --- HTML ----------------------------------------------------------------------

#: Elements whose content is never release text.
HTML_SKIP = frozenset(
    [
        "head",
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "canvas",
        "select",
        "button",
    ]
)
#: Elements that start and end a paragraph.
HTML_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_HTML_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.I)


def looks_like_html(data: bytes) -> bool:
    """True if the first kilobyte opens an HTML document."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    return _HTML_SNIFF.search(head) is not None


def decode_html(data: bytes, *, source: str = "") -> tuple[str, str]:
    """(text, codec): a BOM, else a ``<meta charset>``, else the plain-text rules."""
    if bom_encoding(data) is None:
        match = _META_CHARSET.search(data[:4096])
        if match is not None:
            name = match.group(1).decode("ascii").lower()
            try:
                codecs.lookup(name)
            except LookupError:
                pass
            else:
                if name in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
                    name = "cp1252"  # what browsers do, and what such pages mean
                return data.decode(name, errors="replace"), name
    return decode_text(data, source=source)


class _Paragraphs:
    """Collects text into paragraphs; ``\\n`` inside one is a hard line break."""

    def __init__(self) -> None:
        self.done: list[str] = []
        self.current: list[str] = []

    def add(self, text: str) -> None:
        if text:
            self.current.append(text)

    def flush(self) -> None:
        paragraph = "".join(self.current).strip(" ")
        if paragraph.strip():
            self.done.append(paragraph)
        self.current = []

    def text(self) -> str:
        self.flush()
        return "\n\n".join(self.done)


def html_text(data: bytes, *, source: str = "") -> tuple[str, str]:
    """(paragraph text, codec) of an HTML page; scripts, styles and the head dropped."""
    text, codec = decode_html(data, source=source)
    text = _XML_DECL.sub("", text, count=1)
    parser = lxml.html.HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, recover=True
    )
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        raise EmptyFile("the HTML page holds no text", path=source or None) from None
    out = _Paragraphs()
    pre_depth = 0
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if event == "start":
            if tag in HTML_SKIP:
                walker.skip_subtree()
                continue
            if tag in HTML_BLOCKS:
                out.flush()
            if tag == "pre":
                pre_depth += 1
            if tag == "br":
                out.add("\n")
            if el.text and tag:
                out.add(el.text if pre_depth else _HTML_SPACE.sub(" ", el.text))
        else:
            if tag == "pre":
                pre_depth -= 1
            if tag in HTML_BLOCKS:
                out.flush()
            if el.tail:
                out.add(el.tail if pre_depth else _HTML_SPACE.sub(" ", el.tail))
    result = out.text()
    if not result.strip():
        raise EmptyFile("the HTML page holds no text", path=source or None)
    return result, codec


# --- Word .docx ---------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
DOCX_PART = "word/document.xml"
#: Largest ``word/document.xml`` we inflate (a release is a few kilobytes).
MAX_DOCX_PART = 200 * 1024 * 1024

#: Subtrees that hold no visible text, or text shown twice (fallback drawings).
_DOCX_SKIP = frozenset(
    (
        f"{W}pPr",
        f"{W}rPr",
        f"{W}del",
        f"{W}instrText",
        f"{W}delInstrText",
        f"{W}footnoteReference",
        f"{W}endnoteReference",
        f"{W}commentReference",
        f"{MC}Fallback",
    )
)


def is_docx(data: bytes) -> bool:
    """True if ``data`` is a zip archive holding ``word/document.xml``."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return DOCX_PART in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _document_xml(data: bytes, source: str) -> bytes:
    where = source or None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            try:
                info = archive.getinfo(DOCX_PART)
            except KeyError:
                raise CorruptSource(
                    f"the Word file has no {DOCX_PART}, so it holds no document", path=where
                ) from None
            if info.file_size > MAX_DOCX_PART:
                raise CorruptSource(
                    f"the Word file's text part would unpack to {info.file_size} bytes, "
                    "far more than any release; refused",
                    path=where,
                )
            return archive.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as err:
        raise CorruptSource(f"not a readable Word .docx file ({err})", path=where) from None
    except NotImplementedError as err:
        raise CorruptSource(
            f"the Word file uses an unsupported zip feature ({err})", path=where
        ) from None


def docx_text(data: bytes, *, source: str = "") -> str:
    """The paragraphs of a ``.docx`` file: text of ``w:t``, tabs and line breaks kept."""
    xml = _document_xml(data, source)
    try:
        tree = parse_bytes(xml, source=f"{source}!{DOCX_PART}" if source else DOCX_PART)
    except EmptyFile:
        raise EmptyFile("the Word file holds no text", path=source or None) from None
    except AnnotatorError as err:
        raise CorruptSource(
            f"the Word file's {DOCX_PART} is damaged: {err}", path=source or None
        ) from None
    out = _Paragraphs()
    walker = etree.iterwalk(tree.getroot(), events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if event == "end":
            if tag == f"{W}p":
                out.flush()
            continue
        if tag in _DOCX_SKIP:
            walker.skip_subtree()
        elif tag == f"{W}p":
            out.flush()  # a paragraph nested in a text box starts its own
        elif tag == f"{W}t":
            out.add(el.text or "")
        elif tag == f"{W}tab":
            out.add("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            out.add("\n")
        elif tag == f"{W}noBreakHyphen":
            out.add("-")
    result = out.text()
    if not result.strip():
        raise EmptyFile("the Word file holds no text", path=source or None)
    return result


__all__ = [
    "HTML_BLOCKS",
    "HTML_SKIP",
    "MAX_DOCX_PART",
    "decode_html",
    "docx_text",
    "html_text",
    "is_docx",
    "looks_like_html",
]
