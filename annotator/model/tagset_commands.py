"""Changes to the tag set as undoable commands that carry the annotations with them.

This module holds the changes of tags (add, rename, edit label, colour,
shortcut, definition and examples, move, remove) and of the whole tag set, and
is the one place to import every kind of change from: those of attributes and
values (:mod:`.tagset_attributes`) and of link types (:mod:`.tagset_links`)
are re-exported here. Each is a
:class:`~annotator.model.tagset_change.TagSetCommand`: it swaps in a new tag set
and rewrites the annotations of every layer it reaches; removing something in
use is refused unless the command was told to map it onto another tag or value,
or to delete it (see that module). Each is logged in the project's tag-set log
with who and when, and undo takes the entry away.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import replace

from annotator.errors import InvalidAttributeValue, InvalidTagSetChange
from annotator.model.project import Annotation
from annotator.model.tagset import AttrValue, TagSet, TagType
from annotator.model.tagset_attributes import (
    AddAttribute,
    AddValue,
    EditAttribute,
    MergeValues,
    RelabelValue,
    RemoveAttribute,
    RemoveValue,
    RenameAttribute,
    RenameValue,
    SetMultiple,
    value_uses,
)
from annotator.model.tagset_change import (
    DELETE,
    Delete,
    TagSetCommand,
    links_renamed,
    replace_tag,
)
from annotator.model.tagset_links import (
    AddLinkType,
    EditLinkType,
    RemoveLinkType,
    RenameLinkType,
)
from annotator.model.tagset_log import LogArg

# --- tags -------------------------------------------------------------------------------


class AddTag(TagSetCommand):
    """A new tag, at the end of the tag set or at ``position``."""

    op = "add-tag"

    def __init__(self, tag: TagType, position: int | None = None, author: str = "") -> None:
        super().__init__(author)
        self.tag = tag
        self.position = position
        self.text = f"Add tag {tag.name}"

    def log_args(self) -> dict[str, LogArg | None]:
        return {"tag": self.tag, "position": self.position}

    def describe(self) -> str:
        return f"added tag {self.tag.name!r}"

    def new_tagset(self, ts: TagSet) -> TagSet:
        tags = list(ts.tags)
        tags.insert(len(tags) if self.position is None else self.position, self.tag)
        return replace(ts, tags=tuple(tags))


class RenameTag(TagSetCommand):
    """Rename a tag: its annotations in every layer and the link types follow."""

    op = "rename-tag"

    def __init__(self, old: str, new: str, author: str = "") -> None:
        super().__init__(author)
        self.old = old
        self.new = new
        self.text = f"Rename tag {old} to {new}"

    def log_args(self) -> dict[str, LogArg | None]:
        return {"old": self.old, "new": self.new}

    def describe(self) -> str:
        return f"renamed tag {self.old!r} to {self.new!r}"

    def new_tagset(self, ts: TagSet) -> TagSet:
        if self.new == self.old:
            raise InvalidTagSetChange(f"the tag is already called {self.new!r}")
        changed = replace_tag(ts, self.old, lambda t: replace(t, name=self.new))
        return replace(changed, links=links_renamed(ts.links, self.old, self.new))

    def reaches(self, ann: Annotation) -> bool:
        return ann.tag == self.old

    def rewrite(self, ann: Annotation, ts: TagSet) -> Annotation:
        new = ann.copy()
        new.tag = self.new
        return new


class EditTag(TagSetCommand):
    """Change how a tag looks and reads: label, colour, shortcut, definition, examples.

    Give only what changes (None leaves a field as it is; ``shortcut=""`` clears
    the key). Annotations are not touched: they name the tag, not its looks.
    """

    op = "edit-tag"

    def __init__(
        self,
        name: str,
        *,
        label: str | None = None,
        color: str | None = None,
        shortcut: str | None = None,
        definition: str | None = None,
        examples: tuple[str, ...] | None = None,
        author: str = "",
    ) -> None:
        super().__init__(author)
        self.name = name
        self.fields: dict[str, str | tuple[str, ...]] = {
            k: v
            for k, v in (
                ("label", label),
                ("color", color),
                ("shortcut", shortcut),
                ("definition", definition),
                ("examples", examples),
            )
            if v is not None
        }
        self.text = f"Edit tag {name}"

    def describe(self) -> str:
        what = ", ".join(f"{k} {v!r}" for k, v in self.fields.items())
        return f"gave tag {self.name!r} {what or 'nothing new'}"

    def new_tagset(self, ts: TagSet) -> TagSet:
        return replace_tag(ts, self.name, lambda t: replace(t, **self.fields))  # type: ignore[arg-type]

    def log_args(self) -> dict[str, LogArg | None]:
        return {"name": self.name, **self.fields}


class MoveTag(TagSetCommand):
    """Put a tag at ``position`` (0 is first) among the tags: the order of the
    palette, the menus and the legend. Annotations are not touched."""

    op = "move-tag"

    def __init__(self, name: str, position: int, author: str = "") -> None:
        super().__init__(author)
        self.name = name
        self.position = position
        self.text = f"Move tag {name}"

    def describe(self) -> str:
        return f"moved tag {self.name!r} to place {self.position + 1}"

    def new_tagset(self, ts: TagSet) -> TagSet:
        tt = ts.tag(self.name)
        if not 0 <= self.position < len(ts.tags):
            raise InvalidTagSetChange(
                f"the tag set has {len(ts.tags)} tags: there is no place {self.position + 1}"
            )
        tags = [t for t in ts.tags if t is not tt]
        tags.insert(self.position, tt)
        if tuple(tags) == ts.tags:
            raise InvalidTagSetChange(f"{self.name!r} is already in place {self.position + 1}")
        return replace(ts, tags=tuple(tags))

    def log_args(self) -> dict[str, LogArg | None]:
        return {"name": self.name, "position": self.position}


class RecolourTag(EditTag):
    def __init__(self, name: str, color: str, author: str = "") -> None:
        super().__init__(name, color=color, author=author)
        self.text = f"Recolour tag {name}"


class RelabelTag(EditTag):
    def __init__(self, name: str, label: str, author: str = "") -> None:
        super().__init__(name, label=label, author=author)
        self.text = f"Relabel tag {name}"


class RemoveTag(TagSetCommand):
    """Remove a tag. Its annotations are mapped onto ``map_to`` (keeping the attribute
    values that tag allows; link types that allowed the old tag allow ``map_to``) or,
    with ``delete``, deleted with their links. In use without either: refused."""

    op = "remove-tag"

    def __init__(
        self, name: str, map_to: str | None = None, delete: bool = False, author: str = ""
    ) -> None:
        super().__init__(author)
        self.name = name
        self.map_to = map_to
        self.delete = delete
        self.resolved = map_to is not None or delete
        self.text = f"Remove tag {name}"

    def log_args(self) -> dict[str, LogArg | None]:
        return {"name": self.name, "map_to": self.map_to, "delete": self.delete}

    def describe(self) -> str:
        onto = f" (its annotations mapped to {self.map_to!r})" if self.map_to else ""
        return f"removed tag {self.name!r}{onto}"

    def new_tagset(self, ts: TagSet) -> TagSet:
        tt = ts.tag(self.name)
        if self.map_to is not None:
            if self.map_to == self.name:
                raise InvalidTagSetChange(f"cannot map {self.name!r} onto itself")
            ts.tag(self.map_to)  # UnknownTag if missing
        return replace(
            ts,
            tags=tuple(t for t in ts.tags if t is not tt),
            links=links_renamed(ts.links, self.name, self.map_to),
        )

    def reaches(self, ann: Annotation) -> bool:
        return ann.tag == self.name

    def rewrite(self, ann: Annotation, ts: TagSet) -> Annotation | Delete:
        if self.map_to is None:
            return DELETE
        target = ts.tag(self.map_to)
        new = ann.copy()
        new.tag = self.map_to
        kept: dict[str, AttrValue] = {}
        for attr in target.attributes:
            if attr.name in ann.attributes:
                with suppress(InvalidAttributeValue):
                    kept[attr.name] = attr.normalise(self.map_to, ann.attributes[attr.name])
        new.attributes = kept
        return new

    def strips(self, old: Annotation, new: Annotation) -> bool:
        return new.attributes != old.attributes


# --- a whole tag set --------------------------------------------------------------------


class ReplaceTagSet(TagSetCommand):
    """Take another tag set (a file a colleague edited, the campaign's new one).

    ``tag_map`` renames tags on the way (old name: new name). Annotations keep the
    attribute values the new tag set still allows; an annotation whose tag it
    lacks, a value or attribute it lacks, a link whose type it lacks: each is a
    loss, refused unless ``delete``.
    """

    op = "replace-tagset"

    def __init__(
        self,
        tagset: TagSet,
        tag_map: dict[str, str] | None = None,
        delete: bool = False,
        author: str = "",
    ) -> None:
        super().__init__(author)
        self.tagset = tagset
        self.tag_map = dict(tag_map or {})
        self.delete = delete
        self.resolved = delete
        self.text = f"Replace the tag set with {tagset.name!r}"

    def log_args(self) -> dict[str, LogArg | None]:
        # the map as one list, old and new names in turn (names may hold any character)
        pairs = tuple(name for pair in self.tag_map.items() for name in pair)
        return {"tagset": self.tagset, "tag_map": pairs, "delete": self.delete}

    @classmethod
    def from_log_args(cls, args: Mapping[str, LogArg], author: str) -> TagSetCommand:
        pairs, tagset = args.get("tag_map", ()), args.get("tagset")
        if not isinstance(pairs, tuple) or len(pairs) % 2 or not isinstance(tagset, TagSet):
            raise TypeError("tag_map must list old and new names in turn")
        mapping = dict(zip(pairs[::2], pairs[1::2], strict=True))
        return cls(tagset, mapping, bool(args.get("delete", False)), author=author)

    def describe(self) -> str:
        renamed = ", ".join(f"{old!r} as {new!r}" for old, new in self.tag_map.items())
        return f"took tag set {self.tagset.name!r}" + (f" (read {renamed})" if renamed else "")

    def new_tagset(self, ts: TagSet) -> TagSet:
        for old, new in self.tag_map.items():
            if not self.tagset.has_tag(new):
                raise InvalidTagSetChange(f"--map {old}={new}: the new tag set has no tag {new!r}")
        return self.tagset

    def reaches(self, ann: Annotation) -> bool:
        return True

    def rewrite(self, ann: Annotation, ts: TagSet) -> Annotation | Delete | None:
        tag = self.tag_map.get(ann.tag, ann.tag)
        if not ts.has_tag(tag):
            return DELETE
        kept: dict[str, AttrValue] = {}
        for attr in ts.tag(tag).attributes:
            value = ann.attributes.get(attr.name)
            if value is None:
                continue
            items = value if isinstance(value, tuple) else (value,)
            if attr.closed:
                items = tuple(v for v in items if v in attr.values)
            if not items:
                continue
            if attr.multiple:
                kept[attr.name] = tuple(sorted(set(items)))
            elif len(items) == 1:
                kept[attr.name] = items[0]
        if tag == ann.tag and kept == ann.attributes:
            return None
        new = ann.copy()
        new.tag = tag
        new.attributes = kept
        return new

    def strips(self, old: Annotation, new: Annotation) -> bool:
        return new.attributes != old.attributes


__all__ = [
    "AddAttribute",
    "AddLinkType",
    "AddTag",
    "AddValue",
    "EditAttribute",
    "EditLinkType",
    "EditTag",
    "MergeValues",
    "MoveTag",
    "RecolourTag",
    "RelabelTag",
    "RelabelValue",
    "RemoveAttribute",
    "RemoveLinkType",
    "RemoveTag",
    "RemoveValue",
    "RenameAttribute",
    "RenameLinkType",
    "RenameTag",
    "RenameValue",
    "ReplaceTagSet",
    "SetMultiple",
    "value_uses",
]
