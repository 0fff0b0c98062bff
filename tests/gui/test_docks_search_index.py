"""The Annotations panel's text filter over the whole project reads a prepared index.

The index keeps each annotation's search text (tag, attributes, author, covered
text, note) per release; these tests check that a search through it finds
exactly what reading every annotation would, that edits (with the keys a user
presses, undo included) and text corrections keep it true, and that a word
never matches across two annotations.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from annotator.model import Annotation, EditText, Fragment, SetNote
from annotator.ui.docks.annotations import AnnotationTableModel
from annotator.ui.docks.search_index import SearchIndex
from tests.gui.test_docks_support import USER, real_window, span
from tests.gui.test_docks_whole_project import (
    VICTIMS,
    archive,
    expected_keys,
    panel_keys,
    scroll_to_end,
    tag_with_key,
    whole_project_on,
)

pytestmark = pytest.mark.gui


@pytest.fixture(name="win")
def archive_window(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(AnnotationTableModel, "BATCH", 4)  # most rows laid out lazily
    w = real_window(qtbot, archive())
    yield w
    w.closing_confirmed = True
    w.session.undo_stack.setClean()


def test_index_finds_per_annotation_and_never_across_two() -> None:
    text = "Ko Jimmy and Nabeel Rajab were sentenced"
    anns = {
        "a1": Annotation("a1", "victim", (Fragment(*span(text, "Ko Jimmy")),)),
        "a2": Annotation("a2", "victim", (Fragment(*span(text, "Nabeel Rajab")),)),
    }
    index = SearchIndex(lambda _doc, ann: ann.covered_text(text))
    block = ("alice", "r1")
    assert index.matching(block, anns, "jimmy") == {"a1"}
    assert index.matching(block, anns, "jimmynabeel") == set()  # the two texts joined
    assert index.matching(block, anns, "\x00") == set()
    anns["a1"] = Annotation("a1", "victim", (Fragment(*span(text, "Ko Jimmy and Nabeel")),))
    assert index.matching(block, anns, "and nabeel") == set()  # not told yet: kept
    index.update(block, anns, ["a1"])
    assert index.matching(block, anns, "and nabeel") == {"a1"}
    del anns["a2"]
    index.update(block, anns, ["a2"])
    assert index.matching(block, anns, "nabeel") == {"a1"}
    assert index.matching(block, anns, "rajab") == set()


def brute_force(w: Any, text: str) -> list[tuple[str, str, str]]:
    """Rows a filter must show, found by reading every annotation's columns."""
    model = w.docks.annotations.model
    out = []
    for key in expected_keys(w):
        ann = model._annotation_of(key)
        doc_text = w.session.project.documents[key[1]].text
        cols = [model._text_of_key(key, c) for c in (0, 2, 5)]  # tag, attributes, author
        hay = " ".join(cols) + " " + ann.covered_text(doc_text) + " " + ann.note
        if text.casefold() in hay.casefold():
            out.append(key)
    return out


def filter_text(qtbot: Any, w: Any, text: str) -> None:
    dock = w.docks.annotations
    dock.search.clear()
    if all(ord(c) < 0x10000 for c in text):
        qtbot.keyClicks(dock.search, text)
    else:  # QTest types one UTF-16 unit per key: a pasted emoji, then
        dock.search.setText(text)
    dock._apply_filters()  # the typing pause
    scroll_to_end(qtbot, w)


@pytest.mark.parametrize("text", ["JIMMY", "victim", "security agency of egypt", "📰", "zz"])
def test_whole_project_text_filter_finds_what_reading_every_row_finds(
    qtbot: Any, win: Any, text: str
) -> None:
    whole_project_on(qtbot, win)
    filter_text(qtbot, win, text)
    assert panel_keys(win) == brute_force(win, text)


def test_the_filter_follows_notes_tags_undo_and_text_corrections(qtbot: Any, win: Any) -> None:
    whole_project_on(qtbot, win)
    model = win.docks.annotations.model
    while model.indexing():  # the index is complete before the edits
        qtbot.wait(1)
    filter_text(qtbot, win, "witness")
    assert panel_keys(win) == []
    session = win.session
    doc = list(session.project.documents)[7]
    victim = next(iter(session.project.layers[USER].docs[doc].annotations))
    session.execute(SetNote(USER, doc, victim, "a witness saw the arrest", USER))
    assert panel_keys(win) == [(USER, doc, victim)] == brute_force(win, "witness")
    qtbot.keyClick(win.text_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel_keys(win) == [] == brute_force(win, "witness")

    # a word typed inside a tagged name makes that tag match
    name = VICTIMS[7 % len(VICTIMS)]
    text = session.project.documents[doc].text
    start, _end = span(text, name)
    inside = start + name.index(" ")
    session.execute(EditText(doc, inside, inside, " witness"))
    filter_text(qtbot, win, "witness")
    assert panel_keys(win) == brute_force(win, "witness")
    assert (USER, doc, victim) in panel_keys(win)  # "Jineth witness Bedoya"

    # a new tag with the key is found at once
    filter_text(qtbot, win, "false news")
    assert panel_keys(win) == []
    tag_with_key(qtbot, win, doc, "spreading false news", "victim")
    assert panel_keys(win) == brute_force(win, "false news") and len(panel_keys(win)) == 1
