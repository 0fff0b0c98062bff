"""``annotator suggest``: listing, JSON Lines, --apply through the locked update, bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotator.assist.rejections import Rejection, save_rejections
from annotator.cli import main
from annotator.formats.project_xml import load_project, save_project
from tests.assist_support import project_of

TEXTS = (
    "Amnesty International calls on the Kenyan police to release the 30 students "
    "arrested in Nairobi.",
    "Security forces shot dead three protesters in Mombasa on Friday.",
)


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    path = tmp_path / "kenya.xml"
    save_project(project_of(*TEXTS), path, backup=False)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_lists_suggestions_per_release_without_changing_the_file(
    project_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = project_file.read_bytes()
    code, out, err = run(capsys, "--annotator", "ana", "suggest", str(project_file))
    assert code == 0
    lines = out.splitlines()
    assert any("\tappeal\t“calls on the Kenyan police to release" in ln for ln in lines)
    assert any(ln.startswith("d2\t") and "\tauthority\t“Security forces”" in ln for ln in lines)
    assert "suggestions suggested in 2 releases" in err
    assert project_file.read_bytes() == before


def test_json_lines_one_release_at_a_time(
    project_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "suggest", str(project_file), "--json", "--documents", "d2")
    assert code == 0
    rows = [json.loads(ln) for ln in out.splitlines()]
    assert [r["document"] for r in rows] == ["d2"]
    tags = {(s["tag"], s["text"]) for s in rows[0]["suggestions"]}
    assert ("authority", "Security forces") in tags
    assert ("victim", "three protesters") in tags
    victim = next(s for s in rows[0]["suggestions"] if s["tag"] == "victim")
    assert victim["attributes"]["harm"] == ["killed"]
    assert victim["suggester"] == "victim-lexicon"


def test_apply_adds_them_to_the_layer_once(
    project_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "--annotator",
        "ana",
        "suggest",
        str(project_file),
        "--apply",
        "--suggesters",
        "appeal-cues,authority-lexicon,victim-lexicon",
    )
    assert code == 0
    assert f"saved {project_file}" in out
    project, _ = load_project(project_file)
    da = project.layer("ana").doc("d1")
    assert {a.tag for a in da.annotations.values()} == {"appeal", "authority", "victim"}
    assert all(a.provenance["suggested_by"] for a in da.annotations.values())
    assert {lk.type for lk in da.links.values()} == {"addressee", "on_behalf_of"}
    code, out, _ = run(
        capsys,
        "--annotator",
        "ana",
        "suggest",
        str(project_file),
        "--apply",
        "--suggesters",
        "appeal-cues,authority-lexicon,victim-lexicon",
    )
    assert code == 0
    assert "no suggestions" in out


def test_rejected_strings_are_not_listed(
    project_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    save_rejections(
        project_file,
        "ana",
        [
            Rejection("d2", "authority", "0-15", "Security forces"),
            Rejection("d9", "authority", "4-19", "security forces"),
        ],
    )
    _, out, _ = run(capsys, "--annotator", "ana", "suggest", str(project_file))
    assert "Security forces" not in out
    _, out, _ = run(capsys, "--annotator", "bo", "suggest", str(project_file))
    assert "Security forces" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--documents", "d1,nope"], "has no document 'nope'"),
        (["--documents", " , "], "--documents needs at least one name"),
        (["--suggesters", "crf"], "there is no suggester 'crf'"),
    ],
)
def test_bad_options_give_one_sentence(
    project_file: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    before = project_file.read_bytes()
    code, _out, err = run(capsys, "suggest", str(project_file), *args, "--apply")
    assert code == 1
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert project_file.read_bytes() == before


def test_a_missing_or_damaged_project_gives_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "suggest", str(tmp_path / "none.xml"))
    assert code == 1 and "none.xml" in err and len(err.splitlines()) == 1
    bad = tmp_path / "bad.xml"
    bad.write_text("<annotator-project", encoding="utf-8")
    code, _, err = run(capsys, "suggest", str(bad))
    assert code == 1 and "bad.xml" in err and len(err.splitlines()) == 1
    code, _, err = run(capsys, "suggest", str(tmp_path))
    assert code == 1 and "folder" in err


def test_the_sample_project_gets_suggestions_for_a_new_annotator(
    repo_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = tmp_path / "sample.xml"
    shutil.copy(repo_root / "projects" / "sample.xml", sample)
    code, _out, _err = run(capsys, "--annotator", "new", "suggest", str(sample), "--apply")
    assert code == 0
    project, _ = load_project(sample)
    assert project.layer("new").annotation_count() > 40
    assert project.layer("dana").annotation_count() == 43  # nobody else's layer changes
