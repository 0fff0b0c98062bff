"""Import throughput (MB/s) per kind of source, against reading and decoding the same bytes.

Run: ``PYTHONPATH=. python tests/perf/bench_import_throughput.py [--mb 2] [--repeat 3]``

For each kind a folder of distinct releases is written (each copy numbered
in its headline and body so duplicate detection keeps it):

* ``txt``: the seed (two double-spaced, PDF-extracted releases);
* ``html (article)``: the saved campaign-website page of ``tests/data/web``
  (navigation, cookie banner, related news, footer: goes through trafilatura);
* ``html (old page)``: the 1990s release page (tables, unclosed ``<font>``:
  comes in whole);
* ``pdf``: one-page PDFs of the seed's first lines.

The baseline is what any importer pays at least for the same files, measured
in the same run: read the bytes and decode them (UTF-8 for text and HTML,
Latin-1 for PDF). ``import_sources`` is the whole import (read, decode,
extract, repair, metadata, ids, duplicate check). Reported: the best of
``--repeat`` runs, MB/s of source bytes, and the ratio import / baseline.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from annotator.formats.tagset_xml import default_tagset
from annotator.model.project import Project
from annotator.releases import import_sources

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))
from import_fixtures import pdf_bytes  # noqa: E402  (the test suite's PDF builder)

SEED = TESTS / "data" / "000_3a922b85f584e461.txt"
ARTICLE = TESTS / "data" / "web" / "campaign-article.html"
OLD_PAGE = TESTS / "data" / "web" / "old-press-release.html"


def numbered(text: str, n: int, first: str, then: str) -> str:
    """``text`` made unique: copy ``n`` written after every ``first`` and the first ``then``."""
    return text.replace(first, f"{first} ({n})").replace(then, f"{then} ({n})", 1)


def write_kind(folder: Path, kind: str, megabytes: float) -> int:
    """Fill ``folder`` with about ``megabytes`` of distinct sources of ``kind``; total bytes."""
    folder.mkdir()
    size = n = 0
    while size < megabytes * 1_000_000:
        n += 1
        if kind == "txt":
            text = numbered(SEED.read_text("utf-8"), n, "crucial to long term", "restraint")
            data, name = text.encode("utf-8"), f"release-{n:05d}.txt"
        elif kind == "html (article)":
            text = numbered(ARTICLE.read_text("utf-8"), n, "lawyers now", "Cairo last week solely")
            data, name = text.encode("utf-8"), f"page-{n:05d}.html"
        elif kind == "html (old page)":
            text = numbered(OLD_PAGE.read_text("cp1252"), n, "DETAINEES", "since 1994")
            data, name = text.encode("cp1252"), f"pr-{n:05d}.html"
        else:
            lines = SEED.read_text("utf-8").split("\n")[:45]
            data = pdf_bytes(
                [f"Release {n}", *(ln.encode("ascii", "replace").decode() for ln in lines)]
            )
            name = f"release-{n:05d}.pdf"
        (folder / name).write_bytes(data)
        size += len(data)
    return size


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
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--mb", type=float, default=2.0, help="input per kind in MB (default 2)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best wins)")
    args = parser.parse_args()

    kinds = ["txt", "html (article)", "html (old page)", "pdf"]
    print(f"about {args.mb} MB per kind; best of {args.repeat}\n")
    print(
        f"{'kind':16} {'files':>6} {'MB':>6} {'baseline MB/s':>14} {'import MB/s':>12} "
        f"{'x baseline':>11} {'imported':>9}"
    )
    with tempfile.TemporaryDirectory(prefix="bench_throughput_") as tmp:
        for index, kind in enumerate(kinds):
            folder = Path(tmp) / f"kind-{index}"
            size = write_kind(folder, kind, args.mb)
            files = sorted(folder.iterdir())
            codec = "latin-1" if kind == "pdf" else "utf-8"

            def baseline(files: list[Path] = files, codec: str = codec) -> int:
                return sum(len(p.read_bytes().decode(codec, errors="replace")) for p in files)

            def imported(folder: Path = folder) -> int:
                project = Project(name="bench", tagset=default_tagset())
                report, _ = import_sources(project, [folder])
                assert not report.skipped and not report.losses, report.skipped
                return len(report.imported)

            base, _ = best_of(args.repeat, baseline)
            took, count = best_of(args.repeat, imported)
            mb = size / 1_000_000
            print(
                f"{kind:16} {len(files):6d} {mb:6.2f} {mb / base:14.1f} {mb / took:12.2f} "
                f"{took / base:11.0f} {count:9d}"
            )


if __name__ == "__main__":
    main()
