"""Guard against the PySide6 release that kills the interpreter.

PySide6 6.12.0 on CPython 3.11 drops one reference to ``None`` on every Qt call
that returns nothing; after enough calls the count reaches zero and the process
aborts with "deallocating None". The measurement runs in a child process so a
regression fails this test instead of aborting the whole suite.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from importlib.metadata import version

import pytest

pytest.importorskip("PySide6")

CALLS = 1000

PROBE = textwrap.dedent(
    f"""
    import sys
    from PySide6.QtCore import QObject, QTimer

    obj = QObject()
    timer = QTimer()
    for _ in range(50):  # warm up caches that legitimately keep a reference
        obj.setObjectName("warm")
        timer.setInterval(5)
        timer.setSingleShot(True)
    before = sys.getrefcount(None)
    for i in range({CALLS}):
        obj.setObjectName("n")          # void
        timer.setInterval(i % 100 + 1)  # void
        timer.setSingleShot(bool(i % 2))  # void
    after = sys.getrefcount(None)
    print(after - before)
    """
)


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:2] if part.isdigit())


def test_void_qt_calls_do_not_leak_references_to_none() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, f"the probe crashed (PySide6 refcount bug?): {proc.stderr}"
    drift = int(proc.stdout.strip())
    # 3 void calls x 1000 iterations: the broken release loses ~3000 references.
    assert abs(drift) < 50, f"sys.getrefcount(None) drifted by {drift} over {3 * CALLS} calls"


@pytest.mark.skipif(sys.version_info[:2] != (3, 11), reason="the crash is specific to CPython 3.11")
def test_installed_pyside_is_below_the_broken_release() -> None:
    installed = version("PySide6")
    assert _version_tuple(installed) < (6, 12), (
        f"PySide6 {installed} is installed on Python 3.11; 6.12 drops a reference to None on "
        "every void Qt call and the app aborts ('deallocating None'). Keep the pin <6.12."
    )


def test_version_parsing() -> None:
    assert _version_tuple("6.11.3") == (6, 11)
    assert _version_tuple("6.12.0") >= (6, 12)
