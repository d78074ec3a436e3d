"""Rule examples assert outcomes (issue 13 point 5): `_name`, `_expect` (fail, pass,
not_applicable, unknown) and `_severity` are checked by the example runner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from checker.catalog import RuleSet, compile_rule, load_rule_file, load_rules
from checker.cli.app import app
from checker.errors import RuleError
from checker.ruletest import run_example

RULESET = load_rules()


def _rule(examples: dict[str, list[dict[str, Any]]], **extra: Any) -> Any:
    raw = {
        "id": "EX-001", "title": "Notice within 72 h", "area": "breach", "target": "contract",
        "severity": "high", "description": "d", "remediation": "r", "references": [{"cite": "c", "jurisdiction": "project"}],
        "check": {"path": "breach.notify_district_within_hours", "lte": 72}, "missing": "skip",
        "message": "within {{ value }} h", "examples": examples, **extra,
    }  # fmt: skip
    return compile_rule(raw, "EX-001.yaml", {})


def _run(rule: Any, kind: str, example: dict[str, Any]) -> Any:
    return run_example(rule, RuleSet([rule]), kind, 1, example)


FAIL = {"breach": {"notify_district_within_hours": 168}}
PASS = {"breach": {"notify_district_within_hours": 24}}


def test_the_stated_severity_is_checked() -> None:
    rule = _rule({"pass": [PASS], "fail": [FAIL]}, escalate=[{"severity": "critical", "states": ["NY"]}])
    assert _run(rule, "fail", {**FAIL, "_expect": "fail", "_severity": "high"}).ok
    wrong = _run(rule, "fail", {**FAIL, "_expect": "fail", "_severity": "critical"})
    assert not wrong.ok and "expected severity critical, got high" in wrong.detail
    assert _run(rule, "fail", {**FAIL, "_expect": "fail", "_severity": "critical", "_state": "NY"}).ok


def test_unknown_and_not_applicable_are_told_apart() -> None:
    rule = _rule({"pass": [PASS], "fail": [FAIL]}, states=["NY"])
    silent = {"_state": "NY", "breach": {}}
    elsewhere = {"_state": "CA", **FAIL}
    assert _run(rule, "pass", {**silent, "_expect": "unknown"}).ok
    assert _run(rule, "pass", {**elsewhere, "_expect": "not_applicable"}).ok
    swapped = _run(rule, "pass", {**silent, "_expect": "not_applicable"})
    assert not swapped.ok and "expected not_applicable, got unknown" in swapped.detail
    assert not _run(rule, "pass", {**elsewhere, "_expect": "unknown"}).ok
    assert not _run(rule, "pass", {"_state": "NY", **PASS, "_expect": "unknown"}).ok  # it passed


def test_an_invalid_value_is_unknown() -> None:
    rule = _rule({"pass": [PASS], "fail": [FAIL]})
    example = {"breach": {"notify_district_within_hours": "72 hours"}, "_expect": "unknown"}
    assert _run(rule, "pass", example).ok


@pytest.mark.parametrize(
    ("kind", "example", "says"),
    [
        ("pass", {**PASS, "_expect": "fail"}, "not allowed in a pass example"),
        ("fail", {**FAIL, "_expect": "unknown"}, "not allowed in a fail example"),
        ("pass", {**PASS, "_expect": "pass", "_severity": "high"}, "_severity is only for"),
        ("fail", {**FAIL, "_expcet": "fail"}, "unknown steering key '_expcet'"),
    ],
)
def test_a_bad_expectation_is_a_rule_file_error_with_its_line(
    kind: str, example: dict[str, Any], says: str, tmp_path: Path
) -> None:
    examples = {"pass": [PASS], "fail": [FAIL]}
    examples[kind] = [examples[kind][0], example]
    raw = {
        "id": "EX-001", "title": "t", "area": "breach", "target": "contract", "severity": "high",
        "description": "d", "remediation": "r", "references": [{"cite": "c", "jurisdiction": "project"}],
        "check": {"path": "breach.notify_district_within_hours", "lte": 72}, "message": "m",
        "examples": examples,
    }  # fmt: skip
    path = tmp_path / "EX-001.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False, default_flow_style=False))
    with pytest.raises(RuleError) as err:
        load_rule_file(path)
    assert says in str(err.value)
    assert err.value.line is not None and err.value.line > 1


def _example(rule_id: str, name: str) -> dict[str, Any]:
    rule = RULESET.by_id[rule_id]
    return next(e for k in ("pass", "fail") for e in rule.examples.get(k, []) if e.get("_name") == name)


def test_brch_002_escalates_to_critical_in_new_york_as_an_example() -> None:
    ex = _example("BRCH-002", "over New York's 168-hour cap escalates to critical")
    assert (ex["_expect"], ex["_severity"], ex["district"]["state"]) == ("fail", "critical", "NY")


def test_priv_020_is_not_applicable_outside_new_york_as_an_example() -> None:
    ex = _example("PRIV-020", "a California district is out of scope")
    assert ex["_expect"] == "not_applicable" and ex["district"]["state"] == "CA"


def test_rules_test_prints_the_example_names() -> None:
    result = CliRunner().invoke(app, ["rules", "test", "BRCH-002", "--verbose"])
    assert result.exit_code == 0, result.output
    assert (
        "BRCH-002-fail-2 (over New York's 168-hour cap escalates to critical): expected fail (critical)"
        in (result.output)
    )
