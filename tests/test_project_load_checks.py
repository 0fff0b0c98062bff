"""Loading needs no schema pass, yet refuses everything the schema refuses.

The streaming reader makes the XSD's checks itself while it builds the model.
For each kind of violation the XSD catches, a small broken file shows that
the streaming pass does not accept it, and that loading it still ends in one
named error with the file and the line (the whole-tree path, which keeps the
XSD, says what and where). A property test breaks a good file at random: what
the streaming pass accepts, the schema and the tree path accept too, as the
same project.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.errors import AnnotatorError, SchemaViolation
from annotator.formats import project_stream, project_xml
from annotator.formats.project_xml import load_project, project_from_tree, project_to_bytes
from annotator.formats.tagset_xml import default_tagset
from annotator.model import (
    Annotation,
    Comment,
    Document,
    DocumentMeta,
    Fragment,
    Layer,
    LayerKind,
    Link,
    Project,
    ReviewStatus,
    Status,
)

TEXT = (
    "Amnesty International today urged the authorities in Dhaka to release the\n"
    "detained journalists.\x0c Police arrested twelve students on 3 May 🕊 in the capital."
)


def _good_project() -> Project:
    """Every element the format has: meta, extra, status, a <c/> in the text, an
    annotation with attributes, provenance and a comment, a note, a link with an
    attribute, a curated layer."""
    project = Project(name="Dhaka 2024", tagset=default_tagset())
    meta = DocumentMeta(headline="Bangladesh: release journalists", country="Bangladesh")
    meta.extra["desk"] = "south-asia"
    doc = Document(id="d1", text=TEXT, meta=meta, review_status=ReviewStatus.IN_REVIEW)
    doc.status["alice"] = Status.IN_PROGRESS
    project.documents["d1"] = doc

    def span(words: str) -> tuple[Fragment, ...]:
        start = TEXT.index(words)
        return (Fragment(start, start + len(words)),)

    alice = Layer(name="alice", counter=4)
    da = alice.doc("d1")
    da.annotations["a1"] = Annotation(
        "a1", "appeal", span("urged the authorities in Dhaka to release"),
        {"action": ("release",), "kind": "urging"}, created_by="alice",
        created_at="2024-05-04T10:00:00Z",
    )  # fmt: skip
    da.annotations["a2"] = Annotation(
        "a2", "authority", span("the authorities in Dhaka"), {"level": "national"},
        note="the capital's", created_by="alice", created_at="2024-05-04T10:01:00Z",
        modified_by="bob", modified_at="2024-05-05T09:00:00Z",
        comments=[Comment("rita", "2024-05-06T08:00:00Z", "whole phrase?")],
        provenance={"source": "import"},
    )  # fmt: skip
    da.annotations["a3"] = Annotation(
        "a3", "victim", span("twelve students"), {"group": ("student",)},
        created_by="alice", created_at="2024-05-04T10:02:00Z", needs_check=True,
    )  # fmt: skip
    da.links["r1"] = Link("r1", "addressee", "a1", "a2", {"via": "letter"}, "sent 4 May")
    project.layers["alice"] = alice
    curated = Layer(name="curated", kind=LayerKind.CURATED)
    curated.doc("d1").annotations["c1"] = Annotation(
        "c1", "victim", span("detained journalists"), created_by="rita"
    )
    project.layers["curated"] = curated
    return project


GOOD = project_to_bytes(_good_project())

#: (what the XSD refuses, the text replaced, its replacement): applied once to GOOD.
VIOLATIONS = [
    ("the root lacks its name", ' name="Dhaka 2024"', ""),
    ("an unknown attribute on the root", 'format-version="2"', 'format-version="2" x="1"'),
    ("an unknown element at the top", "  <documents>", "  <notes/>\n  <documents>"),
    ("the documents before the tag set", "<tagset ", "<documents/><tagset "),
    ("no layers", "  <layers>", "  </annotator-project><!--"),
    ("the documents twice", "  <layers>", "  <documents/>\n  <layers>"),
    ("a tag without a name", '<tag name="victim"', "<tag"),
    ("an unknown element in the tag set", "<description>", "<preface/><description>"),
    ("an unknown element among documents", "    <document ", "    <release/>\n    <document "),
    ("a document without id", ' id="d1"', ""),
    ("a document with an empty id", ' id="d1"', ' id=""'),
    ("an unknown attribute on a document", '<document id="d1"', '<document lang="en" id="d1"'),
    ("a review status the schema does not list", 'review="in-review"', 'review="maybe"'),
    ("two meta elements", "<meta ", '<meta country="x"/><meta '),
    ("an unknown attribute on meta", "<meta ", '<meta colour="red" '),
    ("meta after status", "<meta ", '<status annotator="x" value="done"/><meta '),
    ("text inside meta", 'country="Bangladesh"/>', 'country="Bangladesh">junk</meta>'),
    ("extra without value", 'value="south-asia"', ""),
    ("a status value the schema does not list", 'value="in-progress"', 'value="half"'),
    ("a status without annotator", 'annotator="alice" ', ""),
    ("a document without text", "<text>", "<txt>"),
    ("an element inside the text", "on 3 May", "on <b>3</b> May"),
    ("a character element with a bad code", 'u="000C"', 'u="c"'),
    ("a character element with an extra attribute", 'u="000C"', 'u="000C" v="1"'),
    ("text between documents", "</document>\n", "</document>\nstray\n"),
    ("no-break space between documents", "</document>\n", "</document>\u00a0\n"),
    ("a layer without kind", ' kind="curated"', ""),
    ("a layer kind the schema does not list", 'kind="curated"', 'kind="gold"'),
    ("a counter that is not a number", 'counter="4"', 'counter="four"'),
    ("an unknown attribute on a layer", '<layer name="alice"', '<layer owner="x" name="alice"'),
    ("an unknown element in a layer", "      <link ", "      <remark/>\n      <link "),
    ("an annotation without frags", ' frags="', ' spans="'),
    ("an annotation without quote", ' quote="', ' q="'),
    ("an annotation with an empty id", '<ann id="a1"', '<ann id=""'),
    ("an unknown attribute on an annotation", '<ann id="a1"', '<ann colour="red" id="a1"'),
    ("fragments that are not START-END", 'frags="', 'frags="+'),
    ("a needs-check that is not a boolean", 'needs-check="true"', 'needs-check="yes"'),
    ("an attr without value", '<attr name="kind" value="urging"/>', '<attr name="kind"/>'),
    ("an attr with an extra attribute", '<attr name="kind"', '<attr x="1" name="kind"'),
    ("prov before attr", '<attr name="level"', '<prov key="k" value="v"/><attr name="level"'),
    ("a comment before prov", "<prov ", '<comment by="a" at="b" text="c"/><prov '),
    ("a comment without text", ' text="whole phrase?"', ""),
    ("an element inside an attr", 'value="urging"/>', 'value="urging"><c u="0041"/></attr>'),
    ("text inside an annotation", '<attr name="kind"', 'x<attr name="kind"'),
    ("text between annotations", '      <ann id="a2"', 'stray      <ann id="a2"'),
    ("a link without its target", ' to="a2"', ""),
    ("an unknown attribute on a link", '<link id="r1"', '<link weight="1" id="r1"'),
    ("a link with an empty id", '<link id="r1"', '<link id=""'),
    ("a link child that is not an attr", '<attr name="via"', '<prov key="via"'),
    ("a link attr with an empty name", '<attr name="via"', '<attr name=""'),
]  # fmt: skip


def test_the_good_file_streams() -> None:
    reader = project_stream.StreamingReader("x", schema=project_xml.schema())
    assert reader.read_chunks([GOOD]) == _good_project() == project_from_tree(GOOD)


def test_every_violation_changes_the_good_file() -> None:
    for what, old, _ in VIOLATIONS:
        assert GOOD.count(old.encode()) >= 1, what


@pytest.mark.parametrize(("what", "old", "new"), VIOLATIONS, ids=[v[0] for v in VIOLATIONS])
def test_a_schema_violation_is_refused_with_file_and_line(
    what: str, old: str, new: str, tmp_path: Path
) -> None:
    bad = GOOD.replace(old.encode(), new.encode(), 1)
    with pytest.raises(project_stream.NotStreamable):
        project_stream.StreamingReader("x", schema=project_xml.schema()).read_chunks([bad])
    path = tmp_path / "broken.xml"
    path.write_bytes(bad)
    with pytest.raises(AnnotatorError) as caught:
        load_project(path)
    err = caught.value
    assert err.path == str(path)
    assert (err.line is not None and err.line > 1) or what.startswith("the root"), str(err)
    if what not in ("no layers", "the documents before the tag set", "a document without text"):
        assert isinstance(err, SchemaViolation), str(err)
    assert str(err).startswith(f"{path}, line ")


def test_the_schema_itself_refuses_every_violation() -> None:
    """The list holds schema violations, not only what the builder happens to dislike."""
    from lxml import etree

    schema = project_xml.schema()
    assert schema.validate(etree.fromstring(GOOD))
    for what, old, new in VIOLATIONS:
        bad = GOOD.replace(old.encode(), new.encode(), 1)
        try:
            tree = etree.fromstring(bad)
        except etree.XMLSyntaxError:
            continue  # not even XML
        assert not schema.validate(tree), what


# --- what the streaming pass accepts, the tree path accepts as the same project -------

_LINES = GOOD.split(b"\n")
_WORDS = [
    b"ann", b"attr", b"link", b"prov", b"comment", b"document", b"meta", b"text", b"c",
    b"layer", b"id", b"doc", b"tag", b"frags", b"quote", b"note", b"name", b"value", b"to",
    b"kind", b"x", b"", b" ", b"\xc2\xa0", b"&amp;", b"&#10;", b"\\u{41}", b"0", b"-", b"1",
    b'"', b"<", b"/>", b"></ann>", b"<!-- c -->", b"true", b"curated", b"victim", b"a1",
]  # fmt: skip


@st.composite
def _broken(draw: st.DrawFn) -> bytes:
    """GOOD with one to three small edits: a line dropped, doubled or moved, or a
    short run of bytes replaced by a word of the format (or by nothing)."""
    data = GOOD
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["drop", "double", "move", "word"]))
        lines = data.split(b"\n")
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "drop":
            del lines[i]
        elif kind == "double":
            lines.insert(i, lines[i])
        elif kind == "move":
            lines.insert(draw(st.integers(0, len(lines) - 1)), lines.pop(i))
        else:
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            cut = draw(st.integers(0, 6))
            lines[i] = line[:at] + draw(st.sampled_from(_WORDS)) + line[at + cut :]
        data = b"\n".join(lines)
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_broken())
def test_what_streams_is_what_the_tree_path_reads(data: bytes) -> None:
    reader = project_stream.StreamingReader("x", schema=project_xml.schema())
    try:
        streamed = reader.read_chunks([data[i : i + 97] for i in range(0, len(data), 97)])
    except project_stream.NotStreamable:
        return  # the tree path decides; the named-error tests above cover what it says
    assert project_from_tree(data) == streamed
