"""The Overview panel: what the team has found across all releases, at a glance.

:class:`OverviewDock` is a panel under the text (View ▸ Overview) holding one tab
per view of the corpus. Its charts page draws the counts of
:mod:`annotator.insight` (the same functions ``annotator overview`` prints);
other views join it as pages through :meth:`OverviewDock.add_page`.
"""

from annotator.ui.overview.panel import OverviewDock

__all__ = ["OverviewDock"]
