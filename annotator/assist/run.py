"""Running the suggesters over a project, document by document, and accepting the result.

This is the one path the CLI (``annotator suggest``) and the window take:
:func:`suggest_project` yields each document's suggestions as soon as they
are computed (a 10,000-release project streams, nothing waits for the whole),
and :func:`accept_command` turns any of them into the undoable
:class:`~annotator.model.suggested.AddProposals` command.

What reaches the user is filtered once, here, whatever the suggester:

* a place the user's layer already tags with the same tag is not suggested
  again (an overlap counts: the user has decided there);
* of suggestions of one tag that overlap, the one from the suggester listed
  first wins (learned from the user, then appeal cues, named people, and the
  lexicons), so one place is never offered twice;
* a place the user rejected, and a string rejected twice with that tag,
  are not suggested (see :mod:`annotator.assist.rejections`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from annotator.assist.appeals import AppealSuggester
from annotator.assist.learned import LearnedSuggester
from annotator.assist.people import PeopleSuggester
from annotator.assist.phrases import authority_suggester, victim_suggester
from annotator.assist.rejections import Rejections
from annotator.assist.suggestion import Suggester, Suggestion, suggestion_key
from annotator.assist.text import Analysed
from annotator.errors import UnknownDocument, UnknownSuggester
from annotator.model.project import Annotation, Document, Project
from annotator.model.suggested import SUGGESTED_BY, SUGGESTION_REASON, AddProposals, Proposal
from annotator.progress import Progress, track

#: Every suggester's name, in the order that decides between overlapping suggestions.
SUGGESTER_NAMES = ("learned", "appeal-cues", "named-people", "authority-lexicon", "victim-lexicon")


def default_suggesters(
    project: Project, layer: str, names: Iterable[str] | None = None
) -> list[Suggester]:
    """The suggesters, in order of precedence; ``names`` picks some of them."""
    wanted = list(SUGGESTER_NAMES if names is None else names)
    unknown = [n for n in wanted if n not in SUGGESTER_NAMES]
    if unknown:
        raise UnknownSuggester(
            f"there is no suggester {unknown[0]!r} (there are: {', '.join(SUGGESTER_NAMES)})"
        )
    victims = victim_suggester()
    authorities = authority_suggester(victims)
    made: dict[str, Suggester] = {
        "appeal-cues": AppealSuggester(authorities, victims),
        "named-people": PeopleSuggester(victims, authorities),
        "authority-lexicon": authorities,
        "victim-lexicon": victims,
    }
    if "learned" in wanted:
        made["learned"] = LearnedSuggester(layer_annotations(project, layer))
    return [made[n] for n in SUGGESTER_NAMES if n in wanted]


def layer_annotations(project: Project, layer: str) -> Iterator[tuple[Document, Annotation]]:
    """The user's own annotations (the evidence the learned suggester learns from)."""
    lay = project.layers.get(layer)
    if lay is None:
        return
    for doc_id, da in lay.docs.items():
        doc = project.documents.get(doc_id)
        if doc is not None:
            for ann in da.annotations.values():
                yield doc, ann


@dataclass(slots=True)
class _Evidence:
    rejections: Rejections

    def blocked(self, tag: str, text: str) -> bool:
        return self.rejections.blocked(tag, text)


def suggest_document(
    project: Project,
    doc_id: str,
    layer: str,
    suggesters: Sequence[Suggester],
    rejections: Rejections | None = None,
) -> list[Suggestion]:
    """One document's suggestions for ``layer``, filtered and in reading order."""
    doc = project.document(doc_id)
    rejected = rejections or Rejections()
    evidence = _Evidence(rejected)
    view = Analysed(doc)
    lay = project.layers.get(layer)
    da = lay.docs.get(doc_id) if lay is not None else None
    existing = list(da.annotations.values()) if da is not None else []
    kept: list[Suggestion] = []
    keys: set[str] = set()
    # per tag, which characters are taken (by the layer or a kept suggestion): an
    # overlap test is then one search of a byte string, whatever the numbers
    size = len(doc.text)
    taken: dict[str, bytearray] = {}

    def occupied(tag: str) -> bytearray:
        occ = taken.get(tag)
        if occ is None:
            occ = taken[tag] = bytearray(size)
        return occ

    for ann in existing:
        occ = occupied(ann.tag)
        for f in ann.fragments:
            occ[f.start : f.end] = b"\x01" * (f.end - f.start)
    for suggester in suggesters:
        for sug in suggester.suggest(view, project.tagset, evidence):
            occ = occupied(sug.tag)
            if any(occ.find(1, f.start, f.end) != -1 for f in sug.fragments):
                continue
            key = sug.key
            if rejected and (
                rejected.rejected_here(doc_id, sug.tag, key.partition(":")[2])
                or rejected.blocked(sug.tag, sug.covered_text(doc.text, " "))
            ):
                continue
            for f in sug.fragments:
                occ[f.start : f.end] = b"\x01" * (f.end - f.start)
            kept.append(sug)
            keys.add(key)
    out = []
    for sug in kept:
        if any(lk.target not in keys for lk in sug.links):
            links = tuple(lk for lk in sug.links if lk.target in keys)
            sug = Suggestion(
                sug.doc_id, sug.tag, sug.fragments, sug.suggester, sug.reason, sug.attributes, links
            )
        out.append(sug)
    out.sort(key=lambda s: (s.start, -s.end, s.tag))
    return out


def suggest_project(
    project: Project,
    layer: str,
    *,
    doc_ids: Sequence[str] | None = None,
    suggesters: Sequence[Suggester] | None = None,
    rejections: Rejections | None = None,
    progress: Progress | None = None,
) -> Iterator[tuple[str, list[Suggestion]]]:
    """Each document's suggestions, one document at a time, in project order.

    ``progress`` counts the releases; cancelling it stops the stream between two.
    """
    ids = list(project.documents) if doc_ids is None else list(doc_ids)
    for doc_id in ids:
        if doc_id not in project.documents:
            raise UnknownDocument(f"the project has no document {doc_id!r}")
    chosen = default_suggesters(project, layer) if suggesters is None else suggesters
    for doc_id in track(ids, progress, "Suggesting", "release"):
        yield doc_id, suggest_document(project, doc_id, layer, chosen, rejections)


def proposals(suggestions: Sequence[Suggestion]) -> list[Proposal]:
    """Suggestions as the model's proposals, links turned into indices of the batch."""
    index = {(s.doc_id, s.key): k for k, s in enumerate(suggestions)}
    out = []
    for sug in suggestions:
        links = tuple(
            (lk.type, index[(sug.doc_id, lk.target)])
            for lk in sug.links
            if (sug.doc_id, lk.target) in index
        )
        out.append(
            Proposal(
                doc_id=sug.doc_id,
                tag=sug.tag,
                fragments=sug.fragments,
                attributes=dict(sug.attributes),
                provenance={SUGGESTED_BY: sug.suggester, SUGGESTION_REASON: sug.reason},
                links=links,
            )
        )
    return out


def accept_command(
    layer: str, suggestions: Sequence[Suggestion], author: str = "", text: str = ""
) -> AddProposals:
    """The one undoable step that adds ``suggestions`` (and links among them) to ``layer``."""
    return AddProposals(layer, proposals(suggestions), author=author or layer, text=text)


__all__ = [
    "SUGGESTER_NAMES",
    "accept_command",
    "default_suggesters",
    "proposals",
    "suggest_document",
    "suggest_project",
    "suggestion_key",
]
