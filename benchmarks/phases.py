"""Where lint time goes, phase by phase (docs/performance.md), in one process.

    python benchmarks/phases.py [--n 1000] [--runs 3] [--profile]

Generates (or reuses) N contracts like bench_lint.py, then times each phase on its
own, best of --runs, and prints a Markdown table: parse-only (PyYAML C loader, the
floor), load (k12check's line-aware loader: events, values, source map, Document),
validate (the contract model's schema), evaluate (every built-in rule, without and
with validation), the whole ``api.lint``, and formatting the result (JSON, text).
``--profile`` adds cProfile's top functions (by own time and by cumulative time) for
one ``api.lint`` run.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_lint import ensure_corpus  # noqa: E402

from checker import __version__  # noqa: E402
from checker.catalog import load_rules  # noqa: E402
from checker.document import Document  # noqa: E402
from checker.documents import Input, load_document  # noqa: E402
from checker.engine import evaluate  # noqa: E402
from checker.formats import render  # noqa: E402
from checker.models import Result  # noqa: E402
from checker.run import RunOptions, run  # noqa: E402
from checker.validate import validate  # noqa: E402

TODAY = dt.date(2026, 11, 28)


def best(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    folder = ensure_corpus(args.n)
    files = sorted(folder.glob("*.yaml"))
    rules = load_rules()
    items = [Input(f, f.name, True) for f in files]
    opts = RunOptions(today=TODAY)
    docs: list[Document] = []  # filled after the streaming phases: a big live heap slows the GC
    result = Result()

    def run_lint() -> None:
        nonlocal result
        result = run([folder], opts, rules=rules)

    def keep_documents() -> None:
        docs[:] = [load_document(i) for i in items]

    phases: list[tuple[str, Callable[[], object]]] = [
        (
            "parse only (yaml.load, CSafeLoader)",
            lambda: [yaml.load(f.read_bytes(), yaml.CSafeLoader) for f in files],
        ),
        ("load (line-aware loader + Document)", lambda: [load_document(i) for i in items]),
        ("api.lint (everything)", run_lint),
        ("(load and keep every document for the next rows)", keep_documents),
        ("validate (contract schema)", lambda: [validate(d.kind, d.data) for d in docs]),
        (
            f"evaluate ({len(rules.rules)} rules, no schema)",
            lambda: [evaluate(rules.rules, d, TODAY, schema=False) for d in docs],
        ),
        ("evaluate + validate", lambda: [evaluate(rules.rules, d, TODAY) for d in docs]),
        ("format json", lambda: render("json", result, rules.metas(), tool_version=__version__)),
        ("format text", lambda: render("text", result, rules.metas(), tool_version=__version__, color=False)),
    ]
    print(f"{len(files)} files, {len(rules.rules)} rules\n")
    print("| phase | s | µs per file | × parse |")
    print("|---|---:|---:|---:|")
    floor = 0.0
    for name, fn in phases:
        seconds = best(fn, 1 if fn is keep_documents else args.runs)
        floor = floor or seconds
        print(f"| {name} | {seconds:.3f} | {seconds * 1e6 / len(files):,.0f} | {seconds / floor:.2f} |")
    print(f"\n{len(result.findings)} findings")
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        run([folder], opts, rules=rules)
        prof.disable()
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats(order).print_stats(15)
            print(f"\n### cProfile, one api.lint run, top 15 by {order}\n" + out.getvalue())


if __name__ == "__main__":
    main()
