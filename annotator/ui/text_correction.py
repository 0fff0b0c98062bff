"""Correct Text mode: the view becomes editable and every edit is a core ``EditText``.

Qt applies a keystroke or paste to its document first and reports it through
``contentsChange``; we read what Qt inserted, compute the minimal replacement
against the model text and execute one ``EditText`` (one command per
contiguous edit) so annotations in every layer move with the text and the
edit can be undone from our stack. Qt's own undo stays disabled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QObject, Qt
from PySide6.QtGui import QColor, QPalette, QTextCursor

from annotator.errors import AnnotatorError
from annotator.model import EditText

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

EDIT_BACKGROUND = QColor("#FFFCF2")


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
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.enabled = False
        #: the panels' layout before correcting, given back exactly when it ends
        self._layout_state: QByteArray | None = None
        view = window.text_view
        view.document().contentsChange.connect(self._on_contents_change)

    def set_enabled(self, on: bool) -> None:
        view = self.window.text_view
        keeper = self.window.window_layout
        if on and not self.enabled and keeper is not None:
            self._layout_state = keeper.snapshot()
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
        self.window.actions.correct_text.setChecked(self.enabled)
        self.window.actions.set_tagging_enabled(not self.enabled)
        self.window.correction_banner.setVisible(self.enabled)
        if not self.enabled:
            state, self._layout_state = self._layout_state, None
            if keeper is not None:
                keeper.restore(state)
        view.setFocus()

    def _on_contents_change(self, pos: int, removed: int, added: int) -> None:
        view = self.window.text_view
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
        session = self.window.session
        view.edit_hint = (s, s + len(repl))
        try:
            session.execute(EditText(view.doc_id, s, e, repl))
        except AnnotatorError as err:
            view.edit_hint = None
            view.reload()
            self.window.show_error(err)
