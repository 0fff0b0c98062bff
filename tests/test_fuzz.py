"""Hostile files: every reader ends in success or one clean error, never a traceback or a hang.

The inputs are real files mutated at the byte level: the sample project
(``projects/sample.xml``) and its JSON, brat, MAE, TEI and inline XML exports. Hypothesis flips
bytes, cuts the file short, deletes and repeats stretches and drops in hostile
snippets (numbers thousands of digits long, escapes beyond U+10FFFF or of
surrogates, deep nesting, values of the wrong JSON type, DTDs and entities).
Every mutated file goes through the public path a user takes: ``annotator
import`` for the interchange files, ``annotator stats`` and ``validate`` for a
project (and ``annotator export`` in every format when it still opens). Each
must exit 0 or 1, and every line on stderr must be the CLI's own one-line
message, never a traceback.

An example that takes longer than ``HANG_SECONDS`` fails as a hang (an
alarm, not Hypothesis' deadline: the CI machine is shared, so a millisecond
deadline would fail at random). The default run is a few hundred examples;
``pytest -m slow tests/test_fuzz.py`` (or ``ANNOTATOR_FUZZ_EXAMPLES=N``) runs
thousands.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.interchange.registry import EXPORTERS
from tests.hostile_support import (
    SAMPLE,
    assert_clean,
    make_exports,
    review_project,
    run_cli,
)

#: Examples per target in the default run, and in the long (slow) one.
QUICK = 60
LONG = int(os.environ.get("ANNOTATOR_FUZZ_EXAMPLES", "1500"))

HUGE = b"9" * 5000  # beyond Python's 4,300-digit limit for int(str)

#: Snippets that broke or could break readers: numbers, escapes, nesting, DTDs.
HOSTILE: tuple[bytes, ...] = (
    HUGE,
    b"-" + HUGE,
    b"1" + b"0" * 30,
    b"-1",
    b"1e999",
    b"NaN",
    b"0x10",
    b"\xd9\xa3",  # ARABIC-INDIC DIGIT THREE: str.isdigit() says yes
    b"\xc2\xb2",  # SUPERSCRIPT TWO: str.isdigit() says yes, int() says no
    b"\\u{110000}",
    b"\\u{FFFFFF}",
    b"\\u{D800}",
    b"\\u{",
    b'<c u="110000"/>',
    b'<c u="ZZZZ"/>',
    b'<c u="' + HUGE + b'"/>',
    b'<g n="ZZZZ"/>',
    b'<g n="110000"/>',
    b"&#x110000;",
    b"&#xD800;",
    b"&#" + HUGE + b";",
    b"&#0;",
    b"&amp",
    b"&nosuch;",
    b'<!DOCTYPE x [<!ENTITY e "boom">]>',
    b"&e;",
    b'<!DOCTYPE x SYSTEM "file:///etc/passwd">',
    b"<![CDATA[",
    b"]]>",
    b"<x>" * 3000,
    b"[" * 3000,
    b"{" * 3000,
    b'{"a":' * 3000,
    b"null",
    b"true",
    b"[]",
    b"{}",
    b'""',
    b'"\\ud800"',
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\r",
    b"\t",
    b"\n",
    b"\xf0\x9f\x98\x80",  # an astral character
    b"\xed\xa0\x80",  # an encoded surrogate (invalid UTF-8)
    b"T1\tappeal 0 " + HUGE + b"\tx\n",
    b"T9\tappeal 5 3\tx\n",
    b"R1\tresponsible_for Arg1:T1 Arg2:T999\n",
    b"#1\tAnnotatorNotes T999\tnote\n",
    b"A1\tgroup T1 student\n",
    b'spans="0~' + HUGE + b'"',
    b'spans="5~3"',
    b'spans="-1~2"',
)


class Sample(bytes):
    """Mutated bytes whose repr shows where they differ, not all 30 kB of them."""

    original = b""

    def __repr__(self) -> str:
        a = bytes(self)
        i = next(
            (k for k, (x, y) in enumerate(zip(a, self.original, strict=False)) if x != y), None
        )
        if i is None:
            i = min(len(a), len(self.original))
        return f"<{len(a)} bytes, from byte {i}: {a[max(0, i - 40) : i + 80]!r}>"


# --- mutations -------------------------------------------------------------------------


#: What replaces a number in the file.
NUMBERS = (HUGE, b"0", b"99999999", b"-1", b"\xc2\xb2", b"1.5", b"", b"1e3", b"0x1F")
#: What replaces a quoted value: XML attributes and JSON strings alike.
VALUES = (
    HUGE,
    b"\\u{110000}",
    b"\\u{D800}",
    b"\\u{" + HUGE + b"}",
    b"0-" + HUGE,
    HUGE + b"-1",
    b"5-3",
    b"0-1 0-2",
    b"\xc2\xb2-3",
    b"0~" + HUGE,
    b"\\ud800",
    b"&#x110000;",
    b"",
)
#: What replaces a JSON value (wrong types included).
JSON_VALUES = (b"null", b"true", b"[]", b"{}", b'"x"', b"1.5", b"-1", HUGE, b"[[1]]", b"[1, 2, 3]")
_NUMBER = re.compile(rb"\d+")
_QUOTED = re.compile(rb'"((?:[^"\\]|\\.){0,200})"')
_JSON_VALUE = re.compile(rb': (\[[^\[\]]*\]|\{\}|"(?:[^"\\]|\\.)*"|-?\d+|null|true|false)')
_BOUNDARY = re.compile(rb"[<>\"\t\n]")


def _pick(draw: Any, pattern: re.Pattern[bytes], data: bytearray) -> tuple[int, int] | None:
    """The span of one match of ``pattern`` (its first group if it has one), or None."""
    found = list(pattern.finditer(data))
    if not found:
        return None
    m = found[draw(st.integers(0, len(found) - 1))]
    return m.span(1) if pattern.groups else m.span()


@st.composite
def mutated(draw: Any, data: bytes) -> bytes:
    """``data`` with one to three mutations.

    Half of them aim at structure (a number, a quoted value, a JSON value, a spot
    beside markup), so most files still parse and the readers behind the parser
    see the hostile part; the rest flip, cut, delete, repeat and insert blindly.
    """
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(
            st.sampled_from(
                ["number", "value", "json", "beside", "flip", "cut", "delete", "repeat", "insert"]
            )
        )
        n = len(out)
        if kind == "number" and (span := _pick(draw, _NUMBER, out)):
            out[span[0] : span[1]] = draw(st.sampled_from(NUMBERS))
        elif kind == "value" and (span := _pick(draw, _QUOTED, out)):
            out[span[0] : span[1]] = draw(st.sampled_from(VALUES))
        elif kind == "json" and (span := _pick(draw, _JSON_VALUE, out)):
            out[span[0] : span[1]] = draw(st.sampled_from(JSON_VALUES))
        elif kind == "beside" and (span := _pick(draw, _BOUNDARY, out)):
            at = draw(st.sampled_from(span))
            out[at:at] = draw(st.sampled_from(HOSTILE))
        elif kind == "flip" and n:
            out[draw(st.integers(0, n - 1))] ^= draw(st.integers(1, 255))
        elif kind == "cut":
            del out[draw(st.integers(0, n)) :]
        elif kind == "delete":
            pos = draw(st.integers(0, n))
            del out[pos : pos + draw(st.integers(1, 64))]
        elif kind == "repeat":
            pos = draw(st.integers(0, n))
            chunk = out[pos : pos + draw(st.integers(1, 200))]
            out[pos:pos] = chunk * draw(st.integers(1, 20))
        elif kind == "insert":
            pos = draw(st.integers(0, n))
            out[pos:pos] = draw(st.sampled_from(HOSTILE))
    sample = Sample(out)
    sample.original = data
    return sample


# --- the inputs ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_exports(tmp_path_factory.mktemp("exports"))


def _one_file(folder: Path, suffix: str) -> Path:
    return sorted(p for p in folder.iterdir() if p.suffix == suffix)[0]


def import_mutated(source: Path, target: str, data: bytes) -> None:
    """Copy ``source`` (a file or folder), write ``data`` over ``target`` in it, import it."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if source.is_dir():
            copy = work / source.name
            shutil.copytree(source, copy)
            (copy / target).write_bytes(data)
        else:
            copy = work / source.name
            copy.write_bytes(data)
        assert_clean(*run_cli("import", str(copy), "-o", str(work / "out.xml")))


def check_project(data: bytes) -> None:
    """``stats`` and ``validate``; a project that still opens is exported in every format."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sample.xml"
        path.write_bytes(data)
        status, err = run_cli("stats", str(path))
        assert_clean(status, err)
        assert_clean(*run_cli("validate", str(path)), path)
        if status == 0:
            for fmt in EXPORTERS:
                out = Path(tmp) / f"out-{fmt}"
                status, err = run_cli("export", str(path), "--format", fmt, "-o", str(out))
                assert_clean(status, err, also=(f"wrote {out} ",))


def check_review(data: bytes) -> None:
    """A two-layer project: once it opens, ``agree`` (every output), ``compare`` and
    ``merge`` run on it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "review.xml"
        path.write_bytes(data)
        status, err = run_cli("stats", str(path))
        assert_clean(status, err)
        if status != 0:
            return
        for fmt in ("--csv", "--json", "--html"):
            assert_clean(*run_cli("agree", str(path), fmt, "--per-document"))
        assert_clean(*run_cli("compare", str(path), "--json"))
        merged = Path(tmp) / "merged.xml"
        status, err = run_cli("merge", str(path), str(SAMPLE), "-o", str(merged))
        assert_clean(status, err)


# --- the targets -----------------------------------------------------------------------------


def _targets(exports: dict[str, Path]) -> dict[str, tuple[bytes, Callable[[bytes], None]]]:
    brat = exports["brat"]
    mae = exports["mae"]
    ann = _one_file(brat, ".ann").name
    txt = _one_file(brat, ".txt").name
    conf = "annotation.conf"
    xml = _one_file(mae, ".xml").name
    dtd = _one_file(mae, ".dtd").name
    return {
        "project": (SAMPLE.read_bytes(), check_project),
        "review": (review_project(), check_review),
        "json": (exports["json"].read_bytes(), lambda d: import_mutated(exports["json"], "", d)),
        "brat-ann": ((brat / ann).read_bytes(), lambda d: import_mutated(brat, ann, d)),
        "brat-txt": ((brat / txt).read_bytes(), lambda d: import_mutated(brat, txt, d)),
        "brat-conf": ((brat / conf).read_bytes(), lambda d: import_mutated(brat, conf, d)),
        "mae-xml": ((mae / xml).read_bytes(), lambda d: import_mutated(mae, xml, d)),
        "mae-dtd": ((mae / dtd).read_bytes(), lambda d: import_mutated(mae, dtd, d)),
        "tei": (exports["tei"].read_bytes(), lambda d: import_mutated(exports["tei"], "", d)),
        "inline-xml": (
            exports["inline-xml"].read_bytes(),
            lambda d: import_mutated(exports["inline-xml"], "", d),
        ),
    }


TARGETS = [
    "project",
    "review",
    "json",
    "brat-ann",
    "brat-txt",
    "brat-conf",
    "mae-xml",
    "mae-dtd",
    "tei",
    "inline-xml",
]
HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]


def _fuzz(exports: dict[str, Path], target: str, examples: int) -> None:
    data, check = _targets(exports)[target]

    @settings(max_examples=examples, deadline=None, suppress_health_check=HEALTH)
    @given(mutated(data))
    def run(sample: bytes) -> None:
        check(sample)

    run()


@pytest.mark.parametrize("target", TARGETS)
def test_fuzz(exports: dict[str, Path], target: str) -> None:
    _fuzz(exports, target, QUICK)


@pytest.mark.slow
@pytest.mark.parametrize("target", TARGETS)
def test_fuzz_long(exports: dict[str, Path], target: str, request: pytest.FixtureRequest) -> None:
    """Thousands of examples: only when asked for (``-m slow`` or ANNOTATOR_FUZZ_EXAMPLES)."""
    asked = "slow" in (request.config.getoption("markexpr") or "")
    if not asked and "ANNOTATOR_FUZZ_EXAMPLES" not in os.environ:
        pytest.skip("the long fuzz run: pytest -m slow tests/test_fuzz.py")
    _fuzz(exports, target, LONG)
