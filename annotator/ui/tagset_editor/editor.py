"""Project ▸ Tag Set…: the tags, their attributes and values, and the link types.

Two panes: the tree on the left, the details of the chosen row on the right.
Every change is one core command (``annotator.model.tagset_commands``) run
through the session like any edit of the window, so it is journaled, it is one
undo step (Ctrl+Z here or in the main window), and the text view, the Tags
panel, the other panels and the Guidelines window follow at once (the session's
``tagsetChanged``). Removing something annotations use first says what would be
lost and waits for an explicit choice.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.model import Command, Project
from annotator.model.colours import safest
from annotator.model.commands import Macro
from annotator.model.tagset import AttributeDef, LinkType, TagSet, TagType
from annotator.model.tagset_change import TagSetCommand
from annotator.model.tagset_commands import (
    AddAttribute,
    AddLinkType,
    AddTag,
    AddValue,
    MoveTag,
    RemoveAttribute,
    RemoveLinkType,
    RemoveTag,
    RemoveValue,
)
from annotator.ui import keymap
from annotator.ui.notifier import Notifier
from annotator.ui.session import ProjectSession
from annotator.ui.tagset_editor.fields import FieldStep
from annotator.ui.tagset_editor.item_pages import AttributePage, EmptyPage, LinkPage, ValuePage
from annotator.ui.tagset_editor.pages import Page, TagPage, usage
from annotator.ui.tagset_editor.removal import RemovalPanel
from annotator.ui.tagset_editor.tree import LINKS, Key, TagTree

TITLE = "Tag set"


def _unique(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


class TagSetEditor(QDialog):
    """The editor window (not modal: the text stays usable beside it)."""

    def __init__(
        self,
        session: ProjectSession,
        notifier: Notifier,
        parent: QWidget | None = None,
        show_guidelines: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("TagSetEditor")
        self.setWindowTitle("Tag set")
        self.session = session
        self.notifier = notifier
        self._want: Key = ()
        self._shown: Key = ()

        self.tree = TagTree(self)
        self.tree.setMinimumWidth(220)
        self.tree.currentItemChanged.connect(lambda *_a: self._show_current())
        self.pages: dict[str, Page] = {
            "tag": TagPage(self),
            "attr": AttributePage(self),
            "value": ValuePage(self),
            "link": LinkPage(self),
            "links": EmptyPage(self),
        }
        # one page shown at a time; the hidden ones take no room (a stacked widget would
        # make every page as tall as the tallest)
        self.details = QWidget(self)
        column = QVBoxLayout(self.details)
        column.setContentsMargins(0, 0, 0, 0)
        for page in self.pages.values():
            column.addWidget(page)
            page.hide()
        self.current_page: Page = self.pages["links"]
        scroll = QScrollArea(self)
        scroll.setObjectName("detailsScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.details)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        self.removal = RemovalPanel(self)
        self.removal.decided.connect(self._remove_decided)

        self.actions_by_id: dict[str, QAction] = {}
        self.add_tag_button = self._button("tagset.add_tag", "Add &Tag", self.add_tag)
        self.add_child_button = self._button("tagset.add_child", "Add &Attribute", self.add_child)
        self.rename_button = self._button("tagset.rename", "Re&name", self.rename)
        self.remove_button = self._button("tagset.remove", "&Remove…", self.remove)
        self.up_button = self._button("tagset.move_up", "Move &Up", lambda: self.move_item(-1))
        self.down_button = self._button("tagset.move_down", "Move &Down", lambda: self.move_item(1))
        undo = keymap.bind(QAction("Undo", self), "tagset.undo")
        undo.triggered.connect(lambda _c=False: session.undo_stack.undo())
        redo = keymap.bind(QAction("Redo", self), "tagset.redo")
        redo.triggered.connect(lambda _c=False: session.undo_stack.redo())
        self.addActions([undo, redo])

        buttons = QHBoxLayout()
        for b in (
            self.add_tag_button,
            self.add_child_button,
            self.rename_button,
            self.remove_button,
            self.up_button,
            self.down_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        if show_guidelines is not None:
            guide = QPushButton("&Guidelines", self)
            guide.setObjectName("showGuidelines")
            guide.setToolTip("The Guidelines window follows every change made here")
            guide.clicked.connect(lambda: show_guidelines())
            buttons.addWidget(guide)
        close = QPushButton("Close", self)
        close.clicked.connect(self.close)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.removal)
        layout.addLayout(buttons)
        self.resize(900, 620)
        self.splitter.setSizes([300, 600])

        # Enter commits the field it is typed in: it must never press a button
        # (a dialog's default button would clear a key or close the editor)
        for b in self.findChildren(QPushButton):
            b.setAutoDefault(False)
            b.setDefault(False)

        self._usage: dict[Key, str] = {}
        #: what the user's answer in the removal panel becomes (see run_or_ask)
        self._decide: Callable[[str | None], tuple[Command, Key]] | None = None
        session.annotationsChanged.connect(lambda _change: self._usage.clear())
        session.tagsetChanged.connect(self._on_tagset)
        session.projectReplaced.connect(self._on_tagset)
        self._on_tagset()

    def _button(self, action_id: str, text: str, slot: Callable[[], object]) -> QPushButton:
        action = keymap.bind(QAction(text.replace("&", ""), self), action_id)
        action.triggered.connect(lambda _c=False: slot())
        # the tree's keys work while the tree has focus; the others anywhere in the window
        owner = (
            self.tree if keymap.KEYMAP[action_id].context is keymap.Context.TAGSET_TREE else self
        )
        owner.addAction(action)
        self.actions_by_id[action_id] = action
        button = QPushButton(text, self)
        button.setObjectName(action_id.replace(".", "_"))
        key = keymap.first_key(action_id)
        button.setToolTip(f"{text.replace('&', '')} ({key})" if key else text.replace("&", ""))
        button.clicked.connect(lambda _c=False: slot())
        button.setAutoDefault(False)
        return button

    # --- what the pages use (pages.Runner) -----------------------------------------------

    @property
    def project(self) -> Project:
        return self.session.project

    @property
    def tagset(self) -> TagSet:
        return self.session.project.tagset

    def _sign(self, command: Command) -> None:
        """The change is the user's: the tag set's log names them."""
        if isinstance(command, TagSetCommand) and not command.author:
            command.author = self.session.user

    def usage(self, key: Key) -> str:
        """What uses the item (counted over every layer once per edit: a large project
        has hundreds of thousands of annotations)."""
        text = self._usage.get(key)
        if text is None:
            text = self._usage[key] = usage(self.project, key)
        return text

    def run(self, command: Command, select: Key = ()) -> bool:
        """Do ``command`` as one undo step of the window; ``select`` the row it made."""
        self._sign(command)
        self._want = select
        try:
            return self.notifier.run(lambda: self.session.execute(command), TITLE) is not None
        finally:
            self._want = ()
            self._show_current()  # a refused change: the fields show the model again

    def run_typing(self, command: Command, field: Key) -> bool:
        """Do ``command`` as part of the undo step of a burst of typing in ``field``."""
        self._sign(command)
        macro = Macro(command.text, [command])
        step = FieldStep(self.session, macro, field, 0)
        self._want = self.tree.current_key()
        try:
            done = self.notifier.run(lambda: self.session.execute(macro, step), TITLE)
            return done is not None
        finally:
            self._want = ()

    # --- following the tag set ------------------------------------------------------------

    def _on_tagset(self) -> None:
        self._usage.clear()
        if self.removal.isVisible():
            self.removal.close_panel()  # what it counted may no longer hold
        self.tree.fill(self.tagset, self._want)
        self._show_current()

    def _show_current(self) -> None:
        key = self.tree.current_key()
        same = key == self._shown
        if not same:
            self.removal.close_panel()
        self._shown = key
        kind = key[0] if key else "links"
        page = self.pages[kind]
        if page is not self.current_page:
            self.current_page.hide()
            page.show()
            self.current_page = page
        if key and key != LINKS:
            page.show_item(self.tagset, key, same)
        self.add_child_button.setText(
            {"tag": "Add &Attribute", "attr": "Add &Value", "value": "Add &Value"}.get(
                kind, "Add &Link Type"
            )
        )
        self.rename_button.setEnabled(kind != "links")
        self.remove_button.setEnabled(kind != "links")
        place = self._tag_place(key)
        self.up_button.setEnabled(place is not None and place > 0)
        self.down_button.setEnabled(place is not None and place < len(self.tagset.tags) - 1)

    def _tag_place(self, key: Key) -> int | None:
        """The place of the chosen tag among the tags (only tags are reordered)."""
        if not key or key[0] != "tag":
            return None
        names = [t.name for t in self.tagset.tags]
        return names.index(key[1]) if key[1] in names else None

    # --- adding, renaming, removing ---------------------------------------------------------

    def add_tag(self) -> None:
        ts = self.tagset
        name = _unique("new-tag", {t.name for t in ts.tags})
        label = _unique("New tag", {t.label for t in ts.tags})
        colour = safest(t.color for t in ts.tags)
        if self.run(AddTag(TagType(name, label, colour)), select=("tag", name)):
            self.rename()

    def add_child(self) -> None:
        key = self.tree.current_key()
        if not key or key[0] in ("links", "link"):
            self.add_link_type()
            return
        tt = self.tagset.tag(key[1])
        if key[0] == "tag":
            name = _unique("attribute", {a.name for a in tt.attributes})
            attr = AttributeDef(name, "New attribute", values=("other",), value_labels=("Other",))
            if self.run(AddAttribute(tt.name, attr), select=("attr", tt.name, name)):
                self.rename()
            return
        ad = tt.attribute(key[2])
        if not ad.closed:
            self.notifier.status(f"{tt.name}.{ad.name} is free text: it has no list of values.")
            return
        value = _unique("value", set(ad.values))
        if self.run(AddValue(tt.name, ad.name, value), select=("value", tt.name, ad.name, value)):
            self.rename()

    def add_link_type(self) -> None:
        ts = self.tagset
        if not ts.tags:
            self.notifier.status("Add a tag first: a link type joins tags.")
            return
        name = _unique("link", {lt.name for lt in ts.links})
        first = (ts.tags[0].name,)
        link = LinkType(name, "New link", sources=first, targets=first)
        if self.run(AddLinkType(link), select=("link", name)):
            self.rename()

    def rename(self) -> None:
        """Put the cursor in the chosen row's name, all of it selected (F2)."""
        name = getattr(self.current_page, "name", None)
        if isinstance(name, QLineEdit):
            name.setFocus()
            name.selectAll()

    def remove(self) -> None:
        key = self.tree.current_key()
        if not key or key[0] == "links":
            return
        ts = self.tagset
        if key[0] == "link":
            lt = ts.link_type(key[1])
            others = [(o.label or o.name, o.name) for o in ts.links if o.name != lt.name]

            def relink(answer: str | None) -> tuple[Command, Key]:
                if answer:
                    return RemoveLinkType(lt.name, map_to=answer), ("link", answer)
                return RemoveLinkType(lt.name, delete=True), LINKS

            self.run_or_ask(
                RemoveLinkType(lt.name),
                relink,
                f"Remove the link type {lt.label or lt.name}? Links use it.",
                others,
                "Delete those links",
                map_text="&Give them the type" if others else "",
            )
            return
        tt = ts.tag(key[1])
        command: Command
        if key[0] == "tag":
            command = RemoveTag(tt.name)
            what = f"the tag {tt.label}"
            targets = [(t.label, t.name) for t in ts.tags if t.name != tt.name]
            delete_text = "Delete them (and their links)"
        elif key[0] == "attr":
            ad = tt.attribute(key[2])
            command = RemoveAttribute(tt.name, ad.name)
            what = f"the attribute {ad.label or ad.name} of {tt.label}"
            targets = []
            delete_text = "Take it from them"
        else:
            ad = tt.attribute(key[2])
            command = RemoveValue(tt.name, ad.name, key[3])
            what = f"the value {ad.label_of(key[3])} of {tt.label} ▸ {ad.label or ad.name}"
            targets = [(ad.label_of(v), v) for v in ad.values if v != key[3]]
            delete_text = "Take it from them"

        def decide(answer: str | None) -> tuple[Command, Key]:
            delete = answer is None
            if key[0] == "tag":
                return RemoveTag(key[1], map_to=answer, delete=delete), (
                    ("tag", answer) if answer else ()
                )
            if key[0] == "attr":
                return RemoveAttribute(key[1], key[2], delete=True), ("tag", key[1])
            if answer:
                return RemoveValue(key[1], key[2], key[3], map_to=answer), (
                    "value",
                    key[1],
                    key[2],
                    answer,
                )
            return RemoveValue(key[1], key[2], key[3], delete=True), ("attr", key[1], key[2])

        self.run_or_ask(
            command,
            decide,
            f"Remove {what}? Annotations use it.",
            targets,
            delete_text,
            map_text="&Map them to" if targets else "",
        )

    def run_or_ask(
        self,
        command: Command,
        decide: Callable[[str | None], tuple[Command, Key]],
        title: str,
        targets: list[tuple[str, str]],
        delete_text: str,
        map_text: str = "&Map them to",
        confirm_text: str = "&Remove",
        select: Key = (),
    ) -> bool:
        """Run ``command`` if it takes nothing from the annotations; else say what it would
        take and wait for the user's explicit choice, which ``decide`` turns into the
        command to run (and the row to select)."""
        assert isinstance(command, TagSetCommand)
        impact = self.notifier.run(lambda: command.impact(self.project), TITLE)
        if impact is None:
            self._show_current()
            return False
        if not impact.loses:
            return self.run(command, select)
        self._decide = decide
        self.removal.ask(
            self.tree.current_key(),
            title,
            impact,
            targets,
            delete_text,
            map_text=map_text,
            confirm_text=confirm_text,
        )
        (self.removal.map_radio if map_text else self.removal.delete_radio).setFocus()
        return False

    def _remove_decided(self, _key: Key, answer: str | None) -> None:
        decide, self._decide = self._decide, None
        if decide is not None:
            command, select = decide(answer)
            self.run(command, select=select)

    def move_item(self, delta: int) -> None:
        """Move the chosen tag up or down among the tags (the palette's order)."""
        key = self.tree.current_key()
        place = self._tag_place(key)
        if place is None or not 0 <= place + delta < len(self.tagset.tags):
            return
        self.run(MoveTag(key[1], place + delta), select=key)

    # --- closing -----------------------------------------------------------------------------

    def closeEvent(self, e: QCloseEvent) -> None:
        page = self.pages["tag"]
        assert isinstance(page, TagPage)
        page.flush()  # what was typed a moment ago is a change, not lost
        super().closeEvent(e)
