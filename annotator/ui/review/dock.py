"""The review dock: releases with their disagreement counts, the release's items by
group, the current item side by side, decision buttons and the agreement table."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.model import CURATED_LAYER, Annotation, Project, ReviewStatus
from annotator.review import adjudicate
from annotator.review.compare import KIND_LABELS, Item
from annotator.review.presentation import annotation_excerpt, group_counts
from annotator.ui.docks.common import attribute_summary, tag_label
from annotator.ui.notifier import Notifier
from annotator.ui.review.agreement_tab import AgreementTab
from annotator.ui.review.conflicts_tab import ConflictsTab
from annotator.ui.review.controller import ReviewController
from annotator.ui.review.items import STATUS_LABELS, ItemTree, ReleaseList, headline


class ReviewDock(QDockWidget):
    def __init__(
        self, controller: ReviewController, notifier: Notifier, parent: QWidget | None = None
    ) -> None:
        super().__init__("Review", parent)
        self.notifier = notifier
        self.setObjectName("reviewDock")
        self.controller = controller
        self.session = controller.session
        self._updating = False

        body = QWidget(self)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(4, 4, 4, 4)

        self.layer_list = QListWidget()
        self.layer_list.setMaximumHeight(80)
        self.layer_list.setToolTip("Layers to compare (two or more)")
        self.layer_list.itemChanged.connect(self._on_layer_checked)

        self.doc_list = ReleaseList()
        self.doc_list.selectionModel().currentChanged.connect(self._on_doc_row)

        self.status_combo = QComboBox()
        for status, label in STATUS_LABELS.items():
            self.status_combo.addItem(label, status)
        self.status_combo.activated.connect(self._on_status)

        self.tree = ItemTree()
        self.tree.currentItemChanged.connect(self._on_tree_current)

        self.detail = QTextBrowser()
        self.detail.setObjectName("reviewDetail")

        self.buttons = QHBoxLayout()
        self.accept_buttons: dict[str, QPushButton] = {}
        self.accept_all_button = QPushButton("Accept all sides")
        self.accept_all_button.clicked.connect(
            lambda: self._guard(self.controller.accept_all_sides)
        )
        self.reject_button = QPushButton("Reject")
        self.reject_button.clicked.connect(lambda: self._guard(self.controller.reject))
        self.comment_button = QPushButton("Comment…")
        self.comment_button.clicked.connect(self._comment)
        self.exact_button = QPushButton("Accept all exact matches")
        self.exact_button.clicked.connect(lambda: self._guard(self.controller.accept_exact_matches))
        self.all_of_combo = QComboBox()
        self.all_of_combo.setToolTip("Accept every annotation of this layer in the document")
        self.all_of_button = QPushButton("Accept all of layer")
        self.all_of_button.clicked.connect(self._accept_all_of)

        review_tab = QWidget()
        rl = QVBoxLayout(review_tab)
        rl.setContentsMargins(0, 0, 0, 0)
        # documents | disagreements | the current one side by side, with the decisions
        docs_box = QWidget()
        dl = QVBoxLayout(docs_box)
        dl.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(QLabel("Review status:"))
        top.addWidget(self.status_combo, 1)
        dl.addLayout(top)
        dl.addWidget(self.doc_list, 1)
        dl.addWidget(QLabel("Compare layers:"))
        dl.addWidget(self.layer_list)
        # the decisions run under the items and the detail together, so the detail
        # need not be as wide as five buttons
        work = QWidget()
        xl = QVBoxLayout(work)
        xl.setContentsMargins(0, 0, 0, 0)
        self.inner_split = QSplitter(Qt.Orientation.Horizontal)
        self.inner_split.addWidget(self.tree)
        self.inner_split.addWidget(self.detail)
        self.inner_split.setStretchFactor(0, 3)
        self.inner_split.setStretchFactor(1, 2)
        self.inner_split.setSizes([600, 400])
        xl.addWidget(self.inner_split, 1)
        xl.addLayout(self.buttons)
        bulk = QHBoxLayout()
        bulk.addWidget(self.exact_button)
        bulk.addStretch(1)
        bulk.addWidget(self.all_of_combo)
        bulk.addWidget(self.all_of_button)
        xl.addLayout(bulk)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(docs_box)
        self.split.addWidget(work)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 3)
        self.split.setSizes([300, 900])
        rl.addWidget(self.split, 1)
        self.dockLocationChanged.connect(self._on_area)

        self.agreement_tab = AgreementTab(controller)
        self.agree_table = self.agreement_tab.table
        self.agree_scope = self.agreement_tab.scope

        self.tabs = QTabWidget()
        self.tabs.addTab(review_tab, "Disagreements")
        self.tabs.addTab(self.agreement_tab, "Agreement")
        self.conflicts_tab = ConflictsTab(self.session, notifier)
        self.tabs.addTab(self.conflicts_tab, "Conflicts")
        self.conflicts_tab.countChanged.connect(self._on_conflict_count)
        self._on_conflict_count(len(self.conflicts_tab.conflicts))
        # measured when first looked at, a few releases at a time, never blank
        self.tabs.currentChanged.connect(lambda _i: self._agreement_if_shown())
        self.visibilityChanged.connect(lambda _v: self._agreement_if_shown())
        outer.addWidget(self.tabs, 1)
        self.setWidget(body)

        controller.comparisonChanged.connect(self._fill)
        controller.currentItemChanged.connect(self._on_item_changed)
        self.session.currentDocumentChanged.connect(self._on_current_document)
        self.session.projectReplaced.connect(self._fill_layers)
        controller.layersChanged.connect(self._fill_layers)
        self._fill_layers()

    def _on_conflict_count(self, n: int) -> None:
        index = self.tabs.indexOf(self.conflicts_tab)
        self.tabs.setTabText(index, f"Conflicts ({n})" if n else "Conflicts")

    def _on_area(self, area: Qt.DockWidgetArea) -> None:
        """Side by side in a wide (top/bottom) dock, stacked in a tall (left/right) one."""
        wide = area in (Qt.DockWidgetArea.TopDockWidgetArea, Qt.DockWidgetArea.BottomDockWidgetArea)
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        self.split.setOrientation(orientation)
        self.inner_split.setOrientation(orientation)

    # --- layers --------------------------------------------------------------------------------

    def _fill_layers(self) -> None:
        if self._updating:
            return
        chosen = set(self.controller.layers)
        names = self.controller.annotator_layers()
        shown = [self.layer_list.item(i).text() for i in range(self.layer_list.count())]
        if shown == names:  # only the ticks changed
            self._updating = True
            for i, name in enumerate(names):
                state = Qt.CheckState.Checked if name in chosen else Qt.CheckState.Unchecked
                if self.layer_list.item(i).checkState() != state:
                    self.layer_list.item(i).setCheckState(state)
            self._updating = False
            self._rebuild_buttons()
            return
        self._updating = True
        self.layer_list.clear()
        for name in names:
            it = QListWidgetItem(name)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Checked if name in chosen else Qt.CheckState.Unchecked)
            self.layer_list.addItem(it)
        self._updating = False
        self._rebuild_buttons()

    def _on_layer_checked(self, _item: QListWidgetItem) -> None:
        if self._updating:
            return
        names = [
            self.layer_list.item(i).text()
            for i in range(self.layer_list.count())
            if self.layer_list.item(i).checkState() == Qt.CheckState.Checked
        ]
        self.controller.set_layers(names)
        self._rebuild_buttons()

    def _rebuild_buttons(self) -> None:
        keep = (self.accept_all_button, self.reject_button, self.comment_button)
        while self.buttons.count():
            item = self.buttons.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None and w not in keep:
                w.hide()
                w.setParent(None)
                w.deleteLater()
        self.accept_buttons = {}
        for name in self.controller.layers:
            b = QPushButton(f"Accept {name}")
            b.setObjectName(f"accept_{name}")
            b.clicked.connect(
                lambda _c=False, n=name: self._guard(lambda: self.controller.accept_side(n))
            )
            self.accept_buttons[name] = b
            self.buttons.addWidget(b)
        for b in (self.accept_all_button, self.reject_button, self.comment_button):
            self.buttons.addWidget(b)
        self.all_of_combo.clear()
        self.all_of_combo.addItems(self.controller.layers)

    def sync_layers(self) -> None:
        """Called when the controller's layers were set from outside (e.g. install)."""
        self._fill_layers()

    # --- documents and items ------------------------------------------------------------

    def _agreement_if_shown(self) -> None:
        if self.isVisible() and self.tabs.currentWidget() is self.agreement_tab:
            self.agreement_tab.ensure()

    def _fill(self) -> None:
        cmp = self.controller.comparison
        counts = cmp.per_document() if cmp else {}
        by_kind = (
            {d: group_counts(cmp.by_doc.get(d, [])) for d in counts} if cmp is not None else {}
        )
        self._updating = True
        self.doc_list.fill(self.session.project, counts, by_kind)
        self.doc_list.select_doc(self.session.current_doc_id)
        self._updating = False
        self._fill_tree()
        self._sync_status()

    def _fill_tree(self) -> None:
        cmp = self.controller.comparison
        doc_id = self.session.current_doc_id
        project = self.session.project
        self._updating = True
        items = cmp.document_items(doc_id) if cmp is not None else []
        known = adjudicate.decisions(project, doc_id) if doc_id in project.documents else {}
        self.tree.fill(project, doc_id, items, self.controller.layers, known)
        current = self.controller.current
        row = self.tree.row_of(current.index) if current is not None else None
        if row is not None:
            self.tree.setCurrentItem(row)
        self._updating = False
        self._show_detail()

    def _history_lines(self, item: Item) -> list[str]:
        project = self.session.project
        lines: list[str] = []
        refs = set(item.refs())
        curated = project.layers.get(CURATED_LAYER)
        da = curated.docs.get(item.doc_id) if curated else None
        for ann in da.annotations.values() if da else ():
            if refs & set(adjudicate.parse_refs(ann.provenance.get("sources", ""))):
                lines += [
                    f"curated {ann.id}: {line}"
                    for line in adjudicate.history(project, CURATED_LAYER, ann)
                ]
        for layer, anns in item.members.items():
            for a in anns:
                if a.provenance.get("review_decision") or a.comments:
                    lines += [
                        f"{layer} {a.id}: {line}"
                        for line in adjudicate.history(project, layer, a)[1:]
                    ]
        return lines

    def _on_doc_row(self, current: QModelIndex, _prev: object) -> None:
        doc_id = self.doc_list.doc_id(current)
        if self._updating or not doc_id:
            return
        self.session.set_current_document(doc_id)

    def _on_current_document(self, _doc_id: str) -> None:
        if not self.controller.active:
            return
        self._updating = True
        self.doc_list.select_doc(self.session.current_doc_id)
        self._updating = False
        self._fill_tree()
        self._sync_status()
        self.agreement_tab.document_changed()

    def _on_tree_current(self, current: QTreeWidgetItem | None, _prev: object) -> None:
        if self._updating or current is None or self.controller.comparison is None:
            return
        index = current.data(0, Qt.ItemDataRole.UserRole)
        if isinstance(index, int):  # not a group row
            self.controller.select_item(self.controller.comparison.items[index])

    def _on_item_changed(self, index: int) -> None:
        row = self.tree.row_of(index)
        if row is not None:
            self._updating = True
            group = row.parent()
            if group is not None and not group.isExpanded():
                group.setExpanded(True)
            self.tree.setCurrentItem(row)
            self.tree.scrollToItem(row)
            self._updating = False
        self._show_detail()

    def _show_detail(self) -> None:
        item = self.controller.current
        if item is None:
            self.detail.setHtml("<p>Choose a disagreement (F8 / Shift+F8 step through them).</p>")
            return
        project = self.session.project
        doc = project.documents[item.doc_id]
        text = doc.text
        title = html.escape(KIND_LABELS[item.kind])
        parts = [f"<p><b>{title}</b> in <i>{html.escape(headline(doc))}</i></p><table>"]
        for layer in [*self.controller.layers, CURATED_LAYER]:
            anns = self._members_for(item, layer)
            if layer == CURATED_LAYER and not anns:
                continue
            cells = []
            shown: list[Annotation | None] = [*anns] or [None]
            for a in shown:
                if a is None:
                    cells.append("<i>nothing here</i>")
                    continue
                colour = _tag_colour(project, a.tag)
                ex = annotation_excerpt(text, a, words=8)
                ts = project.tagset
                tt = ts.tag(a.tag) if ts.has_tag(a.tag) else None
                attrs = attribute_summary(tt, dict(a.attributes))
                extra = f" <small>({html.escape(attrs)})</small>" if attrs else ""
                cells.append(
                    f"<b>{html.escape(tag_label(ts, a.tag))}</b>{extra}: "
                    f"{html.escape(ex.before)}"
                    f'<span style="background:{colour}">{html.escape(ex.span)}</span>'
                    f"{html.escape(ex.after)}"
                )
            joined = "<br>".join(cells)
            parts.append(
                f"<tr><td valign='top'><b>{html.escape(layer)}</b></td><td>{joined}</td></tr>"
            )
        parts.append("</table>")
        hist = self._history_lines(item)
        if hist:
            parts.append(
                "<p><b>History</b><br>" + "<br>".join(html.escape(h) for h in hist) + "</p>"
            )
        self.detail.setHtml("".join(parts))

    def _members_for(self, item: Item, layer: str) -> list[Annotation]:
        if layer != CURATED_LAYER:
            return list(item.members.get(layer, []))
        curated = self.session.project.layers.get(CURATED_LAYER)
        da = curated.docs.get(item.doc_id) if curated else None
        refs = set(item.refs())
        return [
            a
            for a in (da.annotations.values() if da else ())
            if refs & set(adjudicate.parse_refs(a.provenance.get("sources", "")))
        ]

    # --- actions --------------------------------------------------------------------------------

    def _guard(self, fn: Callable[[], object]) -> None:
        """A decision from the panel: a refused edit is shown, the panel keeps working."""
        self.notifier.run(fn)

    def _comment(self) -> None:
        layer, ann_id = self.session.selected
        doc_id = self.session.current_doc_id
        if not ann_id:
            return
        text, ok = QInputDialog.getMultiLineText(self, "Comment", f"Comment on {layer} {ann_id}:")
        if ok and text.strip():
            self._guard(lambda: self.controller.add_comment(layer, doc_id, ann_id, text.strip()))

    def _accept_all_of(self) -> None:
        layer = self.all_of_combo.currentText()
        if layer and self.session.current_doc_id:
            self._guard(lambda: self.controller.accept_all_of(layer, self.session.current_doc_id))

    def _sync_status(self) -> None:
        doc = self.session.project.documents.get(self.session.current_doc_id)
        if doc is not None:
            self.status_combo.setCurrentIndex(list(STATUS_LABELS).index(doc.review_status))

    def _on_status(self, index: int) -> None:
        doc_id = self.session.current_doc_id
        if doc_id:
            status = self.status_combo.itemData(index)
            self._guard(lambda: self.controller.set_review_status(doc_id, ReviewStatus(status)))


def _tag_colour(project: Project, tag: str) -> str:
    if project.tagset.has_tag(tag):
        return QColor(project.tagset.tag(tag).color).lighter(140).name()
    return "#dddddd"
