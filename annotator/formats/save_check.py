"""The cheap check of the bytes a save writes, made on each piece as it goes to the disk.

The writer (:mod:`.project_writer`) escapes every value and every text, so a
``<`` in its bytes is always markup, and writes each element on a line of
fixed indentation. What can still go wrong is structure lost or repeated, and
that shows in counts, which cost a scan at C speed of each piece as it is
handed to the disk, instead of a parse and a schema check of the whole file
(that full check is the ``--paranoid`` one, in :mod:`.project_xml`):

* the XML declaration and the root's start tag first, the root's end tag last;
* the lines at the second level of indentation (the tag set's first and last
  line, ``<documents>``, ``<layers>`` and their ends) in their number;
* one ``<ann`` per annotation the project holds on its documents;
* as many ``<`` as ``>``: every tag opened is closed, no value or text let a
  bracket through unescaped.

A pattern cut in two by the end of a piece is still counted, once: the check
looks at the few bytes on each side of every boundary.
"""

from __future__ import annotations

from annotator.errors import SaveFailed
from annotator.formats.project_writer import ROOT_TAG, XML_HEAD, tagset_lines
from annotator.formats.tagset_log_xml import log_lines
from annotator.model.project import Project

#: what starts every top-level line below the root (the skeleton of the file)
TOP_LINE = b"\n  <"
#: what starts every annotation
ANN = b"<ann "
HEAD = XML_HEAD + f"<{ROOT_TAG} ".encode()
END = f"\n</{ROOT_TAG}>\n".encode()


def skeleton_lines(project: Project) -> int:
    """How many lines of the file for ``project`` start at the second level of
    indentation (the tag set's first and last line, those of its log, ``<documents>``,
    ``<layers>`` and their ends)."""
    tagset = ("\n" + tagset_lines(project.tagset)).count("\n  <")
    tagset += ("\n" + log_lines(project.tagset_log)).count("\n  <")
    return tagset + (2 if project.documents else 1) + (2 if project.layers else 1)


def annotation_count(project: Project) -> int:
    """The annotations the file for ``project`` holds (those on its documents)."""
    docs = project.documents
    return sum(
        len(da.annotations)
        for layer in project.layers.values()
        for doc_id, da in layer.docs.items()
        if doc_id in docs
    )


class SaveCheck:
    """Counts what matters in the pieces of a file being written; :meth:`finish` judges.

    Fed in the order the pieces are written; works on any cut of the bytes.
    """

    def __init__(self, project: Project) -> None:
        self.wanted_top = skeleton_lines(project)
        self.wanted_ann = annotation_count(project)
        self.top = 0
        self.ann = 0
        self.open = 0
        self.close = 0
        self.size = 0
        self.head = b""
        self.tail = b""

    def feed(self, chunk: bytes) -> None:
        if len(self.head) < len(HEAD):
            self.head += chunk[: len(HEAD) - len(self.head)]
        # the bytes on both sides of the boundary, for a pattern cut in two by it
        tail = self.tail
        top_edge = tail[-(len(TOP_LINE) - 1) :] + chunk[: len(TOP_LINE) - 1]
        ann_edge = tail[-(len(ANN) - 1) :] + chunk[: len(ANN) - 1]
        self.top += chunk.count(TOP_LINE) + top_edge.count(TOP_LINE)
        self.ann += chunk.count(ANN) + ann_edge.count(ANN)
        self.open += chunk.count(b"<")
        self.close += chunk.count(b">")
        self.size += len(chunk)
        short = len(chunk) < len(END)
        self.tail = (self.tail + chunk)[-len(END) :] if short else chunk[-len(END) :]

    def problems(self) -> list[str]:
        found = []
        if self.head != HEAD:
            found.append("the file does not begin with the project's root")
        if self.tail != END:
            found.append("the root element does not end the file")
        if self.top != self.wanted_top:
            found.append(f"{self.top} top-level lines instead of {self.wanted_top}")
        if self.ann != self.wanted_ann:
            found.append(f"{self.ann} annotations written instead of {self.wanted_ann}")
        if self.open != self.close:
            found.append(f"{self.open} '<' but {self.close} '>': markup is torn")
        return found

    def finish(self) -> None:
        """Raise SaveFailed naming every problem found; nothing is written then."""
        found = self.problems()
        if found:
            raise SaveFailed(f"internal error, nothing was written: {'; '.join(found)}")


#: The size of the pieces check_bytes cuts a whole file into (any size works).
_PIECE = 1 << 20


def check_bytes(data: bytes, project: Project) -> None:
    """The cheap check of a whole file's bytes for ``project``; raise SaveFailed."""
    check = SaveCheck(project)
    view = memoryview(data)
    for i in range(0, len(data), _PIECE):
        check.feed(bytes(view[i : i + _PIECE]))
    if not data:
        check.feed(b"")
    check.finish()


__all__ = ["SaveCheck", "annotation_count", "check_bytes", "skeleton_lines"]
