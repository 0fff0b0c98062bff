"""Help → About and Help → Keyboard Shortcuts."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox, QTextBrowser, QVBoxLayout

from annotator import __version__

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


def show_about(window: MainWindow) -> None:
    QMessageBox.about(
        window,
        "About Annotator",
        f"<h3>Annotator {html.escape(__version__)}</h3>"
        "<p>Read human-rights press releases and mark appeals, victims and "
        "responsible authorities. Projects are plain XML files with stand-off "
        "annotations, one layer per person.</p>",
    )


def on_a_laptop_keyboard(key: QKeySequence) -> bool:
    """False for the keys Qt's standard shortcuts add for X11 and Sun keyboards (F13–F35,
    and dedicated Undo, Copy, Find... keys), which a campaigner's keyboard does not have."""
    if key.isEmpty():
        return False
    for i in range(key.count()):
        code = key[i].key()
        if Qt.Key.Key_F13.value <= code.value <= Qt.Key.Key_F35.value:
            return False
        if code.value > Qt.Key.Key_Direction_R.value and code.value >= 0x01000000:
            return False
    return True


def shortcuts_html(window: MainWindow) -> str:
    rows = []
    for act in window.actions.all:
        listed = [k for k in act.shortcuts() if on_a_laptop_keyboard(k)]
        if act.property("primary_only"):
            listed = listed[:1]
        keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in listed)
        if keys:
            name = html.escape(act.text().replace("&", ""))
            rows.append(f"<tr><td>{name}</td><td><b>{html.escape(keys)}</b></td></tr>")
    return (
        "<p>Select words with the mouse or Shift+arrows, then press a tag's number. "
        "The selection snaps to whole words; Alt+number keeps it exact.</p>"
        "<table cellspacing=4>" + "".join(rows) + "</table>"
    )


def show_shortcuts(window: MainWindow) -> None:
    dlg = QDialog(window)
    dlg.setWindowTitle("Keyboard Shortcuts")
    lay = QVBoxLayout(dlg)
    view = QTextBrowser(dlg)
    view.setHtml(shortcuts_html(window))
    lay.addWidget(view)
    dlg.resize(520, 600)
    dlg.exec()
