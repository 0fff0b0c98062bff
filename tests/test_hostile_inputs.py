"""What the fuzz tests found, one case each: numbers and escapes no file may hold.

Each file is the sample project or one of its real exports with one hostile
change, read through ``annotator stats`` / ``validate`` / ``import`` as a user
would. Before the bounds these ended in a traceback (``int()`` stops at 4,300
digits, ``chr()`` beyond U+10FFFF) or a hang; now in one line naming the file.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from annotator.errors import AnnotatorError, BadNumber
from annotator.formats.project_xml import load_project
from annotator.interchange.registry import EXPORTERS
from annotator.numbers import code_point, number_key, parse_offset
from tests.hostile_support import SAMPLE, assert_clean, make_exports, run_cli, run_cli_output

HUGE = "9" * 5000


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_exports(tmp_path_factory.mktemp("exports"))


def _project(tmp_path: Path, old: str, new: str) -> Path:
    text = SAMPLE.read_text("utf-8")
    assert old in text
    path = tmp_path / "damaged.xml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def _line(marker: str) -> str:
    """``, line N:`` of the sample's first line holding ``marker``."""
    n = SAMPLE.read_text("utf-8")[: SAMPLE.read_text("utf-8").index(marker)].count("\n") + 1
    return f", line {n}:"


def _one_error(path: Path, *argv: str) -> str:
    """Run ``annotator ARGV PATH``: exit 1 and exactly one line, which names the file."""
    status, err = run_cli(*argv, str(path))
    assert_clean(status, err, path)
    lines = err.splitlines()
    assert status == 1 and lines, err
    assert str(path) in lines[0], err
    return lines[0]


# --- the project file ------------------------------------------------------------------------

A2 = 'frags="563-582" quote="political prisoners"'


@pytest.mark.parametrize(
    ("new", "says"),
    [
        (f'frags="{HUGE}-582" quote="political prisoners"', "outside its document"),
        (f'frags="563-{HUGE}" quote="political prisoners"', "outside its document"),
        ('frags="563-582 600-9999999999999999999999" quote="x"', "outside its document"),
        ('frags="5²-582" quote="political prisoners"', "pattern"),
    ],
)
def test_fragment_offsets_beyond_the_text(tmp_path: Path, new: str, says: str) -> None:
    path = _project(tmp_path, A2, new)
    line = _one_error(path, "stats")
    assert says in line
    assert _line(A2) in line
    assert len(line) < 300  # the 5,000 digits are not repeated back


def test_fragment_offset_on_a_line_with_a_note(tmp_path: Path) -> None:
    """An annotation with a note goes the careful way through the reader: bounded too."""
    path = _project(tmp_path, A2, f'frags="{HUGE}-582" quote="political prisoners" note="n"')
    assert "outside its document" in _one_error(path, "stats")


def test_fragment_offsets_in_validate(tmp_path: Path) -> None:
    path = _project(tmp_path, A2, f'frags="{HUGE}-582" quote="political prisoners"')
    status, err = run_cli("validate", str(path))
    assert status == 1
    assert_clean(status, err, path)
    assert f"{path}{_line(A2)} " in err


@pytest.mark.parametrize("escape", ["\\u{110000}", "\\u{FFFFFF}"])
def test_attribute_escape_beyond_unicode(tmp_path: Path, escape: str) -> None:
    path = _project(
        tmp_path,
        'created-by="dana" created-at="2026-11-27T09:00:41Z"',
        (f'created-by="dana" created-at="2026-11-27T09:00:41Z" note="{escape}"'),
    )
    line = _one_error(path, "stats")
    assert "beyond the last Unicode code point" in line
    assert _line(A2) in line


def test_escape_beyond_unicode_in_a_link_names_its_line(tmp_path: Path) -> None:
    path = _project(tmp_path, 'type="responsible_for"', 'type="responsible_for" note="\\u{110000}"')
    status, err = run_cli("validate", str(path))
    assert status == 1
    assert_clean(status, err, path)
    where = _line('type="responsible_for"')
    assert f"{path}{where} <link>: U+110000" in err


@pytest.mark.parametrize("command", ["validate", "stats"])
def test_escape_beyond_unicode_in_the_tag_set_is_one_sentence(tmp_path: Path, command: str) -> None:
    """Nothing after an unreadable tag set can be checked: validate says why and stops."""
    path = _project(tmp_path, 'sources="appeal"', 'sources="appeal \\u{110000}"')
    line = _one_error(path, command)
    assert "U+110000" in line or "beyond the last Unicode code point" in line, line


def test_escape_in_a_document_id(tmp_path: Path) -> None:
    path = _project(tmp_path, 'name="Amnesty releases 1998 (sample)"', 'name="Amnesty \\u{110000}"')
    assert "beyond the last Unicode code point" in _one_error(path, "stats")


def test_a_surrogate_escape_is_what_the_writer_writes_for_a_lone_surrogate(
    tmp_path: Path,
) -> None:
    """The project format keeps a lone surrogate in a value exactly: reading its escape back
    is not an error (bounding escapes must not break that round trip)."""
    path = _project(
        tmp_path,
        'created-by="dana" created-at="2026-11-27T09:00:41Z"',
        'created-by="dana" created-at="2026-11-27T09:00:41Z" note="a\\u{D800}b"',
    )
    project, _ = load_project(path)
    notes = [
        a.note
        for a in project.layers["dana"].docs[next(iter(project.documents))].annotations.values()
        if a.note.startswith("a")
    ]
    assert notes == ["a\ud800b"]


def test_character_element_beyond_unicode(tmp_path: Path) -> None:
    path = _project(tmp_path, "<text>", '<text><c u="110000"/>')
    line = _one_error(path, "stats")
    assert "U+110000" in line


def test_layer_counter_of_thousands_of_digits(tmp_path: Path) -> None:
    path = _project(tmp_path, 'counter="59"', f'counter="{HUGE}"')
    line = _one_error(path, "stats")
    assert "layer 'dana'" in line and len(line) < 300


@pytest.mark.parametrize("start", [HUGE, "5²"])
def test_version_0_offsets_are_bounded_while_upgrading(tmp_path: Path, start: str) -> None:
    """A format-0 file keeps offsets in ``start``/``end``; the upgrade computes the quote."""
    text = "Free Sam Rainsy"
    sha = hashlib.sha256(text.encode()).hexdigest()
    path = tmp_path / "old.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<annotator-project format-version="0" name="draft">\n'
        '  <tagset name="t"><tag name="victim" label="Victim" color="#56B4E9"/></tagset>\n'
        f'  <documents><document id="d1" sha256="{sha}"><text>{text}</text></document>'
        "</documents>\n"
        '  <layers><layer name="alice" kind="annotator">\n'
        f'    <ann id="a1" doc="d1" tag="victim" start="{start}" end="15"/>\n'
        "  </layer></layers>\n</annotator-project>\n",
        "utf-8",
    )
    line = _one_error(path, "stats")
    assert len(line) < 400


# --- interchange files -----------------------------------------------------------------------


def _import(tmp_path: Path, source: Path) -> tuple[int, str]:
    status, err = run_cli("import", str(source), "-o", str(tmp_path / "out.xml"))
    assert_clean(status, err)
    return status, err


def _edit(source: Path, tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of the export ``source`` (file or folder) with ``old`` replaced in ``name``."""
    if source.is_dir():
        copy = tmp_path / source.name
        copy.mkdir()
        for f in source.iterdir():
            (copy / f.name).write_bytes(f.read_bytes())
        target = copy / name
    else:
        copy = target = tmp_path / source.name
        target.write_bytes(source.read_bytes())
    text = target.read_text("utf-8")
    assert old in text, old
    target.write_text(text.replace(old, new, 1), "utf-8")
    return copy


def _skipped(tmp_path: Path, source: Path) -> str:
    """Import ``source``: exit 1, and the one line saying which file was skipped and why
    (the other releases of a folder are still imported)."""
    status, err = _import(tmp_path, source)
    assert status == 1
    lines = [ln for ln in err.splitlines() if ln.startswith("annotator: skipped ")]
    assert len(lines) == 1, err
    return lines[0]


def _first(folder: Path, suffix: str) -> str:
    return sorted(p.name for p in folder.iterdir() if p.suffix == suffix)[0]


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("authority 483 497\t", f"authority 483 {HUGE}\t", "outside the text"),
        ("authority 483 497\t", f"authority {HUGE} 497\t", "outside the text"),
        ("authority 483 497\t", "authority 48² 497\t", "cannot read the offsets"),
        ("authority 483 497\t", "authority 483 497 500\t", "cannot read the offsets"),
    ],
)
def test_brat_offsets(
    tmp_path: Path, exports: dict[str, Path], old: str, new: str, says: str
) -> None:
    brat = exports["brat"]
    line = _skipped(tmp_path, _edit(brat, tmp_path, _first(brat, ".ann"), old, new))
    assert says in line and "line 1:" in line and len(line) < 300


def test_brat_id_with_thousands_of_digits_is_imported(
    tmp_path: Path, exports: dict[str, Path]
) -> None:
    """An id is a name: its number may be absurd, counting ids must not convert it."""
    brat = exports["brat"]
    name = _first(brat, ".ann")
    source = _edit(brat, tmp_path, name, "T1\t", f"T{HUGE}\t")
    text = (source / name).read_text("utf-8")
    (source / name).write_text(re.sub(r"\bT1\b", f"T{HUGE}", text), "utf-8")
    status, err = _import(tmp_path, source)
    assert status == 0, err
    project, _ = load_project(tmp_path / "out.xml")
    assert project.layers["fuzz"].annotation_count() == 43


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ('spans="483~497"', f'spans="483~{HUGE}"', "outside the text"),
        ('spans="483~497"', 'spans="483~497~500"', "START~END"),
        ('text="His government"', 'text="\\u{110000}"', "U+110000"),
        ("<TEXT><![CDATA[", "<TEXT>&#x110000;<![CDATA[", "not well-formed XML"),
        ("<TEXT><![CDATA[", "<TEXT>&#xD800;<![CDATA[", "not well-formed XML"),
    ],
)
def test_mae_numbers_and_references(
    tmp_path: Path, exports: dict[str, Path], old: str, new: str, says: str
) -> None:
    mae = exports["mae"]
    line = _skipped(tmp_path, _edit(mae, tmp_path, _first(mae, ".xml"), old, new))
    assert says in line and len(line) < 300


def test_mae_file_in_a_folder_that_is_not_mae_any_more_is_said(
    tmp_path: Path, exports: dict[str, Path]
) -> None:
    """A reference 5,000 digits long pushes the MAE markers out of the file's head: the
    folder import reads the other release and says which file it left out and why."""
    mae = exports["mae"]
    name = _first(mae, ".xml")
    source = _edit(mae, tmp_path, name, "<TEXT><![CDATA[", f"<TEXT>&#{HUGE};<![CDATA[")
    status, out, err = run_cli_output("import", str(source), "-o", str(tmp_path / "out.xml"))
    assert_clean(status, err)
    assert status == 0
    assert f"note: {name}: not a MAE file" in out
    assert len(load_project(tmp_path / "out.xml")[0].documents) == 1


def test_mae_text_element_that_is_empty_ends(tmp_path: Path, exports: dict[str, Path]) -> None:
    """``<TEXT />`` used to send the reader round the file for ever."""
    mae = exports["mae"]
    name = _first(mae, ".xml")
    source = _edit(mae, tmp_path, name, "<TEXT><![CDATA[", "<TEXT /><NOTE><![CDATA[")
    raw = (source / name).read_text("utf-8").replace("]]></TEXT>", "]]></NOTE>")
    (source / name).write_text(raw, "utf-8")
    _import(tmp_path, source)  # one clean line or an import, within the time limit


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ('"version": 1', f'"version": {HUGE}', "not valid JSON"),
        ('"documents": [', '"documents": ' + "[" * 100_000, "not valid JSON"),
    ],
)
def test_json_numbers_and_nesting(
    tmp_path: Path, exports: dict[str, Path], old: str, new: str, says: str
) -> None:
    line = _skipped(tmp_path, _edit(exports["json"], tmp_path, "", old, new))
    assert says in line and len(line) < 300


def test_json_id_with_thousands_of_digits_is_imported_and_exported(
    tmp_path: Path, exports: dict[str, Path]
) -> None:
    """Ids are names: sorting and numbering them (brat T-ids, MAE ids) must not int() them."""
    data = json.loads(exports["json"].read_text("utf-8"))
    data["documents"][0]["annotations"][0]["id"] = "a" + HUGE
    source = tmp_path / "huge-id.json"
    source.write_text(json.dumps(data), "utf-8")
    status, err = _import(tmp_path, source)
    assert status == 0, err
    out = tmp_path / "out.xml"
    assert load_project(out)[0].layers["fuzz"].annotation_count() == 43
    for fmt, name in [(f, f"export-{f}") for f in EXPORTERS]:
        status, err = run_cli("export", str(out), "--format", fmt, "-o", str(tmp_path / name))
        assert status == 0 and err.startswith("wrote "), (fmt, err)


def test_json_attribute_with_an_empty_list_of_values(
    tmp_path: Path, exports: dict[str, Path]
) -> None:
    """``"kind": []`` for a single-valued attribute: no value, nothing to keep."""
    source = _edit(exports["json"], tmp_path, "", '"kind": "government"', '"kind": []')
    status, err = _import(tmp_path, source)
    assert status == 0, err
    project = load_project(tmp_path / "out.xml")[0]
    a1 = project.layers["fuzz"].docs[next(iter(project.documents))].annotations["a1"]
    assert "kind" not in a1.attributes and a1.attributes["level"] == "national"


def test_inline_character_element_beyond_unicode(tmp_path: Path, exports: dict[str, Path]) -> None:
    source = _edit(exports["inline-xml"], tmp_path, "", "<p>Republic", '<p><c u="110000"/>Republic')
    line = _skipped(tmp_path, source)
    assert '<c u="110000"/>' in line and "code point" in line


# --- the bounds themselves ---------------------------------------------------------------------


def test_parse_offset() -> None:
    assert parse_offset("0", 0) == 0
    assert parse_offset("0012", 12) == 12
    for bad in ("", "-1", "+1", " 1", "1.0", "²", "٣", "13", HUGE, "0" * 5000 + "13"):
        with pytest.raises(BadNumber):
            parse_offset(bad, 12)
    assert parse_offset("0" * 5000 + "7", 12) == 7


def test_code_point() -> None:
    assert code_point("41") == "A"
    assert code_point("10FFFF") == "\U0010ffff"
    assert code_point("1F600") == "😀"
    assert code_point("65", base=10) == "A"
    assert code_point("D800") == "\ud800"
    for bad, kwargs in [
        ("110000", {}),
        ("FFFFFFFF", {}),
        ("", {}),
        ("ZZZZ", {}),
        ("-41", {}),
        (HUGE, {}),
        ("1114112", {"base": 10}),
        ("A", {"base": 10}),
        ("D800", {"surrogates": False}),
        ("57343", {"base": 10, "surrogates": False}),
    ]:
        with pytest.raises(BadNumber):
            code_point(bad, **kwargs)  # type: ignore[arg-type]


def test_bad_number_is_both_a_value_error_and_a_clean_error() -> None:
    err = BadNumber("x")
    assert isinstance(err, ValueError) and isinstance(err, AnnotatorError)


def test_number_key_orders_ids_without_converting_huge_ones() -> None:
    ids = ["a10", "a2", "a" + HUGE, "a1"]
    assert sorted(ids, key=lambda i: number_key(i[1:])) == ["a1", "a2", "a10", "a" + HUGE]


def test_error_messages_are_one_line() -> None:
    """libxml2 ends some messages with a newline; an error is still one line."""
    assert str(AnnotatorError("not well-formed\n", path="f.xml", line=3)) == (
        "f.xml, line 3: not well-formed"
    )
    assert "\n" not in str(AnnotatorError("a\nb\r\nc"))
