"""MAE / MedTator: import of real-world-shaped files and DTDs, and the export."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from annotator.errors import OffsetMismatch, UnsafeXML
from annotator.formats.project_xml import load_project
from annotator.formats.safe_xml import parse_bytes
from annotator.formats.tagset_xml import default_tagset
from annotator.interchange.common import ExportOptions
from annotator.interchange.mae import MaeImporter, cdata, dtd_text, id_prefixes, tagset_from_dtd
from annotator.interchange.registry import EXPORTERS, find_importer
from annotator.model import Fragment, Project
from tests.export_support import read_into, sample_project
from tests.hostile_support import run_cli_output

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


def test_a_damaged_argument_prefix_in_the_dtd_is_said_and_the_link_still_read(
    tmp_path: Path,
) -> None:
    """A control character in a hand-edited DTD's prefix is no attribute name; it used to
    reach lxml as one and end the import with a traceback."""
    path = _file(tmp_path, BODY)
    dtd = tmp_path / "campaign.dtd"
    dtd.write_text(DTD.replace('prefix="agent"', 'prefix="ag\x1bent"'), encoding="utf-8")
    p = Project("t", default_tagset())
    notes = read_into(p, path, "alice")
    assert any("'ag\\x1bent'" in n and "not an XML name" in n for n in notes), notes
    link = p.layers["alice"].docs["rel"].links["RF0"]
    assert (link.source, link.target) == ("AU0", "V0")  # read by the arguments it carries


def test_code_point_offsets_are_accepted_too(tmp_path: Path) -> None:
    body = BODY.replace('spans="3~9" text="Police"', 'spans="2~8" text="Police"')
    p = Project("t", default_tagset())
    read_into(p, _file(tmp_path, body), "alice")
    assert p.layers["alice"].docs["rel"].annotations["AU0"].fragments == (Fragment(2, 8),)


def test_text_that_disagrees_with_its_span_is_imported_from_the_span(tmp_path: Path) -> None:
    """MAE and MedTator trust the span; real files quote 'house' for a span reading
    'house r' and 'Arm Pain' for 'arm pain'."""
    body = BODY.replace('spans="19~27" text="students"', 'spans="19~27" text="Students"')
    p = Project("t", default_tagset())
    notes = read_into(p, _file(tmp_path, body), "alice")
    v0 = p.layers["alice"].docs["rel"].annotations["V0"]
    assert p.documents["rel"].text[v0.start : v0.end] == "students"
    [note] = [n for n in notes if "Students" in n]
    assert "rel.xml, line 8" in note and "imported from the span" in note


def test_span_outside_the_text_names_file_and_line(tmp_path: Path) -> None:
    body = BODY.replace('spans="19~27" text="students"', 'spans="19~999" text="students"')
    with pytest.raises(OffsetMismatch) as err:
        read_into(Project("t", default_tagset()), _file(tmp_path, body), "alice")
    assert "rel.xml, line 8" in str(err.value)


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
    # ids take MedTator's prefix of the tag (authority: "au", after appeal's "a")
    police = root.find("TAGS/authority[@id='au4']")
    assert police is not None
    start, end = (int(x) for x in police.get("spans", "").split("~"))
    # one astral character (😀) precedes "Police": UTF-16 offsets are one more
    assert text[start - 1 : end - 1] == "Police"
    disc = root.find("TAGS/authority[@id='au8']")
    assert disc is not None and "," in disc.get("spans", "")
    link = root.find("TAGS/addressee")
    assert link is not None and link.get("id") == "ad1"
    assert link.get("fromID") == "a1" and link.get("toID") == "au3"


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


MEDTATOR_DTD = """<!ENTITY name "Campaign">
<!ELEMENT victim ( #PCDATA ) >
<!ATTLIST victim id ID prefix="V" #REQUIRED >
<!ATTLIST victim comment CDATA "NA" >
<!ELEMENT authority ( #PCDATA ) >
<!ATTLIST authority id ID prefix="A" #REQUIRED >
<!ELEMENT responsible_for EMPTY >
<!ATTLIST responsible_for id ID prefix="R" #REQUIRED >
<!ATTLIST responsible_for arg0 IDREF prefix="agent" #IMPLIED >
<!ATTLIST responsible_for arg1 IDREF prefix="patient" #IMPLIED >
<!ATTLIST responsible_for certainty ( high | low ) #IMPLIED >
<!ATTLIST responsible_for comment CDATA "NA" >
"""


def _medtator_file(annotator: str, comment: str) -> str:
    # MedTator writes attributes in its own order: here the patient comes first
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n<Campaign>\n'
        "<TEXT><![CDATA[Police beat students in Seoul.]]></TEXT>\n<TAGS>\n"
        f'<victim id="V0" spans="12~20" text="students" comment="{comment}"/>\n'
        '<authority id="A0" spans="0~6" text="Police" comment="NA"/>\n'
        '<responsible_for id="R0" patientID="V0" patientText="students" agentID="A0" '
        f'agentText="Police" certainty="high" comment="{comment}"/>\n'
        "</TAGS>\n</Campaign>\n"
    )


def test_medtator_layout_dtd_one_folder_up_and_link_attributes(tmp_path: Path) -> None:
    """MedTator keeps the DTD beside the annotators' folders; without it the link's
    arguments would be taken in attribute order and come out reversed."""
    (tmp_path / "campaign.dtd").write_text(MEDTATOR_DTD, encoding="utf-8")
    folder = tmp_path / "Annotator_A"
    folder.mkdir()
    (folder / "A_doc1.txt.xml").write_text(_medtator_file("A", "NA"), encoding="utf-8")
    (folder / "A_doc2.txt.xml").write_text(
        _medtator_file("A", "check the agent").replace("in Seoul", "in Busan"),
        encoding="utf-8",
    )
    tagset = tagset_from_dtd(MEDTATOR_DTD)
    p = Project("t", tagset)
    notes = read_into(p, folder, "alice")
    docs = {d.text: d.id for d in p.documents.values()}
    da1 = p.layers["alice"].docs[docs["Police beat students in Seoul."]]
    da2 = p.layers["alice"].docs[docs["Police beat students in Busan."]]
    [link] = da1.links.values()
    assert (da1.annotations[link.source].tag, da1.annotations[link.target].tag) == (
        "authority",
        "victim",
    )
    assert link.attributes == {"certainty": "high"} and link.note == ""  # "NA" is no note
    assert all(a.note == "" for a in da1.annotations.values())
    [link2] = da2.links.values()
    assert link2.note == "check the agent"
    assert {a.tag: a.note for a in da2.annotations.values()}["victim"] == "check the agent"
    assert not any("NA" in n for n in notes), notes


def test_a_tag_added_in_medtator_gets_an_id_we_do_not_use(tmp_path: Path) -> None:
    """MedTator numbers a new tag as its prefix + 1 + the highest number of that tag."""
    project = sample_project()
    EXPORTERS["mae"].write(project, tmp_path / "mae", ExportOptions(layer="alice"))
    dtd = tagset_from_dtd((tmp_path / "mae" / "campaign.dtd").read_text(encoding="utf-8"))
    prefixes = id_prefixes([t.name for t in dtd.tags] + [lt.name for lt in dtd.links])
    root = parse_bytes((tmp_path / "mae" / "doc0001.xml").read_bytes()).getroot()
    tags = root.find("TAGS")
    assert tags is not None
    ids = [el.get("id", "") for el in tags]
    assert len(ids) == len(set(ids))
    for name, prefix in prefixes.items():
        mine = [int(i[len(prefix) :]) for el, i in zip(tags, ids, strict=True) if el.tag == name]
        new = f"{prefix}{max(mine, default=-1) + 1}"  # MedTator's get_next_tag_id
        assert new not in ids


@pytest.mark.parametrize(
    ("inside", "text"),
    [
        ("<![CDATA[Police ]]><!-- a reviewer's remark --><![CDATA[beat]]>", "Police beat"),
        ("<![CDATA[Police ]]><?tool hint?><![CDATA[beat]]>", "Police beat"),
        ("Police <b>beat</b> them", "Police beat them"),
        ("<![CDATA[Police]]><x/>", "Police"),
    ],
)
def test_text_with_comments_pis_or_elements_is_read_not_looped(
    tmp_path: Path, inside: str, text: str
) -> None:
    body = f"<Campaign>\n<TEXT>{inside}</TEXT>\n<TAGS/>\n</Campaign>\n"
    p = Project("t", default_tagset())
    read_into(p, _file(tmp_path, body), "alice")
    assert [d.text for d in p.documents.values()] == [text]


def _corpus_root(tmp_path: Path) -> Path:
    """A MedTator corpus as a team keeps it: the task DTD beside one folder per
    annotator, each annotator's files prefixed with their letter."""
    root = tmp_path / "campaign-corpus"
    root.mkdir()
    (root / "campaign.dtd").write_text(MEDTATOR_DTD, encoding="utf-8")
    (root / "raw_txt").mkdir()  # the texts they started from: MedTator's files hold them
    (root / "raw_txt" / "doc1.txt").write_text("Police beat students in Seoul.", encoding="utf-8")
    a, b = root / "Annotator_A", root / "Annotator_B"
    a.mkdir()
    b.mkdir()
    (a / "A_doc1.txt.xml").write_text(_medtator_file("A", "NA"), encoding="utf-8")
    (a / "A_doc2.txt.xml").write_text(
        _medtator_file("A", "NA").replace("in Seoul", "in Busan"), encoding="utf-8"
    )
    # B tagged only the victim of the first release, and differently worded the note
    b_file = (
        '<?xml version="1.0" encoding="UTF-8" ?>\n<Campaign>\n'
        "<TEXT><![CDATA[Police beat students in Seoul.]]></TEXT>\n<TAGS>\n"
        '<victim id="V0" spans="12~20" text="students" comment="students or pupils?"/>\n'
        "</TAGS>\n</Campaign>\n"
    )
    (b / "B_doc1.txt.xml").write_text(b_file, encoding="utf-8")
    return root


def test_a_medtator_corpus_imports_one_layer_per_annotators_folder(tmp_path: Path) -> None:
    root = _corpus_root(tmp_path)
    target = tmp_path / "team.xml"
    status, out, err = run_cli_output("import", str(root), "-o", str(target))
    assert status == 0, err
    project, _ = load_project(target)
    assert set(project.layers) == {"A", "B"}  # not the importing annotator's
    docs = {d.text: d.id for d in project.documents.values()}
    assert len(docs) == 2  # the first release is one document for both annotators
    seoul = docs["Police beat students in Seoul."]
    a = project.layers["A"].docs[seoul].annotations.values()
    b = project.layers["B"].docs[seoul].annotations.values()
    assert sorted(x.tag for x in a) == ["authority", "victim"]
    assert [(x.tag, x.note) for x in b] == [("victim", "students or pupils?")]
    assert len(project.layers["A"].docs[seoul].links) == 1
    assert docs["Police beat students in Busan."] in project.layers["A"].docs
    assert docs["Police beat students in Busan."] not in project.layers["B"].docs
    assert "into layer 'A'" in out and "into layer 'B'" in out and "'fuzz'" not in out


def test_importing_a_medtator_corpus_is_one_step_undone_whole(tmp_path: Path) -> None:
    from annotator.importing import ImportOptions, plan_import

    root = _corpus_root(tmp_path)
    project = Project("t", tagset_from_dtd(MEDTATOR_DTD))
    report, command = plan_import(project, [root], ImportOptions(layer="dana"))
    assert {s.layer for s in report.annotated} == {"A", "B"}
    command.do(project)
    assert set(project.layers) == {"A", "B"} and len(project.documents) == 2
    command.undo(project)
    assert project.layers == {} and project.documents == {}


def test_one_folder_of_medtator_files_still_goes_into_your_layer(tmp_path: Path) -> None:
    root = _corpus_root(tmp_path)
    p = Project("t", tagset_from_dtd(MEDTATOR_DTD))
    read_into(p, root / "Annotator_B", "dana")
    assert set(p.layers) == {"dana"}
