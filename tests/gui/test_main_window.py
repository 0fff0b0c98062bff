"""The main window driven through real widgets: tagging, undo, save, prompts, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from annotator.model import AddAnnotation, Status
from annotator.ui import dialogs
from tests.gui.conftest import SAMPLE_TEXT

pytestmark = pytest.mark.gui


def own(window):  # type: ignore[no-untyped-def]
    layer = window.session.project.layers["tester"]
    da = layer.docs.get(window.session.current_doc_id)
    return sorted(da.annotations.values(), key=lambda a: a.start) if da else []


def spans(window):  # type: ignore[no-untyped-def]
    return [(a.tag, a.start, a.end) for a in own(window)]


def test_tag_key_snaps_selection_to_words(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.text_view
    start = SAMPLE_TEXT.index("Sané")
    # select "ané Dio" (inside both words) plus the opening quote
    view.set_selection_cp(start + 1, start + 8)
    qtbot.keyClick(view, Qt.Key.Key_2)
    assert spans(window) == [("victim", start, start + len("Sané Diop"))]
    ann = own(window)[0]
    assert ann.created_by == "tester"
    assert window.session.selected == ("tester", ann.id)
    doc = window.session.project.document("doc0001")
    assert doc.status_of("tester") == Status.IN_PROGRESS


def test_shift_arrows_then_exact_tag(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.text_view
    view.setFocus()
    c = view.textCursor()
    c.setPosition(0)
    view.setTextCursor(c)
    for _ in range(4):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.selection_cp() == (0, 4)
    qtbot.keyClick(view, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert spans(window) == [("appeal", 0, 4)]  # exact: "Amne", not snapped


def test_punctuation_and_spaces_are_dropped(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.text_view
    s = SAMPLE_TEXT.index("“Sané")
    e = SAMPLE_TEXT.index("”, a") + 3
    view.set_selection_cp(s - 1, e)  # ' “Sané Diop”, '
    qtbot.keyClick(view, Qt.Key.Key_2)
    assert spans(window) == [("victim", s + 1, e - 3)]


def test_undo_redo_and_retag(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.text_view
    s = SAMPLE_TEXT.index("journalist")
    view.set_selection_cp(s, s + 10)
    qtbot.keyClick(view, Qt.Key.Key_2)
    assert spans(window) == [("victim", s, s + 10)]
    # no text selection, annotation selected: another digit retags
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert spans(window) == [("authority", s, s + 10)]
    assert window.ui_actions.undo.text() == "&Undo Retag as authority"
    assert window.ui_actions.undo.text().startswith("&Undo")
    window.ui_actions.undo.trigger()
    assert spans(window) == [("victim", s, s + 10)]
    window.ui_actions.undo.trigger()
    assert spans(window) == []
    assert window.session.project.document("doc0001").status_of("tester") == Status.NOT_STARTED
    window.ui_actions.redo.trigger()
    window.ui_actions.redo.trigger()
    assert spans(window) == [("authority", s, s + 10)]


def test_grow_shrink_fragment_delete(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.text_view
    s = SAMPLE_TEXT.index("trade")
    view.set_selection_cp(s, s + 5)
    window.tag_selection("victim")
    qtbot.keyClick(
        view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert spans(window) == [("victim", s, s + len("trade unionists"))]
    qtbot.keyClick(
        view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert spans(window) == [("victim", s, s + 5)]
    mods = (
        Qt.KeyboardModifier.AltModifier
        | Qt.KeyboardModifier.ShiftModifier
        | Qt.KeyboardModifier.ControlModifier
    )
    qtbot.keyClick(view, Qt.Key.Key_Left, mods)
    assert spans(window) == [("victim", s - 3, s + 5)]  # "12 trade"
    j = SAMPLE_TEXT.index("journalist")
    view.set_selection_cp(j, j + 10)
    window.ui_actions.add_fragment.trigger()
    ann = own(window)[0]
    assert [(f.start, f.end) for f in ann.fragments] == [(j, j + 10), (s - 3, s + 5)]
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert own(window) == []


def test_save_and_reopen_gives_identical_annotations(make_window, project_path: Path) -> None:  # type: ignore[no-untyped-def]
    w = make_window()
    s = SAMPLE_TEXT.index("Ministry")
    w.text_view.set_selection_cp(s - 4, s + 20)
    w.tag_selection("authority")
    w.text_view.set_selection_cp(0, 7)
    w.tag_selection("appeal")
    before = {a.id: (a.tag, a.fragments, a.created_by) for a in own(w)}
    assert w.isWindowModified()
    assert w.file_ops.save()
    assert not w.isWindowModified() and not w.session.modified
    w2 = make_window(project_path)
    after = {a.id: (a.tag, a.fragments, a.created_by) for a in own(w2)}
    assert after == before


def test_title_shows_unsaved_mark(window) -> None:  # type: ignore[no-untyped-def]
    assert "[*]" in window.windowTitle() and not window.isWindowModified()
    window.text_view.set_selection_cp(0, 7)
    window.tag_selection("appeal")
    assert window.isWindowModified()
    window.session.undo_stack.undo()
    assert not window.isWindowModified()


def test_close_prompt_cancel_keeps_window_discard_closes(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window.text_view.set_selection_cp(0, 7)
    window.tag_selection("appeal")
    asked = []
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda *a: asked.append(a) or "cancel")
    assert not window.close()
    assert window.isVisible() and asked
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda *a: "discard")
    assert window.close()
    assert not window.isVisible()


def test_close_prompt_save_writes_file(window, monkeypatch, project_path: Path) -> None:  # type: ignore[no-untyped-def]
    window.text_view.set_selection_cp(0, 7)
    window.tag_selection("appeal")
    monkeypatch.setattr(dialogs, "ask_save_changes", lambda *a: "save")
    assert window.close()
    from annotator.formats.project_xml import load_project

    project, _ = load_project(project_path)
    assert project.layers["tester"].annotation_count() == 1


@pytest.mark.parametrize("content", [b"<project><unclosed", b"\x00\x01\x02\xff\xfe binary", b""])
def test_bad_project_file_shows_error_and_app_stays_usable(  # type: ignore[no-untyped-def]
    window, monkeypatch, tmp_path: Path, content: bytes
) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(content)
    errors = []
    monkeypatch.setattr(
        dialogs, "show_error", lambda parent, title, msg, details="": errors.append(msg)
    )
    assert not window.file_ops.open_path(bad)
    assert len(errors) == 1 and errors[0] and "Traceback" not in errors[0]
    # still the old project, still taggable
    assert window.session.current_doc_id == "doc0001"
    window.text_view.set_selection_cp(0, 7)
    window.tag_selection("appeal")
    assert spans(window) == [("appeal", 0, 7)]


def test_save_over_file_changed_on_disk_offers_save_as(
    window, monkeypatch, project_path: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window.text_view.set_selection_cp(0, 7)
    window.tag_selection("appeal")
    from annotator.formats.project_xml import load_project, save_project

    other, _ = load_project(project_path)
    other.name = "changed elsewhere"
    save_project(other, project_path)
    offered = []
    target = tmp_path / "mine.xml"

    def conflict(parent, message, extra):  # type: ignore[no-untyped-def]
        offered.append((message, list(extra)))
        return "save-as"

    monkeypatch.setattr(dialogs, "ask_conflict", conflict)
    monkeypatch.setattr(dialogs, "get_save_path", lambda *a: target)
    assert window.file_ops.save()
    assert offered and offered[0][1] == ["Merge their changes"]  # review mode's answer
    assert load_project(project_path)[0].name == "changed elsewhere"  # not overwritten
    assert load_project(target)[0].layers["tester"].annotation_count() == 1


def test_tag_all_matches_is_one_undo_step(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.ui_actions.find.trigger()
    bar = window.find_bar
    assert bar.isVisible()
    qtbot.keyClicks(bar.edit, "journalist")
    assert bar.count.text() == "1 of 1"
    depth = window.session.undo_stack.count()
    assert bar.tag_all("victim", all_documents=True) == 3
    assert window.session.undo_stack.count() == depth + 1
    layer = window.session.project.layers["tester"]
    assert layer.annotation_count() == 3
    # again: every place is already tagged with that tag
    assert bar.tag_all("victim", all_documents=True) == 0
    window.session.undo_stack.undo()
    assert layer.annotation_count() == 0


def test_find_next_selects_match_and_digit_tags_it(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.session.set_current_document("doc0002")
    window.ui_actions.find.trigger()
    qtbot.keyClicks(window.find_bar.edit, "JOURNALIST")
    assert window.find_bar.count.text().endswith("of 2")
    window.find_bar.case.setChecked(True)
    assert window.find_bar.count.text() == "No matches"
    window.find_bar.case.setChecked(False)
    window.ui_actions.find_next.trigger()
    s, e = window.text_view.selection_cp()
    assert window.text_view.text[s:e] == "journalist"
    qtbot.keyClick(window.text_view, Qt.Key.Key_Escape)
    window.text_view.set_selection_cp(s, e)
    window.text_view.setFocus()
    qtbot.keyClick(window.text_view, Qt.Key.Key_2)
    assert [(a.start, a.end) for a in own(window)] == [(s, e)]


def test_document_navigation_and_mark_done(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.ui_actions.next_document.trigger()
    assert window.session.current_doc_id == "doc0002"
    assert window.text_view.toPlainText().startswith("Police")
    window.ui_actions.mark_done.trigger()
    assert window.session.project.document("doc0002").status_of("tester") == Status.DONE
    assert window.ui_actions.mark_done.isChecked()
    window.ui_actions.previous_document.trigger()
    assert window.session.current_doc_id == "doc0001"


def test_every_action_has_a_shortcut(window) -> None:  # type: ignore[no-untyped-def]
    missing = [a.text() for a in window.ui_actions.all if a.shortcut().isEmpty()]
    assert missing == []
    assert set(window.menus) >= {"file", "edit", "view", "tools", "review", "help"}


def test_text_cursor_selection_via_qtextcursor(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    view = window.text_view
    c = QTextCursor(view.document())
    s = SAMPLE_TEXT.index("Interior")
    c.setPosition(s + 2)
    c.setPosition(s + 4, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(c)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert [(a.start, a.end) for a in own(window)] == [(s, s + len("Interior"))]


def test_import_releases_is_one_undoable_step(window, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "release.txt").write_text("Imported release text about a victim.\n", encoding="utf-8")
    (folder / "bad.pdf").write_bytes(b"%PDF-1.4 this is not really a PDF")
    infos = []
    monkeypatch.setattr(dialogs, "show_info", lambda *a: infos.append(a))
    assert window.file_ops.import_paths([folder]) == 1
    [new] = [d for d in window.session.project.documents if d.startswith("release")]
    assert window.session.current_doc_id == new
    assert window.text_view.toPlainText().startswith("Imported release")
    assert infos and "could not be read" in infos[0][2] and "bad.pdf" in infos[0][3]
    window.session.undo_stack.undo()
    assert new not in window.session.project.documents
    assert window.session.current_doc_id == "doc0001"


def test_app_opens_given_project_and_new_project_without_one(qtbot, project_path: Path) -> None:  # type: ignore[no-untyped-def]
    from annotator.ui import app

    w = app.create_window(str(project_path))
    qtbot.addWidget(w, before_close_func=lambda w: setattr(w, "closing_confirmed", True))
    assert w.session.path == project_path.resolve()
    assert "sample.xml" in w.windowTitle()
    w2 = app.create_window(None)  # last project is remembered in the (private) settings
    qtbot.addWidget(w2, before_close_func=lambda w: setattr(w, "closing_confirmed", True))
    assert w2.session.path == project_path.resolve()


def test_preferences_apply_font(window) -> None:  # type: ignore[no-untyped-def]
    from annotator.ui import settings
    from annotator.ui.preferences import apply_preferences

    apply_preferences(window.session, window.text_view, window.notifier, "tester", 16)
    assert window.text_view.point_size == 16
    assert settings.font_size() == 16


def test_with_plugins_keys_stay_unambiguous(make_window, qtbot, project_path: Path) -> None:  # type: ignore[no-untyped-def]
    from collections import Counter

    from PySide6.QtGui import QAction

    w = make_window()
    if w.docks is None:
        pytest.skip("dock panels not in this checkout")

    def duplicates():  # type: ignore[no-untyped-def]
        keys = Counter(
            k.toString()
            for a in w.findChildren(QAction)
            if a.isEnabled()
            for k in a.shortcuts()
            if not k.isEmpty()
        )
        return [k for k, n in keys.items() if n > 1]

    assert duplicates() == []
    s = SAMPLE_TEXT.index("journalist")
    w.text_view.set_selection_cp(s, s + 10)
    w.text_view.setFocus()
    qtbot.keyClick(w.text_view, Qt.Key.Key_2)
    assert spans(w) == [("victim", s, s + 10)]
    qtbot.keyClick(w.text_view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert w.session.current_doc_id == "doc0002"
    w.session.undo_stack.setClean()
    assert w.file_ops.open_path(project_path)
    assert duplicates() == []


def test_import_the_real_seed_release(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seed = Path(__file__).resolve().parents[1] / "data" / "000_3a922b85f584e461.txt"
    if not seed.exists():
        pytest.skip("seed release not in this checkout")
    pytest.importorskip("annotator.releases")
    monkeypatch.setattr(dialogs, "show_info", lambda *a: None)
    before = len(window.session.project.documents)
    added = window.file_ops.import_paths([seed])
    assert added == 2  # the seed holds two releases
    assert len(window.session.project.documents) == before + 2
    doc = window.session.project.document(window.session.current_doc_id)
    assert window.text_view.toPlainText() == doc.text
    assert any("Sané" in d.text for d in window.session.project.documents.values())
    window.ui_actions.undo.trigger()
    assert len(window.session.project.documents) == before


def test_dropped_project_opens_and_other_files_import(
    window, project_path: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    from annotator.ui.main_window import looks_like_project

    assert looks_like_project(project_path)
    release = tmp_path / "release.txt"
    release.write_text("A release.\n", encoding="utf-8")
    assert not looks_like_project(release)
    opened, imported = [], []
    window.file_ops.open_path = lambda p, **k: opened.append(p)  # type: ignore[method-assign]
    window.file_ops.import_paths = lambda ps: imported.append(ps)  # type: ignore[method-assign]
    for path in (project_path, release):
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        event = QDropEvent(
            QPointF(10, 10),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        )
        window.dropEvent(event)
    assert opened == [project_path] and imported == [[release]]


def test_unexpected_exception_autosaves_and_reports(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sys

    from annotator.ui import app

    window.text_view.set_selection_cp(0, 7)
    window.tag_selection("appeal")
    shown = []
    monkeypatch.setattr(dialogs, "show_error", lambda *a: shown.append(a))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    app.install_excepthook(window)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    assert shown and "boom" in shown[0][2]
    assert window.recovery.path.exists()


def test_reopening_returns_to_the_last_document(make_window, project_path: Path) -> None:  # type: ignore[no-untyped-def]
    w = make_window()
    w.ui_actions.next_document.trigger()
    assert w.session.current_doc_id == "doc0002"
    w2 = make_window(project_path)
    assert w2.session.current_doc_id == "doc0002"
    assert w2.text_view.toPlainText().startswith("Police")


def test_escape_clears_selection_in_text_only(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.text_view.set_selection_cp(0, 7)
    window.tag_selection("appeal")
    assert window.session.selected[1]
    window.text_view.setFocus()
    qtbot.keyClick(window.text_view, Qt.Key.Key_Escape)
    assert window.session.selected == ("", "")


def test_change_on_disk_is_noticed(window, qtbot, project_path: Path) -> None:  # type: ignore[no-untyped-def]
    from annotator.formats.project_xml import load_project, save_project

    other, _ = load_project(project_path)
    other.name = "saved by a colleague"
    save_project(other, project_path)
    qtbot.waitUntil(lambda: window.file_ops.disk_changed, timeout=5000)
    assert "changed on disk" in window.statusBar().currentMessage()


def test_a_window_closed_while_a_change_on_disk_is_checked_says_nothing(
    qtbot, project_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication, QEvent

    from annotator.formats.project_xml import load_project, save_project
    from annotator.ui.main_window import MainWindow

    # not handed to qtbot: this window is closed and deleted by the test, as on quitting
    w = MainWindow("tester")
    assert w.file_ops.open_path(project_path, ask=False)
    w.show()
    qtbot.waitExposed(w)
    other, _ = load_project(project_path)
    other.name = "saved by a colleague"
    with qtbot.waitSignal(w.file_ops.watcher.fileChanged, timeout=5000):
        save_project(other, project_path)
    # the colleague's file is being hashed; the user closes the window meanwhile
    w.closing_confirmed = True
    w.close()
    w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qtbot.wait(300)  # the check would have answered by now, on a deleted status bar


def test_saving_the_bundled_sample_asks_for_a_new_place(
    make_window, monkeypatch, project_path: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The README's first command opens projects/sample.xml; Save must never change it."""
    from annotator.ui import file_ops

    monkeypatch.setattr(file_ops, "sample_project_path", lambda: project_path)
    w = make_window()
    before = project_path.read_bytes()
    w.session.execute(AddAnnotation("tester", "doc0001", "victim", [(0, 7)]))
    copy = tmp_path / "mine.xml"
    asked: list[str] = []

    def choose(_parent, start=""):  # type: ignore[no-untyped-def]
        asked.append(start)
        return copy

    monkeypatch.setattr(dialogs, "get_save_path", choose)
    w.ui_actions.save.trigger()
    assert asked and asked[0].endswith("my-sample.xml")
    assert project_path.read_bytes() == before
    assert copy.is_file() and w.session.path == copy.resolve() and not w.session.modified
