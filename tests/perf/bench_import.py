"""Import throughput in MB/s on ~20 MB of real-looking releases, against a plain-read baseline.

Run: ``PYTHONPATH=. python tests/perf/bench_import.py [--mb 20] [--repeat 3]``

The input is the seed (two double-spaced, PDF-extracted releases) copied until
it reaches the size asked for, each copy made unique (a number in both
headlines) so duplicate detection does not drop it. It is written twice: as
many files in a folder, and as one file holding every release. The baseline
is what any importer must pay at least: read the same bytes, decode them as
UTF-8 and split them into lines. Reported: the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from annotator.formats.tagset_xml import default_tagset
from annotator.model.project import Project
from annotator.releases import import_sources, read_releases

SEED = Path(__file__).resolve().parent.parent / "data" / "000_3a922b85f584e461.txt"


def make_input(root: Path, megabytes: float) -> tuple[list[Path], Path, int]:
    """(files in ``root/many``, the single big file, total bytes of the many files)."""
    seed = SEED.read_text(encoding="utf-8")
    many = root / "many"
    many.mkdir()
    copies: list[str] = []
    size = 0
    n = 0
    while size < megabytes * 1_000_000:
        n += 1
        text = seed.replace("crucial to long term", f"crucial to long term ({n})").replace(
            "restraint during", f"restraint ({n}) during"
        )
        copies.append(text)
        size += len(text.encode("utf-8"))
    files = []
    for i, text in enumerate(copies):
        path = many / f"release-{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    big = root / "all-releases.txt"
    big.write_text("".join(copies), encoding="utf-8")
    return files, big, size


def best_of(repeat: int, work: Callable[[], int]) -> tuple[float, int]:
    """(best seconds, result of the last run)."""
    best = float("inf")
    result = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="input size in MB (default 20)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best wins)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench_import_") as tmp:
        files, big, size = make_input(Path(tmp), args.mb)
        mb = size / 1_000_000

        def baseline_many() -> int:
            return sum(len(p.read_bytes().decode("utf-8").splitlines()) for p in files)

        def baseline_one() -> int:
            return len(big.read_bytes().decode("utf-8").splitlines())

        def releases_many(keep_layout: bool) -> Callable[[], int]:
            return lambda: sum(len(read_releases(p, keep_layout=keep_layout)) for p in files)

        def releases_one(keep_layout: bool) -> Callable[[], int]:
            return lambda: len(read_releases(big, keep_layout=keep_layout))

        def import_folder() -> int:
            project = Project(name="bench", tagset=default_tagset())
            report, _ = import_sources(project, [big.parent / "many"])
            return len(report.imported)

        rows = [
            ("baseline: read + decode + splitlines, many files", baseline_many),
            ("read_releases, many files (layout repair)", releases_many(False)),
            ("read_releases, many files (keep_layout)", releases_many(True)),
            ("import_sources, folder (ids, duplicate check)", import_folder),
            ("baseline: read + decode + splitlines, one file", baseline_one),
            ("read_releases, one file (layout repair)", releases_one(False)),
            ("read_releases, one file (keep_layout)", releases_one(True)),
        ]
        print(f"input: {mb:.1f} MB, {len(files)} files of {size / len(files) / 1000:.1f} kB; ")
        print(f"one file of {big.stat().st_size / 1_000_000:.1f} MB; best of {args.repeat}\n")
        print(f"{'measurement':52} {'seconds':>8} {'MB/s':>8} {'x baseline':>10} {'count':>8}")
        base = 0.0
        for label, work in rows:
            seconds, count = best_of(args.repeat, work)
            if label.startswith("baseline"):
                base = seconds
            ratio = seconds / base if base else 0.0
            print(f"{label:52} {seconds:8.3f} {mb / seconds:8.1f} {ratio:10.1f} {count:8d}")


if __name__ == "__main__":
    main()
