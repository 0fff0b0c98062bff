"""``annotator suggest``: list the suggesters' proposals, or add them as a first pass.

Listing reads the project and prints each release's suggestions as soon as
they are computed. ``--apply`` adds them to the ``--annotator`` layer as one
undoable step (the same core function the window's "accept" uses), through
``update_project``: the write takes the project's lock and never overwrites
a colleague's change. Suggestions the user rejected (in the window) are not
listed or applied; neither is anything the layer already tags.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from annotator.cli.progress_bar import add_quiet_option, printing, terminal_progress
from annotator.errors import UnknownDocument, UnsupportedSource
from annotator.model.project import Project
from annotator.progress import Progress

TEXT_WIDTH = 70


def register(sub: Any) -> None:
    p = sub.add_parser(
        "suggest",
        help="suggest appeals, victims and authorities (or add them with --apply)",
        description=(
            "List what the suggesters propose for the --annotator layer: appeals from cue "
            "words, victims and authorities from the lexicons, named victims, and strings "
            "the layer already tagged elsewhere. With --apply, add them all to that layer "
            "as one undoable step, for the team to review."
        ),
    )
    p.add_argument("project", metavar="PROJECT.xml", type=Path)
    p.add_argument(
        "--documents", metavar="IDS", help="only these releases (document ids, comma-separated)"
    )
    p.add_argument("--apply", action="store_true", help="add the suggestions to your layer")
    p.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object per release (JSON Lines) instead of text",
    )
    p.add_argument(
        "--suggesters",
        metavar="NAMES",
        help="only these suggesters, comma-separated (learned, appeal-cues, named-people, "
        "authority-lexicon, victim-lexicon)",
    )
    add_quiet_option(p)
    p.set_defaults(func=cmd_suggest)


def _ids(value: str | None, option: str) -> list[str] | None:
    if value is None:
        return None
    ids = [i.strip() for i in value.split(",") if i.strip()]
    if not ids:
        raise UnsupportedSource(f"{option} needs at least one name, separated by commas")
    return ids


def cmd_suggest(args: argparse.Namespace) -> int:
    from annotator.assist.rejections import load_rejections
    from annotator.assist.run import accept_command, default_suggesters, suggest_project
    from annotator.formats.project_update import update_project
    from annotator.formats.project_xml import load_project

    path: Path = args.project
    if path.is_dir():
        raise UnsupportedSource("is a folder, not a project file", path=str(path))
    doc_ids = _ids(args.documents, "--documents")
    names = _ids(args.suggesters, "--suggesters")
    layer: str = args.annotator
    rejections = load_rejections(path, layer)

    def run(project: Project, progress: Progress | None) -> Any:
        if doc_ids is not None:
            for doc_id in doc_ids:
                if doc_id not in project.documents:
                    raise UnknownDocument(f"the project has no document {doc_id!r}", path=str(path))
        suggesters = default_suggesters(project, layer, names)
        return suggest_project(
            project,
            layer,
            doc_ids=doc_ids,
            suggesters=suggesters,
            rejections=rejections,
            progress=progress,
        )

    if not args.apply:
        project, _ = load_project(path)
        counts: Counter[str] = Counter()
        docs = 0
        with terminal_progress(args) as progress:
            for doc_id, found in run(project, progress):
                if found:
                    docs += 1
                counts.update(s.tag for s in found)
                if found or args.json:  # the bar steps aside only when there is a line
                    with printing(progress):
                        _print_document(project, doc_id, found, args.json)
        if not args.json:
            print(_summary(counts, docs, "suggested"), file=sys.stderr)
        return 0

    def apply(project: Project) -> tuple[tuple[int, Counter[str], int], bool]:
        found = [s for _, sugs in run(project, progress) for s in sugs]
        if not found:
            return (0, Counter(), 0), False
        accept_command(layer, found, author=layer, text="Accept suggestions").do(project)
        return (len(found), Counter(s.tag for s in found), len({s.doc_id for s in found})), True

    with terminal_progress(args) as progress:
        done = update_project(path, apply)
    n, counts, docs = done.result
    if args.json:
        print(json.dumps({"applied": n, "layer": layer, "per_tag": dict(counts)}))
    elif done.saved:
        print(_summary(counts, docs, f"added to layer {layer!r}"))
        print(f"saved {path}")
    else:
        print(f"no suggestions; {path} was not changed")
    return 0


def _summary(counts: Counter[str], docs: int, verb: str) -> str:
    n = sum(counts.values())
    per_tag = ", ".join(f"{tag} {k}" for tag, k in sorted(counts.items()))
    where = f" in {docs} release" + ("" if docs == 1 else "s")
    return (
        f"{n} suggestion"
        + ("" if n == 1 else "s")
        + f" {verb}{where}"
        + (f" ({per_tag})" if per_tag else "")
    )


def _print_document(project: Project, doc_id: str, found: list[Any], as_json: bool) -> None:
    text = project.documents[doc_id].text
    if as_json:
        print(
            json.dumps(
                {
                    "document": doc_id,
                    "suggestions": [
                        {
                            "key": s.key,
                            "tag": s.tag,
                            "fragments": [[f.start, f.end] for f in s.fragments],
                            "text": s.covered_text(text),
                            "attributes": {
                                k: list(v) if isinstance(v, tuple) else v
                                for k, v in s.attributes.items()
                            },
                            "suggester": s.suggester,
                            "reason": s.reason,
                            "links": [{"type": lk.type, "target": lk.target} for lk in s.links],
                        }
                        for s in found
                    ],
                },
                ensure_ascii=False,
            )
        )
        return
    for s in found:
        covered = " ".join(s.covered_text(text).split())
        if len(covered) > TEXT_WIDTH:
            covered = covered[: TEXT_WIDTH - 1] + "…"
        spans = " ".join(f"{f.start}-{f.end}" for f in s.fragments)
        attrs = " ".join(
            f"{k}={','.join(v) if isinstance(v, tuple) else v}" for k, v in s.attributes.items()
        )
        links = "".join(f" {lk.type}→{lk.target}" for lk in s.links)
        print(f"{doc_id}\t{spans}\t{s.tag}\t“{covered}”\t{attrs}\t{s.suggester}: {s.reason}{links}")
