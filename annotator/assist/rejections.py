"""What the user rejected: kept in a small file beside the project, per annotator.

A rejection is not an edit of the project (nothing in any layer changes), so
it is not written into the project file: the schema stays as it is, and a
colleague's file is never rewritten because someone dismissed a suggestion.
It lives in the hidden ``.PROJECT.xml.rejections.json`` beside the project
(as the journal does), one list per annotator::

    {"format": "annotator-rejections", "version": 1,
     "layers": {"dana": [{"doc": "doc0001", "tag": "victim", "frags": "10-16",
                          "text": "people", "at": "2026-11-30T07:00:00Z"}]}}

A rejected place is never suggested again; a string (any case, singular or
plural) rejected with the same tag at two places is not suggested anywhere.
Saving re-reads the file under its write lock and adds to what is there, so
two windows rejecting at once both keep their rejections.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.assist.suggestion import Suggestion
from annotator.assist.text import TOKEN_RE, norm
from annotator.errors import FileFormatError

FORMAT = "annotator-rejections"
VERSION = 1
#: Rejections of one string with one tag after which it is not suggested anywhere.
BLOCK_AFTER = 2


def string_key(text: str) -> str:
    """The form rejections are counted by: words in their lookup form, one space apart."""
    return " ".join(norm(m.group()) for m in TOKEN_RE.finditer(text))


def sidecar_path(project_path: str | Path) -> Path:
    p = Path(project_path)
    return p.with_name(f".{p.name}.rejections.json")


@dataclass(frozen=True, slots=True)
class Rejection:
    doc: str
    tag: str
    frags: str
    text: str
    at: str = ""

    def as_json(self) -> dict[str, str]:
        return {
            "doc": self.doc,
            "tag": self.tag,
            "frags": self.frags,
            "text": self.text,
            "at": self.at,
        }


def rejection_of(suggestion: Suggestion, text: str, at: str = "") -> Rejection:
    """The record of rejecting ``suggestion`` on a document whose text is ``text``."""
    return Rejection(
        suggestion.doc_id,
        suggestion.tag,
        suggestion.key.partition(":")[2],
        suggestion.covered_text(text, " "),
        at,
    )


@dataclass(slots=True)
class Rejections:
    """One annotator's rejections, and what they block."""

    items: list[Rejection] = field(default_factory=list)
    _places: set[tuple[str, str, str]] = field(default_factory=set, repr=False)
    _counts: Counter[tuple[str, str]] = field(default_factory=Counter, repr=False)

    def __post_init__(self) -> None:
        items, self.items = self.items, []
        for item in items:
            self.add(item)

    def add(self, item: Rejection) -> None:
        place = (item.doc, item.tag, item.frags)
        if place in self._places:
            return
        self._places.add(place)
        self._counts[(item.tag, string_key(item.text))] += 1
        self.items.append(item)

    def __bool__(self) -> bool:
        return bool(self.items)

    def blocked(self, tag: str, text: str) -> bool:
        return self._counts[(tag, string_key(text))] >= BLOCK_AFTER

    def rejected_here(self, doc_id: str, tag: str, frags: str) -> bool:
        return (doc_id, tag, frags) in self._places


def _parse(data: bytes, source: str) -> dict[str, list[Rejection]]:
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise FileFormatError(f"not a rejections file: {err}", path=source) from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise FileFormatError(
            'not a rejections file (no "format": "annotator-rejections")', path=source
        )
    layers = raw.get("layers", {})
    if not isinstance(layers, dict):
        raise FileFormatError('"layers" must be an object', path=source)
    out: dict[str, list[Rejection]] = {}
    for layer, items in layers.items():
        if not isinstance(items, list):
            raise FileFormatError(f"the rejections of {layer!r} must be a list", path=source)
        kept = []
        for item in items:
            if not isinstance(item, dict) or not all(
                isinstance(item.get(k), str) for k in ("doc", "tag", "frags", "text")
            ):
                raise FileFormatError(
                    f"a rejection of {layer!r} needs doc, tag, frags and text as strings",
                    path=source,
                )
            at = item.get("at", "")
            kept.append(
                Rejection(
                    item["doc"],
                    item["tag"],
                    item["frags"],
                    item["text"],
                    at if isinstance(at, str) else "",
                )
            )
        out[str(layer)] = kept
    return out


def load_rejections(project_path: str | Path, layer: str) -> Rejections:
    """The rejections ``layer`` made on the project at ``project_path`` (none if no file)."""
    path = sidecar_path(project_path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Rejections()
    return Rejections(_parse(data, str(path)).get(layer, []))


def save_rejections(project_path: str | Path, layer: str, new: Iterable[Rejection]) -> Rejections:
    """Add ``new`` to the file beside the project, under its lock; return the layer's whole list."""
    from annotator.formats.atomic import atomic_write_bytes
    from annotator.formats.locking import write_lock

    path = sidecar_path(project_path)
    with write_lock(path):
        try:
            layers = _parse(path.read_bytes(), str(path))
        except FileNotFoundError:
            layers = {}
        merged = Rejections(layers.get(layer, []))
        for item in new:
            merged.add(item)
        layers[layer] = merged.items
        body = {
            "format": FORMAT,
            "version": VERSION,
            "layers": {
                name: [r.as_json() for r in items] for name, items in sorted(layers.items())
            },
        }
        data = (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        atomic_write_bytes(path, data)
    return merged
