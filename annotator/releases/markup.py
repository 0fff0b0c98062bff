"""Paragraphs out of HTML pages and Word ``.docx`` files.

Both formats say where paragraphs are, so we take them from the markup
instead of guessing from line breaks: each block element (HTML) or ``w:p``
(Word) becomes one paragraph, paragraphs are separated by a blank line, and a
line break inside one (``<br>``, ``w:br``) becomes a single newline.

Both parsers are locked down. HTML goes through lxml's HTML parser with no
network access and no DTD; nothing in a page is fetched. ``word/document.xml``
goes through :func:`annotator.formats.safe_xml.parse_bytes`, which refuses DTDs
and entity declarations.

No text is lost without a word. libxml2 stops an HTML page at 256 levels of
nesting (2048 with ``huge_tree``), and old press-release pages leave ``<font>``
tags unclosed by the hundred; such a page is parsed again with its inline
tags (which carry no paragraph structure) taken out. If the parser still
stops early, the text it kept comes back with a note saying so.

Work is bounded: a page with more than :data:`MAX_HTML_ELEMENTS` tags, a Word
text part that would unpack to more than :data:`MAX_DOCX_PART` bytes or holds
more than :data:`MAX_DOCX_ELEMENTS` elements is refused before it is parsed
(a 263 KB zip can unpack to 180 MB of empty paragraphs).
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import lxml.html
from lxml import etree

from annotator.errors import AnnotatorError, CorruptSource, EmptyFile, UnsupportedSource
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
_HTML_START_TAG = re.compile(rb"<[A-Za-z]")
#: Tags that only style text: dropping them keeps every word and every
#: paragraph, and removes the nesting of pages that never close them.
_INLINE_TAG = re.compile(
    r"</?(?:font|span|b|i|u|em|strong|small|big|s|strike|tt|sub|sup|a|abbr|acronym|cite"
    r"|code|kbd|mark|q|samp|var|ins|del|nobr|blink)(?=[\s/>])[^>]*>",
    re.I,
)
#: Most tags a page may have: a long release page saved from a modern site has
#: a few thousand; a million-element page is an attack or not a release.
MAX_HTML_ELEMENTS = 200_000
_DEPTH_ERROR = re.compile(r"Excessive depth in document: (\d+)")


def looks_like_html(data: bytes) -> bool:
    """True if the first kilobyte opens an HTML document."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    return _HTML_SNIFF.search(head) is not None


def decode_html(data: bytes, *, source: str = "") -> tuple[str, str]:
    """(text, codec): a BOM, else a ``<meta charset>`` the bytes really are in, else the
    plain-text rules. A page that declares one charset and is saved in another (a
    cp1252 page saying utf-8) is read by the plain-text rules, so no character
    becomes U+FFFD."""
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
                try:
                    return data.decode(name), name
                except UnicodeDecodeError:
                    pass  # the declaration is wrong: the bytes decide, as for plain text
    return decode_text(data, source=source)


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph of a page, and where its text stood."""

    text: str
    #: most of its text is inside page furniture (navigation, banners, footer)
    furniture: bool = False
    #: most of its text is link text
    links: bool = False


class _Paragraphs:
    """Collects text into paragraphs; ``\\n`` inside one is a hard line break."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.current: list[str] = []
        self.size = self.in_furniture = self.in_links = 0

    @property
    def done(self) -> list[str]:
        return [block.text for block in self.blocks]

    def add(self, text: str, *, furniture: bool = False, link: bool = False) -> None:
        if text:
            self.current.append(text)
            size = len(text.strip())
            self.size += size
            self.in_furniture += size if furniture else 0
            self.in_links += size if link else 0

    def flush(self) -> None:
        paragraph = "".join(self.current).strip(" ")
        if paragraph.strip():
            half = self.size / 2
            self.blocks.append(Block(paragraph, self.in_furniture > half, self.in_links > half))
        self.current = []
        self.size = self.in_furniture = self.in_links = 0

    def text(self) -> str:
        self.flush()
        return "\n\n".join(self.done)


def _parse_html(text: str) -> tuple[lxml.html.HtmlElement, str]:
    """(document, '' or the reason the parser stopped before the end of ``text``)."""
    parser = lxml.html.HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, recover=True, huge_tree=True
    )
    root = lxml.html.document_fromstring(text, parser=parser)
    for entry in parser.error_log:
        if entry.level_name == "FATAL":
            depth = _DEPTH_ERROR.search(entry.message)
            if depth is not None:
                return (
                    root,
                    f"the page nests elements more than {depth[1]} deep (line {entry.line})",
                )
            return root, f"the HTML parser stopped early (line {entry.line}: {entry.message})"
    return root, ""


def parse_html(data: bytes, *, source: str = "") -> tuple[lxml.html.HtmlElement, str, list[str]]:
    """(document, codec, notes on text lost) of an HTML page, bounded in work."""
    where = source or None
    tags = len(_HTML_START_TAG.findall(data))
    if tags > MAX_HTML_ELEMENTS:
        raise UnsupportedSource(
            f"the page has {tags} tags, more than the {MAX_HTML_ELEMENTS} any release page "
            "needs; refused (save the article alone, or as plain text)",
            path=where,
        )
    text, codec = decode_html(data, source=source)
    text = _XML_DECL.sub("", text, count=1)
    try:
        root, stopped = _parse_html(text)
        if stopped:
            root, stopped = _parse_html(_INLINE_TAG.sub("", text))
    except (etree.ParserError, ValueError):
        raise EmptyFile("the HTML page holds no text", path=where) from None
    notes = []
    if stopped:
        notes.append(f"{stopped}; the text after that point is lost")
    return root, codec, notes


def html_blocks(
    root: etree._Element, furniture: Callable[[etree._Element], bool] | None = None
) -> list[Block]:
    """The paragraphs of ``root``: one per block element, ``<br>`` a newline.

    ``furniture`` tells which elements hold page furniture; each paragraph
    says whether most of its text stood inside one, and inside links.
    """
    out = _Paragraphs()
    pre_depth = furniture_depth = link_depth = 0
    #: per open element: (was furniture, was a link)
    opened: list[tuple[bool, bool]] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if event == "start":
            is_furniture = furniture is not None and bool(tag) and furniture(el)
            is_link = tag == "a"
            opened.append((is_furniture, is_link))
            furniture_depth += is_furniture
            link_depth += is_link
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
                text = el.text if pre_depth else _HTML_SPACE.sub(" ", el.text)
                out.add(text, furniture=furniture_depth > 0, link=link_depth > 0)
        else:
            was_furniture, was_link = opened.pop()
            if tag == "pre":
                pre_depth -= 1
            if tag in HTML_BLOCKS:
                out.flush()
            furniture_depth -= was_furniture
            link_depth -= was_link
            if el.tail:
                text = el.tail if pre_depth else _HTML_SPACE.sub(" ", el.tail)
                out.add(text, furniture=furniture_depth > 0, link=link_depth > 0)
    out.flush()
    return out.blocks


def html_paragraphs(root: etree._Element) -> str:
    """The text of ``root`` as paragraphs separated by a blank line (see :func:`html_blocks`)."""
    return "\n\n".join(block.text for block in html_blocks(root))


def html_text(data: bytes, *, source: str = "") -> tuple[str, str]:
    """(paragraph text, codec) of an HTML page; scripts, styles and the head dropped.

    Raises :class:`CorruptSource` if the parser stopped before the end; use
    :func:`parse_html` to keep what it read, with a note.
    """
    root, codec, notes = parse_html(data, source=source)
    if notes:
        raise CorruptSource(notes[0], path=source or None)
    result = html_paragraphs(root)
    if not result.strip():
        raise EmptyFile("the HTML page holds no text", path=source or None)
    return result, codec


# --- Word .docx ---------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
DOCX_PART = "word/document.xml"
#: Largest ``word/document.xml`` we inflate: a release's is tens of kilobytes,
#: a hundred-page report's a few megabytes.
MAX_DOCX_PART = 32 * 1024 * 1024
#: Most elements ``word/document.xml`` may hold (runs, paragraphs, properties):
#: a hundred-page report has about 100,000; parsing this many stays within
#: seconds and a few hundred megabytes.
MAX_DOCX_ELEMENTS = 1_000_000

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
                raise UnsupportedSource(_too_big(info.file_size), path=where)
            with archive.open(info) as part:  # reads no more than the declared size
                xml = part.read(MAX_DOCX_PART + 1)
            if len(xml) > MAX_DOCX_PART:
                raise UnsupportedSource(_too_big(len(xml)), path=where)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as err:
        raise CorruptSource(f"not a readable Word .docx file ({err})", path=where) from None
    except NotImplementedError as err:
        raise CorruptSource(
            f"the Word file uses an unsupported zip feature ({err})", path=where
        ) from None
    # every element opens with "<"; end tags, comments and declarations are not elements
    elements = xml.count(b"<") - xml.count(b"</") - xml.count(b"<?") - xml.count(b"<!")
    if elements > MAX_DOCX_ELEMENTS:
        raise UnsupportedSource(
            f"the Word file's text part holds {elements} elements, more than the "
            f"{MAX_DOCX_ELEMENTS} any release needs; refused",
            path=where,
        )
    return xml


def _too_big(size: int) -> str:
    return (
        f"the Word file's text part would unpack to {size // (1024 * 1024)} MB, more than "
        f"the {MAX_DOCX_PART // (1024 * 1024)} MB any release needs; refused"
    )


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
    "MAX_DOCX_ELEMENTS",
    "MAX_DOCX_PART",
    "MAX_HTML_ELEMENTS",
    "Block",
    "decode_html",
    "docx_text",
    "html_blocks",
    "html_paragraphs",
    "html_text",
    "is_docx",
    "looks_like_html",
    "parse_html",
]
