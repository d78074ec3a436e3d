"""Citations by jurisdiction: a finding shows its district's law, the matrix lists what binds it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from checker import areas, jurisdictions
from checker.catalog import load_rules
from checker.formats import render
from checker.models import Reference
from checker.report import make_report
from checker.run import RunOptions
from checker.run import run as lint

ROOT = Path(__file__).resolve().parents[1]
NY_CONTRACT = ROOT / "examples" / "contracts" / "problem-vendor-2026.yaml"  # a New York district
TODAY = dt.date(2026, 9, 1)
REFS = (
    Reference("CA Ed 49073.1", "https://leginfo.legislature.ca.gov/", "CA"),
    Reference("market", None, "market"),
    Reference("NDPA Art. V", "https://sdpc.a4l.org", "NDPA"),
    Reference("8 NYCRR 121.10", "https://www.nysed.gov/", "NY"),
    Reference("CIS 3.4", None, "CIS"),
    Reference("34 CFR 99.31", "https://www.ecfr.gov/", "US-federal"),
)


def test_for_state_puts_own_state_federal_and_ndpa_first_and_drops_other_states() -> None:
    got = [r.jurisdiction for r in jurisdictions.for_state(REFS, "NY")]
    assert got == ["NY", "US-federal", "NDPA", "CIS", "market"]


def test_for_state_keeps_every_law_when_the_state_is_unknown() -> None:
    got = [r.jurisdiction for r in jurisdictions.for_state(REFS, None)]
    assert got == ["US-federal", "NDPA", "CIS", "market", "CA", "NY"]


@pytest.mark.parametrize(("code", "ok"), [("NY", True), ("US-federal", True), ("NDPA", True), ("CIS", True),
                                          ("market", True), ("vendor", True), ("ny", False), ("EU", True), ("law", False)])  # fmt: skip
def test_vocabulary(code: str, ok: bool) -> None:
    assert jurisdictions.is_known(code) is ok


def test_a_new_york_finding_cites_no_other_states_law_in_json_text_and_sarif() -> None:
    ruleset = load_rules()
    result = lint([NY_CONTRACT], RunOptions(today=TODAY), rules=ruleset)
    multi = [f for f in result.findings if f.rule == "CTRL-001"]  # cites CA, CT and NY law
    assert multi and [r.jurisdiction for r in multi[0].references] == ["NY"]
    states = {
        r.jurisdiction
        for f in result.findings
        for r in f.references
        if jurisdictions.is_state(r.jurisdiction)
    }
    assert states == {"NY"}
    for fmt in ("json", "text", "sarif"):
        out = render(fmt, result, ruleset.metas(), tool_version="0")
        assert "leginfo.legislature.ca.gov" not in out and "www.cga.ct.gov" not in out, fmt
    data = json.loads(render("json", result, ruleset.metas(), tool_version="0"))
    assert all("jurisdiction" in r for f in data["findings"] for r in f["references"])


def test_the_regulation_matrix_lists_only_laws_that_bind_the_district() -> None:
    report = make_report([NY_CONTRACT], year=2026, today=TODAY)
    codes = {r["jurisdiction"] for r in report["regulations"]}
    assert {"US-federal", "NY"} <= codes
    assert not {c for c in codes if jurisdictions.is_state(c)} - {"NY"}
    assert not codes & {"market", "vendor", "project"}
    ny = next(r for r in report["regulations"] if r["jurisdiction"] == "NY")
    assert ny["statute"] == "New York state law" and ny["findings"] > 0
    assert all(
        reg["findings"] == sum(rule["findings"] for rule in reg["rules"]) for reg in report["regulations"]
    )


def test_area_titles_come_from_the_packs() -> None:
    assert areas.title("cost") == "1. Cost" and areas.title("waiver") == "Waivers"
    assert [a.name for a in areas.contract_areas()][:3] == ["privacy", "breach", "control"]
    assert {r.meta.area for r in load_rules().rules} <= {a.name for a in areas.areas()}


RULE = """id: X-001
title: t
area: custom
target: contract
severity: low
description: d
check: {path: a, equals: 1}
message: m
remediation: r
references:
  - cite: c
%s
examples: {pass: [{a: 1}], fail: [{a: 2}]}
"""


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("", "references[0].jurisdiction is required"),
        ("    jurisdiction: law", "'law' is not a known law or framework"),
    ],
)
def test_a_rule_reference_needs_a_known_jurisdiction(tmp_path: Path, line: str, error: str) -> None:
    (tmp_path / "X-001.yaml").write_text(RULE % line)
    ruleset = load_rules([tmp_path], builtin=False)
    assert not ruleset.rules and error in ruleset.errors[0].message
    assert ruleset.errors[0].line == 11 + bool(line)
