"""Project-file load and save against bare lxml on the same file.

    PYTHONPATH=. python tests/perf/bench_project_io.py [--file /tmp/big.xml]
        [--docs 10000] [--annotations 200000] [--repeat 3]

Builds the synthetic project (tests/perf/synth.py) unless ``--file`` exists,
then reports, best of ``--repeat`` runs (the machine is shared, so the best run
is the one least disturbed by others):

* load: ``load_project`` vs a bare ``lxml.etree.parse`` of the same file
  (target <= 2.5x), with the split into safe parse, XSD validation and
  building the model;
* save: ``save_project`` (with and without the re-parse + XSD check of the
  new bytes) vs a bare ``etree.tostring`` + write of the parsed tree
  (target <= 2.5x);
* peak memory of a fresh process that loads (ru_maxrss) and the
  Python-heap peak of building the model (tracemalloc), and the file size.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))

from annotator.formats import project_xml
from annotator.formats.project_reader import ProjectReader
from annotator.formats.project_writer import paused_gc
from annotator.formats.safe_xml import parse_bytes


def interleaved(repeat: int, steps: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Best wall time of each step over ``repeat`` rounds, each round running every step.

    Interleaving keeps a burst of load from other processes (the machine is
    shared) from landing on one step only and skewing its ratio.
    """
    best = dict.fromkeys(steps, float("inf"))
    for _ in range(repeat):
        for name, fn in steps.items():
            gc.collect()
            t0 = time.perf_counter()
            result = fn()
            best[name] = min(best[name], time.perf_counter() - t0)
            del result  # freeing a loaded project is not part of loading it
    return best


def ensure_file(path: Path, docs: int, annotations: int) -> None:
    if path.exists():
        return
    from synth import make_project

    print(f"building {docs} documents / {annotations} annotations -> {path}", file=sys.stderr)
    project = make_project(docs, annotations, ("alice",))
    project_xml.save_project(project, path, backup=False)


def peak_rss_mb(path: Path) -> float:
    """Peak resident memory (VmHWM) of a fresh interpreter that loads the project (MB).

    Not ru_maxrss: Linux carries that over from the forking parent, which here
    already holds two copies of the big project.
    """
    code = (
        "from annotator.formats.project_xml import load_project\n"
        f"load_project({str(path)!r})\n"
        "hwm = [ln for ln in open('/proc/self/status') if ln.startswith('VmHWM')]\n"
        "print(0, int(hwm[0].split()[1]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    ).stdout.split()
    return int(out[1]) / 1024


def tracemalloc_peak_mb(data: bytes) -> float:
    """Peak Python-heap allocation while building the model (lxml's C heap not included)."""
    import tracemalloc

    tree = parse_bytes(data)
    tracemalloc.start()
    ProjectReader(escaped=False).read(tree.getroot())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--file", type=Path, default=Path(tempfile.gettempdir()) / "big.xml")
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--annotations", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    path: Path = args.file
    ensure_file(path, args.docs, args.annotations)
    data = path.read_bytes()
    r = args.repeat

    tree = parse_bytes(data)
    escaped = b"\\u{" in data

    def build_model() -> None:
        with paused_gc():
            ProjectReader(escaped=escaped).read(tree.getroot())

    project, _ = project_xml.load_project(path)
    bare_tree = etree.parse(str(path))
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        out = Path(tmp) / "out.xml"
        t = interleaved(
            r,
            {
                "bare_parse": lambda: etree.parse(str(path)),
                "load": lambda: project_xml.load_project(path),
                "safe_parse": lambda: parse_bytes(data),
                "xsd": lambda: project_xml.schema().validate(tree),
                "build": build_model,
                "bare_save": lambda: out.write_bytes(etree.tostring(bare_tree)),
                "save": lambda: project_xml.save_project(project, out, backup=False),
                "save_nv": lambda: project_xml.save_project(
                    project, out, backup=False, verify=False
                ),
                "serialise": lambda: project_xml.project_to_bytes(project),
                "verify": lambda: project_xml.verify_bytes(data),
            },
        )
        same = out.read_bytes() == data
    bare_parse, load, safe_parse, xsd, build = (
        t[k] for k in ("bare_parse", "load", "safe_parse", "xsd", "build")
    )
    bare_save, save, save_nv, serialise, verify = (
        t[k] for k in ("bare_save", "save", "save_nv", "serialise", "verify")
    )

    n_ann = sum(layer.annotation_count() for layer in project.layers.values())
    rss = peak_rss_mb(path)
    heap = tracemalloc_peak_mb(data)

    print(
        f"\nproject file {path}: {len(data) / 1e6:.1f} MB, {len(project.documents)} documents, "
        f"{n_ann} annotations; best of {r} interleaved runs; "
        f"load->save gives identical bytes: {same}\n"
    )
    rows = [
        ("bare etree.parse", bare_parse, ""),
        ("load_project", load, f"{load / bare_parse:.2f}x parse (target <= 2.5x)"),
        ("  safe parse", safe_parse, f"{safe_parse / bare_parse:.2f}x"),
        ("  XSD validation", xsd, f"{xsd / bare_parse:.2f}x"),
        ("  build + check model", build, f"{build / bare_parse:.2f}x"),
        ("bare tostring + write", bare_save, ""),
        ("save_project (verify)", save, f"{save / bare_save:.2f}x bare (target <= 2.5x)"),
        ("save_project (no verify)", save_nv, f"{save_nv / bare_save:.2f}x bare"),
        ("  serialise", serialise, f"{serialise / bare_save:.2f}x"),
        ("  re-parse + XSD check", verify, f"{verify / bare_save:.2f}x"),
    ]
    print(f"{'step':28s} {'seconds':>8s}  ratio")
    print("-" * 72)
    for name, secs, ratio in rows:
        print(f"{name:28s} {secs:8.2f}  {ratio}")
    print("-" * 72)
    print(f"{'peak RSS of a loading process':34s} {rss:8.0f} MB")
    print(f"{'Python heap peak building model':34s} {heap:8.0f} MB (tracemalloc)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
