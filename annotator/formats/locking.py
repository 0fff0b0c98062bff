"""One writer at a time: an exclusive lock beside the file being written.

Every write of a project file (CLI commands, the GUI's Save, merge) holds
``.NAME.lock`` in the same folder while it checks that the file is still what it
read, writes the temporary file and renames it. The lock is an operating-system
lock (``flock`` on POSIX, ``msvcrt.locking`` on Windows) on that lock file, so
the system releases it when its process dies, however it dies: no annotator
can be locked out by a crashed one.

The holder writes its process id into the lock file and empties it again
before unlocking. A lock file that still names a process when we get the lock
was left by a process that died while holding it: we take it over and say so
(one line through ``notify``), because a crash mid-save is worth knowing about.

The lock file stays in the folder after use (it is empty then): deleting it
would let a waiting writer lock the deleted file while a third one creates and
locks a new one, and both would think they hold the lock.

Within one process the lock is re-entrant per thread (``update_project`` holds
it around a whole load-change-save and ``save_project`` takes it again). flock
locks belong to an open file, not to a process, so two threads that each open
the lock file exclude each other like two processes do.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from annotator.errors import FileLocked, SaveFailed
from annotator.formats.atomic import _reason

#: How long a writer waits for another one to finish its write before giving up.
DEFAULT_TIMEOUT = 60.0
_POLL = 0.02

_held_lock = threading.Lock()
#: lock path -> (owning thread id, depth), for re-entrance within a thread
_held: dict[str, tuple[int, int]] = {}


def lock_path(target: str | Path) -> Path:
    """The lock file of ``target``: hidden, in the same folder (same file system).

    ``X.xml`` is locked by ``.X.xml.lock``, and a file hidden already (the
    rejections beside a project, ``.X.xml.rejections.json``) by its own name and
    ``.lock``, without a second dot in front."""
    real = Path(os.path.realpath(target))
    name = real.name if real.name.startswith(".") else f".{real.name}"
    return real.with_name(f"{name}.lock")


def legacy_lock_path(target: str | Path) -> Path | None:
    """The lock file earlier versions gave a hidden ``target`` (``..X.lock``), which
    one of them may still be holding; None for a file that is not hidden."""
    real = Path(os.path.realpath(target))
    return real.with_name(f".{real.name}.lock") if real.name.startswith(".") else None


def _warn(message: str) -> None:
    print(f"annotator: {message}", file=sys.stderr)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            if err.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return False
            raise
        return True

    def _unlock(fd: int) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)


def _read_holder(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 200).decode("ascii", "replace").strip()


def _write_holder(fd: int, text: str) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    if text:  # not fsynced: after a power cut there is no process to report anyway
        os.write(fd, text.encode("ascii"))


def _pid_of(holder: str) -> str:
    return holder.split()[0] if holder else "?"


@contextlib.contextmanager
def write_lock(
    target: str | Path,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    notify: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the exclusive write lock of ``target`` for the ``with`` block.

    Waits up to ``timeout`` seconds for another writer, then raises FileLocked
    naming the file and the process that holds it. ``notify`` receives the one
    line said when a stale lock is taken over (default: stderr).

    Where a lock file of an earlier version's name is present, it is held as
    well (always first, so that two writers never wait on each other), for a
    colleague may still run that version.
    """
    with contextlib.ExitStack() as held:
        legacy = legacy_lock_path(target)
        if legacy is not None and legacy.exists():
            held.enter_context(_hold(target, legacy, timeout, notify))
        held.enter_context(_hold(target, lock_path(target), timeout, notify))
        yield


@contextlib.contextmanager
def _hold(
    target: str | Path,
    lock: Path,
    timeout: float,
    notify: Callable[[str], None] | None,
) -> Iterator[None]:
    """Hold ``lock`` (the lock file of ``target``): see :func:`write_lock`."""
    key = str(lock)
    me = threading.get_ident()
    with _held_lock:
        owner = _held.get(key)
        if owner is not None and owner[0] == me:
            _held[key] = (me, owner[1] + 1)
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            with _held_lock:
                tid, depth = _held[key]
                if depth > 1:
                    _held[key] = (tid, depth - 1)
                else:
                    del _held[key]
        return

    binary = getattr(os, "O_BINARY", 0)
    writable = True
    try:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | binary, 0o666)
        except PermissionError:
            # a colleague's lock file in a shared folder, not writable for us: flock
            # needs no write access; we only cannot leave our process id in it
            fd = os.open(lock, os.O_RDONLY | binary)
            writable = False
    except OSError as err:
        raise SaveFailed(
            f"could not save: cannot create its lock file {lock.name}: {_reason(err)}; "
            "nothing was written",
            path=str(target),
        ) from err
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                holder = ""
                with contextlib.suppress(OSError):
                    holder = _read_holder(fd)
                raise FileLocked(
                    f"another annotator (process {_pid_of(holder)}) has been writing this file "
                    f"for over {timeout:g} seconds; nothing was written, try again",
                    path=str(target),
                )
            time.sleep(_POLL)
        try:
            # (only a writer that can clear the mark reports it, else it would repeat)
            stale = _read_holder(fd) if writable else ""
            if stale:
                (notify or _warn)(
                    f"took over the lock on {target}: process {_pid_of(stale)} that held it "
                    "is no longer running (it stopped while saving; the file itself is whole)"
                )
            if writable:
                _write_holder(fd, f"{os.getpid()} {_host()}\n")
            with _held_lock:
                _held[key] = (me, 1)
            try:
                yield
            finally:
                with _held_lock:
                    _held.pop(key, None)
                if writable:
                    with contextlib.suppress(OSError):
                        _write_holder(fd, "")
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


def _host() -> str:
    try:
        return os.uname().nodename
    except AttributeError:  # Windows
        return os.environ.get("COMPUTERNAME", "")
