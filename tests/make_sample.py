"""Build ``projects/sample.xml``: the two seed releases, annotated the way a campaigner would.

Run ``PYTHONPATH=. python tests/make_sample.py [OUT.xml]``. The project goes
through the real path a user takes: ``annotator new`` and ``annotator import``
on the seed file, then every annotation, attribute and link is a core command
replayed on a :class:`History`, and the file is written with ``save_project``.
Annotations are given by quoting the text, never by offsets: ``"I urged
[President Kim]"`` means the words in brackets, inside a context that occurs
exactly once in the release. A test rebuilds the file and compares bytes, so the
shipped sample can never drift from what this script says.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

from annotator.cli import main as cli
from annotator.formats.project_xml import load_project, save_project
from annotator.model import (
    AddAnnotation,
    AddLink,
    History,
    Project,
    SetNote,
    SetStatus,
    Status,
)
from annotator.model import commands as model_commands

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "tests" / "data" / "000_3a922b85f584e461.txt"
OUT = REPO / "projects" / "sample.xml"
NAME = "Amnesty releases 1998 (sample)"
LAYER = "dana"
#: Edit times start here and advance a little per edit, so the file is reproducible.
CLOCK_START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@dataclass
class Ann:
    """One annotation: quoted fragments (several = discontinuous), attributes, a note."""

    key: str
    tag: str
    quotes: Sequence[str]
    attrs: dict[str, str | list[str]] = field(default_factory=dict)
    note: str = ""


# --- release 1: South Korea ------------------------------------------------------------

KOREA = [
    Ann(
        "gov",
        "authority",
        ["[His government]’s failure"],
        {"kind": "government", "level": "national"},
    ),
    Ann(
        "pp",
        "victim",
        ["to release [political prisoners] and"],
        {"group": ["political-prisoner"], "harm": ["imprisoned"], "named": "group"},
    ),
    Ann(
        "these-pp",
        "victim",
        ["Some of [these political prisoners] are elderly"],
        {"group": ["political-prisoner"], "harm": ["imprisoned"], "named": "group"},
    ),
    Ann(
        "400",
        "victim",
        [
            "release of many [political prisoners] in amnesties",
            "it noted that [more than 400] remained in jail",
        ],
        {"group": ["political-prisoner"], "harm": ["imprisoned"], "named": "group"},
        note="Discontinuous: the number and the group it counts are a sentence apart.",
    ),
    Ann(
        "appeal-long-term",
        "appeal",
        ["made a [special humanitarian appeal for the release of long term prisoners]"],
        {"action": ["release"], "kind": "direct-call"},
    ),
    Ann(
        "long-term",
        "victim",
        ["release of [long term prisoners, some of whom are elderly and sick]"],
        {"group": ["political-prisoner"], "harm": ["imprisoned"], "named": "group"},
    ),
    Ann(
        "poc",
        "victim",
        ["keeping [prisoners of conscience] in jail"],
        {"group": ["prisoner-of-conscience"], "harm": ["imprisoned"], "named": "group"},
    ),
    Ann(
        "students",
        "victim",
        ["Political prisoners include [students, young activists, publishers, workers and others]"],
        {"group": ["student", "other"], "harm": ["arrested", "imprisoned"], "named": "group"},
    ),
    Ann(
        "courts",
        "authority",
        ["The government says [the courts] provide"],
        {"kind": "judiciary", "level": "national"},
    ),
    Ann(
        "supreme",
        "authority",
        ["overturned by [the Supreme Court]"],
        {"kind": "judiciary", "level": "national"},
    ),
    Ann(
        "appeal-law",
        "appeal",
        [
            "[urged the government to move quickly to bring the "
            "law into line with international standards]"
        ],
        {"action": ["reform-law"], "kind": "urging"},
    ),
    Ann(
        "gov-law",
        "authority",
        ["urged [the government] to move quickly"],
        {"kind": "government", "level": "national"},
    ),
    Ann(
        "appeal-torture",
        "appeal",
        [
            "[reforms are also needed to ensure that torture "
            "and ill-treatment are no longer tolerated]"
        ],
        {"action": ["reform-law", "stop"], "kind": "recommendation"},
    ),
    Ann(
        "appeal-training",
        "appeal",
        ["[human rights should be included in training for all law enforcement officials]"],
        {"action": ["other"], "kind": "recommendation"},
    ),
    Ann(
        "appeal-prisons",
        "appeal",
        ["[Prison conditions should be brought into conformity with international standards]"],
        {"action": ["reform-law"], "kind": "recommendation"},
    ),
    Ann(
        "executed",
        "victim",
        ["Last year alone, [23 prisoners] were executed"],
        {"group": ["other"], "harm": ["death-penalty"], "named": "group"},
    ),
    Ann(
        "appeal-death",
        "appeal",
        [
            "I [urged President Kim], as a former",
            "[to commute all death sentences and take steps to abolish "
            "the death penalty during his term in office]",
        ],
        {"action": ["death-penalty"], "kind": "urging"},
        note="Discontinuous: the aside about his own death sentence is left out.",
    ),
    Ann(
        "kim",
        "authority",
        ["I urged [President Kim], as a former"],
        {"kind": "head-of-state", "level": "national"},
    ),
    Ann(
        "unemployed",
        "victim",
        ["as [thousands of unemployed Koreans] have been left"],
        {"group": ["other"], "harm": ["other"], "named": "group"},
    ),
    Ann(
        "women",
        "victim",
        ["[Women and vulnerable groups such as migrant workers] are often"],
        {"group": ["women", "migrant-worker"], "harm": ["other"], "named": "group"},
    ),
    Ann(
        "unionists",
        "victim",
        ["[Trade unionists] are again being arrested"],
        {"group": ["trade-unionist"], "harm": ["arrested"], "named": "group"},
    ),
]
KOREA_LINKS = [
    ("responsible_for", "gov", "pp"),
    ("on_behalf_of", "appeal-long-term", "long-term"),
    ("addressee", "appeal-law", "gov-law"),
    ("addressee", "appeal-death", "kim"),
    ("on_behalf_of", "appeal-death", "executed"),
]

# --- release 2: Cambodia ----------------------------------------------------------------

CAMBODIA = [
    Ann(
        "demonstrators",
        "victim",
        ["deaths and injuries of [demonstrators] resulting"],
        {"group": ["demonstrator"], "harm": ["killed", "injured"], "named": "group"},
    ),
    Ann(
        "security-force",
        "authority",
        ["by [security force] in Phnom Penh"],
        {"kind": "security-forces", "level": "national"},
        note="Singular in the release; the same forces as in the next paragraph.",
    ),
    Ann(
        "restraint",
        "appeal",
        ["[call on all sides in the current political crisis to exercise restraint]"],
        {"action": ["restraint"], "kind": "direct-call"},
    ),
    Ann(
        "sf-monks",
        "authority",
        ["[Security forces] are reported"],
        {"kind": "security-forces", "level": "national"},
    ),
    Ann(
        "monks",
        "victim",
        ["beaten [a group of Buddhist monks and some students] demonstrating"],
        {
            "group": ["religious-figure", "student", "demonstrator"],
            "harm": ["killed", "injured"],
            "named": "group",
        },
    ),
    Ann(
        "monk",
        "victim",
        ["[One Buddhist monk] is known"],
        {"group": ["religious-figure"], "harm": ["killed"]},
    ),
    Ann(
        "sf-8sep",
        "authority",
        ["On 8 September [security forces] violently"],
        {"kind": "security-forces", "level": "national"},
    ),
    Ann(
        "dispersed",
        "victim",
        ["violently dispersed [demonstrators] at different"],
        {"group": ["demonstrator"], "harm": ["injured"], "named": "group"},
    ),
    Ann(
        "person",
        "victim",
        ["[one person] was shot dead"],
        {"group": ["demonstrator"], "harm": ["killed"]},
    ),
    Ann(
        "police-7sep",
        "authority",
        ["after [police] attempted"],
        {"kind": "police", "level": "local"},
    ),
    Ann(
        "hun-sen",
        "authority",
        ["[Second Prime Minister Hun Sen] announced"],
        {"kind": "head-of-state", "level": "national"},
    ),
    Ann(
        "rainsy",
        "victim",
        ["ordering the arrest of [opposition party leader Sam Rainsy]"],
        {"group": ["other"], "harm": ["threatened"], "named": "individual"},
    ),
    Ann(
        "investigate",
        "appeal",
        ["[urges that a proper and full investigation be carried out into the grenade attack]"],
        {"action": ["investigate"], "kind": "urging"},
    ),
    Ann(
        "no-pretext",
        "appeal",
        ["[should not be used as a pretext to crack down on peaceful dissent]"],
        {"action": ["stop"], "kind": "recommendation"},
    ),
    Ann(
        "police-quote",
        "authority",
        ["violence by [the police] to disperse"],
        {"kind": "police", "level": "local"},
    ),
    Ann(
        "no-violence",
        "appeal",
        [
            "[The use of violence by the police to disperse demonstrators "
            "is unacceptable and should be avoided at all costs]"
        ],
        {"action": ["stop"], "kind": "recommendation"},
    ),
    Ann(
        "quote-demonstrators",
        "victim",
        ["to disperse [demonstrators] is unacceptable"],
        {"group": ["demonstrator"], "harm": ["injured"], "named": "group"},
    ),
    Ann(
        "condemn",
        "appeal",
        ["[calls on the international community]", "[to condemn the killings]"],
        {"action": ["other"], "kind": "direct-call"},
    ),
    Ann(
        "protect",
        "appeal",
        [
            "[to firmly urge the Cambodian Government to ensure the protection "
            "of human rights and freedom of peaceful assembly and expression]"
        ],
        {"action": ["protect"], "kind": "urging"},
    ),
    Ann(
        "cambodian-gov",
        "authority",
        ["urge [the Cambodian Government] to ensure"],
        {"kind": "government", "level": "national"},
    ),
    Ann(
        "activists",
        "victim",
        ["[scores of opposition party activists] fled"],
        {"group": ["other"], "harm": ["threatened"], "named": "group"},
    ),
    Ann(
        "personnel",
        "authority",
        ["from [government security personnel]"],
        {"kind": "security-forces", "level": "national"},
    ),
]
CAMBODIA_LINKS = [
    ("responsible_for", "security-force", "demonstrators"),
    ("responsible_for", "sf-monks", "monks"),
    ("responsible_for", "sf-monks", "monk"),
    ("responsible_for", "sf-8sep", "dispersed"),
    ("responsible_for", "police-7sep", "person"),
    ("responsible_for", "hun-sen", "rainsy"),
    ("addressee", "no-violence", "police-quote"),
    ("on_behalf_of", "no-violence", "quote-demonstrators"),
    ("addressee", "protect", "cambodian-gov"),
    ("on_behalf_of", "condemn", "demonstrators"),
    ("responsible_for", "personnel", "activists"),
]


def _words(s: str) -> str:
    """A pattern for ``s`` in which any whitespace matches any whitespace run."""
    return r"\s+".join(re.escape(w) for w in s.split())


def locate(text: str, quote: str) -> tuple[int, int]:
    """Offsets of the bracketed words (or the whole quote) in a context found exactly once.

    Whitespace in the quote matches any whitespace run, so quotes survive
    re-flowed lines.
    """
    before, inner, after = ("", quote, "")
    if "[" in quote:
        before, rest = quote.split("[", 1)
        inner, after = rest.split("]", 1)
    pattern = f"({_words(inner)})"
    if before.strip():
        pattern = _words(before) + (r"\s+" if before[-1].isspace() else "") + pattern
    if after.strip():
        pattern += (r"\s+" if after[0].isspace() else "") + _words(after)
    hits = list(re.finditer(pattern, text))
    if len(hits) != 1:
        raise SystemExit(f"make_sample: {quote!r} occurs {len(hits)} times, expected once")
    return hits[0].start(1), hits[0].end(1)


@contextlib.contextmanager
def fixed_clock() -> Iterator[None]:
    """Edit time stamps from a fixed start, 41 seconds apart (a plausible pace)."""
    ticks = iter(range(10**6))

    def now() -> str:
        t = CLOCK_START + timedelta(seconds=41 * next(ticks))
        return t.isoformat().replace("+00:00", "Z")

    with mock.patch.object(model_commands, "utc_now", now):
        yield


def annotate(
    project: Project, doc_id: str, anns: list[Ann], links: list[tuple[str, str, str]]
) -> None:
    history = History(project)
    text = project.document(doc_id).text
    ids: dict[str, str] = {}
    for ann in anns:
        frags = [locate(text, q) for q in ann.quotes]
        cmd = AddAnnotation(LAYER, doc_id, ann.tag, frags, ann.attrs, author=LAYER)
        history.push(cmd)
        assert cmd.ann_id is not None
        ids[ann.key] = cmd.ann_id
        if ann.note:
            history.push(SetNote(LAYER, doc_id, cmd.ann_id, ann.note, author=LAYER))
    for link_type, source, target in links:
        history.push(AddLink(LAYER, doc_id, link_type, ids[source], ids[target]))


def build(out: Path, seed: Path = SEED) -> None:
    """Write the sample project to ``out`` (replacing it)."""
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet):
        if cli(["new", str(out), "--name", NAME, "--force"]) != 0:
            raise SystemExit("make_sample: annotator new failed")
        if cli(["--annotator", LAYER, "import", str(seed), "-o", str(out)]) != 0:
            raise SystemExit("make_sample: annotator import failed")
    project, sha = load_project(out)
    korea, cambodia = list(project.documents)
    project.ensure_layer(LAYER)
    with fixed_clock():
        annotate(project, korea, KOREA, KOREA_LINKS)
        annotate(project, cambodia, CAMBODIA, CAMBODIA_LINKS)
        History(project).push(SetStatus(korea, LAYER, Status.DONE))
        History(project).push(SetStatus(cambodia, LAYER, Status.IN_PROGRESS))
    save_project(project, out, expected_sha256=sha, backup=False)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    build(target)
    print(f"wrote {target}")
