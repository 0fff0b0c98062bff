"""Changes to the tag set as undoable commands that carry the annotations with them.

Tags (add, rename, edit looks, remove), attributes (add, rename, remove) and the
values of a closed list (add, rename, merge, remove). Each is a
:class:`~annotator.model.tagset_change.TagSetCommand`: it swaps in a new tag set
and rewrites the annotations of every layer it reaches; removing something in
use is refused unless the command was told to map it onto another tag or value,
or to delete it (see that module).
"""

from __future__ import annotations

from collections import Counter
from contextlib import suppress
from dataclasses import replace

from annotator.errors import InvalidAttributeValue, InvalidTagSetChange
from annotator.model.project import Annotation, Project
from annotator.model.tagset import AttributeDef, AttrValue, TagSet, TagType
from annotator.model.tagset_change import (
    DELETE,
    Delete,
    TagSetCommand,
    closed_attribute,
    links_renamed,
    replace_attr,
    replace_tag,
)

# --- tags -------------------------------------------------------------------------------


class AddTag(TagSetCommand):
    """A new tag, at the end of the tag set or at ``position``."""

    def __init__(self, tag: TagType, position: int | None = None, author: str = "") -> None:
        super().__init__(author)
        self.tag = tag
        self.position = position
        self.text = f"Add tag {tag.name}"

    def describe(self) -> str:
        return f"added tag {self.tag.name!r}"

    def new_tagset(self, ts: TagSet) -> TagSet:
        tags = list(ts.tags)
        tags.insert(len(tags) if self.position is None else self.position, self.tag)
        return replace(ts, tags=tuple(tags))


class RenameTag(TagSetCommand):
    """Rename a tag: its annotations in every layer and the link types follow."""

    def __init__(self, old: str, new: str, author: str = "") -> None:
        super().__init__(author)
        self.old = old
        self.new = new
        self.text = f"Rename tag {old} to {new}"

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

    Annotations are not touched: they name the tag, not its looks.
    """

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

    def __init__(
        self, name: str, map_to: str | None = None, delete: bool = False, author: str = ""
    ) -> None:
        super().__init__(author)
        self.name = name
        self.map_to = map_to
        self.delete = delete
        self.resolved = map_to is not None or delete
        self.text = f"Remove tag {name}"

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


# --- attributes -------------------------------------------------------------------------


class AddAttribute(TagSetCommand):
    def __init__(self, tag: str, attribute: AttributeDef, author: str = "") -> None:
        super().__init__(author)
        self.tag = tag
        self.attribute = attribute
        self.text = f"Add attribute {tag}.{attribute.name}"

    def describe(self) -> str:
        return f"added attribute {self.tag}.{self.attribute.name}"

    def new_tagset(self, ts: TagSet) -> TagSet:
        return replace_tag(
            ts, self.tag, lambda t: replace(t, attributes=(*t.attributes, self.attribute))
        )


class RenameAttribute(TagSetCommand):
    def __init__(self, tag: str, old: str, new: str, author: str = "") -> None:
        super().__init__(author)
        self.tag = tag
        self.old = old
        self.new = new
        self.text = f"Rename attribute {tag}.{old} to {new}"

    def describe(self) -> str:
        return f"renamed attribute {self.tag}.{self.old} to {self.new!r}"

    def new_tagset(self, ts: TagSet) -> TagSet:
        if self.new == self.old:
            raise InvalidTagSetChange(f"the attribute is already called {self.new!r}")
        return replace_attr(ts, self.tag, self.old, lambda a: replace(a, name=self.new))

    def reaches(self, ann: Annotation) -> bool:
        return ann.tag == self.tag and self.old in ann.attributes

    def rewrite(self, ann: Annotation, ts: TagSet) -> Annotation:
        new = ann.copy()
        # keep the attribute's place among the others, so nothing else moves in the file
        new.attributes = {(self.new if k == self.old else k): v for k, v in ann.attributes.items()}
        return new


class RemoveAttribute(TagSetCommand):
    """Remove an attribute; annotations that have a value for it need ``delete``."""

    def __init__(self, tag: str, name: str, delete: bool = False, author: str = "") -> None:
        super().__init__(author)
        self.tag = tag
        self.name = name
        self.delete = delete
        self.resolved = delete
        self.text = f"Remove attribute {tag}.{name}"

    def describe(self) -> str:
        return f"removed attribute {self.tag}.{self.name}"

    def new_tagset(self, ts: TagSet) -> TagSet:
        ad = ts.tag(self.tag).attribute(self.name)
        return replace_tag(
            ts,
            self.tag,
            lambda t: replace(t, attributes=tuple(a for a in t.attributes if a is not ad)),
        )

    def reaches(self, ann: Annotation) -> bool:
        return ann.tag == self.tag and self.name in ann.attributes

    def rewrite(self, ann: Annotation, ts: TagSet) -> Annotation:
        new = ann.copy()
        del new.attributes[self.name]
        return new

    def strips(self, old: Annotation, new: Annotation) -> bool:
        return True


# --- values of a closed list ------------------------------------------------------------


class _ValueCommand(TagSetCommand):
    """A change of one value ``value`` of the closed list ``tag``.``attr``."""

    def __init__(self, tag: str, attr: str, value: str, author: str = "") -> None:
        super().__init__(author)
        self.tag = tag
        self.attr = attr
        self.value = value

    def reaches(self, ann: Annotation) -> bool:
        if ann.tag != self.tag:
            return False
        value = ann.attributes.get(self.attr)
        if value is None:
            return False
        return self.value in value if isinstance(value, tuple) else value == self.value

    def _known(self, ts: TagSet) -> AttributeDef:
        ad = closed_attribute(ts, self.tag, self.attr)
        if self.value not in ad.values:
            raise InvalidAttributeValue(f"{self.value!r} is not a value of {self.tag}.{self.attr}")
        return ad

    def _mapped(self, ann: Annotation, onto: str | None) -> Annotation:
        """A copy of ``ann`` with ``self.value`` replaced by ``onto`` (dropped if None)."""
        new = ann.copy()
        value = ann.attributes[self.attr]
        if isinstance(value, tuple):
            items = {v for v in value if v != self.value}
            if onto is not None:
                items.add(onto)
            if items:
                new.attributes[self.attr] = tuple(sorted(items))
            else:
                del new.attributes[self.attr]
        elif onto is None:
            del new.attributes[self.attr]
        else:
            new.attributes[self.attr] = onto
        return new


class AddValue(_ValueCommand):
    def __init__(self, tag: str, attr: str, value: str, label: str = "", author: str = "") -> None:
        super().__init__(tag, attr, value, author)
        self.label = label
        self.text = f"Add value {value} to {tag}.{attr}"

    def describe(self) -> str:
        return f"added value {self.value!r} to {self.tag}.{self.attr}"

    def reaches(self, ann: Annotation) -> bool:
        return False

    def new_tagset(self, ts: TagSet) -> TagSet:
        ad = closed_attribute(ts, self.tag, self.attr)
        if self.value in ad.values:
            raise InvalidTagSetChange(f"{self.tag}.{self.attr} already has {self.value!r}")

        def add(a: AttributeDef) -> AttributeDef:
            labels = a.value_labels if len(a.value_labels) == len(a.values) else a.values
            return replace(
                a,
                values=(*a.values, self.value),
                value_labels=(*labels, self.label or self.value),
            )

        return replace_attr(ts, self.tag, self.attr, add)


class RenameValue(_ValueCommand):
    """Rename a value; annotations that have it (single or among several) follow."""

    def __init__(self, tag: str, attr: str, old: str, new: str, author: str = "") -> None:
        super().__init__(tag, attr, old, author)
        self.new = new
        self.text = f"Rename value {old} of {tag}.{attr} to {new}"

    def describe(self) -> str:
        return f"renamed value {self.value!r} of {self.tag}.{self.attr} to {self.new!r}"

    def new_tagset(self, ts: TagSet) -> TagSet:
        ad = self._known(ts)
        if self.new in ad.values:
            raise InvalidTagSetChange(
                f"{self.tag}.{self.attr} already has {self.new!r}: merge the values instead"
            )

        def rename(a: AttributeDef) -> AttributeDef:
            labels = list(a.value_labels)
            i = a.values.index(self.value)
            if len(labels) == len(a.values) and labels[i] == self.value:
                labels[i] = self.new  # a label that only repeated the name follows it
            return replace(
                a,
                values=tuple(self.new if v == self.value else v for v in a.values),
                value_labels=tuple(labels),
            )

        return replace_attr(ts, self.tag, self.attr, rename)

    def rewrite(self, ann: Annotation, ts: TagSet) -> Annotation:
        return self._mapped(ann, self.new)


class MergeValues(_ValueCommand):
    """Fold ``source`` into ``into``: the value leaves the list, its annotations take
    ``into`` (an annotation with both keeps one)."""

    def __init__(self, tag: str, attr: str, source: str, into: str, author: str = "") -> None:
        super().__init__(tag, attr, source, author)
        self.into = into
        self.text = f"Merge value {source} of {tag}.{attr} into {into}"

    def describe(self) -> str:
        return f"merged value {self.value!r} of {self.tag}.{self.attr} into {self.into!r}"

    def new_tagset(self, ts: TagSet) -> TagSet:
        ad = self._known(ts)
        if self.into == self.value:
            raise InvalidTagSetChange(f"cannot merge {self.value!r} into itself")
        if self.into not in ad.values:
            raise InvalidAttributeValue(f"{self.into!r} is not a value of {self.tag}.{self.attr}")
        return replace_attr(ts, self.tag, self.attr, lambda a: _without(a, self.value))

    def rewrite(self, ann: Annotation, ts: TagSet) -> Annotation:
        return self._mapped(ann, self.into)


class RemoveValue(_ValueCommand):
    """Remove a value from the list. Annotations that have it take ``map_to`` or,
    with ``delete``, lose it; in use without either: refused."""

    def __init__(
        self,
        tag: str,
        attr: str,
        value: str,
        map_to: str | None = None,
        delete: bool = False,
        author: str = "",
    ) -> None:
        super().__init__(tag, attr, value, author)
        self.map_to = map_to
        self.delete = delete
        self.resolved = map_to is not None or delete
        self.text = f"Remove value {value} of {tag}.{attr}"

    def describe(self) -> str:
        onto = f" (mapped to {self.map_to!r})" if self.map_to else ""
        return f"removed value {self.value!r} of {self.tag}.{self.attr}{onto}"

    def new_tagset(self, ts: TagSet) -> TagSet:
        self._known(ts)
        if self.map_to is not None:
            return MergeValues(self.tag, self.attr, self.value, self.map_to).new_tagset(ts)
        return replace_attr(ts, self.tag, self.attr, lambda a: _without(a, self.value))

    def rewrite(self, ann: Annotation, ts: TagSet) -> Annotation:
        return self._mapped(ann, self.map_to)

    def strips(self, old: Annotation, new: Annotation) -> bool:
        return self.map_to is None


def _without(a: AttributeDef, value: str) -> AttributeDef:
    keep = [i for i, v in enumerate(a.values) if v != value]
    labels = a.value_labels if len(a.value_labels) == len(a.values) else ()
    return replace(
        a,
        values=tuple(a.values[i] for i in keep),
        value_labels=tuple(labels[i] for i in keep) if labels else (),
    )


def value_uses(project: Project, tag: str, attr: str) -> Counter[str]:
    """How many annotations (all layers) use each value of ``tag``.``attr``."""
    project.tagset.tag(tag).attribute(attr)  # UnknownTag, UnknownAttribute
    uses: Counter[str] = Counter()
    for _layer, _doc, ann in project.iter_annotations():
        if ann.tag != tag or attr not in ann.attributes:
            continue
        value = ann.attributes[attr]
        uses.update(value if isinstance(value, tuple) else (value,))
    return uses


# --- a whole tag set --------------------------------------------------------------------


class ReplaceTagSet(TagSetCommand):
    """Take another tag set (a file a colleague edited, the campaign's new one).

    ``tag_map`` renames tags on the way (old name: new name). Annotations keep the
    attribute values the new tag set still allows; an annotation whose tag it
    lacks, a value or attribute it lacks, a link whose type it lacks: each is a
    loss, refused unless ``delete``.
    """

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
    "AddTag",
    "AddValue",
    "EditTag",
    "MergeValues",
    "RecolourTag",
    "RelabelTag",
    "RemoveAttribute",
    "RemoveTag",
    "RemoveValue",
    "RenameAttribute",
    "RenameTag",
    "RenameValue",
    "ReplaceTagSet",
    "value_uses",
]
