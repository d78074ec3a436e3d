"""The contract catalog's facts (checker/facts/contract.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from checker.facts import FACTS, FactContext, FactInfo, load_builtin_facts

load_builtin_facts()
TODAY = dt.date(2026, 9, 1)
ALL_FEES = {
    "onboarding_usd": 0,
    "offboarding_usd": 0,
    "data_export_usd": 0,
    "overage_per_device_usd": 0,
    "after_hours_hourly_usd": 0,
    "travel_usd": 0,
    "true_up_usd": 0,
}


def fact(name: str, data: dict[str, Any], state: str | None = None) -> Any:
    return FactContext(today=TODAY, state=state).get(name, data)


def test_facts_are_registered_with_docs() -> None:
    for name in (
        "unstated_fees",
        "unpriced_fees",
        "renewal_notice_deadline",
        "tco_vendor_diff_pct",
        "uncertified_platform_vendors",
    ):
        assert FACTS[name].doc and FACTS[name].kinds == ("contract",)


@pytest.mark.parametrize(
    ("fees", "expected"),
    [
        (ALL_FEES, []),
        ({**ALL_FEES, "travel_usd": None}, ["travel_usd"]),
        ({"onboarding_usd": 0}, [k for k in ALL_FEES if k != "onboarding_usd"]),
        (None, list(ALL_FEES)),
        ({**ALL_FEES, "true_up_usd": "ask us"}, ["true_up_usd"]),
    ],
)
def test_unstated_fees(fees: Any, expected: list[str]) -> None:
    assert fact("unstated_fees", {"cost": {"fees": fees}}) == expected


def test_unstated_fees_when_cost_is_absent() -> None:
    assert fact("unstated_fees", {}) == list(ALL_FEES)


@pytest.mark.parametrize(
    ("fees", "expected"),
    [
        (ALL_FEES, []),
        (
            {**ALL_FEES, "overage_per_device_usd": 12, "travel_usd": None},
            ["overage_per_device_usd", "travel_usd"],
        ),
        ({**ALL_FEES, "onboarding_usd": 9000}, []),  # one-time fees are in the TCO, not usage-priced
        ({}, ["overage_per_device_usd", "after_hours_hourly_usd", "travel_usd", "true_up_usd"]),
    ],
)
def test_unpriced_fees(fees: dict[str, Any], expected: list[str]) -> None:
    assert fact("unpriced_fees", {"cost": {"fees": fees}}) == expected


def test_renewal_notice_deadline_from_explicit_end_date() -> None:
    data = {"contract": {"end_date": dt.date(2029, 6, 30), "renewal_notice_days": 90}}
    assert fact("renewal_notice_deadline", data) == dt.date(2029, 4, 1)


def test_renewal_notice_deadline_from_derived_end_date() -> None:
    data = {"contract": {"effective_date": dt.date(2026, 7, 1), "term_months": 12, "renewal_notice_days": 60}}
    assert fact("renewal_notice_deadline", data) == dt.date(2027, 5, 2)


@pytest.mark.parametrize(
    "contract",
    [
        {"end_date": dt.date(2029, 6, 30)},
        {"end_date": dt.date(2029, 6, 30), "renewal_notice_days": True},
        {"renewal_notice_days": 30},
    ],
)
def test_renewal_notice_deadline_unknown(contract: dict[str, Any]) -> None:
    assert fact("renewal_notice_deadline", {"contract": contract}) is None


@pytest.fixture
def our_tco(monkeypatch: pytest.MonkeyPatch) -> None:
    """Our TCO is 200,000 whatever the contract says (isolates the comparison from the model)."""
    stub = FactInfo("tco_5yr_usd", ("contract",), "stub", lambda data, ctx: 200000.0)
    monkeypatch.setitem(FACTS, "tco_5yr_usd", stub)


@pytest.mark.parametrize(
    ("vendor", "expected"),
    [(200000, 0.0), (202000, 1.0), (190000, 5.0), (250000, 25.0), (None, None), ("n/a", None)],
)
def test_tco_vendor_diff_pct(our_tco: None, vendor: Any, expected: float | None) -> None:
    assert fact("tco_vendor_diff_pct", {"cost": {"tco_5yr_usd": vendor}}) == expected


def test_tco_vendor_diff_pct_without_our_figure(monkeypatch: pytest.MonkeyPatch) -> None:
    stub = FactInfo("tco_5yr_usd", ("contract",), "stub", lambda data, ctx: None)
    monkeypatch.setitem(FACTS, "tco_5yr_usd", stub)
    assert fact("tco_vendor_diff_pct", {"cost": {"tco_5yr_usd": 100}}) is None


@pytest.mark.parametrize(
    ("platforms", "certs", "expected"),
    [
        (["ipados", "chromeos"], ["Apple Certified Support Professional", "Google Workspace Admin"], []),
        (["ipados", "windows"], ["Apple Certified IT Professional"], ["microsoft"]),
        (["macos", "ios", "android"], [], ["apple", "google"]),
        (["windows"], ["Microsoft Intune Administrator"], []),
        (["chromeos"], None, ["google"]),
        (None, ["Apple"], None),
        ([], ["Apple"], None),
    ],
)
def test_uncertified_platform_vendors(platforms: Any, certs: Any, expected: Any) -> None:
    data = {"district": {"platforms": platforms}, "quality": {"certifications": certs}}
    assert fact("uncertified_platform_vendors", data) == expected


def test_a_fact_pointed_at_a_field_is_named_in_the_evidence() -> None:
    """COST-002 points at cost.tco_5yr_usd, but the value it judged is the fact's (a percentage)."""
    import datetime as dt
    from pathlib import Path

    from checker.formats._common import evidence_of
    from checker.run import RunOptions
    from checker.run import run as lint

    ca = Path(__file__).parents[1] / "examples" / "contracts" / "ca-lms-2026.yaml"
    result = lint([ca], RunOptions(today=dt.date(2026, 11, 28)))
    [f] = [f for f in result.findings if f.rule == "COST-002"]
    assert f.path == "cost.tco_5yr_usd" and f.value == {"fact:tco_vendor_diff_pct": 2.67}
    assert evidence_of(f.path, f.value) == "fact:tco_vendor_diff_pct = 2.67"
