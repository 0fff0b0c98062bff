"""Turning a text selection into annotations, and keyboard editing of the selected one.

The span logic (snapping to whole words, growing and shrinking by a word) is
plain functions on ``str`` and code-point offsets, tested without Qt. The
:class:`Tagger` applies it to the session and the text view: every change is a core command pushed
through ``session.execute`` so it can be undone.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from annotator.model import (
    AddAnnotation,
    Annotation,
    Command,
    DeleteAnnotation,
    Fragment,
    Macro,
    Resize,
    Retag,
    SetNeedsCheck,
    SetStatus,
    Status,
)

if TYPE_CHECKING:
    from annotator.model import Document
    from annotator.ui.notifier import Notifier
    from annotator.ui.session import ProjectSession
    from annotator.ui.text_view import TextView

#: Characters dropped from the ends of a snapped selection.
TRIM = set(" \t\n\r\u00a0\u2028\u2029\u200b\"'“”‘’„‚«»‹›,;:.!?()[]{}<>—–-‐…/\\|*·•")
#: Characters that join two word characters into one word ("don't", "Sané-Diop").
JOINERS = set("'’-‐")


def is_word_char(ch: str) -> bool:
    if ch.isalnum() or ch == "_":
        return True
    return unicodedata.category(ch).startswith("M")  # combining accents stay with their letter


def _in_word(text: str, i: int) -> bool:
    """Is text[i] part of a word (a word character, or a joiner between two)?"""
    if not 0 <= i < len(text):
        return False
    ch = text[i]
    if is_word_char(ch):
        return True
    return (
        ch in JOINERS
        and 0 < i < len(text) - 1
        and is_word_char(text[i - 1])
        and is_word_char(text[i + 1])
    )


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words and drop surrounding spaces and punctuation.

    Returns an empty span (start == end) when nothing but spaces or punctuation
    was selected. With start == end inside a word, returns that word.
    """
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    if start > end:
        start, end = end, start
    if start == end and not (_in_word(text, start) or _in_word(text, start - 1)):
        return start, start
    selected = start < end
    # trim first, so that a selection starting on a space does not grow into the word before
    while start < end and text[start] in TRIM and not _in_word(text, start):
        start += 1
    while end > start and text[end - 1] in TRIM and not _in_word(text, end - 1):
        end -= 1
    if start == end and selected:
        return start, start  # only spaces and punctuation were selected
    while start > 0 and _in_word(text, start - 1) and (_in_word(text, start) or start == end):
        start -= 1
    while end < len(text) and _in_word(text, end) and (_in_word(text, end - 1) or start == end):
        end += 1
    return start, end


def next_word_end(text: str, pos: int) -> int:
    """End of the next word after ``pos`` (``pos`` itself if there is none)."""
    i = pos
    while i < len(text) and not _in_word(text, i):
        i += 1
    if i >= len(text):
        return pos
    while i < len(text) and _in_word(text, i):
        i += 1
    return i


def previous_word_start(text: str, pos: int) -> int:
    """Start of the word before ``pos`` (``pos`` itself if there is none)."""
    i = pos
    while i > 0 and not _in_word(text, i - 1):
        i -= 1
    if i <= 0:
        return pos
    while i > 0 and _in_word(text, i - 1):
        i -= 1
    return i


def shrink_end(text: str, start: int, end: int) -> int:
    """``end`` moved back by one word, never to or before ``start`` (then unchanged)."""
    i = end
    while i > start and not _in_word(text, i - 1):
        i -= 1
    while i > start and _in_word(text, i - 1):
        i -= 1
    while i > start and not _in_word(text, i - 1):
        i -= 1
    return i if i > start else end


def shrink_start(text: str, start: int, end: int) -> int:
    i = start
    while i < end and not _in_word(text, i):
        i += 1
    while i < end and _in_word(text, i):
        i += 1
    while i < end and not _in_word(text, i):
        i += 1
    return i if i < end else start


class Tagger:
    """Annotation editing for one window."""

    def __init__(self, session: ProjectSession, text_view: TextView, notifier: Notifier) -> None:
        self.session = session
        self.text_view = text_view
        self.notifier = notifier

    # --- helpers --------------------------------------------------------------------

    def _doc(self) -> Document | None:
        doc_id = self.session.current_doc_id
        return self.session.project.documents.get(doc_id)

    def selected_own(self) -> Annotation | None:
        """The selected annotation if it is in the user's layer on this document."""
        layer, ann_id = self.session.selected
        if layer != self.session.layer or not ann_id:
            return None
        return self.text_view.annotation(layer, ann_id)

    def _run(self, command: Command) -> bool:
        return self.notifier.run(lambda: self.session.execute(command)) is not None

    def _with_status(self, command: Command) -> Command:
        """Add 'in progress' to the first tag a user puts on a document (same undo step)."""
        doc = self._doc()
        user = self.session.user
        if doc is not None and doc.status_of(user) == Status.NOT_STARTED:
            return Macro(command.text, [SetStatus(doc.id, user, Status.IN_PROGRESS), command])
        return command

    def _say(self, message: str) -> None:
        self.notifier.status(message, 4000)

    # --- tagging ------------------------------------------------------------------------

    def tag_selection(self, tag: str, exact: bool = False) -> None:
        doc = self._doc()
        if doc is None:
            self._say("Open or import a document first.")
            return
        view = self.text_view
        start, end = view.selection_cp()
        if start == end:
            ann = self.selected_own()
            if ann is not None:
                if ann.tag != tag:
                    self._run(Retag(self.session.layer, doc.id, ann.id, tag, self.session.user))
                return
            if exact:
                self._say("Select some text to tag.")
                return
        if not exact:
            start, end = snap_to_words(doc.text, start, end)
        if start >= end:
            self._say("Select some words to tag.")
            return
        target = (Fragment(start, end),)
        index = view.index
        if index is not None:
            for p in index.pieces(index.block_of(start)):
                if p.own and p.ann.tag == tag and p.ann.fragments == target:
                    self.session.select(self.session.layer, p.ann.id)
                    self._say("That span already has this tag.")
                    return
        add = AddAnnotation(
            self.session.layer, doc.id, tag, [(start, end)], author=self.session.user
        )
        if self._run(self._with_status(add)):
            view.clear_text_selection()
            self.session.select(self.session.layer, add.ann_id or "")

    def add_fragment(self, exact: bool = False) -> None:
        """Add the text selection as another piece of the selected annotation."""
        ann = self.selected_own()
        doc = self._doc()
        if ann is None or doc is None:
            self._say("Select one of your annotations first, then the text to add to it.")
            return
        start, end = self.text_view.selection_cp()
        if not exact:
            start, end = snap_to_words(doc.text, start, end)
        if start >= end:
            self._say("Select the text to add to the annotation.")
            return
        frags = [*ann.fragments, Fragment(start, end)]
        cmd = Resize(self.session.layer, doc.id, ann.id, frags, self.session.user)
        cmd.text = "Add fragment"
        if self._run(cmd):
            self.text_view.clear_text_selection()

    def resize_selected(self, edge: str, grow: bool) -> None:
        """Move the selected annotation's start or end by one word."""
        ann = self.selected_own()
        doc = self._doc()
        if ann is None or doc is None:
            self._say("Select one of your annotations to resize it.")
            return
        text = doc.text
        frags = list(ann.fragments)
        first, last = frags[0], frags[-1]
        if edge == "end":
            new_end = (
                next_word_end(text, last.end) if grow else shrink_end(text, last.start, last.end)
            )
            if new_end == last.end:
                return
            frags[-1] = Fragment(last.start, new_end)
        else:
            new_start = (
                previous_word_start(text, first.start)
                if grow
                else shrink_start(text, first.start, first.end)
            )
            if new_start == first.start:
                return
            frags[0] = Fragment(new_start, first.end)
        self._run(Resize(self.session.layer, doc.id, ann.id, frags, self.session.user))

    def delete_selected(self) -> None:
        ann = self.selected_own()
        doc = self._doc()
        if ann is None or doc is None:
            self._say("Select one of your annotations to delete it.")
            return
        if self._run(DeleteAnnotation(self.session.layer, doc.id, ann.id)):
            self.session.select("", "")

    def mark_checked(self) -> None:
        """Clear the 'needs check' flag of the selected annotation (or all of yours here)."""
        doc = self._doc()
        if doc is None:
            return
        ann = self.selected_own()
        if ann is not None:
            targets = [ann] if ann.needs_check else []
        else:
            da = self.session.project.layer(self.session.layer).docs.get(doc.id)
            targets = [a for a in (da.annotations.values() if da else []) if a.needs_check]
        if not targets:
            self._say("Nothing here needs a check.")
            return
        cmds: list[Command] = [
            SetNeedsCheck(self.session.layer, doc.id, a.id, False, self.session.user)
            for a in targets
        ]
        self._run(cmds[0] if len(cmds) == 1 else Macro("Mark checked", cmds))

    def toggle_done(self) -> None:
        doc = self._doc()
        if doc is None:
            return
        user = self.session.user
        new = Status.IN_PROGRESS if doc.status_of(user) == Status.DONE else Status.DONE
        cmd = SetStatus(doc.id, user, new)
        cmd.text = "Mark done" if new == Status.DONE else "Reopen document"
        if self._run(cmd):
            self._say("Document marked done." if new == Status.DONE else "Document reopened.")
