"""A concordance (key word in context): every annotation of a tag with the text around it.

Offsets are code points and widths count characters (code points), so a
release with characters beyond the Basic Multilingual Plane lines up like any
other. Line breaks and runs of white space in the context become one space,
so each annotation is one line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from annotator.errors import OverviewError
from annotator.insight.aggregate import attr_values
from annotator.insight.scope import Scope
from annotator.model import annotation_order


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
    """Every run of white space as one space (a split and a join: quicker than a regex)."""
    words = s.split()
    if not words:
        return " " if s else ""
    return (" " if s[0].isspace() else "") + " ".join(words) + (" " if s[-1].isspace() else "")


def concordance(
    scope: Scope, tag: str, values: Mapping[str, str] | None = None, width: int = 60
) -> list[KwicLine]:
    """Every annotation of ``tag`` whose attributes hold ``values``, in release order.

    ``width`` is how many characters of context each side keeps (the nearest
    ones). A value may be given by its name or by its label.
    """
    if width < 0:
        raise OverviewError(f"the context width must be 0 or more, not {width}")
    tt = scope.project.tagset.tag(tag)  # UnknownTag
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
    order = {doc.id: i for i, doc in enumerate(scope.documents)}
    found = [
        (doc, ann)
        for doc, ann in scope.by_tag().get(tag, [])
        if all(v in attr_values(ann.attributes.get(n)) for n, v in wanted.items())
    ]
    found.sort(key=lambda pair: (order[pair[0].id], annotation_order(pair[1])))
    out = []
    for doc, ann in found:
        text = doc.text
        left = _flat(text[max(0, ann.start - width * 2) : ann.start]).lstrip()
        right = _flat(text[ann.end : ann.end + width * 2]).rstrip()
        out.append(
            KwicLine(
                doc.id,
                ann.id,
                ann.start,
                ann.end,
                left[-width:] if width else "",
                _flat(ann.covered_text(text)).strip(),
                right[:width],
            )
        )
    return out


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
