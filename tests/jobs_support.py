"""A folder of press releases for the long-job tests, and a sink that cancels part-way.

The releases are the real ones in ``tests/data/releases`` (an urgent action, a wire
story, captions, a bylined report): each file is one of them with its own dateline
added, as a campaign's archive holds many releases of one shape that differ in
place, date and names.
"""

from __future__ import annotations

from pathlib import Path

from annotator.progress import CancelToken, Progress, Step

REPO = Path(__file__).resolve().parent.parent
RELEASES = sorted((REPO / "tests" / "data" / "releases").glob("*.txt"))
PLACES = ("Phnom Penh", "Seoul", "N'Djamena", "Nairobi", "Cairo", "Dhaka", "Lima", "Minsk")


def release_folder(folder: Path, n: int) -> Path:
    """``n`` release files under ``folder`` (two levels, as an archive is kept by year)."""
    texts = [p.read_text(encoding="utf-8") for p in RELEASES]
    for i in range(n):
        year = folder / f"{2019 + i % 3}"
        year.mkdir(parents=True, exist_ok=True)
        place = PLACES[i % len(PLACES)]
        dateline = f"({place}, {1 + i % 28} March {2019 + i % 3}) –"
        body = texts[i % len(texts)]
        (year / f"release-{i:04d}.txt").write_text(f"{dateline}\n\n{body}", encoding="utf-8")
    return folder


class CancelAt:
    """A progress sink that presses Cancel once ``at`` steps of phase ``label`` are done."""

    def __init__(self, at: int, label: str | None = None) -> None:
        self.at = at
        self.label = label
        self.token = CancelToken()
        self.steps: list[Step] = []
        # every step is looked at and reported, so the cancel lands where it is pressed
        self.progress = Progress(self, self.token, interval=0, tick=0)

    def __call__(self, step: Step) -> None:
        self.steps.append(step)
        if step.done >= self.at and (self.label is None or step.label == self.label):
            self.token.cancel()


class Recorder:
    """A progress sink that keeps every step it hears of."""

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.progress = Progress(self.steps.append, interval=0, tick=0)

    def last(self, label: str) -> Step:
        return [s for s in self.steps if s.label == label][-1]
