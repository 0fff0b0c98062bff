"""The state one window works on: project, file, undo stack, current document, selection.

Widgets never mutate the project directly. They call :meth:`ProjectSession.execute`
with a core command; the session pushes it on the ``QUndoStack`` (wrapped in
:class:`CoreUndoCommand`) and the project's change notifications come back as
the ``annotationsChanged`` signal so each view refreshes only what was touched.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.model import Change, Command, Project
from annotator.model.commands import do_or_refuse


class CoreUndoCommand(QUndoCommand):
    """One generic QUndoCommand around a core command.

    The core command is done *before* it is pushed (so a refused edit raises to
    the caller and never reaches the stack); the first ``redo`` that
    ``QUndoStack.push`` calls is therefore skipped.
    """

    def __init__(self, session: ProjectSession, command: Command) -> None:
        super().__init__(command.text)
        self.session = session
        self.command = command
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        tagset = self.session.project.tagset
        self.command.do(self.session.project)
        self.session.record("redo", self.command)
        self.session.tagset_may_have_changed(tagset)

    def undo(self) -> None:
        tagset = self.session.project.tagset
        self.command.undo(self.session.project)
        self.session.record("undo", self.command)
        self.session.tagset_may_have_changed(tagset)


class ProjectSession(QObject):
    """Everything a window shares: emits signals the views listen to."""

    projectReplaced = Signal()  # a new project (or file) is loaded
    #: the project's tag set was replaced by an edit (or its undo): tags, colours, keys,
    #: attributes, link types may differ; views built from it rebuild
    tagsetChanged = Signal()
    currentDocumentChanged = Signal(str)  # document id ('' for none)
    annotationsChanged = Signal(object)  # annotator.model.Change
    selectionChanged = Signal(str, str)  # layer, annotation id ('' for none)
    visibleLayersChanged = Signal()
    fileStateChanged = Signal()  # path, clean state or disk hash changed

    def __init__(self, project: Project, user: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.user = user
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self.project = project
        self.path: Path | None = None
        self.disk_sha256: str | None = None  # hash of the file as loaded / last saved
        #: content differs from the file although the undo stack is clean (restored recovery)
        self._dirty = False
        self.current_doc_id = ""
        self.selected: tuple[str, str] = ("", "")
        self.visible_layers: set[str] = set()
        self._pick: Callable[[str, str], None] | None = None
        self._pick_accepts: Callable[[str, str], bool] | None = None
        #: writes each step to the edit journal before the views show it (see recovery)
        self.step_recorder: Callable[[str, Command], None] | None = None
        self._attach(project)

    # --- project and file ---------------------------------------------------

    def _attach(self, project: Project) -> None:
        project.ensure_layer(self.user)
        project.listeners.append(self._on_change)
        self.visible_layers = {self.user}
        if not project.layers[self.user].annotation_count():
            # A newcomer opening colleagues' work would otherwise see bare text:
            # show their layers read-only until the user hides them (View > Layers).
            self.visible_layers.update(project.layers)
        self.current_doc_id = next(iter(project.documents), "")

    def set_project(
        self, project: Project, path: Path | None = None, disk_sha256: str | None = None
    ) -> None:
        if self._on_change in self.project.listeners:
            self.project.listeners.remove(self._on_change)
        self.undo_stack.clear()
        self.project = project
        self.path = path
        self.disk_sha256 = disk_sha256
        self.selected = ("", "")
        self._dirty = False
        self._attach(project)
        self.undo_stack.setClean()
        self.projectReplaced.emit()
        self.currentDocumentChanged.emit(self.current_doc_id)
        self.fileStateChanged.emit()

    def mark_saved(self, path: Path, disk_sha256: str) -> None:
        self.path = path
        self.disk_sha256 = disk_sha256
        self._dirty = False
        self.undo_stack.setClean()
        self.fileStateChanged.emit()

    def mark_dirty(self) -> None:
        """Treat the project as unsaved (e.g. restored from the edit journal)."""
        self._dirty = True
        self.fileStateChanged.emit()

    def _on_clean_changed(self, _clean: bool) -> None:
        self.fileStateChanged.emit()

    @property
    def modified(self) -> bool:
        return self._dirty or not self.undo_stack.isClean()

    # --- edits ----------------------------------------------------------------

    def execute(self, command: Command, step: CoreUndoCommand | None = None) -> Command:
        """Do ``command`` now and put it on the undo stack. Model errors propagate.

        ``step`` is the undo step to push when it is not a plain one (typing, which
        merges with the step before it)."""
        tagset = self.project.tagset
        do_or_refuse(command, self.project)
        self.record("do", command)
        self.undo_stack.push(step if step is not None else CoreUndoCommand(self, command))
        self.tagset_may_have_changed(tagset)
        return command

    def record(self, op: str, command: Command) -> None:
        if self.step_recorder is not None:
            self.step_recorder(op, command)

    def tagset_may_have_changed(self, before: object) -> None:
        """Views built from the tag set (palette, inspector, guidelines) rebuild when an
        edit (a tag-set change, an import that brings types) replaced it. It is the same
        project: the journal, the selection and the panels' filters stay."""
        if self.project.tagset is not before:
            self.tagsetChanged.emit()

    def _on_change(self, change: Change) -> None:
        self.annotationsChanged.emit(change)

    # --- navigation and selection --------------------------------------------

    @property
    def layer(self) -> str:
        """The layer this user edits."""
        return self.user

    def set_current_document(self, doc_id: str) -> None:
        if doc_id == self.current_doc_id:
            return
        self.current_doc_id = doc_id
        self.select("", "")
        self.currentDocumentChanged.emit(doc_id)

    def select(self, layer: str, ann_id: str) -> None:
        if (layer, ann_id) == self.selected:
            return
        self.selected = (layer, ann_id)
        self.selectionChanged.emit(layer, ann_id)

    # --- picking a link target ---------------------------------------------------

    pickModeChanged = Signal(bool)

    def begin_pick(
        self,
        callback: Callable[[str, str], None],
        accepts: Callable[[str, str], bool] | None = None,
    ) -> None:
        """The next annotation clicked (in the text or a list) goes to ``callback``;
        ``accepts`` says which annotations can be picked (the text view offers only those)."""
        self._pick = callback
        self._pick_accepts = accepts
        self.pickModeChanged.emit(True)

    def cancel_pick(self) -> None:
        if self._pick is not None:
            self._pick = None
            self.pickModeChanged.emit(False)

    @property
    def picking(self) -> bool:
        return self._pick is not None

    def pick_accepts(self, layer: str, ann_id: str) -> bool:
        """True if a pending pick would take this annotation."""
        if self._pick is None:
            return False
        return self._pick_accepts is None or self._pick_accepts(layer, ann_id)

    def pick(self, layer: str, ann_id: str) -> bool:
        """Offer a clicked annotation to a pending pick; True if it was consumed."""
        callback, self._pick = self._pick, None
        if callback is None:
            return False
        self.pickModeChanged.emit(False)
        callback(layer, ann_id)
        return True

    def show_layers(self, others: list[str]) -> None:
        """Show the user's layer and exactly these of the colleagues' (a remembered choice)."""
        self.visible_layers = {self.user} | (set(others) & set(self.project.layers))
        self.visibleLayersChanged.emit()

    def set_layer_visible(self, layer: str, visible: bool) -> None:
        if visible:
            self.visible_layers.add(layer)
        else:
            self.visible_layers.discard(layer)
        self.visibleLayersChanged.emit()
