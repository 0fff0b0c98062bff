"""The Inspector: everything about the selected annotation, editable as undoable commands.

Tag, attributes, note, needs-check flag, reviewer comments, links and (read-only)
the review history of an adjudicated annotation. Every edit
is one core command through ``session.execute`` so Undo covers it; the note is
committed as one ``SetNote`` on focus-out or Ctrl+Enter, not per keystroke.
The links section lives in ``inspector_links.py``.
"""

from __future__ import annotations

from html import escape
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.model import (
    Annotation,
    Command,
    DocumentAnnotations,
    Retag,
    SetAttribute,
    SetNeedsCheck,
    SetNote,
)
from annotator.model.tagset import AttributeDef, TagType
from annotator.review.adjudicate import history
from annotator.ui import keymap
from annotator.ui.docks.common import (
    elide,
    swatch_icon,
    tag_color,
    tag_label,
)
from annotator.ui.docks.inspector_links import LinkChoice, LinkEditing, clear_layout
from annotator.ui.notifier import Notifier
from annotator.ui.session import ProjectSession


class NoteEdit(QPlainTextEdit):
    """A note editor that reports when it is done: focus-out or Ctrl+Enter."""

    committed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.committed.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.committed.emit()
        super().focusOutEvent(event)


def lay_checkboxes(grid: QGridLayout, boxes: list[Any], columns: int) -> None:
    """Two per row (a long label takes a whole row so nothing is clipped), or one."""
    if grid.property("columns_laid") == columns:
        return
    for box in boxes:
        grid.removeWidget(box)
    row, col = 0, 0
    for box in boxes:
        wide = columns == 1 or len(box.text()) > 16
        if wide and col:
            row, col = row + 1, 0
        grid.addWidget(box, row, col, 1, 2 if wide else 1)
        row, col = (row + 1, 0) if wide or col else (row, 1)
    grid.setProperty("columns_laid", columns)
    grid.invalidate()
    parent = grid.parentWidget()
    if parent is not None:
        parent.updateGeometry()  # the form around it must hear of the new height


def two_column_width(grid: QGridLayout, boxes: list[Any]) -> int:
    """The least width of ``boxes`` laid two per row."""
    short = [b.minimumSizeHint().width() for b in boxes if len(b.text()) <= 16]
    wide = [b.minimumSizeHint().width() for b in boxes if len(b.text()) > 16]
    pair = 2 * max(short, default=0) + max(0, grid.horizontalSpacing())
    return max([pair, *wide])


def grid_widgets(grid: QGridLayout) -> list[QWidget]:
    """The widgets a grid holds, in its order."""
    found = []
    for i in range(grid.count()):
        item = grid.itemAt(i)
        widget = item.widget() if item is not None else None
        if widget is not None:
            found.append(widget)
    return found


class InspectorDock(LinkEditing, QDockWidget):
    """Shows and edits ``session.selected`` (annotations of other layers are read-only)."""

    def sizeHint(self) -> QSize:
        """Initial size in the main window: roomy enough that attribute choices wrap unclipped."""
        return QSize(400, 700)

    def __init__(
        self,
        session: ProjectSession,
        notifier: Notifier,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Inspector", parent)
        self.setObjectName("InspectorDock")
        self.session = session
        self.notifier = notifier
        self._key: tuple[str, str, str] | None = None  # layer, doc, id on display
        self._built_for: tuple[str, str, str, str] | None = None  # key + tag of attr widgets
        self._state: tuple[Any, ...] | None = None  # what refresh() last showed
        self._attr_widgets: dict[str, Any] = {}
        #: the multiple-choice attributes' checkbox grids: one column in a narrow panel
        self._checkbox_grids: list[QGridLayout] = []
        #: link id -> (follow button, remove button or None) of the links on display
        self.link_rows: dict[str, tuple[QPushButton, QToolButton | None]] = {}
        self._pending: tuple[tuple[str, str, str], LinkChoice] | None = None
        self._build_ui()
        session.selectionChanged.connect(self._on_selection)
        session.currentDocumentChanged.connect(self._on_document)
        session.annotationsChanged.connect(self._on_change)
        session.projectReplaced.connect(self._on_project)
        session.tagsetChanged.connect(self._on_project)
        session.pickModeChanged.connect(self._on_pick_mode)
        session.undo_stack.indexChanged.connect(self._on_undo_index)
        self.refresh()

    # --- construction ------------------------------------------------------------------

    def _build_ui(self) -> None:
        scroll = self._scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(6, 8, 4, 8)
        outer.setSpacing(8)

        self.empty_label = QLabel(
            "No annotation selected.\nClick an annotation in the text or the list.", body
        )
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: palette(dark); padding: 24px;")
        outer.addWidget(self.empty_label)

        self.content = QWidget(body)
        lay = QVBoxLayout(self.content)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        outer.addWidget(self.content)
        outer.addStretch(1)

        self.readonly_label = QLabel(self.content)
        self.readonly_label.setWordWrap(True)
        self.readonly_label.setStyleSheet(
            "background: #fff4d6; color: #5a4500; border: 1px solid #e0c070;"
            " border-radius: 3px; padding: 4px;"
        )
        lay.addWidget(self.readonly_label)

        self.text_label = QLabel(self.content)
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text_label.setStyleSheet("font-size: 11pt; padding: 2px 0;")
        lay.addWidget(self.text_label)

        form = self.tag_form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.tag_combo = QComboBox(self.content)
        self.tag_combo.setAccessibleName("Tag")
        # a long tag label is cut in the combo, never widens the panel
        self.tag_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.tag_combo.setMinimumContentsLength(8)
        self.tag_combo.activated.connect(self._on_tag_chosen)
        form.addRow("&Tag:", self.tag_combo)
        tag_label_widget = form.labelForField(self.tag_combo)
        assert isinstance(tag_label_widget, QLabel)
        self.tag_form_label: QLabel = tag_label_widget
        lay.addLayout(form)

        self.check_row = QWidget(self.content)
        check_lay = QHBoxLayout(self.check_row)
        check_lay.setContentsMargins(0, 0, 0, 0)
        self.check_label = QLabel("⚠ Needs check: the text inside this span was corrected.")
        self.check_label.setWordWrap(True)
        self.check_label.setStyleSheet("color: #8a4500;")
        self.check_button = QPushButton("Mark &checked")
        self.check_button.clicked.connect(self.mark_checked)
        check_lay.addWidget(self.check_label, 1)
        check_lay.addWidget(self.check_button)
        lay.addWidget(self.check_row)

        self.attr_box = QGroupBox("Attributes", self.content)
        self.attr_form = QFormLayout(self.attr_box)
        self.attr_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        lay.addWidget(self.attr_box)

        note_box = QGroupBox("Note", self.content)
        note_lay = QVBoxLayout(note_box)
        self.note_edit = NoteEdit(note_box)
        self.note_edit.setAccessibleName("Note")
        self.note_edit.setPlaceholderText("A remark for yourself or the reviewer…")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.note_edit.committed.connect(self.commit_note)
        note_hint = QLabel("Saved when you leave the box or press Ctrl+Enter.")
        note_hint.setWordWrap(True)
        note_hint.setStyleSheet("color: palette(dark); font-size: 9pt;")
        note_lay.addWidget(self.note_edit)
        note_lay.addWidget(note_hint)
        lay.addWidget(note_box)

        lay.addWidget(self._build_links_box(self.content))

        self.comments_box = QGroupBox("Reviewer comments", self.content)
        comments_lay = QVBoxLayout(self.comments_box)
        self.comments_label = QLabel(self.comments_box)
        self.comments_label.setWordWrap(True)
        self.comments_label.setTextFormat(Qt.TextFormat.RichText)
        self.comments_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        comments_lay.addWidget(self.comments_label)
        lay.addWidget(self.comments_box)

        # read-only: how review settled this annotation (accepted from whom, rejected, edited)
        self.history_box = QGroupBox("History", self.content)
        history_lay = QVBoxLayout(self.history_box)
        self.history_label = QLabel(self.history_box)
        self.history_label.setWordWrap(True)
        self.history_label.setTextFormat(Qt.TextFormat.PlainText)
        self.history_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        history_lay.addWidget(self.history_label)
        lay.addWidget(self.history_box)

        self.meta_label = QLabel(self.content)
        self.meta_label.setWordWrap(True)
        self.meta_label.setStyleSheet("color: palette(dark); font-size: 9pt;")
        lay.addWidget(self.meta_label)

        scroll.setWidget(body)
        # the body always fits the panel's width: narrow panels put labels above fields
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._body = body
        self._body_layout = outer
        self._fit_pending = False
        body.installEventFilter(self)
        self.setWidget(scroll)
        #: Esc in the Inspector cancels picking (in the text, the window's Escape does)
        self.esc = keymap.bind(QAction("Cancel picking", self), "inspector.cancel_pick")
        self.esc.setEnabled(False)
        self.esc.triggered.connect(self.session.cancel_pick)
        self.addAction(self.esc)

    # --- current annotation --------------------------------------------------------------

    def current(self) -> tuple[str, str, Annotation, DocumentAnnotations] | None:
        """(layer, doc id, annotation, its layer's document annotations) on display."""
        layer, ann_id = self.session.selected
        doc_id = self.session.current_doc_id
        lay = self.session.project.layers.get(layer)
        da = lay.docs.get(doc_id) if lay is not None and ann_id else None
        if da is None or ann_id not in da.annotations:
            return None
        return layer, doc_id, da.annotations[ann_id], da

    @property
    def editable(self) -> bool:
        cur = self.current()
        return cur is not None and cur[0] == self.session.layer

    def _on_document(self, _doc_id: str) -> None:
        self.refresh()

    def _on_undo_index(self, _index: int) -> None:
        self._refresh_if_changed()

    def _on_selection(self, _layer: str, _ann_id: str) -> None:
        self.commit_note()
        self.refresh()

    def _on_change(self, change: Any) -> None:
        if not change.doc_id or change.text_changed:
            self.refresh()
        elif change.doc_id == self.session.current_doc_id:
            self._refresh_if_changed()

    def _shown_state(self) -> tuple[Any, ...] | None:
        """What the panel shows depends on: the annotation, its links and their other ends.

        Edits replace an annotation by a changed copy, so comparing this tuple (identity
        first) tells in O(links) whether an edit elsewhere in the document touched us.
        """
        cur = self.current()
        if cur is None:
            return None
        layer, doc_id, ann, da = cur
        links = tuple(da.links_of(ann.id))
        ends = tuple(
            da.annotations.get(lk.target if lk.source == ann.id else lk.source) for lk in links
        )
        history_key = self.session.project if ann.provenance else None
        return (layer, doc_id, ann, links, ends, history_key)

    def _refresh_if_changed(self) -> None:
        state = self._shown_state()
        if state is None and self._key is None:
            return
        if state is not None and state[-1] is None and state == self._state:
            return
        self.refresh()

    def _on_project(self) -> None:
        self._key = None
        self._built_for = None
        self.tag_combo.clear()
        self.refresh()

    def refresh(self) -> None:
        """Show the selected annotation as it is now in the model."""
        cur = self.current()
        self._state = self._shown_state()
        if cur is None:
            self._key = None
            self.content.hide()
            self.empty_label.show()
            return
        layer, doc_id, ann, da = cur
        self._key = (layer, doc_id, ann.id)
        self.empty_label.hide()
        self.content.show()
        project = self.session.project
        tagset = project.tagset
        text = project.documents[doc_id].text
        editable = layer == self.session.layer

        self.readonly_label.setVisible(not editable)
        self.readonly_label.setText(
            f"Read-only: this annotation belongs to layer “{escape(layer)}”. "
            "You can edit only your own layer."
        )
        covered = ann.covered_text(text)
        self.text_label.setText(
            f"<span style='color:{tag_color(tagset, ann.tag)}; font-size:14pt'>■</span> "
            f"<b>{escape(tag_label(tagset, ann.tag))}</b><br/>“{escape(elide(covered, 400))}”"
        )
        self.text_label.setToolTip(covered if len(covered) > 400 else "")

        self._fill_tag_combo()
        self.tag_combo.blockSignals(True)
        self.tag_combo.setCurrentIndex(self.tag_combo.findData(ann.tag))
        self.tag_combo.blockSignals(False)
        self.tag_combo.setEnabled(editable)

        self.check_row.setVisible(ann.needs_check)
        self.check_button.setEnabled(editable)

        self._show_attributes(ann, editable)

        typing = self.note_edit.hasFocus()
        if not typing and self.note_edit.toPlainText() != ann.note:
            self.note_edit.setPlainText(ann.note)
        self.note_edit.setReadOnly(not editable)

        self._show_links(layer, doc_id, ann, da, text, editable)

        self.comments_box.setVisible(bool(ann.comments))
        self.comments_label.setText(
            "".join(
                f"<p><b>{escape(c.author)}</b> <span style='color:#777'>{escape(c.at)}</span>"
                f"<br/>{escape(c.text)}</p>"
                for c in ann.comments
            )
        )
        self._show_history(layer, ann)
        created = f"Created by {ann.created_by or 'unknown'}" + (
            f" on {ann.created_at}" if ann.created_at else ""
        )
        modified = ""
        if ann.modified_at and ann.modified_at != ann.created_at:
            modified = f" · modified by {ann.modified_by or 'unknown'} on {ann.modified_at}"
        self.meta_label.setText(f"{created}{modified} · id {ann.id} · layer {layer}")

    def _show_history(self, layer: str, ann: Annotation) -> None:
        """The adjudication story of an annotation review has touched; hidden otherwise.

        Comments are left out: the section above shows them already.
        """
        if not ann.provenance:
            self.history_box.hide()
            self.history_label.clear()
            return
        bare = ann.copy()
        bare.comments = []
        lines = history(self.session.project, layer, bare)
        self.history_box.setVisible(bool(lines))
        self.history_label.setText("\n".join(lines))

    def _fill_tag_combo(self) -> None:
        tags = [t.name for t in self.session.project.tagset.tags]
        have = [self.tag_combo.itemData(i) for i in range(self.tag_combo.count())]
        if have == tags:
            return
        self.tag_combo.blockSignals(True)
        self.tag_combo.clear()
        for tt in self.session.project.tagset.tags:
            suffix = f"  ({tt.shortcut})" if tt.shortcut else ""
            self.tag_combo.addItem(swatch_icon(tt.color), tt.label + suffix, tt.name)
        self.tag_combo.blockSignals(False)

    # --- attributes ------------------------------------------------------------------------

    def _show_attributes(self, ann: Annotation, editable: bool) -> None:
        tagset = self.session.project.tagset
        tt = tagset.tag(ann.tag) if tagset.has_tag(ann.tag) else None
        assert self._key is not None
        # widgets depend on the tag only: moving between two victims reuses them
        build_key = (self._key[0], self._key[1], "", ann.tag)
        if build_key != self._built_for:
            self._build_attributes(tt)
            self._built_for = build_key
            self._settle_layout()
        self.attr_box.setVisible(tt is not None and bool(tt.attributes))
        if tt is None:
            return
        for attr in tt.attributes:
            widget = self._attr_widgets.get(attr.name)
            value = ann.attributes.get(attr.name)
            if isinstance(widget, QComboBox):
                widget.blockSignals(True)
                widget.setCurrentIndex(max(0, widget.findData(value or "")))
                widget.blockSignals(False)
                widget.setEnabled(editable)
            elif isinstance(widget, dict):
                chosen = set(value or ())
                for v, box in widget.items():
                    box.blockSignals(True)
                    box.setChecked(v in chosen)
                    box.blockSignals(False)
                    box.setEnabled(editable)
            elif isinstance(widget, QLineEdit):
                if not widget.hasFocus():
                    widget.setText(value if isinstance(value, str) else "")
                widget.setReadOnly(not editable)

    def _settle_layout(self) -> None:
        """Show the new attribute widgets and fit the panel's body to them now.

        Qt shows new children and lays them out only when the event loop runs;
        until then (a screenshot, a test, a slow machine) they were squeezed.
        """
        for child in self._attr_widgets.values():
            for widget in child.values() if isinstance(child, dict) else (child,):
                widget.show()
        for row in range(self.attr_form.rowCount()):
            for role in (QFormLayout.ItemRole.LabelRole, QFormLayout.ItemRole.FieldRole):
                item = self.attr_form.itemAt(row, role)
                field = item.widget() if item is not None else None
                if field is not None:
                    field.show()
        self._body_layout.invalidate()
        self._fit_body()

    def minimum_width(self) -> int:
        """Width the panel needs to show its body without a horizontal scroll bar."""
        bar = self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent)
        return self._body.minimumSizeHint().width() + bar + 2 * self._scroll.frameWidth() + 4

    def _fit_body(self) -> None:
        """Give the scrolled body at least the height its contents need at this width.

        The scroll area does not hear when the body's minimum grows (new attribute
        rows, links, comments), and then the layout squeezed the checkboxes on top
        of each other; at the right height the panel scrolls instead.
        """
        body = self._body
        layout = self._body_layout
        width = self._scroll.viewport().width()
        self._choose_wrapping(width)
        self._arrange_add_link(width)
        for widget in (self.attr_box, self.content):
            widget.updateGeometry()
            box = widget.layout()
            if box is not None:
                box.invalidate()
                box.activate()
        layout.invalidate()
        needed = body.minimumSizeHint().height()
        if layout.hasHeightForWidth():
            needed = max(needed, body.heightForWidth(width))
        height = max(needed, self._scroll.viewport().height())
        if body.width() != width or body.height() != height:
            body.resize(width, height)
        layout.activate()
        # the invalidations above posted layout requests that activate() has just
        # answered: left queued, each came back here, several fits per keypress
        QCoreApplication.removePostedEvents(body, QEvent.Type.LayoutRequest)

    def _choose_wrapping(self, width: int) -> None:
        """Labels beside their fields when the panel is wide enough, above them when not,
        the same for every row (so labels stay aligned and nothing is clipped)."""
        labels = self._form_labels()
        column = max(label.sizeHint().width() for label in labels)
        grids = {id(g.parentWidget()): g for g in self._checkbox_grids}
        boxes = {key: grid_widgets(g) for key, g in grids.items()}

        def least(field: QWidget) -> int:  # a checkbox grid at two per row
            key = id(field)
            if key in grids:
                return two_column_width(grids[key], boxes[key])
            if isinstance(field, QComboBox):
                # the chosen value must be readable whole ("Responsible authority (3)"),
                # else the label goes above and the combo gets the panel's width
                shown = field.fontMetrics().horizontalAdvance(field.currentText())
                icon = (
                    field.iconSize().width() + 4
                    if not field.itemIcon(field.currentIndex()).isNull()
                    else 0
                )
                return max(int(field.minimumSizeHint().width()), shown + icon + 44)
            return int(field.minimumSizeHint().width())

        fields: list[QWidget] = [self.tag_combo]
        for row in range(self.attr_form.rowCount()):
            item = self.attr_form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            field = item.widget() if item is not None else None
            if field is not None:
                fields.append(field)
        # computed from the parts: a layout's cached minimum is stale after a policy change
        spacing = max(6, self.attr_form.horizontalSpacing())
        frame = self.attr_box.contentsMargins()
        inner = self.attr_form.contentsMargins()
        outer = self._body_layout.contentsMargins()
        fixed = (
            outer.left() + outer.right() + frame.left() + frame.right()
            + inner.left() + inner.right()
        )  # fmt: skip
        wrap = fixed + column + spacing + max(least(f) for f in fields) > width
        for key, grid in grids.items():
            # wrapped, a grid has the whole row; one per row when two do not fit
            two = not wrap or two_column_width(grid, boxes[key]) <= width - fixed
            lay_checkboxes(grid, boxes[key], 2 if two else 1)
        policy = (
            QFormLayout.RowWrapPolicy.WrapAllRows
            if wrap
            else QFormLayout.RowWrapPolicy.DontWrapRows
        )
        inset = frame.left() + inner.left()
        for label in labels:
            if wrap:
                label.setMinimumWidth(0)
                label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            else:
                # one label column for the Tag row and the attribute rows
                extra = inset if label is self.tag_form_label else 0
                label.setMinimumWidth(column + extra)
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for form in (self.tag_form, self.attr_form):
            if form.rowWrapPolicy() != policy:
                form.setRowWrapPolicy(policy)
                form.invalidate()

    def _form_labels(self) -> list[QLabel]:
        labels = [self.tag_form_label]
        for row in range(self.attr_form.rowCount()):
            item = self.attr_form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if isinstance(label, QLabel):
                labels.append(label)
        self.tag_form_label.setMinimumHeight(self.tag_combo.sizeHint().height())
        return labels

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if not self._fit_pending:
            self._fit_pending = True
            QTimer.singleShot(0, self, self._fit_later)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        layout_request = event.type() == QEvent.Type.LayoutRequest
        if watched is self._body and layout_request and not self._fit_pending:
            self._fit_pending = True
            QTimer.singleShot(0, self, self._fit_later)
        return super().eventFilter(watched, event)

    def _fit_later(self) -> None:
        self._fit_pending = False
        if shiboken6.isValid(self._scroll) and shiboken6.isValid(self._body):
            self._fit_body()

    def _build_attributes(self, tt: TagType | None) -> None:
        clear_layout(self.attr_form)
        self._attr_widgets = {}
        self._checkbox_grids = []
        if tt is None:
            return
        for attr in tt.attributes:
            label = QLabel(f"{attr.label}:")
            label.setToolTip(attr.definition)
            widget: Any
            if attr.closed and not attr.multiple:
                widget = QComboBox()
                widget.setSizeAdjustPolicy(
                    QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
                )
                widget.setMinimumContentsLength(8)
                widget.addItem("—", "")
                for v in attr.values:
                    widget.addItem(attr.label_of(v), v)
                widget.setAccessibleName(attr.label)
                widget.setToolTip(attr.definition)
                widget.activated.connect(lambda _i, a=attr, w=widget: self._set_single(a, w))
                field: QWidget = widget
            elif attr.closed:
                field = QWidget()
                grid = QGridLayout(field)
                grid.setContentsMargins(0, 0, 0, 0)
                grid.setHorizontalSpacing(12)
                grid.setVerticalSpacing(2)
                widget = {}
                for v in attr.values:
                    box = QCheckBox(attr.label_of(v))
                    box.setAccessibleName(f"{attr.label}: {attr.label_of(v)}")
                    box.toggled.connect(lambda _c, a=attr: self._set_multiple(a))
                    widget[v] = box
                lay_checkboxes(grid, list(widget.values()), 2)
                self._checkbox_grids.append(grid)
                field.setToolTip(attr.definition)
            else:
                widget = QLineEdit()
                widget.setAccessibleName(attr.label)
                widget.setToolTip(attr.definition)
                widget.editingFinished.connect(lambda a=attr, w=widget: self._set_text(a, w))
                field = widget
            self._attr_widgets[attr.name] = widget
            label.setBuddy(field if not isinstance(widget, dict) else next(iter(widget.values())))
            # the label's text sits on the first line of its field: the combo's or the
            # line edit's middle, or the first checkbox's
            first = field if not isinstance(widget, dict) else next(iter(widget.values()), field)
            label.setMinimumHeight(first.sizeHint().height())
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            self.attr_form.addRow(label, field)

    def _set_single(self, attr: AttributeDef, combo: QComboBox) -> None:
        value = combo.currentData() or None
        self._set_attribute(attr.name, value)

    def _set_multiple(self, attr: AttributeDef) -> None:
        boxes = self._attr_widgets.get(attr.name, {})
        chosen = tuple(v for v, box in boxes.items() if box.isChecked())
        self._set_attribute(attr.name, chosen or None)

    def _set_text(self, attr: AttributeDef, edit: QLineEdit) -> None:
        self._set_attribute(attr.name, edit.text().strip() or None)

    def _set_attribute(self, name: str, value: Any) -> None:
        cur = self.current()
        if cur is None or not self.editable:
            return
        layer, doc_id, ann, _da = cur
        old = ann.attributes.get(name)
        if (old or None) == (value or None):
            return
        self._execute(SetAttribute(layer, doc_id, ann.id, name, value, self.session.user))

    # --- edits ----------------------------------------------------------------------------------

    def _execute(self, command: Command) -> bool:
        """One edit under the notifier's rule; a refused one puts the fields back."""
        if self.notifier.run(lambda: self.session.execute(command)) is None:
            self.refresh()
            return False
        return True

    def show_error(self, err: BaseException) -> None:
        self.notifier.show_error(err)

    def _on_tag_chosen(self, _index: int) -> None:
        self.retag(self.tag_combo.currentData())

    def retag(self, tag: str) -> None:
        cur = self.current()
        if cur is None or not self.editable or not tag or cur[2].tag == tag:
            return
        layer, doc_id, ann, _da = cur
        self._execute(Retag(layer, doc_id, ann.id, tag, self.session.user))

    def commit_note(self) -> None:
        """Store the note editor's text as one SetNote (if it changed)."""
        if self._key is None or self.note_edit.isReadOnly():
            return
        layer, doc_id, ann_id = self._key
        lay = self.session.project.layers.get(layer)
        da = lay.docs.get(doc_id) if lay is not None else None
        ann = da.annotations.get(ann_id) if da is not None else None
        text = self.note_edit.toPlainText()
        if ann is None or layer != self.session.layer or ann.note == text:
            return
        self._execute(SetNote(layer, doc_id, ann_id, text, self.session.user))

    def mark_checked(self) -> None:
        cur = self.current()
        if cur is None or not self.editable or not cur[2].needs_check:
            return
        layer, doc_id, ann, _da = cur
        self._execute(SetNeedsCheck(layer, doc_id, ann.id, False, self.session.user))
