"""The project file: one self-contained, diff-friendly XML file per project.

Layout (format version 3, schema ``resources/schema/project-3.xsd``)::

    <?xml version="1.0" encoding="UTF-8"?>
    <annotator-project format-version="3" name="Korea 1998">
      <tagset name="campaign">...</tagset>          the tag set annotated with
      <tagset-log>                                  how it got so (version 3):
        <change id="c…" op="rename-tag" by="lead" at="…" what="…"><arg …/></change>
      </tagset-log>                                 one change a line, oldest first
      <documents>
        <document id="doc0001" sha256="…" review="not-reviewed">
          <meta headline="…" country="…" dateline="…" date="…" ai-index="…"
                source-name="…" source-sha256="…"/>   (one line; empty fields left out)
          <extra key="…" value="…"/>                free metadata, by key
          <status annotator="alice" value="done"/>  by annotator
          <text>the release text, stored once</text>
        </document>
      </documents>
      <layers>
        <layer name="alice" kind="annotator" counter="57">
          <ann id="a3" doc="doc0001" tag="victim" frags="12-30 41-50"
               quote="political prisoners … students" note="…" needs-check="true"
               created-by="alice" created-at="…" [modified-by="…" modified-at="…"]
               ><attr name="group" value="student"/><prov key="…" value="…"/>
               <comment by="…" at="…" text="…"/></ann>           (all on ONE line)
          <link id="r4" doc="doc0001" type="addressee" from="a3" to="a7" [note="…"]
                >[<attr name="…" value="…"/>…</link>]   free link attributes (version 2)
        </layer>
      </layers>
    </annotator-project>

A file without a tag-set log is written as version 2: the same bytes as before
the log existed, which older annotators open (:func:`.project_writer.format_version`).

Why this layout: the text is stored once and annotations stand off it by
code-point offsets, so layers from several people sit side by side over the
same text. Each annotation is one self-contained line (``doc`` on every line),
so a diff or a merge conflict shows exactly which annotation changed, and
``grep 'tag="victim"'`` works. The ``quote`` lets anyone (and our loader) check
that the offsets still point at the intended words; the ``sha256`` detects a
text edited outside annotator. Layers are grouped by person, not by document,
because a layer is the unit of ownership, merging and agreement.

Determinism: documents in project order; layers by name; annotations in
``annotation_order``, links by natural id; attributes, metadata, statuses and
provenance sorted; ``modified-*`` written only when it differs from
``created-*``; no save time stamp. Saving an unchanged project gives the same
bytes, and load then save of our own file gives the same bytes.

Text XML cannot hold (form feeds, other C0 controls, lone surrogates,
U+FFFE/U+FFFF) round-trips exactly: see :mod:`annotator.formats.xmltext`.

Loading is strict: safe parsing (no DTD, entities or network), root and
version checks, upgrade of older versions (:mod:`.project_upgrade`), XSD
validation, then the meaning checks of :mod:`.project_reader`. Saving streams
the serialised pieces to a temp file while the cheap check of
:mod:`.save_check` counts them (``--paranoid`` also re-parses and
schema-validates the written file), refuses to overwrite a file changed on
disk since it was opened, and replaces the file atomically with a ``.bak`` of
the previous version. The check, the write and the rename happen under the
file's write lock (:mod:`.locking`), so two writers cannot both pass the
check; a new file is created only if nobody created it meanwhile.
"""

from __future__ import annotations

import gc
import hashlib
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

from lxml import etree

from annotator import assets
from annotator.errors import (
    AnnotatorError,
    ConcurrentModification,
    FileFormatError,
    SaveFailed,
    SchemaViolation,
    UnsupportedFormatVersion,
    WrongRootElement,
)
from annotator.formats.atomic import atomic_write_chunks
from annotator.formats.locking import write_lock
from annotator.formats.project_reader import ProjectReader
from annotator.formats.project_stream import CHUNK, SCHEMA_LOCK, NotStreamable, StreamingReader
from annotator.formats.project_upgrade import upgrade
from annotator.formats.project_writer import (
    FORMAT_VERSION,
    ROOT_TAG,
    paused_gc,
    project_chunks,
    project_to_bytes,
)
from annotator.formats.safe_xml import line_of, parse_bytes
from annotator.formats.save_check import SaveCheck, check_bytes
from annotator.formats.tagset_xml import default_tagset
from annotator.model.project import Project
from annotator.model.tagset import TagSet

__all__ = [
    "FORMAT_VERSION",
    "check_bytes",
    "load_project",
    "new_project",
    "project_from_bytes",
    "project_to_bytes",
    "save_project",
    "validate_file",
]

T = TypeVar("T")

#: At most this many schema problems are reported by validate_file.
MAX_REPORTED = 50


@cache
def schema() -> etree.XMLSchema:
    """The shipped XSD, parsed once per process."""
    data = assets.read_bytes("schema", f"project-{FORMAT_VERSION}.xsd")
    return etree.XMLSchema(parse_bytes(data, source=f"project-{FORMAT_VERSION}.xsd"))


def new_project(name: str, tagset: TagSet | None = None) -> Project:
    """An empty project with ``tagset`` (the shipped campaign tag set if None)."""
    return Project(name=name, tagset=tagset if tagset is not None else default_tagset())


def _prepare(tree: etree._ElementTree, source: str) -> etree._Element:
    """Check root and version; upgrade an older version in place. Returns the root."""
    root = tree.getroot()
    path = source or None
    if root.tag != ROOT_TAG:
        raise WrongRootElement(
            f"this is not an annotator project (the root element is <{root.tag}>, "
            f"expected <{ROOT_TAG}>)",
            path=path,
            line=line_of(root),
        )
    raw = root.get("format-version")
    try:
        version = int(raw or "")
    except ValueError:
        raise SchemaViolation(
            f"the format-version {raw!r} is not a number", path=path, line=line_of(root)
        ) from None
    if version > FORMAT_VERSION:
        raise UnsupportedFormatVersion(
            f"the project was written in format version {version} by a newer annotator; "
            f"this one reads up to version {FORMAT_VERSION}, please update annotator",
            path=path,
            line=line_of(root),
        )
    if version < 0:
        raise SchemaViolation(
            f"the format-version {version} is not valid", path=path, line=line_of(root)
        )
    if version < FORMAT_VERSION:
        upgrade(root, version)
    return root


_SCHEMA_LOCK = SCHEMA_LOCK  # one validation at a time, streaming or not


def _schema_errors(tree: etree._ElementTree, source: str) -> list[AnnotatorError]:
    xsd = schema()
    with _SCHEMA_LOCK:
        if xsd.validate(tree):
            return []
        entries: list[Any] = list(cast(Iterable[Any], xsd.error_log))  # stubs lack _LogEntry
    return [
        SchemaViolation(
            f"the file does not follow the project schema: {e.message}",
            path=source or None,
            line=e.line or None,
        )
        for e in entries[:MAX_REPORTED]
    ]


def _in_background(fn: Callable[[], T]) -> Callable[[], T]:
    """Start ``fn`` in a thread; the returned function waits and gives its result.

    For C work that releases the GIL (libxml2 validation, sha256 of a large
    buffer): on a machine with two cores it runs beside the Python-bound work.
    """
    box: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            box.append((True, fn()))
        except BaseException as err:  # handed to the waiting thread
            box.append((False, err))

    thread = threading.Thread(target=run, name="annotator-io", daemon=True)
    thread.start()

    def wait() -> T:
        thread.join()
        ok, value = box[0]
        if not ok:
            raise value
        return cast(T, value)

    return wait


def _stream(chunks: Iterable[bytes], source: str) -> Project | None:
    """The project read in one streaming pass, or None when the file needs the
    whole-tree path (an older version, or a problem that path names exactly)."""
    try:
        with paused_gc():
            return StreamingReader(source, schema=schema()).read_chunks(chunks)
    except NotStreamable:  # the whole-tree path upgrades, or says what is wrong
        return None


def _chunks(data: bytes) -> Iterator[bytes]:
    view = memoryview(data)
    for i in range(0, len(data), CHUNK):
        yield bytes(view[i : i + CHUNK])


def project_from_bytes(data: bytes, *, source: str = "") -> Project:
    """Parse, upgrade, validate and read a project file; raise the first problem.

    A good file of the current version is read in one streaming pass
    (:mod:`.project_stream`); anything else takes the whole-tree path, which
    upgrades or says exactly what is wrong and where.
    """
    project = _stream(_chunks(data), source)
    return project if project is not None else project_from_tree(data, source=source)


def project_from_tree(data: bytes, *, source: str = "") -> Project:
    """project_from_bytes on the whole parsed tree: the path of older versions and
    of errors (and the reference the streaming pass is tested against).

    Schema validation (libxml2, GIL released) runs in a thread while the model
    is built from the same, unmodified tree: the reader only reads it. Schema
    problems still win: the reader's result, or its failure (it may trip over
    a shape the schema forbids), counts only once validation has passed.
    """
    tree = parse_bytes(data, source=source)
    root = _prepare(tree, source)
    schema_errors = _in_background(lambda: _schema_errors(tree, source))
    try:
        with paused_gc():
            project = ProjectReader(source, escaped=b"\\u{" in data).read(root)
    except BaseException:
        errors = schema_errors()
        if errors:
            raise errors[0] from None
        raise
    errors = schema_errors()
    if errors:
        raise errors[0]
    return project


def load_project(path: str | Path) -> tuple[Project, str]:
    """The project at ``path`` and the sha256 of the bytes read (for save conflicts).

    The file is read and parsed in chunks, so neither its bytes nor its tree are
    ever held whole; the hash is taken of the same chunks.
    """
    p = Path(path)
    h = hashlib.sha256()

    def chunks() -> Iterator[bytes]:
        with open(p, "rb") as fh:
            while chunk := fh.read(CHUNK):
                h.update(chunk)
                yield chunk

    try:
        project = _stream(chunks(), str(p))
    except OSError:
        project = None  # read_bytes below says what is wrong
    if project is not None:
        return project, h.hexdigest()
    data = p.read_bytes()
    digest = _in_background(lambda: hashlib.sha256(data).hexdigest())  # beside the parse
    project = project_from_tree(data, source=str(p))
    return project, digest()


def validate_file(path: str | Path) -> list[AnnotatorError]:
    """Every problem found in the project file at ``path``; an empty list means valid."""
    p = Path(path)
    source = str(p)
    try:
        data = p.read_bytes()
    except OSError as err:
        return [FileFormatError(f"cannot read the file: {err.strerror or err}", path=source)]
    try:
        tree = parse_bytes(data, source=source)
        root = _prepare(tree, source)
    except AnnotatorError as err:
        return [err]
    errors = _schema_errors(tree, source)
    if errors:
        return errors  # the meaning checks assume the shape is right
    ProjectReader(source, errors).read(root)
    return errors


def verify_bytes(data: bytes) -> None:
    """Re-parse and schema-validate bytes we are about to write (the paranoid check)."""
    try:
        tree = parse_bytes(data, source="the file being saved")
    except AnnotatorError as err:
        raise SaveFailed(f"internal error, nothing was written: {err}") from None
    errors = _schema_errors(tree, "the file being saved")
    if errors:
        raise SaveFailed(f"internal error, nothing was written: {errors[0]}")


#: Whether every save also re-parses and schema-checks its bytes (``--paranoid``).
_paranoid = False


def set_paranoid(enabled: bool) -> None:
    """Make every save of this process take the full check (the CLI's ``--paranoid``)."""
    global _paranoid
    _paranoid = enabled


def file_sha256(path: str | Path) -> str | None:
    """sha256 of the file's bytes, or None if there is no file."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
    except FileNotFoundError:
        return None
    return h.hexdigest()


def save_project(
    project: Project,
    path: str | Path,
    *,
    expected_sha256: str | None = None,
    create: bool = False,
    backup: bool = True,
    verify: bool = True,
    paranoid: bool | None = None,
    notify: Callable[[str], None] | None = None,
) -> str:
    """Write ``project`` to ``path`` atomically; return the sha256 of the bytes written.

    ``expected_sha256`` is the hash from load_project (or the last save): if the
    file on disk now has another hash, somebody else saved it meanwhile and we
    raise ConcurrentModification without writing. A file that vanished meanwhile
    is simply written again (nothing of anyone's is lost). ``create=True``
    writes only if no file exists at ``path`` (else TargetExists): of two
    processes creating the same project, one wins and the other is told.
    The file is made and written piece by piece (never whole in memory): each
    piece is counted by the cheap check of :mod:`.save_check` on its way to the
    temp file, and a failed check leaves the target untouched. ``paranoid=True``
    also re-parses and schema-validates the written temp file before it
    replaces anything (the tests, and ``--paranoid`` on the command line: None
    means set_paranoid's choice, off unless asked); ``verify=False`` skips both
    (only for benchmarks). The check and the write happen under the file's write
    lock; ``notify`` gets the one line said when a stale lock is taken over.
    """
    if paranoid is None:
        paranoid = _paranoid
    digest = hashlib.sha256()
    pieces = project_chunks(project)
    if verify:
        pieces = _checked(pieces, SaveCheck(project))
    # The paranoid check reads back what reached the disk, before it replaces anything.
    reread = (lambda tmp: verify_bytes(tmp.read_bytes())) if verify and paranoid else None
    with write_lock(path, notify=notify):
        if expected_sha256 is not None and not create:
            on_disk = file_sha256(path)
            if on_disk is not None and on_disk != expected_sha256:
                raise ConcurrentModification(
                    "the file was changed on disk since it was opened (by another window "
                    "or a colleague); save elsewhere or merge",
                    path=str(path),
                )
        with _gc_paused():
            atomic_write_chunks(
                path,
                pieces,
                backup=backup and not create,
                create=create,
                observe=digest.update,
                before_replace=reread,
            )
    return digest.hexdigest()


def _checked(pieces: Iterator[bytes], check: SaveCheck) -> Iterator[bytes]:
    """``pieces`` as they are, each counted by ``check``, which judges after the last."""
    for piece in pieces:
        check.feed(piece)
        yield piece
    check.finish()  # raises before the temp file can replace anything


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic collection while a save makes its pieces: they are freed by reference
    counting, and a full collection would walk the whole project for nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
