"""Inline XML on real text, TEI, JSON shape, xmllint validation, selection rules."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from annotator.errors import ExportError, UnknownTag
from annotator.formats.tagset_xml import default_tagset
from annotator.interchange import inline_xml, tei
from annotator.interchange.common import ExportOptions, prepare
from annotator.interchange.registry import EXPORTERS, find_importer
from annotator.model import (
    CURATED_LAYER,
    Annotation,
    Document,
    DocumentAnnotations,
    Fragment,
    Layer,
    LayerKind,
    Project,
    Status,
    normalise_fragments,
)
from tests.export_support import read_into, sample_project
from tests.strategies import signature

ROOT = Path(__file__).resolve().parent.parent
#: The seed releases, as found (shipped with the tests so they run the same everywhere).
SEED = ROOT / "tests" / "data" / "000_3a922b85f584e461.txt"
SAMPLE = ROOT / "projects" / "sample.xml"


def seed_project() -> Project:
    """The real seed releases (imported as found and with layout kept), annotated on the
    phrases the campaign tag set is about plus long spans crossing paragraphs."""
    from annotator.releases import read_releases

    p = Project("seed", default_tagset())
    for keep in (False, True):
        for d in read_releases(SEED, keep_layout=keep):
            d.id = f"{d.id}-{'layout' if keep else 'flat'}"
            p.add_document(d)
    layer = p.layers["alice"] = Layer("alice")
    n = 0
    for doc in p.documents.values():
        n = _annotate(layer.doc(doc.id), doc.text, n)
    return p


def _annotate(da: DocumentAnnotations, text: str, n: int) -> int:
    patterns = {
        "victim": r"political prisoners|students|Buddhist monks|Trade unionists|prisoners",
        "authority": r"President Kim|[Ss]ecurity forces|police|government",
        "appeal": r"(?:call(?:s|ed)? on|urge[sd]?)\b[^.;]{8,}",
    }
    for tag, rx in patterns.items():
        for m in re.finditer(rx, text):
            n += 1
            da.annotations[f"a{n}"] = Annotation(
                f"a{n}", tag, normalise_fragments([Fragment(m.start(), m.end())])
            )
    # a few long spans crossing paragraphs and other annotations
    for k, start in enumerate(range(0, len(text) - 400, len(text) // 5)):
        n += 1
        da.annotations[f"a{n}"] = Annotation(
            f"a{n}",
            "appeal",
            normalise_fragments(
                [Fragment(start + 7, start + 350), Fragment(start + 360, start + 380 + k)]
            ),
        )
    return n


def _projects_to_check() -> list[Project]:
    out = [seed_project(), sample_project()]
    if SAMPLE.exists():
        from annotator.formats.project_xml import load_project

        out.append(load_project(SAMPLE)[0])
    return out


@pytest.mark.parametrize("project", _projects_to_check(), ids=lambda p: p.name)
def test_inline_xml_is_lossless_on_real_text(project: Project, tmp_path: Path) -> None:
    for layer in project.layers:
        out = tmp_path / "inline.xml"
        EXPORTERS["inline-xml"].write(project, out, ExportOptions(layer=layer))
        root = etree.parse(str(out)).getroot()
        inline_xml.schema().assertValid(root)
        for release in root.iterfind("release"):
            body = release.find("body")
            assert body is not None
            assert "".join(body.itertext()) == project.documents[release.get("id", "")].text
        back = Project("back", project.tagset)
        assert read_into(back, out, layer) == []
        assert signature(back, layer) == signature(project, layer)


def test_overlap_rule_on_crossing_annotations() -> None:
    p = Project("x", default_tagset())
    p.add_document(Document("d", "one two three four"))
    da = p.layers.setdefault("alice", Layer("alice")).doc("d")
    da.annotations["a1"] = Annotation("a1", "victim", (Fragment(0, 7),), {"harm": ("killed",)})
    da.annotations["a2"] = Annotation("a2", "authority", (Fragment(4, 13),))
    da.annotations["a3"] = Annotation("a3", "victim", (Fragment(0, 3), Fragment(14, 18)))
    data = inline_xml.to_bytes(prepare(p, ExportOptions(layer="alice"))).decode()
    body = data[data.index("<body") : data.index("</body>")]
    assert body == (
        '<body xml:space="preserve"><p><victim id="a1" harm="killed">'
        '<victim id="a3" part="1/2">one</victim> <authority id="a2" part="1/2">two</authority>'
        '</victim><authority id="a2" part="2/2"> three</authority> '
        '<victim id="a3" part="2/2">four</victim></p>'
    )


def test_tei_is_well_formed_and_keeps_text() -> None:
    project = sample_project()
    data = tei.to_bytes(prepare(project, ExportOptions(layer="alice")))
    root = etree.fromstring(data)
    ns = {"t": tei.TEI_NS}
    assert root.tag == f"{{{tei.TEI_NS}}}teiCorpus"
    for doc, div in zip(project.documents.values(), root.iterfind(".//t:div", ns), strict=True):
        assert "".join(div.itertext()) == doc.text
    rs = root.findall(".//t:rs", ns)
    assert {r.get("type") for r in rs} == {"appeal", "victim", "authority"}
    ids = root.xpath("//@xml:id")
    assert len(ids) == len(set(ids))
    chained = [r for r in rs if r.get("next")]
    assert chained  # the discontinuous authority a8 is a chain
    targets = {i for i in ids}
    for r in rs:
        for ref in (r.get("next"), r.get("prev")):
            if ref:
                assert ref[1:] in targets
        for ref in (r.get("ana") or "").split():
            assert ref[1:] in targets
    single = tei.to_bytes(prepare(project, ExportOptions(layer="alice", documents=["doc0002"])))
    head = etree.fromstring(single)
    assert head.tag == f"{{{tei.TEI_NS}}}TEI"
    assert head.find("t:teiHeader/t:fileDesc/t:sourceDesc/t:bibl/t:title", ns).text == (
        "Turkey: unionists"
    )


@pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint not installed")
@pytest.mark.parametrize("project", _projects_to_check(), ids=lambda p: p.name)
def test_xmllint_validates_inline_and_tei(project: Project, tmp_path: Path) -> None:
    layer = next(iter(project.layers))
    inline = tmp_path / "inline.xml"
    EXPORTERS["inline-xml"].write(project, inline, ExportOptions(layer=layer))
    xsd = ROOT / "resources" / "schema" / "inline-1.xsd"
    res = subprocess.run(
        ["xmllint", "--noout", "--schema", str(xsd), str(inline)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    teif = tmp_path / "tei.xml"
    EXPORTERS["tei"].write(project, teif, ExportOptions(layer=layer))
    res = subprocess.run(
        [
            "xmllint",
            "--noout",
            "--schema",
            str(ROOT / "resources/schema/tei-subset-1.xsd"),
            str(teif),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0, res.stderr


def test_json_has_the_documented_shape(tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    EXPORTERS["json"].write(sample_project(), out, ExportOptions())
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "annotator-json" and data["layer"] == "alice"
    doc = data["documents"][0]
    assert doc["metadata"]["country"] == "Republic of Korea"
    a1 = next(a for a in doc["annotations"] if a["id"] == "a1")
    assert a1["attributes"]["action"] == ["investigate", "release"]
    assert a1["attributes"]["kind"] == "direct-call"
    assert {"id": "r1", "type": "addressee", "target": "a3"} in a1["links"]
    assert a1["text"].startswith("called on President Kim")
    a8 = next(a for a in doc["annotations"] if a["id"] == "a8")
    assert len(a8["fragments"]) == 2 and " … " in a8["text"] and a8["note"]


def test_layer_choice() -> None:
    p = sample_project()
    p.layers["bob"] = Layer("bob")
    p.layers["bob"].doc("doc0001").annotations["a1"] = Annotation("a1", "victim", (Fragment(0, 3),))
    with pytest.raises(ExportError, match="several layers"):
        prepare(p, ExportOptions())
    with pytest.raises(ExportError, match="no layer 'carol'"):
        prepare(p, ExportOptions(layer="carol"))
    p.layers[CURATED_LAYER] = Layer(CURATED_LAYER, LayerKind.CURATED)
    assert prepare(p, ExportOptions()).layer == CURATED_LAYER
    with pytest.raises(ExportError, match="no document 'nope'"):
        prepare(p, ExportOptions(documents=["nope"]))
    with pytest.raises(UnknownTag):
        prepare(p, ExportOptions(redact=["nobody"]))


def test_find_importer_ignores_other_files(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text("<annotator-project/>", encoding="utf-8")
    (tmp_path / "b.json").write_text("{}", encoding="utf-8")
    (tmp_path / "c.txt").write_text("hello", encoding="utf-8")
    for name in ("a.xml", "b.json", "c.txt"):
        assert find_importer(tmp_path / name) is None


def test_tei_and_inline_xml_say_who_annotated_and_when(tmp_path: Path) -> None:
    p = sample_project()
    p.documents["doc0002"].status.update(alice=Status.DONE, bob=Status.IN_PROGRESS)
    a9 = p.layers["alice"].docs["doc0002"].annotations["a9"]
    a9.created_at, a9.modified_by, a9.modified_at = "2026-11-27T09:00:41Z", "bob", "2026-11-28"
    options = ExportOptions(layer="alice", documents=["doc0002"])
    root = etree.fromstring(tei.to_bytes(prepare(p, options)))
    ns = {"t": tei.TEI_NS}
    people = {
        r.get("{http://www.w3.org/XML/1998/namespace}id"): r.findtext("t:name", namespaces=ns)
        for r in root.iterfind(".//t:titleStmt/t:respStmt", ns)
    }
    assert sorted(people.values()) == ["alice", "bob"]
    rs = root.find(".//t:rs[@n='a9']", ns)
    assert rs is not None and people[rs.get("resp", "").lstrip("#")] == "alice"
    changes = [
        (c.get("type"), people.get(c.get("who", "").lstrip("#")), c.get("when"), c.get("status"))
        for c in root.iterfind(".//t:revisionDesc/t:change", ns)
    ]
    assert ("status", "bob", None, "in-progress") in changes
    assert ("created", "alice", "2026-11-27T09:00:41Z", None) in changes
    assert ("modified", "bob", "2026-11-28", None) in changes
    tei.schema().assertValid(root)
    inline = etree.fromstring(inline_xml.to_bytes(prepare(p, options)))
    statuses = {s.get("annotator"): s.get("value") for s in inline.iterfind(".//header/status")}
    assert statuses == {"alice": "done", "bob": "in-progress"}
    victim = inline.find(".//victim[@id='a9']")
    assert victim is not None and victim.get("modified-by") == "bob"
    inline_xml.schema().assertValid(inline)
