"""Lint throughput as a ratio of parse-only time (DESIGN §7), in one run.

    python benchmarks/bench_lint.py --sizes 1000 10000 [--runs 3] [--jobs 1]

For each size N it generates N contracts (benchmarks/gen_contracts.py, cached under
/tmp), then times, best of --runs, warm page cache, in this process:
  parse  read every file and yaml.load it with PyYAML's C loader (the floor);
  lint   checker.api.lint over the folder with every built-in rule, schema
         validation and line numbers (rules loaded once, outside the timing).
It also reports rule loading and `k12check --version` start-up time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker.api import LintOptions, lint  # noqa: E402
from checker.catalog import load_rules  # noqa: E402


def ensure_corpus(n: int) -> Path:
    out = Path(f"/tmp/k12check-bench-{n}")
    if not (out / f"contract-{n - 1:06d}.yaml").exists():
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "gen_contracts.py"), str(n), str(out)], check=True
        )
    return out


def parse_only(folder: Path) -> float:
    start = time.perf_counter()
    for path in sorted(folder.glob("*.yaml")):
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def lint_time(folder: Path, jobs: int) -> tuple[float, int]:
    rules = load_rules()
    opts = LintOptions(today=dt.date(2026, 11, 28))
    opts.jobs = jobs
    start = time.perf_counter()
    result = lint([folder], opts, rules=rules)
    return time.perf_counter() - start, len(result.findings)


def best(fn, runs: int):  # type: ignore[no-untyped-def]
    results = [fn() for _ in range(runs)]
    return min(results, key=lambda r: r if isinstance(r, float) else r[0])


def startup() -> tuple[float, float]:
    start = time.perf_counter()
    load_rules()
    rules_s = time.perf_counter() - start
    times = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "checker", "--version"], check=True, capture_output=True, cwd=ROOT
        )
        times.append(time.perf_counter() - start)
    return rules_s, min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    rules_s, version_s = startup()
    print(f"rules loaded: {len(load_rules().rules)} in {rules_s * 1000:.0f} ms (first load, this process)")
    print(f"`python -m checker --version`: {version_s * 1000:.0f} ms (best of 5)")
    print(f"{'files':>8} {'parse s':>9} {'lint s':>9} {'ratio':>7} {'files/s':>9} {'findings':>9}")
    for n in args.sizes:
        folder = ensure_corpus(n)
        parse_s = best(lambda f=folder: parse_only(f), args.runs)
        lint_s, findings = best(lambda f=folder: lint_time(f, args.jobs), args.runs)
        print(
            f"{n:>8} {parse_s:>9.2f} {lint_s:>9.2f} {lint_s / parse_s:>7.2f} {n / lint_s:>9.0f} {findings:>9}"
        )


if __name__ == "__main__":
    main()
