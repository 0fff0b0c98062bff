"""The tag set: what may be marked, which attributes a mark carries, which links exist.

A tag set is data, not code: the default one lives in
``resources/tagsets/default.xml`` and every project file embeds its own copy, so
a project always opens with the tag set it was annotated with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from annotator.errors import (
    InvalidAttributeValue,
    LinkTypeMismatch,
    UnknownAttribute,
    UnknownTag,
)

#: An attribute value: one string for single-valued attributes, a tuple for multiple.
AttrValue = str | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AttributeDef:
    """One attribute of a tag.

    ``values`` empty means free text; otherwise the value must come from the
    list. ``multiple`` allows several values, stored as a sorted tuple.
    """

    name: str
    label: str = ""
    values: tuple[str, ...] = ()
    value_labels: tuple[str, ...] = ()
    multiple: bool = False
    definition: str = ""

    @property
    def closed(self) -> bool:
        return bool(self.values)

    def label_of(self, value: str) -> str:
        """Human label of a closed value (the value itself when none is given)."""
        if value in self.values and len(self.value_labels) == len(self.values):
            return self.value_labels[self.values.index(value)]
        return value

    def normalise(self, tag: str, value: object) -> AttrValue:
        """Check ``value`` against this definition and return its canonical form."""
        if self.multiple:
            if isinstance(value, str):
                items: tuple[str, ...] = (value,)
            elif isinstance(value, Iterable):
                items = tuple(str(v) for v in value)
            else:
                raise InvalidAttributeValue(f"{tag}.{self.name} takes a list of values")
            items = tuple(sorted(set(items)))
            for item in items:
                self._check_one(tag, item)
            return items
        if not isinstance(value, str):
            raise InvalidAttributeValue(f"{tag}.{self.name} takes a single value, not {value!r}")
        self._check_one(tag, value)
        return value

    def _check_one(self, tag: str, value: str) -> None:
        if self.closed and value not in self.values:
            allowed = ", ".join(self.values)
            raise InvalidAttributeValue(
                f"{value!r} is not a value of {tag}.{self.name} (allowed: {allowed})"
            )


@dataclass(frozen=True, slots=True)
class TagType:
    """A kind of span: Appeal, Victim, Authority, ..."""

    name: str
    label: str
    color: str  # "#rrggbb"
    shortcut: str = ""
    definition: str = ""
    examples: tuple[str, ...] = ()
    attributes: tuple[AttributeDef, ...] = ()

    def attribute(self, name: str) -> AttributeDef:
        for attr in self.attributes:
            if attr.name == name:
                return attr
        raise UnknownAttribute(f"tag {self.name!r} has no attribute {name!r}")


@dataclass(frozen=True, slots=True)
class LinkType:
    """A typed, directed edge: ``source`` tags may point to ``target`` tags."""

    name: str
    label: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    definition: str = ""

    def allows(self, source_tag: str, target_tag: str) -> bool:
        return source_tag in self.sources and target_tag in self.targets


@dataclass(frozen=True, slots=True)
class TagSet:
    """An ordered collection of tag and link types. Immutable: edits replace it."""

    name: str
    tags: tuple[TagType, ...]
    links: tuple[LinkType, ...] = ()
    description: str = ""
    _by_name: Mapping[str, TagType] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {t.name: t for t in self.tags})

    def tag(self, name: str) -> TagType:
        try:
            return self._by_name[name]
        except KeyError:
            raise UnknownTag(f"the tag set has no tag {name!r}") from None

    def has_tag(self, name: str) -> bool:
        return name in self._by_name

    def link_type(self, name: str) -> LinkType:
        for lt in self.links:
            if lt.name == name:
                return lt
        raise LinkTypeMismatch(f"the tag set has no link type {name!r}")

    def link_types_from(self, source_tag: str) -> tuple[LinkType, ...]:
        """Link types that an annotation with ``source_tag`` may start."""
        return tuple(lt for lt in self.links if source_tag in lt.sources)

    def check_link(self, link_type: str, source_tag: str, target_tag: str) -> None:
        lt = self.link_type(link_type)
        if not lt.allows(source_tag, target_tag):
            raise LinkTypeMismatch(
                f"a {link_type!r} link cannot go from {source_tag!r} to {target_tag!r}"
            )

    def check_attributes(self, tag: str, attributes: Mapping[str, object]) -> dict[str, AttrValue]:
        """Validate and normalise a whole attribute mapping for ``tag``."""
        tt = self.tag(tag)
        return {name: tt.attribute(name).normalise(tag, v) for name, v in attributes.items()}
