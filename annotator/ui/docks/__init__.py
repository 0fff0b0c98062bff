"""The dock panels around the text: documents, tag palette, annotations, inspector.

``build_docks`` is the one entry point the main window calls: it hands the
panels the session, the notifier and what a tag button does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from annotator.ui import keymap
from annotator.ui.docks.annotations import AnnotationsDock
from annotator.ui.docks.documents import DocumentsDock
from annotator.ui.docks.guidelines import GuidelinesDialog
from annotator.ui.docks.inspector import InspectorDock
from annotator.ui.docks.palette import TagPaletteDock
from annotator.ui.notifier import Notifier
from annotator.ui.session import ProjectSession

__all__ = [
    "AnnotationsDock",
    "Docks",
    "DocumentsDock",
    "GuidelinesDialog",
    "InspectorDock",
    "TagPaletteDock",
    "build_docks",
]


@dataclass
class Docks:
    """What ``build_docks`` built; ``actions`` are for the main window's menus."""

    documents: DocumentsDock
    annotations: AnnotationsDock
    inspector: InspectorDock
    palette: TagPaletteDock
    guide: GuidelinesOpener
    guidelines_action: QAction
    actions: list[QAction] = field(default_factory=list)

    def show_guidelines(self) -> GuidelinesDialog:
        return self.guide.show()

    @property
    def guidelines(self) -> GuidelinesDialog | None:
        """The guidelines dialog once it has been opened."""
        return self.guide.dialog

    def all(self) -> list[QDockWidget]:
        return [self.documents, self.palette, self.annotations, self.inspector]


def build_docks(
    window: QMainWindow,
    session: ProjectSession,
    notifier: Notifier,
    tag_selection: Callable[[str], None],
) -> Docks:
    """Create the panels, place them around the central text, wire them to the session.

    The panels talk to each other solely through the session's signals; the main
    window puts ``Docks.actions`` and the panels' toggles into its menus.
    """
    documents = DocumentsDock(session, notifier, window)
    annotations = AnnotationsDock(session, window)
    inspector = InspectorDock(session, notifier, window)
    palette = TagPaletteDock(session, window)

    window.setDockNestingEnabled(True)
    left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
    window.addDockWidget(left, palette)
    window.addDockWidget(left, documents)
    window.splitDockWidget(palette, documents, Qt.Orientation.Vertical)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, annotations)
    window.addDockWidget(right, inspector)
    # sizes: annotator.ui.window_layout gives them once the window is first shown

    palette.tagRequested.connect(tag_selection)
    guidelines = GuidelinesOpener(session, window)
    palette.guidelinesRequested.connect(guidelines.show)

    guidelines_action = keymap.bind(QAction("Annotation &Guidelines", window), "help.guidelines")
    guidelines_action.triggered.connect(guidelines.show)
    palette.guidelines_button.setToolTip(
        f"The whole tag set: definitions, examples, links ({keymap.key_text('help.guidelines')})"
    )
    actions = [*documents.status_actions.values(), guidelines_action]
    window.addActions(actions)
    return Docks(
        documents=documents,
        annotations=annotations,
        inspector=inspector,
        palette=palette,
        guide=guidelines,
        guidelines_action=guidelines_action,
        actions=actions,
    )


class GuidelinesOpener:
    """The guidelines window, made when first asked for and kept."""

    def __init__(self, session: ProjectSession, parent: QWidget) -> None:
        self.session = session
        self.parent = parent
        self.dialog: GuidelinesDialog | None = None

    def show(self) -> GuidelinesDialog:
        if self.dialog is None:
            self.dialog = GuidelinesDialog(self.session.project.tagset, self.parent)
            self.dialog.follow(self.session)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog
