#!/usr/bin/env python3
"""The peer table of docs/performance.md from the peer bench's raw runs.

    python3 benchmarks/peers/peer_table.py /tmp/peers/out/timings.json [--n 10000]

``bench.py`` (in the copy made by prepare_bench.py) interleaves the peers' runs and keeps
every run in ``out/timings.json``; its own table gives medians.  On a shared 2-core
machine the fastest run of each peer is the one least disturbed by other work, so this
table uses the best wall time of each peer: files/s = N / best wall, "× parse" = best
wall / best wall of parse-only under the same interpreter (``parse-csafe-sys`` for
k12check, ``parse-csafe`` for the peers in the bench's own venv), and the median peak RSS.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

ORDER = [
    ("parse-csafe", "parse only, CSafeLoader (bench venv)", "parse-csafe"),
    ("parse-csafe-sys", "parse only, CSafeLoader (k12check's interpreter)", "parse-csafe-sys"),
    ("k12check", "k12check, the 20 rules in its rule language", "parse-csafe-sys"),
    ("naive-python", "Python floor: the 20 rules as dict code", "parse-csafe"),
    ("opa-go", "OPA, Go engine in-process", "parse-csafe"),
    ("regopy", "OPA, rego-cpp (regopy), compiled bundle", "parse-csafe"),
    ("regopy-query", "rego-cpp, a query per file", "parse-csafe"),
    ("spectral", "Spectral CLI", "parse-csafe"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("timings", type=Path)
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    raw = json.loads(args.timings.read_text())
    runs = raw["runs"]
    print(f"<!-- {raw['meta']} -->")
    for n in args.n:
        print(f"\n**{n:,} files** (runs per peer: {len(runs.get(f'parse-csafe@{n}', []))})\n")
        print("| peer | best wall s | median wall s | files/s | × parse | × Spectral speed | peak RSS MB |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        spectral = min((r["wall_s"] for r in runs.get(f"spectral@{n}", [])), default=None)
        for key, label, floor_key in ORDER:
            rs = runs.get(f"{key}@{n}")
            if not rs:
                continue
            best = min(r["wall_s"] for r in rs)
            median = statistics.median(r["wall_s"] for r in rs)
            floor = min(r["wall_s"] for r in runs[f"{floor_key}@{n}"])
            faster = f"{spectral / best:.1f}×" if spectral else "–"
            rss = statistics.median(r["maxrss_mb"] for r in rs)
            print(
                f"| {label} | {best:.2f} | {median:.2f} | {n / best:,.0f} | {best / floor:.2f} "
                f"| {faster} | {rss:,.0f} |"
            )


if __name__ == "__main__":
    main()
