"""File ▸ Pull and Merge, File ▸ Commit and Push, review mode's Conflicts and "N commits
behind", in the real main window, with the real git binary and two colleagues' clones.

Colleague A works with the command line (core commands, git); colleague B works
in the window: selects words and presses the tag keys, uses the File menu's git
actions, settles the conflict with the key review mode declares.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from annotator.formats.project_xml import load_project, validate_file
from annotator.formats.tagset_xml import default_tagset
from annotator.model import AddAnnotation, Document, DocumentMeta, Project, Retag
from annotator.review.conflicts import has_conflict_records, list_conflicts
from annotator.ui.git_menu import GitMenu
from tests.git_support import GIT, Clone, make_team, team_env

pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed on this machine")

# releases as other organisations word them (Amnesty, CPJ); one character beyond the BMP
EGYPT = (
    "Egypt: Release detained students now. Amnesty International calls on the Egyptian "
    "authorities to release the 12 students held at Tora prison since 3 March 2024 𝔼."
)
SENEGAL = (
    "The Committee to Protect Journalists calls on Senegalese authorities to release "
    "journalist Pape Alé Niang, who was beaten by police in Dakar, and to drop all charges."
)
WAIT_MS = 60_000  # git and the merge driver on a busy machine


def span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def team_project() -> Project:
    p = Project(name="team", tagset=default_tagset())
    p.add_document(Document("doc0001", EGYPT, DocumentMeta(headline="Egypt: students")))
    p.add_document(Document("doc0002", SENEGAL, DocumentMeta(headline="Senegal: journalist")))
    p.ensure_layer("amal")  # colleague A
    p.ensure_layer("tester")  # B in the window (ANNOTATOR_NAME is tester)
    return p


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Clone, Clone]:
    _origin, a, b = make_team(tmp_path, team_project())
    for key, value in team_env(tmp_path / "home").items():
        monkeypatch.setenv(key, value)  # the window's git runs as colleague B's would
    return a, b


def press(qtbot: Any, window: Any, key: Qt.Key, mods: Any = Qt.KeyboardModifier.NoModifier) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.text_view.setFocus()
    qtbot.keyClick(window.text_view, key, mods)


def tag_in_window(qtbot: Any, w: Any, doc_id: str, phrase: str, key: Qt.Key) -> None:
    w.session.set_current_document(doc_id)
    text = w.session.project.documents[doc_id].text
    w.text_view.set_selection_cp(*span(text, phrase))
    press(qtbot, w, key)


def run_git(qtbot: Any, w: Any, action: Any) -> str:
    """Trigger a File ▸ git action and wait for git; what the output window says."""
    action.trigger()
    qtbot.waitUntil(lambda: not w.git.busy, timeout=WAIT_MS)
    return f"{w.git.output.heading.text()}\n{w.git.output.text.toPlainText()}"


def tags_in(path: Path) -> dict[tuple[str, str], str]:
    project, _ = load_project(path)
    return {
        (doc.id, ann.covered_text(doc.text)): f"{layer.name}:{ann.tag}"
        for layer, doc, ann in project.iter_annotations()
    }


def test_the_git_actions_wait_for_a_work_tree(window: Any) -> None:
    assert not window.git.pull_action.isEnabled()
    assert not window.git.commit_action.isEnabled()
    assert window.git.pull_action in window.menus["file"].actions()
    assert window.git.behind.text() == ""


def test_tags_on_both_sides_merge_cleanly_through_the_file_menu(
    team: tuple[Clone, Clone], make_window: Any, qtbot: Any
) -> None:
    a, b = team
    a.edit(AddAnnotation("amal", "doc0001", "victim", [span(EGYPT, "12 students")]))
    a.commit("A: the students")
    a.git("push", "-q")

    w = make_window(b.file)
    assert w.git.pull_action.isEnabled() and w.git.commit_action.isEnabled()
    tag_in_window(qtbot, w, "doc0002", "Senegalese authorities", Qt.Key.Key_3)
    assert w.session.modified
    w.git.ask_message = lambda default: "B: the authority in Dakar"

    said = run_git(qtbot, w, w.git.commit_action)  # saves first; A pushed first
    assert not w.session.modified
    assert "Pull and Merge, then Commit and Push again" in said
    assert "B: the authority in Dakar" in b.git("log", "-1", "--format=%s").stdout

    said = run_git(qtbot, w, w.git.pull_action)
    assert "$ git pull --no-rebase --no-edit" in said and "Pulled and merged." in said
    assert validate_file(b.file) == []
    assert tags_in(b.file) == {
        ("doc0001", "12 students"): "amal:victim",
        ("doc0002", "Senegalese authorities"): "tester:authority",
    }
    mine = w.session.project  # the window shows what the pull brought
    assert mine.layers["amal"].annotation_count() == 1
    assert not has_conflict_records(mine) and not b.merging() and b.status() == ""

    said = run_git(qtbot, w, w.git.commit_action)
    assert "Pushed." in said, said
    a.git("pull", "-q", "--no-rebase")
    assert tags_in(a.file) == tags_in(b.file)


def test_a_conflict_is_settled_in_review_mode_and_the_commit_finishes_the_merge(
    team: tuple[Clone, Clone], make_window: Any, qtbot: Any
) -> None:
    a, b = team
    a.edit(AddAnnotation("tester", "doc0001", "victim", [span(EGYPT, "12 students")]))
    a.commit("the students")
    a.git("push", "-q")
    b.git("pull", "-q", "--no-rebase")
    (ann_id,) = load_project(b.file)[0].layers["tester"].docs["doc0001"].annotations
    a.edit(Retag("tester", "doc0001", ann_id, "authority", author="amal"))  # A: authority
    a.commit("A: they are the authority")
    a.git("push", "-q")

    w = make_window(b.file)
    s = w.session
    s.set_current_document("doc0001")
    w.text_view.set_selection_cp(0, 0)
    s.select("tester", ann_id)
    press(qtbot, w, Qt.Key.Key_1)  # B: the same words are the appeal
    assert s.project.layers["tester"].docs["doc0001"].annotations[ann_id].tag == "appeal"
    w.git.ask_message = lambda default: "B: it is the appeal"
    run_git(qtbot, w, w.git.commit_action)  # rejected: A pushed first

    said = run_git(qtbot, w, w.git.pull_action)
    assert "CONFLICT" in said and "Merged with 1 conflict" in said
    assert b.merging() and "UU team.xml" in b.status()
    assert w.git.behind.text() == ""  # their commits are in the merge under way
    text = b.file.read_text("utf-8")
    assert "<<<<<<<" not in text and validate_file(b.file) == []
    on_disk, _ = load_project(b.file)  # both versions: ours in place, theirs beside it
    assert on_disk.layers["tester"].docs["doc0001"].annotations[ann_id].tag == "appeal"
    assert on_disk.layers["tester~theirs"].docs["doc0001"].annotations[ann_id].tag == "authority"

    # review mode is open on the conflict: ours beside theirs
    tab = w.review.dock.conflicts_tab
    assert w.review.active and w.review.dock.tabs.currentWidget() is tab
    assert tab.list.count() == 1 and "annotation" in tab.list.item(0).text()
    assert "Appeal" in tab.ours.toPlainText() and "12 students" in tab.ours.toPlainText()
    assert "Responsible authority" in tab.theirs.toPlainText()
    assert "Conflicts (1)" in w.review.dock.tabs.tabText(w.review.dock.tabs.indexOf(tab))

    press(qtbot, w, Qt.Key.Key_F10)  # keep theirs (the second of review's pair of keys)
    assert s.project.layers["tester"].docs["doc0001"].annotations[ann_id].tag == "authority"
    assert list_conflicts(s.project) == [] and not has_conflict_records(s.project)
    assert tab.list.count() == 0
    w.session.undo_stack.undo()  # one undo step like any edit
    assert len(list_conflicts(s.project)) == 1
    w.session.undo_stack.redo()

    def no_message(default: str) -> str:
        raise AssertionError("a merge commit takes git's own message")

    w.git.ask_message = no_message
    said = run_git(qtbot, w, w.git.commit_action)  # saves, adds, commits, pushes
    assert "Committed and pushed." in said, said
    assert b.status() == "" and not b.merging()
    assert len(b.git("log", "-1", "--format=%P").stdout.split()) == 2
    assert tags_in(b.file) == {("doc0001", "12 students"): "tester:authority"}
    assert b.git("rev-parse", "HEAD").stdout == b.git("rev-parse", "origin/main").stdout


def test_a_pull_onto_uncommitted_work_says_to_commit_first(
    team: tuple[Clone, Clone], make_window: Any, qtbot: Any
) -> None:
    a, b = team
    a.edit(AddAnnotation("amal", "doc0001", "victim", [span(EGYPT, "12 students")]))
    a.commit("A: the students")
    a.git("push", "-q")
    w = make_window(b.file)
    tag_in_window(qtbot, w, "doc0002", "journalist Pape Alé Niang", Qt.Key.Key_2)
    said = run_git(qtbot, w, w.git.pull_action)  # saved first, but not committed
    assert "Commit and Push it, then pull" in said
    assert not b.merging() and w.session.project.layers["amal"].annotation_count() == 0
    assert tags_in(b.file) == {("doc0002", "journalist Pape Alé Niang"): "tester:victim"}


def test_the_status_bar_counts_the_commits_a_colleague_pushed(
    team: tuple[Clone, Clone], make_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = team
    monkeypatch.setattr(GitMenu, "FIRST_FETCH_MS", 50)
    monkeypatch.setattr(GitMenu, "FETCH_MS", 300)
    w = make_window(b.file)
    qtbot.waitUntil(lambda: w.git.fetch_job is None, timeout=WAIT_MS)
    assert w.git.behind.text() == ""
    for n, phrase in enumerate(("12 students", "Tora prison", "Egyptian authorities")):
        a.edit(AddAnnotation("amal", "doc0001", "victim", [span(EGYPT, phrase)]))
        a.commit(f"A: {n}")
    a.git("push", "-q")
    qtbot.waitUntil(lambda: w.git.behind.text() == "3 commits behind", timeout=WAIT_MS)
    run_git(qtbot, w, w.git.pull_action)
    assert w.git.behind.text() == ""
    assert w.session.project.layers["amal"].annotation_count() == 3


def test_a_fetch_that_fails_is_a_quiet_line_not_a_dialog(
    team: tuple[Clone, Clone], make_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _a, b = team
    b.git("remote", "set-url", "origin", str(b.path.parent / "moved-away.git"))
    monkeypatch.setattr(GitMenu, "FIRST_FETCH_MS", 50)
    w = make_window(b.file)
    messages: list[str] = []
    monkeypatch.setattr(w.notifier, "status", lambda text, ms=0: messages.append(text))
    qtbot.waitUntil(lambda: any("colleagues' work" in m for m in messages), timeout=WAIT_MS)
    assert w.git.behind.text() == ""  # the dialogs refuse to open in these tests


def test_no_fetch_without_a_remote(
    team: tuple[Clone, Clone], make_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _a, b = team
    b.git("remote", "remove", "origin")
    monkeypatch.setattr(GitMenu, "FIRST_FETCH_MS", 10)
    w = make_window(b.file)
    assert w.git.pull_action.isEnabled()
    qtbot.wait(200)
    assert w.git.fetch_job is None and not w.git.timer.isActive()


def test_a_project_opened_with_recorded_conflicts_says_so(
    make_window: Any, tmp_path: Path, qtbot: Any
) -> None:
    from annotator.formats.project_xml import save_project
    from annotator.model import History
    from annotator.review.three_way import merge_three_way

    base = team_project()
    History(base).push(AddAnnotation("tester", "doc0001", "victim", [span(EGYPT, "12 students")]))
    ours, theirs = (load_copy(base) for _ in range(2))
    History(ours).push(Retag("tester", "doc0001", "a1", "appeal"))
    History(theirs).push(Retag("tester", "doc0001", "a1", "authority"))
    merged, _report = merge_three_way(base, ours, theirs)
    path = tmp_path / "pulled.xml"  # pulled on the command line, opened afterwards
    save_project(merged, path, backup=False)
    w = make_window(path)
    assert "records 1 merge conflict" in w.statusBar().currentMessage()
    w.review.conflicts_action.trigger()
    assert w.review.active and w.review.dock.conflicts_tab.list.count() == 1
    press(qtbot, w, Qt.Key.Key_F9)  # keep ours
    assert not has_conflict_records(w.session.project)
    ann = w.session.project.layers["tester"].docs["doc0001"].annotations["a1"]
    assert ann.tag == "appeal"


def load_copy(project: Project) -> Project:
    import copy

    return copy.deepcopy(project)
