"""Every kind of bad project file gets its named error, with the line of the culprit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotator.errors import (
    AnnotatorError,
    BinaryFile,
    DuplicateId,
    EmptyFile,
    InvalidAttributeValue,
    LinkTypeMismatch,
    MalformedXML,
    OffsetMismatch,
    OffsetOutOfRange,
    SchemaViolation,
    UnknownAnnotation,
    UnknownAttribute,
    UnknownDocument,
    UnknownTag,
    UnsafeXML,
    UnsupportedFormatVersion,
    WrongRootElement,
)
from annotator.formats.project_writer import VERSION_WITHOUT_LOG
from annotator.formats.project_xml import (
    load_project,
    new_project,
    project_from_bytes,
    project_to_bytes,
    validate_file,
)
from annotator.model import AddAnnotation, AddLink, Document, History


def sample_text() -> str:
    project = new_project("sample")
    project.add_document(
        Document(
            id="doc0001",
            text="Amnesty urged President Kim to release 400 political prisoners.\n",
        )
    )
    project.ensure_layer("alice")
    h = History(project)
    h.push(AddAnnotation("alice", "doc0001", "appeal", [(8, 62)], author="alice"))
    h.push(AddAnnotation("alice", "doc0001", "authority", [(14, 27)], author="alice"))
    h.push(
        AddAnnotation(
            "alice", "doc0001", "victim", [(39, 62)], {"group": ["political-prisoner"]}, "", "alice"
        )
    )
    h.push(AddLink("alice", "doc0001", "addressee", "a1", "a2"))
    return project_to_bytes(project).decode("utf-8")


SAMPLE = sample_text()


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in sample")


def load(text: str | bytes) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    project_from_bytes(data, source="bad.xml")


def edited(old: str, new: str, count: int = 1) -> str:
    assert old in SAMPLE, old
    return SAMPLE.replace(old, new, count)


def test_sample_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "ok.xml"
    path.write_text(SAMPLE, encoding="utf-8")
    assert validate_file(path) == []
    project, _ = load_project(path)
    assert project.layers["alice"].annotation_count() == 3


# --- unsafe or not XML at all --------------------------------------------------------

XXE = """<?xml version="1.0"?>
<!DOCTYPE annotator-project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<annotator-project format-version="1" name="&secret;"><tagset name="x"/><documents>
<document id="d" sha256="{sha}"><text>&secret;</text></document></documents><layers/>
</annotator-project>
"""


def test_external_entity_is_refused_and_never_read(tmp_path: Path) -> None:
    path = tmp_path / "xxe.xml"
    path.write_text(XXE.format(sha="0" * 64), encoding="utf-8")
    with pytest.raises(UnsafeXML) as info:
        load_project(path)
    errors = validate_file(path)
    assert [type(e) for e in errors] == [UnsafeXML]
    leaked = [str(info.value), *map(str, errors), repr(info.value.__cause__)]
    passwd = Path("/etc/passwd").read_text() if Path("/etc/passwd").exists() else "root:x:0:0"
    first_line = passwd.splitlines()[0]
    for text in leaked:
        assert "root:" not in text and first_line not in text


def test_billion_laughs_is_refused() -> None:
    bomb = ['<?xml version="1.0"?>', "<!DOCTYPE lolz [", '<!ENTITY lol "lol">']
    for i in range(1, 10):
        prev = f"&lol{i - 1};" if i > 1 else "&lol;"
        bomb.append(f'<!ENTITY lol{i} "{prev * 10}">')
    bomb += ["]>", '<annotator-project format-version="1" name="x">&lol9;</annotator-project>']
    with pytest.raises(UnsafeXML):
        load("\n".join(bomb))


def test_malformed_xml_names_the_line() -> None:
    bad = edited('<ann id="a2"', '<ann id="a2" <')
    with pytest.raises(MalformedXML) as info:
        load(bad)
    assert info.value.line == line_of(bad, 'id="a2"')
    assert str(info.value).startswith(f"bad.xml, line {info.value.line}: not well-formed XML")


def test_empty_file() -> None:
    with pytest.raises(EmptyFile):
        load(b"")
    with pytest.raises(EmptyFile):
        load(b"  \n\t ")


def test_binary_file() -> None:
    with pytest.raises(BinaryFile):
        load(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def test_truncated_file_is_malformed() -> None:
    with pytest.raises(MalformedXML):
        load(SAMPLE[: len(SAMPLE) // 2])


def test_wrong_root_element() -> None:
    with pytest.raises(WrongRootElement) as info:
        load('<?xml version="1.0"?>\n<tagset name="campaign"/>\n')
    assert "not an annotator project" in str(info.value)


def test_future_version_asks_for_an_update() -> None:
    with pytest.raises(UnsupportedFormatVersion) as info:
        load(edited(f'format-version="{VERSION_WITHOUT_LOG}"', 'format-version="7"'))
    assert "version 7" in str(info.value) and info.value.line == 2


def test_version_that_is_not_a_number() -> None:
    with pytest.raises(SchemaViolation):
        load(edited(f'format-version="{VERSION_WITHOUT_LOG}"', 'format-version="one"'))


# --- schema violations -----------------------------------------------------------


def test_unknown_element_is_a_schema_violation() -> None:
    bad = edited("<layers>", "<layers>\n    <bogus/>")
    with pytest.raises(SchemaViolation) as info:
        load(bad)
    assert info.value.line == line_of(bad, "<bogus/>")
    assert "bogus" in str(info.value)


def test_unknown_xml_attribute_is_a_schema_violation() -> None:
    bad = edited('<ann id="a2"', '<ann colour="red" id="a2"')
    with pytest.raises(SchemaViolation) as info:
        load(bad)
    assert info.value.line == line_of(bad, 'colour="red"')


def test_bad_fragment_syntax() -> None:
    with pytest.raises(SchemaViolation):
        load(edited('frags="14-27"', 'frags="14..27"'))


def test_bad_status_value() -> None:
    with pytest.raises(SchemaViolation):
        load(edited('review="not-reviewed"', 'review="maybe"'))


# --- meaning: tags, attributes, links, offsets, quotes, hashes -------------------------


def test_unknown_tag_names_its_line() -> None:
    bad = edited('tag="authority"', 'tag="perpetrator"')
    with pytest.raises(UnknownTag) as info:
        load(bad)
    assert info.value.line == line_of(bad, "perpetrator")
    assert "perpetrator" in str(info.value)


def test_unknown_attribute() -> None:
    bad = edited('<attr name="group"', '<attr name="colour"')
    with pytest.raises(UnknownAttribute) as info:
        load(bad)
    assert info.value.line == line_of(bad, "colour")


def test_attribute_value_outside_its_list() -> None:
    bad = edited('value="political-prisoner"', 'value="martian"')
    with pytest.raises(InvalidAttributeValue) as info:
        load(bad)
    assert info.value.line == line_of(bad, "martian")


def test_unknown_link_type() -> None:
    bad = edited('type="addressee"', 'type="loves"')
    with pytest.raises(LinkTypeMismatch) as info:
        load(bad)
    assert info.value.line == line_of(bad, "loves")


def test_link_type_between_wrong_tags() -> None:
    bad = edited('type="addressee"', 'type="responsible_for"')
    with pytest.raises(LinkTypeMismatch):
        load(bad)


def test_link_to_missing_annotation() -> None:
    bad = edited('to="a2"', 'to="a99"')
    with pytest.raises(UnknownAnnotation) as info:
        load(bad)
    assert "a99" in str(info.value)


def test_offset_outside_the_text() -> None:
    bad = edited('frags="39-62"', 'frags="39-6200"')
    with pytest.raises(OffsetOutOfRange) as info:
        load(bad)
    assert info.value.line == line_of(bad, "39-6200")


def test_empty_fragment() -> None:
    with pytest.raises(AnnotatorError):
        load(edited('frags="14-27"', 'frags="27-14"'))


def test_overlapping_fragments_are_refused() -> None:
    with pytest.raises(SchemaViolation):
        load(edited('frags="14-27" quote="President Kim"', 'frags="14-20 18-27" quote="x"'))


def test_quote_that_does_not_match_the_text() -> None:
    bad = edited('quote="President Kim"', 'quote="President Moon"')
    with pytest.raises(OffsetMismatch) as info:
        load(bad)
    assert info.value.line == line_of(bad, "President Moon")
    assert "President Moon" in str(info.value) and "President Kim" in str(info.value)


def test_shifted_offsets_are_caught_by_the_quote() -> None:
    with pytest.raises(OffsetMismatch):
        load(edited('frags="14-27"', 'frags="15-28"'))


def test_text_edited_outside_annotator() -> None:
    bad = edited("release 400", "release 500")
    with pytest.raises(OffsetMismatch) as info:
        load(bad)
    assert "sha256" in str(info.value)
    assert info.value.line == line_of(bad, "<text>")


def test_annotation_on_unknown_document() -> None:
    bad = edited('<ann id="a2" doc="doc0001"', '<ann id="a2" doc="doc0099"')
    with pytest.raises(UnknownDocument):
        load(bad)


def test_duplicate_annotation_id() -> None:
    with pytest.raises(DuplicateId):
        load(edited('<ann id="a3"', '<ann id="a2"'))


def test_duplicate_document_id() -> None:
    doc = re.search(r"    <document .*?</document>\n", SAMPLE, re.S)
    assert doc is not None
    with pytest.raises((DuplicateId, SchemaViolation)):
        load(SAMPLE.replace(doc.group(), doc.group() * 2))


def test_bad_character_escape_in_text() -> None:
    with pytest.raises(SchemaViolation):
        load(edited("<text>Amnesty", '<text>Amnesty<c u="110000"/>'))


# --- validate_file reports everything ----------------------------------------------


def test_validate_file_lists_every_problem(tmp_path: Path) -> None:
    bad = edited('tag="authority"', 'tag="perpetrator"')
    bad = bad.replace('quote="Amnesty', 'quote="Oxfam', 1) if 'quote="Amnesty' in bad else bad
    bad = bad.replace('value="political-prisoner"', 'value="martian"')
    bad = bad.replace('type="addressee"', 'type="loves"')
    path = tmp_path / "bad.xml"
    path.write_text(bad, encoding="utf-8")
    errors = validate_file(path)
    kinds = {type(e) for e in errors}
    assert {UnknownTag, InvalidAttributeValue} <= kinds
    # the link lost its target (a2 was skipped as bad), reported too
    assert any(isinstance(e, (UnknownAnnotation, LinkTypeMismatch)) for e in errors)
    assert all(e.path == str(path) and e.line for e in errors)


def test_validate_file_reports_schema_problems_with_lines(tmp_path: Path) -> None:
    bad = edited("<layers>", "<layers>\n    <bogus/>")
    bad = bad.replace('review="not-reviewed"', 'review="maybe"')
    path = tmp_path / "bad.xml"
    path.write_text(bad, encoding="utf-8")
    errors = validate_file(path)
    assert len(errors) == 2
    assert all(isinstance(e, SchemaViolation) and e.line for e in errors)


def test_validate_missing_file(tmp_path: Path) -> None:
    errors = validate_file(tmp_path / "nope.xml")
    assert len(errors) == 1 and "cannot read" in str(errors[0])


# --- the fast paths of the loader say the same as the careful ones ------------------


def test_attr_written_value_first_reads_the_same() -> None:
    """XML attribute order carries no meaning: a hand-edited <attr value=.. name=..> counts."""
    swapped = edited('<attr name="group" value="political-prisoner"/>',
                     '<attr value="political-prisoner" name="group"/>')  # fmt: skip
    project = project_from_bytes(swapped.encode("utf-8"))
    ann = project.layers["alice"].docs["doc0001"].annotations["a3"]
    assert ann.attributes == {"group": ("political-prisoner",)}
    assert project_to_bytes(project).decode("utf-8") == SAMPLE


def test_schema_problem_wins_over_what_the_reader_trips_on() -> None:
    """Validation runs beside the reader; a file both invalid and meaningless gets the
    schema's sentence, as when the checks ran one after the other."""
    bad = edited('tag="authority"', 'tag="perpetrator" bogus="1"')
    with pytest.raises(SchemaViolation) as err:
        load(bad)
    assert err.value.line == line_of(SAMPLE, 'tag="authority"')
