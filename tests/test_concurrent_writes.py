"""Two writers at once: the write lock, O_EXCL creation, stale locks, and real CLI races.

The races start real ``annotator import`` processes on two different releases
(one from Human Rights Watch, one a Front Line Defenders urgent appeal) against
the same project file, with and without an existing file. Whatever the
interleaving, every process that says "saved" has its release in the file, and
a process that does not get its change in exits non-zero without saying "saved".
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from annotator.errors import ConcurrentModification, FileLocked, TargetExists
from annotator.formats.atomic import atomic_write_bytes
from annotator.formats.locking import lock_path, write_lock
from annotator.formats.project_update import update_project
from annotator.formats.project_xml import load_project, new_project, save_project
from annotator.model import Document, Project

REPO = Path(__file__).resolve().parent.parent
RELEASES = REPO / "tests" / "data" / "concurrent"
SAMPLE = REPO / "projects" / "sample.xml"
#: release file -> a phrase only its text holds
PHRASES = {
    "hrw-lawyers-detained.txt": "Rustam Nazarov",
    "fld-defender-arrested.txt": "Ana Lucía Pop",
}
#: races run in the default suite; the slow mark runs many more
QUICK_RUNS = 20
LONG_RUNS = 60


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "annotator", *args]


def env() -> dict[str, str]:
    return {**os.environ, "ANNOTATOR_NAME": "tester", "PYTHONPATH": str(REPO)}


def texts(path: Path) -> list[str]:
    return [doc.text for doc in load_project(path)[0].documents.values()]


def holds(path: Path, phrase: str) -> bool:
    return any(phrase in text for text in texts(path))


def check_outcome(path: Path, results: dict[str, tuple[int, str, str]]) -> None:
    """No process claims a success that is not on disk; a loser exits non-zero, one line."""
    for name, (code, out, err) in results.items():
        phrase = PHRASES[name]
        if code == 0:
            assert f"saved {path}" in out, (name, out, err)
            assert holds(path, phrase), f"{name} said {out!r} but its release is not in the file"
        else:
            assert "saved" not in out, (name, out, err)
            assert err.count("\n") == 1 and "annotator: error:" in err, err


# --- the lock itself -------------------------------------------------------------------


HOLDER = textwrap.dedent(
    """
    import os, sys, time
    from annotator.formats.locking import write_lock
    with write_lock(sys.argv[1]):
        print("locked", flush=True)
        if sys.argv[2] == "die":
            os._exit(9)  # a crash while holding the lock: no clean-up runs
        time.sleep(float(sys.argv[2]))
    """
)


def hold_lock(target: Path, how: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(target), how],
        stdout=subprocess.PIPE,
        text=True,
        env=env(),
    )
    assert proc.stdout is not None and proc.stdout.readline() == "locked\n"
    return proc


def test_a_second_writer_waits_and_then_gives_up_naming_the_holder(tmp_path: Path) -> None:
    target = tmp_path / "team.xml"
    holder = hold_lock(target, "30")
    try:
        started = time.monotonic()
        with pytest.raises(FileLocked) as info, write_lock(target, timeout=0.3):
            pass
        assert time.monotonic() - started >= 0.3
        message = str(info.value)
        assert message.startswith(f"{target}: ") and f"process {holder.pid}" in message
        assert "nothing was written" in message
    finally:
        holder.send_signal(signal.SIGTERM)
        holder.wait(timeout=10)
    with write_lock(target, timeout=5):  # released by the system when its process ended
        pass


def test_a_stale_lock_is_taken_over_and_reported(tmp_path: Path) -> None:
    target = tmp_path / "team.xml"
    save_project(new_project("team"), target)
    crashed = hold_lock(target, "die")
    assert crashed.wait(timeout=10) == 9
    assert str(crashed.pid) in lock_path(target).read_text()  # the dead holder's mark is left
    said: list[str] = []
    project, sha = load_project(target)
    project.name = "after the crash"
    save_project(project, target, expected_sha256=sha, notify=said.append)
    assert len(said) == 1
    assert f"process {crashed.pid}" in said[0] and "no longer running" in said[0]
    assert str(target) in said[0]
    assert load_project(target)[0].name == "after the crash"
    assert lock_path(target).read_text() == ""  # released cleanly this time
    said.clear()
    save_project(project, target, notify=said.append)
    assert said == []  # a clean release is not stale


def test_the_cli_says_so_on_one_line_when_it_takes_over_a_stale_lock(tmp_path: Path) -> None:
    target = tmp_path / "team.xml"
    crashed = hold_lock(target, "die")
    assert crashed.wait(timeout=10) == 9
    release = RELEASES / "hrw-lawyers-detained.txt"
    done = subprocess.run(
        cli("import", str(release), "-o", str(target)),
        capture_output=True,
        text=True,
        env=env(),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("\n") == 1 and "took over the lock" in done.stderr
    assert f"process {crashed.pid}" in done.stderr
    assert holds(target, PHRASES[release.name])


def test_the_lock_is_reentrant_in_one_thread_and_exclusive_between_threads(
    tmp_path: Path,
) -> None:
    target = tmp_path / "team.xml"
    other: list[BaseException] = []

    def contend() -> None:
        try:
            with write_lock(target, timeout=0.2):
                pass
        except FileLocked as err:
            other.append(err)

    with write_lock(target), write_lock(target):  # nested: update_project saves under it
        thread = threading.Thread(target=contend)
        thread.start()
        thread.join()
    assert len(other) == 1
    contend()  # free again
    assert len(other) == 1


# --- creating a file: O_EXCL semantics -----------------------------------------------------


def test_create_refuses_a_file_that_exists_and_leaves_it_alone(tmp_path: Path) -> None:
    target = tmp_path / "team.xml"
    target.write_bytes(b"theirs")
    with pytest.raises(TargetExists) as info:
        atomic_write_bytes(target, b"mine", create=True)
    assert str(info.value).startswith(f"{target}: ")
    assert target.read_bytes() == b"theirs"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["team.xml"]  # no temp file left


def _create_at_once(target: Path) -> list[str]:
    """Two threads create ``target`` released by one barrier; what each one got."""
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def create(name: str) -> None:
        project = new_project(name)
        start.wait()
        try:
            save_project(project, target, create=True)
            outcomes.append(f"won {name}")
        except TargetExists:
            outcomes.append("lost")

    threads = [threading.Thread(target=create, args=(n,)) for n in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_of_two_creators_exactly_one_wins(tmp_path: Path) -> None:
    for run in range(20):
        target = tmp_path / f"team-{run}.xml"
        outcomes = _create_at_once(target)
        assert sorted(outcomes)[0] == "lost" and len(outcomes) == 2, outcomes
        winner = next(o for o in outcomes if o.startswith("won")).split()[1]
        assert load_project(target)[0].name == winner


def test_update_project_applies_the_change_again_after_a_concurrent_save(
    tmp_path: Path,
) -> None:
    target = tmp_path / "team.xml"
    save_project(new_project("team"), target)
    calls: list[int] = []

    def add_release(project: Project) -> tuple[str, bool]:
        calls.append(len(project.documents))
        if len(calls) == 1:  # a colleague's save lands between our read and our write
            theirs, sha = load_project(target)
            theirs.add_document(Document("theirs", "Their release."))
            save_project(theirs, target, expected_sha256=sha)
        project.add_document(Document("mine", "My release."))
        return "added", True

    done = update_project(target, add_release)
    assert done.saved and done.attempts == 2 and calls == [0, 1]
    assert set(load_project(target)[0].documents) == {"theirs", "mine"}


def test_update_project_never_claims_a_save_that_a_lock_ignoring_writer_undid(
    tmp_path: Path,
) -> None:
    target = tmp_path / "team.xml"
    save_project(new_project("team"), target)
    from annotator.formats.project_xml import project_to_bytes

    def add_release(project: Project) -> tuple[str, bool]:
        theirs = new_project(f"written behind our back {time.monotonic_ns()}")
        target.write_bytes(project_to_bytes(theirs))  # no lock, no check: every time
        project.add_document(Document("mine", "My release."))
        return "added", True

    with pytest.raises(ConcurrentModification):
        update_project(target, add_release)
    assert "mine" not in load_project(target)[0].documents


# --- real processes racing ---------------------------------------------------------------


def race_two_imports(tmp_path: Path, run: int) -> dict[str, tuple[int, str, str]]:
    """Two ``annotator import`` processes on one project; odd runs start with no file."""
    target = tmp_path / f"team-{run}.xml"
    if run % 2 == 0:
        shutil.copyfile(SAMPLE, target)
    procs = {
        name: subprocess.Popen(
            cli("import", str(RELEASES / name), "-o", str(target)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env(),
        )
        for name in PHRASES
    }
    results = {}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        results[name] = (proc.returncode, out, err)
    check_outcome(target, results)
    return results


def _race_many(tmp_path: Path, runs: int) -> None:
    for run in range(runs):
        results = race_two_imports(tmp_path, run)
        target = tmp_path / f"team-{run}.xml"
        # importing is a change that can be re-applied: both always get in
        assert all(code == 0 for code, _, _ in results.values()), results
        assert all(holds(target, phrase) for phrase in PHRASES.values())
        assert sorted(p.name for p in tmp_path.iterdir() if ".tmp-" in p.name) == []


def test_two_cli_imports_racing_both_end_up_in_the_file(tmp_path: Path) -> None:
    _race_many(tmp_path, QUICK_RUNS)


@pytest.mark.slow
def test_two_cli_imports_racing_many_times(tmp_path: Path) -> None:
    _race_many(tmp_path, LONG_RUNS)


# --- merge -o and new -------------------------------------------------------------------


def _two_layer_projects(tmp_path: Path) -> tuple[Path, Path]:
    """MINE with alice's layer and THEIRS with bob's, over the same release."""
    from annotator.model.commands import AddAnnotation

    text = (RELEASES / "hrw-lawyers-detained.txt").read_text(encoding="utf-8")
    paths = []
    for name in ("alice", "bob"):
        project = new_project("team")
        project.add_document(Document("hrw-1", text))
        project.ensure_layer(name)
        start = text.index("Rustam Nazarov")
        AddAnnotation(name, "hrw-1", "victim", [(start, start + 14)]).do(project)
        path = tmp_path / f"{name}.xml"
        save_project(project, path)
        paths.append(path)
    return paths[0], paths[1]


def test_merge_into_mine_reapplies_itself_when_mine_changed_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from annotator.cli import main
    from annotator.formats import project_update

    mine, theirs = _two_layer_projects(tmp_path)
    real_load = project_update.load_project
    loads: list[str] = []

    def load_then_the_gui_saves(path: str | Path) -> tuple[Project, str]:
        loaded = real_load(path)
        loads.append(loaded[1])
        if len(loads) == 1:  # alice's window saves a new release right after our read
            project, sha = real_load(path)
            project.add_document(Document("fld-1", "Ana Lucía Pop was arrested."))
            save_project(project, path, expected_sha256=sha)
        return loaded

    monkeypatch.setattr(project_update, "load_project", load_then_the_gui_saves)
    assert main(["merge", str(mine), str(theirs), "-o", str(mine)]) == 0
    out = capsys.readouterr().out
    assert out.count(f"Saved {mine}") == 1 and out.count(f"{theirs}:") == 1
    merged = real_load(mine)[0]
    assert set(merged.documents) == {"hrw-1", "fld-1"}  # their save is kept
    assert {"alice", "bob"} <= set(merged.layers)  # and the merge is in


def test_merge_to_a_new_output_someone_else_creates_meanwhile_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from annotator.cli import main
    from annotator.review import merge as review_merge

    mine, theirs = _two_layer_projects(tmp_path)
    out = tmp_path / "review.xml"
    real_merge = review_merge.MergeProjects.do

    def merge_while_a_colleague_creates_the_output(self: Any, project: Project) -> None:
        if not out.exists():
            save_project(new_project("the colleague's review"), out, create=True)
        real_merge(self, project)

    monkeypatch.setattr(
        review_merge.MergeProjects, "do", merge_while_a_colleague_creates_the_output
    )
    assert main(["merge", str(mine), str(theirs), "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert "Saved" not in captured.out
    assert captured.err.count("\n") == 1 and captured.err.startswith(f"annotator: error: {out}: ")
    assert load_project(out)[0].name == "the colleague's review"


def test_two_cli_new_commands_at_once_create_one_project(tmp_path: Path) -> None:
    for run in range(5):
        target = tmp_path / f"team-{run}.xml"
        procs = [
            subprocess.Popen(
                cli("new", str(target), "--name", name),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env(),
            )
            for name in ("alice", "bob")
        ]
        results = [(p.wait(timeout=60), *p.communicate()) for p in procs]
        winners = [r for r in results if r[0] == 0]
        assert len(winners) == 1, results
        loser = next(r for r in results if r[0] != 0)
        assert loser[1] == "" and loser[2].count("\n") == 1 and str(target) in loser[2]
        name = "alice" if "'alice'" in winners[0][1] else "bob"
        assert load_project(target)[0].name == name
