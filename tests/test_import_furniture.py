"""Page furniture: what is dropped, what is never dropped, and that nothing else is lost."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.errors import AnnotatorError
from annotator.releases import releases_from_bytes
from annotator.releases.characters import clean_text, normalise_newlines
from annotator.releases.furniture import describe_dropped, find_furniture, form_feed_pages
from annotator.releases.layout import hyphen_words, repair
from annotator.releases.splitting import split_releases


def line_end(text: str, start: int) -> int:
    """The offset of the newline ending the line at ``start`` (or the text's end)."""
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def nonspace(s: str) -> str:
    return "".join(ch for ch in s if not ch.isspace())


def test_page_numbers_that_say_so_are_dropped_anywhere() -> None:
    text = "Headline here\nFirst line of text.\nPage 2 of 5\nMore text.\n  - 3 -\nEnd.\n"
    dropped = find_furniture(text)
    assert [(d.line, d.why) for d in dropped] == [
        ("Page 2 of 5", "page number"),
        ("- 3 -", "page number"),
    ]
    assert [d.start for d in dropped] == [text.index("Page 2"), text.index("  - 3 -")]


def test_a_text_that_is_all_furniture_keeps_every_line() -> None:
    # one line repeated on every page: it is what the release says, not its frame
    text = "Free them now\n\fFree them now\n\fFree them now\n"
    assert find_furniture(text, form_feed_pages(text)) == []
    (release,) = releases_from_bytes(text.encode("utf-8"), Path("slogan.txt"), "slogan")
    assert release.text.count("Free them now") == 3


def test_bare_numbers_and_repeated_lines_only_at_page_edges() -> None:
    pages = [
        "Chad: Release them\nIn 2021 the police arrested\n12\njournalists in the capital.\n"
        "FOOTER LINE 1",
        "HEADER\nThe court heard them on\n3\nMarch.\nFOOTER LINE 2",
        "HEADER\nThey remain in detention.\nFOOTER LINE 3",
    ]
    text = "\n".join(pages)
    starts = [len(pages[0]) + 1, len(pages[0]) + len(pages[1]) + 2]
    dropped = find_furniture(text, starts)
    assert [(d.line, d.why) for d in dropped] == [
        ("FOOTER LINE 1", "running footer"),
        ("HEADER", "running header"),
        ("FOOTER LINE 2", "running footer"),
        ("HEADER", "running header"),
        ("FOOTER LINE 3", "running footer"),
    ]
    # a number inside a page is text ("12 journalists"), and stays
    assert "12 journalists" in repair(text, dropped).text


def test_a_line_repeated_on_fewer_than_half_of_the_pages_is_kept() -> None:
    pages = [
        "BACKGROUND\nText one.",
        "Text two.\nMore.",
        "BACKGROUND\nText three.",
        "A.\nB.",
        "C.\nD.",
    ]
    text = "\n".join(pages)
    starts, pos = [], 0
    for page in pages[:-1]:
        pos += len(page) + 1
        starts.append(pos)
    assert find_furniture(text, starts) == []


def test_without_page_breaks_a_bare_number_line_is_text() -> None:
    assert find_furniture("The police held\n12\nprotesters.") == []


LINES = st.sampled_from(
    [
        "Page 2 of 5",
        "  - 3 -\t",
        "7",
        "3/9",
        "AMNESTY INTERNATIONAL",
        "Index: AFR 20/1234/2021",
        "dem-",
        "onstrators were held.",
        "The police arrested",
        "  ",
        "",
        "x\u00ad",
        "BACKGROUND",
        "• Free them",
        "NAIROBI (Reuters) - Police",
        "ill-",
        "treatment",
        "Ünïcödé 𝒳 text",
        "\f",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(LINES, max_size=40), st.lists(st.integers(0, 400), max_size=6))
def test_repair_loses_only_listed_furniture_and_wrap_hyphens(
    lines: list[str], cuts: list[int]
) -> None:
    text = "\n".join(lines)
    dropped = find_furniture(text, cuts)
    result = repair(text, dropped)
    gone = set(result.removed_hyphens)
    for d in dropped:
        end = line_end(text, d.start)
        assert text[d.start : end].strip() == d.line
        gone.update(range(d.start, end))
    kept = "".join(ch for i, ch in enumerate(text) if i not in gone)
    assert nonspace(result.text) == nonspace(kept)
    assert result.dropped == tuple(dropped)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(LINES | st.text(st.characters(exclude_categories=["Cs"]), max_size=30), max_size=30)
)
def test_import_of_any_text_drops_only_what_its_metadata_lists(lines: list[str]) -> None:
    text = "\n".join(lines)
    source = clean_text(text)
    if source.startswith("\ufeff") or not source.strip() or split_releases(source) != [source]:
        return  # end markers split a file into releases: another rule, tested elsewhere
    try:
        (doc,) = releases_from_bytes(text.encode("utf-8"), Path("any.txt"), "any.txt")
    except AnnotatorError:
        return  # refused whole (binary), with a reason: nothing imported, nothing lost
    if doc.meta.extra.get("encoding") != "utf-8":
        return  # NULs made it look like BOM-less UTF-16: decoding's rule, tested elsewhere
    furniture = find_furniture(source, form_feed_pages(normalise_newlines(text)))
    result = repair(source, furniture)
    assert doc.text == result.text
    assert doc.meta.extra.get("dropped_lines", "") == describe_dropped(furniture)
    listed_hyphens = doc.meta.extra.get("dropped_hyphens", "")
    assert listed_hyphens == "\n".join(hyphen_words(source, result.removed_hyphens))
    gone = set(result.removed_hyphens)
    for d in furniture:
        gone.update(range(d.start, line_end(source, d.start)))
    kept = "".join(ch for i, ch in enumerate(source) if i not in gone)
    assert nonspace(doc.text) == nonspace(kept)


def test_dropped_wrap_hyphens_are_listed_with_their_word() -> None:
    text = (
        "Police beat the dem-\nonstrators and the pro\u00ad\ntesters; ill-\ntreatment is banned.\n"
    )
    (doc,) = releases_from_bytes(text.encode("utf-8"), Path("h.txt"), "h.txt")
    assert doc.text == "Police beat the demonstrators and the protesters; ill-treatment is banned."
    assert doc.meta.extra["dropped_hyphens"] == "dem-onstrators\npro\u00adtesters"


def test_a_pdftotext_file_loses_its_page_furniture_at_the_form_feeds() -> None:
    # pdftotext writes each page's lines, a blank line between paragraphs, and a
    # form feed before every new page (and at the end)
    pages = [
        "AMNESTY INTERNATIONAL PUBLIC STATEMENT\n\n"
        "Chad: Journalists held without charge\n\n"
        "N'DJAMENA -- The authorities must release seven journalists held without\n"
        "charge for more than a month, Amnesty International said today.\n\n"
        "The journalists were arrested at their homes before dawn and taken to the\n"
        "headquarters of the security agency, where their lawyers have not been\n\n"
        "1\n",
        "AMNESTY INTERNATIONAL PUBLIC STATEMENT\n\n"
        "allowed to see them.\n\n"
        "Their families say two of them need medical care.\n\n"
        "2\n",
        "AMNESTY INTERNATIONAL PUBLIC STATEMENT\n\n"
        "The authorities have not answered letters about the case.\n\n"
        "3\n",
    ]
    data = ("\f".join(pages) + "\f").encode("utf-8")
    (doc,) = releases_from_bytes(data, Path("statement.txt"), "statement.txt")
    assert doc.text.split("\n\n") == [
        "Chad: Journalists held without charge",
        "N'DJAMENA -- The authorities must release seven journalists held without "
        "charge for more than a month, Amnesty International said today.",
        "The journalists were arrested at their homes before dawn and taken to the "
        "headquarters of the security agency, where their lawyers have not been "
        "allowed to see them.",
        "Their families say two of them need medical care.",
        "The authorities have not answered letters about the case.",
    ]
    assert (doc.meta.headline, doc.meta.country, doc.meta.dateline) == (
        "Chad: Journalists held without charge",
        "Chad",
        "N'DJAMENA",
    )
    assert doc.meta.extra["dropped_lines"].split("\n") == [
        "running header: AMNESTY INTERNATIONAL PUBLIC STATEMENT",
        "page number: 1",
        "running header: AMNESTY INTERNATIONAL PUBLIC STATEMENT",
        "page number: 2",
        "running header: AMNESTY INTERNATIONAL PUBLIC STATEMENT",
        "page number: 3",
    ]
