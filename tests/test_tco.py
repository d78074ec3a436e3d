"""The TCO model (contracts.md §5) and the in-house model (DESIGN §8), with hand-computed numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from checker.facts import FactContext
from checker.money import cents
from checker.tco import compare, compute_in_house, compute_tco


def contract(**cost: object) -> dict[str, object]:
    return {"cost": cost}


def annuals(model) -> list[float]:  # type: ignore[no-untyped-def]
    return [round(r.annual_usd, 4) for r in model.rows]


def test_price_lock_holds_then_escalates() -> None:
    # Lock 24 months: years 1-2 at the list price; year 3 starts at month 24 → escalates.
    m = compute_tco(contract(initial_usd=10000, annual_usd=[20000], escalator_pct=5, price_lock_months=24))
    assert annuals(m) == [20000, 20000, 21000, 22050, 23152.5]
    assert [r.derivation for r in m.rows] == ["listed", "locked", "escalated", "escalated", "escalated"]
    assert m.total == 116202.5  # 10000 + 106202.50


def test_lock_of_exactly_one_year_escalates_year_two() -> None:
    m = compute_tco(contract(annual_usd=[1000], escalator_pct=10, price_lock_months=12))
    assert m.rows[1].derivation == "escalated" and m.rows[1].annual_usd == pytest.approx(1100)


def test_cap_below_escalator_wins() -> None:
    m = compute_tco(contract(initial_usd=0, annual_usd=[10000], escalator_pct=8, escalator_cap_pct=3))
    assert m.escalator_pct == 3
    assert annuals(m) == [10000, 10300, 10609, 10927.27, 11255.0881]
    assert m.total == 53091.36  # 53091.3581 rounded to cents


def test_cap_above_escalator_and_no_escalator() -> None:
    assert compute_tco(contract(annual_usd=[100], escalator_pct=2, escalator_cap_pct=5)).escalator_pct == 2
    silent = compute_tco(contract(annual_usd=[100], escalator_cap_pct=5))
    assert silent.escalator_pct == 0 and silent.total == 500


def test_listed_years_override_and_gaps_are_derived() -> None:
    m = compute_tco(contract(annual_usd=[100, 200], escalator_pct=10))
    assert annuals(m) == [100, 200, 220, 242, 266.2] and m.total == 1028.2
    gap = compute_tco(contract(annual_usd=[100, None, 300], escalator_pct=10))
    assert annuals(gap) == [100, 110, 300, 330, 363]
    assert [r.derivation for r in gap.rows] == ["listed", "escalated", "listed", "escalated", "escalated"]
    # Years listed beyond the horizon are ignored.
    assert compute_tco(contract(annual_usd=[1, 2, 3, 4, 5, 6, 7])).total == 15


def test_per_device_added_in_year_one_and_escalates_with_the_base() -> None:
    # 2 USD × 100 devices × 12 = 2400 per year on top of a 1000 base; 10 % escalator, no lock.
    m = compute_tco(contract(annual_usd=[1000], per_device_month_usd=2, device_count=100, escalator_pct=10))
    assert annuals(m) == [3400, 3740, 4114, 4525.4, 4977.94]
    assert [round(r.per_device_usd, 4) for r in m.rows] == [2400, 2640, 2904, 3194.4, 3513.84]
    assert m.total == 20757.34  # 3400 × 6.1051


def test_per_device_not_added_to_listed_years_or_without_a_count() -> None:
    listed = compute_tco(contract(annual_usd=[1000, 1500], per_device_month_usd=2, device_count=100))
    assert annuals(listed)[:3] == [3400, 1500, 1500] and listed.rows[1].per_device_usd == 0
    no_count = compute_tco(contract(annual_usd=[1000], per_device_month_usd=2))
    assert no_count.total == 5000 and "device_count" in no_count.notes[0]


def test_missing_fees_count_zero_and_are_listed_as_unknown() -> None:
    m = compute_tco(contract(initial_usd=500, annual_usd=[1000], fees={"onboarding_usd": 250}))
    assert m.total == 5750  # 500 + 5 × 1000 + 250; the silent fees count 0
    assert [c.key for c in m.known_fees] == ["initial", "onboarding"]
    assert [c.key for c in m.unknown_fees] == ["offboarding", "data_export", "transition_fee"]
    assert [f.key for f in m.unpriced_usage_fees] == ["overage", "after_hours", "travel", "true_up"]
    assert all(f.unit_price_usd is None for f in m.unpriced_usage_fees)


def test_every_one_time_fee_and_exit_fee_is_added() -> None:
    data = {
        "cost": {
            "initial_usd": 1,
            "annual_usd": [10],
            "fees": {"onboarding_usd": 100, "offboarding_usd": 1000, "data_export_usd": 10000},
        },
        "exit": {"transition_fee_usd": 100000},
    }
    m = compute_tco(data)
    assert m.total == 111151 and m.unknown_fees == ()


def test_usage_fees_unpriced_unless_estimated_and_zero_fees_are_no_hidden_cost() -> None:
    fees = {"overage_per_device_usd": 0, "after_hours_hourly_usd": 150, "travel_usd": 400, "true_up_usd": 0}
    m = compute_tco(contract(annual_usd=[1000], fees=fees))
    assert [(f.key, f.unit_price_usd) for f in m.unpriced_usage_fees] == [
        ("after_hours", 150),
        ("travel", 400),
    ]
    assert m.total == 5000
    est = compute_tco(contract(annual_usd=[1000], fees=fees), usage={"after_hours_hours_per_year": 10})
    assert [f.key for f in est.unpriced_usage_fees] == ["travel"]
    assert est.total == 12500  # 5000 + 150 × 10 × 5 years


def test_vendor_figure_compared_never_trusted() -> None:
    base = {"initial_usd": 10000, "annual_usd": [20000], "price_lock_months": 60}
    exact = compute_tco(contract(**base, tco_5yr_usd=110000))
    assert exact.total == 110000 and exact.vendor_diff_pct == 0
    low = compute_tco(contract(**base, tco_5yr_usd=95000))
    assert low.total == 110000 and low.vendor_total == 95000
    assert low.vendor_diff_pct == 13.64  # 15000 / 110000
    assert compute_tco(contract(**base, tco_5yr_usd=95000), years=3).vendor_diff_pct is None


@pytest.mark.parametrize("annual", [None, [], ["48000"], [None, 5]])
def test_no_first_year_price_means_no_tco(annual: object) -> None:
    m = compute_tco(contract(annual_usd=annual, initial_usd=5))
    assert m.total is None and m.rows == () and "cost.annual_usd" in (m.reason or "")
    assert compute_tco({}).total is None


def test_years_must_be_positive_and_horizon_changes_total() -> None:
    with pytest.raises(ValueError):
        compute_tco(contract(annual_usd=[1]), years=0)
    assert compute_tco(contract(annual_usd=[100], escalator_pct=10), years=2).total == 210


def test_cents_round_half_up_like_a_spreadsheet() -> None:
    assert cents(0.125) == 0.13 and cents(2.675) == 2.68 and cents(-0.125) == -0.13


def test_the_fact_uses_the_model() -> None:
    from checker.facts import FACTS, load_builtin_facts

    load_builtin_facts()
    data = contract(initial_usd=10000, annual_usd=[20000], price_lock_months=60, tco_5yr_usd=95000)
    ctx = FactContext(today=dt.date(2026, 1, 1))
    assert ctx.get("tco_5yr_usd", data) == 110000
    if "tco_vendor_diff_pct" in FACTS:
        assert ctx.get("tco_vendor_diff_pct", data) == compute_tco(data).vendor_diff_pct


IN_HOUSE = {
    "staff_fte": 2,
    "salary_usd": 50000,
    "benefits_pct": 30,
    "annual_raise_pct": 3,
    "tools_annual_usd": 1000,
    "training_annual_usd": 500,
    "vacancy_months_per_year": 1,
}


def test_in_house_raises_compound_and_vacancy_is_backfilled() -> None:
    m = compute_in_house(IN_HOUSE)
    # Loaded staff: 2 × 50000 × 1.30 = 130000, then +3 % a year.
    assert [round(r.staff_usd, 4) for r in m.rows] == [130000, 133900, 137917, 142054.51, 146316.1453]
    assert m.rows[0].vacancy_usd == pytest.approx(130000 / 12)
    assert m.rows[4].total_usd == pytest.approx(146316.1453 * 13 / 12 + 1500)
    # Σ staff 690187.6553 × 13/12 + 5 × 1500 = 755203.2932
    assert m.total == 755203.29 and m.assumed_zero == ()


def test_in_house_missing_inputs() -> None:
    partial = compute_in_house({"staff_fte": 1, "salary_usd": 60000})
    assert partial.total == 300000
    assert set(partial.assumed_zero) == {
        "benefits_pct",
        "annual_raise_pct",
        "tools_annual_usd",
        "training_annual_usd",
        "vacancy_months_per_year",
    }
    none = compute_in_house({"staff_fte": 1})
    assert none.total is None and "salary_usd" in (none.reason or "")


def test_compare_vendor_with_in_house() -> None:
    vendor = compute_tco(
        contract(initial_usd=10000, annual_usd=[20000], escalator_pct=5, price_lock_months=24)
    )
    c = compare(vendor, compute_in_house(IN_HOUSE))
    assert c.difference_usd == round(116202.5 - 755203.29, 2) and c.cheaper == "vendor"
    cheap = compare(vendor, compute_in_house({"staff_fte": 0.2, "salary_usd": 50000}))
    assert cheap.in_house_total == 50000 and cheap.cheaper == "in_house" and cheap.difference_usd == 66202.5
    assert compare(compute_tco({}), compute_in_house(IN_HOUSE)).cheaper is None
    with pytest.raises(ValueError):
        compare(vendor, compute_in_house(IN_HOUSE, years=3))


def test_to_dict_is_plain_data() -> None:
    import json

    m = compute_tco(contract(annual_usd=[1000]))
    data = json.loads(json.dumps(m.to_dict()))
    assert data["total"] == 5000 and data["unknown_fees"][0] == "initial"
    assert json.loads(json.dumps(compute_in_house(IN_HOUSE).to_dict()))["total"] == 755203.29
