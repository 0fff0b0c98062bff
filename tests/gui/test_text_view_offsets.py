"""Offsets: code points in the model, UTF-16 units in Qt (Qt-free logic)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.ui.offsets import OffsetMap


def test_identity_for_bmp_text() -> None:
    m = OffsetMap("Sané said “hello”")
    assert m.identity
    assert m.to_utf16(5) == 5 and m.to_cp(5) == 5


def test_astral_characters_shift_later_positions() -> None:
    text = "a😀b𠀀c"
    m = OffsetMap(text)
    # code points: a0 😀1 b2 𠀀3 c4 ; UTF-16: a0 😀1-2 b3 𠀀4-5 c6
    assert [m.to_utf16(i) for i in range(6)] == [0, 1, 3, 4, 6, 7]
    assert [m.to_cp(u) for u in (0, 1, 3, 4, 6, 7)] == [0, 1, 2, 3, 4, 5]
    # a position inside a surrogate pair rounds down to the character's start
    assert m.to_cp(2) == 1 and m.to_cp(5) == 3
    assert m.length_u16 == 7


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \n😀𠀀é"))))
def test_round_trip_matches_utf16_encoding(text: str) -> None:
    m = OffsetMap(text)
    for cp in range(len(text) + 1):
        u = m.to_utf16(cp)
        assert u == len(text[:cp].encode("utf-16-le")) // 2
        assert m.to_cp(u) == cp
