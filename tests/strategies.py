"""Hypothesis strategies for random projects (shared: format round trips, exports, merges).

Texts mix paragraphs and blank lines, astral characters (😀, 𠀀), XML-special
characters (``<``, ``&``, ``]]>``), CR, tabs, a form feed and quotes. Layers
hold overlapping, nested and discontinuous annotations with attributes, notes
and links that the tag set allows; an annotation often starts exactly where an
earlier one ends (touching spans). ``unit_continua`` gives several coders' units
on a continuum that touch and abut. ``signature`` gives a comparable summary of
a layer (ids, tags, fragments, attributes, notes, links).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from hypothesis import strategies as st

from annotator.formats.tagset_xml import default_tagset
from annotator.model import (
    Annotation,
    AttributeDef,
    Document,
    DocumentMeta,
    Fragment,
    Layer,
    Link,
    LinkType,
    Project,
    Status,
    TagSet,
    TagType,
    normalise_fragments,
)

PIECES = (
    "a", "b", "word", " ", " ", "\n", "\n\n", "\n \n", "<", "&", "]]>", ">", "😀", "𠀀",
    "é", "Sané", "“", "”", '"', "'", ";", "\t", "\r\n", "-", "=", "%", "\\u{",
)  # fmt: skip

#: A tag set with awkward names: a tag called "p", one with a space, attributes
#: named like reserved XML attributes, a free-text attribute.
TRICKY_TAGSET = TagSet(
    name="tricky",
    tags=(
        TagType(
            "p",
            "Para-named",
            "#112233",
            attributes=(
                AttributeDef("id", values=("x", "y")),
                AttributeDef("note", multiple=True, values=("n1", "n2")),
            ),
        ),
        TagType("odd tag", "Odd", "#445566", attributes=(AttributeDef("free"),)),
        TagType(
            "victim",
            "Victim",
            "#778899",
            attributes=(AttributeDef("harm", multiple=True, values=("killed", "hurt")),),
        ),
    ),
    links=(LinkType("rel", "Rel", ("p", "odd tag"), ("victim", "p")),),
)

#: who annotates, and when: ISO times as the app writes them, and what other files hold
PEOPLE = ("alice", "bob ö", "", "c&<d>")
TIMES = ("2026-11-27T09:00:41Z", "", "2026-11-28", "yesterday <3>")

#: free attributes another tool may put on a link (MAE link tags, say)
LINK_ATTRIBUTES = ("certainty", "source")
#: a short free text without characters XML cannot hold (notes, attribute values)
note_texts = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff"),
    min_size=1,
    max_size=8,
).filter(lambda t: all(ord(c) >= 32 or c in "\t\n\r" for c in t))

texts = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(min_size=1, max_size=4)), min_size=1, max_size=40
).map("".join)

#: text without characters XML 1.0 cannot hold (for formats without an escape)
plain_texts = texts.map(
    lambda t: "".join(
        ch
        for ch in t
        if ch in "\t\n\r"
        or (ord(ch) >= 32 and not 0xD800 <= ord(ch) <= 0xDFFF and ch not in "\ufffe\uffff")
    )
).filter(bool)


@st.composite
def annotations_for(
    draw: Any, text: str, tagset: TagSet, start_id: int, *, max_n: int = 8
) -> list[Annotation]:
    n = len(text)
    out: list[Annotation] = []
    if n == 0:
        return out
    ends: list[int] = []
    for i in range(draw(st.integers(0, max_n))):
        frags = []
        for _ in range(draw(st.integers(1, 3))):
            # half the time start where an earlier span ends: touching spans
            touching = [x for x in ends if x < n]
            if touching and draw(st.booleans()):
                s = draw(st.sampled_from(touching))
            else:
                s = draw(st.integers(0, n - 1))
            e = draw(st.integers(s + 1, min(n, s + 12)))
            frags.append(Fragment(s, e))
            ends.append(e)
        tt = draw(st.sampled_from(tagset.tags))
        attrs: dict[str, str | tuple[str, ...]] = {}
        for a in tt.attributes:
            if not draw(st.booleans()):
                continue
            if a.values and a.multiple:
                attrs[a.name] = tuple(
                    sorted(set(draw(st.lists(st.sampled_from(a.values), min_size=1, max_size=3))))
                )
            elif a.values:
                attrs[a.name] = draw(st.sampled_from(a.values))
            else:
                attrs[a.name] = draw(st.text(min_size=1, max_size=6))
        note = draw(st.one_of(st.just(""), st.text(max_size=10)))
        created_by = draw(st.sampled_from(PEOPLE))
        created_at = draw(st.sampled_from(TIMES))
        out.append(
            Annotation(
                id=f"a{start_id + i}",
                tag=tt.name,
                fragments=normalise_fragments(frags),
                attributes=attrs,
                note=note,
                created_by=created_by,
                created_at=created_at,
                modified_by=draw(st.sampled_from([created_by, *PEOPLE])),
                modified_at=draw(st.sampled_from([created_at, *TIMES])),
            )
        )
    return out


@st.composite
def unit_continua(
    draw: Any, *, categories: tuple[str, ...] = ("c",), max_coders: int = 4
) -> tuple[list[list[tuple[int, int, str]]], int]:
    """Coders' units ``(start, end, category)`` on a continuum of some length.

    Each coder cuts the continuum into segments and makes each one a gap or a
    unit, so a coder's units often touch (one ends where the next begins). The
    cuts come mostly from a pool all coders share, so units of different coders
    abut and coincide too, as when colleagues agree on some boundaries.
    """
    length = draw(st.integers(2, 60))
    inner = st.integers(1, length - 1)
    pool = draw(st.sets(inner, max_size=8))
    coders: list[list[tuple[int, int, str]]] = []
    for _ in range(draw(st.integers(2, max_coders))):
        shared = draw(st.sets(st.sampled_from(sorted(pool)), max_size=len(pool))) if pool else set()
        own = draw(st.sets(inner, max_size=3))
        cuts = sorted(shared | own | {0, length})
        spans = []
        for a, b in pairwise(cuts):
            cat = draw(st.sampled_from((None, *categories)))
            if cat is not None:
                spans.append((a, b, cat))
        coders.append(spans)
    return coders, length


@st.composite
def projects(
    draw: Any, *, text_strategy: Any = texts, tagsets: Any = None, max_docs: int = 3
) -> Project:
    """A random project with one layer, "alice"."""
    tagset = draw(
        tagsets if tagsets is not None else st.sampled_from([default_tagset(), TRICKY_TAGSET])
    )
    project = Project(name=draw(st.sampled_from(["p", "Korea <1998> & co"])), tagset=tagset)
    layer = project.layers["alice"] = Layer("alice")
    next_id = 1
    for d in range(draw(st.integers(1, max_docs))):
        text = draw(text_strategy)
        headline = draw(st.one_of(st.just(""), st.text(max_size=12)))
        doc = Document(
            id=f"doc{d + 1:04d}",
            text=text,
            status=draw(
                st.dictionaries(st.sampled_from([p for p in PEOPLE if p]), st.sampled_from(Status))
            ),
            meta=DocumentMeta(
                headline=headline,
                country="Korea",
                date="1998-10-02",
                extra=draw(
                    st.dictionaries(
                        st.sampled_from(["batch", "x y"]), st.text(max_size=5), max_size=2
                    )
                ),
            ),
        )
        project.add_document(doc)
        anns = draw(annotations_for(text, tagset, next_id))
        next_id += len(anns)
        da = layer.doc(doc.id)
        for a in anns:
            da.annotations[a.id] = a
        for j in range(draw(st.integers(0, 4)) if len(anns) > 1 else 0):
            src = draw(st.sampled_from(anns))
            tgt = draw(st.sampled_from(anns))
            types = [lt for lt in tagset.links if lt.allows(src.tag, tgt.tag)]
            if types and src.id != tgt.id:
                lt = draw(st.sampled_from(types))
                lid = f"r{next_id + j}"
                da.links[lid] = Link(
                    lid,
                    lt.name,
                    src.id,
                    tgt.id,
                    draw(st.dictionaries(st.sampled_from(LINK_ATTRIBUTES), note_texts, max_size=2)),
                    draw(st.one_of(st.just(""), note_texts)),
                )
        next_id += 5
    layer.counter = next_id
    return project


def signature(project: Project, layer: str, *, with_ids: bool = True) -> dict[str, Any]:
    """Comparable summary of a layer: per document, annotations and links."""
    out: dict[str, Any] = {}
    ly = project.layers.get(layer)
    for doc_id in project.documents:
        da = ly.docs.get(doc_id) if ly else None
        if da is None:
            out[doc_id] = ([], [])
            continue
        anns = sorted(
            (
                a.id if with_ids else "",
                a.tag,
                tuple((f.start, f.end) for f in a.fragments),
                tuple(sorted(a.attributes.items())),
                a.note,
            )
            for a in da.annotations.values()
        )
        if with_ids:
            links = sorted((lk.id, lk.type, lk.source, lk.target) for lk in da.links.values())
        else:
            keys = {
                i: (a.tag, tuple((f.start, f.end) for f in a.fragments))
                for i, a in da.annotations.items()
            }
            links = sorted((lk.type, keys[lk.source], keys[lk.target]) for lk in da.links.values())
        out[doc_id] = (anns, links)
    return out


def provenance(project: Project, layer: str) -> dict[str, Any]:
    """Per document: each annotator's status, and who made and changed each annotation."""
    ly = project.layers.get(layer)
    out: dict[str, Any] = {}
    for doc_id, doc in project.documents.items():
        da = ly.docs.get(doc_id) if ly else None
        anns = da.annotations.values() if da else ()
        out[doc_id] = (
            dict(doc.status),
            sorted(
                (a.id, a.created_by, a.created_at, a.modified_by, a.modified_at, a.needs_check)
                for a in anns
            ),
        )
    return out


def link_details(project: Project, layer: str) -> dict[str, Any]:
    """Per document: each link's note and free attributes."""
    ly = project.layers.get(layer)
    return {
        doc_id: sorted(
            (lk.id, lk.note, tuple(sorted(lk.attributes.items()))) for lk in da.links.values()
        )
        for doc_id, da in (ly.docs.items() if ly else ())
        if da.links
    }
