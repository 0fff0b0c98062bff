"""Removing a tag, an attribute or a value that annotations use: never silent.

The core works out what the removal would take (how many annotations, in which
layers, would be deleted or lose a value, and how many links would go); this
panel says it and waits for an explicit choice: map them onto another tag or
value (a combo), or delete. Nothing is chosen in advance, so a stray Enter
removes nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from annotator.model.tagset_change import TagSetImpact
from annotator.ui.tagset_editor.tree import Key


def _per_layer(counts: dict[str, int]) -> str:
    return ", ".join(f"{layer}: {n}" for layer, n in sorted(counts.items()))


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def loss_sentences(impact: TagSetImpact) -> list[str]:
    """What the removal would take, one sentence each, with the layers it is in."""
    out: list[str] = []
    if impact.deleted:
        total = sum(impact.deleted.values())
        out.append(f"{_n(total, 'annotation')} would be deleted ({_per_layer(impact.deleted)}).")
    if impact.stripped:
        total = sum(impact.stripped.values())
        out.append(f"{_n(total, 'annotation')} would lose it ({_per_layer(impact.stripped)}).")
    if impact.links_removed:
        total = sum(impact.links_removed.values())
        out.append(f"{_n(total, 'link')} would be removed ({_per_layer(impact.links_removed)}).")
    return out


class RemovalPanel(QFrame):
    """Shown under the editor's panes while a removal waits for the user's choice.

    ``decided`` carries the key of the change and the answer: the name to map onto
    (``""`` for a choice that names none), or ``None`` to delete.
    """

    decided = Signal(object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("removalPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#removalPanel { background: #FFF3CD; border: 1px solid #E8D9A8; }"
            " QLabel { color: #3D2E00; }"
        )
        box = QVBoxLayout(self)
        self.title = QLabel(self)
        self.title.setObjectName("removalTitle")
        self.title.setStyleSheet("font-weight: bold;")
        self.title.setWordWrap(True)
        self.loss = QLabel(self)
        self.loss.setObjectName("removalLoss")
        self.loss.setWordWrap(True)
        box.addWidget(self.title)
        box.addWidget(self.loss)
        choice = QHBoxLayout()
        self.map_radio = QRadioButton("&Map them to", self)
        self.map_radio.setObjectName("removalMap")
        self.map_to = QComboBox(self)
        self.map_to.setObjectName("removalMapTo")
        self.map_to.setMinimumContentsLength(14)
        self.delete_radio = QRadioButton(self)
        self.delete_radio.setObjectName("removalDelete")
        self.group = QButtonGroup(self)
        self.group.addButton(self.map_radio)
        self.group.addButton(self.delete_radio)
        self.group.buttonToggled.connect(lambda *_a: self._update())
        self.map_to.activated.connect(lambda _i: self.map_radio.setChecked(True))
        choice.addWidget(self.map_radio)
        choice.addWidget(self.map_to, 1)
        choice.addSpacing(12)
        choice.addWidget(self.delete_radio)
        choice.addStretch(1)  # with no list to map onto, the choices keep their own width
        box.addLayout(choice)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel = QPushButton("Keep it", self)
        self.cancel.setObjectName("removalCancel")
        self.cancel.clicked.connect(self.close_panel)
        self.confirm = QPushButton("&Remove", self)
        self.confirm.setObjectName("removalConfirm")
        self.confirm.clicked.connect(self._confirm)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.confirm)
        box.addLayout(buttons)
        self.key: Key = ()
        self.hide()

    def ask(
        self,
        key: Key,
        title: str,
        impact: TagSetImpact,
        targets: list[tuple[str, str]],
        delete_text: str,
        map_text: str = "&Map them to",
        confirm_text: str = "&Remove",
    ) -> None:
        """Say what the change would take; offer ``targets`` ((label, name) pairs) to map
        onto, or with none, ``map_text`` alone (e.g. "keep the first value") if given."""
        self.key = key
        self.title.setText(title)
        self.loss.setText(" ".join(loss_sentences(impact)) + " What should become of them?")
        self.group.setExclusive(False)
        self.map_radio.setChecked(False)
        self.delete_radio.setChecked(False)
        self.group.setExclusive(True)
        self.map_to.clear()
        for label, name in targets:
            self.map_to.addItem(label, name)
        self.map_radio.setText(map_text)
        self.map_radio.setVisible(bool(targets or map_text))
        self.map_to.setVisible(bool(targets))
        self.delete_radio.setText(delete_text)
        self.confirm.setText(confirm_text)
        self._update()
        self.show()

    def _update(self) -> None:
        self.confirm.setEnabled(self.map_radio.isChecked() or self.delete_radio.isChecked())

    def _confirm(self) -> None:
        key = self.key
        if self.map_radio.isChecked():
            # the name to map onto; "" for a choice that needs none (keep the first value)
            answer: str | None = self.map_to.currentData() if self.map_to.isVisible() else ""
            if answer is None:
                return
        elif self.delete_radio.isChecked():
            answer = None
        else:
            return
        self.close_panel()
        self.decided.emit(key, answer)

    def close_panel(self) -> None:
        self.key = ()
        self.hide()
