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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.cli.progress_bar import add_quiet_option, terminal_progress
from annotator.cli.stats import format_stats, project_stats
from annotator.errors import SaveFailed, TargetExists, UnsupportedSource
from annotator.model import Document, Project

if TYPE_CHECKING:
    from annotator.importing import ImportReport

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
    p.add_argument(
        "--tagset",
        metavar="FILE",
        type=Path,
        help="tag set to annotate with: our tag-set XML, a brat annotation.conf or a "
        "MAE/MedTator DTD",
    )
    p.add_argument("--name", help="project name (default: the file name without .xml)")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser(
        "import",
        help="add press releases (or annotations) to a project",
        description=(
            "Add releases from text, PDF, HTML or XML files and folders to PROJECT.xml "
            "(created if missing). Files with annotations (brat, MAE/MedTator, inline XML, "
            "TEI, JSON) are read into the --annotator layer; a text the project already "
            "holds takes them on its document. A new project adopts the source's tag set. "
            "Exit status 1 if any file was skipped or a source kept none of its "
            "annotations; the others are still imported."
        ),
    )
    p.add_argument("sources", metavar="SOURCE", nargs="+", type=Path)
    p.add_argument("-o", "--output", metavar="PROJECT.xml", type=Path, required=True)
    p.add_argument(
        "--keep-layout",
        action="store_true",
        help="keep the line breaks of PDF-extracted text instead of re-flowing paragraphs",
    )
    p.add_argument(
        "--whole-page",
        action="store_true",
        help="keep a saved web page's navigation, banners and footer instead of "
        "taking its article alone",
    )
    p.add_argument(
        "--map",
        metavar="SOURCE=TAG",
        action="append",
        help="read the source's type (or relation) SOURCE as our tag (or link type) TAG; "
        "repeat for several",
    )
    p.add_argument(
        "--add-tags",
        action="store_true",
        help="add the source's types that the project's tag set lacks (from its "
        "annotation.conf or DTD, else from the data)",
    )
    p.add_argument("--verbose", action="store_true", help="print every note, not the first 10")
    p.add_argument("--report", metavar="FILE", type=Path, help="write every note to FILE")
    add_quiet_option(p)
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
    from annotator.interchange.tagset_files import load_any_tagset

    path: Path = args.project
    if path.exists() and not args.force:
        raise TargetExists("the file already exists; use --force to replace it", path=str(path))
    tagset = load_any_tagset(args.tagset) if args.tagset else None
    project = new_project(args.name or path.stem, tagset)
    # Without --force the file is created only if it still does not exist when
    # written (another ``new`` or ``import`` may have created it meanwhile).
    save_project(project, path, backup=True, create=not args.force)
    tags = ", ".join(t.name for t in project.tagset.tags)
    print(f"created {path} (project {project.name!r}, tag set {project.tagset.name!r}: {tags})")
    return 0


# --- import ---------------------------------------------------------------------


def headline(doc: Document) -> str:
    text = doc.meta.headline or next((ln for ln in doc.text.splitlines() if ln.strip()), "")
    text = " ".join(text.split())
    return text if len(text) <= HEADLINE_WIDTH else text[: HEADLINE_WIDTH - 1] + "…"


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """``--map SOURCE=TAG`` arguments as a dict (one clear sentence for a bad one)."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        source, sep, tag = pair.partition("=")
        if not sep or not source.strip() or not tag.strip():
            raise UnsupportedSource(f"--map {pair!r}: write it as SOURCE=TAG")
        mapping[source.strip()] = tag.strip()
    return mapping


def print_import(report: ImportReport, args: argparse.Namespace) -> None:
    """The report as lines: documents, annotated sources with their notes, skipped sources."""
    for doc in report.releases.imported:
        print(f"imported {doc.id}  {headline(doc)}")
    for source, existing in report.releases.duplicates:
        print(f"duplicate {source}: same text as {existing}, not added again")
    if report.tagset_note:
        print(report.tagset_note)
    shown = 0
    verbose = bool(args.verbose)
    for rep in report.annotated:
        extra = [f"{rep.links_added} links"]
        left_out = rep.annotations_read - rep.annotations_added
        if left_out:
            extra.append(f"{left_out} of {rep.annotations_read} annotations left out")
        if rep.new_documents:
            extra.append(f"{rep.new_documents} new documents")
        if rep.matched_documents:
            extra.append(f"{rep.matched_documents} matched by text")
        print(
            f"imported {rep.path} ({rep.format}): {rep.annotations_added} annotations "
            f"into layer {rep.layer or args.annotator!r}, " + ", ".join(extra)
        )
        for note in rep.notes:
            if verbose or shown < MAX_NOTES:
                print(f"  note: {note}")
                shown += 1
    hidden = len(report.notes) - shown
    if hidden > 0:
        where = f"all in {args.report}" if args.report else "all with --verbose or --report FILE"
        print(f"  … and {hidden} more notes ({where})")
    for rep in report.annotated:
        if rep.lost_everything:
            print(
                f"annotator: none of the {rep.annotations_read} annotations of {rep.path} "
                "was kept (see the notes; --map SOURCE=TAG or --add-tags)",
                file=sys.stderr,
            )
    for source, reason in report.skipped:
        print(f"annotator: skipped {source}: {reason}", file=sys.stderr)
    for source, reason in report.releases.losses:
        print(f"annotator: text lost in {source}: {reason}", file=sys.stderr)


def write_report(report: ImportReport, path: Path) -> None:
    """Every line of the import, notes included (``--report FILE``)."""
    lines = [f"imported {doc.id}  {headline(doc)}" for doc in report.releases.imported]
    lines += [f"duplicate {s}: same text as {d}" for s, d in report.releases.duplicates]
    lines += [f"skipped {s}: {r}" for s, r in report.skipped]
    lines += [f"text lost in {s}: {r}" for s, r in report.releases.losses]
    if report.tagset_note:
        lines.append(report.tagset_note)
    for rep in report.annotated:
        lines.append(
            f"{rep.path} ({rep.format}): {rep.annotations_added} of {rep.annotations_read} "
            f"annotations, {rep.links_added} links"
        )
        lines += [f"  note: {n}" for n in rep.notes]
    from annotator.formats.atomic import atomic_write_bytes

    atomic_write_bytes(path, ("\n".join(lines) + "\n").encode("utf-8"))


def cmd_import(args: argparse.Namespace) -> int:
    from annotator.formats.project_update import update_project
    from annotator.formats.project_xml import new_project
    from annotator.importing import ImportOptions, plan_import

    out: Path = args.output
    if not out.parent.is_dir():  # fail before the (possibly long) import, not after it
        raise SaveFailed(
            f"the folder {out.parent} does not exist; nothing was imported", path=str(out)
        )
    mapping = parse_mapping(args.map or [])
    created: list[Project] = []

    def create() -> Project:
        created.append(new_project(out.stem))
        return created[-1]

    def apply(project: Project) -> tuple[tuple[ImportReport, int, bool], bool]:
        fresh = bool(created) and project is created[-1]
        options = ImportOptions(
            layer=args.annotator,
            keep_layout=args.keep_layout,
            whole_page=args.whole_page,
            adopt_tagset=fresh,
            add_tags=args.add_tags,
            mapping=mapping,
        )
        report, command = plan_import(project, args.sources, options, progress=progress)
        if report.changed:
            command.do(project)
        return (report, len(project.documents), fresh), report.changed

    # Planned against the project as it is on disk, and planned again if someone
    # else saved it meanwhile, so their change and ours both end up in the file.
    with terminal_progress(args) as progress:
        done = update_project(out, apply, create=create)
    report, documents, fresh = done.result
    print_import(report, args)
    if args.report:
        write_report(report, args.report)
    if done.saved:
        print(f"saved {out}: {documents} documents")
    elif report.failed:
        error(f"nothing was imported; {out} was not {'created' if fresh else 'changed'}")
    else:
        print(f"nothing new; {out} was not {'created' if fresh else 'changed'}")
    return 1 if report.failed else 0


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
