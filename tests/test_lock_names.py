"""Lock files are named one way: ``.X.lock`` beside ``X``, hidden once.

The rejections file beside a project is hidden already; its lock once got a
second dot (``..X.xml.rejections.json.lock``). A lock file of that old name is
still honoured where present, for a colleague may still run that version.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

from annotator.assist.rejections import Rejection, load_rejections, save_rejections, sidecar_path
from annotator.formats.locking import lock_path


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_hidden_file_is_locked_by_its_name_and_lock(tmp_path: Path) -> None:
    assert lock_path(tmp_path / "campaign.xml").name == ".campaign.xml.lock"
    hidden = tmp_path / ".campaign.xml.rejections.json"
    assert lock_path(hidden).name == ".campaign.xml.rejections.json.lock"


def test_saving_rejections_leaves_no_doubled_dot(tmp_path: Path) -> None:
    project = tmp_path / "campaign.xml"
    save_rejections(project, "dana", [Rejection("d1", "victim", "0-6", "people", "t1")])
    assert _names(tmp_path) == [
        ".campaign.xml.rejections.json",
        ".campaign.xml.rejections.json.lock",
    ]


def test_a_lock_of_the_old_name_is_waited_for(tmp_path: Path) -> None:
    project = tmp_path / "campaign.xml"
    old = tmp_path / "..campaign.xml.rejections.json.lock"
    # an earlier version, saving its rejections, holds the lock of the old name
    fd = os.open(old, os.O_RDWR | os.O_CREAT, 0o666)
    fcntl.flock(fd, fcntl.LOCK_EX)
    saver = threading.Thread(
        target=save_rejections,
        args=(project, "dana", [Rejection("d1", "victim", "0-6", "people", "t1")]),
    )
    try:
        saver.start()
        time.sleep(0.5)
        assert saver.is_alive() and not sidecar_path(project).exists()
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
        saver.join(10)
    assert not saver.is_alive()
    assert [r.doc for r in load_rejections(project, "dana").items] == ["d1"]
