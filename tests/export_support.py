"""A small hand-made project used by the export tests (no file format needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from annotator.formats.tagset_xml import default_tagset
from annotator.model import (
    Annotation,
    Document,
    DocumentMeta,
    Fragment,
    Layer,
    Link,
    Project,
)

TEXT1 = (
    "SOUTH KOREA: Release Kim 😀 now\n\n"
    "SEOUL -- Police arrested Kim Sun-myung and 20 students on Monday. "
    "Amnesty International called on President Kim to release Kim Sun-myung "
    "and investigate the arrests.\n\n"
    "Kim Sun-myung is a prisoner of conscience. The police said <script>alert(1)</script> "
    'and "=cmd|calc" & more.\n'
)
TEXT2 = "Second release.\n\nTrade unionists were beaten by security forces in Ankara.\n"


def _ann(aid: str, tag: str, text: str, phrase: str, nth: int = 0, **attrs: object) -> Annotation:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return Annotation(
        id=aid,
        tag=tag,
        fragments=(Fragment(start, start + len(phrase)),),
        attributes=dict(attrs),
        created_by="alice",
    )  # type: ignore[arg-type]


def sample_project() -> Project:
    p = Project(name="Korea <sample>", tagset=default_tagset())
    p.add_document(
        Document(
            "doc0001",
            TEXT1,
            DocumentMeta(
                headline="SOUTH KOREA: Release Kim Sun-myung now",
                country="Republic of Korea",
                dateline="SEOUL",
                date="1998-10-02",
                ai_index="ASA 25/01/98",
            ),
        )
    )
    p.add_document(
        Document(
            "doc0002",
            TEXT2,
            DocumentMeta(headline="Turkey: unionists", country="Turkey", date="1998-11-01"),
        )
    )
    alice = p.layers["alice"] = Layer("alice")
    da = alice.doc("doc0001")
    appeal = _ann(
        "a1",
        "appeal",
        TEXT1,
        "called on President Kim to release Kim Sun-myung and investigate the arrests",
        action=("investigate", "release"),
        kind="direct-call",
    )
    victim = _ann(
        "a2",
        "victim",
        TEXT1,
        "Kim Sun-myung",
        0,
        group=("prisoner-of-conscience",),
        harm=("arrested",),
        named="individual",
    )
    president = _ann("a3", "authority", TEXT1, "President Kim", kind="head-of-state")
    police = _ann("a4", "authority", TEXT1, "Police", kind="police")
    victim2 = _ann("a5", "victim", TEXT1, "Kim Sun-myung", 1)
    victim3 = _ann("a6", "victim", TEXT1, "Kim Sun-myung", 2)
    students = _ann("a7", "victim", TEXT1, "20 students", group=("student",))
    # discontinuous: "Police ... arrests"
    disc = _ann("a8", "authority", TEXT1, "Police")
    arrests = TEXT1.index("arrests")
    disc.id = "a8"
    disc.fragments = (disc.fragments[0], Fragment(arrests, arrests + 7))
    disc.note = "odd span, check"
    for a in (appeal, victim, president, police, victim2, victim3, students, disc):
        da.annotations[a.id] = a
    da.links["r1"] = Link("r1", "addressee", "a1", "a3")
    da.links["r2"] = Link("r2", "on_behalf_of", "a1", "a5")
    da.links["r3"] = Link("r3", "responsible_for", "a4", "a2")
    db = alice.doc("doc0002")
    db.annotations["a9"] = _ann("a9", "victim", TEXT2, "Trade unionists", harm=("injured",))
    db.annotations["a10"] = _ann(
        "a10", "authority", TEXT2, "security forces", kind="security-forces"
    )
    db.links["r4"] = Link("r4", "responsible_for", "a10", "a9")
    alice.counter = 10
    return p


def read_into(project: Project, path: Path, layer: str, **options: Any) -> list[str]:
    """Import one source into ``project`` through the one import path; its notes.

    A file that could not be read raises its error (these tests look at it).
    """
    from annotator.importing import ImportOptions, import_into

    report = import_into(project, [path], ImportOptions(layer=layer, **options))
    if report.errors:
        raise report.errors[0]
    return report.notes
