"""One import path for the command line and the window: plan, then one undoable command.

:func:`plan_import` reads every source (press releases, and annotated files in
brat, MAE/MedTator, inline XML, TEI or JSON), decides where everything goes and
returns an :class:`ImportReport` and ONE command, without changing the
project. Doing the command adds the new documents, the tag-set additions (if
any) and the annotations and links, in the importing annotator's layer;
undoing it takes all of that back. ``annotator import`` and File → Import both
call it.

Placement rules, the same for every format:

* **Documents are matched by text**: a text the project (or an earlier source
  of the same import) already holds, byte for byte or once white space is
  normalised, takes the annotations, whatever the file is called; offsets are
  carried over the white-space differences. Otherwise the text is a new
  document named after the file (made unique).
* **Types are matched by name or label** ignoring case, ``_``, ``-`` and spaces
  (:mod:`annotator.interchange.typemap`); ``mapping`` (``--map``) settles the
  rest. ``adopt_tagset`` (a new project) takes the source's tag set (its
  ``annotation.conf`` or DTD, else one inferred from the data); ``add_tags`` adds
  the types the project lacks. Anything else that does not fit is left out
  with a note naming the file and line.
* **Ids** stay the file's when free in the layer, else get fresh ones (noted);
  an annotation the layer already has on that document (same tag, fragments
  and attributes) is not added twice.
* **Files are read one by one**: a file that fails is skipped with its reason and
  the rest imports.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.errors import AnnotatorError, ModelError
from annotator.interchange.mae import annotator_folders, is_mae_file, layer_of
from annotator.interchange.parsed import ParsedDocument, ParsedSource, error_reason
from annotator.interchange.registry import find_importer, is_project_file, sniff_own_format
from annotator.interchange.typemap import (
    TypeMap,
    infer_tagset,
    map_value,
    merge_tagsets,
)
from annotator.model import (
    Annotation,
    AttrValue,
    Document,
    Fragment,
    Link,
    Project,
    TagSet,
    normalise_fragments,
    text_sha256,
)
from annotator.model.commands import Command, Macro
from annotator.model.documents import AddDocuments
from annotator.model.import_commands import PlaceAnnotations, ReplaceTagSet
from annotator.progress import Progress, checked, track
from annotator.releases import ImportReport as ReleaseReport
from annotator.releases import import_sources
from annotator.releases.naming import unique_id

#: why a project file given to import is not read
PROJECT_REFUSED = "this is an annotator project; use merge to add its annotations"


@dataclass(frozen=True)
class ImportOptions:
    """How to import. ``layer`` is the importing annotator's layer."""

    layer: str
    keep_layout: bool = False
    #: keep a saved web page's navigation, banners and footer (no article extraction)
    whole_page: bool = False
    #: the project is new: take the source's tag set instead of mapping onto ours
    adopt_tagset: bool = False
    #: add the source's types that the tag set lacks
    add_tags: bool = False
    #: source type (or relation) name -> our tag (or link type), for names that do not match
    mapping: dict[str, str] = field(default_factory=dict)


@dataclass
class SourceReport:
    """What became of one annotated source."""

    path: str
    format: str
    #: the layer it went into
    layer: str = ""
    annotations_read: int = 0
    annotations_added: int = 0
    links_added: int = 0
    new_documents: int = 0
    matched_documents: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def lost_everything(self) -> bool:
        """It had annotations and none was kept (nor was already there)."""
        return self.annotations_read > 0 and self.annotations_added == 0 and not self.kept_any

    kept_any: bool = False


@dataclass
class ImportReport:
    """Everything an import did and left out, for the CLI's lines and the GUI's message."""

    releases: ReleaseReport = field(default_factory=ReleaseReport)
    annotated: list[SourceReport] = field(default_factory=list)
    #: (source or file, one-sentence reason) for what was not read at all
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: new documents of annotated sources
    documents: list[Document] = field(default_factory=list)
    #: the tag set after the import when it changes, with what changed
    tagset: TagSet | None = None
    tagset_note: str = ""
    #: the errors behind ``skipped`` entries of annotated files, for callers that re-raise
    errors: list[AnnotatorError] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.releases.imported
            or self.documents
            or self.tagset is not None
            or any(s.annotations_added or s.links_added for s in self.annotated)
        )

    @property
    def notes(self) -> list[str]:
        return [n for s in self.annotated for n in s.notes]

    @property
    def failed(self) -> bool:
        """Something was skipped, text was lost, or a source lost all its annotations."""
        return (
            bool(self.skipped)
            or bool(self.releases.losses)
            or any(s.lost_everything for s in self.annotated)
        )

    @property
    def first_document(self) -> str | None:
        docs = [*self.releases.imported, *self.documents]
        return docs[0].id if docs else None


def _strip_ws(text: str) -> str:
    return " ".join(text.split())


class _OffsetMap:
    """Offsets of a text in another text that differs only in white space."""

    def __init__(self, source: str, target: str) -> None:
        self.src = [i for i, ch in enumerate(source) if not ch.isspace()]
        self.tgt = [i for i, ch in enumerate(target) if not ch.isspace()]

    def fragment(self, f: Fragment) -> Fragment | None:
        i = bisect.bisect_left(self.src, f.start)
        j = bisect.bisect_left(self.src, f.end) - 1
        if i > j or i >= len(self.tgt):
            return None
        return Fragment(self.tgt[i], self.tgt[j] + 1)


@dataclass
class _LayerPlan:
    """What the import adds to one layer: the ids it takes, the layer's id counter
    after them, and the annotations and links it places, by document."""

    name: str
    taken_ids: set[str]
    counter: int
    placed: dict[str, tuple[list[Annotation], list[Link]]] = field(default_factory=dict)
    existing_keys: dict[str, set[tuple[object, ...]]] = field(default_factory=dict)


class _Planner:
    def __init__(self, project: Project, options: ImportOptions) -> None:
        self.project = project
        self.options = options
        self.report = ImportReport()
        self.by_hash: dict[str, str] = {}
        self.by_ws: dict[str, str] | None = None
        self.texts: dict[str, str] = {}
        self.taken_docs: set[str] = set(project.documents)
        self.new_docs: list[Document] = []
        self.layers: dict[str, _LayerPlan] = {}
        #: the layer the source being placed goes into
        self.into = self.layer_plan(options.layer)
        #: documents the source being placed added: two texts of one file stay two documents
        self.this_source: set[str] = set()

    def layer_plan(self, name: str) -> _LayerPlan:
        plan = self.layers.get(name)
        if plan is None:
            layer = self.project.layers.get(name)
            plan = self.layers[name] = _LayerPlan(
                name,
                layer.ids() if layer is not None else set(),
                layer.counter if layer is not None else 0,
            )
        return plan

    # --- documents ------------------------------------------------------------

    def _known(self) -> None:
        for doc in self.project.documents.values():
            self.by_hash.setdefault(doc.sha256, doc.id)
            self.texts[doc.id] = doc.text
        self._ws_index()

    def _ws_index(self) -> dict[str, str]:
        """Texts the project held before the import, by their white-space-normalised hash."""
        if self.by_ws is None:
            self.by_ws = {}
            for doc_id, text in self.texts.items():
                self.by_ws.setdefault(text_sha256(_strip_ws(text)), doc_id)
        return self.by_ws

    def document_for(self, pd: ParsedDocument, rep: SourceReport) -> tuple[str, _OffsetMap | None]:
        sha = text_sha256(pd.text)
        doc_id = self.by_hash.get(sha)
        if doc_id is not None and doc_id not in self.this_source:
            rep.matched_documents += 1
            return doc_id, None
        ws_sha = text_sha256(_strip_ws(pd.text))
        doc_id = self._ws_index().get(ws_sha)
        if doc_id is not None and doc_id not in self.this_source:
            rep.matched_documents += 1
            rep.notes.append(
                f"{pd.where}: same text as document {doc_id} apart from white space; "
                "offsets carried over"
            )
            return doc_id, _OffsetMap(pd.text, self.texts[doc_id])
        doc_id = unique_id(pd.name or "doc", self.taken_docs)
        if pd.name and doc_id != pd.name:
            rep.notes.append(
                f"{pd.where}: the project has another text called {pd.name!r}; "
                f"this one is document {doc_id}"
            )
        self.taken_docs.add(doc_id)
        doc = Document(id=doc_id, text=pd.text, meta=pd.meta, status=dict(pd.status))
        self.new_docs.append(doc)
        self.report.documents.append(doc)
        rep.new_documents += 1
        self.by_hash.setdefault(sha, doc_id)
        self.texts[doc_id] = pd.text
        self.this_source.add(doc_id)
        return doc_id, None

    # --- ids ------------------------------------------------------------------

    def fresh_id(self, prefix: str) -> str:
        into = self.into
        while True:
            into.counter += 1
            candidate = f"{prefix}{into.counter}"
            if candidate not in into.taken_ids:
                into.taken_ids.add(candidate)
                return candidate

    def claim(self, wanted: str, prefix: str, rep: SourceReport, where: str, what: str) -> str:
        if wanted and wanted not in self.into.taken_ids:
            self.into.taken_ids.add(wanted)
            return wanted
        new = self.fresh_id(prefix)
        if wanted:
            rep.notes.append(
                f"{where}: {what} id {wanted} is taken in layer {self.into.name!r}; renamed {new}"
            )
        return new

    def _existing(self, doc_id: str) -> set[tuple[object, ...]]:
        keys = self.into.existing_keys.get(doc_id)
        if keys is None:
            keys = set()
            layer = self.project.layers.get(self.into.name)
            da = layer.docs.get(doc_id) if layer is not None else None
            if da is not None:
                keys = {_content(a) for a in da.annotations.values()}
            self.into.existing_keys[doc_id] = keys
        return keys

    # --- annotations ------------------------------------------------------------

    def place(self, pd: ParsedDocument, tagset: TagSet, types: TypeMap, rep: SourceReport) -> None:
        doc_id, offsets = self.document_for(pd, rep)
        length = len(self.texts[doc_id])
        where = pd.where or pd.name
        anns, links = self.into.placed.setdefault(doc_id, ([], []))
        known = self._existing(doc_id)
        ids: dict[str, str] = {}
        tags: dict[str, str] = {}
        unknown_types: dict[str, int] = {}
        for ann in pd.annotations:
            tag = types.tag(ann.tag)
            if tag is None:
                unknown_types[ann.tag] = unknown_types.get(ann.tag, 0) + 1
                continue
            frags = normalise_fragments(ann.fragments)
            if offsets is not None:
                moved = [offsets.fragment(f) for f in frags]
                if any(m is None for m in moved):
                    rep.notes.append(
                        f"{where}: annotation {ann.id} covers only white space; skipped"
                    )
                    continue
                frags = normalise_fragments(m for m in moved if m is not None)
            if not frags or frags[-1].end > length:
                rep.notes.append(f"{where}: annotation {ann.id} lies outside the text; skipped")
                continue
            attributes = self._attributes(ann, tag, tagset, types, rep, where)
            candidate = dataclasses.replace(ann, tag=tag, fragments=frags, attributes=attributes)
            key = _content(candidate)
            if key in known:  # the layer has it already (the same file imported again)
                rep.kept_any = True
                continue
            new_id = self.claim(ann.id, "a", rep, where, "annotation")
            ids[ann.id] = new_id
            tags[new_id] = tag
            anns.append(dataclasses.replace(candidate, id=new_id))
            rep.annotations_added += 1
        for name, count in unknown_types.items():
            rep.notes.append(
                f"{where}: {count} annotation{'s' if count > 1 else ''} of type {name!r}, "
                "which is not a tag here (use --map or --add-tags); skipped"
            )
        for lk in pd.links:
            src, tgt = ids.get(lk.source), ids.get(lk.target)
            if src is None or tgt is None:
                rep.notes.append(
                    f"{where}: link {lk.id} ({lk.type}) points to an annotation that was "
                    "not imported; skipped"
                )
                continue
            link_type = types.link(lk.type)
            if link_type is None:
                rep.notes.append(
                    f"{where}: link {lk.id} has type {lk.type!r}, which is not a link type "
                    "here; skipped"
                )
                continue
            try:
                tagset.check_link(link_type, tags[src], tags[tgt])
            except ModelError as err:
                rep.notes.append(f"{where}: link {lk.id}: {err}; skipped")
                continue
            new_id = self.claim(lk.id, "r", rep, where, "link")
            links.append(dataclasses.replace(lk, id=new_id, type=link_type, source=src, target=tgt))
            rep.links_added += 1

    def _attributes(
        self,
        ann: Annotation,
        tag: str,
        tagset: TagSet,
        types: TypeMap,
        rep: SourceReport,
        where: str,
    ) -> dict[str, AttrValue]:
        kept: dict[str, AttrValue] = {}
        for name, value in ann.attributes.items():
            attr = types.attribute(tag, name)
            if attr is None:
                rep.notes.append(
                    f"{where}: annotation {ann.id}: {tag} has no attribute {name!r}; "
                    "attribute dropped"
                )
                continue
            if isinstance(value, str):
                from annotator.interchange.common import split_list

                items = tuple(split_list(value)) if attr.multiple else (value,)
            else:
                items = tuple(value)
            items = tuple(map_value(attr, v) for v in items)
            if not items:  # an empty list of values (JSON ``[]``): nothing to keep
                continue
            if not attr.multiple and len(items) > 1:
                rep.notes.append(
                    f"{where}: annotation {ann.id}: {tag}.{attr.name} takes one value; "
                    f"kept {items[0]!r}, dropped {', '.join(map(repr, items[1:]))}"
                )
            raw: AttrValue = items if attr.multiple else items[0]
            try:
                kept[attr.name] = attr.normalise(tag, raw)
            except AnnotatorError as err:
                rep.notes.append(f"{where}: annotation {ann.id}: {err}; attribute dropped")
        return kept


def _content(ann: Annotation) -> tuple[object, ...]:
    return (ann.tag, ann.fragments, tuple(sorted(ann.attributes.items())))


def _translated(source: TagSet, current: TagSet, mapping: dict[str, str]) -> TagSet:
    """``source`` in our names: its types that map onto ``current`` renamed to ours (with
    their attributes and values renamed too), the others as they are."""
    types = TypeMap(current, mapping)
    tags = []
    for t in source.tags:
        ours = types.tag(t.name)
        if ours is None:
            tags.append(t)
            continue
        attrs = []
        for a in t.attributes:
            our_attr = types.attribute(ours, a.name)
            if our_attr is None:
                attrs.append(a)
                continue
            values = tuple(dict.fromkeys(map_value(our_attr, v) for v in a.values))
            labels = tuple(
                a.value_labels[a.values.index(v)]
                if v in a.values and len(a.value_labels) == len(a.values)
                else v
                for v in values
            )
            attrs.append(
                dataclasses.replace(
                    our_attr, values=values, value_labels=labels, multiple=a.multiple
                )
            )
        tags.append(dataclasses.replace(current.tag(ours), attributes=tuple(attrs)))
    links = [
        dataclasses.replace(
            lt,
            name=types.link(lt.name) or lt.name,
            sources=tuple(types.tag(s) or s for s in lt.sources),
            targets=tuple(types.tag(t) or t for t in lt.targets),
        )
        for lt in source.links
    ]
    return TagSet(name=source.name, tags=tuple(tags), links=tuple(links))


def _source_tagset(parsed: ParsedSource) -> TagSet:
    """The source's own tag set with whatever else its data uses."""
    inferred = infer_tagset(parsed.documents, name=parsed.format)
    if parsed.tagset is None:
        return inferred
    merged = merge_tagsets(parsed.tagset, _translated(inferred, parsed.tagset, {}))
    several = {
        (t.name, a.name) for t in inferred.tags for a in t.attributes if a.multiple
    }  # brat lists several values one per line: such an attribute takes several
    return dataclasses.replace(
        merged,
        tags=tuple(
            dataclasses.replace(
                t,
                attributes=tuple(
                    dataclasses.replace(a, multiple=a.multiple or (t.name, a.name) in several)
                    for a in t.attributes
                ),
            )
            for t in merged.tags
        ),
    )


def _needs_types(parsed: ParsedSource, types: TypeMap) -> bool:
    return any(types.tag(a.tag) is None for d in parsed.documents for a in d.annotations)


def _plan_tagset(project: Project, parsed: list[ParsedSource], options: ImportOptions) -> TagSet:
    """The tag set after the import (``project.tagset`` itself when nothing changes).

    A new project takes the sources' tag sets: wholly when none of their types is
    one of ours, else ours grown by what they add (types, attributes, values), so
    our own exports read back keep their labels and definitions. ``add_tags``
    grows an existing project's tag set the same way.
    """
    current = project.tagset
    types = TypeMap(current, options.mapping)
    wanting = [p for p in parsed if p.tagset is not None or _needs_types(p, types)]
    if not wanting or not (options.adopt_tagset or options.add_tags):
        return current
    sources = TagSet(name="", tags=())
    for p in wanting:
        sources = merge_tagsets(sources, _source_tagset(p))
    ours_too = any(not _needs_types(p, types) and p.tagset is None for p in parsed)
    if options.adopt_tagset and all(types.tag(t.name) is None for t in sources.tags):
        if ours_too:  # our own formats in the same import keep our tags
            sources = merge_tagsets(sources, current)
        return dataclasses.replace(sources, name=sources.name or current.name)
    grown = merge_tagsets(current, _translated(sources, current, options.mapping), widen=True)
    return current if grown == current else grown


#: brat's configuration files: read with the annotations beside them, never as releases
_BRAT_CONFS = frozenset({"annotation.conf", "visual.conf", "tools.conf", "kb_shortcuts.conf"})


def _claim(path: Path, read_annotated: Callable[[Path], bool], folders: set[Path]) -> bool:
    """True for a file in a folder of releases that is not a release: our exports and
    project files (read or refused on their own), and a brat or MAE sub-folder's files
    (the sub-folder is read once, as brat or MAE)."""
    if is_project_file(path) or sniff_own_format(path) is not None:
        return read_annotated(path)
    suffix = path.suffix.lower()
    brat = (
        suffix == ".ann"
        or path.name in _BRAT_CONFS
        or (suffix == ".txt" and path.with_suffix(".ann").is_file())
    )
    if brat or suffix == ".dtd" or (suffix == ".xml" and is_mae_file(path)):
        folder = path.parent
        if suffix != ".dtd" and folder not in folders and find_importer(folder) is not None:
            folders.add(folder)
            read_annotated(folder)
        return True
    return False


def plan_import(
    project: Project,
    sources: Sequence[Path],
    options: ImportOptions,
    *,
    progress: Progress | None = None,
) -> tuple[ImportReport, Command]:
    """Plan the import of ``sources`` into ``project`` (unchanged); see the module docstring.

    The command, once done, adds everything the report lists; undo removes it.
    ``progress`` counts the release files read, then the annotated documents
    placed; cancelling it raises :class:`~annotator.errors.Cancelled` before
    anything is planned, so the project stays as it was.
    """
    planner = _Planner(project, options)
    report = planner.report
    releases: list[Path] = []
    annotated: list[ParsedSource] = []

    def read_annotated(src: Path) -> bool:
        """Read ``src`` if it is annotated data (or refuse a project); False for a release."""
        if is_project_file(src):
            report.skipped.append((str(src), PROJECT_REFUSED))
            return True
        folders = annotator_folders(src)
        if folders:  # a MedTator corpus: each annotator's folder into a layer of its own
            for folder in folders:
                before = len(annotated)
                read_annotated(folder)
                for parsed in annotated[before:]:
                    parsed.layer = layer_of(folder)
            return True
        importer = find_importer(src)
        if importer is None:
            return False
        try:
            annotated.append(importer.read(src, project.tagset))
        except AnnotatorError as err:
            report.skipped.append((str(src), error_reason(err)))
            report.errors.append(err)
        except OSError as err:
            report.skipped.append((str(src), err.strerror or str(err)))
        return True

    for src in sources:
        checked(progress)  # outside read_annotated's try: a cancel is no skipped file
        src = Path(src)
        if not src.exists() and not src.is_symlink():
            report.skipped.append((str(src), "no such file or folder"))
        elif not read_annotated(src):
            releases.append(src)

    commands: list[Command] = []
    claimed_folders: set[Path] = set()
    if releases:
        # our own exports and project files inside a folder of releases are not releases
        rel_report, add_releases = import_sources(
            project,
            releases,
            keep_layout=options.keep_layout,
            whole_page=options.whole_page,
            claim=lambda path: _claim(path, read_annotated, claimed_folders),
            progress=progress,
        )
        report.releases = rel_report
        report.skipped += rel_report.skipped
        if rel_report.imported:
            commands.append(add_releases)
            planner.taken_docs |= {d.id for d in rel_report.imported}
    if not annotated:
        return report, Macro(_title(report), commands)

    tagset = _plan_tagset(project, annotated, options)
    if tagset != project.tagset:
        report.tagset = tagset
        added = [t.name for t in tagset.tags if not project.tagset.has_tag(t.name)]
        if not all(tagset.has_tag(t.name) for t in project.tagset.tags):
            report.tagset_note = "tag set adopted from the source: " + ", ".join(added)
        elif added:
            report.tagset_note = "tags added from the source: " + ", ".join(added)
        else:
            report.tagset_note = "attributes, values or link types added from the source"
        commands.append(ReplaceTagSet(tagset, "Import the source's tag set"))
    types = TypeMap(tagset, options.mapping)
    planner._known()
    for doc in report.releases.imported:  # releases of this import count as known texts
        planner.by_hash.setdefault(doc.sha256, doc.id)
        planner.texts[doc.id] = doc.text
    placing = track(annotated, progress, "Placing annotations", "source")
    for parsed in placing:
        planner.into = planner.layer_plan(parsed.layer or options.layer)
        rep = SourceReport(
            str(parsed.path),
            parsed.format,
            planner.into.name,
            annotations_read=parsed.annotation_count(),
        )
        rep.notes += parsed.notes
        report.skipped += [(s.path, s.reason) for s in parsed.skipped]
        report.errors += [s.error for s in parsed.skipped if s.error is not None]
        planner.this_source = set()
        for pd in parsed.documents:
            planner.place(pd, tagset, types, rep)
        report.annotated.append(rep)
    if planner.new_docs:
        commands.append(AddDocuments(planner.new_docs))
    for plan in planner.layers.values():
        placed = {d: (a, lk) for d, (a, lk) in plan.placed.items() if a or lk}
        if placed:
            commands.append(PlaceAnnotations(plan.name, placed, plan.counter))
    return report, Macro(_title(report), commands)


def _title(report: ImportReport) -> str:
    n = len(report.releases.imported) + len(report.documents)
    a = sum(s.annotations_added for s in report.annotated)
    if a:
        return f"Import {a} annotation" + ("" if a == 1 else "s")
    return f"Import {n} release" + ("" if n == 1 else "s")


def import_into(project: Project, sources: Sequence[Path], options: ImportOptions) -> ImportReport:
    """Plan and do at once (scripts and tests): the project changes, without undo."""
    report, command = plan_import(project, sources, options)
    command.do(project)
    return report


__all__ = ["ImportOptions", "ImportReport", "SourceReport", "import_into", "plan_import"]
