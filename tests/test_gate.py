"""The pre-signing gate as a CI job runs it: config + waivers + three contracts in a git repo."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker.gate import BLOCK, CONDITIONAL, PASS, decide
from checker.models import DocumentStats, ErrorRecord, Finding, Result, Severity

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
SHARED = ROOT.parent / "shared"

CONFIG = """\
district: {name: Example USD, state: OH}
fail_on: high
hard_fail: [GOLD-HARD]
soft_fail: [GOLD-BREACH]
waivers: waivers.yaml
"""
WAIVERS = """\
waivers:
  - rule: GOLD-SLA
    file: "contracts/waived-*.yaml"
    reason: Vendor adds P2 resolve targets in the signed copy; ticket IT-77
    approved_by: J. Rivera, CTO
    expires: 2027-03-31
"""
HARD_RULE = """\
id: GOLD-HARD
title: Vendor is named
area: control
target: contract
severity: low
description: A contract must name its vendor (hard-fail in this repo's config).
check: {path: vendor.name, exists: true}
message: "The vendor is not named."
remediation: Name the vendor.
references: [{cite: "practice", jurisdiction: market}]
examples: {pass: [{vendor: {name: A}}], fail: [{vendor: {id: a}}]}
"""


def _contract(name: str, hours: int, sla_ok: bool, vendor: bool = True) -> str:
    p2 = (
        "{name: P2, response_minutes: 60, resolve_hours: 8}" if sla_ok else "{name: P2, response_minutes: 60}"
    )
    vendor_line = "vendor: {id: v, name: V}" if vendor else "vendor: {id: v}"
    return (f"kind: contract\nschema_version: 1\n{vendor_line}\ncontract: {{id: {name}}}\n"
            f"breach: {{notify_district_within_hours: {hours}}}\nsla:\n  severities:\n    - {p2}\n")  # fmt: skip


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "contracts").mkdir()
    (tmp_path / "k12check.yaml").write_text(CONFIG)
    (tmp_path / "waivers.yaml").write_text(WAIVERS)
    shutil.copytree(GOLDEN / "rules", tmp_path / "rules")
    (tmp_path / "rules" / "custom" / "GOLD-HARD.yaml").write_text(HARD_RULE)
    (tmp_path / "contracts" / "good-2026.yaml").write_text(_contract("good", 48, True))
    (tmp_path / "contracts" / "waived-2026.yaml").write_text(_contract("waived", 48, False))
    (tmp_path / "contracts" / "slow-breach-2026.yaml").write_text(_contract("slow", 240, True))
    (tmp_path / "contracts" / "unnamed-2026.yaml").write_text(_contract("unnamed", 48, True, vendor=False))
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    return tmp_path


def gate(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    cmd = [
        sys.executable,
        "-m",
        "checker",
        "gate",
        *args,
        "--no-builtin",
        "--rules",
        "rules",
        "--today",
        "2026-11-28",
    ]
    return subprocess.run(cmd, cwd=repo, capture_output=True, text=True, env=env, timeout=60, check=False)


def test_pass(repo: Path) -> None:
    proc = gate(repo, "contracts/good-2026.yaml")
    assert proc.returncode == 0 and "Decision: PASS" in proc.stdout, proc.stdout + proc.stderr


def test_waiver_makes_it_conditional_and_no_waivers_blocks_nothing_more(repo: Path) -> None:
    proc = gate(repo, "contracts/waived-2026.yaml", "--decision-record", "records/waived")
    assert proc.returncode == 0 and "Decision: CONDITIONAL" in proc.stdout, proc.stdout + proc.stderr
    record = json.loads((repo / "records" / "waived.json").read_text())
    assert record["decision"] == CONDITIONAL
    assert [w["rule"] for w in record["waivers_applied"]] == ["GOLD-SLA"]
    assert record["waivers_applied"][0]["approved_by"] == "J. Rivera, CTO"
    assert record["inputs"][0]["sha256"] and len(record["rules"]["sha256"]) == 64
    assert record["config"]["settings"]["hard_fail"] == ["GOLD-HARD"]
    assert "Waivers applied" in (repo / "records" / "waived.md").read_text()
    strict = gate(repo, "contracts/waived-2026.yaml", "--no-waivers")
    assert "Decision: CONDITIONAL" in strict.stdout  # GOLD-SLA is medium: below the threshold


def test_soft_fail_id_beats_its_high_severity(repo: Path) -> None:
    proc = gate(repo, "contracts/slow-breach-2026.yaml")
    assert proc.returncode == 0 and "Decision: CONDITIONAL" in proc.stdout, proc.stdout


def test_hard_fail_blocks_a_low_finding(repo: Path) -> None:
    proc = gate(repo, "contracts/unnamed-2026.yaml", "-f", "sarif:out.sarif")
    assert proc.returncode == 1 and "Decision: BLOCK" in proc.stdout and "hard-fail" in proc.stdout
    sarif = json.loads((repo / "out.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    schema = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if schema.exists():
        import jsonschema

        jsonschema.validate(sarif, json.loads(schema.read_text()))


def test_config_error_exits_2(repo: Path) -> None:
    (repo / "waivers.yaml").write_text("waivers:\n  - rule: GOLD-SLA\n    reason: no approver\n")
    proc = gate(repo, "contracts/good-2026.yaml")
    assert proc.returncode == 2 and "waivers.yaml:2" in proc.stderr and "Traceback" not in proc.stderr


def _finding(rule: str, severity: Severity) -> Finding:
    return Finding(file="a.yaml", line=1, rule=rule, path="p", severity=severity, fingerprint=rule)


def test_decide_without_findings_is_pass_and_below_threshold_is_conditional() -> None:
    docs = [DocumentStats("a.yaml", "contract", "contract:a")]
    assert decide(Result(documents=docs)).verdict == PASS
    low = Result(findings=[_finding("X", Severity.LOW)], documents=docs)
    assert decide(low).verdict == CONDITIONAL
    high = Result(findings=[_finding("X", Severity.HIGH)], documents=docs)
    assert decide(high).verdict == BLOCK
    assert decide(high, lambda f: "soft").verdict == CONDITIONAL
    assert decide(low, lambda f: "hard").verdict == BLOCK


def test_nothing_unverified_passes() -> None:
    docs = [DocumentStats("a.yaml", "contract", "contract:a")]
    broken = Result(documents=docs, errors=[ErrorRecord("b.yaml", 3, "duplicate key 'x'")])
    decision = decide(broken)
    assert decision.verdict == BLOCK and decision.reasons[0].startswith("1 input(s) could not be checked")
    empty = Result(skipped=["notes.yaml"])
    assert decide(empty).verdict == BLOCK and "1 file(s) without kind: skipped" in decide(empty).reasons[0]
    assert decide(Result(), empty_ok=True).verdict == PASS  # --changed-since found nothing changed


def test_gate_on_a_missing_file_blocks_and_exits_2(repo: Path) -> None:
    proc = gate(repo, "contracts/nope.yaml", "--decision-record", "rec")
    assert proc.returncode == 2 and "Decision: BLOCK" in proc.stdout
    assert json.loads((repo / "rec.json").read_text())["decision"] == "BLOCK"
