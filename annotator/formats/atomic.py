"""Crash-safe file replacement: the old file or the new one, never a torn mix.

A save writes a temporary file in the target's folder (same file system, so the
final ``os.replace`` is atomic), flushes and fsyncs it, renames it over the
target and fsyncs the folder so the rename itself survives a power cut. If
anything fails the temporary file is removed and the previous file is left
exactly as it was. A process killed mid-write (SIGKILL, power loss) leaves at
most a hidden ``.NAME.tmp-PID-XXXXXXXX`` file beside the untouched original.

With ``create=True`` the file must not exist yet (``O_EXCL`` semantics): the
temp file is hard-linked to the target name, which fails if anyone created it
meanwhile, so of two creators exactly one wins and the other is told.

With ``backup=True`` the previous version is kept as ``NAME.bak``, itself
replaced atomically: it is hard-linked (no copy, even for a 100 MB project)
where the file system allows, else copied through the same temp-file path.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

from annotator.errors import SaveFailed, TargetExists

BACKUP_SUFFIX = ".bak"


def _temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")


def _fsync_dir(folder: Path) -> None:
    """Persist a rename. Not every platform can open a folder (Windows): best effort."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _reason(err: OSError) -> str:
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (the folder or file is read-only)"
    return (err.strerror or str(err)).rstrip(".").lower()


def _write_temp(target: Path, data: bytes, mode: int | None) -> Path:
    """Write ``data`` to a fresh temp file beside ``target``, fsynced. Returns its path."""
    tmp = _temp_name(target)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
    except BaseException:
        _remove_quietly(tmp)
        raise
    return tmp


def _keep_backup(target: Path) -> None:
    """Make ``target.bak`` the current ``target`` (atomically), if there is one."""
    bak = target.with_name(target.name + BACKUP_SUFFIX)
    tmp = _temp_name(bak)
    try:
        os.link(target, tmp)
    except FileNotFoundError:
        return  # nothing to keep
    except OSError:
        # no hard links here (FAT, some network shares): copy through a temp file
        _remove_quietly(tmp)
        try:
            data = target.read_bytes()
        except FileNotFoundError:
            return
        tmp = _write_temp(bak, data, None)
        shutil.copymode(target, tmp)
    try:
        os.replace(tmp, bak)
    except BaseException:
        _remove_quietly(tmp)
        raise


#: What ``link`` says on a file system without hard links.
_NO_LINKS = (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK)


def _create_from(tmp: Path, target: Path) -> None:
    """Give ``tmp`` the name ``target`` only if nothing has that name (atomic)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError as err:
        if err.errno not in (
            errno.EPERM,
            errno.EXDEV,
            errno.ENOTSUP,
            errno.EOPNOTSUPP,
            errno.EMLINK,
        ):
            raise
        # no hard links here (FAT, some network shares): claim the name, then fill it
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        try:
            os.replace(tmp, target)
        except BaseException:
            _remove_quietly(target)  # our own empty placeholder
            raise
        return
    _remove_quietly(tmp)


def atomic_write_bytes(
    path: str | Path,
    data: bytes,
    *,
    backup: bool = False,
    create: bool = False,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Replace ``path`` with ``data`` atomically; raise SaveFailed if that is impossible.

    A symbolic link is written through (its target is replaced, the link kept).
    The new file keeps the permission bits of the file it replaces.
    ``before_replace`` runs once the temp file is written and synced; if it
    raises, the temp file is removed and the target left as it was (the saver
    uses it to wait for a check of ``data`` that ran beside the write).
    ``create=True`` raises TargetExists, writing nothing, if ``path`` exists.
    """
    target = Path(os.path.realpath(path))
    try:
        mode: int | None = target.stat().st_mode & 0o7777
    except OSError:
        mode = None
    tmp: Path | None = None
    try:
        tmp = _write_temp(target, data, mode)
        if before_replace is not None:
            before_replace()
        if create:
            _create_from(tmp, target)
        else:
            if backup:
                _keep_backup(target)
            os.replace(tmp, target)
        tmp = None
        _fsync_dir(target.parent)
    except FileExistsError:
        raise TargetExists(
            "someone else created this file meanwhile; nothing was written over it",
            path=str(path),
        ) from None
    except OSError as err:
        raise SaveFailed(
            f"could not save: {_reason(err)}; the previous file is untouched",
            path=str(path),
        ) from err
    finally:
        if tmp is not None:
            _remove_quietly(tmp)
