"""The release as readable paragraphs with annotations painted over it.

Nothing is ever written into the QTextDocument: the painting lives in
:mod:`annotator.ui.text_paint` (background via a QSyntaxHighlighter, stacked
underlines, brackets, selection frame and check marks in ``paintEvent``). This
module loads documents, keeps the per-block index in step with the model's
``Change`` notifications, converts between code points (model) and UTF-16
units (Qt) through :class:`~annotator.ui.offsets.OffsetMap`, and turns clicks
and hovers into selections and tooltips."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from PySide6.QtCore import QEvent, QPoint, QPointF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import (
    QPlainTextEdit,
    QTextEdit,
    QToolTip,
    QWidget,
)

from annotator.model import Annotation, Change, Project
from annotator.ui import keymap
from annotator.ui.highlight_index import HighlightIndex, Piece, display_text
from annotator.ui.link_arcs import LinkArcs
from annotator.ui.offsets import OffsetMap
from annotator.ui.session import ProjectSession
from annotator.ui.text_paint import (
    AnnotationHighlighter,
    SpacedLayout,
    paint_annotations,
    tint,
    tooltip_html,
    x_at,
)


class SuggestionOverlay(Protocol):
    """What the text view asks of the suggestions drawn over it."""

    def paint(self, painter: QPainter, origins: dict[int, QPointF]) -> None: ...

    def tooltip_at(self, cp: int) -> str: ...

    def click(self, cp: int) -> bool: ...


#: held while dragging from one span to another to link them (Alt+drag moves windows on
#: many Linux desktops, so it is Ctrl)
LINK_DRAG_MODIFIER = Qt.KeyboardModifier.ControlModifier
READING_FAMILIES = ["Noto Serif", "DejaVu Serif", "Georgia", "Cambria", "Times New Roman", "serif"]
MAX_COLUMN_CHARS = 96  # a comfortable reading width; wider windows get side margins
FIND_COLOR = QColor("#FFE066")
FIND_CURRENT_COLOR = QColor("#FFB000")


class TextView(QPlainTextEdit):
    """Read-only reading view of the current document (editable in correction mode)."""

    zoomChanged = Signal(int)  # point size
    cursorInfoChanged = Signal()
    statusMessage = Signal(str, int)  # a passing message, and for how many milliseconds

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        #: the tag actions and the editing actions the context menu offers (the window's)
        self.context_actions: Callable[[], tuple[list[QAction], list[QAction]]] = lambda: ([], [])
        #: runs a command the view starts itself (a Ctrl+drag link) under the window's one
        #: error rule: a refused edit is one message, None back; on its own, errors propagate
        self.run: Callable[[Callable[[], object]], object] = lambda job: job()
        self.doc_id = ""
        self.text = ""
        self.offsets = OffsetMap("")
        #: the link target last picked with the mouse (the next pick at that spot cycles on)
        self._last_pick: tuple[str, str] | None = None
        self.index: HighlightIndex | None = None
        self._formats: dict[tuple[str, bool], QTextCharFormat] = {}
        self._colors: dict[str, QColor] = {}
        self._loading = False
        self._press_pos = QPointF()
        self.base_point_size = 13
        self.editing = False  # correction mode
        #: code-point span a correction just replaced (set by text_correction)
        self.edit_hint: tuple[int, int] | None = None

        self.setObjectName("textView")
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setMouseTracking(True)
        self.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        doc = self.document()
        self.spaced_layout = SpacedLayout(doc)
        doc.setDocumentLayout(self.spaced_layout)
        doc.setUndoRedoEnabled(False)
        doc.setDocumentMargin(18)
        # Tabs: a few characters wide rather than Qt's 80 px default.
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Base, QColor("#FFFFFF"))
        pal.setColor(QPalette.ColorRole.Window, QColor("#FFFFFF"))
        pal.setColor(QPalette.ColorRole.Text, QColor("#1B1B1B"))
        pal.setColor(QPalette.ColorRole.Highlight, QColor("#2F6FDE"))
        pal.setColor(QPalette.ColorRole.HighlightedText, QColor("#FFFFFF"))
        self.setPalette(pal)
        self.setAutoFillBackground(True)
        self.set_point_size(self.base_point_size)
        self.highlighter = AnnotationHighlighter(self)
        #: links drawn as arcs between spans (View > Show Links), hover and Ctrl+drag
        self.link_arcs = LinkArcs(self)
        self.link_arcs.update_room()
        self._find_selections: list[QTextEdit.ExtraSelection] = []
        #: suggested annotations drawn over the text (annotator.ui.suggestions), if any
        self.suggestion_overlay: SuggestionOverlay | None = None

        session.currentDocumentChanged.connect(self._on_document_changed)
        session.projectReplaced.connect(self.reload)
        session.annotationsChanged.connect(self._on_annotations_changed)
        session.selectionChanged.connect(self._on_selection_changed)
        session.visibleLayersChanged.connect(self._on_layers_changed)
        self.cursorPositionChanged.connect(self.cursorInfoChanged)
        self.selectionChanged.connect(self.cursorInfoChanged)
        self.reload()

    # --- fonts and zoom -------------------------------------------------------------

    def set_point_size(self, size: int) -> None:
        size = max(7, min(40, int(size)))
        font = QFont()
        font.setFamilies(READING_FAMILIES)
        font.setPointSize(size)
        font.setStyleHint(QFont.StyleHint.Serif)
        if hasattr(self, "spaced_layout"):
            # room for three stacked underlines below each line, and a calmer page
            self.spaced_layout.extra = round(QFontMetricsF(font).height() * 0.45)
        self.setFont(font)
        self.document().setDefaultFont(font)
        if hasattr(self, "link_arcs"):
            self.link_arcs.update_room()
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self._update_margins()
        self.zoomChanged.emit(size)

    @property
    def point_size(self) -> int:
        return self.font().pointSize()

    def zoom_in(self) -> None:
        self.set_point_size(self.point_size + 1)

    def zoom_out(self) -> None:
        self.set_point_size(self.point_size - 1)

    def zoom_reset(self) -> None:
        self.set_point_size(self.base_point_size)

    def resizeEvent(self, e: QResizeEvent) -> None:
        self._update_margins(relayout=False)
        super().resizeEvent(e)

    def _update_margins(self, relayout: bool = True) -> None:
        """Keep lines at a readable length: centre a column on wide windows."""
        column = self.fontMetrics().averageCharWidth() * MAX_COLUMN_CHARS
        spare = self.width() - column - self.verticalScrollBar().sizeHint().width()
        side = max(0, int(spare // 2))
        if self.viewportMargins().left() != side:
            self.setViewportMargins(side, 0, side, 0)
            if relayout:
                self.relayout()

    def relayout(self) -> None:
        """Lay every line out again (a new column width or line spacing)."""
        # QPlainTextEdit re-wraps only on a resize event with a new width
        QPlainTextEdit.resizeEvent(self, QResizeEvent(self.size(), QSize(-1, -1)))
        self.viewport().update()

    # --- loading ------------------------------------------------------------------------

    @property
    def project(self) -> Project:
        return self.session.project

    def _on_document_changed(self, _doc_id: str) -> None:
        # set_project emits projectReplaced and then currentDocumentChanged: load once
        doc = self.project.documents.get(self.session.current_doc_id)
        if doc is not None and doc.id == self.doc_id and doc.text is self.text:
            return
        self.reload()

    def reload(self) -> None:
        """Show the session's current document from scratch."""
        doc_id = self.session.current_doc_id
        doc = self.project.documents.get(doc_id)
        self.doc_id = doc_id if doc is not None else ""
        self._formats.clear()
        self._colors.clear()
        self._set_text(doc.text if doc is not None else "", keep_view=False)

    def _set_text(self, text: str, keep_view: bool) -> None:
        scroll = self.verticalScrollBar().value()
        cursor_pos = self.textCursor().position()
        self.text = text
        self.offsets = OffsetMap(text)
        self.index = HighlightIndex(text, self.session.layer)
        self.index.set_layers(self._visible_layer_annotations())
        self._find_selections = []
        self._loading = True
        try:
            self.setPlainText(display_text(text))
        finally:
            self._loading = False
        if keep_view:
            c = self.textCursor()
            c.setPosition(min(cursor_pos, self.offsets.length_u16))
            self.setTextCursor(c)
            self.verticalScrollBar().setValue(scroll)
        self.setExtraSelections([])
        self.cursorInfoChanged.emit()

    def _visible_layer_annotations(self) -> dict[str, dict[str, Annotation]]:
        out: dict[str, dict[str, Annotation]] = {}
        if not self.doc_id:
            return out
        for name in self.session.visible_layers:
            layer = self.project.layers.get(name)
            if layer is None:
                continue
            da = layer.docs.get(self.doc_id)
            out[name] = da.annotations if da is not None else {}
        return out

    # --- reacting to edits ---------------------------------------------------------

    def _on_annotations_changed(self, change: Change) -> None:
        if not change.doc_id or change.doc_id == self.doc_id:
            self.link_arcs.note_change(change)
        if not change.doc_id:
            # the whole project changed (documents added/removed, layers merged, the
            # tag set replaced: a tag's colour may be new)
            self._colors.clear()
            if self.session.current_doc_id not in self.project.documents:
                # tell everyone (status bar, panels), the signal reloads this view
                self.session.set_current_document(next(iter(self.project.documents), ""))
            if self.session.current_doc_id != self.doc_id:
                self.reload()
            else:
                self.refresh_all()
            return
        if change.doc_id != self.doc_id or self.index is None:
            return
        if change.text_changed:
            text = self.project.document(self.doc_id).text
            if text == self.text:
                self.refresh_all()
            elif display_text(text) == self.toPlainText():
                # the view already shows it (the user just typed it in correction mode)
                self._retext_in_place(text)
            else:
                self._set_text(text, keep_view=True)
            return
        if not change.layer or change.layer not in self.session.visible_layers:
            return
        layer = self.project.layers.get(change.layer)
        da = layer.docs.get(self.doc_id) if layer is not None else None
        blocks = self.index.apply_change(change, da.annotations if da is not None else {})
        self.rehighlight_blocks(blocks)

    def _retext_in_place(self, text: str) -> None:
        """The document already shows ``text`` (typed in correction mode): refresh the paint.

        Formats live in each block relative to its start, so blocks the edit did not
        touch stay right; only the edited block(s) are re-highlighted, with the new
        index (Qt re-highlighted them already, but before the model had changed).
        """
        self.text = text
        self.offsets = OffsetMap(text)
        self.index = HighlightIndex(text, self.session.layer)
        self.index.set_layers(self._visible_layer_annotations())
        hint, self.edit_hint = self.edit_hint, None
        if hint is None:
            self.highlighter.rehighlight()
        else:
            start, end = hint
            self.rehighlight_blocks(self.index.blocks_touched([(start, max(start + 1, end))]))
        self.viewport().update()

    def refresh_all(self) -> None:
        if self.index is None:
            return
        self.index.set_layers(self._visible_layer_annotations())
        self.highlighter.rehighlight()
        self.viewport().update()

    def rehighlight_blocks(self, blocks: Iterable[int]) -> None:
        doc = self.document()
        for number in blocks:
            block = doc.findBlockByNumber(number)
            if block.isValid():
                self.highlighter.rehighlightBlock(block)
        self.viewport().update()

    def _on_selection_changed(self, _layer: str, _ann_id: str) -> None:
        # The selected annotation is painted stronger: re-highlight its blocks and the
        # previously selected one's (remembered in _last_selected).
        blocks: set[int] = set()
        for key in (getattr(self, "_last_selected", ("", "")), self.session.selected):
            ann = self.annotation(*key)
            if ann is not None and self.index is not None:
                blocks.update(self.index.blocks_touched((f.start, f.end) for f in ann.fragments))
        self._last_selected = self.session.selected
        self.rehighlight_blocks(sorted(blocks))

    def _on_layers_changed(self) -> None:
        self.link_arcs.invalidate()
        self.refresh_all()

    def annotation(self, layer: str, ann_id: str) -> Annotation | None:
        if not layer or not ann_id or not self.doc_id:
            return None
        lay = self.project.layers.get(layer)
        da = lay.docs.get(self.doc_id) if lay is not None else None
        return da.annotations.get(ann_id) if da is not None else None

    # --- colours and formats ------------------------------------------------------

    def tag_color(self, tag: str) -> QColor:
        color = self._colors.get(tag)
        if color is None:
            ts = self.project.tagset
            color = QColor(ts.tag(tag).color) if ts.has_tag(tag) else QColor("#888888")
            self._colors[tag] = color
        return color

    def background_format(self, tag: str, selected: bool) -> QTextCharFormat:
        key = (tag, selected)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            fmt.setBackground(tint(self.tag_color(tag), 0.45 if selected else 0.22))
            self._formats[key] = fmt
        return fmt

    # --- selection in code points ------------------------------------------------

    def selection_cp(self) -> tuple[int, int]:
        """The text selection as code-point offsets (start == end when nothing is selected)."""
        c = self.textCursor()
        return self.offsets.to_cp(c.selectionStart()), self.offsets.to_cp(c.selectionEnd())

    def cursor_cp(self) -> int:
        return self.offsets.to_cp(self.textCursor().position())

    def set_selection_cp(self, start: int, end: int) -> None:
        c = QTextCursor(self.document())
        c.setPosition(self.offsets.to_utf16(start))
        c.setPosition(self.offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(c)

    def clear_text_selection(self) -> None:
        c = self.textCursor()
        c.clearSelection()
        self.setTextCursor(c)

    def show_annotation(self, ann: Annotation) -> None:
        """Scroll so the annotation is visible (no text selection)."""
        c = QTextCursor(self.document())
        c.setPosition(self.offsets.to_utf16(ann.start))
        self.setTextCursor(c)
        self.ensureCursorVisible()

    # --- find highlights ---------------------------------------------------------------

    def set_find_matches(self, spans: list[tuple[int, int]], current: int) -> None:
        """Paint find matches (code-point spans) without touching the document."""
        sels = []
        for i, (s, e) in enumerate(spans):
            sel = QTextEdit.ExtraSelection()
            c = QTextCursor(self.document())
            c.setPosition(self.offsets.to_utf16(s))
            c.setPosition(self.offsets.to_utf16(e), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = c
            fmt = QTextCharFormat()
            fmt.setBackground(FIND_CURRENT_COLOR if i == current else FIND_COLOR)
            sel.format = fmt
            sels.append(sel)
        self._find_selections = sels
        self.setExtraSelections(sels)

    # --- painting underlines -------------------------------------------------------------

    def paintEvent(self, e: QPaintEvent) -> None:
        super().paintEvent(e)
        origins = paint_annotations(self, e)
        if self.suggestion_overlay is not None and origins:
            painter = QPainter(self.viewport())
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self.suggestion_overlay.paint(painter, origins)
            painter.end()
        arcs = self.link_arcs
        arcs.painted = []
        if arcs.shown or arcs.drag_from:
            painter = QPainter(self.viewport())
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            # the blocks the underlines walked, when they are the whole view's
            arcs.paint(painter, origins if e.rect().contains(self.viewport().rect()) else None)
            painter.end()

    def show_status(self, message: str) -> None:
        """A passing message for the window's status bar."""
        self.statusMessage.emit(message, 5000)

    # --- hit testing, clicks and tooltips ---------------------------------------------

    def char_at(self, pos: QPoint) -> int | None:
        """Code point under viewport position ``pos`` (None if not over text)."""
        cursor = self.cursorForPosition(pos)
        block = cursor.block()
        layout = block.layout()
        if layout is None:
            return None
        rel = cursor.position() - block.position()
        geo = self.blockBoundingGeometry(block).translated(self.contentOffset())
        line = layout.lineForTextPosition(rel)
        if not line.isValid():
            return None
        x = pos.x() - geo.left()
        y = pos.y() - geo.top()
        if y < line.y() or y > line.y() + line.height():
            return None
        for cand in (rel, rel - 1):
            if cand < line.textStart() or cand >= line.textStart() + line.textLength():
                continue
            x1 = x_at(line, cand)
            x2 = x_at(line, cand + 1)
            if min(x1, x2) - 0.5 <= x <= max(x1, x2) + 0.5:
                return self.offsets.to_cp(block.position() + cand)
        return None

    def pieces_at_point(self, pos: QPoint) -> list[Piece]:
        cp = self.char_at(pos)
        if cp is None or self.index is None:
            return []
        seen: set[tuple[str, str]] = set()
        out = []
        for p in self.index.at(cp):
            if p.key not in seen:
                seen.add(p.key)
                out.append(p)
        return out

    def mousePressEvent(self, e: QMouseEvent) -> None:
        self._press_pos = e.position()
        if (
            e.button() == Qt.MouseButton.LeftButton
            and e.modifiers() & LINK_DRAG_MODIFIER
            and not self.session.picking
            and self.link_arcs.begin_drag(e.position().toPoint())
        ):
            return  # Ctrl+drag from a span of yours draws a link, not a selection
        super().mousePressEvent(e)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        if self.link_arcs.drag_from:
            self.link_arcs.move_drag(e.position().toPoint())
            return
        super().mouseMoveEvent(e)
        if e.buttons() == Qt.MouseButton.NoButton:
            self.link_arcs.hover(e.position().toPoint())

    def leaveEvent(self, e: QEvent) -> None:
        self.link_arcs.set_hovered(frozenset())
        super().leaveEvent(e)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        if self.link_arcs.drag_from:
            if e.button() == Qt.MouseButton.LeftButton:
                self.link_arcs.end_drag(e.position().toPoint(), e.globalPosition().toPoint())
            return
        super().mouseReleaseEvent(e)
        if e.button() != Qt.MouseButton.LeftButton:
            return
        if (e.position() - self._press_pos).manhattanLength() > 4:
            return
        if self.textCursor().hasSelection():
            return
        self.click_at(e.position().toPoint())

    def click_at(self, pos: QPoint) -> None:
        """Select the annotation under ``pos``; repeated clicks cycle through overlaps."""
        hits = [p.key for p in self.pieces_at_point(pos)]
        if self.session.picking:
            self._pick_among(hits)
            return
        if not hits:
            cp = self.char_at(pos)
            overlay = self.suggestion_overlay
            if cp is not None and overlay is not None and overlay.click(cp):
                return  # a click on a suggestion makes it the one Enter accepts
            self.session.select("", "")
            return
        current = self.session.selected
        key = hits[(hits.index(current) + 1) % len(hits)] if current in hits else hits[0]
        if self.session.pick(*key):
            return
        self.session.select(*key)

    def _pick_among(self, hits: list[tuple[str, str]]) -> None:
        """Offer a pending link pick the annotations under the mouse it can take: a
        colleague's or a wrong-tag annotation overlapping the target is passed over.
        Where several targets overlap, picking again at the same spot takes the next."""
        targets = [k for k in hits if self.session.pick_accepts(*k)]
        if not targets:
            if hits:
                self.show_status("Not a possible target of this link: click another one.")
            return
        last = self._last_pick
        key = targets[(targets.index(last) + 1) % len(targets)] if last in targets else targets[0]
        self._last_pick = key
        self.session.pick(*key)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        # While correcting, Qt's editor claims Undo/Redo for itself (with its own undo
        # switched off they would do nothing): send them to the project's undo stack.
        stack = self.session.undo_stack
        pressed = QKeySequence(e.keyCombination())
        if pressed in keymap.sequences("edit.undo"):
            stack.undo()
            return
        if pressed in keymap.sequences("edit.redo"):
            stack.redo()
            return
        super().keyPressEvent(e)

    def contextMenuEvent(self, e: QContextMenuEvent) -> None:
        """Copy / Select All plus the tagging actions, where the user's hand already is."""
        menu = self.createStandardContextMenu(e.pos())
        tag_actions, edit_actions = self.context_actions()
        if tag_actions and not self.editing:
            if not self.textCursor().hasSelection():
                hits = [p.key for p in self.pieces_at_point(e.pos())]
                if hits and self.session.selected not in hits:
                    self.session.select(*hits[0])
            menu.addSeparator()
            tags = menu.addMenu("Tag Selection As")
            tags.addActions(tag_actions)
            menu.addActions(edit_actions)
        menu.exec(e.globalPos())
        menu.deleteLater()

    def event(self, e: QEvent) -> bool:
        if isinstance(e, QHelpEvent) and e.type() == QEvent.Type.ToolTip:
            pos = self.viewport().mapFromGlobal(e.globalPos())
            pieces = self.pieces_at_point(pos)
            link_tip = self.link_arcs.tooltip_at(pos)
            cp = self.char_at(pos)
            overlay = self.suggestion_overlay
            suggested = overlay.tooltip_at(cp) if overlay is not None and cp is not None else ""
            if suggested:
                tip = suggested + ("<hr>" + self.tooltip_html(pieces) if pieces else "")
                QToolTip.showText(e.globalPos(), tip, self)
            elif pieces:
                QToolTip.showText(e.globalPos(), self.tooltip_html(pieces), self)
            elif link_tip:
                QToolTip.showText(e.globalPos(), link_tip, self)
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        return super().event(e)

    def tooltip_html(self, pieces: list[Piece]) -> str:
        return tooltip_html(self, pieces)
