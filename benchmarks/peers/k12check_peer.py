#!/usr/bin/env python3
"""k12check as a peer in ../shared/bench: the 20 rules of RULES.md in our rule language.

    python benchmarks/peers/k12check_peer.py DATA_DIR OUT.tsv

Lints ``DATA_DIR/contract-*.yaml`` with ``benchmarks/peers/rules`` only (no built-in
rules, no model validation: documents of any shape) through ``checker.lint`` and
writes sorted, de-duplicated ``file<TAB>peer-rule-id`` lines.  Rule ids map
``PEER-NO-SALE-OF-STUDENT-DATA`` -> ``no-sale-of-student-data`` (our ids are
upper-case).  Exit status 2 if any file or rule could not be read.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from peer_facts import register  # noqa: E402

from checker.run import RunOptions, run  # noqa: E402

RULES = HERE / "rules"


def peer_id(rule_id: str) -> str:
    """``PEER-UPTIME-AT-LEAST-99-5`` -> ``uptime-at-least-99-5``."""
    return rule_id.removeprefix("PEER-").lower()


def contract_files(folder: str) -> list[str]:
    """The generated contracts, like the other peers (``_manifest.json`` and the rest left out)."""
    return sorted(
        e.path for e in os.scandir(folder) if e.name.startswith("contract-") and e.name.endswith(".yaml")
    )


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    data_dir, out = argv[1], argv[2]
    register()
    opts = RunOptions(today=dt.date(2026, 11, 28), rule_dirs=(RULES,), builtin_rules=False, schema=False)
    result = run(contract_files(data_dir), opts)
    for error in result.errors:
        print(f"error: {error.file}:{error.line or ''}: {error.message}", file=sys.stderr)
    rows = sorted({(os.path.basename(f.file), peer_id(f.rule)) for f in result.findings})
    with open(out, "w") if out != "-" else sys.stdout as fh:
        fh.writelines(f"{name}\t{rule}\n" for name, rule in rows)
    print(f"k12check violations={len(rows)}", file=sys.stderr)
    return 2 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
