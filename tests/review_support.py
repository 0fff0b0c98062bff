"""Small hand-made projects for the review tests (no files, no Qt)."""

from __future__ import annotations

from collections.abc import Iterable

from annotator.formats.tagset_xml import default_tagset
from annotator.model import Annotation, Document, Fragment, LayerKind, Project


def words(n: int) -> str:
    """``n`` one-token words separated by single spaces: token i is at [3i, 3i+2)."""
    return " ".join(f"w{i % 10}" for i in range(n))


def project(*texts: str, layers: Iterable[str] = ("alice", "bob")) -> Project:
    p = Project(name="t", tagset=default_tagset())
    for i, text in enumerate(texts):
        p.add_document(Document(id=f"d{i + 1}", text=text))
    for name in layers:
        p.ensure_layer(name, LayerKind.ANNOTATOR)
    return p


def add(
    p: Project,
    layer: str,
    doc_id: str,
    tag: str,
    *spans: tuple[int, int],
    ann_id: str | None = None,
    **attributes: str | tuple[str, ...],
) -> Annotation:
    lay = p.layer(layer)
    ann = Annotation(
        id=ann_id or lay.next_id("a"),
        tag=tag,
        fragments=tuple(Fragment(s, e) for s, e in spans),
        attributes=dict(attributes),
        created_by=layer,
    )
    p.check_annotation(doc_id, ann)
    lay.doc(doc_id).annotations[ann.id] = ann
    return ann


def tokens_span(i: int, j: int) -> tuple[int, int]:
    """Character span of tokens ``[i, j)`` in a :func:`words` text."""
    return 3 * i, 3 * (j - 1) + 2
