"""Snapping a selection to whole words, growing and shrinking by a word (Qt-free logic)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.ui.tagging import (
    next_word_end,
    previous_word_start,
    shrink_end,
    shrink_start,
    snap_to_words,
)

T = "He said: “don't detain Sané-Diop”, then left… 😀 𠀀x."


def sel(text: str, part: str) -> tuple[int, int]:
    i = text.index(part)
    return i, i + len(part)


def test_partial_words_widen_and_punctuation_drops() -> None:
    s, e = sel(T, "on't detain Sa")
    assert T[slice(*snap_to_words(T, s, e))] == "don't detain Sané-Diop"
    s, e = sel(T, "“don't")
    assert T[slice(*snap_to_words(T, s - 1, e))] == "don't"
    s, e = sel(T, "Diop”, ")
    assert T[slice(*snap_to_words(T, s, e))] == "Sané-Diop"


def test_only_punctuation_or_space_gives_nothing() -> None:
    s, e = sel(T, "”, ")
    assert snap_to_words(T, s, e)[0] == snap_to_words(T, s, e)[1]
    s, _ = sel(T, "… ")
    assert snap_to_words(T, s, s + 2)[0] == snap_to_words(T, s, s + 2)[1]


def test_cursor_inside_a_word_gives_that_word() -> None:
    i = T.index("etain")
    assert T[slice(*snap_to_words(T, i, i))] == "detain"


def test_combining_accents_stay_with_their_letter() -> None:
    text = "Sane\u0301 was held"
    assert text[slice(*snap_to_words(text, 1, 2))] == "Sane\u0301"


def test_astral_characters_are_not_words_but_do_not_shift_offsets() -> None:
    s, e = sel(T, "𠀀x")
    # 𠀀 is a letter (CJK Extension B) and part of the word
    assert T[slice(*snap_to_words(T, s + 1, e))] == "𠀀x"


def test_grow_and_shrink_by_a_word() -> None:
    text = "release all political prisoners now"
    s, e = sel(text, "all political")
    assert text[s : next_word_end(text, e)] == "all political prisoners"
    assert text[previous_word_start(text, s) : e] == "release all political"
    assert text[s : shrink_end(text, s, e)] == "all"
    assert text[shrink_start(text, s, e) : e] == "political"
    # a one-word span does not shrink to nothing
    s, e = sel(text, "all")
    assert shrink_end(text, s, e) == e and shrink_start(text, s, e) == s
    assert next_word_end(text, len(text)) == len(text)
    assert previous_word_start(text, 0) == 0


@settings(max_examples=80, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab é,.“” \n😀'-")), max_size=40),
    st.integers(0, 40),
    st.integers(0, 40),
)
def test_snapped_span_is_trimmed_and_inside_the_text(text: str, a: int, b: int) -> None:
    s, e = snap_to_words(text, a, b)
    assert 0 <= s <= e <= len(text)
    if s < e:
        assert text[s] not in " ,.“”\n" and text[e - 1] not in " ,.“”\n"
        # idempotent: snapping the result again changes nothing
        assert snap_to_words(text, s, e) == (s, e)
