"""The streaming builder's reading of the tag set and of the documents.

The embedded tag set, a small subtree, is built as a tree and checked by the
XSD itself; each ``<document>`` becomes a :class:`~annotator.model.Document`
at its end tag, once its text is known to match its hash.
"""

from __future__ import annotations

from annotator.formats.stream_state import (
    DOC_CHILD,
    DOCUMENT,
    PROJECT,
    SCHEMA_LOCK,
    TEXT,
    BuilderState,
    refuse,
)
from annotator.formats.tagset_log_xml import log_from_element
from annotator.formats.tagset_xml import tagset_from_element
from annotator.formats.xmltext import attr_text
from annotator.model.project import (
    Document,
    DocumentMeta,
    Project,
    ReviewStatus,
    Status,
    text_sha256,
)

_META_FIELDS = (
    ("headline", "headline"),
    ("country", "country"),
    ("dateline", "dateline"),
    ("date", "date"),
    ("ai-index", "ai_index"),
    ("source-name", "source_name"),
    ("source-sha256", "source_sha256"),
)
_META_KEYS = frozenset(k for k, _ in _META_FIELDS)
_DOCUMENT_KEYS = frozenset(("id", "sha256", "review"))


class DocumentReading(BuilderState):
    """``<tagset>`` and ``<document>``: the parts of a project before its layers."""

    # --- the tag set ----------------------------------------------------------------

    def _tagset_event(self) -> None:
        """Hand the text collected since the last event to the tag set's tree."""
        buf = self._buf
        if buf:
            assert self._tree is not None
            self._tree.data("".join(buf))
            buf.clear()

    def _tagset_end(self) -> None:
        assert self._tree is not None
        el = self._tree.close()
        self._tree = None
        # a small subtree: the schema's own check (<tagset> and <tagset-log> are
        # global elements of it, so each validates on its own)
        with SCHEMA_LOCK:
            valid = self.schema.validate(el)
        if not valid:
            raise refuse(f"the <{el.tag}> does not follow the schema")
        if self._in_log:
            assert self._project is not None
            self._in_log = False
            log = log_from_element(el, source=self.source)
            if not log:
                raise refuse("an empty tag-set log (the writer leaves it out)")
            self._project.tagset_log = log
            self._ctx = PROJECT
            return
        tagset = tagset_from_element(el, source=self.source)
        self._project = Project(name=self._name, tagset=tagset)
        self._tags = {t.name: t.name for t in tagset.tags}
        self._link_names = {lt.name: lt.name for lt in tagset.links}
        self._ctx = PROJECT
        self._stage = 1

    # --- documents ------------------------------------------------------------------

    def _document_start(self, a: dict[str, str]) -> None:
        if not (_DOCUMENT_KEYS.issuperset(a) and a.get("id") and "sha256" in a):
            raise refuse("a document's attributes")
        self._doc = a
        self._doc_parts = []
        self._ctx = DOCUMENT
        self._stage = 0

    def _document_child(self, tag: str, a: dict[str, str]) -> None:
        """<meta>?, <extra>*, <status>*, <text>, in that order."""
        self._blank()
        stage = self._stage
        if tag == "text" and stage < 4 and not a:
            self._ctx = TEXT
            self._stage = 4
            return
        if tag == "meta" and stage < 1:
            ok = _META_KEYS.issuperset(a)
            self._stage = 1
        elif tag == "extra" and stage <= 2:
            ok = len(a) == 2 and "key" in a and "value" in a
            self._stage = 2
        elif tag == "status" and stage <= 3:
            ok = len(a) == 2 and "annotator" in a and "value" in a
            self._stage = 3
        else:
            ok = False
        if not ok:
            raise refuse(f"<{tag}> where a document does not take it")
        self._doc_parts.append((tag, a))
        self._ctx = DOC_CHILD
        self._mark = len(self._buf)

    def _text_end(self) -> None:
        buf = self._buf
        self._text = "".join(buf)
        buf.clear()

    def _document_end(self) -> None:
        self._blank()
        if self._stage != 4:
            raise refuse("a document without text")
        project = self._project
        assert project is not None
        a = self._doc
        doc_id = attr_text(a["id"])
        text, self._text = self._text, ""
        digest = text_sha256(text)
        if doc_id in project.documents or digest != a["sha256"]:
            raise refuse("a document id used twice, or a text that does not match its hash")
        meta = DocumentMeta()
        doc = Document(id=doc_id, text=text, meta=meta)
        doc._sha = (text, digest)  # checked just now: the first save need not hash it again
        doc.review_status = ReviewStatus(a.get("review", ReviewStatus.NOT_REVIEWED.value))
        for tag, attrs in self._doc_parts:
            if tag == "meta":
                for xml_name, field in _META_FIELDS:
                    value = attrs.get(xml_name)
                    if value:
                        setattr(meta, field, attr_text(value))
            elif tag == "extra":
                meta.extra[attr_text(attrs["key"])] = attr_text(attrs["value"])
            else:
                doc.status[attr_text(attrs["annotator"])] = Status(attrs["value"])
        project.documents[doc_id] = doc
