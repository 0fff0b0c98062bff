"""The headless command line: new, import, validate, stats, gui — run through ``main``.

Every command is driven the way a user types it; the project files it writes
are read back with the real loader. Bad input must give one line on stderr and
exit status 1, never a traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.formats.project_xml import (
    load_project,
    project_to_bytes,
    save_project,
)
from annotator.model import AddAnnotation, History, Project

REPO = Path(__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# --- new --------------------------------------------------------------------------


def test_new_creates_a_valid_empty_project(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    path = tmp_path / "campaign.xml"
    code, out, err = run(capsys, "new", str(path))
    assert (code, err) == (0, "")
    assert "created" in out
    project, _ = load_project(path)
    assert project.name == "campaign"
    assert [t.name for t in project.tagset.tags] == ["appeal", "victim", "authority"]
    assert project.documents == {}


def test_new_takes_a_name_and_a_tagset(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    tagset = tmp_path / "mini.xml"
    tagset.write_text(
        '<tagset name="mini"><tag name="place" label="Place" color="#123456"/></tagset>',
        encoding="utf-8",
    )
    path = tmp_path / "p.xml"
    code, _, err = run(capsys, "new", str(path), "--tagset", str(tagset), "--name", "Korea 1998")
    assert (code, err) == (0, "")
    project, _ = load_project(path)
    assert project.name == "Korea 1998"
    assert [t.name for t in project.tagset.tags] == ["place"]


def test_new_refuses_to_overwrite_unless_forced(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    path = tmp_path / "p.xml"
    path.write_text("precious work", encoding="utf-8")
    code, _, err = run(capsys, "new", str(path))
    assert code == 1
    assert err.count("\n") == 1 and "already exists" in err and str(path) in err
    assert path.read_text(encoding="utf-8") == "precious work"
    code, _, err = run(capsys, "new", str(path), "--force")
    assert (code, err) == (0, "")
    assert load_project(path)[0].name == "p"


# --- import -------------------------------------------------------------------------


def test_import_the_seed_creates_two_documents(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seed_path: Path
):
    out_path = tmp_path / "p.xml"
    code, out, err = run(capsys, "import", str(seed_path), "-o", str(out_path))
    assert (code, err) == (0, "")
    lines = [ln for ln in out.splitlines() if ln.startswith("imported ")]
    assert len(lines) == 2
    assert "South Korea" in lines[0]
    assert "Cambodia" in lines[1]
    project, _ = load_project(out_path)
    assert len(project.documents) == 2
    texts = [d.text for d in project.documents.values()]
    assert "Sané" in texts[0]
    assert "call on all sides in the current political crisis to exercise restraint" in texts[1]


def test_keep_layout_keeps_the_pdf_line_breaks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seed_path: Path
):
    repaired, kept = tmp_path / "repaired.xml", tmp_path / "kept.xml"
    assert run(capsys, "import", str(seed_path), "-o", str(repaired))[0] == 0
    assert run(capsys, "import", "--keep-layout", str(seed_path), "-o", str(kept))[0] == 0
    text_r = next(iter(load_project(repaired)[0].documents.values())).text
    text_k = next(iter(load_project(kept)[0].documents.values())).text
    assert "long term development" in text_r
    assert "long term \n\ndevelopment" in text_k


def test_import_again_reports_duplicates_and_keeps_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seed_path: Path
):
    out_path = tmp_path / "p.xml"
    assert run(capsys, "import", str(seed_path), "-o", str(out_path))[0] == 0
    before = out_path.read_bytes()
    code, out, err = run(capsys, "import", str(seed_path), "-o", str(out_path))
    assert (code, err) == (0, "")
    assert out.count("duplicate ") == 2
    assert "nothing new" in out
    assert out_path.read_bytes() == before


def test_import_appends_and_keeps_existing_annotations(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seed_path: Path, small_project: Project
):
    out_path = tmp_path / "p.xml"
    History(small_project).push(AddAnnotation("dana", "doc0001", "authority", [(0, 15)]))
    save_project(small_project, out_path)
    code, out, err = run(capsys, "import", str(seed_path), "-o", str(out_path))
    assert (code, err) == (0, "")
    assert f"saved {out_path}: 4 documents" in out
    project, _ = load_project(out_path)
    assert len(project.documents) == 4
    assert project.layer("dana").doc("doc0001").annotations["a1"].tag == "authority"


def test_import_skips_bad_sources_and_goes_on(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seed_path: Path
):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    missing = tmp_path / "missing.txt"
    out_path = tmp_path / "p.xml"
    code, out, err = run(
        capsys, "import", str(missing), str(binary), str(seed_path), "-o", str(out_path)
    )
    assert code == 1  # something was skipped
    assert out.count("imported ") == 2
    skipped = err.splitlines()
    assert len(skipped) == 2, err
    assert all(ln.startswith("annotator: skipped ") for ln in skipped)
    assert str(missing) in skipped[0] and "no such file" in skipped[0]
    assert str(binary) in skipped[1]
    assert len(load_project(out_path)[0].documents) == 2  # the good source still went in


def test_import_of_nothing_usable_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    out_path = tmp_path / "p.xml"
    code, _, err = run(capsys, "import", str(tmp_path / "nope.txt"), "-o", str(out_path))
    assert code == 1
    assert "nothing was imported" in err
    assert not out_path.exists()


def test_import_into_a_missing_folder_fails_before_importing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seed_path: Path
):
    out_path = tmp_path / "no" / "such" / "p.xml"
    code, out, err = run(capsys, "import", str(seed_path), "-o", str(out_path))
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "does not exist; nothing was imported" in err


def test_import_reapplies_itself_to_a_project_changed_meanwhile(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    seed_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    """A colleague saved between our load and our save: both changes end up in the file."""
    from annotator.formats import project_update

    out_path = tmp_path / "p.xml"
    run(capsys, "new", str(out_path))
    real_load = project_update.load_project
    loads: list[str] = []

    def load_then_colleague_saves(path: str | Path) -> tuple[Project, str]:
        loaded = real_load(path)
        loads.append(loaded[1])
        if len(loads) == 1:  # once: the colleague's save lands right after our read
            other, _ = real_load(path)
            other.name = "colleague"
            Path(path).write_bytes(project_to_bytes(other))
        return loaded

    monkeypatch.setattr(project_update, "load_project", load_then_colleague_saves)
    code, out, err = run(capsys, "import", str(seed_path), "-o", str(out_path))
    assert (code, err) == (0, "")
    assert len(loads) == 2 and loads[0] != loads[1]  # the second read saw their save
    lines = out.splitlines()
    assert len(lines) == len(set(lines)) and out.count("saved ") == 1  # reported once
    project = real_load(out_path)[0]
    assert project.name == "colleague" and len(project.documents) >= 1


def test_import_gives_up_with_one_line_when_the_file_keeps_changing(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    seed_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    """A writer that ignores the lock and saves after every read: exit 1, nothing claimed."""
    from annotator.formats import project_update

    out_path = tmp_path / "p.xml"
    run(capsys, "new", str(out_path))
    real_load = project_update.load_project

    def load_then_colleague_saves(path: str | Path) -> tuple[Project, str]:
        loaded = real_load(path)
        other, _ = real_load(path)
        other.name = f"colleague {other.name}"
        Path(path).write_bytes(project_to_bytes(other))
        return loaded

    monkeypatch.setattr(project_update, "load_project", load_then_colleague_saves)
    code, out, err = run(capsys, "import", str(seed_path), "-o", str(out_path))
    assert code == 1 and "saved" not in out
    assert err.count("\n") == 1 and "changed on disk" in err
    assert real_load(out_path)[0].documents == {}  # their last save stands, ours claimed nothing


# --- validate ---------------------------------------------------------------------


def test_validate_valid_and_invalid_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, small_project: Project
):
    good = tmp_path / "good.xml"
    save_project(small_project, good)
    bad = tmp_path / "bad.xml"
    data = (
        good.read_text(encoding="utf-8")
        .replace('tag="', 'tag="')
        .replace("<documents>", "<documents><bogus/>", 1)
    )
    bad.write_text(data, encoding="utf-8")
    code, out, err = run(capsys, "validate", str(good))
    assert (code, out, err) == (0, f"{good}: valid\n", "")
    code, out, err = run(capsys, "validate", str(good), str(bad))
    assert code == 1
    assert out == f"{good}: valid\n"
    problems = err.splitlines()
    assert problems[0].startswith(f"{bad}, line ")
    assert problems[-1] == "1 of 2 files are not valid"


# --- stats ------------------------------------------------------------------------


def test_stats_table_and_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, small_project: Project
):
    History(small_project).push(
        AddAnnotation("dana", "doc0001", "authority", [(0, 15)], {"kind": "security-forces"})
    )
    path = tmp_path / "p.xml"
    save_project(small_project, path)
    code, out, err = run(capsys, "stats", str(path))
    assert (code, err) == (0, "")
    assert "2 documents" in out
    row = next(ln for ln in out.splitlines() if ln.startswith("dana "))
    assert row.split() == ["dana", "0", "0", "1", "1", "0", "1"]
    code, out, err = run(capsys, "stats", str(path), "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["tags"]["authority"] == 1
    assert data["layers"]["dana"]["annotations"] == 1


# --- bad input: one line, exit 1, for every command ------------------------------


def bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "missing": tmp_path / "missing.xml",
        "malformed": tmp_path / "malformed.xml",
        "binary": tmp_path / "binary.xml",
        "future": tmp_path / "future.xml",
        "empty": tmp_path / "empty.xml",
        "folder": tmp_path / "folder.xml",
        "not-a-project": tmp_path / "html.xml",
    }
    files["malformed"].write_text("<annotator-project format-version='1'><documents>", "utf-8")
    files["binary"].write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    files["future"].write_text(
        '<annotator-project format-version="99" name="x"/>', encoding="utf-8"
    )
    files["empty"].write_bytes(b"")
    files["folder"].mkdir()
    files["not-a-project"].write_text("<html><body>hi</body></html>", encoding="utf-8")
    return files


BAD_KINDS = ["missing", "malformed", "binary", "future", "empty", "folder", "not-a-project"]


#: (command, kind of bad file); importing into a missing project creates it (tested above)
BAD_CASES = [
    (command, kind)
    for command in ("validate", "stats", "import-into")
    for kind in BAD_KINDS
    if (command, kind) != ("import-into", "missing")
]


@pytest.mark.parametrize(("command", "kind"), BAD_CASES)
def test_bad_input_gives_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    seed_path: Path,
    command: str,
    kind: str,
):
    path = bad_files(tmp_path)[kind]
    before = path.read_bytes() if path.is_file() else None
    if command == "import-into":
        argv = ["import", str(seed_path), "-o", str(path)]
    else:
        argv = [command, str(path)]
    code, _, err = run(capsys, *argv)
    assert code == 1
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    assert str(path) in err
    if before is not None:
        assert path.read_bytes() == before  # user data left untouched


@pytest.mark.parametrize("kind", ["missing", "malformed", "binary", "folder"])
def test_bad_tagset_for_new(capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str):
    tagset = bad_files(tmp_path)[kind]
    code, _, err = run(capsys, "new", str(tmp_path / "p.xml"), "--tagset", str(tagset))
    assert code == 1
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "p.xml").exists()


def test_gui_with_a_missing_file_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    code, _, err = run(capsys, "gui", str(tmp_path / "missing.xml"))
    assert code == 1
    assert err.count("\n") == 1 and "no such file" in err


def all_commands() -> list[str]:
    import argparse

    from annotator.cli import build_parser

    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return list(sub.choices)


def test_all_commands_are_registered():
    assert {"new", "import", "validate", "stats", "gui"} <= set(all_commands())


@pytest.mark.parametrize("command", all_commands())
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: str):
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert out.startswith(f"usage: annotator {command}")


def test_the_installed_entry_point_runs_as_a_module(tmp_path: Path, seed_path: Path):
    """``python -m annotator`` works from another folder (no traceback on a real error)."""
    proc = subprocess.run(
        [sys.executable, "-m", "annotator", "validate", str(tmp_path / "missing.xml")],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


# --- annotation files go into the --annotator layer --------------------------------


@pytest.mark.parametrize(("fmt", "name"), [("brat", "brat"), ("inline-xml", "inline.xml")])
def test_import_annotations_into_my_layer(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str, name: str
):
    from annotator.interchange.registry import EXPORTERS, ExportOptions

    sample, _ = load_project(REPO / "projects" / "sample.xml")
    exported = tmp_path / name
    EXPORTERS[fmt].write(sample, exported, ExportOptions(layer="dana"))
    out_path = tmp_path / "p.xml"
    code, out, err = run(capsys, "--annotator", "sam", "import", str(exported), "-o", str(out_path))
    assert (code, err) == (0, "")
    assert "43 annotations into layer 'sam'" in out
    project, _ = load_project(out_path)
    assert list(project.layers) == ["sam"]
    mine = sorted((d.text[a.start : a.end], a.tag) for _, d, a in project.iter_annotations())
    theirs = sorted((d.text[a.start : a.end], a.tag) for _, d, a in sample.iter_annotations())
    assert mine == theirs


def test_a_broken_annotation_file_is_skipped(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    broken = tmp_path / "broken.ann"  # brat standoff: sniffed as brat, but no text beside it
    broken.write_text("T1\tvictim 0 5\tabcde\n", encoding="utf-8")
    out_path = tmp_path / "p.xml"
    code, _, err = run(capsys, "import", str(broken), "-o", str(out_path))
    assert code == 1
    assert "Traceback" not in err and err.count("\n") == 2, err  # skipped + nothing imported
    assert str(broken) in err
    assert not out_path.exists()


def test_a_bad_annotation_file_changes_nothing_and_names_the_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    """A brat file whose reference text is wrong is skipped; the project file stays as it was."""
    out_path = tmp_path / "p.xml"
    small, _ = load_project(REPO / "projects" / "sample.xml")
    save_project(small, out_path)
    before = out_path.read_bytes()
    (tmp_path / "half.txt").write_text("Police arrested students.\n", encoding="utf-8")
    src = tmp_path / "half.ann"
    src.write_text("T1\tvictim 16 24\tstudents\nT2\tvictim 0 6\tPolicE\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(src), "-o", str(out_path))
    assert code == 1
    assert err.startswith(f"annotator: skipped {src}: line 2: T2 says 'PolicE'")
    assert out_path.read_bytes() == before
