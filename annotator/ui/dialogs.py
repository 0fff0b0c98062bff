"""Every modal question the app asks, as small module-level functions.

Tests monkeypatch these (``monkeypatch.setattr(dialogs, "ask_save_changes",
lambda *a: "discard")``), so no test ever blocks on a real dialog.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QFileDialog, QInputDialog, QMessageBox, QWidget

from annotator.releases.sources import HTML_SUFFIXES, TEXT_SUFFIXES

PROJECT_FILTER = "Annotator projects (*.xml);;All files (*)"


def _patterns(suffixes: Iterable[str]) -> str:
    return " ".join(f"*{s}" for s in sorted(suffixes))


#: What the importer reads as a release, and the annotated files it reads (our JSON,
#: brat's .ann beside its .txt, MAE / inline XML / TEI / project .xml). A brat folder with
#: its annotation.conf is chosen with File > Import Folder.
RELEASE_SUFFIXES = frozenset(TEXT_SUFFIXES | HTML_SUFFIXES | {".docx", ".pdf"})
ANNOTATED_SUFFIXES = frozenset({".xml", ".json", ".ann"})
IMPORT_FILTER = ";;".join(
    (
        f"Releases and annotations ({_patterns(RELEASE_SUFFIXES | ANNOTATED_SUFFIXES)})",
        f"Releases ({_patterns(RELEASE_SUFFIXES)})",
        f"Annotated files ({_patterns(ANNOTATED_SUFFIXES)})",
        "All files (*)",
    )
)


def show_error(parent: QWidget | None, title: str, message: str, details: str = "") -> None:
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent
    )
    if details:
        box.setDetailedText(details)
    box.exec()


def show_info(parent: QWidget | None, title: str, message: str, details: str = "") -> None:
    box = QMessageBox(
        QMessageBox.Icon.Information, title, message, QMessageBox.StandardButton.Ok, parent
    )
    if details:
        box.setDetailedText(details)
    box.exec()


def ask_save_changes(parent: QWidget | None, what: str) -> str:
    """'save', 'discard' or 'cancel'."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Unsaved changes")
    box.setText(f"{what} has unsaved changes.")
    box.setInformativeText("Save them before closing?")
    std = QMessageBox.StandardButton
    box.setStandardButtons(std.Save | std.Discard | std.Cancel)
    box.setDefaultButton(std.Save)
    answer = box.exec()
    return {std.Save: "save", std.Discard: "discard"}.get(std(answer), "cancel")


def ask_restore(parent: QWidget | None, summary: str) -> bool:
    """Offer to restore the unsaved edits a journal holds; True = restore."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Restore unsaved work?")
    box.setText("Annotator found work that was not saved (the app did not close normally).")
    box.setInformativeText(summary)
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(restore)
    box.exec()
    return box.clickedButton() is restore


def ask_conflict(parent: QWidget | None, message: str, extra: Sequence[str]) -> str:
    """The file changed on disk. Returns 'save-as', one of ``extra`` or 'cancel'."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Project changed on disk")
    box.setText(message)
    box.setInformativeText(
        "Someone (or another program) saved this project after you opened it. "
        "Saving here would overwrite their work. Save your version under another name?"
    )
    buttons: dict[QAbstractButton, str] = {
        box.addButton("Save As…", QMessageBox.ButtonRole.AcceptRole): "save-as"
    }
    for label in extra:
        buttons[box.addButton(label, QMessageBox.ButtonRole.ActionRole)] = label
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    return buttons.get(clicked, "cancel") if clicked is not None else "cancel"


def ask_name(parent: QWidget | None, default: str) -> str:
    """The user's name for their annotation layer ('' if cancelled)."""
    name, ok = QInputDialog.getText(
        parent,
        "Your name",
        "Your annotations are kept in a layer under your name.\nWhat should we call you?",
        text=default,
    )
    return name.strip() if ok else ""


def get_open_path(parent: QWidget | None, start: str = "") -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Open project", start, PROJECT_FILTER)
    return Path(path) if path else None


def get_save_path(parent: QWidget | None, start: str = "") -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, "Save project as", start, PROJECT_FILTER)
    if not path:
        return None
    p = Path(path)
    return p if p.suffix else p.with_suffix(".xml")


def get_import_paths(parent: QWidget | None, start: str = "") -> list[Path]:
    paths, _ = QFileDialog.getOpenFileNames(parent, "Import releases", start, IMPORT_FILTER)
    return [Path(p) for p in paths]


def get_import_folder(parent: QWidget | None, start: str = "") -> Path | None:
    path = QFileDialog.getExistingDirectory(parent, "Import a folder of releases", start)
    return Path(path) if path else None
