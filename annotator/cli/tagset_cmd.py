"""``annotator tagset PROJECT.xml ACTION``: show, export and change a project's tag set.

Actions: ``show``, ``log``, ``export``, ``import``; tags (``add-tag``,
``rename-tag``, ``edit-tag``, ``move-tag``, ``remove-tag``); attributes
(``rename-attribute``, ``remove-attribute``, ``multiple``); values
(``add-value``, ``rename-value``, ``merge-values``, ``remove-value``); link
types (``add-link-type``, ``rename-link-type``, ``edit-link-type``,
``remove-link-type``).

Every change goes through the tag-set commands of the core
(:mod:`annotator.model.tagset_commands`), the same the GUI runs, and is
written with ``update_project``: under the file's write lock, never over a
save someone else made meanwhile. Each prints what changed and how many
annotations, in which layers, moved with it. Removing something in use needs
``--map-to`` or ``--delete``; without, the file is left as it was and the
message says what would be lost.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from annotator.errors import TargetExists
from annotator.model.project import Project
from annotator.model.tagset import TagSet
from annotator.model.tagset_change import TagSetCommand, TagSetImpact


def register(sub: Any) -> None:
    p = sub.add_parser(
        "tagset",
        help="show, export or change a project's tag set (annotations follow)",
        description=(
            "Show, export or change the tag set of PROJECT.xml. Renames and merges "
            "carry the annotations of every layer with them; removing what annotations "
            "use needs --map-to or --delete."
        ),
        epilog="examples:\n  annotator tagset korea.xml show\n"
        "  annotator tagset korea.xml rename-value victim harm disappeared "
        "enforced-disappearance\n"
        "  annotator tagset korea.xml merge-values victim harm injured tortured",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("project", metavar="PROJECT.xml", type=Path)
    acts = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    a = acts.add_parser("show", help="tags, attributes, values and link types, with use counts")
    a.set_defaults(func=cmd_show)

    a = acts.add_parser("log", help="every change of the tag set: when, who, what")
    a.set_defaults(func=cmd_log)

    a = acts.add_parser("export", help="write the tag set as a tag-set XML file")
    a.add_argument("file", metavar="FILE", type=Path)
    a.add_argument("--force", action="store_true", help="replace an existing file")
    a.set_defaults(func=cmd_export)

    a = acts.add_parser(
        "import",
        help="take the tag set of FILE (ours, a brat annotation.conf or a MAE DTD)",
    )
    a.add_argument("file", metavar="FILE", type=Path)
    a.add_argument(
        "--map",
        metavar="OLD=NEW",
        action="append",
        help="read the project's tag OLD as the file's tag NEW; repeat for several",
    )
    a.add_argument(
        "--delete",
        action="store_true",
        help="let annotations lose what the new tag set lacks (tags, attributes, values, links)",
    )
    a.set_defaults(func=cmd_change, make=_replace_tagset)

    a = acts.add_parser("add-tag", help="add a tag (at the end, or at --position)")
    a.add_argument("name", metavar="NAME")
    _looks(a)
    a.add_argument("--position", type=int, metavar="N", help="its place among the tags, 1 first")
    a.set_defaults(func=cmd_change, make=_add_tag)

    a = acts.add_parser(
        "edit-tag", help="change a tag's label, colour, shortcut, definition or examples"
    )
    a.add_argument("tag", metavar="TAG")
    _looks(a)
    a.add_argument("--no-examples", action="store_true", help="take all its examples away")
    a.set_defaults(func=cmd_change, make=_edit_tag)

    a = acts.add_parser("move-tag", help="put a tag at another place (1 is first)")
    a.add_argument("tag", metavar="TAG")
    a.add_argument("position", metavar="POSITION", type=int)
    a.set_defaults(func=cmd_change, make=_move_tag)

    a = acts.add_parser("rename-tag", help="rename a tag; its annotations follow")
    a.add_argument("old", metavar="OLD")
    a.add_argument("new", metavar="NEW")
    a.set_defaults(func=cmd_change, make=_rename_tag)

    a = acts.add_parser("remove-tag", help="remove a tag (in use: --map-to TAG or --delete)")
    a.add_argument("tag", metavar="TAG")
    _choice(a, "TAG")
    a.set_defaults(func=cmd_change, make=_remove_tag)

    a = acts.add_parser("rename-attribute", help="rename an attribute; annotations follow")
    for name in ("tag", "old", "new"):
        a.add_argument(name, metavar=name.upper())
    a.set_defaults(func=cmd_change, make=_rename_attribute)

    a = acts.add_parser("remove-attribute", help="remove an attribute (in use: --delete)")
    a.add_argument("tag", metavar="TAG")
    a.add_argument("attr", metavar="ATTR")
    a.add_argument("--delete", action="store_true", help="take it from the annotations")
    a.set_defaults(func=cmd_change, make=_remove_attribute)

    a = acts.add_parser(
        "multiple",
        help="let an attribute take several values (yes) or one (no)",
        description="One value to several never loses anything. Several to one: "
        "annotations that hold several need --keep-first (the first in the list "
        "of values) or --delete (they lose the attribute).",
    )
    a.add_argument("tag", metavar="TAG")
    a.add_argument("attr", metavar="ATTR")
    a.add_argument("several", metavar="yes|no", choices=("yes", "no"))
    group = a.add_mutually_exclusive_group()
    group.add_argument("--keep-first", action="store_true", help="keep the first value of each")
    group.add_argument("--delete", action="store_true", help="take the attribute from them")
    a.set_defaults(func=cmd_change, make=_set_multiple)

    a = acts.add_parser("add-value", help="add a value to a closed list")
    for name in ("tag", "attr", "value"):
        a.add_argument(name, metavar=name.upper())
    a.add_argument("--label", default="", help="its label for people (default: the value)")
    a.set_defaults(func=cmd_change, make=_add_value)

    a = acts.add_parser("rename-value", help="rename a value of a closed list")
    for name in ("tag", "attr", "old", "new"):
        a.add_argument(name, metavar=name.upper())
    a.set_defaults(func=cmd_change, make=_rename_value)

    a = acts.add_parser("merge-values", help="fold the value FROM into INTO")
    for name in ("tag", "attr", "source", "into"):
        a.add_argument(name, metavar={"source": "FROM"}.get(name, name.upper()))
    a.set_defaults(func=cmd_change, make=_merge_values)

    a = acts.add_parser("remove-value", help="remove a value (in use: --map-to VALUE or --delete)")
    for name in ("tag", "attr", "value"):
        a.add_argument(name, metavar=name.upper())
    _choice(a, "VALUE")
    a.set_defaults(func=cmd_change, make=_remove_value)

    a = acts.add_parser("add-link-type", help="add a link type from --from tags to --to tags")
    a.add_argument("name", metavar="NAME")
    _ends(a, required=True)
    a.add_argument("--label", help="its label for people (default: the name)")
    a.set_defaults(func=cmd_change, make=_add_link_type)

    a = acts.add_parser("rename-link-type", help="rename a link type; its links follow")
    a.add_argument("old", metavar="OLD")
    a.add_argument("new", metavar="NEW")
    a.set_defaults(func=cmd_change, make=_rename_link_type)

    a = acts.add_parser(
        "edit-link-type",
        help="change a link type's label or the tags it goes from and to",
        description="--from and --to replace the tags a link type may start and end at. "
        "Links that no longer fit need --map-to another link type or --delete.",
    )
    a.add_argument("name", metavar="NAME")
    _ends(a, required=False)
    a.add_argument("--label", help="its label for people")
    _choice(a, "TYPE")
    a.set_defaults(func=cmd_change, make=_edit_link_type)

    a = acts.add_parser(
        "remove-link-type", help="remove a link type (in use: --map-to TYPE or --delete)"
    )
    a.add_argument("name", metavar="NAME")
    _choice(a, "TYPE")
    a.set_defaults(func=cmd_change, make=_remove_link_type)


def _looks(a: argparse.ArgumentParser) -> None:
    a.add_argument("--label", help="its label for people")
    a.add_argument("--colour", "--color", dest="colour", metavar="#RRGGBB")
    a.add_argument("--shortcut", metavar="KEY", help="its key ('' for none)")
    a.add_argument("--definition", help="what it marks, for the guidelines")
    a.add_argument(
        "--example", action="append", metavar="TEXT", help="an example; repeat for several"
    )


def _ends(a: argparse.ArgumentParser, *, required: bool) -> None:
    a.add_argument(
        "--from", dest="sources", action="append", metavar="TAG", required=required,
        help="a tag links may start at; repeat for several",
    )  # fmt: skip
    a.add_argument(
        "--to", dest="targets", action="append", metavar="TAG", required=required,
        help="a tag links may end at; repeat for several",
    )  # fmt: skip


def _choice(a: argparse.ArgumentParser, what: str) -> None:
    group = a.add_mutually_exclusive_group()
    group.add_argument("--map-to", metavar=what, help=f"annotations that use it take {what}")
    group.add_argument("--delete", action="store_true", help="delete it from the annotations")


def _add_tag(args: argparse.Namespace) -> TagSetCommand:
    from annotator.model.tagset import TagType
    from annotator.model.tagset_commands import AddTag

    tag = TagType(
        args.name,
        args.label or args.name,
        args.colour or "#999999",
        shortcut=args.shortcut or "",
        definition=args.definition or "",
        examples=tuple(args.example or ()),
    )
    position = None if args.position is None else args.position - 1
    return AddTag(tag, position, author=args.annotator)


def _edit_tag(args: argparse.Namespace) -> TagSetCommand:
    from annotator.model.tagset_commands import EditTag

    examples = () if args.no_examples else tuple(args.example) if args.example else None
    return EditTag(
        args.tag,
        label=args.label,
        color=args.colour,
        shortcut=args.shortcut,
        definition=args.definition,
        examples=examples,
        author=args.annotator,
    )


def _move_tag(args: argparse.Namespace) -> TagSetCommand:
    from annotator.model.tagset_commands import MoveTag

    return MoveTag(args.tag, args.position - 1, author=args.annotator)


def _rename_attribute(args: argparse.Namespace) -> TagSetCommand:
    from annotator.model.tagset_commands import RenameAttribute

    return RenameAttribute(args.tag, args.old, args.new, author=args.annotator)


def _remove_attribute(args: argparse.Namespace) -> TagSetCommand:
    from annotator.model.tagset_commands import RemoveAttribute

    return RemoveAttribute(args.tag, args.attr, args.delete, author=args.annotator)


def _set_multiple(args: argparse.Namespace) -> TagSetCommand:
    from annotator.model.tagset_commands import SetMultiple

    return SetMultiple(
        args.tag,
        args.attr,
        args.several == "yes",
        keep_first=args.keep_first,
        delete=args.delete,
        author=args.annotator,
    )


def _add_value(args: argparse.Namespace) -> TagSetCommand:
    from annotator.model.tagset_commands import AddValue

    return AddValue(args.tag, args.attr, args.value, args.label, author=args.annotator)


def _add_link_type(args: argparse.Namespace) -> TagSetCommand:
    from annotator.model.tagset import LinkType
    from annotator.model.tagset_commands import AddLinkType

    link = LinkType(args.name, args.label or args.name, tuple(args.sources), tuple(args.targets))
    return AddLinkType(link, author=args.annotator)


def _rename_link_type(args: argparse.Namespace) -> TagSetCommand:
    from annotator.model.tagset_commands import RenameLinkType

    return RenameLinkType(args.old, args.new, author=args.annotator)


def _edit_link_type(args: argparse.Namespace) -> TagSetCommand:
    from annotator.model.tagset_commands import EditLinkType

    return EditLinkType(
        args.name,
        label=args.label,
        sources=tuple(args.sources) if args.sources else None,
        targets=tuple(args.targets) if args.targets else None,
        map_to=args.map_to,
        delete=args.delete,
        author=args.annotator,
    )


def _remove_link_type(args: argparse.Namespace) -> TagSetCommand:
    from annotator.model.tagset_commands import RemoveLinkType

    return RemoveLinkType(args.name, args.map_to, args.delete, author=args.annotator)


def _rename_tag(args: argparse.Namespace) -> TagSetCommand:
    from annotator.model.tagset_commands import RenameTag

    return RenameTag(args.old, args.new, author=args.annotator)


def _remove_tag(args: argparse.Namespace) -> TagSetCommand:
    from annotator.model.tagset_commands import RemoveTag

    return RemoveTag(args.tag, args.map_to, args.delete, author=args.annotator)


def _rename_value(args: argparse.Namespace) -> TagSetCommand:
    from annotator.model.tagset_commands import RenameValue

    return RenameValue(args.tag, args.attr, args.old, args.new, author=args.annotator)


def _merge_values(args: argparse.Namespace) -> TagSetCommand:
    from annotator.model.tagset_commands import MergeValues

    return MergeValues(args.tag, args.attr, args.source, args.into, author=args.annotator)


def _remove_value(args: argparse.Namespace) -> TagSetCommand:
    from annotator.model.tagset_commands import RemoveValue

    return RemoveValue(
        args.tag, args.attr, args.value, args.map_to, args.delete, author=args.annotator
    )


def _replace_tagset(args: argparse.Namespace) -> TagSetCommand:
    from annotator.cli.project_cmds import parse_mapping
    from annotator.interchange.tagset_files import load_any_tagset
    from annotator.model.tagset_commands import ReplaceTagSet

    mapping = parse_mapping(args.map or [])
    return ReplaceTagSet(load_any_tagset(args.file), mapping, args.delete, author=args.annotator)


# --- changes ------------------------------------------------------------------------


def cmd_change(args: argparse.Namespace) -> int:
    from annotator.formats.project_update import update_project

    make: Callable[[argparse.Namespace], TagSetCommand] = args.make

    def change(project: Project) -> tuple[TagSetImpact, bool]:
        # a fresh command per attempt: update_project re-applies it to a file
        # someone else saved meanwhile, and the plan must be made against that
        cmd = make(args)
        impact = cmd.impact(project)
        cmd.do(project)  # refuses (and changes nothing) if something would be lost
        return impact, True

    done = update_project(args.project, change)
    print(done.result.summary())
    print(f"saved {args.project}")
    return 0


# --- show and export ------------------------------------------------------------------


def cmd_log(args: argparse.Namespace) -> int:
    from annotator.formats.project_xml import load_project

    project, _ = load_project(args.project)
    if not project.tagset_log:
        print("no change of the tag set is logged")
    for entry in project.tagset_log:
        print(entry.line())
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from annotator.formats.project_xml import load_project

    project, _ = load_project(args.project)
    print("\n".join(show_lines(project)))
    return 0


def show_lines(project: Project) -> list[str]:
    """The tag set as lines of text, each tag and value with how many annotations use it."""
    from collections import Counter

    tags: Counter[str] = Counter()
    values: Counter[tuple[str, str, str]] = Counter()
    links: Counter[str] = Counter(
        lk.type for layer in project.layers.values() for da in layer.docs.values()
        for lk in da.links.values()
    )  # fmt: skip
    for _layer, _doc, ann in project.iter_annotations():
        tags[ann.tag] += 1
        for name, value in ann.attributes.items():
            for v in value if isinstance(value, tuple) else (value,):
                values[(ann.tag, name, v)] += 1
    ts = project.tagset
    lines = [f"tag set {ts.name!r}: {len(ts.tags)} tags, {len(ts.links)} link types"]
    for t in ts.tags:
        key = f", key {t.shortcut}" if t.shortcut else ""
        lines.append(f"{t.name}  {t.label!r}  {t.color}{key}  ({_uses(tags[t.name])})")
        for a in t.attributes:
            kind = "several of" if a.multiple else "one of"
            if not a.closed:
                lines.append(f"  {a.name}  {a.label!r}  free text")
                continue
            lines.append(f"  {a.name}  {a.label!r}  {kind}:")
            for v in a.values:
                used = values[(t.name, a.name, v)]
                lines.append(f"    {v}  {a.label_of(v)!r}  ({_uses(used)})")
    for lk in ts.links:
        sources, targets = ", ".join(lk.sources) or "-", ", ".join(lk.targets) or "-"
        in_use = _uses(links[lk.name]).replace("annotation", "link")
        lines.append(f"link {lk.name}  {lk.label!r}: {sources} -> {targets}  ({in_use})")
    if project.tagset_log:
        last = project.tagset_log[-1]
        n = len(project.tagset_log)
        lines.append(f"{n} change{'' if n == 1 else 's'} logged, the last: {last.line()}")
    return lines


def _uses(n: int) -> str:
    return "unused" if n == 0 else f"{n} annotation" + ("" if n == 1 else "s")


def tagset_bytes(ts: TagSet) -> bytes:
    """A stand-alone tag-set file (what ``annotator new --tagset`` reads)."""
    from lxml import etree

    from annotator.formats.tagset_xml import tagset_to_element

    root = tagset_to_element(ts)
    etree.indent(root, space="  ")
    body: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=True)
    return body + b"\n"


def cmd_export(args: argparse.Namespace) -> int:
    from annotator.formats.atomic import atomic_write_bytes
    from annotator.formats.project_xml import load_project

    target: Path = args.file
    if target.exists() and not args.force:
        raise TargetExists("the file already exists; use --force to replace it", path=str(target))
    project, _ = load_project(args.project)
    atomic_write_bytes(target, tagset_bytes(project.tagset))
    print(f"wrote {target}: tag set {project.tagset.name!r}, {len(project.tagset.tags)} tags")
    return 0
