"""The dock panels around the text: documents, tag palette, annotations, inspector.

``install_docks(window)`` is the one entry point the main window calls. It needs
from the window only ``session``, ``tag_selection``, optionally ``menus``
(a dict with a "view" menu) and ``show_error``; the panels talk to each other
solely through the session's signals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMessageBox

from annotator.ui.docks.annotations import AnnotationsDock
from annotator.ui.docks.documents import DocumentsDock
from annotator.ui.docks.guidelines import GuidelinesDialog
from annotator.ui.docks.inspector import InspectorDock
from annotator.ui.docks.palette import TagPaletteDock

__all__ = [
    "AnnotationsDock",
    "Docks",
    "DocumentsDock",
    "GuidelinesDialog",
    "InspectorDock",
    "TagPaletteDock",
    "install_docks",
]


@dataclass
class Docks:
    """What ``install_docks`` built; ``actions`` are for the main window's menus."""

    documents: DocumentsDock
    annotations: AnnotationsDock
    inspector: InspectorDock
    palette: TagPaletteDock
    show_guidelines: Callable[[], GuidelinesDialog]
    actions: list[QAction] = field(default_factory=list)

    @property
    def guidelines(self) -> GuidelinesDialog | None:
        """The guidelines dialog once it has been opened."""
        return getattr(self.show_guidelines, "dialog", None)


def _existing_shortcuts(window: QMainWindow, ignore: list[QAction]) -> set[str]:
    found: set[str] = set()
    for action in window.findChildren(QAction):
        if action in ignore:
            continue
        found.update(seq.toString() for seq in action.shortcuts() if not seq.isEmpty())
    return found


def install_docks(window: Any) -> Docks:
    """Create the panels, place them around the central text, wire them to the session."""
    session = window.session

    def show_error(err: BaseException) -> None:
        handler = getattr(window, "show_error", None)
        if callable(handler):
            handler(err)
        else:
            QMessageBox.warning(window, "Annotator", str(err))

    documents = DocumentsDock(session, window)
    annotations = AnnotationsDock(session, window)
    inspector = InspectorDock(session, window, show_error=show_error)
    palette = TagPaletteDock(session, window)

    window.setDockNestingEnabled(True)
    left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
    window.addDockWidget(left, palette)
    window.addDockWidget(left, documents)
    window.splitDockWidget(palette, documents, Qt.Orientation.Vertical)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, annotations)
    window.addDockWidget(right, inspector)
    window.resizeDocks([palette, documents], [150, 600], Qt.Orientation.Vertical)
    window.resizeDocks([documents, inspector], [560, 380], Qt.Orientation.Horizontal)
    window.resizeDocks([annotations], [230], Qt.Orientation.Vertical)

    palette.tagRequested.connect(lambda tag: window.tag_selection(tag))
    # the tag keys work wherever focus is in the window, unless the window binds them already
    taken = _existing_shortcuts(window, palette.tag_actions)
    if not any(a.shortcut().toString() in taken for a in palette.tag_actions):
        palette.attach_shortcuts(window)

    def show_guidelines() -> GuidelinesDialog:
        dialog: GuidelinesDialog | None = getattr(show_guidelines, "dialog", None)
        if dialog is None:
            dialog = GuidelinesDialog(session.project.tagset, window)
            show_guidelines.dialog = dialog  # type: ignore[attr-defined]
            dialog.follow(session)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    palette.guidelinesRequested.connect(show_guidelines)
    docks = Docks(
        documents=documents,
        annotations=annotations,
        inspector=inspector,
        palette=palette,
        show_guidelines=show_guidelines,
    )

    actions = [
        documents.next_action,
        documents.previous_action,
        *documents.status_actions.values(),
    ]
    window.addActions(actions)
    docks.actions = actions

    menus = getattr(window, "menus", None) or {}
    view = menus.get("view")
    if view is not None:
        view.addSeparator()
        for dock in (documents, palette, annotations, inspector):
            view.addAction(dock.toggleViewAction())
    return docks
