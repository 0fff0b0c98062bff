"""Layout repair: text extracted from PDFs turned back into readable paragraphs.

PDF extraction keeps the page's line breaks, not the writer's paragraphs. The
rules, in the order they apply (``keep_layout=True`` skips all of them):

**Lines.** Text is split at LF. A line holding only whitespace is *blank*;
the blank lines between two content lines are their *gap*.

**Double spacing.** Some extractions put an empty line after every line. The
text counts as double-spaced when at least three gaps exist, at most a quarter
of them are empty (no blank line), at least half hold exactly one blank line,
and at least 40% of those one-line gaps sit inside a sentence (the line before
does not end in ``. ! ? : ” "`` and the like, or the next starts in lower
case). Without that last test, ordinary one-paragraph-per-line text with blank
lines between paragraphs would be glued together.

**Paragraph breaks.** In double-spaced text a gap of two or more blank lines
ends a paragraph, and so does a one-line gap whose blank line is of the less
common kind (whitespace-only where wraps leave empty lines, as in the seed,
or the reverse). A missing blank line there (a glitch of the extraction) is a
paragraph break only if the line before ends a sentence and the next line is
indented and opens with a capital or an opening quote; otherwise it is a wrap.
In single-spaced text any blank line ends a paragraph. Where lines follow
each other without a blank line (all of them, in most ``pypdf`` output),
weaker signals decide: a line that opens with a dateline (``SEOUL --``); a line
indented deeper than most that opens with a capital or an opening quote; a
line after a short line (under 75% of the usual width, judged when there are at
least four lines) when the short line ends a sentence or the next line opens
with a capital or an opening quote (a paragraph's last line, a headline).

**Joining.** Lines of one paragraph are stripped (leading indentation and
trailing spaces go) and joined with one space, except:

* an ordinal suffix alone on a line after a number is a broken superscript and
  is joined without a space (``50`` / ``th`` / ``anniversary`` gives
  ``50th anniversary``);
* a line ending in a letter or digit followed by a hyphen (``-``, U+2010 or
  a soft hyphen U+00AD) before a line starting with a letter or digit is a
  word broken at the hyphen and is joined without a space. A soft hyphen is
  always dropped (it marks a hyphenation point by definition); any other is
  **dropped** (a wrap, ``dem-`` / ``onstrators``) or **kept** (a compound,
  ``ill-`` / ``treatment``) as :func:`keep_hyphen` decides.

**Spaces inside lines.** Runs of ordinary spaces (U+0020) become one space,
including the double space after a full stop: PDF extraction produces runs of
spaces at random, they carry no meaning, and single spaces keep search and
annotation boundaries predictable. Tabs and no-break spaces are kept.
Paragraphs are separated by one empty line (``"\\n\\n"``).

**Invariant** (checked by a Hypothesis test): let ``nonspace(s)`` be ``s``
without the characters for which ``str.isspace`` is true. Then
``nonspace(repair(t).text) == nonspace(t')``, where ``t'`` is ``t`` with the
characters at ``repair(t).removed_hyphens`` deleted; each of those is a
hyphen (``-``, U+2010 or U+00AD) that was the last non-space character of its
line. Repair only ever removes whitespace and wrap hyphens, and only ever
inserts single spaces and newlines.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

#: A sentence or clause ends here, so a break after it is no evidence of a wrap.
_CLOSES_SENTENCE = frozenset('.!?:;"”’)]»')

#: Characters that open a quoted paragraph.
_OPENERS = frozenset("\"“‘'«(")

_SPACES = re.compile(" {2,}")
_ORDINAL = re.compile(r"(?:st|nd|rd|th|ST|ND|RD|TH)")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
#: The broken word before a line-end hyphen: letters (with inner hyphens) or digits.
_LEFT_PART = re.compile(r"(?:[^\W_]+-)*[^\W_]+[-\u2010\u00ad]$")
SOFT_HYPHEN = "\u00ad"
#: What may end a line as a broken word: hyphen-minus, HYPHEN (U+2010), soft hyphen.
_HYPHENS = ("-", "\u2010", SOFT_HYPHEN)
_RIGHT_PART = re.compile(r"[^\W_]+")
#: ``SEOUL --``, ``PHNOM PENH —``, ``LONDON, 12 September 1998 --`` at the start of a line.
DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]*)*)"
    r"(?:\s*,\s*(?P<when>[^\n—–]{1,40}?))?\s*(?:--?|—|–)\s+"
)

#: First halves of compounds that are whole words, so ``self-`` / ``censorship`` keeps its hyphen.
COMPOUND_FIRST = frozenset(
    [
        "self",
        "non",
        "ill",
        "well",
        "long",
        "short",
        "full",
        "half",
        "all",
        "cross",
        "semi",
        "quasi",
        "anti",
        "high",
        "low",
        "far",
        "near",
        "left",
        "right",
    ]
)
#: Second halves that make a compound, so ``so-`` / ``called`` keeps its hyphen.
COMPOUND_SECOND = frozenset(
    [
        "called",
        "term",
        "based",
        "related",
        "wing",
        "led",
        "run",
        "owned",
        "scale",
        "free",
        "making",
        "level",
        "ranking",
        "standing",
        "minded",
        "old",
        "aged",
        "year",
    ]
)
#: Endings that continue a word, so ``ill-`` / ``ness`` is ``illness`` whatever the first half.
WORD_ENDINGS = frozenset(
    [
        "ness",
        "ment",
        "ments",
        "ing",
        "ings",
        "ed",
        "er",
        "ers",
        "est",
        "ly",
        "less",
        "ful",
        "ity",
        "ities",
        "ion",
        "ions",
        "tion",
        "tions",
        "sion",
        "sions",
        "ous",
        "able",
        "ible",
        "al",
        "ally",
        "ance",
        "ence",
        "ant",
        "ants",
        "ent",
        "ents",
        "ive",
        "ives",
        "ism",
        "ist",
        "ists",
        "ize",
        "ise",
        "ized",
        "ised",
        "ship",
        "hood",
        "age",
        "ure",
        "ures",
    ]
)


@dataclass(frozen=True, slots=True)
class Repaired:
    """The repaired text and what repair did, for tests and import metadata."""

    text: str
    #: offsets, in the input text, of the wrap hyphens that were dropped
    removed_hyphens: tuple[int, ...]
    double_spaced: bool
    paragraphs: int


@dataclass(slots=True)
class _Line:
    start: int  # offset of the raw line in the input
    raw: str
    text: str  # stripped, space runs collapsed
    indent: int


def keep_hyphen(left: str, right: str, vocabulary: Counter[str]) -> bool:
    """Whether ``left-`` at a line end followed by ``right`` is a real hyphen.

    ``left`` is the broken word before the hyphen (it may hold hyphens itself,
    ``not-too``), ``right`` the letters and digits that open the next line.
    Decided in this order:

    1. the text itself: whichever of ``left-right`` and ``leftright`` occurs
       more often elsewhere in the text (as a whole word, any case) wins; a tie
       between two seen forms keeps the hyphen;
    2. a digit on either side keeps it (``1990-`` / ``95``, ``COVID-`` / ``19``);
    3. an upper-case continuation keeps it (``Dae-`` / ``Jung``, ``anti-`` / ``American``);
    4. a continuation that is a word ending (``ness``, ``tion``...) drops it;
    5. a first half in :data:`COMPOUND_FIRST` or a second half in
       :data:`COMPOUND_SECOND` keeps it (``long-`` / ``term``, ``so-`` / ``called``);
    6. otherwise it is a wrap and is dropped (``dem-`` / ``onstrators``).
    """
    hyphenated = f"{left}-{right}".lower()
    joined = f"{left}{right}".lower()
    seen_h, seen_j = vocabulary[hyphenated], vocabulary[joined]
    if seen_h or seen_j:
        return seen_h >= seen_j
    if left[-1].isdigit() or right[0].isdigit():
        return True
    if right[0].isupper():
        return True
    if right.lower() in WORD_ENDINGS:
        return False
    last = left.rsplit("-", 1)[-1].lower()
    return last in COMPOUND_FIRST or right.lower() in COMPOUND_SECOND


def vocabulary_of(text: str) -> Counter[str]:
    """Lower-case words (with inner hyphens) of ``text``, counted."""
    return Counter(w.lower() for w in _WORD.findall(text))


def _ends_sentence(line: str) -> bool:
    return bool(line) and line[-1] in _CLOSES_SENTENCE


def _opens_paragraph(line: str) -> bool:
    return line[0].isupper() or line[0] in _OPENERS


def _scan(text: str) -> tuple[list[_Line], list[list[str]]]:
    """The content lines of ``text`` and, between each two, the raw blank lines (the gap)."""
    content: list[_Line] = []
    gaps: list[list[str]] = []
    gap: list[str] = []
    pos = 0
    spaces = _SPACES.sub
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            if content:
                gaps.append(gap)
                gap = []
            if "  " in stripped:
                stripped = spaces(" ", stripped)
            indent = 0 if raw[0] == stripped[0] else len(raw) - len(raw.lstrip())
            content.append(_Line(pos, raw, stripped, indent))
        elif content:
            gap.append(raw)
        pos += len(raw) + 1
    return content, gaps


def _is_double_spaced(content: list[_Line], gaps: list[list[str]]) -> bool:
    if len(gaps) < 3:
        return False
    empty = sum(1 for g in gaps if not g)
    single = [i for i, g in enumerate(gaps) if len(g) == 1]
    if empty > len(gaps) / 4 or len(single) < len(gaps) / 2:
        return False
    inside_sentence = sum(
        1 for i in single if not _ends_sentence(content[i].text) or content[i + 1].text[0].islower()
    )
    return inside_sentence >= 0.4 * len(single)


def _breaks_double(content: list[_Line], gaps: list[list[str]]) -> list[bool]:
    singles = [g[0] for g in gaps if len(g) == 1]
    empty_kind = sum(1 for b in singles if b == "")
    wrap_blank_is_empty = empty_kind * 2 >= len(singles)
    breaks: list[bool] = []
    for i, gap in enumerate(gaps):
        if len(gap) == 1:
            breaks.append((gap[0] == "") != wrap_blank_is_empty)
        elif gap:
            breaks.append(True)
        else:  # the blank line is missing: a paragraph if the next line looks like one
            before, after = content[i], content[i + 1]
            breaks.append(
                _ends_sentence(before.text) and after.indent > 0 and _opens_paragraph(after.text)
            )
    return breaks


def _breaks_unmarked(content: list[_Line]) -> list[bool]:
    """Paragraph breaks in text without blank lines: datelines, indentation, short lines."""
    if not content:
        return []
    indents = Counter(line.indent for line in content)
    usual_indent = indents.most_common(1)[0][0]
    lengths = sorted(len(line.text) for line in content)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    use_short = len(content) >= 4
    breaks: list[bool] = []
    for before, after in itertools.pairwise(content):
        breaks.append(
            DATELINE.match(after.text) is not None
            or (after.indent > usual_indent and _opens_paragraph(after.text))
            or (
                use_short
                and len(before.text) < 0.75 * width
                and (_ends_sentence(before.text) or _opens_paragraph(after.text))
            )
        )
    return breaks


def _join(
    paragraph: Sequence[_Line], vocabulary: Counter[str] | None, text: str, removed: list[int]
) -> tuple[str, Counter[str] | None]:
    parts = [paragraph[0].text]
    for before, after in itertools.pairwise(paragraph):
        prev = parts[-1]
        nxt = after.text
        if prev[-1:].isdigit() and _ORDINAL.fullmatch(nxt):
            parts.append(nxt)
            continue
        left = _LEFT_PART.search(prev) if prev.endswith(_HYPHENS) else None
        right = _RIGHT_PART.match(nxt) if left is not None else None
        if left is not None and right is not None:
            if vocabulary is None:
                vocabulary = vocabulary_of(text)
            soft = prev.endswith(SOFT_HYPHEN)
            if not soft and keep_hyphen(left.group()[:-1], right.group(), vocabulary):
                parts.append(nxt)
            else:
                parts[-1] = prev[:-1]
                removed.append(before.start + len(before.raw.rstrip()) - 1)
                parts.append(nxt)
            continue
        parts.append(" ")
        parts.append(nxt)
    return "".join(parts), vocabulary


def repair(text: str) -> Repaired:
    """Apply every rule of the module docstring to ``text`` (LF newlines expected)."""
    content, gaps = _scan(text)
    if not content:
        return Repaired("", (), False, 0)
    double = _is_double_spaced(content, gaps)
    if double:
        breaks = _breaks_double(content, gaps)
    else:
        breaks = [bool(g) or weak for g, weak in zip(gaps, _breaks_unmarked(content), strict=True)]
    paragraphs: list[list[_Line]] = [[content[0]]]
    for brk, line in zip(breaks, content[1:], strict=True):
        if brk:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    removed: list[int] = []
    vocabulary: Counter[str] | None = None
    out: list[str] = []
    for para in paragraphs:
        joined, vocabulary = _join(para, vocabulary, text, removed)
        out.append(joined)
    return Repaired("\n\n".join(out), tuple(removed), double, len(out))


def repair_layout(text: str) -> str:
    """The repaired text alone (see :func:`repair`)."""
    return repair(text).text


def tidy_lines(text: str) -> str:
    """The light repair for sources whose paragraphs come from markup (HTML, Word).

    Each line is stripped and its runs of spaces collapsed; blank lines are
    dropped except one between paragraphs. Lines are never joined: a line
    break in markup (``<br>``) was put there on purpose.
    """
    out: list[str] = []
    blank = False
    for raw in text.split("\n"):
        line = _SPACES.sub(" ", raw.strip())
        if not line:
            blank = True
            continue
        if out:
            out.append("\n\n" if blank else "\n")
        out.append(line)
        blank = False
    return "".join(out)


__all__ = [
    "COMPOUND_FIRST",
    "COMPOUND_SECOND",
    "DATELINE",
    "WORD_ENDINGS",
    "Repaired",
    "keep_hyphen",
    "repair",
    "repair_layout",
    "tidy_lines",
    "vocabulary_of",
]
