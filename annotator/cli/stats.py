"""What a project holds, counted: for ``annotator stats`` (table or JSON).

Kept apart from the command so the counting is plain data a test (or a
script) can check without parsing the table.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from annotator.insight.progress import progress
from annotator.insight.report import text_table
from annotator.model import LayerKind, Project, Status


def project_stats(project: Project) -> dict[str, Any]:
    """Counts by tag, layer, link type, document status and review status.

    Every tag of the tag set and every status value appears, with 0 where
    nothing was counted, so tables and JSON keep the same shape for every project.
    """
    tag_names = [t.name for t in project.tagset.tags]
    link_names = [lk.name for lk in project.tagset.links]
    layers: dict[str, Any] = {}
    totals: Counter[str] = Counter()
    for name in sorted(project.layers):
        layer = project.layers[name]
        tags: Counter[str] = Counter()
        links: Counter[str] = Counter()
        needs_check = 0
        for da in layer.docs.values():
            for ann in da.annotations.values():
                tags[ann.tag] += 1
                needs_check += ann.needs_check
            for link in da.links.values():
                links[link.type] += 1
        totals.update(tags)
        layers[name] = {
            "kind": str(layer.kind),
            "annotations": sum(tags.values()),
            "tags": {t: tags[t] for t in _ordered(tag_names, tags)},
            "links": sum(links.values()),
            "link_types": {t: links[t] for t in _ordered(link_names, links)},
            "documents_annotated": sum(1 for da in layer.docs.values() if da.annotations),
            "needs_check": needs_check,
        }
    counted = progress(project)  # the same counts as the overview's Progress
    status = {row.annotator: {s.value: row.count(s) for s in Status} for row in counted.annotators}
    review = counted.review
    return {
        "project": project.name,
        "documents": len(project.documents),
        "characters": sum(len(doc.text) for doc in project.documents.values()),
        "annotations": sum(totals.values()),
        "tags": {t: totals[t] for t in _ordered(tag_names, totals)},
        "layers": layers,
        "status": status,
        "review": review,
    }


def _ordered(known: list[str], counted: Counter[str]) -> list[str]:
    """Tag-set order first, then names the tag set does not define (sorted)."""
    return known + sorted(set(counted) - set(known))


def format_stats(stats: dict[str, Any], source: str = "") -> str:
    """The readable report ``annotator stats`` prints."""
    lines = [f"Project {stats['project']!r}" + (f" ({source})" if source else "")]
    lines.append(f"{stats['documents']} documents, {stats['characters']:,} characters")
    lines.append("")
    tags = list(stats["tags"])
    layers: dict[str, Any] = stats["layers"]
    if layers:
        rows = [
            [
                name + (" (curated)" if info["kind"] == LayerKind.CURATED else ""),
                *(str(info["tags"].get(t, 0)) for t in tags),
                str(info["annotations"]),
                str(info["links"]),
                str(info["documents_annotated"]),
            ]
            for name, info in layers.items()
        ]
        rows.append(
            [
                "all layers",
                *(str(stats["tags"][t]) for t in tags),
                str(stats["annotations"]),
                str(sum(i["links"] for i in layers.values())),
                "",
            ]
        )
        lines += text_table(["Annotations", *tags, "total", "links", "documents"], rows)
    else:
        lines.append("No annotation layers yet.")
    if stats["status"]:
        lines.append("")
        statuses = [s.value for s in Status]
        rows = [[a, *(str(c[s]) for s in statuses)] for a, c in stats["status"].items()]
        lines += text_table(["Document status", *statuses], rows)
    lines.append("")
    review = ", ".join(f"{k} {v}" for k, v in stats["review"].items())
    lines.append(f"Review status: {review}")
    return "\n".join(lines)
