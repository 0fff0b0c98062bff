"""The victim and authority lexicons: plurals, modifiers, lists, names, and the file format.

Sentences are written for the purpose, the way human-rights reporting names
victims and authorities; none is taken from the sample releases.
"""

from __future__ import annotations

import pytest

from annotator.assist.lexicon import CueLexicon, PhraseLexicon, parse_lexicon, read_lexicon
from annotator.assist.text import norm
from annotator.errors import FileFormatError
from tests.assist_support import one, spans, suggest


def victims(text: str) -> list[str]:
    return spans(text, suggest(text), "victim")


def authorities(text: str) -> list[str]:
    return spans(text, suggest(text), "authority")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("journalists", "journalist"),
        ("children", "child"),
        ("Women", "woman"),
        ("authorities", "authority"),
        ("forces", "force"),
        ("government’s", "government"),
        ("crisis", "crisis"),
        ("press", "press"),
        ("police", "police"),
    ],
)
def test_words_are_looked_up_singular_and_lower_case(word: str, expected: str) -> None:
    assert norm(word) == expected


def test_plurals_and_case_find_a_singular_entry() -> None:
    text = "Journalists and bloggers were detained; a journalist was beaten."
    assert victims(text) == ["Journalists and bloggers", "a journalist"]


def test_modifiers_numbers_and_quantifiers_belong_to_the_phrase() -> None:
    text = (
        "Soldiers opened fire on a group of Buddhist monks and some students. "
        "More than 200 political prisoners remain in jail. "
        "Dozens of peaceful protesters were injured."
    )
    assert victims(text) == [
        "a group of Buddhist monks and some students",
        "More than 200 political prisoners",
        "Dozens of peaceful protesters",
    ]


def test_a_list_of_victims_is_one_group_with_every_group_value() -> None:
    text = "Lawyers, journalists and human rights defenders have been arrested."
    sug = one(suggest(text), "victim")
    assert sug.covered_text(text) == "Lawyers, journalists and human rights defenders"
    assert set(sug.attributes["group"]) == {"human-rights-defender", "journalist"}
    assert sug.attributes["harm"] == ("arrested",)
    assert sug.attributes["named"] == "group"


def test_a_verb_before_a_number_is_not_a_modifier() -> None:
    assert victims("Police detained 40 students overnight.") == ["40 students"]
    assert victims("The detained students were released.") == ["The detained students"]


def test_generic_nouns_name_victims_only_where_harm_is_reported() -> None:
    assert victims("Many people attended the rally in the capital.") == []
    assert victims("Riot police beat people at the rally.") == ["people"]


def test_a_title_takes_the_name_after_it() -> None:
    text = "President Maria Lopez ordered the army to disperse the crowd, killing three."
    assert authorities(text)[0] == "President Maria Lopez"
    assert "the army" in authorities(text)


def test_a_title_that_needs_a_name_is_nothing_without_one() -> None:
    text = "The General said troops had killed no civilians."
    assert "General" not in " ".join(authorities(text))
    assert "troops" in authorities(text)


def test_a_body_takes_its_of_phrase_and_its_national_adjective() -> None:
    text = "The Ministry of the Interior and the Egyptian Government denied the torture claims."
    assert authorities(text) == ["The Ministry of the Interior", "the Egyptian Government"]


def test_adjacent_authority_words_are_one_authority() -> None:
    text = "Detainees said government security personnel beat them."
    sug = one(suggest(text), "authority")
    assert sug.covered_text(text) == "government security personnel"
    assert sug.attributes["kind"] == "security-forces"


def test_an_authority_mentioned_in_passing_is_not_suggested() -> None:
    assert authorities("The Ministry of Education published its annual report.") == []
    assert authorities("The Ministry of Education expelled 30 students.") == [
        "The Ministry of Education"
    ]


def test_a_possessive_is_left_out_of_the_phrase() -> None:
    text = "The government’s crackdown on protesters continued."
    assert authorities(text) == ["The government"]


def test_offsets_are_code_points_beyond_the_bmp() -> None:
    text = "😀 𝒜𝒷 Police beat 12 journalists in the city."
    found = suggest(text)
    victim = one(found, "victim")
    assert victim.covered_text(text) == "12 journalists"
    assert victim.start == text.index("12 journalists")


def test_the_shipped_lexicons_are_read_through_the_assets() -> None:
    for name in ("victims", "authorities", "modifiers", "harms", "appeal-actions"):
        assert read_lexicon(name), name
    victims_lex = PhraseLexicon(read_lexicon("victims"))
    assert ("journalist",) in {e.words for e in victims_lex.entries}


def test_the_file_format_sections_forms_and_flags() -> None:
    lines = parse_lexicon(
        "# a comment\n\n[group=journalist named=group]\nreporter | reporters\n"
        "[kind=head-of-state]\nPresident +Name\nperson | people ?\n"
    )
    assert [ln.forms for ln in lines] == [
        ("reporter", "reporters"),
        ("President",),
        ("person", "people"),
    ]
    assert lines[0].attributes == (("group", "journalist"), ("named", "group"))
    assert lines[1].takes_name and not lines[1].weak
    assert lines[2].weak


def test_a_malformed_section_names_its_line() -> None:
    with pytest.raises(FileFormatError, match="line 3"):
        parse_lexicon("# x\nreporter\n[group journalist]\n", "victims.txt")


def test_cue_words_with_any_ending_and_the_longest_cue_first() -> None:
    cues = CueLexicon(
        parse_lexicon(
            "[harm=other]\nsentenced\n[harm=death-penalty]\nsentenced to death\n"
            "[harm=tortured]\ntortur*\n"
        ),
        "harm",
    )
    text = "He was sentenced to death after he was tortured; torturers went free."
    assert [(text[s:e], v) for s, e, v in cues.find(text)] == [
        ("sentenced to death", "death-penalty"),
        ("tortured", "tortured"),
        ("torturers", "tortured"),
    ]
