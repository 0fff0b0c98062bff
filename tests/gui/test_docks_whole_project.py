"""Tagging with every panel open over a project listed lazily ("Whole project" on).

The Annotations panel lays the whole project out a batch of documents at a time
as the list is scrolled; these tests make the batch tiny so that most rows are
fetched lazily, then tag, undo and redo with the keys a user presses and check
what every panel shows: the rows, the Documents counts and the status bar.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from annotator.formats.tagset_xml import default_tagset
from annotator.model import AddAnnotation, Document, DocumentMeta, Project
from annotator.ui.docks.annotations import KEY_ROLE, AnnotationTableModel
from tests.gui.test_docks_support import USER, real_window, span

pytestmark = pytest.mark.gui

COUNTRIES = ("Bahrain", "Belarus", "Colombia", "Egypt", "Myanmar", "Nicaragua", "Uganda")
VICTIMS = ("Nabeel Rajab", "Ales Bialiatski", "Jineth Bedoya", "Alaa Abd El-Fattah", "Ko Jimmy")
#: the tag each number key applies in the default tag set
KEYS = {"appeal": Qt.Key.Key_1, "victim": Qt.Key.Key_2, "authority": Qt.Key.Key_3}


def release(n: int) -> tuple[str, str, str]:
    """A press release as campaign organisations publish them: headline, dateline,
    the case, the authorities responsible and the appeal (one non-BMP character)."""
    country = COUNTRIES[n % len(COUNTRIES)]
    victim = VICTIMS[n % len(VICTIMS)]
    headline = f"{country}: release {victim} now"
    text = (
        f"{headline}\n\n"
        f"LONDON, {n % 28 + 1} March 2024 — {victim} was arrested at dawn by the "
        f"National Security Agency of {country} and has been held incommunicado since.\n\n"
        f"The Public Prosecution charged {victim} with “spreading false news” 📰 after "
        f"a post about prison conditions.\n\n"
        f"We call on the authorities of {country} to release {victim} immediately "
        f"and unconditionally."
    )
    return headline, country, text


def archive(docs: int = 40) -> Project:
    """A campaign archive: every release has the user's victim, authority and appeal."""
    project = Project(name="archive", tagset=default_tagset())
    project.ensure_layer(USER)
    for n in range(docs):
        headline, country, text = release(n)
        doc_id = f"r{n:03d}"
        project.add_document(
            Document(doc_id, text, DocumentMeta(headline=headline, country=country))
        )
        victim = VICTIMS[n % len(VICTIMS)]
        for tag, phrase in (
            ("victim", victim),
            ("authority", f"National Security Agency of {country}"),
            ("appeal", f"release {victim} immediately"),
        ):
            AddAnnotation(USER, doc_id, tag, [span(text, phrase)], author=USER).do(project)
    return project


@pytest.fixture
def win(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(AnnotationTableModel, "BATCH", 4)  # a few rows per fetch
    w = real_window(qtbot, archive())
    yield w
    w.closing_confirmed = True
    w.session.undo_stack.setClean()


def panel_keys(w: Any) -> list[tuple[str, str, str]]:
    proxy = w.docks.annotations.proxy
    return [proxy.index(r, 0).data(KEY_ROLE) for r in range(proxy.rowCount())]


def expected_keys(w: Any, tag: str = "") -> list[tuple[str, str, str]]:
    """Every annotation of the project in document and reading order (what the
    panel lists once all is laid out), computed from the model directly."""
    layer = w.session.project.layers[USER]
    out = []
    for doc_id in w.session.project.documents:
        da = layer.docs.get(doc_id)
        if da is not None:
            out += [
                (USER, doc_id, a.id) for a in da.sorted_annotations() if a.tag in (tag or a.tag)
            ]
    return out


def scroll_to_end(qtbot: Any, w: Any) -> None:
    """Page down through the list as a user would until nothing more is laid out."""
    table = w.docks.annotations.table
    table.setFocus()
    model = w.docks.annotations.model
    for _ in range(200):
        qtbot.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(1)
        if not model.canFetchMore():
            break
    assert not model.canFetchMore()


def whole_project_on(qtbot: Any, w: Any) -> None:
    scope = w.docks.annotations.scope
    qtbot.mouseClick(scope, Qt.MouseButton.LeftButton, pos=scope.rect().center())
    assert scope.isChecked()


def tag_with_key(qtbot: Any, w: Any, doc_id: str, phrase: str, tag: str) -> None:
    w.session.set_current_document(doc_id)
    start, end = span(w.session.project.documents[doc_id].text, phrase)
    w.text_view.set_selection_cp(start, end)
    w.text_view.setFocus()
    qtbot.keyClick(w.text_view, KEYS[tag])


def documents_count(w: Any, doc_id: str, tag: str) -> str:
    model = w.docks.documents.model
    return model.index(model.row_of(doc_id), model.column_of_tag(tag)).data()


def test_whole_project_lists_lazily_and_completely(qtbot: Any, win: Any) -> None:
    whole_project_on(qtbot, win)
    dock = win.docks.annotations
    assert dock.count_label.text() == "120 annotations"  # the total, before all is laid out
    assert dock.model.canFetchMore()
    assert 0 < len(panel_keys(win)) < 120
    scroll_to_end(qtbot, win)
    assert panel_keys(win) == expected_keys(win)


def test_tag_undo_redo_in_a_lazily_fetched_release_updates_every_panel(
    qtbot: Any, win: Any
) -> None:
    whole_project_on(qtbot, win)
    scroll_to_end(qtbot, win)
    last = list(win.session.project.documents)[-1]
    country = win.session.project.documents[last].meta.country
    before = panel_keys(win)
    tag_with_key(qtbot, win, last, f"authorities of {country}", "authority")

    added = win.session.selected[1]
    assert added and (USER, last, added) in panel_keys(win)
    assert panel_keys(win) == expected_keys(win)  # in its place in reading order
    assert documents_count(win, last, "authority") == "2"
    assert "Yours: 4 in this release · 121 in project" in win.status.counts.text()
    assert win.docks.annotations.count_label.text() == "121 annotations"

    qtbot.keyClick(win.text_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel_keys(win) == before
    assert documents_count(win, last, "authority") == "1"
    assert "Yours: 3 in this release · 120 in project" in win.status.counts.text()
    assert win.docks.annotations.count_label.text() == "120 annotations"

    qtbot.keyClick(
        win.text_view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert (USER, last, added) in panel_keys(win)
    assert panel_keys(win) == expected_keys(win)
    assert documents_count(win, last, "authority") == "2"
    assert "121 in project" in win.status.counts.text()


def test_tagging_a_release_not_yet_laid_out_lists_it_once(qtbot: Any, win: Any) -> None:
    whole_project_on(qtbot, win)
    last = list(win.session.project.documents)[-1]
    victim = VICTIMS[39 % len(VICTIMS)]
    tag_with_key(qtbot, win, last, f"charged {victim}", "victim")
    added = win.session.selected[1]
    assert win.docks.annotations.count_label.text() == "121 annotations"
    # the new annotation is selected, so the list lays out up to its release to show it
    assert win.docks.annotations.selected_key() == (USER, last, added)
    scroll_to_end(qtbot, win)
    assert panel_keys(win) == expected_keys(win)
    assert panel_keys(win).count((USER, last, added)) == 1


def test_tag_filter_over_the_whole_project_follows_tagging_and_undo(qtbot: Any, win: Any) -> None:
    whole_project_on(qtbot, win)
    dock = win.docks.annotations
    dock.tag_filter.setCurrentIndex(dock.tag_filter.findData("victim"))
    assert dock.count_label.text().endswith("+ of 120 annotations")  # more to lay out
    scroll_to_end(qtbot, win)
    assert panel_keys(win) == expected_keys(win, "victim")
    assert dock.count_label.text() == "40 of 120 annotations"

    doc = list(win.session.project.documents)[5]
    victim = VICTIMS[5 % len(VICTIMS)]
    tag_with_key(qtbot, win, doc, f"charged {victim}", "victim")
    tag_with_key(qtbot, win, doc, "Public Prosecution", "authority")  # filtered out
    assert panel_keys(win) == expected_keys(win, "victim")
    assert dock.count_label.text() == "41 of 122 annotations"
    assert documents_count(win, doc, "victim") == "2"

    qtbot.keyClick(win.text_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(win.text_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel_keys(win) == expected_keys(win, "victim")
    assert dock.count_label.text() == "40 of 120 annotations"
    assert documents_count(win, doc, "victim") == "1"
    assert documents_count(win, doc, "authority") == "1"
