"""The shipped sample project is honest: rebuilt by tests/make_sample.py, it is byte-identical."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

from annotator.formats.project_xml import load_project, validate_file

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "projects" / "sample.xml"


def load_make_sample():  # tests/ is not a package: load the script by path
    spec = importlib.util.spec_from_file_location("make_sample", REPO / "tests" / "make_sample.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_shipped_sample_is_what_the_script_builds(tmp_path: Path) -> None:
    out = tmp_path / "sample.xml"
    load_make_sample().build(out)
    assert out.read_bytes() == SAMPLE.read_bytes(), (
        "projects/sample.xml is stale: run PYTHONPATH=. python tests/make_sample.py"
    )


def test_sample_validates_and_shows_every_feature() -> None:
    assert validate_file(SAMPLE) == []
    project, _ = load_project(SAMPLE)
    assert len(project.documents) == 2
    layer = project.layer("dana")
    tags = Counter(ann.tag for _, _, ann in project.iter_annotations())
    assert tags["appeal"] >= 8 and tags["victim"] >= 10 and tags["authority"] >= 10
    links = Counter(lk.type for da in layer.docs.values() for lk in da.links.values())
    assert set(links) == {"addressee", "on_behalf_of", "responsible_for"}
    assert any(len(ann.fragments) > 1 for _, _, ann in project.iter_annotations())
    assert all(ann.attributes for _, _, ann in project.iter_annotations())
    quotes = {ann.covered_text(doc.text): ann for _, doc, ann in project.iter_annotations()}
    restraint = quotes["call on all sides in the current political crisis to exercise restraint"]
    assert restraint.attributes == {"action": ("restraint",), "kind": "direct-call"}
    monks = quotes["a group of Buddhist monks and some students"]
    assert set(monks.attributes["group"]) >= {"religious-figure", "student"}
    assert set(monks.attributes["harm"]) == {"killed", "injured"}
    assert quotes["Second Prime Minister Hun Sen"].attributes["kind"] == "head-of-state"
    assert "the Supreme Court" in quotes and "Trade unionists" in quotes
    death = next(a for q, a in quotes.items() if q.startswith("urged President Kim … to commute"))
    assert death.attributes["action"] == ("death-penalty",)
