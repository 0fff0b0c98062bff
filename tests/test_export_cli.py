"""``annotator export``: every format from a saved project, options, errors as one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.formats.project_xml import save_project
from annotator.interchange.registry import EXPORTERS
from tests.export_support import sample_project


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    path = tmp_path / "korea.xml"
    save_project(sample_project(), path, backup=False)
    return path


def test_help_lists_formats(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    out = capsys.readouterr().out
    for name, exp in EXPORTERS.items():
        assert name in out
        assert exp.description[:30] in out.replace("\n", " ")


@pytest.mark.parametrize("fmt", list(EXPORTERS))
def test_every_format(fmt: str, project_file: Path, tmp_path: Path) -> None:
    out = tmp_path / f"out-{fmt}"
    assert main(["export", str(project_file), "--format", fmt, "-o", str(out)]) == 0
    assert out.exists()
    files = [out] if out.is_file() else list(out.iterdir())
    assert files and all(f.stat().st_size > 0 for f in files)


def test_options(project_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    argv = [
        "export",
        str(project_file),
        "-f",
        "json",
        "--layer",
        "alice",
        "--documents",
        "doc0002",
        "--redact",
        "victim",
        "authority",
        "-o",
        str(out),
    ]
    assert main(argv) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    # redacted documents get neutral ids: the original id may come from a name
    assert [d["id"] for d in data["documents"]] == ["release-1"]
    text = data["documents"][0]["text"]
    assert "[Victim 1]" in text and "[Responsible authority 1]" in text
    csv_out = tmp_path / "x.csv"
    assert main(["export", str(project_file), "-f", "csv", "--no-bom", "-o", str(csv_out)]) == 0
    assert not csv_out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_errors_are_one_line(
    project_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.json"
    assert main(["export", str(project_file), "-f", "json", "--layer", "zed", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("annotator: error: the project has no layer 'zed'")
    assert err.count("\n") == 1
    assert (
        main(["export", str(project_file), "-f", "json", "--redact", "nobody", "-o", str(out)]) == 1
    )
    assert "nobody" in capsys.readouterr().err
