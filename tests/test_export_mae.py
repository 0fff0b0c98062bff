"""MAE / MedTator: import of real-world-shaped files and DTDs, and the export."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from annotator.errors import OffsetMismatch, UnsafeXML
from annotator.formats.safe_xml import parse_bytes
from annotator.formats.tagset_xml import default_tagset
from annotator.interchange.common import ExportOptions
from annotator.interchange.mae import MaeImporter, cdata, dtd_text, id_prefixes, tagset_from_dtd
from annotator.interchange.registry import EXPORTERS, find_importer
from annotator.model import Fragment, Project
from tests.export_support import read_into, sample_project

DTD = """<!ENTITY name "Campaign">
<!-- a MedTator-style task -->
<!ELEMENT victim ( #PCDATA ) >
<!ATTLIST victim id ID prefix="V" #REQUIRED >
<!ATTLIST victim harm ( killed | injured | arrested ) #IMPLIED >
<!ATTLIST victim comment CDATA #IMPLIED >
<!ELEMENT authority ( #PCDATA ) >
<!ATTLIST authority id ID prefix="AU" #REQUIRED >
<!ATTLIST authority kind ( police | military ) #IMPLIED "police" >
<!ELEMENT responsible_for EMPTY >
<!ATTLIST responsible_for id ID prefix="RF" #REQUIRED >
<!ATTLIST responsible_for arg0 IDREF prefix="agent" #IMPLIED >
<!ATTLIST responsible_for arg1 IDREF prefix="patient" #IMPLIED >
"""

# "😀" is one code point but two UTF-16 units: MAE (Java) offsets count units.
TEXT = "😀 Police beat ]]> students\nin Seoul."


def _file(tmp_path: Path, body: str, name: str = "rel.xml", doctype: str = "") -> Path:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "campaign.dtd").write_text(DTD, encoding="utf-8")
    path = tmp_path / name
    path.write_text('<?xml version="1.0" encoding="UTF-8" ?>\n' + doctype + body, encoding="utf-8")
    return path


BODY = (
    "<Campaign>\n<TEXT><![CDATA[😀 Police beat ]]]]><![CDATA[> students\nin Seoul.]]>\n  </TEXT>\n"
    "<TAGS>\n"
    '<authority id="AU0" spans="3~9" text="Police" kind="police" />\n'
    '<victim id="V0" spans="19~27" text="students" harm="killed" comment="check" />\n'
    '<victim id="V1" spans="3~9,19~27" text="Police ... students" />\n'
    '<victim id="V2" spans="-1~-1" text="" />\n'
    '<responsible_for id="RF0" agentID="AU0" agentText="Police" patientID="V0" '
    'patientText="students" />\n'
    "</TAGS>\n<META/>\n</Campaign>\n"
)


def test_import_real_world_shape(tmp_path: Path) -> None:
    path = _file(tmp_path, BODY)
    imp = find_importer(path)
    assert isinstance(imp, MaeImporter)
    p = Project("t", default_tagset())
    notes = read_into(p, path, "alice")
    doc = p.documents["rel"]
    assert doc.text == TEXT  # split CDATA joined; whitespace before </TEXT> dropped
    da = p.layers["alice"].docs["rel"]
    police = da.annotations["AU0"]
    assert doc.text[police.start : police.end] == "Police"  # UTF-16 3~9 -> code points 2~8
    assert police.attributes == {"kind": "police"}
    v0 = da.annotations["V0"]
    assert v0.attributes == {"harm": ("killed",)} and v0.note == "check"
    assert da.annotations["V1"].fragments == (Fragment(2, 8), Fragment(18, 26))
    assert "V2" not in da.annotations
    assert any("non-consuming" in n for n in notes)
    link = da.links["RF0"]
    assert (link.type, link.source, link.target) == ("responsible_for", "AU0", "V0")


def test_code_point_offsets_are_accepted_too(tmp_path: Path) -> None:
    body = BODY.replace('spans="3~9" text="Police"', 'spans="2~8" text="Police"')
    p = Project("t", default_tagset())
    read_into(p, _file(tmp_path, body), "alice")
    assert p.layers["alice"].docs["rel"].annotations["AU0"].fragments == (Fragment(2, 8),)


def test_mismatch_names_file_and_line(tmp_path: Path) -> None:
    body = BODY.replace('spans="19~27" text="students"', 'spans="19~27" text="studentz"')
    with pytest.raises(OffsetMismatch) as err:
        read_into(Project("t", default_tagset()), _file(tmp_path, body), "alice")
    assert "rel.xml, line 8" in str(err.value) and "studentz" in str(err.value)


def test_doctype_without_internal_subset_is_stripped_and_reported(tmp_path: Path) -> None:
    path = _file(tmp_path, BODY, doctype='<!DOCTYPE Campaign SYSTEM "campaign.dtd">\n')
    notes = read_into(Project("t", default_tagset()), path, "alice")
    assert any("DOCTYPE" in n for n in notes)


def test_doctype_with_internal_subset_is_refused(tmp_path: Path) -> None:
    evil = '<!DOCTYPE Campaign [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    with pytest.raises(UnsafeXML):
        read_into(Project("t", default_tagset()), _file(tmp_path, BODY, doctype=evil), "alice")


def test_dtd_to_tagset() -> None:
    ts = tagset_from_dtd(DTD)
    assert ts.name == "Campaign"
    assert [t.name for t in ts.tags] == ["victim", "authority"]
    assert ts.tag("victim").attribute("harm").values == ("killed", "injured", "arrested")
    assert [a.name for a in ts.tag("victim").attributes] == ["harm"]  # comment is reserved
    assert ts.tag("authority").attribute("kind").values == ("police", "military")
    assert ts.links[0].name == "responsible_for"
    assert ts.links[0].allows("authority", "victim")


def test_dtd_round_trip_of_our_tagset() -> None:
    ts = tagset_from_dtd(dtd_text(default_tagset()))
    assert [t.name for t in ts.tags] == ["appeal", "victim", "authority"]
    assert (
        ts.tag("authority").attribute("kind").values
        == default_tagset().tag("authority").attribute("kind").values
    )
    assert {lt.name for lt in ts.links} == {"addressee", "on_behalf_of", "responsible_for"}


def test_cdata_splits_end_marker_and_keeps_cr() -> None:
    xml = f"<TEXT>{cdata('a]]>b' + chr(13) + 'c')}</TEXT>".encode()
    assert parse_bytes(xml).getroot().text == "a]]>b\rc"


def test_export_writes_dtd_and_utf16_spans(tmp_path: Path) -> None:
    project = sample_project()
    out = tmp_path / "mae"
    EXPORTERS["mae"].write(project, out, ExportOptions(layer="alice"))
    assert (
        (out / "campaign.dtd").read_text(encoding="utf-8").startswith('<!ENTITY name "campaign">')
    )
    root = parse_bytes((out / "doc0001.xml").read_bytes()).getroot()
    assert root.tag == "campaign"
    text = project.documents["doc0001"].text
    police = root.find("TAGS/authority[@id='a4']")
    assert police is not None
    start, end = (int(x) for x in police.get("spans", "").split("~"))
    # one astral character (😀) precedes "Police": UTF-16 offsets are one more
    assert text[start - 1 : end - 1] == "Police"
    disc = root.find("TAGS/authority[@id='a8']")
    assert disc is not None and "," in disc.get("spans", "")
    link = root.find("TAGS/addressee")
    assert link is not None and link.get("fromID") == "a1" and link.get("toID") == "a3"


def test_long_text_is_still_recognised(tmp_path: Path) -> None:
    long_body = BODY.replace("in Seoul.]]>", "in Seoul." + "x" * 10000 + "]]>")
    path = _file(tmp_path, long_body)
    assert isinstance(find_importer(path), MaeImporter)


def test_id_prefixes_follow_medtators_rule() -> None:
    """MedTator takes a tag's id prefix from its name: the first letter, one more
    while an earlier tag (extent or link, in DTD order) holds it."""
    assert id_prefixes(["appeal", "victim", "authority", "addressee", "on_behalf_of"]) == {
        "appeal": "a",
        "victim": "v",
        "authority": "au",
        "addressee": "ad",
        "on_behalf_of": "o",
    }
    assert id_prefixes(["ab", "a", "abc"]) == {"ab": "a", "a": "a_", "abc": "ab"}  # never loops
    dtd = dtd_text(default_tagset())
    assert '<!ATTLIST authority id ID prefix="au" #REQUIRED >' in dtd
    assert '<!ATTLIST addressee id ID prefix="ad" #REQUIRED >' in dtd


def test_link_attributes_and_notes_are_exported_and_declared(tmp_path: Path) -> None:
    project = sample_project()
    da = project.layers["alice"].docs["doc0001"]
    da.links["r1"] = replace(da.links["r1"], attributes={"certainty": "high"}, note="check")
    out = tmp_path / "mae"
    EXPORTERS["mae"].write(project, out, ExportOptions(layer="alice"))
    dtd = (out / "campaign.dtd").read_text(encoding="utf-8")
    assert "<!ATTLIST addressee certainty CDATA #IMPLIED >" in dtd
    assert "<!ATTLIST addressee note CDATA #IMPLIED >" in dtd
    root = parse_bytes((out / "doc0001.xml").read_bytes()).getroot()
    link = root.find("TAGS/addressee")
    assert link is not None
    assert (link.get("certainty"), link.get("note")) == ("high", "check")
