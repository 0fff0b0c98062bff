"""Which of our tags, attributes and link types a source's names stand for.

A name matches a tag (attribute, link type, value) when it is its name or its
label once case, ``_``, ``-`` and spaces are ignored: brat's
``Responsible_authority`` is the tag ``authority`` labelled "Responsible
authority". ``--map SOURCE=TAG`` settles what the names cannot.

When a source brings types the tag set lacks, :func:`infer_tagset` builds a
tag set from what the data uses, and :func:`merge_tagsets` adds one tag set's
types to another without changing the types already there.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping

from annotator.interchange.brat_conf import PALETTE, label_of
from annotator.interchange.parsed import ParsedDocument
from annotator.model import AttributeDef, AttrValue, LinkType, TagSet, TagType

_IGNORED = re.compile(r"[\s_\-]+")


def name_key(name: str) -> str:
    """``Responsible_authority``, ``responsible authority`` → ``responsibleauthority``."""
    return _IGNORED.sub("", name).casefold()


class TypeMap:
    """Source names → our names, for one tag set and the user's ``--map`` choices."""

    def __init__(self, tagset: TagSet, explicit: Mapping[str, str] | None = None) -> None:
        self.tagset = tagset
        self.explicit = {name_key(k): v for k, v in (explicit or {}).items()}
        self._tags: dict[str, str] = {}
        for t in tagset.tags:
            self._tags.setdefault(name_key(t.label), t.name)
        for t in tagset.tags:  # a name beats another type's label
            self._tags[name_key(t.name)] = t.name
        self._links: dict[str, str] = {}
        for lt in tagset.links:
            self._links.setdefault(name_key(lt.label), lt.name)
        for lt in tagset.links:
            self._links[name_key(lt.name)] = lt.name

    def tag(self, name: str) -> str | None:
        if self.tagset.has_tag(name):
            return name
        key = name_key(name)
        mapped = self.explicit.get(key)
        if mapped is not None and self.tagset.has_tag(mapped):
            return mapped
        return self._tags.get(key)

    def link(self, name: str) -> str | None:
        key = name_key(name)
        mapped = self.explicit.get(key)
        if mapped is not None and any(lt.name == mapped for lt in self.tagset.links):
            return mapped
        return self._links.get(key)

    def attribute(self, tag: str, name: str) -> AttributeDef | None:
        key = name_key(name)
        attrs = self.tagset.tag(tag).attributes
        return next((a for a in attrs if a.name == name), None) or next(
            (a for a in attrs if key in (name_key(a.name), name_key(a.label))), None
        )


def map_value(attr: AttributeDef, value: str) -> str:
    """A closed value by its name or label (ignoring case, ``_`` and spaces); others unchanged."""
    if not attr.closed or value in attr.values:
        return value
    key = name_key(value)
    for i, v in enumerate(attr.values):
        label = attr.value_labels[i] if i < len(attr.value_labels) else v
        if key in (name_key(v), name_key(label)):
            return v
    if value == "true" and "yes" in attr.values:  # a binary flag, as brat writes it
        return "yes"
    return value


def _values(value: AttrValue) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def infer_tagset(documents: Iterable[ParsedDocument], name: str = "imported") -> TagSet:
    """A tag set with every type, attribute (and its values) and link the documents use."""
    tags: dict[str, dict[str, set[str]]] = {}
    multiple: set[tuple[str, str]] = set()
    links: dict[str, tuple[list[str], list[str]]] = {}
    for doc in documents:
        by_id = {}
        for ann in doc.annotations:
            by_id[ann.id] = ann.tag
            attrs = tags.setdefault(ann.tag, {})
            for key, value in ann.attributes.items():
                values = _values(value)
                attrs.setdefault(key, set()).update(values)
                if len(values) > 1:
                    multiple.add((ann.tag, key))
        for lk in doc.links:
            src, tgt = by_id.get(lk.source), by_id.get(lk.target)
            if src is None or tgt is None:
                continue
            srcs, tgts = links.setdefault(lk.type, ([], []))
            if src not in srcs:
                srcs.append(src)
            if tgt not in tgts:
                tgts.append(tgt)
    tag_types = tuple(
        TagType(
            tag,
            label_of(tag),
            PALETTE[i % len(PALETTE)],
            attributes=tuple(
                AttributeDef(a, label_of(a), multiple=(tag, a) in multiple) for a in sorted(attrs)
            ),
        )
        for i, (tag, attrs) in enumerate(tags.items())
    )
    link_types = tuple(LinkType(n, label_of(n), tuple(s), tuple(t)) for n, (s, t) in links.items())
    return TagSet(name=name, tags=tag_types, links=link_types)


def _widened(old: AttributeDef, new: AttributeDef) -> AttributeDef:
    """``old`` that also takes ``new``'s closed values, and several when ``new`` does."""
    if not old.closed or not new.closed:
        return dataclasses.replace(old, multiple=old.multiple or new.multiple)
    extra = [v for v in new.values if v not in old.values]
    if not extra and (old.multiple or not new.multiple):
        return old
    old_labels = old.value_labels if len(old.value_labels) == len(old.values) else old.values
    new_labels = [new.label_of(v) for v in extra]
    return dataclasses.replace(
        old,
        values=(*old.values, *extra),
        value_labels=(*old_labels, *new_labels),
        multiple=old.multiple or new.multiple,
    )


def merge_tagsets(base: TagSet, extra: TagSet, *, widen: bool = False) -> TagSet:
    """``base`` with the tags, attributes and link types of ``extra`` it lacks (by name).

    Types ``base`` already has keep their definition; new attributes are added
    to them, and link types already there gain the new source and target tags.
    ``widen`` also lets an attribute both have take ``extra``'s values.
    """
    tags = list(base.tags)
    index = {t.name: i for i, t in enumerate(tags)}
    for t in extra.tags:
        if t.name not in index:
            index[t.name] = len(tags)
            tags.append(t)
            continue
        old = tags[index[t.name]]
        attrs = list(old.attributes)
        have = {a.name: i for i, a in enumerate(attrs)}
        for a in t.attributes:
            if a.name not in have:
                attrs.append(a)
            elif widen:
                attrs[have[a.name]] = _widened(attrs[have[a.name]], a)
        if tuple(attrs) != old.attributes:
            tags[index[t.name]] = dataclasses.replace(old, attributes=tuple(attrs))
    links = list(base.links)
    lindex = {lt.name: i for i, lt in enumerate(links)}
    for lt in extra.links:
        if lt.name not in lindex:
            lindex[lt.name] = len(links)
            links.append(lt)
            continue
        old_lt = links[lindex[lt.name]]
        sources = tuple(dict.fromkeys((*old_lt.sources, *lt.sources)))
        targets = tuple(dict.fromkeys((*old_lt.targets, *lt.targets)))
        if (sources, targets) != (old_lt.sources, old_lt.targets):
            links[lindex[lt.name]] = dataclasses.replace(old_lt, sources=sources, targets=targets)
    return TagSet(
        name=base.name or extra.name,
        tags=tuple(tags),
        links=tuple(links),
        description=base.description,
    )


__all__ = ["TypeMap", "infer_tagset", "map_value", "merge_tagsets", "name_key"]
