"""Every key the desktop app binds, declared once.

Each action of the window (menus, panels, review mode, the Inspector) takes its
keys from :data:`KEYMAP` by its action id, through :func:`bind`. Two actions that
can be active at the same time must never share a key: Qt then fires neither
("ambiguous shortcut"), and the user's key silently does nothing. The check is
:func:`clashes`, run by the tests over the keymap and over the live window.

The tag keys follow the project's tag set (a tag may name its own key); they are
given out by :func:`tag_keys`, which never hands a tag a key the keymap uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from annotator.model.tagset import TagSet


class Context(Enum):
    """Where a key works. Keys of different contexts clash only when both can be live."""

    #: anywhere in the main window
    WINDOW = "window"
    #: only while the text view (or a child) has focus
    TEXT = "text"
    #: only while focus is in the Inspector panel
    INSPECTOR = "inspector"
    #: only while the Documents table has focus
    DOCUMENT_TABLE = "documents table"
    #: in the Annotation Guidelines window (a window of its own)
    GUIDELINES = "guidelines"
    #: anywhere in the tag-set editor (a window of its own)
    TAGSET_EDITOR = "tag-set editor"
    #: only while the tag-set editor's tree of tags has focus
    TAGSET_TREE = "tag-set tree"
    #: only while focus is in the Overview's Appeals board
    APPEALS_BOARD = "appeals board"


#: contexts inside the main window: a WINDOW key is live together with each of them
_IN_MAIN_WINDOW = frozenset(
    {Context.WINDOW, Context.TEXT, Context.INSPECTOR, Context.DOCUMENT_TABLE, Context.APPEALS_BOARD}
)


#: a window's window-wide context → every context live while that window is active
_WINDOW_WIDE = {
    Context.WINDOW: _IN_MAIN_WINDOW,
    Context.TAGSET_EDITOR: frozenset({Context.TAGSET_EDITOR, Context.TAGSET_TREE}),
}


def can_be_live_together(a: Context, b: Context) -> bool:
    if a == b:
        return True
    for wide, inside in _WINDOW_WIDE.items():
        if wide in (a, b):
            return a in inside and b in inside
    return False  # two different focus areas never have focus at once


@dataclass(frozen=True)
class Binding:
    label: str
    keys: tuple[str, ...] = ()
    context: Context = Context.WINDOW


def _b(label: str, *keys: str, context: Context = Context.WINDOW) -> Binding:
    return Binding(label, tuple(keys), context)


#: action id → label and keys (portable text: Qt shows Ctrl as ⌘ on a Mac)
KEYMAP: dict[str, Binding] = {
    # File
    "file.new": _b("New Project", "Ctrl+N"),
    "file.open": _b("Open…", "Ctrl+O"),
    "file.save": _b("Save", "Ctrl+S"),
    "file.save_as": _b("Save As…", "Ctrl+Shift+S"),
    "file.import": _b("Import Releases…", "Ctrl+I"),
    "file.import_folder": _b("Import Folder…", "Ctrl+Shift+I"),
    "file.export": _b("Export…", "Ctrl+E"),
    # git: the transport is git's own; no keys, they are rare and deliberate
    "file.git_pull": _b("Pull and Merge"),
    "file.git_commit_push": _b("Commit and Push…"),
    "file.close": _b("Close Window", "Ctrl+W"),
    "file.quit": _b("Quit", "Ctrl+Q"),
    # Edit
    "edit.undo": _b("Undo", "Ctrl+Z"),
    "edit.redo": _b("Redo", "Ctrl+Shift+Z", "Ctrl+Y"),
    "edit.find": _b("Find…", "Ctrl+F"),
    "edit.find_next": _b("Find Next", "F3", "Ctrl+G"),
    "edit.find_previous": _b("Find Previous", "Shift+F3", "Ctrl+Shift+G"),
    "edit.preferences": _b("Preferences…", "Ctrl+,"),
    # Annotate
    "annotate.add_fragment": _b("Add Selection as Fragment", "Ctrl+Shift+A"),
    "annotate.grow_end": _b("Grow End by a Word", "Alt+Shift+Right"),
    "annotate.shrink_end": _b("Shrink End by a Word", "Alt+Shift+Left"),
    "annotate.grow_start": _b("Grow Start by a Word", "Ctrl+Alt+Shift+Left"),
    "annotate.shrink_start": _b("Shrink Start by a Word", "Ctrl+Alt+Shift+Right"),
    "annotate.delete": _b("Delete Annotation", "Delete"),
    "annotate.mark_checked": _b("Mark Checked", "Ctrl+Shift+K"),
    "annotate.mark_done": _b("Mark Document Done", "Ctrl+D"),
    # one pair of keys: disagreements in review mode, annotations otherwise
    "navigate.next": _b("Next Annotation / Disagreement", "F8"),
    "navigate.previous": _b("Previous Annotation / Disagreement", "Shift+F8"),
    "annotate.clear_selection": _b("Clear Selection", "Escape", context=Context.TEXT),
    # View
    "view.previous_document": _b("Previous Document", "Ctrl+PgUp", "Alt+Left", "Alt+Up"),
    "view.next_document": _b("Next Document", "Ctrl+PgDown", "Alt+Right", "Alt+Down"),
    "view.other_layers": _b("Show All Layers", "Ctrl+Shift+L"),
    "view.links": _b("Show Links", "Ctrl+Shift+J"),
    "view.zoom_in": _b("Zoom In", "Ctrl+=", "Ctrl++"),
    "view.zoom_out": _b("Zoom Out", "Ctrl+-"),
    "view.zoom_reset": _b("Actual Size", "Ctrl+0"),
    "view.focus_layout": _b("Focus Layout", "Ctrl+Shift+F11"),
    "view.reset_layout": _b("Reset Layout"),
    "view.overview": _b("Overview", "Ctrl+Shift+O"),
    # Project
    "project.tagset": _b("Tag Set…", "Ctrl+Shift+T"),
    # Tools
    "tools.correct_text": _b("Correct Text", "Ctrl+Shift+E"),
    # Suggestions (Tools > Suggestions): the keys that act on them are the text's, and
    # are live only while suggestions are shown there (else Tab still moves the focus)
    "suggest.shown": _b("Show Suggestions", "Ctrl+Shift+H"),
    "suggest.accept": _b("Accept Suggestion", "Return", "Enter", context=Context.TEXT),
    "suggest.reject": _b("Reject Suggestion", "Backspace", context=Context.TEXT),
    "suggest.next": _b("Next Suggestion", "Tab", context=Context.TEXT),
    "suggest.previous": _b("Previous Suggestion", "Shift+Tab", context=Context.TEXT),
    "suggest.accept_all": _b(
        "Accept All of This Kind Here", "Ctrl+Return", "Ctrl+Enter", context=Context.TEXT
    ),
    # Documents panel
    "documents.in_progress": _b("Mark in progress", "Ctrl+Shift+P"),
    "documents.done": _b("Mark done", "Ctrl+Shift+D"),
    "documents.not_started": _b("Mark not started"),
    "documents.cycle_status": _b("Cycle status", "Space", context=Context.DOCUMENT_TABLE),
    # the Overview's Appeals board
    "overview.copy_appeals": _b("Copy Appeals Table", "Ctrl+C", context=Context.APPEALS_BOARD),
    # Inspector
    "inspector.cancel_pick": _b("Cancel picking", "Escape", context=Context.INSPECTOR),
    # Review
    "review.merge": _b("Add colleague's annotations…"),
    "review.mode": _b("Review mode", "Ctrl+Shift+R"),
    # one pair of keys: the compared layers, or in the Conflicts tab ours and theirs
    "review.accept_first": _b("Accept first layer / Keep ours", "F9"),
    "review.accept_second": _b("Accept second layer / Keep theirs", "F10"),
    "review.accept_all": _b("Accept all sides", "F11"),
    "review.reject": _b("Reject", "F12"),
    "review.accept_exact": _b("Accept all exact matches"),
    "review.comment": _b("Comment on selected annotation…"),
    "review.agreement": _b("Agreement table"),
    "review.export_agreement": _b("Export agreement…"),
    # the conflicts a git merge recorded (F9 / F10 keep ours / theirs there)
    "review.conflicts": _b("Merge conflicts"),
    # Help
    "help.guidelines": _b("Annotation Guidelines", "F1"),
    "help.shortcuts": _b("Keyboard Shortcuts", "Ctrl+/"),
    "help.about": _b("About Annotator", "Shift+F1"),
    # the Guidelines window
    "guidelines.find": _b("Find in guidelines", "Ctrl+F", context=Context.GUIDELINES),
    # the tag-set editor: its changes are the window's undo steps, undone here too
    "tagset.undo": _b("Undo", "Ctrl+Z", context=Context.TAGSET_EDITOR),
    "tagset.redo": _b("Redo", "Ctrl+Shift+Z", "Ctrl+Y", context=Context.TAGSET_EDITOR),
    "tagset.add_tag": _b("Add Tag", "Ctrl+T", context=Context.TAGSET_EDITOR),
    "tagset.add_child": _b("Add Attribute / Value", "Ctrl+Shift+N", context=Context.TAGSET_EDITOR),
    "tagset.rename": _b("Rename", "F2", context=Context.TAGSET_TREE),
    "tagset.remove": _b("Remove", "Delete", context=Context.TAGSET_TREE),
    "tagset.move_up": _b("Move Up", "Alt+Up", context=Context.TAGSET_TREE),
    "tagset.move_down": _b("Move Down", "Alt+Down", context=Context.TAGSET_TREE),
}

#: the keys a tag gets by its place in the tag set, and the "exact selection" modifier
TAG_DIGITS = tuple(str(n) for n in range(1, 10))
EXACT_MODIFIER = "Alt+"

_QT_CONTEXT = {
    Context.WINDOW: Qt.ShortcutContext.WindowShortcut,
    Context.TEXT: Qt.ShortcutContext.WidgetWithChildrenShortcut,
    Context.INSPECTOR: Qt.ShortcutContext.WidgetWithChildrenShortcut,
    Context.DOCUMENT_TABLE: Qt.ShortcutContext.WidgetShortcut,
    Context.GUIDELINES: Qt.ShortcutContext.WindowShortcut,
    Context.TAGSET_EDITOR: Qt.ShortcutContext.WindowShortcut,
    Context.TAGSET_TREE: Qt.ShortcutContext.WidgetWithChildrenShortcut,
    Context.APPEALS_BOARD: Qt.ShortcutContext.WidgetWithChildrenShortcut,
}

#: the property on a QAction that names its keymap entry
ACTION_ID = "keymap_id"


def normal(key: str) -> str:
    """One spelling per key ("Esc" and "Escape", "PgDown" and "Page Down")."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)


def sequences(action_id: str) -> list[QKeySequence]:
    return [QKeySequence(k) for k in KEYMAP[action_id].keys]


def label(action_id: str) -> str:
    return KEYMAP[action_id].label


def bind(action: QAction, action_id: str) -> QAction:
    """Give ``action`` its keys and their context from the keymap; returns it."""
    binding = KEYMAP[action_id]
    action.setShortcuts(sequences(action_id))
    action.setShortcutContext(_QT_CONTEXT[binding.context])
    action.setProperty(ACTION_ID, action_id)
    return action


def key_text(action_id: str) -> str:
    """The keys as the user reads them, e.g. "Ctrl+PgUp, Alt+Left"."""
    return ", ".join(
        s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences(action_id)
    )


def first_key(action_id: str) -> str:
    """The first key, as tooltips name it."""
    keys = sequences(action_id)
    return keys[0].toString(QKeySequence.SequenceFormat.NativeText) if keys else ""


def fixed_keys() -> dict[str, tuple[str, Context]]:
    """Every key of the keymap → (action id, context); the first claim when several do."""
    out: dict[str, tuple[str, Context]] = {}
    for action_id, binding in KEYMAP.items():
        for key in binding.keys:
            out.setdefault(normal(key), (action_id, binding.context))
    return out


def tag_keys(tagset: TagSet) -> dict[str, str]:
    """Tag name → its key: the tag set's own, else its place (1–9), never a taken key.

    A tag set is data from a file: a key it names that the app already uses (or an
    earlier tag took) is not given, and the tag falls back to its place digit.
    """
    window_keys = {k for k, (_, ctx) in fixed_keys().items() if ctx is Context.WINDOW}
    taken = set(window_keys)
    out: dict[str, str] = {}
    for n, tt in enumerate(tagset.tags, start=1):
        candidates = [tt.shortcut] if tt.shortcut else []
        if n <= len(TAG_DIGITS):
            candidates.append(TAG_DIGITS[n - 1])
        for key in candidates:
            k = normal(key)
            exact = normal(EXACT_MODIFIER + key)
            if k and k not in taken and exact not in taken:
                out[tt.name] = key
                taken.update({k, exact})
                break
    return out


def key_in_use(key: str, tagset: TagSet, tag: str = "") -> str:
    """Why ``key`` cannot be tag ``tag``'s shortcut, in one sentence ('' if it is free).

    A tag's key works anywhere in the main window (and Alt+key tags the exact
    selection), so it must be no other tag's and no key of the main window's
    actions, in any of its focus areas: Qt would then fire neither.
    """
    k = normal(key)
    if not k:
        return ""
    exact = normal(EXACT_MODIFIER + key)
    shown = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
    given = tag_keys(tagset)
    for tt in tagset.tags:
        if tt.name == tag:
            continue
        theirs = {normal(x) for x in (tt.shortcut, given.get(tt.name, "")) if x}
        if k in theirs or any(normal(EXACT_MODIFIER + x) == k for x in theirs):
            return f"{shown} is already the key of the tag {tt.label}."
    for binding in KEYMAP.values():
        if binding.context not in _IN_MAIN_WINDOW:
            continue
        for bound in binding.keys:
            if normal(bound) in (k, exact):
                where = (
                    ""
                    if binding.context is Context.WINDOW
                    else f" (in the {binding.context.value})"
                )
                what = "it" if normal(bound) == k else f"{EXACT_MODIFIER}{shown}"
                return f"{shown} cannot be used: {what} is the key of {binding.label}{where}."
    return ""


def clashes(bindings: Iterable[tuple[str, str, Context]]) -> list[str]:
    """Keys bound twice where both can be live: "key: first, second" for each clash.

    ``bindings`` are (key, owner, context) triples.
    """
    seen: dict[str, list[tuple[str, Context]]] = {}
    found = []
    for key, owner, context in bindings:
        k = normal(key)
        for other, other_ctx in seen.get(k, []):
            if other != owner and can_be_live_together(context, other_ctx):
                found.append(f"{k}: {other}, {owner}")
        seen.setdefault(k, []).append((owner, context))
    return found


def bindings() -> list[tuple[str, str, Context]]:
    """The keymap as (key, action id, context) triples, for :func:`clashes`."""
    return [(k, aid, b.context) for aid, b in KEYMAP.items() for k in b.keys]
