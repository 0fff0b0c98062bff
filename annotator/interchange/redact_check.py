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

import contextlib
import html
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from annotator.errors import RedactionLeak
from annotator.interchange.common import ExportOptions, choose_documents, redacting
from annotator.interchange.redact import plan_redaction
from annotator.interchange.redact_forms import Forms
from annotator.model import Project

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


def leaks_in(path: Path, relative: str, forms: Forms) -> list[str]:
    """Each redacted form found in one written file's name or contents, with where."""
    found: list[str] = []
    for form, _ in forms.present_in(relative.replace("\\", "/")):
        found.append(f"{form!r} in the file name {relative}")
    if path.is_file():
        text = path.read_bytes().decode("utf-8", "replace")
        seen: set[str] = set()
        for view in views(text):
            for form, pos in forms.present_in(view):
                if form in seen:
                    continue
                seen.add(form)
                line = view.count("\n", 0, pos) + 1
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
        found += leaks_in(path, rel, forms)
    if found:
        raise _leak(found, shown_as or root)


def _leak(found: list[str], where: Path) -> RedactionLeak:
    listed = "; ".join(found[:MAX_LISTED])
    more = f"; and {len(found) - MAX_LISTED} more" if len(found) > MAX_LISTED else ""
    return RedactionLeak(
        f"the redacted export still holds redacted names, so nothing was written: "
        f"{listed}{more}. Annotate these mentions or add them with --redact-also",
        path=str(where),
    )


def redaction_forms(project: Project, options: ExportOptions) -> Forms:
    """Every form the redaction of ``options`` hides (the check looks for all of them)."""
    docs = choose_documents(project, options.documents)
    return plan_redaction(project, options.redact, [d.id for d in docs], options.redact_also).forms


class CheckedExporter:
    """An exporter whose redacted output is checked before it reaches its destination."""

    def __init__(self, inner: Exporter) -> None:
        self.inner = inner
        self.name = inner.name
        self.description = inner.description
        self.suffix = inner.suffix

    def write(self, project: Project, out: Path, options: ExportOptions) -> None:
        out = Path(out)
        if not redacting(options):
            self.inner.write(project, out, options)
            return
        forms = redaction_forms(project, options)
        name = out.name or "export"
        with tempfile.TemporaryDirectory(prefix="annotator-redacted-") as tmp:
            staged = Path(tmp) / name
            self.inner.write(project, staged, options)
            check_output(staged, forms, shown_as=out)
            relative = [p.relative_to(staged) for p in written_files(staged)[1:]]
        existed = out.exists()
        self.inner.write(project, out, options)
        try:
            check_output_paths(out, relative, forms)
        except RedactionLeak:
            _remove(out, relative, created=not existed)
            raise


def check_output_paths(out: Path, relative: list[Path], forms: Forms) -> None:
    """Check ``out`` (a file, or only the given paths inside the folder ``out``)."""
    if not out.is_dir():
        check_output(out, forms)
        return
    found = leaks_in(out, out.name, forms)
    for rel in relative:
        found += leaks_in(out / rel, (Path(out.name) / rel).as_posix(), forms)
    if found:
        raise _leak(found, out)


def _remove(out: Path, relative: list[Path], *, created: bool) -> None:
    with contextlib.suppress(OSError):
        if not out.is_dir():
            out.unlink()
        elif created:
            shutil.rmtree(out)
        else:
            for rel in sorted(relative, reverse=True):
                path = out / rel
                if path.is_dir():
                    path.rmdir()
                else:
                    path.unlink()
