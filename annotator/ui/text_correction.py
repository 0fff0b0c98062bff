"""Correct Text mode: the view becomes editable and every edit is a core ``EditText``.

Qt applies a keystroke or paste to its document first and reports it through
``contentsChange``; we read what Qt inserted, compute the minimal replacement
against the model text and execute one ``EditText`` (one command per
contiguous edit) so annotations in every layer move with the text and the
edit can be undone from our stack. Qt's own undo stays disabled.

Typing merges into one undo step, as in any editor: a burst of characters typed
one after the other is one :class:`TypingStep` (``QUndoCommand.mergeWith``). A
pause, a click or cursor jump, a non-typing key (Enter, Backspace, arrows,
shortcuts) or a paste starts a new step.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPalette, QTextCursor, QUndoCommand

from annotator.model import EditText
from annotator.model.commands import Macro
from annotator.ui.notifier import Notifier
from annotator.ui.session import CoreUndoCommand, ProjectSession
from annotator.ui.text_view import TextView
from annotator.ui.window_layout import WindowLayout

EDIT_BACKGROUND = QColor("#FFFCF2")

#: Seconds without typing after which the next character starts a new undo step.
TYPING_PAUSE = 2.0

#: QUndoCommand.id() of typing steps: only steps with the same id are offered to merge.
TYPING_ID = 0x7E57


class TypingStep(CoreUndoCommand):
    """Characters typed in one burst, undone and redone together."""

    def __init__(self, session: ProjectSession, edit: EditText, burst: int) -> None:
        super().__init__(session, Macro(edit.text, [edit]))
        self.doc_id = edit.doc_id
        self.end = edit.start + len(edit.replacement)  # where the next keystroke lands
        self.burst = burst
        self.at = time.monotonic()

    def id(self) -> int:
        return TYPING_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, TypingStep) or other.burst != self.burst:
            return False
        assert isinstance(self.command, Macro) and isinstance(other.command, Macro)
        (edit,) = other.command.commands
        assert isinstance(edit, EditText)
        if other.doc_id != self.doc_id or edit.start != self.end:
            return False
        if other.at - self.at > TYPING_PAUSE:
            return False
        self.command.commands.append(edit)
        self.end, self.at = other.end, other.at
        return True


def is_typing(e: QKeyEvent) -> bool:
    """A key that types a character (letters, digits, space, punctuation)."""
    text = e.text()
    mods = e.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)
    return len(text) == 1 and text.isprintable() and mods == Qt.KeyboardModifier.NoModifier


def minimal_edit(old: str, start: int, end: int, new: str) -> tuple[int, int, str]:
    """Shrink the replacement of ``old[start:end]`` by ``new`` to what really differs."""
    seg = old[start:end]
    p = 0
    limit = min(len(seg), len(new))
    while p < limit and seg[p] == new[p]:
        p += 1
    q = 0
    while q < limit - p and seg[len(seg) - 1 - q] == new[len(new) - 1 - q]:
        q += 1
    return start + p, end - q, new[p : len(new) - q]


class Correction(QObject):
    """Correct-text mode of one text view: the text editable, each edit one command."""

    #: the mode went on or off (the window checks its action, shows its banner)
    toggled = Signal(bool)

    def __init__(
        self,
        session: ProjectSession,
        text_view: TextView,
        notifier: Notifier,
        layout: WindowLayout,
    ) -> None:
        super().__init__(text_view)
        self.session = session
        self.text_view = text_view
        self.notifier = notifier
        #: the panels' layout before correcting, given back exactly when it ends
        self.layout = layout
        self.enabled = False
        view = text_view
        view.document().contentsChange.connect(self._on_contents_change)
        #: bumped by everything that ends a typing burst; steps of one burst merge
        self.burst = 0
        self._typing = False  # the key being handled types a character
        view.installEventFilter(self)
        view.viewport().installEventFilter(self)
        view.cursorPositionChanged.connect(self._on_cursor_moved)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.enabled:
            return False
        kind = event.type()
        if kind == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            self._typing = is_typing(event)
            if not self._typing:
                self.burst += 1
        elif kind == QEvent.Type.KeyRelease:
            self._typing = False
        elif kind in (QEvent.Type.MouseButtonPress, QEvent.Type.FocusOut):
            self.burst += 1
        return False

    def _on_cursor_moved(self) -> None:
        """A jump (not the cursor following what was just typed) ends the burst."""
        if not self.enabled or self._typing:
            # Qt moves the cursor before it reports the typed character; the step's
            # own check (the character lands where the burst ended) decides then.
            return
        top = self.session.undo_stack.command(self.session.undo_stack.index() - 1)
        view = self.text_view
        here = view.offsets.to_cp(view.textCursor().position())
        if not isinstance(top, TypingStep) or top.end != here:
            self.burst += 1

    def set_enabled(self, on: bool) -> None:
        view = self.text_view
        if on and not self.enabled:
            self.layout.hold(self)
        self.enabled = bool(on)
        view.editing = self.enabled
        view.setReadOnly(not self.enabled)
        if self.enabled:
            view.setTextInteractionFlags(Qt.TextInteractionFlag.TextEditorInteraction)
        else:
            view.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
        pal = view.palette()
        pal.setColor(
            QPalette.ColorRole.Base, EDIT_BACKGROUND if self.enabled else QColor("#FFFFFF")
        )
        view.setPalette(pal)
        self.toggled.emit(self.enabled)
        if not self.enabled:
            self.layout.release(self)
        view.setFocus()

    def _on_contents_change(self, pos: int, removed: int, added: int) -> None:
        view = self.text_view
        if not self.enabled or view._loading or not view.doc_id:
            return
        old = view.text
        omap = view.offsets
        start = omap.to_cp(pos)
        end = min(len(old), omap.to_cp(pos + removed))
        doc = view.document()
        # Qt counts an implicit final paragraph separator; never read past the end.
        last = doc.characterCount() - 1
        c = QTextCursor(doc)
        c.setPosition(min(pos, last))
        c.setPosition(min(pos + added, last), QTextCursor.MoveMode.KeepAnchor)
        inserted = c.selectedText().replace("\u2029", "\n")
        s, e, repl = minimal_edit(old, start, end, inserted)
        if s == e and not repl:
            return
        session = self.session
        view.edit_hint = (s, s + len(repl))
        edit = EditText(view.doc_id, s, e, repl)
        typed = self._typing and s == e and len(repl) == 1
        # Until the step is on the stack, the view's re-highlighting moves the cursor:
        # not a jump (the key release ends the typing key's turn).
        self._typing = True
        if not typed:
            self.burst += 1
        step = TypingStep(session, edit, self.burst) if typed else None
        if self.notifier.run(lambda: session.execute(edit, step=step)) is None:
            view.edit_hint = None
            view.reload()
