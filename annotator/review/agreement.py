"""How far colleagues agree: span, token, attribute and unitizing measures per tag.

Everything is computed from the plain coefficient functions in
:mod:`annotator.review.coefficients` and :mod:`annotator.review.unitizing`.

What is counted
  * **Spans** (precision, recall, F1 per layer pair): *exact* matching pairs an
    annotation with one of the other layer that has the same tag and the same
    fragments; *overlap* matching pairs annotations of the same tag that share at
    least one code point, one to one, largest overlap first. Precision is of the
    second layer against the first (swap them to swap precision and recall).
  * **Tokens** (Cohen's κ per pair, Fleiss' κ and Davies–Fleiss multi-κ for three
    or more layers, Krippendorff's nominal α): tokens as defined in
    :mod:`annotator.review.tokens`. Per tag, every token is labelled yes/no
    ("carries this tag"); for the overall figure a token gets one label, the
    first tag in tag-set order that it carries, else ``O``.
  * **Missing coders**: a layer has coded a document when it holds at least one
    annotation there or its owner's status for the document is not
    "not-started". κ uses the documents both layers coded, Fleiss' κ, multi-κ and
    α_U those all layers coded; Krippendorff's α uses every token with at least
    two coders (that is what α is for).
  * **Attributes**: on overlap-matched pairs, each attribute of the tag is compared
    (absent counts as a value of its own; several values as one combined value):
    observed agreement and Cohen's κ.
  * **α_U**: the documents all layers coded are laid end to end as one continuum of
    code points; categories are tags. Each fragment is a unit; a layer's
    overlapping units of one tag are joined, touching ones (also across the
    boundary between two documents) stay separate units.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from annotator.errors import UnknownLayer
from annotator.model import Annotation, DocumentAnnotations, LayerKind, Project, Status
from annotator.progress import Progress
from annotator.review.batch import no_gc
from annotator.review.coefficients import (
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha_nominal,
    multi_kappa,
    observed_agreement,
    precision_recall_f1,
)
from annotator.review.conflicts import is_theirs_layer
from annotator.review.tokens import TokenCounter, TokenIndex, token_label
from annotator.review.unitizing import unitizing_alpha

ALL = "*"  # the "tag" of overall figures

TokenKey = tuple[frozenset[str] | None, ...]


@dataclass(frozen=True)
class Row:
    """One figure: ``measure`` for ``tag`` between ``layers`` on ``scope``."""

    scope: str  # "project" or a document id
    measure: str
    tag: str  # a tag name, ALL, or "tag.attribute" for attribute measures
    layers: str  # "a~b" for a pair, "a,b,c" for all layers
    value: float
    support: int  # units behind the figure (tokens, spans or matched pairs)


@dataclass
class AgreementReport:
    layers: list[str]
    tags: list[str]
    documents: int
    tokens: int
    rows: list[Row] = field(default_factory=list)

    def value(
        self, measure: str, tag: str = ALL, layers: str | None = None, scope: str = "project"
    ) -> float:
        """The figure asked for (``layers`` may be omitted when only one row fits)."""
        for row in self.rows:
            if (row.measure, row.tag, row.scope) == (measure, tag, scope) and (
                layers is None or row.layers == layers
            ):
                return row.value
        return math.nan


def _boundaries(docs: Sequence[DocumentAnnotations | None]) -> set[int]:
    out: set[int] = set()
    for da in docs:
        if da is not None:
            for ann in da.annotations.values():
                for f in ann.fragments:
                    out.add(f.start)
                    out.add(f.end)
    return out


def _coded(project: Project, layer: str, doc_id: str) -> bool:
    da = project.layers[layer].docs.get(doc_id)
    if da is not None and da.annotations:
        return True
    return project.documents[doc_id].status_of(layer) is not Status.NOT_STARTED


def token_table(
    index: TokenIndex | TokenCounter, docs: Sequence[DocumentAnnotations | None]
) -> Counter[TokenKey]:
    """How many tokens carry each combination of tag sets (``None``: layer missing).

    A sweep over the token positions where some annotation starts or ends, so the
    cost follows the number of annotations, not of tokens.
    """
    events: list[tuple[int, int, str, int]] = []
    append = events.append
    for li, da in enumerate(docs):
        if da is None:
            continue
        for ann in da.annotations.values():
            tag = ann.tag
            for i, j in index.fragment_ranges(ann.fragments):
                append((i, li, tag, 1))
                append((j, li, tag, -1))
    events.sort()
    active: list[dict[str, int]] = [{} for _ in docs]
    current: list[frozenset[str] | None] = [None if d is None else frozenset() for d in docs]
    table: dict[TokenKey, int] = {}
    pos = 0
    dirty: set[int] = set()
    for p, li, tag, delta in events:
        if p > pos:
            for d in dirty:
                current[d] = frozenset(active[d])
            dirty.clear()
            key = tuple(current)
            table[key] = table.get(key, 0) + p - pos
            pos = p
        counts = active[li]
        n = counts.get(tag, 0) + delta
        if n:
            counts[tag] = n
        else:
            del counts[tag]
        dirty.add(li)
    for d in dirty:
        current[d] = frozenset(active[d])
    if len(index) > pos:
        key = tuple(current)
        table[key] = table.get(key, 0) + len(index) - pos
    return Counter(table)


def _labelled(
    table: Counter[TokenKey], tags: Sequence[str], tag: str
) -> Counter[tuple[str | None, ...]]:
    out: Counter[tuple[str | None, ...]] = Counter()
    for key, n in table.items():
        if tag == ALL:
            lab = tuple(None if fs is None else token_label(fs, tags) for fs in key)
        else:
            lab = tuple(None if fs is None else ("yes" if tag in fs else "no") for fs in key)
        out[lab] += n
    return out


def contingency(pairs: Counter[tuple[Hashable, Hashable]]) -> list[list[float]]:
    """Square table over the categories either side used (sorted by ``str``)."""
    cats = sorted({c for pair in pairs for c in pair}, key=str)
    pos = {c: i for i, c in enumerate(cats)}
    table = [[0.0] * len(cats) for _ in cats]
    for (a, b), n in pairs.items():
        table[pos[a]][pos[b]] += n
    return table


def _token_rows(
    scope: str,
    layers: Sequence[str],
    tags: Sequence[str],
    table: Counter[TokenKey],
) -> list[Row]:
    rows: list[Row] = []
    every = ",".join(layers)
    for tag in [ALL, *tags]:
        labelled = _labelled(table, tags, tag)
        for a, b in combinations(range(len(layers)), 2):
            pairs: Counter[tuple[Hashable, Hashable]] = Counter()
            for lab, n in labelled.items():
                if lab[a] is not None and lab[b] is not None:
                    pairs[(lab[a], lab[b])] += n
            name = f"{layers[a]}~{layers[b]}"
            support = sum(pairs.values())
            ct = contingency(pairs)
            rows.append(Row(scope, "token_observed", tag, name, observed_agreement(ct), support))
            rows.append(Row(scope, "cohen_kappa", tag, name, cohen_kappa(ct), support))
        keys = list(labelled)
        weights = [float(labelled[k]) for k in keys]
        data = [[k[c] for k in keys] for c in range(len(layers))]
        pairable = sum(
            w for k, w in zip(keys, weights, strict=True) if sum(v is not None for v in k) >= 2
        )
        rows.append(
            Row(
                scope,
                "krippendorff_alpha",
                tag,
                every,
                krippendorff_alpha_nominal(data, weights),
                int(pairable),
            )
        )
        if len(layers) >= 3:
            full = [k for k in keys if all(v is not None for v in k)]
            fw = [float(labelled[k]) for k in full]
            cats = sorted({v for k in full for v in k}, key=str)
            counts = [[float(sum(v == c for v in k)) for c in cats] for k in full]
            rows.append(
                Row(scope, "fleiss_kappa", tag, every, fleiss_kappa(counts, fw), int(sum(fw)))
            )
            fdata = [[k[c] for k in full] for c in range(len(layers))]
            rows.append(Row(scope, "multi_kappa", tag, every, multi_kappa(fdata, fw), int(sum(fw))))
    return rows


def _overlap(a: Annotation, b: Annotation) -> int:
    if a.start >= b.end or b.start >= a.end:
        return 0
    return sum(
        max(0, min(f.end, g.end) - max(f.start, g.start)) for f in a.fragments for g in b.fragments
    )


def overlap_matches(
    a: Iterable[Annotation], b: Iterable[Annotation]
) -> list[tuple[Annotation, Annotation]]:
    """One-to-one pairs of same-tag annotations that overlap.

    Exact pairs (same tag and fragments) are taken first, then the rest by largest
    overlap (ties: reading order).
    """
    return _match(a, b)[0]


def _match(
    a: Iterable[Annotation], b: Iterable[Annotation]
) -> tuple[list[tuple[Annotation, Annotation]], Counter[str]]:
    """(overlap pairs, exact matches per tag)."""
    exact_b: dict[tuple[str, object], list[Annotation]] = {}
    for y in b:
        exact_b.setdefault((y.tag, y.fragments), []).append(y)
    pairs: list[tuple[Annotation, Annotation]] = []
    exact: Counter[str] = Counter()
    rest_a: dict[str, list[Annotation]] = defaultdict(list)
    for x in a:
        same = exact_b.get((x.tag, x.fragments))
        if same:
            pairs.append((x, same.pop()))
            exact[x.tag] += 1
        else:
            rest_a[x.tag].append(x)
    if not rest_a:
        return pairs, exact
    rest_b: dict[str, list[Annotation]] = defaultdict(list)
    for (tag, _frags), ys in exact_b.items():
        if tag in rest_a:
            rest_b[tag].extend(ys)
    for tag, left in rest_a.items():
        right = rest_b.get(tag)
        if not right:
            continue
        right.sort(key=lambda y: y.fragments[0].start)
        cands: list[tuple[int, int, int]] = []
        for i, x in enumerate(left):
            x_start, x_end = x.fragments[0].start, x.fragments[-1].end
            for j, y in enumerate(right):
                y_frags = y.fragments
                if y_frags[0].start >= x_end:
                    break
                if y_frags[-1].end <= x_start:
                    continue
                ov = _overlap(x, y)
                if ov:
                    cands.append((-ov, i, j))
        cands.sort()
        used_l: set[int] = set()
        used_r: set[int] = set()
        for _, i, j in cands:
            if i not in used_l and j not in used_r:
                used_l.add(i)
                used_r.add(j)
                pairs.append((left[i], right[j]))
    return pairs, exact


@dataclass
class _SpanCounts:
    # per tag (and ALL): [matched_exact, matched_overlap, n_a, n_b]
    counts: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0]))
    attrs: dict[str, Counter[tuple[Hashable, Hashable]]] = field(
        default_factory=lambda: defaultdict(Counter)
    )

    def add(self, other: _SpanCounts) -> None:
        for tag, c in other.counts.items():
            mine = self.counts[tag]
            for i in range(4):
                mine[i] += c[i]
        for key, pairs in other.attrs.items():
            self.attrs[key].update(pairs)


def _attribute_names(project: Project) -> dict[str, tuple[tuple[str, str], ...]]:
    """Per tag: (attribute name, "tag.attribute") of every attribute it defines."""
    return {
        t.name: tuple((a.name, f"{t.name}.{a.name}") for a in t.attributes)
        for t in project.tagset.tags
    }


def span_counts(project: Project, da: DocumentAnnotations, db: DocumentAnnotations) -> _SpanCounts:
    """Exact and overlap matches between two layers on one document, with attribute pairs."""
    out = _SpanCounts()
    counts = out.counts
    anns_a = list(da.annotations.values())
    anns_b = list(db.annotations.values())
    for x in anns_a:
        counts[x.tag][2] += 1
    for y in anns_b:
        counts[y.tag][3] += 1
    pairs, exact = _match(anns_a, anns_b)
    for tag, n in exact.items():
        counts[tag][0] += n
    names = _attribute_names(project)
    attrs = out.attrs
    for x, y in pairs:
        tag = x.tag
        counts[tag][1] += 1
        xa, ya = x.attributes, y.attributes
        for name, key in names.get(tag, ()):
            # absent is None; several values stay a tuple: both are plain categories
            attrs[key][(xa.get(name) or None, ya.get(name) or None)] += 1
    total = counts[ALL]
    for tag, c in list(counts.items()):
        if tag != ALL:
            for k in range(4):
                total[k] += c[k]
    return out


def _span_rows(scope: str, pair: str, tags: Sequence[str], sc: _SpanCounts) -> list[Row]:
    rows: list[Row] = []
    for tag in [ALL, *tags]:
        exact, overlap, n_a, n_b = sc.counts.get(tag, [0, 0, 0, 0])
        for kind, matched in (("exact", exact), ("overlap", overlap)):
            p, r, f = precision_recall_f1(matched, n_a, n_b)
            rows.append(Row(scope, f"precision_{kind}", tag, pair, p, n_b))
            rows.append(Row(scope, f"recall_{kind}", tag, pair, r, n_a))
            rows.append(Row(scope, f"f1_{kind}", tag, pair, f, n_a + n_b))
    for key in sorted(sc.attrs):
        ct = contingency(sc.attrs[key])  # categories: a value, a tuple of values, or None
        n = sum(sc.attrs[key].values())
        rows.append(Row(scope, "attribute_observed", key, pair, observed_agreement(ct), n))
        rows.append(Row(scope, "attribute_kappa", key, pair, cohen_kappa(ct), n))
    return rows


def _unitizing_rows(
    scope: str,
    layers: Sequence[str],
    tags: Sequence[str],
    coders: list[list[tuple[int, int, str]]],
    length: int,
) -> list[Row]:
    result = unitizing_alpha(coders, length)
    every = ",".join(layers)
    rows = [Row(scope, "unitizing_alpha", ALL, every, result.overall, length)]
    for tag in tags:
        value = result.category(tag) if tag in result.expected else math.nan
        rows.append(Row(scope, "unitizing_alpha", tag, every, value, length))
    return rows


def tag_order(project: Project, layers: Sequence[str]) -> list[str]:
    """Tag-set order, then tags only the layers use (alphabetically)."""
    known = [t.name for t in project.tagset.tags]
    used = {
        a.tag
        for name in layers
        for da in project.layers[name].docs.values()
        for a in da.annotations.values()
    }
    return known + sorted(used - set(known))


def annotator_layers(project: Project) -> list[str]:
    """The default layers to compare: every annotator's layer that holds annotations.

    A ``NAME~theirs`` layer is no annotator: it holds a colleague's side of merge
    conflicts (see :mod:`annotator.review.conflicts`), settled in review mode.
    """
    return [
        n
        for n, lay in project.layers.items()
        if lay.kind is LayerKind.ANNOTATOR and lay.annotation_count() and not is_theirs_layer(n)
    ]


def agreement_report(
    project: Project,
    layers: Sequence[str] | None = None,
    *,
    documents: Sequence[str] | None = None,
    per_document: bool = False,
    progress: Progress | None = None,
) -> AgreementReport:
    """Every measure for ``layers`` (default: :func:`annotator_layers`) over ``documents``.

    ``progress`` counts the releases measured; cancelling it stops between two.
    """
    builder = AgreementBuilder(project, layers, documents=documents, per_document=per_document)
    builder.run(len(builder.doc_ids), progress=progress)
    return builder.report()


class AgreementBuilder:
    """:func:`agreement_report` a few documents at a time.

    The GUI measures a project of 10,000 releases between paint events: each
    :meth:`run` adds the next documents' tokens and spans to the running totals,
    and :meth:`report` gives the figures once every document is in. The figures
    are those of one :func:`agreement_report` call over the same documents.
    """

    def __init__(
        self,
        project: Project,
        layers: Sequence[str] | None = None,
        *,
        documents: Sequence[str] | None = None,
        per_document: bool = False,
    ) -> None:
        if layers is None:
            layers = annotator_layers(project)
        self.layers = list(layers)
        for name in self.layers:
            if name not in project.layers:
                raise UnknownLayer(f"the project has no layer {name!r}")
        if len(self.layers) < 2:
            raise UnknownLayer(
                "agreement needs at least two layers, got " + (", ".join(self.layers) or "none")
            )
        self.project = project
        self.per_document = per_document
        self.doc_ids = list(documents) if documents is not None else list(project.documents)
        self.done = 0  # documents measured so far
        self.tags = tag_order(project, self.layers)
        self._pairs = list(combinations(range(len(self.layers)), 2))
        self._total_table: Counter[TokenKey] = Counter()
        self._total_spans = {p: _SpanCounts() for p in self._pairs}
        self._coders: list[list[tuple[int, int, str]]] = [[] for _ in self.layers]
        self._offset = 0
        self._tokens = 0
        self._rows: list[Row] = []

    @property
    def finished(self) -> bool:
        return self.done >= len(self.doc_ids)

    def run(self, count: int, *, progress: Progress | None = None) -> bool:
        """Measure up to ``count`` more documents; True when every document is in.

        ``progress`` counts the releases of the whole project (those measured by
        earlier calls included); cancelling it stops between two releases, and a
        later call goes on from there.
        """
        with no_gc():
            stop = min(len(self.doc_ids), self.done + max(0, count))
            if progress is not None:
                progress.phase("Measuring agreement", len(self.doc_ids), "release")
                progress.advance(self.done)
            while self.done < stop:
                self._add(self.doc_ids[self.done])
                self.done += 1
                if progress is not None:
                    progress.advance()
            if progress is not None and self.finished:
                progress.finish()
        return self.finished

    def _add(self, doc_id: str) -> None:
        project, layers = self.project, self.layers
        doc = project.document(doc_id)
        das: list[DocumentAnnotations | None] = [
            project.layers[n].docs.get(doc_id, DocumentAnnotations())
            if _coded(project, n, doc_id)
            else None
            for n in layers
        ]
        index = TokenCounter(doc.text, _boundaries(das))
        self._tokens += len(index)
        table = token_table(index, das)
        self._total_table.update(table)
        doc_spans: dict[tuple[int, int], _SpanCounts] = {}
        for a, b in self._pairs:
            da, db = das[a], das[b]
            if da is not None and db is not None:
                doc_spans[(a, b)] = sc = span_counts(project, da, db)
                self._total_spans[(a, b)].add(sc)
        if all(d is not None for d in das):
            n = len(doc.text)  # clipped, so no unit reaches into the next document
            local = [
                [
                    (min(f.start, n), min(f.end, n), ann.tag)
                    for ann in d.annotations.values()
                    for f in ann.fragments
                ]
                for d in das
                if d is not None
            ]
            for ci, spans in enumerate(local):
                self._coders[ci].extend(
                    (s + self._offset, e + self._offset, t) for s, e, t in spans
                )
            if self.per_document:
                self._rows.extend(_unitizing_rows(doc_id, layers, self.tags, local, len(doc.text)))
            self._offset += len(doc.text)
        if self.per_document:
            self._rows.extend(_token_rows(doc_id, layers, self.tags, table))
            for (a, b), sc in doc_spans.items():
                self._rows.extend(_span_rows(doc_id, f"{layers[a]}~{layers[b]}", self.tags, sc))

    def report(self) -> AgreementReport:
        """The figures over the documents measured so far (all of them once finished)."""
        layers, tags = self.layers, self.tags
        with no_gc():
            rows = _token_rows("project", layers, tags, self._total_table)
            for (a, b), sc in self._total_spans.items():
                rows.extend(_span_rows("project", f"{layers[a]}~{layers[b]}", tags, sc))
            rows.extend(_unitizing_rows("project", layers, tags, self._coders, self._offset))
        return AgreementReport(layers, tags, self.done, self._tokens, rows + self._rows)


__all__ = [
    "ALL",
    "AgreementBuilder",
    "AgreementReport",
    "Row",
    "agreement_report",
    "annotator_layers",
    "cohen_kappa",
    "contingency",
    "fleiss_kappa",
    "krippendorff_alpha_nominal",
    "multi_kappa",
    "overlap_matches",
    "span_counts",
    "tag_order",
    "token_table",
]
