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

A large file is handed over in pieces (:func:`atomic_write_chunks`): each is
written (and shown to ``observe``, which hashes it) by a thread of its own
while the next is made, so making the bytes and writing them overlap and the
whole file is never in memory.

With ``backup=True`` the previous version is kept as ``NAME.bak``, itself
replaced atomically: it is hard-linked (no copy, even for a 100 MB project)
where the file system allows, else copied through the same temp-file path.
"""

from __future__ import annotations

import contextlib
import errno
import os
import queue
import secrets
import shutil
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

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


#: Pieces waiting for the writing thread: enough to keep it busy, little memory.
_QUEUED = 8


def _write_all(fh: BinaryIO, chunks: Iterable[bytes], observe: Callable[[bytes], None]) -> None:
    """Write ``chunks`` to ``fh``; the writes (and ``observe``) run in a thread of their own.

    Writing and hashing release the interpreter, so they overlap with whatever
    makes the next piece. An error on either side stops both; the first one is
    raised here (the maker's first, since it is the first thing that went wrong).
    """
    pending: queue.Queue[bytes | None] = queue.Queue(maxsize=_QUEUED)
    failed: list[BaseException] = []

    def write() -> None:
        while (chunk := pending.get()) is not None:
            if failed:
                continue  # drain: the maker stops at its next piece
            try:
                fh.write(chunk)
                observe(chunk)
            except BaseException as err:  # handed to the making thread
                failed.append(err)

    writer = threading.Thread(target=write, name="annotator-write", daemon=True)
    writer.start()
    try:
        for chunk in chunks:
            if failed:
                break
            pending.put(chunk)
    finally:
        pending.put(None)
        writer.join()
    if failed:
        raise failed[0]


def _write_temp(
    target: Path,
    chunks: bytes | Iterable[bytes],
    mode: int | None,
    observe: Callable[[bytes], None] | None = None,
) -> Path:
    """Write ``chunks`` to a fresh temp file beside ``target``, fsynced. Returns its path."""
    tmp = _temp_name(target)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(chunks, bytes):
                fh.write(chunks)
                if observe is not None:
                    observe(chunks)
            else:
                _write_all(fh, chunks, observe or (lambda _: None))
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
    raises, the temp file is removed and the target left as it was.
    ``create=True`` raises TargetExists, writing nothing, if ``path`` exists.
    """
    check = None if before_replace is None else (lambda _tmp: before_replace())
    atomic_write_chunks(path, data, backup=backup, create=create, before_replace=check)


def atomic_write_chunks(
    path: str | Path,
    chunks: bytes | Iterable[bytes],
    *,
    backup: bool = False,
    create: bool = False,
    observe: Callable[[bytes], None] | None = None,
    before_replace: Callable[[Path], None] | None = None,
) -> None:
    """atomic_write_bytes for bytes made piece by piece (a project being serialised).

    ``chunks`` is consumed in the calling thread while another writes; if it
    raises (the writer's own check found a problem), nothing replaces ``path``.
    ``observe`` sees every piece written, in order (for the hash of the file);
    ``before_replace`` gets the synced temp file (for a check that reads it back).
    """
    target = Path(os.path.realpath(path))
    try:
        mode: int | None = target.stat().st_mode & 0o7777
    except OSError:
        mode = None
    tmp: Path | None = None
    try:
        tmp = _write_temp(target, chunks, mode, observe)
        if before_replace is not None:
            before_replace(tmp)
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
