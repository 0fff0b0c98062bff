"""Counting for ``annotator stats``: plain data first, then the table built from it."""

from __future__ import annotations

from annotator.cli.stats import format_stats, project_stats
from annotator.model import (
    CURATED_LAYER,
    AddAnnotation,
    AddLink,
    History,
    LayerKind,
    Project,
    ReviewStatus,
    SetReviewStatus,
    SetStatus,
    Status,
)


def annotate(project: Project) -> None:
    h = History(project)
    h.push(AddAnnotation("dana", "doc0001", "authority", [(0, 15)], {"kind": "security-forces"}))
    h.push(AddAnnotation("dana", "doc0001", "victim", [(21, 46)], {"group": ["religious-figure"]}))
    h.push(AddLink("dana", "doc0001", "responsible_for", "a1", "a2"))
    h.push(AddAnnotation("dana", "doc0002", "victim", [(0, 32)]))
    project.ensure_layer("sam")
    h.push(AddAnnotation("sam", "doc0002", "victim", [(14, 32)]))
    project.ensure_layer(CURATED_LAYER, LayerKind.CURATED)
    h.push(SetStatus("doc0001", "dana", Status.DONE))
    h.push(SetStatus("doc0002", "dana", Status.IN_PROGRESS))
    h.push(SetReviewStatus("doc0001", ReviewStatus.IN_REVIEW))


def test_counts_by_tag_layer_status_and_review(small_project: Project) -> None:
    annotate(small_project)
    s = project_stats(small_project)
    assert s["documents"] == 2
    assert s["annotations"] == 4
    assert s["tags"] == {"appeal": 0, "victim": 3, "authority": 1}
    dana = s["layers"]["dana"]
    assert dana["tags"] == {"appeal": 0, "victim": 2, "authority": 1}
    assert dana["links"] == 1
    assert dana["link_types"]["responsible_for"] == 1
    assert dana["documents_annotated"] == 2
    assert s["layers"]["sam"]["annotations"] == 1
    assert s["layers"][CURATED_LAYER]["kind"] == "curated"
    assert s["status"]["dana"] == {"not-started": 0, "in-progress": 1, "done": 1}
    assert s["status"]["sam"] == {"not-started": 2, "in-progress": 0, "done": 0}
    assert CURATED_LAYER not in s["status"]
    assert s["review"] == {"not-reviewed": 1, "in-review": 1, "adjudicated": 0}
    # astral characters count as one character each (code points)
    assert s["characters"] == sum(len(d.text) for d in small_project.documents.values())


def test_table_is_aligned_and_complete(small_project: Project) -> None:
    annotate(small_project)
    table = format_stats(project_stats(small_project), "p.xml")
    lines = table.splitlines()
    assert lines[0] == "Project 'small' (p.xml)"
    head = next(ln for ln in lines if ln.startswith("Annotations"))
    dana = next(ln for ln in lines if ln.startswith("dana "))
    assert head.split() == [
        "Annotations",
        "appeal",
        "victim",
        "authority",
        "total",
        "links",
        "documents",
    ]
    assert dana.split() == ["dana", "0", "2", "1", "3", "1", "2"]
    # numbers are right-aligned under their headers
    assert len(dana) == len(head)
    assert "curated (curated)" in table
    assert "Review status: not-reviewed 1, in-review 1, adjudicated 0" in table


def test_empty_project_has_every_key(small_project: Project) -> None:
    small_project.layers.clear()
    s = project_stats(small_project)
    assert s["annotations"] == 0
    assert s["tags"] == {"appeal": 0, "victim": 0, "authority": 0}
    assert "No annotation layers yet." in format_stats(s)
