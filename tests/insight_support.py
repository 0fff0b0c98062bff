"""A small hand-made corpus for the overview tests: four releases of other organisations.

Every count the tests expect can be read off this file: each annotation is
added by the phrase it covers (its offsets found in the text, in code points).
"""

from __future__ import annotations

from collections.abc import Mapping

from annotator.formats.tagset_xml import default_tagset
from annotator.model import (
    AddAnnotation,
    AddLink,
    AttrValue,
    Document,
    DocumentMeta,
    History,
    Project,
    ReviewStatus,
    SetReviewStatus,
    SetStatus,
    Status,
)

RELEASES = {
    "hrw-1998-09": (
        "Cambodia",
        "1998-09-10",
        "(Phnom Penh, September 10, 1998) – Security forces beat demonstrators near the "
        "National Assembly.\nHuman Rights Watch urges the government to release the "
        "demonstrators and to investigate the beatings. Security  Forces must be held to account.",
    ),
    "licadho-1998-11": (
        "Cambodia",
        "1998-11-02",
        "The police arrested two journalists on Monday. We call on the police to release the "
        "journalists at once.",
    ),
    "fld-1999-01": (
        "Kenya",
        "1999-01-15",
        "Police detained 𝐌𝐚𝐫𝐲 a journalist 😀 in Nairobi. Front Line Defenders calls on the "
        "Government to release her.",
    ),
    "undated": ("", "", "An armed group abducted children from the village."),
}


def tag(
    history: History,
    doc: Document,
    tag_name: str,
    phrase: str,
    attributes: Mapping[str, AttrValue] | None = None,
    nth: int = 0,
    layer: str = "dana",
) -> None:
    """Annotate the ``nth`` occurrence of ``phrase`` in ``doc``."""
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(phrase, start + 1)
    history.push(AddAnnotation(layer, doc.id, tag_name, [(start, start + len(phrase))], attributes))


def corpus() -> Project:
    """Four releases, layer ``dana``: 3 appeals, 4 victims, 8 authorities (15 annotations)."""
    project = Project(name="coalition releases", tagset=default_tagset())
    for doc_id, (country, date, text) in RELEASES.items():
        project.add_document(
            Document(id=doc_id, text=text, meta=DocumentMeta(country=country, date=date))
        )
    project.ensure_layer("dana")
    h = History(project)
    d = project.documents
    r1, r2, r3, r4 = d["hrw-1998-09"], d["licadho-1998-11"], d["fld-1999-01"], d["undated"]
    tag(h, r1, "authority", "Security forces", {"kind": "security-forces", "level": "national"})
    tag(h, r1, "victim", "demonstrators", {"group": ["demonstrator"], "harm": ["injured"]})
    tag(
        h,
        r1,
        "appeal",
        "urges the government to release the demonstrators and to investigate the beatings",
        {"action": ["release", "investigate"], "kind": "urging"},
    )
    tag(h, r1, "authority", "the government", {"kind": "government"})
    tag(h, r1, "authority", "Security  Forces", {"kind": "security-forces"})
    tag(h, r2, "authority", "The police", {"kind": "police", "level": "local"})
    tag(h, r2, "victim", "two journalists", {"group": ["journalist"], "harm": ["arrested"]})
    tag(
        h,
        r2,
        "appeal",
        "call on the police to release the journalists",
        {"action": ["release"], "kind": "direct-call"},
    )
    tag(h, r2, "authority", "the police", {"kind": "police"})
    tag(h, r3, "authority", "Police", {"kind": "police"})
    tag(h, r3, "victim", "𝐌𝐚𝐫𝐲 a journalist", {"group": ["journalist"], "harm": ["arrested"]})
    tag(
        h,
        r3,
        "appeal",
        "calls on the Government to release her",
        {"action": ["release"], "kind": "direct-call"},
    )
    tag(h, r3, "authority", "the Government", {"kind": "government"})
    tag(h, r4, "authority", "An armed group", {"kind": "armed-group"})
    tag(h, r4, "victim", "children", {"group": ["children"]})
    h.push(SetStatus(r1.id, "dana", Status.DONE))
    h.push(SetStatus(r2.id, "dana", Status.DONE))
    h.push(SetStatus(r3.id, "dana", Status.IN_PROGRESS))
    h.push(SetReviewStatus(r2.id, ReviewStatus.ADJUDICATED))
    return project


def linked_corpus() -> Project:
    """The corpus with each appeal linked to its addressee and the victims it is made for."""
    project = corpus()
    h = History(project)
    layer = project.layers["dana"]

    def link(doc_id: str, kind: str, source_text: str, target_text: str) -> None:
        da, text = layer.docs[doc_id], project.documents[doc_id].text
        by_text = {text[a.start : a.end]: a.id for a in da.annotations.values()}
        src = next(i for t, i in by_text.items() if t.startswith(source_text))
        h.push(AddLink("dana", doc_id, kind, src, by_text[target_text]))

    link("hrw-1998-09", "addressee", "urges", "the government")
    link("hrw-1998-09", "on_behalf_of", "urges", "demonstrators")
    link("licadho-1998-11", "addressee", "call on", "the police")
    link("licadho-1998-11", "on_behalf_of", "call on", "two journalists")
    link("fld-1999-01", "addressee", "calls on", "the Government")
    link("fld-1999-01", "on_behalf_of", "calls on", "𝐌𝐚𝐫𝐲 a journalist")
    project.documents["fld-1999-01"].meta.headline = '=HYPERLINK("http://x") <b>Kenya</b>'
    return project
