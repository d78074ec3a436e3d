"""docs/contract-model.md and docs/district-model.md are what `k12check rules model-docs` generates,
and the generator finds the fields a rule really reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker import modeldocs, modelreads
from checker.catalog import compile_rule, load_rules
from checker.cli import app

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.fixture(scope="module")
def ruleset():  # type: ignore[no-untyped-def]
    return load_rules()


def test_committed_model_docs_are_fresh(ruleset) -> None:  # type: ignore[no-untyped-def]
    pages = modeldocs.generate(ruleset, DOCS)
    stale = [n for n, text in pages.items() if not (DOCS / n).is_file() or (DOCS / n).read_text() != text]
    assert not stale, f"{stale} stale: run `k12check rules model-docs --out docs/`"


def test_every_path_a_builtin_rule_reads_is_a_schema_field(ruleset) -> None:  # type: ignore[no-untyped-def]
    _, unknown = modelreads.readers(ruleset)
    assert unknown == [], f"rules read fields the schemas do not define: {unknown}"


def test_the_pages_name_the_rules_that_read_a_field() -> None:
    text = (DOCS / "contract-model.md").read_text()
    row = next(
        line for line in text.splitlines() if line.startswith("| `breach.notify_district_within_hours`")
    )
    assert "[BRCH-002](rules/BRCH-002.md)" in row and "| hours |" in row and "| yes |" in row
    district = (DOCS / "district-model.md").read_text()
    assert "| `apps[].install` |" in district and "`forced`, `available`" in district
    assert "| `student_scope_ids` |" in district  # facts section


def _rule(check: dict, target: str = "contract", **extra: object):  # type: ignore[no-untyped-def]
    raw = {"id": "T-1", "title": "t", "area": "custom", "target": target, "severity": "low",
           "description": "d", "check": check, "message": "m", "remediation": "r",
           "references": [{"cite": "c", "jurisdiction": "project"}], "examples": {"pass": [{}], "fail": [{}]}, **extra}  # fmt: skip
    return compile_rule(raw, "T-1.yaml", {})


def _fields(rule) -> set[str | None]:  # type: ignore[no-untyped-def]
    return {modelreads.field_of(r.model, r.steps) for r in modelreads.rule_reads(rule) if r.model != "fact"}


def test_reads_follow_each_where_references_and_escalations() -> None:
    rule = _rule(
        {"each": "sla.severities", "where": {"path": "name", "equals": "P1"},
         "check": {"path": "response_minutes", "lte": {"path": "$.sla.p1_response_minutes"}}},
        escalate=[{"severity": "high", "when": {"path": "onsite_hours", "gt": 4}}],
        applies={"fact": "days_until_end", "gt": 0},
    )  # fmt: skip
    assert _fields(rule) == {
        "sla.severities", "sla.severities[].name", "sla.severities[].response_minutes",
        "sla.p1_response_minutes", "sla.severities[].onsite_hours",
    }  # fmt: skip
    assert any(r.model == "fact" and r.steps == ("days_until_end",) for r in modelreads.rule_reads(rule))


def test_a_misspelt_path_is_reported_as_unknown() -> None:
    rule = _rule(
        {
            "all": [
                {"path": "breach.notify_within_hours", "lte": 72},
                {"path": "sec.mfa_admin", "equals": True},
            ]
        }
    )
    reads = modelreads.rule_reads(rule)
    assert [modelreads.field_of(r.model, r.steps) for r in reads] == [None, "sec.mfa_admin"]


def test_list_of_scalars_and_free_form_maps_land_in_their_field() -> None:
    assert modelreads.field_of("district", ("policies", 0, "device_access", "sign_in_domains", 2)) == (
        "policies[].device_access.sign_in_domains"
    )
    assert modelreads.field_of("district", ("sources", 0, "unmapped", "X")) == "sources[].unmapped"
    assert (
        modelreads.field_of("contract", ("privacy", "state_terms", "MA", "x"))
        == "privacy.state_terms.<key>.<key>"
    )


@pytest.mark.parametrize(
    ("name", "unit"),
    [("notify_district_within_hours", "hours"), ("annual_usd", "US dollars per year"), ("uptime_pct", "percent (0-100)"),
     ("notice_business_days", "business days"), ("vacancy_months_per_year", "months per year"), ("name", "")],
)  # fmt: skip
def test_unit_from_the_name_suffix(name: str, unit: str) -> None:
    assert modeldocs.unit_of(name) == unit


def test_hand_written_part_is_kept_and_check_reports_stale(tmp_path: Path, ruleset) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "district-model.md").write_text("# Mine\n\nKeep this.\n")
    runner = CliRunner()
    stale = runner.invoke(app, ["rules", "model-docs", "--out", str(tmp_path), "--check"])
    assert stale.exit_code == 1 and "district-model.md" in stale.output
    assert runner.invoke(app, ["rules", "model-docs", "--out", str(tmp_path)]).exit_code == 0
    text = (tmp_path / "district-model.md").read_text()
    assert text.startswith("# Mine\n\nKeep this.\n\n" + modeldocs.MARKER)
    assert (tmp_path / "contract-model.md").read_text().startswith("# The contract model\n")
    assert runner.invoke(app, ["rules", "model-docs", "--out", str(tmp_path), "--check"]).exit_code == 0
    (tmp_path / "district-model.md").write_text(text.replace("Keep this.", "Edited above the marker."))
    assert runner.invoke(app, ["rules", "model-docs", "--out", str(tmp_path), "--check"]).exit_code == 0


def test_cross_checks_read_only_what_contract_summaries_keep(ruleset) -> None:  # type: ignore[no-untyped-def]
    """A contract field a portfolio rule reads must be in the summary, or it reads null."""
    from checker.portfolio import SUMMARY_FIELDS

    extras = {"active", "app_ids", "end_date", "file", "identity"}
    missing, seen = set(), set()
    for rule in ruleset.rules:
        for read in modelreads.rule_reads(rule):
            if read.model == "contract" and not read.strict:
                dotted = ".".join(s for s in read.steps if isinstance(s, str))
                seen.add(dotted)
                kept = dotted in extras or any(
                    dotted == f or dotted.startswith(f + ".") for f in SUMMARY_FIELDS
                )
                if not kept:
                    missing.add((rule.id, dotted))
    assert {"vendor.id", "contract.dpa.type", "active"} <= seen
    assert not missing, f"cross-checks read contract fields the portfolio summary drops: {sorted(missing)}"
