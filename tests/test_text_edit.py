"""Correcting text moves annotations in every layer (the Qt-free core of Correct Text)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.formats.tagset_xml import default_tagset
from annotator.model import (
    AddAnnotation,
    AddLink,
    Document,
    EditText,
    Fragment,
    History,
    Project,
)
from annotator.model.text_edit import map_fragment

TEXT = "Security forces beat demon strators near the Embassy."


def make() -> tuple[Project, History, dict[str, str]]:
    p = Project("t", default_tagset())
    p.add_document(Document("d", TEXT))
    for name in ("dana", "lee"):
        p.ensure_layer(name)
    h = History(p)
    ids = {
        "auth": h.push(AddAnnotation("dana", "d", "authority", [(0, 15)])).ann_id,
        "victim": h.push(AddAnnotation("dana", "d", "victim", [(21, 35)])).ann_id,
        "place": h.push(AddAnnotation("lee", "d", "authority", [(41, 52)])).ann_id,
    }
    h.push(AddLink("dana", "d", "responsible_for", ids["auth"], ids["victim"]))
    return p, h, ids


def covered(p: Project, layer: str, ann_id: str) -> str:
    a = p.layers[layer].doc("d").annotations[ann_id]
    return a.covered_text(p.documents["d"].text)


def test_fixing_a_broken_word_moves_later_annotations_in_every_layer_and_flags_the_touched_one():
    p, h, ids = make()
    assert covered(p, "dana", ids["victim"]) == "demon strators"
    h.push(EditText("d", 26, 27, ""))  # "demon strators" -> "demonstrators"
    assert p.documents["d"].text == "Security forces beat demonstrators near the Embassy."
    assert covered(p, "dana", ids["victim"]) == "demonstrators"
    assert p.layers["dana"].doc("d").annotations[ids["victim"]].needs_check
    assert covered(p, "dana", ids["auth"]) == "Security forces"
    assert not p.layers["dana"].doc("d").annotations[ids["auth"]].needs_check
    assert covered(p, "lee", ids["place"]) == "the Embassy"
    assert len(p.layers["dana"].doc("d").links) == 1
    h.undo()
    assert p.documents["d"].text == TEXT
    assert covered(p, "dana", ids["victim"]) == "demon strators"
    assert not p.layers["dana"].doc("d").annotations[ids["victim"]].needs_check


def test_insertion_at_a_boundary_stays_outside():
    f = Fragment(5, 10)
    assert map_fragment(f, 5, 5, 3) == (Fragment(8, 13), False)
    assert map_fragment(f, 10, 10, 3) == (Fragment(5, 10), False)
    assert map_fragment(f, 7, 7, 3) == (Fragment(5, 13), True)


def test_deleting_an_annotation_s_whole_text_removes_it_and_its_links_undo_restores():
    p, h, ids = make()
    h.push(EditText("d", 0, 16, ""))
    da = p.layers["dana"].doc("d")
    assert ids["auth"] not in da.annotations and not da.links
    h.undo()
    assert len(p.layers["dana"].doc("d").links) == 1


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(min_size=1, max_size=40),
    data=st.data(),
)
def test_untouched_annotations_keep_their_exact_text(text, data):
    p = Project("t", default_tagset())
    p.add_document(Document("d", text))
    p.ensure_layer("x")
    h = History(p)
    n = len(text)
    a = data.draw(st.integers(0, n - 1))
    b = data.draw(st.integers(a + 1, n))
    ann = h.push(AddAnnotation("x", "d", "victim", [(a, b)])).ann_id
    s = data.draw(st.integers(0, n))
    e = data.draw(st.integers(s, n))
    repl = data.draw(st.text(max_size=5))
    before = text[a:b]
    h.push(EditText("d", s, e, repl))
    new = p.layers["x"].doc("d").annotations.get(ann)
    if new is not None and not new.needs_check:
        assert new.covered_text(p.documents["d"].text) == before
    if new is not None:
        for f in new.fragments:
            assert 0 <= f.start < f.end <= len(p.documents["d"].text)
    h.undo()
    assert p.documents["d"].text == text
    assert p.layers["x"].doc("d").annotations[ann].fragments == (Fragment(a, b),)
