"""A release tagged in two layers over the campaign tag set, for the tag-set change tests."""

from __future__ import annotations

from annotator.formats.tagset_xml import default_tagset
from annotator.model import (
    CURATED_LAYER,
    AddAnnotation,
    AddLink,
    Document,
    DocumentMeta,
    History,
    LayerKind,
    Project,
)

TEXT = (
    "Amnesty International today called on the authorities of Myanmar to release "
    "U Gambira, a Buddhist monk arrested in Yangon, and the students detained with him. "
    "Soldiers of the 66th Light Infantry Division beat demonstrators 😀 outside the pagoda."
)


def span(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def build() -> tuple[Project, History]:
    """A release tagged in two layers (an annotator's and the curated one), with links."""
    project = Project(name="myanmar", tagset=default_tagset())
    project.add_document(Document("doc0001", TEXT, DocumentMeta(headline="Myanmar: release monks")))
    project.ensure_layer("dana")
    project.ensure_layer(CURATED_LAYER, LayerKind.CURATED)
    history = History(project)
    for layer in ("dana", CURATED_LAYER):
        app = history.push(
            AddAnnotation(
                layer,
                "doc0001",
                "appeal",
                [span("called on the authorities of Myanmar to release U Gambira")],
                {"action": ("release",), "kind": "direct-call"},
                author=layer,
            )
        )
        vic = history.push(
            AddAnnotation(
                layer,
                "doc0001",
                "victim",
                [span("U Gambira, a Buddhist monk")],
                {"group": ("religious-figure", "prisoner-of-conscience"), "harm": ("arrested",)},
                author=layer,
            )
        )
        history.push(
            AddAnnotation(
                layer,
                "doc0001",
                "victim",
                [span("demonstrators")],
                {"group": ("demonstrator",), "harm": ("injured",), "named": "group"},
                author=layer,
            )
        )
        auth = history.push(
            AddAnnotation(
                layer,
                "doc0001",
                "authority",
                [span("Soldiers of the 66th Light Infantry Division")],
                {"kind": "military"},
                author=layer,
            )
        )
        assert isinstance(app, AddAnnotation) and isinstance(vic, AddAnnotation)
        assert isinstance(auth, AddAnnotation)
        history.push(AddLink(layer, "doc0001", "on_behalf_of", str(app.ann_id), str(vic.ann_id)))
        history.push(AddLink(layer, "doc0001", "addressee", str(app.ann_id), str(auth.ann_id)))
    return project, History(project)
