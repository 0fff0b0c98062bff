"""The edit journal: every command, as it happens, in a file beside the project.

A full save of a large project takes seconds; an edit takes a millisecond. So
instead of writing the whole project every minute (and losing up to a minute
of work in a crash), each command that is done, undone or redone is appended
as one JSON line to ``.NAME.journal`` beside ``NAME``, handed to the
operating system before the edit is shown as done: a crash of the program (or
a kill) therefore loses no edit at all. The fsync that makes the lines survive
a power cut as well runs in a thread of its own (:mod:`.group_sync`), one for
a whole burst of edits, so a keypress never waits for the disk; a power cut
can take only the last few milliseconds of edits.

The first line is a header naming the file the journal applies to (its
sha256 as last loaded or saved) and the layers and their id counters at that
moment. Each further line holds one step::

    {"n": 3, "op": "do", "cmd": {"$": "annotator.model.commands.AddAnnotation", ...}}

``cmd`` is the command object with its whole state (ids, tag, fragments,
attribute values, texts, time stamps, and for undo the before-image it
restores), so replaying it on the saved file gives the same ids and times as
the live session. ``layers`` records a layer id counter that moved, because
an id handed out and then undone still counts as used.

Recovery loads the saved file, checks it is the file the journal was started
on (:class:`~annotator.errors.JournalBaseChanged` if not), and replays the
lines in order. A last line cut short by the crash (no newline, or not JSON)
is the one edit that was being written when the process died: it is
dropped and reported, never an error. A save that reached the disk removes
the journal (or starts it again from the steps made while the save ran).
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import importlib
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from lxml import etree

from annotator.errors import JournalBaseChanged, JournalUnusable
from annotator.formats.group_sync import GroupSync
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
    Project,
    ReviewStatus,
    Status,
)
from annotator.model.tagset import AttributeDef, LinkType, TagSet, TagType

FORMAT = 1
SUFFIX = ".journal"

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


def journal_path(project_path: str | Path) -> Path:
    """Where the journal of ``project_path`` lives: beside it, ``.NAME.journal``.

    Hidden, so that a folder import of releases kept beside the project passes
    it over, and listings and version control are not cluttered by it.
    """
    p = Path(project_path)
    return p.with_name(f".{p.name}{SUFFIX}")


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


_STEP = re.compile(r'\{"n":(\d{1,18}),')


def _step_number(line: str) -> int | None:
    """The ``n`` of a step's line, read from its start (steps are written ``{"n":…``);
    None for the header and for anything else."""
    m = _STEP.match(line)
    if m is not None:
        return int(m.group(1))
    if line.startswith('{"annotator-journal"'):
        return None
    try:
        rec = json.loads(line)
    except ValueError:
        return None
    n = rec.get("n") if isinstance(rec, dict) else None
    return n if isinstance(n, int) else None


def _layer_state(project: Project) -> dict[str, list[str | int]]:
    return {name: [layer.kind.value, layer.counter] for name, layer in project.layers.items()}


def _apply_layer_state(project: Project, state: Mapping[str, Any]) -> None:
    for name, (kind, counter) in state.items():
        project.ensure_layer(name, LayerKind(kind)).counter = int(counter)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# --- writing --------------------------------------------------------------------


class Journal:
    """The journal of one open project. The file is created with the first step.

    ``base_sha256`` is the hash of the project file the steps apply to (``None``
    for a project never saved). ``snapshot`` turns the whole project into file
    bytes: it is used only for a command the journal cannot describe.
    """

    def __init__(
        self,
        path: str | Path,
        base_sha256: str | None,
        *,
        snapshot: Callable[[Project], bytes] | None = None,
    ) -> None:
        self.path = Path(path)
        self.base_sha256 = base_sha256
        self.snapshot = snapshot
        self.steps = 0
        self._fh: IO[bytes] | None = None
        self._sync: GroupSync | None = None
        #: (step number, where its line starts in the file), for lines_after
        self._starts: list[tuple[int, int]] = []
        self._layers: dict[str, list[str | int]] = {}

    def _open(self, project: Project) -> IO[bytes]:
        if self._fh is not None:
            return self._fh
        self._layers = _layer_state(project)
        header = {
            "annotator-journal": FORMAT,
            "base_sha256": self.base_sha256,
            "started": _now(),
            "layers": self._layers,
        }
        fh = open(self.path, "wb")  # noqa: SIM115 - kept open for the session's edits
        self._fh = fh
        # the syncing thread also fsyncs the folder, so the new name survives a power cut
        self._sync = GroupSync(fh.fileno(), self.path.parent)
        self._write(header)
        return fh

    def _write(self, record: Mapping[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        self._write_lines([line])

    def _write_lines(self, lines: list[str]) -> None:
        """Hand ``lines`` to the operating system now (a crash cannot lose them from
        here on); the syncing thread makes them durable on the disk soon after."""
        assert self._fh is not None and self._sync is not None
        if self._sync.error is not None:
            err, self._sync.error = self._sync.error, None
            raise err  # an earlier line may not be on the disk: the user must hear of it
        for line in lines:
            n = _step_number(line)
            if n is not None:
                self._starts.append((n, self._fh.tell()))
            self._fh.write(line.encode("utf-8", "surrogatepass") + b"\n")
        self._fh.flush()
        self._sync.written()

    def sync(self, timeout: float | None = None) -> bool:
        """Wait until every step written so far is durable on the disk (False on timeout)."""
        return self._sync.wait(timeout) if self._sync is not None else True

    def append(self, op: str, command: Command, project: Project) -> None:
        """Record that ``command`` was just done, undone or redone on ``project``."""
        assert op in ("do", "undo", "redo"), op
        self._open(project)
        self.steps += 1
        record: dict[str, Any] = {"n": self.steps, "op": op, "text": command.text}
        try:
            record["cmd"] = encode(command)
        except NotJournalable:
            # A command holding something we cannot write as JSON (a future command
            # carrying an object of its own) is journaled as the whole project instead:
            # slow for one step, but the edit is still on disk before it is shown.
            if self.snapshot is None:
                raise
            record = {"n": self.steps, "op": "snapshot", "text": command.text}
            record["project"] = self.snapshot(project).decode("utf-8", "surrogatepass")
        layers = _layer_state(project)
        moved = {k: v for k, v in layers.items() if self._layers.get(k) != v}
        if moved:
            record["layers"] = moved
        self._layers = layers
        self._write(record)

    def close(self) -> None:
        """Close the file once its last steps are durable."""
        if self._sync is not None:
            self._sync.close()
            self._sync = None
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        self._starts = []

    def remove(self) -> None:
        """The project was saved (or its changes discarded): the journal is done.

        Nothing waits for a last fsync of a file that is being deleted: the syncing
        thread closes it when it is done.
        """
        fh, sync = self._fh, self._sync
        self._fh, self._sync, self._starts = None, None, []
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)
        if sync is not None and fh is not None:
            sync.close(then=fh.close, wait=False)
        elif fh is not None:
            fh.close()
        self.steps = 0

    def restart(self, base_sha256: str | None, project: Project, steps: list[str]) -> None:
        """Start again on a newly saved file, keeping ``steps`` (raw lines) made after it."""
        count = self.steps
        self.remove()
        self.base_sha256 = base_sha256
        if not steps:
            return
        self._open(project)  # the header holds the layers as they were saved
        self._write_lines(steps)
        # later steps are numbered after the kept ones (a next save cuts by number)
        self.steps = max(count, *(_step_number(line) or 0 for line in steps))

    def rebase(self, base_sha256: str | None, project: Project) -> None:
        """The session now stands on another version of the file without having saved it
        (it merged what a colleague saved): start again on that file with one snapshot step.
        """
        if self.snapshot is None:
            raise NotJournalable("a journal without a snapshot function cannot change its base")
        count = self.steps
        self.remove()
        self.base_sha256 = base_sha256
        self._open(project)
        self.steps = count + 1
        data = self.snapshot(project).decode("utf-8", "surrogatepass")
        self._write({"n": self.steps, "op": "snapshot", "text": "Merge", "project": data})

    def resume(self, contents: JournalContents, project: Project) -> None:
        """Go on with a journal that was replayed into ``project`` (after a restore).

        The file is written again from what was read, so a torn last line is gone
        before the next step is appended after it.
        """
        self.close()
        header = {
            "annotator-journal": FORMAT,
            "base_sha256": contents.base_sha256,
            "started": contents.started,
            "layers": contents.layers,
        }
        lines = [json.dumps(header, ensure_ascii=False, separators=(",", ":"))]
        lines += [line for _, line in contents.raw]
        tmp = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")
        with open(tmp, "wb") as fh:
            fh.write("".join(f"{line}\n" for line in lines).encode("utf-8", "surrogatepass"))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
        self.base_sha256 = contents.base_sha256
        self.steps = max((n for n, _ in contents.raw), default=0)
        self._layers = _layer_state(project)
        self._fh = open(self.path, "ab")  # noqa: SIM115 - kept open for the session's edits
        self._sync = GroupSync(self._fh.fileno())

    def lines_after(self, step: int) -> list[str]:
        """The raw lines of the steps after ``step`` (for :meth:`restart`).

        Read from where the first of them starts, without parsing any: a step that
        holds a whole project (after a merge) is a line of megabytes, and this
        runs on the UI thread when a save ends.
        """
        if self._fh is None:
            return []
        # Every step after ``step`` was written by this object (steps read back by
        # resume are older than any save made since), so its start is known.
        later = [offset for n, offset in self._starts if n > step]
        if not later:
            return []
        with open(self.path, "rb") as fh:
            fh.seek(later[0])
            data = fh.read()
        return data.decode("utf-8", "surrogatepass").split("\n")[: len(later)]


# --- reading and replaying ---------------------------------------------------------


@dataclass
class JournalContents:
    path: Path
    base_sha256: str | None
    started: str
    layers: dict[str, Any]
    steps: list[dict[str, Any]] = field(default_factory=list)
    raw: list[tuple[int, str]] = field(default_factory=list)
    #: the last line was cut short (the process died while writing it)
    torn: bool = False


def read_journal(path: str | Path) -> JournalContents:
    """Read a journal; a torn last line is dropped and flagged, anything else is an error."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise JournalUnusable(
            f"cannot read the edit journal: {err.strerror}", path=str(path)
        ) from None
    lines = data.split(b"\n")
    torn = lines[-1] != b""  # every complete line ends with a newline
    lines = lines[:-1] if not torn else lines
    records: list[tuple[int, dict[str, Any], str]] = []
    for i, raw in enumerate(lines, start=1):
        try:
            text = raw.decode("utf-8", "surrogatepass")
            rec = json.loads(text)
            if not isinstance(rec, dict):
                raise ValueError("not an object")
        except ValueError:
            if i == len(lines) and i > 1:
                # the last line, cut short (or left as zeros) by the crash
                torn = True
                break
            raise JournalUnusable("the edit journal is damaged", path=str(path), line=i) from None
        records.append((i, rec, text))
    else:
        # a whole object that lacks only its newline was written in full
        torn = False
    if not records or records[0][1].get("annotator-journal") != FORMAT:
        if torn and not records:
            raise JournalUnusable("the edit journal holds no edit (cut short)", path=str(path))
        raise JournalUnusable("not an annotator edit journal", path=str(path), line=1)
    header = records[0][1]
    steps = [rec for _, rec, _ in records[1:]]
    raw_steps = [(int(rec.get("n", 0)), text) for _, rec, text in records[1:]]
    return JournalContents(
        path=path,
        base_sha256=header.get("base_sha256"),
        started=str(header.get("started", "")),
        layers=dict(header.get("layers", {})),
        steps=steps,
        raw=raw_steps,
        torn=torn,
    )


def check_base(contents: JournalContents, on_disk_sha256: str | None) -> None:
    """Refuse a journal started on another version of the file than the one on disk."""
    if contents.base_sha256 != on_disk_sha256:
        raise JournalBaseChanged(
            "the project file was changed after these unsaved edits were started "
            f"(journal from {contents.started or 'an earlier session'}); replaying them on "
            "the new file could put them in the wrong places, so the journal is kept as it is",
            path=str(contents.path),
        )


def iter_steps(contents: JournalContents) -> Iterator[tuple[str, dict[str, Any]]]:
    for rec in contents.steps:
        yield str(rec.get("op", "")), rec


def replay(project: Project, contents: JournalContents) -> Project:
    """Apply the journal's steps to ``project`` (the saved file it was started on).

    Returns the project with every step applied (a new object only if a step
    was a whole-project snapshot).
    """
    _apply_layer_state(project, contents.layers)
    line = 1
    for op, rec in iter_steps(contents):
        line += 1
        try:
            if op == "snapshot":
                from annotator.formats.project_xml import project_from_bytes

                project = project_from_bytes(
                    str(rec["project"]).encode("utf-8", "surrogatepass"), source=str(contents.path)
                )
            else:
                cmd = decode(rec["cmd"])
                if not isinstance(cmd, Command) or op not in ("do", "undo", "redo"):
                    raise JournalUnusable("not an edit", path=str(contents.path), line=line)
                if op == "undo":
                    cmd.undo(project)
                else:
                    cmd.do(project)
            _apply_layer_state(project, rec.get("layers", {}))
        except JournalUnusable:
            raise
        except (KeyError, TypeError, ValueError, AssertionError) as err:
            raise JournalUnusable(
                f"an edit in the journal cannot be replayed ({type(err).__name__})",
                path=str(contents.path),
                line=line,
            ) from err
    return project


def describe(contents: JournalContents) -> str:
    """What a journal holds, in the words of the Undo menu."""
    done = [str(rec.get("text", "Edit")) for op, rec in iter_steps(contents) if op != "undo"]
    undone = sum(1 for op, _ in iter_steps(contents) if op == "undo")
    n = len(contents.steps)
    lines = [
        f"{n} unsaved edit{'' if n == 1 else 's'} since {contents.started or 'the last save'}."
    ]
    if done:
        counts: dict[str, int] = {}
        for text in done:
            counts[text] = counts.get(text, 0) + 1
        shown = [f"{t} ×{c}" if c > 1 else t for t, c in list(counts.items())[:8]]
        more = len(counts) - len(shown)
        lines.append(", ".join(shown) + (f" and {more} more" if more > 0 else "") + ".")
    if undone:
        lines.append(f"{undone} of them undo an earlier edit.")
    if contents.torn:
        lines.append(
            "The last line was cut short when the program stopped; that one edit was "
            "half-written and is left out."
        )
    return "\n".join(lines)


__all__ = [
    "Journal",
    "JournalContents",
    "check_base",
    "decode",
    "describe",
    "encode",
    "journal_path",
    "read_journal",
    "replay",
]
