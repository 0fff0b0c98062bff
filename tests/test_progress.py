"""Long jobs count their steps right and stop when cancelled, leaving everything as it was.

The jobs are the real core functions the CLI and the window call: the import
planner over a folder of releases, the suggesters over a project, agreement,
every exporter, and the overview. A cancel is pressed part-way (by a sink that
cancels once a few steps are done); the project's bytes and the export target's
bytes must then be exactly what they were.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest

from annotator.errors import AnnotatorError, Cancelled
from annotator.formats.project_writer import project_to_bytes
from annotator.formats.project_xml import load_project
from annotator.formats.tagset_xml import default_tagset
from annotator.importing import ImportOptions, import_into, plan_import
from annotator.model import Project
from annotator.progress import CancelToken, Progress, Step, track
from tests.jobs_support import CancelAt, Recorder, release_folder

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "projects" / "sample.xml"


def empty_project() -> Project:
    project = Project(name="archive", tagset=default_tagset())
    project.ensure_layer("dana")
    return project


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return release_folder(tmp_path_factory.mktemp("archive"), 24)


@pytest.fixture(scope="module")
def archive_project(archive: Path) -> Project:
    """The 24 releases imported, with the suggesters' first pass in dana's layer."""
    from annotator.assist.run import accept_command, suggest_project

    project = empty_project()
    import_into(project, [archive], ImportOptions(layer="dana"))
    found = [s for _, sugs in suggest_project(project, "dana") for s in sugs]
    accept_command("dana", found).do(project)
    assert len(project.documents) == 24 and project.layers["dana"].annotation_count() > 100
    return project


# --- the protocol ------------------------------------------------------------------


def test_a_step_says_its_count_as_people_read_it() -> None:
    assert Step("Importing", 312, 1200, "file").count_text == "312 of 1,200 files"
    assert Step("Importing", 1, 1, "file").count_text == "1 of 1 file"
    assert Step("Reading", 5, None, "release").count_text == "5 releases"
    assert Step("Reading", 3, 12, "file").fraction == 0.25
    assert Step("Reading", 0, None, "file").fraction is None


def test_a_fast_loop_reports_a_few_times_not_once_per_step() -> None:
    steps: list[Step] = []
    progress = Progress(steps.append)
    n = 200_000
    for _ in track(range(n), progress, "Counting", "item"):
        pass
    assert steps[0].done == 0 and steps[0].total == n
    assert steps[-1].done == n  # the finished phase is reported whole
    assert len(steps) < 200  # about one report per 50 ms, not one per step
    assert [s.done for s in steps] == sorted(s.done for s in steps)


def test_a_loop_of_slow_steps_reports_each_of_them() -> None:
    """Files that take longer than a tick each (a PDF) are counted one by one."""
    steps: list[Step] = []
    progress = Progress(steps.append, interval=0.001)
    for _ in track(range(5), progress, "Reading", "file"):
        time.sleep(0.015)
    assert [s.done for s in steps] == [0, 1, 2, 3, 4, 5, 5]


def test_without_progress_track_is_the_plain_iterator() -> None:
    items = [1, 2, 3]
    it = track(items, None, "x", "item")
    assert list(it) == items
    assert type(it) is type(iter(items))


def test_a_cancelled_token_stops_the_loop_between_two_steps() -> None:
    token = CancelToken()
    seen = []
    progress = Progress(token=token)
    with pytest.raises(Cancelled):
        for i in track(range(1000), progress, "Counting", "item"):
            seen.append(i)
            time.sleep(0.002)
            if i == 9:
                token.cancel()
    # the clock and token are read about every 10 ms: a few 2 ms steps more at most
    assert 10 <= len(seen) <= 20


def test_a_cancel_during_the_last_stride_still_stops_the_job() -> None:
    token = CancelToken()
    progress = Progress(token=token)
    with pytest.raises(Cancelled):
        for i in track(range(100_000), progress, "Counting", "item"):
            if i == 99_999:
                token.cancel()


def test_cancelled_is_one_sentence_a_user_can_read() -> None:
    err = Cancelled()
    assert isinstance(err, AnnotatorError)
    assert str(err) == "cancelled; nothing was changed"


# --- importing a folder ------------------------------------------------------------


def test_importing_a_folder_counts_its_files(archive: Path) -> None:
    rec = Recorder()
    report, _command = plan_import(
        empty_project(), [archive], ImportOptions(layer="dana"), progress=rec.progress
    )
    assert len(report.releases.imported) == 24
    last = rec.last("Reading releases")
    assert (last.done, last.total, last.unit) == (24, 24, "file")
    assert last.count_text == "24 of 24 files"
    counts = [s.done for s in rec.steps if s.label == "Reading releases"]
    assert counts == sorted(counts) and counts[0] == 0


def test_cancelling_an_import_part_way_changes_nothing(archive: Path, tmp_path: Path) -> None:
    project, _ = load_project(SAMPLE)
    before = project_to_bytes(project)
    cancel = CancelAt(5)
    with pytest.raises(Cancelled):
        plan_import(project, [archive], ImportOptions(layer="dana"), progress=cancel.progress)
    read = [s.done for s in cancel.steps if s.label == "Reading releases"]
    assert 5 <= max(read) < 24  # stopped part-way, not at the end
    assert project_to_bytes(project) == before


def test_a_cancel_is_not_taken_for_a_file_that_failed(tmp_path: Path) -> None:
    """Our own exports in the folder are read by the annotated readers, which skip bad
    files with a reason: a cancel during the walk must still stop the whole import."""
    folder = release_folder(tmp_path / "mixed", 6)
    (folder / "2019" / "export.json").write_text('{"format": "annotator-json", ', "utf-8")
    cancel = CancelAt(2)
    with pytest.raises(Cancelled):
        plan_import(
            empty_project(), [folder], ImportOptions(layer="dana"), progress=cancel.progress
        )


def test_cancelling_the_cli_import_leaves_the_file_as_it_was(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+C in ``annotator import`` reaches the planner as a cancel: nothing is saved."""
    from annotator import importing
    from annotator.cli import main

    target = tmp_path / "korea.xml"
    target.write_bytes(SAMPLE.read_bytes())
    real = importing.plan_import

    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(importing, "plan_import", interrupted)
    assert main(["import", str(archive), "-o", str(target)]) == 130
    monkeypatch.setattr(importing, "plan_import", real)
    assert target.read_bytes() == SAMPLE.read_bytes()


# --- suggesting over a project ----------------------------------------------------


def test_suggesting_counts_the_releases(archive_project: Project) -> None:
    from annotator.assist.run import suggest_project

    rec = Recorder()
    done = list(suggest_project(archive_project, "ruth", progress=rec.progress))
    assert len(done) == 24
    last = rec.last("Suggesting")
    assert (last.done, last.total, last.unit) == (24, 24, "release")


def test_cancelling_suggestions_part_way_changes_nothing(archive_project: Project) -> None:
    from annotator.assist.run import accept_command, suggest_project

    before = project_to_bytes(archive_project)
    cancel = CancelAt(4)
    found = []
    with pytest.raises(Cancelled):
        for _doc, sugs in suggest_project(archive_project, "ruth", progress=cancel.progress):
            found += sugs
            # the window's job: gather, and only a finished job becomes a command
    assert 4 <= len({s.doc_id for s in found}) < 24
    assert project_to_bytes(archive_project) == before
    assert accept_command  # the command is made from a finished run only (see ui.jobs)


# --- agreement ------------------------------------------------------------------------


def test_agreement_counts_the_releases_and_stops_when_cancelled(
    archive_project: Project,
) -> None:
    from annotator.review.agreement import agreement_report

    project = load_project_copy(archive_project)
    layer = project.layers["dana"]
    copy = project.ensure_layer("ruth")
    for doc_id, da in list(layer.docs.items())[::2]:  # ruth agrees on every other release
        copy.docs[doc_id] = da
    rec = Recorder()
    report = agreement_report(project, ["dana", "ruth"], progress=rec.progress)
    assert report.documents == 24
    last = rec.last("Measuring agreement")
    assert (last.done, last.total) == (24, 24)
    cancel = CancelAt(3)
    with pytest.raises(Cancelled):
        agreement_report(project, ["dana", "ruth"], progress=cancel.progress)


def load_project_copy(project: Project) -> Project:
    from annotator.formats.project_xml import project_from_bytes

    return project_from_bytes(project_to_bytes(project))


# --- exporting ------------------------------------------------------------------------


EXPORTS = [
    ("json", "out.json"),
    ("inline-xml", "out.xml"),
    ("tei", "out.tei.xml"),
    ("csv", "out.csv"),
    ("jsonl", "out.jsonl"),
    ("appeals-csv", "appeals.csv"),
    ("html", "report.html"),
    ("brat", "brat"),
    ("mae", "mae"),
]


def tree_bytes(path: Path) -> dict[str, bytes]:
    if path.is_file():
        return {"": path.read_bytes()}
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*"))}


@pytest.mark.parametrize(("fmt", "name"), EXPORTS)
def test_every_export_counts_releases_and_a_cancel_leaves_the_old_output(
    archive_project: Project, tmp_path: Path, fmt: str, name: str
) -> None:
    from annotator.interchange.common import ExportOptions
    from annotator.interchange.registry import EXPORTERS

    exporter = EXPORTERS[fmt]
    out = tmp_path / name
    first = dataclasses.replace(ExportOptions(layer="dana", documents=["release-0000-1"]))
    exporter.write(archive_project, out, first)  # an earlier, smaller export is there
    old = tree_bytes(out)
    before = project_to_bytes(archive_project)

    cancel = CancelAt(6)
    with pytest.raises(Cancelled):
        exporter.write(archive_project, out, ExportOptions(layer="dana", progress=cancel.progress))
    exported = [s.done for s in cancel.steps if s.label == "Exporting"]
    assert 6 <= max(exported) < 24
    assert tree_bytes(out) == old
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no staging left behind
    assert project_to_bytes(archive_project) == before

    rec = Recorder()
    exporter.write(archive_project, out, ExportOptions(layer="dana", progress=rec.progress))
    last = rec.last("Exporting")
    assert (last.done, last.total, last.unit) == (24, 24, "release")
    assert tree_bytes(out) != old


def test_a_cancel_after_the_last_release_still_leaves_the_old_output(
    archive_project: Project, tmp_path: Path
) -> None:
    """Cancel pressed while the file is being finished: the last check is before the rename."""
    from annotator.interchange.common import ExportOptions
    from annotator.interchange.registry import EXPORTERS

    out = tmp_path / "out.json"
    out.write_text("the earlier export\n", encoding="utf-8")
    cancel = CancelAt(24)
    with pytest.raises(Cancelled):
        EXPORTERS["json"].write(
            archive_project, out, ExportOptions(layer="dana", progress=cancel.progress)
        )
    assert out.read_text(encoding="utf-8") == "the earlier export\n"


# --- the overview ---------------------------------------------------------------------


def test_the_overview_counts_its_charts_and_stops_when_cancelled() -> None:
    from annotator.insight.aggregate import overview
    from annotator.insight.scope import Filter, select
    from tests.insight_support import corpus

    scope = select(corpus(), Filter())
    rec = Recorder()
    ov = overview(scope, progress=rec.progress)
    last = rec.last("Building the overview")
    assert last.done == last.total == len(ov.charts) + len(ov.frequent) + 1  # + the team's
    assert overview(scope) == ov  # the same figures with or without a bar
    cancel = CancelAt(2)
    with pytest.raises(Cancelled):
        overview(scope, progress=cancel.progress)
