"""``annotator merge``, ``annotator compare`` and ``annotator agree``.

Thin wrappers over :mod:`annotator.review`: load, compute, print or save.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from annotator.cli.progress_bar import add_quiet_option, terminal_progress
from annotator.errors import UnknownDocument
from annotator.formats.atomic import atomic_write_bytes
from annotator.formats.project_xml import load_project
from annotator.model import Annotation, Project
from annotator.review.agreement import agreement_report, annotator_layers
from annotator.review.compare import KIND_LABELS, Kind, compare_layers
from annotator.review.merge import merge_projects
from annotator.review.report import to_csv, to_html, to_json, to_text
from annotator.wording import count


def _load(path: str) -> Project:
    return load_project(path)[0]


def _layers(project: Project, spec: str | None) -> list[str]:
    if spec:
        return [s.strip() for s in spec.split(",") if s.strip()]
    return annotator_layers(project)


def _write(text: str, out: str | None) -> None:
    if out is None or out == "-":
        sys.stdout.write(text)
        return
    atomic_write_bytes(out, text.encode("utf-8"))


# --- merge ---------------------------------------------------------------------------------------


def _merge(args: argparse.Namespace) -> int:
    from annotator.formats.project_update import update_project

    theirs = [(path, _load(path)) for path in args.theirs]

    def merge_all(project: Project) -> tuple[list[str], bool]:
        lines: list[str] = []
        for theirs_path, other in theirs:
            report = merge_projects(
                project,
                other,
                reanchor=args.reanchor,
                replay_changes=not args.reject_tagset_changes,
                author=args.annotator or "",
            )
            lines.append(f"{theirs_path}:")
            lines += [f"  {line}" for line in report.summary()]
        return lines, True

    out = Path(args.output)
    if out.exists() and out.resolve() == Path(args.mine).resolve():
        # merged into MINE itself: a change of the file, re-applied if it changed meanwhile
        done = update_project(out, merge_all)
    else:
        # a new output built from MINE; still never written over someone else's write
        done = update_project(out, merge_all, create=lambda: _load(args.mine), read=False)
    for line in done.result:
        print(line)
    print(f"Saved {args.output}")
    return 0


def _project_and_layers(p: argparse.ArgumentParser) -> None:
    """The arguments ``compare`` and ``agree`` share: the project and which layers."""
    p.add_argument("project", metavar="PROJECT.xml")
    p.add_argument(
        "--layers",
        metavar="A,B,…",
        help="layers to compare (default: every annotator's layer with annotations)",
    )


# --- compare -------------------------------------------------------------------------------------


def _compare(args: argparse.Namespace) -> int:
    project = _load(args.project)
    docs = None
    if args.document:
        if args.document not in project.documents:
            raise UnknownDocument(f"the project has no document {args.document!r}")
        docs = [args.document]
    cmp = compare_layers(project, _layers(project, args.layers), docs)
    items = cmp.items if args.all else cmp.disagreements()
    if args.json:
        out: list[dict[str, Any]] = []
        for it in items:
            text = project.documents[it.doc_id].text
            out.append(
                {
                    "document": it.doc_id,
                    "class": str(it.kind),
                    "start": it.start,
                    "end": it.end,
                    "members": {
                        layer: [
                            {
                                "id": a.id,
                                "tag": a.tag,
                                "fragments": [[f.start, f.end] for f in a.fragments],
                                "text": a.covered_text(text),
                            }
                            for a in anns
                        ]
                        for layer, anns in it.members.items()
                    },
                }
            )
        summary = {"layers": cmp.layers, "per_document": cmp.per_document(), "items": out}
        _write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", args.output)
        return 0
    lines = []
    for it in items:
        text = project.documents[it.doc_id].text
        lines.append(f"{it.doc_id} [{it.start}, {it.end}) {KIND_LABELS[it.kind]}")
        for layer in cmp.layers:
            anns = it.members.get(layer, [])
            shown = "; ".join(_describe(a, text, it.kind) for a in anns) or "—"
            lines.append(f"    {layer}: {shown}")
    counts = cmp.per_document()
    lines.append(
        f"{count(sum(counts.values()), 'disagreement')} in {count(len(counts), 'document')}; "
        + ", ".join(
            f"{KIND_LABELS[k]}: {n}"
            for k, n in sorted(cmp.counts().items(), key=lambda kv: kv[0].severity)
        )
    )
    _write("\n".join(lines) + "\n", args.output)
    return 0


def _describe(ann: Annotation, text: str, kind: Kind) -> str:
    out = f"{ann.tag} {ann.covered_text(text)!r}"
    if kind is Kind.DETAILS and ann.attributes:
        attrs = ", ".join(
            f"{k}={v if isinstance(v, str) else '+'.join(v)}"
            for k, v in sorted(ann.attributes.items())
        )
        out += f" [{attrs}]"
    return out


# --- agree ---------------------------------------------------------------------------------------


def _agree(args: argparse.Namespace) -> int:
    project = _load(args.project)
    layers = _layers(project, args.layers)
    with terminal_progress(args) as progress:
        report = agreement_report(
            project, layers, per_document=args.per_document, progress=progress
        )
    if args.format == "json":
        text = to_json(report)
    elif args.format == "csv":
        text = to_csv(report)
    elif args.format == "html":
        text = to_html(report)
    else:
        text = to_text(report)
    _write(text, args.output)
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "merge",
        help="add colleagues' layers to a project",
        description="Merge each THEIRS project into MINE and save the result as OUT. Layers with "
        "the same name are merged annotation by annotation; identical annotations are not "
        "duplicated, clashing ids are renamed; documents whose text differs are reported "
        "(and with --reanchor placed by their covered text). Tag-set changes in THEIRS' "
        "log that MINE lacks (a renamed tag, a merged value) are replayed on MINE's "
        "annotations; a tag, attribute or value only THEIRS has is added; definitions "
        "that conflict are reported with a proposed mapping and MINE's is kept.",
    )
    p.add_argument("mine", metavar="MINE.xml")
    p.add_argument("theirs", metavar="THEIRS.xml", nargs="+")
    p.add_argument("-o", "--output", metavar="OUT.xml", required=True)
    p.add_argument(
        "--reanchor",
        action="store_true",
        help="place annotations of documents whose text differs by their covered text",
    )
    p.add_argument(
        "--reject-tagset-changes",
        action="store_true",
        help="do not replay THEIRS' tag-set changes on MINE: mark them rejected in the log",
    )
    p.set_defaults(func=_merge)

    p = sub.add_parser(
        "compare",
        help="list where layers disagree",
        description="Class every annotation of the layers against the others (exact, details, "
        "tag, boundary, overlap, missing) and list the disagreements.",
    )
    _project_and_layers(p)
    p.add_argument("--document", metavar="ID", help="only this document")
    p.add_argument("--all", action="store_true", help="list agreements too")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=_compare)

    p = sub.add_parser(
        "agree",
        help="measure inter-annotator agreement",
        description="Pairwise precision/recall/F1 (exact and overlapping spans), Cohen's κ, "
        "Fleiss' κ and Krippendorff's α on tokens, Krippendorff's α_U on spans, attribute "
        "agreement; per tag and overall. A token is a run of word characters or one "
        "punctuation character.",
    )
    _project_and_layers(p)
    fmt = p.add_mutually_exclusive_group()
    for name in ("json", "csv", "html"):
        fmt.add_argument(f"--{name}", dest="format", action="store_const", const=name)
    p.add_argument("--per-document", action="store_true", help="add figures for each document")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    add_quiet_option(p)
    p.set_defaults(func=_agree, format="text")


__all__ = ["register"]
