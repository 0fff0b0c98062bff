"""The Overview's Concordance and Appeals board on the 10,000-release benchmark project.

    PYTHONPATH=. python tests/perf/bench_concordance_gui.py [--docs 10000] [--annotations 200000]

Builds the synthetic project (tests/perf/synth.py), then times, in the same run
and against the same baseline (one walk over the layer's annotations by tag,
what every overview count starts with):

* the core concordance of the most common tag (``annotator kwic``'s lines);
* the Concordance page shown on that tag: lines computed, model filled, table
  painted (what a user waits for after choosing the tag);
* sorting the page by left context, by span and by right context;
* narrowing it to one attribute value;
* an edit in one release (a new annotation of that tag): the page computes that
  release's lines again and shows them;
* the Appeals board shown, and after the same kind of edit.

Each row prints the best of ``--repeat`` runs in ms and the ratio to the baseline.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ANNOTATOR_SETTINGS_DIR", tempfile.mkdtemp(prefix="annotator-bench-"))

from PySide6.QtWidgets import QApplication

from annotator.insight import Filter, concordance, select
from annotator.insight.kwic import value_choices
from annotator.model import AddAnnotation
from annotator.ui.overview.appeals_board import AppealsBoard
from annotator.ui.overview.concordance import LEFT, RIGHT, SPAN, ConcordancePage
from annotator.ui.session import ProjectSession

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import make_project


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--annotations", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs per row")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    t0 = time.perf_counter()
    project = make_project(args.docs, args.annotations)
    layer = "alice"
    tags = Counter(
        a.tag for da in project.layers[layer].docs.values() for a in da.annotations.values()
    )
    tag, n = tags.most_common(1)[0]
    print(
        f"built {args.docs} releases, {args.annotations} annotations in "
        f"{time.perf_counter() - t0:.1f} s; most common tag {tag!r}: {n} annotations"
    )
    session = ProjectSession(project, layer)
    flt = Filter(layer=layer)

    def best(job: Callable[[], object]) -> float:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            job()
            times.append(time.perf_counter() - t)
        return min(times)

    def walk() -> None:
        select(project, flt).by_tag()

    base = best(walk)
    rows: list[tuple[str, float]] = [("walk by tag (baseline)", base)]
    rows.append(
        (f"core kwic {tag}", best(lambda: concordance(select(project, flt), tag, width=80)))
    )

    page = ConcordancePage(session, lambda *_a: True)
    page.resize(1300, 400)
    page.filter = flt
    page.tag_box.setCurrentIndex(page.tag_box.findData(tag))

    def show_page() -> None:
        page._stale = None  # as after choosing the tag
        page.show()
        page.update_lines()
        page.table.viewport().repaint()
        app.processEvents()

    rows.append(("page shown, painted", best(show_page)))
    assert page.model.rowCount() == n, (page.model.rowCount(), n)
    for name, col in (("left", LEFT), ("span", SPAN), ("right", RIGHT)):
        rows.append(
            (f"sort by {name}", best(lambda c=col: (page.model.sort(c), app.processEvents())))
        )
    choices = value_choices(project.tagset, tag)
    if choices:
        attr, value, label = choices[0]

        def narrow() -> None:
            page.value_box.setCurrentIndex(page.value_box.findData((attr, value)))
            app.processEvents()
            page.value_box.setCurrentIndex(0)

        rows.append((f"narrow to {label}", best(narrow) / 2))

    doc = next(iter(project.documents.values()))

    def edit_once(view_update: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            session.execute(AddAnnotation(layer, doc.id, tag, [(0, 5)]))
            view_update()
            app.processEvents()
            session.undo_stack.undo()  # the project as it was for the next run
            view_update()

        return run

    # an edit and its undo: two updates of one release each
    rows.append(("an edit + undo, page updated", best(edit_once(page.update_lines))))
    page.hide()

    board = AppealsBoard(session, lambda *_a: True)
    board.resize(1300, 400)
    board.filter = flt

    def show_board() -> None:
        board._stale = None
        board.show()
        board.update_rows()
        board.table.viewport().repaint()
        app.processEvents()

    rows.append(("appeals board shown", best(show_board)))
    print(f"appeals: {len(board.model.all_rows)}")
    rows.append(("an edit + undo, board updated", best(edit_once(board.update_rows))))
    for name, secs in rows:
        print(f"{name:<32} {secs * 1000:9.1f} ms {secs / base:7.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
