"""Fixtures for GUI tests: private settings folder, a user name, a window on a temp project."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.model import Document, DocumentMeta, Project

SAMPLE_TEXT = (
    "Amnesty International today called on the authorities to release "
    "“Sané Diop”, a journalist, and 12 trade unionists.\n"
    "\n"
    "The Ministry of Interior must stop the harassment of human rights defenders.\n"
)
SECOND_TEXT = "Police arrested the journalist again. The journalist was released later."


def make_project() -> Project:
    from annotator.formats.project_xml import new_project

    p = new_project("Sample")
    p.add_document(Document("doc0001", SAMPLE_TEXT, DocumentMeta(headline="Release one")))
    p.add_document(Document("doc0002", SECOND_TEXT, DocumentMeta(headline="Release two")))
    return p


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("settings")
    monkeypatch.setenv("ANNOTATOR_SETTINGS_DIR", str(folder))
    monkeypatch.setenv("ANNOTATOR_NAME", "tester")
    # a window on a project inside a git checkout never asks a remote for news in a test
    from annotator.ui.git_menu import GitMenu

    monkeypatch.setattr(GitMenu, "FIRST_FETCH_MS", 10**9)
    monkeypatch.setattr(GitMenu, "FETCH_MS", 10**9)
    from annotator.ui import dialogs

    def refuse(*_a, **_k):  # type: ignore[no-untyped-def]
        raise AssertionError("an unexpected dialog was opened")

    for name in (
        "show_error",
        "show_info",
        "ask_save_changes",
        "ask_restore",
        "ask_conflict",
        "ask_name",
        "get_open_path",
        "get_save_path",
        "get_import_paths",
    ):
        monkeypatch.setattr(dialogs, name, refuse)
    return folder


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    from annotator.formats.project_xml import save_project

    path = tmp_path / "sample.xml"
    save_project(make_project(), path)
    return path


@pytest.fixture
def make_window(qtbot, project_path: Path):  # type: ignore[no-untyped-def]
    from annotator.ui.main_window import MainWindow

    windows = []

    def _discard(w) -> None:  # type: ignore[no-untyped-def]
        w.closing_confirmed = True

    def build(path: Path | None = project_path):  # type: ignore[no-untyped-def]
        w = MainWindow("tester")
        qtbot.addWidget(w, before_close_func=_discard)
        if path is not None:
            assert w.file_ops.open_path(path, ask=False)
        w.resize(1000, 700)
        w.show()
        qtbot.waitExposed(w)
        # window shortcuts (the tag keys) only fire in the active window
        w.activateWindow()
        qtbot.waitUntil(w.isActiveWindow, timeout=3000)
        w.text_view.setFocus()
        windows.append(w)
        return w

    yield build
    for w in windows:
        w.closing_confirmed = True
        w.session.undo_stack.setClean()


@pytest.fixture
def window(make_window):  # type: ignore[no-untyped-def]
    return make_window()
