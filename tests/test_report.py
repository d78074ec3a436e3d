"""The annual audit report: JSON content, --previous matching, calendar, money, escaping."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from checker.cli import app
from checker.errors import UsageError
from checker.models import fingerprint
from checker.report import load_previous, make_report, to_json, trend
from checker.report_render import to_html, to_markdown
from checker.tco import compute_in_house, compute_tco

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples"
# The contracts and the merged district file (the raw exports beside it would repeat its findings).
INPUTS = [EXAMPLES / "contracts", EXAMPLES / "district" / "district.yaml"]
TODAY = dt.date(2026, 9, 1)
HOSTILE = '<script>alert(1)</script>" onmouseover="alert(2)'


@pytest.fixture(scope="module")
def example_report() -> dict[str, Any]:
    previous = load_previous(EXAMPLES / "audit-2025.json")
    return make_report(INPUTS, year=2026, today=TODAY, previous=previous)


def test_summary_and_appendix_account_for_every_finding(example_report: dict[str, Any]) -> None:
    r = example_report
    s = r["summary"]
    assert s["contracts"] == 8 and s["open"] == len(r["findings"]) > 0
    assert sum(s["by_severity"].values()) == s["open"]
    assert sum(a["count"] for a in s["by_area"]) == s["open"]
    assert sum(len(d["findings"]) for d in r["appendix"]) == len(r["findings"])
    assert sum(s["gates"].values()) == 8
    problem = next(c for c in r["scorecards"] if c["vendor"].startswith("ApexCloud"))
    assert problem["gate"] == "BLOCK" and problem["pct"] < 50
    assert [a["area"] for a in problem["areas"]][:3] == ["privacy", "breach", "control"]
    for area in problem["areas"]:
        total = area["passed"] + area["failed"]
        assert area["pct"] == (None if total == 0 else round(area["passed"] / total * 100, 1))


def test_trend_against_the_example_previous_year(example_report: dict[str, Any]) -> None:
    t = example_report["trend"]
    assert t["previous_year"] == 2025
    # 2025's BRCH-003 (no deadline at all) and INTG-005 (flows not stated) findings are gone:
    # silence is not judged as failure any more (issue 13)
    # and the v2 contract rules and the DPA-only example add findings (issue 16)
    assert (len(t["new"]), len(t["fixed"]), t["persisting"]) == (42, 16, 192)
    assert [h["year"] for h in t["history"]] == [2024, 2025, 2026]
    assert len({v["vendor"] for v in t["vendors"]}) == len(t["vendors"])  # one row per vendor
    moves = {v["vendor"]: v["change"] for v in t["vendors"]}
    assert moves["Bluepine Mobility Services, Inc."] == -3 and moves["ApexCloud Device Management Ltd."] == 8
    assert {f["rule"] for f in t["fixed"]} >= {"BRCH-002", "SLA-002", "PRIV-003"}


def test_money_matches_the_tco_model(example_report: dict[str, Any]) -> None:
    cash = example_report["money"]
    totals = [
        compute_tco(yaml.safe_load(p.read_text())).total
        for p in sorted((EXAMPLES / "contracts").glob("*.yaml"))
    ]
    assert cash["portfolio_total"] == round(sum(t or 0 for t in totals), 2)

    def order(t: Any) -> tuple[bool, float]:  # a DPA-only package has no price: no total
        return (t is not None, t or 0)

    assert sorted((c["total"] for c in cash["contracts"]), key=order) == sorted(totals, key=order)
    apex = next(c for c in cash["contracts"] if c["vendor"].startswith("ApexCloud"))
    assert apex["vendor_diff_pct"] == 20.7 and "Exit transition fee" in apex["unknown_fees"]
    shares = [v["spend_pct"] for v in example_report["concentration"]["vendors"]]
    assert sum(shares) == pytest.approx(100, abs=0.2)


def test_regulation_matrix_links_citations_rules_and_findings(example_report: dict[str, Any]) -> None:
    regs = {r["jurisdiction"]: r for r in example_report["regulations"]}
    assert "US-federal" in regs and example_report["regulations"][0]["jurisdiction"] in (
        "US-federal",
        "NY",
        "CA",
    )
    assert not regs.keys() & {"market", "vendor", "project"}  # not laws, not frameworks
    for reg in regs.values():
        assert reg["findings"] == sum(rule["findings"] for rule in reg["rules"])
    open_rules = {f["rule"] for f in example_report["findings"]}
    assert any(rule["id"] in open_rules for rule in regs["US-federal"]["rules"])


def _finding(rule: str, doc: str, path: str, vendor: str) -> dict[str, Any]:
    fp = fingerprint(rule, doc, path)
    return {
        "rule": rule,
        "severity": "high",
        "title": rule,
        "vendor": vendor,
        "vendor_key": vendor,
        "fingerprint": fp,
    }


def test_previous_matching_by_fingerprint() -> None:
    a, b, c = (_finding(r, "contract:X", "p." + r, "Acme") for r in ("R-1", "R-2", "R-3"))
    d = _finding("R-4", "contract:Y", "p", "Beta")
    previous = {
        "year": 2025,
        "findings": [a, b, {**d, "waiver": {"reason": "x"}}],
        "summary": {"by_severity": {"high": 2}},
    }
    t = trend(2026, [b, c, d], {"high": 3}, previous)
    assert [f["rule"] for f in t["new"]] == ["R-3", "R-4"]  # a waived finding last year is not "open" then
    assert [f["rule"] for f in t["fixed"]] == ["R-1"] and t["persisting"] == 1
    assert {v["vendor"]: (v["previous"], v["current"]) for v in t["vendors"]} == {
        "Acme": (2, 2),
        "Beta": (0, 1),
    }
    assert t["history"] == [
        {"year": 2025, "by_severity": {"high": 2}},
        {"year": 2026, "by_severity": {"high": 3}},
    ]
    assert trend(2026, [b], {"high": 1}, None)["previous_year"] is None


def test_load_previous_rejects_other_files(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text(json.dumps({"findings": []}))
    with pytest.raises(UsageError, match="not a k12check report"):
        load_previous(bad)
    bad.write_text("{not json")
    with pytest.raises(UsageError):
        load_previous(bad)


def _contract(tmp: Path, name: str, vendor: str, **over: Any) -> Path:
    data = yaml.safe_load((EXAMPLES / "contracts" / "clean-mdm-2026.yaml").read_text())
    data["vendor"]["name"] = vendor
    data["contract"].update(over)
    path = tmp / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def _district(tmp: Path) -> Path:
    devices = [
        {
            "serial": f"S{n}",
            "platform": "chromeos",
            "model": "Acer C733",
            "managed": True,
            "aue_date": "2027-06-01",
        }
        for n in range(3)
    ] + [{"serial": "OLD", "platform": "chromeos", "model": "Old", "managed": True, "aue_date": "2025-06-01"}]
    data = {
        "kind": "district",
        "schema_version": 1,
        "district": {"id": "d1", "name": "Example USD", "state": "NY"},
        "devices": devices,
        "in_house": {"staff_fte": 1, "salary_usd": 60000, "benefits_pct": 25},
    }
    path = tmp / "district.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("report")
    _contract(
        tmp, "a.yaml", HOSTILE, effective_date=dt.date(2025, 10, 1), term_months=12, renewal_notice_days=60
    )
    _contract(tmp, "b.yaml", "=cmd|' /C calc'!A0 | pipe", id="B-2")
    _district(tmp)
    return make_report(
        [tmp], year=2026, today=TODAY, schema=False
    )  # the report, not the schemas, is under test


def test_calendar_money_and_in_house(built: dict[str, Any]) -> None:
    events = built["calendar"]["events"]
    kinds = [(e["kind"], e["date"]) for e in events]
    assert ("contract_end", "2026-10-01") in kinds
    # the renewal-notice deadline passed while the contract runs: on the calendar, as missed
    missed = next(e for e in events if e["kind"] == "renewal_notice" and e["date"] == "2026-08-02")
    assert missed["missed"] is True and missed["days"] < 0 and "missed" in missed["label"]
    assert ("aue", "2027-06-01") in kinds and built["calendar"]["devices_past_aue"] == 1
    aue = next(e for e in events if e["kind"] == "aue")
    assert aue["count"] == 3 and "Acer C733" in aue["label"]
    assert events == sorted(events, key=lambda e: (e["date"], e["label"]))
    assert built["district"] == "Example USD"
    ih = built["money"]["in_house"]
    assert (
        ih["total"]
        == compute_in_house({"staff_fte": 1, "salary_usd": 60000, "benefits_pct": 25}).total
        == 375000
    )
    cmp = built["money"]["comparison"]
    assert len(built["money"]["compared_with"]) == 2  # both are MDM contracts
    assert cmp["difference_usd"] == round(built["money"]["portfolio_total"] - 375000, 2)


def test_html_escapes_hostile_vendor_names(built: dict[str, Any]) -> None:
    html = to_html(built)
    assert "<script" not in html.lower() and 'onmouseover="' not in html and "onmouseover='" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert re.search(r"&#34;|&quot;", html)
    svg_labels = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svg_labels) == 5 and any("&lt;script&gt;" in s for s in svg_labels)


def test_html_is_self_contained(built: dict[str, Any]) -> None:
    html = to_html(built)
    assert not re.search(r"<(link|img|iframe|object|embed)\b", html, re.I)
    assert not re.search(r"(src=|@import|url\()\s*['\"]?(https?:)?//", html, re.I)
    assert "@media print" in html and "Example USD" in html
    for heading in ("Executive summary", "Vendor scorecards", "Calendar", "Money", "Vendor concentration",
                    "Regulation matrix", "Appendix"):  # fmt: skip
        assert heading in html


def test_markdown_and_json(built: dict[str, Any]) -> None:
    text = to_markdown(built)
    assert "## 8. Appendix" in text and "&lt;script&gt;" in text and "\\| pipe" in text
    data = json.loads(to_json(built))
    assert data["report"] == "k12check-audit" and data["year"] == 2026 and data["headlines"]


def test_cli_writes_all_formats(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["report", *map(str, INPUTS), "--year", "2026", "--today", "2026-09-01"]
    out = runner.invoke(
        app, [*args, "--previous", str(EXAMPLES / "audit-2025.json"), "-o", str(tmp_path / "a.html")]
    )
    assert out.exit_code == 0, out.output
    assert "Since 2025: 42 new, 16 fixed" in (tmp_path / "a.html").read_text()
    out = runner.invoke(app, [*args, "--format", "json"])
    assert out.exit_code == 0 and json.loads(out.stdout)["summary"]["contracts"] == 8
    out = runner.invoke(app, [*args, "--format", "pdf"])
    assert out.exit_code == 2 and "--format" in out.stderr
    out = runner.invoke(app, [*args, "--previous", str(EXAMPLES / "contracts" / "clean-mdm-2026.yaml")])
    assert out.exit_code == 2 and "--previous" in out.stderr


def test_in_house_is_compared_with_the_contracts_that_outsource_it_work() -> None:
    from checker.report_sections import _outsources_it

    assert _outsources_it({"contract": {"service_type": "managed_service"}})
    assert _outsources_it(
        {"contract": {"service_type": "edtech_app"}, "strat": {"vendor_functions": ["helpdesk"]}}
    )
    assert not _outsources_it({"contract": {"service_type": "sis"}, "strat": {"vendor_functions": []}})


def test_a_previous_report_without_vendor_keys_matches_vendors_by_name(tmp_path: Path) -> None:
    data = json.loads((EXAMPLES / "audit-2025.json").read_text())
    for f in data["findings"]:
        f.pop("vendor_key", None)
    (tmp_path / "old.json").write_text(json.dumps(data))
    t = make_report(INPUTS, year=2026, today=TODAY, previous=load_previous(tmp_path / "old.json"))["trend"]
    assert len({v["vendor"] for v in t["vendors"]}) == len(t["vendors"])
    assert {v["vendor"]: v["change"] for v in t["vendors"]}["ApexCloud Device Management Ltd."] == 8
