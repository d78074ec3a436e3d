"""The contract model schema (checker/schemas/contract.yaml) and the `init contract` template."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import cerberus
import pytest
import yaml
from typer.testing import CliRunner

from checker.cli import app
from checker.run import run as lint
from checker.validate import validate

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "checker" / "schemas" / "contract.yaml"
TEMPLATE_FILE = ROOT / "checker" / "schemas" / "contract-template.yaml"
FIXTURE = ROOT / "tests" / "fixtures" / "compliant-contract.yaml"
EXAMPLES = sorted((ROOT / "examples" / "contracts").glob("*.yaml"))


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


SCHEMA = load(SCHEMA_FILE)


def cerberus_errors(doc: dict[str, Any]) -> dict[str, Any]:
    v = cerberus.Validator(SCHEMA, allow_unknown=False)
    v.validate(doc)
    return v.errors


def contract(**sections: Any) -> dict[str, Any]:
    return {"kind": "contract", "schema_version": 1, **sections}


@pytest.mark.parametrize("path", [FIXTURE, TEMPLATE_FILE, *EXAMPLES], ids=lambda p: p.name)
def test_full_contracts_are_valid(path: Path) -> None:
    doc = load(path)
    assert cerberus_errors(doc) == {}
    assert validate("contract", doc) == []


def test_examples_cover_the_required_cases() -> None:
    names = {p.name for p in EXAMPLES}
    assert "clean-mdm-2026.yaml" in names and len(names) >= 6
    states = {load(p)["district"]["state"] for p in EXAMPLES}
    assert {"NY", "CA", "IL"} <= states


BAD: list[tuple[str, dict[str, Any], str, str]] = [
    # (case, document, path of the issue, issue kind)
    # a duration may be text only when it is a qualitative promise from the fixed list
    ("hours-as-text", contract(breach={"notify_district_within_hours": "72 hours"}),
     "breach.notify_district_within_hours", "value"),
    ("unknown-top", contract(brech={}), "brech", "unknown"),
    ("unknown-nested", contract(breach={"notify_district_hours": 72}), "breach.notify_district_hours", "unknown"),
    ("bad-enum", contract(privacy={"ownership": "district"}), "privacy.ownership", "value"),
    ("bad-list-enum", contract(data={"categories": ["roster", "ssn"]}), "data.categories[1]", "value"),
    ("quoted-date", contract(contract={"effective_date": "2026-07-01"}), "contract.effective_date", "type"),
    ("negative", contract(deletion={"within_days_of_termination": -5}), "deletion.within_days_of_termination", "value"),
    ("lower-state", contract(district={"state": "ny"}), "district.state", "value"),
    ("ny-term-typo", contract(privacy={"state_terms": {"NY": {"parent_bill_of_rights": True}}}),
     'privacy.state_terms.NY.parent_bill_of_rights', "unknown"),
    ("free-state-not-bool", contract(privacy={"state_terms": {"MA": {"signed": "yes"}}}),
     "privacy.state_terms.MA.signed", "type"),
    ("fee-key", contract(cost={"fees": {"setup_usd": 100}}), "cost.fees.setup_usd", "unknown"),
    ("severity-item", contract(sla={"severities": [{"name": "P1", "response_minutes": "fast"}]}),
     "sla.severities[0].response_minutes", "type"),
    ("wrong-kind", {"kind": "district", "schema_version": 1}, "kind", "value"),
]  # fmt: skip


@pytest.mark.parametrize(("doc", "path", "kind"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_documents_are_rejected(doc: dict[str, Any], path: str, kind: str) -> None:
    assert cerberus_errors(doc)
    issues = validate("contract", doc)
    assert [(i.path, i.kind) for i in issues] == [(path, kind)]


def test_free_form_state_terms_and_nulls_are_accepted() -> None:
    doc = contract(
        privacy={
            "state_terms": {"MA": {"exhibit_g_signed": True}, "NY": None, "CO": {"binds_22_16_108_110": None}}
        },
        breach=None,
        cost={"fees": {"travel_usd": None}, "annual_usd": [1000, 1030]},
        contract={"effective_date": dt.date(2026, 7, 1), "products": [{"name": "App", "app_ids": ["com.x"]}]},
    )
    assert cerberus_errors(doc) == {}
    assert validate("contract", doc) == []


# ---- the template ------------------------------------------------------------------------


def schema_leaves(schema: dict[str, Any], prefix: str = "") -> set[str]:
    """Every field path of the schema (dicts with a fixed `schema` are descended)."""
    out: set[str] = set()
    for key, rules in schema.items():
        path = f"{prefix}{key}"
        if rules.get("type") == "dict" and "schema" in rules and "keysrules" not in rules:
            out |= schema_leaves(rules["schema"], path + ".")
        else:
            out.add(path)
    return out


def doc_leaves(doc: Any, prefix: str = "") -> set[str]:
    out: set[str] = set()
    for key, value in doc.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and path != "privacy.state_terms":
            out |= doc_leaves(value, path + ".")
        else:
            out.add(path)
    return out


def test_template_has_every_field_of_the_model_with_an_explanation() -> None:
    template = load(TEMPLATE_FILE)
    assert doc_leaves(template) == schema_leaves(SCHEMA)
    lines = TEMPLATE_FILE.read_text(encoding="utf-8").splitlines()
    # A field line without a trailing comment; the fee lines share their group's comment.
    unexplained = [ln for ln in lines if ln.rstrip().endswith(": null") and "_usd: null" not in ln]
    assert unexplained == [], "every field line needs a `# ...` explanation"


def fill(template: Any, values: Any) -> Any:
    """The template with each null replaced by the compliant fixture's value at that path."""
    if isinstance(template, dict):
        return {k: fill(v, values.get(k) if isinstance(values, dict) else None) for k, v in template.items()}
    return values if template is None else template


def test_filled_template_lints_without_schema_findings(tmp_path: Path) -> None:
    filled = fill(load(TEMPLATE_FILE), load(FIXTURE))
    assert doc_leaves(filled) == doc_leaves(load(TEMPLATE_FILE))
    assert all(v is not None for k, v in _flat(filled).items() if k != "breach.reimbursement_cap_usd")
    path = tmp_path / "filled.yaml"
    path.write_text(yaml.safe_dump(filled, sort_keys=False), encoding="utf-8")
    result = lint([path], today=dt.date(2026, 9, 1))
    assert not result.errors
    assert [f.rule for f in result.findings if f.rule.startswith("SCHEMA-")] == []


def test_unfilled_template_lints_without_schema_findings(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    path.write_text(TEMPLATE_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    result = lint([path], today=dt.date(2026, 9, 1))
    assert not result.errors
    assert result.findings, "a silent contract is full of findings"
    assert not [f for f in result.findings if f.rule.startswith("SCHEMA-")]


def _flat(doc: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in doc.items():
        if isinstance(value, dict) and f"{prefix}{key}" != "privacy.state_terms":
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


# ---- k12check init contract ---------------------------------------------------------------


def test_init_contract_prints_the_template() -> None:
    result = CliRunner().invoke(app, ["init", "contract"])
    assert result.exit_code == 0
    assert result.stdout == TEMPLATE_FILE.read_text(encoding="utf-8")


def test_init_contract_writes_and_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "acme.yaml"
    runner = CliRunner()
    assert runner.invoke(app, ["init", "contract", "-o", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8") == TEMPLATE_FILE.read_text(encoding="utf-8")
    out.write_text("kept", encoding="utf-8")
    refused = runner.invoke(app, ["init", "contract", "-o", str(out)])
    assert refused.exit_code == 2 and "--force" in refused.output
    assert out.read_text(encoding="utf-8") == "kept"
    assert runner.invoke(app, ["init", "contract", "-o", str(out), "--force"]).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    assert "# k12check contract template" in out.read_text(encoding="utf-8")
