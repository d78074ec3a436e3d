"""What the same work costs the district itself (DESIGN §8 ``in_house``), and the comparison.

For year ``y`` (1-based), with the district file's ``in_house`` section:

* staff(y) = ``staff_fte × salary_usd × (1 + benefits_pct/100) × (1 + annual_raise_pct/100)^(y-1)``
  — raises compound yearly from year 2;
* vacancy(y) = ``staff(y) × vacancy_months_per_year / 12``.  Assumption: a vacant
  post is not free — the work still has to be done by a contractor, overtime or a
  backfill at about the loaded staff rate, while the budget line stays encumbered;
  so each vacancy month costs one month of loaded staff cost on top;
* tools(y) = ``tools_annual_usd`` and training(y) = ``training_annual_usd``, flat
  (the district states them as yearly amounts; no escalation is assumed).

``staff_fte`` and ``salary_usd`` are required (without them the model has
``total=None`` and a ``reason``); every other input absent counts 0 and is listed
in ``assumed_zero``.  The total is rounded to cents, half up, like the vendor TCO.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from .money import cents, number

if TYPE_CHECKING:
    from .tco import TcoModel

# (key, label with unit) in the order the XLSX and the report show them.
IN_HOUSE_INPUTS: tuple[tuple[str, str], ...] = (
    ("staff_fte", "Staff (full-time equivalents)"),
    ("salary_usd", "Salary per FTE (USD per year)"),
    ("benefits_pct", "Benefits (% of salary)"),
    ("annual_raise_pct", "Annual raise (% per year, compounding)"),
    ("tools_annual_usd", "Tools and licences (USD per year)"),
    ("training_annual_usd", "Training (USD per year)"),
    ("vacancy_months_per_year", "Vacancy (months per year, backfilled)"),
)
REQUIRED = ("staff_fte", "salary_usd")


@dataclass(frozen=True)
class InHouseYear:
    year: int
    staff_usd: float
    vacancy_usd: float
    tools_usd: float
    training_usd: float

    @property
    def total_usd(self) -> float:
        return self.staff_usd + self.vacancy_usd + self.tools_usd + self.training_usd


@dataclass(frozen=True)
class InHouseModel:
    """The in-house cost over ``years``; ``total`` None when staff or salary is missing."""

    years: int
    inputs: Mapping[str, float]  # the stated inputs (absent ones are 0 once computable)
    rows: tuple[InHouseYear, ...]
    total: float | None
    assumed_zero: tuple[str, ...] = ()
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["inputs"] = dict(self.inputs)
        for row, data in zip(self.rows, out["rows"], strict=True):
            data["total_usd"] = row.total_usd
        return out


@dataclass(frozen=True)
class Comparison:
    """Vendor against in-house over the same years; ``difference_usd`` = vendor − in-house."""

    years: int
    vendor_total: float | None
    in_house_total: float | None
    difference_usd: float | None
    cheaper: str | None  # "vendor", "in_house", "equal" or None when either is unknown

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _year(y: int, v: Mapping[str, float]) -> InHouseYear:
    loaded = v["staff_fte"] * v["salary_usd"] * (1 + v["benefits_pct"] / 100)
    staff = loaded * (1 + v["annual_raise_pct"] / 100) ** (y - 1)
    vacancy = staff * v["vacancy_months_per_year"] / 12
    return InHouseYear(y, staff, vacancy, v["tools_annual_usd"], v["training_annual_usd"])


def compute_in_house(in_house: Mapping[str, Any], years: int = 5) -> InHouseModel:
    """The in-house cost of the same work over ``years`` (module doc for the formulas)."""
    if years < 1:
        raise ValueError(f"years must be at least 1 (got {years})")
    given = {key: number(in_house.get(key)) for key, _ in IN_HOUSE_INPUTS}
    missing = [key for key in REQUIRED if given[key] is None]
    if missing:
        reason = f"in_house.{missing[0]} must be a number to cost the work in-house (got none)"
        stated = {key: value for key, value in given.items() if value is not None}
        return InHouseModel(years, stated, (), None, tuple(k for k in given if k not in stated), reason)
    zero = tuple(key for key, value in given.items() if value is None)
    values = {key: value or 0.0 for key, value in given.items()}
    rows = tuple(_year(y, values) for y in range(1, years + 1))
    total = cents(sum(r.total_usd for r in rows))
    return InHouseModel(years, values, rows, total, zero)


def compare(vendor: TcoModel, in_house: InHouseModel) -> Comparison:
    """Both totals over the same years and which is cheaper (None when either is unknown)."""
    if vendor.years != in_house.years:
        raise ValueError(f"compare needs the same years (vendor {vendor.years}, in-house {in_house.years})")
    return compare_totals(vendor.years, vendor.total, in_house.total)


def compare_totals(years: int, vendor_total: float | None, in_house_total: float | None) -> Comparison:
    """The comparison for any vendor total (one contract, or a portfolio's sum)."""
    if vendor_total is None or in_house_total is None:
        return Comparison(years, vendor_total, in_house_total, None, None)
    diff = cents(vendor_total - in_house_total)
    cheaper = "equal" if diff == 0 else ("in_house" if diff > 0 else "vendor")
    return Comparison(years, vendor_total, in_house_total, diff, cheaper)
