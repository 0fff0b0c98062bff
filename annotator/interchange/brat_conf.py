"""A tag set from brat's ``annotation.conf``.

brat's configuration has four sections, one type per line:

* ``[entities]``: entity types; a tab-indented line is a subtype of the line
  above (brat's hierarchy); ``!Name`` is a grouping that cannot be annotated;
* ``[relations]``: ``Name Arg1:TypeA|TypeB, Arg2:TypeC`` (``<REL-TYPE>`` and
  ``<OVERLAP>`` settings are brat's display rules and are not kept);
* ``[events]``: ``Name Role:Type, Role?:Type, Role+:Type|<EVENT>``; an event is
  a text-bound trigger, so it becomes a tag, and each role becomes a link type
  from the event's tag to the argument types (``?``, ``*``, ``+`` and ``{n}``
  say how many; we allow any number);
* ``[attributes]``: ``Name Arg:<EVENT>|Type, Value:V1|V2`` (or the older form
  ``Name Arg:<EVENT>, V1:glyph, V2:glyph``); without values it is binary,
  stored as the value ``true``.

``<ENTITY>``, ``<EVENT>`` and ``<ANY>`` stand for every entity type, every event
type and both; a line ``<NAME>=A|B`` defines a macro used as ``<NAME>``.
"""

from __future__ import annotations

import re

from annotator.model import AttributeDef, LinkType, TagSet, TagType

#: colour-blind-safe colours (Okabe-Ito) handed out in order to the types of a foreign tag set
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")

_SECTIONS = ("entities", "relations", "events", "attributes")
_ROLE_SUFFIX = re.compile(r"(\{\d*(?:-\d*)?\}|[?*+])+$")
_MACRO = re.compile(r"^<([A-Za-z0-9_-]+)>\s*=\s*(.+)$")


def label_of(name: str) -> str:
    """A label for a brat type name: ``Responsible_authority`` → "Responsible authority"."""
    return name.replace("_", " ")


def _split_line(line: str) -> tuple[str, list[tuple[str, str]]]:
    """(name, [(key, value), ...]) of ``Name Key:Value, Key:Value``."""
    name, _, rest = line.strip().partition("\t" if "\t" in line.strip() else " ")
    pairs = []
    for item in rest.split(","):
        key, sep, value = item.strip().partition(":")
        if key:
            pairs.append((key.strip(), value.strip() if sep else ""))
    return name.strip(), pairs


def tagset_from_conf(text: str, *, source: str = "", notes: list[str] | None = None) -> TagSet:
    """The tag set an ``annotation.conf`` describes (see the module docstring)."""
    notes = notes if notes is not None else []
    where = source or "annotation.conf"
    sections: dict[str, list[tuple[int, str]]] = {s: [] for s in _SECTIONS}
    macros: dict[str, list[str]] = {}
    current = ""
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or set(stripped) == {"-"}:
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stripped[1:-1].strip().lower()
            if current == "spans":  # brat's older name for entities
                current = "entities"
            continue
        m = _MACRO.match(stripped)
        if m:
            macros[m.group(1)] = [t.strip() for t in m.group(2).split("|") if t.strip()]
            continue
        if current in sections:
            sections[current].append((n, line))
    entities = [s.strip() for _, s in sections["entities"] if not s.strip().startswith(("!", "<"))]
    event_lines = [
        (n, *_split_line(s)) for n, s in sections["events"] if not s.strip().startswith(("!", "<"))
    ]
    events = [name for _, name, _ in event_lines]
    tag_names = [*entities, *events]

    def expand(types: str) -> tuple[str, ...]:
        out: list[str] = []
        for t in types.split("|"):
            t = t.strip()
            if t == "<ENTITY>":
                out += entities
            elif t == "<EVENT>":
                out += events
            elif t == "<ANY>":
                out += tag_names
            elif t.startswith("<") and t.endswith(">") and t[1:-1] in macros:
                out += [x for m in macros[t[1:-1]] for x in expand(m)]
            elif t in tag_names:
                out.append(t)
        return tuple(dict.fromkeys(out))

    links: dict[str, tuple[list[str], list[str]]] = {}
    order: list[str] = []

    def add_link(name: str, sources: tuple[str, ...], targets: tuple[str, ...]) -> None:
        if name not in links:
            links[name] = ([], [])
            order.append(name)
        srcs, tgts = links[name]
        srcs += [s for s in sources if s not in srcs]
        tgts += [t for t in targets if t not in tgts]

    for n, line in sections["relations"]:
        name, pairs = _split_line(line)
        if name.startswith("<"):
            continue
        args = [(k, v) for k, v in pairs if not k.startswith("<")]
        if len(args) < 2:
            notes.append(f"{where}, line {n}: relation {name} needs two arguments; not kept")
            continue
        add_link(name, expand(args[0][1]), expand(args[1][1]))
    for _n, name, pairs in event_lines:
        for role, types in pairs:
            add_link(_ROLE_SUFFIX.sub("", role), (name,), expand(types))

    attrs: dict[str, list[AttributeDef]] = {t: [] for t in tag_names}
    for n, line in sections["attributes"]:
        name, pairs = _split_line(line)
        name = name.lstrip("!")
        keys = dict(pairs)
        targets = expand(keys.get("Arg", "<ANY>"))
        if "Value" in keys:
            values = tuple(v.strip() for v in keys["Value"].split("|") if v.strip())
        else:
            values = tuple(k for k, _ in pairs if k != "Arg" and not k.startswith("<"))
        values = values or ("true",)
        if not targets:
            notes.append(f"{where}, line {n}: attribute {name} applies to no type; not kept")
        for t in targets:
            attrs[t].append(AttributeDef(name, label_of(name), values=values, value_labels=values))
    tags = tuple(
        TagType(t, label_of(t), PALETTE[i % len(PALETTE)], attributes=tuple(attrs[t]))
        for i, t in enumerate(tag_names)
    )
    link_types = tuple(
        LinkType(name, label_of(name), tuple(links[name][0]), tuple(links[name][1]))
        for name in order
        if links[name][0] and links[name][1]
    )
    return TagSet(name="brat", tags=tags, links=link_types)


__all__ = ["PALETTE", "label_of", "tagset_from_conf"]
