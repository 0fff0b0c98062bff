"""The export dialog drives the core exporters; errors go to window.show_error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QMenu

from annotator.ui.export_dialog import ExportDialog, install
from annotator.ui.session import ProjectSession
from tests.export_support import sample_project

pytestmark = pytest.mark.gui


class FakeWindow(QMainWindow):
    """Just what the plug-in contract promises: menus, session, show_error."""

    def __init__(self) -> None:
        super().__init__()
        self.session = ProjectSession(sample_project(), "alice")
        self.session.current_doc_id = "doc0002"
        self.menus = {"file": QMenu("File", self)}
        self.errors: list[BaseException] = []

    def show_error(self, err: BaseException) -> None:
        self.errors.append(err)


@pytest.fixture
def window(qtbot) -> FakeWindow:  # type: ignore[no-untyped-def]
    w = FakeWindow()
    qtbot.addWidget(w)
    return w


def test_install_adds_ctrl_e(window: FakeWindow) -> None:
    install(window)
    actions = window.menus["file"].actions()
    assert [a.text() for a in actions] == ["&Export…"]
    assert actions[0].shortcut().toString() == "Ctrl+E"


def test_export_current_document_as_json(window: FakeWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dlg = ExportDialog(window)
    qtbot.addWidget(dlg)
    dlg.format.setCurrentIndex(dlg.format.findData("json"))
    dlg.current_doc.setChecked(True)
    dlg.redact["victim"].setChecked(True)
    out = tmp_path / "x.json"
    dlg.path.setText(str(out))
    dlg.export_button.click()
    assert window.errors == []
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["id"] for d in data["documents"]] == ["release-1"]
    assert "Trade unionists" not in out.read_text(encoding="utf-8")
    assert "[Victim 1]" in data["documents"][0]["text"]


def test_export_redacts_names_typed_in_also_redact(  # type: ignore[no-untyped-def]
    window: FakeWindow, qtbot, tmp_path: Path
) -> None:
    dlg = ExportDialog(window)
    qtbot.addWidget(dlg)
    dlg.format.setCurrentIndex(dlg.format.findData("json"))
    dlg.redact["victim"].setChecked(True)
    qtbot.keyClicks(dlg.redact_also, "Ankara, Turkey")
    out = tmp_path / "x.json"
    dlg.path.setText(str(out))
    dlg.export_button.click()
    assert window.errors == []
    written = out.read_text(encoding="utf-8")
    assert "Ankara" not in written and "Turkey" not in written
    assert "[Redacted]" in written


def test_a_leak_is_shown_as_one_error_and_nothing_is_written(  # type: ignore[no-untyped-def]
    window: FakeWindow, qtbot, tmp_path: Path
) -> None:
    dlg = ExportDialog(window)
    qtbot.addWidget(dlg)
    dlg.format.setCurrentIndex(dlg.format.findData("json"))
    qtbot.keyClicks(dlg.redact_also, "Ankara")
    out = tmp_path / "ankara.json"  # the file's own name would give it away
    dlg.path.setText(str(out))
    dlg.export_button.click()
    assert len(window.errors) == 1 and "'Ankara' in the file name" in str(window.errors[0])
    assert not out.exists()


def test_error_goes_to_show_error(window: FakeWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dlg = ExportDialog(window)
    qtbot.addWidget(dlg)
    dlg.format.setCurrentIndex(dlg.format.findData("csv"))
    dlg.path.setText(str(tmp_path / "missing-folder" / "x.csv"))
    assert dlg.do_export() is False
    assert len(window.errors) == 1


def test_copy_appeals_table(window: FakeWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = ExportDialog(window)
    qtbot.addWidget(dlg)
    dlg.copy_button.click()
    text = QGuiApplication.clipboard().text()
    assert text.startswith("document\tcountry\tdate\theadline\tappeal")
    assert "President Kim" in text
