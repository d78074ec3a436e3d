#!/usr/bin/env python3
"""Copy the shared peer benchmark and add k12check to the copy (the shared folder is read-only).

    python3 benchmarks/peers/prepare_bench.py [DEST]        # default /tmp/peers

Copies ``../shared/bench`` to DEST, makes it writable, and adds two peers to
``bench.py`` (``k12check``: ``benchmarks/peers/k12check_peer.py``; ``parse-csafe-sys``:
parse-only under the interpreter that runs k12check, for a like-for-like ratio) and
k12check to the agreement block of ``run_peers.sh``.  Then, in DEST:

    ./run_peers.sh                                    # setup, generate, agree, time
    SIZES="1 1000" RUNS=3 ./run_peers.sh              # quicker

``K12CHECK_ROOT`` (default: this checkout) and ``K12CHECK_PYTHON`` (default: this
interpreter) choose what is timed.  Nothing here is committed: data, outputs and
installs stay in DEST.
"""

from __future__ import annotations

import shutil
import stat
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "bench"

BENCH_ANCHOR = "    # extra, not in the default set (finds nothing, so no agreement check):"
BENCH_PEERS = """    "k12check": ("k12check, checker.lint, the 20 rules in its rule language, no schema",
                 [SYSPY, K12 + "/benchmarks/peers/k12check_peer.py", "{data}", "{out}/k12check-{n}.tsv"],
                 {0}),
    "parse-csafe-sys": ("parse only, yaml.CSafeLoader, under k12check's interpreter",
                        [SYSPY, "peers/parse_only.py", "{data}", "--loader", "c"], {0}),
"""
SPECTRAL_LINE = 'SPECTRAL = os.path.join(HERE, "node_modules", ".bin", "spectral")\n'
RUN_ANCHOR = '  if "$PY" check_agreement.py "$d/_expected.tsv" \\\n'
RUN_LINES = (
    '  "$K12PY" "$K12ROOT/benchmarks/peers/k12check_peer.py" "$d" "out/k12check-$n.tsv" || status=1\n'
    '  if "$PY" check_agreement.py "$d/_expected.tsv" k12check="out/k12check-$n.tsv" \\\n'
)


def patch(text: str, anchor: str, new: str, file: str) -> str:
    if text.count(anchor) != 1:
        raise SystemExit(f"{file}: the line to extend was not found once; has the shared bench changed?")
    return text.replace(anchor, new)


def main(argv: list[str]) -> int:
    dest = Path(argv[1] if len(argv) > 1 else "/tmp/peers")
    if not SHARED.is_dir():
        raise SystemExit(f"{SHARED} is absent")
    if dest.exists():
        raise SystemExit(f"{dest} exists; remove it or name another folder")
    shutil.copytree(SHARED, dest)
    for path in [dest, *dest.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    bench = dest / "bench.py"
    text = patch(bench.read_text(), BENCH_ANCHOR, BENCH_PEERS + BENCH_ANCHOR, "bench.py")
    defaults = f'K12 = os.environ.get("K12CHECK_ROOT", {str(ROOT)!r})\n'
    defaults += f'SYSPY = os.environ.get("K12CHECK_PYTHON", {sys.executable!r})\n'
    bench.write_text(patch(text, SPECTRAL_LINE, SPECTRAL_LINE + defaults, "bench.py"))
    run = dest / "run_peers.sh"
    text = patch(run.read_text(), RUN_ANCHOR, RUN_LINES, "run_peers.sh")
    env = f"K12ROOT=${{K12CHECK_ROOT:-{ROOT}}}\nK12PY=${{K12CHECK_PYTHON:-{sys.executable}}}\n"
    run.write_text(
        patch(
            text,
            "SPECTRAL=node_modules/.bin/spectral\n",
            "SPECTRAL=node_modules/.bin/spectral\n" + env,
            "run_peers.sh",
        )
    )
    print(f"{dest}: k12check added; now: cd {dest} && ./run_peers.sh")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
