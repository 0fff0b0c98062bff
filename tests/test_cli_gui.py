"""``annotator gui`` hands over to ``annotator.ui.app.main`` and imports Qt only then.

The real window is tested by the GUI tests; here a stand-in app module records
what the command passes, so this runs without a display.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from annotator.cli import main


@pytest.fixture
def fake_app(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    calls: list[list[str]] = []
    module = types.ModuleType("annotator.ui.app")

    def app_main(argv: list[str] | None = None) -> int:
        calls.append(list(argv or []))
        return 7

    module.main = app_main  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "annotator.ui.app", module)
    # setenv first so the original value (or its absence) is restored afterwards
    monkeypatch.setenv("ANNOTATOR_NAME", "placeholder")
    monkeypatch.delenv("ANNOTATOR_NAME")
    return calls


def test_gui_passes_the_project_and_returns_the_app_status(
    fake_app: list[list[str]], tmp_path: Path
) -> None:
    project = tmp_path / "p.xml"
    project.write_text("<annotator-project/>", encoding="utf-8")
    assert main(["--annotator", "Dana", "gui", str(project)]) == 7
    assert fake_app == [["--annotator", "Dana", str(project)]]


def test_gui_without_arguments_lets_the_window_decide(fake_app: list[list[str]]) -> None:
    assert main(["gui"]) == 7
    assert fake_app == [[]]  # no name given: the GUI asks a first-time user for one


def test_gui_uses_the_configured_name_by_default(
    fake_app: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATOR_NAME", "Sam")
    assert main(["gui"]) == 7
    assert fake_app == [["--annotator", "Sam"]]


def test_gui_without_qt_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "annotator.ui.app", None)  # import raises ImportError
    assert main(["gui"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("annotator: error: the graphical interface cannot start")
    assert err.count("\n") == 1


def test_gui_refuses_a_folder(
    fake_app: list[list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["gui", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err
    assert fake_app == []
