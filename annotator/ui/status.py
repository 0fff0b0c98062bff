"""Status bar and the small header above the text: where am I, what's selected, counts."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from annotator.model import Status

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

STATUS_TEXT = {
    Status.NOT_STARTED: "Not started",
    Status.IN_PROGRESS: "In progress",
    Status.DONE: "Done ✓",
}


class StatusWidgets:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        bar = window.statusBar()
        self.document = self._label("document")
        self.position = self._label("position")
        self.selection = self._label("selection")
        self.counts = self._label("counts")
        self.state = self._label("state")
        self.modified = self._label("modified")
        for w in (self.document, self.position, self.selection, self.counts, self.state):
            bar.addPermanentWidget(w)
        bar.addPermanentWidget(self.modified)
        s = window.session
        s.currentDocumentChanged.connect(lambda _d: self.update_all())
        s.projectReplaced.connect(self.update_all)
        s.annotationsChanged.connect(lambda _c: self.update_counts())
        s.fileStateChanged.connect(self.update_modified)
        s.selectionChanged.connect(lambda _l, _a: self.update_cursor())
        window.text_view.cursorInfoChanged.connect(self.update_cursor)

    def _label(self, name: str) -> QLabel:
        label = QLabel(self.window)
        label.setObjectName(f"status_{name}")
        label.setContentsMargins(6, 0, 6, 0)
        return label

    def update_all(self) -> None:
        self.update_document()
        self.update_cursor()
        self.update_counts()
        self.update_modified()

    def update_document(self) -> None:
        s = self.window.session
        ids = list(s.project.documents)
        if s.current_doc_id in s.project.documents:
            n = ids.index(s.current_doc_id) + 1
            # campaigners think in releases, not ids: the id is on the tooltip
            self.document.setText(f"Release {n} of {len(ids)}")
            self.document.setToolTip(f"Document id: {s.current_doc_id}")
        else:
            self.document.setText("No document")
            self.document.setToolTip("")

    def update_cursor(self) -> None:
        view = self.window.text_view
        cursor = view.textCursor()
        block = cursor.block()
        col = view.offsets.to_cp(cursor.position()) - view.offsets.to_cp(block.position())
        self.position.setText(f"Ln {block.blockNumber() + 1}, Col {col + 1}")
        start, end = view.selection_cp()
        self.selection.setText(f"{end - start} selected" if end > start else "")
        self.selection.setVisible(end > start)

    def update_counts(self) -> None:
        s = self.window.session
        doc = s.project.documents.get(s.current_doc_id)
        layer = s.project.layers.get(s.layer)
        if doc is None or layer is None:
            self.counts.setText("")
            self.state.setText("")
            return
        da = layer.docs.get(doc.id)
        here = len(da.annotations) if da else 0
        checks = sum(1 for a in da.annotations.values() if a.needs_check) if da else 0
        text = f"Yours: {here} in this release · {layer.annotation_count()} in project"
        if checks:
            text += f" · {checks} to check"
        self.counts.setText(text)
        status = doc.status_of(s.user)
        self.state.setText(STATUS_TEXT.get(status, str(status)))
        self.window.actions.mark_done.setChecked(status == Status.DONE)
        self.window.header.update_header()

    def update_modified(self) -> None:
        s = self.window.session
        self.modified.setText("● Unsaved changes" if s.modified else "Saved")
        self.modified.setStyleSheet("color: #B85C00;" if s.modified else "color: palette(mid);")
        self.window.update_title()


class DocumentHeader(QLabel):
    """Headline, date and country of the current release above its text."""

    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.setObjectName("documentHeader")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setStyleSheet(
            "#documentHeader { background: #F6F7F9; border-bottom: 1px solid #DDE1E6;"
            " padding: 8px 18px; color: #333; }"
        )
        window.session.currentDocumentChanged.connect(lambda _d: self.update_header())
        window.session.projectReplaced.connect(self.update_header)

    def update_header(self) -> None:
        s = self.window.session
        doc = s.project.documents.get(s.current_doc_id)
        if doc is None:
            self.setText(
                "<b>No documents yet.</b> "
                "Use File → Import Releases… (Ctrl+I) to add press releases."
            )
            return
        m = doc.meta
        title = html.escape(m.headline or doc.id)
        bits = [html.escape(x) for x in (m.date, m.country or m.dateline, m.ai_index) if x]
        status = STATUS_TEXT.get(doc.status_of(s.user), "")
        bits.append(f"<span style='color:#555'>{html.escape(status)}</span>")
        self.setText(
            f"<span style='font-size:12pt; font-weight:600'>{title}</span><br>"
            f"<span style='color:#666'>{' · '.join(bits)}</span>"
        )
