"""The review dock's release list at 10,000 releases: the first fill and paint.

    PYTHONPATH=. QT_QPA_PLATFORM=offscreen python tests/perf/bench_review_list.py [--docs 10000]

The list is a model over the project (only the rows on screen are read); the
baseline, measured in the same run, is what it was before: a QTreeWidget with an
item per release, its three columns set (and sized to their contents).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from annotator.formats.tagset_xml import default_tagset
from annotator.model import Document, DocumentMeta, Project
from annotator.ui.review.items import STATUS_LABELS, ReleaseList, headline

COUNTRIES = ("Kenya", "Zambia", "Cambodia", "Egypt", "Peru", "Republic of Korea")


def corpus(n: int) -> tuple[Project, dict[str, int], dict[str, dict[str, int]]]:
    p = Project("corpus", default_tagset())
    counts: dict[str, int] = {}
    by_kind: dict[str, dict[str, int]] = {}
    for i in range(n):
        country = COUNTRIES[i % len(COUNTRIES)]
        doc_id = f"r{i:05}"
        p.add_document(
            Document(
                doc_id,
                f"({country}) Police detained {i} demonstrators on Monday. " * 20,
                DocumentMeta(headline=f"{country}: {i} demonstrators detained" if i % 7 else ""),
            )
        )
        if i % 3:
            counts[doc_id] = i % 11
            by_kind[doc_id] = {"Conflicts": i % 5, "Different boundaries": i % 6}
    return p, counts, by_kind


def fill_items(
    tree: QTreeWidget,
    project: Project,
    counts: dict[str, int],
    by_kind: dict[str, dict[str, int]],
) -> None:
    """The former list: an item per release, built and labelled at once."""
    for doc_id, doc in project.documents.items():
        n = counts.get(doc_id, 0)
        status = STATUS_LABELS[doc.review_status]
        head = headline(doc)
        row = QTreeWidgetItem([head, str(n) if n else "–", status])
        detail = [f"{t}: {k}" for t, k in by_kind.get(doc_id, {}).items() if k]
        row.setToolTip(0, "\n".join([head, f"id: {doc_id}", f"review: {status}", *detail]))
        row.setToolTip(1, "\n".join(detail) or "no disagreements")
        tree.addTopLevelItem(row)


def tree_of_items() -> QTreeWidget:
    tree = QTreeWidget()
    tree.setUniformRowHeights(True)
    tree.setHeaderLabels(["Release", "Differ", "Status"])
    tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
    return tree


def timed(app: QApplication, widget: QWidget, fill: Callable[[], object]) -> float:
    """The first fill of a list already on screen (as in the docked panel), until painted."""
    widget.resize(360, 600)
    widget.show()
    app.processEvents()
    start = time.perf_counter()
    fill()
    widget.repaint()
    app.processEvents()
    elapsed = time.perf_counter() - start
    widget.close()
    widget.deleteLater()
    app.processEvents()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    project, counts, by_kind = corpus(args.docs)

    base, lazy = [], []
    for _ in range(args.repeat):
        tree = tree_of_items()
        base.append(timed(app, tree, lambda t=tree: fill_items(t, project, counts, by_kind)))
        releases = ReleaseList()
        lazy.append(timed(app, releases, lambda r=releases: r.fill(project, counts, by_kind)))
    b, m = statistics.median(base), statistics.median(lazy)
    print(
        f"release list, {args.docs:,} releases, first fill of the list on screen, "
        f"until painted (median of {args.repeat}):"
    )
    print(f"  an item per release (baseline)  {b * 1000:8.1f} ms (1.00x)")
    print(f"  the model (only rows on screen) {m * 1000:8.1f} ms ({m / b:.3f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
