"""Exports land whole or not at all: a full disk half-way leaves the previous export as it was.

The disk fills up after a few hundred bytes of the new export (every file the
exporters open for writing shares one byte budget, then ``ENOSPC``), in every
format, files and folders alike. The previous output must be byte for byte what
it was, no staging file may be left beside it, and the one-line error names the
output path.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

from annotator.cli import main
from annotator.errors import ExportError
from annotator.formats.project_xml import load_project, save_project
from annotator.interchange import output
from annotator.interchange.common import ExportOptions
from annotator.interchange.output import MARKER, AtomicExporter
from annotator.interchange.registry import EXPORTERS
from annotator.model import Project

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "projects" / "sample.xml"
LAYER = "dana"
#: bytes the disk takes from the new export before it is full
ROOM = 300


class FullDisk:
    """Files opened for writing through ``Path.open`` share ``room`` bytes, then ENOSPC."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.failed = False

    def wrap(self, real_open: Any) -> Any:
        disk = self

        def opener(path: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            handle = real_open(path, mode, *args, **kwargs)
            return _Quota(handle, disk, path) if set(mode) & set("wax") else handle

        return opener


class _Quota:
    def __init__(self, handle: Any, disk: FullDisk, path: Path) -> None:
        self.handle, self.disk, self.path = handle, disk, path

    def write(self, data: Any) -> int:
        if len(data) <= self.disk.room:
            self.disk.room -= len(data)
            return int(self.handle.write(data))
        self.handle.write(data[: self.disk.room])  # half-way: part of it reaches the disk
        self.handle.flush()
        self.disk.room = 0
        self.disk.failed = True
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)

    def __enter__(self) -> _Quota:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def __iter__(self) -> Any:
        return iter(self.handle)


def snapshot(path: Path) -> dict[str, bytes]:
    """Every file under ``path`` (or ``path`` itself) with its bytes."""
    if path.is_file():
        return {path.name: path.read_bytes()}
    return {
        str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()
    }


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp-" in p.name or ".old-" in p.name)


@pytest.fixture(scope="module")
def sample() -> Project:
    return load_project(SAMPLE)[0]


def older(sample: Project) -> ExportOptions:
    """The previous export: the first release only."""
    return ExportOptions(layer=LAYER, documents=list(sample.documents)[:1])


def out_path(tmp_path: Path, name: str) -> Path:
    suffix = EXPORTERS[name].suffix
    return tmp_path / f"export{suffix}" if suffix else tmp_path / "export-folder"


@pytest.mark.parametrize("name", list(EXPORTERS))
def test_a_full_disk_half_way_leaves_the_previous_export_untouched(
    name: str, tmp_path: Path, sample: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    exporter = EXPORTERS[name]
    out = out_path(tmp_path, name)
    exporter.write(sample, out, older(sample))
    before = snapshot(out)
    disk = FullDisk(ROOM)
    monkeypatch.setattr(Path, "open", disk.wrap(Path.open))
    with pytest.raises(ExportError) as info:
        exporter.write(sample, out, ExportOptions(layer=LAYER))
    monkeypatch.undo()
    assert disk.failed  # the new export really was cut off half-way
    message = str(info.value)
    assert message.startswith(f"{out}: ") and "disk is full" in message
    assert "previous export is untouched" in message
    assert snapshot(out) == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("name", ["json", "brat"])
def test_a_full_disk_on_a_first_export_leaves_nothing(
    name: str, tmp_path: Path, sample: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = out_path(tmp_path, name)
    monkeypatch.setattr(Path, "open", FullDisk(ROOM).wrap(Path.open))
    with pytest.raises(ExportError, match="nothing was written"):
        EXPORTERS[name].write(sample, out, ExportOptions(layer=LAYER))
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_the_cli_says_one_line_naming_the_output_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.json"
    assert main(["export", str(SAMPLE), "-f", "json", "-o", str(out)]) == 0
    before = out.read_bytes()
    project = tmp_path / "changed.xml"
    changed = load_project(SAMPLE)[0]
    changed.name = "changed since the last export"
    save_project(changed, project)
    capsys.readouterr()
    monkeypatch.setattr(Path, "open", FullDisk(ROOM).wrap(Path.open))
    assert main(["export", str(project), "-f", "json", "-o", str(out)]) == 1
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"annotator: error: {out}: could not export")
    assert out.read_bytes() == before
    assert main(["export", str(project), "-f", "json", "-o", str(out)]) == 0
    assert b"changed since the last export" in out.read_bytes()


@pytest.mark.parametrize("exchange", [True, False], ids=["exchanged", "renamed-aside"])
def test_a_folder_export_replaces_the_previous_one_as_a_whole(
    exchange: bool, tmp_path: Path, sample: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not exchange:  # a system without an atomic exchange of two folders
        monkeypatch.setattr(output, "_exchange", lambda _a, _b: False)
    out = tmp_path / "brat"
    EXPORTERS["brat"].write(sample, out, ExportOptions(layer=LAYER))
    first = set(snapshot(out))
    assert MARKER in first and len([n for n in first if n.endswith(".ann")]) == 2
    EXPORTERS["brat"].write(sample, out, older(sample))
    second = set(snapshot(out))
    # the release no longer exported does not linger beside the new export
    assert len([n for n in second if n.endswith(".ann")]) == 1 and second < first
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("name", ["brat", "mae"])
def test_a_folder_holding_other_files_is_never_replaced(
    name: str, tmp_path: Path, sample: Project
) -> None:
    releases = tmp_path / "releases"
    releases.mkdir()
    (releases / "korea-1998.txt").write_text("The release itself.", encoding="utf-8")
    (releases / "notes").mkdir()
    with pytest.raises(ExportError, match="not an annotator export") as info:
        EXPORTERS[name].write(sample, releases, ExportOptions(layer=LAYER))
    assert str(info.value).startswith(f"{releases}: ")
    assert sorted(p.name for p in releases.iterdir()) == ["korea-1998.txt", "notes"]
    assert leftovers(tmp_path) == []


def test_a_file_export_writes_through_a_symbolic_link_and_keeps_permissions(
    tmp_path: Path, sample: Project
) -> None:
    real = tmp_path / "shared" / "appeals.csv"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "appeals.csv"
    link.symlink_to(real)
    EXPORTERS["appeals-csv"].write(sample, link, ExportOptions(layer=LAYER))
    assert link.is_symlink() and real.read_text(encoding="utf-8-sig") != "old\n"
    assert real.stat().st_mode & 0o777 == 0o640


def test_a_failing_exporter_leaves_no_staging_and_the_old_output(
    tmp_path: Path, sample: Project
) -> None:
    class Broken:
        name, description, suffix = "broken", "fails half-way", ".json"

        def write(self, project: Project, out: Path, options: ExportOptions) -> list[str]:
            out.write_text("{half", encoding="utf-8")
            raise ExportError(f"the layer is gone while writing {out}")

    out = tmp_path / "out.json"
    out.write_text("{}", encoding="utf-8")
    with pytest.raises(ExportError) as info:
        AtomicExporter(Broken()).write(sample, out, ExportOptions())
    assert str(info.value).endswith(f"while writing {out}")  # our staging name is not shown
    assert out.read_text(encoding="utf-8") == "{}"
    assert leftovers(tmp_path) == []


def test_every_registered_exporter_goes_through_the_atomic_path() -> None:
    assert all(isinstance(e, AtomicExporter) for e in EXPORTERS.values())


@pytest.mark.gui
def test_the_gui_export_dialog_reports_a_full_disk_and_keeps_the_old_export(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMainWindow

    from annotator.ui.export_dialog import ExportDialog
    from annotator.ui.notifier import Notifier
    from annotator.ui.session import ProjectSession

    window = QMainWindow()
    qtbot.addWidget(window)
    session = ProjectSession(load_project(SAMPLE)[0], LAYER)
    notifier = Notifier(window, window.statusBar())
    errors: list[BaseException] = []
    monkeypatch.setattr(notifier, "show_error", lambda err, title="": errors.append(err))
    out = tmp_path / "sample-mae"
    dialog = ExportDialog(session, notifier, window)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("mae"))
    dialog.path.setText(str(out))
    assert dialog.do_export() and errors == []
    before = snapshot(out)
    dialog = ExportDialog(session, notifier, window)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("mae"))
    dialog.path.setText(str(out))
    session.project.name = "renamed since"
    with monkeypatch.context() as disk:
        disk.setattr(Path, "open", FullDisk(ROOM).wrap(Path.open))
        dialog.export_button.click()
    assert len(errors) == 1 and str(errors[0]).startswith(f"{out}: could not export")
    assert snapshot(out) == before and leftovers(tmp_path) == []
