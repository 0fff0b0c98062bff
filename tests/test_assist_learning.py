"""Learning from the user, rejections kept beside the project, and accepting as a command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.assist.rejections import (
    Rejection,
    Rejections,
    load_rejections,
    save_rejections,
    sidecar_path,
)
from annotator.assist.run import accept_command, default_suggesters, suggest_document
from annotator.errors import FileFormatError, UnknownSuggester
from annotator.model import AddAnnotation, History, Project
from annotator.model.suggested import SUGGESTED_BY, SUGGESTION_REASON
from tests.assist_support import project_of

TEXTS = (
    "The Rapid Support Forces attacked the camp at dawn.",
    "Witnesses said the rapid support forces looted the market.",
)


def tagged_project() -> Project:
    """The user tagged "The Rapid Support Forces" in the first release, with a kind."""
    project = project_of(*TEXTS)
    project.ensure_layer("me")
    start = TEXTS[0].index("The Rapid")
    History(project).push(
        AddAnnotation(
            "me",
            "d1",
            "authority",
            [(start, start + len("The Rapid Support Forces"))],
            {"kind": "armed-group"},
            author="me",
        )
    )
    return project


def learned(project: Project, doc_id: str, rejections: Rejections | None = None) -> list[str]:
    found = suggest_document(
        project, doc_id, "me", default_suggesters(project, "me", ["learned"]), rejections
    )
    return [s.covered_text(project.documents[doc_id].text) for s in found]


def test_a_string_the_user_tagged_is_suggested_elsewhere_with_its_tag_and_attributes() -> None:
    project = tagged_project()
    found = suggest_document(project, "d2", "me", default_suggesters(project, "me", ["learned"]))
    assert len(found) == 1
    sug = found[0]
    assert sug.covered_text(TEXTS[1]) == "the rapid support forces"
    assert (sug.tag, dict(sug.attributes)) == ("authority", {"kind": "armed-group"})
    assert sug.suggester == "learned"
    assert "The Rapid Support Forces" in sug.reason


def test_what_the_layer_already_tags_is_not_suggested_again() -> None:
    project = tagged_project()
    assert learned(project, "d1") == []


def test_another_persons_layer_teaches_nothing() -> None:
    project = tagged_project()
    found = suggest_document(
        project, "d2", "someone-else", default_suggesters(project, "someone-else", ["learned"])
    )
    assert found == []


def test_one_rejection_blocks_its_place_two_block_the_string() -> None:
    project = project_of(*TEXTS, "Later the Rapid Support Forces withdrew.")
    project.ensure_layer("me")
    start = TEXTS[0].index("The Rapid")
    History(project).push(
        AddAnnotation("me", "d1", "authority", [(start, start + 25)], author="me")
    )
    d2 = TEXTS[1].index("the rapid")
    once = Rejections([Rejection("d2", "authority", f"{d2}-{d2 + 24}", "the rapid support forces")])
    assert learned(project, "d2", once) == []
    assert learned(project, "d3", once) == ["the Rapid Support Forces"]
    twice = Rejections(
        [*once.items, Rejection("d9", "authority", "0-24", "The Rapid Support Forces")]
    )
    assert learned(project, "d3", twice) == []


def test_rejecting_the_same_place_twice_counts_once() -> None:
    r = Rejections()
    r.add(Rejection("d1", "victim", "0-6", "people"))
    r.add(Rejection("d1", "victim", "0-6", "people"))
    assert not r.blocked("victim", "people")
    r.add(Rejection("d2", "victim", "4-10", "People"))
    assert r.blocked("victim", "people")
    assert not r.blocked("authority", "people")


def test_rejections_are_kept_beside_the_project_per_annotator(tmp_path: Path) -> None:
    project = tmp_path / "korea.xml"
    save_rejections(project, "dana", [Rejection("d1", "victim", "0-6", "people", "t1")])
    save_rejections(project, "ana", [Rejection("d1", "victim", "0-6", "people", "t2")])
    save_rejections(project, "dana", [Rejection("d2", "victim", "3-9", "People", "t3")])
    assert sidecar_path(project).name == ".korea.xml.rejections.json"
    assert load_rejections(project, "dana").blocked("victim", "people")
    assert not load_rejections(project, "ana").blocked("victim", "people")
    assert load_rejections(project, "nobody").items == []
    raw = json.loads(sidecar_path(project).read_text("utf-8"))
    assert raw["format"] == "annotator-rejections"
    assert [r["doc"] for r in raw["layers"]["dana"]] == ["d1", "d2"]


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b'{"format": "other"}',
        b'{"format": "annotator-rejections", "layers": {"a": [{"doc": 1}]}}',
    ],
)
def test_a_damaged_rejections_file_is_one_clear_error(tmp_path: Path, content: bytes) -> None:
    project = tmp_path / "p.xml"
    sidecar_path(project).write_bytes(content)
    with pytest.raises(FileFormatError, match=r"\.p\.xml\.rejections\.json"):
        load_rejections(project, "a")


def test_an_unknown_suggester_is_named() -> None:
    with pytest.raises(UnknownSuggester, match="'spacy'"):
        default_suggesters(project_of("x"), "me", ["spacy"])


def test_accepting_is_one_undoable_step_with_provenance_and_links() -> None:
    text = "Amnesty International calls on the Kenyan police to release the 30 students."
    project = project_of(text)
    found = suggest_document(project, "d1", "me", default_suggesters(project, "me"))
    assert {s.tag for s in found} == {"appeal", "authority", "victim"}
    history = History(project)
    cmd = history.push(accept_command("me", found, author="me"))
    da = project.layer("me").doc("d1")
    assert len(da.annotations) == len(found)
    appeal = next(a for a in da.annotations.values() if a.tag == "appeal")
    assert appeal.provenance[SUGGESTED_BY] == "appeal-cues"
    assert "call" in appeal.provenance[SUGGESTION_REASON]
    assert appeal.created_by == "me"
    kinds = {(lk.type, da.annotations[lk.target].tag) for lk in da.links.values()}
    assert kinds == {("addressee", "authority"), ("on_behalf_of", "victim")}
    ids = sorted(da.annotations)
    history.undo()
    assert "me" not in project.layers  # the layer came with the step and goes with it
    history.redo()
    assert sorted(project.layer("me").doc("d1").annotations) == ids
    assert cmd.text.startswith("Accept")


def test_a_suggestion_that_no_longer_fits_refuses_the_whole_batch() -> None:
    project = project_of("Police beat 12 journalists.")
    found = suggest_document(project, "d1", "me", default_suggesters(project, "me"))
    project.documents["d1"].text = "Short."
    with pytest.raises(Exception, match="outside"):
        History(project).push(accept_command("me", found))
    assert "me" not in project.layers


def test_accepted_suggestions_teach_the_learned_suggester() -> None:
    project = project_of(
        "Soldiers arrested 40 members of the Oromo Liberation Army.",
        "The Oromo Liberation Army denied it.",
    )
    assert learned(project, "d2") == []
    found = suggest_document(project, "d1", "me", default_suggesters(project, "me"))
    assert "the Oromo Liberation Army" in [
        s.covered_text(project.documents["d1"].text) for s in found
    ]
    History(project).push(accept_command("me", found))
    assert learned(project, "d2") == ["The Oromo Liberation Army"]
