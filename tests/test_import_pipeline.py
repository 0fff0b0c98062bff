"""The one import path: tag sets that travel with the data, folders file by file,
documents matched by text, our own formats sniffed by content, one undoable command.

Inputs are written from the formats' published descriptions: brat's standoff and
``annotation.conf`` documentation (entities, relations with argument types,
events with roles and ``?``/``+`` markers, attributes with ``Value:`` lists and
binary ones) and MAE's DTD format as MedTator writes it (extent tags with
``#PCDATA`` and ``ID prefix``, link tags with ``IDREF prefix`` arguments, the DTD
kept one folder above the annotators' folders).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.formats.project_xml import load_project, new_project, save_project
from annotator.formats.tagset_xml import default_tagset
from annotator.importing import ImportOptions, import_into, plan_import
from annotator.interchange.brat_conf import tagset_from_conf
from annotator.interchange.common import ExportOptions
from annotator.interchange.registry import EXPORTERS, find_importer
from annotator.interchange.typemap import TypeMap, name_key
from annotator.model import Annotation, Document, Fragment, History, Project
from tests.export_support import sample_project

TEXT = (
    "Amnesty International urged the Interior Ministry to release the 12 students "
    "detained in Minsk on 3 May.\n"
    "Riot police beat two of them during the arrest.\n"
)


def _at(phrase: str, text: str = TEXT) -> str:
    start = text.index(phrase)
    return f"{start} {start + len(phrase)}"


CONF = """# Campaign task, written as brat's configuration documentation describes it
[entities]
Appeal
Victim
Responsible_authority
!Place
\tCity

[relations]
Addressed_to\tArg1:Appeal, Arg2:Responsible_authority
On_behalf_of\tArg1:Appeal, Arg2:Victim
<OVERLAP>\tArg1:Victim, Arg2:<ENTITY>, <OVL-TYPE>:contain

[events]
Detention\tVictim+:Victim, Agent?:Responsible_authority, Place?:City

[attributes]
Harm\tArg:Victim, Value:detained|beaten|killed
Negated\tArg:<EVENT>
"""

ANN = "\n".join(
    [
        f"T1\tAppeal {_at('urged the Interior Ministry to release the 12 students')}\t"
        "urged the Interior Ministry to release the 12 students",
        f"T2\tResponsible_authority {_at('Interior Ministry')}\tInterior Ministry",
        f"T3\tVictim {_at('12 students')}\t12 students",
        f"T4\tDetention {_at('detained')}\tdetained",
        f"T5\tCity {_at('Minsk')}\tMinsk",
        f"T6\tResponsible_authority {_at('Riot police')}\tRiot police",
        "R1\tAddressed_to Arg1:T1 Arg2:T2",
        "R2\tOn_behalf_of Arg1:T1 Arg2:T3",
        "E1\tDetention:T4 Victim:T3 Place:T5",
        "A1\tHarm T3 detained",
        "A2\tHarm T3 beaten",
        "A3\tNegated E1",
        "#1\tAnnotatorNotes T3\tall of them students of the law faculty",
        "",
    ]
)


def _brat(folder: Path, stem: str = "minsk", *, conf: str | None = CONF, ann: str = ANN) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.txt").write_text(TEXT, encoding="utf-8")
    (folder / f"{stem}.ann").write_text(ann, encoding="utf-8")
    if conf is not None:
        (folder / "annotation.conf").write_text(conf, encoding="utf-8")
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- brat's annotation.conf ----------------------------------------------------------


def test_conf_gives_tags_links_events_and_attributes() -> None:
    ts = tagset_from_conf(CONF)
    assert [t.name for t in ts.tags] == [
        "Appeal",
        "Victim",
        "Responsible_authority",
        "City",
        "Detention",
    ]
    assert ts.tag("Responsible_authority").label == "Responsible authority"
    harm = ts.tag("Victim").attribute("Harm")
    assert harm.values == ("detained", "beaten", "killed")
    assert ts.tag("Detention").attribute("Negated").values == ("true",)  # binary flag
    links = {lt.name: (lt.sources, lt.targets) for lt in ts.links}
    assert links["Addressed_to"] == (("Appeal",), ("Responsible_authority",))
    # an event's roles become links from the trigger; ? and + say how many, not the name
    assert links["Victim"] == (("Detention",), ("Victim",))
    assert links["Agent"] == (("Detention",), ("Responsible_authority",))
    assert links["Place"] == (("Detention",), ("City",))
    assert "<OVERLAP>" not in links and "Place" not in [t.name for t in ts.tags]


def test_names_match_ignoring_case_underscores_and_spaces() -> None:
    types = TypeMap(default_tagset())
    assert name_key("Responsible_authority") == name_key("responsible authority")
    assert types.tag("Responsible_authority") == "authority"  # by its label
    assert types.tag("VICTIM") == "victim"
    assert types.tag("Person") is None
    assert TypeMap(default_tagset(), {"Person": "victim"}).tag("person") == "victim"


def test_new_accepts_a_conf_a_dtd_and_our_xml(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    conf = tmp_path / "annotation.conf"
    conf.write_text(CONF, encoding="utf-8")
    code, out, _ = run(capsys, "new", str(tmp_path / "a.xml"), "--tagset", str(conf))
    assert code == 0 and "Responsible_authority" in out
    project, _ = load_project(tmp_path / "a.xml")
    assert project.tagset.tag("Victim").attribute("Harm").values[0] == "detained"
    assert any(lt.name == "Addressed_to" for lt in project.tagset.links)

    dtd = tmp_path / "campaign.dtd"
    dtd.write_text(MEDTATOR_DTD, encoding="utf-8")
    code, out, _ = run(capsys, "new", str(tmp_path / "b.xml"), "--tagset", str(dtd))
    assert code == 0
    project, _ = load_project(tmp_path / "b.xml")
    assert [t.name for t in project.tagset.tags] == ["APPEAL", "VICTIM", "AUTHORITY"]
    assert project.tagset.tag("VICTIM").attribute("harm").values == (
        "detained",
        "beaten",
        "killed",
    )
    assert [lt.name for lt in project.tagset.links] == ["ADDRESSEE"]

    ours = tmp_path / "ours.xml"
    from lxml import etree

    from annotator.formats.tagset_xml import tagset_to_element

    ours.write_bytes(etree.tostring(tagset_to_element(default_tagset())))
    code, _, _ = run(capsys, "new", str(tmp_path / "c.xml"), "--tagset", str(ours))
    assert code == 0 and load_project(tmp_path / "c.xml")[0].tagset == default_tagset()

    empty = tmp_path / "empty.conf"
    empty.write_text("[entities]\n", encoding="utf-8")
    code, _, err = run(capsys, "new", str(tmp_path / "d.xml"), "--tagset", str(empty))
    assert code == 1 and "defines no annotation types" in err and "Traceback" not in err


# --- tag sets when importing ---------------------------------------------------------


def test_a_new_project_maps_a_conf_it_can_onto_our_tags(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Appeal, Victim, Responsible_authority are our tags by name and label: they stay ours,
    and what the conf adds (City, Detention, their links and attributes) comes with it."""
    folder = _brat(tmp_path / "brat")
    out = tmp_path / "p.xml"
    code, stdout, err = run(capsys, "--annotator", "ana", "import", str(folder), "-o", str(out))
    assert (code, err) == (0, "")
    assert "tags added from the source: City, Detention" in stdout
    project, _ = load_project(out)
    da = project.layers["ana"].docs["minsk"]
    tags = {a.id: a.tag for a in da.annotations.values()}
    assert tags == {
        "a1": "appeal",
        "a2": "authority",
        "a3": "victim",
        "a4": "Detention",
        "a5": "City",
        "a6": "authority",
    }
    # Harm is victim's harm: the conf's values join ours, the file gave two of them
    assert da.annotations["a3"].attributes == {"harm": ("beaten", "detained")}
    harm = project.tagset.tag("victim").attribute("harm")
    assert harm.values[:2] == ("killed", "injured") and harm.values[-2:] == ("detained", "beaten")
    assert (
        project.tagset.tag("authority").definition == default_tagset().tag("authority").definition
    )
    assert da.annotations["a3"].note == "all of them students of the law faculty"
    links = {(lk.type, lk.source, lk.target) for lk in da.links.values()}
    # Addressed_to is our addressee by its label "Addressed to"
    assert ("addressee", "a1", "a2") in links and ("on_behalf_of", "a1", "a3") in links
    assert ("Victim", "a4", "a3") in links and ("Place", "a4", "a5") in links
    assert da.annotations["a4"].attributes == {"Negated": "true"}


def test_a_new_project_adopts_a_foreign_conf(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def foreign(s: str) -> str:
        s = s.replace("Appeal", "Request").replace("Victim", "Person")
        return s.replace("Responsible_authority", "State_actor")

    conf, ann = foreign(CONF), foreign(ANN)
    folder = _brat(tmp_path / "brat", conf=conf, ann=ann)
    out = tmp_path / "p.xml"
    code, stdout, err = run(capsys, "--annotator", "ana", "import", str(folder), "-o", str(out))
    assert (code, err) == (0, "")
    assert "tag set adopted from the source" in stdout
    project, _ = load_project(out)
    assert [t.name for t in project.tagset.tags][:3] == [
        "Request",
        "Person",
        "State_actor",
    ]
    assert not project.tagset.has_tag("appeal")
    da = project.layers["ana"].docs["minsk"]
    assert da.annotations["a3"].tag == "Person"
    assert da.annotations["a3"].attributes == {"Harm": ("beaten", "detained")}
    assert {lk.type for lk in da.links.values()} >= {"Addressed_to", "On_behalf_of", "Person"}


def test_a_folder_without_conf_gets_a_tag_set_inferred_from_its_data(tmp_path: Path) -> None:
    ann = (
        f"T1\tPerson {_at('12 students')}\t12 students\n"
        f"T2\tOrganisation {_at('Interior Ministry')}\tInterior Ministry\n"
        "R1\tdetained_by Arg1:T1 Arg2:T2\n"
        "A1\tStatus T1 detained\n"
    )
    folder = _brat(tmp_path / "brat", conf=None, ann=ann)
    project = Project("p", default_tagset())
    report = import_into(project, [folder], ImportOptions(layer="ana", adopt_tagset=True))
    assert [t.name for t in project.tagset.tags] == ["Person", "Organisation"]
    assert project.tagset.tag("Person").attribute("Status").values == ()  # free text
    [lt] = project.tagset.links
    assert (lt.name, lt.sources, lt.targets) == ("detained_by", ("Person",), ("Organisation",))
    assert report.annotated[0].annotations_added == 2 and report.annotated[0].links_added == 1


def test_an_existing_project_keeps_its_tags_and_says_what_it_left_out(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "p.xml"
    save_project(new_project("p"), out)
    ann = f"T1\tPerson {_at('12 students')}\t12 students\n"
    folder = _brat(tmp_path / "brat", conf=None, ann=ann)
    before = out.read_bytes()
    code, stdout, err = run(capsys, "--annotator", "ana", "import", str(folder), "-o", str(out))
    assert code == 1
    assert "none of the 1 annotations" in err and "--map" in err
    assert "type 'Person', which is not a tag here" in stdout
    assert out.read_bytes() != before  # the text itself came in as a document
    assert not load_project(out)[0].layers.get("ana")

    code, stdout, err = run(
        capsys,
        "--annotator",
        "ana",
        "import",
        str(folder),
        "-o",
        str(out),
        "--map",
        "person=victim",
    )
    assert (code, err) == (0, "")
    project, _ = load_project(out)
    assert [a.tag for a in project.layers["ana"].docs["minsk"].annotations.values()] == ["victim"]

    ann2 = f"T1\tCity {_at('Minsk')}\tMinsk\n"
    folder2 = _brat(tmp_path / "brat2", "minsk2", conf=None, ann=ann2)
    code, stdout, err = run(
        capsys, "--annotator", "ana", "import", str(folder2), "-o", str(out), "--add-tags"
    )
    assert (code, err) == (0, "")
    project, _ = load_project(out)
    assert project.tagset.has_tag("City") and project.tagset.has_tag("appeal")


def test_a_bad_map_is_one_sentence(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = _brat(tmp_path / "brat")
    code, _, err = run(capsys, "import", str(folder), "-o", str(tmp_path / "p.xml"), "--map", "x")
    assert code == 1 and "--map 'x': write it as SOURCE=TAG" in err


# --- folders file by file, notes not capped silently -----------------------------------


def test_an_ann_without_txt_is_skipped_by_name_and_the_rest_imports(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = _brat(tmp_path / "brat")
    (folder / "orphan.ann").write_text("T1\tVictim 0 7\tAmnesty\n", encoding="utf-8")
    out = tmp_path / "p.xml"
    code, _, err = run(capsys, "--annotator", "ana", "import", str(folder), "-o", str(out))
    assert code == 1
    assert f"skipped {folder / 'orphan.ann'}: no text file orphan.txt beside it" in err
    project, _ = load_project(out)
    assert list(project.documents) == ["minsk"]
    assert project.layers["ana"].annotation_count() == 6


def test_notes_are_all_shown_with_verbose_or_written_with_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lines = [f"N{i}\tReference T1 Wikidata:Q{i}\tnorm" for i in range(1, 16)]
    ann = f"T1\tVictim {_at('12 students')}\t12 students\n" + "\n".join(lines) + "\n"
    folder = _brat(tmp_path / "brat", conf=None, ann=ann)
    out = tmp_path / "p.xml"
    code, stdout, _ = run(capsys, "import", str(folder), "-o", str(out))
    assert code == 0
    assert stdout.count("  note: ") == 10
    assert "… and 5 more notes (all with --verbose or --report FILE)" in stdout
    out.unlink()
    code, stdout, _ = run(capsys, "import", str(folder), "-o", str(out), "--verbose")
    assert stdout.count("  note: ") == 15 and "more notes" not in stdout
    out.unlink()
    report = tmp_path / "notes.txt"
    code, stdout, _ = run(capsys, "import", str(folder), "-o", str(out), "--report", str(report))
    assert f"(all in {report})" in stdout
    assert report.read_text(encoding="utf-8").count("normalisation N") == 15


# --- MedTator: two annotators of one text, the DTD one folder up -----------------------

MEDTATOR_DTD = """<!ENTITY name "CAMPAIGN">
<!ELEMENT APPEAL ( #PCDATA ) >
<!ATTLIST APPEAL spans #IMPLIED >
<!ATTLIST APPEAL id ID prefix="A" #REQUIRED >
<!ATTLIST APPEAL comment CDATA "NA" >
<!ELEMENT VICTIM ( #PCDATA ) >
<!ATTLIST VICTIM spans #IMPLIED >
<!ATTLIST VICTIM id ID prefix="V" #REQUIRED >
<!ATTLIST VICTIM harm ( detained | beaten | killed ) #IMPLIED >
<!ELEMENT AUTHORITY ( #PCDATA ) >
<!ATTLIST AUTHORITY spans #IMPLIED >
<!ATTLIST AUTHORITY id ID prefix="AU" #REQUIRED >
<!ELEMENT ADDRESSEE EMPTY >
<!ATTLIST ADDRESSEE id ID prefix="AD" #REQUIRED >
<!ATTLIST ADDRESSEE appeal IDREF prefix="appeal" #IMPLIED >
<!ATTLIST ADDRESSEE authority IDREF prefix="authority" #IMPLIED >
"""


def _medtator(path: Path, text: str, tags: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "\n".join(tags)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8" ?>\n<CAMPAIGN>\n'
        f"<TEXT><![CDATA[{text}]]></TEXT>\n<TAGS>\n{body}\n</TAGS>\n<META/>\n</CAMPAIGN>\n",
        encoding="utf-8",
    )


def _spans(phrase: str, text: str = TEXT) -> str:
    start = text.index(phrase)
    return f"{start}~{start + len(phrase)}"


def _medtator_corpus(root: Path) -> None:
    root.mkdir(parents=True)
    (root / "campaign.dtd").write_text(MEDTATOR_DTD, encoding="utf-8")
    other = "Police in Harare arrested three journalists.\n"
    for who, harm in (("A", "detained"), ("B", "beaten")):
        _medtator(
            root / f"Annotator_{who}" / f"{who}_doc1.txt.xml",
            TEXT,
            [
                f'<APPEAL spans="{_spans("urged the Interior Ministry to release")}" '
                'text="urged the Interior Ministry to release" id="A0" comment="NA"/>',
                f'<VICTIM spans="{_spans("12 students")}" text="12 students" id="V0" '
                f'harm="{harm}" comment="NA"/>',
                f'<AUTHORITY spans="{_spans("Interior Ministry")}" text="Interior Ministry" '
                'id="AU0" comment="NA"/>',
                '<ADDRESSEE id="AD0" appealID="A0" appealText="urged" authorityID="AU0" '
                'authorityText="Interior Ministry"/>',
            ],
        )
        _medtator(
            root / f"Annotator_{who}" / f"{who}_doc2.txt.xml",
            other,
            [
                f'<AUTHORITY spans="{_spans("Police", other)}" text="Police" id="AU0"/>',
                f'<VICTIM spans="{_spans("three journalists", other)}" '
                'text="three journalists" id="V0"/>',
            ],
        )


def test_two_annotators_files_of_one_text_are_one_document_with_two_layers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _medtator_corpus(tmp_path / "corpus")
    out = tmp_path / "p.xml"
    for who in ("A", "B"):
        folder = tmp_path / "corpus" / f"Annotator_{who}"
        code, _, err = run(capsys, "--annotator", who, "import", str(folder), "-o", str(out))
        assert (code, err) == (0, "")
    project, _ = load_project(out)
    assert len(project.documents) == 2  # not four
    assert sorted(project.layers) == ["A", "B"]
    doc1 = next(d.id for d in project.documents.values() if d.text == TEXT)
    for who, harm in (("A", "detained"), ("B", "beaten")):
        da = project.layers[who].docs[doc1]
        # the task's types are ours by name (case ignored); its harm values join ours
        assert {a.tag for a in da.annotations.values()} == {"appeal", "victim", "authority"}
        victim = next(a for a in da.annotations.values() if a.tag == "victim")
        assert victim.attributes == {"harm": (harm,)}  # our harm takes several
        [link] = da.links.values()
        assert (link.type, da.annotations[link.source].tag) == ("addressee", "appeal")
    code, stdout, _ = run(capsys, "agree", str(out), "--layers", "A,B", "--json")
    assert code == 0
    figures = json.loads(stdout)
    assert figures["documents"] == 2
    f1 = next(r for r in figures["measures"] if r["measure"] == "f1_exact" and r["tag"] == "*")
    assert (f1["value"], f1["support"]) == (1.0, 10)  # same spans: full agreement on them
    harm = next(
        r
        for r in figures["measures"]
        if r["measure"] == "attribute_observed" and r["tag"] == "victim.harm"
    )
    assert harm["value"] < 1  # detained against beaten


def test_a_bad_mae_file_names_file_and_line_and_the_rest_imports(tmp_path: Path) -> None:
    _medtator_corpus(tmp_path / "corpus")
    folder = tmp_path / "corpus" / "Annotator_A"
    bad = folder / "A_doc3.txt.xml"
    _medtator(bad, "Short text.", ['<VICTIM spans="6~40" text="text." id="V0"/>'])
    project = Project("p", default_tagset())
    report = import_into(project, [folder], ImportOptions(layer="A", adopt_tagset=True))
    [(path, reason)] = report.skipped
    assert path == str(bad) and reason.startswith("line 5: VICTIM V0")
    assert len(project.documents) == 2


# --- documents matched by text --------------------------------------------------------


def test_a_text_with_other_white_space_takes_the_annotations_on_the_same_document(
    tmp_path: Path,
) -> None:
    project = Project("p", default_tagset())
    spaced = TEXT.replace("Interior Ministry", "Interior  Ministry").replace("\n", "\r\n", 0)
    project.add_document(Document("release-1", spaced))
    ann = f"T1\tResponsible_authority {_at('Interior Ministry')}\tInterior Ministry\n"
    folder = _brat(tmp_path / "brat", "whatever-name", conf=None, ann=ann)
    report = import_into(project, [folder], ImportOptions(layer="ana"))
    assert list(project.documents) == ["release-1"]
    [a] = project.layers["ana"].docs["release-1"].annotations.values()
    assert spaced[a.start : a.end] == "Interior  Ministry"
    assert "apart from white space" in report.notes[0]


def test_importing_the_same_files_twice_adds_nothing(tmp_path: Path) -> None:
    folder = _brat(tmp_path / "brat")
    project = Project("p", default_tagset())
    import_into(project, [folder], ImportOptions(layer="ana", add_tags=True))
    before = project.layers["ana"].annotation_count()
    report, _ = plan_import(project, [folder], ImportOptions(layer="ana"))
    assert not report.changed and not report.failed
    assert project.layers["ana"].annotation_count() == before


# --- our own formats by content -------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "inline-xml", "tei"])
def test_our_exports_under_another_name_are_read_by_their_importer(
    tmp_path: Path, fmt: str
) -> None:
    src = sample_project()
    written = tmp_path / "export.out"
    EXPORTERS[fmt].write(src, written, ExportOptions(layer="alice"))
    renamed = tmp_path / "from-colleague.txt"
    shutil.move(written, renamed)
    importer = find_importer(renamed)
    assert importer is not None and importer.name == fmt
    back = Project("b", src.tagset)
    report = import_into(back, [renamed], ImportOptions(layer="alice"))
    assert not report.releases.imported  # not a release whose text is markup
    assert back.layers["alice"].annotation_count() == src.layers["alice"].annotation_count()


def test_a_project_file_is_refused_with_merge_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    theirs = tmp_path / "colleague.dat"
    save_project(sample_project(), tmp_path / "c.xml")
    shutil.copy(tmp_path / "c.xml", theirs)
    code, _, err = run(capsys, "import", str(theirs), "-o", str(tmp_path / "p.xml"))
    assert code == 1
    assert f"skipped {theirs}: this is an annotator project; use merge" in err
    assert not (tmp_path / "p.xml").exists()


# --- one undoable command ----------------------------------------------------------------


def test_the_import_is_one_command_that_undoes_to_the_same_project(tmp_path: Path) -> None:
    folder = _brat(tmp_path / "brat")
    (tmp_path / "rel.txt").write_text("Another release about detention.\n", encoding="utf-8")
    project = sample_project()
    before = (
        dict(project.documents),
        project.tagset,
        {n: ly.annotation_count() for n, ly in project.layers.items()},
    )
    report, command = plan_import(
        project, [folder, tmp_path / "rel.txt"], ImportOptions(layer="ana", add_tags=True)
    )
    # planning changed nothing
    assert project.tagset == before[1] and "ana" not in project.layers
    history = History(project)
    history.push(command)
    assert "minsk" in project.documents and project.layers["ana"].annotation_count() == 6
    assert len(report.releases.imported) == 1
    history.undo()
    assert (
        dict(project.documents),
        project.tagset,
        {n: ly.annotation_count() for n, ly in project.layers.items()},
    ) == before
    history.redo()
    assert project.layers["ana"].annotation_count() == 6
    assert project.layers["ana"].id_taken("a1") and not project.layers["ana"].id_taken("a99")


def test_link_objects_travel_whole(tmp_path: Path) -> None:
    """Fields a format adds to links (attributes, notes) come through the planner."""
    src = sample_project()
    layer = src.layers["alice"]
    da = next(d for d in layer.docs.values() if d.links)
    out = tmp_path / "x.json"
    EXPORTERS["json"].write(src, out, ExportOptions(layer="alice"))
    back = Project("b", src.tagset)
    import_into(back, [out], ImportOptions(layer="alice"))
    got = next(d for d in back.layers["alice"].docs.values() if d.links)
    assert {lk.id for lk in got.links.values()} <= {
        lk.id for d in layer.docs.values() for lk in d.links.values()
    }
    assert len(got.links) == len(da.links)


def test_annotations_keep_what_the_file_says_about_them(tmp_path: Path) -> None:
    project = Project("p", default_tagset())
    project.add_document(Document("d", TEXT))
    start = TEXT.index("12 students")
    project.ensure_layer("x").doc("d").annotations["a1"] = Annotation(
        "a1",
        "victim",
        (Fragment(start, start + 11),),
        created_by="maria",
        created_at="2026-01-02T03:04:05Z",
    )
    out = tmp_path / "x.json"
    EXPORTERS["json"].write(project, out, ExportOptions(layer="x"))
    back = Project("b", default_tagset())
    import_into(back, [out], ImportOptions(layer="ana"))
    [a] = back.layers["ana"].docs["d"].annotations.values()
    assert a.created_by == "maria"


def test_a_folder_of_releases_hands_our_exports_and_projects_to_their_readers(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "release.txt").write_text(TEXT, encoding="utf-8")
    src = sample_project()
    EXPORTERS["json"].write(src, folder / "from-colleague.txt", ExportOptions(layer="alice"))
    save_project(src, tmp_path / "p.xml")
    shutil.copy(tmp_path / "p.xml", folder / "their-project.xml")
    project = Project("p", default_tagset())
    report = import_into(project, [folder], ImportOptions(layer="alice"))
    assert [d.meta.source_name for d in report.releases.imported] == ["release.txt"]
    assert report.skipped == [
        (
            str(folder / "their-project.xml"),
            "this is an annotator project; use merge to add its annotations",
        )
    ]
    assert [s.format for s in report.annotated] == ["json"]
    assert project.layers["alice"].annotation_count() == src.layers["alice"].annotation_count()


def test_brat_and_medtator_folders_inside_a_folder_of_releases_are_read_as_such(
    tmp_path: Path,
) -> None:
    root = tmp_path / "campaign"
    _medtator_corpus(root / "medtator")
    _brat(root / "brat", "minsk-brat")
    (root / "release.txt").write_text("Police in Lusaka detained a reporter.\n", encoding="utf-8")
    project = Project("p", default_tagset())
    report = import_into(project, [root], ImportOptions(layer="ana", add_tags=True))
    assert [d.meta.source_name for d in report.releases.imported] == ["release.txt"]
    assert sorted((s.format, Path(s.path).name) for s in report.annotated) == [
        ("brat", "brat"),
        ("mae", "Annotator_A"),
        ("mae", "Annotator_B"),
    ]
    assert not report.skipped
    # the brat text and MedTator's doc1 are one text: one document
    texts = sorted(d.text.strip() for d in project.documents.values())
    assert texts == sorted(
        [
            TEXT.strip(),
            "Police in Harare arrested three journalists.",
            "Police in Lusaka detained a reporter.",
        ]
    )
