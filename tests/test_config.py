"""k12check.yaml: discovery, validation with file:line errors, tailoring and gate precedence."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker.config import Config, check_rules, find_config, gate_class, load_config
from checker.errors import ConfigError
from checker.globs import glob_match
from checker.models import Finding, Severity
from tests.strategies import rule_meta_for

FULL = """\
district: {name: Example USD, state: NY}
fail_on: medium
rules:
  paths: [local-rules/]
  disable:
    - COST-004
    - {rule: SLA-002, files: legacy/*.yaml}
    - {rule: SEC-005, files: [a/*.yaml, b/**/*.yaml]}
  severity: {SLA-001: critical}
  params: {BRCH-002: {max_breach_hours: 48}}
hard_fail: [PRIV-001, critical]
soft_fail: [SEC-005, medium]
waivers: waivers.yaml
baseline: .k12check-baseline.json
waivers_warn_days: 14
import:
  csv_aliases: {Serial Number: serial}
"""


def _write(tmp_path: Path, text: str, name: str = "k12check.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _error(tmp_path: Path, text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_config(_write(tmp_path, text))
    return info.value


# --- discovery ----------------------------------------------------------------------------


def test_find_config_upward_and_stops_at_repo_root(tmp_path: Path) -> None:
    deep = tmp_path / "repo" / "contracts" / "2026"
    deep.mkdir(parents=True)
    assert find_config(deep) is None
    (tmp_path / "k12check.yaml").write_text("fail_on: high\n")
    assert find_config(deep) == tmp_path / "k12check.yaml"
    (tmp_path / "repo" / ".git").mkdir()
    assert find_config(deep) is None  # never above the checkout
    _write(tmp_path / "repo", "fail_on: low\n")
    assert find_config(deep) == tmp_path / "repo" / "k12check.yaml"
    assert find_config(deep / "x.yaml") == tmp_path / "repo" / "k12check.yaml"


# --- loading ------------------------------------------------------------------------------


def test_load_full_config(tmp_path: Path) -> None:
    cfg = load_config(_write(tmp_path, FULL))
    assert (cfg.district_name, cfg.state, cfg.fail_on) == ("Example USD", "NY", Severity.MEDIUM)
    assert cfg.rule_paths == (tmp_path / "local-rules",)
    assert cfg.disabled_ids == {"COST-004"}
    assert cfg.disable[2].files == ("a/*.yaml", "b/**/*.yaml")
    assert cfg.severity == {"SLA-001": Severity.CRITICAL}
    assert cfg.params == {"BRCH-002": {"max_breach_hours": 48}}
    assert cfg.hard_fail == {"PRIV-001", "critical"} and cfg.soft_fail == {"SEC-005", "medium"}
    assert cfg.waivers == tmp_path / "waivers.yaml" and cfg.baseline == tmp_path / ".k12check-baseline.json"
    assert cfg.waivers_warn_days == 14 and cfg.csv_aliases == {"Serial Number": "serial"}
    assert cfg.as_record()["settings"]["district"]["state"] == "NY"


def test_defaults_and_empty_file(tmp_path: Path) -> None:
    cfg = load_config(_write(tmp_path, "# only comments\n"))
    assert cfg.fail_on is None and cfg.waivers is None and cfg.waivers_warn_days == 30
    assert Config().waivers_warn_days == 30 and Config().rule_enabled("X-001", "a.yaml")


def test_waivers_mapping_form(tmp_path: Path) -> None:
    cfg = load_config(_write(tmp_path, "waivers: {file: w/waivers.yaml, warn_days: 7}\n"))
    assert cfg.waivers == tmp_path / "w" / "waivers.yaml" and cfg.waivers_warn_days == 7
    err = _error(tmp_path, "waivers: {file: w.yaml, warn_days: 7}\nwaivers_warn_days: 9\n")
    assert err.line == 1 and "disagree" in err.message


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        (
            "district: {state: NY}\nfial_on: high\n",
            2,
            "unknown field 'fial_on' under the top level: did you mean 'fail_on'?",
        ),
        (
            "district:\n  name: X\n  state: ny\n",
            3,
            "district.state must be a two-letter state code in capitals",
        ),
        ("fail_on: severe\n", 1, "fail_on must be one of critical, high, medium, low, info (got 'severe')"),
        ("rules:\n  disable:\n    - {rule: SEC-005}\n", 3, "rules.disable[0].files is required"),
        ("rules:\n  disable: [sec-5]\n", 2, "must be a rule id like BRCH-002"),
        ("rules:\n  severity: {SEC-005: urgent}\n", 2, "must be one of critical"),
        ("hard_fail: [everything]\n", 1, "a rule id like BRCH-002 or a severity"),
        ("waivers_warn_days: -1\n", 1, "must be at least 0"),
        ("rules:\n  disable:\n    - {rule: A-001, files: 'x/[z-a].yaml'}\n", 3, "invalid glob"),
        ("- just\n- a list\n", 1, "must be a mapping"),
        ("fail_on: high\nfail_on: low\n", 2, "duplicate key 'fail_on'"),
    ],
)
def test_config_errors_have_lines(tmp_path: Path, text: str, line: int, needle: str) -> None:
    err = _error(tmp_path, text)
    assert err.line == line, err.render()
    assert needle in err.message, err.render()
    assert err.render().startswith(f"{tmp_path / 'k12check.yaml'}:{line}: ")


def test_several_problems_are_counted(tmp_path: Path) -> None:
    err = _error(tmp_path, "fail_on: x\nwaivers_warn_days: -3\nbogus: 1\n")
    assert err.line == 1 and "(and 2 more problems)" in err.message


# --- checks against the rules ---------------------------------------------------------------

RULES = {
    "BRCH-002": rule_meta_for("BRCH-002", params=(("max_breach_hours", 72), ("strict", False))),
    "SEC-005": rule_meta_for("SEC-005"),
    "PRIV-001": rule_meta_for("PRIV-001", waivable=False),
    "SLA-001": rule_meta_for("SLA-001"),
    "SLA-002": rule_meta_for("SLA-002"),
    "COST-004": rule_meta_for("COST-004"),
}


def test_check_rules_accepts_known(tmp_path: Path) -> None:
    check_rules(load_config(_write(tmp_path, FULL)), RULES)


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("rules:\n  disable: [COST-04]\n", 2, "unknown rule 'COST-04'; did you mean 'COST-004'?"),
        ("rules:\n  severity:\n    SLA-003: high\n", 3, "unknown rule 'SLA-003'"),
        ("hard_fail: [high, PRIV-01]\n", 1, "unknown rule 'PRIV-01'; did you mean 'PRIV-001'?"),
        (
            "rules:\n  params:\n    BRCH-002:\n      max_breach_hour: 4\n",
            4,
            "did you mean 'max_breach_hours'?",
        ),
        (
            "rules:\n  params:\n    BRCH-002:\n      max_breach_hours: '48'\n",
            4,
            "must be a number like the default 72 (got '48')",
        ),
        ("rules:\n  params:\n    BRCH-002:\n      strict: 1\n", 4, "must be true or false"),
    ],
)
def test_check_rules_errors(tmp_path: Path, text: str, line: int, needle: str) -> None:
    cfg = load_config(_write(tmp_path, text))
    with pytest.raises(ConfigError) as info:
        check_rules(cfg, RULES)
    assert info.value.line == line and needle in info.value.message, info.value.render()


def test_float_param_accepts_int(tmp_path: Path) -> None:
    rules = {"BRCH-002": rule_meta_for("BRCH-002", params=(("ratio", 0.5),))}
    check_rules(load_config(_write(tmp_path, "rules: {params: {BRCH-002: {ratio: 1}}}\n")), rules)


# --- gate precedence ------------------------------------------------------------------------


def _f(rule: str, sev: Severity) -> Finding:
    return Finding("c.yaml", 1, rule, "x", severity=sev)


def _cfg(hard: list[str], soft: list[str]) -> Config:
    return Config(hard_fail=frozenset(hard), soft_fail=frozenset(soft))


@pytest.mark.parametrize(
    ("hard", "soft", "finding", "expected"),
    [
        ([], [], _f("A-001", Severity.CRITICAL), None),  # nothing configured: fail_on decides
        (["A-001"], [], _f("A-001", Severity.LOW), "hard"),  # id in hard
        ([], ["A-001"], _f("A-001", Severity.CRITICAL), "soft"),  # id in soft
        (["high"], [], _f("A-001", Severity.HIGH), "hard"),  # severity in hard
        ([], ["medium"], _f("A-001", Severity.MEDIUM), "soft"),  # severity in soft
        (["high"], [], _f("A-001", Severity.CRITICAL), None),  # a severity names itself only
        (["critical"], ["A-001"], _f("A-001", Severity.CRITICAL), "soft"),  # id beats severity
        (["A-001"], ["low"], _f("A-001", Severity.LOW), "hard"),  # id beats severity (other way)
        (["A-001"], ["A-001"], _f("A-001", Severity.LOW), "hard"),  # hard beats soft (ids)
        (["low"], ["low"], _f("A-001", Severity.LOW), "hard"),  # hard beats soft (severities)
        (["B-002"], ["medium"], _f("A-001", Severity.MEDIUM), "soft"),  # other ids do not apply
    ],
)
def test_gate_class_precedence(
    hard: list[str], soft: list[str], finding: Finding, expected: str | None
) -> None:
    assert gate_class(finding, _cfg(hard, soft)) == expected


# --- disable globs --------------------------------------------------------------------------


def test_rule_enabled_globs_relative_to_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = load_config(_write(tmp_path, FULL))
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")  # run from elsewhere: globs still mean the config's folder
    assert not cfg.rule_enabled("COST-004", "../anything.yaml")
    assert not cfg.rule_enabled("SLA-002", "../legacy/old.yaml")
    assert cfg.rule_enabled("SLA-002", "../legacy/deeper/old.yaml")  # * stays in one folder
    assert cfg.rule_enabled("SLA-002", "../contracts/new.yaml")
    assert not cfg.rule_enabled("SEC-005", "../b/x/y/z.yaml") and not cfg.rule_enabled(
        "SEC-005", "../b/z.yaml"
    )
    assert cfg.rule_enabled("BRCH-002", "../legacy/old.yaml")


def test_glob_semantics(tmp_path: Path) -> None:
    base = tmp_path
    f = str(tmp_path / "contracts" / "acme-2026.yaml")
    assert glob_match(f, "contracts/acme-*.yaml", base)
    assert glob_match(f, "./contracts/acme-*.yaml", base)
    assert glob_match(f, "**/*.yaml", base) and glob_match(f, "contracts/**/acme-2026.yaml", base)
    assert not glob_match(f, "*.yaml", base) and not glob_match(f, "contracts/beta-*.yaml", base)
    assert glob_match(f, "contracts/acme-202[0-9].yaml", base) and not glob_match(f, "contracts/[!a]*", base)
    assert glob_match(f, f.replace(os.sep, "/"), Path("/elsewhere"))  # absolute pattern


def test_init_config_template_is_a_valid_config(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "k12check.yaml"
    proc = subprocess.run([sys.executable, "-m", "checker", "init", "config", "-o", str(out)],
                          capture_output=True, text=True, check=False,
                          cwd=Path(__file__).resolve().parents[1])  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    config = load_config(out)
    assert config.state == "NY" and config.fail_on is not None
