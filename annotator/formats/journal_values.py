"""How the edit journal writes a command and the values it holds as JSON, and reads
them back (:mod:`.journal` holds the file, its steps and their replay).

Only the project's own commands and value types are written or read: a journal
is data, never a name of code to import and run.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
from typing import Any

from lxml import etree

from annotator.errors import JournalUnusable
from annotator.formats.journal_refs import TAGSET_CHANGE, from_short_form
from annotator.model import commands as _commands
from annotator.model import documents as _documents
from annotator.model import import_commands as _import_commands
from annotator.model import text_edit as _text_edit
from annotator.model.commands import Command
from annotator.model.project import (
    Annotation,
    Comment,
    Document,
    DocumentAnnotations,
    DocumentMeta,
    Fragment,
    LayerKind,
    Link,
    ReviewStatus,
    Status,
)
from annotator.model.tagset import AttributeDef, LinkType, TagSet, TagType

#: modules whose commands a journal may name (a journal is data, never code to import)
_COMMAND_MODULES = (_commands, _documents, _import_commands, _text_edit)
#: the reviewer's commands, imported only when a journal names them
_LATER_MODULES = (
    "annotator.review.adjudicate",
    "annotator.review.merge",
    "annotator.model.tagset_commands",
    "annotator.model.tagset_attributes",
    "annotator.model.tagset_links",
)

_VALUE_TYPES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        Annotation,
        AttributeDef,  # a tag-set change that adds an attribute or a tag carries it
        Comment,
        Document,
        DocumentAnnotations,
        DocumentMeta,
        Link,
        LinkType,  # a tag-set change that adds or edits a link type
        TagType,
    )
}
_ENUMS: dict[str, type[enum.Enum]] = {
    cls.__name__: cls for cls in (Status, ReviewStatus, LayerKind)
}


class NotJournalable(Exception):
    """A command holds a value this journal cannot write (internal: triggers a snapshot)."""


# --- values ---------------------------------------------------------------------


def _command_classes() -> dict[str, type[Command]]:
    found: dict[str, type[Command]] = {}
    todo: list[type[Command]] = [Command]  # type: ignore[type-abstract]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            found[f"{sub.__module__}.{sub.__qualname__}"] = sub
    return found


def encode(value: object) -> Any:
    """``value`` as JSON data that :func:`decode` turns back into an equal value."""
    if isinstance(value, enum.Enum):  # first: a StrEnum is also a str
        return {"$": type(value).__name__, "v": value.value}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Fragment):
        return {"$": "F", "v": [value.start, value.end]}
    if isinstance(value, tuple):
        return {"$": "tuple", "v": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise NotJournalable(f"a mapping with keys that are not text: {value!r:.60}")
        items = {k: encode(v) for k, v in value.items()}
        return {"$": "dict", "v": items} if "$" in items else items
    if isinstance(value, TagSet):
        from annotator.formats.tagset_xml import tagset_to_element

        return {"$": "TagSet", "xml": etree.tostring(tagset_to_element(value), encoding="unicode")}
    if isinstance(value, Command):
        name = f"{type(value).__module__}.{type(value).__qualname__}"
        if name not in _command_classes():
            raise NotJournalable(f"command {name} is not one of the project's commands")
        return {"$": name, "s": {k: encode(v) for k, v in vars(value).items()}}
    if dataclasses.is_dataclass(value) and type(value).__name__ in _VALUE_TYPES:
        return {
            "$": type(value).__name__,
            **{f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init},
        }
    raise NotJournalable(f"no journal form for {type(value).__name__}")


def decode(data: Any) -> Any:
    """The value :func:`encode` wrote. Raises JournalUnusable for anything else."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    kind = data.get("$")
    if kind is None:
        return {k: decode(v) for k, v in data.items()}
    if kind == "dict":
        return {k: decode(v) for k, v in data["v"].items()}
    if kind == "tuple":
        return tuple(decode(v) for v in data["v"])
    if kind == "F":
        start, end = data["v"]
        return Fragment(int(start), int(end))
    if kind in _ENUMS:
        return _ENUMS[kind](data["v"])
    if kind == TAGSET_CHANGE:
        return from_short_form(data)
    if kind == "TagSet":
        from annotator.formats.tagset_xml import tagset_from_element

        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        return tagset_from_element(etree.fromstring(data["xml"].encode("utf-8"), parser))
    if kind in _VALUE_TYPES:
        return _VALUE_TYPES[kind](**{k: decode(v) for k, v in data.items() if k != "$"})
    cls = _command_classes().get(kind)
    module_name, _, class_name = kind.rpartition(".")
    if cls is None and module_name in _LATER_MODULES:
        module = importlib.import_module(module_name)
        cls = _command_classes().get(kind)
        # a command that moved to another module is still found by its old name
        # (the module that held it imports it): a journal written before the move replays
        moved = getattr(module, class_name, None)
        if cls is None and isinstance(moved, type) and issubclass(moved, Command):
            cls = moved
    if cls is None:
        raise JournalUnusable(f"the journal names an edit this version does not know: {kind}")
    cmd = cls.__new__(cls)
    vars(cmd).update({k: decode(v) for k, v in data["s"].items()})
    return cmd
