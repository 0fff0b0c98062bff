"""Painting annotations over the text view, without touching its document.

Three layers of paint, all driven by the per-block :class:`HighlightIndex`:

* :class:`AnnotationHighlighter` (a ``QSyntaxHighlighter``) gives the innermost
  annotation of the user's layer a light background of its tag colour;
* :func:`paint_annotations` draws, over the visible lines only, one underline per
  annotation on its stacking level (dashed for other people's layers), small
  brackets where fragments start and end, a frame round the selected annotation
  and a red wavy line under annotations a text correction touched;
* :class:`SpacedLayout` leaves room under each line for those underlines (and,
  while links are drawn, above each line for their arcs: :mod:`link_arcs`).

The tag is never told by colour alone: brackets, the tooltip (:func:`tooltip_html`)
and the inspector name it.
"""

from __future__ import annotations

import html
from bisect import bisect_left
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QSyntaxHighlighter,
    QTextBlock,
    QTextDocument,
    QTextLayout,
    QTextLine,
)
from PySide6.QtWidgets import QPlainTextDocumentLayout

from annotator.ui.highlight_index import Piece

if TYPE_CHECKING:
    from annotator.ui.text_view import TextView

UNDERLINE_GAP = 3.0  # pixels between stacked underlines
NEEDS_CHECK_COLOR = QColor("#D55E00")


def tint(color: QColor, amount: float) -> QColor:
    """``color`` mixed into white: a light background that keeps black text readable."""
    return QColor(
        round(255 + (color.red() - 255) * amount),
        round(255 + (color.green() - 255) * amount),
        round(255 + (color.blue() - 255) * amount),
    )


def x_at(line: QTextLine, pos: int) -> float:
    """Where the caret stands before ``pos`` on ``line`` (PySide returns an untyped pair)."""
    x, _pos = cast(tuple[float, int], line.cursorToX(pos))
    return x


class SpacedLayout(QPlainTextDocumentLayout):
    """QPlainTextEdit's layout with extra space under every line.

    QPlainTextDocumentLayout ignores ``QTextBlockFormat.lineHeight``, but it
    measures blocks through the virtual ``blockBoundingRect`` and paints and
    hit-tests the lines where their ``QTextLine`` positions say. So lines are
    re-spaced here, lazily and only for blocks Qt asks about (the visible
    ones), leaving room for stacked annotation underlines and easier reading.
    """

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.extra = 0.0
        #: where in a block (UTF-16, from its start) link arcs start or end: the lines
        #: holding one get ``room`` above them for the arcs and their labels
        self.anchors: Callable[[QTextBlock], list[int]] | None = None
        self.room = 0.0
        #: block number -> (anchors, first and last line's y) as last placed: Qt asks for
        #: the visible blocks' rectangles many times a paint, and moves lines only when
        #: it lays a block out again (its first line back at 0, its last without spacing)
        self._placed: dict[int, tuple[list[int], float, float]] = {}

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)
        extra = self.extra
        layout = block.layout()
        n = layout.lineCount() if layout is not None else 0
        anchors = self.anchors(block) if self.anchors is not None and n else []
        if (extra <= 0 and not anchors) or n == 0 or not block.isVisible():
            return rect
        if anchors:
            placed = self._placed.get(block.blockNumber())
            if (
                placed is None
                or placed[0] != anchors
                or abs(layout.lineAt(0).y() - placed[1]) > 0.01
                or abs(layout.lineAt(n - 1).y() - placed[2]) > 0.01
            ):
                # a line where a link arc lands gets room above it
                y = 0.0
                for i in range(n):
                    line = layout.lineAt(i)
                    k = bisect_left(anchors, line.textStart())
                    if k < len(anchors) and anchors[k] < line.textStart() + line.textLength():
                        y += self.room
                    line.setPosition(QPointF(line.x(), y))
                    y += line.height() + extra
                placed = (anchors, layout.lineAt(0).y(), layout.lineAt(n - 1).y())
                self._placed[block.blockNumber()] = placed
        else:
            first = layout.lineAt(0)
            # Qt lays a block out with its first line at y = 0; re-space when it did
            # (after an edit or a new width) or when room for arcs has gone
            if abs(first.y()) > 0.01 or (
                n > 1 and abs(layout.lineAt(1).y() - (first.height() + extra)) > 0.01
            ):
                y = 0.0
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


def paint_annotations(view: TextView, e: QPaintEvent) -> dict[int, QPointF]:
    """Underlines, brackets, frames and check marks over the visible blocks; returns the
    top-left corner of each block painted over, by block number (the link arcs use it)."""
    origins: dict[int, QPointF] = {}
    if view.index is None:
        return origins
    painter = QPainter(view.viewport())
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    bottom = e.rect().bottom()
    top = e.rect().top()
    for block, origin in visible_blocks(view, top, bottom):
        number = block.blockNumber()
        origins[number] = origin
        pieces = view.index.pieces(number)
        if pieces:
            paint_block(view, painter, block, origin, pieces, top, bottom)
    painter.end()
    return origins


def visible_blocks(
    view: TextView, top: float, bottom: float
) -> Iterator[tuple[QTextBlock, QPointF]]:
    """The shown blocks between ``top`` and ``bottom`` (viewport coordinates), each with
    its top-left corner: the one walk the underlines and the link arcs make."""
    offset = view.contentOffset()
    block = view.firstVisibleBlock()
    while block.isValid():
        geo = view.blockBoundingGeometry(block).translated(offset)
        if geo.top() > bottom:
            break
        if block.isVisible() and geo.bottom() >= top:
            yield block, geo.topLeft()
        block = block.next()


def block_origins(view: TextView, top: float, bottom: float) -> dict[int, QPointF]:
    """Block number -> top-left corner, for the blocks :func:`visible_blocks` walks."""
    return {block.blockNumber(): origin for block, origin in visible_blocks(view, top, bottom)}


def paint_block(
    view: TextView,
    painter: QPainter,
    block: QTextBlock,
    origin: QPointF,
    pieces: list[Piece],
    top: float,
    bottom: float,
) -> None:
    layout = block.layout()
    base = block.position()
    to16 = view.offsets.to_utf16
    selected = view.session.selected
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
        color = view.tag_color(p.ann.tag)
        is_sel = p.key == selected
        start_line = max(first, layout.lineForTextPosition(max(s, vis_start)).lineNumber())
        for line, a, b, left, right in line_pieces(layout, s, e, start_line, last):
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
            if a == s and p.start == _fragment_start(p):
                painter.drawLine(QPointF(ox + left, y), QPointF(ox + left, y - 4))
            if b == e and p.end == _fragment_end(p):
                painter.drawLine(QPointF(ox + right, y), QPointF(ox + right, y - 4))
            if p.ann.needs_check:
                _wavy(painter, ox + left, ox + right, oy + line.height() - 1)
            if is_sel:
                frame = QPen(color.darker(170), 1.5)
                painter.setPen(frame)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(
                    QRectF(ox + left - 1, oy + 0.5, right - left + 2, line.height() + 1), 2, 2
                )


def line_pieces(
    layout: QTextLayout, s: int, e: int, first: int, last: int
) -> Iterator[tuple[QTextLine, int, int, float, float]]:
    """The part of units [s, e) on each of the lines ``first``..``last`` that it touches:
    (line, a, b, left x, right x), units [a, b) of the block."""
    for i in range(first, last + 1):
        line = layout.lineAt(i)
        ls = line.textStart()
        if ls >= e:
            break
        le = ls + line.textLength()
        a, b = max(s, ls), min(e, le)
        if a >= b:
            continue
        left, right = piece_x_range(line, a, b, wraps=b == le < e)
        yield line, a, b, left, right


def piece_x_range(line: QTextLine, a: int, b: int, wraps: bool) -> tuple[float, float]:
    """Left and right x of units [a, b) on ``line`` (cursorToX includes the line's x).

    Where the piece goes on past a wrap (``wraps``), the line's trailing space is not
    drawn: stop at the last glyph, or the underline and frame jut into empty space.
    """
    x1 = x_at(line, a)
    x2 = x_at(line, b)
    if wraps and x2 > x1:  # left-to-right: the wrap's space is at the right end
        x2 = min(x2, max(x1, line.x() + line.naturalTextWidth()))
    return min(x1, x2), max(x1, x2)


def _fragment_start(p: Piece) -> int:
    return next((f.start for f in p.ann.fragments if f.start <= p.start < f.end), p.start)


def _fragment_end(p: Piece) -> int:
    return next((f.end for f in p.ann.fragments if f.start < p.end <= f.end), p.end)


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


def tooltip_html(view: TextView, pieces: list[Piece]) -> str:
    """Label, layer, attribute labels and note of the annotations under the mouse."""
    parts = []
    ts = view.project.tagset
    for p in pieces[:5]:
        ann = p.ann
        tt = ts.tag(ann.tag) if ts.has_tag(ann.tag) else None
        label = tt.label if tt is not None else ann.tag
        color = view.tag_color(ann.tag).name()
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
            lines.append("<span style='color:#D55E00'>needs a check after a text correction</span>")
        parts.append("<br>".join(lines))
    return "<hr>".join(parts)
