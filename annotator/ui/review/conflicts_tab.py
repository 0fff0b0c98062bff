"""Review mode's Conflicts tab: what a git merge recorded, ours beside theirs, keep either.

The list is :func:`annotator.review.conflicts.list_conflicts` of the open
project; the two panes show the chosen conflict's two versions (annotation
beside annotation, link beside link, text beside text, status beside status).
Keep ours / Keep theirs (buttons, or review's pair of accept keys F9 / F10 while
this tab is shown) run :class:`ResolveConflicts` through the session, so each is
one undo step like any edit.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.model import Annotation, Change, Document, Link, Project
from annotator.review.conflicts import (
    DELETED,
    ConflictKind,
    ProjectConflict,
    ResolveConflicts,
    Side,
    list_conflicts,
    text_difference,
)
from annotator.review.presentation import annotation_excerpt
from annotator.review.three_way import THEIRS_SUFFIX
from annotator.ui import keymap
from annotator.ui.docks.common import attribute_summary, tag_label
from annotator.ui.notifier import Notifier
from annotator.ui.session import ProjectSession


class ConflictsTab(QWidget):
    """The conflicts of the open project, one chosen, its two sides, and the decisions."""

    #: how many conflicts the project records now
    countChanged = Signal(int)

    def __init__(
        self, session: ProjectSession, notifier: Notifier, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsTab")
        self.session = session
        self.notifier = notifier
        self.conflicts: list[ProjectConflict] = []
        self._filling = False

        self.list = QListWidget()
        self.list.setObjectName("conflictList")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentRowChanged.connect(self._on_row)
        self.ours = self._pane("conflictOurs")
        self.theirs = self._pane("conflictTheirs")
        self.keep_ours_button = self._button(
            "Keep ours", "review.accept_first", lambda: self.keep(Side.OURS)
        )
        self.keep_theirs_button = self._button(
            "Keep theirs", "review.accept_second", lambda: self.keep(Side.THEIRS)
        )
        self.all_ours_button = self._button("Keep ours for all", "", lambda: self.keep_all("ours"))
        self.all_theirs_button = self._button(
            "Keep theirs for all", "", lambda: self.keep_all("theirs")
        )
        self.empty = QLabel(
            "No conflicts. After File ▸ Pull and Merge, the items you and a colleague "
            "changed differently are listed here, yours beside theirs."
        )
        self.empty.setWordWrap(True)

        sides = QWidget()
        grid = QGridLayout(sides)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel("<b>Ours</b> (this copy)"), 0, 0)
        grid.addWidget(QLabel("<b>Theirs</b> (from the pull)"), 0, 1)
        grid.addWidget(self.ours, 1, 0)
        grid.addWidget(self.theirs, 1, 1)
        grid.addWidget(self.keep_ours_button, 2, 0)
        grid.addWidget(self.keep_theirs_button, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(1, 1)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list)
        split.addWidget(sides)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setSizes([300, 900])
        bulk = QHBoxLayout()
        bulk.addWidget(self.empty, 1)
        bulk.addWidget(self.all_ours_button)
        bulk.addWidget(self.all_theirs_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split, 1)
        layout.addLayout(bulk)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self.refresh)
        session.annotationsChanged.connect(self._on_change)
        session.projectReplaced.connect(self.refresh)
        self.refresh()

    def _pane(self, name: str) -> QTextBrowser:
        pane = QTextBrowser()
        pane.setObjectName(name)
        pane.setOpenLinks(False)
        return pane

    def _button(self, text: str, action_id: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(text.lower().replace(" ", "_"))
        button.setAutoDefault(False)
        if action_id:
            button.setText(f"{text} ({keymap.first_key(action_id)})")
        button.clicked.connect(lambda _c=False: slot())  # type: ignore[operator]
        return button

    # --- the list -------------------------------------------------------------------------

    def _on_change(self, change: Change) -> None:
        if not change.layer or change.layer.endswith(THEIRS_SUFFIX) or self.conflicts:
            self._timer.start()

    def refresh(self) -> None:
        """List the project's conflicts again, keeping the chosen one (or the one after it)."""
        self._timer.stop()
        row = max(self.list.currentRow(), 0)
        current = self.current()
        self.conflicts = list_conflicts(self.session.project)
        self._filling = True
        self.list.clear()
        project = self.session.project
        for c in self.conflicts:
            item = QListWidgetItem(_short_title(project, c))
            item.setToolTip(c.title())
            self.list.addItem(item)
        keys = [c.key for c in self.conflicts]
        if current is not None and current.key in keys:
            row = keys.index(current.key)
        self._filling = False
        if self.conflicts:
            self.list.setCurrentRow(min(row, len(self.conflicts) - 1))
        self._on_row(self.list.currentRow())
        has = bool(self.conflicts)
        for b in (
            self.keep_ours_button,
            self.keep_theirs_button,
            self.all_ours_button,
            self.all_theirs_button,
        ):
            b.setEnabled(has)
        self.empty.setVisible(not has)
        self.countChanged.emit(len(self.conflicts))

    def current(self) -> ProjectConflict | None:
        row = self.list.currentRow()
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    def _on_row(self, row: int) -> None:
        if self._filling:
            return
        c = self.current()
        if c is None:
            self.ours.setHtml("")
            self.theirs.setHtml("")
            return
        ours, theirs = side_html(self.session.project, c)
        self.ours.setHtml(ours)
        self.theirs.setHtml(theirs)
        self._show_in_text(c)

    def _show_in_text(self, c: ProjectConflict) -> None:
        """The release of the conflict in the text view, both layers shown."""
        session = self.session
        if c.doc_id in session.project.documents:
            session.set_current_document(c.doc_id)
        if c.layer:
            for name in (c.layer, c.layer + THEIRS_SUFFIX):
                if name in session.project.layers and name not in session.visible_layers:
                    session.set_layer_visible(name, True)
            if c.kind is ConflictKind.ANNOTATION and isinstance(c.ours, Annotation):
                session.select(c.layer, c.ident)

    # --- decisions ----------------------------------------------------------------------------

    def keep(self, side: Side | str) -> None:
        c = self.current()
        if c is not None:
            self.notifier.run(lambda: self.session.execute(ResolveConflicts([(c, side)])))
            self.refresh()

    def keep_all(self, side: Side | str) -> None:
        if self.conflicts:
            chosen = [(c, side) for c in self.conflicts]
            self.notifier.run(lambda: self.session.execute(ResolveConflicts(chosen)))
            self.refresh()


def _short_title(project: Project, c: ProjectConflict) -> str:
    doc = project.documents.get(c.doc_id)
    head = doc.meta.headline if doc is not None and doc.meta.headline else c.doc_id
    head = head if len(head) <= 40 else head[:39] + "…"
    what = {
        ConflictKind.ANNOTATION: f"annotation {c.ident} ({c.layer})",
        ConflictKind.LINK: f"link {c.ident} ({c.layer})",
        ConflictKind.DOCUMENT: "text",
        ConflictKind.STATUS: f"status of {c.ident}",
        ConflictKind.REVIEW_STATUS: "review status",
        ConflictKind.METADATA: c.ident.replace("_", " "),
    }[c.kind]
    return f"{what}\n{head}"


def side_html(project: Project, c: ProjectConflict) -> tuple[str, str]:
    """(ours, theirs) as rich text: the tag's colour on the words, the context around."""
    if c.kind is ConflictKind.DOCUMENT:
        assert isinstance(c.ours, Document) and isinstance(c.theirs, Document)
        pair = text_difference(c.ours.text, c.theirs.text, context=80)
        return _marked(pair[0]), _marked(pair[1])
    out: list[str] = []
    for value in (c.ours, c.theirs):
        if value is None or value == DELETED:
            out.append("<p><i>deleted</i></p>")
        elif isinstance(value, Annotation):
            out.append(_annotation_html(project, c.doc_id, value))
        elif isinstance(value, Link):
            out.append(_link_html(project, c, value, value is c.theirs))
        else:
            out.append(f"<p><b>{html.escape(str(value) or '(empty)')}</b></p>")
    return out[0], out[1]


def _marked(shown: str) -> str:
    """``…before[changed]after…`` with the changed words highlighted."""
    before, _, rest = shown.partition("[")
    body, _, after = rest.rpartition("]")
    return (
        f"<p>{html.escape(before)}<span style='background:#FFE08A'><b>"
        f"{html.escape(body) or '<i>(nothing)</i>'}</b></span>{html.escape(after)}</p>"
    )


def _annotation_html(project: Project, doc_id: str, ann: Annotation) -> str:
    doc = project.documents.get(doc_id)
    ex = annotation_excerpt(doc.text if doc else "", ann, words=8)
    ts = project.tagset
    colour = QColor(ts.tag(ann.tag).color).lighter(140).name() if ts.has_tag(ann.tag) else "#ddd"
    tt = ts.tag(ann.tag) if ts.has_tag(ann.tag) else None
    attrs = attribute_summary(tt, dict(ann.attributes))
    lines = [
        f"<p><b>{html.escape(tag_label(ts, ann.tag))}</b>"
        + (f" <small>({html.escape(attrs)})</small>" if attrs else "")
        + "</p>",
        f"<p>{html.escape(ex.before)}<span style='background:{colour}'>"
        f"{html.escape(ex.span)}</span>{html.escape(ex.after)}</p>",
    ]
    if ann.note:
        lines.append(f"<p><i>Note:</i> {html.escape(ann.note)}</p>")
    by = ann.modified_by or ann.created_by
    if by:
        when = ann.modified_at or ann.created_at
        lines.append(f"<p><small>by {html.escape(by)} {html.escape(when)}</small></p>")
    return "".join(lines)


def _link_html(project: Project, c: ProjectConflict, link: Link, theirs: bool) -> str:
    layer = project.layers.get(c.layer + THEIRS_SUFFIX if theirs else c.layer)
    da = layer.docs.get(c.doc_id) if layer is not None else None
    parts = [f"<p><b>{html.escape(link.type.replace('_', ' '))}</b></p>"]
    for label, end in (("from", link.source), ("to", link.target)):
        ann = da.annotations.get(end) if da else None
        body = _annotation_html(project, c.doc_id, ann) if ann else html.escape(end)
        parts.append(f"<p><small>{label}</small></p>{body}")
    if link.note:
        parts.append(f"<p><i>Note:</i> {html.escape(link.note)}</p>")
    return "".join(parts)
