"""--select / --ignore (rule ids, prefixes, areas), --format concise and the summary by area."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.catalog import load_rules
from checker.cli import app
from checker.errors import UsageError
from checker.selection import apply, parse

ROOT = Path(__file__).resolve().parents[1]
NY = "examples/contracts/problem-vendor-2026.yaml"  # relative to ROOT, as the output prints it
RULES = load_rules()


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _ids(select: list[str], ignore: list[str] = []) -> set[str]:  # noqa: B006 - read only
    return {r.id for r in apply(RULES, parse(select, ignore)).rules}


def test_select_by_prefix_area_and_id_with_a_more_specific_ignore() -> None:
    got = _ids(["BRCH,PRIV-01"], ["PRIV-012"])
    assert {"BRCH-001", "BRCH-009", "PRIV-010", "PRIV-019"} <= got and "PRIV-012" not in got
    assert not {i for i in got if not i.startswith(("BRCH", "PRIV-01"))}
    assert _ids(["mdm-apps"]) == {r.id for r in RULES.rules if r.meta.area == "mdm-apps"}
    assert _ids(["priv-001"]) == {"PRIV-001"}  # case does not matter


def test_the_more_specific_token_wins_and_ignore_wins_a_tie() -> None:
    assert _ids(["PRIV-012"], ["PRIV"]) == {"PRIV-012"}  # a whole id beats a prefix
    assert "PRIV-012" not in _ids(["privacy"], ["PRIV-012"])
    assert _ids(["PRIV-01"], ["PRIV-01"]) == set()
    every = {r.id for r in RULES.rules}
    assert _ids([], ["cost"]) == every - {r.id for r in RULES.rules if r.meta.area == "cost"}
    assert _ids([]) == every


def test_a_token_matching_nothing_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--ignore 'PRIV-9'"):
        apply(RULES, parse(["BRCH"], ["PRIV-9"]))


@pytest.mark.parametrize("command", ["lint", "gate"])
def test_lint_and_gate_check_only_the_selected_rules(command: str) -> None:
    args = [
        command,
        NY,
        "--today",
        "2026-09-01",
        "--format",
        "concise",
        "--select",
        "BRCH,PRIV-01",
        "--ignore",
        "PRIV-012",
    ]
    out = CliRunner().invoke(app, args)
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith(NY)]
    rules = {ln.split()[2] for ln in lines}
    assert rules and all(r.startswith(("BRCH", "PRIV-01")) for r in rules) and "PRIV-012" not in rules
    assert "--select BRCH,PRIV-01 --ignore PRIV-012: 20 of " in out.stderr


def test_an_unknown_selection_exits_2_with_one_line() -> None:
    out = CliRunner().invoke(app, ["lint", NY, "--select", "NOPE"])
    assert out.exit_code == 2 and "matches no rule id, id prefix or area" in out.stderr
    assert "Traceback" not in out.output


def test_concise_is_one_line_per_finding_then_areas_then_the_total() -> None:
    out = CliRunner().invoke(app, ["lint", NY, "--today", "2026-09-01", "--format", "concise"])
    lines = out.stdout.splitlines()
    findings = [ln for ln in lines if ln.startswith(NY + ":")]
    file_line, severity, rule, *message = findings[0].split(" ")
    assert file_line.rsplit(":", 1)[1].isdigit() and severity in ("critical", "high", "medium", "low", "info")
    assert rule[:1].isupper() and message
    assert not any(ln.startswith(("      evidence", "      citation")) for ln in lines)
    assert lines[-1].startswith(f"{len(findings)} findings") and "By area:" in lines
    assert "  Privacy " in out.stdout and "  Breach " in out.stdout


def test_the_text_summary_counts_open_findings_by_area_in_catalog_order() -> None:
    out = CliRunner().invoke(app, ["lint", NY, "--today", "2026-09-01"])
    block = out.stdout.split("By area:\n", 1)[1].splitlines()[:-1]
    names = [ln[:34].strip() for ln in block]
    assert names.index("Privacy") < names.index("Breach") < names.index("1. Cost")
    total = int(out.stdout.splitlines()[-1].split()[0])
    assert sum(int(ln[34:].split()[0]) for ln in block) == total
