"""Layout repair rules, hyphenation heuristics and end-marker splitting."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.releases.layout import keep_hyphen, repair, repair_layout, tidy_lines
from annotator.releases.splitting import is_end_marker, split_releases


def double(*lines: str) -> str:
    """Lines as a double-spaced PDF extraction writes them (each followed by a blank)."""
    return "".join(f"{line}\n\n" for line in lines)


# --- paragraphs -------------------------------------------------------------------


def test_double_spaced_text_joins_wraps_and_keeps_marked_paragraphs() -> None:
    text = double(
        " Headline of the release ",
        " ",
        "First paragraph starts here and it ",
        "goes on over a wrapped line, ending",
        "here.  ",
        " ",
        "  Second paragraph is short. ",
    )
    result = repair(text)
    assert result.double_spaced
    assert result.text == (
        "Headline of the release\n\n"
        "First paragraph starts here and it goes on over a wrapped line, ending here.\n\n"
        "Second paragraph is short."
    )


def test_one_paragraph_per_line_is_not_mistaken_for_double_spacing() -> None:
    text = double(
        "Cambodia: call for restraint",
        "Amnesty International condemned the deaths.",
        "Security forces shot at monks.",
        "On 8 September demonstrators were dispersed.",
    )
    result = repair(text)
    assert not result.double_spaced
    assert result.paragraphs == 4


def test_single_spaced_text_blank_lines_mark_paragraphs() -> None:
    text = "Headline\n\n  First line of a\n  paragraph that wraps.\n\nNext paragraph\nwraps too.\n"
    assert repair_layout(text) == (
        "Headline\n\nFirst line of a paragraph that wraps.\n\nNext paragraph wraps too."
    )


def test_text_without_blank_lines_uses_datelines_and_short_lines() -> None:
    text = (
        "Cambodia: call for restraint\n"
        "PHNOM PENH -- Amnesty International today condemned the deaths and injuries of\n"
        "demonstrators resulting from the repression of protests by security forces.\n"
        "Security forces are reported to have shot at and beaten a group of monks and\n"
        "some students demonstrating close to the embassy today.\n"
        "One monk is known to have been killed, while others were injured in the square.\n"
    )
    assert repair_layout(text).split("\n\n") == [
        "Cambodia: call for restraint",
        "PHNOM PENH -- Amnesty International today condemned the deaths and injuries of "
        "demonstrators resulting from the repression of protests by security forces. "
        "Security forces are reported to have shot at and beaten a group of monks and "
        "some students demonstrating close to the embassy today.",
        "One monk is known to have been killed, while others were injured in the square.",
    ]


def test_single_spaced_text_with_some_blank_lines_still_finds_unmarked_paragraphs() -> None:
    text = (
        "Cambodia: call for restraint\n\n"
        "Amnesty International today condemned the deaths and injuries of many\n"
        "demonstrators resulting from the repression of protests by the police.\n"
        "Security forces are reported to have shot at and beaten a group of monks\n"
        "and students demonstrating close to the embassy.\n"
        "One monk is known to have been killed, while others were injured there.\n"
    )
    assert [p[:20] for p in repair_layout(text).split("\n\n")] == [
        "Cambodia: call for r",
        "Amnesty Internationa",
        "One monk is known to",
    ]


def test_superscript_ordinals_are_rejoined() -> None:
    text = "to mark the 50\nth\n anniversary of the Declaration and the 1\nst\n day."
    assert repair_layout(text) == "to mark the 50th anniversary of the Declaration and the 1st day."
    # the same break in double-spaced text
    doubled = double("to mark the 50", "th", " anniversary of the Declaration, a wrap", "here")
    assert repair_layout(doubled).startswith("to mark the 50th anniversary")


def test_a_line_that_only_looks_like_a_suffix_is_not_glued() -> None:
    assert repair_layout("Room 12\nthe meeting") == "Room 12 the meeting"


def test_spaces_are_collapsed_but_tabs_and_nbsp_kept() -> None:
    assert repair_layout("a  b.   C\td\u00a0\u00a0e   ") == "a b. C\td\u00a0\u00a0e"


def test_empty_and_blank_text() -> None:
    assert repair("").text == ""
    assert repair(" \n \n\t\n").paragraphs == 0


# --- hyphenation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # plain wrap, lower-case continuation: the hyphen goes
        ("deaths of dem-\nonstrators in the city", "deaths of demonstrators in the city"),
        # the hyphenated compound is written elsewhere in the text: kept
        (
            "torture and ill-\ntreatment; ill-treatment is banned",
            "torture and ill-treatment; ill-treatment is banned",
        ),
        # the joined word is written elsewhere: dropped even though "co" could be a prefix
        (
            "co-\noperation matters and cooperation helps",
            "cooperation matters and cooperation helps",
        ),
        # compound halves we know
        ("a long-\nterm plan", "a long-term plan"),
        ("the so-\ncalled reform", "the so-called reform"),
        ("self-\ncensorship is common", "self-censorship is common"),
        # a word ending is a continuation even after a compound-looking first half
        ("his ill-\nness worsened", "his illness worsened"),
        # capitals and digits keep the hyphen
        ("Kim Dae-\nJung spoke", "Kim Dae-Jung spoke"),
        ("in 1990-\n1995 alone", "in 1990-1995 alone"),
        ("the anti-\nAmerican protests", "the anti-American protests"),
        # a spaced dash or a double dash is punctuation, not a broken word
        ("in jail -\neach year", "in jail - each year"),
        ("in jail --\neach year", "in jail -- each year"),
        # multi-part compounds are looked up whole
        (
            "the not-too-\ndistant future; the not-too-distant past",
            "the not-too-distant future; the not-too-distant past",
        ),
    ],
)
def test_hyphen_at_line_end(text: str, expected: str) -> None:
    assert repair_layout(text) == expected


def test_soft_hyphen_is_always_a_wrap_and_unicode_hyphen_follows_the_rules() -> None:
    assert repair_layout("the long\u00ad\nterm plan") == "the longterm plan"
    assert repair_layout("a long\u2010\nterm plan") == "a long\u2010term plan"
    assert repair_layout("the dem\u2010\nonstrators") == "the demonstrators"


def test_frequency_decides_when_both_forms_are_seen() -> None:
    vocab = Counter({"e-mail": 3, "email": 1})
    assert keep_hyphen("e", "mail", vocab)
    vocab = Counter({"e-mail": 1, "email": 3})
    assert not keep_hyphen("e", "mail", vocab)
    assert keep_hyphen("e", "mail", Counter({"e-mail": 1, "email": 1}))  # a tie keeps it


def test_removed_hyphens_are_reported_at_their_input_offsets() -> None:
    text = "  the dem-  \nonstrators and the pro-\ntesters"
    result = repair(text)
    assert result.text == "the demonstrators and the protesters"
    assert [text[i] for i in result.removed_hyphens] == ["-", "-"]
    assert result.removed_hyphens == (text.index("dem-") + 3, text.index("pro-") + 3)


# --- the invariant -----------------------------------------------------------------


def nonspace(s: str) -> str:
    return "".join(ch for ch in s if not ch.isspace())


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "ab",
                "Z1",
                "-",
                ".",
                "”",
                "\n",
                " ",
                "\t",
                "\u00a0",
                "th",
                "st",
                "dem-",
                "pro\u00ad",
                "x\u2010",
                "ill-",
                "--",
                "x",
                "\n\n",
                "  ",
            ]
        ),
        max_size=40,
    )
)
def test_repair_loses_no_non_whitespace_character(parts: list[str]) -> None:
    text = "".join(parts)
    result = repair(text)
    removed = set(result.removed_hyphens)
    for i in removed:
        assert text[i] in "-\u2010\u00ad"
        rest_of_line = text[i + 1 : text.find("\n", i) if "\n" in text[i:] else len(text)]
        assert rest_of_line.strip() == ""  # the last non-space character of its line
    kept = "".join(ch for i, ch in enumerate(text) if i not in removed)
    assert nonspace(result.text) == nonspace(kept)
    # repairing repaired text loses nothing either, beyond the wrap hyphens it lists: a
    # few short lines can read as double-spaced once their single line breaks are gone
    again = repair(result.text)
    removed_again = set(again.removed_hyphens)
    assert all(result.text[i] in "-\u2010\u00ad" for i in removed_again)
    kept_again = "".join(ch for i, ch in enumerate(result.text) if i not in removed_again)
    assert nonspace(again.text) == nonspace(kept_again)
    assert "\n\n\n" not in result.text
    assert result.text == result.text.strip()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_repair_invariant_on_arbitrary_text(text: str) -> None:
    text = text.replace("\r", "\n")
    result = repair(text)
    removed = set(result.removed_hyphens)
    kept = "".join(ch for i, ch in enumerate(text) if i not in removed)
    assert nonspace(result.text) == nonspace(kept)


def test_tidy_lines_keeps_line_breaks() -> None:
    assert tidy_lines("  a  b \n c\n\n\n\n d ") == "a b\nc\n\nd"


# --- end markers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "ENDS",
        "/ENDS",
        "..../ENDS ",
        "...ENDS/",
        "-ends-",
        "- ENDS -",
        "ENDS.",
        "  Ends  ",
        "*** END ***",
        "[ENDS]",
        "-END-",
        "/END",
    ],
)
def test_end_markers(line: str) -> None:
    assert is_end_marker(line)


@pytest.mark.parametrize("line", ["END", "The end", "ENDS here", "friends", "weekends", "ENDSx"])
def test_not_end_markers(line: str) -> None:
    assert not is_end_marker(line)


def test_split_drops_marker_lines_and_empty_pieces() -> None:
    text = "First\nrelease\n..../ENDS\n Second\n- ends -\n\n  \n/ENDS\n\n"
    assert split_releases(text) == ["First\nrelease\n", " Second\n"]


def test_text_without_markers_is_one_release() -> None:
    assert split_releases("only one\n") == ["only one\n"]
    assert split_releases("ENDS\n") == []


def test_marker_inside_a_line_does_not_split() -> None:
    text = "The strike ENDS today.\nEND\nmore"
    assert split_releases(text) == [text]


def test_repairing_repaired_text_lists_the_hyphen_it_drops() -> None:
    """Found by the property test: four short lines whose single line breaks were
    repaired read as double-spaced on a second pass; the hyphen it drops is listed."""
    first = repair("ab\n\nab\ndem-\n\nab\nZ1ab")
    assert nonspace(first.text) == nonspace("ab ab dem- ab Z1ab")
    again = repair(first.text)
    dropped = "".join(first.text[i] for i in again.removed_hyphens)
    assert nonspace(again.text) + dropped.replace("-", "") == nonspace(again.text)
    assert sorted(nonspace(again.text) + dropped) == sorted(nonspace(first.text))
