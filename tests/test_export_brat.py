"""brat standoff import of real-world-shaped data, and the export's files."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import InterchangeError, OffsetMismatch
from annotator.formats.tagset_xml import default_tagset
from annotator.interchange.brat import BratImporter, annotation_conf
from annotator.interchange.common import ExportOptions
from annotator.interchange.registry import EXPORTERS, find_importer
from annotator.model import Document, Fragment, Link, Project
from tests.export_support import read_into, sample_project

TEXT = (
    "Police arrested students in Seoul.\n"
    "Amnesty urged President Kim to release them; it said so twice.\n"
)


def _write(folder: Path, stem: str, text: str, ann: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / f"{stem}.txt").write_bytes(text.encode("utf-8"))
    (folder / f"{stem}.ann").write_bytes(ann.encode("utf-8"))
    return folder


def _project() -> Project:
    return Project(name="t", tagset=default_tagset())


def test_zero_byte_ann_gives_a_document_without_annotations(tmp_path: Path) -> None:
    folder = _write(tmp_path / "b", "empty", TEXT, "")
    imp = find_importer(folder)
    assert isinstance(imp, BratImporter)
    p = _project()
    assert read_into(p, folder, "alice") == []
    assert p.documents["empty"].text == TEXT
    assert "alice" not in p.layers  # nothing to put there


def test_real_world_quirks_are_read_or_reported(tmp_path: Path) -> None:
    # Offsets: Police 0-6, students 16-24, President Kim 49-62, "urged … it" 43-82,
    # a discontinuous victim crossing the newline: "Seoul.\nAmnesty" 28-42 + "them" 74-78
    ann = (
        "T1\tauthority 0 6\tPolice\n"
        "T2\tvictim 16 24\tstudents\n"
        "T3\tauthority 49 62\tPresident Kim\n"
        "T4\tappeal 43 82\turged President Kim to release them; it\n"
        "T5\tvictim 28 42;74 78\tSeoul. Amnesty them\n"
        "R1\taddressee Arg1:T4 Arg2:T3\t\n"  # trailing tab, as some tools write
        "R2\ton_behalf_of Arg1:T4 Arg2:T2\n"
        "*\tEquiv T1 T3\n"
        "A1\taction T4 release\n"
        "A2\taction T4 investigate\n"
        "A3\tkind T3 head-of-state\n"
        "A4\tNegated T1\n"
        "N1\tReference T3 Wikipedia:123\tKim Dae-jung\n"
        "#1\tAnnotatorNotes T2\tcheck scope; see §3\n"
        "T6\tPerson 63 65\tto\n"
        "E1\tappeal:T4 addressee:T1 Theme:T2\n"
    )
    folder = _write(tmp_path / "b", "rel1", TEXT, ann)
    p = _project()
    notes = read_into(p, folder, "alice")
    da = p.layers["alice"].docs["rel1"]
    a4 = da.annotations["a4"]
    assert a4.tag == "appeal" and a4.fragments == (Fragment(43, 82),)
    assert a4.attributes == {"action": ("investigate", "release")}
    assert da.annotations["a5"].fragments == (Fragment(28, 42), Fragment(74, 78))
    assert da.annotations["a3"].attributes == {"kind": "head-of-state"}
    assert da.annotations["a2"].note == "check scope; see §3"
    links = {(lk.type, lk.source, lk.target) for lk in da.links.values()}
    assert ("addressee", "a4", "a3") in links
    assert ("on_behalf_of", "a4", "a2") in links
    assert ("addressee", "a4", "a1") in links  # from the event's argument
    assert da.links["r1"] == Link("r1", "addressee", "a4", "a3")
    joined = "\n".join(notes)
    assert "Equiv" in joined and "equivalence" in joined
    assert "normalisation N1" in joined
    assert "'Person'" in joined  # unknown entity type reported, not imported
    assert "Negated" in joined  # no such attribute on authority
    assert "Theme" in joined  # event role without a link type
    assert "a6" not in da.annotations


def test_reference_text_continued_on_next_line(tmp_path: Path) -> None:
    ann = "T1\tvictim 28 42\tSeoul.\nAmnesty\n"  # the newline written raw, as some tools do
    folder = _write(tmp_path / "b", "d", TEXT, ann)
    p = _project()
    assert read_into(p, folder, "alice") == []
    assert p.layers["alice"].docs["d"].annotations["a1"].fragments == (Fragment(28, 42),)


def test_crlf_ann_file_is_read(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "b", "d", TEXT, "T1\tvictim 16 24\tstudents\r\nA1\tharm T1 arrested\r\n"
    )
    p = _project()
    assert read_into(p, folder, "alice") == []
    assert p.layers["alice"].docs["d"].annotations["a1"].attributes == {"harm": ("arrested",)}


def test_offset_mismatch_names_file_and_line(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "b", "bad", TEXT, "T1\tvictim 16 24\tstudents\nT2\tvictim 0 6\tPolicE\n"
    )
    with pytest.raises(OffsetMismatch) as err:
        read_into(_project(), folder, "alice")
    assert "bad.ann, line 2" in str(err.value) and "'PolicE'" in str(err.value)


def test_offsets_outside_text_and_garbage_offsets(tmp_path: Path) -> None:
    folder = _write(tmp_path / "b", "x", TEXT, "T1\tvictim 16 999\tstudents\n")
    with pytest.raises(OffsetMismatch, match="outside the text"):
        read_into(_project(), folder, "alice")
    folder = _write(tmp_path / "c", "x", TEXT, "T1\tvictim sixteen 24\tstudents\n")
    with pytest.raises(InterchangeError, match="line 1"):
        read_into(_project(), folder, "alice")


def test_missing_txt_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "lonely.ann").write_text("", encoding="utf-8")
    with pytest.raises(InterchangeError, match=r"no text file lonely\.txt"):
        read_into(_project(), tmp_path / "lonely.ann", "alice")


def test_document_with_same_name_and_other_text_becomes_another_document(tmp_path: Path) -> None:
    p = _project()
    p.add_document(Document("d", "something else"))
    folder = _write(tmp_path / "b", "d", TEXT, "T1\tvictim 16 24\tstudents\n")
    notes = read_into(p, folder, "alice")
    assert p.documents["d"].text == "something else"
    [new] = [d for d in p.documents.values() if d.id != "d"]
    assert new.text == TEXT and p.layers["alice"].docs[new.id].annotations["a1"].tag == "victim"
    assert any("another text called 'd'" in n for n in notes)


def test_export_files(tmp_path: Path) -> None:
    project = sample_project()
    out = tmp_path / "brat"
    EXPORTERS["brat"].write(project, out, ExportOptions(layer="alice"))
    ann = (out / "doc0001.ann").read_text(encoding="utf-8")
    txt = (out / "doc0001.txt").read_bytes().decode("utf-8")
    assert txt == project.documents["doc0001"].text
    lines = ann.splitlines()
    assert any(line.startswith("T") and ";" in line.split("\t")[1] for line in lines)
    assert "R1\taddressee Arg1:T1 Arg2:T3" in lines
    assert any(line.startswith("A") and line.endswith(" T1 release") for line in lines)
    assert any(line.startswith("#1\tAnnotatorNotes ") for line in lines)
    conf = annotation_conf(project.tagset)
    assert "addressee\tArg1:appeal, Arg2:authority" in conf
    assert "action\tArg:appeal, Value:release|investigate|" in conf


def test_a_bad_file_of_a_folder_is_skipped_and_the_rest_imports(tmp_path: Path) -> None:
    from annotator.importing import ImportOptions, import_into

    folder = _write(tmp_path / "b", "a_good", TEXT, "T1\tvictim 16 24\tstudents\n")
    _write(folder, "b_bad", TEXT.upper(), "T1\tvictim 16 24\tstudentz\n")
    p = _project()
    report = import_into(p, [folder], ImportOptions(layer="alice"))
    reason = "line 1: T1 says 'studentz' but the text at 16 24 is 'STUDENTS'"
    assert report.skipped == [(str(folder / "b_bad.ann"), reason)]
    assert list(p.documents) == ["a_good"]
    assert p.layers["alice"].docs["a_good"].annotations["a1"].tag == "victim"
