"""A loaded project shares attribute dicts and empty lists among its annotations;
an edit to one annotation never reaches another.

Loading gives every annotation with the same attributes one frozen dict, and
every annotation without comments or provenance the same frozen empties. Edits
go through commands, which change a copy; anything that tries to change a
shared value in place is refused loudly instead of changing thousands of
annotations at once.
"""

from __future__ import annotations

import copy
import json
import pickle

import pytest

from annotator.formats.project_xml import project_from_bytes, project_to_bytes
from annotator.formats.tagset_xml import default_tagset
from annotator.model import (
    AddComment,
    Annotation,
    Comment,
    Document,
    Fragment,
    History,
    Layer,
    Project,
    SetAttribute,
)
from annotator.model.commands import Retag
from annotator.model.project import NO_COMMENTS, NO_PROVENANCE, FrozenDict, FrozenList

TEXT = "Police detained six journalists and two lawyers in Minsk on 9 August."


def _loaded() -> Project:
    """Two victims with the same attributes and no comments, read from a file."""
    project = Project(name="Minsk", tagset=default_tagset())
    project.documents["d1"] = Document(id="d1", text=TEXT)
    layer = Layer(name="alice")
    anns = layer.doc("d1").annotations
    for ann_id, words in (("a1", "six journalists"), ("a2", "two lawyers")):
        start = TEXT.index(words)
        anns[ann_id] = Annotation(
            ann_id, "victim", (Fragment(start, start + len(words)),),
            {"harm": ("arrested",), "named": "group"}, created_by="alice",
        )  # fmt: skip
    project.layers["alice"] = layer
    return project_from_bytes(project_to_bytes(project))


def _ann(project: Project, ann_id: str) -> Annotation:
    return project.layers["alice"].docs["d1"].annotations[ann_id]


def test_loading_shares_what_is_equal() -> None:
    project = _loaded()
    a1, a2 = _ann(project, "a1"), _ann(project, "a2")
    assert a1.attributes is a2.attributes
    assert isinstance(a1.attributes, FrozenDict)
    assert a1.comments is a2.comments is NO_COMMENTS
    assert a1.provenance is a2.provenance is NO_PROVENANCE


def test_an_attribute_edit_stays_with_its_annotation() -> None:
    project = _loaded()
    history = History(project)
    history.push(SetAttribute("alice", "d1", "a1", "harm", ["arrested", "tortured"]))
    history.push(SetAttribute("alice", "d1", "a1", "named", None))
    assert _ann(project, "a1").attributes == {"harm": ("arrested", "tortured")}
    assert _ann(project, "a2").attributes == {"harm": ("arrested",), "named": "group"}
    history.undo()
    history.undo()
    assert _ann(project, "a1").attributes == _ann(project, "a2").attributes
    history.redo()
    assert _ann(project, "a2").attributes == {"harm": ("arrested",), "named": "group"}


def test_a_comment_stays_with_its_annotation() -> None:
    project = _loaded()
    history = History(project)
    history.push(AddComment("alice", "d1", "a1", "only the journalists?", "rita"))
    assert [c.text for c in _ann(project, "a1").comments] == ["only the journalists?"]
    assert _ann(project, "a2").comments == []
    assert NO_COMMENTS == []
    history.push(Retag("alice", "d1", "a2", "authority"))
    assert _ann(project, "a1").tag == "victim"
    history.undo()
    history.undo()
    assert _ann(project, "a1").comments == [] and not NO_COMMENTS


def test_changing_a_shared_value_in_place_is_refused() -> None:
    project = _loaded()
    a1, a2 = _ann(project, "a1"), _ann(project, "a2")
    before = dict(a2.attributes)
    for change in (
        lambda: a1.attributes.__setitem__("named", "individual"),
        lambda: a1.attributes.pop("named"),
        lambda: a1.attributes.update(named="individual"),
        lambda: a1.attributes.setdefault("other", "x"),
        lambda: a1.attributes.clear(),
        lambda: a1.attributes.__delitem__("named"),
        lambda: a1.comments.append(a1),
        lambda: a1.comments.extend([a1]),
        lambda: a1.provenance.__setitem__("by", "me"),
    ):
        with pytest.raises(TypeError, match="shared"):
            change()
    with pytest.raises(TypeError):
        a1.attributes |= {"named": "individual"}
    with pytest.raises(TypeError):
        a1.comments += [a1]  # type: ignore[list-item]
    assert a2.attributes == before and a1.attributes == before
    assert not NO_COMMENTS and not NO_PROVENANCE


def test_a_copy_is_plain_and_free_to_change() -> None:
    a1 = _ann(_loaded(), "a1")
    mine = a1.copy()
    mine.attributes["named"] = "individual"
    mine.comments.append(Comment("rita", "2024-01-01T00:00:00Z", "why?"))
    mine.provenance["by"] = "me"
    assert type(mine.attributes) is dict and type(mine.comments) is list
    assert a1.attributes["named"] == "group" and a1.comments == [] and a1.provenance == {}


def test_shared_values_copy_pickle_and_serialise_like_plain_ones() -> None:
    a1 = _ann(_loaded(), "a1")
    assert copy.deepcopy(a1) == a1
    assert pickle.loads(pickle.dumps(a1)) == a1
    assert json.loads(json.dumps(a1.attributes)) == {"harm": ["arrested"], "named": "group"}
    frozen: FrozenList[int] = FrozenList([1, 2])
    assert frozen == [1, 2] and copy.copy(frozen) == [1, 2]
