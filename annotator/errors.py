"""Narrow, named exceptions of the core.

Every error a user can cause derives from :class:`AnnotatorError`. Its ``str()``
is one plain sentence that the CLI prints and the GUI shows in a dialog, so the
message must say what is wrong and where, without a traceback.
"""

from __future__ import annotations

import re

_BREAKS = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


class AnnotatorError(Exception):
    """Base of every error the user can cause. ``str(err)`` is the message."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        # one line, whatever a library's message held (libxml2 ends some with a newline)
        self.message = (
            " ".join(message.splitlines()).strip() if _BREAKS.search(message) else message
        )
        self.path = path
        self.line = line
        super().__init__(message)

    def __str__(self) -> str:
        where = ""
        if self.path and self.line:
            where = f"{self.path}, line {self.line}: "
        elif self.path:
            where = f"{self.path}: "
        elif self.line:
            where = f"line {self.line}: "
        return f"{where}{self.message}"


# --- model invariants -------------------------------------------------------


class ModelError(AnnotatorError):
    """A change would break an invariant of the project model."""


class OffsetOutOfRange(ModelError):
    """A fragment points outside its document's text."""


class EmptySpan(ModelError):
    """A fragment has start >= end, or an annotation has no fragments."""


class UnknownTag(ModelError):
    """A tag that the project's tag set does not define."""


class UnknownAttribute(ModelError):
    """An attribute that the tag does not define."""


class InvalidAttributeValue(ModelError):
    """A value outside an attribute's closed list, or several for a single one."""


class UnknownDocument(ModelError):
    """A document id that the project does not hold."""


class UnknownLayer(ModelError):
    """A layer name that the project does not hold."""


class UnknownAnnotation(ModelError):
    """An annotation id that the layer does not hold."""


class DuplicateId(ModelError):
    """An id that is already taken."""


class LinkTypeMismatch(ModelError):
    """A link whose type is unknown or whose ends have tags it does not allow."""


class ReadOnlyLayer(ModelError):
    """An edit aimed at a layer that may not be changed here."""


class InvalidTagSetChange(ModelError):
    """A tag-set change that cannot be made: a name empty or taken, a colour that is
    not ``#rrggbb``, a shortcut another tag has, a value the list already holds."""


class TagSetChangeRefused(ModelError):
    """A tag-set change would take a tag, attribute or value from annotations that use
    it, and no choice was given (map them onto another, or delete it from them).
    ``impact`` says how many annotations in which layers would lose what."""

    def __init__(self, message: str, impact: object = None) -> None:
        super().__init__(message)
        self.impact = impact


# --- files --------------------------------------------------------------------


class FileFormatError(AnnotatorError):
    """A file cannot be read as what it claims to be."""


class MalformedXML(FileFormatError):
    """The file is not well-formed XML."""


class UnsafeXML(FileFormatError):
    """The file declares entities or a DTD; we refuse it rather than expand them."""


class WrongRootElement(FileFormatError):
    """Well-formed XML, but not an annotator project (or not the expected kind)."""


class UnsupportedFormatVersion(FileFormatError):
    """A project written by a newer annotator than this one."""


class SchemaViolation(FileFormatError):
    """The file does not follow the shipped schema."""


class BadNumber(FileFormatError, ValueError):
    """A number or character code in a file that cannot stand for what it should: too
    long to convert, beyond the text it points into, beyond U+10FFFF. Also a
    ValueError, so a reader that catches those for its own message still does."""


class OffsetMismatch(FileFormatError):
    """Stored offsets, quotes or hashes do not match the document's text."""


class EmptyFile(FileFormatError):
    """The file holds no bytes (or only whitespace)."""


class BinaryFile(FileFormatError):
    """The file holds binary data where text was expected."""


class UnsupportedSource(FileFormatError):
    """An import source of a kind we cannot read."""


class CorruptSource(FileFormatError):
    """An import source (PDF, Word file) whose container its parser cannot open."""


class UnreadableSource(FileFormatError):
    """An import source the operating system will not let us read (missing, no permission)."""


class ConcurrentModification(AnnotatorError):
    """The file on disk changed since it was loaded; saving would overwrite it."""


class FileLocked(AnnotatorError):
    """Another process kept the file's write lock for longer than we wait."""


class SaveFailed(AnnotatorError):
    """Writing the file failed; the previous file on disk is untouched."""


class JournalUnusable(AnnotatorError):
    """An edit journal cannot be replayed (unreadable, or made on another version of the file)."""


class JournalBaseChanged(JournalUnusable):
    """The project file changed since the journal was started; its edits would land elsewhere."""


class TargetExists(AnnotatorError):
    """A command would replace an existing file it was not told to overwrite (``--force``)."""


# --- export and interchange ---------------------------------------------------


class ExportError(AnnotatorError):
    """An export cannot be made as asked (unknown layer or format, nothing to export)."""


class RedactionLeak(ExportError):
    """A redacted export still holds a redacted name; the output was deleted."""


class InterchangeError(FileFormatError):
    """An interchange file (brat, MAE, inline XML, JSON) cannot be read back."""


class UnknownSuggester(AnnotatorError):
    """A suggester name that is not one of the assisted-tagging suggesters."""


# --- overview and concordance -------------------------------------------------


class OverviewError(AnnotatorError):
    """An overview or concordance cannot be made as asked (a bad filter, an unknown value)."""


# --- working with git -------------------------------------------------------------


class GitError(AnnotatorError):
    """Working with git failed (git missing, not in a repository, git refused a command)."""


class GitMissing(GitError):
    """The git program is not installed or not on PATH."""


class NotInGitRepository(GitError):
    """A git command needs a repository and the folder is not inside one."""


class UnknownConflict(ModelError):
    """A merge conflict to settle that the project no longer records (settled already)."""


class NoConflictChosen(AnnotatorError):
    """Settling conflicts without saying which side to keep, or which conflicts."""


# --- long jobs ----------------------------------------------------------------------


class Cancelled(AnnotatorError):
    """The user stopped a long job (Cancel, Ctrl+C); nothing it planned was applied.

    Raised between two steps by :meth:`annotator.progress.Progress.check`. Code that
    catches :class:`AnnotatorError` around one file (to skip it and go on) must let
    this through: the checks sit outside such ``try`` blocks.
    """

    def __init__(self, message: str = "cancelled; nothing was changed") -> None:
        super().__init__(message)
