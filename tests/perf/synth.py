"""A large, realistic synthetic project for benchmarks and scale tests.

Releases are stitched from the real sentences of the seed press releases
(``tests/data/*.txt``), so texts have the curly quotes, accents, dashes and
sentence lengths of the real thing. Annotations sit on real phrases: victims
and authorities on the noun phrases the campaign tag set is about, appeals from
the verb of asking ("urged", "calls on", "should") to the end of the clause,
plus word-aligned filler spans so the requested count is met exactly. They
overlap and nest the way real annotation does, a few are discontinuous, and
they carry attributes, notes, comments and links.

With several layers, the first is the "gold" one and every further layer is a
perturbed copy (some annotations missing, some with shifted boundaries, some
retagged, a few extra), so agreement and merge benchmarks see realistic
disagreement rather than identical or unrelated layers.

Everything is driven by ``random.Random(seed)``: the same arguments always give
the same project (and, saved, the same bytes).

    PYTHONPATH=. python tests/perf/synth.py -o /tmp/big.xml \
        [--docs N] [--annotations N] [--layers alice,bob] [--seed 0]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from annotator.formats.tagset_xml import default_tagset
from annotator.model import (
    CURATED_LAYER,
    Annotation,
    Comment,
    Document,
    DocumentAnnotations,
    DocumentMeta,
    Fragment,
    Layer,
    LayerKind,
    Link,
    Project,
    ReviewStatus,
    Status,
    TagSet,
    normalise_fragments,
)

#: The seed releases shipped with the tests (every ``*.txt`` directly in the folder).
SEED_DIR = Path(__file__).resolve().parents[1] / "data"

#: Used when the seed folder holds no sentences: a few real ones.
FALLBACK_SENTENCES = (
    "President Kim needs to move beyond rhetoric if he is to leave a lasting legacy of human "
    "rights reform in South Korea, an Amnesty International delegation visiting the country "
    "said today.",
    "“President Kim seems to have lost touch with the true state of human rights in South "
    "Korea,” said Pierre Sané, Secretary General of the worldwide human rights organization.",
    "Security forces are reported to have shot at and beaten a group of Buddhist monks and "
    "some students demonstrating close to the United States Embassy today.",
    "“We fear an escalation of violence and call on all sides in the current political crisis "
    "to exercise restraint, and to make efforts to resolve their differences peacefully,” the "
    "organization said.",
    "Trade unionists are again being arrested merely for taking legitimate strike action.",
    "Amnesty International urges that a proper and full investigation be carried out into the "
    "grenade attack to bring those responsible to justice.",
    "Mr Sané welcomed President Kim’s assurance that the National Security Law would be revised "
    "and urged the government to move quickly to bring the law into line with international "
    "standards.",
    "Last year alone, 23 prisoners were executed on the one day.",
    "On 7 September one person was shot dead after police attempted to violently disperse a "
    "demonstration in support of opposition party leader Sam Rainsy.",
    "Women and vulnerable groups such as migrant workers are often the worst affected.",
)

VICTIM_RE = re.compile(
    r"\b(?:(?:more than \d+ |long term |\d+ )?political prisoners|prisoners of conscience|"
    r"(?:a group of )?Buddhist monks?|(?:some )?students|demonstrators|Trade unionists|"
    r"migrant workers|Women|Sam Rainsy|\d+ prisoners|prisoners|opposition party activists|"
    r"thousands of unemployed Koreans|one person|young activists|publishers|workers|"
    r"death row prisoner)\b"
)
AUTHORITY_RE = re.compile(
    r"\b(?:President Kim(?: Dae-jung)?|[Tt]he (?:Cambodian )?[Gg]overnment|"
    r"[Ss]ecurity forces?|(?:the )?police|Second Prime Minister Hun Sen|the Supreme Court|"
    r"the courts|government security personnel|law enforcement officials|"
    r"the international community)\b"
)
APPEAL_RE = re.compile(r"\b(?:call(?:s|ed)? on|urge[sd]?|should)\b[^.;”\"\n]{8,}")

COUNTRIES = (
    ("Republic of Korea", "SEOUL", "ASA 25"),
    ("Cambodia", "PHNOM PENH", "ASA 23"),
    ("Indonesia", "JAKARTA", "ASA 21"),
    ("Myanmar", "YANGON", "ASA 16"),
    ("Turkey", "ANKARA", "EUR 44"),
    ("Peru", "LIMA", "AMR 46"),
    ("Nigeria", "LAGOS", "AFR 44"),
    ("China", "BEIJING", "ASA 17"),
)
NOTES = (
    "check scope",
    "unsure: group or individual?",
    "quote attribution unclear",
    "see guidelines §3",
)


def seed_sentences(seed_dir: Path = SEED_DIR) -> list[str]:
    """Every sentence of the seed releases, whitespace normalised, markers dropped."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(seed_dir.glob("*.txt"))]
    sentences: list[str] = []
    for text in texts:
        text = re.sub(r"\.*/?ENDS/?", "\n \n", text)
        # PDF extraction: a paragraph break is a whitespace-only line between blank lines
        for block in re.split(r"\n[ \t]+\n", text):
            flat = re.sub(r"\s+", " ", block).strip()
            if not flat.endswith((".", "”", '"')):
                continue  # headlines, "Background"
            for s in re.split(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])", flat):
                s = re.sub(r"^[A-Z][A-Z ]+ -- ", "", s.strip())  # dateline
                if len(s) >= 25:
                    sentences.append(s)
    return sentences or list(FALLBACK_SENTENCES)


def _headline(rng: random.Random, country: str, sentence: str) -> str:
    words = sentence.strip('“”"').split()
    return f"{country}: {' '.join(words[: rng.randint(4, 9)]).rstrip(',.;:')}"


def _make_text(rng: random.Random, sentences: Sequence[str], headline: str, city: str) -> str:
    """A release: headline, dateline, paragraphs of 1–4 sentences, ENDS."""
    n = rng.randint(10, 30)
    chosen = [sentences[rng.randrange(len(sentences))] for _ in range(n)]
    paras: list[str] = []
    i = 0
    while i < n:
        k = rng.randint(1, 4)
        paras.append(" ".join(chosen[i : i + k]))
        i += k
    paras[0] = f"{city} -- {paras[0]}"
    return headline + "\n\n" + "\n\n".join(paras) + "\n\n/ENDS\n"


def _word_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\s“”\"(),.;:]+", text)]


def _attributes(rng: random.Random, tagset: TagSet, tag: str) -> dict[str, str | tuple[str, ...]]:
    attrs: dict[str, str | tuple[str, ...]] = {}
    for a in tagset.tag(tag).attributes:
        if not a.values or rng.random() > 0.7:
            continue
        if a.multiple:
            attrs[a.name] = tuple(sorted(set(rng.sample(a.values, rng.randint(1, 2)))))
        else:
            attrs[a.name] = rng.choice(a.values)
    return attrs


def _stamp(rng: random.Random) -> str:
    return (
        f"2026-{rng.randint(1, 9):02d}-{rng.randint(1, 28):02d}"
        f"T{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"
    )


class _Ids:
    """Layer-wide id counters (Layer.next_id scans all documents: too slow for 200k)."""

    def __init__(self) -> None:
        self.ann = 0
        self.link = 0

    def next_ann(self) -> str:
        self.ann += 1
        return f"a{self.ann}"

    def next_link(self) -> str:
        self.link += 1
        return f"r{self.link}"


def _candidates(rng: random.Random, text: str, target: int) -> list[tuple[str, list[Fragment]]]:
    """(tag, fragments) placed on real phrases, topped up with word windows."""
    found: list[tuple[str, list[Fragment]]] = []
    for tag, rx in (("victim", VICTIM_RE), ("authority", AUTHORITY_RE), ("appeal", APPEAL_RE)):
        for m in rx.finditer(text):
            found.append((tag, [Fragment(m.start(), m.end())]))
    rng.shuffle(found)
    chosen = found[:target]
    words = _word_spans(text)
    tags = ("victim", "authority", "appeal")
    while len(chosen) < target and words:
        i = rng.randrange(len(words))
        j = min(len(words) - 1, i + rng.randint(0, 5))
        chosen.append((rng.choice(tags), [Fragment(words[i][0], words[j][1])]))
    # a few discontinuous annotations: join with a later phrase of the same kind
    for k, (tag, frags) in enumerate(chosen):
        if rng.random() < 0.03 and words:
            start = frags[-1].end + 1
            later = [w for w in words if w[0] > start]
            if later:
                w = later[rng.randrange(min(len(later), 40))]
                chosen[k] = (tag, [*frags, Fragment(w[0], w[1])])
    return chosen


def _gold_layer(
    rng: random.Random,
    name: str,
    tagset: TagSet,
    docs: Sequence[Document],
    per_doc: Sequence[int],
) -> Layer:
    kind = LayerKind.CURATED if name == CURATED_LAYER else LayerKind.ANNOTATOR
    layer = Layer(name=name, kind=kind)
    ids = _Ids()
    for doc, target in zip(docs, per_doc, strict=True):
        da = DocumentAnnotations()
        for tag, frags in _candidates(rng, doc.text, target):
            ann = _annotation(rng, tagset, name, ids.next_ann(), tag, frags)
            da.annotations[ann.id] = ann
            if kind is LayerKind.CURATED:
                decision = rng.choice(("agreed", "adjudicated"))
                ann.provenance = {"decision": decision, "from": "alice"}
        _add_links(rng, tagset, da, ids)
        if da:
            layer.docs[doc.id] = da
    layer.counter = max(ids.ann, ids.link)
    return layer


def _annotation(
    rng: random.Random, tagset: TagSet, author: str, ann_id: str, tag: str, frags: list[Fragment]
) -> Annotation:
    created = _stamp(rng)
    ann = Annotation(
        id=ann_id,
        tag=tag,
        fragments=tuple(frags),
        attributes=_attributes(rng, tagset, tag),
        created_by=author,
        created_at=created,
        modified_by=author,
        modified_at=created if rng.random() < 0.8 else _stamp(rng),
    )
    r = rng.random()
    if r < 0.05:
        ann.note = rng.choice(NOTES)
    elif r < 0.06:
        ann.needs_check = True
    elif r < 0.07:
        ann.comments.append(Comment("reviewer", _stamp(rng), "Is this the shortest phrase?"))
    return ann


def _add_links(rng: random.Random, tagset: TagSet, da: DocumentAnnotations, ids: _Ids) -> None:
    """Link appeals to authorities and victims, authorities to victims (about one in three)."""
    by_tag: dict[str, list[str]] = {}
    for ann in da.annotations.values():
        by_tag.setdefault(ann.tag, []).append(ann.id)
    for lt in tagset.links:
        sources = [a for t in lt.sources for a in by_tag.get(t, ())]
        targets = [a for t in lt.targets for a in by_tag.get(t, ())]
        if not targets:
            continue
        for src in sources:
            if rng.random() < 0.35:
                lid = ids.next_link()
                da.links[lid] = Link(lid, lt.name, src, rng.choice(targets))


def _shift(rng: random.Random, frag: Fragment, length: int) -> Fragment:
    for _ in range(4):
        start = max(0, frag.start + rng.randint(-6, 6))
        end = min(length, frag.end + rng.randint(-6, 6))
        if start < end:
            return Fragment(start, end)
    return frag


def _perturbed_layer(
    rng: random.Random, name: str, tagset: TagSet, gold: Layer, docs: Sequence[Document]
) -> Layer:
    """Another annotator's take on ``gold``: missing, shifted, retagged and extra spans."""
    kind = LayerKind.CURATED if name == CURATED_LAYER else LayerKind.ANNOTATOR
    layer = Layer(name=name, kind=kind)
    ids = _Ids()
    tags = [t.name for t in tagset.tags]
    for doc in docs:
        src = gold.docs.get(doc.id)
        if src is None:
            continue
        da = DocumentAnnotations()
        renamed: dict[str, str] = {}
        for ann in src.sorted_annotations():
            r = rng.random()
            if r < 0.08:
                continue  # missed
            new = ann.copy()
            new.id = ids.next_ann()
            new.created_by = new.modified_by = name
            new.comments = []
            if r < 0.20:
                new.fragments = normalise_fragments(
                    _shift(rng, f, len(doc.text)) for f in ann.fragments
                )
            elif r < 0.26:
                new.tag = rng.choice([t for t in tags if t != ann.tag])
                new.attributes = _attributes(rng, tagset, new.tag)
            elif r < 0.31:
                new.attributes = _attributes(rng, tagset, new.tag)
            da.annotations[new.id] = new
            renamed[ann.id] = new.id
        words = _word_spans(doc.text)
        for _ in range(len(src.annotations) // 20):
            if words:
                i = rng.randrange(len(words))
                j = min(len(words) - 1, i + rng.randint(0, 4))
                tag = rng.choice(tags)
                extra = _annotation(
                    rng, tagset, name, ids.next_ann(), tag, [Fragment(words[i][0], words[j][1])]
                )
                da.annotations[extra.id] = extra
        for lk in src.links.values():
            if lk.source in renamed and lk.target in renamed and rng.random() < 0.9:
                s, t = renamed[lk.source], renamed[lk.target]
                lt = tagset.link_type(lk.type)
                if lt.allows(da.annotations[s].tag, da.annotations[t].tag):
                    lid = ids.next_link()
                    da.links[lid] = Link(lid, lk.type, s, t)
        if da:
            layer.docs[doc.id] = da
    layer.counter = max(ids.ann, ids.link)
    return layer


def make_project(
    n_docs: int = 10_000,
    n_annotations: int = 200_000,
    layers: Sequence[str] = ("alice",),
    seed: int = 0,
    *,
    seed_dir: Path = SEED_DIR,
) -> Project:
    """A deterministic synthetic project; the first layer has exactly ``n_annotations``."""
    rng = random.Random(seed)
    tagset = default_tagset()
    sentences = seed_sentences(seed_dir) if seed_dir.is_dir() else list(FALLBACK_SENTENCES)
    project = Project(name=f"synthetic-{n_docs}x{n_annotations}", tagset=tagset)
    width = max(4, len(str(n_docs)))
    for i in range(1, n_docs + 1):
        country, city, ai = COUNTRIES[rng.randrange(len(COUNTRIES))]
        headline = _headline(rng, country, sentences[rng.randrange(len(sentences))])
        text = _make_text(rng, sentences, headline, city)
        date = f"{rng.randint(1995, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        doc = Document(
            id=f"doc{i:0{width}d}",
            text=text,
            meta=DocumentMeta(
                headline=headline,
                country=country,
                dateline=city,
                date=date,
                ai_index=f"{ai}/{rng.randint(1, 99):02d}/{date[2:4]}",
                source_name=f"releases/{i:0{width}d}.txt",
                source_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                extra={"batch": f"b{i % 7}"} if rng.random() < 0.3 else {},
            ),
            review_status=rng.choice(list(ReviewStatus)),
        )
        for name in layers:
            doc.status[name] = rng.choice(list(Status))
        project.add_document(doc)
    docs = list(project.documents.values())
    base, extra = divmod(n_annotations, max(1, n_docs))
    per_doc = [base + (1 if i < extra else 0) for i in range(n_docs)]
    if layers:
        gold = _gold_layer(rng, layers[0], tagset, docs, per_doc)
        project.layers[gold.name] = gold
        for name in layers[1:]:
            project.layers[name] = _perturbed_layer(rng, name, tagset, gold, docs)
    return project


def best(repeat: int, steps: dict[str, Callable[[], object]]) -> dict[str, float]:
    """The fastest of ``repeat`` runs of each step, interleaved (seconds by step name)."""
    out = dict.fromkeys(steps, float("inf"))
    for _ in range(repeat):
        for name, step in steps.items():
            t = time.perf_counter()
            step()
            out[name] = min(out[name], time.perf_counter() - t)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", required=True, type=Path)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--annotations", type=int, default=200_000)
    parser.add_argument("--layers", default="alice", help="comma-separated layer names")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    from annotator.formats.project_xml import save_project

    t0 = time.perf_counter()
    layers = [n.strip() for n in args.layers.split(",") if n.strip()]
    project = make_project(args.docs, args.annotations, layers, args.seed)
    t1 = time.perf_counter()
    save_project(project, args.output, backup=False)
    t2 = time.perf_counter()
    counts = ", ".join(f"{n}: {project.layers[n].annotation_count()}" for n in project.layers)
    print(
        f"{args.output}: {len(project.documents)} documents, annotations {counts}; "
        f"built in {t1 - t0:.1f} s, saved in {t2 - t1:.1f} s, "
        f"{args.output.stat().st_size / 1e6:.1f} MB",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
