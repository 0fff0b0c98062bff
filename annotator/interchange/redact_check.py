"""The check after a redacted export: nothing it wrote may hold a redacted form.

Redaction replaces names in the strings it knows of (:mod:`.redact`); an
exporter may still write a string on its own (a file name, a header, a label).
So a redacted export is first written into a private temporary folder and every
file it produced is read back: its bytes (decoded as UTF-8, and again with JSON
``\\uXXXX``, XML/HTML character references and entities, ``%XX`` and the
project's ``\\u{XXXX}`` escapes undone) and its name, inside folders too. If any
redacted form remains, nothing reaches the destination and the export fails with
one message listing each form and where it was found. Only a clean export is
then written to the destination, and what lands there is checked once more (and
deleted if it leaks).

:class:`CheckedExporter` wraps every registered exporter, so the CLI, the GUI and
any other caller of :data:`~annotator.interchange.registry.EXPORTERS` get the
check as part of the export itself.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from annotator.errors import AnnotatorError, ExportError, RedactionLeak
from annotator.interchange.common import ExportOptions, choose_documents, choose_layer, redacting
from annotator.interchange.redact import plan_redaction
from annotator.interchange.redact_forms import Forms, fold, words
from annotator.model import Annotation, Document, Fragment, Link, Project, Status, TagSet

if TYPE_CHECKING:
    from annotator.interchange.registry import Exporter

#: at most this many leaks are listed in the message
MAX_LISTED = 12

_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_PROJECT_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]{1,6})\}")


def _unescape_json(s: str) -> str:
    def one(m: re.Match[str]) -> str:
        return chr(int(m.group(1), 16))

    out = _JSON_ESCAPE.sub(one, s)
    # a surrogate pair written as two escapes becomes one character again
    return out.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _unescape_project(s: str) -> str:
    def one(m: re.Match[str]) -> str:
        cp = int(m.group(1), 16)
        return chr(cp) if cp <= 0x10FFFF else m.group(0)

    return _PROJECT_ESCAPE.sub(one, s)


def views(text: str) -> list[str]:
    """``text`` as written, and with every escape an exporter may use undone."""
    plain = unquote(html.unescape(_unescape_project(_unescape_json(text))))
    return [text] if plain == text else [text, plain]


def leaks_in(path: Path, relative: str, forms: Forms, named: str | None = None) -> list[str]:
    """Each redacted form found in one written file's name or contents, with where.

    ``named`` is the part of the path this file adds (its own name, below the folder
    already checked); None checks all of ``relative``."""
    found: list[str] = []
    own = relative if named is None else named
    for form, _ in forms.present_in(own.replace("\\", "/")):
        found.append(f"{form!r} in the file name {relative}")
    if path.is_file():
        text = path.read_bytes().decode("utf-8", "replace")
        seen: set[str] = set()
        for view in views(text):
            for form, line in forms.present_in(view):
                if form not in seen:
                    seen.add(form)
                    found.append(f"{form!r} in {relative}, line {line}")
    return found


def written_files(root: Path) -> list[Path]:
    """The output itself and, for a folder, everything inside it (sorted)."""
    if root.is_dir():
        return [root, *sorted(root.rglob("*"))]
    return [root]


def check_output(root: Path, forms: Forms, *, shown_as: Path | None = None) -> None:
    """Raise :class:`RedactionLeak` naming every redacted form left in ``root``."""
    base = root.parent
    found: list[str] = []
    for path in written_files(root):
        rel = path.relative_to(base).as_posix()
        found += leaks_in(path, rel, forms, path.name)
    if found:
        raise _leak(found, shown_as or root)


def _leak(found: list[str], where: Path | str, done: str = "nothing was written") -> RedactionLeak:
    listed = "; ".join(found[:MAX_LISTED])
    more = f"; and {len(found) - MAX_LISTED} more" if len(found) > MAX_LISTED else ""
    return RedactionLeak(
        f"the redacted export still holds redacted names, so {done}: {listed}{more} "
        "(choose another output name, or annotate these mentions, or redact them "
        "with --redact-also)",
        path=str(where),
    )


def redaction_forms(project: Project, options: ExportOptions) -> Forms:
    """Every form the redaction of ``options`` hides (the check looks for all of them)."""
    docs = choose_documents(project, options.documents)
    return plan_redaction(project, options.redact, [d.id for d in docs], options.redact_also).forms


def check_text(text: str, project: Project, options: ExportOptions, where: str) -> None:
    """Raise :class:`RedactionLeak` if ``text`` (an export not written to a file, such as
    the appeals table put on the clipboard) holds a form that ``options`` redacts."""
    if not redacting(options):
        return
    forms = redaction_forms(project, options)
    forms.structure = frozenset(fold(w) for w in words(text.split("\n", 1)[0]))  # the header
    found = [f"{form!r} in {where}" for view in views(text) for form, _ in forms.present_in(view)]
    if found:
        raise _leak(sorted(set(found)), where, "nothing was copied")


class CheckedExporter:
    """An exporter whose redacted output is checked before it reaches its destination."""

    def __init__(self, inner: Exporter) -> None:
        self.inner = inner
        self.name = inner.name
        self.description = inner.description
        self.suffix = inner.suffix

    def write(self, project: Project, out: Path, options: ExportOptions) -> list[str]:
        out = Path(out)
        if not redacting(options):
            return self.inner.write(project, out, options)
        forms = redaction_forms(project, options)
        name = out.name or "export"
        parent = out.parent if out.name else out
        try:
            # beside the destination, so publishing is a rename on the same file system
            stage = Path(tempfile.mkdtemp(prefix=f".{name}.redacting-", dir=parent))
        except OSError as err:
            raise ExportError(f"cannot write here: {_reason(err)}", path=str(out)) from None
        try:
            staged = stage / name
            forms.structure = structural_words(self.inner, project, options, stage)
            notes = self.inner.write(project, staged, options)
            check_output(staged, forms, shown_as=out)
            _publish(staged, out)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
        return notes


def structural_words(
    exporter: Exporter, project: Project, options: ExportOptions, tmp: Path
) -> frozenset[str]:
    """The words ``exporter`` writes whatever the data (keys, element names, headers,
    style sheets, the tag set): those of its export of a neutral stand-in project with
    the same tag set, one layer of the same name, one release and an annotation of
    every tag. A name that is also such a word ("Georgia", a style sheet's font) is
    still replaced everywhere; the check only does not count it on its own."""
    layer_name = choose_layer(project, options.layer)
    dummy = Project(name="", tagset=_without_prose(project.tagset))
    text = " ".join("x" for _ in project.tagset.tags) or "x"
    # annotator names are written as authors and progress: structure, not data
    people = {name: Status.IN_PROGRESS for name in project.layers}
    dummy.add_document(Document(id="release-1", text=text, status=people))
    layer = dummy.ensure_layer(layer_name)
    da = layer.doc("release-1")
    anns: dict[str, str] = {}
    for i, tag in enumerate(project.tagset.tags):
        aid = f"a{i + 1}"
        da.annotations[aid] = Annotation(
            aid, tag.name, (Fragment(2 * i, 2 * i + 1),), note="x", created_by=layer_name
        )
        anns.setdefault(tag.name, aid)
    for i, lt in enumerate(project.tagset.links):
        src = next((anns[t] for t in lt.sources if t in anns), None)
        tgt = next((anns[t] for t in lt.targets if t in anns), None)
        if src and tgt:
            da.links[f"r{i + 1}"] = Link(f"r{i + 1}", lt.name, src, tgt)
    out = tmp / ".structure"
    try:
        exporter.write(dummy, out, ExportOptions(layer=layer_name))
    except AnnotatorError:
        return frozenset()
    found: set[str] = set()
    for path in written_files(out):
        found.update(fold(w) for w in words(path.name))
        if path.is_file():
            for view in views(path.read_bytes().decode("utf-8", "replace")):
                found.update(fold(w) for w in words(view))
    if out.is_dir():
        shutil.rmtree(out, ignore_errors=True)
    else:
        out.unlink(missing_ok=True)
    return frozenset(found)


def _without_prose(tagset: TagSet) -> TagSet:
    """The tag set's structure without its definitions and examples: those are free
    text (a definition may cite a real victim) and are redacted, not structure."""
    tags = tuple(
        replace(
            t,
            definition="",
            examples=(),
            attributes=tuple(replace(a, definition="") for a in t.attributes),
        )
        for t in tagset.tags
    )
    links = tuple(replace(lt, definition="") for lt in tagset.links)
    return replace(tagset, tags=tags, links=links, description="")


def _publish(staged: Path, out: Path) -> None:
    """Move a checked export into place: a file or a new folder by one rename; into an
    existing folder file by file (as exporters write into one)."""
    try:
        if staged.is_dir() and out.is_dir():
            for path in sorted(staged.rglob("*")):
                target = out / path.relative_to(staged)
                if path.is_dir():
                    target.mkdir(exist_ok=True)
                else:
                    os.replace(path, target)
        else:
            os.replace(staged, out)
    except OSError as err:
        raise ExportError(f"cannot write the export: {_reason(err)}", path=str(out)) from None


def _reason(err: OSError) -> str:
    return (err.strerror or str(err)).rstrip(".").lower()
