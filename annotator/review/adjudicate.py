"""Settling the curated layer: accept, reject, bulk decisions, review status, comments.

Every decision is a core :class:`Command` (bulk decisions a :class:`Macro`), so it
can be undone and is saved like any edit. Decisions are recorded in the
annotations' ``provenance`` — the one free key/value record the project file
stores for every annotation — so no new file structure is needed:

* an **accepted** annotation is copied into the curated layer with
  ``provenance = {"decision": "accepted", "rule": ..., "by": reviewer,
  "at": UTC time, "sources": "alice:a3 bob:a7"}`` (every source annotation, as
  ``layer:id``, space separated);
* a **rejected** annotation keeps its place in its author's layer and gets
  ``review_decision = "rejected"``, ``review_by`` and ``review_at`` in its own
  provenance, so the author sees the verdict next to the reviewers' comments.

Later edits of a curated annotation use the ordinary commands (Resize, Retag,
SetAttribute); its ``modified_by``/``modified_at`` then show who changed it last,
and :func:`history` puts the story together for the inspector.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from urllib.parse import quote, unquote

from annotator.errors import UnknownAnnotation
from annotator.model import (
    CURATED_LAYER,
    AddComment,
    Annotation,
    Command,
    LayerKind,
    Link,
    Macro,
    Project,
    ReviewStatus,
    SetReviewStatus,
    touched,
    utc_now,
)
from annotator.review.compare import Comparison, Item, Kind

Ref = tuple[str, str]  # (layer, annotation id)

ACCEPTED = "accepted"
REJECTED = "rejected"


_SPACE_OR_PERCENT = re.compile(r"[\s%]")


def ref_text(refs: Iterable[Ref]) -> str:
    """``layer:id`` pairs, space separated. Layer names are people's names and may hold
    spaces: white space and ``%`` in them are percent-encoded, everything else is kept
    as written so the record stays readable (and older records read the same)."""
    return " ".join(
        f"{_SPACE_OR_PERCENT.sub(lambda m: quote(m.group(), safe=''), layer)}:{ann_id}"
        for layer, ann_id in refs
    )


def parse_refs(text: str) -> list[Ref]:
    """The pairs :func:`ref_text` wrote."""
    out: list[Ref] = []
    for part in text.split():
        layer, _, ann_id = part.rpartition(":")
        if layer:
            out.append((unquote(layer), ann_id))
    return out


class AcceptAnnotation(Command):
    """Copy a source annotation into the curated layer, recording where it came from.

    ``sources`` are every (layer, id) this decision settles; the first one gives
    tag, fragments, attributes and note. Links of the first source whose other
    end is already in the curated layer are copied too.
    """

    def __init__(
        self, doc_id: str, sources: Sequence[Ref], reviewer: str, rule: str = "accept"
    ) -> None:
        if not sources:
            raise UnknownAnnotation("nothing to accept")
        self.doc_id = doc_id
        self.sources = list(sources)
        self.reviewer = reviewer
        self.rule = rule
        self.at = utc_now()
        self.ann_id: str | None = None
        self.link_ids: dict[str, str] = {}  # source link id -> curated link id
        self._created_layer = False
        self.text = "Accept annotation"

    def do(self, project: Project) -> None:
        layer, src_id = self.sources[0]
        src_da = project.annotations(layer, self.doc_id)
        src = src_da.annotations.get(src_id)
        if src is None:
            raise UnknownAnnotation(f"layer {layer!r} has no annotation {src_id!r}")
        # the source's content and authorship; its review marks and comments stay behind
        ann = replace(
            src.copy(),
            id=self.ann_id or "",
            modified_by=self.reviewer,
            modified_at=self.at,
            needs_check=False,
            comments=[],
            provenance={
                "decision": ACCEPTED,
                "rule": self.rule,
                "by": self.reviewer,
                "at": self.at,
                "sources": ref_text(self.sources),
            },
        )
        project.check_annotation(self.doc_id, ann)  # before anything changes
        self._created_layer = CURATED_LAYER not in project.layers
        curated = project.ensure_layer(CURATED_LAYER, LayerKind.CURATED)
        da = curated.doc(self.doc_id)
        if self.ann_id is None:
            self.ann_id = curated.next_id("c")
        ann.id = self.ann_id
        da.annotations[ann.id] = ann
        curated.index_id(ann.id, self.doc_id)
        # links whose other end is already curated come along
        curated_of = {
            r: a.id
            for a in da.annotations.values()
            for r in parse_refs(a.provenance.get("sources", ""))
        }
        new_links = []
        for lk in src_da.links_of(src_id):
            other = lk.target if lk.source == src_id else lk.source
            other_c = curated_of.get((layer, other))
            if other_c is None or other_c == ann.id:
                continue
            if lk.id not in self.link_ids:
                self.link_ids[lk.id] = curated.next_id("r")
            lid = self.link_ids[lk.id]
            s, t = (ann.id, other_c) if lk.source == src_id else (other_c, ann.id)
            new_links.append(Link(lid, lk.type, s, t, dict(lk.attributes), lk.note))
        for link in new_links:
            da.links[link.id] = link
            curated.index_id(link.id, self.doc_id)
        project.notify(touched(project, self.doc_id, CURATED_LAYER, (ann,), new_links))

    def undo(self, project: Project) -> None:
        assert self.ann_id is not None
        da = project.annotations(CURATED_LAYER, self.doc_id)
        ann = da.annotations.pop(self.ann_id)
        links = da.links_of(self.ann_id)
        curated = project.layer(CURATED_LAYER)
        for lk in links:
            del da.links[lk.id]
            curated.unindex_id(lk.id)
        curated.unindex_id(self.ann_id)  # free again: an import may use it
        change = touched(project, self.doc_id, CURATED_LAYER, (ann,), links)
        if self._created_layer and not project.layers[CURATED_LAYER].annotation_count():
            del project.layers[CURATED_LAYER]
        project.notify(change)


class MarkRejected(Command):
    """Record in a source annotation's provenance that the reviewer rejected it."""

    def __init__(self, layer: str, doc_id: str, ann_id: str, reviewer: str) -> None:
        self.layer = layer
        self.doc_id = doc_id
        self.ann_id = ann_id
        self.reviewer = reviewer
        self.at = utc_now()
        self._before: dict[str, str] | None = None
        self.text = "Reject annotation"

    def do(self, project: Project) -> None:
        da = project.annotations(self.layer, self.doc_id)
        ann = da.annotations.get(self.ann_id)
        if ann is None:
            raise UnknownAnnotation(f"layer {self.layer!r} has no annotation {self.ann_id!r}")
        self._before = dict(ann.provenance)
        new = ann.copy()
        new.provenance.update(
            {"review_decision": REJECTED, "review_by": self.reviewer, "review_at": self.at}
        )
        da.annotations[self.ann_id] = new
        project.notify(touched(project, self.doc_id, self.layer, (ann, new)))

    def undo(self, project: Project) -> None:
        assert self._before is not None
        da = project.annotations(self.layer, self.doc_id)
        current = da.annotations[self.ann_id]
        ann = current.copy()
        ann.provenance = dict(self._before)
        da.annotations[self.ann_id] = ann
        project.notify(touched(project, self.doc_id, self.layer, (current, ann)))


# --- what has been decided -------------------------------------------------------


def decisions(project: Project, doc_id: str) -> dict[Ref, str]:
    """(layer, id) of source annotations on ``doc_id`` -> "accepted" / "rejected"."""
    out: dict[Ref, str] = {}
    for name, layer in project.layers.items():
        da = layer.docs.get(doc_id)
        if da is None:
            continue
        for ann in da.annotations.values():
            if name == CURATED_LAYER:
                for ref in parse_refs(ann.provenance.get("sources", "")):
                    out[ref] = ACCEPTED
            elif ann.provenance.get("review_decision") == REJECTED:
                out.setdefault((name, ann.id), REJECTED)
    return out


def item_decided(project: Project, item: Item, cache: dict[Ref, str] | None = None) -> bool:
    """True when every member of ``item`` is accepted or rejected."""
    known = cache if cache is not None else decisions(project, item.doc_id)
    return all(ref in known for ref in item.refs())


# --- decisions as commands ----------------------------------------------------------


def accept(project: Project, doc_id: str, layer: str, ann_id: str, reviewer: str) -> Command:
    """Accept one annotation as it is."""
    project.annotations(layer, doc_id)
    return AcceptAnnotation(doc_id, [(layer, ann_id)], reviewer, "accept")


def reject(project: Project, doc_id: str, layer: str, ann_id: str, reviewer: str) -> Command:
    project.annotations(layer, doc_id)
    return MarkRejected(layer, doc_id, ann_id, reviewer)


def accept_side(item: Item, layer: str, reviewer: str) -> Command:
    """Accept ``layer``'s member(s) of a disagreement; the other layers' are rejected."""
    if layer not in item.members:
        raise UnknownAnnotation(f"layer {layer!r} has nothing in this disagreement")
    cmds: list[Command] = [
        AcceptAnnotation(item.doc_id, [(layer, a.id)], reviewer, f"accept-{layer}")
        for a in item.members[layer]
    ]
    for other, anns in item.members.items():
        if other != layer:
            cmds.extend(MarkRejected(other, item.doc_id, a.id, reviewer) for a in anns)
    return Macro(f"Accept {layer}", cmds)


def accept_both(item: Item, reviewer: str) -> Command:
    """Accept every member; identical tag+fragments+attributes are accepted once."""
    groups: dict[tuple[object, ...], list[Ref]] = {}
    for layer, anns in item.members.items():
        for a in anns:
            key = (a.tag, a.fragments, tuple(sorted(a.attributes.items())))
            groups.setdefault(key, []).append((layer, a.id))
    cmds = [AcceptAnnotation(item.doc_id, refs, reviewer, "accept-all") for refs in groups.values()]
    return Macro("Accept all sides", cmds)


def reject_item(item: Item, reviewer: str) -> Command:
    cmds = [MarkRejected(layer, item.doc_id, a.id, reviewer) for layer, a in _members(item)]
    return Macro("Reject", cmds)


def _members(item: Item) -> list[tuple[str, Annotation]]:
    return [(layer, a) for layer, anns in item.members.items() for a in anns]


def accept_exact_matches(
    project: Project, comparison: Comparison, reviewer: str, doc_id: str | None = None
) -> Macro:
    """Accept, once each, every item on which all compared layers agree exactly."""
    cmds: list[Command] = []
    cache: dict[str, dict[Ref, str]] = {}
    for item in comparison.items:
        if item.kind is not Kind.EXACT or (doc_id is not None and item.doc_id != doc_id):
            continue
        known = cache.setdefault(item.doc_id, decisions(project, item.doc_id))
        if any(ref in known for ref in item.refs()):
            continue
        cmds.append(AcceptAnnotation(item.doc_id, item.refs(), reviewer, "exact-match"))
    return Macro("Accept all exact matches", cmds)


def accept_all_of(project: Project, layer: str, doc_id: str, reviewer: str) -> Macro:
    """Accept every annotation of ``layer`` on ``doc_id`` that is not decided yet."""
    known = decisions(project, doc_id)
    da = project.annotations(layer, doc_id)
    cmds: list[Command] = [
        AcceptAnnotation(doc_id, [(layer, a.id)], reviewer, f"all-of-{layer}")
        for a in da.sorted_annotations()
        if (layer, a.id) not in known
    ]
    return Macro(f"Accept all of {layer}", cmds)


def starting_review(project: Project, doc_id: str, command: Command) -> Command:
    """``command``, and — as part of the same undo step — the document marked "in review"
    if nobody had started reviewing it: the first decision starts the review."""
    return starting_reviews(project, [doc_id], command)


def starting_reviews(project: Project, doc_ids: Iterable[str], command: Command) -> Command:
    """As :func:`starting_review` for a bulk decision touching several documents."""
    starts: list[Command] = [
        SetReviewStatus(doc_id, ReviewStatus.IN_REVIEW)
        for doc_id in dict.fromkeys(doc_ids)
        if project.document(doc_id).review_status is ReviewStatus.NOT_REVIEWED
    ]
    if not starts:
        return command
    return Macro(command.text, [command, *starts])


def set_review_status(doc_id: str, status: ReviewStatus | str) -> Command:
    return SetReviewStatus(doc_id, ReviewStatus(status))


def comment(layer: str, doc_id: str, ann_id: str, text: str, reviewer: str) -> Command:
    return AddComment(layer, doc_id, ann_id, text, reviewer)


def history(project: Project, layer: str, ann: Annotation) -> list[str]:
    """Plain-language lines: where the annotation came from and what happened to it."""
    lines: list[str] = []
    prov = ann.provenance
    if prov.get("decision") == ACCEPTED:
        sources = ", ".join(f"{lay} ({aid})" for lay, aid in parse_refs(prov.get("sources", "")))
        lines.append(
            f"Accepted by {prov.get('by', '?')} at {prov.get('at', '?')} "
            f"from {sources or 'unknown'} (rule: {prov.get('rule', 'accept')})"
        )
    elif ann.created_by or ann.created_at:
        lines.append(f"Created by {ann.created_by or '?'} at {ann.created_at or '?'}")
    changes = _changes_since_source(project, ann) if prov.get("decision") == ACCEPTED else []
    if changes:
        lines.append(
            f"Last edited by {ann.modified_by or '?'} at {ann.modified_at or '?'}: "
            + "; ".join(changes)
        )
    elif ann.modified_at and ann.modified_at != (prov.get("at") or ann.created_at):
        lines.append(f"Last edited by {ann.modified_by or '?'} at {ann.modified_at}")
    if prov.get("review_decision") == REJECTED:
        lines.append(f"Rejected by {prov.get('review_by', '?')} at {prov.get('review_at', '?')}")
    for c in ann.comments:
        lines.append(f"Comment by {c.author} at {c.at}: {c.text}")
    for key in sorted(set(prov) - _KNOWN_KEYS):
        lines.append(f"{key}: {prov[key]}")
    return lines


def _changes_since_source(project: Project, ann: Annotation) -> list[str]:
    """How a curated annotation now differs from the annotation it was accepted from."""
    refs = parse_refs(ann.provenance.get("sources", ""))
    if not refs or refs[0][0] not in project.layers:
        return []
    try:
        _doc_id, src = project.layers[refs[0][0]].find(refs[0][1])
    except UnknownAnnotation:
        return []
    out = []
    if src.tag != ann.tag:
        out.append(f"tag {src.tag} → {ann.tag}")
    if src.fragments != ann.fragments:

        def spans(a: Annotation) -> str:
            return ", ".join(f"{f.start}–{f.end}" for f in a.fragments)

        out.append(f"span {spans(src)} → {spans(ann)}")
    if src.attributes != ann.attributes:
        out.append("attributes changed")
    return out


_KNOWN_KEYS = {
    "decision",
    "rule",
    "by",
    "at",
    "sources",
    "review_decision",
    "review_by",
    "review_at",
}


__all__ = [
    "ACCEPTED",
    "CURATED_LAYER",
    "REJECTED",
    "AcceptAnnotation",
    "MarkRejected",
    "accept",
    "accept_all_of",
    "accept_both",
    "accept_exact_matches",
    "accept_side",
    "comment",
    "decisions",
    "history",
    "item_decided",
    "parse_refs",
    "reject",
    "reject_item",
    "set_review_status",
    "starting_review",
    "starting_reviews",
]
