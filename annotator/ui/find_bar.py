"""Find bar (Ctrl+F): highlight matches, step through them, tag them all at once.

Matches are painted as extra selections, never written into the document.
"Tag all" annotates every match in this document or in all documents as one
undoable step (a core ``Macro``), skipping places already tagged with that tag.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
)

from annotator.model import AddAnnotation, Command, Macro, Project, SetStatus, Status
from annotator.ui import keymap
from annotator.ui.notifier import Notifier
from annotator.ui.session import ProjectSession
from annotator.ui.text_view import TextView
from annotator.ui.window_layout import WindowLayout
from annotator.wording import count


def find_spans(
    text: str, query: str, case: bool, whole_words: bool = False
) -> list[tuple[int, int]]:
    """Code-point spans of ``query`` in ``text`` (regex escaped, so offsets stay exact)."""
    if not query:
        return []
    pattern = re.escape(query)
    if whole_words:
        pattern = rf"(?<!\w){pattern}(?!\w)"
    flags = 0 if case else re.IGNORECASE
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, flags) if m.end() > m.start()]


def tag_all_command(
    project: Project,
    layer: str,
    user: str,
    tag: str,
    query: str,
    doc_ids: list[str],
    case: bool,
    whole_words: bool = False,
) -> tuple[Command | None, int, int]:
    """One Macro tagging every match; returns (command or None, added, skipped)."""
    cmds: list[Command] = []
    added = skipped = 0
    lay = project.layer(layer)
    for doc_id in doc_ids:
        doc = project.document(doc_id)
        spans = find_spans(doc.text, query, case, whole_words)
        if not spans:
            continue
        da = lay.docs.get(doc_id)
        existing = [
            (f.start, f.end)
            for a in (da.annotations.values() if da else [])
            if a.tag == tag
            for f in a.fragments
        ]
        doc_cmds: list[Command] = []
        for s, e in spans:
            if any(s < ee and ss < e for ss, ee in existing):
                skipped += 1
                continue
            doc_cmds.append(AddAnnotation(layer, doc_id, tag, [(s, e)], author=user))
            added += 1
        if doc_cmds and doc.status_of(user) == Status.NOT_STARTED:
            doc_cmds.insert(0, SetStatus(doc_id, user, Status.IN_PROGRESS))
        cmds.extend(doc_cmds)
    if not added:
        return None, 0, skipped
    label = project.tagset.tag(tag).label
    return Macro(f"Tag {added} × “{query}” as {label}", cmds), added, skipped


class FindBar(QWidget):
    """Find in the current release, under the text; Tag All Matches as one undo step."""

    def __init__(
        self,
        session: ProjectSession,
        text_view: TextView,
        notifier: Notifier,
        layout: WindowLayout,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.text_view = text_view
        self.notifier = notifier
        #: the panels' layout keeper: Find gives back the layout it found
        self.layout_keeper = layout
        self.spans: list[tuple[int, int]] = []
        self.current = -1
        #: the panels' layout when the bar opened, given back exactly when it closes
        self.setObjectName("findBar")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.setSpacing(6)
        lay.addWidget(QLabel("Find:"))
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Text to find in this document")
        self.edit.setClearButtonEnabled(True)
        self.edit.setMinimumWidth(90)
        self.edit.textChanged.connect(self.refresh)
        self.edit.returnPressed.connect(self.next)
        lay.addWidget(self.edit, 1)
        self.prev_button = self._button(
            "◀", f"Previous match ({keymap.first_key('edit.find_previous')})", self.previous
        )
        self.next_button = self._button(
            "▶", f"Next match ({keymap.first_key('edit.find_next')})", self.next
        )
        lay.addWidget(self.prev_button)
        lay.addWidget(self.next_button)
        self.case = QCheckBox("Match case", self)
        self.case.setToolTip("Match case")
        self.case.toggled.connect(self.refresh)
        self.words = QCheckBox("Whole words", self)
        self.words.setToolTip("Whole words")
        self.words.toggled.connect(self.refresh)
        lay.addWidget(self.case)
        lay.addWidget(self.words)
        self.count = QLabel("", self)
        self.count.setMinimumWidth(self.count.fontMetrics().horizontalAdvance("999 of 999"))
        lay.addWidget(self.count)
        self.tag_button = QToolButton(self)
        self.tag_button.setText("Tag All Matches")
        self.tag_button.setToolTip("Tag all matches")
        self.tag_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.tag_menu = QMenu(self)
        self.tag_menu.aboutToShow.connect(self._fill_tag_menu)
        self.tag_button.setMenu(self.tag_menu)
        lay.addWidget(self.tag_button)
        close = self._button("✕", "Close (Escape)", self.close_bar)
        lay.addWidget(close)
        self._full_labels = ("Match case", "Whole words", "Tag All Matches")
        self._short_labels = ("Aa", "W", "Tag All")
        self._set_labels(self._short_labels)
        #: the least width that shows every control with short labels: the bar never
        #: asks the window for more, so opening it never squeezes a panel
        self._compact_width = lay.minimumSize().width()
        self._set_labels(self._full_labels)
        self._roomy_width = lay.minimumSize().width()
        self.setMinimumWidth(self._compact_width)
        self.hide()
        session.currentDocumentChanged.connect(lambda _d: self.refresh())
        session.annotationsChanged.connect(self._on_change)

    def _button(self, text: str, tip: str, slot: Callable[[], object]) -> QToolButton:
        b = QToolButton(self)
        b.setText(text)
        b.setToolTip(tip)
        b.setAutoRaise(True)
        b.clicked.connect(slot)
        return b

    def _set_labels(self, labels: tuple[str, str, str]) -> None:
        self.case.setText(labels[0])
        self.words.setText(labels[1])
        self.tag_button.setText(labels[2])

    def resizeEvent(self, e: QResizeEvent) -> None:
        wide = e.size().width() >= self._roomy_width
        self._set_labels(self._full_labels if wide else self._short_labels)
        super().resizeEvent(e)

    # --- opening and closing -------------------------------------------------------

    def open(self) -> None:
        view = self.text_view
        s, e = view.selection_cp()
        if 0 < e - s < 200 and "\n" not in view.text[s:e]:
            self.edit.setText(view.text[s:e])
        if self.isHidden():
            self.layout_keeper.hold(self)
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()
        self.refresh()

    def close_bar(self) -> None:
        self.hide()
        self.layout_keeper.release(self)
        self.text_view.set_find_matches([], -1)
        self.text_view.setFocus()

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(e)

    # --- matching -------------------------------------------------------------------------

    def _on_change(self, change: object) -> None:
        if self.isVisible() and getattr(change, "text_changed", False):
            self.refresh()

    def refresh(self) -> None:
        if not self.isVisible():
            return
        view = self.text_view
        self.spans = find_spans(
            view.text, self.edit.text(), self.case.isChecked(), self.words.isChecked()
        )
        cursor = view.cursor_cp()
        self.current = next((i for i, (s, _e) in enumerate(self.spans) if s >= cursor), 0)
        if not self.spans:
            self.current = -1
        self._show()

    def _show(self) -> None:
        n = len(self.spans)
        if not self.edit.text():
            self.count.setText("")
        elif n == 0:
            self.count.setText("No matches")
        else:
            self.count.setText(f"{self.current + 1} of {n}")
        self.tag_button.setEnabled(bool(self.edit.text()))
        self.text_view.set_find_matches(self.spans, self.current)

    def _go(self, step: int) -> None:
        if not self.isVisible():
            self.open()
            return
        if not self.spans:
            return
        self.current = (self.current + step) % len(self.spans)
        s, e = self.spans[self.current]
        self.text_view.set_selection_cp(s, e)
        self.text_view.ensureCursorVisible()
        self._show()

    def next(self) -> None:
        self._go(1)

    def previous(self) -> None:
        self._go(-1)

    # --- tag all ----------------------------------------------------------------------

    def _fill_tag_menu(self) -> None:
        self.tag_menu.clear()
        from annotator.ui.actions import swatch

        for scope, title in (("doc", "In This Document"), ("all", "In All Documents")):
            sub = self.tag_menu.addMenu(title)
            for tt in self.session.project.tagset.tags:
                act = sub.addAction(swatch(tt.color), tt.label)
                act.triggered.connect(
                    lambda _=False, t=tt.name, sc=scope: self.tag_all(t, all_documents=sc == "all")
                )

    def tag_all(self, tag: str, all_documents: bool = False) -> int:
        """Tag every match as ``tag`` in one undo step; returns how many were added."""
        session = self.session
        query = self.edit.text()
        if not query:
            return 0
        doc_ids = list(session.project.documents) if all_documents else [session.current_doc_id]
        doc_ids = [d for d in doc_ids if d]

        def tag_them() -> tuple[int, int]:
            cmd, added, skipped = tag_all_command(
                session.project,
                session.layer,
                session.user,
                tag,
                query,
                doc_ids,
                self.case.isChecked(),
                self.words.isChecked(),
            )
            if cmd is not None:
                session.execute(cmd)
            return added, skipped

        done = self.notifier.run(tag_them)
        if done is None:
            return 0
        added, skipped = done
        note = f" ({skipped} already tagged)" if skipped else ""
        self.notifier.status(f"Tagged {count(added, 'match')}{note}.", 5000)
        return added
