"""The contract rule catalog (contracts.md §2): every id, its shape, and its behaviour.

A compliant contract (tests/fixtures/compliant-contract.yaml) must produce no
findings in any state; each deliberately broken copy must trip exactly the
rules whose clause was broken, at the catalog's severity (with escalations).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import shared_path

from checker.catalog import load_rules
from checker.run import run as lint

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
FIXTURE = ROOT / "tests" / "fixtures" / "compliant-contract.yaml"
TODAY = dt.date(2026, 9, 1)


def _rule_files() -> dict[str, tuple[str, dict[str, Any]]]:
    """Every contract rule file (not the built-in schema rules): id → (area folder, content)."""
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for path in sorted(RULES.glob("*/*.yaml")):
        if path.name == "pack.yaml":
            continue
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        if raw.get("target") == "contract" and "builtin" not in raw:
            out[raw["id"]] = (path.parent.name, raw)
    return out


# The catalog's table — severity, states, waivability — is derived from the rule files
# (the single source of truth); the tests below check it against the published catalog
# and against the behaviour of a compliant contract and its broken copies.
RULE_FILES = _rule_files()
CATALOG: dict[str, tuple[str, str]] = {i: (area, raw["severity"]) for i, (area, raw) in RULE_FILES.items()}
STATES = {i: set(raw["states"]) for i, (_, raw) in RULE_FILES.items() if raw.get("states")}
NOT_WAIVABLE = {i for i, (_, raw) in RULE_FILES.items() if raw.get("waivable", True) is False}
MDM_SCOPED = {
    "CTRL-014",
    "CTRL-015",
    "QUAL-001",
    "FLEX-002",
    "CUST-001",
    "CUST-002",
    "SEC-008",
    "INTG-001",
    "STRAT-002",
}
# Catalog defaults: (rule, param) → value.
DEFAULTS = {
    ("PRIV-010", "parent_access_days"): 45, ("BRCH-002", "max_breach_hours"): 72,
    ("CTRL-002", "delete_days"): 60, ("CTRL-003", "delete_days"): 60,
    ("CTRL-005", "max_backup_purge_days"): 180, ("CTRL-007", "min_transition_days"): 90,
    ("CTRL-010", "min_notice_days"): 30, ("CTRL-013", "max_notice_days"): 60,
    ("COST-003", "max_escalator_pct"): 5, ("COST-007", "min_notice_days"): 60,
    ("FLEX-001", "min_adjust_down_pct"): 10, ("FLEX-003", "max_notice_days"): 90,
    ("SLA-002", "p1_response_max_minutes"): 60, ("SLA-002", "p1_resolve_max_hours"): 4,
    ("SLA-004", "max_onsite_hours"): 24, ("SLA-005", "min_uptime_pct"): 99.9,
    ("SLA-007", "min_notice_hours"): 48, ("SEC-004", "min_log_days"): 365,
    ("SEC-005", "max_pentest_months"): 12, ("SEC-006", "max_patch_days"): 14,
    ("STRAT-004", "max_vendor_functions"): 3, ("BRCH-010", "min_cap_usd"): 1_000_000,
    ("FLEX-004", "window_days"): 60,
}  # fmt: skip
# Rules whose default the catalog marks [U]: the description must say so.
PROJECT_DEFAULTS = {
    "BRCH-002", "BRCH-009", "CTRL-005", "CTRL-007", "CTRL-010", "CTRL-013", "COST-003", "COST-007",
    "FLEX-001", "SLA-004", "SEC-004", "SEC-005", "SEC-006", "STRAT-004", "QUAL-003", "BRCH-010", "FLEX-004",
}  # fmt: skip

RULESET = load_rules()
BY_ID = {r.id: r for r in RULESET.rules}
CONTRACT_IDS = {i for i, r in BY_ID.items() if r.meta.target == "contract" and not r.builtin}
HAVE_TCO = importlib.util.find_spec("checker.tco") is not None


def _raw(rule_id: str) -> dict[str, Any]:
    area = CATALOG[rule_id][0]
    return yaml.safe_load((RULES / area / f"{rule_id}.yaml").read_text(encoding="utf-8"))


def test_catalog_has_105_ids_and_nothing_else() -> None:
    assert len(CATALOG) == 105
    assert set(CATALOG) == CONTRACT_IDS
    assert not RULESET.errors


def test_the_derived_table_agrees_with_the_published_catalog() -> None:
    """Ids and default severities as the domain catalog lists them ("critical if state
    cap, else high" is a high rule that escalates)."""
    text = shared_path("domain", "contracts.md").read_text(encoding="utf-8")
    table = text.split("## 2. Rule catalog", 1)[1].split("\n## ", 1)[0]
    published: dict[str, str] = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 3 and re.fullmatch(r"[A-Z]+-\d{3}", cells[1]):
            words = re.findall(r"\b(critical|high|medium|low|info)\b", cells[3].split("—")[0])
            published[cells[1]] = words[-1] if " else " in cells[3].split("—")[0] else words[0]
    assert set(published) <= set(CATALOG)  # later additions (BRCH-010 …) are listed elsewhere
    assert published == {i: severity for i, (_, severity) in CATALOG.items() if i in published}


def test_what_cannot_be_waived_is_critical_and_state_rules_name_states() -> None:
    assert NOT_WAIVABLE and all(CATALOG[i][1] == "critical" for i in NOT_WAIVABLE)
    assert {"PRIV-001", "BRCH-001", "CTRL-001"} <= NOT_WAIVABLE
    assert STATES["PRIV-019"] == {"NY"} and STATES["PRIV-020"] == {"NY"}
    assert all(len(state) == 2 and state.isupper() for states in STATES.values() for state in states)


@pytest.mark.parametrize("rule_id", sorted(CATALOG))
def test_rule_file_matches_catalog(rule_id: str) -> None:
    area, severity = CATALOG[rule_id]
    raw = _raw(rule_id)
    assert raw["id"] == rule_id and raw["area"] == area and raw["severity"] == severity
    assert raw["references"] and all(ref["cite"].strip() for ref in raw["references"])
    assert raw["examples"]["pass"] and raw["examples"]["fail"]
    assert "{{" in raw["message"], "the message must show the actual value"
    assert set(raw.get("states", [])) == STATES.get(rule_id, set())
    if rule_id in MDM_SCOPED:
        assert BY_ID[rule_id].service_types == {"mdm", "managed_service"}
        assert "service_type" not in str(raw.get("applies")), "one table decides service types"
    assert raw.get("waivable", True) is (rule_id not in NOT_WAIVABLE)
    if rule_id in PROJECT_DEFAULTS:
        assert "project default, not law" in " ".join(raw["description"].split())
    assert (RULES / area / "pack.yaml").is_file()


@pytest.mark.parametrize(("key", "value"), sorted(DEFAULTS.items()))
def test_catalog_parameter_defaults(key: tuple[str, str], value: float) -> None:
    rule_id, param = key
    assert BY_ID[rule_id].params[param] == value


def _paths(cond: Any, out: set[str]) -> set[str]:
    """Document paths a condition reads (not inside `each`, whose paths are relative)."""
    if isinstance(cond, dict):
        if "each" in cond:
            out.add(cond["each"])
            return out
        if isinstance(cond.get("path"), str) and not cond["path"].startswith("$."):
            out.add(cond["path"])
        for value in cond.values():
            _paths(value, out)
    elif isinstance(cond, list):
        for item in cond:
            _paths(item, out)
    return out


def _has(doc: Any, dotted: str) -> bool:
    for part in dotted.split("."):
        if not isinstance(doc, dict) or part not in doc:
            return False
        doc = doc[part]
    return True


@pytest.mark.parametrize("rule_id", sorted(CATALOG))
def test_some_pass_example_sets_every_field_the_rule_reads(rule_id: str) -> None:
    raw = _raw(rule_id)
    read = _paths(raw["check"], set()) | _paths(raw.get("applies"), set())
    assert any(all(_has(ex, p) for p in read) for ex in raw["examples"]["pass"]), sorted(read)
    if "states" in raw:
        for ex in raw["examples"]["fail"]:
            assert ex.get("district", {}).get("state") in raw["states"]


# ---- behaviour on a compliant contract and broken copies ---------------------------------


def _compliant() -> dict[str, Any]:
    return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


def _set(doc: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    for part in parents:
        doc = doc[int(part)] if isinstance(doc, list) else doc.setdefault(part, {})
    if isinstance(doc, list):
        doc[int(leaf)] = value
    else:
        doc[leaf] = value


def _lint(doc: dict[str, Any], tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "contract.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = lint([path], rules=RULESET, today=TODAY)
    assert not result.errors
    found: dict[str, str] = {}
    for f in result.findings:
        if f.rule == "COST-002" and not HAVE_TCO:
            continue  # the TCO model (checker/tco.py) is not installed yet
        found.setdefault(f.rule, str(f.severity))
    return found


def _variant(state: str) -> dict[str, Any]:
    doc = _compliant()
    doc["district"]["state"] = state
    if state == "CT":
        doc["contract"]["governing_law_state"] = "CT"
    return doc


@pytest.mark.parametrize("state", ["NY", "CA", "MT", "IL", "CT", "UT", "TX", "CO", "WA"])
def test_compliant_contract_has_no_findings_in_any_state(state: str, tmp_path: Path) -> None:
    assert _lint(_variant(state), tmp_path) == {}


# (case id, district state, {path: new value}, {rule: severity} expected)
BROKEN: list[tuple[str, str, dict[str, Any], dict[str, str]]] = [
    ("ownership-vendor", "NY", {"privacy.ownership": "vendor"}, {"PRIV-001": "critical"}),
    ("ownership-vendor-ca", "CA", {"privacy.ownership": "vendor"}, {"PRIV-001": "critical", "PRIV-021": "critical"}),
    ("ownership-vendor-mt", "MT", {"privacy.ownership": "vendor"}, {"PRIV-001": "critical", "PRIV-021": "critical"}),
    ("purpose", "NY", {"privacy.purpose_limited": False}, {"PRIV-002": "critical"}),
    ("sale", "NY", {"privacy.sale_prohibited": False}, {"PRIV-003": "critical"}),
    ("tracking", "NY", {"privacy.cross_app_tracking": True}, {"PRIV-003": "critical"}),
    ("ads", "NY", {"privacy.targeted_ads_prohibited": False}, {"PRIV-004": "critical"}),
    ("profiling", "NY", {"privacy.profiling_prohibited": False}, {"PRIV-005": "high"}),
    ("ferpa-il", "IL", {"privacy.ferpa_school_official_statement": False}, {"PRIV-006": "critical", "PRIV-022": "critical"}),
    ("redisclosure", "NY", {"privacy.redisclosure_prohibited": None}, {"PRIV-007": "high"}),
    ("no-categories", "NY", {"data.categories": []}, {"PRIV-008": "high"}),
    ("off-hours-tracking", "NY", {"privacy.off_hours_location_tracking": True}, {"PRIV-009": "medium"}),
    ("parent-access", "NY", {"privacy.parent_access_response_days": 60}, {"PRIV-010": "high"}),
    ("correction-ct", "CT", {"privacy.correction_procedure": False}, {"PRIV-011": "high", "PRIV-023": "critical"}),
    ("policy-notice", "NY", {"privacy.policy_change_notice_days": 0, "changes.mode": "notice", "changes.notice_days": None},
     {"PRIV-012": "medium"}),
    ("changes-consent", "NY", {"privacy.policy_change_notice_days": 0, "changes.notice_days": 0}, {}),
    ("changes-unilateral", "NY", {"changes.mode": "unilateral"}, {"PRIV-012": "medium"}),
    ("deidentified-marketing", "NY", {"privacy.deidentified_use.purposes": ["marketing"]}, {"PRIV-027": "medium"}),
    ("reidentify", "NY", {"privacy.deidentified_use.reidentification_prohibited": False}, {"PRIV-027": "medium"}),
    ("legal-demand", "NY", {"privacy.legal_demand_notice": False}, {"PRIV-028": "medium"}),
    ("licence", "NY", {"privacy.content_license": "perpetual"}, {"PRIV-029": "high"}),
    ("licence-ca", "CA", {"privacy.content_license": "irrevocable"}, {"PRIV-029": "critical"}),
    ("dpa-expired", "NY", {"contract.dpa.expiration_date": dt.date(2026, 8, 30)}, {"PRIV-030": "high"}),
    ("dpa-short", "NY", {"contract.dpa.expiration_date": dt.date(2028, 6, 30)}, {"PRIV-030": "high"}),
    ("cap-ny", "NY", {"liability.breach_costs_outside_cap": False, "liability.cap_usd": 100000}, {"BRCH-010": "critical"}),
    ("cap-wa", "WA", {"liability.breach_costs_outside_cap": False, "liability.cap_usd": 100000}, {"BRCH-010": "high"}),
    ("cap-high", "WA", {"liability.breach_costs_outside_cap": False}, {}),
    ("district-indemnity", "NY", {"liability.district_indemnifies_vendor": True}, {"BRCH-011": "high"}),
    ("vendor-deletes", "NY", {"control.vendor_may_delete_without_instruction": True}, {"CTRL-020": "high"}),
    ("no-return", "NY", {"control.return_on_request": False}, {"CTRL-020": "high"}),
    ("deidentify-instead", "NY", {"control.termination_disposition": "delete_or_deidentify",
                                  "privacy.deidentified_use.transfer_requires_consent": False},
     {"CTRL-001": "critical", "PRIV-027": "medium"}),
    ("deidentify-ok", "NY", {"control.termination_disposition": "delete_or_deidentify"}, {}),
    ("renewal-soon", "NY", {"contract.renewal_decision": None, "contract.end_date": dt.date(2026, 11, 30),
                            "contract.renewal_notice_days": 60}, {"FLEX-004": "medium"}),
    ("renewal-missed", "NY", {"contract.renewal_decision": None, "contract.end_date": dt.date(2026, 10, 29),
                              "contract.renewal_notice_days": 60, "contract.dpa.expiration_date": None},
     {"FLEX-004": "high"}),
    ("renewal-decided", "NY", {"contract.end_date": dt.date(2026, 10, 29), "contract.renewal_notice_days": 60,
                               "contract.dpa.expiration_date": None}, {}),
    ("ai-training", "NY", {"privacy.ai_training_on_student_data": True}, {"PRIV-013": "high"}),
    ("coppa", "NY", {"privacy.coppa.retention_policy_published": False}, {"PRIV-014": "high"}),
    ("ppra", "NY", {"privacy.ppra_marketing_use": True}, {"PRIV-015": "medium"}),
    ("location", "NY", {"privacy.data_location": "unspecified"}, {"PRIV-016": "medium"}),
    ("training", "NY", {"privacy.staff_training": False}, {"PRIV-017": "medium"}),
    ("tos", "NY", {"contract.dpa.prevails_over_tos": False}, {"PRIV-018": "high"}),
    ("ny-bill-of-rights", "NY", {"privacy.state_terms.NY.parents_bill_of_rights": False}, {"PRIV-019": "critical"}),
    ("ny-security-plan", "NY", {"privacy.state_terms.NY.security_plan": None}, {"PRIV-020": "critical"}),
    ("ca-content", "CA", {"privacy.student_content_export": False}, {"PRIV-021": "critical"}),
    ("il-publish", "IL", {"contract.publishable": False}, {"PRIV-022": "critical", "CTRL-016": "high"}),
    ("ct-law", "WA", {"contract.governing_law_state": "WA"}, {}),
    ("ct-law-ct", "CT", {"contract.governing_law_state": "NY"}, {"PRIV-023": "critical"}),
    ("ut-audit", "UT", {"audit.right": False}, {"PRIV-024": "critical", "CTRL-011": "critical"}),
    ("tx-tsds", "TX", {"privacy.state_terms.TX.tsds_unique_id": False}, {"PRIV-025": "high"}),
    ("co-binds", "CO", {"privacy.state_terms.CO.binds_22_16_108_110": False}, {"PRIV-026": "critical"}),
    ("breach-silent", "NY", {"breach.notify_district_within_hours": None}, {"BRCH-001": "critical"}),
    ("breach-ny", "NY", {"breach.notify_district_within_hours": 240}, {"BRCH-002": "critical"}),
    ("breach-ny-legal", "NY", {"breach.notify_district_within_hours": 100}, {"BRCH-002": "high"}),
    ("breach-ct", "CT", {"breach.notify_district_within_hours": 1000, "contract.governing_law_state": "CT"},
     {"BRCH-002": "critical"}),
    ("breach-wa", "WA", {"breach.notify_district_within_hours": 100}, {"BRCH-002": "high"}),
    ("clock", "NY", {"breach.clock_start": "confirmation"}, {"BRCH-003": "medium"}),
    ("notice-contents", "NY", {"breach.notice_contents": ["date"]}, {"BRCH-004": "medium"}),
    ("reimburse-ny", "NY", {"breach.cost_reimbursement": "capped"}, {"BRCH-005": "critical"}),
    ("reimburse-wa", "WA", {"breach.cost_reimbursement": "capped"}, {"BRCH-005": "high"}),
    ("irp", "NY", {"breach.cooperation": False}, {"BRCH-006": "high"}),
    ("breach-subs", "NY", {"breach.covers_subprocessors": False}, {"BRCH-007": "high"}),
    ("families", "NY", {"breach.family_notice_lea_directed": False, "breach.vendor_notifies_families_directly": True}, {"BRCH-008": "medium"}),
    ("insurance", "NY", {"breach.cyber_insurance_usd": 100000}, {"BRCH-009": "medium"}),
    ("delete-subs", "NY", {"deletion.covers_subprocessors": False}, {"CTRL-001": "critical"}),
    ("delete-ca", "CA", {"deletion.on_termination": False, "control.termination_disposition": None}, {"CTRL-001": "critical", "PRIV-021": "critical"}),
    ("delete-days", "NY", {"deletion.within_days_of_termination": 180}, {"CTRL-002": "high"}),
    ("delete-request", "NY", {"deletion.on_request_within_days": 90}, {"CTRL-003": "high"}),
    ("certificate", "NY", {"deletion.certificate": False}, {"CTRL-004": "medium"}),
    ("backups", "NY", {"deletion.backup_purge_days": 400}, {"CTRL-005": "medium"}),
    ("formats", "NY", {"exit.return_formats": ["proprietary"]}, {"CTRL-006": "high"}),
    ("transition", "NY", {"exit.transition_assistance_days": 30}, {"CTRL-007": "high"}),
    ("subs-list-il", "IL", {"subprocessors.list_provided": False}, {"CTRL-008": "critical"}),
    ("flowdown", "NY", {"subprocessors.flowdown": False}, {"CTRL-009": "high"}),
    ("subs-objection", "NY", {"subprocessors.objection_right": False}, {"CTRL-010": "medium"}),
    ("audit-ny", "NY", {"audit.notice_business_days": 30}, {"CTRL-011": "high"}),
    ("soc2-age", "NY", {"audit.report_age_months": 30}, {"CTRL-012": "medium"}),
    ("successor", "NY", {"change_of_control.successor_bound": False}, {"CTRL-013": "high"}),
    ("tenant", "NY", {"admin.tenant_owner": "vendor"}, {"CTRL-014": "critical"}),
    ("tenant-app", "NY", {"admin.tenant_owner": "vendor", "contract.service_type": "edtech_app"}, {}),
    ("break-glass", "NY", {"admin.lea_break_glass": False}, {"CTRL-015": "high"}),
    ("publish-ny", "NY", {"contract.publishable": False}, {}),
    ("publish-co", "CO", {"contract.publishable": False}, {"CTRL-016": "high"}),
    ("no-dpa", "NY", {"contract.dpa.type": "none"}, {"CTRL-017": "high"}),
    ("exhibit-g", "NY", {"contract.dpa.exhibit_g_state_terms": False}, {"CTRL-017": "high"}),
    ("redlines", "NY", {"contract.dpa.modifications_count": 2}, {"CTRL-018": "info"}),
    ("privacy-exit-ut", "UT", {"exit.terminate_on_privacy_violation_no_fee": False}, {"CTRL-019": "critical", "PRIV-024": "critical"}),
    ("privacy-exit-ny", "NY", {"exit.terminate_on_privacy_violation_no_fee": False}, {"CTRL-019": "high"}),
    ("no-annual", "NY", {"cost.annual_usd": []}, {"COST-001": "high"} | ({"COST-002": "high"} if HAVE_TCO else {})),
    ("escalator", "NY", {"cost.escalator_cap_pct": None}, {"COST-003": "medium"}),
    ("fee-silent", "NY", {"cost.fees.travel_usd": None}, {"COST-004": "high"}),
    ("export-fee", "NY", {"cost.fees.data_export_usd": 500}, {"COST-005": "high"}),
    ("non-appropriation", "NY", {"cost.non_appropriation_clause": False}, {"COST-006": "medium"}),
    ("renewal", "NY", {"contract.renewal_notice_days": 30}, {"COST-007": "medium"}),
    ("certs", "NY", {"quality.certifications": ["Apple Certified Support Professional"]}, {"QUAL-001": "medium"}),
    ("kpi", "NY", {"quality.qbr": False}, {"QUAL-002": "medium"}),
    ("background", "NY", {"quality.background_checks": False}, {"QUAL-003": "high"}),
    ("adjust-down", "NY", {"flex.device_adjust_down_pct": 5}, {"FLEX-001": "medium"}),
    ("surge", "NY", {"flex.surge_capacity": False}, {"FLEX-002": "medium"}),
    ("convenience", "NY", {"exit.termination_notice_days": 180}, {"FLEX-003": "medium"}),
    ("sla-levels", "NY", {"sla.severities.1.resolve_hours": None}, {"SLA-001": "high"}),
    ("p1", "NY", {"sla.p1_resolve_hours": 8}, {"SLA-002": "high"}),
    ("support-tz", "NY", {"sla.support_hours": "business_hours", "sla.support_timezone": "America/Los_Angeles"}, {"SLA-003": "high"}),
    ("onsite", "NY", {"sla.onsite_response_hours": 72}, {"SLA-004": "medium"}),
    ("uptime", "NY", {"sla.uptime_pct": 99.5}, {"SLA-005": "medium"}),
    ("credits", "NY", {"sla.credits_sole_remedy": True}, {"SLA-006": "medium"}),
    ("maintenance", "NY", {"sla.maintenance_notice_hours": 12}, {"SLA-007": "low"}),
    ("security-p1", "NY", {"sla.security_incident_is_p1": False}, {"SLA-008": "high"}),
    ("per-school", "NY", {"custom.per_school_policies": False}, {"CUST-001": "medium"}),
    ("site-admin", "NY", {"custom.site_admin_roles": False}, {"CUST-002": "medium"}),
    ("work-product", "NY", {"custom.work_product_owner": "vendor"}, {"CUST-003": "medium"}),
    ("framework", "NY", {"sec.framework": "none"}, {"SEC-001": "high"}),
    ("encrypt-ny", "NY", {"sec.encrypt_at_rest": False}, {"SEC-002": "critical"}),
    ("encrypt-wa", "WA", {"sec.encrypt_at_rest": False}, {"SEC-002": "high"}),
    ("mfa", "NY", {"sec.mfa_admin": False}, {"SEC-003": "high"}),
    ("logs", "NY", {"sec.admin_log_retention_days": 30}, {"SEC-004": "medium"}),
    ("pentest-u13", "NY", {"sec.pentest_interval_months": 24}, {"SEC-005": "high"}),
    ("pentest", "NY", {"sec.pentest_interval_months": 24, "data.students_under_13": False}, {"SEC-005": "medium"}),
    ("patch", "NY", {"sec.critical_patch_days": 30}, {"SEC-006": "medium"}),
    ("rto", "NY", {"sec.rto_hours": None}, {"SEC-007": "medium"}),
    ("wipe", "NY", {"sec.retire_wipe_standard": "other"}, {"SEC-008": "medium"}),
    ("cipa", "NY", {"sec.cipa_blocked_categories": ["obscene"]}, {"SEC-009": "high"}),
    ("cipa-no-erate", "NY", {"sec.cipa_blocked_categories": ["obscene"], "district.e_rate": False}, {}),
    ("platforms", "NY", {"intg.platforms_supported": ["ios", "ipados"]}, {"INTG-001": "high"}),
    ("roster", "NY", {"intg.roster_sync": "csv"}, {"INTG-002": "medium"}),
    ("sso", "NY", {"intg.sso": ["google"], "district.idp": "entra"}, {"INTG-003": "medium"}),
    ("api", "NY", {"intg.api": False}, {"INTG-004": "medium"}),
    ("flows", "NY", {"intg.undisclosed_data_flows": True}, {"INTG-005": "high"}),
    ("exit-plan", "NY", {"exit.device_release": False}, {"STRAT-001": "high"}),
    ("agent", "NY", {"strat.proprietary_agent_required": True, "strat.agent_removable_at_exit": False}, {"STRAT-002": "high"}),
    ("runbooks", "NY", {"strat.runbooks_owned_by_lea": False}, {"STRAT-003": "medium"}),
    ("functions", "NY", {"strat.vendor_functions": ["mdm", "helpdesk", "filtering", "repair"]}, {"STRAT-004": "medium"}),
    ("roadmap", "NY", {"strat.roadmap_review": False}, {"STRAT-005": "low"}),
]  # fmt: skip
if HAVE_TCO:
    BROKEN.append(("over-budget", "NY", {"cost.budget_cap_usd": 400000}, {"COST-002": "high"}))
    BROKEN.append(("vendor-tco", "NY", {"cost.tco_5yr_usd": 450000}, {"COST-002": "high"}))


@pytest.mark.parametrize(
    ("state", "changes", "expected"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN]
)
def test_broken_copy_trips_exactly_the_broken_rules(
    state: str, changes: dict[str, Any], expected: dict[str, str], tmp_path: Path
) -> None:
    doc = _variant(state)
    for dotted, value in changes.items():
        _set(doc, dotted, value)
    assert _lint(doc, tmp_path) == expected


def test_every_catalog_rule_is_tripped_by_some_broken_copy() -> None:
    tripped = {rule for *_, expected in BROKEN for rule in expected}
    assert tripped >= set(CATALOG) - ({"COST-002"} if not HAVE_TCO else set())


# ---- the bundled examples ----------------------------------------------------------------

EXAMPLES = ROOT / "examples" / "contracts"


def test_clean_example_has_no_critical_or_high_findings() -> None:
    result = lint([EXAMPLES / "clean-mdm-2026.yaml"], rules=RULESET, today=TODAY)
    assert not result.errors
    assert [f.rule for f in result.findings if str(f.severity) in ("critical", "high")] == []


def test_examples_exercise_every_area_and_the_state_overlays() -> None:
    result = lint([EXAMPLES], rules=RULESET, today=TODAY)
    assert not result.errors
    assert not [f for f in result.findings if f.rule.startswith("SCHEMA-")]
    areas = {CATALOG[f.rule][0] for f in result.findings if f.rule in CATALOG}
    assert areas == {area for area, _ in CATALOG.values()}
    fired = {f.rule for f in result.findings}
    assert {"PRIV-019", "PRIV-020", "PRIV-021", "BRCH-002"} <= fired
