"""Reviewing colleagues' work: merge their files, compare layers, measure agreement, adjudicate.

Qt-free; the GUI (``annotator.ui.review``) and the CLI (``annotator merge``,
``compare``, ``agree``) are thin layers over these modules.
"""

from annotator.review.compare import Comparison, Item, Kind, compare_layers
from annotator.review.merge import MergeProjects, MergeReport, merge_projects

__all__ = [
    "Comparison",
    "Item",
    "Kind",
    "MergeProjects",
    "MergeReport",
    "compare_layers",
    "merge_projects",
]
