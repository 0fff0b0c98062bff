"""The streaming builder's reading of the layers: annotations and links.

An ``<ann>`` start tag is the hot path of loading (200,000 calls for a big
project): the builder's ``start`` and ``end`` inline its ``<attr>`` children
and call :meth:`LayerReading._annotation` for the rest. A link is added once
both its ends are annotations of the layer (a link to one further down waits
for the layer's end).
"""

from __future__ import annotations

import re
from typing import Any

from annotator.formats.project_reader import checked_attributes
from annotator.formats.project_writer import QUOTE_SEPARATOR
from annotator.formats.stream_state import LAYER, BuilderState, boolean, refuse
from annotator.formats.xmltext import attr_text
from annotator.model.project import (
    NO_ATTRIBUTES,
    NO_COMMENTS,
    NO_LINK_ATTRIBUTES,
    NO_PROVENANCE,
    Annotation,
    Comment,
    Fragment,
    Layer,
    LayerKind,
    Link,
)
from annotator.model.tagset import AttrValue
from annotator.numbers import CEILING, MAX_DIGITS, parse_offset

_LAYER_KEYS = frozenset(("name", "kind", "counter"))
_ANN_REQUIRED = frozenset(("id", "doc", "tag", "frags", "quote"))
_ANN_KEYS = _ANN_REQUIRED | {
    "note", "needs-check", "created-by", "created-at", "modified-by", "modified-at"
}  # fmt: skip
_LINK_REQUIRED = frozenset(("id", "doc", "type", "from", "to"))
_LINK_KEYS = _LINK_REQUIRED | {"note"}
_FRAGMENTS = re.compile(r"[0-9]+-[0-9]+(?: [0-9]+-[0-9]+)*")
#: The longest single-fragment value whose two numbers int() may take without a bound.
_SHORT_FRAGS = 2 * MAX_DIGITS + 1

_new_object = object.__new__
_set_start = Fragment.__dict__["start"].__set__  # the slot descriptors, bypassing frozen
_set_end = Fragment.__dict__["end"].__set__


class LayerReading(BuilderState):
    """``<layer>``, ``<ann>`` and ``<link>``, and what an annotation holds."""

    # --- layers ---------------------------------------------------------------------

    def _layer_start(self, a: dict[str, str]) -> None:
        project = self._project
        assert project is not None
        if not (_LAYER_KEYS.issuperset(a) and a.get("name") and "kind" in a):
            raise refuse("a layer's attributes")
        name = attr_text(a["name"])
        if name in project.layers:
            raise refuse("a layer name used twice")
        layer = Layer(
            name=name,
            kind=LayerKind(a["kind"]),
            counter=parse_offset(a.get("counter", "0"), CEILING),
        )
        self._layer = layer
        self._ids = set()
        self._doc_id = None
        self._later = []
        self._ctx = LAYER

    def _layer_end(self) -> None:
        self._blank()
        layer = self._layer
        project = self._project
        assert layer is not None and project is not None
        for head, attrs in self._later:  # links to annotations further down
            if not self._add_link(head, attrs, late=True):
                raise refuse("a link to an annotation the layer does not have")
        self._later = []
        self._ids = set()
        project.layers[layer.name] = layer
        self._layer = None

    def _annotation(self, a: dict[str, str]) -> None:
        """An <ann> start tag: the hot path of loading (200,000 calls for a big project).

        The common line (the writer's seven attributes, one fragment, no escape)
        is read with seven lookups and checked inline; anything else is read by
        the general rules of _fields and _fragments.
        """
        try:
            if self.escaped:
                raise KeyError
            ann_id = a["id"]
            doc_id = a["doc"]
            tag = a["tag"]
            frags = a["frags"]
            quote = a["quote"]
            created_by = modified_by = a["created-by"]
            created_at = modified_at = a["created-at"]
        except KeyError:
            fields = self._fields(a)
            ann_id, doc_id, tag, frags, quote, note, needs_check = fields[:7]
            created_by, created_at, modified_by, modified_at = fields[7:]
        else:
            note = ""
            needs_check = False
            if len(a) != 7:  # a note, a check flag, a modification
                if not _ANN_KEYS.issuperset(a):
                    raise refuse("an annotation's attributes")
                note = a.get("note", "")
                modified_by = a.get("modified-by", created_by)
                modified_at = a.get("modified-at", created_at)
                if "needs-check" in a:
                    needs_check = boolean(a["needs-check"])
        if doc_id != self._doc_id:
            self._switch_document(doc_id)
        text = self._text
        known = self._tags.get(tag)
        ids = self._ids
        if not ann_id or ann_id in ids or known is None:
            raise refuse("an annotation id used twice, or an unknown tag")
        start, _, end = frags.partition("-")
        if frags.isascii() and start.isdigit() and end.isdigit() and len(frags) <= _SHORT_FRAGS:
            s = int(start)
            e = int(end)
            if not s < e <= len(text) or quote != text[s:e]:
                raise refuse("an annotation's offsets or quote")
            f: Fragment = _new_object(Fragment)  # checked just now: no __post_init__
            _set_start(f, s)
            _set_end(f, e)
            fragments: tuple[Fragment, ...] = (f,)
        else:
            fragments = fragments_of(frags, text, quote)
        who = self._who
        created_by = who.setdefault(created_by, created_by)
        if modified_by is not created_by:
            modified_by = who.setdefault(modified_by, modified_by)
        # time stamps repeat in runs (one import, one merge): share a run's string
        if created_at == self._last_at:
            created_at = self._last_at
        else:
            self._last_at = created_at
        if modified_at == created_at:
            modified_at = created_at
        ann = self._ann = Annotation(
            ann_id, known, fragments, NO_ATTRIBUTES, note, created_by, created_at,
            modified_by, modified_at, needs_check, NO_COMMENTS, NO_PROVENANCE,
        )  # fmt: skip
        ids.add(ann_id)
        self._anns[ann_id] = ann

    def _fields(self, a: dict[str, str]) -> tuple[Any, ...]:
        """An annotation's attributes by the general rules: (id, doc, tag, frags, quote,
        note, needs-check, created-by, created-at, modified-by, modified-at)."""
        if not (_ANN_KEYS.issuperset(a) and a.keys() >= _ANN_REQUIRED):
            raise refuse("an annotation's attributes")
        needs_check = boolean(a.get("needs-check", "false"))
        created_by = a.get("created-by", "")
        created_at = a.get("created-at", "")
        texts: tuple[str, ...] = (
            a["id"], a["doc"], a["tag"], a["quote"], a.get("note", ""), created_by, created_at,
            a.get("modified-by", created_by), a.get("modified-at", created_at),
        )  # fmt: skip
        if self.escaped:
            texts = tuple(attr_text(v) for v in texts)
        ann_id, doc_id, tag, quote, note, *stamps = texts
        return (ann_id, doc_id, tag, a["frags"], quote, note, needs_check, *stamps)

    def _switch_document(self, doc_id: str) -> None:
        project = self._project
        layer = self._layer
        assert project is not None and layer is not None
        doc = project.documents.get(doc_id)
        if doc is None:
            raise refuse("an annotation on an unknown document")
        self._doc_id = doc_id
        self._text = doc.text
        self._anns = layer.doc(doc_id).annotations

    def _ann_child(self, tag: str, a: dict[str, str]) -> None:
        """<attr>*, <prov>*, <comment>*, in that order; each with its attributes only."""
        stage = self._stage
        if tag == "attr" and stage == 0 and len(a) == 2 and "name" in a and "value" in a:
            self._pairs += (a["name"], a["value"])
        elif tag == "prov" and stage <= 1 and len(a) == 2 and "key" in a and "value" in a:
            self._stage = 1
            self._prov[attr_text(a["key"])] = attr_text(a["value"])
        elif tag == "comment" and stage <= 2 and len(a) == 3 and "by" in a and "at" in a:
            if "text" not in a:
                raise refuse("a comment without text")
            self._stage = 2
            self._comments.append(Comment(*(attr_text(a[k]) for k in ("by", "at", "text"))))
        else:
            raise refuse(f"<{tag}> where an annotation does not take it")

    def _attributes(self, key: tuple[str, ...]) -> dict[str, AttrValue]:
        """The <attr> children (tag, name, value, name, value...) of an annotation, as
        the tag set takes them: one shared dict per combination (most annotations
        share one of a few hundred)."""
        project = self._project
        assert project is not None
        pairs = zip(key[1::2], key[2::2], strict=True)
        checked = self._attr_cache[key] = checked_attributes(project.tagset, key[0], pairs)
        return checked

    def _ann_extras(self) -> None:
        ann = self._ann
        if self._prov:
            ann.provenance, self._prov = self._prov, {}
        if self._comments:
            ann.comments, self._comments = self._comments, []

    # --- links ----------------------------------------------------------------------

    def _link_start(self, a: dict[str, str]) -> None:
        if not (_LINK_KEYS.issuperset(a) and a.keys() >= _LINK_REQUIRED):
            raise refuse("a link's attributes")
        if self.escaped:
            a = {k: attr_text(v) for k, v in a.items()}
        self._link = a
        self._link_attrs = {}

    def _link_end(self) -> None:
        if len(self._buf) != self._mark:
            raise refuse("text inside a link")
        head, attrs = self._link, self._link_attrs
        if not self._add_link(head, attrs, late=False):
            self._later.append((head, attrs))

    def _add_link(self, head: dict[str, str], attrs: dict[str, str], *, late: bool) -> bool:
        """Add the link; False if an end is not (yet) an annotation of the layer."""
        layer = self._layer
        project = self._project
        assert layer is not None and project is not None
        link_id, doc_id, source, target = head["id"], head["doc"], head["from"], head["to"]
        link_type = self._link_names.get(head["type"])
        if not link_id or link_id in self._ids or link_type is None:
            raise refuse("a link id used twice, or an unknown link type")
        da = layer.docs.get(doc_id)
        anns = da.annotations if da is not None else {}
        src = anns.get(source)
        tgt = anns.get(target)
        if src is None or tgt is None or da is None:
            return False
        key = (link_type, src.tag, tgt.tag)
        if key not in self._links_ok:
            project.tagset.check_link(*key)
            self._links_ok.add(key)
        self._ids.add(link_id)
        da.links[link_id] = Link(
            link_id, link_type, src.id, tgt.id, attrs or NO_LINK_ATTRIBUTES, head.get("note", "")
        )
        return True


def fragments_of(frags: str, text: str, quote: str) -> tuple[Fragment, ...]:
    """Several fragments (or one with absurd numbers): in order, apart, in the text."""
    if not _FRAGMENTS.fullmatch(frags):
        raise refuse("not a list of START-END")
    out: list[Fragment] = []
    prev_end = -1
    length = len(text)
    for piece in frags.split(" "):
        a, _, b = piece.partition("-")
        f = Fragment(parse_offset(a, length), parse_offset(b, length))
        if f.start <= prev_end:
            raise refuse("fragments out of order")
        prev_end = f.end
        out.append(f)
    if quote != QUOTE_SEPARATOR.join([text[f.start : f.end] for f in out]):
        raise refuse("an annotation's quote")
    return tuple(out)
