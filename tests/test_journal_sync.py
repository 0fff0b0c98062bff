"""The journal's fsync runs beside the edits: an edit waits for the operating system,
never for the disk, a burst shares its fsyncs, and a killed process loses no edit
even when none of its lines had reached the disk yet."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from annotator.formats import group_sync
from annotator.formats.journal import Journal, journal_path, read_journal, replay
from annotator.formats.project_xml import load_project, new_project, project_to_bytes, save_project
from annotator.model import AddAnnotation, Document, DocumentMeta, Project, SetNote

TEXT = (
    "Amnesty International calls on the authorities of Ruritania to release “Sané Diop” "
    "and two 𠀀 students held without charge since 3 May."
)


def base() -> Project:
    p = new_project("Appeals")
    p.add_document(Document("doc0001", TEXT, DocumentMeta(headline="Ruritania")))
    p.ensure_layer("alice")
    return p


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "appeals.xml"
    save_project(base(), path)
    return path


class SlowDisk:
    """os.fsync that holds until released, and notes which thread called it."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.threads: list[str] = []
        self.calls = 0

    def fsync(self, fd: int) -> None:
        self.threads.append(threading.current_thread().name)
        self.calls += 1
        self.release.wait(30)


def test_edits_wait_for_no_fsync_and_a_burst_shares_them(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = SlowDisk()
    monkeypatch.setattr(group_sync.os, "fsync", disk.fsync)
    project, sha = load_project(saved)
    project.ensure_layer("alice")
    journal = Journal(journal_path(saved), sha, snapshot=project_to_bytes)
    for i in range(30):  # the disk answers nothing meanwhile: no edit may wait for it
        cmd = AddAnnotation("alice", "doc0001", "victim", [(i, i + 1)])
        cmd.do(project)
        journal.append("do", cmd, project)
    # every line is already in the file as the operating system shows it
    assert len(read_journal(journal_path(saved)).steps) == 30
    assert threading.current_thread().name not in disk.threads
    assert not journal.sync(timeout=0.05)  # not durable yet: the disk is holding
    disk.release.set()
    assert journal.sync(timeout=30)
    # the folder, then the file at most a few times for 31 lines (header + 30 steps)
    assert disk.calls <= 4
    journal.close()


def test_a_failed_fsync_is_told_at_the_next_edit(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    project, sha = load_project(saved)
    project.ensure_layer("alice")
    journal = Journal(journal_path(saved), sha)
    first = AddAnnotation("alice", "doc0001", "appeal", [(0, 21)])
    first.do(project)
    journal.append("do", first, project)
    assert journal.sync(timeout=30)
    monkeypatch.setattr(group_sync.os, "fsync", failing)
    second = SetNote("alice", "doc0001", "a1", "urgent")
    second.do(project)
    journal.append("do", second, project)
    journal.sync(timeout=30)
    third = SetNote("alice", "doc0001", "a1", "urgent action")
    third.do(project)
    with pytest.raises(OSError, match="Input/output"):
        journal.append("do", third, project)
    journal.close()


CHILD = r"""
import os, sys, time
from annotator.formats import group_sync
from annotator.formats.journal import Journal, journal_path
from annotator.formats.project_xml import load_project, project_to_bytes
from annotator.model import AddAnnotation, SetAttribute, SetNote

# The disk never confirms anything: every line this process writes is still
# unsynced when it is killed. Recovery must not depend on the fsync.
group_sync.os.fsync = lambda fd: time.sleep(3600)
path = sys.argv[1]
project, sha = load_project(path)
project.ensure_layer("alice")
journal = Journal(journal_path(path), sha, snapshot=project_to_bytes)
victim = sys.argv[2]
steps = [
    AddAnnotation("alice", "doc0001", "appeal", [(0, 21)]),
    AddAnnotation("alice", "doc0001", "victim", [tuple(int(x) for x in victim.split("-"))]),
    SetAttribute("alice", "doc0001", "a2", "harm", ["arrested"]),
    SetNote("alice", "doc0001", "a2", "named in the appeal 𠀀"),
    AddAnnotation("alice", "doc0001", "authority", [(22, 30)]),
]
for i, cmd in enumerate(steps):
    cmd.do(project)
    journal.append("do", cmd, project)
    print("done", i + 1, flush=True)
    sys.stdin.readline()  # the user thinks before the next edit
"""


def test_killed_between_two_edits_with_nothing_synced_loses_none(saved: Path) -> None:
    start = TEXT.index("“Sané")
    victim = f"{start}-{start + 11}"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(saved), victim],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        for i in range(1, 5):
            assert child.stdout.readline().split() == ["done", str(i)]
            if i < 4:
                child.stdin.write("\n")
                child.stdin.flush()
        os.kill(child.pid, signal.SIGKILL)  # four edits shown as done; the fifth never made
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    project, sha = load_project(saved)
    contents = read_journal(journal_path(saved))
    assert contents.base_sha256 == sha and not contents.torn
    back = replay(project, contents)
    anns = back.layers["alice"].docs["doc0001"].annotations
    assert [(a.id, a.tag, a.start, a.end) for a in anns.values()] == [
        ("a1", "appeal", 0, 21),
        ("a2", "victim", start, start + 11),
    ]
    assert anns["a2"].attributes == {"harm": ("arrested",)}
    assert anns["a2"].note == "named in the appeal 𠀀"
    assert TEXT[start : start + 11] == "“Sané Diop”"
