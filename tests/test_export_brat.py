"""brat standoff import of real-world-shaped data, and the export's files."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings

from annotator.errors import InterchangeError, OffsetMismatch
from annotator.formats.tagset_xml import default_tagset
from annotator.interchange.brat import BratImporter, ann_text, annotation_conf
from annotator.interchange.common import ExportOptions, prepare
from annotator.interchange.registry import EXPORTERS, find_importer
from annotator.model import (
    Annotation,
    AttributeDef,
    Document,
    Fragment,
    Link,
    Project,
    TagSet,
    TagType,
)
from tests.export_support import read_into, sample_project
from tests.hostile_support import run_cli
from tests.strategies import plain_texts, projects

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


# --- brat's own parsing rules, reimplemented (nothing of brat is vendored) -----------

_BRAT_ID = re.compile(r"[TRAEMN#]\d+|\*")


def brat_rule_violations(txt: str, ann: str) -> list[str]:
    """Every line of ``ann`` that brat's reader (server/src/annotation.py) would refuse.

    brat reads the ``.ann`` file in text mode, so CR, LF and CRLF all end a line.
    A text-bound line is ``ID<TAB>TYPE START END[;START END...]<TAB>TEXT``: the
    spans lie inside the text and do not overlap, and TEXT begins with the
    pieces' text joined by one space (anything after it must start with white
    space). An attribute line is ``ID<TAB>TYPE TARGET [VALUE]`` (at most three
    space-separated fields), a relation ``ID<TAB>TYPE Arg1:ID Arg2:ID``, a note
    ``ID<TAB>TYPE TARGET<TAB>TEXT``; every referenced id must exist.
    """
    bad: list[str] = []
    lines = [line for line in re.split(r"\r\n|\r|\n", ann) if line]
    ids: set[str] = set()
    for line in lines:
        ids.add(line.split("\t", 1)[0])
    seen: set[str] = set()
    for n, line in enumerate(lines, 1):
        if "\t" not in line:
            bad.append(f"line {n}: no tab after the id")
            continue
        ident, tail = line.split("\t", 1)
        if not _BRAT_ID.fullmatch(ident) or (ident in seen and ident != "*"):
            bad.append(f"line {n}: bad or repeated id {ident!r}")
        seen.add(ident)
        data, _, rest = tail.partition("\t")
        data_tail = "\t" + rest if "\t" in tail else ""
        if ident[0] == "T":
            type_, _, offsets = data.partition(" ")
            try:
                spans = [tuple(int(x) for x in p.split(" ")) for p in offsets.split(";")]
            except ValueError:
                bad.append(f"line {n}: offsets {offsets!r}")
                continue
            seen_spans: list[tuple[int, ...]] = []
            for s, e in spans:
                if not 0 <= s <= e <= len(txt):
                    bad.append(f"line {n}: span {s} {e} outside the text")
                if any(e >= os and s < oe for os, oe in seen_spans):
                    bad.append(f"line {n}: spans overlap")
                seen_spans.append((s, e))
            spanlen = sum(e - s for s, e in spans) + len(spans) - 1
            text = data_tail[1 : spanlen + 1]
            after = data_tail[spanlen + 1 :]
            if not type_ or text != " ".join(txt[s:e] for s, e in spans):
                bad.append(f"line {n}: text {text!r} does not match the marked spans")
            if after and not after[0].isspace():
                bad.append(f"line {n}: text not separated from the rest of the line")
        elif ident[0] == "A":
            parts = data.split(" ")
            if len(parts) not in (2, 3) or parts[1] not in ids:
                bad.append(f"line {n}: attribute {data!r}")
        elif ident[0] == "R":
            parts = data.split(" ")
            args = [p.split(":", 1) for p in parts[1:]]
            if len(parts) != 3 or any(len(a) != 2 or a[1] not in ids for a in args):
                bad.append(f"line {n}: relation {data!r}")
        elif ident[0] == "#":
            parts = data.split()
            if len(parts) != 2 or parts[1] not in ids:
                bad.append(f"line {n}: note {data!r}")
    return bad


def test_the_rule_checker_catches_what_brat_refuses() -> None:
    txt = "Police beat\nstudents."
    assert brat_rule_violations(txt, "T1\tvictim 0 6\tPolice\n") == []
    assert brat_rule_violations(txt, "T1\tvictim 7 20\tbeat students\n")  # newline as space
    assert brat_rule_violations(txt, "T1\tvictim 7 20\tbeat\nstudents\n")  # split line
    assert brat_rule_violations(txt, "T1\tvictim 7 11;12 20\tbeat students\n") == []
    assert brat_rule_violations(txt, "T1\tvictim 0 6\tPolice\nA1\tkind T1 riot police\n")
    assert brat_rule_violations(txt, "R1\tx Arg1:T1 Arg2:T2\n")


def test_a_span_across_a_line_break_is_split_as_brat_does(tmp_path: Path) -> None:
    text = "Amnesty urged the\nauthorities to free\n\nKim today."
    p = Project(name="t", tagset=default_tagset())
    p.add_document(Document("d", text))
    start, end = text.index("the"), text.index(" today")
    layer = p.ensure_layer("alice")
    layer.doc("d").annotations["a1"] = Annotation("a1", "authority", (Fragment(start, end),))
    EXPORTERS["brat"].write(p, tmp_path / "b", ExportOptions(layer="alice"))
    ann = (tmp_path / "b" / "d.ann").read_text(encoding="utf-8")
    assert ann == "T1\tauthority 14 17;18 37;39 42\tthe authorities to free Kim\n"
    assert brat_rule_violations(text, ann) == []
    back = Project(name="t", tagset=default_tagset())
    assert read_into(back, tmp_path / "b", "alice") == []
    assert back.layers["alice"].docs["d"].annotations["a1"].fragments == (Fragment(start, end),)


def test_what_brat_cannot_hold_is_said_not_dropped(tmp_path: Path) -> None:
    """An annotation of nothing but a line break, and one ending in a line break, have no
    brat form: the export says which, in the CLI and through the exporter's notes."""
    text = "Police beat\nstudents.\n\nThey fled."
    p = Project(name="t", tagset=default_tagset())
    p.add_document(Document("d", text))
    da = p.ensure_layer("alice").doc("d")
    gap = text.index("\n\n")
    da.annotations["a1"] = Annotation("a1", "victim", (Fragment(gap, gap + 2),))
    end = text.index(".") + 2  # "students.\n": the line break at its end
    da.annotations["a2"] = Annotation("a2", "victim", (Fragment(text.index("students"), end),))
    notes = EXPORTERS["brat"].write(p, tmp_path / "b", ExportOptions(layer="alice"))
    assert notes == [
        "d: annotation a2 (victim) starts or ends with a line break, which brat cannot hold; "
        "written without it",
        "d: annotation a1 (victim) covers only line breaks, which brat cannot hold; left out",
    ]
    assert (
        (tmp_path / "b" / "d.ann")
        .read_text(encoding="utf-8")
        .startswith("T2\tvictim 12 21\tstudents.\n")
    )
    from annotator.formats.project_xml import save_project

    save_project(p, tmp_path / "p.xml")
    status, err = run_cli(
        "export",
        str(tmp_path / "p.xml"),
        "-f",
        "brat",
        "--layer",
        "alice",
        "-o",
        str(tmp_path / "c"),
    )
    assert status == 0
    assert "  note: d: annotation a1 (victim) covers only line breaks" in err


@settings(max_examples=60, deadline=None)
@given(project=projects(text_strategy=plain_texts.map(lambda t: t.replace("\r", ""))))
def test_every_line_of_our_export_follows_brats_rules(project: Project) -> None:
    sel = prepare(project, ExportOptions(layer="alice"))
    for doc in sel.documents:
        ann = ann_text(sel, doc.id)
        assert brat_rule_violations(doc.text, ann) == [], ann


def test_colliding_file_names_get_a_suffix(tmp_path: Path) -> None:
    p = Project(name="t", tagset=default_tagset())
    for doc_id, text in (("rel 1", "First."), ("rel_1", "Second."), ("REL_1", "Third.")):
        p.add_document(Document(doc_id, text))
    p.ensure_layer("alice")
    for fmt, suffix in (("brat", ".txt"), ("mae", ".xml")):
        out = tmp_path / fmt
        EXPORTERS[fmt].write(p, out, ExportOptions(layer="alice"))
        names = sorted(f.name for f in out.iterdir() if f.suffix == suffix)
        # the third differs only in case: one file on Windows and macOS, so it is suffixed
        assert names == sorted(f"{stem}{suffix}" for stem in ("rel_1", "rel_1-2", "REL_1-3"))
    assert (tmp_path / "brat" / "REL_1-3.txt").read_text(encoding="utf-8") == "Third."


def test_event_argument_naming_a_later_event_is_kept(tmp_path: Path) -> None:
    """brat's event standoff lets an argument name an event defined further down."""
    ann = (
        "T1\tappeal 43 82\turged President Kim to release them; it\n"
        "T2\tauthority 49 62\tPresident Kim\n"
        "E1\tappeal:T1 addressee:E2\n"
        "E2\tauthority:T2\n"
    )
    folder = _write(tmp_path / "b", "ev", TEXT, ann)
    p = _project()
    notes = read_into(p, folder, "alice")
    da = p.layers["alice"].docs["ev"]
    assert {(lk.type, lk.source, lk.target) for lk in da.links.values()} == {
        ("addressee", "a1", "a2")
    }
    assert not any("E1" in n or "not imported" in n for n in notes), notes


def test_attribute_value_with_spaces_is_kept_whole(tmp_path: Path) -> None:
    tagset = TagSet(
        "t",
        tags=(TagType("victim", "Victim", "#000000", attributes=(AttributeDef("harm"),)),),
    )
    folder = _write(
        tmp_path / "b",
        "v",
        TEXT,
        "T1\tvictim 16 24\tstudents\nA1\tharm T1 beaten with batons\n",
    )
    p = Project("t", tagset)
    assert read_into(p, folder, "alice") == []
    ann = p.layers["alice"].docs["v"].annotations["a1"]
    assert ann.attributes == {"harm": "beaten with batons"}


def test_link_notes_travel_as_notes_on_relations(tmp_path: Path) -> None:
    project = sample_project()
    da = project.layers["alice"].docs["doc0001"]
    da.links["r1"] = replace(da.links["r1"], note="the President, not the police")
    EXPORTERS["brat"].write(project, tmp_path / "b", ExportOptions(layer="alice"))
    ann = (tmp_path / "b" / "doc0001.ann").read_text(encoding="utf-8")
    assert "\tAnnotatorNotes R1\tthe President, not the police" in ann
    assert brat_rule_violations(project.documents["doc0001"].text, ann) == []
    back = _project()
    assert read_into(back, tmp_path / "b", "alice") == []
    assert back.layers["alice"].docs["doc0001"].links["r1"].note == "the President, not the police"
