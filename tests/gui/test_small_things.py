"""What a campaigner meets on the way: picking a link target over overlaps, the shortcut
list, remembered layers, own annotations listed first, the import filter, the export
dialog. Each test drives the real main window with the keys and clicks a user gives."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QTextBrowser

from annotator.formats.project_xml import load_project, save_project
from annotator.model import AddAnnotation
from annotator.ui.docks.annotations import KEY_ROLE
from tests.gui.conftest import SAMPLE_TEXT, make_project

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _span(word: str, occurrence: int = 0) -> tuple[int, int]:
    s = -1
    for _ in range(occurrence + 1):
        s = SAMPLE_TEXT.index(word, s + 1)
    return s, s + len(word)


def _point(view, cp: int) -> QPoint:  # type: ignore[no-untyped-def]
    c = QTextCursor(view.document())
    c.setPosition(view.offsets.to_utf16(cp))
    rect = view.cursorRect(c)
    return QPoint(rect.left() + 3, rect.center().y())


def _click(qtbot, view, cp: int) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_point(view, cp))


@pytest.fixture
def overlap_path(tmp_path: Path) -> Path:
    """tester's appeal and two authorities over "the authorities", a victim of tester over
    the same words, and alice's authority there too: three wrong targets, two right."""
    p = make_project()
    a, b = _span("called on the authorities to release")
    t, u = _span("the authorities")
    adds = [
        AddAnnotation("tester", "doc0001", "appeal", [(a, b)]),
        AddAnnotation("tester", "doc0001", "authority", [(t, u)]),
        AddAnnotation("tester", "doc0001", "authority", [(t + 4, u)]),
        AddAnnotation("tester", "doc0001", "victim", [(t + 4, u)]),
        AddAnnotation("alice", "doc0001", "authority", [(t + 4, u)]),
    ]
    p.ensure_layer("tester")
    p.ensure_layer("alice")
    for add in adds:
        add.do(p)
    path = tmp_path / "overlap.xml"
    save_project(p, path)
    return path


def _ids(window) -> dict[str, str]:  # type: ignore[no-untyped-def]
    out = {}
    for layer in ("tester", "alice"):
        da = window.session.project.layers[layer].docs["doc0001"]
        for ann in sorted(da.annotations.values(), key=lambda x: (x.start, x.id)):
            out.setdefault(f"{layer}:{ann.tag}", ann.id)
            out[f"{layer}:{ann.tag}:{ann.start}"] = ann.id
    return out


def _links(window) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    da = window.session.project.layers["tester"].docs["doc0001"]
    return {(lk.type, lk.source, lk.target) for lk in da.links.values()}


def test_pick_in_text_takes_an_allowed_target_under_overlaps(make_window, overlap_path, qtbot):  # type: ignore[no-untyped-def]
    w = make_window(overlap_path)
    view, session = w.text_view, w.session
    qtbot.keyClick(view, Qt.Key.Key_L, CTRL | SHIFT)  # show colleagues' layers
    assert "alice" in session.visible_layers
    ids = _ids(w)
    t, _u = _span("the authorities")
    word = t + 4 + 3  # inside "authorities": appeal, 2 authorities, victim, alice's
    assert len(view.pieces_at_point(_point(view, word))) == 5
    _click(qtbot, view, _span("called")[0])  # select the appeal (only it is there)
    assert session.selected == ("tester", ids["tester:appeal"])
    insp = w.docks.inspector
    insp.link_type_combo.setCurrentIndex(
        insp.link_type_combo.findText("Addressed to", Qt.MatchFlag.MatchContains)
    )
    qtbot.mouseClick(insp.pick_button, Qt.MouseButton.LeftButton)
    assert session.picking
    _click(qtbot, view, word)
    inner = ids[f"tester:authority:{t + 4}"]
    outer = ids[f"tester:authority:{t}"]
    assert _links(w) == {("addressee", ids["tester:appeal"], inner)}
    assert not session.picking
    # the wrong one? Undo, pick again at the same spot: the other authority is taken
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert _links(w) == set()
    session.select("tester", ids["tester:appeal"])
    qtbot.mouseClick(insp.pick_button, Qt.MouseButton.LeftButton)
    _click(qtbot, view, word)
    assert _links(w) == {("addressee", ids["tester:appeal"], outer)}


def test_pick_over_only_wrong_targets_waits_for_a_right_one(make_window, overlap_path, qtbot):  # type: ignore[no-untyped-def]
    w = make_window(overlap_path)
    view, session = w.text_view, w.session
    ids = _ids(w)
    _click(qtbot, view, _span("called")[0])
    insp = w.docks.inspector
    insp.link_type_combo.setCurrentIndex(
        insp.link_type_combo.findText("On behalf of", Qt.MatchFlag.MatchContains)
    )
    qtbot.mouseClick(insp.pick_button, Qt.MouseButton.LeftButton)
    _click(qtbot, view, _span("called")[0])  # the appeal itself: not a victim
    assert session.picking and _links(w) == set()
    assert "Not a possible target" in w.statusBar().currentMessage()
    t, _u = _span("the authorities")
    _click(qtbot, view, t + 7)  # the victim under the authorities
    assert _links(w) == {("on_behalf_of", ids["tester:appeal"], ids["tester:victim"])}


def _modal_text(qtbot, key, modifiers=Qt.KeyboardModifier.NoModifier, target=None) -> str:  # type: ignore[no-untyped-def]
    """Press ``key``, read the modal dialog it opens, close it."""
    seen: list[str] = []

    def grab() -> None:
        dlg = QApplication.activeModalWidget()
        if dlg is None:
            QTimer.singleShot(20, grab)
            return
        seen.extend(b.toPlainText() for b in dlg.findChildren(QTextBrowser))
        assert isinstance(dlg, QDialog)
        dlg.reject()

    QTimer.singleShot(0, grab)
    qtbot.keyClick(target, key, modifiers)
    return "\n".join(seen)


def test_shortcut_list_shows_no_x11_alias_keys(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    text = _modal_text(
        qtbot, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier, target=window.text_view
    )
    assert "Undo" in text and "Ctrl+Z" in text
    assert "F14" not in text and "F20" not in text
    lines = text.splitlines()
    assert lines[lines.index("Undo") + 1] == "Ctrl+Z"  # one cell a line
    assert "Ctrl+PgUp, Alt+Left" in text  # our own second keys are still listed
    assert lines[lines.index("Annotation Guidelines") + 1] == "F1"
    assert lines[lines.index("Tag as Victim") + 1] == "2"


def test_f1_opens_the_guidelines(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window.text_view, Qt.Key.Key_F1)
    dialog = window.docks.guidelines
    assert dialog is not None and dialog.isVisible()
    assert "Responsible authority" in dialog.browser.toPlainText()


def test_colleague_layer_visibility_is_remembered(make_window, overlap_path, qtbot) -> None:  # type: ignore[no-untyped-def]
    w = make_window(overlap_path)
    assert "alice" not in w.session.visible_layers  # tester has work: own layer only
    qtbot.keyClick(w.text_view, Qt.Key.Key_L, CTRL | SHIFT)
    assert "alice" in w.session.visible_layers
    again = make_window(overlap_path)
    assert "alice" in again.session.visible_layers
    assert again.ui_actions.show_other_layers.isChecked()
    qtbot.keyClick(again.text_view, Qt.Key.Key_L, CTRL | SHIFT)
    third = make_window(overlap_path)
    assert "alice" not in third.session.visible_layers


def test_own_new_annotation_is_listed_before_a_colleagues(make_window, overlap_path, qtbot) -> None:  # type: ignore[no-untyped-def]
    project, _sha = load_project(overlap_path)
    for ann_id in list(project.layers["tester"].docs["doc0001"].annotations):
        del project.layers["tester"].docs["doc0001"].annotations[ann_id]
    save_project(project, overlap_path)
    w = make_window(overlap_path)  # tester has nothing yet: alice's work is shown
    assert "alice" in w.session.visible_layers
    s, e = _span("Ministry of Interior")
    w.text_view.set_selection_cp(s, e)
    qtbot.keyClick(w.text_view, Qt.Key.Key_3)  # Responsible authority
    proxy = w.docks.annotations.proxy
    layers = [proxy.index(r, 0).data(KEY_ROLE)[0] for r in range(proxy.rowCount())]
    assert layers == ["tester", "alice"]


def test_import_dialog_offers_word_files_and_reads_them(
    window, qtbot, monkeypatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from annotator.ui import dialogs
    from tests.import_fixtures import docx_bytes

    path = tmp_path / "statement.docx"
    body = "<w:p><w:r><w:t>Kenya: free the activists</w:t></w:r></w:p>" + (
        "<w:p><w:r><w:t>NAIROBI -- Police detained five activists.</w:t></w:r></w:p>"
    )
    path.write_bytes(docx_bytes(body))
    asked: list[str] = []

    def fake_dialog(_parent, _title, _start, filters):  # type: ignore[no-untyped-def]
        asked.append(filters)
        return [str(path)], filters.split(";;")[0]

    # the fixtures refuse every dialog: load a fresh copy of the module for the real
    # get_import_paths, and stand in for the file chooser only
    spec = importlib.util.spec_from_file_location("fresh_dialogs", dialogs.__file__)
    assert spec is not None and spec.loader is not None
    fresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fresh)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(fake_dialog))
    monkeypatch.setattr(dialogs, "get_import_paths", fresh.get_import_paths)
    monkeypatch.setattr(dialogs, "show_info", lambda *a, **k: None)
    docs = len(window.session.project.documents)
    qtbot.keyClick(window.text_view, Qt.Key.Key_I, CTRL)
    first = asked[0].split(";;")[0]
    for pattern in ("*.docx", "*.txt", "*.pdf", "*.html", "*.xml", "*.json", "*.ann"):
        assert pattern in first
    assert len(window.session.project.documents) == docs + 1
    texts = [d.text for d in window.session.project.documents.values()]
    assert any("Police detained five activists." in t for t in texts)


def test_export_dialog_starts_on_the_html_report_and_offers_open(  # type: ignore[no-untyped-def]
    make_window, overlap_path, qtbot, monkeypatch, tmp_path
) -> None:
    from annotator.ui import export_dialog

    opened: list[Path] = []
    monkeypatch.setattr(export_dialog, "open_location", lambda p: opened.append(p) or True)
    w = make_window(overlap_path)
    out = tmp_path / "report.html"
    seen: dict[str, object] = {}

    def drive() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, export_dialog.ExportDialog):
            QTimer.singleShot(20, drive)
            return
        seen["format"] = dlg.selected_format()
        seen["open before"] = dlg.open_button.isVisible()
        dlg.path.setText(str(out))
        qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
        seen["open after"] = dlg.open_button.isVisible()
        seen["still open"] = dlg.isVisible()
        qtbot.mouseClick(dlg.open_button, Qt.MouseButton.LeftButton)
        seen["closed"] = not dlg.isVisible()

    QTimer.singleShot(0, drive)
    qtbot.keyClick(w.text_view, Qt.Key.Key_E, CTRL)
    assert seen == {
        "format": "html",
        "open before": False,
        "open after": True,
        "still open": True,
        "closed": True,
    }
    assert opened == [out]
    assert "<h3>Appeals</h3><p>1 appeal.</p>" in out.read_text(encoding="utf-8")
