"""Building a Project from a schema-valid project tree, checking what XSD cannot.

The schema guarantees the shape; this module checks meaning: tags, attributes
and link types against the embedded tag set, offsets inside the text, quotes
equal to the covered text, text hashes, unique ids. Every failure is a named
:class:`~annotator.errors.AnnotatorError` carrying the element's line number.

In strict mode (loading) the first problem is raised; in collecting mode
(``validate_file``) each is recorded, the offending element skipped and the
walk goes on, so a user sees every problem at once.

The walk is the hot path of opening a 200,000-annotation project, hence the
local-variable aliases and the cache of checked attribute sets (most
annotations share one of a few hundred attribute combinations).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lxml import etree

from annotator.errors import (
    AnnotatorError,
    DuplicateId,
    EmptySpan,
    ModelError,
    OffsetMismatch,
    OffsetOutOfRange,
    SchemaViolation,
    UnknownAnnotation,
    UnknownDocument,
    UnknownTag,
)
from annotator.formats.project_writer import QUOTE_SEPARATOR
from annotator.formats.safe_xml import line_of
from annotator.formats.tagset_log_xml import LOG_TAG, log_from_element
from annotator.formats.tagset_xml import tagset_from_element
from annotator.formats.xmltext import attr_text, element_text
from annotator.model.project import (
    NO_ATTRIBUTES,
    NO_COMMENTS,
    NO_LINK_ATTRIBUTES,
    NO_PROVENANCE,
    Annotation,
    Comment,
    Document,
    DocumentAnnotations,
    DocumentMeta,
    Fragment,
    FrozenDict,
    Layer,
    LayerKind,
    Link,
    Project,
    ReviewStatus,
    Status,
    text_sha256,
)
from annotator.model.tagset import AttrValue, TagSet
from annotator.numbers import CEILING, MAX_DIGITS, excerpt, parse_offset

_META_FIELDS = (
    ("headline", "headline"),
    ("country", "country"),
    ("dateline", "dateline"),
    ("date", "date"),
    ("ai-index", "ai_index"),
    ("source-name", "source_name"),
    ("source-sha256", "source_sha256"),
)


#: ``_Element.get`` as we use it (attribute values are always str, never bytes)
_Getter = Callable[[str], "str | None"]


#: The attributes (in the writer's order) of an annotation without note, check flag
#: or modification: the common line, read with one ``values()`` call.
_PLAIN_ANN = ["id", "doc", "tag", "frags", "quote", "created-by", "created-at"]

_new_object = object.__new__
_set_start = Fragment.__dict__["start"].__set__  # the slot descriptors, bypassing frozen
_set_end = Fragment.__dict__["end"].__set__


def _trusted_fragment(start: int, end: int) -> Fragment:
    """A Fragment without ``__post_init__``'s checks, for offsets the caller checked
    (0 <= start < end): half the cost, which counts 200,000 times per load."""
    f: Fragment = _new_object(Fragment)
    _set_start(f, start)
    _set_end(f, end)
    return f


class _Skip(Exception):
    """Internal: the current element was recorded as bad; go on with the next."""


class ProjectReader:
    """One pass over a project tree. ``errors`` is None for strict mode."""

    def __init__(
        self,
        source: str = "",
        errors: list[AnnotatorError] | None = None,
        *,
        escaped: bool = True,
    ) -> None:
        """``escaped=False`` promises that no attribute holds the private ``\\u{`` escape
        (the caller checked the raw bytes), which spares 2 million calls on a big file."""
        self.source = source or None
        self.errors = errors
        self.escaped = escaped
        self._attr_cache: dict[
            tuple[str, tuple[tuple[str, str], ...]], FrozenDict[str, AttrValue]
        ] = {}
        self._links_ok: set[tuple[str, str, str]] = set()
        self._shared: dict[str, str] = {}
        # the document the previous annotation was on (annotations come grouped)
        self._doc_id = ""
        self._text = ""
        self._da = DocumentAnnotations()

    # --- error plumbing -------------------------------------------------------

    def fail(self, err: AnnotatorError, el: etree._Element) -> _Skip:
        """Locate ``err`` at ``el``; raise it (strict) or record it and return _Skip."""
        located = type(err)(err.message, path=self.source, line=line_of(el))
        if self.errors is None:
            raise located from None
        self.errors.append(located)
        return _Skip()

    def _get(self, el: etree._Element, name: str) -> str:
        value = el.get(name)
        if value is None:
            raise self.fail(SchemaViolation(f"<{el.tag}> lacks the {name!r} attribute"), el)
        return attr_text(value)

    # --- the walk ---------------------------------------------------------------

    def read(self, root: etree._Element) -> Project:
        ts_el = root.find("tagset")
        if ts_el is None:
            return self._unreadable(SchemaViolation("the project has no <tagset>"), root)
        try:
            tagset = tagset_from_element(ts_el, source=self.source or "")
        except AnnotatorError as err:
            return self._unreadable(err, ts_el)
        try:
            name = attr_text(root.get("name", ""))
        except ValueError as err:  # an escape beyond U+10FFFF
            self._bad_value(err, root)
            name = ""
        project = Project(name=name, tagset=tagset)
        log_el = root.find(LOG_TAG)
        if log_el is not None:
            try:
                project.tagset_log = log_from_element(log_el, source=self.source or "")
            except AnnotatorError as err:
                self.fail(err, log_el)
            except ValueError as err:  # an escape beyond U+10FFFF in a value
                self._bad_value(err, log_el)
        for el in root.iterfind("documents/document"):
            try:
                self._document(el, project)
            except _Skip:
                continue
            except ValueError as err:  # an escape beyond U+10FFFF in a value
                self._bad_value(err, el)
        for el in root.iterfind("layers/layer"):
            try:
                self._layer(el, project)
            except _Skip:
                continue
            except ValueError as err:
                self._bad_value(err, el)
        return project

    def _unreadable(self, err: AnnotatorError, el: etree._Element) -> Project:
        """The tag set cannot be read: nothing after it can be checked against it.

        Strict mode raises ``err``; lenient mode records it and ends the walk with an
        empty project (the other checks would only repeat the same cause)."""
        self.fail(err, el)
        return Project(name="", tagset=TagSet(name="", tags=(), links=()))

    def _bad_value(self, err: ValueError, el: etree._Element) -> None:
        """A value that cannot be read: an escape beyond U+10FFFF, an absurd number."""
        self.fail(SchemaViolation(f"<{el.tag}>: {err}"), el)

    def _document(self, el: etree._Element, project: Project) -> None:
        doc_id = self._get(el, "id")
        if doc_id in project.documents:
            raise self.fail(DuplicateId(f"document {doc_id!r} appears twice"), el)
        text_el = el.find("text")
        if text_el is None:
            raise self.fail(SchemaViolation(f"document {doc_id!r} has no <text>"), el)
        try:
            text = element_text(text_el)
        except ValueError as err:
            msg = f"the text of document {doc_id!r}: {err}"
            raise self.fail(SchemaViolation(msg), text_el) from None
        digest = text_sha256(text)
        if digest != el.get("sha256"):
            raise self.fail(
                OffsetMismatch(
                    f"the text of document {doc_id!r} does not match its sha256; "
                    "it was edited outside annotator"
                ),
                text_el,
            )
        meta = DocumentMeta()
        meta_el = el.find("meta")
        if meta_el is not None:
            for xml_name, field in _META_FIELDS:
                value = meta_el.get(xml_name)
                if value:
                    setattr(meta, field, attr_text(value))
        for x in el.iterfind("extra"):
            meta.extra[self._get(x, "key")] = self._get(x, "value")
        doc = Document(id=doc_id, text=text, meta=meta)
        doc._sha = (text, digest)  # checked just now: the first save need not hash it again
        try:
            doc.review_status = ReviewStatus(el.get("review", ReviewStatus.NOT_REVIEWED.value))
            for s in el.iterfind("status"):
                doc.status[self._get(s, "annotator")] = Status(s.get("value", ""))
        except ValueError as err:
            raise self.fail(SchemaViolation(f"document {doc_id!r}: {err}"), el) from None
        project.documents[doc_id] = doc

    def _layer(self, el: etree._Element, project: Project) -> None:
        layer = self._new_layer(el, project)
        self._fill_layer(layer, el, project)

    def _new_layer(self, el: etree._Element, project: Project) -> Layer:
        """The layer an ``<layer>`` element opens (its attributes only, not its children)."""
        name = self._get(el, "name")
        if name in project.layers:
            raise self.fail(DuplicateId(f"layer {name!r} appears twice"), el)
        try:
            kind = LayerKind(el.get("kind", LayerKind.ANNOTATOR.value))
            counter = parse_offset(el.get("counter", "0"), CEILING)
        except ValueError as err:
            raise self.fail(SchemaViolation(f"layer {name!r}: {err}"), el) from None
        return Layer(name=name, kind=kind, counter=counter)

    def _fill_layer(
        self, layer: Layer, children: Iterable[etree._Element], project: Project
    ) -> None:
        """Read a layer's ``<ann>`` and ``<link>`` children and add the layer to ``project``."""
        self._doc_id = ""
        ids: set[str] = set()
        links: list[etree._Element] = []
        self._annotations(children, project, layer, ids, links)
        for child in links:  # after every annotation: a link may point forward
            try:
                self._link(child, project.tagset, layer, ids)
            except _Skip:
                continue
            except ValueError as err:
                self._bad_value(err, child)
        project.layers[layer.name] = layer

    def _annotations(
        self,
        children: Iterable[etree._Element],
        project: Project,
        layer: Layer,
        ids: set[str],
        links: list[etree._Element],
    ) -> None:
        """Read every ``<ann>`` of a layer; collect its ``<link>`` elements for later.

        The loop is the fast path for the overwhelmingly common annotation: one
        fragment, known tag and document, matching quote, only ``<attr>``
        children, no private escapes. It checks exactly what _annotation checks
        and hands everything else (including every error) to _annotation, which
        is slower but says what is wrong.
        """
        documents = project.documents
        tagset = project.tagset
        # tag name -> the tag set's own string: a membership test that also shares one
        # string among all the annotations with that tag
        tag_names = {t.name: t.name for t in tagset.tags}
        shared = self._shared
        slow = self._annotation
        checked_attributes = self._checked_attributes
        new_annotation = Annotation
        new_fragment = _trusted_fragment
        cur_doc: str | None = None
        text = ""
        anns: dict[str, Annotation] = {}
        for el in children:
            etag = el.tag
            if etag != "ann":
                if etag == "link":
                    links.append(el)
                continue
            try:
                keys = el.keys()
                vals: list[str] = el.values()  # type: ignore[assignment]  # always str here
                if keys == _PLAIN_ANN:  # what the writer writes for most annotations
                    ann_id, doc_id, tag, frags, quote, created_by, created_at = vals
                    note = ""
                    mby = created_by
                    mat = created_at
                    needs_check = False
                else:
                    a = dict(zip(keys, vals, strict=True))
                    ann_id = a.get("id", "")
                    doc_id = a.get("doc", "")
                    tag = a.get("tag", "")
                    frags = a.get("frags", "")
                    quote = a.get("quote", "")
                    note = a.get("note", "")
                    created_by = a.get("created-by", "")
                    created_at = a.get("created-at", "")
                    mby = a.get("modified-by", created_by)
                    mat = a.get("modified-at", created_at)
                    needs_check = a.get("needs-check") in ("true", "1")
                if doc_id != cur_doc:
                    doc = documents.get(doc_id)
                    if doc is None:
                        slow(el, project, layer, ids)
                        continue
                    cur_doc, text, anns = doc_id, doc.text, layer.doc(doc_id).annotations
                start, _, end = frags.partition("-")
                tag = tag_names.get(tag)  # type: ignore[assignment]  # None: slow path says why
                if (
                    self.escaped  # read each time: a streamed file may show an escape late
                    or tag is None
                    or ann_id in ids
                    or " " in end
                    or len(start) > MAX_DIGITS
                    or len(end) > MAX_DIGITS
                ):
                    slow(el, project, layer, ids)
                    continue
                s, e = int(start), int(end)  # short ASCII digits: the schema checked the pattern
                if not s < e <= len(text) or quote != text[s:e]:
                    slow(el, project, layer, ids)
                    continue
                # who and when repeat across thousands of annotations: one string each
                created_by = shared.setdefault(created_by, created_by)
                created_at = shared.setdefault(created_at, created_at)
                ann = new_annotation(
                    ann_id,
                    tag,
                    (new_fragment(s, e),),
                    NO_ATTRIBUTES,
                    note,
                    created_by,
                    created_at,
                    shared.setdefault(mby, mby),
                    shared.setdefault(mat, mat),
                    needs_check,
                    NO_COMMENTS,
                    NO_PROVENANCE,
                )
                if len(el):
                    pairs: list[tuple[str, str]] = []
                    for c in el:
                        if c.tag != "attr":
                            break
                        nv: list[str] = c.values()  # type: ignore[assignment]
                        name, value = nv
                        if c.keys()[0] != "name":  # written the other way round (by hand)
                            name, value = value, name
                        pairs.append((name, value))
                    else:
                        ann.attributes = checked_attributes(el, tagset, tag, pairs)
                        ids.add(ann_id)
                        anns[ann_id] = ann
                        continue
                    slow(el, project, layer, ids)  # provenance or comments: rare
                    continue
                ids.add(ann_id)
                anns[ann_id] = ann
            except _Skip:
                continue
            except ValueError as err:
                self._bad_value(err, el)

    def _fragments(self, el: etree._Element, frags: str, length: int) -> tuple[Fragment, ...]:
        out: list[Fragment] = []
        prev_end = -1
        for piece in frags.split():
            a, _, b = piece.partition("-")
            try:
                # bounded before int(): an offset must fit the text (int() alone would
                # stop with a traceback at 4,300 digits)
                f = Fragment(parse_offset(a, length), parse_offset(b, length))
            except ValueError:
                if a.isascii() and a.isdigit() and b.isascii() and b.isdigit():
                    msg = f"fragment {excerpt(piece)} is outside its document ({length} characters)"
                    raise self.fail(OffsetOutOfRange(msg), el) from None
                msg = f"{_short(frags)} is not a list of START-END"
                raise self.fail(SchemaViolation(msg), el) from None
            except ModelError as err:
                raise self.fail(err, el) from None
            if f.start <= prev_end:
                raise self.fail(
                    SchemaViolation(f"fragments {frags!r} must be in order and must not touch"), el
                )
            if f.end > length:
                raise self.fail(
                    OffsetOutOfRange(
                        f"fragment {piece} is outside its document ({length} characters)"
                    ),
                    el,
                )
            prev_end = f.end
            out.append(f)
        if not out:
            raise self.fail(EmptySpan("an annotation has no fragments"), el)
        return tuple(out)

    def _checked_attributes(
        self, el: etree._Element, tagset: TagSet, tag: str, pairs: list[tuple[str, str]]
    ) -> dict[str, AttrValue]:
        """The tag set's verdict on ``pairs`` (name, value), one shared dict per combination."""
        key = (tag, tuple(pairs))
        checked = self._attr_cache.get(key)
        if checked is None:
            try:
                checked = checked_attributes(tagset, tag, pairs)
            except ModelError as err:
                raise self.fail(err, el) from None
            self._attr_cache[key] = checked
        return checked

    def _annotation(
        self, el: etree._Element, project: Project, layer: Layer, ids: set[str]
    ) -> None:
        """One ``<ann>`` line: the hot path of loading (200,000 calls for a big project)."""
        g: _Getter = el.get
        ann_id = g("id") or ""
        doc_id = g("doc") or ""
        tag = g("tag") or ""
        frags = g("frags") or ""
        quote = g("quote") or ""
        unesc = self.escaped
        if unesc:
            ann_id, doc_id, tag, quote = (attr_text(v) for v in (ann_id, doc_id, tag, quote))
        if ann_id in ids:
            raise self.fail(DuplicateId(f"layer {layer.name!r} uses the id {ann_id!r} twice"), el)
        if doc_id != self._doc_id:
            doc = project.documents.get(doc_id)
            if doc is None:
                raise self.fail(
                    UnknownDocument(
                        f"layer {layer.name!r} refers to an unknown document {doc_id!r}"
                    ),
                    el,
                )
            self._doc_id, self._text, self._da = doc_id, doc.text, layer.doc(doc_id)
        text = self._text
        tagset = project.tagset
        if not tagset.has_tag(tag):
            raise self.fail(UnknownTag(f"the tag set has no tag {tag!r}"), el)
        start, _, end = frags.partition("-")
        n = len(text)
        if (
            start.isascii()
            and end.isascii()
            and start.isdigit()
            and end.isdigit()
            and len(start) <= MAX_DIGITS
            and len(end) <= MAX_DIGITS
            and 0 <= int(start) < int(end) <= n
        ):
            # the common case, one fragment: no list, no join
            fragments: tuple[Fragment, ...] = (Fragment(int(start), int(end)),)
            covered = text[int(start) : int(end)]
        else:
            fragments = self._fragments(el, frags, len(text))
            covered = QUOTE_SEPARATOR.join([text[f.start : f.end] for f in fragments])
        if quote != covered:
            raise self.fail(
                OffsetMismatch(
                    f"annotation {ann_id!r} quotes {_short(quote)} but its offsets cover "
                    f"{_short(covered)} in document {doc_id!r}"
                ),
                el,
            )
        created_by = g("created-by") or ""
        created_at = g("created-at") or ""
        note = g("note") or ""
        mby = g("modified-by")
        mby = created_by if mby is None else mby
        mat = g("modified-at")
        mat = created_at if mat is None else mat
        if unesc:
            created_by, created_at = attr_text(created_by), attr_text(created_at)
            note, mby, mat = attr_text(note), attr_text(mby), attr_text(mat)
        attributes: dict[str, AttrValue] = NO_ATTRIBUTES
        provenance: dict[str, str] = NO_PROVENANCE
        comments: list[Comment] = NO_COMMENTS
        if len(el):
            pairs: list[tuple[str, str]] = []
            prov: dict[str, str] = {}
            notes: list[Comment] = []
            for c in el:
                ctag = c.tag
                if ctag == "attr":
                    pairs.append((c.get("name", ""), c.get("value", "")))
                elif ctag == "prov":
                    prov[self._get(c, "key")] = self._get(c, "value")
                elif ctag == "comment":
                    notes.append(
                        Comment(self._get(c, "by"), self._get(c, "at"), self._get(c, "text"))
                    )
            if pairs:
                attributes = self._checked_attributes(el, tagset, tag, pairs)
            provenance = prov or provenance
            comments = notes or comments
        ann = Annotation(
            id=ann_id,
            tag=tag,
            fragments=fragments,
            attributes=attributes,
            note=note,
            created_by=created_by,
            created_at=created_at,
            modified_by=mby,
            modified_at=mat,
            needs_check=g("needs-check") in ("true", "1"),
            comments=comments,
            provenance=provenance,
        )
        ids.add(ann_id)
        self._da.annotations[ann_id] = ann

    def _link(self, el: etree._Element, tagset: TagSet, layer: Layer, ids: set[str]) -> None:
        g: _Getter = el.get
        values = [g("id") or "", g("type") or "", g("from") or "", g("to") or "", g("doc") or ""]
        if self.escaped:
            values = [attr_text(v) for v in values]
        link_id, link_type, source, target, doc_id = values
        if link_id in ids:
            raise self.fail(DuplicateId(f"layer {layer.name!r} uses the id {link_id!r} twice"), el)
        da = layer.docs.get(doc_id, DocumentAnnotations())
        anns = da.annotations
        for end in (source, target):
            if end not in anns:
                raise self.fail(
                    UnknownAnnotation(
                        f"link {link_id!r} points to {end!r}, which is not an annotation of "
                        f"layer {layer.name!r} on document {doc_id!r}"
                    ),
                    el,
                )
        key = (link_type, anns[source].tag, anns[target].tag)
        if key not in self._links_ok:
            try:
                tagset.check_link(*key)
            except ModelError as err:
                raise self.fail(err, el) from None
            self._links_ok.add(key)
        note = g("note") or ""
        attributes: dict[str, str] = {}
        for c in el:
            if c.tag == "attr":
                attributes[self._get(c, "name")] = self._get(c, "value")
        attributes = attributes or NO_LINK_ATTRIBUTES
        if self.escaped:
            note = attr_text(note)
        ids.add(link_id)
        da.links[link_id] = Link(link_id, link_type, source, target, attributes, note)


def checked_attributes(
    tagset: TagSet, tag: str, pairs: Iterable[tuple[str, str]]
) -> FrozenDict[str, AttrValue]:
    """The attributes ``pairs`` (name, value as written, a name repeated for each value
    of a multiple attribute) as the tag set normalises them; ModelError if it refuses.

    Frozen: every annotation with the same combination shares the result.
    """
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(attr_text(name), []).append(attr_text(value))
    raw = {k: v[0] if len(v) == 1 else tuple(v) for k, v in grouped.items()}
    return FrozenDict(tagset.check_attributes(tag, raw))


def _short(s: str, limit: int = 60) -> str:
    return repr(s if len(s) <= limit else s[: limit - 1] + "…")
