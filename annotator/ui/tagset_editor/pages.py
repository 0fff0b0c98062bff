"""The right pane of the tag-set editor: the details of the row chosen on the left.

One page per kind of row (tag, attribute, value, link type). A page shows what
the tag set says and turns each edit into one core command, handed to the
editor's :class:`Runner` (which runs it through the session, so it is one undo
step of the window). Names are committed when the field is left (a rename
rewrites annotations); the definition and the examples as the user types,
after a short pause, so the Guidelines window follows live, and a burst of
typing in one field is one undo step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.model import Command, Project
from annotator.model.tagset import TagSet
from annotator.model.tagset_change import TagSetImpact
from annotator.model.tagset_commands import (
    EditTag,
    RemoveAttribute,
    RemoveTag,
    RemoveValue,
    RenameTag,
)
from annotator.ui.tagset_editor.fields import ColourField, ShortcutField
from annotator.ui.tagset_editor.tree import Key

#: milliseconds of quiet after which typed guidelines text becomes a change
TYPING_PAUSE_MS = 400


class Runner(Protocol):
    """What a page needs of the editor."""

    @property
    def project(self) -> Project: ...

    def run(self, command: Command, select: Key = ()) -> bool: ...

    def run_typing(self, command: Command, field: Key) -> bool: ...

    def usage(self, key: Key) -> str: ...

    def run_or_ask(
        self,
        command: Command,
        decide: Callable[[str | None], tuple[Command, Key]],
        title: str,
        targets: list[tuple[str, str]],
        delete_text: str,
        map_text: str = ...,
        confirm_text: str = ...,
        select: Key = ...,
    ) -> bool: ...


def usage(project: Project, key: Key) -> str:
    """ "Used by 4 annotations (dana: 3, curated: 1)", from the core's own count of
    what removing the item would reach."""
    impact: TagSetImpact | None = None
    if key[0] == "tag":
        impact = RemoveTag(key[1], delete=True).impact(project)
        counts = impact.deleted
    elif key[0] == "attr":
        impact = RemoveAttribute(key[1], key[2], delete=True).impact(project)
        counts = impact.stripped
    elif key[0] == "value":
        impact = RemoveValue(key[1], key[2], key[3], delete=True).impact(project)
        counts = impact.stripped
    else:
        return ""
    total = sum(counts.values())
    if not total:
        return "No annotation uses it."
    layers = ", ".join(f"{layer}: {n}" for layer, n in sorted(counts.items()))
    return f"Used by {total} annotation{'s' if total != 1 else ''} ({layers})."


def set_text(edit: QLineEdit, text: str) -> None:
    """Show the model's text, unless the user is typing something else into it."""
    if edit.text() != text and not (edit.hasFocus() and edit.isModified()):
        edit.setText(text)
        edit.setModified(False)


class Page(QWidget):
    """A form; ``show_item`` fills it for one row."""

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.key: Key = ()
        self.setMaximumWidth(880)  # a wide screen widens the editor, not each field
        outer = QVBoxLayout(self)
        self.form = QFormLayout()
        outer.addLayout(self.form)
        outer.addStretch(1)  # the rows stay together at the top of a tall pane
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.heading = QLabel(self)
        self.heading.setStyleSheet("font-weight: bold; font-size: 13pt;")
        self.heading.setWordWrap(True)
        self.form.addRow(self.heading)
        self.uses = QLabel(self)
        self.uses.setObjectName("usesLabel")
        self.uses.setWordWrap(True)

    def line(self, label: str, name: str, on_done: object) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.editingFinished.connect(on_done)
        self.form.addRow(label, edit)
        return edit

    def show_item(self, tagset: TagSet, key: Key, same_item: bool) -> None:
        raise NotImplementedError


class TagPage(Page):
    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("tagPage")
        self.name = self.line("&Name", "tagName", self._rename)
        self.name.setToolTip("The name in the file; renaming rewrites every annotation")
        self.label = self.line("&Label", "tagLabel", self._relabel)
        self.colour = ColourField(self)
        self.colour.chosen.connect(lambda c: self._edit("colour", color=c))
        self.form.addRow("&Colour", self.colour)
        self.shortcut = ShortcutField(self)
        self.shortcut.chosen.connect(lambda k: self._edit("shortcut", shortcut=k))
        self.form.addRow("&Key", self.shortcut)
        self.definition = QPlainTextEdit(self)
        self.definition.setObjectName("tagDefinition")
        self.definition.setPlaceholderText("What to mark, and where the mark starts and ends")
        self.examples = QPlainTextEdit(self)
        self.examples.setObjectName("tagExamples")
        self.examples.setPlaceholderText("One example per line, as it reads in a release")
        for edit in (self.definition, self.examples):
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(64)
            edit.setMaximumHeight(240)
            edit.textChanged.connect(self._typed)
            edit.installEventFilter(self)
        self.form.addRow("&Definition", self.definition)
        self.form.addRow("E&xamples", self.examples)
        self.form.addRow(self.uses)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.flush)
        self._filling = False
        self._pending = False  # typed text not yet a change
        self.burst = 0

    def show_item(self, tagset: TagSet, key: Key, same_item: bool) -> None:
        if not same_item:
            self.flush()
            self.burst += 1
        self.key = key
        tt = tagset.tag(key[1])
        self.heading.setText(f"Tag “{tt.label}”")
        set_text(self.name, tt.name)
        set_text(self.label, tt.label)
        self.colour.show_colour(tt.color, tagset, tt.name)
        self.shortcut.show_shortcut(tagset, tt.name, tt.shortcut, keep_refusal=same_item)
        self._filling = True
        try:
            if not self._pending and self.definition.toPlainText().strip() != tt.definition:
                self.definition.setPlainText(tt.definition)
            if not self._pending and _examples(self.examples.toPlainText()) != tt.examples:
                self.examples.setPlainText("\n".join(tt.examples))
        finally:
            self._filling = False
        self.uses.setText(self.runner.usage(key))

    def _rename(self) -> None:
        new = self.name.text().strip()
        if self.key and new and new != self.key[1]:
            self.runner.run(RenameTag(self.key[1], new), select=("tag", new))
        elif self.key:
            self.name.setText(self.key[1])

    def _relabel(self) -> None:
        tt = self.runner.project.tagset.tag(self.key[1])
        label = self.label.text().strip()
        if label and label != tt.label:
            self._edit("label", label=label)
        else:
            self.label.setText(tt.label)

    def _edit(self, what: str, **fields: str) -> None:
        if self.key:
            cmd = EditTag(self.key[1], **fields)  # type: ignore[arg-type]
            cmd.text = f"Change {what} of tag {self.key[1]}"
            self.runner.run(cmd, select=self.key)

    def _typed(self) -> None:
        if not self._filling:
            self._pending = True
            self._timer.start()

    def flush(self) -> None:
        """Make what was typed into the definition and examples a change, now."""
        self._timer.stop()
        if not self._pending or not self.key:
            return
        self._pending = False
        tt = self.runner.project.tagset.tag(self.key[1])
        definition = self.definition.toPlainText().strip()
        examples = _examples(self.examples.toPlainText())
        if definition != tt.definition:
            cmd = EditTag(tt.name, definition=definition)
            cmd.text = f"Edit definition of tag {tt.name}"
            self.runner.run_typing(cmd, ("definition", tt.name, str(self.burst)))
        if examples != tt.examples:
            cmd = EditTag(tt.name, examples=examples)
            cmd.text = f"Edit examples of tag {tt.name}"
            self.runner.run_typing(cmd, ("examples", tt.name, str(self.burst)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.flush()
            self.burst += 1  # coming back to the field later is an undo step of its own
        return False


def _examples(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())
