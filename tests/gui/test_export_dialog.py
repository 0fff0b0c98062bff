"""The export dialog drives the core exporters; errors go to the notifier, once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from annotator.ui.export_dialog import ExportDialog
from tests.export_support import sample_project

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot):  # type: ignore[no-untyped-def]
    """The real main window on the sample project, recording the errors it shows."""
    from annotator.ui.main_window import MainWindow

    w = MainWindow("alice", sample_project())
    qtbot.addWidget(w, before_close_func=lambda w: setattr(w, "closing_confirmed", True))
    w.session.set_current_document("doc0002")
    w.errors = []
    w.notifier.show_error = lambda err, title="": w.errors.append(err)
    return w


def _dialog(window, qtbot) -> ExportDialog:  # type: ignore[no-untyped-def]
    dlg = ExportDialog(window.session, window.notifier, window)
    qtbot.addWidget(dlg)
    return dlg


def test_ctrl_e_opens_the_export_dialog(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    opened: list[ExportDialog] = []
    monkeypatch.setattr(ExportDialog, "exec", lambda self: opened.append(self) or 0)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.text_view.setFocus()
    qtbot.keyClick(window.text_view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert len(opened) == 1
    file_menu = [a.text() for a in window.menus["file"].actions()]
    assert "&Export…" in file_menu


def test_export_current_document_as_json(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dlg = _dialog(window, qtbot)
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
    window, qtbot, tmp_path: Path
) -> None:
    dlg = _dialog(window, qtbot)
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
    window, qtbot, tmp_path: Path
) -> None:
    dlg = _dialog(window, qtbot)
    dlg.format.setCurrentIndex(dlg.format.findData("json"))
    qtbot.keyClicks(dlg.redact_also, "Ankara")
    out = tmp_path / "ankara.json"  # the file's own name would give it away
    dlg.path.setText(str(out))
    dlg.export_button.click()
    assert len(window.errors) == 1 and "'Ankara' in the file name" in str(window.errors[0])
    assert not out.exists()


def test_error_goes_to_the_notifier(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dlg = _dialog(window, qtbot)
    dlg.format.setCurrentIndex(dlg.format.findData("csv"))
    dlg.path.setText(str(tmp_path / "missing-folder" / "x.csv"))
    assert dlg.do_export() is False
    assert len(window.errors) == 1


def test_copy_appeals_table(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = _dialog(window, qtbot)
    dlg.copy_button.click()
    text = QGuiApplication.clipboard().text()
    assert text.startswith("document\tcountry\tdate\theadline\tappeal")
    assert "President Kim" in text
