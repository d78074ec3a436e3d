"""Invalid values fail closed (issue 13 point 3): a value outside its list or of the wrong
type leaves the rules that read it unjudged (never silently not applicable), and the
schema finding says "did you mean", names those rules, and is high when one is critical
or high, so the gate blocks.  Obvious mistakes get a hint."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.catalog import load_rules
from checker.invalid import cannot_judge, invalid_values
from checker.models import Severity
from checker.run import run as lint
from checker.valuehints import did_you_mean

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "compliant-contract.yaml"
TODAY = dt.date(2026, 9, 1)
RULESET = load_rules()
MDM_SCOPED_HIGH = {"CTRL-014", "INTG-001", "STRAT-002"}


def _contract(**changes: Any) -> dict[str, Any]:
    doc = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        *parents, leaf = dotted.split("__")
        node = doc
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return doc


def _lint(doc: dict[str, Any], tmp_path: Path, text: str | None = None) -> Any:
    path = tmp_path / "contract.yaml"
    path.write_text(text if text is not None else yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = lint([path], rules=RULESET, today=TODAY)
    assert not result.errors
    return result


def _schema(result: Any, rule: str) -> Any:
    found = [f for f in result.findings if f.rule == rule]
    assert len(found) == 1, [(f.rule, f.message) for f in result.findings]
    return found[0]


def test_a_misspelt_service_type_disables_nothing_silently(tmp_path: Path) -> None:
    valid = _lint(_contract(contract__service_type="managed_service"), tmp_path)
    assert valid.findings == [] or all(f.severity < Severity.HIGH for f in valid.findings)
    judged = set(valid.documents[0].passed)
    assert {"CTRL-014", "INTG-001", "STRAT-002", "QUAL-001"} <= judged

    result = _lint(_contract(contract__service_type="managed-services"), tmp_path)
    finding = _schema(result, "SCHEMA-VALUE")
    assert finding.severity == Severity.HIGH  # it disables a critical rule
    assert "did you mean 'managed_service'?" in finding.message
    for rule in ("CTRL-014 (critical)", "INTG-001 (high)", "STRAT-002 (high)", "QUAL-001 (medium)"):
        assert rule in finding.message
    stats = result.documents[0]
    unjudged = {"CTRL-014", "INTG-001", "STRAT-002", "QUAL-001"}
    assert not unjudged & set(stats.passed)  # never counted as passed
    assert not unjudged & {f.rule for f in result.findings}


def test_the_gate_blocks_on_an_invalid_value_that_disables_a_critical_rule(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(_contract(contract__service_type="managed-services"), sort_keys=False))
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(_contract(), sort_keys=False))
    env_cmd = [sys.executable, "-m", "checker", "gate", "--today", TODAY.isoformat(), "--format", "json"]
    for path, code in ((good, 0), (bad, 1)):
        proc = subprocess.run(
            [*env_cmd, str(path)], capture_output=True, text=True, timeout=120, cwd=tmp_path,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
        )  # fmt: skip
        assert proc.returncode == code, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "SCHEMA-VALUE" in proc.stdout


def test_medium_rules_only_keep_the_schema_severity(tmp_path: Path) -> None:
    result = _lint(_contract(breach__clock_start="Discovered"), tmp_path)
    finding = _schema(result, "SCHEMA-VALUE")
    assert finding.severity == Severity.MEDIUM
    assert "did you mean 'discovery'?" in finding.message
    assert "BRCH-003 (medium)" in finding.message
    assert "BRCH-003" not in {f.rule for f in result.findings}


def test_an_invalid_state_makes_state_rules_unjudged_not_out_of_scope(tmp_path: Path) -> None:
    result = _lint(_contract(district__state="New York"), tmp_path)
    finding = _schema(result, "SCHEMA-VALUE")
    assert finding.severity == Severity.HIGH
    assert "PRIV-019 (critical)" in finding.message and "PRIV-020 (critical)" in finding.message
    assert "PRIV-021" in finding.message  # CA/MT rules cannot say the state is not theirs either


def test_rules_out_of_their_valid_state_are_not_listed() -> None:
    doc = {
        "kind": "contract",
        "schema_version": 1,
        "district": {"state": "CA"},
        "privacy": {"ownership": "x"},
    }
    invalid = invalid_values("contract", doc)
    by_id = RULESET.by_id
    assert cannot_judge(by_id["PRIV-001"], invalid, "CA") == ["privacy.ownership"]
    assert cannot_judge(by_id["PRIV-019"], invalid, "CA") == []  # NY only: not applicable in CA


def test_a_quoted_date_says_remove_the_quotes(tmp_path: Path) -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "effective_date: 2026-07-01", 'effective_date: "2026-07-01"', 1
    )
    finding = _schema(_lint({}, tmp_path, text), "SCHEMA-TYPE")
    assert finding.path == "contract.effective_date"
    assert "remove the quotes" in finding.message


def test_an_end_date_before_the_start_date_is_invalid(tmp_path: Path) -> None:
    doc = _contract(contract__end_date=dt.date(2025, 6, 30))
    finding = _schema(_lint(doc, tmp_path), "SCHEMA-VALUE")
    assert finding.path == "contract.end_date"
    assert "is before contract.effective_date (2026-07-01)" in finding.message


@pytest.mark.parametrize(
    ("section", "field", "value"), [("sla", "uptime_pct", 999), ("cost", "escalator_pct", 150)]
)
def test_a_percentage_outside_0_to_100_is_invalid(
    section: str, field: str, value: int, tmp_path: Path
) -> None:
    doc = _contract(**{f"{section}__{field}": value})
    finding = _schema(_lint(doc, tmp_path), "SCHEMA-VALUE")
    assert finding.path == f"{section}.{field}"
    assert "0 to 100" in finding.message or "0-100" in finding.message


def test_did_you_mean() -> None:
    allowed = ["mdm", "edtech_app", "managed_service", "sis", "other"]
    assert did_you_mean("Managed Service", allowed) == "managed_service"
    assert did_you_mean("edtech-app", allowed) == "edtech_app"
    assert did_you_mean("managed_servcie", allowed) == "managed_service"
    assert did_you_mean("spaceship", allowed) is None


def test_json_output_carries_the_high_schema_finding(tmp_path: Path) -> None:
    result = _lint(_contract(contract__service_type="MDM "), tmp_path)
    finding = _schema(result, "SCHEMA-VALUE")
    assert "did you mean 'mdm'?" in finding.message
    assert json.dumps(finding.message)


def test_explain_says_the_rule_cannot_judge_an_invalid_value() -> None:
    from checker.document import Document
    from checker.explain import explain

    data = _contract(contract__service_type="managed-services")
    doc = Document(file="c.yaml", kind="contract", data=data, source_map={}, identity="c")
    steps = explain(RULESET.by_id["CTRL-014"], doc, TODAY)
    assert [s.render() for s in steps] == [
        "[    ?] cannot judge: invalid value at contract.service_type (see its SCHEMA finding)"
    ]


def test_an_invalid_value_in_one_list_element_leaves_only_that_element_unjudged(tmp_path: Path) -> None:
    source = ROOT / "examples" / "district" / "district.yaml"
    text = source.read_text(encoding="utf-8")
    assert "    platform: ipados\n" in text
    path = tmp_path / "district.yaml"
    path.write_text(text.replace("    platform: ipados\n", "    platform: iPadOS\n", 1), encoding="utf-8")
    before = lint([source], rules=RULESET, today=TODAY)
    after = lint([path], rules=RULESET, today=TODAY)
    finding = _schema(after, "SCHEMA-VALUE")
    assert finding.path == "policies[0].platform" and finding.severity == Severity.HIGH
    assert "did you mean 'ipados'?" in finding.message and "MDM-APP-007 (critical)" in finding.message
    assert "and " in finding.message and " more" in finding.message  # a long list is cut
    first = {f.rule for f in before.findings if f.path.startswith("policies[0]")}
    assert first and not {f.rule for f in after.findings if f.path.startswith("policies[0].")} & first - {
        "MDM-DATA-007"  # reads no platform
    }
    others = {(f.rule, f.path) for f in before.findings if not f.path.startswith("policies[0]")}
    assert others <= {(f.rule, f.path) for f in after.findings}  # the other policies are still judged
