"""Layout repair: text extracted from PDFs turned back into readable paragraphs.

PDF extraction keeps the page's line breaks, not the writer's paragraphs. The
rules, in the order they apply (``keep_layout=True`` skips all of them):

**Lines.** Text is split at LF. A line holding only whitespace is *blank*;
the blank lines between two content lines are their *gap*.

**Roles.** Some lines are paragraphs of their own whatever the spacing says:
headings (``BACKGROUND``), bylines (``BY JANE DOE``), datelines that open a
story and list items (:mod:`annotator.releases.lines` gives the shapes). A
paragraph break is always made before such a line, and after a heading or a
byline unless the next line opens in lower case; two heading lines in a row
are one heading wrapped (``CHAD: AUTHORITIES MUST RELEASE`` / ``DETAINED``).

**Double spacing.** Some extractions put an empty line after every line (or
two, as pypdf's layout mode does for a PDF set double-spaced). The decision
is taken per document from the gaps. The *wrap gap* is the most common number
of blank lines in a gap (one, in the seed). The text counts as double-spaced
when at least three gaps exist, at most a quarter of them are empty (no blank
line), at least half are wrap gaps, and at least half of those cut a
sentence. A gap cuts a sentence when the
next line opens with a lower-case word, or, when neither line has a role, the
line before does not end in ``. ! ? : ; … ” "`` and the like and either ends in
a comma or is a full line (at least 40 characters and 75% of the usual width,
the 90th percentile of line lengths). A text of one paragraph per line with
blank lines between them — headlines, bylines, headings, photo captions and
links that end without a full stop included — is therefore not glued together.

**Paragraph breaks.** In double-spaced text a gap wider than the wrap gap
ends a paragraph, and so does a wrap gap whose first blank line is of the less
common kind (whitespace-only where wraps leave empty lines, as in the seed,
or the reverse), or that follows a short line (under 75% of the usual width)
ending a sentence, or the first line (a headline), when the next line opens
with a capital or an opening quote. A missing blank line there (a glitch of the extraction) is a
paragraph break only if the line before ends a sentence and the next line is
indented and opens with a capital or an opening quote; otherwise it is a wrap.
In single-spaced text any blank line ends a paragraph. Where lines follow
each other without a blank line (all of them, in most ``pypdf`` output),
weaker signals decide: the roles above; a line
indented deeper than most that opens with a capital or an opening quote; a
line after a short line (under 75% of the usual width, judged when there are at
least four lines) when the short line ends a sentence or the next line opens
with a capital or an opening quote (a paragraph's last line, a headline).

**Unwrapped lines.** When the text is not double-spaced, some line breaks
have no blank line, and at least a quarter of the lines are longer than 160
characters (no page or mail program wraps that wide), every line is a
paragraph: text copied from a web page or a word processor has one line per
paragraph, with or without blank lines between them.

**Decision.** :class:`Repaired` names the decision (``double-spaced PDF lines
joined``, ``blank-line paragraphs kept, not double-spaced``, ``wrapped lines
joined``) and the counts behind it; import stores both in the document's
metadata (``layout``, ``layout_evidence``) so anyone can check it.

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

**Page furniture.** Lines passed in ``skip`` (page numbers, running headers
and footers found by :mod:`annotator.releases.furniture`) are left out before
any of the rules above; the gap across one is the shorter of the gaps on its
two sides. Where furniture was left out between two lines, a page most likely
broke there, and the spacing says nothing: a paragraph break is made only if
the roles ask for one or the line before ends a sentence and the next opens
with a capital or an opening quote; otherwise the paragraph runs on over the
page. They come back in ``Repaired.dropped``.

**Invariant** (checked by Hypothesis tests): let ``nonspace(s)`` be ``s``
without the characters for which ``str.isspace`` is true. Then
``nonspace(repair(t, skip).text) == nonspace(t')``, where ``t'`` is ``t`` with
the characters at ``removed_hyphens`` and the lines in ``skip`` deleted; each
removed hyphen (``-``, U+2010 or U+00AD) was the last non-space character of
its line. Repair only ever removes whitespace, wrap hyphens and the furniture
it was given, and only ever inserts single spaces and newlines. Import lists
the words whose hyphen went (:func:`hyphen_words`) in ``dropped_hyphens``.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.releases.hyphens import (
    COMPOUND_FIRST,
    COMPOUND_SECOND,
    WORD_ENDINGS,
    keep_hyphen,
    vocabulary_of,
)
from annotator.releases.lines import (
    DATELINE,
    Role,
    dash_bullets,
    ends_sentence,
    opens_paragraph,
    role_of,
)

#: Lines this long were not wrapped by a page or a mail program: each is a paragraph.
UNWRAPPED = 160

_SPACES = re.compile(" {2,}")
#: A line opening with a lower-case word (not a web address or a list letter).
_LOWER_WORD = re.compile(r"[^\W\d_]+(?:[\s,;:]|$)")
_ORDINAL = re.compile(r"(?:st|nd|rd|th|ST|ND|RD|TH)")
#: The broken word before a line-end hyphen: letters (with inner hyphens) or digits.
_LEFT_PART = re.compile(r"(?:[^\W_]+-)*[^\W_]+[-\u2010\u00ad]$")
SOFT_HYPHEN = "\u00ad"
#: What may end a line as a broken word: hyphen-minus, HYPHEN (U+2010), soft hyphen.
_HYPHENS = ("-", "\u2010", SOFT_HYPHEN)
_RIGHT_PART = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Dropped:
    """A line that repair left out as page furniture, for the import metadata."""

    #: offset in the input text of the line's first character (indentation included)
    start: int
    #: the line as it stood, stripped
    line: str
    #: ``page number``, ``running header`` or ``running footer``
    why: str


@dataclass(frozen=True, slots=True)
class Repaired:
    """The repaired text and what repair did, for tests and import metadata."""

    text: str
    #: offsets, in the input text, of the wrap hyphens that were dropped
    removed_hyphens: tuple[int, ...]
    double_spaced: bool
    paragraphs: int
    #: the layout decision in a few words (``double-spaced lines joined``...)
    decision: str = ""
    #: the counts that led to it, in one sentence
    evidence: str = ""
    #: page furniture left out, in text order
    dropped: tuple[Dropped, ...] = ()


@dataclass(slots=True)
class _Line:
    start: int  # offset of the raw line in the input
    raw: str
    text: str  # stripped, space runs collapsed
    indent: int
    role: str | None = None
    #: page furniture was left out just before this line (a page break, most likely)
    after_furniture: bool = False


def _scan(text: str, skip: frozenset[int] = frozenset()) -> tuple[list[_Line], list[list[str]]]:
    """The content lines of ``text`` and, between each two, the raw blank lines (the gap).

    Lines starting at an offset in ``skip`` (page furniture) are left out; the
    gap across one is the shorter of the gaps on either side of it, since the
    furniture's own spacing is the page's, not the writer's.
    """
    content: list[_Line] = []
    gaps: list[list[str]] = []
    gap: list[str] = []
    before_skip: list[str] | None = None
    pos = 0
    spaces = _SPACES.sub
    for raw in text.split("\n"):
        stripped = raw.strip()
        if pos in skip and stripped:
            if content:
                before_skip = gap if before_skip is None else min(before_skip, gap, key=len)
            gap = []
        elif stripped:
            crossed = before_skip is not None
            if content:
                if before_skip is not None:
                    gap = min(before_skip, gap, key=len)
                    before_skip = None
                gaps.append(gap)
                gap = []
            if "  " in stripped:
                stripped = spaces(" ", stripped)
            indent = 0 if raw[0] == stripped[0] else len(raw) - len(raw.lstrip())
            content.append(_Line(pos, raw, stripped, indent, None, crossed))
        elif content:
            gap.append(raw)
        pos += len(raw) + 1
    return content, gaps


def _inside_sentence(before: _Line, after: _Line, full: float) -> bool:
    """Whether a blank line between ``before`` and ``after`` cuts a sentence (a wrap)."""
    if after.role is not None:
        return False
    if after.text[0].islower() and _LOWER_WORD.match(after.text):
        return True
    if before.role is not None or ends_sentence(before.text):
        return False
    return before.text[-1] == "," or len(before.text) >= full


def _wrap_gap(gaps: list[list[str]]) -> int:
    """The most common number of blank lines between two lines (1 if there are none)."""
    sizes = Counter(len(g) for g in gaps if g)
    if not sizes:
        return 1
    return max(sizes, key=lambda size: (sizes[size], -size))  # a tie: the narrower


def _double_spacing(content: list[_Line], gaps: list[list[str]]) -> tuple[bool, str]:
    """Whether the text is double-spaced, and the counts that decided it."""
    unit = _wrap_gap(gaps)
    empty = sum(1 for g in gaps if not g)
    single = [i for i, g in enumerate(gaps) if len(g) == unit]
    blank_lines = "single blank lines" if unit == 1 else f"gaps of {unit} blank lines"
    if len(gaps) < 3:
        return False, f"only {len(gaps) + 1} lines"
    if empty > len(gaps) / 4:
        return False, f"{empty} of {len(gaps)} line breaks have no blank line"
    if len(single) < len(gaps) / 2:
        return False, f"only {len(single)} of {len(gaps)} line breaks have one blank line"
    lengths = sorted(len(line.text) for line in content)
    full = max(40.0, 0.75 * lengths[int(0.9 * (len(lengths) - 1))])
    inside = sum(1 for i in single if _inside_sentence(content[i], content[i + 1], full))
    counts = f"{inside} of {len(single)} {blank_lines} fall inside a sentence"
    return inside >= 0.5 * len(single), counts


def _breaks_double(content: list[_Line], gaps: list[list[str]]) -> list[bool]:
    unit = _wrap_gap(gaps)
    singles = [g[0] for g in gaps if len(g) == unit]
    empty_kind = sum(1 for b in singles if b == "")
    wrap_blank_is_empty = empty_kind * 2 >= len(singles)
    lengths = sorted(len(line.text) for line in content)
    short = 0.75 * lengths[int(0.9 * (len(lengths) - 1))] if len(content) >= 4 else 0
    breaks: list[bool] = []
    for i, gap in enumerate(gaps):
        before, after = content[i], content[i + 1]
        if _role_break(before, after):
            breaks.append(True)
        elif len(gap) == unit:
            breaks.append(
                (gap[0] == "") != wrap_blank_is_empty
                or (
                    len(before.text) < short
                    and opens_paragraph(after.text)
                    and (i == 0 or ends_sentence(before.text))
                )
            )
        elif len(gap) > unit:
            breaks.append(True)
        else:  # a blank line is missing: a paragraph if the next line looks like one
            breaks.append(
                ends_sentence(before.text) and after.indent > 0 and opens_paragraph(after.text)
            )
    return breaks


def _role_break(before: _Line, after: _Line) -> bool:
    """A break the lines' roles demand: before a dateline, byline or list item, around headings."""
    if after.role == Role.HEADING:
        return before.role != Role.HEADING
    if after.role is not None:
        return True
    return (before.role == Role.HEADING or before.role == Role.BYLINE) and not (
        after.text[0].islower()
    )


def _breaks_unmarked(content: list[_Line]) -> list[bool]:
    """Paragraph breaks in text without blank lines: roles, indentation, short lines."""
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
            _role_break(before, after)
            or (after.indent > usual_indent and opens_paragraph(after.text))
            or (
                use_short
                and len(before.text) < 0.75 * width
                and (ends_sentence(before.text) or opens_paragraph(after.text))
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


def _decide(content: list[_Line], gaps: list[list[str]]) -> tuple[list[bool], bool, str, str]:
    """The paragraph breaks between content lines, and the decision with its evidence."""
    double, counts = _double_spacing(content, gaps)
    if double:
        return _breaks_double(content, gaps), True, "double-spaced PDF lines joined", counts
    long_lines = sum(1 for line in content if len(line.text) > UNWRAPPED)
    if long_lines >= 0.25 * len(content) and not all(gaps):
        evidence = f"{long_lines} of {len(content)} lines are longer than {UNWRAPPED} characters"
        return [True] * len(gaps), False, "one paragraph per line kept", evidence
    weak = _breaks_unmarked(content)
    if any(gaps):
        decision = "blank-line paragraphs kept"
        if len(gaps) >= 3 and sum(1 for g in gaps if not g) <= len(gaps) / 4:
            decision += ", not double-spaced"
    else:
        decision = "wrapped lines joined"
        counts = "no blank lines; paragraphs from datelines, headings, indents and short lines"
    return [bool(g) or w for g, w in zip(gaps, weak, strict=True)], False, decision, counts


def repair(text: str, skip: Sequence[Dropped] = ()) -> Repaired:
    """Apply every rule of the module docstring to ``text`` (LF newlines expected).

    ``skip`` lists page furniture to leave out (see
    :mod:`annotator.releases.furniture`); it comes back in ``Repaired.dropped``.
    """
    content, gaps = _scan(text, frozenset(d.start for d in skip))
    if not content:
        return Repaired("", (), False, 0, "empty", "no text", tuple(skip))
    dashes = dash_bullets([line.text for line in content])
    for line in content:
        line.role = role_of(line.text, dash_bullets=dashes)
    breaks, double, decision, evidence = _decide(content, gaps)
    for i, line in enumerate(content[1:]):
        if line.after_furniture:  # across a page break: does a new paragraph open here?
            before = content[i]
            breaks[i] = _role_break(before, line) or (
                ends_sentence(before.text) and opens_paragraph(line.text)
            )
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
    return Repaired(
        "\n\n".join(out), tuple(removed), double, len(out), decision, evidence, tuple(skip)
    )


_WORD_BEFORE = re.compile(r"[^\W_]+$")
_WORD_AFTER = re.compile(r"\s*([^\W_]+)")


def hyphen_words(text: str, removed: Sequence[int]) -> list[str]:
    """Each word whose wrap hyphen was dropped, as written in ``text``: ``dem-onstrators``."""
    words: list[str] = []
    for at in removed:
        before = _WORD_BEFORE.search(text, 0, at)
        after = _WORD_AFTER.match(text, at + 1)
        left = before.group() if before is not None else ""
        right = after.group(1) if after is not None else ""
        words.append(f"{left}{text[at]}{right}")
    return words


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
    "Dropped",
    "Repaired",
    "hyphen_words",
    "keep_hyphen",
    "repair",
    "repair_layout",
    "tidy_lines",
    "vocabulary_of",
]
