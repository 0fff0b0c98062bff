"""Helpers for the assisted-tagging tests: a one-release project and its suggestions."""

from __future__ import annotations

from annotator.assist.run import default_suggesters, suggest_document
from annotator.assist.suggestion import Suggestion
from annotator.formats.tagset_xml import default_tagset
from annotator.model import Document, Project, TagSet


def project_of(*texts: str, tagset: TagSet | None = None) -> Project:
    project = Project(name="t", tagset=tagset or default_tagset())
    for i, text in enumerate(texts, 1):
        project.add_document(Document(id=f"d{i}", text=text))
    return project


def suggest(
    text: str, names: list[str] | None = None, tagset: TagSet | None = None
) -> list[Suggestion]:
    project = project_of(text, tagset=tagset)
    return suggest_document(project, "d1", "me", default_suggesters(project, "me", names))


def spans(text: str, found: list[Suggestion], tag: str) -> list[str]:
    """The covered text of each suggestion with ``tag`` (pieces joined by " … ")."""
    return [s.covered_text(text) for s in found if s.tag == tag]


def one(found: list[Suggestion], tag: str) -> Suggestion:
    of_tag = [s for s in found if s.tag == tag]
    assert len(of_tag) == 1, of_tag
    return of_tag[0]
