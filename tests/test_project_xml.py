"""The project file round-trips any project exactly, byte-stable, schema-valid."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from annotator import assets
from annotator.errors import ConcurrentModification, SaveFailed
from annotator.formats import project_xml
from annotator.formats.project_writer import VERSION_WITHOUT_LOG
from annotator.formats.project_xml import (
    load_project,
    new_project,
    project_from_bytes,
    project_to_bytes,
    save_project,
    validate_file,
)
from annotator.formats.tagset_xml import default_tagset
from annotator.formats.xmltext import attr_text, attr_value, element_text, text_content
from annotator.model import (
    CURATED_LAYER,
    AddAnnotation,
    Annotation,
    Comment,
    Document,
    DocumentMeta,
    Fragment,
    History,
    Layer,
    LayerKind,
    Link,
    Project,
    ReviewStatus,
    Status,
)

sys.path.insert(0, str(Path(__file__).resolve().parent / "perf"))
from synth import make_project

SCHEMA = Path(str(assets.resource("schema", "project-2.xsd")))
HYPO = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Characters that break naive XML writers, and text a PDF extraction really holds.
NASTY = [
    "\x0c", "\x00", "\x1b", "\x7f", "\r", "\r\n", "\t", "\n", "]]>", "<", "&", ">", '"', "'",
    "😀", "𠀀", "e\u0301", "\ud800", "\udfff", "\ufffe", "\uffff", "\ufffd", "\\u{41}", "\\",
    "\\u{", "&amp;", "<c u=\"41\"/>", "“Sané”", "\u2028", "\u0085", "  ", "…",
]  # fmt: skip

nasty_text = st.lists(
    st.one_of(st.sampled_from(NASTY), st.text(st.characters(blacklist_categories=()), max_size=5)),
    max_size=25,
).map("".join)
plain = st.text("abc XYZ-_.:é", max_size=8)


def canonical(project: Project) -> object:
    """Everything a project file must preserve, as comparable data."""
    return (
        project.name,
        project.tagset,
        [(d.id, d.text, d.meta, d.status, d.review_status) for d in project.documents.values()],
        {
            name: (
                layer.kind,
                layer.counter,
                {doc_id: (da.annotations, da.links) for doc_id, da in layer.docs.items() if da},
            )
            for name, layer in project.layers.items()
        },
    )


@st.composite
def annotations(draw: st.DrawFn, text_len: int, ann_id: str) -> Annotation:
    tagset = default_tagset()
    tag = draw(st.sampled_from(tagset.tags))
    cuts = sorted(draw(st.sets(st.integers(0, text_len), min_size=2, max_size=6)))
    pairs = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False)]
    # keep a gap between pieces so the fragments stay as drawn (normalised)
    frags: list[Fragment] = []
    for a, b in pairs:
        if frags and a <= frags[-1].end:
            continue
        frags.append(Fragment(a, b))
    attrs: dict[str, str | tuple[str, ...]] = {}
    for a in tagset.tag(tag.name).attributes:
        if draw(st.booleans()):
            if a.multiple:
                attrs[a.name] = tuple(sorted(draw(st.sets(st.sampled_from(a.values), min_size=1))))
            else:
                attrs[a.name] = draw(st.sampled_from(a.values))
    created_by = draw(st.one_of(st.just("alice"), nasty_text))
    created_at = draw(st.sampled_from(["", "2026-01-02T03:04:05Z"]))
    return Annotation(
        id=ann_id,
        tag=tag.name,
        fragments=tuple(frags),
        attributes=attrs,
        note=draw(st.one_of(st.just(""), nasty_text)),
        created_by=created_by,
        created_at=created_at,
        modified_by=draw(st.sampled_from([created_by, "", "bob"])),
        modified_at=draw(st.sampled_from([created_at, "", "2026-02-03T00:00:00Z"])),
        needs_check=draw(st.booleans()),
        comments=draw(st.lists(st.builds(Comment, plain, plain, nasty_text), max_size=2)),
        provenance=draw(st.dictionaries(nasty_text, nasty_text, max_size=2)),
    )


@st.composite
def projects(draw: st.DrawFn) -> Project:
    tagset = default_tagset()
    project = Project(name=draw(nasty_text), tagset=tagset)
    n_docs = draw(st.integers(1, 3))
    for i in range(n_docs):
        text = draw(nasty_text.filter(lambda t: len(t) >= 2))
        meta = DocumentMeta(
            headline=draw(nasty_text),
            country=draw(plain),
            date=draw(plain),
            source_sha256=draw(st.sampled_from(["", "ab" * 32])),
            extra=draw(st.dictionaries(nasty_text, nasty_text, max_size=2)),
        )
        doc_id = draw(st.sampled_from([f"doc{i:04d}", f"d&<{i}>\x0c"]))
        if doc_id in project.documents:
            doc_id = f"doc{i:04d}"
        project.add_document(
            Document(
                id=doc_id,
                text=text,
                meta=meta,
                status=draw(st.dictionaries(plain, st.sampled_from(list(Status)), max_size=2)),
                review_status=draw(st.sampled_from(list(ReviewStatus))),
            )
        )
    names = draw(st.lists(st.sampled_from(["alice", "bob ö", CURATED_LAYER, "x\x01"]), min_size=1,
                          max_size=3, unique=True))  # fmt: skip
    counter = 0
    for name in names:
        kind = LayerKind.CURATED if name == CURATED_LAYER else LayerKind.ANNOTATOR
        layer = Layer(name=name, kind=kind, counter=draw(st.integers(0, 10**6)))
        project.layers[name] = layer
        for doc in project.documents.values():
            da = layer.doc(doc.id)
            for _ in range(draw(st.integers(0, 4))):
                counter += 1
                ann = draw(annotations(len(doc.text), f"a{counter}"))
                if ann.fragments:
                    da.annotations[ann.id] = ann
            anns = list(da.annotations.values())
            for src in anns:
                for lt in tagset.link_types_from(src.tag):
                    targets = [t for t in anns if t.tag in lt.targets]
                    if targets and draw(st.booleans()):
                        counter += 1
                        tgt = draw(st.sampled_from(targets))
                        da.links[f"r{counter}"] = Link(
                            f"r{counter}",
                            lt.name,
                            src.id,
                            tgt.id,
                            draw(st.dictionaries(nasty_text.filter(bool), nasty_text, max_size=2)),
                            draw(st.one_of(st.just(""), nasty_text)),
                        )
    return project


# --- round trips ---------------------------------------------------------------------


@HYPO
@given(projects())
def test_any_project_round_trips_exactly_and_byte_stable(project: Project) -> None:
    data = project_to_bytes(project)
    again = project_from_bytes(data)
    assert canonical(again) == canonical(project)
    assert project_to_bytes(again) == data
    assert project_to_bytes(project) == data  # saving twice: same bytes
    assert data.endswith(b"\n") and b"\r" not in data
    data.decode("utf-8")  # strict UTF-8, no surrogates
    assert project_xml.schema().validate(etree.fromstring(data))


@HYPO
@given(nasty_text)
def test_text_escape_round_trips(s: str) -> None:
    el = etree.fromstring(f"<text>{text_content(s)}</text>".encode())
    assert element_text(el) == s


@HYPO
@given(nasty_text)
def test_attribute_escape_round_trips(s: str) -> None:
    el = etree.fromstring(f'<x v="{attr_value(s)}"/>'.encode())
    assert attr_text(el.get("v", "")) == s
    assert "\n" not in attr_value(s)


@HYPO
@given(nasty_text)
def test_fast_escape_check_agrees_with_the_full_one(s: str) -> None:
    from annotator.formats.xmltext import _ATTR_SPECIAL, needs_attr_escape

    assert needs_attr_escape(s) == (_ATTR_SPECIAL.search(s) is not None)


def test_one_annotation_per_line_and_stable_order() -> None:
    project = make_project(n_docs=5, n_annotations=60, layers=("bob", "alice"), seed=3)
    text = project_to_bytes(project).decode("utf-8")
    ann_lines = [ln for ln in text.splitlines() if ln.lstrip().startswith("<ann ")]
    assert len(ann_lines) == sum(la.annotation_count() for la in project.layers.values())
    assert all(ln.endswith(("/>", "</ann>")) for ln in ann_lines)
    # layers by name, whatever order they were made in
    assert text.index('<layer name="alice"') < text.index('<layer name="bob"')
    # no save-time stamp: two saves a second apart are identical
    assert project_to_bytes(project) == text.encode("utf-8")


def test_readable_layout() -> None:
    project = new_project("demo")
    project.add_document(Document(id="doc0001", text="Free Sam Rainsy\fnow.\r\n"))
    project.ensure_layer("alice")
    History(project).push(AddAnnotation("alice", "doc0001", "victim", [(5, 15), (16, 19)]))
    text = project_to_bytes(project).decode("utf-8")
    assert '<text>Free Sam Rainsy<c u="000C"/>now.&#13;\n</text>' in text
    assert 'frags="5-15 16-19" quote="Sam Rainsy … now"' in text
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<annotator-project format')


def test_synthetic_project_round_trips_with_two_layers() -> None:
    project = make_project(n_docs=20, n_annotations=300, layers=("alice", "bob"), seed=1)
    data = project_to_bytes(project)
    again = project_from_bytes(data)
    assert canonical(again) == canonical(project)
    assert project_to_bytes(again) == data


# --- external validation with xmllint ---------------------------------------------


@pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint not installed")
@settings(HYPO, max_examples=15)
@given(projects())
def test_written_files_validate_with_xmllint(project: Project) -> None:
    data = project_to_bytes(project)
    result = subprocess.run(
        ["xmllint", "--noout", "--schema", str(SCHEMA), "-"],
        input=data,
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()


@pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint not installed")
def test_xmllint_rejects_what_the_schema_forbids(tmp_path: Path) -> None:
    data = project_to_bytes(make_project(n_docs=2, n_annotations=10, seed=2))
    bad = tmp_path / "bad.xml"
    bad.write_bytes(data.replace(b"<layers>", b"<layers><bogus/>", 1))
    result = subprocess.run(
        ["xmllint", "--noout", "--schema", str(SCHEMA), str(bad)], capture_output=True, check=False
    )
    assert result.returncode != 0


# --- files: load, save, conflicts, backups -------------------------------------------


def small_project() -> Project:
    return make_project(n_docs=3, n_annotations=20, layers=("alice",), seed=5)


def test_save_then_load_returns_the_same_hash(tmp_path: Path) -> None:
    path = tmp_path / "p.xml"
    digest = save_project(small_project(), path)
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()
    project, loaded = load_project(path)
    assert loaded == digest
    assert save_project(project, path, expected_sha256=loaded) == digest  # unchanged: same bytes
    assert validate_file(path) == []


def test_backup_holds_the_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "p.xml"
    project = small_project()
    first = save_project(project, path)
    project.name = "renamed"
    save_project(project, path, expected_sha256=first)
    bak = tmp_path / "p.xml.bak"
    assert hashlib.sha256(bak.read_bytes()).hexdigest() == first
    assert load_project(bak)[0].name != "renamed"
    save_project(project, tmp_path / "q.xml", backup=False)
    assert not (tmp_path / "q.xml.bak").exists()


def test_refuses_to_overwrite_a_file_changed_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "p.xml"
    digest = save_project(small_project(), path)
    theirs = small_project()
    theirs.name = "a colleague's save"
    save_project(theirs, path)  # another window saves meanwhile
    on_disk = path.read_bytes()
    with pytest.raises(ConcurrentModification) as info:
        save_project(small_project(), path, expected_sha256=digest)
    assert path.read_bytes() == on_disk
    assert "changed on disk since it was opened" in str(info.value)
    assert str(path) in str(info.value)


def test_save_when_the_file_vanished_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "p.xml"
    digest = save_project(small_project(), path)
    path.unlink()
    save_project(small_project(), path, expected_sha256=digest)
    assert path.exists()


def test_writer_bug_is_caught_before_the_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.xml"
    save_project(small_project(), path)
    before = path.read_bytes()
    monkeypatch.setattr(
        project_xml, "project_chunks", lambda p: iter([before.replace(b"<layers>", b"")])
    )
    with pytest.raises(SaveFailed) as info:
        save_project(small_project(), path)
    assert "nothing was written" in str(info.value)
    assert path.read_bytes() == before


def test_new_project_uses_the_default_tag_set() -> None:
    project = new_project("x")
    assert project.tagset == default_tagset()
    assert project_from_bytes(project_to_bytes(project)).tagset == default_tagset()


# --- upgrading older formats -------------------------------------------------------

V0 = """<?xml version="1.0" encoding="UTF-8"?>
<annotator-project format-version="0" name="draft">
  <tagset name="t">
    <tag name="victim" label="Victim" color="#56B4E9"/>
  </tagset>
  <documents>
    <document id="d1" sha256="{sha}">
      <text>Free Sam Rainsy &amp; 😀 friends</text>
    </document>
  </documents>
  <layers>
    <layer name="alice" kind="annotator">
      <ann id="a1" doc="d1" tag="victim" start="5" end="15" created-by="alice"/>
      <ann id="a2" doc="d1" tag="victim" start="18" end="27"/>
    </layer>
  </layers>
</annotator-project>
"""


def v0_file(tmp_path: Path) -> Path:
    sha = hashlib.sha256("Free Sam Rainsy & 😀 friends".encode()).hexdigest()
    path = tmp_path / "old.xml"
    path.write_text(V0.format(sha=sha), encoding="utf-8")
    return path


def test_version_0_is_upgraded_on_load(tmp_path: Path) -> None:
    path = v0_file(tmp_path)
    project, _ = load_project(path)
    anns = project.layers["alice"].docs["d1"].annotations
    assert anns["a1"].fragments == (Fragment(5, 15),)
    assert anns["a1"].covered_text(project.documents["d1"].text) == "Sam Rainsy"
    assert anns["a2"].covered_text(project.documents["d1"].text) == "😀 friends"
    assert validate_file(path) == []
    saved = tmp_path / "new.xml"
    save_project(project, saved)
    text = saved.read_text(encoding="utf-8")
    # no tag-set log: written in the version that older annotators read
    assert f'format-version="{VERSION_WITHOUT_LOG}"' in text and 'quote="Sam Rainsy"' in text
    assert 'start="' not in text


def test_upgrade_chain_is_applied_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.formats import project_upgrade

    seen: list[int] = []
    monkeypatch.setattr(project_upgrade, "FORMAT_VERSION", 3)
    monkeypatch.setattr(
        project_upgrade,
        "UPGRADES",
        {v: (lambda root, v=v: seen.append(v)) for v in range(3)},
    )
    root = etree.fromstring(b'<annotator-project format-version="1"/>')
    project_upgrade.upgrade(root, 1)
    assert seen == [1, 2]
    assert root.get("format-version") == "3"


V1 = """<?xml version="1.0" encoding="UTF-8"?>
<annotator-project format-version="1" name="v1">
  <tagset name="t">
    <tag name="victim" label="Victim" color="#56B4E9"/>
    <tag name="authority" label="Authority" color="#E69F00"/>
    <link name="responsible_for" sources="authority" targets="victim"/>
  </tagset>
  <documents>
    <document id="d1" sha256="{sha}">
      <text>Police beat students</text>
    </document>
  </documents>
  <layers>
    <layer name="alice" kind="annotator" counter="3">
      <ann id="a1" doc="d1" tag="authority" frags="0-6" quote="Police"/>
      <ann id="a2" doc="d1" tag="victim" frags="12-20" quote="students"/>
      <link id="r3" doc="d1" type="responsible_for" from="a1" to="a2"/>
    </layer>
  </layers>
</annotator-project>
"""


def test_version_1_is_upgraded_and_links_gain_attributes(tmp_path: Path) -> None:
    sha = hashlib.sha256(b"Police beat students").hexdigest()
    path = tmp_path / "v1.xml"
    path.write_text(V1.format(sha=sha), encoding="utf-8")
    assert validate_file(path) == []
    project, _ = load_project(path)
    link = project.layers["alice"].docs["d1"].links["r3"]
    assert (link.source, link.target, link.attributes, link.note) == ("a1", "a2", {}, "")
    project.layers["alice"].docs["d1"].links["r3"] = Link(
        "r3", "responsible_for", "a1", "a2", {"certainty": "high", "source": "MAE"}, "NA?"
    )
    saved = tmp_path / "v2.xml"
    save_project(project, saved)
    data = saved.read_bytes()
    assert f'format-version="{VERSION_WITHOUT_LOG}"'.encode() in data
    assert b'note="NA?"><attr name="certainty" value="high"/>' in data
    assert project_xml.schema().validate(etree.fromstring(data))
    back, _ = load_project(saved)
    assert back.layers["alice"].docs["d1"].links["r3"].attributes == {
        "certainty": "high",
        "source": "MAE",
    }
    assert back.layers["alice"].docs["d1"].links["r3"].note == "NA?"


def test_a_link_type_allowing_a_tag_whose_name_has_a_space_round_trips() -> None:
    """A tag another tool named ``odd tag`` stays one name in a link type's sources,
    so a link from such an annotation still loads."""
    from tests.strategies import TRICKY_TAGSET

    project = Project(name="t", tagset=TRICKY_TAGSET)
    project.add_document(Document("d", "Odd words here."))
    da = project.ensure_layer("alice").doc("d")
    da.annotations["a1"] = Annotation("a1", "odd tag", (Fragment(0, 3),))
    da.annotations["a2"] = Annotation("a2", "victim", (Fragment(4, 9),))
    da.links["r1"] = Link("r1", "rel", "a1", "a2")
    data = project_to_bytes(project)
    again = project_from_bytes(data)
    assert again.tagset.link_type("rel").sources == ("p", "odd tag")
    assert again.layers["alice"].docs["d"].links["r1"].source == "a1"
    assert project_to_bytes(again) == data
