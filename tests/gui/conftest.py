"""Fixtures for GUI tests: private settings folder, a user name, a window on a temp project.

Until the fmt engineer's ``annotator.formats.project_xml`` lands, a stand-in
with the same contract (pickle-based) is installed so the GUI tests run.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.errors import ConcurrentModification, MalformedXML
from annotator.model import Document, DocumentMeta, Project


def _install_stand_in() -> None:
    try:
        import annotator.formats.project_xml  # noqa: F401

        return
    except ImportError:
        pass
    from annotator.formats.tagset_xml import default_tagset

    mod = types.ModuleType("annotator.formats.project_xml")
    magic = b"FAKE-PROJECT\n"

    def new_project(name: str, tagset=None):  # type: ignore[no-untyped-def]
        return Project(name=name, tagset=tagset or default_tagset())

    def project_to_bytes(project: Project) -> bytes:
        state = (project.name, project.tagset, project.documents, project.layers)
        return magic + pickle.dumps(state)

    def project_from_bytes(data: bytes, *, source: str = "") -> Project:
        if not data.startswith(magic):
            raise MalformedXML("the file is not a project file", path=source or None)
        try:
            name, tagset, docs, layers = pickle.loads(data[len(magic) :])
        except Exception:
            raise MalformedXML("the file is damaged", path=source or None) from None
        return Project(name=name, tagset=tagset, documents=docs, layers=layers)

    def load_project(path):  # type: ignore[no-untyped-def]
        data = Path(path).read_bytes()
        return project_from_bytes(data, source=str(path)), hashlib.sha256(data).hexdigest()

    def save_project(project, path, *, expected_sha256=None, backup=True):  # type: ignore[no-untyped-def]
        path = Path(path)
        on_disk = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
        if expected_sha256 is not None and on_disk not in (None, expected_sha256):
            raise ConcurrentModification("the file changed on disk", path=str(path))
        data = project_to_bytes(project)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        return hashlib.sha256(data).hexdigest()

    for fn in (new_project, project_to_bytes, project_from_bytes, load_project, save_project):
        setattr(mod, fn.__name__, fn)
    sys.modules["annotator.formats.project_xml"] = mod


_install_stand_in()

SAMPLE_TEXT = (
    "Amnesty International today called on the authorities to release "
    "“Sané Diop”, a journalist, and 12 trade unionists.\n"
    "\n"
    "The Ministry of Interior must stop the harassment of human rights defenders.\n"
)
SECOND_TEXT = "Police arrested the journalist again. The journalist was released later."


def make_project() -> Project:
    from annotator.formats.project_xml import new_project

    p = new_project("Sample")
    p.add_document(Document("doc0001", SAMPLE_TEXT, DocumentMeta(headline="Release one")))
    p.add_document(Document("doc0002", SECOND_TEXT, DocumentMeta(headline="Release two")))
    return p


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("settings")
    monkeypatch.setenv("ANNOTATOR_SETTINGS_DIR", str(folder))
    monkeypatch.setenv("ANNOTATOR_NAME", "tester")
    from annotator.ui import dialogs

    def refuse(*_a, **_k):  # type: ignore[no-untyped-def]
        raise AssertionError("an unexpected dialog was opened")

    for name in (
        "show_error",
        "show_info",
        "ask_save_changes",
        "ask_restore",
        "ask_conflict",
        "ask_name",
        "get_open_path",
        "get_save_path",
        "get_import_paths",
    ):
        monkeypatch.setattr(dialogs, name, refuse)
    return folder


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    from annotator.formats.project_xml import save_project

    path = tmp_path / "sample.xml"
    save_project(make_project(), path)
    return path


@pytest.fixture
def make_window(qtbot, project_path: Path):  # type: ignore[no-untyped-def]
    from annotator.ui.main_window import MainWindow

    windows = []

    def _discard(w) -> None:  # type: ignore[no-untyped-def]
        w.closing_confirmed = True

    def build(path: Path | None = project_path, plugins: bool = False):  # type: ignore[no-untyped-def]
        w = MainWindow("tester", plugins=plugins)
        qtbot.addWidget(w, before_close_func=_discard)
        if path is not None:
            assert w.file_ops.open_path(path, ask=False)
        w.resize(1000, 700)
        w.show()
        qtbot.waitExposed(w)
        windows.append(w)
        return w

    yield build
    for w in windows:
        w.closing_confirmed = True
        w.session.undo_stack.setClean()


@pytest.fixture
def window(make_window):  # type: ignore[no-untyped-def]
    return make_window()


def iter_nothing() -> Iterator[None]:
    yield from ()
