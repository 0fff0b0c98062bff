"""The review mode's logic in the GUI: comparison state, navigation and decisions.

Widgets call these methods; every change goes through ``session.execute`` with
a core command from :mod:`annotator.review.adjudicate` or
:mod:`annotator.review.merge`, so undo, redo and saving work as for any edit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

from annotator.model import CURATED_LAYER, AddComment, Change, Command, LayerKind, ReviewStatus
from annotator.review import adjudicate
from annotator.review.agreement import AgreementBuilder, AgreementReport, agreement_report
from annotator.review.compare import Comparison, Item, compare_layers
from annotator.review.conflicts import is_theirs_layer
from annotator.review.merge import MergeProjects, MergeReport
from annotator.review.presentation import group_rank
from annotator.ui.session import ProjectSession


@contextmanager
def _busy() -> Iterator[None]:
    """A wait cursor while a whole-project computation runs (seconds on 10,000 releases)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


class ReviewController(QObject):
    """Holds the compared layers, the current comparison and the current item."""

    comparisonChanged = Signal()
    layersChanged = Signal()
    currentItemChanged = Signal(int)  # item index, -1 for none
    #: the user (or F8) chose an item: the text view scrolls to it
    itemSelected = Signal(object)
    agreementChanged = Signal()
    agreementProgress = Signal(int, int)  # releases measured, releases in all
    #: (builder, report or the error it raised) from the thread that sums up the figures
    _figuresReady = Signal(object, object)

    #: how long one turn of the whole-project measurement may hold the event loop
    SLICE_SECONDS = 0.03

    def __init__(self, session: ProjectSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.layers: list[str] = []
        self.comparison: Comparison | None = None
        self.current: Item | None = None
        self.agreement: AgreementReport | None = None
        self.active = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self._refresh_pending)
        self._pending_docs: set[str] = set()
        self._pending_all = False
        self._builder: AgreementBuilder | None = None
        self._agree_timer = QTimer(self)
        self._agree_timer.setInterval(0)
        self._agree_timer.timeout.connect(self._agreement_slice)
        self._figuresReady.connect(self._on_figures)  # queued: emitted from the worker
        session.annotationsChanged.connect(self._on_changed)
        session.projectReplaced.connect(self._on_project)
        session.selectionChanged.connect(self._on_selection)

    # --- layers and comparison ------------------------------------------------------------

    def annotator_layers(self) -> list[str]:
        """Layers to compare: annotators' own, not the ``~theirs`` records of a merge."""
        project = self.session.project
        return [
            n
            for n, lay in project.layers.items()
            if lay.kind is LayerKind.ANNOTATOR and not is_theirs_layer(n)
        ]

    def default_layers(self) -> list[str]:
        """Every annotator layer that holds annotations (at least two if there are two)."""
        names = [n for n in self.annotator_layers() if self.session.project.layers[n].docs]
        names = [n for n in names if self.session.project.layers[n].annotation_count()]
        return names if len(names) >= 2 else self.annotator_layers()

    def start(self, layers: list[str] | None = None) -> None:
        """Enter review mode: compare ``layers`` and show them overlaid in the text view."""
        self.active = True
        self.set_layers(layers if layers is not None else self.default_layers())

    def stop(self) -> None:
        self.active = False

    def set_layers(self, layers: list[str]) -> None:
        self.layers = list(layers)
        for name in [*self.layers, CURATED_LAYER]:
            if name in self.session.project.layers:
                self.session.set_layer_visible(name, True)
        self._forget_agreement()
        self.layersChanged.emit()
        self.refresh()
        self.agreementChanged.emit()

    def _comparable(self) -> bool:
        names = self.session.project.layers
        return len(self.layers) >= 2 and all(n in names for n in self.layers)

    def refresh(self, documents: list[str] | None = None) -> None:
        """Recompute the comparison (only ``documents`` when given), keep the current item."""
        key = None
        if self.current is not None:
            key = (self.current.doc_id, tuple(sorted(self.current.refs())))
        if not self._comparable():
            self.comparison = None
        elif documents is not None and self.comparison is not None:
            self.comparison.update(self.session.project, documents)
        else:
            with _busy():
                self.comparison = compare_layers(self.session.project, self.layers)
        self.current = None
        if key is not None and self.comparison is not None:
            refs = key[1]
            for item in self.comparison.document_items(key[0]):
                if refs and refs[0] in item.refs():
                    self.current = item
                    break
        self.comparisonChanged.emit()
        self.currentItemChanged.emit(self.current.index if self.current else -1)

    def refresh_agreement(self) -> None:
        """Measure the whole project now, waiting for it (an export needs the figures)."""
        self._forget_agreement()
        if self._comparable():
            with _busy():
                self.agreement = agreement_report(self.session.project, self.layers)
        self.agreementChanged.emit()

    @property
    def measuring(self) -> bool:
        return self._builder is not None

    def start_agreement(self) -> None:
        """Measure the whole project a slice at a time (``agreementProgress``, then
        ``agreementChanged``); nothing happens with fewer than two layers."""
        self._forget_agreement()
        if not self._comparable():
            return
        self._builder = AgreementBuilder(self.session.project, self.layers)
        self.agreementProgress.emit(0, len(self._builder.doc_ids))
        self._agree_timer.start()

    def _agreement_slice(self) -> None:
        builder = self._builder
        if builder is None:
            self._agree_timer.stop()
            return
        deadline = time.perf_counter() + self.SLICE_SECONDS
        builder.run(1)  # at least one release per turn, however slow
        while not builder.finished and time.perf_counter() < deadline:
            builder.run(1)
        self.agreementProgress.emit(builder.done, len(builder.doc_ids))
        if builder.finished:
            # the project-wide figures (α_U over every release laid end to end) take
            # seconds on 10,000 releases: a worker sums them up from the builder's own
            # totals, which nothing else touches, while the window keeps answering
            self._agree_timer.stop()
            threading.Thread(
                target=self._sum_up, args=(builder,), name="agreement figures", daemon=True
            ).start()

    def cancel_agreement(self) -> None:
        """Stop measuring (the Agreement tab's Cancel): nothing is measured until asked again."""
        self._forget_agreement()

    def _sum_up(self, builder: AgreementBuilder) -> None:
        try:
            result: object = builder.report()
        except Exception as err:  # handed to the UI thread, which raises it there
            result = err
        self._figuresReady.emit(builder, result)

    def _on_figures(self, builder: AgreementBuilder, result: object) -> None:
        if builder is not self._builder:
            return  # measured for layers or annotations that have changed since
        self._builder = None
        if isinstance(result, Exception):
            raise result
        assert isinstance(result, AgreementReport)
        self.agreement = result
        self.agreementChanged.emit()

    def _forget_agreement(self) -> None:
        self._agree_timer.stop()
        self._builder = None
        self.agreement = None

    def document_agreement(self, doc_id: str) -> AgreementReport | None:
        if len(self.layers) < 2 or doc_id not in self.session.project.documents:
            return None
        return agreement_report(self.session.project, self.layers, documents=[doc_id])

    def _on_changed(self, change: Change) -> None:
        if self.agreement is not None or self._builder is not None:
            # the figures (or those being measured) no longer hold: whoever shows them
            # measures again
            self._forget_agreement()
            self.agreementChanged.emit()
        if not self.active:
            return
        if change.doc_id:
            self._pending_docs.add(change.doc_id)
        else:
            self._pending_all = True
        self._timer.start()

    def _refresh_pending(self) -> None:
        docs, everything = sorted(self._pending_docs), self._pending_all
        self._pending_docs, self._pending_all = set(), False
        if everything or self.comparison is None:
            self.refresh()
        elif docs:
            self.refresh(docs)

    def _on_project(self) -> None:
        self.current = None
        self._forget_agreement()
        if self.active:
            self.set_layers([n for n in self.layers if n in self.session.project.layers])

    # --- navigation -------------------------------------------------------------------------

    def disagreements(self) -> list[Item]:
        return self.comparison.disagreements() if self.comparison else []

    def select_item(self, item: Item | None) -> None:
        self.current = item
        if item is not None:
            self.session.set_current_document(item.doc_id)
            layer, ann_id = self._preferred_ref(item)
            self.session.select(layer, ann_id)
        self.currentItemChanged.emit(item.index if item else -1)
        if item is not None:
            self.itemSelected.emit(item)

    def _preferred_ref(self, item: Item) -> tuple[str, str]:
        curated = self.session.project.layers.get(CURATED_LAYER)
        if curated is not None:
            da = curated.docs.get(item.doc_id)
            refs = set(item.refs())
            for ann in da.annotations.values() if da else ():
                if refs & set(adjudicate.parse_refs(ann.provenance.get("sources", ""))):
                    return CURATED_LAYER, ann.id
        return item.refs()[0]

    def _on_selection(self, layer: str, ann_id: str) -> None:
        """A click on an annotation elsewhere (text view, lists) shows its item here."""
        if not self.active or self.comparison is None or not ann_id:
            return
        refs = [(layer, ann_id)]
        if layer == CURATED_LAYER:
            da = self.session.project.layers[CURATED_LAYER].docs.get(self.session.current_doc_id)
            ann = da.annotations.get(ann_id) if da else None
            refs = adjudicate.parse_refs(ann.provenance.get("sources", "")) if ann else []
        self.comparison.items  # noqa: B018 -- indices current
        for ref in refs:
            item = self.comparison.item_of.get(ref)
            if item is not None:
                if item is not self.current:
                    self.current = item
                    self.currentItemChanged.emit(item.index)
                return

    def step(self, forward: bool = True) -> Item | None:
        """Select the next (or previous) disagreement, wrapping, in the order the dock
        lists them: release by release, in each the groups worst first, each group in
        reading order."""
        items = self.disagreements()
        if not items:
            self.select_item(None)
            return None
        rank = {d: i for i, d in enumerate(self.session.project.documents)}

        def key(it: Item) -> tuple[int, int, int]:
            return rank.get(it.doc_id, len(rank)), group_rank(it.kind), it.index

        ordered = sorted(items, key=key)
        if self.current is not None:
            here = key(self.current)
        else:  # from the start of the release on screen
            here = (rank.get(self.session.current_doc_id, 0), -1, -1)
        if forward:
            nxt = next((it for it in ordered if key(it) > here), ordered[0])
        else:
            nxt = next((it for it in reversed(ordered) if key(it) < here), ordered[-1])
        self.select_item(nxt)
        return nxt

    # --- decisions --------------------------------------------------------------------------

    def _execute(self, command: Command) -> None:
        self.session.execute(command)
        self._timer.stop()
        doc = self.current.doc_id if self.current else self.session.current_doc_id
        docs = self._pending_docs | ({doc} if doc else set())
        everything = self._pending_all or self.comparison is None
        self._pending_docs, self._pending_all = set(), False
        self.refresh(None if everything else sorted(docs))
        if self.current is not None:
            # after an accept the curated copy is selected, ready for the normal edits
            self.session.select(*self._preferred_ref(self.current))

    def _decide(self, doc_id: str, command: Command) -> None:
        self._execute(adjudicate.starting_review(self.session.project, doc_id, command))

    def accept_side(self, layer: str) -> None:
        if self.current is not None:
            item = self.current
            self._decide(item.doc_id, adjudicate.accept_side(item, layer, self.session.user))

    def accept_all_sides(self) -> None:
        if self.current is not None:
            item = self.current
            self._decide(item.doc_id, adjudicate.accept_both(item, self.session.user))

    def reject(self) -> None:
        if self.current is not None:
            item = self.current
            self._decide(item.doc_id, adjudicate.reject_item(item, self.session.user))

    def accept_exact_matches(self, doc_id: str | None = None) -> int:
        if self.comparison is None:
            return 0
        macro = adjudicate.accept_exact_matches(
            self.session.project, self.comparison, self.session.user, doc_id
        )
        if macro.commands:
            touched = [
                c.doc_id for c in macro.commands if isinstance(c, adjudicate.AcceptAnnotation)
            ]
            self._execute(adjudicate.starting_reviews(self.session.project, touched, macro))
        return len(macro.commands)

    def accept_all_of(self, layer: str, doc_id: str) -> int:
        macro = adjudicate.accept_all_of(self.session.project, layer, doc_id, self.session.user)
        if macro.commands:
            self._decide(doc_id, macro)
        return len(macro.commands)

    def set_review_status(self, doc_id: str, status: ReviewStatus) -> None:
        if self.session.project.document(doc_id).review_status is not status:
            self._execute(adjudicate.set_review_status(doc_id, status))

    def add_comment(self, layer: str, doc_id: str, ann_id: str, text: str) -> None:
        self._execute(AddComment(layer, doc_id, ann_id, text, self.session.user))

    # --- merging ------------------------------------------------------------------------------

    def merge_file(
        self, path: str | Path, ask_reanchor: Callable[[MergeReport], bool] | None = None
    ) -> MergeReport:
        """Merge a colleague's project file into the open project (one undo step)."""
        from annotator.formats.project_xml import load_project

        theirs, _sha = load_project(path)
        cmd = MergeProjects(theirs)
        self.session.execute(cmd)
        report = cmd.report
        if report.documents_differing and ask_reanchor is not None and ask_reanchor(report):
            self.session.undo_stack.undo()
            cmd = MergeProjects(theirs, reanchor=True)
            self.session.execute(cmd)
            report = cmd.report
        self._after_merge(report)
        return report

    def _after_merge(self, report: MergeReport) -> None:
        """Their new layers join the comparison at once."""
        added = [n for n in report.layers_added if n in self.annotator_layers()]
        if self.active and added:
            self.set_layers(self.default_layers())
        else:
            self.refresh()

    def merge_from_disk(self) -> MergeReport | None:
        """The file changed on disk while open: merge its changes instead of overwriting them."""
        from annotator.formats.project_xml import load_project

        path = self.session.path
        if path is None:
            return None
        theirs, sha = load_project(path)
        cmd = MergeProjects(theirs)
        self.session.execute(cmd)
        # what is on disk is now part of this project: the next save may replace it
        self.session.disk_sha256 = sha
        self.session.fileStateChanged.emit()
        self._after_merge(cmd.report)
        return cmd.report
