"""Git command lines run one after another in a separate process, and the window showing
what git says.

:class:`GitJob` runs the commands :mod:`annotator.review.git_ops` composes in a
``QProcess``, so the window keeps answering while git talks to the remote; it
stops at the first command that fails. :class:`GitOutput` is the small window
that shows each command line and git's words as they come.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.review.git_ops import git_env


class GitJob(QObject):
    """Run ``commands`` in ``folder`` in turn; ``finished(ok)`` after the last or a failure."""

    #: text git printed (stdout and stderr together), and each command line before it runs
    output = Signal(str)
    #: True when every command exited with status 0
    finished = Signal(bool)

    def __init__(
        self, folder: Path, commands: list[list[str]], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.folder = folder
        self.commands = [list(c) for c in commands]
        #: the commands started so far
        self.done: list[list[str]] = []
        self.status = 0
        #: everything the last command printed (the caller may read an answer from it)
        self.last_output = ""
        self.text = ""
        self.running = False
        self._process = QProcess(self)
        env = QProcessEnvironment()
        for key, value in git_env().items():
            env.insert(key, value)
        self._process.setProcessEnvironment(env)
        self._process.setWorkingDirectory(str(folder))
        self._process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        self._process.readyReadStandardOutput.connect(self._read)
        self._process.finished.connect(self._on_finished)
        self._process.errorOccurred.connect(self._on_error)

    def start(self) -> None:
        self.running = True
        self._next()

    def _say(self, text: str) -> None:
        self.text += text
        self.output.emit(text)

    def _next(self) -> None:
        if not self.commands:
            self._done(True)
            return
        cmd = self.commands.pop(0)
        self.done.append(cmd)
        self.last_output = ""
        shown = " ".join(shlex.quote(part) for part in ["git", *cmd[1:]])
        self._say(f"$ {shown}\n")
        self._process.start(cmd[0], cmd[1:])

    def _read(self) -> None:
        data = bytes(self._process.readAllStandardOutput().data()).decode("utf-8", "replace")
        self.last_output += data
        self._say(data)

    def _on_finished(self, code: int, status: QProcess.ExitStatus) -> None:
        self._read()
        if status != QProcess.ExitStatus.NormalExit or code != 0:
            self.status = code or 1
            self._done(False)
        else:
            self._next()

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._say(f"git could not be started: {self._process.errorString()}\n")
            self.status = 127
            self._done(False)

    def _done(self, ok: bool) -> None:
        if self.running:
            self.running = False
            self.finished.emit(ok)

    def kill(self) -> None:
        """Stop the running command (the window is closing)."""
        self.commands.clear()
        if self._process.state() != QProcess.ProcessState.NotRunning:
            self._process.kill()
            self._process.waitForFinished(2000)


class GitOutput(QDialog):
    """What git printed during a pull or a push: not modal, the work goes on beside it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gitOutput")
        self.setWindowTitle("Git")
        self.setModal(False)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("gitOutputText")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.hide)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(720, 380)

    def begin(self, heading: str) -> None:
        self.heading.setText(heading)
        self.text.clear()
        self.show()
        self.raise_()

    def add(self, text: str) -> None:
        self.text.moveCursor(self.text.textCursor().MoveOperation.End)
        self.text.insertPlainText(text)
        self.text.ensureCursorVisible()

    def end(self, heading: str) -> None:
        self.heading.setText(heading)
