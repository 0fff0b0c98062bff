"""Whatever the text, suggestions fit it: Hypothesis writes releases from report words.

Texts are made of the words human-rights reports use (cues, victims,
authorities, harms, names), punctuation, line breaks and characters beyond
the BMP, in any order; the suggesters must never fail, every fragment must lie
in the text, one place is never offered twice for one tag, and accepting
everything is one step that undo takes back whole.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.assist.rejections import Rejections, rejection_of
from annotator.assist.run import accept_command, default_suggesters, suggest_document
from annotator.model import History
from tests.assist_support import project_of

WORDS = (
    "calls on",
    "urged",
    "urges that",
    "should",
    "must",
    "appeal for",
    "demands",
    "we ask",
    "to",
    "release",
    "the",
    "a group of",
    "Buddhist",
    "monks",
    "students",
    "and",
    "some",
    "journalist",
    "Jane",
    "Doe",
    "was",
    "arrested",
    "detained",
    "police",
    "security forces",
    "President",
    "Kim",
    "General",
    "Ministry",
    "of",
    "Justice",
    "people",
    "killed",
    "more than",
    "400",
    "political prisoners",
    ",",
    ".",
    ";",
    "“",
    "”",
    "--",
    "\n",
    "\n\n",
    "😀",
    "𝒜",
    "government’s",
    "had",
    "ill-treatment",
    "Amnesty International",
    "said",
)

texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=60).map(" ".join)


@settings(max_examples=120, deadline=None)
@given(texts)
def test_suggestions_always_fit_their_text(text: str) -> None:
    project = project_of(text)
    found = suggest_document(project, "d1", "me", default_suggesters(project, "me"))
    keys = {s.key for s in found}
    by_tag: dict[str, list[tuple[int, int]]] = {}
    for sug in found:
        assert sug.fragments and all(0 <= f.start < f.end <= len(text) for f in sug.fragments)
        assert list(sug.fragments) == sorted(sug.fragments)
        assert all(lk.target in keys for lk in sug.links)
        for f in sug.fragments:
            for a, b in by_tag.get(sug.tag, []):
                assert f.end <= a or b <= f.start, (sug, text)
            by_tag.setdefault(sug.tag, []).append((f.start, f.end))
    history = History(project)
    history.push(accept_command("me", found))
    assert project.layer("me").annotation_count() == len(found)
    history.undo()
    assert "me" not in project.layers


@settings(max_examples=60, deadline=None)
@given(texts)
def test_a_rejected_suggestion_is_not_offered_again(text: str) -> None:
    project = project_of(text)
    suggesters = default_suggesters(project, "me")
    found = suggest_document(project, "d1", "me", suggesters)
    rejections = Rejections([rejection_of(s, text) for s in found])
    again = suggest_document(project, "d1", "me", suggesters, rejections)
    assert not {s.key for s in again} & {s.key for s in found}
