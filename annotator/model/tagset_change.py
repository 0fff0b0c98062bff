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
own provenance: the change is the team's, recorded with who (``author``) and
when (``at``) in the project's tag-set log (:mod:`annotator.model.tagset_log`),
not as an edit of each annotation by that person. ``do`` appends the entry and
``undo`` takes it away. Each kind of change has a name in the log (``op``) and
gives its arguments (:meth:`TagSetCommand.log_args`), from which
:func:`command_for` builds the same change again: that is how a colleague's
change is replayed on our file.

Links are carried the same way: a link whose end goes, or that its type no
longer allows, is removed (a loss); a change of link types may instead give a
link another type (:meth:`TagSetCommand.relink`).
"""

from __future__ import annotations

import importlib
import re
from abc import abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Final

from annotator.errors import (
    InvalidTagSetChange,
    TagSetChangeRefused,
)
from annotator.model.commands import Command, utc_now
from annotator.model.project import Annotation, Change, Link, Project
from annotator.model.tagset import AttributeDef, LinkType, TagSet, TagType
from annotator.model.tagset_log import LogArg, TagSetLogEntry, make_args, new_change_id

#: the modules that hold the kinds of change (imported when a log entry is replayed)
COMMAND_MODULES: Final = (
    "annotator.model.tagset_commands",
    "annotator.model.tagset_attributes",
    "annotator.model.tagset_links",
)

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
    #: links given another type (a renamed or removed link type mapped onto another)
    links_rewritten: Counter[str] = field(default_factory=Counter)

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
        for counts, verb in ((self.links_rewritten, "rewritten"), (self.links_removed, "removed")):
            links = sum(counts.values())
            if links:
                parts.append(f"{_count(links, 'link')} {verb} ({_per_layer(counts)})")
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
    relinked: list[tuple[str, str, Link, Link]]


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
    if any(not lk.name.strip() for lk in ts.links):
        problems.append("a link type needs a name")
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
    (:meth:`rewrite`), and of a link (:meth:`relink`). ``do`` plans the whole
    change first, so a refused or invalid one changes nothing; ``undo`` puts back
    the very objects it replaced. Each kind names itself in the log (``op``)
    and gives its constructor's arguments (:meth:`log_args`).
    """

    #: the kind of change in the tag-set log ("rename-tag"); set by each kind
    op: ClassVar[str] = ""
    #: set by commands that may take something away, once the user chose what
    resolved: bool = True

    def __init__(self, author: str = "") -> None:
        self.author = author
        self.at = utc_now()
        #: the id of the change in the log, the same in every file it travels to
        self.change_id = new_change_id()
        self._before: TagSet | None = None
        self._replaced: list[tuple[str, str, Annotation, Annotation]] = []
        self._deleted: list[tuple[str, str, Annotation]] = []
        self._links: list[tuple[str, str, Link]] = []
        self._relinked: list[tuple[str, str, Link, Link]] = []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("op"):
            _KINDS.setdefault(cls.op, cls)

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

    def relink(self, link: Link, source_tag: str, target_tag: str, ts: TagSet) -> Link | None:
        """A link to put in place of ``link`` (another type), or None to keep it as is.

        Called for every link when the change touches link types or the tags of
        annotations; whatever the result, a link the new tag set ``ts`` does not
        allow between ``source_tag`` and ``target_tag`` is removed (a loss).
        """
        return None

    def describe(self) -> str:
        """What the change is, for messages: ``renamed tag 'appeal' to 'call'``."""
        return self.text

    def refusal(self, impact: TagSetImpact) -> str:
        """The sentence that refuses the change when it would lose something unasked."""
        return (
            f"cannot {self.text[:1].lower()}{self.text[1:]}: {impact.losses()}; "
            "choose what to map it to, or delete it from them"
        )

    def log_args(self) -> dict[str, LogArg | None]:
        """The constructor's arguments (``author`` aside), for the log; None: left out."""
        raise NotImplementedError(f"{type(self).__name__} does not say its arguments")

    @classmethod
    def from_log_args(cls, args: Mapping[str, LogArg], author: str) -> TagSetCommand:
        """The change again, from what :meth:`log_args` gave (read back from a file)."""
        return cls(**args, author=author)

    # --- the log ----------------------------------------------------------------------

    def log_entry(self) -> TagSetLogEntry:
        """This change as the tag-set log keeps it."""
        return TagSetLogEntry(
            id=self.change_id,
            op=self.op,
            author=self.author,
            at=self.at,
            what=self.describe(),
            args=make_args(self.log_args()),
        )

    # --- planning and doing ----------------------------------------------------------

    def plan(self, project: Project) -> _Plan:
        """The whole change worked out against ``project``, which it does not touch."""
        new_ts = self.new_tagset(project.tagset)
        check_change(project.tagset, new_ts)
        impact = TagSetImpact(self.describe())
        plan = _Plan(new_ts, impact, [], [], [], [])
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
                        plan.deleted.append((layer.name, doc_id, ann))
                        impact.deleted[layer.name] += 1
                        gone.add(ann.id)
                        continue
                    new.attributes = new_ts.check_attributes(new.tag, new.attributes)
                    plan.replaced.append((layer.name, doc_id, ann, new))
                    if self.strips(ann, new):
                        impact.stripped[layer.name] += 1
                    else:
                        impact.rewritten[layer.name] += 1
                    if new.tag != ann.tag:
                        tags[ann.id] = new.tag
                if not (gone or tags or links_changed):
                    continue
                for lk in da.links.values():
                    if lk.source in gone or lk.target in gone:
                        plan.links.append((layer.name, doc_id, lk))
                        impact.links_removed[layer.name] += 1
                        continue
                    src = tags.get(lk.source) or da.annotations[lk.source].tag
                    tgt = tags.get(lk.target) or da.annotations[lk.target].tag
                    other = self.relink(lk, src, tgt, new_ts)
                    kind = other.type if other is not None else lk.type
                    lt = next((t for t in new_ts.links if t.name == kind), None)
                    if lt is None or not lt.allows(src, tgt):
                        plan.links.append((layer.name, doc_id, lk))
                        impact.links_removed[layer.name] += 1
                    elif other is not None:
                        plan.relinked.append((layer.name, doc_id, lk, other))
                        impact.links_rewritten[layer.name] += 1
        return plan

    def do(self, project: Project) -> None:
        plan = self.plan(project)
        if plan.impact.loses and not self.resolved:
            raise TagSetChangeRefused(self.refusal(plan.impact), plan.impact)
        self._before = project.tagset
        self._replaced, self._deleted, self._links = plan.replaced, plan.deleted, plan.links
        self._relinked = plan.relinked
        for layer_name, doc_id, lk in self._links:
            project.layers[layer_name].docs[doc_id].links.pop(lk.id)
            project.layers[layer_name].unindex_id(lk.id)
        for layer_name, doc_id, _old_link, new_link in self._relinked:
            project.layers[layer_name].docs[doc_id].links[new_link.id] = new_link
        for layer_name, doc_id, ann in self._deleted:
            project.layers[layer_name].docs[doc_id].annotations.pop(ann.id)
            project.layers[layer_name].unindex_id(ann.id)
        for layer_name, doc_id, _old, new in self._replaced:
            project.layers[layer_name].docs[doc_id].annotations[new.id] = new
        project.tagset = plan.tagset
        project.tagset_log = (*project.tagset_log, self.log_entry())
        project.notify(Change())

    def undo(self, project: Project) -> None:
        assert self._before is not None, "undo before do"
        project.tagset_log = tuple(e for e in project.tagset_log if e.id != self.change_id)
        project.tagset = self._before
        for layer_name, doc_id, old, _new in reversed(self._replaced):
            project.layers[layer_name].docs[doc_id].annotations[old.id] = old
        for layer_name, doc_id, ann in reversed(self._deleted):
            project.layers[layer_name].docs[doc_id].annotations[ann.id] = ann
            project.layers[layer_name].index_id(ann.id, doc_id)
        for layer_name, doc_id, old_link, _new_link in reversed(self._relinked):
            project.layers[layer_name].docs[doc_id].links[old_link.id] = old_link
        for layer_name, doc_id, lk in reversed(self._links):
            project.layers[layer_name].docs[doc_id].links[lk.id] = lk
            project.layers[layer_name].index_id(lk.id, doc_id)
        project.notify(Change())

    def impact(self, project: Project) -> TagSetImpact:
        """How many annotations in which layers the change would rewrite or take from."""
        return self.plan(project).impact


#: every kind of change by its name in the log (filled as the kinds are defined)
_KINDS: dict[str, type[TagSetCommand]] = {}


def command_for(entry: TagSetLogEntry) -> TagSetCommand:
    """The change a log entry describes, ready to ``do`` on another project: same id,
    author and time, so the entry it logs there is the same entry."""
    for module in COMMAND_MODULES:
        importlib.import_module(module)
    cls = _KINDS.get(entry.op)
    if cls is None:
        raise InvalidTagSetChange(
            f"the tag-set log names a change this version does not know: {entry.op!r}"
        )
    try:
        cmd = cls.from_log_args(entry.arg_map(), entry.author)
    except TypeError:
        raise InvalidTagSetChange(
            f"the tag-set log's change {entry.id} ({entry.op}) has arguments "
            f"this version does not know: {', '.join(k for k, _ in entry.args)}"
        ) from None
    cmd.at = entry.at
    cmd.change_id = entry.id
    return cmd


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
    "command_for",
    "links_renamed",
    "replace_attr",
    "replace_tag",
    "tagset_problems",
]
