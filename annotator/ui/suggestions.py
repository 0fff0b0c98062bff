"""Suggestions in the text view: computed in the background, drawn apart, taken with one key.

The suggesters and the filtering are the core's (:mod:`annotator.assist.run`, the
path ``annotator suggest`` takes too); this module only runs them for the release
on screen and lets the user act on the result:

* the release's suggestions are computed on a worker thread, never in the event
  loop. Every edit of the release or of the user's layer (the learned suggester's
  evidence), another release, another project or a switched suggester starts a new
  *generation*; a result of an older generation is dropped, never shown;
* each suggestion is painted over the visible lines as a dashed outline in its
  tag's colour with no fill, unlike an annotation (background and underline); the
  current one has a heavier outline. Hovering names the tag, the suggester and why;
* Tab / Shift+Tab go to the next / previous suggestion, Enter accepts it, Backspace
  rejects it, Ctrl+Enter accepts every suggestion of its tag in this release. These
  keys are live only while suggestions are shown in the text, so Tab moves the
  focus as usual otherwise. Accepting is the core's one undoable command
  (``AddProposals``, provenance naming the suggester) run through the notifier's
  one error rule; rejecting is kept in the rejections file beside the project.

Tools ▸ Suggestions switches the whole feature and each suggester on and off;
both are remembered in the settings.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QPainter, QPen, QTextCursor
from PySide6.QtWidgets import QMenu

from annotator.assist.learned import LearnedSuggester
from annotator.assist.rejections import (
    Rejection,
    Rejections,
    load_rejections,
    rejection_of,
    save_rejections,
)
from annotator.assist.run import (
    SUGGESTER_NAMES,
    accept_command,
    default_suggesters,
    layer_annotations,
    suggest_document,
)
from annotator.assist.suggestion import Suggester, Suggestion
from annotator.model import Change, Command, Macro, Project, SetStatus, Status
from annotator.model.commands import utc_now
from annotator.ui import keymap, settings
from annotator.ui.highlight_index import block_starts
from annotator.ui.text_paint import line_pieces

if TYPE_CHECKING:
    from annotator.ui.notifier import Notifier
    from annotator.ui.session import ProjectSession
    from annotator.ui.text_view import TextView

#: what the Tools ▸ Suggestions menu calls each suggester
SUGGESTER_LABELS = {
    "learned": "Learned from Your Tags",
    "appeal-cues": "Appeal Cues",
    "named-people": "Named People",
    "authority-lexicon": "Authority Lexicon",
    "victim-lexicon": "Victim Lexicon",
}
#: a burst of edits (tagging word after word) asks for one computation, not one per edit
DEBOUNCE_MS = 120

SHOWN_KEY = "assist/shown"
OFF_KEY = "assist/off"


def shown_setting() -> bool:
    """Whether suggestions are shown (off until the user turns them on)."""
    value = settings.app_settings().value(SHOWN_KEY, False)
    return value in (True, "true", "1", 1)


def off_setting() -> set[str]:
    """The suggesters the user switched off."""
    value = settings.app_settings().value(OFF_KEY, [])
    names = value if isinstance(value, list) else [value]
    return {str(n) for n in names if n in SUGGESTER_NAMES}


def _key(action_id: str) -> str:
    """The action's first key as the user reads it on the keyboard ("Enter", not "Return")."""
    return keymap.first_key(action_id).replace("Return", "Enter")


def _keys() -> str:
    return (
        f"{_key('suggest.accept')} accepts, {_key('suggest.reject')} rejects, "
        f"{_key('suggest.next')} goes on."
    )


@dataclass(frozen=True, slots=True)
class _Result:
    generation: int
    doc_id: str
    suggestions: list[Suggestion]
    #: what went wrong on the worker (raised in the event loop if the result is not stale)
    error: Exception | None = None


class _Worker:
    """Runs one release's suggesters off the event loop, one job at a time.

    Lives on its own thread: the fixed suggesters (lexicons, cue rules) are built
    once, the learned one again only when the user's layer changed since.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="suggest")
        self._fixed: dict[str, Suggester] = {}
        self._learned: tuple[int, LearnedSuggester] | None = None

    def submit(
        self,
        generation: int,
        project: Project,
        doc_id: str,
        layer: str,
        names: Sequence[str],
        rejections: Rejections,
        evidence_version: int,
        done: Callable[[Future[_Result]], None],
    ) -> None:
        job = self._pool.submit(
            self._run, generation, project, doc_id, layer, names, rejections, evidence_version
        )
        job.add_done_callback(done)

    def _run(
        self,
        generation: int,
        project: Project,
        doc_id: str,
        layer: str,
        names: Sequence[str],
        rejections: Rejections,
        evidence_version: int,
    ) -> _Result:
        try:
            return self._suggest(
                generation, project, doc_id, layer, names, rejections, evidence_version
            )
        except Exception as err:  # handed to the event loop, which decides: stale or a bug
            return _Result(generation, doc_id, [], err)

    def _suggest(
        self,
        generation: int,
        project: Project,
        doc_id: str,
        layer: str,
        names: Sequence[str],
        rejections: Rejections,
        evidence_version: int,
    ) -> _Result:
        if not self._fixed:
            fixed = [n for n in SUGGESTER_NAMES if n != "learned"]
            self._fixed = {s.name: s for s in default_suggesters(project, layer, fixed)}
        chosen: list[Suggester] = []
        for name in SUGGESTER_NAMES:
            if name not in names:
                continue
            if name == "learned":
                if self._learned is None or self._learned[0] != evidence_version:
                    learned = LearnedSuggester(layer_annotations(project, layer))
                    self._learned = (evidence_version, learned)
                chosen.append(self._learned[1])
            else:
                chosen.append(self._fixed[name])
        if doc_id not in project.documents:
            return _Result(generation, doc_id, [])
        found = suggest_document(project, doc_id, layer, chosen, rejections)
        return _Result(generation, doc_id, found)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class Suggestions(QObject):
    """The suggestions of the release on screen, their keys, menu and paint."""

    #: the suggestions shown, or the current one, changed
    changed = Signal()
    _finished = Signal(object)  # a worker's Future, handed to the event loop

    def __init__(
        self,
        session: ProjectSession,
        text_view: TextView,
        notifier: Notifier,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.view = text_view
        self.notifier = notifier
        self.shown = shown_setting()
        self.off = off_setting()
        self.items: list[Suggestion] = []
        self.current_key = ""
        self.doc_id = ""
        self._text = ""  # the text the items were computed on
        self._by_block: dict[int, list[tuple[int, int, int]]] = {}
        self.generation = 0
        self.computing = False
        self._running = False  # a job is on the worker
        self._again = False  # and another was asked for meanwhile
        self._evidence_version = 0
        self.rejections = Rejections()
        self._unsaved: list[Rejection] = []  # rejections made before the project had a file
        self._paused = False  # correcting text: Enter and Backspace type
        self._worker = _Worker()
        self._finished.connect(self._on_finished)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start)

        self.actions = self._make_actions()
        text_view.suggestion_overlay = self
        session.projectReplaced.connect(self._on_project_replaced)
        session.tagsetChanged.connect(self._on_project_replaced)  # tags the suggesters name
        session.currentDocumentChanged.connect(self._on_document_changed)
        session.annotationsChanged.connect(self._on_annotations_changed)
        session.fileStateChanged.connect(self._save_pending_rejections)
        self.destroyed.connect(self._worker.shutdown)
        self._load_rejections()
        self._sync_actions()
        self.refresh()

    # --- actions and menu ------------------------------------------------------------

    def _make_actions(self) -> dict[str, QAction]:
        view = self.view
        made: dict[str, QAction] = {}
        slots: dict[str, Callable[[], None]] = {
            "suggest.next": lambda: self.step(1),
            "suggest.previous": lambda: self.step(-1),
            "suggest.accept": self.accept,
            "suggest.reject": self.reject,
            "suggest.accept_all": self.accept_all,
        }
        shown = keymap.bind(QAction(keymap.label("suggest.shown"), view), "suggest.shown")
        shown.setCheckable(True)
        shown.setChecked(self.shown)
        shown.setStatusTip("Show suggested annotations in the text (dashed outlines)")
        shown.triggered.connect(self.set_shown)
        view.addAction(shown)  # a window key (the keymap's): works wherever the focus is
        made["suggest.shown"] = shown
        for action_id, slot in slots.items():
            action = keymap.bind(QAction(keymap.label(action_id), view), action_id)
            action.setStatusTip(keymap.label(action_id))
            action.triggered.connect(lambda _c=False, run=slot: run())
            view.addAction(action)  # the text's keys: live only while it has the focus
            made[action_id] = action
        every = QAction("Suggest in Every Release…", view)
        every.setStatusTip(
            "Run the suggesters over the whole project and add what they find to your "
            "layer as one step (Ctrl+Z takes it back)"
        )
        every.triggered.connect(lambda _c=False: self.suggest_every_release())
        made["suggest.every_release"] = every
        for name in SUGGESTER_NAMES:
            toggle = QAction(SUGGESTER_LABELS[name], view)
            toggle.setCheckable(True)
            toggle.setChecked(name not in self.off)
            toggle.setStatusTip(f"Suggestions from the suggester “{name}”")
            toggle.triggered.connect(lambda on, n=name: self.set_suggester(n, on))
            made[f"suggester.{name}"] = toggle
        return made

    def fill_menu(self, menu: QMenu) -> None:
        """Tools ▸ Suggestions: on/off, each suggester, and the keys that act on them."""
        a = self.actions
        menu.addAction(a["suggest.shown"])
        menu.addSeparator()
        for name in SUGGESTER_NAMES:
            menu.addAction(a[f"suggester.{name}"])
        menu.addSeparator()
        for action_id in (
            "suggest.next",
            "suggest.previous",
            "suggest.accept",
            "suggest.reject",
            "suggest.accept_all",
        ):
            menu.addAction(a[action_id])
        menu.addSeparator()
        menu.addAction(a["suggest.every_release"])

    def suggest_every_release(self) -> int:
        """The suggesters over every release, as one step (see :mod:`.suggest_all`)."""
        from annotator.ui.suggest_all import suggest_every_release

        return suggest_every_release(self.session, self.notifier, self.names, self.rejections)

    def _sync_actions(self) -> None:
        live = self.shown and not self._paused and bool(self.items)
        for action_id in ("suggest.next", "suggest.previous"):
            self.actions[action_id].setEnabled(live)
        acting = live and self.current() is not None
        for action_id in ("suggest.accept", "suggest.reject", "suggest.accept_all"):
            self.actions[action_id].setEnabled(acting)
        for name in SUGGESTER_NAMES:
            self.actions[f"suggester.{name}"].setEnabled(self.shown)

    # --- switching ---------------------------------------------------------------------

    def set_shown(self, on: bool) -> None:
        self.shown = bool(on)
        self.actions["suggest.shown"].setChecked(self.shown)
        settings.set_value(SHOWN_KEY, self.shown)
        if not self.shown:
            self.notifier.status("Suggestions hidden.")
        self.refresh()

    def set_suggester(self, name: str, on: bool) -> None:
        if on:
            self.off.discard(name)
        else:
            self.off.add(name)
        self.actions[f"suggester.{name}"].setChecked(on)
        settings.set_value(OFF_KEY, sorted(self.off))
        self.refresh()

    def set_paused(self, paused: bool) -> None:
        """While the text is corrected, Enter and Backspace type: the keys pause."""
        self._paused = paused
        self.refresh()

    @property
    def names(self) -> list[str]:
        return [n for n in SUGGESTER_NAMES if n not in self.off]

    # --- computing -------------------------------------------------------------------

    def refresh(self) -> None:
        """Ask for this release's suggestions again; what is computing now goes stale."""
        self.generation += 1
        doc_id = self.session.current_doc_id
        if not self.shown or self._paused or not doc_id or not self.names:
            self._timer.stop()
            self.computing = False
            self._set_items("", "", [])
            return
        if doc_id != self.doc_id:
            self._set_items("", "", [])  # another release's boxes never stay on screen
        self._timer.start()

    @property
    def busy(self) -> bool:
        """A computation is waiting or running (its result not shown yet)."""
        return self._timer.isActive() or self.computing

    def _start(self) -> None:
        s = self.session
        doc_id = s.current_doc_id
        if not doc_id or doc_id not in s.project.documents:
            self.computing = False
            return
        self.computing = True
        if self._running:
            # one job at a time: the newest request starts when this one ends (a burst of
            # edits on a large project never queues one computation per edit)
            self._again = True
            return
        self._running = True
        self._worker.submit(
            self.generation,
            s.project,
            doc_id,
            s.layer,
            self.names,
            Rejections(list(self.rejections.items)),
            self._evidence_version,
            self._hand_over,
        )

    def _hand_over(self, job: Future[_Result]) -> None:
        """On the worker thread: pass the result to the event loop (Qt queues the signal)."""
        # a RuntimeError: the window closed while the job ran, nobody is waiting for it
        with contextlib.suppress(RuntimeError):
            self._finished.emit(job)

    def _on_finished(self, job: Future[_Result]) -> None:
        self._running = False
        if self._again:
            self._again = False
            self._start()
        if job.cancelled():
            return
        result = job.result()
        if result.generation != self.generation or result.doc_id != self.session.current_doc_id:
            # stale: a newer computation is on its way (an error of a stale job is the
            # project changing under the worker, and its result is dropped anyway)
            return
        self.computing = False
        if result.error is not None:
            raise result.error  # on the release as it still is: a bug, never hidden
        doc = self.session.project.documents.get(result.doc_id)
        self._set_items(result.doc_id, doc.text if doc is not None else "", result.suggestions)

    def _set_items(self, doc_id: str, text: str, items: list[Suggestion]) -> None:
        previous = self.current()
        self.doc_id, self._text, self.items = doc_id, text, list(items)
        keys = [s.key for s in self.items]
        if self.current_key not in keys:
            # the one after the place the user was at, so Enter, Enter… walks on
            after = previous.start if previous is not None else -1
            nxt = next((s for s in self.items if s.start >= after), None)
            self.current_key = nxt.key if nxt is not None and previous is not None else ""
        self._index_blocks()
        self._sync_actions()
        self.view.viewport().update()
        self.changed.emit()

    def _index_blocks(self) -> None:
        self._by_block = {}
        if not self.items:
            return
        starts = block_starts(self._text)
        from bisect import bisect_right

        for k, sug in enumerate(self.items):
            for f in sug.fragments:
                b0 = bisect_right(starts, f.start) - 1
                b1 = bisect_right(starts, max(f.start, f.end - 1)) - 1
                for b in range(b0, b1 + 1):
                    bs = starts[b]
                    be = starts[b + 1] - 1 if b + 1 < len(starts) else len(self._text)
                    s, e = max(f.start, bs), min(f.end, be)
                    if s < e:
                        self._by_block.setdefault(b, []).append((s, e, k))

    # --- the session's news ------------------------------------------------------------

    def _on_project_replaced(self) -> None:
        self._evidence_version += 1
        self.current_key = ""
        self._load_rejections()
        self.refresh()

    def _on_document_changed(self, _doc_id: str) -> None:
        self.current_key = ""
        self.refresh()

    def _on_annotations_changed(self, change: Change) -> None:
        s = self.session
        if change.layer in ("", s.layer) and (change.layer or not change.text_changed):
            self._evidence_version += 1  # the learned suggester learns from this layer
        if change.doc_id and change.doc_id == self.doc_id and change.text_changed:
            self._set_items("", "", [])  # offsets moved: no box may stand on the old ones
        if change.doc_id in ("", s.current_doc_id) or change.layer == s.layer:
            self.refresh()

    # --- rejections ---------------------------------------------------------------------

    def _load_rejections(self) -> None:
        path = self.session.path
        self._unsaved = []
        if path is None:
            self.rejections = Rejections()
            return
        loaded = self.notifier.run(
            lambda: load_rejections(path, self.session.layer), "Rejected suggestions"
        )
        self.rejections = loaded if loaded is not None else Rejections()

    def _save_pending_rejections(self) -> None:
        path = self.session.path
        if path is None or not self._unsaved:
            return
        pending, self._unsaved = self._unsaved, []
        self.notifier.run(
            lambda: save_rejections(path, self.session.layer, pending), "Rejected suggestions"
        )

    # --- acting on the current suggestion ----------------------------------------------

    def current(self) -> Suggestion | None:
        return next((s for s in self.items if s.key == self.current_key), None)

    def _live(self) -> bool:
        return self.shown and self.doc_id == self.view.doc_id and self._text is self.view.text

    def step(self, delta: int) -> None:
        """Tab / Shift+Tab: the next or previous suggestion, scrolled into view."""
        if not self._live() or not self.items:
            return
        cur = self.current()
        if cur is not None:
            k = (self.items.index(cur) + delta) % len(self.items)
        else:
            pos = self.view.cursor_cp()
            after = [k for k, s in enumerate(self.items) if s.start >= pos]
            if delta > 0:
                k = after[0] if after else 0
            else:
                k = (after[0] - 1) if after else len(self.items) - 1
        self._make_current(self.items[k])

    def _make_current(self, sug: Suggestion | None) -> None:
        self.current_key = sug.key if sug is not None else ""
        self._sync_actions()
        if sug is not None:
            view = self.view
            c = QTextCursor(view.document())
            c.setPosition(view.offsets.to_utf16(sug.start))
            view.setTextCursor(c)
            view.ensureCursorVisible()
            n = self.items.index(sug) + 1
            # the keys first: a narrow window's status bar cuts the end off
            self.notifier.status(
                f"{_keys()} Suggested {self._tag_label(sug.tag)}"
                f" “{sug.covered_text(self._text)[:40]}” ({n} of {len(self.items)},"
                f" {sug.suggester})",
                8000,
            )
        self.view.viewport().update()
        self.changed.emit()

    def accept(self) -> None:
        """Enter: the current suggestion becomes an annotation of the user's layer."""
        sug = self.current() if self._live() else None
        if sug is None:
            return
        self._accept([sug], f"Accept suggested {self._tag_label(sug.tag)}")

    def accept_all(self) -> None:
        """Ctrl+Enter: every suggestion of the current one's tag in this release, one step."""
        sug = self.current() if self._live() else None
        if sug is None:
            return
        batch = [s for s in self.items if s.tag == sug.tag]
        label = self._tag_label(sug.tag)
        self._accept(batch, f"Accept {len(batch)} suggested {label}")

    def _accept(self, batch: list[Suggestion], text: str) -> None:
        s = self.session
        doc = s.project.documents.get(self.doc_id)
        if doc is None:
            return
        core = accept_command(s.layer, batch, author=s.user, text=text)
        command: Command = core
        if doc.status_of(s.user) == Status.NOT_STARTED:
            # as with tagging by hand: the first tag puts the release in progress (same step)
            command = Macro(text, [SetStatus(doc.id, s.user, Status.IN_PROGRESS), core])
        anchor = self.current()
        if self.notifier.run(lambda: s.execute(command), "Accept suggestion") is None:
            return
        self._drop(batch, anchor)
        ids = core.annotation_ids
        if len(ids) == 1:
            s.select(s.layer, ids[0])
        self.notifier.status(text.replace("Accept", "Accepted", 1) + ".")

    def reject(self) -> None:
        """Backspace: the current suggestion goes, and is not offered at this place again."""
        sug = self.current() if self._live() else None
        if sug is None:
            return
        item = rejection_of(sug, self._text, utc_now())
        self.rejections.add(item)
        self._unsaved.append(item)
        self._save_pending_rejections()
        self._drop([sug], sug)
        self.notifier.status(f"Rejected the suggested {self._tag_label(sug.tag)}.")
        self.refresh()

    def _drop(self, gone: list[Suggestion], anchor: Suggestion | None) -> None:
        """Take suggestions off the screen now (the next computation agrees) and make the
        one after ``anchor`` current."""
        keys = {g.key for g in gone}
        items = [s for s in self.items if s.key not in keys]
        after = anchor.start if anchor is not None else 0
        nxt = next((s for s in items if s.start >= after), items[0] if items else None)
        self.current_key = nxt.key if nxt is not None else ""
        self._set_items(self.doc_id, self._text, items)
        if nxt is not None:
            self._make_current(nxt)

    def _tag_label(self, tag: str) -> str:
        ts = self.session.project.tagset
        return ts.tag(tag).label if ts.has_tag(tag) else tag

    # --- painting and hovering -----------------------------------------------------------

    def paint(self, painter: QPainter, origins: dict[int, QPointF]) -> None:
        """Dashed outlines over the blocks on screen (``origins``: their top-left corners)."""
        if not self.items or not self._live():
            return
        view = self.view
        doc = view.document()
        to16 = view.offsets.to_utf16
        current = self.current_key
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for number, origin in origins.items():
            pieces = self._by_block.get(number)
            if not pieces:
                continue
            block = doc.findBlockByNumber(number)
            layout = block.layout()
            if layout is None:
                continue
            base = block.position()
            for start, end, k in pieces:
                sug = self.items[k]
                s, e = to16(start) - base, to16(end) - base
                is_current = sug.key == current
                color = view.tag_color(sug.tag).darker(175 if is_current else 125)
                pen = QPen(color, 2.4 if is_current else 1.3)
                pen.setStyle(Qt.PenStyle.DashLine)
                painter.setPen(pen)
                first = max(0, layout.lineForTextPosition(s).lineNumber())
                last = layout.lineCount() - 1
                for line, _a, _b, left, right in line_pieces(layout, s, e, first, last):
                    top = origin.y() + line.y()
                    painter.drawRoundedRect(
                        QRectF(origin.x() + left - 2, top, right - left + 4, line.height() + 2),
                        3,
                        3,
                    )

    def at(self, cp: int) -> list[Suggestion]:
        if not self._live():
            return []
        return [s for s in self.items if any(f.start <= cp < f.end for f in s.fragments)]

    def tooltip_at(self, cp: int) -> str:
        """What the hover says: the tag, the suggester, why, and the keys."""
        parts = []
        for sug in self.at(cp)[:3]:
            color = self.view.tag_color(sug.tag).name()
            parts.append(
                f"<span style='color:{color}'>▭</span> <b>Suggested "
                f"{html.escape(self._tag_label(sug.tag))}</b>"
                f" <span style='color:#666'>(not an annotation yet)</span><br>"
                f"by {html.escape(SUGGESTER_LABELS.get(sug.suggester, sug.suggester))}"
                f" <span style='color:#666'>({html.escape(sug.suggester)})</span>"
                + (f"<br><i>{html.escape(sug.reason)}</i>" if sug.reason else "")
            )
        if not parts:
            return ""
        keys = f"{_key('suggest.next')} to reach it, then {_keys()}"
        return "<hr>".join(parts) + f"<br><span style='color:#666'>{html.escape(keys)}</span>"

    def click(self, cp: int) -> bool:
        """A click on a suggestion makes it the current one (True if it did)."""
        hits = self.at(cp)
        if not hits:
            return False
        cur = self.current()
        pick = hits[(hits.index(cur) + 1) % len(hits)] if cur in hits else hits[0]
        self.current_key = pick.key
        self._sync_actions()
        self.view.viewport().update()
        self.changed.emit()
        return True


__all__ = ["SUGGESTER_LABELS", "Suggestions", "off_setting", "shown_setting"]
