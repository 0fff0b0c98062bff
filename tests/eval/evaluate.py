"""How good the suggestions are, measured against hand annotations.

    PYTHONPATH=. python tests/eval/evaluate.py [--project projects/sample.xml]
        [--gold dana] [--misses]

Gold: the ``--gold`` layer of the sample project (the seed releases, annotated
by hand). The suggesters run for a layer of nobody's, so nothing of the gold
is seen; what they suggest is accepted through the same core command as
``annotator suggest --apply`` into a scratch layer, and compared with the
gold with the agreement code's own matching: exact (same tag and fragments)
and overlap (same tag, one-to-one, exact pairs first, then largest overlap).

It also reports:

* learning from the user: the gold of the first half of each release is the
  evidence, and the second half is scored;
* named victims in ``tests/eval/wire_news.txt``, news sentences written in the
  wire services' style: the share of marked names a victim suggestion covers.

``--misses`` lists every gold annotation no suggestion overlaps, and every
suggestion that overlaps no gold annotation.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.assist.learned import LearnedSuggester
from annotator.assist.run import accept_command, default_suggesters, suggest_document
from annotator.formats.project_xml import load_project
from annotator.formats.tagset_xml import default_tagset
from annotator.model import Annotation, Document, History, Project
from annotator.review.agreement import overlap_matches, span_counts

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "projects" / "sample.xml"
WIRE = Path(__file__).resolve().parent / "wire_news.txt"
SCRATCH = "suggested"
NOBODY = "evaluation"
HELD_OUT = "held-out"


@dataclass(frozen=True)
class TagScore:
    tag: str
    gold: int
    suggested: int
    exact: int
    overlap: int

    def ratio(self, matched: int, total: int) -> float:
        return matched / total if total else float("nan")

    @property
    def precision_exact(self) -> float:
        return self.ratio(self.exact, self.suggested)

    @property
    def recall_exact(self) -> float:
        return self.ratio(self.exact, self.gold)

    @property
    def precision_overlap(self) -> float:
        return self.ratio(self.overlap, self.suggested)

    @property
    def recall_overlap(self) -> float:
        return self.ratio(self.overlap, self.gold)


def suggest_into(project: Project, layer: str, doc_ids: Sequence[str], evidence_layer: str) -> None:
    """Accept every suggestion for ``doc_ids`` into ``layer`` (one undoable step)."""
    suggesters = default_suggesters(project, evidence_layer)
    found = [s for d in doc_ids for s in suggest_document(project, d, evidence_layer, suggesters)]
    History(project).push(accept_command(layer, found, author=layer))


def scores(project: Project, gold: str, doc_ids: Sequence[str]) -> list[TagScore]:
    totals: dict[str, list[int]] = {}
    for doc_id in doc_ids:
        sc = span_counts(
            project, project.layer(gold).doc(doc_id), project.layer(SCRATCH).doc(doc_id)
        )
        for tag, (exact, overlap, n_gold, n_sugg) in sc.counts.items():
            t = totals.setdefault(tag, [0, 0, 0, 0])
            for k, v in enumerate((exact, overlap, n_gold, n_sugg)):
                t[k] += v
    return [
        TagScore(tag, t[2], t[3], t[0], t[1])
        for tag, t in sorted(totals.items(), key=lambda kv: (kv[0] == "*", kv[0]))
        if tag != "*"
    ]


def misses(project: Project, gold: str) -> tuple[list[str], list[str], list[str]]:
    """(gold annotations nothing overlaps, suggestions that overlap no gold, overlap pairs
    whose boundaries differ), as lines."""
    missed, extra, bounds = [], [], []
    for doc_id, doc in project.documents.items():
        g = list(project.layer(gold).doc(doc_id).annotations.values())
        s = list(project.layer(SCRATCH).doc(doc_id).annotations.values())
        pairs = overlap_matches(g, s)
        got_g = {id(a) for a, _ in pairs}
        got_s = {id(b) for _, b in pairs}
        missed += [_line(doc, a) for a in g if id(a) not in got_g]
        extra += [_line(doc, b, True) for b in s if id(b) not in got_s]
        bounds += [
            f"{_line(doc, a)}\n    suggested {_line(doc, b, True)[10:]}"
            for a, b in pairs
            if a.fragments != b.fragments
        ]
    return missed, extra, bounds


def _line(doc: Document, ann: Annotation, with_source: bool = False) -> str:
    text = " ".join(ann.covered_text(doc.text).split())
    src = f"  [{ann.provenance.get('suggested_by', '')}]" if with_source else ""
    return f"{ann.tag:9} {text[:110]!r}{src}"


def evaluate_sample(project_path: Path, gold: str) -> list[TagScore]:
    project, _ = load_project(project_path)
    project.layers.pop(NOBODY, None)
    suggest_into(project, SCRATCH, list(project.documents), NOBODY)
    return scores(project, gold, list(project.documents))


def evaluate_learning(project_path: Path, gold: str) -> list[TagScore]:
    """The user has tagged the first half of each release; the second half is suggested for.

    The evidence is the gold annotations that start in the first half of every
    release; the score counts gold annotations and suggestions that start in
    the second half.
    """
    project, _ = load_project(project_path)
    ids = list(project.documents)
    mid = {d: len(project.documents[d].text) // 2 for d in ids}
    gold_layer = project.layer(gold)
    taught = [
        (project.documents[d], a)
        for d in ids
        for a in gold_layer.doc(d).annotations.values()
        if a.start < mid[d]
    ]
    learned = LearnedSuggester(taught)
    found = [
        s for d in ids for s in suggest_document(project, d, NOBODY, [learned]) if s.start >= mid[d]
    ]
    History(project).push(accept_command(SCRATCH, found))
    held = project.ensure_layer(HELD_OUT)
    for d in ids:
        for a in gold_layer.doc(d).annotations.values():
            if a.start >= mid[d]:
                held.doc(d).annotations[a.id] = a
    return scores(project, HELD_OUT, ids)


@dataclass(frozen=True)
class WireResult:
    names: int
    found: int
    missed: list[str]


def wire_reports(path: Path = WIRE) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Each report's text without marks, and the marked names' spans."""
    out = []
    body = "\n".join(ln for ln in path.read_text("utf-8").splitlines() if not ln.startswith("#"))
    for para in re.split(r"\n\s*\n", body.strip()):
        text, spans, pos = "", [], 0
        for m in re.finditer(r"\[\[(.+?)\]\]", para):
            text += para[pos : m.start()]
            spans.append((len(text), len(text) + len(m.group(1)), m.group(1)))
            text += m.group(1)
            pos = m.end()
        text += para[pos:]
        out.append((" ".join(text.split(" ")), spans))
    return out


def evaluate_wire(path: Path = WIRE) -> WireResult:
    project = Project(name="wire", tagset=default_tagset())
    reports = wire_reports(path)
    for i, (text, _) in enumerate(reports):
        project.add_document(Document(id=f"wire{i + 1}", text=text))
    suggesters = default_suggesters(project, NOBODY)
    names = found = 0
    missed = []
    for i, (_text, spans) in enumerate(reports):
        sugg = [
            s
            for s in suggest_document(project, f"wire{i + 1}", NOBODY, suggesters)
            if s.tag == "victim"
        ]
        for start, end, name in spans:
            names += 1
            if any(s.start <= start and end <= s.end for s in sugg):
                found += 1
            else:
                missed.append(name)
    return WireResult(names, found, missed)


def _table(title: str, rows: list[TagScore]) -> str:
    lines = [
        title,
        f"  {'tag':10} {'gold':>5} {'sugg':>5}  {'P exact':>7} {'R exact':>7}  "
        f"{'P overlap':>9} {'R overlap':>9}",
    ]
    for r in rows:
        lines.append(
            f"  {r.tag:10} {r.gold:5d} {r.suggested:5d}  {r.precision_exact:7.2f} "
            f"{r.recall_exact:7.2f}  {r.precision_overlap:9.2f} {r.recall_overlap:9.2f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=SAMPLE)
    parser.add_argument("--gold", default="dana")
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args(argv)
    print(_table("Rules and lexicons against the gold", evaluate_sample(args.project, args.gold)))
    print(
        _table(
            "Learned from the first half of each release, scored on the second",
            evaluate_learning(args.project, args.gold),
        )
    )
    wire = evaluate_wire()
    print(
        f"Named victims in wire-style news: {wire.found} of {wire.names} "
        f"({wire.found / wire.names:.2f})"
        + (f"; missed: {', '.join(wire.missed)}" if wire.missed else "")
    )
    if args.misses:
        project, _ = load_project(args.project)
        suggest_into(project, SCRATCH, list(project.documents), NOBODY)
        missed, extra, bounds = misses(project, args.gold)
        print(f"\nGold nothing overlaps ({len(missed)}):")
        print("\n".join(f"  {m}" for m in missed))
        print(f"\nSuggestions that overlap no gold ({len(extra)}):")
        print("\n".join(f"  {e}" for e in extra))
        print(f"\nFound, but with other boundaries ({len(bounds)}):")
        print("\n".join(f"  {b}" for b in bounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
