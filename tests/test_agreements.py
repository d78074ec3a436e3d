"""Agreements as they are written: durations, agreement packages, service profiles,
changes by consent, renewal deadlines and the service-type template."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from checker.applicability import TERMS, Scope, load_table, scope
from checker.catalog import load_rules
from checker.cli import app
from checker.contract_template import FACT_FIELDS, applicable_rules, fields_read
from checker.durations import Duration, Qualitative, convert, field_unit
from checker.errors import RuleError
from checker.modelreads import rule_reads
from checker.run import run as lint

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "contracts"
FIXTURE = ROOT / "tests" / "fixtures" / "compliant-contract.yaml"
TODAY = dt.date(2026, 9, 1)
RULESET = load_rules()


def _lint(tmp_path: Path, doc: dict[str, Any], today: dt.date = TODAY) -> dict[str, Any]:
    path = tmp_path / "contract.yaml"
    path.write_text(
        yaml.safe_dump({"kind": "contract", "schema_version": 1, **doc}, sort_keys=False), "utf-8"
    )
    result = lint([path], rules=RULESET, today=today)
    assert not result.errors
    return {f.rule: f for f in result.findings}


# ---- durations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "amount"),
    [
        ({"value": 10, "unit": "business_days"}, "days", 14),
        ({"value": 3, "unit": "business_days"}, "days", 5),  # 4.2 rounded up
        ({"value": 3, "unit": "days"}, "hours", 72),
        ({"value": 2, "unit": "business_days"}, "hours", 68),  # 67.2 rounded up
        ({"value": 36, "unit": "hours"}, "days", 2),
        ({"value": 2, "unit": "months"}, "days", 60),
        ({"value": 45, "unit": "days"}, "months", 2),
    ],
)
def test_a_value_with_a_unit_converts_to_the_fields_unit_rounded_up(
    value: Any, unit: str, amount: int
) -> None:
    got = convert(value, unit)
    assert isinstance(got, Duration) and int(got) == amount
    assert "rounded up" in got.evidence() and got.said in got.evidence()


def test_numbers_and_other_text_are_left_alone() -> None:
    assert convert(72, "hours") == 72 and type(convert(72, "hours")) is int
    assert isinstance(convert("promptly", "hours"), Qualitative)
    assert type(convert("72 hours", "hours")) is str
    assert convert({"value": 3, "unit": "weeks"}, "days") == {"value": 3, "unit": "weeks"}


def test_field_units_come_from_the_field_name() -> None:
    assert field_unit("breach.notify_district_within_hours") == "hours"
    assert field_unit("deletion.within_days_of_termination") == "days"
    assert field_unit("audit.notice_business_days") is None
    assert field_unit("privacy.ownership") is None


def test_business_days_are_converted_and_the_rule_is_shown_in_the_evidence(tmp_path: Path) -> None:
    found = _lint(
        tmp_path, {"breach": {"notify_district_within_hours": {"value": 10, "unit": "business_days"}}}
    )
    finding = found["BRCH-002"]
    assert "336 (= 10 business days)" in finding.message
    assert finding.value == "10 business days = 336 hours (1 day = 24 hours, 1 business day = 7/5 days, " \
        "1 month = 30 days, rounded up)"  # fmt: skip
    assert "BRCH-001" not in found  # a converted value is a number of hours
    ok = _lint(tmp_path, {"breach": {"notify_district_within_hours": {"value": 3, "unit": "days"}}})
    assert "BRCH-001" not in ok and "BRCH-002" not in ok


def test_a_qualitative_breach_deadline_fails_with_its_own_message(tmp_path: Path) -> None:
    promised = _lint(tmp_path, {"breach": {"notify_district_within_hours": "without_unreasonable_delay"}})
    silent = _lint(tmp_path, {"breach": {"notify_district_within_hours": None}})
    assert promised["BRCH-001"].message.startswith(
        "'without unreasonable delay' is not a measurable deadline"
    )
    assert "not a measurable deadline" not in silent["BRCH-001"].message
    assert not [r for r in promised if r.startswith("SCHEMA-")]


def test_an_unlisted_qualitative_word_is_a_schema_finding(tmp_path: Path) -> None:
    found = _lint(tmp_path, {"breach": {"notify_district_within_hours": "asap"}})
    assert "one of promptly, without_unreasonable_delay" in found["SCHEMA-VALUE"].message


# ---- agreement packages and service types -------------------------------------------------


def test_a_dpa_only_package_reports_privacy_breach_and_control_findings_only() -> None:
    result = lint([EXAMPLES / "dpa-only-music-app-2026.yaml"], rules=RULESET, today=TODAY)
    assert not result.errors and result.findings
    kinds = {RULESET.by_id[f.rule].terms for f in result.findings}
    assert kinds <= {"privacy", "breach", "control"}
    assert not [
        f.rule for f in result.findings if f.area in ("cost", "flexibility", "responsiveness", "service")
    ]
    skipped = set(result.documents[0].not_applicable)
    assert {"COST-001", "SLA-002", "FLEX-003", "QUAL-002"} <= skipped


def test_the_same_contract_with_an_order_form_is_judged_on_its_prices(tmp_path: Path) -> None:
    docs = [{"type": "dpa"}, {"type": "order_form", "title": "Quote"}]
    found = _lint(tmp_path, {"contract": {"documents": docs}, "cost": {}})
    assert "COST-001" in found and "SLA-002" not in found
    assert "COST-001" not in _lint(tmp_path, {"contract": {"documents": [{"type": "dpa"}]}, "cost": {}})


def test_an_app_subscription_is_not_judged_on_device_management() -> None:
    result = lint([EXAMPLES / "silent-edtech-app-2026.yaml"], rules=RULESET, today=TODAY)
    fired = {f.rule for f in result.findings}
    assert not fired & {"CTRL-014", "FLEX-001", "SLA-004", "QUAL-002", "STRAT-003"}
    assert {"PRIV-001", "BRCH-001"} <= fired


def test_a_contract_that_states_neither_is_judged_by_every_rule(tmp_path: Path) -> None:
    assert {"CTRL-014", "FLEX-001", "COST-001"} <= set(_lint(tmp_path, {"contract": {}}))
    # a service type outside the model fails closed: the rules it scopes cannot judge the
    # contract, and the schema finding says which (issue 13)
    found = _lint(tmp_path, {"contract": {"service_type": "app"}})
    assert "CTRL-014" not in found and "CTRL-014 (critical)" in found["SCHEMA-VALUE"].message


def test_not_applicable_says_why() -> None:
    rule = RULESET.by_id["CTRL-014"]
    app_scope = scope({"contract": {"service_type": "edtech_app"}})
    assert app_scope.why_not(rule) == "applies to managed_service, mdm services, not edtech_app"
    dpa = scope({"contract": {"documents": [{"type": "dpa"}]}})
    assert dpa.why_not(RULESET.by_id["COST-001"]) == "the agreement package (dpa) holds no commercial terms"
    assert dpa.why_not(RULESET.by_id["PRIV-001"]) is None
    assert scope({"contract": {"documents": [{"type": "brochure"}]}}).carried == frozenset(TERMS)
    assert Scope(None, None).admits(rule)


def test_every_contract_rule_has_a_kind_of_terms() -> None:
    for rule in RULESET.rules:
        if rule.meta.target == "contract" and not rule.builtin:
            assert rule.terms in TERMS, rule.id
            assert rule.meta.terms == rule.terms


def test_a_bad_table_entry_names_the_file_and_line(tmp_path: Path) -> None:
    table = tmp_path / "applicability.yaml"
    table.write_text("terms:\n  areas:\n    privacy: privacy\n    cost: money\n", encoding="utf-8")
    with pytest.raises(RuleError) as err:
        load_table(table)
    assert err.value.line == 4 and "terms.areas.cost" in str(err.value.message)


# ---- changes, renewal deadlines -----------------------------------------------------------


def test_changes_that_need_the_districts_consent_pass_without_a_notice_period(tmp_path: Path) -> None:
    assert "PRIV-012" not in _lint(tmp_path, {"changes": {"mode": "requires_district_consent"}})
    unilateral = _lint(
        tmp_path, {"changes": {"mode": "unilateral"}, "privacy": {"policy_change_notice_days": 30}}
    )
    assert "unilaterally" in unilateral["PRIV-012"].message


RENEWING = {"contract": {"end_date": dt.date(2026, 10, 29), "auto_renew": True, "renewal_notice_days": 60}}


def test_a_missed_renewal_notice_is_high_and_a_close_one_medium(tmp_path: Path) -> None:
    missed = _lint(tmp_path, RENEWING)["FLEX-004"]  # deadline 2026-08-30, two days before --today
    assert str(missed.severity) == "high" and "passed 2 days ago (2026-08-30)" in missed.message
    close = _lint(tmp_path, RENEWING, today=dt.date(2026, 8, 1))["FLEX-004"]
    assert str(close.severity) == "medium" and "in 29 days" in close.message
    assert "FLEX-004" not in _lint(tmp_path, RENEWING, today=dt.date(2026, 6, 1))
    decided = {"contract": {**RENEWING["contract"], "renewal_decision": "terminate"}}
    assert "FLEX-004" not in _lint(tmp_path, decided)


# ---- init contract --service-type ---------------------------------------------------------


def _fill(template: Any, values: Any) -> Any:
    if isinstance(template, dict):
        return {k: _fill(v, values.get(k) if isinstance(values, dict) else None) for k, v in template.items()}
    return values if template is None else template


def test_init_contract_for_an_app_has_only_the_fields_its_rules_read(tmp_path: Path) -> None:
    out = tmp_path / "app.yaml"
    result = CliRunner().invoke(app, ["init", "contract", "--service-type", "edtech_app", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    template = yaml.safe_load(text)
    assert template["contract"]["service_type"] == "edtech_app"
    assert "admin" not in template and "flex" not in template and "custom" not in template
    assert "privacy" in template and "notify_district_within_hours" in template["breach"]
    filled = _fill(template, yaml.safe_load(FIXTURE.read_text(encoding="utf-8")))
    filled["contract"]["service_type"] = "edtech_app"
    out.write_text(yaml.safe_dump(filled, sort_keys=False), encoding="utf-8")
    linted = lint([out], rules=RULESET, today=TODAY)
    assert not linted.errors
    assert [f.rule for f in linted.findings if f.rule.startswith("SCHEMA-")] == []
    assert [f.rule for f in linted.findings] == []  # the fields kept are all the app's rules need


def test_init_contract_refuses_an_unknown_service_type() -> None:
    result = CliRunner().invoke(app, ["init", "contract", "--service-type", "app"])
    assert result.exit_code == 2 and "edtech_app" in result.output


def test_the_template_cut_knows_every_fact_the_contract_rules_read() -> None:
    facts = {
        str(read.steps[0])
        for rule in applicable_rules(RULESET, "mdm")
        for read in rule_reads(rule)
        if read.model == "fact"
    }
    assert facts <= set(FACT_FIELDS), sorted(facts - set(FACT_FIELDS))
    assert "sla.severities" in fields_read(applicable_rules(RULESET, "mdm"))


# ---- the report's calendar ----------------------------------------------------------------


def test_the_calendar_shows_missed_deadlines_while_the_contract_runs() -> None:
    from checker.models import Result
    from checker.report_sections import calendar
    from checker.ruletest import _document

    body = {
        "kind": "contract",
        "schema_version": 1,
        "contract": {
            **RENEWING["contract"],
            "dpa": {"expiration_date": dt.date(2026, 6, 30)},
        },
    }
    who = {"vendor": "Acme", "file": "acme.yaml"}
    cal = calendar(Result(), [_document(body, "acme.yaml", "contract")], TODAY, {"acme.yaml": who})
    by_kind = {e["kind"]: e for e in cal["events"]}
    assert by_kind["renewal_notice"]["missed"] and by_kind["renewal_notice"]["days"] == -2
    assert "missed 2 days ago" in by_kind["renewal_notice"]["label"]
    assert (
        by_kind["dpa_expiry"]["missed"]
        and "expired while the contract runs" in by_kind["dpa_expiry"]["label"]
    )
    assert not by_kind["contract_end"]["missed"]
    body["contract"]["renewal_decision"] = "renew"
    body["contract"]["end_date"] = dt.date(2026, 8, 15)  # ended: nothing is missed any more
    cal = calendar(Result(), [_document(body, "acme.yaml", "contract")], TODAY, {"acme.yaml": who})
    assert cal["events"] == []


def test_explain_says_why_a_rule_does_not_apply_to_a_package() -> None:
    result = CliRunner().invoke(
        app, ["explain", "COST-001", str(EXAMPLES / "dpa-only-music-app-2026.yaml"), "--today", "2026-09-01"]
    )
    assert result.exit_code == 0, result.output
    assert "not applicable: the agreement package (dpa) holds no commercial terms" in result.output
