"""Bringing a colleague's project file into mine, layer by layer, without losing anything.

Documents are matched by id and text hash (then by hash alone). A document
whose text differs from mine under the same id is *reported and left alone*;
with ``reanchor=True`` its annotations are placed on my text by their covered
text — a unique exact occurrence, else the position difflib's alignment of the
two texts gives if the text there is still similar — and the rest are listed as
unplaced. Documents only they have are added.

Each of their layers is merged into mine of the same name (created if
missing) annotation by annotation: one with the same id and content, or the
same tag, fragments and attributes under any id, is the same annotation (their
new comments are added to it); otherwise it is added, under a fresh id if its
id is taken. Links follow their ends. So merging the same file twice changes
nothing the second time.

Tag sets first (:mod:`annotator.model.tagset_merge`): the tag-set changes in
their file's log that ours lacks are replayed on our annotations (or, with
``replay_changes=False``, rejected and marked so in our log), ours that theirs
lacks are made on their annotations as they come in, and then the two tag sets
are merged: what they added compatibly is added, what conflicts is reported
with a proposed mapping and ours is kept.

The whole merge is one undoable :class:`MergeProjects` command.
"""

from __future__ import annotations

import difflib
from bisect import bisect_right
from dataclasses import dataclass, field

from annotator.errors import ModelError
from annotator.model import (
    Annotation,
    Change,
    Command,
    Document,
    Fragment,
    Layer,
    Link,
    Project,
    Status,
    TagSet,
)
from annotator.model.tagset_merge import Replay, merge_tagsets, missing_changes, replay, undo_replay
from annotator.wording import count

AnnRef = tuple[str, str, str]  # (layer, document id, annotation id)


@dataclass
class MergeReport:
    documents_added: list[str] = field(default_factory=list)
    documents_matched: list[tuple[str, str]] = field(default_factory=list)  # (theirs, mine)
    documents_differing: list[str] = field(default_factory=list)  # same id, other text
    layers_added: list[str] = field(default_factory=list)
    annotations_added: int = 0
    annotations_identical: int = 0
    links_added: int = 0
    comments_added: int = 0
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (layer, theirs, new)
    reanchored: list[AnnRef] = field(default_factory=list)
    unplaced: list[tuple[str, str, str, str]] = field(default_factory=list)  # + covered text
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    #: what became of the tag sets: changes replayed or rejected, items added, conflicts
    tagset_lines: list[str] = field(default_factory=list)
    tagset_changed: bool = False

    @property
    def changed(self) -> bool:
        return bool(
            self.tagset_changed
            or self.documents_added
            or self.layers_added
            or self.annotations_added
            or self.links_added
            or self.comments_added
        )

    def summary(self) -> list[str]:
        """Plain sentences for the CLI and the GUI's report dialog."""
        lines = [
            f"{count(len(self.documents_added), 'document')} added, "
            f"{len(self.documents_matched)} matched, "
            f"{count(self.annotations_added, 'annotation')} added, "
            f"{self.annotations_identical} already present, "
            f"{count(self.links_added, 'link')} and {count(self.comments_added, 'comment')} added."
        ]
        if self.layers_added:
            lines.append("New layers: " + ", ".join(self.layers_added) + ".")
        for layer, old, new in self.renamed:
            lines.append(f"Layer {layer}: their annotation {old} was renamed {new} (id taken).")
        for doc_id in self.documents_differing:
            lines.append(
                f"Document {doc_id} has a different text in their file; "
                + (
                    "annotations were re-anchored by their covered text."
                    if self.reanchored or self.unplaced
                    else "its annotations were not merged (use re-anchoring)."
                )
            )
        if self.reanchored:
            lines.append(f"{count(len(self.reanchored), 'annotation')} re-anchored.")
        for layer, doc_id, ann_id, text in self.unplaced:
            lines.append(f"Unplaced: {layer} {ann_id} on {doc_id} ({text!r}).")
        lines.extend(self.tagset_lines)
        for what, why in self.skipped:
            lines.append(f"Skipped {what}: {why}")
        return lines


def _content(ann: Annotation, fragments: tuple[Fragment, ...] | None = None) -> tuple[object, ...]:
    return (ann.tag, fragments or ann.fragments, tuple(sorted(ann.attributes.items())))


class _Aligner:
    """Maps offsets of an old text onto a new one through difflib's alignment."""

    def __init__(self, old: str, new: str) -> None:
        self.old = old
        self.new = new
        ops = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
        self.ops = ops
        self.starts = [op[1] for op in ops]

    def map(self, pos: int) -> int:
        k = max(0, bisect_right(self.starts, pos) - 1)
        tag, i1, i2, j1, j2 = self.ops[k]
        if tag == "equal":
            return j1 + (pos - i1)
        if i2 == i1:
            return j1
        return j1 + round((pos - i1) * (j2 - j1) / (i2 - i1))

    def place(self, start: int, end: int) -> tuple[int, int] | None:
        piece = self.old[start:end]
        hits: list[int] = []
        at = self.new.find(piece)
        while at != -1 and len(hits) < 50:
            hits.append(at)
            at = self.new.find(piece, at + 1)
        if len(hits) == 1:
            return hits[0], hits[0] + len(piece)
        mapped = self.map(start)
        if hits:
            return (mapped, mapped + len(piece)) if mapped in hits else None
        new_end = max(mapped + 1, self.map(end))
        candidate = self.new[mapped:new_end]
        if difflib.SequenceMatcher(None, piece, candidate).ratio() >= 0.8:
            return mapped, new_end
        return None


def reanchor_fragments(
    aligner: _Aligner, fragments: tuple[Fragment, ...]
) -> tuple[Fragment, ...] | None:
    """The fragments placed on the new text, or None if any piece cannot be placed."""
    out = []
    for f in fragments:
        placed = aligner.place(f.start, f.end)
        if placed is None or placed[0] >= placed[1]:
            return None
        out.append(Fragment(*placed))
    return tuple(sorted(out))


class MergeProjects(Command):
    """Add ``theirs`` into the project this command is done on (see module doc)."""

    text = "Merge colleague's annotations"

    def __init__(
        self,
        theirs: Project,
        *,
        reanchor: bool = False,
        replay_changes: bool = True,
        author: str = "",
    ) -> None:
        self.theirs = theirs
        self.reanchor = reanchor
        #: replay their tag-set changes on ours (False: reject them, marked by ``author``)
        self.replay_changes = replay_changes
        self.author = author
        self.report = MergeReport()
        self._undo: list[tuple[str, tuple[object, ...]]] = []
        self._replayed = Replay()
        self._tagset_before: TagSet | None = None

    # --- do -----------------------------------------------------------------------

    def do(self, project: Project) -> None:
        self.report = MergeReport()
        self._undo = []
        self._counters = {name: lay.counter for name, lay in project.layers.items()}
        try:
            self._merge_tagsets(project)
            self._merge(project)
        except Exception:
            self._revert(project)
            raise
        finally:
            for layer in project.layers.values():
                layer.forget_index()  # the merge changed layers by hand
        project.notify(Change())

    def _merge_tagsets(self, mine: Project) -> None:
        """Replay each side's tag-set changes on the other, then merge the tag sets."""
        rep = self.report
        ours_only, theirs_only = missing_changes(mine, self.theirs)
        # ours on their annotations first: they come in as if made after our changes
        replay(self.theirs, ours_only)  # their copy is read, never saved
        self._replayed = replay(
            mine,
            theirs_only,
            accept=lambda _entry: self.replay_changes,
            rejected_by=self.author,
        )
        rep.tagset_lines.extend(self._replayed.lines())
        merged = merge_tagsets(mine.tagset, self.theirs.tagset)
        rep.tagset_lines.extend(merged.summary())
        if merged.tagset != mine.tagset:
            self._tagset_before = mine.tagset
            mine.tagset = merged.tagset
        rep.tagset_changed = bool(
            self._replayed.applied or self._replayed.rejected or self._tagset_before
        )

    def _merge(self, mine: Project) -> None:
        rep = self.report
        by_hash: dict[str, str] = {}
        for doc in mine.documents.values():
            by_hash.setdefault(doc.sha256, doc.id)
        doc_map: dict[str, str] = {}
        aligners: dict[str, _Aligner] = {}
        for tdoc in self.theirs.documents.values():
            mdoc = mine.documents.get(tdoc.id)
            sha = tdoc.sha256
            if mdoc is not None and mdoc.sha256 == sha:
                target = mdoc.id
            elif sha in by_hash:
                target = by_hash[sha]
            elif mdoc is not None:
                rep.documents_differing.append(tdoc.id)
                if self.reanchor:
                    doc_map[tdoc.id] = mdoc.id
                    aligners[tdoc.id] = _Aligner(tdoc.text, mdoc.text)
                continue
            else:
                mine.add_document(
                    Document(
                        id=tdoc.id,
                        text=tdoc.text,
                        meta=tdoc.meta.copy(),
                        status=dict(tdoc.status),
                        review_status=tdoc.review_status,
                    )
                )
                self._undo.append(("doc", (tdoc.id,)))
                rep.documents_added.append(tdoc.id)
                doc_map[tdoc.id] = tdoc.id
                continue
            doc_map[tdoc.id] = target
            rep.documents_matched.append((tdoc.id, target))
            mstatus = mine.documents[target].status
            for who, st in tdoc.status.items():
                if who not in mstatus and st is not Status.NOT_STARTED:
                    mstatus[who] = st
                    self._undo.append(("status", (target, who)))
        for tlayer in self.theirs.layers.values():
            self._merge_layer(mine, tlayer, doc_map, aligners)

    def _merge_layer(
        self, mine: Project, tlayer: Layer, doc_map: dict[str, str], aligners: dict[str, _Aligner]
    ) -> None:
        rep = self.report
        name = tlayer.name
        if name not in mine.layers:
            if not any(tlayer.docs.values()):
                return
            mine.ensure_layer(name, tlayer.kind)
            self._undo.append(("layer", (name,)))
            rep.layers_added.append(name)
        mlayer = mine.layers[name]
        taken = {i for da in mlayer.docs.values() for i in (*da.annotations, *da.links)}

        def fresh(prefix: str) -> str:
            while True:
                mlayer.counter += 1
                cand = f"{prefix}{mlayer.counter}"
                if cand not in taken:
                    taken.add(cand)
                    return cand

        for tdoc_id, tda in tlayer.docs.items():
            if not tda:
                continue
            target = doc_map.get(tdoc_id)
            if target is None:
                if tdoc_id in rep.documents_differing:
                    n = len(tda.annotations)
                    rep.skipped.append(
                        (
                            f"{count(n, 'annotation')} of {name} on {tdoc_id}",
                            "the document's text differs",
                        )
                    )
                continue
            created_record = target not in mlayer.docs
            mda = mlayer.doc(target)
            if created_record:
                self._undo.append(("record", (name, target)))
            index = {_content(a): a.id for a in mda.annotations.values()}
            aligner = aligners.get(tdoc_id)
            idmap: dict[str, str] = {}
            for tann in tda.sorted_annotations():
                frags = tann.fragments
                if aligner is not None:
                    placed = reanchor_fragments(aligner, frags)
                    if placed is None:
                        text = tann.covered_text(self.theirs.documents[tdoc_id].text)
                        rep.unplaced.append((name, target, tann.id, text))
                        continue
                    frags = placed
                key = _content(tann, frags)
                same = mda.annotations.get(tann.id)
                if same is not None and _content(same) == key:
                    existing_id: str | None = same.id
                else:
                    existing_id = index.get(key)
                if existing_id is not None:
                    idmap[tann.id] = existing_id
                    rep.annotations_identical += 1
                    self._merge_comments(name, target, mda.annotations[existing_id], tann, mine)
                    continue
                new = tann.copy()
                new.fragments = frags
                if tann.id in taken:
                    new.id = fresh("a")
                    rep.renamed.append((name, tann.id, new.id))
                else:
                    taken.add(tann.id)
                try:
                    mine.check_annotation(target, new)
                except ModelError as err:
                    rep.skipped.append((f"{name} {tann.id} on {target}", str(err)))
                    continue
                mda.annotations[new.id] = new
                index[key] = new.id
                idmap[tann.id] = new.id
                self._undo.append(("ann", (name, target, new.id)))
                rep.annotations_added += 1
                if aligner is not None:
                    rep.reanchored.append((name, target, new.id))
            existing_links = {(lk.type, lk.source, lk.target) for lk in mda.links.values()}
            for tlink in tda.links.values():
                s, t = idmap.get(tlink.source), idmap.get(tlink.target)
                if s is None or t is None or (tlink.type, s, t) in existing_links:
                    continue
                lid = tlink.id
                if lid in taken:
                    lid = fresh("r")
                else:
                    taken.add(lid)
                link = Link(lid, tlink.type, s, t, dict(tlink.attributes), tlink.note)
                try:
                    mine.check_link(name, target, link)
                except ModelError as err:
                    rep.skipped.append((f"link {tlink.id} of {name} on {target}", str(err)))
                    continue
                mda.links[lid] = link
                existing_links.add((tlink.type, s, t))
                self._undo.append(("link", (name, target, lid)))
                rep.links_added += 1
            if created_record and not mda:
                # nothing landed here: leave no empty record behind (it is the last undo entry)
                del mlayer.docs[target]
                assert self._undo[-1] == ("record", (name, target))
                self._undo.pop()

    def _merge_comments(
        self, layer: str, doc_id: str, mann: Annotation, tann: Annotation, mine: Project
    ) -> None:
        have = {(c.author, c.at, c.text) for c in mann.comments}
        extra = [c for c in tann.comments if (c.author, c.at, c.text) not in have]
        if not extra:
            return
        new = mann.copy()
        new.comments.extend(extra)
        mine.layers[layer].docs[doc_id].annotations[mann.id] = new
        self._undo.append(("comments", (layer, doc_id, mann)))
        self.report.comments_added += len(extra)

    # --- undo ---------------------------------------------------------------------------

    def undo(self, project: Project) -> None:
        self._revert(project)
        project.notify(Change())

    def _revert(self, mine: Project) -> None:
        for kind, args in reversed(self._undo):
            if kind == "doc":
                del mine.documents[str(args[0])]
                for layer in mine.layers.values():
                    layer.docs.pop(str(args[0]), None)
            elif kind == "status":
                del mine.documents[str(args[0])].status[str(args[1])]
            elif kind == "layer":
                del mine.layers[str(args[0])]
            elif kind == "ann":
                del mine.layers[str(args[0])].docs[str(args[1])].annotations[str(args[2])]
            elif kind == "link":
                del mine.layers[str(args[0])].docs[str(args[1])].links[str(args[2])]
            elif kind == "record":
                rec_layer = mine.layers.get(str(args[0]))
                if rec_layer is not None and not rec_layer.docs.get(str(args[1]), True):
                    del rec_layer.docs[str(args[1])]
            elif kind == "comments":
                ann = args[2]
                assert isinstance(ann, Annotation)
                mine.layers[str(args[0])].docs[str(args[1])].annotations[ann.id] = ann
        for name, counter in self._counters.items():
            if name in mine.layers:
                mine.layers[name].counter = counter
        for layer in mine.layers.values():
            layer.forget_index()
        self._undo = []
        if self._tagset_before is not None:
            mine.tagset = self._tagset_before
            self._tagset_before = None
        undo_replay(mine, self._replayed)
        self._replayed = Replay()


def merge_projects(
    mine: Project,
    theirs: Project,
    *,
    reanchor: bool = False,
    replay_changes: bool = True,
    author: str = "",
) -> MergeReport:
    """Merge ``theirs`` into ``mine`` in place (not undoable; the GUI uses MergeProjects)."""
    cmd = MergeProjects(theirs, reanchor=reanchor, replay_changes=replay_changes, author=author)
    cmd.do(mine)
    return cmd.report


__all__ = ["MergeProjects", "MergeReport", "merge_projects", "reanchor_fragments"]
