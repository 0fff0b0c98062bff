"""The HTML overview and the HTML report, opened in a real headless Chromium.

Colleagues without the app read these two pages in their own browser. Here both
are written by the real commands (``annotator overview --html`` and ``annotator
export -f html``) from the sample project and from a hostile one (markup,
quotes, right-to-left text and characters beyond the BMP in every name a page
shows), and loaded as a reader would: the browser must log no error, run
nothing that came from data, show every hostile string as text, and lay the
page out without clipping a chart's labels or scrolling sideways.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.formats.project_xml import save_project
from annotator.formats.tagset_xml import default_tagset
from annotator.interchange.common import ExportOptions, prepare
from annotator.interchange.html_report import close_directions, text_on, to_html
from annotator.model import (
    AddAnnotation,
    AddLink,
    Document,
    DocumentMeta,
    History,
    Project,
    TagSet,
)
from tests.browser_support import Browser, browser  # noqa: F401  (the fixture)
from tests.hostile_support import SAMPLE

#: Each would set ``window.pwned`` if the page ran it.
SCRIPT = "<script>window.pwned=1</script>"
IMG = '<img src=x onerror="window.pwned=2">'
SVG = "<svg onload=window.pwned=3>"
QUOTES = "\"' onmouseover='window.pwned=4' x=\""
ARABIC = "المدافعون عن حقوق الإنسان"  # human rights defenders
HEBREW = "משטרה"  # police
OVERRIDE = "\u202eesilop terces"  # a right-to-left override in front of the words
WIDE = "𝐌𝐚𝐫𝐲 😀 𠀀"
#: labels too long for a chart's label column: capitals and CJK are the widest glyphs
CAPITALS = "COMMUTE ALL DEATH SENTENCES AND ABOLISH THE DEATH PENALTY"
CJK = "釋放所有因和平表達意見而被拘留的人士和記者"

TEXT = (
    "KENYA: Police detain 𝐌𝐚𝐫𝐲 a journalist 😀 𠀀 after a protest in Nairobi\n\n"
    f"Police detained {WIDE} and {ARABIC} on Friday. The crowd chanted {SCRIPT} "
    f"and {IMG}, the police said.\n\n"
    f"Front Line Defenders calls on the {HEBREW} to release them and on the "
    "MINISTRY OF INTERIOR AND NATIONAL COORDINATION to stop the arrests.\n"
)


def _phrase(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def hostile_project() -> Project:
    """Every string a page shows (names, labels, values, metadata, text) is hostile."""
    base = default_tagset()
    tags = []
    for t in base.tags:
        if t.name == "victim":
            attrs = tuple(
                dataclasses.replace(
                    a,
                    label=f"{a.label} {QUOTES}",
                    value_labels=(ARABIC, CJK, OVERRIDE, WIDE, *a.value_labels[4:]),
                )
                if a.name == "group"
                else a
                for a in t.attributes
            )
            t = dataclasses.replace(t, label=f"{IMG}Victim", attributes=attrs)
        elif t.name == "appeal":
            attrs = tuple(
                dataclasses.replace(a, value_labels=(CAPITALS, *a.value_labels[1:]))
                if a.name == "action"
                else a
                for a in t.attributes
            )
            t = dataclasses.replace(t, color='red" onload="window.pwned=5', attributes=attrs)
        elif t.name == "authority":
            t = dataclasses.replace(t, label=f"Autorité «{HEBREW}» {SVG}", definition=SCRIPT)
        tags.append(t)
    project = Project(
        f"Coalition {SCRIPT} & {QUOTES} {ARABIC}", TagSet(base.name, tuple(tags), base.links)
    )
    project.add_document(
        Document(
            "fld-2024-03",
            TEXT,
            DocumentMeta(
                headline=f"</title>{SCRIPT} {ARABIC} {WIDE}",
                country=f"{SVG}{OVERRIDE}",
                dateline="نيروبي",
                date="2024-03-01",
            ),
        )
    )
    project.ensure_layer("dana")
    h = History(project)
    victim_group = next(a for a in base.tag("victim").attributes if a.name == "group").values
    appeal_action = next(a for a in base.tag("appeal").attributes if a.name == "action").values
    add = [
        ("victim", WIDE, {"group": list(victim_group[:5])}),
        ("victim", ARABIC, {"group": [victim_group[0]]}),
        ("authority", HEBREW, {}),
        ("authority", "MINISTRY OF INTERIOR AND NATIONAL COORDINATION", {}),
        ("authority", "Police", {}),
    ]
    ids = []
    for tag, phrase, attrs in add:
        cmd = AddAnnotation("dana", "fld-2024-03", tag, [_phrase(TEXT, phrase)], attrs, note=SCRIPT)
        h.push(cmd)
        assert cmd.ann_id is not None
        ids.append(cmd.ann_id)
    appeal = AddAnnotation(
        "dana",
        "fld-2024-03",
        "appeal",
        [_phrase(TEXT, f"calls on the {HEBREW} to release them")],
        {"action": [appeal_action[0]], "kind": "direct-call"},
        note=QUOTES,
    )
    h.push(appeal)
    assert appeal.ann_id is not None
    h.push(AddLink("dana", "fld-2024-03", "addressee", appeal.ann_id, ids[2]))
    h.push(AddLink("dana", "fld-2024-03", "on_behalf_of", appeal.ann_id, ids[0]))
    return project


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The overview and the report of the sample and of the hostile project, written
    by the commands a colleague runs."""
    out = tmp_path_factory.mktemp("pages")
    hostile = out / "hostile.xml"
    save_project(hostile_project(), hostile, create=True, backup=False)
    written = {}
    for name, project in (("sample", SAMPLE), ("hostile", hostile)):
        for kind, argv in (
            ("overview", ["overview", str(project), "--html", "-o"]),
            ("report", ["export", str(project), "-f", "html", "--layer", "dana", "-o"]),
        ):
            target = out / f"{name}-{kind}.html"
            assert main(["--annotator", "dana", *argv, str(target)]) == 0
            written[f"{name}-{kind}"] = target
    return written


PAGES = ["sample-overview", "sample-report", "hostile-overview", "hostile-report"]

#: Anything in the page that could run: scripts, elements that load or fire
#: (img, svg onload...), and attributes that are event handlers.
RUNNABLE = """
const handlers = [...document.querySelectorAll('*')].filter(
    e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on')));
return {
    pwned: window.pwned === undefined ? null : String(window.pwned),
    scripts: document.scripts.length,
    loaders: document.querySelectorAll('img, iframe, object, embed, link, base').length,
    handlers: handlers.map(e => e.tagName),
};
"""


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES)
def test_page_opens_without_a_console_error_and_runs_nothing(
    browser: Browser,  # noqa: F811
    pages: dict[str, Path],
    page: str,
) -> None:
    loaded = browser.open(pages[page])
    assert loaded.errors() == []
    assert browser.run(RUNNABLE) == {"pwned": None, "scripts": 0, "loaders": 0, "handlers": []}
    assert browser.run("return document.title")


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["overview", "report"])
def test_hostile_names_are_shown_as_text(
    browser: Browser,  # noqa: F811
    pages: dict[str, Path],
    kind: str,
) -> None:
    text = browser.open(pages[f"hostile-{kind}"]).text
    # the project's name: markup, quotes, Arabic, beyond the BMP, all as written
    assert f"Coalition {SCRIPT} & {QUOTES} {ARABIC}" in text
    assert IMG + "Victim" in text  # a tag's label
    assert ARABIC in text and WIDE in text and HEBREW in text
    title = browser.run("return document.title")
    assert SCRIPT in title and ARABIC in title


@pytest.mark.browser
def test_report_shows_hostile_release_text_and_metadata_as_text(
    browser: Browser,  # noqa: F811
    pages: dict[str, Path],
) -> None:
    text = browser.open(pages["hostile-report"]).text
    assert f"The crowd chanted {SCRIPT} and {IMG}, the police said." in text
    assert f"</title>{SCRIPT} {ARABIC} {WIDE}" in text  # the headline
    assert SVG in text  # the country
    # notes are in the hover titles, intact
    titles = browser.run("return [...document.querySelectorAll('[title]')].map(e => e.title)")
    assert any(SCRIPT in t for t in titles) and any(QUOTES in t for t in titles)


#: Every label of every chart, measured by the browser against its chart's box.
CLIPPED_LABELS = """
const out = [];
for (const svg of document.querySelectorAll('svg')) {
    const box = svg.viewBox.baseVal;
    for (const t of svg.querySelectorAll('text')) {
        const b = t.getBBox();
        if (b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5)
            out.push([t.textContent, Math.round(b.x), Math.round(b.x + b.width), box.width]);
    }
}
return out;
"""


@pytest.mark.browser
@pytest.mark.parametrize("page", ["sample-overview", "hostile-overview"])
def test_chart_labels_fit_their_chart(
    browser: Browser,  # noqa: F811
    pages: dict[str, Path],
    page: str,
) -> None:
    browser.open(pages[page])
    assert browser.run(CLIPPED_LABELS) == []


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES)
def test_page_fits_a_laptop_screen_without_scrolling_sideways(
    browser: Browser,  # noqa: F811
    pages: dict[str, Path],
    page: str,
) -> None:
    browser.open(pages[page])
    assert browser.run("return document.documentElement.scrollWidth <= window.innerWidth")


#: Whether the first character of the first ``arguments[0]`` in the page is drawn
#: left of its last one (null when the page lacks it).
LEFT_TO_RIGHT = """
const needle = arguments[0];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const i = n.data.indexOf(needle);
    if (i < 0) continue;
    const r = document.createRange();
    r.setStart(n, i);
    r.setEnd(n, i + 1);
    const first = r.getBoundingClientRect().left;
    r.setStart(n, i + needle.length - 1);
    r.setEnd(n, i + needle.length);
    return first < r.getBoundingClientRect().left;
}
return null;
"""


@pytest.mark.browser
def test_a_right_to_left_override_in_a_name_does_not_turn_the_next_one_around(
    browser: Browser,  # noqa: F811
    pages: dict[str, Path],
) -> None:
    browser.open(pages["hostile-report"])
    # the release's line: id · country (ends in an override) · dateline · date
    assert browser.run(LEFT_TO_RIGHT, "2024-03-01") is True
    # the victim's groups: the override's label, then "Journalist"
    assert browser.run(LEFT_TO_RIGHT, "Journalist") is True


# --- the pieces, without a browser ----------------------------------------------


def test_direction_controls_a_name_leaves_open_are_closed_at_its_end() -> None:
    assert close_directions("plain") == "plain"
    assert close_directions(OVERRIDE) == OVERRIDE + "\u202c"
    assert close_directions("\u2067x\u202ey") == "\u2067x\u202ey\u202c\u2069"
    # closed ones stay as they were; a stray closer is left alone
    assert (
        close_directions("\u202ex\u202c \u2068y\u2069\u202c") == "\u202ex\u202c \u2068y\u2069\u202c"
    )
    assert close_directions("\u2068x\u202ey\u2069") == "\u2068x\u202ey\u2069"


@pytest.mark.parametrize(
    ("color", "text"),
    [
        ("#E69F00", "#000"),
        ("#56B4E9", "#000"),
        ("#009E73", "#000"),
        ("#1F3A93", "#fff"),
        ("#000000", "#fff"),
        ("#FFFFFF", "#000"),
    ],
)
def test_tag_labels_are_black_or_white_whichever_reads_better(color: str, text: str) -> None:
    assert text_on(color) == text
    project = Project("p", default_tagset())
    victim = project.tagset.tag("victim")
    tags = tuple(
        dataclasses.replace(t, color=color) if t is victim else t for t in project.tagset.tags
    )
    project.tagset = TagSet(project.tagset.name, tags, project.tagset.links)
    project.ensure_layer("dana")
    page = to_html(prepare(project, ExportOptions(layer="dana")))
    assert f".t1>.lbl{{color:{text}}}" in page
