"""The Overview's views of single annotations, joined to the panel: Concordance, Appeals
board and Progress.

Each page is built with the session and a way back to the text (a double-click
opens the release at the annotation, selected in the text view), follows the
filter bar of the Charts page (layer, status, country, dates), and computes only
while it is shown.
"""

from __future__ import annotations

from annotator.ui.overview.appeals_board import AppealsBoard
from annotator.ui.overview.concordance import ConcordancePage
from annotator.ui.overview.panel import OverviewDock
from annotator.ui.overview.progress_view import ProgressView
from annotator.ui.overview.rows import reveal_annotation
from annotator.ui.session import ProjectSession
from annotator.ui.text_view import TextView


def add_views(dock: OverviewDock, session: ProjectSession, text_view: TextView) -> None:
    """Add the pages to the Overview panel."""

    def reveal(layer: str, doc_id: str, ann_id: str) -> bool:
        shown = reveal_annotation(session, text_view, layer, doc_id, ann_id)
        if not shown:
            dock.notifier.status("That annotation is no longer there.")
        return shown

    pages = (
        ConcordancePage(session, reveal),
        AppealsBoard(session, reveal),
        ProgressView(session),
    )
    for title, page in zip(("Concordance", "Appeals", "Progress"), pages, strict=True):
        dock.add_page(title, page)
    filters = dock.charts.filters

    def follow() -> None:
        """The Charts page's filter bar chooses what every page counts."""
        question = filters.current()
        if question is not None:
            for page in pages:
                page.set_filter(question[0])

    filters.changed.connect(follow)
