"""Lint time against parse-only time, peak memory, --jobs speed-up and start-up (DESIGN §7).

    python benchmarks/bench_lint.py --sizes 1000 10000 100000 --runs 3 --jobs-at 10000 --rss

For each size N it generates N contracts (benchmarks/gen_contracts.py, cached under
/tmp/k12check-bench-N; deterministic, so a cached folder is the same corpus), then:

ratio    In this process, ``--runs`` rounds; each round times parse-only and then lint,
         back to back, so that a machine busy with other work slows both alike; the
         table gives the best of the rounds for each and their ratio (and the range
         of the per-round ratios).
           parse  read every file and ``yaml.load`` it with PyYAML's C loader (the floor);
           lint   ``checker.lint`` over the folder: every built-in rule, schema
                  validation, line numbers; rules loaded once, outside the timing.
         At the ``--jobs-at`` sizes each round also times lint with ``jobs=2``.
rss      (``--rss``) Whole processes, one run each, from exec to exit: parse-only,
         ``api.lint`` alone (the Result kept, nothing printed), ``k12check lint DIR``
         (text to /dev/null) and ``k12check lint DIR -f json -o FILE``; wall, CPU and
         peak RSS (``wait4`` rusage, as ``/usr/bin/time -v`` reports it).
start-up ``k12check --version``, best of ``--version-runs``: as this environment runs
         it, and with a warm bytecode cache (``PYTHONPYCACHEPREFIX``, as a wheel
         install with compiled ``.pyc`` files has); and loading the built-in rules.

Everything is printed as Markdown tables (docs/performance.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker.catalog import load_rules  # noqa: E402
from checker.run import RunOptions, run  # noqa: E402

TODAY = dt.date(2026, 11, 28)
PYCACHE = Path(tempfile.gettempdir()) / "k12check-bench-pycache"


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
    opts = RunOptions(today=TODAY)
    opts.jobs = jobs
    gc.collect()
    start = time.perf_counter()
    result = run([folder], opts, rules=rules)
    seconds = time.perf_counter() - start
    count = len(result.findings)
    del result
    gc.collect()
    return seconds, count


def load() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def ratios(sizes: list[int], runs: int, jobs_at: set[int]) -> None:
    print("\n## Lint time against parse-only time (in one process, best of rounds)\n")
    print(
        "| files | parse s | lint s | × parse | per-round × parse | lint files/s | findings "
        "| lint --jobs 2 s | --jobs 2 speed-up | load avg before |"
    )
    print("|---:|---:|---:|---:|---|---:|---:|---:|---:|---|")
    for n in sizes:
        folder = ensure_corpus(n)
        before = load()
        parse_s: list[float] = []
        lint_s: list[float] = []
        jobs2_s: list[float] = []
        findings = 0
        for _ in range(runs):
            parse_s.append(parse_only(folder))
            seconds, findings = lint_time(folder, 1)
            lint_s.append(seconds)
            if n in jobs_at:
                jobs2_s.append(lint_time(folder, 2)[0])
            print(f"  round: parse {parse_s[-1]:.2f} s, lint {lint_s[-1]:.2f} s", file=sys.stderr, flush=True)
        per_round = sorted(lint / parse for lint, parse in zip(lint_s, parse_s, strict=True))
        jobs2 = f"{min(jobs2_s):.2f} | {min(lint_s) / min(jobs2_s):.2f}×" if jobs2_s else "– | –"
        print(
            f"| {n:,} | {min(parse_s):.2f} | {min(lint_s):.2f} | **{min(lint_s) / min(parse_s):.2f}** "
            f"| {per_round[0]:.2f}–{per_round[-1]:.2f} | {n / min(lint_s):,.0f} | {findings:,} "
            f"| {jobs2} | {before} |",
            flush=True,
        )


# A small process forks and execs the command and reports its rusage: a child started
# straight from this (big) process would count this process's pages in its peak RSS
# (subprocess uses vfork, and Linux carries the pre-exec high-water mark over exec).
RUSAGE_HELPER = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    fd = os.open(os.devnull, os.O_WRONLY)
    os.dup2(fd, 1)
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, ru = os.wait4(pid, 0)
print(time.perf_counter() - start, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def run_measured(argv: list[str], *, cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (KiB) of one child process (stdout discarded)."""
    out = subprocess.run(
        [sys.executable, "-c", RUSAGE_HELPER, *argv], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.split()
    wall, cpu, rss, code = float(out[0]), float(out[1]), int(out[2]), int(out[3])
    if code not in (0, 1):  # k12check exits 1 when it reports findings
        raise SystemExit(f"{argv} exited {code}")
    return wall, cpu, rss


PARSE_SCRIPT = """
import pathlib, sys, yaml
for p in sorted(pathlib.Path(sys.argv[1]).glob("*.yaml")):
    yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader)
"""

API_SCRIPT = """
import datetime as dt, sys
from checker.run import RunOptions, run
result = run([sys.argv[1]], RunOptions(today=dt.date(2026, 11, 28)))
"""


def memory(sizes: list[int], k12check: str) -> None:
    print("\n## Whole processes: wall, CPU and peak RSS (one run each)\n")
    print("| files | process | wall s | CPU s | × parse-only process | peak RSS MB |")
    print("|---:|---|---:|---:|---:|---:|")
    out = Path(tempfile.mkdtemp(prefix="k12check-bench-out-"))
    for n in sizes:
        folder = ensure_corpus(n)
        cli = [k12check, "lint", str(folder), "--today", TODAY.isoformat()]
        commands = [
            ("parse only (CSafeLoader)", [sys.executable, "-c", PARSE_SCRIPT, str(folder)]),
            ("api.lint, Result kept, no output", [sys.executable, "-c", API_SCRIPT, str(folder)]),
            ("k12check lint DIR (text > /dev/null)", cli),
            ("k12check lint DIR -f json -o FILE", [*cli, "-f", "json", "-o", str(out / f"lint-{n}.json")]),
        ]
        floor = 0.0
        for name, argv in commands:
            wall, cpu, rss = run_measured(argv, cwd=out)
            floor = floor or wall
            print(
                f"| {n:,} | {name} | {wall:.2f} | {cpu:.2f} | {wall / floor:.2f} | {rss / 1024:.0f} |",
                flush=True,
            )
    shutil.rmtree(out, ignore_errors=True)


def best_wall(argv: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, env=env, cwd=tempfile.gettempdir())
        times.append(time.perf_counter() - start)
    return min(times)


def startup(k12check: str, runs: int) -> None:
    print("\n## Start-up\n")
    print("| what | best of | seconds |")
    print("|---|---:|---:|")
    as_is = dict(os.environ)
    warm = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    warm["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    subprocess.run([k12check, "--version"], check=True, capture_output=True, env=warm)  # writes the cache
    dont_write = (
        "PYTHONDONTWRITEBYTECODE=1 (set here)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "default"
    )
    rows: list[tuple[str, Callable[[], float]]] = [
        (
            f"`k12check --version`, this environment ({dont_write})",
            lambda: best_wall([k12check, "--version"], runs, as_is),
        ),
        ("`k12check --version`, warm bytecode cache", lambda: best_wall([k12check, "--version"], runs, warm)),
        (
            "`python -c pass` (interpreter floor), warm",
            lambda: best_wall([sys.executable, "-c", "pass"], runs, warm),
        ),
    ]
    for name, fn in rows:
        print(f"| {name} | {runs} | {fn():.3f} |", flush=True)
    code = "import time; s=time.perf_counter(); from checker.catalog import load_rules; r=load_rules(); print(len(r.rules), time.perf_counter()-s)"
    best = min(
        float(
            subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=warm, cwd=ROOT
            ).stdout.split()[1]
        )
        for _ in range(runs)
    )
    print(
        f"| import the catalog and load + compile the {len(load_rules().rules)} built-in rules, fresh process | {runs} | {best:.3f} |"
    )


def machine() -> None:
    print("## Machine\n")
    print(
        f"- {dt.datetime.now().isoformat(timespec='minutes')}, {platform.platform()}, {os.cpu_count()} CPUs "
        f"({platform.processor() or platform.machine()})"
    )
    print(
        f"- Python {platform.python_version()}, PyYAML {yaml.__version__} (libyaml: {yaml.__with_libyaml__})"
    )
    print(
        f"- load average at start: {load()}; this process's max RSS so far: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--jobs-at", type=int, nargs="*", default=[10000], help="sizes that also time --jobs 2"
    )
    parser.add_argument("--rss", action="store_true", help="also time whole processes and their peak RSS")
    parser.add_argument("--version-runs", type=int, default=10)
    parser.add_argument("--no-ratio", action="store_true", help="skip the in-process ratio rounds")
    args = parser.parse_args()
    k12check = shutil.which("k12check") or ""
    machine()
    if k12check:
        startup(k12check, args.version_runs)
    else:
        print("\n(k12check is not on PATH: start-up and the CLI rows are skipped; pip install -e .)")
    if not args.no_ratio:
        ratios(args.sizes, args.runs, set(args.jobs_at))
    if args.rss and k12check:
        memory(args.sizes, k12check)
    print(f"\nload average at the end: {load()}")


if __name__ == "__main__":
    main()
