"""Total cost of ownership: the vendor's price over N years, and the in-house alternative.

Pure functions over plain mappings (a contract's data as loaded from YAML), so the
``tco_5yr_usd`` fact, ``k12check tco``, the XLSX export and the audit report all
compute the same numbers.  The vendor model follows contracts.md §5 exactly:

* ``annual(1) = annual_usd[0]`` plus ``per_device_month_usd × device_count × 12``
  when both are given;
* for ``y ≥ 2``: ``annual_usd[y-1]`` when the contract lists that year ("listed"),
  else ``annual(y-1) × (1 + e)`` when ``(y-1) × 12 ≥ price_lock_months`` (lock 0
  when absent; "escalated", even at 0 %), else ``annual(y-1)`` ("locked");
* ``e = min(escalator_pct, escalator_cap_pct when given) / 100``; an absent
  escalator is 0 % (the contract states no increase), whatever the cap says;
* total = initial + Σ annual + onboarding + offboarding + data export + exit
  transition fee; absent amounts count 0 and are listed as unknown costs.

Readings where §5 is silent (documented so the XLSX and the report agree):

* **No price** — ``annual_usd`` absent, empty or its first entry not a number: the
  TCO cannot be computed; the model has ``total=None`` and a ``reason`` (rule
  COST-001 reports the missing price).  A per-device-only contract states
  ``annual_usd: [0]``.  A listed entry that is null or not a number counts as not
  listed (that year is derived).
* **Per-device part** — added in year 1 only; derived years carry it along (it
  escalates or stays locked with the base).  A listed year replaces the whole
  year's price, so its per-device part is 0: the listed figure is the year's price.
* **Rounding** — years are kept unrounded; the total is rounded to cents (half
  up, like a spreadsheet's ``ROUND``).
* **Vendor figure** — ``cost.tco_5yr_usd`` is a five-year figure, compared with
  ours only when ``years == 5``: ``vendor_diff_pct = |vendor − ours| / ours × 100``
  (the ``tco_vendor_diff_pct`` fact's definition).
* **Usage fees** (overage, after-hours, travel, true-up) are unpriced hidden costs;
  with a usage estimate (:data:`USAGE_KEYS`, quantities per year) the fee becomes
  a priced yearly cost added to the total.  A fee stated as 0 is no hidden cost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

from .facts import dig
from .money import cents, number
from .tco_inhouse import Comparison, InHouseModel, InHouseYear, compare, compare_totals, compute_in_house

__all__ = [
    "ONE_TIME",
    "USAGE_FEES",
    "USAGE_KEYS",
    "Comparison",
    "CostItem",
    "InHouseModel",
    "InHouseYear",
    "TcoModel",
    "UsageFee",
    "YearRow",
    "cents",
    "compare",
    "compare_totals",
    "compute_in_house",
    "compute_tco",
    "number",
]

Derivation = Literal["listed", "escalated", "locked"]

# One-time costs: (key, label, dotted path in the contract).
ONE_TIME: tuple[tuple[str, str, str], ...] = (
    ("initial", "Initial (one-time) price", "cost.initial_usd"),
    ("onboarding", "Onboarding fee", "cost.fees.onboarding_usd"),
    ("offboarding", "Offboarding fee", "cost.fees.offboarding_usd"),
    ("data_export", "Data export fee", "cost.fees.data_export_usd"),
    ("transition_fee", "Exit transition fee", "exit.transition_fee_usd"),
)

# Usage-priced fees: (key, label, path, unit of the price, usage-estimate key).
USAGE_FEES: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "overage",
        "Overage per device",
        "cost.fees.overage_per_device_usd",
        "USD per extra device",
        "overage_devices_per_year",
    ),
    (
        "after_hours",
        "After-hours support",
        "cost.fees.after_hours_hourly_usd",
        "USD per hour",
        "after_hours_hours_per_year",
    ),
    ("travel", "Travel", "cost.fees.travel_usd", "USD per trip", "travel_trips_per_year"),
    ("true_up", "True-up", "cost.fees.true_up_usd", "USD per true-up", "true_ups_per_year"),
)
USAGE_KEYS: tuple[str, ...] = tuple(f[4] for f in USAGE_FEES)


@dataclass(frozen=True)
class YearRow:
    """One contract year: its cost, how it was derived, and the per-device part in it."""

    year: int
    annual_usd: float
    derivation: Derivation
    per_device_usd: float = 0.0


@dataclass(frozen=True)
class CostItem:
    """A one-time cost line; ``amount_usd`` None = the contract is silent (counted 0)."""

    key: str
    label: str
    path: str
    amount_usd: float | None


@dataclass(frozen=True)
class UsageFee:
    """A usage-priced fee: unpriced (hidden) unless a yearly usage estimate is given."""

    key: str
    label: str
    path: str
    unit_price_usd: float | None  # None = the contract is silent about it
    unit: str
    quantity_per_year: float | None = None
    annual_usd: float | None = None  # unit price × quantity, when both are known

    @property
    def priced(self) -> bool:
        return self.annual_usd is not None


@dataclass(frozen=True)
class TcoModel:
    """The vendor TCO over ``years``; ``total`` None means it cannot be computed (``reason``)."""

    years: int
    rows: tuple[YearRow, ...]
    one_time: tuple[CostItem, ...]
    usage_fees: tuple[UsageFee, ...]
    total: float | None
    escalator_pct: float  # the effective rate e × 100 (after the cap)
    price_lock_months: int
    vendor_total: float | None
    vendor_diff_pct: float | None
    reason: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def known_fees(self) -> tuple[CostItem, ...]:
        return tuple(c for c in self.one_time if c.amount_usd is not None)

    @property
    def unknown_fees(self) -> tuple[CostItem, ...]:
        """One-time costs the contract is silent about: counted 0, hidden costs."""
        return tuple(c for c in self.one_time if c.amount_usd is None)

    @property
    def unpriced_usage_fees(self) -> tuple[UsageFee, ...]:
        return tuple(f for f in self.usage_fees if not f.priced)

    @property
    def annual_total(self) -> float:
        return sum(r.annual_usd for r in self.rows)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data, including the derived lists."""
        out = asdict(self)
        out["known_fees"] = [c.key for c in self.known_fees]
        out["unknown_fees"] = [c.key for c in self.unknown_fees]
        out["unpriced_usage_fees"] = [f.key for f in self.unpriced_usage_fees]
        return out


def effective_escalator_pct(cost: Mapping[str, Any]) -> float:
    """``min(escalator_pct, escalator_cap_pct when given)``; 0 when no escalator is stated."""
    rate = number(cost.get("escalator_pct")) or 0.0
    cap = number(cost.get("escalator_cap_pct"))
    return min(rate, cap) if cap is not None else rate


def _per_device(cost: Mapping[str, Any], notes: list[str]) -> float:
    price, count = number(cost.get("per_device_month_usd")), number(cost.get("device_count"))
    if price is not None and count is not None:
        return price * count * 12
    if price:  # a per-device price with no device count cannot be priced
        notes.append(
            "cost.per_device_month_usd is given without cost.device_count: per-device charges not counted"
        )
    return 0.0


def _year_rows(
    cost: Mapping[str, Any], listed: list[float | None], years: int, notes: list[str]
) -> list[YearRow]:
    e = effective_escalator_pct(cost) / 100
    lock = int(number(cost.get("price_lock_months")) or 0)
    per_device = _per_device(cost, notes)
    first = listed[0] or 0.0
    rows = [YearRow(1, first + per_device, "listed", per_device)]
    for y in range(2, years + 1):
        prev = rows[-1]
        stated = listed[y - 1] if y - 1 < len(listed) else None
        if stated is not None:
            rows.append(YearRow(y, stated, "listed", 0.0))
        elif (y - 1) * 12 >= lock:
            rows.append(YearRow(y, prev.annual_usd * (1 + e), "escalated", prev.per_device_usd * (1 + e)))
        else:
            rows.append(YearRow(y, prev.annual_usd, "locked", prev.per_device_usd))
    return rows


def _usage_fees(data: Mapping[str, Any], usage: Mapping[str, Any] | None) -> tuple[UsageFee, ...]:
    out = []
    for key, label, path, unit, usage_key in USAGE_FEES:
        price = number(dig(data, path))
        if price == 0:
            continue  # stated as no charge: not a hidden cost
        qty = number(usage.get(usage_key)) if usage else None
        annual = price * qty if price is not None and qty is not None else None
        out.append(UsageFee(key, label, path, price, unit, qty, annual))
    return tuple(out)


def compute_tco(
    contract: Mapping[str, Any], years: int = 5, usage: Mapping[str, Any] | None = None
) -> TcoModel:
    """The contract's total cost of ownership over ``years`` (contracts.md §5; module doc)."""
    if years < 1:
        raise ValueError(f"years must be at least 1 (got {years})")
    found = contract.get("cost")
    cost: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    one_time = tuple(CostItem(k, label, p, number(dig(contract, p))) for k, label, p in ONE_TIME)
    fees = _usage_fees(contract, usage)
    raw = cost.get("annual_usd")
    listed = [number(v) for v in raw] if isinstance(raw, list) else []
    vendor = number(cost.get("tco_5yr_usd"))
    lock = int(number(cost.get("price_lock_months")) or 0)
    base = TcoModel(years, (), one_time, fees, None, effective_escalator_pct(cost), lock, vendor, None)
    if not listed or listed[0] is None:
        return replace(base, reason="cost.annual_usd must list at least the first year's price (got none)")
    notes: list[str] = []
    rows = _year_rows(cost, listed, years, notes)
    usage_total = sum(f.annual_usd or 0.0 for f in fees) * years
    total = cents(sum(r.annual_usd for r in rows) + sum(c.amount_usd or 0.0 for c in one_time) + usage_total)
    diff = None
    if vendor is not None and years == 5:
        diff = (0.0 if vendor == 0 else 100.0) if total == 0 else round(abs(vendor - total) / total * 100, 2)
    return replace(base, rows=tuple(rows), total=total, vendor_diff_pct=diff, notes=tuple(notes))
