"""File → Export… (Ctrl+E): choose a format, layer, documents and redaction, then write.

A thin Qt layer over :mod:`annotator.interchange`: every format is written by the
Qt-free core exporters, so the dialog and ``annotator export`` give the same
files. "Copy appeals table" puts the appeals table on the clipboard as
tab-separated text, which pastes into a spreadsheet as columns.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import ExportError
from annotator.interchange.common import ExportOptions
from annotator.interchange.registry import EXPORTERS
from annotator.interchange.tables import appeals_tsv
from annotator.model import CURATED_LAYER, LayerKind
from annotator.model.snapshot import snapshot
from annotator.ui.notifier import Notifier
from annotator.ui.session import ProjectSession
from annotator.wording import count

#: The format the dialog opens on: the readable report, what campaigners share.
DEFAULT_FORMAT = "html"


class ExportDialog(QDialog):
    def __init__(self, session: ProjectSession, notifier: Notifier, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.notifier = notifier
        self.setWindowTitle("Export")
        project = session.project

        self.format = QComboBox()
        for name, exp in EXPORTERS.items():
            self.format.addItem(f"{name} — {exp.description}", name)
        # Campaigners export to read and to share: the HTML report first, not JSON.
        self.format.setCurrentIndex(max(0, self.format.findData(DEFAULT_FORMAT)))
        self.format.currentIndexChanged.connect(self._format_changed)

        self.layer = QComboBox()
        for name, layer in project.layers.items():
            if name == session.user:
                label = f"{name} (mine)"
            elif layer.kind is LayerKind.CURATED or name == CURATED_LAYER:
                label = f"{name} (curated)"
            else:
                label = name
            self.layer.addItem(f"{label} — {layer.annotation_count()} annotations", name)
        mine = self.layer.findData(session.user)
        if mine >= 0:
            self.layer.setCurrentIndex(mine)

        self.all_docs = QRadioButton(f"All documents ({len(project.documents)})")
        self.current_doc = QRadioButton("Current document")
        self.all_docs.setChecked(True)
        self.current_doc.setEnabled(bool(session.current_doc_id))
        docs = QHBoxLayout()
        docs.addWidget(self.all_docs)
        docs.addWidget(self.current_doc)

        redact_box = QGroupBox("Redact (replace the names by placeholders like [Victim 1])")
        redact_outer = QVBoxLayout(redact_box)
        redact_layout = QHBoxLayout()
        redact_outer.addLayout(redact_layout)
        self.redact: dict[str, QCheckBox] = {}
        for tag in project.tagset.tags:
            box = QCheckBox(tag.label)
            self.redact[tag.name] = box
            redact_layout.addWidget(box)
        self.redact_also = QLineEdit()
        self.redact_also.setPlaceholderText("names never annotated, separated by commas")
        self.redact_also.setToolTip(
            "Also redact these words everywhere (a nickname, another spelling), like --redact-also"
        )
        also = QFormLayout()
        also.addRow("Also redact:", self.redact_also)
        redact_outer.addLayout(also)

        self.bom = QCheckBox("Byte-order mark (Excel opens UTF-8 correctly)")
        self.bom.setChecked(True)
        self.guard = QCheckBox("Guard against formulas (prefix = + - @ with ')")
        self.guard.setChecked(True)

        self.path = QLineEdit()
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        out = QHBoxLayout()
        out.addWidget(self.path, 1)
        out.addWidget(browse)

        form = QFormLayout()
        form.addRow("Format:", self.format)
        form.addRow("Layer:", self.layer)
        form.addRow("Documents:", docs)
        form.addRow("CSV:", self.bom)
        form.addRow("", self.guard)
        form.addRow("Output:", out)

        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.copy_button = buttons.addButton(
            "Copy appeals table", QDialogButtonBox.ButtonRole.ActionRole
        )
        # Shown once something is written: opens it with the desktop's own program.
        self.open_button = buttons.addButton("Open", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setVisible(False)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.done_label = QLabel("")
        self.done_label.setWordWrap(True)
        self.done_label.setVisible(False)
        self.written: Path | None = None
        self.export_button.clicked.connect(self.do_export)
        self.open_button.clicked.connect(self.open_written)
        self.copy_button.clicked.connect(self.copy_appeals)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(redact_box)
        layout.addWidget(self.done_label)
        layout.addWidget(buttons)
        self._format_changed()

    # --- state -----------------------------------------------------------------

    def selected_format(self) -> str:
        return str(self.format.currentData())

    def options(self) -> ExportOptions:
        session = self.session
        docs = [session.current_doc_id] if self.current_doc.isChecked() else None
        return ExportOptions(
            layer=self.layer.currentData(),
            documents=docs,
            redact=tuple(t for t, box in self.redact.items() if box.isChecked()),
            redact_also=tuple(w.strip() for w in self.redact_also.text().split(",") if w.strip()),
            bom=self.bom.isChecked(),
            formula_guard=self.guard.isChecked(),
        )

    def _format_changed(self) -> None:
        exp = EXPORTERS[self.selected_format()]
        csv_like = exp.name in ("csv", "appeals-csv")
        self.bom.setEnabled(csv_like)
        self.guard.setEnabled(csv_like)
        session = self.session
        base = session.path.with_suffix("") if session.path else Path.home() / "export"
        stem = f"{base}-{exp.name}"
        self.path.setText(stem + exp.suffix if exp.suffix else stem)

    def _browse(self) -> None:
        exp = EXPORTERS[self.selected_format()]
        if exp.suffix:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export to", self.path.text(), f"*{exp.suffix}"
            )
        else:
            path = QFileDialog.getExistingDirectory(self, "Export into folder", self.path.text())
        if path:
            self.path.setText(path)

    # --- actions ----------------------------------------------------------------

    def do_export(self) -> bool:
        exp = EXPORTERS[self.selected_format()]
        out = Path(self.path.text().strip())
        if not self.path.text().strip():
            self.notifier.show_error(ExportError("Choose where to write the export."))
            return False
        # written on a worker from a frozen copy, with a count and Cancel; a cancel
        # leaves the earlier export (or nothing) where it was
        frozen = snapshot(self.session.project)
        options = self.options()
        notes = self.notifier.run_job(
            lambda progress: exp.write(
                frozen, out, dataclasses.replace(options, progress=progress)
            ),
            title=f"Exporting {exp.name}",
            error_title="Export failed",
            over=self,
        )
        if notes is None:
            return False
        self.notifier.status(f"Exported {exp.name} to {out}", 8000)
        self._written(out)
        if notes:  # what the format could not hold is said, never silently dropped
            n = len(notes)
            self.notifier.show_info(
                "Export",
                f"Exported {exp.name} to {out}. The format could not hold "
                + ("one thing" if n == 1 else f"{n} things")
                + "; see the details.",
                "\n".join(notes),
            )
        return True

    def copy_appeals(self) -> bool:
        text = self.notifier.run(lambda: appeals_tsv(self.session.project, self.options()))
        if text is None:
            return False
        QGuiApplication.clipboard().setText(text)
        rows = max(0, text.count("\n") - 1)
        self.notifier.status(f"Copied the appeals table ({count(rows, 'appeal')})", 8000)
        return True

    def _written(self, out: Path) -> None:
        """Keep the dialog open on what was written, with Open and Close."""
        self.written = out
        self.done_label.setText(f"Written to {out}.")
        self.done_label.setVisible(True)
        self.open_button.setVisible(True)
        self.open_button.setDefault(True)
        self.open_button.setFocus()
        self.close_button.setText("Close")

    def open_written(self) -> bool:
        """Open the export (a file with its program, a folder in the file manager)."""
        if self.written is None:
            return False
        opened = open_location(self.written)
        if opened:
            self.accept()
        else:
            self.notifier.show_error(OSError(f"No program on this computer opened {self.written}."))
        return opened


def open_location(path: Path) -> bool:
    """Hand ``path`` to the desktop (one place, so tests can stand in for the desktop)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
