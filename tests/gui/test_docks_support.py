"""Shared builders for the dock tests: a small realistic project in the real main window."""

from __future__ import annotations

from typing import Any

import pytest

from annotator.formats.tagset_xml import default_tagset
from annotator.model import (
    AddAnnotation,
    AddLink,
    Document,
    DocumentMeta,
    History,
    Project,
    Status,
)

USER = "alice"

KOREA = (
    "Republic of Korea (South Korea): Human rights crucial to long term development\n\n"
    "SEOUL -- President Kim needs to move beyond rhetoric if he is to leave a lasting legacy "
    "of human rights reform in South Korea, an Amnesty International delegation said today. "
    "Amnesty International urged President Kim to release all political prisoners held under "
    "the National Security Law. More than 400 political prisoners remain in jail. 😀 end"
)
CAMBODIA = (
    "Cambodia: Security forces fire on Buddhist monks\n\n"
    "PHNOM PENH -- Security forces opened fire on a group of Buddhist monks and some students "
    "during a peaceful demonstration. Amnesty International called on all sides in the current "
    "political crisis to exercise restraint. Second Prime Minister Hun Sen must investigate."
)
KENYA = (
    "Kenya: Trade unionists detained\n\n"
    "NAIROBI -- Trade unionists were arrested by police in Nairobi. Amnesty International "
    "urged the government to move quickly to bring the law into line with international "
    "standards. 𠀀 The police should release them."
)


def span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def make_project() -> tuple[Project, dict[str, str]]:
    """Three releases; doc1 has an appeal, a victim and an authority (appeal → authority)."""
    project = Project(name="test", tagset=default_tagset())
    for doc_id, text, country, date in (
        ("doc1", KOREA, "South Korea", "1998-03-27"),
        ("doc2", CAMBODIA, "Cambodia", "1998-09-08"),
        ("doc3", KENYA, "Kenya", "1997-05-02"),
    ):
        headline = text.split("\n", 1)[0]
        project.add_document(
            Document(
                id=doc_id,
                text=text,
                meta=DocumentMeta(headline=headline, country=country, date=date),
            )
        )
    project.documents["doc2"].status[USER] = Status.IN_PROGRESS
    project.documents["doc3"].status[USER] = Status.DONE
    project.ensure_layer(USER)
    project.ensure_layer("bob")
    history = History(project)
    ids: dict[str, str] = {}

    def add(key: str, layer: str, doc: str, tag: str, phrase: str, **kw: Any) -> None:
        text = project.documents[doc].text
        cmd = history.push(AddAnnotation(layer, doc, tag, [span(text, phrase)], author=layer, **kw))
        assert isinstance(cmd, AddAnnotation) and cmd.ann_id
        ids[key] = cmd.ann_id

    add(
        "appeal",
        USER,
        "doc1",
        "appeal",
        "urged President Kim to release all political prisoners",
        attributes={"kind": "urging"},
    )
    add("kim", USER, "doc1", "authority", "President Kim to", attributes={"kind": "head-of-state"})
    add("prisoners", USER, "doc1", "victim", "More than 400 political prisoners", note="count them")
    add("monks", USER, "doc2", "victim", "a group of Buddhist monks and some students")
    add("forces", USER, "doc2", "authority", "Security forces opened")
    add("bob_victim", "bob", "doc1", "victim", "political prisoners held")
    cmd = history.push(AddLink(USER, "doc1", "addressee", ids["appeal"], ids["kim"]))
    ids["link"] = cmd.link_id or ""
    return project, ids


@pytest.fixture(name="project_ids")
def project_ids_fixture() -> tuple[Project, dict[str, str]]:
    return make_project()


def real_window(qtbot: Any, project: Project) -> Any:
    """The MainWindow, recording tag requests and the errors it shows."""
    from annotator.ui.main_window import MainWindow

    win = MainWindow(USER, project)
    qtbot.addWidget(win, before_close_func=lambda w: setattr(w, "closing_confirmed", True))
    win.tagged = []
    win.errors = []
    tag_selection = win.tagger.tag_selection

    def record_tag(tag: str, exact: bool = False) -> None:
        win.tagged.append((tag, exact))
        tag_selection(tag, exact)

    win.tagger.tag_selection = record_tag
    win.notifier.show_error = lambda err, title="": win.errors.append(err)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture(name="window")
def window_fixture(qtbot: Any, project_ids: tuple[Project, dict[str, str]]) -> Any:
    project, _ids = project_ids
    win = real_window(qtbot, project)
    yield win
    win.closing_confirmed = True
    win.session.undo_stack.setClean()
