"""The 20 peer-benchmark rules (benchmarks/peers/rules) in our rule language: they load,
their examples behave, documents of any shape are linted with custom rules only, and
on the shared bench workload they report exactly the generator's ground truth."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, shared_path

from checker.catalog import load_rules
from checker.ruletest import run_all
from checker.run import RunOptions
from checker.run import run as lint

PEERS = ROOT / "benchmarks" / "peers"
sys.path.insert(0, str(PEERS))

from peer_facts import register  # noqa: E402

register()
RULESET = load_rules([PEERS / "rules"], builtin=False)


def test_the_twenty_rules_load() -> None:
    assert RULESET.errors == []
    assert len(RULESET.rules) == 20
    assert all(r.meta.target == "any" and r.id.startswith("PEER-") for r in RULESET.rules)


def test_every_example_behaves() -> None:
    bad = [o.name + ": " + o.detail for o in run_all(RULESET) if not o.ok]
    assert bad == []


def test_any_shape_needs_custom_rules_only(tmp_path: Path) -> None:
    doc = tmp_path / "vendor.yaml"
    doc.write_text("security:\n  mfa_for_admins: false\n")
    custom = lint([doc], RunOptions(builtin_rules=False, schema=False), rules=RULESET)
    assert custom.errors == []
    assert [(f.rule, f.line) for f in custom.findings if f.rule == "PEER-ADMIN-MFA"] == [
        ("PEER-ADMIN-MFA", 2)
    ]
    # with the contract model, the same file is an error: it has no kind
    builtin = lint([doc], RunOptions(), rules=RULESET)
    assert [e.message for e in builtin.errors] == [
        "no kind: field; add kind: contract or kind: district at the top"
    ]


def test_agrees_with_the_ground_truth_of_the_shared_bench(tmp_path: Path) -> None:
    gen = shared_path("bench", "gen_contracts.py")
    data = tmp_path / "data"
    subprocess.run(
        [sys.executable, str(gen), "120", str(data), "--no-selfcheck"], check=True, capture_output=True
    )
    out = tmp_path / "k12check.tsv"
    proc = subprocess.run(
        [sys.executable, str(PEERS / "k12check_peer.py"), str(data), str(out)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    expected = (data / "_expected.tsv").read_text().split("\n")
    assert sorted(filter(None, expected)) == out.read_text().splitlines()
    assert len(out.read_text().splitlines()) > 40  # the workload really has violations


def test_the_tco_fact_matches_the_bench_formula() -> None:
    from peer_facts import tco_5y

    cost = {"initial_usd": 100_000, "annual_usd": 80_000, "annual_escalator_pct": 3.0}
    f = 1.03
    assert tco_5y({"cost": cost}, None) == pytest.approx(100_000 + 80_000 * (1 + f + f**2 + f**3 + f**4))
    assert tco_5y({"cost": {**cost, "annual_usd": "lots"}}, None) is None
