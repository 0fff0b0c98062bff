"""The per-block annotation index behind the painting (Qt-free)."""

from __future__ import annotations

from annotator.model import Annotation, Change, Fragment
from annotator.ui.highlight_index import HighlightIndex, block_starts, display_text


def ann(i: str, *frags: tuple[int, int], tag: str = "victim") -> Annotation:
    return Annotation(id=i, tag=tag, fragments=tuple(Fragment(*f) for f in frags))


TEXT = "first line\nsecond line here\n\nfourth"


def test_block_starts_and_display_text_keep_length() -> None:
    assert block_starts(TEXT) == [0, 11, 28, 29]
    raw = "a\r\nb\ufdd0"
    assert len(display_text(raw)) == len(raw)
    assert "\r" not in display_text(raw)


def test_overlapping_annotations_get_distinct_levels() -> None:
    idx = HighlightIndex(TEXT, "me")
    outer = ann("a1", (11, 27), tag="appeal")
    inner = ann("a2", (18, 22))
    other = ann("b1", (11, 17))
    idx.set_layers({"me": {"a1": outer, "a2": inner}, "you": {"b1": other}})
    pieces = idx.pieces(1)
    levels = {p.ann.id: p.level for p in pieces}
    assert levels["a1"] == 0 and levels["a2"] == 1 and levels["b1"] == 2
    assert [p.ann.id for p in idx.at(19)] == ["a2", "a1"]
    assert idx.pieces(0) == []


def test_piece_spanning_blocks_is_clipped_per_block() -> None:
    idx = HighlightIndex(TEXT, "me")
    idx.set_layers({"me": {"a1": ann("a1", (6, 17))}})
    assert [(p.start, p.end) for p in idx.pieces(0)] == [(6, 10)]
    assert [(p.start, p.end) for p in idx.pieces(1)] == [(11, 17)]


def test_change_refreshes_only_touched_blocks() -> None:
    idx = HighlightIndex(TEXT, "me")
    anns = {"a1": ann("a1", (0, 5))}
    idx.set_layers({"me": anns})
    new = {**anns, "a2": ann("a2", (29, 35))}
    touched = idx.apply_change(Change("d", "me", ((29, 35),)), new)
    assert touched == [3]
    assert [p.ann.id for p in idx.pieces(3)] == ["a2"]
    assert [p.ann.id for p in idx.pieces(0)] == ["a1"]
    del new["a1"]
    assert idx.apply_change(Change("d", "me", ((0, 5),)), new) == [0]
    assert idx.pieces(0) == []


def test_incremental_updates_match_a_full_rebuild() -> None:
    """Random add/resize/delete changes: the incremental index equals a fresh one."""
    import random

    text = "\n".join("word " * random.Random(i).randint(1, 12) for i in range(40))
    rng = random.Random(7)
    anns: dict[str, Annotation] = {}
    idx = HighlightIndex(text, "me")
    idx.set_layers({"me": anns})
    for step in range(300):
        before = dict(anns)
        op = rng.random()
        if op < 0.5 or not anns:
            s = rng.randrange(len(text) - 1)
            e = min(len(text), s + rng.randint(1, 80))
            anns[f"a{step}"] = ann(f"a{step}", (s, e))
            spans = ((s, e),)
        elif op < 0.8:
            k = rng.choice(list(anns))
            old = anns[k]
            s = rng.randrange(len(text) - 1)
            e = min(len(text), s + rng.randint(1, 30))
            anns[k] = ann(k, (s, e), (min(len(text) - 1, e + 3), min(len(text), e + 9)))
            spans = tuple((f.start, f.end) for f in old.fragments + anns[k].fragments)
        else:
            k = rng.choice(list(anns))
            spans = tuple((f.start, f.end) for f in anns.pop(k).fragments)
        del before
        idx.apply_change(Change("d", "me", spans), anns)
    fresh = HighlightIndex(text, "me")
    fresh.set_layers({"me": anns})
    for b in range(fresh.block_count):
        got = sorted((p.start, p.end, p.ann.id) for p in idx.pieces(b))
        want = sorted((p.start, p.end, p.ann.id) for p in fresh.pieces(b))
        assert got == want, b
