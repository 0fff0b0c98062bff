"""Links drawn in the text, the way brat draws relations: arcs between spans.

Each link of a visible layer is a thin line in its source tag's colour that
rises from the source span into the room above its line, runs level and comes
down on the target span with an arrow head, labelled with the link type's
label on the level part. Ends on different lines (or one end off screen) get a
half arc each: from the span to the edge of the text column, towards the other
end, labelled too, so a far-away link still says what it is.

Only the visible blocks are looked at: :class:`LinkIndex` keeps, per block, the
links with an end there, refreshed only when an edit touched a link end
(``Change`` names the annotations and links an edit touched: tagging new words
leaves the index as it is).
:func:`arc_geometry` turns the visible links into paths in viewport
coordinates (tests assert it against ``cursorRect``); :class:`LinkArcs` paints
them, tracks the link under the mouse (both ends are framed) and turns a
Ctrl+drag from one span to another into an ``AddLink``.
"""

from __future__ import annotations

import html
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
    QTextBlock,
)
from PySide6.QtWidgets import QMenu

from annotator.model import AddLink, Annotation, Change, DocumentAnnotations, Link, TagSet
from annotator.ui import settings
from annotator.ui.text_paint import block_origins, piece_x_range

if TYPE_CHECKING:
    from annotator.ui.text_view import TextView

#: arcs that can stack above one line without reaching the line above
ARC_LEVELS = 2
LABEL_SCALE = 0.66  # label font size against the reading font
EDGE = 4.0  # half arcs end this far inside the text column's edge
LABEL_MAX_WIDTH = 170.0

LinkKey = tuple[str, str]  # (layer, link id)
AnnKey = tuple[str, str]  # (layer, annotation id)


# --- which links have an end in which block (no Qt) -----------------------------------------


@dataclass(frozen=True, slots=True)
class LinkEnds:
    """One link of a visible layer with its two annotations."""

    layer: str
    link: Link
    source: Annotation
    target: Annotation

    @property
    def key(self) -> LinkKey:
        return (self.layer, self.link.id)


def anchor(ann: Annotation) -> tuple[int, int]:
    """The code-point span an arc starts or ends on: the annotation's first fragment."""
    f = ann.fragments[0]
    return f.start, f.end


class LinkIndex:
    """Per-block links of the shown layers of one document (code-point offsets)."""

    def __init__(self, starts: list[int], layers: Mapping[str, DocumentAnnotations]) -> None:
        self.starts = starts
        self.by_block: dict[int, list[LinkEnds]] = {}
        #: annotation ids that are a link end, per layer (an edit of others needs no rebuild)
        self.ends: dict[str, set[str]] = {}
        self.by_ann: dict[AnnKey, list[LinkEnds]] = {}
        self.by_key: dict[LinkKey, LinkEnds] = {}
        #: per block, the code points where arcs land (anchor starts), sorted
        self.anchors: dict[int, list[int]] = {}
        for layer, da in layers.items():
            ends = self.ends.setdefault(layer, set())
            for lk in da.links.values():
                src = da.annotations.get(lk.source)
                tgt = da.annotations.get(lk.target)
                if src is None or tgt is None or not src.fragments or not tgt.fragments:
                    continue
                item = LinkEnds(layer, lk, src, tgt)
                self.by_key[item.key] = item
                ends.update((lk.source, lk.target))
                for ann in (src, tgt):
                    self.by_ann.setdefault((layer, ann.id), []).append(item)
                blocks = set()
                for ann in (src, tgt):
                    start = anchor(ann)[0]
                    b = self.block_of(start)
                    blocks.add(b)
                    self.anchors.setdefault(b, []).append(start)
                for b in blocks:
                    self.by_block.setdefault(b, []).append(item)
        for starts in self.anchors.values():
            starts.sort()

    def block_of(self, pos: int) -> int:
        return max(0, bisect_right(self.starts, pos) - 1)

    def in_blocks(self, blocks: Iterable[int]) -> list[LinkEnds]:
        """Links with an end in any of ``blocks``, each once."""
        seen: set[LinkKey] = set()
        out: list[LinkEnds] = []
        for b in blocks:
            for item in self.by_block.get(b, ()):
                if item.key not in seen:
                    seen.add(item.key)
                    out.append(item)
        return out

    def links_of(self, key: AnnKey) -> list[LinkEnds]:
        return self.by_ann.get(key, [])

    def touches(self, change: Change) -> bool:
        """Whether ``change`` may have changed a link or moved a link end."""
        if not change.layer:
            return False  # the document's status or review state
        if change.link_ids or not change.ann_ids:
            return True  # links came, went or changed, or the edit did not say
        ends = self.ends.get(change.layer)
        return ends is not None and any(a in ends for a in change.ann_ids)


# --- geometry (viewport coordinates) -------------------------------------------------------


@dataclass(slots=True)
class Arc:
    """What is painted for one link (or for one end of it, when the ends are apart)."""

    key: LinkKey
    label: str
    color: QColor
    source: QRectF | None  # the source anchor's rectangle on screen (None: not on screen)
    target: QRectF | None
    path: QPainterPath
    label_rect: QRectF
    arrow: QPolygonF | None  # arrow head on the target, when the target is on this line
    level: int = 0


@dataclass(slots=True)
class _Seg:
    """A level part to place on one line before its path is built."""

    item: LinkEnds
    line: tuple[int, int]  # (block, line number)
    line_top: float
    x_from: float  # where it rises (a span's middle, or a column edge)
    x_to: float
    rises_from_span: bool
    lands_on_span: bool
    source: QRectF | None
    target: QRectF | None
    label: str
    label_w: float
    level: int = 0
    extent: tuple[float, float] = field(default=(0.0, 0.0))


def label_font(view: TextView) -> QFont:
    font = QFont(view.font())
    font.setPointSizeF(max(6.0, view.font().pointSizeF() * LABEL_SCALE))
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setFamilies(["DejaVu Sans", "Noto Sans", "Arial", "sans-serif"])
    return font


def level_height(view: TextView) -> float:
    return QFontMetricsF(label_font(view)).height() + 1.0


def room_above(view: TextView) -> float:
    """Space left above every line while links are shown: ARC_LEVELS stacked labels."""
    return round(ARC_LEVELS * level_height(view) + 3.0)


def span_rect(
    view: TextView, start: int, end: int, origins: Mapping[int, QPointF]
) -> tuple[QRectF, tuple[int, int]] | None:
    """The rectangle of code points [start, end) on the line where it starts, and that
    line's (block, line number); None when its block is not on screen."""
    doc = view.document()
    s16, e16 = view.offsets.to_utf16(start), view.offsets.to_utf16(end)
    block = doc.findBlock(s16)
    origin = origins.get(block.blockNumber())
    layout = block.layout()
    if origin is None or layout is None or layout.lineCount() == 0:
        return None
    rel_s = s16 - block.position()
    rel_e = min(e16 - block.position(), block.length() - 1)
    line = layout.lineForTextPosition(rel_s)
    if not line.isValid():
        return None
    line_end = line.textStart() + line.textLength()
    b = min(rel_e, line_end)
    left, right = piece_x_range(line, rel_s, max(rel_s, b), wraps=b == line_end < rel_e)
    rect = QRectF(origin.x() + left, origin.y() + line.y(), max(2.0, right - left), line.height())
    return rect, (block.blockNumber(), line.lineNumber())


def _link_label(tagset: TagSet, link_type: str) -> str:
    for lt in tagset.links:
        if lt.name == link_type:
            return lt.label or lt.name
    return link_type


def arc_geometry(
    view: TextView, index: LinkIndex, origins: Mapping[int, QPointF] | None = None
) -> list[Arc]:
    """Paths of the links with an end on screen. ``origins`` are the visible blocks'
    top-left corners by number, if the caller has them (an arc lies inside the block
    of the line it sits on: its room is part of that line's spacing)."""
    if origins is None:
        origins = block_origins(view, 0.0, float(view.viewport().height()))
    if not origins:
        return []
    items = index.in_blocks(origins)
    if not items:
        return []
    font = label_font(view)
    metrics = QFontMetricsF(font)
    font.setBold(True)  # a hovered link's label is bold: leave it the room
    bold = QFontMetricsF(font)
    tagset = view.project.tagset
    width = float(view.viewport().width())
    segs: list[_Seg] = []
    for item in items:
        s_span, t_span = anchor(item.source), anchor(item.target)
        src = span_rect(view, *s_span, origins)
        tgt = span_rect(view, *t_span, origins)
        label = _link_label(tagset, item.link.type)
        label = metrics.elidedText(label, Qt.TextElideMode.ElideRight, LABEL_MAX_WIDTH)
        label_w = bold.horizontalAdvance(label) + 6.0
        s_rect = src[0] if src else None
        t_rect = tgt[0] if tgt else None
        if src and tgt and src[1] == tgt[1]:
            sx, tx = src[0].center().x(), tgt[0].center().x()
            if abs(sx - tx) < 8:  # overlapping spans: rise and land apart
                sx, tx = src[0].left() + 3, tgt[0].right() - 3
            segs.append(
                _Seg(item, src[1], src[0].top(), sx, tx, True, True, s_rect, t_rect, label, label_w)
            )
            continue
        forward = t_span[0] >= s_span[0]  # the target is further on in the text
        if src:
            edge = width - EDGE if forward else EDGE
            x = src[0].center().x()
            segs.append(
                _Seg(
                    item, src[1], src[0].top(), x, edge, True, False, s_rect, t_rect, label, label_w
                )
            )
        if tgt:
            edge = EDGE if forward else width - EDGE
            x = tgt[0].center().x()
            segs.append(
                _Seg(
                    item, tgt[1], tgt[0].top(), edge, x, False, True, s_rect, t_rect, label, label_w
                )
            )
    _assign_levels(segs)
    lh = level_height(view)
    return [_build(seg, lh, view.tag_color(seg.item.source.tag), width) for seg in segs]


def _assign_levels(segs: list[_Seg]) -> None:
    """Per line, shorter arcs lower; an arc goes to the lowest level where nothing it
    spans (its level part or its label) is taken, as brat stacks its arcs."""
    by_line: dict[tuple[int, int], list[_Seg]] = {}
    for seg in segs:
        lo, hi = sorted((seg.x_from, seg.x_to))
        mid = (lo + hi) / 2
        seg.extent = (min(lo, mid - seg.label_w / 2) - 2, max(hi, mid + seg.label_w / 2) + 2)
        by_line.setdefault(seg.line, []).append(seg)
    for line_segs in by_line.values():
        line_segs.sort(key=lambda s: (s.extent[1] - s.extent[0], s.extent[0]))
        taken: list[list[tuple[float, float]]] = []
        for seg in line_segs:
            a, b = seg.extent
            for lvl, spans in enumerate(taken):
                if all(b <= x or a >= y for x, y in spans):
                    spans.append(seg.extent)
                    seg.level = lvl
                    break
            else:
                seg.level = len(taken)
                taken.append([seg.extent])


def _build(seg: _Seg, lh: float, color: QColor, width: float) -> Arc:
    y = seg.line_top - 2.0 - lh / 2 - min(seg.level, ARC_LEVELS - 1) * lh
    if seg.level >= ARC_LEVELS:  # more than the room holds: climb into the gap above
        y -= (seg.level - ARC_LEVELS + 1) * lh
    r = min(4.0, max(0.0, (seg.line_top - y) / 2))
    direction = 1.0 if seg.x_to >= seg.x_from else -1.0
    path = QPainterPath()
    if seg.rises_from_span:
        path.moveTo(seg.x_from, seg.line_top)
        path.lineTo(seg.x_from, y + r)
        path.quadTo(seg.x_from, y, seg.x_from + direction * r, y)
    else:
        path.moveTo(seg.x_from, y)
    arrow = None
    if seg.lands_on_span:
        path.lineTo(seg.x_to - direction * r, y)
        path.quadTo(seg.x_to, y, seg.x_to, y + r)
        path.lineTo(seg.x_to, seg.line_top - 3.0)
        tip = QPointF(seg.x_to, seg.line_top)
        arrow = QPolygonF(
            [tip, QPointF(tip.x() - 3.0, tip.y() - 5.0), QPointF(tip.x() + 3.0, tip.y() - 5.0)]
        )
    else:
        path.lineTo(seg.x_to, y)
        # a chevron at the column's edge: the link goes on elsewhere
        path.moveTo(seg.x_to - direction * 4.0, y - 3.0)
        path.lineTo(seg.x_to, y)
        path.lineTo(seg.x_to - direction * 4.0, y + 3.0)
    lo, hi = sorted((seg.x_from, seg.x_to))
    # centred on the level part, but never cut by the view's edge
    left = min(max(1.0, (lo + hi) / 2 - seg.label_w / 2), width - 1.0 - seg.label_w)
    label_rect = QRectF(left, y - lh / 2 + 1, seg.label_w, lh - 2)
    return Arc(
        seg.item.key, seg.label, color, seg.source, seg.target, path, label_rect, arrow, seg.level
    )


# --- the text view's links: index, paint, hover, drag to link -------------------------------


@dataclass(frozen=True, slots=True)
class LinkOption:
    """One link a drag could make: a type the tag set allows between two annotations."""

    link_type: str
    label: str
    source: Annotation
    target: Annotation


def link_options(
    tagset: TagSet, da: DocumentAnnotations, froms: list[Annotation], tos: list[Annotation]
) -> list[LinkOption]:
    """The links the tag set allows from an annotation of ``froms`` to one of ``tos`` (or,
    for a drag made backwards, from ``tos`` to ``froms``) that do not exist yet."""
    existing = {(lk.type, lk.source, lk.target) for lk in da.links.values()}
    out: list[LinkOption] = []
    seen: set[tuple[str, str, str]] = set()
    for backwards in (False, True):
        for a in froms:
            for b in tos:
                src, tgt = (b, a) if backwards else (a, b)
                if src.id == tgt.id:
                    continue
                for lt in tagset.links:
                    key = (lt.name, src.id, tgt.id)
                    if lt.allows(src.tag, tgt.tag) and key not in existing and key not in seen:
                        seen.add(key)
                        out.append(LinkOption(lt.name, lt.label or lt.name, src, tgt))
    return out


class LinkArcs:
    """The text view's links: kept in step with edits, painted, hovered and drawn."""

    def __init__(self, view: TextView) -> None:
        self.view = view
        self.shown = settings.show_links()
        self._index: LinkIndex | None = None
        self._index_for: tuple[object, str] | None = None
        #: what the last paint drew (hover hit-tests against it)
        self.painted: list[Arc] = []
        #: links under the mouse (or of the annotation under it): drawn bold, ends framed
        self.hovered: frozenset[LinkKey] = frozenset()
        #: a Ctrl+drag in progress: the annotations it starts on and where the mouse is
        self.drag_from: list[Annotation] = []
        self.drag_anchor: QRectF | None = None
        self.drag_pos: QPointF | None = None

    # --- the index ---------------------------------------------------------------------

    def invalidate(self) -> None:
        self._index = None

    def note_change(self, change: Change) -> None:
        if self._index is None:
            return
        if not change.doc_id or change.text_changed or self._index.touches(change):
            self._index = None

    def index(self) -> LinkIndex | None:
        view = self.view
        if view.index is None or not view.doc_id:
            return None
        key = (view.index, view.doc_id)  # shown layers changing invalidates it
        if self._index is None or self._index_for != key:
            layers = {}
            for name in view.session.visible_layers:
                layer = view.project.layers.get(name)
                da = layer.docs.get(view.doc_id) if layer is not None else None
                if da is not None and da.links:
                    layers[name] = da
            self._index = LinkIndex(view.index.starts, layers)
            self._index_for = key
        return self._index

    def set_shown(self, on: bool) -> None:
        self.shown = on
        settings.set_show_links(on)
        self.update_room()
        self.view.viewport().update()

    def update_room(self) -> None:
        """Room above the lines where a link arc lands, only while links are shown (the
        layout asks :meth:`anchors_in` per block as it lays blocks out)."""
        layout = self.view.spaced_layout
        layout.room = float(room_above(self.view))
        layout.anchors = self.anchors_in if self.shown else None
        self.view.relayout()

    def anchors_in(self, block: QTextBlock) -> list[int]:
        """Where arcs land in ``block``: UTF-16 offsets from its start, sorted."""
        index = self.index()
        cps = index.anchors.get(block.blockNumber()) if index is not None else None
        if not cps:
            return []
        to16, base = self.view.offsets.to_utf16, block.position()
        return [to16(cp) - base for cp in cps]

    # --- painting ---------------------------------------------------------------------

    def arcs(self, origins: Mapping[int, QPointF] | None = None) -> list[Arc]:
        index = self.index()
        if not self.shown or index is None or not index.by_block:
            return []
        return arc_geometry(self.view, index, origins)

    def paint(self, painter: QPainter, origins: Mapping[int, QPointF] | None = None) -> None:
        self.painted = arcs = self.arcs(origins) if self.shown else []
        if arcs:
            selected = self.view.session.selected
            index = self._index
            emphasised = set(self.hovered)
            if index is not None and selected[1]:
                emphasised.update(item.key for item in index.links_of(selected))
            font = label_font(self.view)
            painter.setFont(font)
            for arc in sorted(arcs, key=lambda a: a.key in emphasised):
                self._paint_arc(painter, arc, arc.key in emphasised, arc.key in self.hovered)
        if self.drag_anchor is not None and self.drag_pos is not None and self.drag_from:
            color = self.view.tag_color(self.drag_from[0].tag)
            pen = QPen(color, 1.5, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            start = QPointF(self.drag_anchor.center().x(), self.drag_anchor.top())
            painter.drawLine(start, self.drag_pos)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(self.drag_anchor.adjusted(-1, 0, 1, 0), 2, 2)

    def _paint_arc(self, painter: QPainter, arc: Arc, bold: bool, frame_ends: bool) -> None:
        color = QColor(arc.color)
        pen = QPen(color, 2.2 if bold else 1.2)
        if arc.key[0] != self.view.session.layer:  # a colleague's, dashed like their spans
            pen.setStyle(Qt.PenStyle.DashLine)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(arc.path)
        if arc.arrow is not None:
            painter.setBrush(color)
            painter.drawPolygon(arc.arrow)
        # the label sits on the level part, on a white ground that cuts the line
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.drawRoundedRect(arc.label_rect, 3, 3)
        text_color = color.darker(150) if not bold else color.darker(200)
        painter.setPen(text_color)
        font = painter.font()
        font.setBold(bold)
        painter.setFont(font)
        painter.drawText(arc.label_rect, Qt.AlignmentFlag.AlignCenter, arc.label)
        font.setBold(False)
        painter.setFont(font)
        if frame_ends:
            painter.setPen(QPen(color.darker(120), 2.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for rect in (arc.source, arc.target):
                if rect is not None:
                    painter.drawRoundedRect(rect.adjusted(-2, -1, 2, 1), 3, 3)

    # --- hover ------------------------------------------------------------------------

    def link_at(self, pos: QPointF) -> LinkKey | None:
        """The painted link whose line or label is under ``pos``."""
        stroker = QPainterPathStroker()
        stroker.setWidth(7.0)
        for arc in reversed(self.painted):
            if arc.label_rect.contains(pos) or stroker.createStroke(arc.path).contains(pos):
                return arc.key
        return None

    def hover(self, pos: QPoint) -> None:
        """Bold the link under the mouse, or the links of the annotation under it."""
        keys: frozenset[LinkKey] = frozenset()
        if self.shown and self.painted:
            hit = self.link_at(QPointF(pos))
            if hit is not None:
                keys = frozenset((hit,))
            else:
                index = self._index
                if index is not None:
                    found: set[tuple[str, str]] = set()
                    for piece in self.view.pieces_at_point(pos):
                        found.update(item.key for item in index.links_of(piece.key))
                    keys = frozenset(found)
        self.set_hovered(keys)

    def tooltip_at(self, pos: QPoint) -> str:
        """What the link under ``pos`` joins, in words (the arc's colour is not enough)."""
        key = self.link_at(QPointF(pos)) if self.shown and self.painted else None
        index = self._index
        if key is None or index is None:
            return ""
        item = index.by_key.get(key)
        if item is None:
            return ""
        tagset = self.view.project.tagset
        src, tgt, text = item.source, item.target, self.view.text
        who = "" if item.layer == self.view.session.layer else f" (layer “{item.layer}”)"
        return html.escape(
            f"{_link_label(tagset, item.link.type)}{who}: "
            f"{_tag_label(tagset, src.tag)} “{_short(text, src)}” → "
            f"{_tag_label(tagset, tgt.tag)} “{_short(text, tgt)}”"
        )

    def set_hovered(self, keys: frozenset[LinkKey]) -> None:
        if keys != self.hovered:
            self.hovered = keys
            self.view.viewport().update()

    def ends_of(self, key: LinkKey) -> list[QRectF]:
        """The on-screen rectangles of a painted link's two ends."""
        rects: list[QRectF] = []
        for arc in self.painted:
            if arc.key == key:
                for r in (arc.source, arc.target):
                    if r is not None and not any(r == q for q in rects):
                        rects.append(r)
        return rects

    # --- Ctrl+drag from one span to another ------------------------------------------

    def own_at(self, pos: QPoint) -> list[Annotation]:
        view = self.view
        return [p.ann for p in view.pieces_at_point(pos) if p.own]

    def begin_drag(self, pos: QPoint) -> bool:
        """Start drawing a link from the user's annotations under ``pos``; False if none."""
        view = self.view
        anns = self.own_at(pos)
        if not anns or view.editing or not view.project.tagset.links:
            return False
        origins = block_origins(view, 0.0, float(view.viewport().height()))
        found = span_rect(view, *anchor(anns[0]), origins)
        self.drag_from = anns
        self.drag_anchor = found[0] if found else QRectF(QPointF(pos), QPointF(pos))
        self.drag_pos = QPointF(pos)
        view.viewport().setCursor(Qt.CursorShape.DragLinkCursor)
        view.show_status("Release on the annotation to link to (anywhere else to cancel)")
        view.viewport().update()
        return True

    def move_drag(self, pos: QPoint) -> None:
        self.drag_pos = QPointF(pos)
        self.view.viewport().update()

    def cancel_drag(self) -> None:
        if self.drag_from:
            self.view.viewport().setCursor(Qt.CursorShape.IBeamCursor)
        self.drag_from = []
        self.drag_anchor = self.drag_pos = None
        self.view.viewport().update()

    def end_drag(self, pos: QPoint, global_pos: QPoint) -> None:
        """Link the span where the drag began to the one under ``pos``: a link the tag set
        allows between them is made at once; several are offered in a menu first."""
        froms = self.drag_from
        self.cancel_drag()
        view = self.view
        tos = [a for a in self.own_at(pos) if all(a.id != f.id for f in froms)]
        if not froms or not tos:
            return
        session = view.session
        layer = session.project.layers.get(session.layer)
        da = layer.docs.get(view.doc_id) if layer is not None else None
        if da is None:
            return
        options = link_options(session.project.tagset, da, froms, tos)
        if not options:
            view.show_status(
                "No link the tag set allows joins these two (or they are linked already)."
            )
            return
        choice = options[0] if len(options) == 1 else self.choose(options, global_pos)
        if choice is None:
            return
        command = AddLink(
            session.layer, view.doc_id, choice.link_type, choice.source.id, choice.target.id
        )
        if view.run(lambda: session.execute(command)) is None:
            return
        view.show_status(f"Linked: {choice.label} (Ctrl+Z to undo)")

    def choose(self, options: list[LinkOption], global_pos: QPoint) -> LinkOption | None:
        """A menu of the allowed links; None if the user closes it."""
        view = self.view
        tagset = view.project.tagset
        text = view.text
        menu = QMenu(view)
        menu.setObjectName("linkTypeMenu")
        menu.setToolTipsVisible(True)
        for opt in options:
            src, tgt = opt.source, opt.target
            act = menu.addAction(
                f"{opt.label}:  {_tag_label(tagset, src.tag)} “{_short(text, src)}”"
                f"  →  {_tag_label(tagset, tgt.tag)} “{_short(text, tgt)}”"
            )
            act.setData(opt)
        chosen = menu.exec(global_pos)
        menu.deleteLater()
        data = chosen.data() if chosen is not None else None
        return data if isinstance(data, LinkOption) else None


def _tag_label(tagset: TagSet, tag: str) -> str:
    return tagset.tag(tag).label if tagset.has_tag(tag) else tag


def _short(text: str, ann: Annotation, limit: int = 28) -> str:
    s, e = anchor(ann)
    words = " ".join(text[s : min(e, s + limit * 4)].split())
    return words if len(words) <= limit else words[: limit - 1] + "…"
