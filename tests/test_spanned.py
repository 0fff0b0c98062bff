"""An annotation and a suggestion of one are read the same way: where they start
and end, and the words they cover (in code points, discontinuous pieces joined)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.assist.suggestion import Suggestion
from annotator.model import Annotation, Fragment
from annotator.model.project import Spanned

TEXT = "Police detained 𝐌𝐚𝐫𝐲 a journalist 😀 and 12 students in Nairobi."


@st.composite
def fragments(draw: st.DrawFn) -> tuple[Fragment, ...]:
    cuts = sorted(draw(st.sets(st.integers(0, len(TEXT)), min_size=2, max_size=8)))
    pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
    # apart, as a project keeps them (touching pieces would be one)
    kept = [p for i, p in enumerate(pairs) if i == 0 or p[0] > pairs[i - 1][1]]
    return tuple(Fragment(a, b) for a, b in kept)


@given(fragments())
def test_an_annotation_and_its_suggestion_cover_the_same_words(
    frags: tuple[Fragment, ...],
) -> None:
    ann = Annotation("a1", "victim", frags)
    sug = Suggestion("doc0001", "victim", frags, "victim-lexicon", "a word list")
    for spanned in (ann, sug):
        assert isinstance(spanned, Spanned)
        assert spanned.start == frags[0].start and spanned.end == frags[-1].end
        assert spanned.covered_text(TEXT) == " … ".join(TEXT[f.start : f.end] for f in frags)
        assert spanned.covered_text(TEXT, " ") == " ".join(TEXT[f.start : f.end] for f in frags)


def test_the_words_of_a_span_beyond_the_bmp_are_counted_in_code_points() -> None:
    start = TEXT.index("𝐌")
    ann = Annotation("a1", "victim", (Fragment(start, start + len("𝐌𝐚𝐫𝐲 a journalist")),))
    assert ann.covered_text(TEXT) == "𝐌𝐚𝐫𝐲 a journalist"
    assert not hasattr(ann, "__dict__")  # still slotted: 200,000 of them in a big project
