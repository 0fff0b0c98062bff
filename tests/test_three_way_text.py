"""Text corrections in the three-way merge: both kept when they do not overlap,
every annotation moved through the other side's edits as the text-correction
command moves it; overlapping corrections stay a conflict."""

from __future__ import annotations

import copy
import itertools
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from annotator.formats.project_writer import project_to_bytes
from annotator.formats.project_xml import project_from_bytes
from annotator.model import (
    AddAnnotation,
    AddLink,
    Command,
    EditText,
    History,
    Project,
    Retag,
)
from annotator.model.text_edit import replace_regions
from annotator.review.text_merge import merge_texts, text_edits
from annotator.review.three_way import THEIRS_SUFFIX, merge_three_way
from tests.review_support import add, project

# An Amnesty-style release as PDF extraction leaves it: typos to correct, and
# characters beyond the BMP before the corrections (one code point each).
RELEASE = (
    "Egypt 😀: Release detained studnets now. Amnesty International calls on the "
    "Egyptian authorites 𠀀 to release the 12 studnets held at Tora prisn since March."
)


def _at(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def _base() -> Project:
    base = project(RELEASE, layers=("alice", "bob"))
    add(base, "alice", "d1", "victim", _at(RELEASE, "the 12 studnets"), ann_id="a1")
    add(base, "alice", "d1", "authority", _at(RELEASE, "Egyptian authorites"), ann_id="a2")
    add(base, "alice", "d1", "appeal", _at(RELEASE, "Release detained studnets now"), ann_id="a3")
    add(base, "bob", "d1", "victim", _at(RELEASE, "12 studnets"), ann_id="a1")
    base.layer("alice").counter = 3
    base.layer("bob").counter = 1
    return base


def _apply(p: Project, *commands: Command) -> Project:
    out = copy.deepcopy(p)
    history = History(out)
    for cmd in commands:
        history.push(cmd)
    return out


def _fix(p: Project, wrong: str, right: str, nth: int = 0) -> EditText:
    """The EditText a user makes to correct the ``nth`` occurrence of ``wrong``."""
    text = p.documents["d1"].text
    start = -1
    for _ in range(nth + 1):
        start = text.index(wrong, start + 1)
    return EditText("d1", start, start + len(wrong), right)


def _covered(p: Project, layer: str, ann_id: str) -> str:
    da = p.layer(layer).docs["d1"]
    return da.annotations[ann_id].covered_text(p.documents["d1"].text)


def _valid(p: Project) -> Project:
    return project_from_bytes(project_to_bytes(p))


def test_corrections_on_both_sides_merge_and_every_annotation_follows() -> None:
    base = _base()
    ours = _apply(base, _fix(base, "studnets", "students", nth=1))  # inside a1 and bob's a1
    theirs = _apply(
        base,
        _fix(base, "prisn", "prison"),  # the later one first: the earlier stays put
        _fix(base, "authorites", "authorities"),  # inside a2
    )
    text = theirs.documents["d1"].text
    theirs = _apply(theirs, AddAnnotation("bob", "d1", "authority", [_at(text, "Tora prison")]))

    merged, report = merge_three_way(base, ours, theirs)

    assert report.clean, report.summary()
    want = RELEASE.replace("authorites", "authorities").replace("prisn", "prison")
    want = want.replace("12 studnets", "12 students")
    assert merged.documents["d1"].text == want
    assert _covered(merged, "alice", "a1") == "the 12 students"
    assert _covered(merged, "alice", "a2") == "Egyptian authorities"
    assert _covered(merged, "alice", "a3") == "Release detained studnets now"  # untouched
    assert _covered(merged, "bob", "a1") == "12 students"
    assert _covered(merged, "bob", "a2") == "Tora prison"  # theirs, moved through ours
    alice = merged.layer("alice").docs["d1"].annotations
    assert alice["a1"].needs_check and alice["a2"].needs_check and not alice["a3"].needs_check
    assert THEIRS_SUFFIX not in "".join(merged.layers) and list(merged.documents) == ["d1"]
    _valid(merged)


def test_text_corrected_on_one_side_moves_what_the_other_side_tagged() -> None:
    base = _base()
    ours = _apply(base, EditText("d1", 0, 0, "CAIRO 🇪🇬 — "))  # everything moves right
    prison = _at(RELEASE, "Tora prisn")
    theirs = _apply(
        base,
        AddAnnotation("bob", "d1", "authority", [prison]),
        Retag("alice", "d1", "a3", "victim"),
    )

    merged, report = merge_three_way(base, ours, theirs)

    assert report.clean, report.summary()
    assert merged.documents["d1"].text == "CAIRO 🇪🇬 — " + RELEASE
    assert _covered(merged, "bob", "a2") == "Tora prisn"
    assert merged.layer("alice").docs["d1"].annotations["a3"].tag == "victim"
    assert _covered(merged, "alice", "a3") == "Release detained studnets now"
    # and the other way round: their correction, our tagging
    merged, report = merge_three_way(base, theirs, ours)
    assert report.clean
    assert _covered(merged, "bob", "a2") == "Tora prisn"
    _valid(merged)


def test_insertions_at_the_edges_of_a_span_stay_outside_it() -> None:
    base = _base()
    start, end = _at(RELEASE, "the 12 studnets")
    ours = _apply(base, EditText("d1", end, end, " (all of them)"))  # right after a1
    theirs = _apply(
        base, EditText("d1", start, start, "all "), Retag("alice", "d1", "a1", "appeal")
    )

    merged, report = merge_three_way(base, ours, theirs)

    assert report.clean, report.summary()
    assert "release all the 12 studnets (all of them) held" in merged.documents["d1"].text
    a1 = merged.layer("alice").docs["d1"].annotations["a1"]
    assert (a1.tag, _covered(merged, "alice", "a1")) == ("appeal", "the 12 studnets")
    assert not a1.needs_check


def test_a_correction_across_the_end_of_a_span_flags_it_and_keeps_the_other_sides_edit() -> None:
    base = _base()
    start, end = _at(RELEASE, "studnets held")
    ours = _apply(base, EditText("d1", start, end, "students, who are held"))  # a1's last word
    theirs = _apply(base, Retag("alice", "d1", "a1", "appeal"))

    merged, report = merge_three_way(base, ours, theirs)

    assert report.clean, report.summary()
    a1 = merged.layer("alice").docs["d1"].annotations["a1"]
    assert a1.tag == "appeal" and a1.needs_check
    assert _covered(merged, "alice", "a1") == "the 12 students, who are held"


def test_overlapping_corrections_stay_a_conflict_with_theirs_beside_ours() -> None:
    base = _base()
    ours = _apply(base, _fix(base, "prisn", "prison"))
    theirs = _apply(base, _fix(base, "Tora prisn", "Tora jail"))

    merged, report = merge_three_way(base, ours, theirs)

    assert [(c.what, c.ident) for c in report.conflicts] == [("document", "d1")]
    assert "at the same place" in report.conflicts[0].reason
    assert merged.documents["d1"].text.endswith("Tora prison since March.")
    assert merged.documents["d1~theirs"].text.endswith("Tora jail since March.")
    assert set(merged.layer("alice~theirs").docs["d1~theirs"].annotations) == {"a1", "a2", "a3"}
    _valid(merged)


def test_two_insertions_at_one_place_are_a_conflict_and_the_same_one_is_taken_once() -> None:
    base = _base()
    end = _at(RELEASE, "since March")[1]
    ours = _apply(base, EditText("d1", end, end, " 2024"))
    theirs = _apply(base, EditText("d1", end, end, " 2023"))
    assert not merge_three_way(base, ours, theirs)[1].clean
    same = _apply(base, EditText("d1", end, end, " 2024"))
    merged, report = merge_three_way(base, ours, same)
    assert report.clean and merged.documents["d1"].text.endswith("since March 2024.")


def test_deleting_the_words_under_an_annotation_the_other_side_made_is_a_conflict() -> None:
    base = _base()
    sentence = _at(RELEASE, "Amnesty International calls on the Egyptian authorites 𠀀 ")
    ours = _apply(base, EditText("d1", *sentence, ""))  # deletes a2 with it: ours alone, fine
    theirs = _apply(base, Retag("alice", "d1", "a2", "victim"))  # but theirs changed a2

    merged, report = merge_three_way(base, ours, theirs)

    assert [c.what for c in report.conflicts] == ["document"]
    assert "a2" in report.conflicts[0].reason
    kept = merged.layer("alice~theirs").docs["d1~theirs"].annotations["a2"]
    assert kept.tag == "victim"
    # a link theirs made to an annotation whose words ours deleted is kept the same way
    theirs = _apply(base, AddLink("alice", "d1", "addressee", "a3", "a2"))
    merged, report = merge_three_way(base, ours, theirs)
    assert not report.clean
    assert "r4" in merged.layer("alice~theirs").docs["d1~theirs"].links
    # when neither side changed what the deleted words held, they simply go
    untouched = _apply(base, _fix(base, "prisn", "prison"))
    merged, report = merge_three_way(base, ours, untouched)
    assert report.clean, report.summary()
    assert "a2" not in merged.layer("alice").docs["d1"].annotations


# --- the edit scripts ------------------------------------------------------------------------

_TEXT = st.text(alphabet="ab 😀𠀀\n", max_size=30)


@given(old=_TEXT, new=_TEXT)
def test_an_edit_script_turns_the_old_text_into_the_new(old: str, new: str) -> None:
    edits = text_edits(old, new)
    assert replace_regions(old, edits) == new
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(edits))


@given(
    base=st.text(alphabet="abc 😀𠀀", min_size=1, max_size=40),
    data=st.data(),
)
def test_disjoint_corrections_merge_as_if_made_one_after_the_other(
    base: str, data: st.DataObject
) -> None:
    cut = data.draw(st.integers(0, len(base)), label="cut")
    left = data.draw(st.text(alphabet="xy𝄞", max_size=4), label="left")
    right = data.draw(st.text(alphabet="xy𝄞", max_size=4), label="right")
    i = data.draw(st.integers(0, cut), label="i")
    j = data.draw(st.integers(i, cut), label="j")
    k = data.draw(st.integers(cut, len(base)), label="k")
    m = data.draw(st.integers(k, len(base)), label="m")
    ours = base[:i] + left + base[j:]  # an edit left of the cut
    theirs = base[:k] + right + base[m:]  # one right of it
    tm = merge_texts(base, ours, theirs)
    if left and right:  # letters the base lacks: each script is exactly that edit
        assert (tm is None) == (i == j == k == m and left != right)
    if tm is not None and i == j == k == m and left == right:
        assert tm.text == base[:i] + left + base[i:]  # the same insertion is taken once
    elif tm is not None and left and right:
        assert tm.text == base[:i] + left + base[j:k] + right + base[m:]
    elif tm is not None:  # a deletion may slide (which of two equal letters went?)
        both = base[:i] + left + base[j:k] + right + base[m:]
        assert Counter(tm.text) == Counter(both)
