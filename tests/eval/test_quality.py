"""The quality the suggestions reach, held to the aims (tests/eval/evaluate.py prints it all).

The gold is the sample project's hand annotations of the seed releases
(``dana``); the suggesters never see them. Rules and lexicons were written
from how human-rights reporting phrases appeals and victims in general, not
fitted to these two releases, so the figures are an honest first measure.
"""

from __future__ import annotations

import pytest

from tests.eval.evaluate import SAMPLE, TagScore, evaluate_sample, evaluate_wire, wire_reports

#: tag -> (least overlap recall, least overlap precision)
AIMS = {"appeal": (0.8, 0.6), "authority": (0.6, 0.6), "victim": (0.6, 0.6)}


@pytest.fixture(scope="module")
def scores() -> dict[str, TagScore]:
    return {s.tag: s for s in evaluate_sample(SAMPLE, "dana")}


@pytest.mark.parametrize("tag", sorted(AIMS))
def test_overlap_recall_and_precision_reach_the_aims(scores: dict[str, TagScore], tag: str) -> None:
    recall, precision = AIMS[tag]
    got = scores[tag]
    assert got.gold > 0 and got.suggested > 0
    assert got.recall_overlap >= recall, got
    assert got.precision_overlap >= precision, got
    assert got.exact <= got.overlap


def test_at_least_half_the_named_victims_of_wire_news_are_found() -> None:
    result = evaluate_wire()
    assert result.names >= 15
    assert result.found / result.names >= 0.5, result.missed


def test_the_wire_marks_are_removed_and_point_at_their_names() -> None:
    for text, spans in wire_reports():
        assert "[[" not in text
        for start, end, name in spans:
            assert text[start:end] == name
