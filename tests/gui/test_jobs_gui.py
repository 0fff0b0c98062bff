"""Long jobs in the real window: a dialog with a count and Cancel, and a window that stays live.

The user imports a folder of a few hundred releases through File ▸ Import Folder,
sees "N of 300 files", presses Cancel, and the project is exactly as it was: no
document, no undo step, not modified. A short job never flashes its dialog, and
while a job runs the window keeps serving its event loop (timers, paints).
"""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer

from annotator.errors import UnsupportedSource
from annotator.formats.project_writer import project_to_bytes
from annotator.ui import dialogs
from tests.jobs_support import release_folder

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return release_folder(tmp_path_factory.mktemp("archive"), 300)


def slow_files(monkeypatch: Any, seconds: float) -> None:
    """Each file takes a little longer to read (the real reader still reads it), as PDFs
    and a slow network folder do, so the click lands while the import is under way."""
    import annotator.releases as releases

    real = releases.read_releases

    def slower(*args: Any, **kwargs: Any) -> Any:
        time.sleep(seconds)
        return real(*args, **kwargs)

    monkeypatch.setattr(releases, "read_releases", slower)


def press_cancel_once_counting(qtbot: Any, window: Any, seen: dict[str, Any]) -> None:
    """From inside the running job's event loop: wait for the dialog to count some files,
    then click its Cancel button as a user would."""

    def look() -> None:
        dialog = window.notifier.jobs.dialog
        if dialog is None or not dialog.isVisible() or "of 300 files" not in dialog.bar.text():
            QTimer.singleShot(20, look)
            return
        seen["label"] = dialog.label.text()
        seen["bar"] = dialog.bar.text()
        seen["modal"] = dialog.windowModality()
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        seen["pressed"] = True

    QTimer.singleShot(0, look)


def test_cancelling_a_long_import_leaves_the_project_unchanged(
    qtbot: Any, window: Any, big_folder: Path, monkeypatch: Any
) -> None:
    session = window.session
    before = project_to_bytes(session.project)
    docs_before = list(session.project.documents)
    steps_before = session.undo_stack.count()
    infos: list[Any] = []
    monkeypatch.setattr(dialogs, "get_import_folder", lambda *a, **k: big_folder)
    monkeypatch.setattr(dialogs, "show_info", lambda *a: infos.append(a))
    slow_files(monkeypatch, 0.01)
    seen: dict[str, Any] = {}
    press_cancel_once_counting(qtbot, window, seen)

    window.file_ops.import_folder_dialog()  # File ▸ Import Folder…: returns once the job ends

    assert seen.get("pressed"), "the progress dialog never showed a count"
    assert seen["label"] == "Reading releases…"
    count = int(seen["bar"].split(" of ")[0].replace(",", ""))
    assert 0 <= count < 300
    assert seen["modal"] == Qt.WindowModality.WindowModal
    assert project_to_bytes(session.project) == before
    assert list(session.project.documents) == docs_before
    assert session.undo_stack.count() == steps_before
    assert not session.modified
    assert infos == []  # no import report: nothing was imported
    assert "cancelled; nothing was changed" in window.statusBar().currentMessage()
    assert window.notifier.jobs.dialog is None and not window.notifier.jobs.busy


def test_a_finished_import_is_one_undoable_step(
    qtbot: Any, window: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    folder = release_folder(tmp_path / "few", 5)
    before = project_to_bytes(window.session.project)
    monkeypatch.setattr(dialogs, "get_import_folder", lambda *a, **k: folder)
    window.notifier.jobs.show_after_ms = 5_000  # a short job: its dialog never shows
    window.file_ops.import_folder_dialog()
    assert not window.notifier.jobs.last_dialog_shown
    assert len(window.session.project.documents) == 2 + 5
    qtbot.keyClick(window.text_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project_to_bytes(window.session.project) == before


def test_a_short_job_shows_no_dialog(qtbot: Any, window: Any) -> None:
    assert window.notifier.run_job(lambda progress: 42, title="Counting") == 42
    assert not window.notifier.jobs.last_dialog_shown


def test_the_window_serves_its_event_loop_while_a_job_runs(qtbot: Any, window: Any) -> None:
    """A job that holds its worker for a while: the UI thread's timer keeps ticking, the
    dialog comes up after its delay, and keys meant for the window are held back."""
    release = threading.Event()
    ticks: list[float] = []
    timer = QTimer(window)
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    shown: list[bool] = []

    def work(progress: Any) -> str:
        progress.phase("Waiting", 3, "step")
        for _ in range(3):
            release.wait(0.2)
            progress.advance()
        return "done"

    def while_running() -> None:
        jobs = window.notifier.jobs
        if jobs.dialog is None or not jobs.dialog.isVisible():
            QTimer.singleShot(10, while_running)
            return
        shown.append(True)
        before = window.session.project.layers["tester"].annotation_count()
        qtbot.keyClick(window.text_view, Qt.Key.Key_1)  # would tag: held back instead
        shown.append(window.session.project.layers["tester"].annotation_count() == before)

    QTimer.singleShot(0, while_running)
    started = time.perf_counter()
    assert window.notifier.run_job(work, title="Waiting") == "done"
    timer.stop()
    assert shown == [True, True]
    during = [t for t in ticks if t >= started]
    assert len(during) >= 20  # about 120 ticks in 0.6 s; none if the loop were blocked
    gaps = [b - a for a, b in itertools.pairwise(during)]
    assert max(gaps) < 0.3


def test_a_failing_job_is_said_once_through_the_error_rule(
    qtbot: Any, window: Any, monkeypatch: Any
) -> None:
    errors: list[tuple[Any, ...]] = []
    monkeypatch.setattr(dialogs, "show_error", lambda *a: errors.append(a))

    def work(progress: Any) -> None:
        raise UnsupportedSource("is a folder, not a project file", path="archive")

    assert window.notifier.run_job(work, title="Importing", error_title="Import failed") is None
    [(_, title, message, _details)] = errors
    assert title == "Import failed" and message == "archive: is a folder, not a project file"


def test_a_bug_in_a_job_propagates_as_the_bug_it_is(qtbot: Any, window: Any) -> None:
    def work(progress: Any) -> None:
        raise ZeroDivisionError("a bug")

    with pytest.raises(ZeroDivisionError):
        window.notifier.run_job(work, title="Counting")


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project of 80 imported releases, saved, for the window to open."""
    from annotator.formats.project_xml import new_project, save_project
    from annotator.importing import ImportOptions, import_into

    folder = release_folder(tmp_path_factory.mktemp("releases"), 80)
    project = new_project("archive")
    project.ensure_layer("tester")
    import_into(project, [folder], ImportOptions(layer="tester"))
    path = tmp_path_factory.mktemp("project") / "archive.xml"
    save_project(project, path)
    return path


def slow_releases(monkeypatch: Any, seconds: float) -> None:
    """Each release takes a little longer to suggest (the real suggesters still run), so
    a click can land while the job is under way on any machine."""
    from annotator.assist import run

    real = run.suggest_document

    def slower(*args: Any, **kwargs: Any) -> Any:
        time.sleep(seconds)
        return real(*args, **kwargs)

    monkeypatch.setattr(run, "suggest_document", slower)


def press_cancel_when(qtbot: Any, window: Any, counted: str, seen: dict[str, Any]) -> None:
    def look() -> None:
        dialog = window.notifier.jobs.dialog
        if dialog is None or not dialog.isVisible() or counted not in dialog.bar.text():
            QTimer.singleShot(20, look)
            return
        seen["bar"] = dialog.bar.text()
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, look)


def test_suggesting_in_every_release_is_one_step_and_cancel_adds_nothing(
    qtbot: Any, make_window: Any, archive_path: Path, monkeypatch: Any
) -> None:
    window = make_window(archive_path)
    session = window.session
    before = project_to_bytes(session.project)
    steps = session.undo_stack.count()
    menu_action = window.suggestions.actions["suggest.every_release"]
    slow_releases(monkeypatch, 0.03)
    seen: dict[str, Any] = {}
    press_cancel_when(qtbot, window, "of 80 releases", seen)
    menu_action.trigger()
    assert seen["bar"].endswith("of 80 releases")
    assert project_to_bytes(session.project) == before
    assert session.undo_stack.count() == steps and not session.modified

    monkeypatch.undo()
    window.notifier.jobs.show_after_ms = 0
    menu_action.trigger()
    added = session.project.layers["tester"].annotation_count()
    assert added > 80  # every release has something to suggest
    assert session.undo_stack.count() == steps + 1
    assert "Added" in window.statusBar().currentMessage()
    qtbot.keyClick(window.text_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert session.project.layers["tester"].annotation_count() == 0  # all of it, one key


def test_cancelling_an_export_leaves_the_earlier_file(
    qtbot: Any, make_window: Any, archive_path: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    from annotator.interchange import json_format
    from annotator.ui.export_dialog import ExportDialog

    window = make_window(archive_path)
    (tmp_path / "exports").mkdir()
    out = tmp_path / "exports" / "archive.json"
    out.write_text("last week's export\n", encoding="utf-8")
    real = json_format.annotation_record

    def slower(*args: Any, **kwargs: Any) -> Any:  # a large project's export, in small
        time.sleep(0.002)
        return real(*args, **kwargs)

    monkeypatch.setattr(json_format, "annotation_record", slower)
    window.suggestions.suggest_every_release()  # something to export in each release
    dialog = ExportDialog(window.session, window.notifier, window)
    dialog.format.setCurrentIndex(dialog.format.findData("json"))
    dialog.path.setText(str(out))
    seen: dict[str, Any] = {}
    press_cancel_when(qtbot, window, "of 80 releases", seen)
    assert dialog.do_export() is False
    assert out.read_text(encoding="utf-8") == "last week's export\n"
    assert sorted(p.name for p in out.parent.iterdir()) == ["archive.json"]  # no staging
    assert "cancelled" in window.statusBar().currentMessage()
    dialog.close()


def test_the_agreement_tab_counts_releases_and_cancel_stops_it(
    qtbot: Any, make_window: Any, archive_path: Path, tmp_path: Path
) -> None:
    from annotator.assist.run import accept_command, default_suggesters, suggest_project
    from annotator.formats.project_xml import load_project, save_project

    project, _ = load_project(archive_path)
    for layer, names in (("alice", None), ("bob", ["appeal-cues", "victim-lexicon"])):
        chosen = default_suggesters(project, layer, names)
        found = [s for _, f in suggest_project(project, layer, suggesters=chosen) for s in f]
        project.ensure_layer(layer)
        accept_command(layer, found).do(project)
    path = tmp_path / "two.xml"
    save_project(project, path)
    window = make_window(path)
    ui = window.review
    ui.enter()
    ctl, tab = ui.controller, ui.dock.agreement_tab
    ctl.SLICE_SECONDS = 0.0  # one release per turn of the event loop
    bar = ui.dock.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    qtbot.waitUntil(lambda: tab.progress.isVisible() and tab.cancel.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: tab.progress.text().endswith(" of 80 releases"), timeout=5000)
    qtbot.mouseClick(tab.cancel, Qt.MouseButton.LeftButton)
    assert not ctl.measuring and ctl.agreement is None
    assert not tab.progress.isVisible() and not tab.cancel.isVisible()
    assert "cancelled" in tab.note.text()
    qtbot.wait(100)
    assert ctl.agreement is None and tab.table.rowCount() == 0  # it stays stopped
    tab.scope.activated.emit(0)  # "Whole project" chosen again: measured in full
    qtbot.waitUntil(lambda: tab.table.rowCount() > 10, timeout=20000)
    assert "80 releases" in tab.note.text()


def test_a_panel_builds_the_overview_in_the_background_and_can_drop_it(
    qtbot: Any, window: Any
) -> None:
    """What the Overview panel uses: the figures arrive on the UI thread, the same as
    built in place; a cancelled build (a new filter) never delivers."""
    from annotator.insight.aggregate import overview
    from annotator.insight.scope import Filter, select
    from annotator.model.snapshot import snapshot
    from annotator.ui.jobs import start_job
    from tests.insight_support import corpus

    project = corpus()
    frozen = snapshot(project)
    got: list[Any] = []
    steps: list[Any] = []
    on_ui_thread: list[bool] = []

    def done(result: Any) -> None:
        on_ui_thread.append(threading.current_thread() is threading.main_thread())
        got.append(result)

    start_job(
        lambda p: overview(select(frozen, Filter()), progress=p),
        window,
        done=done,
        progressed=steps.append,
    )
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert got == [overview(select(project, Filter()))] and on_ui_thread == [True]
    assert steps and steps[-1].label == "Building the overview"

    release = threading.Event()
    dropped: list[Any] = []

    def slow(p: Any) -> Any:
        release.wait(2)
        p.check()
        return overview(select(frozen, Filter()), progress=p)

    job = start_job(slow, window, done=dropped.append)
    job.cancel()
    release.set()
    qtbot.waitUntil(lambda: job.over, timeout=5000)
    qtbot.wait(50)
    assert dropped == [] and job.cancelled
