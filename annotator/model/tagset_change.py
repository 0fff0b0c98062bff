"""The base of tag-set changes: plan against every layer, refuse losses, swap, undo.

A :class:`~annotator.model.tagset.TagSet` is immutable, so every change builds
a new one and swaps it in; undo swaps the old one back. What the change means
for the annotations is worked out for every layer before anything is touched
(:meth:`TagSetCommand.plan`): renaming a tag or a value rewrites them, merging
two values maps one onto the other. A change that would take something away
from annotations in use (a tag, an attribute, a value) is refused with
:class:`~annotator.errors.TagSetChangeRefused`, naming how many annotations in
which layers would lose what, unless the command was given an explicit choice:
``map_to`` another tag or value, or ``delete``. A refused change leaves the
project untouched.

Rewritten annotations are changed copies put in their layer, as every other
command does (a save's snapshot keeps sharing the old ones), and keep their
own provenance: the change is the team's, recorded on the command with who
(``author``) and when (``at``), not an edit of each annotation by that person.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Final

from annotator.errors import (
    InvalidTagSetChange,
    TagSetChangeRefused,
)
from annotator.model.commands import Command, utc_now
from annotator.model.project import Annotation, Change, Link, Project
from annotator.model.tagset import AttributeDef, LinkType, TagSet, TagType

_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


class Delete:
    """The answer of :meth:`TagSetCommand.rewrite` for an annotation that goes."""


DELETE: Final = Delete()


@dataclass(slots=True)
class TagSetImpact:
    """What a tag-set change does to the annotations, counted per layer."""

    what: str
    #: annotations rewritten (renamed tag or value, merged values): nothing is lost
    rewritten: Counter[str] = field(default_factory=Counter)
    #: annotations that keep their place but lose a value or an attribute
    stripped: Counter[str] = field(default_factory=Counter)
    #: annotations removed with their tag
    deleted: Counter[str] = field(default_factory=Counter)
    #: links removed because an end went or no longer fits the link type
    links_removed: Counter[str] = field(default_factory=Counter)

    @property
    def loses(self) -> bool:
        """True if the change would take anything from the annotations."""
        return bool(self.stripped or self.deleted or self.links_removed)

    @property
    def moved(self) -> int:
        """How many annotations the change rewrites, strips or deletes."""
        return sum((self.rewritten + self.stripped + self.deleted).values())

    def losses(self) -> str:
        """``'3 annotations would lose it (dana: 2, curated: 1)'`` and the like."""
        parts = []
        for counts, verb in (
            (self.deleted, "be deleted"),
            (self.stripped, "lose it"),
            (self.links_removed, "be removed"),
        ):
            total = sum(counts.values())
            if total:
                noun = "link" if counts is self.links_removed else "annotation"
                parts.append(f"{_count(total, noun)} would {verb} ({_per_layer(counts)})")
        return "; ".join(parts)

    def summary(self) -> str:
        """One line for the CLI: what changed and how many annotations moved."""
        parts = [self.what]
        for counts, verb in (
            (self.rewritten, "rewritten"),
            (self.stripped, "lost it"),
            (self.deleted, "deleted"),
        ):
            total = sum(counts.values())
            if total:
                parts.append(f"{_count(total, 'annotation')} {verb} ({_per_layer(counts)})")
        links = sum(self.links_removed.values())
        if links:
            parts.append(f"{_count(links, 'link')} removed ({_per_layer(self.links_removed)})")
        if len(parts) == 1:
            parts.append("no annotation uses it")
        return ": ".join(parts[:2]) + "".join(f"; {p}" for p in parts[2:])


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _per_layer(counts: Counter[str]) -> str:
    return ", ".join(f"{layer}: {n}" for layer, n in sorted(counts.items()))


@dataclass(slots=True)
class _Plan:
    tagset: TagSet
    impact: TagSetImpact
    replaced: list[tuple[str, str, Annotation, Annotation]]
    deleted: list[tuple[str, str, Annotation]]
    links: list[tuple[str, str, Link]]


def tagset_problems(ts: TagSet) -> list[str]:
    """What is wrong with ``ts`` as a tag set to annotate with, one sentence each:
    names missing or taken, colours not ``#rrggbb``, shortcuts shared."""
    problems: list[str] = []
    seen: set[str] = set()
    keys: dict[str, str] = {}
    for tag in ts.tags:
        if not tag.name.strip():
            problems.append("a tag needs a name")
        if tag.name in seen:
            problems.append(f"the tag set already has a tag {tag.name!r}")
        seen.add(tag.name)
        if not _COLOUR.fullmatch(tag.color):
            problems.append(
                f"the colour of {tag.name!r} must be written #rrggbb, not {tag.color!r}"
            )
        if tag.shortcut:
            other = keys.get(tag.shortcut)
            if other is not None:
                problems.append(
                    f"the shortcut {tag.shortcut!r} of {tag.name!r} is already {other!r}'s"
                )
            keys[tag.shortcut] = tag.name
        names: set[str] = set()
        for attr in tag.attributes:
            if not attr.name.strip():
                problems.append(f"an attribute of {tag.name!r} needs a name")
            if attr.name in names:
                problems.append(f"{tag.name!r} already has an attribute {attr.name!r}")
            names.add(attr.name)
            if len(set(attr.values)) != len(attr.values):
                problems.append(f"{tag.name}.{attr.name} lists a value twice")
            if any(not v.strip() for v in attr.values):
                problems.append(f"a value of {tag.name}.{attr.name} needs a name")
    link_names = [lk.name for lk in ts.links]
    if len(set(link_names)) != len(link_names):
        problems.append("two link types have the same name")
    return problems


def check_change(before: TagSet, after: TagSet) -> None:
    """Raise InvalidTagSetChange for a problem ``after`` has that ``before`` had not
    (a tag set another tool wrote may already have some: they do not block changes)."""
    known = set(tagset_problems(before))
    for problem in tagset_problems(after):
        if problem not in known:
            raise InvalidTagSetChange(problem)


# --- the base: swap the tag set, carry the annotations ---------------------------------


class TagSetCommand(Command):
    """One change of the tag set and of every annotation it reaches, in all layers.

    Subclasses say how the tag set changes (:meth:`new_tagset`), which
    annotations it reaches (:meth:`reaches`) and what becomes of one of them
    (:meth:`rewrite`). ``do`` plans the whole change first, so a refused or
    invalid one changes nothing; ``undo`` puts back the very objects it replaced.
    """

    #: set by commands that may take something away, once the user chose what
    resolved: bool = True

    def __init__(self, author: str = "") -> None:
        self.author = author
        self.at = utc_now()
        self._before: TagSet | None = None
        self._replaced: list[tuple[str, str, Annotation, Annotation]] = []
        self._deleted: list[tuple[str, str, Annotation]] = []
        self._links: list[tuple[str, str, Link]] = []

    # --- what a subclass says ---------------------------------------------------------

    @abstractmethod
    def new_tagset(self, ts: TagSet) -> TagSet:
        """The tag set after the change (raise a ModelError if it cannot be made)."""

    def reaches(self, ann: Annotation) -> bool:
        """True if the change may alter ``ann`` (cheap: the tag, usually)."""
        return False

    def rewrite(self, ann: Annotation, ts: TagSet) -> Annotation | Delete | None:
        """A changed copy of ``ann`` under the new tag set ``ts``, DELETE, or None (as is)."""
        return None

    def strips(self, old: Annotation, new: Annotation) -> bool:
        """True if ``new`` (the rewrite of ``old``) lost something ``old`` said."""
        return False

    def describe(self) -> str:
        """What the change is, for messages: ``renamed tag 'appeal' to 'call'``."""
        return self.text

    # --- planning and doing ----------------------------------------------------------

    def plan(self, project: Project) -> _Plan:
        """The whole change worked out against ``project``, which it does not touch."""
        new_ts = self.new_tagset(project.tagset)
        check_change(project.tagset, new_ts)
        impact = TagSetImpact(self.describe())
        replaced: list[tuple[str, str, Annotation, Annotation]] = []
        deleted: list[tuple[str, str, Annotation]] = []
        links: list[tuple[str, str, Link]] = []
        links_changed = new_ts.links != project.tagset.links
        for layer in project.layers.values():
            for doc_id, da in layer.docs.items():
                tags: dict[str, str] = {}
                gone: set[str] = set()
                for ann in da.annotations.values():
                    if not self.reaches(ann):
                        continue
                    new = self.rewrite(ann, new_ts)
                    if new is None:
                        continue
                    if isinstance(new, Delete):
                        deleted.append((layer.name, doc_id, ann))
                        impact.deleted[layer.name] += 1
                        gone.add(ann.id)
                        continue
                    new.attributes = new_ts.check_attributes(new.tag, new.attributes)
                    replaced.append((layer.name, doc_id, ann, new))
                    if self.strips(ann, new):
                        impact.stripped[layer.name] += 1
                    else:
                        impact.rewritten[layer.name] += 1
                    if new.tag != ann.tag:
                        tags[ann.id] = new.tag
                if not (gone or tags or links_changed):
                    continue
                for lk in da.links.values():
                    if not _link_survives(lk, da.annotations, tags, gone, new_ts):
                        links.append((layer.name, doc_id, lk))
                        impact.links_removed[layer.name] += 1
        return _Plan(new_ts, impact, replaced, deleted, links)

    def do(self, project: Project) -> None:
        plan = self.plan(project)
        if plan.impact.loses and not self.resolved:
            raise TagSetChangeRefused(
                f"cannot {self.text[:1].lower()}{self.text[1:]}: {plan.impact.losses()}; "
                "choose what to map it to, or delete it from them",
                plan.impact,
            )
        self._before = project.tagset
        self._replaced, self._deleted, self._links = plan.replaced, plan.deleted, plan.links
        for layer_name, doc_id, lk in self._links:
            project.layers[layer_name].docs[doc_id].links.pop(lk.id)
            project.layers[layer_name].unindex_id(lk.id)
        for layer_name, doc_id, ann in self._deleted:
            project.layers[layer_name].docs[doc_id].annotations.pop(ann.id)
            project.layers[layer_name].unindex_id(ann.id)
        for layer_name, doc_id, _old, new in self._replaced:
            project.layers[layer_name].docs[doc_id].annotations[new.id] = new
        project.tagset = plan.tagset
        project.notify(Change())

    def undo(self, project: Project) -> None:
        assert self._before is not None, "undo before do"
        project.tagset = self._before
        for layer_name, doc_id, old, _new in reversed(self._replaced):
            project.layers[layer_name].docs[doc_id].annotations[old.id] = old
        for layer_name, doc_id, ann in reversed(self._deleted):
            project.layers[layer_name].docs[doc_id].annotations[ann.id] = ann
            project.layers[layer_name].index_id(ann.id, doc_id)
        for layer_name, doc_id, lk in reversed(self._links):
            project.layers[layer_name].docs[doc_id].links[lk.id] = lk
            project.layers[layer_name].index_id(lk.id, doc_id)
        project.notify(Change())

    def impact(self, project: Project) -> TagSetImpact:
        """How many annotations in which layers the change would rewrite or take from."""
        return self.plan(project).impact


def _link_survives(
    lk: Link,
    anns: dict[str, Annotation],
    tags: dict[str, str],
    gone: set[str],
    ts: TagSet,
) -> bool:
    if lk.source in gone or lk.target in gone:
        return False
    src = tags.get(lk.source) or anns[lk.source].tag
    tgt = tags.get(lk.target) or anns[lk.target].tag
    lt = next((t for t in ts.links if t.name == lk.type), None)
    return lt is not None and lt.allows(src, tgt)


def replace_tag(ts: TagSet, name: str, fn: Callable[[TagType], TagType]) -> TagSet:
    tt = ts.tag(name)  # UnknownTag if missing
    return replace(ts, tags=tuple(fn(t) if t is tt else t for t in ts.tags))


def replace_attr(
    ts: TagSet, tag: str, attr: str, fn: Callable[[AttributeDef], AttributeDef]
) -> TagSet:
    ad = ts.tag(tag).attribute(attr)  # UnknownTag, UnknownAttribute

    def change(tt: TagType) -> TagType:
        return replace(tt, attributes=tuple(fn(a) if a is ad else a for a in tt.attributes))

    return replace_tag(ts, tag, change)


def closed_attribute(ts: TagSet, tag: str, attr: str) -> AttributeDef:
    ad = ts.tag(tag).attribute(attr)
    if not ad.closed:
        raise InvalidTagSetChange(f"{tag}.{attr} is free text: it has no list of values")
    return ad


def _renamed_in(names: Iterable[str], old: str, new: str | None) -> tuple[str, ...]:
    """``names`` with ``old`` replaced by ``new`` (dropped if None or already there)."""
    out: list[str] = []
    for n in names:
        n2 = new if n == old else n
        if n2 is not None and n2 not in out:
            out.append(n2)
    return tuple(out)


def links_renamed(links: Iterable[LinkType], old: str, new: str | None) -> tuple[LinkType, ...]:
    return tuple(
        replace(
            lt,
            sources=_renamed_in(lt.sources, old, new),
            targets=_renamed_in(lt.targets, old, new),
        )
        for lt in links
    )


__all__ = [
    "DELETE",
    "TagSetCommand",
    "TagSetImpact",
    "check_change",
    "closed_attribute",
    "links_renamed",
    "replace_attr",
    "replace_tag",
    "tagset_problems",
]
