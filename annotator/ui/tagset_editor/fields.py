"""The tag-set editor's own fields: a colour with its colour-blind check, a shortcut
that refuses keys in use, and the undo step that merges a burst of typing.

A field never changes the tag set itself: it says what the user chose
(``chosen`` signals) and the editor turns that into one core command. The
checks (which colours look alike, which keys are taken) are the core's and the
keymap's; the fields only show their sentence.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QUndoCommand
from PySide6.QtWidgets import (
    QColorDialog,
    QHBoxLayout,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.model.colours import Confusion, confusions
from annotator.model.commands import Macro
from annotator.model.tagset import TagSet
from annotator.ui import keymap
from annotator.ui.docks.common import swatch_icon
from annotator.ui.session import CoreUndoCommand, ProjectSession

#: QUndoCommand.id() of the editor's text steps: only steps with this id may merge
FIELD_STEP_ID = 0x7A65

_WARNING_STYLE = "color: #8A4B00;"
_REFUSAL_STYLE = "color: #B00020;"


class FieldStep(CoreUndoCommand):
    """Edits of one text field of one item typed in one go: undone together.

    ``field`` names the item and the field (``("tag", "appeal", "definition")``);
    ``burst`` changes whenever the user comes back to the field, so a later visit
    is an undo step of its own.
    """

    def __init__(
        self,
        session: ProjectSession,
        command: Macro,
        field: tuple[str, ...],
        burst: int,
    ) -> None:
        super().__init__(session, command)
        self.field = field
        self.burst = burst

    def id(self) -> int:
        return FIELD_STEP_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, FieldStep) or (other.field, other.burst) != (
            self.field,
            self.burst,
        ):
            return False
        assert isinstance(self.command, Macro) and isinstance(other.command, Macro)
        self.command.commands.extend(other.command.commands)
        return True


def _note(parent: QWidget, style: str) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class ColourField(QWidget):
    """A swatch button (the colour dialog), the ``#rrggbb`` text, and the warning line."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.button = QToolButton(self)
        self.button.setObjectName("colourButton")
        self.button.setToolTip("Choose the colour")
        self.button.clicked.connect(self.pick)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("colourEdit")
        self.edit.setPlaceholderText("#rrggbb")
        self.edit.setMaxLength(7)
        self.edit.setMaximumWidth(110)
        self.edit.editingFinished.connect(self._typed)
        row.addWidget(self.button)
        row.addWidget(self.edit)
        row.addStretch(1)
        box.addLayout(row)
        self.warning = _note(self, _WARNING_STYLE)
        self.warning.setObjectName("colourWarning")
        box.addWidget(self.warning)
        self._colour = ""

    def show_colour(self, colour: str, tagset: TagSet, tag: str) -> None:
        """Show ``tag``'s colour and whether it looks like another tag's."""
        self._colour = colour
        if not self.edit.hasFocus() or self.edit.text() == colour:
            self.edit.setText(colour)
        self.button.setIcon(swatch_icon(colour, 18))
        others = [(t.label, t.color) for t in tagset.tags if t.name != tag]
        self.show_confusions(confusions(colour, others))

    def show_confusions(self, found: list[Confusion]) -> None:
        if not found:
            self.warning.hide()
            self.warning.clear()
            return
        lines = [found[0].sentence("⚠ This colour")]
        lines += [c.sentence("It") for c in found[1:3]]
        self.warning.setText(" ".join(lines) + " Pick one further apart.")
        self.warning.show()

    def pick(self) -> None:
        colour = QColorDialog.getColor(QColor(self._colour or "#888888"), self, "Tag colour")
        if colour.isValid():
            self._choose(colour.name().upper())

    def _typed(self) -> None:
        text = self.edit.text().strip()
        if not text.startswith("#"):
            text = "#" + text
        if QColor.isValidColorName(text) and len(text) == 7:
            self._choose(text.upper())
        else:
            self.edit.setText(self._colour)

    def _choose(self, colour: str) -> None:
        if colour.lower() != self._colour.lower():
            self.chosen.emit(colour)


class ShortcutField(QWidget):
    """The key that tags a selection with this tag; a key in use is refused, saying why."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QKeySequenceEdit(self)
        self.edit.setObjectName("shortcutEdit")
        self.edit.setMaximumSequenceLength(1)
        self.edit.setMaximumWidth(180)
        self.edit.setToolTip("Click, then press the key that should tag a selection")
        self.edit.editingFinished.connect(self._recorded)
        self.clear = QPushButton("No key", self)
        self.clear.setObjectName("shortcutClear")
        self.clear.setToolTip("The tag keeps only its place digit, if it has one")
        self.clear.clicked.connect(lambda: self._offer(""))
        row.addWidget(self.edit, 1)
        row.addWidget(self.clear)
        row.addStretch(1)
        box.addLayout(row)
        self.refusal = _note(self, _REFUSAL_STYLE)
        self.refusal.setObjectName("shortcutRefusal")
        box.addWidget(self.refusal)
        self.given = _note(self, "color: palette(mid);")
        box.addWidget(self.given)
        self._tagset: TagSet | None = None
        self._tag = ""
        self._shortcut = ""

    def show_shortcut(self, tagset: TagSet, tag: str, shortcut: str, keep_refusal: bool) -> None:
        self._tagset, self._tag, self._shortcut = tagset, tag, shortcut
        if self.edit.keySequence().toString() != shortcut:
            self.edit.setKeySequence(QKeySequence(shortcut))
        if not keep_refusal:
            self.refusal.hide()
        key = keymap.tag_keys(tagset).get(tag, "")
        if key and keymap.normal(key) != keymap.normal(shortcut):
            self.given.setText(f"Tags with {key} (its place in the tag set).")
            self.given.show()
        elif not key:
            self.given.setText("No key: tag with the Tags panel or the Annotate menu.")
            self.given.show()
        else:
            self.given.hide()

    def _recorded(self) -> None:
        seq = self.edit.keySequence()
        self._offer(QKeySequence(seq[0]).toString() if seq.count() else "")  # type: ignore[index]

    def _offer(self, key: str) -> None:
        if keymap.normal(key) == keymap.normal(self._shortcut):
            return
        why = keymap.key_in_use(key, self._tagset, self._tag) if self._tagset else ""
        if why:
            self.refusal.setText(why)
            self.refusal.show()
            self.edit.setKeySequence(QKeySequence(self._shortcut))
            return
        self.refusal.hide()
        self.chosen.emit(key)
