"""Preferences: your name and reading font size (every edit is journaled: no autosave to set)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from annotator.ui import settings
from annotator.ui.notifier import Notifier
from annotator.ui.session import ProjectSession
from annotator.ui.text_view import TextView


class PreferencesDialog(QDialog):
    def __init__(self, parent: QWidget | None, user: str, font_size: int) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        form = QFormLayout(self)
        self.name = QLineEdit(user, self)
        form.addRow("Your &name:", self.name)
        hint = QLabel(
            "Your annotations are kept in a layer under this name "
            "(a new name applies to projects you open next).",
            self,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid);")
        form.addRow("", hint)
        self.font_size = QSpinBox(self)
        self.font_size.setRange(8, 32)
        self.font_size.setSuffix(" pt")
        self.font_size.setValue(font_size)
        form.addRow("Text &size:", self.font_size)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


def show_preferences(
    parent: QWidget, session: ProjectSession, text_view: TextView, notifier: Notifier
) -> None:
    dlg = PreferencesDialog(parent, session.user, text_view.point_size)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return
    apply_preferences(session, text_view, notifier, dlg.name.text(), dlg.font_size.value())


def apply_preferences(
    session: ProjectSession, text_view: TextView, notifier: Notifier, name: str, font_size: int
) -> None:
    name = name.strip()
    if name and name != session.user:
        settings.store_user_name(name)
        notifier.status("Your new name applies to the next project you open.", 6000)
    settings.set_value("view/font_size", font_size)
    text_view.base_point_size = font_size
    text_view.set_point_size(font_size)
