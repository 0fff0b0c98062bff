"""Making an append-only file durable from a thread of its own (group commit).

The edit journal hands each line to the operating system as the edit happens:
from then on a crash of the program (or a kill) cannot lose it, since the
kernel holds it. What ``fsync`` adds is surviving a power cut, and it costs
milliseconds on a real disk, which a keypress must not wait for. So the
writer only says "one more line" and this thread fsyncs: a line that arrives
while an fsync runs is covered by the next one, so a burst of edits costs one
or two fsyncs, not one each, and the window never waits for the disk.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from pathlib import Path


class GroupSync:
    """fsyncs the open file ``fd`` whenever lines were written since the last fsync.

    ``folder`` is fsynced once first, so that the file's new name survives a
    power cut as well. The owner calls :meth:`written` after each write (already
    flushed to the operating system) and :meth:`close` before closing ``fd``.
    """

    def __init__(self, fd: int, folder: Path | None = None) -> None:
        self._fd = fd
        self._folder = folder
        self._cond = threading.Condition()
        self._written = 0
        self._synced = 0
        self._closing = False
        self._then: Callable[[], None] | None = None
        #: how many fsyncs of the file were made (a burst shares them)
        self.fsyncs = 0
        #: the first fsync that failed; the owner reports it at its next write
        self.error: OSError | None = None
        self._thread = threading.Thread(
            target=self._run, name="annotator-journal-sync", daemon=True
        )
        self._thread.start()

    def written(self) -> None:
        """One more line is in the operating system's hands: make it durable soon."""
        with self._cond:
            self._written += 1
            self._cond.notify_all()

    def _run(self) -> None:
        if self._folder is not None:
            with contextlib.suppress(OSError):  # not every platform can open a folder
                fd = os.open(self._folder, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        while True:
            with self._cond:
                while self._synced == self._written and not self._closing:
                    self._cond.wait()
                if self._synced == self._written:
                    if self._then is not None:  # closing, and everything written is durable
                        with contextlib.suppress(OSError):
                            self._then()
                    return
                target = self._written
            try:
                os.fsync(self._fd)
            except OSError as err:
                self.error = self.error or err
            with self._cond:
                self.fsyncs += 1
                self._synced = target
                self._cond.notify_all()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until every line written so far is durable; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: self._synced == self._written, timeout)

    @property
    def pending(self) -> int:
        """Lines written but not yet known durable."""
        with self._cond:
            return self._written - self._synced

    def close(self, then: Callable[[], None] | None = None, *, wait: bool = True) -> None:
        """Make the last lines durable and end the thread, then run ``then`` (which
        closes the file). ``wait=False`` returns at once: the thread runs ``then``."""
        with self._cond:
            self._closing = True
            self._then = then if not wait else None
            self._cond.notify_all()
        if wait:
            self._thread.join()
            if then is not None:
                then()


__all__ = ["GroupSync"]
