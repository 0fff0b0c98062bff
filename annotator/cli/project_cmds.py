"""Project commands: ``new``, ``import``, ``validate``, ``stats`` and ``gui``.

Each handler returns the exit status. Problems the user caused are raised as
:class:`AnnotatorError` (``main`` prints them as one line); per-item problems in
a batch (a source that cannot be imported, a file that does not validate) are
printed one line each on stderr and give exit status 1 after the batch is done.
Commands that change a project go through ``update_project``: the change is
applied to the file as loaded and saved under the file's write lock only if
the file is still what was read; otherwise it is applied again to the new
content. A project changed on disk meanwhile (by the GUI or a colleague) is
never overwritten, and "saved" is printed only once the change is in the file.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from annotator.cli.stats import format_stats, project_stats
from annotator.errors import AnnotatorError, SaveFailed, TargetExists, UnsupportedSource
from annotator.model import Document, Project

HEADLINE_WIDTH = 72
#: An annotation import prints at most this many of the importer's notes.
MAX_NOTES = 10


def register(sub: Any) -> None:
    """Add the project commands to the ``annotator`` sub-command parser."""
    p = sub.add_parser(
        "new",
        help="create an empty project file",
        description="Create an empty project with the shipped campaign tag set or your own.",
    )
    p.add_argument("project", metavar="PROJECT.xml", type=Path)
    p.add_argument("--tagset", metavar="FILE", type=Path, help="tag-set XML file to annotate with")
    p.add_argument("--name", help="project name (default: the file name without .xml)")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser(
        "import",
        help="add press releases (or annotations) to a project",
        description=(
            "Add releases from text, PDF, HTML or XML files and folders to PROJECT.xml "
            "(created if missing). Files with annotations (brat, MAE, inline XML) are read "
            "into the --annotator layer. A release whose text is already in the project is "
            "reported as a duplicate and not added again. Exit status 1 if any source was "
            "skipped; the others are still imported."
        ),
    )
    p.add_argument("sources", metavar="SOURCE", nargs="+", type=Path)
    p.add_argument("-o", "--output", metavar="PROJECT.xml", type=Path, required=True)
    p.add_argument(
        "--keep-layout",
        action="store_true",
        help="keep the line breaks of PDF-extracted text instead of re-flowing paragraphs",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "validate",
        help="check project files against the schema and their texts",
        description=(
            "Check each project file; print one line per problem. Exit 1 if any is invalid."
        ),
    )
    p.add_argument("projects", metavar="PROJECT.xml", nargs="+", type=Path)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "stats",
        help="count documents, annotations and progress",
        description=(
            "Documents, annotations per tag and layer, links, document status per "
            "annotator and review status."
        ),
    )
    p.add_argument("project", metavar="PROJECT.xml", type=Path)
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser(
        "gui",
        help="open the annotation window",
        description="Open the graphical annotator, on PROJECT.xml if given.",
    )
    p.add_argument("project", metavar="PROJECT.xml", type=Path, nargs="?")
    p.set_defaults(func=cmd_gui)


def error(message: str) -> None:
    print(f"annotator: error: {message}", file=sys.stderr)


# --- new ------------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    from annotator.formats.project_xml import new_project, save_project
    from annotator.formats.tagset_xml import load_tagset

    path: Path = args.project
    if path.exists() and not args.force:
        raise TargetExists("the file already exists; use --force to replace it", path=str(path))
    tagset = load_tagset(args.tagset) if args.tagset else None
    project = new_project(args.name or path.stem, tagset)
    # Without --force the file is created only if it still does not exist when
    # written (another ``new`` or ``import`` may have created it meanwhile).
    save_project(project, path, backup=True, create=not args.force)
    tags = ", ".join(t.name for t in project.tagset.tags)
    print(f"created {path} (project {project.name!r}, tag set {project.tagset.name!r}: {tags})")
    return 0


# --- import ---------------------------------------------------------------------


class _Importer(Protocol):
    """What ``annotator.interchange.registry.find_importer`` returns (export engineer)."""

    name: str

    def read(self, path: Path, project: Project, layer: str) -> list[str]: ...


def find_annotation_importer(path: Path) -> _Importer | None:
    """The importer for an annotation file or brat folder (brat, MAE, inline XML), if any."""
    try:
        registry = importlib.import_module("annotator.interchange.registry")
    except ModuleNotFoundError as err:  # not merged yet: plain releases only
        if err.name not in ("annotator.interchange", "annotator.interchange.registry"):
            raise
        return None
    found: _Importer | None = registry.find_importer(path)
    return found


def headline(doc: Document) -> str:
    text = doc.meta.headline or next((ln for ln in doc.text.splitlines() if ln.strip()), "")
    text = " ".join(text.split())
    return text if len(text) <= HEADLINE_WIDTH else text[: HEADLINE_WIDTH - 1] + "…"


@dataclass
class _ImportOutcome:
    """What one application of an import to a project did, reported once it is saved."""

    lines: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    losses: list[tuple[str, str]] = field(default_factory=list)
    documents: int = 0


def cmd_import(args: argparse.Namespace) -> int:
    from annotator.formats.project_update import update_project
    from annotator.formats.project_xml import new_project

    out: Path = args.output
    if not out.parent.is_dir():  # fail before the (possibly long) import, not after it
        raise SaveFailed(
            f"the folder {out.parent} does not exist; nothing was imported", path=str(out)
        )
    existed = out.exists()
    # Applied to the project as it is on disk; applied again if someone else
    # saved it meanwhile, so their change and ours both end up in the file.
    done = update_project(
        out,
        lambda project: _import_into(project, args),
        create=lambda: new_project(out.stem),
    )
    outcome = done.result
    for line in outcome.lines:
        print(line)
    for source, reason in outcome.skipped:
        print(f"annotator: skipped {source}: {reason}", file=sys.stderr)
    for source, reason in outcome.losses:
        print(f"annotator: text lost in {source}: {reason}", file=sys.stderr)
    if done.saved:
        print(f"saved {out}: {outcome.documents} documents")
    elif outcome.skipped:
        error(f"nothing was imported; {out} was not {'changed' if existed else 'created'}")
    else:
        print(f"nothing new; {out} was not {'changed' if existed else 'created'}")
    return 1 if outcome.skipped or outcome.losses else 0


def _import_into(project: Project, args: argparse.Namespace) -> tuple[_ImportOutcome, bool]:
    """Add ``args.sources`` to ``project``; returns what to report and whether it changed."""
    from annotator.releases import import_sources

    outcome = _ImportOutcome()
    skipped = outcome.skipped
    releases: list[Path] = []
    annotated: list[tuple[Path, _Importer]] = []
    for src in args.sources:
        if not src.exists():
            skipped.append((str(src), "no such file or folder"))
        elif (importer := find_annotation_importer(src)) is not None:
            annotated.append((src, importer))
        else:
            releases.append(src)

    changed = False
    losses = outcome.losses
    if releases:
        report, command = import_sources(project, releases, keep_layout=args.keep_layout)
        command.do(project)
        for doc in report.imported:
            outcome.lines.append(f"imported {doc.id}  {headline(doc)}")
        for source, existing in report.duplicates:
            outcome.lines.append(f"duplicate {source}: same text as {existing}, not added again")
        skipped += report.skipped
        losses += report.losses
        changed = changed or bool(report.imported)
    for src, importer in annotated:
        layer = project.ensure_layer(args.annotator).name
        before = project.layer(layer).annotation_count()
        docs_before = len(project.documents)
        try:
            notes = importer.read(src, project, layer)
        except AnnotatorError as err:
            touched = (
                project.layer(layer).annotation_count() != before
                or len(project.documents) != docs_before
            )
            if touched:  # half a file went in: save nothing rather than a partial import
                raise type(err)(
                    f"{err.message}; nothing was saved", path=str(src), line=err.line
                ) from None
            where = f"line {err.line}: " if err.line else ""
            skipped.append((str(src), where + err.message))
            continue
        added = project.layer(layer).annotation_count() - before
        new_docs = len(project.documents) - docs_before
        outcome.lines.append(
            f"imported {src} ({importer.name}): {added} annotations into layer {layer!r}"
            + (f", {new_docs} new documents" if new_docs else "")
        )
        for note in notes[:MAX_NOTES]:
            outcome.lines.append(f"  note: {note}")
        if len(notes) > MAX_NOTES:
            outcome.lines.append(f"  … and {len(notes) - MAX_NOTES} more notes")
        changed = True
    outcome.documents = len(project.documents)
    return outcome, changed


# --- validate -------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    from annotator.formats.project_xml import validate_file

    invalid = 0
    for path in args.projects:
        problems = validate_file(path)
        if not problems:
            print(f"{path}: valid")
            continue
        invalid += 1
        for problem in problems:
            line = str(problem)
            if not problem.path:
                line = f"{path}: {line}"
            print(line, file=sys.stderr)
    if invalid and len(args.projects) > 1:
        print(f"{invalid} of {len(args.projects)} files are not valid", file=sys.stderr)
    return 1 if invalid else 0


# --- stats ----------------------------------------------------------------------


def cmd_stats(args: argparse.Namespace) -> int:
    from annotator.formats.project_xml import load_project

    project, _ = load_project(args.project)
    stats = project_stats(project)
    if args.json:
        print(json.dumps(stats, indent=2, ensure_ascii=False))
    else:
        print(format_stats(stats, str(args.project)))
    return 0


# --- gui ------------------------------------------------------------------------


def cmd_gui(args: argparse.Namespace) -> int:
    """Start the GUI; Qt is imported here only, never by the other commands."""
    path: Path | None = args.project
    if path is not None and not path.is_file():
        what = "is a folder, not a project file" if path.is_dir() else "no such file"
        raise UnsupportedSource(what, path=str(path))
    try:
        app = importlib.import_module("annotator.ui.app")
    except ImportError as err:  # no PySide6, or Qt's system libraries are missing
        error(f"the graphical interface cannot start: {err}")
        return 1
    given = getattr(args, "annotator_given", True)
    argv = ["--annotator", args.annotator] if given and args.annotator else []
    return int(app.main([*argv, str(path)] if path is not None else argv) or 0)
