"""The one walk over the text's visible lines: the underlines paint over the blocks it
finds and the link arcs are laid out over the same ones, so an arc never lands on a
line the underlines skipped (or the other way round)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.formats.project_xml import new_project, save_project
from annotator.model import Document, DocumentMeta
from annotator.ui import text_view as text_view_module
from annotator.ui.text_paint import block_origins

pytestmark = pytest.mark.gui

PARAGRAPHS = [
    f"{i} 😀 Police detained 𝐌𝐚𝐫𝐲 and {i} students after the protest in Nairobi."
    for i in range(120)
]


@pytest.fixture
def long_path(tmp_path: Path) -> Path:
    p = new_project("Long")
    text = "\n\n".join(PARAGRAPHS) + "\n"
    p.add_document(Document("doc0001", text, DocumentMeta(headline="Long")))
    path = tmp_path / "long.xml"
    save_project(p, path)
    return path


def test_the_visible_blocks_are_the_ones_on_screen_in_order(make_window, long_path, qtbot) -> None:  # type: ignore[no-untyped-def]
    w = make_window(long_path)
    view = w.text_view
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    qtbot.wait(20)
    height = view.viewport().height()
    origins = block_origins(view, 0.0, float(height))
    numbers = list(origins)
    assert numbers == sorted(numbers) and len(numbers) > 2
    assert numbers[0] > 0  # scrolled: the first blocks are above the view
    assert numbers[-1] < view.document().blockCount() - 1  # and the last below it
    offset = view.contentOffset()
    for n, origin in origins.items():
        geo = view.blockBoundingGeometry(view.document().findBlockByNumber(n)).translated(offset)
        assert geo.topLeft() == origin
        assert geo.bottom() >= 0 and geo.top() <= height
    before = view.document().findBlockByNumber(numbers[0] - 1)
    # (Qt counts a block that shows less than a pixel as above the view)
    assert view.blockBoundingGeometry(before).translated(offset).bottom() < 1


def test_the_underlines_and_the_arcs_walk_the_same_blocks(  # type: ignore[no-untyped-def]
    make_window, long_path, qtbot, monkeypatch
) -> None:
    painted: list[dict[int, object]] = []
    real = text_view_module.paint_annotations

    def spy(view, e):  # type: ignore[no-untyped-def]
        origins = real(view, e)
        if e.rect().contains(view.viewport().rect()):
            painted.append(dict(origins))
        return origins

    monkeypatch.setattr(text_view_module, "paint_annotations", spy)
    w = make_window(long_path)
    view = w.text_view
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 3)
    painted.clear()
    view.viewport().repaint()
    assert painted
    rect = view.viewport().rect()
    assert painted[-1] == block_origins(view, float(rect.top()), float(rect.bottom()))
