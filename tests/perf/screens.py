"""Screenshots of the app for a visual check: main window, inspector, guidelines,
and at 1024×700, 1366×768 and 1920×1080 the main window, the Inspector, Find,
review mode (with a colleague's layer that differs in every way review knows),
its Agreement tab, the Focus layout, correcting text, links and suggestions; the
tag-set editor at 1024×700 and 1920×1080 (``--tagset-editor``: only those); and at
1366×768 and 1920×1080 the Overview panel (``--overview``: only those).

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. python tests/perf/screens.py [PROJECT.xml]
    # or under Xvfb: Xvfb :94 -screen 0 2000x1200x24 & DISPLAY=:94 PYTHONPATH=. python ...
    # (Qt's xcb plug-in needs libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxkbcommon-x11-0)

Writes PNGs into ``tests/perf/out/``. Uses ``projects/sample.xml`` when it
exists, else a demo project built from the real seed release with annotations
in two layers (overlapping, nested, discontinuous, one needing a check).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("ANNOTATOR_SETTINGS_DIR", tempfile.mkdtemp(prefix="annotator-screens-"))
os.environ.setdefault("ANNOTATOR_NAME", "maria")
if "DISPLAY" not in os.environ:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget

from annotator.formats.tagset_xml import default_tagset
from annotator.model import (
    AddAnnotation,
    Document,
    DocumentMeta,
    Project,
    SetAttribute,
    SetNote,
    SetStatus,
    Status,
)

OUT = Path(__file__).resolve().parent / "out"
SEED = Path(__file__).resolve().parents[1] / "data" / "000_3a922b85f584e461.txt"
FALLBACK = (
    "SEOUL -- President Kim needs to move beyond rhetoric, Amnesty International said. "
    "His government's failure to stop abuse of the National Security Law, to release "
    "political prisoners and to engage with local human rights organizations. South Korea, "
    "South Korea, human rights, human rights, human rights."
)


def clean_pdf_text(raw: str) -> str:
    """Undo the PDF layout of the seed: blank lines between lines, spaces-only = paragraph."""
    paras: list[list[str]] = [[]]
    for line in raw.splitlines():
        if line == "":
            continue
        if not line.strip():
            if paras[-1]:
                paras.append([])
            continue
        paras[-1].append(line.strip())
    return "\n\n".join(" ".join(p) for p in paras if p)


def imported_seed() -> list[Document]:
    """The seed releases as the real importer reads them (if it is there)."""
    try:
        from annotator.releases import read_releases
    except ImportError:
        return []
    return read_releases(SEED) if SEED.exists() else []


def demo_project() -> Project:
    p = Project("Campaign releases 1998", default_tagset())
    seed_docs = imported_seed()
    if seed_docs:
        for n, doc in enumerate(seed_docs, start=1):
            p.add_document(Document(f"doc{n:04d}", doc.text, doc.meta))
    else:
        raw = SEED.read_text("utf-8") if SEED.exists() else FALLBACK
        p.add_document(Document("doc0001", clean_pdf_text(raw), DocumentMeta(headline="Seed")))
    text = p.document("doc0001").text
    me, other = "maria", "alice"
    p.ensure_layer(me)
    p.ensure_layer(other)

    def span(phrase: str, nth: int = 0) -> tuple[int, int]:
        i = -1
        for _ in range(nth + 1):
            i = text.find(phrase, i + 1)
        if i < 0:
            raise SystemExit(f"phrase not in demo text: {phrase!r}")
        return i, i + len(phrase)

    def add(layer: str, tag: str, *phrases: str, nth: int = 0) -> str:
        cmd = AddAnnotation(layer, "doc0001", tag, [span(ph, nth) for ph in phrases], author=layer)
        cmd.do(p)
        assert cmd.ann_id
        return cmd.ann_id

    add(me, "authority", "President Kim")
    a = add(
        me,
        "appeal",
        "to stop abuse of the National Security Law, to release political prisoners",
    )
    SetAttribute(me, "doc0001", a, "action", ("release", "stop")).do(p)
    add(me, "victim", "political prisoners")
    add(me, "authority", "His government")
    v = add(me, "victim", "local human rights organizations")
    SetNote(me, "doc0001", v, "Are organisations victims here? Ask in review.").do(p)
    add(me, "authority", "South Korea", nth=1)
    n = add(me, "victim", "human rights", nth=2)
    p.layer(me).docs["doc0001"].annotations[n].needs_check = True
    add(other, "authority", "President Kim")
    add(other, "appeal", "to release political prisoners")
    add(other, "victim", "political prisoners")
    SetStatus("doc0001", me, Status.IN_PROGRESS).do(p)
    return p


def with_colleague(project: Project, me: str, colleague: str = "tester") -> None:
    """A colleague's layer made from ``me``'s: some missing, some with other boundaries,
    tags or attribute values, the rest the same (what review mode sorts into groups)."""
    if colleague in project.layers or me not in project.layers:
        return
    project.ensure_layer(colleague)
    tags = [t.name for t in project.tagset.tags]
    for doc_id, da in list(project.layers[me].docs.items()):
        text = project.document(doc_id).text
        for i, ann in enumerate(da.sorted_annotations()):
            frags = [(f.start, f.end) for f in ann.fragments]
            tag, attrs = ann.tag, dict(ann.attributes)
            if i % 6 == 0:
                continue  # missing in the colleague's layer
            if i % 6 == 1:  # one more word: other boundaries
                s, e = frags[-1]
                nxt = text.find(" ", e + 1)
                frags[-1] = (s, nxt if 0 < nxt < e + 30 else e)
            elif i % 6 == 2:
                tag = tags[(tags.index(tag) + 1) % len(tags)] if tag in tags else tag
                attrs = {}
            elif i % 6 == 3:
                tt = project.tagset.tag(tag) if project.tagset.has_tag(tag) else None
                for attr in tt.attributes if tt else ():
                    if attr.values and attr.name in attrs:
                        old = attrs[attr.name]
                        first = old if isinstance(old, str) else (old[0] if old else "")
                        other = next((v for v in attr.values if v != first), first)
                        attrs[attr.name] = (other,) if attr.multiple else other
                        break
            AddAnnotation(colleague, doc_id, tag, frags, attrs, author=colleague).do(project)


def save(widget: QWidget, name: str) -> Path:
    QApplication.processEvents()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    widget.grab().save(str(path))
    print(path)
    return path


SIZES = [(1024, 700), (1366, 768), (1920, 1080)]


def settle(app: QApplication, rounds: int = 8) -> None:
    """Let the panels take their sizes (they are given just after a show)."""
    import time

    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.02)


def shoot_size(app: QApplication, sample: Path, user: str, size: tuple[int, int]) -> None:
    """The main window and its modes at one window size, as a first-time user sees them."""
    from annotator.ui import settings
    from annotator.ui.main_window import MainWindow

    tag = f"{size[0]}x{size[1]}"
    for key in ("window/geometry", "window/state"):  # each size as on a first start
        settings.app_settings().remove(key)
    window = MainWindow(user)
    if sample.exists():
        from annotator.formats.project_xml import load_project

        project = load_project(sample)[0]
    else:
        project = demo_project()
    with_colleague(project, user)
    window.set_project(project, None, None)
    window.resize(*size)
    window.show()
    settle(app)
    session = window.session
    layer = session.project.layers.get(session.layer)
    da = layer.docs.get(session.current_doc_id) if layer else None
    if da and da.annotations:
        # the appeal: a closed multi-choice attribute and links, the widest Inspector
        anns = da.sorted_annotations()
        pick = next((a for a in anns if a.tag == "appeal"), anns[min(1, len(anns) - 1)])
        session.select(session.layer, pick.id)
    settle(app)
    save(window, f"main_{tag}.png")
    docks = window.docks
    if docks is not None:
        save(docks.inspector, f"inspector_{tag}.png")
    window.find_bar.open()
    window.find_bar.edit.setText("human rights")
    settle(app)
    save(window, f"find_{tag}.png")
    window.find_bar.close_bar()
    review = getattr(window, "review", None)
    if review is not None:
        review.enter()
        settle(app)
        review.step(True)  # F8: the first disagreement, text scrolled to it
        settle(app)
        save(window, f"review_{tag}.png")
        review.show_agreement()
        tab = review.dock.agreement_tab
        for _ in range(200):  # measured a slice at a time: wait until the table is there
            if review.controller.agreement is not None:
                break
            settle(app, 1)
        settle(app)
        save(window, f"agreement_{tag}.png")
        review.dock.tabs.setCurrentIndex(0)
        del tab
        review.leave()
    if window.window_layout is not None:
        window.window_layout.set_focus(True)
        settle(app)
        save(window, f"focus_{tag}.png")
        window.window_layout.set_focus(False)
    window.correction.set_enabled(True)
    settle(app)
    save(window, f"correct_text_{tag}.png")
    window.correction.set_enabled(False)
    settle(app)
    save(window, f"main_after_modes_{tag}.png")
    window.closing_confirmed = True
    window.close()
    app.processEvents()


def shoot_links(app: QApplication, sample: Path, user: str, size: tuple[int, int]) -> None:
    """A release with its links drawn in the text, hovering one of them, at one size.

    The release with the most links of the user's layer, scrolled to its first linked
    paragraph; the mouse rests on an annotation with links (both ends are framed)."""
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QMouseEvent

    from annotator.model import AddLink
    from annotator.ui import settings
    from annotator.ui.main_window import MainWindow

    tag = f"{size[0]}x{size[1]}"
    for key in ("window/geometry", "window/state"):
        settings.app_settings().remove(key)
    settings.set_show_links(True)
    window = MainWindow(user)
    if not (sample.exists() and window.file_ops.open_path(sample, ask=False)):
        window.set_project(demo_project(), None, None)
    session = window.session
    layer = session.project.layers[session.layer]
    if not any(da.links for da in layer.docs.values()):  # the demo: link what allows it
        da = layer.docs.get(session.current_doc_id)
        anns = da.sorted_annotations() if da else []
        for src in anns:
            for tgt in anns:
                lt = next(
                    (t for t in session.project.tagset.links if t.allows(src.tag, tgt.tag)), None
                )
                if lt is not None and src.id != tgt.id:
                    session.execute(
                        AddLink(session.layer, session.current_doc_id, lt.name, src.id, tgt.id)
                    )
                    break
    doc_id = max(layer.docs, key=lambda d: len(layer.docs[d].links))
    session.set_current_document(doc_id)
    window.resize(*size)
    window.show()
    settle(app)
    view = window.text_view
    da = layer.docs[doc_id]
    first = min((da.annotations[lk.source] for lk in da.links.values()), key=lambda a: a.start)
    view.show_annotation(first)
    view.verticalScrollBar().setValue(max(0, view.verticalScrollBar().value() - 2))
    settle(app)
    view.viewport().repaint()
    arcs = view.link_arcs.painted
    if arcs:
        arc = arcs[len(arcs) // 2]
        rect = arc.source or arc.target
        if rect is not None:
            pos = rect.center()
            move = QMouseEvent(
                QMouseEvent.Type.MouseMove,
                QPointF(pos),
                view.viewport().mapToGlobal(QPointF(pos)),
                Qt.MouseButton.NoButton,
                Qt.MouseButton.NoButton,
                Qt.KeyboardModifier.NoModifier,
            )
            QApplication.sendEvent(view.viewport(), move)
    settle(app)
    save(window, f"links_{tag}.png")
    window.closing_confirmed = True
    window.close()
    app.processEvents()


def shoot_suggestions(app: QApplication, sample: Path, user: str, size: tuple[int, int]) -> Path:
    """A release with its suggestions shown (dashed outlines) for an annotator who has
    tagged nothing yet, with the third one current (Tab, Tab, Tab): its heavier outline,
    and the status bar naming it, its suggester and the keys."""
    from annotator.ui import settings
    from annotator.ui.main_window import MainWindow

    tag = f"{size[0]}x{size[1]}"
    for key in ("window/geometry", "window/state"):
        settings.app_settings().remove(key)
    window = MainWindow(user)
    if not (sample.exists() and window.file_ops.open_path(sample, ask=False)):
        window.set_project(demo_project(), None, None)
    window.session.show_layers([])  # only the user's own (empty) layer under the boxes
    window.resize(*size)
    window.show()
    settle(app)
    sug = window.suggestions
    sug.set_shown(True)
    for _ in range(500):  # computed on the worker: wait for the result
        if not sug.busy:
            break
        settle(app, 1)
    view = window.text_view
    view.set_selection_cp(0, 0)
    for _ in range(3):
        sug.step(1)
    view.verticalScrollBar().setValue(0)
    settle(app)
    path = save(window, f"suggestions_{tag}.png")
    sug.set_shown(False)  # the next shots start without them
    window.closing_confirmed = True
    window.close()
    app.processEvents()
    return path


def shoot_overview(
    app: QApplication, project: Project, user: str, size: tuple[int, int], name: str
) -> None:
    """The Overview panel as a coordinator opens it (View ▸ Overview), then after a click
    on a bar has listed its annotations in the Annotations panel."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from annotator.ui import settings
    from annotator.ui.main_window import MainWindow

    tag = f"{name}_{size[0]}x{size[1]}"
    for key in ("window/geometry", "window/state"):
        settings.app_settings().remove(key)
    window = MainWindow(user)
    window.set_project(project, None, None)
    window.resize(*size)
    window.show()
    settle(app)
    window.overview.toggle_action.trigger()
    settle(app, 20)
    save(window, f"overview_{tag}.png")
    charts = window.overview.charts
    card = next((c for cid, c in charts.cards.items() if cid.endswith(".harm")), None)
    spec = card.spec if card is not None else None
    bar = next((b for b in spec.bars if b.count), None) if spec is not None else None
    if card is not None and bar is not None:
        charts.scroller.ensureWidgetVisible(card)
        settle(app)
        point = card.bar_center(bar.key)
        if point is not None:
            QTest.mouseClick(
                card.view.viewport(),
                Qt.MouseButton.LeftButton,
                pos=QPoint(*map(int, point.toTuple())),
            )
            settle(app, 20)
    save(window, f"overview_clicked_{tag}.png")
    save(window.overview, f"overview_panel_{tag}.png")
    window.closing_confirmed = True
    window.session.undo_stack.setClean()
    window.close()
    app.processEvents()


EDITOR_SIZES = [(1024, 700), (1920, 1080)]


def shoot_tagset_editor(app: QApplication, sample: Path, user: str, size: tuple[int, int]) -> None:
    """Project > Tag Set… at one size: a tag whose new colour looks like another's for
    colour-blind readers and whose key was refused; then a value in use being removed."""
    from annotator.model.tagset_commands import EditTag
    from annotator.ui.main_window import MainWindow

    tag = f"{size[0]}x{size[1]}"
    window = MainWindow(user)
    if sample.exists():  # as a copy: the edits below must not journal beside the sample
        from annotator.formats.project_xml import load_project

        window.set_project(load_project(sample)[0], None, None)
    else:
        window.set_project(demo_project(), None, None)
    window.resize(*size)
    window.show()
    editor = window.show_tagset_editor()
    editor.resize(*size)
    settle(app)
    session = window.session
    victim = session.project.tagset.tags[1]
    # a green of the appeal's lightness: deuteranopes see the two as one
    session.execute(EditTag(victim.name, color="#2CA02C"))
    session.execute(EditTag(session.project.tagset.tags[0].name, color="#D62728"))
    editor.tree.select(("tag", victim.name))
    page = editor.pages["tag"]
    page.shortcut._offer("Ctrl+S")  # refused: the sentence says what uses it
    settle(app)
    save(editor, f"tagset_editor_{tag}.png")
    used = next(
        (
            ("value", ann.tag, name, v)
            for _l, _d, ann in session.project.iter_annotations()
            for name, value in ann.attributes.items()
            for v in (value if isinstance(value, tuple) else (value,))
            if session.project.tagset.tag(ann.tag).attribute(name).closed
        ),
        None,
    )
    if used is not None:
        editor.tree.select(used)
        editor.remove()
        settle(app)
        save(editor, f"tagset_editor_remove_{tag}.png")
        editor.removal.close_panel()
    links = session.project.tagset.links
    if links:  # a link type: the tags it may go from and to
        editor.tree.select(("link", links[0].name))
        settle(app)
        save(editor, f"tagset_editor_link_{tag}.png")
    editor.close()
    window.closing_confirmed = True
    window.close()
    app.processEvents()


def overview_shots(app: QApplication, sample: Path) -> None:
    """The Overview on the sample (two releases) and on a synthetic corpus of 400."""
    from annotator.formats.project_xml import load_project

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from synth import make_project

    for size in SIZES[1:]:
        shoot_overview(app, load_project(sample)[0], "newcomer", size, "sample")
        shoot_overview(app, make_project(400, 8000), "newcomer", size, "synth")


def main(argv: list[str]) -> int:
    app = QApplication.instance() or QApplication([])
    if argv[:1] == ["--overview"]:
        overview_shots(app, Path(__file__).resolve().parents[2] / "projects/sample.xml")
        return 0
    if argv[:1] == ["--tagset-editor"]:
        sample = Path(__file__).resolve().parents[2] / "projects/sample.xml"
        for size in EDITOR_SIZES:
            shoot_tagset_editor(app, sample, "dana", size)
        return 0
    from annotator.ui.main_window import MainWindow

    sample = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "projects/sample.xml"
    user = "maria"
    if sample.exists():
        from annotator.formats.project_xml import load_project

        # look at the sample through the eyes of the person who annotated it
        user = next(iter(load_project(sample)[0].layers), user)
    window = MainWindow(user)
    if not (sample.exists() and window.file_ops.open_path(sample, ask=False)):
        window.set_project(demo_project(), None, None)
    window.resize(1440, 900)
    window.show()
    session = window.session
    layer = session.project.layers.get(session.layer)
    da = layer.docs.get(session.current_doc_id) if layer else None
    if da and da.annotations:
        first = da.sorted_annotations()[min(1, len(da.annotations) - 1)]
        session.select(session.layer, first.id)
    save(window, "main_window.png")

    window.ui_actions.show_other_layers.setChecked(True)
    window.toggle_other_layers(True)
    window.find_bar.open()
    window.find_bar.edit.setText("human rights")
    save(window, "main_window_layers_find.png")
    window.find_bar.close_bar()

    docks = window.docks
    inspector = getattr(docks, "inspector", None) if docks is not None else None
    if inspector is not None:
        save(inspector if isinstance(inspector, QWidget) else window, "inspector.png")
    else:
        print("inspector: docks not installed in this checkout, skipped")
    try:
        from annotator.ui.docks import GuidelinesDialog  # type: ignore[attr-defined]
    except ImportError:
        print("guidelines dialog: docks not installed in this checkout, skipped")
    else:
        dlg = GuidelinesDialog(session.project.tagset, window)
        dlg.resize(900, 700)
        dlg.show()
        save(dlg, "guidelines.png")
        dlg.close()
    window.correction.set_enabled(True)
    save(window, "correct_text_mode.png")
    window.correction.set_enabled(False)
    window.closing_confirmed = True
    window.close()
    app.processEvents()
    for size in SIZES:
        shoot_size(app, sample, user, size)
        shoot_links(app, sample, user, size)
        shoot_suggestions(app, sample, "newcomer", size)
    for size in EDITOR_SIZES:
        shoot_tagset_editor(app, sample, user, size)
    overview_shots(app, sample)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
