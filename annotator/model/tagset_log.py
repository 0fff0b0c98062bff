"""The tag-set change log: who changed the tag set, when, and how, as data.

Every tag-set change (:mod:`annotator.model.tagset_change`) that is done
appends one :class:`TagSetLogEntry` to ``Project.tagset_log``; undoing it
takes the entry away again. The project file keeps the log (the
``<tagset-log>`` element), so a colleague's file says which changes made its
tag set what it is, and ``annotator merge`` can *replay* on our annotations the
changes we have not made yet (their rename of a tag renames ours), or
*reject* them.

An entry is a small machine-readable description: the kind of change
(``op``, such as ``rename-tag``), its arguments by name, who made it and when,
a sentence for people, and an ``id`` that stays the same in every file the
change travels to, so a merge knows which changes both sides already share.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from annotator.model.tagset import AttributeDef, LinkType, TagSet, TagType

#: What an argument of a change can be: text, a flag, a number, a list of names,
#: or a whole definition the change brings (a new tag, attribute, link type, tag set).
LogArg = str | bool | int | tuple[str, ...] | TagType | AttributeDef | LinkType | TagSet


def new_change_id() -> str:
    """An id for a new change: random, so two people's changes never share one."""
    return "c" + uuid.uuid4().hex[:16]


@dataclass(frozen=True, slots=True)
class TagSetLogEntry:
    """One tag-set change as the log keeps it.

    ``rejected`` is who turned the change down in a merge (empty for a change
    that was made): a rejected entry stays in the log, so the next merge of the
    same colleague's file does not offer it again, but it changed nothing here.
    """

    id: str
    op: str
    author: str
    at: str
    what: str
    args: tuple[tuple[str, LogArg], ...] = ()
    rejected: str = ""

    def arg_map(self) -> dict[str, LogArg]:
        return dict(self.args)

    def line(self) -> str:
        """``2026-11-30T08:40:00Z  lead  renamed tag 'victim' to 'affected'`` and the like."""
        who = self.author or "someone"
        mark = f"  (rejected by {self.rejected})" if self.rejected else ""
        return f"{self.at}  {who}  {self.what}{mark}"


def make_args(items: Mapping[str, LogArg | None]) -> tuple[tuple[str, LogArg], ...]:
    """The arguments of a change as an entry holds them: by name, ``None`` left out,
    each definition as a file gives it back (see :func:`canonical`)."""
    return tuple((k, canonical(v)) for k, v in items.items() if v is not None)


def canonical(value: LogArg) -> LogArg:
    """``value`` as reading it back from a file gives it: a closed list's values each
    with a label (the value itself where none was given). Two definitions that a file
    cannot tell apart are then equal in memory too."""
    if isinstance(value, AttributeDef):
        if len(value.value_labels) == len(value.values):
            return value
        return replace(value, value_labels=value.values)
    if isinstance(value, TagType):
        attrs = tuple(canonical(a) for a in value.attributes)
        return replace(value, attributes=attrs)  # type: ignore[arg-type]
    if isinstance(value, TagSet):
        tags = tuple(canonical(t) for t in value.tags)
        return replace(value, tags=tags)  # type: ignore[arg-type]
    return value


def log_differences(
    ours: Iterable[TagSetLogEntry], theirs: Iterable[TagSetLogEntry]
) -> tuple[list[TagSetLogEntry], list[TagSetLogEntry]]:
    """The entries only we have and those only they have, each in its log's order."""
    ours, theirs = list(ours), list(theirs)
    our_ids = {e.id for e in ours}
    their_ids = {e.id for e in theirs}
    return [e for e in ours if e.id not in their_ids], [e for e in theirs if e.id not in our_ids]


__all__ = ["LogArg", "TagSetLogEntry", "canonical", "log_differences", "make_args", "new_change_id"]
