"""A project file cut into per-release slices, without parsing it.

The writer (:mod:`.project_writer`) puts each release in one ``<document>``
block and each annotation and link on one line that begins by naming its id
and its release (``<ann id="…" doc="…"``). So what one release holds (its
block, and its lines in every layer) can be found by splitting the file's
bytes, much faster than building the model, and two versions of a file can be
compared release by release. The three-way merge driver uses that to read only
the releases a side changed: :func:`changed_releases`, then
:meth:`Slices.subset`, a project file of its own that the normal, validating
reader reads.

Only files shaped as the writer writes them are cut: anything else (a DTD,
an element over several lines, a line naming a release the file does not hold,
CRLF line ends, an older format version) gives ``None`` and the caller reads
the whole file the normal way. A cut is checked where it matters: a subset is
read by the strict reader, which refuses a broken block or an annotation
without its release, and the caller then takes the whole path as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ROOT = re.compile(rb'<annotator-project format-version="[23]" name="[^"]*">\n')
_DOC_ID = re.compile(rb'    <document id="([^"]*)"')
_LAYER_HEAD = re.compile(rb'    <layer name="([^"]*)" kind="[a-z]+" counter="[0-9]+"(/?)>')
_DOCS_OPEN, _DOCS_CLOSE, _DOCS_EMPTY = b"  <documents>\n", b"  </documents>\n", b"  <documents/>\n"
_LAYERS_OPEN, _LAYERS_CLOSE = b"  <layers>\n", b"  </layers>\n"
_LAYERS_EMPTY = b"  <layers/>\n"
_END = b"</annotator-project>\n"
_DOC_END = b"    </document>\n"
_LAYER_END = b"\n    </layer>\n"
#: The release of an annotation or link line, as the writer begins each line.
_LINE_DOC = re.compile(rb'\n      <(?:ann|link) id="[^"\n]*" doc="([^"\n]*)"')


@dataclass
class LayerSlice:
    """One layer as written: its opening line and its lines."""

    head: bytes  # the opening line without its closing ">" or "/>"
    body: bytes = b""  # every line, as in the file
    _lines: list[bytes] | None = None
    _docs: list[bytes] | None = None
    _set: set[bytes] | None = None

    @property
    def lines(self) -> list[bytes]:
        """Every line, without its line end."""
        if self._lines is None:
            self._lines = self.body.split(b"\n")[:-1]
        return self._lines

    def line_set(self) -> set[bytes]:
        if self._set is None:
            self._set = set(self.lines)
        return self._set

    def docs(self) -> list[bytes] | None:
        """The release each line names (as written), or None if a line is not one
        annotation or link as the writer writes it."""
        if self._docs is None:
            docs = _LINE_DOC.findall(b"\n" + self.body)
            n = len(self.lines)
            if len(docs) != n or self.body.count(b">\n") != n:
                return None  # a line that begins or ends otherwise
            self._docs = docs
        return self._docs


@dataclass
class Slices:
    """One project file, cut: what comes before the documents, each release's block
    (in file order), and each layer."""

    head: bytes  # the XML declaration, the root element's line and the tag set
    docs: dict[bytes, bytes] = field(default_factory=dict)  # id (as written) -> block
    layers: dict[bytes, LayerSlice] = field(default_factory=dict)  # name (as written)

    @property
    def tagset(self) -> bytes:
        """The tag set as written (the head without the root element's name)."""
        return _ROOT.sub(b"", self.head, count=1)

    def subset(self, doc_ids: set[bytes]) -> bytes | None:
        """A project file of its own: this file's name, tag set and layers, with only
        the releases in ``doc_ids`` (in this file's order) and their lines; None if
        a layer's lines are not as the writer writes them."""
        out = [self.head, _DOCS_OPEN]
        out += [block for doc_id, block in self.docs.items() if doc_id in doc_ids]
        out += [_DOCS_CLOSE, _LAYERS_OPEN]
        for layer in self.layers.values():
            docs = layer.docs()
            if docs is None or not self.docs.keys() >= set(docs):
                return None
            body = [line for line, d in zip(layer.lines, docs, strict=True) if d in doc_ids]
            if body:
                out += [layer.head, b">\n", b"\n".join(body), _LAYER_END[1:]]
            else:
                out += [layer.head, b"/>\n"]
        out += [_LAYERS_CLOSE, _END]
        return b"".join(out)


def slice_file(data: bytes) -> Slices | None:
    """``data`` cut into releases, or None if it is not shaped as the writer writes."""
    root = _ROOT.search(data, 0, 400)
    if root is None:
        return None
    docs_at = data.find(b"\n  <documents", root.end() - 1) + 1
    if docs_at <= 0 or data.find(b"<!", 0, docs_at) >= 0:  # a DTD, or a comment in the tag set
        return None
    slices = Slices(head=data[:docs_at])
    if data.startswith(_DOCS_EMPTY, docs_at):
        rest = data[docs_at + len(_DOCS_EMPTY) :]
    elif data.startswith(_DOCS_OPEN, docs_at):
        # "</document>" cannot occur inside a block: text and values escape "<"
        blocks = data[docs_at + len(_DOCS_OPEN) :].split(_DOC_END)
        rest = blocks.pop()
        if not rest.startswith(_DOCS_CLOSE):
            return None
        rest = rest[len(_DOCS_CLOSE) :]
        for block in blocks:
            m = _DOC_ID.match(block)
            if m is None or m.group(1) in slices.docs:
                return None
            slices.docs[m.group(1)] = block + _DOC_END
    else:
        return None
    if rest == _LAYERS_EMPTY + _END:
        return slices
    if not (rest.startswith(_LAYERS_OPEN) and rest.endswith(_LAYERS_CLOSE + _END)):
        return None
    end = len(rest) - len(_LAYERS_CLOSE + _END)
    return slices if _layers(rest, len(_LAYERS_OPEN), end, slices) else None


def _layers(data: bytes, pos: int, end: int, slices: Slices) -> bool:
    """Cut the layers between ``pos`` and ``end``; False if anything is odd."""
    while pos < end:
        eol = data.find(b"\n", pos, end)
        m = _LAYER_HEAD.fullmatch(data, pos, eol) if eol > 0 else None
        if m is None or m.group(1) in slices.layers:
            return False
        layer = slices.layers[m.group(1)] = LayerSlice(head=data[pos : m.start(2)])
        pos = eol + 1
        if m.group(2):  # <layer .../>: no lines
            continue
        close = data.find(_LAYER_END, pos - 1, end)
        if close < 0:
            return False
        layer.body = data[pos : close + 1]
        pos = close + len(_LAYER_END)
    return pos == end


def changed_by(base: Slices, side: Slices) -> set[bytes] | None:
    """The releases (ids as written) that ``side`` holds otherwise than ``base``: its
    block differs, or one of its lines in some layer was added, removed or changed.
    None if a changed line is not as the writer writes it."""
    changed = {
        d for d in base.docs.keys() | side.docs.keys() if base.docs.get(d) != side.docs.get(d)
    }
    for name in base.layers.keys() | side.layers.keys():
        b, s = base.layers.get(name), side.layers.get(name)
        if b is not None and s is not None and b.body == s.body:
            continue
        for line in (b.line_set() if b else set()) ^ (s.line_set() if s else set()):
            docs = _LINE_DOC.findall(b"\n" + line)
            if len(docs) != 1:
                return None
            changed.add(docs[0])
    return changed


def changed_releases(base: Slices, ours: Slices, theirs: Slices) -> set[bytes] | None:
    """The releases that either side holds otherwise than the base (see changed_by)."""
    mine, yours = changed_by(base, ours), changed_by(base, theirs)
    return None if mine is None or yours is None else mine | yours


__all__ = ["LayerSlice", "Slices", "changed_by", "changed_releases", "slice_file"]
