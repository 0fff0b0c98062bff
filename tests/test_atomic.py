"""atomic_write_bytes: the old file or the new one, never a torn or missing file."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.errors import SaveFailed
from annotator.formats import atomic
from annotator.formats.atomic import atomic_write_bytes

OLD = b"<old/>\n"
NEW = b"<new/>\n" * 1000


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp-" in p.name)


def test_creates_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "p.xml"
    atomic_write_bytes(target, OLD)
    assert target.read_bytes() == OLD
    atomic_write_bytes(target, NEW)
    assert target.read_bytes() == NEW
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "p.xml.bak").exists()


def test_backup_keeps_previous_version(tmp_path: Path) -> None:
    target = tmp_path / "p.xml"
    atomic_write_bytes(target, OLD, backup=True)  # nothing to back up yet
    assert not (tmp_path / "p.xml.bak").exists()
    atomic_write_bytes(target, NEW, backup=True)
    assert (tmp_path / "p.xml.bak").read_bytes() == OLD
    assert target.read_bytes() == NEW
    atomic_write_bytes(target, b"<third/>", backup=True)
    assert (tmp_path / "p.xml.bak").read_bytes() == NEW
    assert leftovers(tmp_path) == []


def test_backup_without_hard_links_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "p.xml"
    target.write_bytes(OLD)

    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    atomic_write_bytes(target, NEW, backup=True)
    assert (tmp_path / "p.xml.bak").read_bytes() == OLD
    assert target.read_bytes() == NEW
    assert leftovers(tmp_path) == []


def test_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "p.xml"
    target.write_bytes(OLD)
    target.chmod(0o640)
    atomic_write_bytes(target, NEW)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_writes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.xml"
    real.write_bytes(OLD)
    link = tmp_path / "link.xml"
    link.symlink_to(real)
    atomic_write_bytes(link, NEW)
    assert link.is_symlink()
    assert real.read_bytes() == NEW


@pytest.mark.parametrize("step", ["write", "fsync", "link", "replace"])
def test_failure_at_any_step_leaves_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    target = tmp_path / "p.xml"
    target.write_bytes(OLD)

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    if step == "write":
        real_fdopen = os.fdopen

        class FailingFile:
            def __init__(self, fd: int) -> None:
                self.fh = real_fdopen(fd, "wb")

            def __enter__(self) -> FailingFile:
                return self

            def __exit__(self, *exc: object) -> None:
                self.fh.close()

            def write(self, data: bytes) -> int:
                self.fh.write(data[:10])  # a torn, partial write
                raise OSError(errno.EIO, "Input/output error")

        monkeypatch.setattr(os, "fdopen", lambda fd, mode: FailingFile(fd))
    elif step == "fsync":
        monkeypatch.setattr(os, "fsync", boom)
    elif step == "link":
        monkeypatch.setattr(os, "link", boom)
        monkeypatch.setattr(atomic.Path, "read_bytes", boom)
    else:
        monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(SaveFailed) as info:
        atomic_write_bytes(target, NEW, backup=True)
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []
    assert "previous file is untouched" in str(info.value)
    assert str(target) in str(info.value)


def test_full_disk_is_one_plain_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "p.xml"
    target.write_bytes(OLD)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(SaveFailed) as info:
        atomic_write_bytes(target, NEW)
    expected = f"{target}: could not save: the disk is full; the previous file is untouched"
    assert str(info.value) == expected
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []


def test_missing_folder_is_save_failed(tmp_path: Path) -> None:
    with pytest.raises(SaveFailed):
        atomic_write_bytes(tmp_path / "nope" / "p.xml", NEW)


def test_keyboard_interrupt_cleans_up_and_propagates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "p.xml"
    target.write_bytes(OLD)

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(target, NEW)
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []


# --- a real process killed mid-save ---------------------------------------------

KILLER = r"""
import os, sys, time
from pathlib import Path
from annotator.formats import atomic
step, target, ready = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])

def hang(*args, **kwargs):
    ready.write_text("x")
    time.sleep(60)

if step == "fsync":          # data written to the temp file, not yet renamed
    os.fsync = hang
elif step == "backup":       # while keeping the .bak
    os.link = hang
elif step == "dir":          # renamed, folder not yet synced
    atomic._fsync_dir = hang
atomic.atomic_write_bytes(target, b"<new/>\n" * 200000, backup=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("step", ["fsync", "backup", "dir"])
def test_sigkill_mid_save_leaves_old_or_new_file(tmp_path: Path, step: str) -> None:
    target = tmp_path / "p.xml"
    target.write_bytes(OLD)
    ready = tmp_path / "ready"
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLER, step, str(target), str(ready)],
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert proc.poll() is None, "the writer ended before reaching the step"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    content = target.read_bytes()
    assert content in (OLD, b"<new/>\n" * 200000)
    if step == "dir":
        assert content != OLD  # the rename had happened
    else:
        assert content == OLD


def test_check_before_replace_can_veto(tmp_path: Path) -> None:
    """The saver's check of the new bytes ends before the rename; a failing check
    leaves the old file and no temp file behind."""
    path = tmp_path / "p.xml"
    path.write_bytes(b"old")
    seen: list[bytes] = []

    def check() -> None:
        seen.extend(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith(".p.xml"))
        raise SaveFailed("internal error, nothing was written: bad bytes")

    with pytest.raises(SaveFailed):
        atomic_write_bytes(path, b"new", backup=True, before_replace=check)
    assert seen == [b"new"]  # the temp file was complete when the check ran
    assert path.read_bytes() == b"old"
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "p.xml.bak").exists()
