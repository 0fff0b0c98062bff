"""Colour-blind check of tag colours: Machado (2009) simulation, CIEDE2000 in CIELAB."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.formats.tagset_xml import default_tagset
from annotator.model.colours import (
    CONFUSABLE_BELOW,
    VISIONS,
    confusions,
    delta_e,
    difference,
    lab,
    parse_hex,
    safest,
)

hex_colours = st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06X}")


def test_lab_of_white_black_and_srgb_red_match_the_published_values() -> None:
    assert lab("#FFFFFF") == pytest.approx((100.0, 0.0, 0.0), abs=0.01)
    assert lab("#000000") == pytest.approx((0.0, 0.0, 0.0), abs=0.01)
    # sRGB red in CIELAB (D65): L 53.24, a 80.09, b 67.20
    assert lab("#FF0000") == pytest.approx((53.24, 80.09, 67.20), abs=0.05)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # Sharma, Wu & Dalal (2005), the CIEDE2000 test data, pairs 1, 7 and 17
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ],
)
def test_ciede2000_matches_the_published_test_data(
    first: tuple[float, float, float], second: tuple[float, float, float], expected: float
) -> None:
    assert delta_e(first, second) == pytest.approx(expected, abs=1e-4)


def test_a_dichromat_sees_grey_as_grey() -> None:
    # Machado's matrices keep the achromatic axis: rows sum to one
    for vision in VISIONS:
        assert difference("#808080", "#808080", vision) == 0
        assert lab("#808080", vision) == pytest.approx(lab("#808080"), abs=0.2)


def test_red_and_green_of_one_lightness_warn_under_deuteranopia() -> None:
    # matplotlib's red and green: plainly different for most, one olive for deuteranopes
    assert difference("#D62728", "#2CA02C") > 50
    found = confusions("#D62728", [("Victim", "#2CA02C")])
    assert [c.other for c in found] == ["Victim"]
    assert "deuteranopia" in found[0].visions
    assert "normal vision" not in found[0].visions
    assert "Victim's (#2CA02C)" in found[0].sentence()
    assert "deuteranopia" in found[0].sentence()


def test_orange_and_green_warn_under_protanopia_and_sky_blue_and_sea_green_under_tritanopia() -> (
    None
):
    (prot,) = confusions("#FF7F0E", [("Authority", "#2CA02C")])
    assert "protanopia" in prot.visions
    (trit,) = confusions("#66CCFF", [("Authority", "#66CC99")])
    assert trit.visions == ("tritanopia",)


def test_blue_and_orange_never_warn() -> None:
    assert confusions("#0072B2", [("Appeal", "#E69F00")]) == []
    for vision in VISIONS:
        assert difference("#0072B2", "#E69F00", vision) > 40


def test_the_default_tag_set_is_safe_for_every_vision() -> None:
    tags = default_tagset().tags
    for tag in tags:
        others = [(t.label, t.color) for t in tags if t is not tag]
        assert confusions(tag.color, others) == [], tag.name


def test_the_same_colour_is_confusable_for_everyone_and_closest_comes_first() -> None:
    found = confusions("#E69F00", [("Far", "#0072B2"), ("Near", "#E6A010"), ("Same", "#E69F00")])
    assert [c.other for c in found] == ["Same", "Near"]
    assert found[0].visions == VISIONS
    assert found[0].delta == 0


def test_a_colour_that_cannot_be_read_matches_nothing() -> None:
    assert confusions("red", [("Appeal", "#E69F00")]) == []
    assert confusions("#E69F00", [("Broken", "#E69F0")]) == []
    with pytest.raises(ValueError, match="#rrggbb"):
        parse_hex("#12345g")


@given(hex_colours, hex_colours)
def test_difference_is_symmetric_and_zero_only_for_one_colour(a: str, b: str) -> None:
    for vision in VISIONS:
        d = difference(a, b, vision)
        assert d == pytest.approx(difference(b, a, vision), abs=1e-6)
        assert d >= 0
    if a == b:
        assert difference(a, b) == 0
    else:
        assert difference(a, b) > 0


@given(hex_colours, hex_colours)
def test_a_warning_names_exactly_the_visions_below_the_threshold(a: str, b: str) -> None:
    found = confusions(a, [("Other", b)])
    close = [v for v in VISIONS if difference(a, b, v) < CONFUSABLE_BELOW]
    assert [v for c in found for v in c.visions] == close


def test_a_new_tag_gets_a_colour_no_one_confuses_with_the_others() -> None:
    taken = [t.color for t in default_tagset().tags]
    colour = safest(taken)
    assert colour not in taken
    assert confusions(colour, [(c, c) for c in taken]) == []
    assert safest([]) == "#E69F00"
    # with many tags, still the one farthest from all of them
    many = [*taken, colour, safest([*taken, colour])]
    assert len(set(many)) == len(many)
