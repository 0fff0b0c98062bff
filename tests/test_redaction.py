"""Redaction that a reviewer can trust: no form of a redacted name survives any export.

The main test builds a release that is made to leak, the way a real one does: a
detained journalist named in full, by her surname alone, in capitals, in a
possessive, hyphenated and in the plural, in a note, a comment, a multi-valued
free-text attribute, the metadata, the headline, the project name, the tag set's
examples and the source file's name. Every format is exported through the
command line and every byte and every file name is searched.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import lxml.html
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from annotator.cli import main
from annotator.errors import RedactionLeak
from annotator.formats.project_xml import load_project, save_project
from annotator.formats.tagset_xml import default_tagset
from annotator.interchange.common import ExportOptions, prepare
from annotator.interchange.redact import redact_project
from annotator.interchange.redact_check import CheckedExporter
from annotator.interchange.redact_forms import Forms, merge_spans, name_parts
from annotator.interchange.registry import EXPORTERS
from annotator.model import (
    AddAnnotation,
    AddComment,
    AddLink,
    Annotation,
    AttributeDef,
    Document,
    DocumentMeta,
    Fragment,
    History,
    Layer,
    Project,
)
from tests.export_support import sample_project
from tests.strategies import projects, signature

DATA = Path(__file__).parent / "data" / "redaction"
SOURCE = DATA / "leila-haddad-detained.txt"

#: what must not appear anywhere (any case), nor in any file name
LEAKS = re.compile(r"haddad|leila|mei[\W_]*ling|(?<![^\W_])ng(?![^\W_])", re.IGNORECASE)


def _all_views(raw: bytes) -> list[str]:
    """The bytes as text, and with the escapes an exporter may use undone."""
    text = raw.decode("utf-8", "replace")
    unescaped = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return [text, unquote(html.unescape(unescaped))]


def leaks_under(root: Path) -> list[str]:
    found = []
    paths = [root, *sorted(root.rglob("*"))] if root.is_dir() else [root]
    for path in paths:
        rel = path.relative_to(root.parent).as_posix()
        if LEAKS.search(rel):
            found.append(f"file name {rel}")
        if path.is_file():
            for view in _all_views(path.read_bytes()):
                for m in LEAKS.finditer(view):
                    found.append(f"{rel}: {view[max(0, m.start() - 30) : m.end() + 30]!r}")
    return found


def _tagset_file(tmp_path: Path) -> Path:
    """The default tag set plus a free-text multi-valued attribute and an example that
    names the journalist (tag sets are written from real cases)."""
    text = (Path(__file__).parents[1] / "resources" / "tagsets" / "default.xml").read_text(
        encoding="utf-8"
    )
    text = text.replace(
        "Mark the shortest phrase that names them.",
        "Mark the shortest phrase that names them (Leila Haddad, not the journalist).",
        1,
    ).replace(
        "<example>Trade unionists</example>",
        "<example>Trade unionists</example>\n    <example>the journalist Leila Haddad</example>\n"
        '    <attribute name="aliases" label="Also known as" multiple="true">\n'
        "      <definition>Other names the person is known by.</definition>\n"
        "    </attribute>",
        1,
    )
    path = tmp_path / "tagset.xml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def leaky(tmp_path: Path) -> Path:
    """A project built to leak: imported from the release, annotated through commands."""
    project_file = tmp_path / "free-leila.xml"
    src = tmp_path / SOURCE.name
    shutil.copy(SOURCE, src)
    assert (
        main(
            [
                "new",
                str(project_file),
                "--tagset",
                str(_tagset_file(tmp_path)),
                "--name",
                "Free Leila Haddad (campaign 2026)",
            ]
        )
        == 0
    )
    assert main(["--annotator", "dana", "import", str(src), "-o", str(project_file)]) == 0
    project, _ = load_project(project_file)
    (doc,) = project.documents.values()
    assert "haddad" in doc.id and doc.meta.source_name == SOURCE.name  # the leak to fix
    text = doc.text
    history = History(project)
    project.ensure_layer("dana")

    def tag(tag_name: str, phrase: str, nth: int = 0, **kw: object) -> str:
        start = -1
        for _ in range(nth + 1):
            start = text.index(phrase, start + 1)
        cmd = AddAnnotation("dana", doc.id, tag_name, [(start, start + len(phrase))], **kw)  # type: ignore[arg-type]
        history.push(cmd)
        assert cmd.ann_id is not None
        return cmd.ann_id

    leila = tag(
        "victim",
        "Leila Haddad",
        1,  # the one in the body; the headline's mention is left unannotated
        attributes={"group": ("journalist",), "aliases": ("Leila H.", "Umm Karim")},
        note="Haddad's husband asked us not to publish her address; Haddad’s lawyer agrees",
    )
    history.push(AddComment("dana", doc.id, leila, "Check the spelling with Leila's family", "sam"))
    tag("victim", "Ng Mei-ling", 0, attributes={"aliases": ("Mei-ling Ng",)})
    tag("authority", "General Security directorate")
    appeal = tag("appeal", "release Leila Haddad immediately and unconditionally", 0)
    history.push(AddLink("dana", doc.id, "on_behalf_of", appeal, leila))
    authorities = tag("authority", "Lebanese authorities")
    history.push(AddLink("dana", doc.id, "addressee", appeal, authorities))
    doc.meta.extra["haddad-family-contact"] = "through Leila Haddad's brother"
    save_project(project, project_file, backup=False)
    return project_file


@pytest.mark.parametrize("fmt", list(EXPORTERS))
def test_a_release_built_to_leak_leaks_nothing(fmt: str, leaky: Path, tmp_path: Path) -> None:
    # the unredacted export does hold every form: the search below can find them
    plain = tmp_path / "plain" / f"out{EXPORTERS[fmt].suffix}"
    plain.parent.mkdir()
    assert main(["export", str(leaky), "-f", fmt, "-o", str(plain)]) == 0
    assert leaks_under(plain)

    out = tmp_path / "shared" / f"release{EXPORTERS[fmt].suffix}"
    out.parent.mkdir()
    assert main(["export", str(leaky), "-f", fmt, "--redact", "victim", "-o", str(out)]) == 0
    assert out.exists()
    assert leaks_under(out) == []
    written = "".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in ([out] if out.is_file() else out.rglob("*"))
        if p.is_file()
    )
    assert "[Victim 1]" in written or "[Victim" in written
    assert "Ngong" in written or fmt == "appeals-csv"  # a short part only as a whole word
    assert "leila-haddad-detained.txt" not in written


def test_redacted_json_is_consistent_and_neutral(leaky: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert main(["export", str(leaky), "-f", "json", "--redact", "victim", "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    (doc,) = data["documents"]
    assert doc["id"] == "release-1"
    assert "source_name" not in doc["metadata"] and "source_sha256" not in doc["metadata"]
    text = doc["text"]
    assert doc["metadata"]["headline"] == "LEBANON: Journalist [Victim 1] detained without charge"
    assert "[Victim 1] had reported" in text  # the surname alone
    assert '"Free [Victim 1]\'s pen"' in text  # hyphenated and possessive
    assert "the [Victim 1]s have not" in text  # the family, in the plural
    assert "[Victim 2] was released on bail" in text  # a two-letter part, as a word
    assert "in Ngong and Zahle" in text  # ... but not inside another word
    for ann in doc["annotations"]:  # offsets still point at what they cover
        covered = " ".join(text[s:e] for s, e in ann["fragments"])
        assert covered == ann["text"]
        if ann["tag"] == "victim":
            assert re.fullmatch(r"\[Victim \d\]", covered)
    victim = next(a for a in doc["annotations"] if a["tag"] == "victim")
    assert victim["note"].startswith("[Victim 1]'s husband asked us")
    assert "[Victim 1]’s lawyer" in victim["note"]
    assert sorted(victim["attributes"]["aliases"]) == ["Umm Karim", "[Victim 1] H."]
    assert data["project"] == "Free [Victim] (campaign 2026)"


def test_redact_also_hides_a_nickname_never_annotated(leaky: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    argv = ["export", str(leaky), "-f", "csv", "--redact", "victim", "-o", str(out)]
    assert main(argv) == 0
    assert "Umm Karim" in out.read_text(encoding="utf-8-sig")  # an alias nobody annotated
    assert main([*argv, "--redact-also", "Umm Karim", "Karim"]) == 0
    written = out.read_text(encoding="utf-8-sig")
    assert "karim" not in written.lower() and "[Redacted]" in written


def test_a_leak_fails_the_export_and_writes_nothing(
    leaky: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the output's own name is written too: a file named after her is a leak
    out = tmp_path / "leila-haddad.json"
    capsys.readouterr()
    assert main(["export", str(leaky), "-f", "json", "--redact", "victim", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "'Leila' in the file name leila-haddad.json" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not out.exists()
    # inside a folder too: nothing reaches the destination, an old export stays as it was
    folder = tmp_path / "brat-haddad"
    folder.mkdir()
    (folder / "old.txt").write_text("an earlier export", encoding="utf-8")
    assert main(["export", str(leaky), "-f", "brat", "--redact", "victim", "-o", str(folder)]) == 1
    assert "brat-haddad" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == ["old.txt"]


class _Careless:
    """An exporter with a classic bug: beside the redacted selection it also writes
    from the project it was given (the unredacted one), as a new format might."""

    name = "careless"
    description = "test"
    suffix = ""

    def write(self, project: Project, out: Path, options: ExportOptions) -> list[str]:
        out.mkdir(exist_ok=True)
        sel = prepare(project, options)
        (out / "notes").mkdir(exist_ok=True)
        for doc, original in zip(sel.documents, project.documents.values(), strict=False):
            (out / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
            (out / "notes" / f"{original.id}.txt").write_text("x", encoding="utf-8")
        title = html.escape(project.name).replace("e", "&#101;")  # behind an escape
        (out / "notes" / "summary.html").write_text(f"<h1>{title}</h1>", encoding="utf-8")
        return []


def test_the_check_catches_what_an_exporter_adds_on_its_own(leaky: Path, tmp_path: Path) -> None:
    project, _ = load_project(leaky)
    out = tmp_path / "careless"
    with pytest.raises(RedactionLeak) as info:
        CheckedExporter(_Careless()).write(project, out, ExportOptions(redact=["victim"]))
    message = str(info.value)
    assert "'Haddad' in the file name careless/notes/leila-haddad-detained-1.txt" in message
    assert "'Leila Haddad' in careless/notes/summary.html, line 1" in message
    assert not out.exists() and list(tmp_path.glob(".careless*")) == []  # no staging left
    # without redaction the same exporter writes as asked
    CheckedExporter(_Careless()).write(project, out, ExportOptions())
    assert (out / "notes" / "leila-haddad-detained-1.txt").exists()


def test_a_name_that_is_also_a_word_of_the_format_does_not_block_the_export(
    tmp_path: Path,
) -> None:
    # the HTML report's style sheet names the font Georgia; a victim may be called so
    p = sample_project()
    text = p.documents["doc0002"].text
    start = text.index("Trade unionists")
    name = "Georgia Ramires"  # as long as the annotated "Trade unionists"
    p.documents["doc0002"].text = text[:start] + name + text[start + len(name) :]
    victim = p.layers["alice"].docs["doc0002"].annotations["a9"]
    assert victim.covered_text(p.documents["doc0002"].text) == name
    out = tmp_path / "report.html"
    EXPORTERS["html"].write(p, out, ExportOptions(redact=["victim"]))
    page = out.read_text(encoding="utf-8")
    assert "Georgia,serif" in page  # the style sheet is left alone
    body = page[page.index("</style>") :]
    assert "Georgia" not in body and "Ramires" not in body


def test_redacted_html_legend_and_tag_set_examples(leaky: Path, tmp_path: Path) -> None:
    project, _ = load_project(leaky)
    sel = prepare(project, ExportOptions(redact=["victim"]))
    victim = sel.project.tagset.tag("victim")
    assert "the journalist [Victim]" in victim.examples
    assert project.tagset.tag("victim").examples[-1] == "the journalist Leila Haddad"  # untouched
    out = tmp_path / "report.html"
    assert main(["export", str(leaky), "-f", "html", "--redact", "victim", "-o", str(out)]) == 0
    page = lxml.html.document_fromstring(out.read_text(encoding="utf-8"))
    legend = [
        li.text_content() for li in page.xpath("//h2[.='Legend']/following-sibling::ul[1]/li")
    ]
    assert any("names them ([Victim], not the journalist)" in item for item in legend), legend


# --- the forms of a name ----------------------------------------------------------------------


def test_name_parts() -> None:
    assert name_parts("the journalist Leila Haddad") == ["Leila", "Haddad"]
    assert name_parts("Kim Sun-myung") == ["Kim", "Sun", "myung"]
    assert name_parts("Ali al-Haddad") == ["Ali", "Haddad"]
    assert name_parts("U Win Tin") == ["U", "Win", "Tin"]
    assert name_parts("王小明") == ["王小明"]
    assert name_parts("more than 400 political prisoners") == []


def _found(forms: Forms, text: str) -> list[str]:
    spans = merge_spans((s, e, "") for s, e, _ in forms.find(text))
    return [text[s:e] for s, e, _ in spans]


def test_forms_match_possessives_hyphens_plurals_and_case() -> None:
    forms = Forms()
    forms.add_name("Leila Haddad", 0)
    text = "LEILA HADDAD; Haddad's; Haddad’s; Leila-Haddad's; the Haddads; leila_haddad.txt"
    assert _found(forms, text) == [
        "LEILA HADDAD",
        "Haddad",
        "Haddad",
        "Leila-Haddad",
        "Haddad",  # of "Haddads": the ending stays, the name goes
        "leila_haddad",
    ]
    assert _found(forms, "Haddadi and Leilani are other names") == []


def test_short_parts_only_as_whole_words() -> None:
    forms = Forms()
    forms.add_name("Ng Mei-ling", 0)
    assert _found(forms, "Ng left Ngong; NG-style") == ["Ng", "NG"]
    forms = Forms()
    forms.add_name("U Win Tin", 0)
    assert _found(forms, "U Win Tin, or U, thanks you") == ["U Win Tin", "U"]


def test_caseless_scripts_match_inside_runs() -> None:
    forms = Forms()
    forms.add_name("王小明", 0)
    assert _found(forms, "记者王小明被拘留") == ["王小明"]


def test_category_words_of_the_tag_set_are_not_names() -> None:
    project = sample_project()
    sel = prepare(project, ExportOptions(redact=["victim"]))
    # "Trade unionists" is replaced where it stands, but "trade" is a category word
    # (the value "Trade unionist"), so the tag set stays intact
    labels = {v for t in sel.project.tagset.tags for a in t.attributes for v in a.value_labels}
    assert "Trade unionist" in labels
    text2 = sel.project.documents["release-2"].text
    assert "[Victim 1] were beaten" in text2


# --- moved from the table tests: placeholders, numbering, offsets -------------------------------


def test_redaction_replaces_names_everywhere(tmp_path: Path) -> None:
    p = sample_project()
    sel = prepare(p, ExportOptions(redact=["victim"]))
    assert [d.id for d in sel.documents] == ["release-1", "release-2"]
    text = sel.project.documents["release-1"].text
    assert "Sun-myung" not in text and "students" not in text
    # the same person keeps one number; another person gets another
    assert "[Victim 2]" in text
    assert "Sun-myung" not in sel.project.documents["release-1"].meta.headline
    da = sel.annotations("release-1")
    for a in da.annotations.values():  # offsets consistent: annotations cover placeholders
        if a.tag == "victim":
            assert a.covered_text(text).startswith("[Victim")
    # "Kim" is a part of the victim's name, so another Kim loses it too: safety first
    assert da.annotations["a3"].covered_text(text) == "President [Victim 1]"
    assert p.documents["doc0001"].text.count("Kim Sun-myung") == 3  # original untouched
    for fmt in EXPORTERS:
        out = tmp_path / fmt
        EXPORTERS[fmt].write(p, out, ExportOptions(redact=["victim"]))
        files = [out] if out.is_file() else sorted(out.iterdir())
        for f in files:
            data = f.read_bytes().decode("utf-8", "replace")
            assert "Sun-myung" not in data, (fmt, f)
            assert "Trade unionists" not in data, (fmt, f)
            assert "doc0001" not in data and "doc0001" not in f.name, (fmt, f)


@settings(max_examples=40, deadline=None)
@given(project=projects(), tag=st.sampled_from(["victim", "p"]))
def test_redaction_keeps_offsets_consistent(project, tag) -> None:  # type: ignore[no-untyped-def]
    if not project.tagset.has_tag(tag):
        return
    ids = list(project.documents)
    red = redact_project(project, [tag], ids)
    for i, (doc_id, doc) in enumerate(red.documents.items()):
        assert doc_id == f"release-{i + 1}"
        da = red.layers["alice"].docs.get(doc_id)
        for a in da.annotations.values() if da else ():
            assert a.end <= len(doc.text)
            if a.tag == tag:
                assert all(doc.text[f.start : f.end].startswith("[") for f in a.fragments)
        orig = project.layers["alice"].docs.get(ids[i])
        assert len(da.annotations if da else {}) == len(orig.annotations if orig else {})


@settings(max_examples=60, deadline=None)
@given(project=projects(), data=st.data())
def test_one_pass_replacement_equals_edit_text_commands(project, data) -> None:  # type: ignore[no-untyped-def]
    """apply_replacements moves annotations exactly as EditText applied back to front."""
    from annotator.interchange.redact import _copy_project, apply_replacements
    from annotator.model import EditText

    doc_id = next(iter(project.documents))
    n = len(project.documents[doc_id].text)
    cuts = sorted(set(data.draw(st.lists(st.integers(0, n), max_size=6))))
    edits = [
        (cuts[i], cuts[i + 1], data.draw(st.sampled_from(["", "[V 1]", "x"])))
        for i in range(0, len(cuts) - 1, 2)
    ]
    ids = list(project.documents)
    text_before = project.documents[doc_id].text
    sig_before = signature(project, "alice")
    fast = _copy_project(project, ids)
    apply_replacements(fast, doc_id, edits)
    slow = _copy_project(project, ids)
    for s, e, t in sorted(edits, reverse=True):
        EditText(doc_id, s, e, t).do(slow)
    assert fast.documents[doc_id].text == slow.documents[doc_id].text
    for name in project.layers:
        f, s_ = fast.layers[name].docs.get(doc_id), slow.layers[name].docs.get(doc_id)
        assert (f.annotations if f else {}) == (s_.annotations if s_ else {})
        assert (f.links if f else {}) == (s_.links if s_ else {})
    # the original is untouched
    assert project.documents[doc_id].text == text_before
    assert signature(project, "alice") == sig_before


def test_mentions_are_case_insensitive_even_when_lowercase_changes_length() -> None:
    forms = Forms()
    forms.add_name("Kim Sun-myung", 0)
    for text in ("Free KIM  Sun-myung now", "İstanbul: free KIM\nSun-myung now"):
        found = forms.find(text)
        assert found[0][:2] == (text.index("KIM"), text.index("myung") + 5)
    assert _found(forms, "McKim Sunny myungo") == []


# --- random names in random places never survive ------------------------------------------------

_SYLLABLE = st.sampled_from(["ka", "ri", "mo", "zu", "lei", "han", "dro", "vik", "sel", "ta"])
_NAME_PART = st.one_of(
    st.lists(_SYLLABLE, min_size=2, max_size=3).map(lambda s: "".join(s).capitalize()),
    st.sampled_from(["Ky", "Xu", "Bo", "U"]),  # short parts: replaced as whole words
)
_FILLER = st.lists(
    st.sampled_from(["the", "police", "said", "on", "Monday", "release", "all", "and", "now"]),
    min_size=3,
    max_size=12,
)
_FORMS = st.sampled_from(["{f} {l}", "{l}", "{l}'s", "{l}’s", "{f}-{l}'s", "{L}", "the {l}s"])


@settings(max_examples=25, deadline=None)
@given(
    first=_NAME_PART,
    last=_NAME_PART,
    chunks=st.lists(st.tuples(_FILLER, _FORMS), min_size=1, max_size=4),
    places=st.lists(st.sampled_from(["note", "headline", "comment", "meta", "alias"]), max_size=4),
    fmt=st.sampled_from(sorted(EXPORTERS)),
)
def test_random_names_in_random_places_never_survive(  # type: ignore[no-untyped-def]
    tmp_path_factory, first, last, chunks, places, fmt
) -> None:
    assume(first.lower() != last.lower())
    full = f"{first} {last}"

    def mention(form: str) -> str:
        return form.format(f=first, l=last, L=last.upper())

    body = f"Police arrested {full} on Monday. " + " ".join(
        " ".join(words) + " " + mention(form) for words, form in chunks
    )
    tagset = default_tagset()
    victim = tagset.tag("victim")
    aliases = AttributeDef("aliases", "Also known as", multiple=True)
    from dataclasses import replace

    tagset = replace(
        tagset,
        tags=tuple(
            replace(t, attributes=(*t.attributes, aliases)) if t is victim else t
            for t in tagset.tags
        ),
    )
    project = Project(name=f"Campaign for {last}", tagset=tagset)
    doc_id = f"{last.lower()}-{first.lower()}-1"
    meta = DocumentMeta(headline=f"Free {mention('{L}')}" if "headline" in places else "Free")
    if "meta" in places:
        meta.extra[f"{last}-contact"] = mention("{f}-{l}'s")
    project.add_document(Document(doc_id, body, meta))
    start = body.index(full)
    ann = Annotation(
        "a1",
        "victim",
        (Fragment(start, start + len(full)),),
        attributes={"aliases": (mention("{l}'s"),)} if "alias" in places else {},
        note=mention("{l}’s husband asked us") if "note" in places else "",
    )
    if "comment" in places:
        from annotator.model import Comment

        ann.comments.append(Comment("sam", "2026-01-01T00:00:00Z", mention("ask {f}")))
    project.layers["alice"] = Layer("alice")
    project.layers["alice"].doc(doc_id).annotations["a1"] = ann
    out = tmp_path_factory.mktemp("out") / f"export{EXPORTERS[fmt].suffix}"
    EXPORTERS[fmt].write(project, out, ExportOptions(layer="alice", redact=["victim"]))
    pattern = re.compile(
        rf"(?<![^\W_])(?:{re.escape(first)}|{re.escape(last)})(?![^\W_])", re.IGNORECASE
    )
    paths = [out, *out.rglob("*")] if out.is_dir() else [out]
    for path in paths:
        assert not pattern.search(path.name), path
        if path.is_file():
            for view in _all_views(path.read_bytes()):
                assert not pattern.search(view), (path, view)


def test_the_appeals_table_for_the_clipboard_is_checked_too(leaky: Path) -> None:
    from annotator.interchange.redact_check import check_text
    from annotator.interchange.tables import appeals_tsv

    project, _ = load_project(leaky)
    options = ExportOptions(redact=["victim"])
    table = appeals_tsv(project, options)
    assert "[Victim 1]" in table and not LEAKS.search(table)
    with pytest.raises(RedactionLeak, match="'Haddad' in the appeals table"):
        check_text(table + "ask Haddad\n", project, options, "the appeals table")


class _LegendFromTheOriginal:
    """An exporter that writes the tag set's definitions from the unredacted project."""

    name = "legend"
    description = "test"
    suffix = ".txt"

    def write(self, project: Project, out: Path, options: ExportOptions) -> list[str]:
        prepare(project, options)
        victim = project.tagset.tag("victim")
        prose = [victim.definition, *victim.examples, *(a.definition for a in victim.attributes)]
        out.write_text("\n".join(prose), encoding="utf-8")
        return []


def test_tag_set_prose_is_not_taken_for_structure(tmp_path: Path) -> None:
    """A definition citing a real victim ("Sam Rainsy") is free text, not format structure:
    written unredacted, it is caught."""
    project, _ = load_project(Path(__file__).parents[1] / "projects" / "sample.xml")
    assert "Sam Rainsy" in project.tagset.tag("victim").attribute("named").definition
    out = tmp_path / "legend.txt"
    options = ExportOptions(layer="dana", redact=["victim"])
    with pytest.raises(RedactionLeak, match=r"'Rainsy' in legend\.txt"):
        CheckedExporter(_LegendFromTheOriginal()).write(project, out, options)
    EXPORTERS["html"].write(project, tmp_path / "r.html", options)
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Rainsy" not in page
