"""The review dock's release list is a model over the project: a corpus of thousands
of releases fills at once, and only the rows on screen are ever read."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from annotator.model import Document, DocumentMeta, Project, ReviewStatus
from annotator.ui.review import items
from annotator.ui.review.items import ReleaseList

pytestmark = pytest.mark.gui

COUNTRIES = ("Kenya", "Zambia", "Cambodia", "Egypt", "Peru")


def _corpus(n: int) -> Project:
    from annotator.formats.tagset_xml import default_tagset

    p = Project("corpus", default_tagset())
    for i in range(n):
        country = COUNTRIES[i % len(COUNTRIES)]
        p.add_document(
            Document(
                f"r{i:05}",
                f"({country}) Police detained {i} demonstrators on Monday.",
                DocumentMeta(headline=f"{country}: {i} demonstrators detained"),
            )
        )
    return p


def test_only_the_rows_on_screen_are_read(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    real = items.headline

    def counting(doc: Document) -> str:
        read.append(doc.id)
        return real(doc)

    monkeypatch.setattr(items, "headline", counting)
    project = _corpus(3000)
    releases = ReleaseList()
    qtbot.addWidget(releases)
    releases.resize(420, 300)
    releases.show()
    qtbot.waitExposed(releases)
    releases.fill(project, {"r00001": 4}, {"r00001": {"Conflicts": 4}})
    qtbot.waitUntil(lambda: bool(read))  # the view lays the rows out and paints them
    qtbot.wait(50)
    model = releases.model()
    assert model.rowCount() == 3000
    assert 0 < len(set(read)) < 100  # a screenful, not 3,000
    assert model.index(1, 1).data() == "4" and model.index(2, 1).data() == "–"
    assert model.index(2999, 0).data() == "Peru: 2999 demonstrators detained"
    assert "Conflicts: 4" in model.index(1, 1).data(Qt.ItemDataRole.ToolTipRole)


def test_a_changed_count_or_status_shows_without_a_rebuild(qtbot: Any) -> None:
    project = _corpus(50)
    releases = ReleaseList()
    qtbot.addWidget(releases)
    releases.fill(project, {}, {})
    releases.select_doc("r00007")
    resets: list[int] = []
    releases.model().modelReset.connect(lambda: resets.append(1))
    project.documents["r00007"].review_status = ReviewStatus.ADJUDICATED
    releases.fill(project, {"r00007": 2}, {})
    model = releases.model()
    assert model.index(7, 1).data() == "2" and model.index(7, 2).data() == "adjudicated"
    assert resets == [] and releases.doc_id(releases.currentIndex()) == "r00007"
