"""Tag-set changes of attributes and of the values of a closed list.

Attributes: add, rename, edit (label, definition), remove, and switch between
one value and several (:class:`SetMultiple`). Values: add, rename, relabel,
merge, remove. Each is a :class:`~annotator.model.tagset_change.TagSetCommand`:
it swaps in a new tag set and rewrites the annotations of every layer that
use the attribute or value; taking something away from annotations in use is
refused unless the command was told what to do (see that module).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from annotator.errors import InvalidAttributeValue, InvalidTagSetChange
from annotator.model.project import Annotation, Project
from annotator.model.tagset import AttributeDef, TagSet
from annotator.model.tagset_change import (
    TagSetCommand,
    TagSetImpact,
    closed_attribute,
    replace_attr,
    replace_tag,
)
from annotator.model.tagset_log import LogArg

# --- attributes -------------------------------------------------------------------------


class AddAttribute(TagSetCommand):
    """A new attribute of ``tag``, after its others. No annotation has it yet."""

    op = "add-attribute"

    def __init__(self, tag: str, attribute: AttributeDef, author: str = "") -> None:
        super().__init__(author)
        self.tag = tag
        self.attribute = attribute
        self.text = f"Add attribute {tag}.{attribute.name}"

    def log_args(self) -> dict[str, LogArg | None]:
        return {"tag": self.tag, "attribute": self.attribute}

    def describe(self) -> str:
        return f"added attribute {self.tag}.{self.attribute.name}"

    def new_tagset(self, ts: TagSet) -> TagSet:
        return replace_tag(
            ts, self.tag, lambda t: replace(t, attributes=(*t.attributes, self.attribute))
        )


class RenameAttribute(TagSetCommand):
    """Rename an attribute; the annotations that have it follow, in every layer."""

    op = "rename-attribute"

    def __init__(self, tag: str, old: str, new: str, author: str = "") -> None:
        super().__init__(author)
        self.tag = tag
        self.old = old
        self.new = new
        self.text = f"Rename attribute {tag}.{old} to {new}"

    def log_args(self) -> dict[str, LogArg | None]:
        return {"tag": self.tag, "old": self.old, "new": self.new}

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

    op = "remove-attribute"

    def __init__(self, tag: str, name: str, delete: bool = False, author: str = "") -> None:
        super().__init__(author)
        self.tag = tag
        self.name = name
        self.delete = delete
        self.resolved = delete
        self.text = f"Remove attribute {tag}.{name}"

    def log_args(self) -> dict[str, LogArg | None]:
        return {"tag": self.tag, "name": self.name, "delete": self.delete}

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


class EditAttribute(TagSetCommand):
    """Change how an attribute reads: its label, its definition. Annotations are not
    touched: they name the attribute, not its looks."""

    op = "edit-attribute"

    def __init__(
        self,
        tag: str,
        attr: str,
        *,
        label: str | None = None,
        definition: str | None = None,
        author: str = "",
    ) -> None:
        super().__init__(author)
        self.tag = tag
        self.attr = attr
        self.label = label
        self.definition = definition
        self.text = f"Edit attribute {tag}.{attr}"

    def describe(self) -> str:
        what = [f"{k} {v!r}" for k, v in self._fields().items()]
        return f"gave attribute {self.tag}.{self.attr} {', '.join(what) or 'nothing new'}"

    def _fields(self) -> dict[str, str]:
        return {
            k: v
            for k, v in (("label", self.label), ("definition", self.definition))
            if v is not None
        }

    def new_tagset(self, ts: TagSet) -> TagSet:
        def edit(a: AttributeDef) -> AttributeDef:
            label = a.label if self.label is None else self.label
            definition = a.definition if self.definition is None else self.definition
            return replace(a, label=label, definition=definition)

        return replace_attr(ts, self.tag, self.attr, edit)

    def log_args(self) -> dict[str, LogArg | None]:
        return {"tag": self.tag, "attr": self.attr, **self._fields()}


class SetMultiple(TagSetCommand):
    """Let an attribute take several values (``multiple=True``) or only one.

    One value to several is never a loss: each annotation's value becomes a list
    of one. Several to one is: an annotation holding two or more values must
    give up all but one, so the change is refused (saying how many annotations
    in which layers hold several) unless the user chose: ``keep_first`` keeps
    the value that comes first in the attribute's list (the first in
    alphabetical order for free text), ``delete`` takes the attribute from those
    annotations. Annotations with a single value keep it either way.
    """

    op = "set-multiple"

    def __init__(
        self,
        tag: str,
        attr: str,
        multiple: bool,
        keep_first: bool = False,
        delete: bool = False,
        author: str = "",
    ) -> None:
        super().__init__(author)
        if keep_first and delete:
            raise InvalidTagSetChange("choose either to keep the first value or to delete them")
        self.tag = tag
        self.attr = attr
        self.multiple = multiple
        self.keep_first = keep_first
        self.delete = delete
        self.resolved = keep_first or delete
        how = "several values" if multiple else "one value"
        self.text = f"Let {tag}.{attr} take {how}"

    def describe(self) -> str:
        if self.multiple:
            return f"let {self.tag}.{self.attr} take several values"
        how = " (kept the first)" if self.keep_first else " (others deleted)" if self.delete else ""
        return f"let {self.tag}.{self.attr} take one value{how}"

    def refusal(self, impact: TagSetImpact) -> str:
        held = sum(impact.stripped.values())
        layers = ", ".join(f"{k}: {n}" for k, n in sorted(impact.stripped.items()))
        noun = "annotation holds" if held == 1 else "annotations hold"
        return (
            f"cannot let {self.tag}.{self.attr} take one value: {held} {noun} several "
            f"({layers}); choose to keep the first value of each, or to delete them"
        )

    def new_tagset(self, ts: TagSet) -> TagSet:
        ad = ts.tag(self.tag).attribute(self.attr)
        if ad.multiple == self.multiple:
            how = "several values" if self.multiple else "one value"
            raise InvalidTagSetChange(f"{self.tag}.{self.attr} already takes {how}")
        return replace_attr(ts, self.tag, self.attr, lambda a: replace(a, multiple=self.multiple))

    def reaches(self, ann: Annotation) -> bool:
        return ann.tag == self.tag and self.attr in ann.attributes

    def rewrite(self, ann: Annotation, ts: TagSet) -> Annotation:
        new = ann.copy()
        value = ann.attributes[self.attr]
        if self.multiple:
            new.attributes[self.attr] = (value,) if isinstance(value, str) else value
            return new
        items = (value,) if isinstance(value, str) else value
        if len(items) == 1:
            new.attributes[self.attr] = items[0]
        elif self.keep_first:
            order = ts.tag(self.tag).attribute(self.attr).values
            new.attributes[self.attr] = min(
                items, key=lambda v: (order.index(v) if v in order else len(order), v)
            )
        else:  # deleted, or (unresolved) counted as a loss and refused
            del new.attributes[self.attr]
        return new

    def strips(self, old: Annotation, new: Annotation) -> bool:
        value = old.attributes[self.attr]
        return not self.multiple and isinstance(value, tuple) and len(value) > 1

    def log_args(self) -> dict[str, LogArg | None]:
        return {
            "tag": self.tag,
            "attr": self.attr,
            "multiple": self.multiple,
            "keep_first": self.keep_first,
            "delete": self.delete,
        }


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
    """A new value at the end of a closed list, with its human label."""

    op = "add-value"

    def __init__(self, tag: str, attr: str, value: str, label: str = "", author: str = "") -> None:
        super().__init__(tag, attr, value, author)
        self.label = label
        self.text = f"Add value {value} to {tag}.{attr}"

    def log_args(self) -> dict[str, LogArg | None]:
        return {"tag": self.tag, "attr": self.attr, "value": self.value, "label": self.label}

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


class RelabelValue(_ValueCommand):
    """Give a value of a closed list another human label; annotations keep the value."""

    op = "relabel-value"

    def __init__(self, tag: str, attr: str, value: str, label: str, author: str = "") -> None:
        super().__init__(tag, attr, value, author)
        self.label = label
        self.text = f"Relabel value {value} of {tag}.{attr}"

    def describe(self) -> str:
        return f"labelled value {self.value!r} of {self.tag}.{self.attr} {self.label!r}"

    def reaches(self, ann: Annotation) -> bool:
        return False

    def new_tagset(self, ts: TagSet) -> TagSet:
        ad = self._known(ts)
        labels = list(ad.value_labels if len(ad.value_labels) == len(ad.values) else ad.values)
        labels[ad.values.index(self.value)] = self.label or self.value
        return replace_attr(
            ts, self.tag, self.attr, lambda a: replace(a, value_labels=tuple(labels))
        )

    def log_args(self) -> dict[str, LogArg | None]:
        return {"tag": self.tag, "attr": self.attr, "value": self.value, "label": self.label}


class RenameValue(_ValueCommand):
    """Rename a value; annotations that have it (single or among several) follow."""

    op = "rename-value"

    def __init__(self, tag: str, attr: str, old: str, new: str, author: str = "") -> None:
        super().__init__(tag, attr, old, author)
        self.new = new
        self.text = f"Rename value {old} of {tag}.{attr} to {new}"

    def log_args(self) -> dict[str, LogArg | None]:
        return {"tag": self.tag, "attr": self.attr, "old": self.value, "new": self.new}

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

    op = "merge-values"

    def __init__(self, tag: str, attr: str, source: str, into: str, author: str = "") -> None:
        super().__init__(tag, attr, source, author)
        self.into = into
        self.text = f"Merge value {source} of {tag}.{attr} into {into}"

    def log_args(self) -> dict[str, LogArg | None]:
        return {"tag": self.tag, "attr": self.attr, "source": self.value, "into": self.into}

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

    op = "remove-value"

    def log_args(self) -> dict[str, LogArg | None]:
        return {
            "tag": self.tag,
            "attr": self.attr,
            "value": self.value,
            "map_to": self.map_to,
            "delete": self.delete,
        }

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


__all__ = [
    "AddAttribute",
    "AddValue",
    "EditAttribute",
    "MergeValues",
    "RelabelValue",
    "RemoveAttribute",
    "RemoveValue",
    "RenameAttribute",
    "RenameValue",
    "SetMultiple",
    "value_uses",
]
