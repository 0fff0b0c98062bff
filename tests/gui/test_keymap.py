"""Every key is declared once in the keymap, bound once in the window, and works when pressed."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut

from annotator.model import AddAnnotation, Project, TagSet
from annotator.model.tagset import TagType
from annotator.ui import keymap
from annotator.ui.keymap import Context
from tests.gui.conftest import SAMPLE_TEXT
from tests.review_support import add, project

pytestmark = pytest.mark.gui

SHIFT = Qt.KeyboardModifier.ShiftModifier


def live_bindings(window: Any) -> list[tuple[str, str, Context]]:
    """(key, owner, context) of every action with keys in the window and its panels."""
    out = []
    for action in window.findChildren(QAction):
        keys = [k for k in action.shortcuts() if not k.isEmpty()]
        if not keys:
            continue
        action_id = action.property(keymap.ACTION_ID)
        if action_id:
            context = keymap.KEYMAP[action_id].context
            owner = action_id
        else:  # the tag actions: window-wide, named by their tag
            context = Context.WINDOW
            owner = f"{action.text()} ({action.data()})"
        out.extend((k.toString(), owner, context) for k in keys)
    return out


def press(qtbot: Any, window: Any, key: Qt.Key, mods: Any = Qt.KeyboardModifier.NoModifier) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.text_view.setFocus()
    qtbot.keyClick(window.text_view, key, mods)


def test_the_keymap_binds_no_key_twice_where_both_can_be_live() -> None:
    assert keymap.clashes(keymap.bindings()) == []
    # the check itself sees a clash (a test that cannot fail is a defect)
    doubled = [*keymap.bindings(), ("F8", "someone else", Context.TEXT)]
    assert keymap.clashes(doubled) == ["F8: navigate.next, someone else"]
    # Escape is the text's and the Inspector's: two focus areas, never live together
    escape = [k for k in keymap.bindings() if keymap.normal(k[0]) == "Esc"]
    assert {c for _k, _o, c in escape} == {Context.TEXT, Context.INSPECTOR}


def test_every_action_in_the_window_takes_its_keys_from_the_keymap(window) -> None:  # type: ignore[no-untyped-def]
    window.docks.show_guidelines()  # its window's own key too
    assert window.findChildren(QShortcut) == []  # keys are actions, each in the keymap
    for action in window.findChildren(QAction):
        keys = [k.toString() for k in action.shortcuts()]
        action_id = action.property(keymap.ACTION_ID)
        if action_id:
            assert keys == [s.toString() for s in keymap.sequences(action_id)], action_id
        elif keys:  # a tag action: its key is the tag set's, given out by the keymap
            tag_keys = keymap.tag_keys(window.session.project.tagset)
            assert action.data() in tag_keys, (action.text(), keys, action.parent())
            key = tag_keys[action.data()]
            assert keys in ([key], [keymap.EXACT_MODIFIER + key]), action.text()
    assert keymap.clashes(live_bindings(window)) == []


def test_no_key_is_bound_twice_after_opening_another_project(window, project_path) -> None:  # type: ignore[no-untyped-def]
    window.session.undo_stack.setClean()
    assert window.file_ops.open_path(project_path)
    assert keymap.clashes(live_bindings(window)) == []
    tag_actions = [a for a in window.findChildren(QAction) if a.data() == "victim"]
    assert sorted(k.toString() for a in tag_actions for k in a.shortcuts()) == ["2", "Alt+2"]


def test_a_tag_set_key_the_app_uses_is_not_given_to_the_tag() -> None:
    tags = (
        TagType("appeal", "Appeal", "#E69F00", "F8"),  # the stepping key
        TagType("victim", "Victim", "#56B4E9", "1"),  # the first tag's place digit
        TagType("authority", "Authority", "#009E73", "a"),
    )
    keys = keymap.tag_keys(TagSet(name="odd", tags=tags))
    assert keys == {"appeal": "1", "victim": "2", "authority": "a"}


def test_f8_steps_annotations_outside_review_mode(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    s = window.session
    first = SAMPLE_TEXT.index("authorities")
    second = SAMPLE_TEXT.index("journalist")
    for start, word in ((first, "authorities"), (second, "journalist")):
        s.execute(AddAnnotation(s.layer, "doc0001", "victim", [(start, start + len(word))]))
    s.select("", "")
    window.text_view.set_selection_cp(0, 0)
    press(qtbot, window, Qt.Key.Key_F8)
    anns = s.project.layers[s.layer].docs["doc0001"].sorted_annotations()
    assert s.selected == (s.layer, anns[0].id)
    press(qtbot, window, Qt.Key.Key_F8)
    assert s.selected == (s.layer, anns[1].id)
    press(qtbot, window, Qt.Key.Key_F8, SHIFT)
    assert s.selected == (s.layer, anns[0].id)
    assert not window.review.active


def _two_layers() -> Project:
    text = "Amnesty International urged the authorities to release Sané and the students."
    p = project(text, layers=("alice", "bob", "tester"))
    add(p, "tester", "d1", "authority", (28, 43))
    add(p, "alice", "d1", "appeal", (22, 77))
    add(p, "bob", "d1", "appeal", (22, 77))  # exact
    add(p, "alice", "d1", "victim", (56, 60))  # "Sané"
    add(p, "bob", "d1", "victim", (56, 77))  # boundary
    add(p, "bob", "d1", "authority", (28, 43))  # missing in alice's
    return p


def test_f8_steps_disagreements_in_review_mode(make_window, tmp_path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from annotator.formats.project_xml import save_project

    path = tmp_path / "two.xml"
    save_project(_two_layers(), path)
    window = make_window(path)
    ctl = window.review.controller
    press(qtbot, window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | SHIFT)
    assert window.review.active
    press(qtbot, window, Qt.Key.Key_F8)
    first = ctl.current
    assert first is not None and first.kind.name != "EXACT"
    press(qtbot, window, Qt.Key.Key_F8)
    second = ctl.current
    assert second is not None and second is not first
    # F8 walks the rows as the review panel lists them (groups worst first), downwards
    tree = window.review.dock.tree
    top = [tree.visualItemRect(tree.row_of(it.index)).top() for it in (first, second)]
    assert top[1] > top[0]
    press(qtbot, window, Qt.Key.Key_F8, SHIFT)
    assert ctl.current is not None and ctl.current.index == first.index
    # leaving review mode gives F8 back to the annotations
    press(qtbot, window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | SHIFT)
    assert not window.review.active
    before = ctl.current
    press(qtbot, window, Qt.Key.Key_F8)
    assert ctl.current is before
    (mine,) = window.session.project.layers["tester"].docs["d1"].annotations
    assert window.session.selected == ("tester", mine)


def test_escape_cancels_picking_in_the_inspector_and_in_the_text(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    s = window.session
    start = SAMPLE_TEXT.index("authorities")
    cmd = s.execute(AddAnnotation(s.layer, "doc0001", "appeal", [(0, 20)]))
    s.execute(AddAnnotation(s.layer, "doc0001", "authority", [(start, start + 11)]))
    s.select(s.layer, cmd.ann_id)
    insp = window.docks.inspector
    insp.show()
    insp.raise_()
    for target in (insp.pick_button, window.text_view):
        insp.pick_button.click()
        assert s.picking and insp.esc.isEnabled()
        target.setFocus()
        qtbot.keyClick(target, Qt.Key.Key_Escape)
        assert not s.picking, target
    assert QKeySequence("Esc") in insp.esc.shortcuts()
