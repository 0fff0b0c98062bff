"""Long jobs say how far they are and stop between two steps when asked.

A job (importing a folder, suggesting over a project, measuring agreement,
exporting, building the overview) takes an optional ``progress=`` argument, a
:class:`Progress`. The job announces each phase (:meth:`Progress.phase`: a
label, how many steps, what a step is) and calls :meth:`Progress.advance` after
each step. Whoever started the job hands the :class:`Progress` a *sink* (the
window's progress dialog, the terminal's bar) and a :class:`CancelToken`.

The hot loops stay fast: ``advance`` only adds to a counter; every ``stride``
steps it looks at the clock and the token, and the stride adapts so that this
happens about every :data:`TICK` seconds whatever a step costs. The sink hears
of it at most every :data:`REPORT_INTERVAL` seconds (and at each phase's start
and end), so a fast loop of 100,000 small steps calls it a few dozen times.

Cancelling raises :class:`~annotator.errors.Cancelled` from ``advance`` or
``check``, on the job's own thread, between two steps. Jobs plan (they return
a command or write into a staging file) and change nothing until they are
done, so a cancelled job leaves the project and the output as they were.

No Qt here: the window polls :attr:`Progress.latest` from its event loop, and
the command line draws :attr:`Progress.latest` through ``tqdm``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from annotator.errors import Cancelled
from annotator.wording import plural

T = TypeVar("T")

#: how often (seconds) a running job looks at the clock and the cancel token
TICK = 0.01
#: how often (seconds) at most the sink hears of progress within a phase
REPORT_INTERVAL = 0.05
#: the most steps between two looks at the clock, however fast the steps
MAX_STRIDE = 4096


@dataclass(frozen=True, slots=True)
class Step:
    """How far a job is: ``done`` of ``total`` ``unit``\\ s in the phase ``label``."""

    label: str
    done: int
    #: None while the number of steps is not known
    total: int | None
    #: what one step is, in the singular ("file", "release", "chart")
    unit: str = "item"
    #: which phase of the job (1, 2, ...): a new number starts a new bar
    phase: int = 0

    @property
    def count_text(self) -> str:
        """``312 of 1,200 files``; ``312 files`` when the total is not known."""
        noun = self.unit if (self.total if self.total is not None else self.done) == 1 else None
        noun = noun or plural(self.unit)
        if self.total is None:
            return f"{self.done:,} {noun}"
        return f"{self.done:,} of {self.total:,} {noun}"

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return min(1.0, self.done / self.total)


Sink = Callable[[Step], None]


class CancelToken:
    """Set from any thread (the Cancel button, Ctrl+C); looked at by the job's thread."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


class Progress:
    """What a long job reports to, and asks whether to go on.

    ``sink`` (if any) is called on the job's thread with each :class:`Step` it
    is told of; :attr:`latest` always holds the last one, for a reader on
    another thread that polls instead.
    """

    def __init__(
        self,
        sink: Sink | None = None,
        token: CancelToken | None = None,
        *,
        interval: float = REPORT_INTERVAL,
        tick: float = TICK,
    ) -> None:
        self.sink = sink
        self.token = token if token is not None else CancelToken()
        self.interval = interval
        #: seconds between looks at the clock and the token (0: after every step)
        self.tick = tick
        self.label = ""
        self.unit = "item"
        self.total: int | None = None
        self.done = 0
        self.phases = 0
        #: the last step reported (read by a polling thread; replaced whole, never mutated)
        self.latest: Step | None = None
        #: how many times the sink was called (the tests and the benchmark read it)
        self.reports = 0
        self._due = 1
        self._stride = 1
        self._tick_at = time.monotonic()
        self._tick_done = 0
        self._reported_at = 0.0

    # --- what the job calls ----------------------------------------------------------

    def phase(self, label: str, total: int | None, unit: str = "item") -> None:
        """A new phase starts: ``total`` steps of ``unit`` (None: not known yet)."""
        self.check()
        self.label, self.total, self.unit = label, total, unit
        self.done = 0
        self.phases += 1
        self._due = self._stride = 1
        self._tick_at = time.monotonic()
        self._tick_done = 0
        self._report(self._tick_at)

    def advance(self, steps: int = 1) -> None:
        """``steps`` more are done. Cheap: the clock and the token are read every stride."""
        self.done += steps
        if self.done >= self._due:
            self._tick()

    def check(self) -> None:
        """Raise :class:`Cancelled` if the job was asked to stop."""
        if self.token.cancelled:
            raise Cancelled()

    def finish(self) -> None:
        """The phase is complete: report it as such (the bar reaches its end)."""
        self.check()  # a cancel pressed during the last stride still stops the job
        if self.total is not None:
            self.done = max(self.done, self.total)
        self._report(time.monotonic())

    # --- inside ----------------------------------------------------------------------

    def _tick(self) -> None:
        self.check()
        now = time.monotonic()
        elapsed = now - self._tick_at
        steps = self.done - self._tick_done
        if elapsed > 0:
            # aim at one look every TICK seconds at the pace of the last stride
            self._stride = max(1, min(MAX_STRIDE, int(steps * self.tick / elapsed)))
        elif self.tick > 0:
            self._stride = min(MAX_STRIDE, self._stride * 2)
        self._tick_at, self._tick_done = now, self.done
        self._due = self.done + self._stride
        if now - self._reported_at >= self.interval:
            self._report(now)

    def _report(self, now: float) -> None:
        self._reported_at = now
        step = Step(self.label, self.done, self.total, self.unit, self.phases)
        self.latest = step
        if self.sink is not None:
            self.reports += 1
            self.sink(step)


def track(
    items: Iterable[T],
    progress: Progress | None,
    label: str,
    unit: str,
    total: int | None = None,
) -> Iterator[T]:
    """``items`` one by one, each counted as one step of a phase of ``progress``.

    Without ``progress`` this is ``iter(items)``: a job run without a bar pays nothing.
    The total is ``len(items)`` when it has one.
    """
    if progress is None:
        return iter(items)
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    return _tracked(items, progress, label, unit, total)


def _tracked(
    items: Iterable[T], progress: Progress, label: str, unit: str, total: int | None
) -> Iterator[T]:
    progress.phase(label, total, unit)
    advance = progress.advance
    for item in items:
        yield item
        advance()
    progress.finish()


def checked(progress: Progress | None) -> None:
    """``progress.check()`` for an optional ``progress``."""
    if progress is not None:
        progress.check()


__all__ = ["CancelToken", "Cancelled", "Progress", "Sink", "Step", "checked", "track"]
