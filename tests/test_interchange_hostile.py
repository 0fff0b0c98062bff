"""Hostile or broken files of our own interchange formats: one sentence naming the file
and the line, never a traceback, never a hang."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.errors import AnnotatorError
from annotator.formats.tagset_xml import default_tagset
from annotator.interchange.common import ExportOptions
from annotator.interchange.registry import EXPORTERS
from annotator.model import Project
from tests.export_support import read_into, sample_project


def _export(tmp_path: Path, fmt: str, suffix: str) -> Path:
    out = tmp_path / f"export{suffix}"
    EXPORTERS[fmt].write(sample_project(), out, ExportOptions(layer="alice"))
    return out


def _refused(path: Path) -> AnnotatorError:
    with pytest.raises(AnnotatorError) as info:
        read_into(Project("t", default_tagset()), path, "alice")
    err = info.value
    assert err.path == str(path) and err.line, str(err)
    assert "\n" not in str(err) and "Traceback" not in str(err)
    return err


def _json_with(tmp_path: Path, change: str) -> Path:
    path = _export(tmp_path, "json", ".json")
    data = json.loads(path.read_text(encoding="utf-8"))
    doc = data["documents"][1]
    ann = doc["annotations"][0]
    if change == "number id":
        ann["id"] = 7
    elif change == "dict note":
        ann["note"] = {"text": "check"}
    elif change == "float offsets":
        ann["fragments"] = [[0.5, 3.0]]
    elif change == "empty fragment":
        ann["fragments"] = [[3, 3]]
    elif change == "number tag":
        ann["tag"] = 2
    elif change == "attribute object":
        ann["attributes"] = {"harm": {"a": 1}}
    elif change == "status":
        doc["status"] = {"alice": "finished"}
    elif change == "link target":
        doc["annotations"][1]["links"] = [{"id": "r9", "type": "x", "target": None}]
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")  # pretty: many lines
    return path


@pytest.mark.parametrize(
    "change",
    [
        "number id",
        "dict note",
        "float offsets",
        "empty fragment",
        "number tag",
        "attribute object",
        "status",
        "link target",
    ],
)
def test_json_of_the_wrong_types_is_one_sentence_with_the_line(tmp_path: Path, change: str) -> None:
    path = _json_with(tmp_path, change)
    err = _refused(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    # the line named is the second document's (or its annotation's) record
    doc_line = next(n for n, line in enumerate(lines, 1) if '"id": "doc0002"' in line)
    assert err.line is not None and err.line >= doc_line


def test_bad_json_syntax_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"format": "annotator-json",\n "documents": [\n  {"id": }]}', "utf-8")
    assert _refused(path).line == 3


@pytest.mark.parametrize(
    ("fmt", "suffix", "old", "new"),
    [
        ("tei", ".xml", "Second release.", 'Second <g type="codepoint" n="ZZZZ"/>release.'),
        ("tei", ".xml", "<bibl><title>Tu", '<bibl><title>Tu<g type="codepoint" n="110000"/>'),
        ("inline-xml", ".xml", "Second release.", 'Second <c u="ZZZZ"/>release.'),
        ("inline-xml", ".xml", "<headline>Turkey", '<headline>T<c u="-1"/>urkey'),
    ],
)
def test_a_bad_character_code_is_one_sentence(
    tmp_path: Path, fmt: str, suffix: str, old: str, new: str
) -> None:
    path = _export(tmp_path, fmt, suffix)
    data = path.read_text(encoding="utf-8")
    assert old in data
    path.write_text(data.replace(old, new, 1), encoding="utf-8")
    err = _refused(path)
    assert "not a Unicode code point" in str(err)
    assert new.split("<", 2)[1][:1] in str(err)


@pytest.mark.parametrize(("fmt", "tag"), [("inline-xml", "victim"), ("tei", "rs")])
def test_deep_nesting_is_read_without_a_traceback(tmp_path: Path, fmt: str, tag: str) -> None:
    path = _export(tmp_path, fmt, ".xml")
    data = path.read_text(encoding="utf-8")
    depth = 1800  # deeper than Python's recursion limit, within libxml2's huge-tree limit
    attrs = ' type="victim"' if tag == "rs" else ""
    nested = "".join(f'<{tag}{attrs} n="d{i}" id="d{i}">' for i in range(depth))
    nested += "x" + f"</{tag}>" * depth
    path.write_text(data.replace("Second release.", f"Second {nested} release.", 1), "utf-8")
    p = Project("t", default_tagset())
    try:
        read_into(p, path, "alice")
    except AnnotatorError as err:  # refused is fine, as one sentence
        assert "\n" not in str(err)
    else:
        doc = next(d for d in p.documents.values() if d.text.startswith("Second"))
        assert doc.text.startswith("Second x release.")
