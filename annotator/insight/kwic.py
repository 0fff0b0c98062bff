"""A concordance (key word in context): every annotation of a tag with the text around it.

Offsets are code points and widths count characters (code points), so a
release with characters beyond the Basic Multilingual Plane lines up like any
other. Line breaks and runs of white space in the context become one space,
so each annotation is one line.

The desktop app's Concordance page lists the same lines: :func:`document_lines`
gives one release's lines again after an edit, and :func:`sort_lines` orders
them by span or by context, the left context read from the span outwards (right
to left), word by word, as concordancers sort it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from annotator.errors import OverviewError
from annotator.insight.aggregate import attr_values
from annotator.insight.scope import Scope
from annotator.model import Annotation, Document, TagSet, annotation_order

#: What a concordance can be ordered by: the release order, the span, or a context.
SortBy = Literal["release", "span", "left", "right"]
SORT_BY: tuple[SortBy, ...] = ("release", "span", "left", "right")


@dataclass(frozen=True)
class KwicLine:
    doc_id: str
    ann_id: str
    start: int
    end: int
    left: str
    span: str
    right: str


def parse_values(items: list[str]) -> dict[str, str]:
    """``["group=journalist"]`` as ``{"group": "journalist"}`` (one sentence if malformed)."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise OverviewError(f"{item!r} is not ATTRIBUTE=VALUE (for example group=journalist)")
        out[name.strip()] = value.strip()
    return out


def _flat(s: str) -> str:
    """Every run of white space as one space (a split and a join: quicker than a regex).

    Most contexts hold no white space but single spaces (every other white space
    character is unprintable to Python): those are returned as they are.
    """
    if s.isprintable() and "  " not in s:
        return s
    words = s.split()
    if not words:
        return " " if s else ""
    return (" " if s[0].isspace() else "") + " ".join(words) + (" " if s[-1].isspace() else "")


def resolve_values(tagset: TagSet, tag: str, values: Mapping[str, str] | None) -> dict[str, str]:
    """``values`` checked against ``tag``'s attributes, each closed value by its name.

    A value may be given by its name or by its label; an unknown tag, attribute
    or closed value is one sentence.
    """
    tt = tagset.tag(tag)  # UnknownTag
    wanted: dict[str, str] = {}
    for name, value in (values or {}).items():
        attr = tt.attribute(name)  # UnknownAttribute
        if attr.closed:
            by_label = {attr.label_of(v).casefold(): v for v in attr.values}
            if value not in attr.values and value.casefold() not in by_label:
                raise OverviewError(
                    f"{value!r} is not a value of {tag}.{name} (values: {', '.join(attr.values)})"
                )
            value = value if value in attr.values else by_label[value.casefold()]
        wanted[name] = value
    return wanted


def value_choices(tagset: TagSet, tag: str) -> list[tuple[str, str, str]]:
    """(attribute, value, "Attribute: label") for each closed value of ``tag``: what a
    concordance can be narrowed to, in the tag set's order."""
    if not tagset.has_tag(tag):
        return []
    out = []
    for attr in tagset.tag(tag).attributes:
        if attr.closed:
            name = attr.label or attr.name
            out += [(attr.name, v, f"{name}: {attr.label_of(v)}") for v in attr.values]
    return out


def line(doc: Document, ann: Annotation, width: int = 60) -> KwicLine:
    """One annotation in its context (``width`` characters each side, at most)."""
    text = doc.text
    frags = ann.fragments
    start, end = frags[0].start, frags[-1].end
    span = text[start:end] if len(frags) == 1 else ann.covered_text(text)
    left = _flat(text[max(0, start - width * 2) : start]).lstrip()
    right = _flat(text[end : end + width * 2]).rstrip()
    return KwicLine(
        doc.id,
        ann.id,
        start,
        end,
        left[-width:] if width else "",
        _flat(span).strip(),
        right[:width],
    )


def _check_width(width: int) -> None:
    if width < 0:
        raise OverviewError(f"the context width must be 0 or more, not {width}")


def _holds(ann: Annotation, wanted: Mapping[str, str]) -> bool:
    return all(v in attr_values(ann.attributes.get(n)) for n, v in wanted.items())


def concordance(
    scope: Scope, tag: str, values: Mapping[str, str] | None = None, width: int = 60
) -> list[KwicLine]:
    """Every annotation of ``tag`` whose attributes hold ``values``, in release order.

    ``width`` is how many characters of context each side keeps (the nearest
    ones). A value may be given by its name or by its label.
    """
    _check_width(width)
    return [line(doc, ann, width) for doc, ann in matching(scope, tag, values)]


def matching(
    scope: Scope, tag: str, values: Mapping[str, str] | None = None
) -> list[tuple[Document, Annotation]]:
    """The annotations a concordance lists, in its order, before their contexts are cut.

    The desktop app's page takes these and cuts (:func:`line`) only the rows it
    shows or sorts, so a tag with 80,000 annotations opens at once.
    """
    wanted = resolve_values(scope.project.tagset, tag, values)
    order = {doc.id: i for i, doc in enumerate(scope.documents)}
    pairs = scope.by_tag().get(tag, [])
    found = [(doc, ann) for doc, ann in pairs if _holds(ann, wanted)] if wanted else list(pairs)
    found.sort(key=lambda pair: (order[pair[0].id], annotation_order(pair[1])))
    return found


def document_lines(
    scope: Scope, doc: Document, tag: str, values: Mapping[str, str] | None = None, width: int = 60
) -> list[KwicLine]:
    """The lines of one release, as :func:`concordance` gives them (after an edit there)."""
    _check_width(width)
    return [line(doc, a, width) for a in document_matching(scope, doc, tag, values)]


def document_matching(
    scope: Scope, doc: Document, tag: str, values: Mapping[str, str] | None = None
) -> list[Annotation]:
    """The annotations of one release a concordance lists, in its order."""
    wanted = resolve_values(scope.project.tagset, tag, values)
    anns = [a for a in scope.annotations(doc.id).annotations.values() if a.tag == tag]
    return [a for a in sorted(anns, key=annotation_order) if _holds(a, wanted)]


def _words(s: str) -> tuple[str, ...]:
    return tuple(s.casefold().split())


def sort_key(by: SortBy) -> Callable[[KwicLine], tuple[object, ...]]:
    """The key that orders lines by ``by``; ties keep the release order (a stable sort).

    ``left`` compares the word next to the span first, then the one before it
    (the context read right to left); ``right`` compares the words after the
    span in reading order; ``span`` compares the spans, case folded. Words are
    case folded so "Police" and "police" sort together.
    """
    if by == "span":
        return lambda ln: (ln.span.casefold(),)
    if by == "left":
        return lambda ln: (_words(ln.left)[::-1],)
    if by == "right":
        return lambda ln: (_words(ln.right),)
    if by == "release":
        return lambda ln: ()
    raise OverviewError(f"a concordance sorts by {', '.join(SORT_BY)}, not {by!r}")


def sort_lines(
    lines: Iterable[KwicLine], by: SortBy, *, descending: bool = False
) -> list[KwicLine]:
    """``lines`` ordered by ``by`` (see :func:`sort_key`); equal keys keep their order."""
    key = sort_key(by)
    return sorted(lines, key=key, reverse=descending)


def format_concordance(lines: list[KwicLine], width: int = 60) -> str:
    """One line per annotation: release id, left context right-aligned, span, right context.

    The spans start in one column; the right contexts start in one column too,
    after the longest span.
    """
    if not lines:
        return ""
    ids = max(len(ln.doc_id) for ln in lines)
    spans = max(len(ln.span) for ln in lines)
    rows = []
    for ln in lines:
        row = f"{ln.doc_id:<{ids}}  {ln.left:>{width}}  {ln.span:<{spans}}  {ln.right}"
        rows.append(row.rstrip())
    return "\n".join(rows)
