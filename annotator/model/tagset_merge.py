"""Merging two tag sets, and the changes their logs hold: the rules ``annotator merge``
and the git merge driver share.

Two files of one project may have tag sets that differ: a colleague added a
tag, renamed a value, or a hand-edited file went its own way. Two steps bring
them together.

1. **The logs.** Each side's tag-set log says which changes made its tag set
   (:mod:`annotator.model.tagset_log`). A change only one side has is
   *replayed* on the other (:func:`replay`): their rename of a tag renames our
   annotations too, exactly as it did theirs, and the entry joins our log. A
   change that cannot be made here (it names a tag we removed, it would take
   what our annotations use) is *rejected*: said, and kept in the log marked
   rejected, so it is not offered again; the tag-set merge below then meets
   what is left of it.

2. **The tag sets** (:func:`merge_tagsets`), item by item (tags, attributes,
   values, link types):

   * identical definitions merge;
   * compatible ones are combined: a tag, attribute, value or link type only
     one side has is added; a list of values, sources or targets that one side
     only extended takes the longer one;
   * conflicting ones are **reported with a proposed mapping and never
     resolved silently**: the same attribute with value lists that each hold
     values the other lacks (proposed: map each of theirs onto the nearest of
     ours, or add it), one value against several, a closed list against free
     text, a tag or link type whose looks or definition differ. Ours stays in
     place; their annotations that our definition does not take are then
     reported by the merge that meets them, never dropped unsaid.

   Given the common ancestor (``base``, as the git merge driver has it), a side
   that left an item as the base had it takes the other side's version, so a
   change made on one side only is no conflict. An item one side removed is
   kept (the other side's annotations may use it) and reported.

Plain Python, no Qt.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from annotator.errors import AnnotatorError
from annotator.model.project import Project
from annotator.model.tagset import AttributeDef, LinkType, TagSet, TagType
from annotator.model.tagset_change import TagSetCommand, command_for
from annotator.model.tagset_log import TagSetLogEntry, canonical, log_differences

_T = TypeVar("_T", TagType, AttributeDef, LinkType)


@dataclass(frozen=True)
class TagSetConflict:
    """One item the two tag sets define differently, and what we propose."""

    where: str  # "victim.harm", "tag victim", "link type addressee"
    ours: str
    theirs: str
    #: the proposal in words ("map their 'hurt' to our 'injured'; add 'beaten'")
    proposal: str
    #: the proposal as data: their name -> our name ("" means: add theirs)
    mapping: tuple[tuple[str, str], ...] = ()

    def reason(self) -> str:
        return f"ours {self.ours}, theirs {self.theirs}; kept ours; proposed: {self.proposal}"

    def sentence(self) -> str:
        return f"{self.where}: {self.reason()}"


@dataclass
class TagSetMerge:
    """The merged tag set, what came from theirs, and what could not be merged."""

    tagset: TagSet
    added: list[str] = field(default_factory=list)
    conflicts: list[TagSetConflict] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts

    def summary(self) -> list[str]:
        lines = []
        if self.added:
            lines.append("Tag set: added from theirs: " + ", ".join(self.added) + ".")
        lines.extend(f"Tag set conflict: {c.sentence()}." for c in self.conflicts)
        return lines


def _same(a: object, b: object) -> bool:
    """Equal as a file would hold them (a value's missing label is the value)."""
    if isinstance(a, TagType | AttributeDef | TagSet) and isinstance(b, type(a)):
        return canonical(a) == canonical(b)
    return a == b


def _pick(base: _T | None, ours: _T, theirs: _T) -> _T | None:
    """The one side's version where the other left it as the base had it; else None."""
    if _same(ours, theirs):
        return ours
    if base is not None:
        if _same(ours, base):
            return theirs
        if _same(theirs, base):
            return ours
    return None


def _extended(ours: Sequence[str], theirs: Sequence[str]) -> tuple[str, ...] | None:
    """The longer list if one only adds to the other (ours' order first), else None."""
    if set(ours) <= set(theirs):
        return (*ours, *(v for v in theirs if v not in ours))
    if set(theirs) <= set(ours):
        return tuple(ours)
    return None


def _nearest(name: str, candidates: Iterable[str]) -> str:
    found = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return found[0] if found else ""


class _Merger:
    def __init__(self, base: TagSet | None) -> None:
        self.base = base
        self.added: list[str] = []
        self.conflicts: list[TagSetConflict] = []

    def conflict(
        self,
        where: str,
        ours: str,
        theirs: str,
        proposal: str,
        mapping: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.conflicts.append(TagSetConflict(where, ours, theirs, proposal, mapping))

    # --- items present on both sides ------------------------------------------------

    def attribute(
        self, tag: str, base: AttributeDef | None, ours: AttributeDef, theirs: AttributeDef
    ) -> AttributeDef:
        picked = _pick(base, ours, theirs)
        if picked is not None:
            return picked
        where = f"{tag}.{ours.name}"
        if ours.closed != theirs.closed:
            closed, free = ("ours", "theirs") if ours.closed else ("theirs", "ours")
            self.conflict(
                where,
                "a closed list" if ours.closed else "free text",
                "a closed list" if theirs.closed else "free text",
                f"keep {closed} list and map each free-text value of {free} onto it",
            )
            return ours
        merged = ours
        if ours.multiple != theirs.multiple:
            self.conflict(
                where,
                "several values" if ours.multiple else "one value",
                "several values" if theirs.multiple else "one value",
                "let it take several values (no annotation loses one)",
            )
        values = _extended(ours.values, theirs.values)
        if values is None:
            mine_only = [v for v in ours.values if v not in theirs.values]
            mapping = tuple(
                (v, _nearest(v, mine_only)) for v in theirs.values if v not in ours.values
            )
            words = "; ".join(
                f"map their {v!r} to our {to!r}" if to else f"add {v!r}" for v, to in mapping
            )
            self.conflict(
                where,
                "has " + ", ".join(mine_only),
                "has " + ", ".join(v for v, _to in mapping),
                words,
                mapping,
            )
        elif values != ours.values:
            labels = dict(zip(theirs.values, _labels(theirs), strict=True))
            labels.update(zip(ours.values, _labels(ours), strict=True))
            merged = replace(ours, values=values, value_labels=tuple(labels[v] for v in values))
            self.added.extend(f"value {v!r} of {where}" for v in values if v not in ours.values)
        differ = [k for k in ("label", "definition") if getattr(ours, k) != getattr(theirs, k)]
        mine, other = (
            dict(zip(ours.values, _labels(ours), strict=True)),
            dict(zip(theirs.values, _labels(theirs), strict=True)),
        )
        if any(other[v] != label for v, label in mine.items() if v in other):
            differ.append("value labels")
        if differ:
            self._looks(where, differ)
        return merged

    def _looks(self, where: str, fields: list[str]) -> None:
        self.conflict(where, f"its own {', '.join(fields)}", "another", "keep ours")

    def tag(self, base: TagType | None, ours: TagType, theirs: TagType) -> TagType:
        picked = _pick(base, ours, theirs)
        if picked is not None:
            return picked
        differ = [
            k
            for k in ("label", "color", "shortcut", "definition", "examples")
            if getattr(ours, k) != getattr(theirs, k)
        ]
        if differ:
            self._looks(f"tag {ours.name}", differ)
        base_attrs = {a.name: a for a in base.attributes} if base is not None else {}
        theirs_attrs = {a.name: a for a in theirs.attributes}
        attrs: list[AttributeDef] = []
        for a in ours.attributes:
            other = theirs_attrs.get(a.name)
            if other is None:
                attrs.append(a)
                if a.name in base_attrs:
                    self.conflict(
                        f"{ours.name}.{a.name}", "has it", "removed it", "keep it (ours may use it)"
                    )
                continue
            attrs.append(self.attribute(ours.name, base_attrs.get(a.name), a, other))
        for a in theirs.attributes:
            if all(a.name != x.name for x in ours.attributes):
                attrs.append(a)
                self.added.append(f"attribute {ours.name}.{a.name}")
        return replace(ours, attributes=tuple(attrs))

    def link(self, base: LinkType | None, ours: LinkType, theirs: LinkType) -> LinkType:
        picked = _pick(base, ours, theirs)
        if picked is not None:
            return picked
        merged = ours
        where = f"link type {ours.name}"
        for end in ("sources", "targets"):
            mine, other = getattr(ours, end), getattr(theirs, end)
            wider = _extended(mine, other)
            if wider is None:
                self.conflict(
                    where,
                    f"{end} " + ", ".join(mine),
                    f"{end} " + ", ".join(other),
                    f"allow {', '.join(dict.fromkeys((*mine, *other)))}",
                )
            elif wider != mine:
                if end == "sources":
                    merged = replace(merged, sources=wider)
                else:
                    merged = replace(merged, targets=wider)
                self.added.append(
                    f"{end} {', '.join(v for v in wider if v not in mine)} of {where}"
                )
        differ = [k for k in ("label", "definition") if getattr(ours, k) != getattr(theirs, k)]
        if differ:
            self._looks(where, differ)
        return merged

    # --- the whole -------------------------------------------------------------------

    def merge(self, ours: TagSet, theirs: TagSet) -> TagSet:
        base = self.base
        base_tags = {t.name: t for t in base.tags} if base is not None else {}
        their_tags = {t.name: t for t in theirs.tags}
        tags = [
            self.tag(base_tags.get(t.name), t, their_tags[t.name])
            if t.name in their_tags
            else self._only_ours(t.name, t, base_tags)
            for t in ours.tags
        ]
        new_tags = [t for t in theirs.tags if not ours.has_tag(t.name)]
        self._renames(ours, theirs, new_tags)
        for t in new_tags:
            tags.append(t)
            self.added.append(f"tag {t.name!r}")
        names = {t.name for t in tags}
        base_links = {lt.name: lt for lt in base.links} if base is not None else {}
        their_links = {lt.name: lt for lt in theirs.links}
        links = [
            self.link(base_links.get(lt.name), lt, their_links[lt.name])
            if lt.name in their_links
            else self._only_ours(f"link type {lt.name}", lt, base_links)
            for lt in ours.links
        ]
        for lt in theirs.links:
            new = all(lt.name != x.name for x in ours.links)
            if new and set(lt.sources) | set(lt.targets) <= names:
                links.append(lt)
                self.added.append(f"link type {lt.name!r}")
        return replace(ours, tags=tuple(tags), links=tuple(links))

    def _only_ours(self, where: str, item: _T, base: dict[str, _T]) -> _T:
        name = item.name
        if name in base:
            self.conflict(where, "has it", "removed it", "keep it (ours may use it)")
        return item

    def _renames(self, ours: TagSet, theirs: TagSet, new_tags: list[TagType]) -> None:
        """A tag only they have that is one only we have under another name: say so."""
        mine_only = [t for t in ours.tags if not theirs.has_tag(t.name)]
        for t in new_tags:
            for m in mine_only:
                if _same(replace(m, name=t.name), t):
                    self.conflict(
                        f"tag {t.name}",
                        f"call it {m.name!r}",
                        f"call it {t.name!r}",
                        f"the same tag under two names: map their {t.name!r} to our {m.name!r}",
                        ((t.name, m.name),),
                    )


def _labels(a: AttributeDef) -> tuple[str, ...]:
    return a.value_labels if len(a.value_labels) == len(a.values) else a.values


def merge_tagsets(ours: TagSet, theirs: TagSet, base: TagSet | None = None) -> TagSetMerge:
    """Our tag set with what theirs adds compatibly, and every conflict (see module doc).

    ``base`` is the common ancestor when there is one (the three-way merge).
    """
    merger = _Merger(base)
    merged = merger.merge(ours, theirs)
    return TagSetMerge(merged, merger.added, merger.conflicts)


# --- the logs ---------------------------------------------------------------------------


@dataclass
class Replay:
    """What replaying the other side's changes did: each applied command (for undo)
    and its summary, and each rejected change with why."""

    applied: list[TagSetCommand] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)
    rejected: list[tuple[TagSetLogEntry, str]] = field(default_factory=list)

    def lines(self, whose: str = "their") -> list[str]:
        out = [f"Replayed {whose} tag-set change: {s}." for s in self.summaries]
        out += [
            f"Rejected {whose} tag-set change by {e.author or 'someone'} at {e.at} "
            f"({e.what}): {why}"
            for e, why in self.rejected
        ]
        return out


def replay(
    project: Project,
    entries: Iterable[TagSetLogEntry],
    *,
    accept: Callable[[TagSetLogEntry], bool] = lambda e: True,
    rejected_by: str = "",
) -> Replay:
    """Make the changes ``entries`` describe on ``project``, oldest first.

    An entry ``accept`` turns down, or one that cannot be made here (refused,
    unknown, naming what is gone), is rejected: it joins the log marked
    ``rejected_by`` (``"merge"`` if empty), so it is not offered again, and
    changes nothing else. Entries already rejected elsewhere are not replayed.
    """
    done = Replay()
    for entry in entries:
        if entry.rejected:
            continue
        why = "" if accept(entry) else "rejected"
        if not why:
            try:
                cmd = command_for(entry)
                cmd.do(project)
            except AnnotatorError as err:
                why = str(err)
            else:
                done.applied.append(cmd)
                done.summaries.append(cmd.describe())
                continue
        done.rejected.append((entry, why))
        project.tagset_log = (
            *project.tagset_log,
            replace(entry, rejected=rejected_by or "merge"),
        )
    return done


def undo_replay(project: Project, done: Replay) -> None:
    """Take back what :func:`replay` did (the GUI's undo of a merge)."""
    rejected = {e.id for e, _ in done.rejected}
    project.tagset_log = tuple(e for e in project.tagset_log if e.id not in rejected)
    for cmd in reversed(done.applied):
        cmd.undo(project)


def missing_changes(
    ours: Project, theirs: Project
) -> tuple[list[TagSetLogEntry], list[TagSetLogEntry]]:
    """The tag-set changes only we have, and those only they have (each oldest first)."""
    return log_differences(ours.tagset_log, theirs.tagset_log)


@dataclass
class ProjectTagSets:
    """What the three-way merge of two projects' tag sets gives: the tag set and log
    the result takes, and one sentence per change rejected or item in conflict."""

    tagset: TagSet
    log: tuple[TagSetLogEntry, ...]
    merge: TagSetMerge
    replayed: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)


def merge_project_tagsets(base: Project, ours: Project, theirs: Project) -> ProjectTagSets:
    """The tag sets of a three-way merge, by the rules ``annotator merge`` uses.

    Each side's tag-set changes the other lacks are replayed on it **in place**
    (so ``ours`` and ``theirs`` are changed: their annotations follow, as the
    layers then merge), and on ``base`` too, so that an annotation both sides
    left alone reads the same in all three and is no conflict. Then the tag
    sets are merged item by item against the base's (:func:`merge_tagsets`).
    The log of the result is ours, then their changes we lacked, in order.
    """
    ours_only, theirs_only = missing_changes(ours, theirs)
    ours_done = replay(ours, theirs_only)
    theirs_done = replay(theirs, ours_only)
    known = {e.id for e in base.tagset_log}
    for entry in (*ours_only, *theirs_only):
        if entry.id not in known and not entry.rejected:
            try:
                command_for(entry).do(base)
            except AnnotatorError:
                continue  # the base only helps to see who changed what
    merged = merge_tagsets(ours.tagset, theirs.tagset, base.tagset)
    return ProjectTagSets(
        tagset=merged.tagset,
        log=ours.tagset_log,
        merge=merged,
        replayed=ours_done.summaries + theirs_done.summaries,
        rejected=ours_done.lines()[len(ours_done.summaries) :]
        + theirs_done.lines("our")[len(theirs_done.summaries) :],
    )


__all__ = [
    "ProjectTagSets",
    "Replay",
    "TagSetConflict",
    "TagSetMerge",
    "merge_project_tagsets",
    "merge_tagsets",
    "missing_changes",
    "replay",
    "undo_replay",
]
