"""Random edit sequences for the three-way merge tests: the real model commands,
applied to one common base by two colleagues.

Each side draws edits from the base items it may touch (``touchable``) and
tags tokens of its own parity, so two sides given disjoint shares of the base
make no conflicting change, and two sides given the same share can make every
kind of conflict. A text correction changes one letter of a token of the
side's parity (so it moves nothing), or appends to the end of a release the
side corrects alone.
"""

from __future__ import annotations

import copy
from collections import Counter

from hypothesis import strategies as st

from annotator.errors import AnnotatorError
from annotator.model import (
    AddAnnotation,
    AddComment,
    AddLink,
    Command,
    DeleteAnnotation,
    EditText,
    History,
    Link,
    Project,
    RemoveLink,
    Resize,
    Retag,
    ReviewStatus,
    SetNote,
    SetReviewStatus,
    SetStatus,
    Status,
)
from annotator.review.three_way import THEIRS_SUFFIX
from tests.review_support import add, project, tokens_span, words

TAGS = ("appeal", "victim", "authority")
#: where each layer's base annotations are: (layer, document, how many, first id)
PLACES = (("alice", "d1", 6, 1), ("bob", "d2", 6, 1), ("alice", "d3", 3, 8), ("bob", "d3", 2, 7))
#: the documents whose end each side may extend (one side each: no two insertions at one place)
APPENDS = {"carla": ("d1", "d3"), "dev": ("d2", "d4")}
DOC_LENGTHS = {"d1": 30, "d2": 20, "d3": 24, "d4": 12}


def base_project() -> Project:
    """Four releases (one with characters beyond the BMP), two layers, links, a status."""
    base = project(
        words(30), words(20) + " 😀 𠀀 end", words(24), words(12), layers=("alice", "bob")
    )
    for layer, doc, n, first in PLACES:
        for i in range(n):
            t = i * 3 + (first % 2)
            add(base, layer, doc, TAGS[i % 3], tokens_span(t, t + 2), ann_id=f"a{first + i}")
    add(base, "alice", "d4", "victim", tokens_span(4, 6), ann_id="a12")
    base.layer("alice").docs["d1"].links["r7"] = Link("r7", "addressee", "a1", "a3")
    base.layer("alice").docs["d3"].links["r11"] = Link("r11", "on_behalf_of", "a8", "a9")
    base.layer("alice").counter, base.layer("bob").counter = 12, 8
    base.documents["d1"].status["alice"] = Status.IN_PROGRESS
    return base


#: every base annotation and link, as "layer/doc/id"
BASE_ITEMS = [f"{layer}/{doc}/a{first + i}" for layer, doc, n, first in PLACES for i in range(n)]
BASE_ITEMS += ["alice/d4/a12", "alice/d1/r7", "alice/d3/r11"]
BASE_TAGS = {
    f"{layer}/{doc}/a{first + i}": TAGS[i % 3] for layer, doc, n, first in PLACES for i in range(n)
}
BASE_TAGS["alice/d4/a12"] = "victim"
_ALLOWED = {("appeal", "authority"): "addressee", ("appeal", "victim"): "on_behalf_of"}
_ALLOWED[("authority", "victim")] = "responsible_for"
#: every link the base tags allow: (source, target, type)
LINKABLE = [
    (a, b, _ALLOWED[(BASE_TAGS[a], BASE_TAGS[b])])
    for a in BASE_TAGS
    for b in BASE_TAGS
    if a.rsplit("/", 1)[0] == b.rsplit("/", 1)[0] and (BASE_TAGS[a], BASE_TAGS[b]) in _ALLOWED
]
#: two disjoint shares (each link with both its ends)
OURS_SHARE = [i for i in BASE_ITEMS if i.split("/")[2] in ("a1", "a3", "a5", "a12", "r7")]
THEIRS_SHARE = [i for i in BASE_ITEMS if i not in OURS_SHARE]

Edit = tuple[str, ...]


def command(edit: Edit) -> Command:
    """A fresh command for an edit (a command keeps the id it handed out)."""
    kind, layer, doc, *rest = edit
    if kind == "add":
        i = int(rest[1])
        return AddAnnotation(layer, doc, rest[0], [tokens_span(i, i + 1)], author=rest[2])
    if kind == "status":
        return SetStatus(doc, layer, Status(rest[0]))
    if kind == "review":
        return SetReviewStatus(doc, ReviewStatus(rest[0]))
    if kind == "fix":  # one letter of token i, in place: nothing moves
        i = int(rest[0])
        return EditText(doc, 3 * i, 3 * i + 1, rest[1])
    if kind == "append":
        return EditText(doc, int(rest[0]), int(rest[0]), rest[1])
    if kind == "delete":
        return DeleteAnnotation(layer, doc, rest[0])
    if kind == "unlink":
        return RemoveLink(layer, doc, rest[0])
    if kind == "link":
        return AddLink(layer, doc, rest[0], rest[1], rest[2])
    if kind == "retag":
        return Retag(layer, doc, rest[0], rest[1])
    if kind == "resize":
        i = int(rest[1])
        return Resize(layer, doc, rest[0], [tokens_span(i, i + 2)])
    if kind == "note":
        return SetNote(layer, doc, rest[0], rest[1])
    return AddComment(layer, doc, rest[0], rest[1], rest[2])


KINDS = (
    "add", "delete", "retag", "resize", "note", "comment", "link", "unlink",
    "status", "review", "fix", "append",
)  # fmt: skip


@st.composite
def edits(draw: st.DrawFn, touchable: list[str], who: str, shared: bool = False) -> list[Edit]:
    """A sequence of edits by ``who`` touching only the base items in ``touchable``.

    ``shared``: the other side may make the same kinds of edit at the same places:
    set alice's status, review and extend any release, correct any token.
    """
    out: list[Edit] = []
    alive = [i for i in touchable if "/a" in i]
    links = [i for i in touchable if "/r" in i]
    parity = 0 if who == "carla" else 1
    mine = tuple(DOC_LENGTHS) if shared else APPENDS[who]
    appended: dict[str, int] = {}
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(KINDS))
        doc = draw(st.sampled_from(tuple(DOC_LENGTHS)))
        n = DOC_LENGTHS[doc]
        if kind == "add":
            layer = draw(st.sampled_from(("alice", "bob")))
            i = 2 * draw(st.integers(0, n // 2 - 1)) + parity
            out.append(("add", layer, doc, draw(st.sampled_from(TAGS)), str(i), who))
        elif kind == "status":
            status = draw(st.sampled_from(list(Status))).value
            if shared:  # alice's progress on the first two releases: often both set it
                out.append(("status", "alice", draw(st.sampled_from(("d1", "d2"))), status))
            else:
                out.append(("status", who, doc, status))
        elif kind == "review" and doc in mine:  # each side reviews its own releases
            out.append(("review", "", doc, draw(st.sampled_from(list(ReviewStatus))).value))
        elif kind == "fix":
            i = 2 * draw(st.integers(0, n // 2 - 1)) + (
                draw(st.integers(0, 1)) if shared else parity
            )
            out.append(("fix", "", doc, str(i), draw(st.sampled_from(("W", "v", "ŵ", "𝐰")))))
        elif kind == "append" and doc in mine:
            # after everything the other side may touch: moves nothing of theirs
            end = len(base_project().documents[doc].text) + appended.get(doc, 0)
            tail = draw(st.sampled_from((" (updated)", " 😀", "\nEnds.")))
            appended[doc] = appended.get(doc, 0) + len(tail)
            out.append(("append", "", doc, str(end), tail))
        elif kind == "unlink" and links:
            ref = draw(st.sampled_from(links))
            layer, doc, link_id = ref.split("/")
            links.remove(ref)
            out.append(("unlink", layer, doc, link_id))
        elif kind == "link":
            # from or to one of the touchable annotations (shared: to any beside it),
            # of a type the base tags allow (a retag since may make the tag set refuse it)
            pairs = [
                (src, tgt, kind)
                for src, tgt, kind in LINKABLE
                if (src in alive or (shared and tgt in alive)) and (shared or tgt in alive)
            ]
            if pairs:
                src, tgt, link_type = draw(st.sampled_from(pairs))
                layer, doc, _ = src.split("/")
                out.append(("link", layer, doc, link_type, src.split("/")[2], tgt.split("/")[2]))
        elif kind in ("delete", "retag", "resize", "note", "comment") and alive:
            ref = draw(st.sampled_from(alive))
            layer, doc, ann_id = ref.split("/")
            n = DOC_LENGTHS[doc]
            if kind == "delete":
                alive.remove(ref)
                out.append(("delete", layer, doc, ann_id))
            elif kind == "retag":
                out.append(("retag", layer, doc, ann_id, draw(st.sampled_from(TAGS))))
            elif kind == "resize":
                i = 2 * draw(st.integers(0, n // 2 - 2)) + parity
                out.append(("resize", layer, doc, ann_id, str(i)))
            elif kind == "note":
                out.append(("note", layer, doc, ann_id, draw(st.sampled_from(("x", "y 😀")))))
            else:
                out.append(("comment", layer, doc, ann_id, f"from {who}", who))
    return out


def edited(p: Project, sequence: list[Edit]) -> tuple[Project, list[Edit]]:
    """A copy of ``p`` with the edits applied, and the edits that applied (a link the
    tag set refuses, or an edit of what an earlier edit removed, is left out)."""
    out = copy.deepcopy(p)
    history = History(out)
    done: list[Edit] = []
    for edit in sequence:
        try:
            history.push(command(edit))
        except AnnotatorError:
            continue
        done.append(edit)
    return out, done


def _link_end(p: Project, layer: str, doc: str, ann_id: str) -> object:
    ann = p.layers[layer].docs[doc].annotations[ann_id]
    return (ann.tag, ann.fragments)


def content(p: Project, *, fold: bool = True) -> Counter[tuple[object, ...]]:
    """Everything the project says, by what it says, not by ids or clock times.

    Annotations by layer, release, tag, span, attributes, note, who made them
    and their comments; links by type and their ends' tag and span; releases by
    text, metadata, statuses and review status. With ``fold`` the ``~theirs``
    records count under the name they record. Not the flag a text correction
    leaves on the annotations whose words it touched: whether it is still set
    depends on the order of the edits (a resize after the correction, a check
    before it), which a merge of two histories cannot know.
    """
    out: Counter[tuple[object, ...]] = Counter()

    def name(s: str) -> str:
        return s.removesuffix(THEIRS_SUFFIX) if fold else s

    for doc in p.documents.values():
        extra = tuple(sorted(doc.meta.extra.items()))
        status = tuple(sorted(doc.status.items()))
        out[("doc", name(doc.id), doc.text, status, str(doc.review_status), extra)] += 1
    for layer in p.layers.values():
        for doc_id, da in layer.docs.items():
            for ann in da.annotations.values():
                out[
                    (
                        "ann",
                        name(layer.name),
                        name(doc_id),
                        ann.tag,
                        ann.fragments,
                        tuple(sorted(ann.attributes.items())),
                        ann.note,
                        ann.created_by,
                        tuple(sorted((c.author, c.text) for c in ann.comments)),
                    )
                ] += 1
            for link in da.links.values():
                ends = tuple(
                    _link_end(p, layer.name, doc_id, e) for e in (link.source, link.target)
                )
                out[("link", name(layer.name), name(doc_id), link.type, *ends)] += 1
    return out
