"""The Inspector's links section: list, follow, remove and add typed links.

Only the link types the tag set allows for the annotation's tag are offered,
outgoing and incoming. The other end is chosen from a combo of compatible
annotations in the document, or picked in the text / the annotation list
through ``session.begin_pick`` (with a visible "Esc to cancel" hint). Every
change is an ``AddLink`` / ``RemoveLink`` through the inspector's ``_execute``,
so it is undoable; a target with the wrong tag is refused with one sentence.

Kept apart from ``inspector.py`` as a mixin so each file stays readable; it uses
the inspector's ``session``, ``current()``, ``editable``, ``_key``, ``_execute``,
``show_error`` and ``esc``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.errors import LinkTypeMismatch
from annotator.model import (
    AddLink,
    Annotation,
    Command,
    DocumentAnnotations,
    LinkType,
    RemoveLink,
)
from annotator.ui.docks.common import describe_link, elide, swatch_icon, tag_color, tag_label
from annotator.ui.session import ProjectSession


@dataclass(frozen=True)
class LinkChoice:
    """One way this annotation may be linked: a type and which end it is."""

    link_type: LinkType
    outgoing: bool  # True: this annotation is the source

    @property
    def other_tags(self) -> tuple[str, ...]:
        return self.link_type.targets if self.outgoing else self.link_type.sources


def link_choices(tagset: Any, tag: str) -> list[LinkChoice]:
    """The link types the tag set allows for ``tag``: outgoing first, then incoming."""
    out = [LinkChoice(lt, True) for lt in tagset.link_types_from(tag)]
    inc = [LinkChoice(lt, False) for lt in tagset.links if tag in lt.targets]
    return out + inc


def clear_layout(layout: Any) -> None:
    """Empty a layout; widgets are hidden now and deleted later (a clicked button may be
    among them, still inside its own signal handler)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())


class ElidingButton(QPushButton):
    """A flat push button whose text is cut with "…" to fit, instead of widening the panel
    (a long link label forced a horizontal scroll bar on the inspector)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.full_text = text
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 6)

    def text(self) -> str:
        return self.full_text

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        room = self.width() - self.iconSize().width() - 16
        shown = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, room)
        if shown != super().text():
            super().setText(shown)


class LazyComboBox(QComboBox):
    """A combo that asks ``about_to_use`` to fill it just before it is opened, scrolled or
    stepped with the keys: its items are costly and rarely needed."""

    about_to_use: Any = None

    def _fill(self) -> None:
        if callable(self.about_to_use):
            self.about_to_use()

    def showPopup(self) -> None:
        self._fill()
        super().showPopup()

    def keyPressEvent(self, event: Any) -> None:
        self._fill()
        super().keyPressEvent(event)

    def wheelEvent(self, event: Any) -> None:
        self._fill()
        super().wheelEvent(event)


class LinkEditing:
    """Mixin for InspectorDock: the links group box and everything it does."""

    PICK_HINT = "Click the annotation to link to… (Esc to cancel)"
    session: ProjectSession
    #: Esc while picking (live only then)
    esc: QAction
    #: the Inspector's scrolled body
    _scroll: QScrollArea
    _key: tuple[str, str, str] | None
    _add_link_stacked: bool | None
    _pending: tuple[tuple[str, str, str], LinkChoice] | None
    link_rows: dict[str, tuple[QPushButton, QToolButton | None]]
    #: (annotation key, link choice) the target list was filled for; None: stale
    _targets_for: tuple[Any, LinkChoice] | None = None

    if TYPE_CHECKING:  # the InspectorDock's own, which this mixin uses

        def current(self) -> tuple[str, str, Annotation, DocumentAnnotations] | None: ...

        @property
        def editable(self) -> bool: ...

        def _execute(self, command: Command) -> bool: ...

        def show_error(self, err: BaseException) -> None: ...

    def _arrange_add_link(self, width: int) -> None:
        """Each combo beside its button when the chosen link type reads whole there,
        else the combos take the whole width with the buttons under them (a narrow
        panel cut "→ Responsible for (Victim)" to "→ Responsible fo")."""
        grid = self._add_link_grid
        fm = self.link_type_combo.fontMetrics()
        shown = max(
            fm.horizontalAdvance(self.link_type_combo.currentText()),
            fm.horizontalAdvance("M" * 14),
        )
        button = max(self.pick_button.sizeHint().width(), self.link_button.sizeHint().width())
        margins = 48  # the group box's frame and insets, the combo's arrow
        stacked = shown + margins + grid.horizontalSpacing() + button > width
        if stacked == self._add_link_stacked:
            return
        self._add_link_stacked = stacked
        for w in (self.link_type_combo, self.pick_button, self.target_combo, self.link_button):
            grid.removeWidget(w)
        right = Qt.AlignmentFlag.AlignRight
        if stacked:
            grid.addWidget(self.link_type_combo, 1, 0, 1, 2)
            grid.addWidget(self.pick_button, 2, 0, 1, 2, right)
            grid.addWidget(self.target_combo, 3, 0, 1, 2)
            grid.addWidget(self.link_button, 4, 0, 1, 2, right)
        else:
            grid.addWidget(self.link_type_combo, 1, 0)
            grid.addWidget(self.pick_button, 1, 1)
            grid.addWidget(self.target_combo, 2, 0)
            grid.addWidget(self.link_button, 2, 1)

    def _build_links_box(self, parent: QWidget) -> QGroupBox:
        self.links_box = QGroupBox("Links", parent)
        links_lay = QVBoxLayout(self.links_box)
        self.links_list = QVBoxLayout()
        self.links_list.setSpacing(2)
        # one label shown or hidden: made anew on every selection, its style sheet was
        # parsed again on every tag
        self.no_links_label = QLabel("No links yet.", self.links_box)
        self.no_links_label.setStyleSheet("color: palette(dark);")
        links_lay.addWidget(self.no_links_label)
        links_lay.addLayout(self.links_list)
        self.add_link_row = QWidget(self.links_box)
        grid = QGridLayout(self.add_link_row)
        grid.setContentsMargins(0, 6, 0, 0)
        grid.setVerticalSpacing(4)
        self.link_type_combo = QComboBox(self.add_link_row)
        self.link_type_combo.setAccessibleName("Link type to add")
        self.link_type_combo.currentIndexChanged.connect(self._fill_targets)
        self.pick_button = QPushButton("&Pick in text…", self.add_link_row)
        self.pick_button.setToolTip("Then click the other annotation in the text or the list")
        self.pick_button.clicked.connect(self.begin_link_pick)
        self.target_combo = LazyComboBox(self.add_link_row)
        self.target_combo.about_to_use = self.ensure_targets
        self.target_combo.setAccessibleName("Annotation to link to")
        for combo in (self.link_type_combo, self.target_combo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(6)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.link_button = QPushButton("&Link", self.add_link_row)
        self.link_button.clicked.connect(self.link_to_chosen)
        add_label = QLabel("Add link:")
        add_label.setBuddy(self.link_type_combo)
        grid.addWidget(add_label, 0, 0, 1, 2)
        self._add_link_grid = grid
        self._add_link_stacked = None
        self._arrange_add_link(10_000)
        grid.setColumnStretch(0, 1)
        links_lay.addWidget(self.add_link_row)
        self.pick_hint = QWidget(self.links_box)
        hint_lay = QHBoxLayout(self.pick_hint)
        hint_lay.setContentsMargins(6, 4, 6, 4)
        self.pick_hint.setStyleSheet("background: #dbeeff; border-radius: 3px;")
        self.pick_hint_label = QLabel(self.PICK_HINT)
        self.pick_hint_label.setWordWrap(True)
        self.pick_hint_label.setStyleSheet("color: #0b3d6e; font-weight: 600;")
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.session.cancel_pick)
        hint_lay.addWidget(self.pick_hint_label, 1)
        hint_lay.addWidget(cancel)
        self.pick_hint.hide()
        links_lay.addWidget(self.pick_hint)
        return self.links_box

    # --- links ------------------------------------------------------------------------------------

    def _show_links(
        self,
        layer: str,
        doc_id: str,
        ann: Annotation,
        da: DocumentAnnotations,
        text: str,
        editable: bool,
    ) -> None:
        tagset = self.session.project.tagset
        if self.links_list.count():
            clear_layout(self.links_list)
        self.link_rows = {}
        links = sorted(da.links_of(ann.id), key=lambda lk: (lk.source != ann.id, lk.id))
        self.no_links_label.setVisible(not links)
        for lk in links:
            other_id = lk.target if lk.source == ann.id else lk.source
            other = da.annotations.get(other_id)
            row = QWidget()
            row_lay = QHBoxLayout(row)
            row_lay.setContentsMargins(0, 0, 0, 0)
            row_lay.setSpacing(4)
            follow = ElidingButton(describe_link(tagset, text, da, lk, ann.id, 34))
            follow.setObjectName(f"follow-{lk.id}")
            follow.setFlat(True)
            follow.setCursor(Qt.CursorShape.PointingHandCursor)
            follow.setStyleSheet("text-align: left; padding: 2px 4px;")
            follow.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            if other is not None:
                follow.setIcon(swatch_icon(tag_color(tagset, other.tag)))
                follow.setToolTip(
                    f"Go to this {tag_label(tagset, other.tag)}: {other.covered_text(text)}"
                )
            follow.clicked.connect(lambda _c=False, o=other_id: self.follow(layer, o))
            row_lay.addWidget(follow, 1)
            if editable:
                remove = QToolButton()
                remove.setObjectName(f"remove-{lk.id}")
                remove.setText("✕")
                remove.setToolTip("Remove this link")
                remove.setAccessibleName(f"Remove link {follow.text()}")
                remove.clicked.connect(lambda _c=False, lid=lk.id: self.remove_link(lid))
                row_lay.addWidget(remove)
            self.link_rows[lk.id] = (follow, remove if editable else None)
            self.links_list.addWidget(row)

        choices = link_choices(tagset, ann.tag)
        self.add_link_row.setVisible(editable and bool(choices))
        previous = self.link_type_combo.currentData()
        self.link_type_combo.blockSignals(True)
        have = [self.link_type_combo.itemData(i) for i in range(self.link_type_combo.count())]
        if have != choices:  # the same tag offers the same types: keep the list
            self._fill_link_types(tagset, choices)
        kept = False
        if previous is not None:
            for i in range(self.link_type_combo.count()):
                if self.link_type_combo.itemData(i) == previous:
                    self.link_type_combo.setCurrentIndex(i)
                    kept = True
        if not kept:  # start on the first type that still has something to link to
            cur = self.current()
            for i in range(self.link_type_combo.count()):
                if cur is not None and self._has_target(cur, self.link_type_combo.itemData(i)):
                    self.link_type_combo.setCurrentIndex(i)
                    break
            else:
                self.link_type_combo.setCurrentIndex(0)
        self.link_type_combo.blockSignals(False)
        self._fill_targets()

    def _fill_link_types(self, tagset: Any, choices: list[LinkChoice]) -> None:
        self.link_type_combo.clear()
        for choice in choices:
            others = ", ".join(tag_label(tagset, t) for t in choice.other_tags)
            if choice.outgoing:
                label = f"→ {choice.link_type.label} ({others})"
            else:
                label = f"← {choice.link_type.label} (from {others})"
            self.link_type_combo.addItem(label, choice)

    def _chosen_link(self) -> LinkChoice | None:
        data = self.link_type_combo.currentData()
        return data if isinstance(data, LinkChoice) else None

    def _has_target(
        self, cur: tuple[str, str, Annotation, DocumentAnnotations], choice: LinkChoice | None
    ) -> bool:
        """Whether any annotation could still be linked with ``choice``: stops at the first
        one, so it is cheap where filling the whole target list is not."""
        if choice is None:
            return False
        _layer, _doc_id, ann, da = cur
        existing = {(lk.type, lk.source, lk.target) for lk in da.links_of(ann.id)}
        name, wanted = choice.link_type.name, choice.other_tags
        for other in da.annotations.values():
            if other.id == ann.id or other.tag not in wanted:
                continue
            src, tgt = (ann.id, other.id) if choice.outgoing else (other.id, ann.id)
            if (name, src, tgt) not in existing:
                return True
        return False

    def _fill_targets(self, *_args: object) -> None:
        """Make the target list stale; it is filled only when it is opened or used.

        A document may hold 10,000 annotations: listing them on every edit or
        selection made tagging slow, so here we only decide whether there is
        anything to link to (which usually stops at the first candidate).
        """
        self.target_combo.clear()
        self._targets_for = None
        cur = self.current()
        has = cur is not None and self._has_target(cur, self._chosen_link())
        self.target_combo.setEnabled(has)
        self.link_button.setEnabled(has)
        if not has:
            self.target_combo.addItem("(none available in this document)", "")
        else:
            self.target_combo.addItem("Choose the annotation to link to…", "")

    def ensure_targets(self) -> None:
        """Fill the target list (compatible annotations of this layer and document, in
        reading order) if it is stale; the first target becomes current."""
        cur = self.current()
        choice = self._chosen_link()
        if cur is None or choice is None or self._targets_for == (self._key, choice):
            return
        self._targets_for = (self._key, choice)
        _layer, doc_id, ann, da = cur
        tagset = self.session.project.tagset
        text = self.session.project.documents[doc_id].text
        existing = {(lk.type, lk.source, lk.target) for lk in da.links_of(ann.id)}
        combo = self.target_combo
        combo.blockSignals(True)
        combo.clear()
        for other in da.sorted_annotations():
            if other.id == ann.id or other.tag not in choice.other_tags:
                continue
            src, tgt = (ann.id, other.id) if choice.outgoing else (other.id, ann.id)
            if (choice.link_type.name, src, tgt) in existing:
                continue
            combo.addItem(
                swatch_icon(tag_color(tagset, other.tag)),
                f"{tag_label(tagset, other.tag)}: {elide(other.covered_text(text), 50)}",
                other.id,
            )
        has = combo.count() > 0
        combo.setEnabled(has)
        self.link_button.setEnabled(has)
        if not has:
            combo.addItem("(none available in this document)", "")
        combo.blockSignals(False)

    def follow(self, layer: str, ann_id: str) -> None:
        """Select the other end of a link (the text view scrolls to it)."""
        self.session.select(layer, ann_id)

    def remove_link(self, link_id: str) -> None:
        cur = self.current()
        if cur is None or not self.editable:
            return
        layer, doc_id, _ann, _da = cur
        self._execute(RemoveLink(layer, doc_id, link_id))

    def add_link(self, choice: LinkChoice, other_layer: str, other_id: str) -> bool:
        """Link this annotation and ``other_id`` with ``choice``; errors are shown, not raised."""
        cur = self.current()
        if cur is None or not self.editable:
            return False
        layer, doc_id, ann, da = cur
        other = da.annotations.get(other_id) if other_layer == layer else None
        tagset = self.session.project.tagset
        if other is None:
            self.show_error(
                LinkTypeMismatch(
                    "a link must join two annotations of your own layer in the same document"
                )
            )
            return False
        if other.id == ann.id:
            self.show_error(LinkTypeMismatch("an annotation cannot be linked to itself"))
            return False
        if other.tag not in choice.other_tags:
            allowed = ", ".join(tag_label(tagset, t) for t in choice.other_tags)
            role = "go to" if choice.outgoing else "come from"
            self.show_error(
                LinkTypeMismatch(
                    f"a “{choice.link_type.label}” link can only {role} {allowed}, "
                    f"not {tag_label(tagset, other.tag)}"
                )
            )
            return False
        src, tgt = (ann.id, other.id) if choice.outgoing else (other.id, ann.id)
        return self._execute(AddLink(layer, doc_id, choice.link_type.name, src, tgt))

    def link_to_chosen(self) -> bool:
        self.ensure_targets()
        choice = self._chosen_link()
        other_id = self.target_combo.currentData()
        cur = self.current()
        if choice is None or not other_id or cur is None:
            return False
        return self.add_link(choice, cur[0], other_id)

    def begin_link_pick(self) -> None:
        """Wait for the user to click the other end in the text or the annotation list."""
        choice = self._chosen_link()
        if choice is None or self._key is None:
            return
        self._pending = (self._key, choice)
        self.session.begin_pick(self._on_picked, self._can_pick)

    def _can_pick(self, layer: str, ann_id: str) -> bool:
        """The chosen link type's other end: in the same layer and document (the one on
        screen), with a tag the type allows, and not the annotation itself."""
        if self._pending is None:
            return False
        (src_layer, doc_id, src_id), choice = self._pending
        session = self.session
        if layer != src_layer or ann_id == src_id or session.current_doc_id != doc_id:
            return False
        da = (
            session.project.layers[layer].docs.get(doc_id)
            if layer in session.project.layers
            else None
        )
        other = da.annotations.get(ann_id) if da is not None else None
        return other is not None and other.tag in choice.other_tags

    def _on_picked(self, layer: str, ann_id: str) -> None:
        pending, self._pending = self._pending, None
        if pending is None:
            return
        key, choice = pending
        if self._key != key:  # the selection moved meanwhile: go back to the source
            self.session.set_current_document(key[1])
            self.session.select(key[0], key[2])
        self.add_link(choice, layer, ann_id)

    def _on_pick_mode(self, on: bool) -> None:
        mine = on and self._pending is not None
        self.pick_hint.setVisible(mine)
        if mine:
            # the hint sits below the Add link rows, often under the panel's fold: without
            # scrolling it into view, "Pick in text…" seemed to do nothing
            QTimer.singleShot(0, self._reveal_pick_hint)
        self.esc.setEnabled(mine)
        if not on:
            # session.pick() announces the end of pick mode before it calls us back,
            # so the pending link is dropped only after this event has been handled
            QTimer.singleShot(0, self._drop_pending)

    def _reveal_pick_hint(self) -> None:
        if self.pick_hint.isVisible():
            self._scroll.ensureWidgetVisible(self.pick_hint, 0, 8)

    def _drop_pending(self) -> None:
        if not self.session.picking:
            self._pending = None
