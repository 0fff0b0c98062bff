"""Saved web pages come in as their article; old pages come in whole.

The campaign page in ``tests/data/web`` is shaped like a release page saved
from an NGO's website (skip link, cookie banner, site header and menu,
breadcrumb, article with ``og:`` and ``article:`` meta tags, a hero photo,
share buttons, topic tags, related news, newsletter form, footer). The old
page is a 1990s release: one table cell, ``<font>`` and ``<p>`` never closed.
"""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest
from test_cli import run

from annotator.formats.project_xml import load_project
from annotator.releases import read_releases, webpage
from annotator.releases.markup import parse_html
from annotator.releases.webpage import page_date, page_headline, read_web_page

WEB = Path(__file__).parent / "data" / "web"
CAMPAIGN = WEB / "campaign-article.html"
OLD = WEB / "old-press-release.html"

ARTICLE = [
    "Egypt: Free detained human rights lawyers now",
    "14 March 2024, 09:30 UTC",
    "Lawyers gather outside the Supreme State Security Prosecution in Cairo, 2023. © Private",
    "The Egyptian authorities must immediately and unconditionally release four human rights "
    "lawyers arrested in Cairo last week solely for their legitimate work defending detained "
    "protesters, Rights Watchers International said today.",
    "Security forces arrested the four lawyers at their homes between 5 and 7 March 2024.",
    "“These arrests are a blatant attempt to punish lawyers",
    "Pattern of reprisals",
    "Since 2019, the authorities have arrested at least 30 lawyers",
    "The organisation is calling on the Public Prosecutor",
    "Background",
    "Egypt’s Supreme State Security Prosecution routinely orders",
]
FURNITURE = [
    "Skip to main content",
    "We use cookies",
    "What we do",
    "Donate",
    "Home",
    "Share on Facebook",
    "Topics:",
    "Related news",
    "Activist sentenced",
    "Stay informed",
    "Contact us",
    "Registered charity",
    "All rights reserved",
]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the import tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.usefixtures("no_network")
def test_campaign_page_comes_in_as_its_article() -> None:
    (doc,) = read_releases(CAMPAIGN)
    paragraphs = doc.text.split("\n\n")
    assert len(paragraphs) == len(ARTICLE)
    for paragraph, start in zip(paragraphs, ARTICLE, strict=True):
        assert paragraph.startswith(start)
    assert paragraphs[-1].endswith("for months or years without trial.")
    for furniture in [*FURNITURE, "Accept all cookies"]:
        assert furniture not in doc.text
    assert doc.meta.headline == "Egypt: Free detained human rights lawyers now"
    assert doc.meta.date == "2024-03-14"
    assert doc.meta.extra["date_as_written"] == "2024-03-14T09:30:00+00:00"
    assert doc.meta.extra["extractor"].startswith("trafilatura ")
    assert doc.meta.extra["extractor_reason"] == "the page shows navigation, banners or a footer"
    assert doc.meta.extra["furniture_dropped"].startswith("31 paragraphs of navigation")


def test_whole_page_keeps_the_furniture_and_still_reads_the_meta_tags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = shutil.copy(CAMPAIGN, tmp_path / "saved.html")
    out = tmp_path / "p.xml"
    code, stdout, _ = run(capsys, "import", "--whole-page", str(page), "-o", str(out))
    assert code == 0
    assert "imported saved-1  Egypt: Free detained human rights lawyers now" in stdout
    (doc,) = load_project(out)[0].documents.values()
    for text in ARTICLE + FURNITURE:
        assert text in doc.text
    assert doc.text.startswith("Skip to main content\n\nWe use cookies")
    assert doc.meta.headline == "Egypt: Free detained human rights lawyers now"
    assert doc.meta.date == "2024-03-14"
    assert doc.meta.extra["extractor"] == "whole page"
    assert doc.meta.extra["extractor_reason"] == "the whole page was asked for"


def test_old_press_release_page_comes_in_whole() -> None:
    (doc,) = read_releases(OLD)
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "AI INDEX: AFR 44/12/98"
    assert paragraphs[1] == "NIGERIA: RELEASE THE OGONI DETAINEES"
    assert paragraphs[-1].startswith("For more information please call")
    assert len(paragraphs) == 10
    assert doc.meta.headline == "NIGERIA: RELEASE THE OGONI DETAINEES"
    assert doc.meta.date == ""
    assert doc.meta.extra["extractor"] == "whole page"
    assert doc.meta.extra["extractor_reason"] == "the page shows no navigation, banners or footer"


def table_site(editor_note: str) -> bytes:
    """A 2000s table-layout site: a menu column, the release in the main cell."""
    release = "".join(
        f"<p>Paragraph {n}: the authorities detained more protesters in the capital this "
        f"week, witnesses said, and the organisation repeated its call for their release.</p>"
        for n in range(1, 6)
    )
    return (
        "<html><head><title>News</title></head><body><table><tr>"
        '<td class="menu"><a href="/">Home</a><br><a href="/news">News</a><br>'
        '<a href="/act">Take action</a></td>'
        f"<td><h1>Belarus: Free the protesters</h1>{release}</td></tr>"
        f"<tr><td></td><td><div>{editor_note}</div></td></tr></table>"
        '<div id="footer">Copyright 2005 Example Watch</div></body></html>'
    ).encode()


@pytest.mark.parametrize(
    "note",
    [
        "",
        "Editor's note: an earlier version of this release gave the wrong number of detainees; "
        "the organisation has since confirmed with relatives and lawyers that forty-two people "
        "remain in custody in three different detention centres.",
    ],
)
def test_extraction_never_drops_more_than_the_furniture(note: str) -> None:
    root, _, _ = parse_html(table_site(note))
    page = read_web_page(root)
    for n in range(1, 6):
        assert f"Paragraph {n}: the authorities" in page.text
    assert note in page.text
    assert page.headline == "Belarus: Free the protesters"
    if page.extra["extractor"] != "whole page":
        assert "Take action" not in page.text
        assert "Copyright" not in page.text


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            '<meta property="article:published_time" content="2023-11-02T18:00:00-05:00">',
            ("2023-11-02", "2023-11-02T18:00:00-05:00"),
        ),
        ('<meta name="DC.date.issued" content="2021-03-03">', ("2021-03-03", "2021-03-03")),
        (
            '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", '
            '"datePublished": "2022-07-09T08:00:00Z"}]}</script>',
            ("2022-07-09", "2022-07-09T08:00:00Z"),
        ),
        ('<meta property="article:published_time" content="2024-13-45">', ("", "")),
        ('<meta name="date" content="March 14, 2024">', ("", "")),
        ("", ("", "")),
    ],
)
def test_publication_date_only_from_machine_readable_evidence(
    head: str, expected: tuple[str, str]
) -> None:
    root, _, _ = parse_html(
        f"<html><head>{head}</head><body><p>Published last week.</p></body></html>".encode()
    )
    assert page_date(root) == expected


def test_time_element_in_the_article_gives_the_date() -> None:
    root, _, _ = parse_html(
        b'<html><body><article><h1>Chad: x</h1><time datetime="2020-05-01">1 May</time>'
        b"</article></body></html>"
    )
    assert page_date(root) == ("2020-05-01", "2020-05-01")


def test_headline_is_the_article_h1_else_og_title() -> None:
    root, _, _ = parse_html(
        b'<html><head><meta property="og:title" content="Peru: End the curfew"></head>'
        b"<body><h1>Site name</h1><article><h1>Peru:  end the\n curfew now</h1></article>"
        b"</body></html>"
    )
    assert page_headline(root) == ("Peru: end the curfew now", True)
    root, _, _ = parse_html(
        b'<html><head><meta property="og:title" content="Peru: End the curfew"></head>'
        b"<body><p>Text</p></body></html>"
    )
    assert page_headline(root) == ("Peru: End the curfew", False)


def test_an_extraction_that_leaves_out_prose_is_not_trusted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An extractor that keeps one cell of a release split over two: the page comes in whole."""
    note = (
        "Editor's note: an earlier version of this release gave the wrong number of detainees; "
        "the organisation has since confirmed with relatives and lawyers that forty-two people "
        "remain in custody in three different detention centres."
    )
    root, _, _ = parse_html(table_site(note))
    only_first = "".join(
        f"Paragraph{n}:theauthoritiesdetainedmoreprotestersinthecapitalthisweek,witnessessaid,"
        "andtheorganisationrepeateditscallfortheirrelease."
        for n in (1, 2)
    )
    monkeypatch.setattr(webpage, "_extracted_text", lambda root: (only_first, "extractor 1", ""))
    page = read_web_page(root)
    assert page.extra == {
        "extractor": "whole page",
        "extractor_reason": "extractor 1 left out prose outside the article "
        "(Editor's note: an earlier version of this release …)",
    }
    assert page.text.startswith("Home\nNews\nTake action\n\nBelarus: Free the protesters")
    assert note in page.text


def test_a_page_too_large_for_the_extractor_comes_in_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webpage, "MAX_EXTRACTOR_ELEMENTS", 10)
    root, _, _ = parse_html(CAMPAIGN.read_bytes())
    page = read_web_page(root)
    assert page.extra["extractor"] == "whole page"
    assert page.extra["extractor_reason"].startswith("the page has ")
    assert page.extra["extractor_reason"].endswith(
        " elements besides its furniture, more than the 10 the extractor is given"
    )
    assert "Share on Facebook" in page.text
    assert page.headline == "Egypt: Free detained human rights lawyers now"


@pytest.mark.parametrize(
    "wrapper",
    [
        '<form method="post" action="./release.aspx" id="aspnetForm">',
        '<div id="page" class="layout has-sidebar nav-open">',
    ],
)
def test_a_wrapper_around_the_whole_page_is_not_furniture(wrapper: str) -> None:
    """ASP.NET sites wrap the whole page in a form; themes name wrappers after their menus."""
    end = "</form>" if wrapper.startswith("<form") else "</div>"
    release = "".join(
        f"<p>Paragraph {n}: the court sentenced the journalist to three years in prison for "
        f"reporting on the protests, the organisation said.</p>"
        for n in range(1, 5)
    )
    page = (
        f"<html><body>{wrapper}"
        '<ul class="menu"><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul>'
        f"<h1>Azerbaijan: Journalist jailed</h1>{release}"
        '<div class="related"><a href="/x">Older news about the region</a></div>'
        f"{end}</body></html>"
    )
    root, _, _ = parse_html(page.encode())
    text = read_web_page(root).text
    assert text.split("\n\n")[:5] == [
        "Azerbaijan: Journalist jailed",
        *(
            f"Paragraph {n}: the court sentenced the journalist to three years in prison for "
            "reporting on the protests, the organisation said."
            for n in range(1, 5)
        ),
    ]
    assert "Older news" not in text


def test_a_page_saved_in_another_charset_than_it_declares_loses_no_character(
    tmp_path: Path,
) -> None:
    """Old press-release pages often declare utf-8 and were saved by a Windows editor in
    cp1252: the bytes decide, so the curly quotes and the dash arrive, never U+FFFD."""
    body = "“Release them now,” the organisation said – again.".encode("cp1252")
    page = (
        b'<html><head><meta charset="utf-8"><title>Release</title></head><body>'
        b"<p>" + body + b"</p></body></html>"
    )
    path = tmp_path / "old-page.html"
    path.write_bytes(page)
    (doc,) = read_releases(path)
    assert doc.text == "“Release them now,” the organisation said – again."
    assert "\ufffd" not in doc.text
