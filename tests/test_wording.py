"""Counts read as English in messages and in the HTML report (no Qt here)."""

from __future__ import annotations

import lxml.html

from annotator.interchange.common import ExportOptions, prepare
from annotator.interchange.html_report import to_html
from annotator.model import Link
from annotator.wording import count
from tests.export_support import sample_project


def test_count_says_one_and_many() -> None:
    assert count(1, "appeal") == "1 appeal"
    assert count(0, "appeal") == "0 appeals"
    assert count(2, "match") == "2 matches"
    assert count(1, "match") == "1 match"
    assert count(3, "authority") == "3 authorities"
    assert count(2, "day") == "2 days"
    assert count(2, "new document") == "2 new documents"


def _summary(page: str) -> str:
    doc = lxml.html.document_fromstring(page)
    return doc.text_content()


def test_html_report_counts_one_appeal_in_the_singular() -> None:
    p = sample_project()
    appeals = [
        (doc, a.id)
        for doc, da in p.layers["alice"].docs.items()
        for a in da.annotations.values()
        if a.tag == "appeal"
    ]
    for doc, ann_id in appeals[1:]:  # keep exactly one appeal in the project
        da = p.layers["alice"].docs[doc]
        del da.annotations[ann_id]
        for lid in [k for k, lk in da.links.items() if ann_id in (lk.source, lk.target)]:
            del da.links[lid]
    text = _summary(to_html(prepare(p, ExportOptions())))
    assert "1 appeal." in text
    assert "1 appeals" not in text


def test_html_report_names_addressee_kinds_by_label_never_question_mark() -> None:
    p = sample_project()
    da = p.layers["alice"].docs["doc0001"]
    assert "kind" not in da.annotations["a8"].attributes  # an authority nobody classified
    da.links["r9"] = Link("r9", "addressee", "a1", "a8")
    page = to_html(prepare(p, ExportOptions()))
    doc = lxml.html.document_fromstring(page)
    kinds = {
        row.xpath("td[1]")[0].text_content(): row.xpath("td[2]")[0].text_content()
        for table in doc.xpath("//table[tr/th[.='Addressee kind']]")
        for row in table.xpath("tr[td]")
    }
    assert kinds.get("Head of state or government") == "1"
    assert kinds.get("Kind not recorded") == "1"
    assert "?" not in kinds
    assert "head-of-state" not in kinds
