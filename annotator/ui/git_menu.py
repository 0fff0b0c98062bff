"""File ▸ Pull and Merge, File ▸ Commit and Push, and "N commits behind" in the status bar.

Thin on purpose: git does the transport, annotator's merge driver merges the
project annotation by annotation (registered with ``annotator git-setup``, done
here if the clone lacks it). The actions are enabled only while the open project
sits in a git work tree. Each saves first, runs git in a separate process
(:class:`~annotator.ui.git_process.GitJob`: the window keeps answering) and
shows what git says. After a pull the project is read again from disk; a merge
that recorded conflicts opens review mode on its Conflicts tab, and Commit and
Push then finishes the merge. A background ``git fetch`` (only when the
repository has a remote) keeps the status bar's "3 commits behind" current; its
failures are a quiet line in the status bar, never a dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStatusBar,
)

from annotator.formats.project_xml import file_sha256, load_project
from annotator.model import Project
from annotator.review.conflicts import is_theirs_layer, list_conflicts
from annotator.review.git_ops import Repository, behind_text, repository_of
from annotator.review.git_team import git_setup
from annotator.ui import keymap
from annotator.ui.file_ops import FileOps
from annotator.ui.git_process import GitJob, GitOutput
from annotator.ui.notifier import Notifier
from annotator.ui.review.mode import ReviewMode
from annotator.ui.session import ProjectSession
from annotator.wording import count


class GitMenu(QObject):
    """The two git actions of the File menu and the status bar's "commits behind"."""

    #: how often the background fetch looks for a colleague's new work
    FETCH_MS = 5 * 60 * 1000
    #: the first look, a moment after a project in a work tree is opened
    FIRST_FETCH_MS = 3000

    def __init__(
        self,
        session: ProjectSession,
        notifier: Notifier,
        file_ops: FileOps,
        review: ReviewMode,
        host: QMainWindow,
        file_menu: QMenu,
        before: QAction,
        status_bar: QStatusBar,
    ) -> None:
        super().__init__(host)
        self.session = session
        self.notifier = notifier
        self.file_ops = file_ops
        self.review = review
        self.host = host
        self.repo: Repository | None = None
        self._repo_path: Path | None = None
        #: the pull or commit running now; the background fetch runs on its own
        self.job: GitJob | None = None
        self.fetch_job: GitJob | None = None
        self.output = GitOutput(host)
        self.pull_action = self._action("file.git_pull", self.pull)
        self.commit_action = self._action("file.git_commit_push", self.commit_and_push)
        file_menu.insertActions(before, [self.pull_action, self.commit_action])
        file_menu.insertSeparator(before)
        self.behind = QLabel(status_bar)
        self.behind.setObjectName("status_behind")
        self.behind.setContentsMargins(6, 0, 6, 0)
        status_bar.addPermanentWidget(self.behind)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.fetch)
        #: the commit message for a commit that is no merge (tests answer it themselves)
        self.ask_message: Callable[[str], str | None] = self._ask_message
        #: a yes/no question (tests answer it themselves)
        self.confirm: Callable[[str, str], bool] = self._confirm
        session.fileStateChanged.connect(self._follow_file)
        session.projectReplaced.connect(self._tell_conflicts)
        self._follow_file()

    def _action(self, action_id: str, slot: Callable[[], None]) -> QAction:
        action = keymap.bind(QAction(keymap.label(action_id), self.host), action_id)
        action.triggered.connect(lambda _checked=False: slot())
        self.host.addAction(action)
        return action

    @property
    def busy(self) -> bool:
        return self.job is not None

    # --- which repository -----------------------------------------------------------------

    def _follow_file(self) -> None:
        path = self.session.path
        if path == self._repo_path:
            return
        self._repo_path = path
        self.repo = repository_of(path)
        self._sync_actions()
        self.behind.clear()
        self.timer.stop()
        if self.repo is not None and self.repo.remotes():
            self.update_behind()
            self.timer.start(self.FETCH_MS)
            QTimer.singleShot(self.FIRST_FETCH_MS, self, self.fetch)

    def _tell_conflicts(self) -> None:
        """A project opened with conflicts a merge recorded (a pull on the command line)."""
        n = len(list_conflicts(self.session.project))
        if n:
            self.notifier.status(
                f"This project records {count(n, 'merge conflict')}: "
                f"Review → {keymap.label('review.conflicts')} settles them.",
                15000,
            )

    def _sync_actions(self) -> None:
        usable = self.repo is not None and not self.busy
        tip = "" if self.repo is not None else "The project is not in a git work tree"
        for action in (self.pull_action, self.commit_action):
            action.setEnabled(usable)
            action.setToolTip(tip or action.text())

    # --- pull -----------------------------------------------------------------------------

    def pull(self) -> None:
        repo = self.repo
        if repo is None or self.busy:
            return
        if self.session.modified and not self.file_ops.save():
            return
        preface: list[str] = []
        if not repo.driver_registered():
            # without the driver git would merge the XML line by line (markers, a broken file)
            done = self.notifier.run(lambda: git_setup(repo.top), title="Cannot set up git")
            if done is None:
                return
            preface = [f"annotator git-setup: {line}" for line in done]
        self._start("Pull and merge", repo, [repo.pull_command()], self._after_pull, preface)

    def _after_pull(self, ok: bool, job: GitJob) -> None:
        session = self.session
        path = session.path
        heading = "Pulled and merged." if ok else "git pull failed: its words are above."
        if not ok and "would be overwritten by merge" in job.text:
            heading = "Your saved work is not committed yet: Commit and Push it, then pull."
        if path is not None and path.exists() and file_sha256(path) != session.disk_sha256:
            if session.modified:  # edited while git ran: Save merges their change in
                heading = (
                    f"The pull changed {path.name} while you were editing: "
                    "Save to merge it with your edits."
                )
            else:
                loaded = self.notifier.run(lambda: load_project(path), "Cannot read the pull")
                if loaded is not None:
                    self._replace(*loaded)
        conflicts = list_conflicts(session.project)
        if conflicts:
            heading = (
                f"Merged with {count(len(conflicts), 'conflict')}: keep ours or theirs for each "
                "in review mode (Conflicts), then Commit and Push finishes the merge."
            )
            self.review.show_conflicts()
            self.notifier.status(
                f"Merged with {count(len(conflicts), 'conflict')}: settle them in review mode, "
                "then Commit and Push.",
                15000,
            )
        else:
            self.notifier.status(heading, 10000)
        self.output.end(heading)
        self.update_behind()

    def _replace(self, project: Project, sha: str) -> None:
        """The pulled file in the window: same release on screen, same layers shown."""
        session = self.session
        doc = session.current_doc_id
        shown = set(session.visible_layers) | {n for n in project.layers if is_theirs_layer(n)}
        session.set_project(project, session.path, sha)
        session.show_layers(sorted(n for n in shown if n != session.user))
        if doc in project.documents:
            session.set_current_document(doc)

    # --- commit and push ----------------------------------------------------------------------

    def commit_and_push(self) -> None:
        repo = self.repo
        if repo is None or self.busy:
            return
        if self.session.modified and not self.file_ops.save():
            return
        left = list_conflicts(self.session.project)
        if left and not self.confirm(
            "Conflicts left",
            f"The project still records {count(len(left), 'conflict')} from the merge "
            "(their side in the '~theirs' layers). Commit them as they are?",
        ):
            self.review.show_conflicts()
            return
        message = ""
        if not repo.merging and repo.file_changed():
            answer = self.ask_message(f"Annotations by {self.session.user}")
            if answer is None:
                return
            message = answer
        commands = repo.commit_commands(message)
        self._start("Commit and push", repo, commands, self._after_commit)

    def _after_commit(self, ok: bool, job: GitJob) -> None:
        pushed = any(c[1:2] == ["push"] for c in job.done)
        committed = any(c[1:2] == ["commit"] for c in job.done)
        if ok:
            heading = {
                (True, True): "Committed and pushed.",
                (True, False): "Committed (no remote to push to).",
                (False, True): "Pushed.",
                (False, False): "Nothing to commit, and no remote to push to.",
            }[(committed, pushed)]
        elif "[rejected]" in job.text or "fetch first" in job.text:
            heading = "Your colleagues pushed first: Pull and Merge, then Commit and Push again."
        else:
            heading = "git refused: its words are above."
        self.output.end(heading)
        self.notifier.status(heading, 10000)
        self.update_behind()

    def _ask_message(self, default: str) -> str | None:
        text, ok = QInputDialog.getText(
            self.host, "Commit and Push", "What did you change?", text=default
        )
        return (text.strip() or default) if ok else None

    def _confirm(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(self.host, title, question)
        return answer == QMessageBox.StandardButton.Yes

    # --- running git ----------------------------------------------------------------------------

    def _start(
        self,
        heading: str,
        repo: Repository,
        commands: list[list[str]],
        then: Callable[[bool, GitJob], None],
        preface: list[str] | None = None,
    ) -> None:
        self.output.begin(f"{heading} in {repo.top} …")
        for line in preface or []:
            self.output.add(line + "\n")
        job = GitJob(repo.top, commands, self)
        job.output.connect(self.output.add)

        def finished(ok: bool) -> None:
            self.job = None
            self._sync_actions()
            then(ok, job)
            job.deleteLater()

        job.finished.connect(finished)
        self.job = job
        self._sync_actions()
        job.start()

    # --- commits behind -------------------------------------------------------------------------

    def update_behind(self) -> None:
        """The status bar's count from what git already knows (no network)."""
        repo = self.repo
        n = repo.commits_behind() if repo is not None else None
        self._show_behind(n)

    def _show_behind(self, n: int | None) -> None:
        self.behind.setText(behind_text(n or 0))
        self.behind.setToolTip(
            f"Colleagues pushed {count(n, 'commit')}: File ▸ Pull and Merge takes them in."
            if n
            else ""
        )

    def fetch(self) -> None:
        """Ask the remote for new work in the background; the count follows."""
        repo = self.repo
        if repo is None or self.busy or self.fetch_job is not None or not repo.remotes():
            return
        job = GitJob(repo.top, [repo.fetch_command(), repo.behind_command()], self)

        def finished(ok: bool) -> None:
            self.fetch_job = None
            if self.repo is None or job.folder != self.repo.top:
                pass  # another project was opened meanwhile
            elif ok:
                try:
                    self._show_behind(int(job.last_output.strip()))
                except ValueError:
                    self._show_behind(None)
            else:
                said = [ln for ln in job.text.splitlines() if ln and not ln.startswith("$ ")]
                why = said[0] if said else "no answer"
                self.notifier.status(f"Could not look for colleagues' work: {why}", 8000)
            job.deleteLater()

        job.finished.connect(finished)
        self.fetch_job = job
        job.start()

    def shutdown(self) -> None:
        """The window closes: stop git where it is (a pull half done is git's to finish)."""
        self.timer.stop()
        for job in (self.job, self.fetch_job):
            if job is not None:
                job.kill()
