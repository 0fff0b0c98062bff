"""The edit journal: every step on disk as it happens, replayed on the saved file after a crash."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.errors import AnnotatorError, JournalBaseChanged, JournalUnusable
from annotator.formats.journal import (
    Journal,
    describe,
    journal_path,
    read_journal,
    replay,
)
from annotator.formats.project_xml import (
    file_sha256,
    load_project,
    new_project,
    project_to_bytes,
    save_project,
)
from annotator.formats.tagset_xml import default_tagset
from annotator.model import (
    AddAnnotation,
    AddComment,
    AddLink,
    Annotation,
    Command,
    DeleteAnnotation,
    Document,
    DocumentMeta,
    EditText,
    Fragment,
    Link,
    Macro,
    Project,
    RemoveLink,
    Resize,
    Retag,
    ReviewStatus,
    SetAttribute,
    SetNeedsCheck,
    SetNote,
    SetReviewStatus,
    SetStatus,
    Status,
)
from annotator.model.commands import do_or_refuse
from annotator.model.documents import AddDocuments
from annotator.model.import_commands import PlaceAnnotations, ReplaceTagSet
from annotator.model.tagset import TagType
from annotator.model.tagset_commands import (
    MergeValues,
    RemoveTag,
    RemoveValue,
    RenameTag,
    RenameValue,
)

# A release as campaign staff paste it: curly quotes, a name outside the BMP script range
# (𠀀), a non-breaking space, an em dash.
TEXT_ONE = (
    "Amnesty International urges the authorities in Ruritania to release “Sané Diop” "
    "and 12 trade unionists\u00a0— detained since 3 May — and to investigate 𠀀 reports of torture."
)
TEXT_TWO = "Security forces beat demonstrators near the Embassy; two students were arrested."


def base_project() -> Project:
    p = new_project("Campaign 2026")
    p.add_document(Document("doc0001", TEXT_ONE, DocumentMeta(headline="Ruritania")))
    p.add_document(Document("doc0002", TEXT_TWO, DocumentMeta(country="Freedonia")))
    p.ensure_layer("alice")
    return p


class Live:
    """A session that journals each step the way the GUI does."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.project, sha = load_project(path)
        self.project.ensure_layer("alice")
        self.journal = Journal(journal_path(path), sha, snapshot=project_to_bytes)
        self.done: list[Command] = []
        self.undone: list[Command] = []

    def push(self, cmd: Command) -> bool:
        try:
            do_or_refuse(cmd, self.project)  # as the window's session does
        except AnnotatorError:
            return False  # refused: nothing changed, nothing journaled
        self.done.append(cmd)
        self.undone.clear()
        self.journal.append("do", cmd, self.project)
        return True

    def undo(self) -> None:
        cmd = self.done.pop()
        cmd.undo(self.project)
        self.undone.append(cmd)
        self.journal.append("undo", cmd, self.project)

    def redo(self) -> None:
        cmd = self.undone.pop()
        cmd.do(self.project)
        self.done.append(cmd)
        self.journal.append("redo", cmd, self.project)


def recovered(path: Path) -> Project:
    """What the next start gets: the saved file with the journal replayed on it."""
    project, sha = load_project(path)
    contents = read_journal(journal_path(path))
    from annotator.formats.journal import check_base

    check_base(contents, sha)
    return replay(project, contents)


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "campaign.xml"
    save_project(base_project(), path)
    return path


def every_command(live: Live) -> None:
    """One of each command the model has, then undo and redo of some."""
    p = live.project
    assert live.push(AddAnnotation("alice", "doc0001", "appeal", [(0, 27)], {"kind": "urging"}))
    appeal = live.done[-1].ann_id  # type: ignore[attr-defined]
    assert live.push(AddAnnotation("alice", "doc0001", "authority", [(32, 58)]))
    auth = live.done[-1].ann_id  # type: ignore[attr-defined]
    victim_start = TEXT_ONE.index("“Sané")
    assert live.push(
        AddAnnotation(
            "alice",
            "doc0001",
            "victim",
            [(victim_start, victim_start + 11), (TEXT_ONE.index("12"), TEXT_ONE.index("\u00a0"))],
            {"harm": ("arrested", "imprisoned")},
            note="two groups, one appeal",
            author="alice",
        )
    )
    victim = live.done[-1].ann_id  # type: ignore[attr-defined]
    assert live.push(AddLink("alice", "doc0001", "addressee", appeal, auth))
    link = live.done[-1].link_id  # type: ignore[attr-defined]
    assert live.push(AddLink("alice", "doc0001", "on_behalf_of", appeal, victim))
    assert live.push(SetAttribute("alice", "doc0001", auth, "kind", "government", "alice"))
    assert live.push(SetAttribute("alice", "doc0001", victim, "group", ["journalist"], "alice"))
    assert live.push(SetNote("alice", "doc0001", auth, "the “authorities” — unnamed 𠀀"))
    assert live.push(SetNeedsCheck("alice", "doc0001", auth, True))
    assert live.push(AddComment("alice", "doc0001", victim, "Is Sané a journalist?", "rev"))
    assert live.push(Resize("alice", "doc0001", auth, [(29, 58)]))
    assert live.push(Retag("alice", "doc0001", auth, "victim"))  # drops the addressee link
    assert live.push(
        RemoveLink("alice", "doc0001", next(iter(p.layers["alice"].docs["doc0001"].links)))
    )
    assert live.push(SetStatus("doc0001", "alice", Status.IN_PROGRESS))
    assert live.push(SetReviewStatus("doc0001", ReviewStatus.IN_REVIEW))
    assert live.push(EditText("doc0001", 0, 8, "Amnesty"))  # moves every annotation
    assert live.push(DeleteAnnotation("alice", "doc0001", appeal))
    new_doc = Document("doc0003", "Police arrested the journalist 😀 again.", DocumentMeta())
    assert live.push(AddDocuments([new_doc]))
    placed = {
        "doc0003": (
            [
                Annotation("b1", "victim", (Fragment(20, 30),), {"named": "individual"}),
                Annotation("b2", "authority", (Fragment(0, 6),), created_by="bob"),
            ],
            [Link("b3", "responsible_for", "b2", "b1", {"certainty": "high"}, "MAE link")],
        )
    }
    assert live.push(PlaceAnnotations("bob", placed, counter=3))
    tags = default_tagset()
    more = replace(tags, tags=(*tags.tags, TagType("place", "Place", "#336699")))
    assert live.push(ReplaceTagSet(more))
    assert live.push(
        Macro(
            "Tag 2 × “journalist”",
            [
                SetStatus("doc0002", "alice", Status.IN_PROGRESS),
                AddAnnotation("alice", "doc0002", "place", [(46, 53)]),
                AddAnnotation("alice", "doc0002", "victim", [(26, 38)]),
            ],
        )
    )
    # undo past several steps, redo some, then a new edit drops the rest
    for _ in range(4):
        live.undo()
    live.redo()
    live.redo()
    assert live.push(SetNote("alice", "doc0001", victim, "checked"))
    assert link  # the removed addressee link's id stays used


def test_every_command_type_replays_to_the_live_project(saved: Path) -> None:
    live = Live(saved)
    every_command(live)
    assert journal_path(saved).is_file()
    back = recovered(saved)
    assert project_to_bytes(back) == project_to_bytes(live.project)
    # and the replay is not a no-op: the saved file alone differs
    assert project_to_bytes(load_project(saved)[0]) != project_to_bytes(live.project)


def test_each_step_is_one_line_on_disk_before_the_next(saved: Path) -> None:
    live = Live(saved)
    assert not journal_path(saved).exists()  # nothing edited, nothing written
    live.push(AddAnnotation("alice", "doc0001", "appeal", [(0, 7)]))
    lines = journal_path(saved).read_bytes().splitlines()
    assert len(lines) == 2  # the header and one step
    step = json.loads(lines[1])
    assert step["op"] == "do" and step["text"] == "Tag appeal"
    state = step["cmd"]["s"]
    assert state["tag"] == "appeal" and state["ann_id"] == "a1" and state["doc_id"] == "doc0001"
    live.push(SetNote("alice", "doc0001", "a1", "urgent"))
    assert len(journal_path(saved).read_bytes().splitlines()) == 3


def test_torn_last_line_loses_only_that_step(saved: Path) -> None:
    live = Live(saved)
    live.push(AddAnnotation("alice", "doc0001", "appeal", [(0, 7)]))
    expected = project_to_bytes(live.project)
    live.push(AddAnnotation("alice", "doc0001", "victim", [(70, 79)]))
    jp = journal_path(saved)
    data = jp.read_bytes()
    jp.write_bytes(data[: len(data) - 25])  # the process died in the middle of the write
    contents = read_journal(jp)
    assert contents.torn and len(contents.steps) == 1
    assert "cut short" in describe(contents)
    assert project_to_bytes(recovered(saved)) == expected


def test_damaged_middle_line_is_one_named_error(saved: Path) -> None:
    live = Live(saved)
    for start in (0, 10, 20):
        live.push(AddAnnotation("alice", "doc0001", "appeal", [(start, start + 5)]))
    jp = journal_path(saved)
    lines = jp.read_bytes().split(b"\n")
    lines[2] = b'{"n": 2, "op": "do", "cmd": {"$": "os.system'
    jp.write_bytes(b"\n".join(lines))
    with pytest.raises(JournalUnusable) as err:
        read_journal(jp)
    assert str(err.value) == f"{jp}, line 3: the edit journal is damaged"


def test_a_journal_cannot_name_code_to_run(saved: Path) -> None:
    live = Live(saved)
    live.push(AddAnnotation("alice", "doc0001", "appeal", [(0, 7)]))
    jp = journal_path(saved)
    text = jp.read_text("utf-8").replace(
        "annotator.model.commands.AddAnnotation", "subprocess.Popen"
    )
    jp.write_text(text, "utf-8")
    with pytest.raises(JournalUnusable, match=r"does not know: subprocess\.Popen"):
        recovered(saved)


def test_base_changed_is_refused_and_journal_kept(saved: Path) -> None:
    live = Live(saved)
    live.push(AddAnnotation("alice", "doc0001", "appeal", [(0, 7)]))
    # a colleague saves another version of the file meanwhile
    other = base_project()
    other.add_document(Document("doc0009", "Another release."))
    save_project(other, saved)
    with pytest.raises(JournalBaseChanged, match="changed after these unsaved edits"):
        recovered(saved)
    assert journal_path(saved).is_file()


def test_removed_after_save_and_restarted_with_later_steps(saved: Path) -> None:
    live = Live(saved)
    live.push(AddAnnotation("alice", "doc0001", "appeal", [(0, 7)]))
    snapshot_step = live.journal.steps
    snapshot = project_to_bytes(live.project)
    # edits made while the save runs stay in the journal
    live.push(AddAnnotation("alice", "doc0001", "victim", [(70, 79)]))
    later = live.journal.lines_after(snapshot_step)
    saved.write_bytes(snapshot)
    live.journal.restart(file_sha256(saved), live.project, later)
    assert project_to_bytes(recovered(saved)) == project_to_bytes(live.project)
    live.journal.remove()
    assert not journal_path(saved).exists()


def _tag_many(live: Live, tag: str, count: int) -> None:
    for i in range(count):
        assert live.push(AddAnnotation("alice", "doc0001", tag, [(i % 20, i % 20 + 5)]))


def test_a_tag_set_change_is_journaled_by_its_log_entry_and_undone_by_reference(
    saved: Path,
) -> None:
    live = Live(saved)
    _tag_many(live, "victim", 300)
    one_tagging = journal_path(saved).stat().st_size / 300
    before = journal_path(saved).stat().st_size
    rename = RenameTag("victim", "person", author="alice")
    assert live.push(rename)
    live.undo()
    live.redo()
    live.undo()
    # three steps of a change that rewrote 300 annotations cost less than one tagging each
    assert journal_path(saved).stat().st_size - before < 4 * one_tagging
    steps = read_journal(journal_path(saved)).steps[-4:]
    assert [s["op"] for s in steps] == ["do", "undo", "redo", "undo"]
    assert steps[0]["cmd"]["$"] == "tagset-change" and steps[2]["cmd"]["$"] == "tagset-change"
    assert steps[1]["ref"] == steps[0]["n"] and steps[3]["ref"] == steps[2]["n"]
    assert project_to_bytes(recovered(saved)) == project_to_bytes(live.project)
    live.redo()
    live.journal.close()
    again = recovered(saved)
    assert project_to_bytes(again) == project_to_bytes(live.project)
    assert [e.id for e in again.tagset_log] == [rename.change_id]


def test_an_undo_kept_across_a_save_is_written_whole_when_its_step_is_not_kept(
    saved: Path,
) -> None:
    live = Live(saved)
    _tag_many(live, "victim", 20)
    assert live.push(RenameValue("victim", "harm", "killed", "killed 😀", author="alice"))
    assert live.push(RenameTag("victim", "person", author="alice"))
    snapshot_step = live.journal.steps
    snapshot = project_to_bytes(live.project)
    live.undo()  # made while the save runs: names a step the restarted journal lacks
    later = live.journal.lines_after(snapshot_step)
    assert '"ref":' in later[0]
    saved.write_bytes(snapshot)
    live.journal.restart(file_sha256(saved), live.project, later)
    assert '"ref":' not in journal_path(saved).read_text(encoding="utf-8")
    live.undo()  # its do is before the save: written whole too
    live.redo()
    live.undo()  # its redo is in this journal: named by reference
    assert read_journal(journal_path(saved)).steps[-1]["ref"] == live.journal.steps - 1
    live.journal.close()
    assert project_to_bytes(recovered(saved)) == project_to_bytes(live.project)


def test_a_reference_to_a_step_the_journal_lacks_is_one_named_error(saved: Path) -> None:
    live = Live(saved)
    _tag_many(live, "victim", 3)
    assert live.push(RenameTag("victim", "person", author="alice"))
    live.journal.close()
    path = journal_path(saved)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append(json.dumps({"n": 99, "op": "undo", "text": "Rename", "ref": 42}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(JournalUnusable) as err:
        recovered(saved)
    assert err.value.line == len(lines)


def test_merging_a_colleagues_save_moves_the_journal_onto_their_file(saved: Path) -> None:
    live = Live(saved)
    live.push(AddAnnotation("alice", "doc0001", "appeal", [(0, 7)]))
    theirs = base_project()
    theirs.add_document(Document("doc0009", "A colleague's release."))
    save_project(theirs, saved)  # saved over the file while we edit
    live.push(AddDocuments([Document("doc0009", "A colleague's release.")]))  # the merge
    live.journal.rebase(file_sha256(saved), live.project)
    live.push(AddAnnotation("alice", "doc0009", "victim", [(2, 12)]))
    assert [s["op"] for s in read_journal(journal_path(saved)).steps] == ["snapshot", "do"]
    assert project_to_bytes(recovered(saved)) == project_to_bytes(live.project)


def test_a_command_without_a_journal_form_is_journaled_as_a_snapshot(saved: Path) -> None:
    class Opaque(Command):
        """A plug-in's command holding an object of its own."""

        def __init__(self) -> None:
            self.handle = object()

        def do(self, project: Project) -> None:
            project.documents["doc0001"].review_status = ReviewStatus.ADJUDICATED

        def undo(self, project: Project) -> None:
            project.documents["doc0001"].review_status = ReviewStatus.NOT_REVIEWED

    live = Live(saved)
    live.push(AddAnnotation("alice", "doc0001", "appeal", [(0, 7)]))
    live.push(Opaque())
    live.push(AddAnnotation("alice", "doc0002", "victim", [(26, 38)]))
    ops = [s["op"] for s in read_journal(journal_path(saved)).steps]
    assert ops == ["do", "snapshot", "do"]
    assert project_to_bytes(recovered(saved)) == project_to_bytes(live.project)


# --- random sequences ------------------------------------------------------------------

TAGS = ("appeal", "victim", "authority")
ATTRS = {
    "appeal": ("kind", ("direct-call", "urging")),
    "victim": ("harm", ("killed", "arrested")),
    "authority": ("level", ("national", "local")),
}
LINKS = {("appeal", "authority"): "addressee", ("authority", "victim"): "responsible_for"}


#: tag-set changes a random session makes (a later step naming the old name is refused)
TAGSET_CHANGES: tuple[Callable[[], Command], ...] = (
    lambda: RenameTag("victim", "person"),
    lambda: RenameTag("person", "victim"),
    lambda: RenameValue("victim", "harm", "killed", "killed 😀"),
    lambda: MergeValues("victim", "harm", "arrested", "killed"),
    lambda: RemoveValue("appeal", "kind", "urging", map_to="direct-call"),
    lambda: RemoveTag("authority", delete=True),
)


#: what a random session does, weighted towards tagging and undo
# fmt: off
STEP_KINDS = ("add", "add", "delete", "retag", "resize", "attr", "note", "link", "unlink",
              "status", "text", "macro", "tagset", "undo", "undo", "redo")
# fmt: on


def _step(live: Live, data: st.DataObject) -> None:
    p = live.project
    doc_id = data.draw(st.sampled_from(sorted(p.documents)))
    n = len(p.documents[doc_id].text)
    anns = (
        sorted(p.layers["alice"].docs.get(doc_id, None).annotations)
        if p.layers["alice"].docs.get(doc_id)
        else []
    )
    kind = data.draw(st.sampled_from(STEP_KINDS))
    if kind == "undo":
        if live.done:
            live.undo()
        return
    if kind == "redo":
        if live.undone:
            live.redo()
        return
    if kind == "tagset":
        # changes that rewrite annotations: journaled by their log entry, undone by reference
        live.push(data.draw(st.sampled_from(TAGSET_CHANGES))())
        return
    if kind in ("add", "macro") or not anns:
        start = data.draw(st.integers(0, max(0, n - 2)))
        end = data.draw(st.integers(start + 1, n))
        tag = data.draw(st.sampled_from(TAGS))
        cmd: Command = AddAnnotation("alice", doc_id, tag, [(start, end)])
        if kind == "macro":
            cmd = Macro(cmd.text, [SetStatus(doc_id, "alice", Status.IN_PROGRESS), cmd])
        live.push(cmd)
        return
    ann_id = data.draw(st.sampled_from(anns))
    ann = p.layers["alice"].docs[doc_id].annotations[ann_id]
    if kind == "delete":
        live.push(DeleteAnnotation("alice", doc_id, ann_id))
    elif kind == "retag":
        live.push(Retag("alice", doc_id, ann_id, data.draw(st.sampled_from(TAGS))))
    elif kind == "resize":
        start = data.draw(st.integers(0, max(0, n - 2)))
        live.push(Resize("alice", doc_id, ann_id, [(start, data.draw(st.integers(start + 1, n)))]))
    elif kind == "attr" and ann.tag in ATTRS:
        name, values = ATTRS[ann.tag]
        live.push(SetAttribute("alice", doc_id, ann_id, name, data.draw(st.sampled_from(values))))
    elif kind == "note":
        live.push(SetNote("alice", doc_id, ann_id, data.draw(st.text(max_size=6))))
    elif kind in ("link", "unlink"):
        da = p.layers["alice"].docs[doc_id]
        if kind == "unlink" and da.links:
            live.push(RemoveLink("alice", doc_id, data.draw(st.sampled_from(sorted(da.links)))))
            return
        other = da.annotations[data.draw(st.sampled_from(anns))]
        link_type = LINKS.get((ann.tag, other.tag))
        if link_type is not None:
            live.push(AddLink("alice", doc_id, link_type, ann_id, other.id))
    elif kind == "status":
        live.push(SetStatus(doc_id, "alice", data.draw(st.sampled_from(list(Status)))))
    elif kind == "text":
        start = data.draw(st.integers(0, n))
        end = data.draw(st.integers(start, min(n, start + 6)))
        live.push(EditText(doc_id, start, end, data.draw(st.sampled_from(["", "x", "😀 ", "—"]))))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_random_sequence_replayed_on_saved_file_equals_live(
    tmp_path: Path, data: st.DataObject
) -> None:
    path = tmp_path / "random.xml"
    journal_path(path).unlink(missing_ok=True)
    save_project(base_project(), path)
    live = Live(path)
    for _ in range(data.draw(st.integers(1, 25))):
        _step(live, data)
    if not live.journal.steps:
        return
    live.journal.close()
    assert project_to_bytes(recovered(path)) == project_to_bytes(live.project)


# --- a real crash ---------------------------------------------------------------------

CHILD = r"""
import sys
from annotator.formats.journal import Journal, journal_path
from annotator.formats.project_xml import load_project, project_to_bytes
from annotator.model import AddAnnotation, SetAttribute, SetNote

path = sys.argv[1]
project, sha = load_project(path)
project.ensure_layer("alice")
journal = Journal(journal_path(path), sha, snapshot=project_to_bytes)
steps = [
    AddAnnotation("alice", "doc0001", "appeal", [(0, 27)]),
    AddAnnotation("alice", "doc0001", "victim", [(68, 79)]),
    SetAttribute("alice", "doc0001", "a2", "harm", ["arrested"]),
    SetNote("alice", "doc0001", "a1", "urgent action"),
    AddAnnotation("alice", "doc0002", "authority", [(0, 15)]),
]
for i, cmd in enumerate(steps):
    cmd.do(project)
    journal.append("do", cmd, project)
    print("done", i + 1, flush=True)
    sys.stdin.readline()  # wait for the next edit (the user thinks)
"""


def test_sigkill_between_two_edits_loses_none(saved: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(saved)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        for i in range(1, 4):
            assert child.stdout.readline().split() == ["done", str(i)]
            if i < 3:
                child.stdin.write("\n")
                child.stdin.flush()
        # three edits shown as done; the process dies before the fourth
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    back = recovered(saved)
    anns = back.layers["alice"].docs["doc0001"].annotations
    assert [(a.id, a.tag, a.start, a.end) for a in anns.values()] == [
        ("a1", "appeal", 0, 27),
        ("a2", "victim", 68, 79),
    ]
    assert anns["a2"].attributes == {"harm": ("arrested",)}
    assert anns["a1"].note == ""  # the fourth edit was never made
    assert "doc0002" not in back.layers["alice"].docs or not back.layers["alice"].docs["doc0002"]
