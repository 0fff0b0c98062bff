"""A self-contained, printable HTML report of a project's annotations.

One file, no external assets and no script: inline CSS only, hover details in
``title`` attributes. At the top a summary (documents, annotations per tag,
appeals by action and by addressee kind), then a legend, then each release with
its annotations highlighted in the tag colours. Overlapping and nested
annotations are nested spans, each deeper level underlined a little lower, and
every annotation starts with a small tag label so colour is never the only cue.
Each release ends with lists of its appeals (with addressees and victims),
victims and authorities. Print CSS starts each release on a new page.

Everything that comes from data (text, metadata, tag set names, labels,
colours, notes) is escaped or checked, so a release containing ``<script>``
shows it as text and never runs it.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections import Counter
from pathlib import Path

from annotator.interchange.common import (
    ExportOptions,
    Selection,
    attribute_labels,
    prepare,
    values_of,
)
from annotator.interchange.context import one_line
from annotator.interchange.nesting import Open, nest, paragraphs
from annotator.interchange.tables import appeal_rows
from annotator.model import Annotation, Document, Project, TagSet
from annotator.wording import count

_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
MAX_DEPTH = 6


#: Unicode's explicit direction controls: embeddings and overrides end at PDF,
#: isolates at PDI.
_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")
_ISOLATES = frozenset("\u2066\u2067\u2068")
_PDF, _PDI = "\u202c", "\u2069"
_DIRECTION = re.compile("[\u202a-\u202e\u2066-\u2069]")


def close_directions(s: str) -> str:
    """``s`` with every direction control it leaves open closed at its end, so that
    a right-to-left override in one name cannot reverse the text after it (the
    next name, a date, the page's own words). The text itself is unchanged."""
    if not _DIRECTION.search(s):
        return s
    open_: list[str] = []
    for ch in s:
        if ch in _EMBEDDINGS or ch in _ISOLATES:
            open_.append(ch)
        elif ch == _PDF and open_ and open_[-1] in _EMBEDDINGS:
            open_.pop()
        elif ch == _PDI and any(c in _ISOLATES for c in open_):
            while open_.pop() not in _ISOLATES:
                pass
    return s + "".join(_PDI if c in _ISOLATES else _PDF for c in reversed(open_))


def esc(s: str) -> str:
    """``s`` as HTML text or attribute value: markup escaped, control characters
    replaced, direction controls closed at its end."""
    return html.escape(close_directions(_CONTROL.sub("\ufffd", s)), quote=True)


def bdi(s: str) -> str:
    """``s`` escaped and isolated for a line that strings several names together:
    its direction is its own (an Arabic place name, then a date, reads right), and
    nothing in it reorders its neighbours."""
    return f"<bdi>{esc(s)}</bdi>"


def text_on(color: str) -> str:
    """Black or white, whichever reads better on ``color`` (``#rrggbb``)."""
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    luminance = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    # the contrast with black is (L + .05) / .05, with white 1.05 / (L + .05)
    return "#000" if (luminance + 0.05) ** 2 >= 0.05 * 1.05 else "#fff"


def css_class(tag: str, tagset: TagSet) -> str:
    names = [t.name for t in tagset.tags]
    return f"t{names.index(tag)}" if tag in names else "tx"


def _css(tagset: TagSet) -> str:
    rules = []
    for i, t in enumerate(tagset.tags):
        color = t.color if _COLOR.fullmatch(t.color) else "#999999"
        rules.append(
            f".t{i}{{border-bottom-color:{color};background:{color}22}}"
            f".t{i}>.lbl,.sw.t{i}{{background:{color}}}.t{i}>.lbl{{color:{text_on(color)}}}"
        )
    depth = "".join(f".d{d}{{padding-bottom:{2 + 3 * d}px}}" for d in range(MAX_DEPTH + 1))
    return (
        "body{font:15px/1.7 Georgia,serif;max-width:60em;margin:2em auto;padding:0 1em;"
        "color:#222}h1,h2,h3{font-family:sans-serif}table{border-collapse:collapse;"
        "margin:.5em 0}td,th{border:1px solid #bbb;padding:2px 6px;text-align:left;"
        "vertical-align:top;font-size:13px}.text{white-space:pre-wrap;line-height:2.4}"
        ".ann{border-bottom:3px solid #999;border-radius:2px}"
        ".lbl{font:bold 9px/1 sans-serif;color:#000;padding:1px 2px;margin-right:2px;"
        "border-radius:2px;vertical-align:super;opacity:.85}"
        ".sw{display:inline-block;width:1.2em;height:1em;vertical-align:middle;"
        "border:1px solid #555}.meta{color:#555;font-size:13px}"
        "section.release{border-top:2px solid #333;margin-top:2em}"
        "@media print{section.release{page-break-before:always;border:0}"
        ".ann{-webkit-print-color-adjust:exact;print-color-adjust:exact}}" + "".join(rules) + depth
    )


def _title(project: Project, ann: Annotation) -> str:
    tt = project.tagset.tag(ann.tag) if project.tagset.has_tag(ann.tag) else None
    lines = [f"{tt.label if tt else ann.tag} ({ann.id})"]
    for name, value in sorted(ann.attributes.items()):
        lines.append(f"{name}: {attribute_labels(project, ann.tag, name, value)}")
    if ann.note:
        lines.append(f"note: {ann.note}")
    return "\n".join(lines)


def _label(tagset: TagSet, tag: str) -> str:
    return tagset.tag(tag).label if tagset.has_tag(tag) else tag


def _text_html(sel: Selection, doc: Document) -> str:
    da = sel.annotations(doc.id)
    anns = da.sorted_annotations()
    tagset = sel.project.tagset
    out: list[str] = []
    depth = 0
    first: set[str] = set()
    for kind, item in nest(doc.text, anns, paragraphs(doc.text)):
        if kind == "text":
            assert isinstance(item, str)
            # the release's own text: a direction control in it is the text's (the
            # browser ends it with its paragraph), not closed at each annotation
            out.append(html.escape(_CONTROL.sub("\ufffd", item), quote=True))
            continue
        assert isinstance(item, Open)
        if item.ann is None:
            out.append('<span class="para">' if kind == "open" else "</span>")
            continue
        if kind == "close":
            depth -= 1
            out.append("</span>")
            continue
        ann = item.ann
        cls = css_class(ann.tag, tagset)
        out.append(
            f'<span class="ann {cls} d{min(depth, MAX_DEPTH)}" '
            f'title="{esc(_title(sel.project, ann))}">'
        )
        if ann.id not in first:
            first.add(ann.id)
            out.append(f'<span class="lbl">{esc(_label(tagset, ann.tag))}</span>')
        depth += 1
    return "".join(out)


def _lists(sel: Selection, doc: Document) -> str:
    da = sel.annotations(doc.id)
    out = []
    single = Selection(sel.project, sel.layer, [doc])
    rows = list(appeal_rows(single))
    if rows:
        out.append(
            f"<h3>Appeals ({len(rows)})</h3><table><tr><th>Appeal</th><th>Actions</th>"
            "<th>Addressed to</th><th>On behalf of</th></tr>"
        )
        for r in rows:
            out.append(
                f"<tr><td>{esc(r['appeal_text'])}</td><td>{esc(r['actions'])}</td>"
                f"<td>{esc(r['addressees'])}</td><td>{esc(r['victims'])}</td></tr>"
            )
        out.append("</table>")
    for tag in ("victim", "authority"):
        items = [a for a in da.sorted_annotations() if a.tag == tag]
        if not items:
            continue
        out.append(f"<h3>{esc(_label(sel.project.tagset, tag))} ({len(items)})</h3><ul>")
        for a in items:
            # each name isolated, so that none can turn the next around
            attrs = "; ".join(
                f"{esc(k)}: "
                + "; ".join(
                    bdi(attribute_labels(sel.project, a.tag, k, one)) for one in values_of(v)
                )
                for k, v in sorted(a.attributes.items())
            )
            out.append(
                f"<li>{esc(one_line(a.covered_text(doc.text)))}"
                + (f' <span class="meta">({attrs})</span>' if attrs else "")
                + "</li>"
            )
        out.append("</ul>")
    return "".join(out)


def _summary(sel: Selection) -> str:
    tagset = sel.project.tagset
    counts: Counter[str] = Counter()
    for doc in sel.documents:
        counts.update(a.tag for a in sel.annotations(doc.id).annotations.values())
    out = [
        f"<p>{count(len(sel.documents), 'release')}, {count(sum(counts.values()), 'annotation')} "
        f"(layer {esc(sel.layer)}).</p><table><tr><th>Tag</th><th>Annotations</th></tr>"
    ]
    for t in tagset.tags:
        out.append(f"<tr><td>{esc(t.label)}</td><td>{counts.get(t.name, 0)}</td></tr>")
    out.append("</table>")
    rows = list(appeal_rows(dataclasses.replace(sel, progress=None)))  # counted below
    actions: Counter[str] = Counter()
    for r in rows:
        actions.update(x for x in r["actions"].split("; ") if x)
    kinds = _addressee_kinds(sel)
    out.append(f"<h3>Appeals</h3><p>{count(len(rows), 'appeal')}.</p>")
    for title, c in (("Action asked", actions), ("Addressee kind", kinds)):
        if c:
            out.append(f"<table><tr><th>{title}</th><th>Appeals</th></tr>")
            out += [f"<tr><td>{esc(k)}</td><td>{n}</td></tr>" for k, n in c.most_common()]
            out.append("</table>")
    return "".join(out)


#: What the summary says for an addressee whose kind nobody recorded.
KIND_NOT_SET = "Kind not recorded"


def _addressee_kinds(sel: Selection) -> Counter[str]:
    """Addressees of appeals by the label of their kind (one count per appeal and
    kind), so a reader sees "Police", and "Kind not recorded" rather than "?"."""
    kinds: Counter[str] = Counter()
    for doc in sel.documents:
        da = sel.annotations(doc.id)
        for lk in da.links.values():
            src, dst = da.annotations.get(lk.source), da.annotations.get(lk.target)
            if src is None or dst is None or src.tag != "appeal" or dst.tag != "authority":
                continue
            value = dst.attributes.get("kind")
            labels = attribute_labels(sel.project, dst.tag, "kind", value) if value else ""
            kinds.update(labels.split("; ") if labels else [KIND_NOT_SET])
    return kinds


def _legend(tagset: TagSet) -> str:
    out = ["<h2>Legend</h2><ul>"]
    for t in tagset.tags:
        out.append(
            f'<li><span class="sw {css_class(t.name, tagset)}"></span> '
            f"<b>{esc(t.label)}</b> — {esc(t.definition)}</li>"
        )
    out.append("</ul>")
    return "".join(out)


def _meta(doc: Document) -> str:
    m = doc.meta
    bits = [x for x in (m.country, m.dateline, m.date, m.ai_index) if x]
    return f'<p class="meta">{" · ".join(bdi(b) for b in [doc.id, *bits])}</p>'


def to_html(sel: Selection) -> str:
    name = esc(sel.project.name)
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        f"<title>{name} — annotation report</title><style>{_css(sel.project.tagset)}</style>",
        f"</head><body><h1>{name}</h1><h2>Summary</h2>{_summary(sel)}",
        _legend(sel.project.tagset),
    ]
    for doc in sel.walk():
        parts.append(
            f'<section class="release"><h2>{esc(doc.meta.headline or doc.id)}</h2>'
            f'{_meta(doc)}<div class="text">{_text_html(sel, doc)}</div>'
            f"{_lists(sel, doc)}</section>\n"
        )
    parts.append("</body></html>\n")
    return "".join(parts)


class HtmlExporter:
    name = "html"
    description = "Printable HTML report: summary, legend, highlighted releases (one file)"
    suffix = ".html"

    def write(self, project: Project, out: Path, options: ExportOptions) -> list[str]:
        Path(out).write_text(to_html(prepare(project, options)), encoding="utf-8")
        return []
