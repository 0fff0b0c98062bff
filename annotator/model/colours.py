"""Can two tag colours be told apart? Also by people with a colour-vision deficiency.

About one man in twelve sees colours differently; for them two tags can look the
same in the text although the tag set gives them different colours. This module
simulates the three complete dichromacies (protanopia, deuteranopia,
tritanopia) and says which colours of a tag set become hard to tell apart.

The simulation is Machado, Oliveira & Fernandes (2009), "A Physiologically-based
Model for Simulation of Color Vision Deficiency", IEEE TVCG 15(6), severity 1.0:
one 3×3 matrix per deficiency, applied to linear-light sRGB. The distance is the
CIEDE2000 colour difference (ΔE00) between the two simulated colours in CIELAB
(D65), the measure colour scientists use for "how different do these look".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

Matrix = tuple[tuple[float, float, float], tuple[float, float, float], tuple[float, float, float]]
Lab = tuple[float, float, float]

#: Machado et al. (2009), table of severity 1.0 (complete dichromacy)
CVD_MATRICES: Final[dict[str, Matrix]] = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}

#: The kinds of vision a colour is checked for, in the order messages name them.
VISIONS: Final = ("normal vision", *CVD_MATRICES)

#: Below this ΔE00 two tag colours are too close to tell apart at a glance in a
#: text (tints and thin underlines, not large patches). Around 10 colours read
#: as "the same family"; the Okabe–Ito palette's closest pair under any
#: dichromacy stays above it.
CONFUSABLE_BELOW: Final = 10.0

_HEX = re.compile(r"#?([0-9A-Fa-f]{6})")


def parse_hex(colour: str) -> tuple[float, float, float]:
    """``"#rrggbb"`` as three sRGB components in 0..1 (ValueError if it is not one)."""
    m = _HEX.fullmatch(colour.strip())
    if m is None:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    h = m.group(1)
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255)


def _to_linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _mul(m: Matrix, v: tuple[float, float, float]) -> tuple[float, float, float]:
    return (
        m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
        m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
        m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
    )


def _lab_from_linear(rgb: tuple[float, float, float]) -> Lab:
    r, g, b = (min(1.0, max(0.0, c)) for c in rgb)
    # linear sRGB → XYZ (D65), scaled to the white point
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def lab(colour: str, vision: str = "normal vision") -> Lab:
    """The CIELAB coordinates of ``colour`` as seen with ``vision`` (one of VISIONS)."""
    linear = tuple(_to_linear(c) for c in parse_hex(colour))
    assert len(linear) == 3
    rgb = (linear[0], linear[1], linear[2])
    if vision != "normal vision":
        rgb = _mul(CVD_MATRICES[vision], rgb)
    return _lab_from_linear(rgb)


def delta_e(a: Lab, b: Lab) -> float:
    """CIEDE2000 colour difference (Sharma, Wu & Dalal 2005 formulation)."""
    l1, a1, b1 = a
    l2, a2, b2 = b
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    c_mean7 = ((c1 + c2) / 2) ** 7
    g = 0.5 * (1 - math.sqrt(c_mean7 / (c_mean7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl = l2 - l1
    dc = c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    else:
        dh = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    dhh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lm = (l1 + l2) / 2
    cm = (c1p + c2p) / 2
    if c1p * c2p == 0:
        hm = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hm = (h1p + h2p) / 2
    else:
        hm = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hm - 30))
        + 0.24 * math.cos(math.radians(2 * hm))
        + 0.32 * math.cos(math.radians(3 * hm + 6))
        - 0.20 * math.cos(math.radians(4 * hm - 63))
    )
    d_theta = 30 * math.exp(-(((hm - 275) / 25) ** 2))
    rc = 2 * math.sqrt(cm**7 / (cm**7 + 25**7))
    sl = 1 + 0.015 * (lm - 50) ** 2 / math.sqrt(20 + (lm - 50) ** 2)
    sc = 1 + 0.045 * cm
    sh = 1 + 0.015 * cm * t
    rt = -math.sin(math.radians(2 * d_theta)) * rc
    return math.sqrt(
        (dl / sl) ** 2 + (dc / sc) ** 2 + (dhh / sh) ** 2 + rt * (dc / sc) * (dhh / sh)
    )


def difference(first: str, second: str, vision: str = "normal vision") -> float:
    """ΔE00 between two ``#rrggbb`` colours as someone with ``vision`` sees them."""
    return delta_e(lab(first, vision), lab(second, vision))


@dataclass(frozen=True, slots=True)
class Confusion:
    """``colour`` looks too much like ``other``'s (a tag) for people with ``visions``."""

    other: str
    other_colour: str
    visions: tuple[str, ...]
    #: the smallest ΔE00 among ``visions``
    delta: float

    def sentence(self, subject: str = "This colour") -> str:
        """``"This colour is hard to tell from Victim's (#56B4E9) with deuteranopia."``"""
        who = " or ".join(self.visions) if len(self.visions) < 3 else _series(self.visions)
        return (
            f"{subject} is hard to tell from {self.other}'s ({self.other_colour}) "
            f"with {who} (ΔE {self.delta:.0f})."
        )


def _series(items: tuple[str, ...]) -> str:
    return ", ".join(items[:-1]) + " or " + items[-1]


def confusions(
    colour: str, others: Iterable[tuple[str, str]], below: float = CONFUSABLE_BELOW
) -> list[Confusion]:
    """Which of ``others`` ((name, #rrggbb) pairs) ``colour`` is hard to tell apart from,
    and for whom; the closest first. A colour that cannot be read is no one's match."""
    found: list[Confusion] = []
    try:
        mine = {v: lab(colour, v) for v in VISIONS}
    except ValueError:
        return []
    for name, other in others:
        try:
            theirs = {v: lab(other, v) for v in VISIONS}
        except ValueError:
            continue
        deltas = {v: delta_e(mine[v], theirs[v]) for v in VISIONS}
        close = tuple(v for v in VISIONS if deltas[v] < below)
        if close:
            found.append(Confusion(name, other, close, min(deltas[v] for v in close)))
    found.sort(key=lambda c: c.delta)
    return found


#: Colours offered to a new tag: the Okabe–Ito palette, then Paul Tol's "muted" one
#: (both designed to stay apart for colour-blind readers).
NEW_TAG_COLOURS: Final = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
)


def safest(taken: Iterable[str], candidates: Iterable[str] = NEW_TAG_COLOURS) -> str:
    """The candidate that stays farthest from every ``taken`` colour for every vision
    (the largest smallest ΔE00); the first candidate when nothing is taken."""
    taken_labs = []
    for colour in taken:
        try:
            taken_labs.append({v: lab(colour, v) for v in VISIONS})
        except ValueError:
            continue
    best, best_gap = "", -1.0
    for candidate in candidates:
        mine = {v: lab(candidate, v) for v in VISIONS}
        gap = min(
            (delta_e(mine[v], other[v]) for other in taken_labs for v in VISIONS),
            default=math.inf,
        )
        if gap > best_gap:
            best, best_gap = candidate, gap
    return best


__all__ = [
    "CONFUSABLE_BELOW",
    "CVD_MATRICES",
    "NEW_TAG_COLOURS",
    "VISIONS",
    "Confusion",
    "confusions",
    "delta_e",
    "difference",
    "lab",
    "parse_hex",
    "safest",
]
