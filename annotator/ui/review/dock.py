"""The review dock: documents with disagreement counts, the disagreement list, the
current item side by side, decision buttons and the agreement table."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.model import CURATED_LAYER, ReviewStatus
from annotator.review import adjudicate
from annotator.review.agreement import ALL
from annotator.review.compare import KIND_LABELS, Item, Kind
from annotator.review.report import MEASURE_LABELS, TOKEN_RULE, fmt, pivot
from annotator.ui.notifier import Notifier
from annotator.ui.review.controller import ReviewController

KIND_COLORS = {
    Kind.EXACT: "#d9f2d9",
    Kind.DETAILS: "#fff3c4",
    Kind.TAG: "#ffd8b0",
    Kind.BOUNDARY: "#ffe9a8",
    Kind.OVERLAP: "#f9c0c0",
    Kind.MISSING: "#e3d4f5",
}

STATUS_LABELS = {
    ReviewStatus.NOT_REVIEWED: "not reviewed",
    ReviewStatus.IN_REVIEW: "in review",
    ReviewStatus.ADJUDICATED: "adjudicated",
}


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
        self._doc_ids: list[str] = []
        self._doc_labels: dict[str, str] = {}

        body = QWidget(self)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(4, 4, 4, 4)

        self.layer_list = QListWidget()
        self.layer_list.setMaximumHeight(80)
        self.layer_list.setToolTip("Layers to compare (two or more)")
        self.layer_list.itemChanged.connect(self._on_layer_checked)

        self.doc_list = QListWidget()
        self.doc_list.setObjectName("reviewDocuments")
        self.doc_list.currentRowChanged.connect(self._on_doc_row)

        self.status_combo = QComboBox()
        for status, label in STATUS_LABELS.items():
            self.status_combo.addItem(label, status)
        self.status_combo.activated.connect(self._on_status)

        self.tree = QTreeWidget()
        self.tree.setObjectName("reviewDisagreements")
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
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
        detail_box = QWidget()
        xl = QVBoxLayout(detail_box)
        xl.setContentsMargins(0, 0, 0, 0)
        xl.addWidget(self.detail, 1)
        xl.addLayout(self.buttons)
        bulk = QHBoxLayout()
        bulk.addWidget(self.exact_button)
        bulk.addWidget(self.all_of_combo)
        bulk.addWidget(self.all_of_button)
        xl.addLayout(bulk)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(docs_box)
        self.split.addWidget(self.tree)
        self.split.addWidget(detail_box)
        self.split.setStretchFactor(1, 3)
        self.split.setStretchFactor(2, 2)
        self.split.setSizes([260, 760, 520])
        rl.addWidget(self.split, 1)
        self.dockLocationChanged.connect(self._on_area)

        self.agree_table = QTableWidget()
        self.agree_table.setObjectName("agreementTable")
        self.agree_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.agree_scope = QComboBox()
        self.agree_scope.addItem("Whole project", "project")
        self.agree_scope.addItem("Current document", "document")
        self.agree_scope.activated.connect(lambda _i: self._fill_agreement())
        agree_tab = QWidget()
        al = QVBoxLayout(agree_tab)
        al.setContentsMargins(0, 0, 0, 0)
        al.addWidget(self.agree_scope)
        al.addWidget(self.agree_table, 1)
        rule = QLabel(TOKEN_RULE)
        rule.setWordWrap(True)
        al.addWidget(rule)

        self.tabs = QTabWidget()
        self.tabs.addTab(review_tab, "Disagreements")
        self.tabs.addTab(agree_tab, "Agreement")
        outer.addWidget(self.tabs, 1)
        self.setWidget(body)

        controller.comparisonChanged.connect(self._fill)
        controller.currentItemChanged.connect(self._on_item_changed)
        controller.agreementChanged.connect(self._fill_agreement)
        self.session.currentDocumentChanged.connect(self._on_current_document)
        self.session.projectReplaced.connect(self._fill_layers)
        controller.layersChanged.connect(self._fill_layers)
        self._fill_layers()

    def _on_area(self, area: Qt.DockWidgetArea) -> None:
        """Side by side in a wide (top/bottom) dock, stacked in a tall (left/right) one."""
        wide = area in (Qt.DockWidgetArea.TopDockWidgetArea, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.split.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)

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
            w = self.buttons.takeAt(0).widget()
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

    def _fill(self) -> None:
        cmp = self.controller.comparison
        counts = cmp.per_document() if cmp else {}
        project = self.session.project
        self._updating = True
        ids = list(project.documents)
        if ids != self._doc_ids:  # documents added or removed: rebuild the list
            self.doc_list.clear()
            self._doc_labels = {}
            for doc_id in ids:
                it = QListWidgetItem()
                it.setData(Qt.ItemDataRole.UserRole, doc_id)
                self.doc_list.addItem(it)
            self._doc_ids = ids
        for row, (doc_id, doc) in enumerate(project.documents.items()):
            n = counts.get(doc_id, 0)
            plural = "s" if n != 1 else ""
            status = STATUS_LABELS[doc.review_status]
            head = doc.meta.headline or doc.text[:40].replace("\n", " ")
            label = f"{doc_id}  {n} disagreement{plural}  [{status}]  {head}"
            if self._doc_labels.get(doc_id) != label:  # relabel only what changed
                it = self.doc_list.item(row)
                it.setText(label)
                it.setForeground(QBrush(QColor("#a03000" if n else "#000000")))
                self._doc_labels[doc_id] = label
        current = self.session.current_doc_id
        self.doc_list.setCurrentRow(ids.index(current) if current in ids else -1)
        self._updating = False
        self._fill_tree()
        self._sync_status()

    def _fill_tree(self) -> None:
        cmp = self.controller.comparison
        doc_id = self.session.current_doc_id
        self._updating = True
        self.tree.clear()
        layers = self.controller.layers
        self.tree.setHeaderLabels(["Class", "Span", *layers, "Decision"])
        if cmp is not None and doc_id in self.session.project.documents:
            text = self.session.project.documents[doc_id].text
            known = adjudicate.decisions(self.session.project, doc_id)
            for item in cmp.document_items(doc_id):
                cells = [KIND_LABELS[item.kind], f"{item.start}–{item.end}"]
                for layer in layers:
                    anns = item.members.get(layer, [])
                    cells.append(
                        "; ".join(f"{a.tag}: {a.covered_text(text)[:40]}" for a in anns) or "—"
                    )
                states = {known.get(r) for r in item.refs()}
                if states == {None}:
                    decision = ""
                elif None in states:
                    decision = "partly decided"
                else:
                    decision = ", ".join(sorted(s for s in states if s))
                cells.append(decision)
                row = QTreeWidgetItem(cells)
                row.setData(0, Qt.ItemDataRole.UserRole, item.index)
                for col in range(len(cells)):
                    row.setBackground(col, QBrush(QColor(KIND_COLORS[item.kind])))
                row.setToolTip(0, "\n".join(self._history_lines(item)) or KIND_LABELS[item.kind])
                self.tree.addTopLevelItem(row)
                if (
                    self.controller.current is not None
                    and self.controller.current.index == item.index
                ):
                    self.tree.setCurrentItem(row)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(col)
            if 2 <= col < 2 + len(layers):  # covered texts: enough to read, not the whole line
                self.tree.setColumnWidth(col, min(self.tree.columnWidth(col), 200))
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

    def _on_doc_row(self, row: int) -> None:
        if self._updating or row < 0:
            return
        doc_id = self.doc_list.item(row).data(Qt.ItemDataRole.UserRole)
        self.session.set_current_document(doc_id)

    def _on_current_document(self, _doc_id: str) -> None:
        if not self.controller.active:
            return
        for row in range(self.doc_list.count()):
            if (
                self.doc_list.item(row).data(Qt.ItemDataRole.UserRole)
                == self.session.current_doc_id
            ):
                self._updating = True
                self.doc_list.setCurrentRow(row)
                self._updating = False
        self._fill_tree()
        self._sync_status()
        if self.agree_scope.currentData() == "document":
            self._fill_agreement()

    def _on_tree_current(self, current: QTreeWidgetItem | None, _prev: object) -> None:
        if self._updating or current is None or self.controller.comparison is None:
            return
        index = current.data(0, Qt.ItemDataRole.UserRole)
        self.controller.select_item(self.controller.comparison.items[index])

    def _on_item_changed(self, index: int) -> None:
        self._updating = True
        for i in range(self.tree.topLevelItemCount()):
            row = self.tree.topLevelItem(i)
            if row.data(0, Qt.ItemDataRole.UserRole) == index:
                self.tree.setCurrentItem(row)
                break
        self._updating = False
        self._show_detail()

    def _show_detail(self) -> None:
        item = self.controller.current
        if item is None:
            self.detail.setHtml("<p>Choose a disagreement (F8 / Shift+F8 step through them).</p>")
            return
        project = self.session.project
        text = project.documents[item.doc_id].text
        lo, hi = max(0, item.start - 60), min(len(text), item.end + 60)
        title = html.escape(KIND_LABELS[item.kind])
        parts = [f"<p><b>{title}</b> in {html.escape(item.doc_id)}</p><table>"]
        for layer in [*self.controller.layers, CURATED_LAYER]:
            anns = self._members_for(item, layer)
            if layer == CURATED_LAYER and not anns:
                continue
            cells = []
            for a in anns or [None]:
                if a is None:
                    cells.append("<i>nothing here</i>")
                    continue
                colour = _tag_colour(project, a.tag)
                marks = sorted((f.start, f.end) for f in a.fragments)
                out, pos = [], lo
                for s, e in marks:
                    s, e = max(s, lo), min(e, hi)
                    out.append(html.escape(text[pos:s]))
                    out.append(f'<span style="background:{colour}">{html.escape(text[s:e])}</span>')
                    pos = e
                out.append(html.escape(text[pos:hi]))
                attrs = ", ".join(
                    f"{k}={v if isinstance(v, str) else '+'.join(v)}"
                    for k, v in a.attributes.items()
                )
                extra = f" <small>({html.escape(attrs)})</small>" if attrs else ""
                cells.append(f"<b>{html.escape(a.tag)}</b>{extra}: …{''.join(out)}…")
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

    def _members_for(self, item: Item, layer: str) -> list:  # type: ignore[type-arg]
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

    # --- agreement table ------------------------------------------------------------------

    def _fill_agreement(self) -> None:
        if self.agree_scope.currentData() == "document":
            report = self.controller.document_agreement(self.session.current_doc_id)
        else:
            report = self.controller.agreement
        self.agree_table.clear()
        if report is None:
            self.agree_table.setRowCount(0)
            self.agree_table.setColumnCount(0)
            return
        columns, rows, attrs = pivot(report)
        heads = ["Measure", "Layers", *("all tags" if c == ALL else c for c in columns)]
        self.agree_table.setColumnCount(len(heads))
        self.agree_table.setHorizontalHeaderLabels(heads)
        body = [[MEASURE_LABELS.get(m, m), lay, *(fmt(v) for v in vals)] for m, lay, vals in rows]
        body += [[f"{MEASURE_LABELS.get(m, m)} {key}", lay, fmt(v)] for m, lay, key, v, _n in attrs]
        self.agree_table.setRowCount(len(body))
        for r, cells in enumerate(body):
            for c, value in enumerate(cells):
                cell = QTableWidgetItem(value)
                if c >= 2:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.agree_table.setItem(r, c, cell)
        self.agree_table.resizeColumnsToContents()


def _tag_colour(project, tag: str) -> str:  # type: ignore[no-untyped-def]
    if project.tagset.has_tag(tag):
        return QColor(project.tagset.tag(tag).color).lighter(140).name()
    return "#dddddd"
