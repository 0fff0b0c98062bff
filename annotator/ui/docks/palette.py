"""The tag palette: one button per tag (colour key with its shortcut digit, and the label).

Clicking a button, or pressing its shortcut, emits ``tagRequested(tag)``; the main
window tags the current selection. Hovering shows the tag's definition and
examples, so the guidelines are one glance away.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QBoxLayout,
    QDockWidget,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.model import TagSet
from annotator.model.tagset import TagType
from annotator.ui import keymap
from annotator.ui.docks.guidelines import tag_tooltip
from annotator.ui.session import ProjectSession


def _text_color(bg: str) -> QColor:
    c = QColor(bg)
    luminance = 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue()
    return QColor("#000000") if luminance > 140 else QColor("#ffffff")


@lru_cache(maxsize=64)
def key_icon(color: str, key: str, size: int = 22) -> QIcon:
    """A rounded colour key with the shortcut digit on it (readable in both themes)."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QColor(0, 0, 0, 150))
    p.setBrush(QColor(color))
    p.drawRoundedRect(1, 1, size - 2, size - 2, 4, 4)
    if key:
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(size * 0.6))
        p.setFont(font)
        p.setPen(_text_color(color))
        p.drawText(QRect(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, key)
    p.end()
    return QIcon(pix)


class TagPaletteDock(QDockWidget):
    """Buttons for the project's tags plus a Guidelines button."""

    tagRequested = Signal(str)
    guidelinesRequested = Signal()

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__("Tags", parent)
        self.setObjectName("TagPaletteDock")
        self.session = session
        self.buttons: dict[str, QToolButton] = {}
        self.tag_actions: list[QAction] = []
        body = QWidget(self)
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(6, 6, 6, 6)
        self._layout.setSpacing(4)
        self.setWidget(body)
        self.guidelines_button = QPushButton("Guidelines…", body)
        self.guidelines_button.setToolTip(
            "The whole tag set: definitions, examples, links "
            f"({keymap.key_text('help.guidelines')})"
        )
        self.guidelines_button.clicked.connect(self.guidelinesRequested)
        self.dockLocationChanged.connect(self._orient)
        session.projectReplaced.connect(self.rebuild)
        session.tagsetChanged.connect(self.rebuild)
        self.rebuild()

    @property
    def tagset(self) -> TagSet:
        return self.session.project.tagset

    def rebuild(self) -> None:
        """Recreate the buttons for the current project's tag set."""
        for button in self.buttons.values():
            self._layout.removeWidget(button)
            # hidden now: until the event loop deletes it, it would sit at (0, 0) over the title
            button.hide()
            button.deleteLater()
        self._layout.removeWidget(self.guidelines_button)
        while self._layout.count():
            self._layout.takeAt(0)
        self.buttons.clear()
        #: the key each tag has in the main window (its "Tag as" action binds it)
        self.keys = keymap.tag_keys(self.tagset)
        old_actions = self.tag_actions
        self.tag_actions = []
        for tt in self.tagset.tags:
            self._add_button(tt, self.keys.get(tt.name, ""))
        self._layout.addStretch(1)
        self._layout.addWidget(self.guidelines_button)
        for old in old_actions:
            old.deleteLater()

    def _add_button(self, tt: TagType, key: str) -> None:
        action = QAction(key_icon(tt.color, key), tt.label, self)
        action.setToolTip(tag_tooltip(tt, key))
        action.setData(tt.name)
        action.triggered.connect(lambda _c=False, name=tt.name: self.request(name))
        self.tag_actions.append(action)
        button = QToolButton(self.widget())
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setIconSize(QSize(22, 22))
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.setAutoRaise(False)
        button.setAccessibleName(f"Tag as {tt.label}")
        button.setStyleSheet(
            "QToolButton { text-align: left; padding: 3px 8px; font-weight: 600;"
            f" border: 1px solid palette(mid); border-left: 5px solid {tt.color};"
            " border-radius: 3px; background: palette(button); }"
            " QToolButton:hover { background: palette(midlight); }"
            " QToolButton:pressed { background: palette(dark); }"
        )
        self.buttons[tt.name] = button
        self._layout.addWidget(button)

    def request(self, tag: str) -> None:
        self.tagRequested.emit(tag)

    def _orient(self, area: Qt.DockWidgetArea) -> None:
        horizontal = area in (
            Qt.DockWidgetArea.TopDockWidgetArea,
            Qt.DockWidgetArea.BottomDockWidgetArea,
        )
        self._layout.setDirection(
            QBoxLayout.Direction.LeftToRight if horizontal else QBoxLayout.Direction.TopToBottom
        )
