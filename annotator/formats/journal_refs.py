"""Journal steps that need not carry a command's whole state.

A tag-set change that reaches many annotations (renaming the tag 16,000 of them
carry) holds every annotation it replaced, so that undo can put back the very
objects. Written whole, that is megabytes of JSON per step, and the window
waits seconds for it at every do, undo and redo. Neither is needed:

- **do and redo** of a tag-set change plan it again from the project, so the
  step names the change as the tag-set log does (kind, arguments, author, time,
  id) and replaying it on the same project makes the same objects;
- **undo** of a command this journal wrote earlier names that step
  (``"ref": n``): replay undoes the object it rebuilt for step ``n``, which
  holds what that replay replaced.

A step that refers to one the journal no longer holds (the steps kept when a
save starts the journal again) is written whole again from the live object, so
a journal never names a step it lacks.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from annotator.model.commands import Command
from annotator.model.tagset_change import TagSetCommand, command_for
from annotator.model.tagset_log import TagSetLogEntry

#: the marker of a tag-set change written by its log entry
TAGSET_CHANGE = "tagset-change"

_PLAIN = (str, bool, int)


def _plain(value: object) -> bool:
    """A value a log entry gives back exactly as it was (no definition to canonicalise)."""
    if isinstance(value, tuple):
        return all(isinstance(v, str) for v in value)
    return isinstance(value, _PLAIN)


def _settings(command: Command) -> dict[str, Any]:
    """What a command was made with, without what its ``do`` computed (``_`` names)."""
    return {k: v for k, v in vars(command).items() if not k.startswith("_")}


def short_form(op: str, command: Command) -> dict[str, Any] | None:
    """The step ``op`` of ``command`` as its tag-set log entry, or None where that would
    not rebuild the very same command (undo, another kind, definitions as arguments)."""
    if op == "undo" or not isinstance(command, TagSetCommand):
        return None
    try:
        entry = command.log_entry()
    except NotImplementedError:
        return None
    if not all(_plain(v) for _, v in entry.args):
        return None
    again = command_for(entry)
    if type(again) is not type(command) or _settings(again) != _settings(command):
        return None
    return {
        "$": TAGSET_CHANGE,
        "id": entry.id,
        "op": entry.op,
        "author": entry.author,
        "at": entry.at,
        "what": entry.what,
        "args": [[k, list(v) if isinstance(v, tuple) else v] for k, v in entry.args],
    }


def from_short_form(data: dict[str, Any]) -> Command:
    """The command :func:`short_form` wrote (raises KeyError/TypeError/ValueError on bad data)."""
    args = tuple(
        (str(k), tuple(str(x) for x in v) if isinstance(v, list) else v) for k, v in data["args"]
    )
    for _, v in args:
        if not _plain(v):
            raise ValueError("a tag-set change in the journal has an argument of another kind")
    entry = TagSetLogEntry(
        id=str(data["id"]),
        op=str(data["op"]),
        author=str(data["author"]),
        at=str(data["at"]),
        what=str(data["what"]),
        args=args,
    )
    return command_for(entry)


class StepObjects:
    """The commands a journal wrote, by step, so a later undo of one can name its step."""

    def __init__(self) -> None:
        #: step number -> the command written at it (held: its id() must stay unique)
        self.by_step: dict[int, Command] = {}
        #: id(command) -> the last step it was written at
        self._last: dict[int, int] = {}

    def ref(self, op: str, command: Command) -> int | None:
        """The step to name instead of writing ``command`` whole, or None.

        Only tag-set changes: their objects never change after ``do`` (a Macro can
        grow, when typing merges into one undo step, and must be written whole)."""
        if op != "undo" or not isinstance(command, TagSetCommand):
            return None
        n = self._last.get(id(command))
        if n is None or self.by_step.get(n) is not command:
            return None
        return n

    def wrote(self, n: int, command: Command) -> None:
        if isinstance(command, TagSetCommand):
            self.by_step[n] = command
            self._last[id(command)] = n

    def clear(self) -> None:
        self.by_step.clear()
        self._last.clear()

    def keep_only(
        self,
        lines: list[str],
        encode_whole: Callable[[Command], Any],
        step_number: Callable[[str], int | None],
    ) -> tuple[list[str], dict[int, Command]]:
        """``lines`` (kept across a restart) with every reference to a step not among
        them written whole again, and the tag-set changes written at the kept steps
        (give them to :meth:`remember` once the journal starts again)."""
        kept: dict[int, Command] = {}
        out: list[str] = []
        for line in lines:
            n = step_number(line)
            if '"ref":' in line:
                rec = json.loads(line)
                target = rec.get("ref")
                if isinstance(target, int) and target not in kept:
                    del rec["ref"]
                    rec["cmd"] = encode_whole(self.by_step[target])
                    line = json.dumps(rec, ensure_ascii=False, separators=(",", ":"))
            if n is not None and n in self.by_step:
                kept[n] = self.by_step[n]
            out.append(line)
        return out, kept

    def remember(self, kept: dict[int, Command]) -> None:
        for n, command in kept.items():
            self.wrote(n, command)


def read_ref(rec: dict[str, Any], replayed: dict[int, Command]) -> Command:
    """The command a replayed step names by reference (KeyError if it names none)."""
    return replayed[int(rec["ref"])]
