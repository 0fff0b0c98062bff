"""Help → About and Help → Keyboard Shortcuts."""

from __future__ import annotations

import html

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox, QTextBrowser, QVBoxLayout, QWidget

from annotator import __version__
from annotator.ui import keymap


def show_about(window: QWidget) -> None:
    QMessageBox.about(
        window,
        "About Annotator",
        f"<h3>Annotator {html.escape(__version__)}</h3>"
        "<p>Read human-rights press releases and mark appeals, victims and "
        "responsible authorities. Projects are plain XML files with stand-off "
        "annotations, one layer per person.</p>",
    )


def shortcuts_html(tag_actions: list[QAction]) -> str:
    """Every key of the keymap, and the tag keys of this project's tag set."""
    rows = []
    for action in tag_actions:
        key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if key:
            rows.append((action.text().replace("&", ""), key))
    for action_id, binding in keymap.KEYMAP.items():
        if binding.keys:
            rows.append((binding.label, keymap.key_text(action_id)))
    cells = "".join(
        f"<tr><td>{html.escape(name)}</td><td><b>{html.escape(keys)}</b></td></tr>"
        for name, keys in rows
    )
    return (
        "<p>Select words with the mouse or Shift+arrows, then press a tag's number. "
        "The selection snaps to whole words; Alt+number keeps it exact.</p>"
        f"<table cellspacing=4>{cells}</table>"
    )


def show_shortcuts(window: QWidget, tag_actions: list[QAction]) -> None:
    dlg = QDialog(window)
    dlg.setWindowTitle("Keyboard Shortcuts")
    lay = QVBoxLayout(dlg)
    view = QTextBrowser(dlg)
    view.setHtml(shortcuts_html(tag_actions))
    lay.addWidget(view)
    dlg.resize(520, 600)
    dlg.exec()
