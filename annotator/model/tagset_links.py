"""Tag-set changes of link types: add, rename, edit (label, definition, the tags a
link may start and end at), remove.

Links follow in every layer: renaming a type rewrites its links. Taking links
away is never silent: removing a type that links use, or narrowing its sources
or targets so that existing links no longer fit, is refused with how many links
in which layers would go, unless the user chose: ``map_to`` gives those links
another type (one that allows their ends), ``delete`` removes them. A link that
fits no type even after the mapping is still a loss, refused unless ``delete``.
"""

from __future__ import annotations

from dataclasses import replace

from annotator.errors import InvalidTagSetChange
from annotator.model.project import Link
from annotator.model.tagset import LinkType, TagSet
from annotator.model.tagset_change import TagSetCommand, TagSetImpact
from annotator.model.tagset_log import LogArg


def _replace_link(ts: TagSet, name: str, new: LinkType | None) -> TagSet:
    """``ts`` with the link type ``name`` replaced by ``new`` (removed if None)."""
    old = ts.link_type(name)  # LinkTypeMismatch if missing
    links = tuple(new if lt is old else lt for lt in ts.links)
    return replace(ts, links=tuple(lt for lt in links if lt is not None))


def _check_ends(ts: TagSet, link: LinkType, ends: tuple[str, ...] = ("sources", "targets")) -> None:
    """The ``ends`` of a link type the user adds or edits may only name tags the tag set
    has (one read from another tool's file may name others: that blocks nothing else)."""
    for end, names in (("source", link.sources), ("target", link.targets)):
        if end + "s" not in ends:
            continue
        for name in names:
            if not ts.has_tag(name):
                raise InvalidTagSetChange(
                    f"link type {link.name!r} cannot allow a {end} tag {name!r}: "
                    "the tag set has no such tag"
                )


def _check_map_to(ts: TagSet, name: str, map_to: str | None) -> None:
    if map_to is None:
        return
    if map_to == name:
        raise InvalidTagSetChange(f"cannot map links of type {name!r} onto the same type")
    ts.link_type(map_to)  # LinkTypeMismatch if missing


class AddLinkType(TagSetCommand):
    """A new link type, at the end of the list or at ``position``. No link has it yet;
    its sources and targets must be tags of the tag set."""

    op = "add-link-type"

    def __init__(self, link: LinkType, position: int | None = None, author: str = "") -> None:
        super().__init__(author)
        self.link = link
        self.position = position
        self.text = f"Add link type {link.name}"

    def describe(self) -> str:
        return f"added link type {self.link.name!r}"

    def new_tagset(self, ts: TagSet) -> TagSet:
        _check_ends(ts, self.link)
        links = list(ts.links)
        links.insert(len(links) if self.position is None else self.position, self.link)
        return replace(ts, links=tuple(links))

    def log_args(self) -> dict[str, LogArg | None]:
        return {"link": self.link, "position": self.position}


class RenameLinkType(TagSetCommand):
    """Rename a link type; its links in every layer follow."""

    op = "rename-link-type"

    def __init__(self, old: str, new: str, author: str = "") -> None:
        super().__init__(author)
        self.old = old
        self.new = new
        self.text = f"Rename link type {old} to {new}"

    def describe(self) -> str:
        return f"renamed link type {self.old!r} to {self.new!r}"

    def new_tagset(self, ts: TagSet) -> TagSet:
        if self.new == self.old:
            raise InvalidTagSetChange(f"the link type is already called {self.new!r}")
        return _replace_link(ts, self.old, replace(ts.link_type(self.old), name=self.new))

    def relink(self, link: Link, source_tag: str, target_tag: str, ts: TagSet) -> Link | None:
        return replace(link, type=self.new) if link.type == self.old else None

    def log_args(self) -> dict[str, LogArg | None]:
        return {"old": self.old, "new": self.new}


class EditLinkType(TagSetCommand):
    """Change a link type's label, definition, or the tags it may go from (``sources``)
    and to (``targets``). Give only what changes (None leaves it as it is).

    Widening is free. Narrowing so that existing links no longer fit is refused
    with how many links in which layers, unless ``map_to`` (another type that
    allows them) or ``delete``.
    """

    op = "edit-link-type"

    def __init__(
        self,
        name: str,
        *,
        label: str | None = None,
        definition: str | None = None,
        sources: tuple[str, ...] | None = None,
        targets: tuple[str, ...] | None = None,
        map_to: str | None = None,
        delete: bool = False,
        author: str = "",
    ) -> None:
        super().__init__(author)
        self.name = name
        self.fields: dict[str, str | tuple[str, ...]] = {
            k: v
            for k, v in (
                ("label", label),
                ("definition", definition),
                ("sources", sources),
                ("targets", targets),
            )
            if v is not None
        }
        self.map_to = map_to
        self.delete = delete
        self.resolved = delete
        self.text = f"Edit link type {name}"

    def describe(self) -> str:
        what = []
        for k, v in self.fields.items():
            shown = ", ".join(v) or "no tag" if isinstance(v, tuple) else repr(v)
            what.append(f"{k} {shown}")
        onto = f" (links that no longer fit mapped to {self.map_to!r})" if self.map_to else ""
        return f"gave link type {self.name!r} {'; '.join(what) or 'nothing new'}{onto}"

    def refusal(self, impact: TagSetImpact) -> str:
        return (
            f"cannot edit link type {self.name}: {impact.losses()}, as they would no "
            "longer fit; choose another link type for them, or delete them"
        )

    def new_tagset(self, ts: TagSet) -> TagSet:
        _check_map_to(ts, self.name, self.map_to)
        new = replace(ts.link_type(self.name), **self.fields)  # type: ignore[arg-type]
        _check_ends(ts, new, tuple(self.fields))
        return _replace_link(ts, self.name, new)

    def relink(self, link: Link, source_tag: str, target_tag: str, ts: TagSet) -> Link | None:
        if link.type != self.name or self.map_to is None:
            return None
        if ts.link_type(self.name).allows(source_tag, target_tag):
            return None
        return replace(link, type=self.map_to)

    def log_args(self) -> dict[str, LogArg | None]:
        return {"name": self.name, **self.fields, "map_to": self.map_to, "delete": self.delete}


class RemoveLinkType(TagSetCommand):
    """Remove a link type. Its links take the type ``map_to`` (where it allows their
    ends) or, with ``delete``, are removed; in use without a choice: refused."""

    op = "remove-link-type"

    def __init__(
        self, name: str, map_to: str | None = None, delete: bool = False, author: str = ""
    ) -> None:
        super().__init__(author)
        self.name = name
        self.map_to = map_to
        self.delete = delete
        self.resolved = delete
        self.text = f"Remove link type {name}"

    def describe(self) -> str:
        onto = f" (its links mapped to {self.map_to!r})" if self.map_to else ""
        return f"removed link type {self.name!r}{onto}"

    def new_tagset(self, ts: TagSet) -> TagSet:
        _check_map_to(ts, self.name, self.map_to)
        return _replace_link(ts, self.name, None)

    def relink(self, link: Link, source_tag: str, target_tag: str, ts: TagSet) -> Link | None:
        if link.type != self.name or self.map_to is None:
            return None
        return replace(link, type=self.map_to)

    def log_args(self) -> dict[str, LogArg | None]:
        return {"name": self.name, "map_to": self.map_to, "delete": self.delete}


__all__ = [
    "AddLinkType",
    "EditLinkType",
    "RemoveLinkType",
    "RenameLinkType",
]
