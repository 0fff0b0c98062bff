"""The pages of the tag-set editor for an attribute, a value and a link type.

Like the tag's page (:mod:`.pages`), each shows what the tag set says and turns
an edit into one core command run through the editor.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.model import Command
from annotator.model.tagset import TagSet
from annotator.model.tagset_commands import (
    EditAttribute,
    EditLinkType,
    MergeValues,
    RelabelValue,
    RenameAttribute,
    RenameLinkType,
    RenameValue,
    SetMultiple,
)
from annotator.ui.tagset_editor.pages import Page, Runner, set_text
from annotator.ui.tagset_editor.tree import Key


class AttributePage(Page):
    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("attributePage")
        self.name = self.line("&Name", "attributeName", self._rename)
        self.label = self.line("&Label", "attributeLabel", self._relabel)
        self.kind = QComboBox(self)
        self.kind.setObjectName("attributeKind")
        self.kind.addItem("One value", False)
        self.kind.addItem("Any number of values", True)
        self.kind.activated.connect(lambda _i: self._set_multiple())
        self.form.addRow("&Takes", self.kind)
        self.closed = QLabel(self)
        self.form.addRow("Values", self.closed)
        self.definition = self.line("&Definition", "attributeDefinition", self._define)
        self.form.addRow(self.uses)

    def show_item(self, tagset: TagSet, key: Key, same_item: bool) -> None:
        self.key = key
        attr = tagset.tag(key[1]).attribute(key[2])
        self.heading.setText(f"Attribute “{attr.label or attr.name}” of {tagset.tag(key[1]).label}")
        set_text(self.name, attr.name)
        set_text(self.label, attr.label)
        set_text(self.definition, attr.definition)
        self.kind.setCurrentIndex(1 if attr.multiple else 0)
        self.closed.setText(
            f"A closed list of {len(attr.values)} (add and rename them on the left)"
            if attr.closed
            else "Free text"
        )
        self.uses.setText(self.runner.usage(key))

    def _rename(self) -> None:
        new = self.name.text().strip()
        tag, old = self.key[1], self.key[2]
        if new and new != old:
            self.runner.run(RenameAttribute(tag, old, new), select=("attr", tag, new))
        else:
            self.name.setText(old)

    def _current(self) -> tuple[str, str, str, str]:
        attr = self.runner.project.tagset.tag(self.key[1]).attribute(self.key[2])
        return self.key[1], self.key[2], attr.label, attr.definition

    def _relabel(self) -> None:
        tag, attr, label, _ = self._current()
        new = self.label.text().strip()
        if new != label:
            self.runner.run(EditAttribute(tag, attr, label=new), select=self.key)

    def _define(self) -> None:
        tag, attr, _, definition = self._current()
        new = self.definition.text().strip()
        if new != definition:
            self.runner.run(EditAttribute(tag, attr, definition=new), select=self.key)

    def _set_multiple(self) -> None:
        tag, attr = self.key[1], self.key[2]
        multiple = bool(self.kind.currentData())
        if multiple == self.runner.project.tagset.tag(tag).attribute(attr).multiple:
            return

        def decide(answer: str | None) -> tuple[Command, Key]:
            keep = answer is not None
            return SetMultiple(tag, attr, False, keep_first=keep, delete=not keep), self.key

        self.runner.run_or_ask(
            SetMultiple(tag, attr, multiple),
            decide,
            f"Let {attr} take one value? Some annotations hold several.",
            [],
            "Take the attribute from them",
            map_text="&Keep the first value of each",
            confirm_text="&Change",
            select=self.key,
        )


class ValuePage(Page):
    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("valuePage")
        self.name = self.line("&Name", "valueName", self._rename)
        self.label = self.line("&Label", "valueLabel", self._relabel)
        row = QHBoxLayout()
        self.merge_into = QComboBox(self)
        self.merge_into.setObjectName("mergeInto")
        self.merge_button = QPushButton("&Merge", self)
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.setToolTip(
            "Fold this value into the other: its annotations take that one"
        )
        self.merge_button.clicked.connect(self._merge)
        row.addWidget(self.merge_into, 1)
        row.addWidget(self.merge_button)
        self.form.addRow("Merge into", row)
        self.form.addRow(self.uses)

    def show_item(self, tagset: TagSet, key: Key, same_item: bool) -> None:
        self.key = key
        attr = tagset.tag(key[1]).attribute(key[2])
        label = attr.label_of(key[3])
        self.heading.setText(f"Value “{label}” of {attr.label or attr.name}")
        set_text(self.name, key[3])
        set_text(self.label, label)
        self.merge_into.clear()
        for value in attr.values:
            if value != key[3]:
                self.merge_into.addItem(attr.label_of(value), value)
        self.merge_button.setEnabled(self.merge_into.count() > 0)
        self.uses.setText(self.runner.usage(key))

    def _rename(self) -> None:
        _, tag, attr, old = self.key
        new = self.name.text().strip()
        if new and new != old:
            self.runner.run(RenameValue(tag, attr, old, new), select=("value", tag, attr, new))
        else:
            self.name.setText(old)

    def _relabel(self) -> None:
        _, tag, attr, value = self.key
        label = self.runner.project.tagset.tag(tag).attribute(attr).label_of(value)
        new = self.label.text().strip()
        if new != label:
            self.runner.run(RelabelValue(tag, attr, value, new), select=self.key)

    def _merge(self) -> None:
        _, tag, attr, value = self.key
        into = self.merge_into.currentData()
        if into:
            self.runner.run(MergeValues(tag, attr, value, into), select=("value", tag, attr, into))


class LinkPage(Page):
    """A link type: its name, label and definition, and the tags it may go from and to."""

    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.setObjectName("linkPage")
        self.name = self.line("&Name", "linkName", self._rename)
        self.label: QLineEdit = self.line("&Label", "linkLabel", lambda: self._edit("label"))
        self.definition: QLineEdit = self.line(
            "&Definition", "linkDefinition", lambda: self._edit("definition")
        )
        self.sources = QListWidget(self)
        self.sources.setObjectName("linkSources")
        self.targets = QListWidget(self)
        self.targets.setObjectName("linkTargets")
        box = QWidget(self)
        lists = QHBoxLayout(box)
        lists.setContentsMargins(0, 0, 0, 0)
        for title, widget in (("From", self.sources), ("To", self.targets)):
            col = QVBoxLayout()
            col.addWidget(QLabel(title, box))
            col.addWidget(widget)
            widget.setMaximumHeight(160)
            widget.itemChanged.connect(lambda _item, w=widget: self._ends(w))
            lists.addLayout(col)
        self.form.addRow(box)
        self.form.addRow(self.uses)
        self._filling = False

    def show_item(self, tagset: TagSet, key: Key, same_item: bool) -> None:
        self.key = key
        lt = tagset.link_type(key[1])
        self.heading.setText(f"Link type “{lt.label or lt.name}”")
        set_text(self.name, lt.name)
        set_text(self.label, lt.label)
        set_text(self.definition, lt.definition)
        self._filling = True
        try:
            for widget, allowed in ((self.sources, lt.sources), (self.targets, lt.targets)):
                widget.clear()
                for tt in tagset.tags:
                    item = QListWidgetItem(tt.label, widget)
                    item.setData(Qt.ItemDataRole.UserRole, tt.name)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    on = tt.name in allowed
                    item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        finally:
            self._filling = False
        self.uses.setText("")

    def _rename(self) -> None:
        new = self.name.text().strip()
        old = self.key[1]
        if new and new != old:
            self.runner.run(RenameLinkType(old, new), select=("link", new))
        else:
            self.name.setText(old)

    def _edit(self, what: str) -> None:
        edit = self.label if what == "label" else self.definition
        lt = self.runner.project.tagset.link_type(self.key[1])
        new = edit.text().strip()
        if new != getattr(lt, what):
            cmd = EditLinkType(lt.name, **{what: new})  # type: ignore[arg-type]
            self.runner.run(cmd, select=self.key)

    def _ends(self, widget: QListWidget) -> None:
        if self._filling or not self.key:
            return
        name = self.key[1]
        checked = tuple(
            str(widget.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked
        )
        end = "sources" if widget is self.sources else "targets"
        others = [(lt.label or lt.name, lt.name) for lt in self.runner.project.tagset.links]
        others = [o for o in others if o[1] != name]

        def decide(answer: str | None) -> tuple[Command, Key]:
            if answer:
                return EditLinkType(name, **{end: checked}, map_to=answer), self.key  # type: ignore[arg-type]
            return EditLinkType(name, **{end: checked}, delete=True), self.key  # type: ignore[arg-type]

        self.runner.run_or_ask(
            EditLinkType(name, **{end: checked}),  # type: ignore[arg-type]
            decide,
            f"Narrow the link type {name}? Links use what it would no longer allow.",
            others,
            "Delete those links",
            map_text="&Give them the type" if others else "",
            confirm_text="&Change",
            select=self.key,
        )


class EmptyPage(Page):
    def __init__(self, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.heading.setText("Link types")
        note = QLabel(
            "Each link type says which tags a link may go from and to. "
            "Choose one on the left to see it, or add one.",
            self,
        )
        note.setWordWrap(True)
        self.form.addRow(note)

    def show_item(self, tagset: TagSet, key: Key, same_item: bool) -> None:
        self.key = key
