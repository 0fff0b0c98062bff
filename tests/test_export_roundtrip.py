"""Ours -> format -> ours gives identical annotations, for every readable format."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from annotator.formats.tagset_xml import default_tagset
from annotator.interchange import inline_xml
from annotator.interchange.brat import join_line_breaks, line_pieces
from annotator.interchange.common import ExportOptions, prepare
from annotator.interchange.registry import EXPORTERS, find_importer
from annotator.model import Fragment, Project
from tests.export_support import read_into
from tests.strategies import (
    TRICKY_TAGSET,
    link_details,
    plain_texts,
    projects,
    provenance,
    signature,
)

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _roundtrip(project: Project, fmt: str, out: Path) -> Project:
    EXPORTERS[fmt].write(project, out, ExportOptions(layer="alice"))
    importer = find_importer(out)
    assert importer is not None, f"{fmt} output not recognised"
    back = Project(name="back", tagset=project.tagset)
    notes = read_into(back, out, "alice")
    assert notes == []
    return back


def _same_docs(a: Project, b: Project) -> None:
    assert list(b.documents) == list(a.documents)
    for doc in a.documents.values():
        assert b.documents[doc.id].text == doc.text


def _same_provenance(a: Project, b: Project) -> None:
    """Who made and changed each annotation, and when, and each annotator's progress on
    each release, came back."""
    assert provenance(b, "alice") == provenance(a, "alice")
    assert link_details(b, "alice") == link_details(a, "alice")


@SETTINGS
@given(project=projects())
def test_inline_xml_roundtrip_is_exact(project: Project, tmp_path_factory) -> None:
    out = tmp_path_factory.mktemp("inline") / "out.xml"
    back = _roundtrip(project, "inline-xml", out)
    _same_docs(project, back)
    for doc in project.documents.values():
        assert back.documents[doc.id].meta == doc.meta
    assert signature(back, "alice") == signature(project, "alice")
    _same_provenance(project, back)
    # every export validates against the shipped schema
    inline_xml.schema().assertValid(etree.parse(str(out)))


@SETTINGS
@given(project=projects())
def test_inline_xml_without_markup_is_the_text(project: Project, tmp_path_factory) -> None:
    """Lossless: the body's text nodes are the document's text (bar the <c> escape)."""
    data = inline_xml.to_bytes(prepare(project, ExportOptions(layer="alice")))
    root = etree.fromstring(data)
    for release in root.iterfind("release"):
        body = release.find("body")
        text = project.documents[release.get("id")].text
        assert body is not None
        if body.find(".//c") is None:
            assert "".join(body.itertext()) == text


@SETTINGS
@given(project=projects())
def test_json_roundtrip(project: Project, tmp_path_factory) -> None:
    out = tmp_path_factory.mktemp("json") / "out.json"
    back = _roundtrip(project, "json", out)
    _same_docs(project, back)
    assert signature(back, "alice") == signature(project, "alice")
    _same_provenance(project, back)


brat_projects = projects(
    text_strategy=plain_texts,
    tagsets=st.sampled_from([default_tagset(), TRICKY_TAGSET]),
).filter(
    lambda p: (
        all(
            "\n" not in a.note and "\t" not in a.note and "\r" not in a.note
            for _, _, a in p.iter_annotations()
        )
        and all(
            not any(c in lk.note for c in "\n\t\r")
            for layer in p.layers.values()
            for da in layer.docs.values()
            for lk in da.links.values()
        )
    )
)


def as_brat_holds_it(project: Project) -> Project:
    """The project as brat can hold it: a fragment loses the line breaks at its edges
    and pieces that only line breaks separate are one (brat's own editor never makes
    either); an annotation of nothing but line breaks has no brat form at all."""
    for layer in project.layers.values():
        for doc_id, da in layer.docs.items():
            text = project.documents[doc_id].text
            for ann in list(da.annotations.values()):
                pieces = line_pieces(text, ann.fragments)
                if not pieces:
                    del da.annotations[ann.id]
                    continue
                ann.fragments = join_line_breaks(text, [Fragment(s, e) for s, e in pieces])
            for lk in list(da.links.values()):
                if lk.source not in da.annotations or lk.target not in da.annotations:
                    del da.links[lk.id]
    return project


@SETTINGS
@given(project=brat_projects.map(as_brat_holds_it))
def test_brat_roundtrip(project: Project, tmp_path_factory) -> None:
    out = tmp_path_factory.mktemp("brat") / "folder"
    back = _roundtrip(project, "brat", out)
    _same_docs(project, back)
    assert signature(back, "alice") == signature(project, "alice")
    # a link's note travels (as a note on its relation); brat has no link attributes
    notes = {d: [(i, n) for i, n, _ in lks] for d, lks in link_details(project, "alice").items()}
    assert {
        d: [(i, n) for i, n, _ in lks] for d, lks in link_details(back, "alice").items()
    } == notes
    assert (out / "annotation.conf").read_text(encoding="utf-8").startswith("[entities]")


mae_projects = projects(
    text_strategy=plain_texts, tagsets=st.sampled_from([default_tagset(), TRICKY_TAGSET])
)


@SETTINGS
@given(project=mae_projects)
def test_mae_roundtrip(project: Project, tmp_path_factory) -> None:
    out = tmp_path_factory.mktemp("mae") / "folder"
    EXPORTERS["mae"].write(project, out, ExportOptions(layer="alice"))
    back = Project(name="back", tagset=project.tagset)
    importer = find_importer(out)  # the folder, as written
    assert importer is not None and importer.name == "mae"
    assert read_into(back, out, "alice") == []
    _same_docs(project, back)
    assert signature(back, "alice") == signature(project, "alice")
    assert link_details(back, "alice") == link_details(project, "alice")


@SETTINGS
@given(project=projects())
def test_tei_validates_and_keeps_text(project: Project) -> None:
    from annotator.interchange import tei

    data = tei.to_bytes(prepare(project, ExportOptions(layer="alice")))
    root = etree.fromstring(data)
    tei.schema().assertValid(root)
    ns = {"t": tei.TEI_NS}
    for doc, div in zip(project.documents.values(), root.iterfind(".//t:div", ns), strict=True):
        if div.find(".//t:g", ns) is None:
            assert "".join(div.itertext()) == doc.text
    ids = root.xpath("//@xml:id")
    assert len(ids) == len(set(ids))


@SETTINGS
@given(project=projects())
def test_tei_roundtrip(project: Project, tmp_path_factory) -> None:
    out = tmp_path_factory.mktemp("tei") / "out.xml"
    back = _roundtrip(project, "tei", out)
    _same_docs(project, back)
    for doc in project.documents.values():
        assert back.documents[doc.id].meta == doc.meta
    assert signature(back, "alice") == signature(project, "alice")
    _same_provenance(project, back)
