"""Exports land whole or not at all: staged beside the target, then renamed into place.

Every registered exporter goes through :class:`AtomicExporter` (see
:mod:`.registry`), so ``annotator export`` and the GUI's export dialog write the
same way. The exporter writes into a hidden staging file or folder in the
target's folder (same file system, so the final rename is atomic); its files
are fsynced; only then is the staging renamed over the target. If anything
fails (a full disk half-way, a redaction leak, a bug), the staging is removed
and the previous output is exactly as it was; the error names the target.

A folder export (brat, MAE) replaces the whole folder, so that a release no
longer exported does not linger in it. On Linux the two folders are exchanged in
one step (``renameat2(RENAME_EXCHANGE)``); elsewhere the old folder is renamed
aside, the new one into place, and the old one is removed (or put back if the
second rename fails). An export folder holds a small hidden marker file; an
existing folder is replaced only if it is empty or holds that marker, because a
folder of anything else (the releases themselves, say) must never be deleted
by an export into it.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.errors import AnnotatorError, ExportError
from annotator.formats.atomic import _fsync_dir, _reason
from annotator.interchange.common import ExportOptions
from annotator.model import Project
from annotator.progress import checked

if TYPE_CHECKING:
    from annotator.interchange.registry import Exporter

#: fsyncs in flight at once for a folder export
FSYNC_THREADS = 8

#: The hidden file that marks a folder as an annotator export (safe to replace).
MARKER = ".annotator-export"


def _staging_name(target: Path, kind: str) -> Path:
    return target.with_name(f".{target.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}")


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            os.unlink(path)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    """Sync every file of a folder export (brat writes two per release).

    fsync waits for the disk and releases the GIL: several at once let the file
    system commit them together instead of one journal flush per file.
    """
    files: list[Path] = []
    folders: list[Path] = []
    for root, _dirs, names in os.walk(folder):
        folders.append(Path(root))
        files += [Path(root) / name for name in names]
    with ThreadPoolExecutor(max_workers=FSYNC_THREADS) as pool:
        list(pool.map(_fsync_file, files))
    for path in folders:
        _fsync_dir(path)


def _exchange(a: Path, b: Path) -> bool:
    """Swap ``a`` and ``b`` in one step (Linux); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _replaceable(folder: Path) -> bool:
    """An existing folder may be replaced: it is empty, or an earlier export of ours."""
    with os.scandir(folder) as entries:
        names = [e.name for e in entries]
    return not names or MARKER in names


def _swap_folder(staged: Path, target: Path) -> None:
    if not target.exists():
        os.rename(staged, target)
        return
    if _exchange(staged, target):
        _remove(staged)  # now the old export
        return
    old = _staging_name(target, "old")
    os.rename(target, old)
    try:
        os.rename(staged, target)
    except BaseException:
        os.rename(old, target)
        raise
    _remove(old)


def write_output(
    target: str | Path,
    write: Callable[[Path], None],
    *,
    folder: bool,
    marker: str = "annotator export",
) -> None:
    """Run ``write(staging)`` and put what it wrote at ``target`` in one rename.

    ``folder`` says whether ``write`` makes a folder (brat, MAE) or one file.
    On failure nothing changes at ``target`` and the error names it.
    """
    given = Path(target)
    # write through a symbolic link, as saves do: the link stays, its target is replaced
    path = Path(os.path.realpath(given))
    if folder and path.is_file():
        raise ExportError("this is a file, but the format writes a folder", path=str(given))
    if not folder and path.is_dir():
        raise ExportError("this is a folder, but the format writes one file", path=str(given))
    if not path.parent.is_dir():
        raise ExportError(f"the folder {path.parent} does not exist", path=str(given))
    if folder and path.is_dir() and not _replaceable(path):
        raise ExportError(
            "the folder already holds files that are not an annotator export and an export "
            "replaces the whole folder; nothing was written: choose a new or empty folder",
            path=str(given),
        )
    existed = path.exists()
    try:
        mode: int | None = path.stat().st_mode & 0o7777 if existed and not folder else None
    except OSError:
        mode = None
    staged = _staging_name(path, "tmp")
    try:
        write(staged)
        if folder:
            staged.mkdir(exist_ok=True)  # an export of nothing is still a folder
            (staged / MARKER).write_text(
                f"{marker}: the next export into this folder replaces it as a whole\n",
                encoding="utf-8",
            )
            _fsync_tree(staged)
            _swap_folder(staged, path)
        else:
            _fsync_file(staged)
            if mode is not None:
                os.chmod(staged, mode)
            os.replace(staged, path)
        _fsync_dir(path.parent)
    except AnnotatorError as err:
        _name_the_target(err, staged, given)
        raise
    except OSError as err:
        kept = "the previous export is untouched" if existed else "nothing was written"
        raise ExportError(f"could not export: {_reason(err)}; {kept}", path=str(given)) from err
    finally:
        if staged.exists() or staged.is_symlink():
            _remove(staged)


def _name_the_target(err: AnnotatorError, staged: Path, given: Path) -> None:
    """The user chose ``given``: an error should say that, not our staging name."""
    for old, new in ((str(staged), str(given)), (staged.name, given.name)):
        if err.path:
            err.path = err.path.replace(old, new)
        err.message = err.message.replace(old, new)
    err.args = (err.message, *err.args[1:])


class AtomicExporter:
    """An exporter whose output lands whole at its target, or not at all."""

    def __init__(self, inner: Exporter) -> None:
        self.inner = inner
        self.name = inner.name
        self.description = inner.description
        self.suffix = inner.suffix

    def write(self, project: Project, out: Path, options: ExportOptions) -> list[str]:
        notes: list[str] = []

        def write(staged: Path) -> None:
            notes.extend(self.inner.write(project, staged, options))
            # the last moment a cancel is heard: past it the export lands whole
            checked(options.progress)

        write_output(
            out, write, folder=not self.suffix, marker=f"{self.name} export written by annotator"
        )
        return notes
