"""Status bar and the small header above the text: where am I, what's selected, counts."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QWidget

from annotator.model import Change, Status
from annotator.ui.session import ProjectSession
from annotator.ui.text_view import TextView

STATUS_TEXT = {
    Status.NOT_STARTED: "Not started",
    Status.IN_PROGRESS: "In progress",
    Status.DONE: "Done ✓",
}


class StatusWidgets:
    """The status bar's permanent labels; they follow the session and the text view."""

    def __init__(
        self,
        session: ProjectSession,
        text_view: TextView,
        bar: QStatusBar,
        header: DocumentHeader,
        done_action: QAction,
        file_state_shown: Callable[[], None],
    ) -> None:
        self.session = session
        self.text_view = text_view
        self.bar = bar
        self.header = header
        #: checked while the current release is done for the user
        self.done_action = done_action
        #: the window title follows the file state too
        self.file_state_shown = file_state_shown
        #: annotations per document of the user's layer, and their sum (built on first use)
        self._sizes: dict[str, int] | None = None
        self._total = 0
        #: ids needing a check in one document (the one last shown)
        self._checks_doc = ""
        self._checks: set[str] = set()
        self.document = self._label("document")
        self.position = self._label("position")
        self.selection = self._label("selection")
        self.counts = self._label("counts")
        self.state = self._label("state")
        self.modified = self._label("modified")
        for w in (self.document, self.position, self.selection, self.counts, self.state):
            bar.addPermanentWidget(w)
        bar.addPermanentWidget(self.modified)
        s = session
        s.currentDocumentChanged.connect(lambda _d: self.update_all())
        s.projectReplaced.connect(self._forget)
        s.annotationsChanged.connect(self._on_change)
        s.fileStateChanged.connect(self.update_modified)
        s.selectionChanged.connect(lambda _l, _a: self.update_cursor())
        text_view.cursorInfoChanged.connect(self.update_cursor)

    def _label(self, name: str) -> QLabel:
        label = QLabel(self.bar)
        label.setObjectName(f"status_{name}")
        label.setContentsMargins(6, 0, 6, 0)
        return label

    def _forget(self) -> None:
        self._sizes, self._checks_doc = None, ""
        self.update_all()

    def update_all(self) -> None:
        self.update_document()
        self.update_cursor()
        self.update_counts()
        self.update_modified()

    def update_document(self) -> None:
        s = self.session
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
        view = self.text_view
        cursor = view.textCursor()
        block = cursor.block()
        col = view.offsets.to_cp(cursor.position()) - view.offsets.to_cp(block.position())
        self.position.setText(f"Ln {block.blockNumber() + 1}, Col {col + 1}")
        start, end = view.selection_cp()
        self.selection.setText(f"{end - start} selected" if end > start else "")
        self.selection.setVisible(end > start)

    def _on_change(self, change: Change) -> None:
        """Keep the project total by difference and the checks by the ids an edit names,
        so one tag in a large project recounts nothing."""
        s = self.session
        if not change.doc_id:
            self._sizes, self._checks_doc = None, ""
        elif self._sizes is None:
            if change.doc_id == self._checks_doc:
                self._checks_doc = ""
        elif change.layer in ("", s.layer):
            layer = s.project.layers.get(s.layer)
            da = layer.docs.get(change.doc_id) if layer is not None else None
            size = len(da.annotations) if da is not None else 0
            self._total += size - self._sizes.get(change.doc_id, 0)
            self._sizes[change.doc_id] = size
            if change.doc_id == self._checks_doc:
                if change.ann_ids and da is not None:
                    for aid in change.ann_ids:
                        ann = da.annotations.get(aid)
                        if ann is not None and ann.needs_check:
                            self._checks.add(aid)
                        else:
                            self._checks.discard(aid)
                else:
                    self._checks_doc = ""
        self.update_counts()

    def _project_total(self) -> int:
        s = self.session
        if self._sizes is None:
            layer = s.project.layers.get(s.layer)
            docs = layer.docs if layer is not None else {}
            self._sizes = {doc_id: len(da.annotations) for doc_id, da in docs.items()}
            self._total = sum(self._sizes.values())
        return self._total

    def _checks_in(self, doc_id: str) -> int:
        if doc_id != self._checks_doc:
            s = self.session
            layer = s.project.layers.get(s.layer)
            da = layer.docs.get(doc_id) if layer is not None else None
            anns = da.annotations.values() if da is not None else ()
            self._checks = {a.id for a in anns if a.needs_check}
            self._checks_doc = doc_id
        return len(self._checks)

    def update_counts(self) -> None:
        s = self.session
        doc = s.project.documents.get(s.current_doc_id)
        layer = s.project.layers.get(s.layer)
        if doc is None or layer is None:
            self.counts.setText("")
            self.state.setText("")
            return
        da = layer.docs.get(doc.id)
        here = len(da.annotations) if da else 0
        checks = self._checks_in(doc.id)
        text = f"Yours: {here} in this release · {self._project_total()} in project"
        if checks:
            text += f" · {checks} to check"
        self.counts.setText(text)
        status = doc.status_of(s.user)
        self.state.setText(STATUS_TEXT.get(status, str(status)))
        self.done_action.setChecked(status == Status.DONE)
        self.header.update_header()

    def update_modified(self) -> None:
        s = self.session
        self.modified.setText("● Unsaved changes" if s.modified else "Saved")
        self.modified.setStyleSheet("color: #B85C00;" if s.modified else "color: palette(mid);")
        self.file_state_shown()


class DocumentHeader(QLabel):
    """Headline, date and country of the current release above its text."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("documentHeader")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setStyleSheet(
            "#documentHeader { background: #F6F7F9; border-bottom: 1px solid #DDE1E6;"
            " padding: 8px 18px; color: #333; }"
        )
        session.currentDocumentChanged.connect(lambda _d: self.update_header())
        session.projectReplaced.connect(self.update_header)

    def update_header(self) -> None:
        s = self.session
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
