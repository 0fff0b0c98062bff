"""The release as readable paragraphs with annotations painted over it.

Nothing is ever written into the QTextDocument: a :class:`QSyntaxHighlighter`
gives the innermost annotation of the user's layer a light background, and
``paintEvent`` draws one coloured underline per annotation on its stacking
level (dashed for other people's layers), small brackets at fragment ends, a
frame round the selected annotation and a red wavy line under annotations a
text correction touched. Offsets are converted between code points (model)
and UTF-16 units (Qt) through :class:`~annotator.ui.offsets.OffsetMap`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import (
    QPlainTextDocumentLayout,
    QPlainTextEdit,
    QTextEdit,
    QToolTip,
    QWidget,
)

from annotator.model import Annotation, Change, Project
from annotator.ui.highlight_index import HighlightIndex, Piece, display_text
from annotator.ui.offsets import OffsetMap
from annotator.ui.session import ProjectSession

READING_FAMILIES = ["Noto Serif", "DejaVu Serif", "Georgia", "Cambria", "Times New Roman", "serif"]
UNDERLINE_GAP = 3.0  # pixels between stacked underlines
MAX_COLUMN_CHARS = 96  # a comfortable reading width; wider windows get side margins
NEEDS_CHECK_COLOR = QColor("#D55E00")
FIND_COLOR = QColor("#FFE066")
FIND_CURRENT_COLOR = QColor("#FFB000")


def tint(color: QColor, amount: float) -> QColor:
    """``color`` mixed into white: a light background that keeps black text readable."""
    return QColor(
        round(255 + (color.red() - 255) * amount),
        round(255 + (color.green() - 255) * amount),
        round(255 + (color.blue() - 255) * amount),
    )


class SpacedLayout(QPlainTextDocumentLayout):
    """QPlainTextEdit's layout with extra space under every line.

    QPlainTextDocumentLayout ignores ``QTextBlockFormat.lineHeight``, but it
    measures blocks through the virtual ``blockBoundingRect`` and paints and
    hit-tests the lines where their ``QTextLine`` positions say. So lines are
    re-spaced here, lazily and only for blocks Qt asks about (the visible
    ones), leaving room for stacked annotation underlines and easier reading.
    """

    def __init__(self, document) -> None:  # type: ignore[no-untyped-def]
        super().__init__(document)
        self.extra = 0.0

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)
        extra = self.extra
        layout = block.layout()
        n = layout.lineCount() if layout is not None else 0
        if extra <= 0 or n == 0 or not block.isVisible():
            return rect
        first = layout.lineAt(0)
        if n > 1 and abs(layout.lineAt(1).y() - (first.y() + first.height() + extra)) > 0.01:
            y = first.y()
            for i in range(n):
                line = layout.lineAt(i)
                line.setPosition(QPointF(line.x(), y))
                y += line.height() + extra
        last = layout.lineAt(n - 1)
        bottom = last.y() + last.height() + extra
        if not block.next().isValid():
            bottom += self.document().documentMargin()
        return QRectF(rect.x(), rect.y(), rect.width(), bottom)


class AnnotationHighlighter(QSyntaxHighlighter):
    """Background of the innermost own annotation per character, from the index.

    ``calls`` counts ``highlightBlock`` calls so tests can check that an edit
    re-highlights only the blocks it touched.
    """

    def __init__(self, view: TextView) -> None:
        super().__init__(view.document())
        self.view = view
        self.calls = 0
        self.blocks: list[int] = []  # block numbers highlighted since last reset

    def highlightBlock(self, text: str) -> None:
        self.calls += 1
        view = self.view
        index = view.index
        if index is None:
            return
        block = self.currentBlock()
        number = block.blockNumber()
        self.blocks.append(number)
        pieces = index.pieces(number)
        if not pieces:
            return
        base = block.position()
        to16 = view.offsets.to_utf16
        selected = view.session.selected
        for p in pieces:
            if not p.own:
                continue
            s = to16(p.start) - base
            e = to16(p.end) - base
            self.setFormat(s, e - s, view.background_format(p.ann.tag, p.key == selected))


class TextView(QPlainTextEdit):
    """Read-only reading view of the current document (editable in correction mode)."""

    zoomChanged = Signal(int)  # point size
    cursorInfoChanged = Signal()

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.doc_id = ""
        self.text = ""
        self.offsets = OffsetMap("")
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
        self._find_selections: list[QTextEdit.ExtraSelection] = []

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
                # QPlainTextEdit re-wraps only on a resize event with a new width
                QPlainTextEdit.resizeEvent(self, QResizeEvent(self.size(), QSize(-1, -1)))

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
        if not change.doc_id:
            # the whole project changed (documents added/removed, layers merged)
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
        if self.index is None:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        offset = self.contentOffset()
        bottom = e.rect().bottom()
        top = e.rect().top()
        block = self.firstVisibleBlock()
        while block.isValid():
            geo = self.blockBoundingGeometry(block).translated(offset)
            if geo.top() > bottom:
                break
            if block.isVisible() and geo.bottom() >= top:
                pieces = self.index.pieces(block.blockNumber())
                if pieces:
                    self._paint_block(painter, block, geo.topLeft(), pieces, top, bottom)
            block = block.next()
        painter.end()

    def _paint_block(
        self,
        painter: QPainter,
        block: QTextBlock,
        origin: QPointF,
        pieces: list[Piece],
        top: float,
        bottom: float,
    ) -> None:
        layout = block.layout()
        base = block.position()
        to16 = self.offsets.to_utf16
        selected = self.session.selected
        n_lines = layout.lineCount()
        # Only the lines inside the exposed rectangle: a paragraph can be thousands of
        # lines long (PDF text without breaks) and hold thousands of annotations.
        lo, hi = 0, n_lines  # first line whose bottom reaches the exposed top (bisect on y)
        while lo < hi:
            mid = (lo + hi) // 2
            line = layout.lineAt(mid)
            if origin.y() + line.y() + line.height() + UNDERLINE_GAP * 4 < top:
                lo = mid + 1
            else:
                hi = mid
        first = lo
        last = first - 1
        for i in range(first, n_lines):
            if origin.y() + layout.lineAt(i).y() > bottom:
                break
            last = i
        if last < first:
            return
        vis_start = layout.lineAt(first).textStart()
        vis_end = layout.lineAt(last).textStart() + layout.lineAt(last).textLength()
        for p in pieces:
            s = to16(p.start) - base
            e = to16(p.end) - base
            if e <= vis_start or s >= vis_end:
                continue
            color = self.tag_color(p.ann.tag)
            is_sel = p.key == selected
            start_line = max(first, layout.lineForTextPosition(max(s, vis_start)).lineNumber())
            for i in range(start_line, last + 1):
                line = layout.lineAt(i)
                ls = line.textStart()
                if ls >= e:
                    break
                le = ls + line.textLength()
                a, b = max(s, ls), min(e, le)
                if a >= b:
                    continue
                x1 = line.cursorToX(a)[0]
                x2 = line.cursorToX(b)[0]
                left, right = min(x1, x2), max(x1, x2)
                # cursorToX already includes the line's x (the document margin)
                ox, oy = origin.x(), origin.y() + line.y()
                baseline = oy + line.ascent()
                y = baseline + 2.0 + p.level * UNDERLINE_GAP
                pen = QPen(color, 2.0 if p.own else 1.6)
                if not p.own:
                    pen.setStyle(Qt.PenStyle.DashLine)
                pen.setCapStyle(Qt.PenCapStyle.FlatCap)
                painter.setPen(pen)
                painter.drawLine(QPointF(ox + left, y), QPointF(ox + right, y))
                # brackets where a fragment really starts/ends (not at a line wrap)
                tick = QPen(color.darker(130), 1.4)
                painter.setPen(tick)
                if a == s and p.start == self._fragment_start(p):
                    painter.drawLine(QPointF(ox + left, y), QPointF(ox + left, y - 4))
                if b == e and p.end == self._fragment_end(p):
                    painter.drawLine(QPointF(ox + right, y), QPointF(ox + right, y - 4))
                if p.ann.needs_check:
                    self._wavy(painter, ox + left, ox + right, oy + line.height() - 1)
                if is_sel:
                    frame = QPen(color.darker(170), 1.5)
                    painter.setPen(frame)
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRoundedRect(
                        QRectF(ox + left - 1, oy + 0.5, right - left + 2, line.height() + 1), 2, 2
                    )

    @staticmethod
    def _fragment_start(p: Piece) -> int:
        return next((f.start for f in p.ann.fragments if f.start <= p.start < f.end), p.start)

    @staticmethod
    def _fragment_end(p: Piece) -> int:
        return next((f.end for f in p.ann.fragments if f.start < p.end <= f.end), p.end)

    @staticmethod
    def _wavy(painter: QPainter, x1: float, x2: float, y: float) -> None:
        path = QPainterPath(QPointF(x1, y))
        x, up = x1, True
        while x < x2:
            x = min(x + 2.0, x2)
            path.lineTo(QPointF(x, y - 1.5 if up else y + 0.5))
            up = not up
        painter.setPen(QPen(NEEDS_CHECK_COLOR, 1.2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)

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
            x1 = line.cursorToX(cand)[0]
            x2 = line.cursorToX(cand + 1)[0]
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
        super().mousePressEvent(e)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
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
        if not hits:
            if not self.session.picking:
                self.session.select("", "")
            return
        current = self.session.selected
        key = hits[(hits.index(current) + 1) % len(hits)] if current in hits else hits[0]
        if self.session.pick(*key):
            return
        self.session.select(*key)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        # While correcting, Qt's editor claims Undo/Redo for itself (with its own undo
        # switched off they would do nothing): send them to the project's undo stack.
        stack = self.session.undo_stack
        if e.matches(QKeySequence.StandardKey.Undo):
            stack.undo()
            return
        if e.matches(QKeySequence.StandardKey.Redo) or (
            e.key() == Qt.Key.Key_Y and e.modifiers() == Qt.KeyboardModifier.ControlModifier
        ):
            stack.redo()
            return
        super().keyPressEvent(e)

    def contextMenuEvent(self, e: QContextMenuEvent) -> None:
        """Copy / Select All plus the tagging actions, where the user's hand already is."""
        menu = self.createStandardContextMenu(e.pos())
        window = self.window()
        actions = getattr(window, "actions", None)
        if actions is not None and not self.editing:
            if not self.textCursor().hasSelection():
                hits = [p.key for p in self.pieces_at_point(e.pos())]
                if hits and self.session.selected not in hits:
                    self.session.select(*hits[0])
            menu.addSeparator()
            tags = menu.addMenu("Tag Selection As")
            tags.addActions(actions.tag_actions)
            menu.addActions([actions.add_fragment, actions.delete, actions.mark_checked])
        menu.exec(e.globalPos())
        menu.deleteLater()

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip:
            pieces = self.pieces_at_point(self.viewport().mapFromGlobal(e.globalPos()))
            if pieces:
                QToolTip.showText(e.globalPos(), self.tooltip_html(pieces), self)
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        return super().event(e)

    def tooltip_html(self, pieces: list[Piece]) -> str:
        parts = []
        ts = self.project.tagset
        for p in pieces[:5]:
            ann = p.ann
            tt = ts.tag(ann.tag) if ts.has_tag(ann.tag) else None
            label = tt.label if tt is not None else ann.tag
            color = self.tag_color(ann.tag).name()
            who = "your layer" if p.own else f"layer “{p.layer}”"
            lines = [
                f"<span style='color:{color}'>■</span> <b>{html.escape(label)}</b>"
                f" <span style='color:#666'>({html.escape(who)})</span>"
            ]
            for name, value in ann.attributes.items():
                values = (value,) if isinstance(value, str) else value
                if tt is not None:
                    attr = next((a for a in tt.attributes if a.name == name), None)
                    shown = [attr.label_of(v) for v in values] if attr else list(values)
                    name_label = attr.label if attr and attr.label else name
                else:
                    shown, name_label = list(values), name
                lines.append(f"{html.escape(name_label)}: {html.escape(', '.join(shown))}")
            if ann.note:
                lines.append(f"<i>{html.escape(ann.note)}</i>")
            if ann.needs_check:
                lines.append(
                    "<span style='color:#D55E00'>needs a check after a text correction</span>"
                )
            parts.append("<br>".join(lines))
        return "<hr>".join(parts)
