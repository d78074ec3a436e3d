"""TCO results for people and programs: the entries, a text table, JSON and CSV.

``k12check tco`` builds one :class:`TcoEntry` per contract (and optionally the
in-house model) into a :class:`TcoRun`; the renderers here only format it.  The
XLSX export is :mod:`checker.tco_xlsx`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import strictjson
from .money import cents
from .tco import TcoModel, compute_tco
from .tco_inhouse import Comparison, InHouseModel, compare_totals, compute_in_house


@dataclass(frozen=True)
class TcoEntry:
    """One contract's model with what identifies it to a reader."""

    file: str
    vendor: str
    contract_id: str
    data: Mapping[str, Any]
    model: TcoModel

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file, "vendor": self.vendor, "contract_id": self.contract_id}
        if self.model.years == 5:
            out["tco_5yr_usd"] = self.model.total
        out.update(self.model.to_dict())
        return out


@dataclass(frozen=True)
class TcoRun:
    """Every contract of a ``k12check tco`` run, their sum, and the in-house comparison."""

    years: int
    entries: tuple[TcoEntry, ...]
    in_house: InHouseModel | None = None

    @property
    def portfolio_total(self) -> float:
        """Sum of the contracts whose TCO can be computed (the others are listed as such)."""
        return cents(sum(e.model.total or 0.0 for e in self.entries))

    @property
    def comparison(self) -> Comparison | None:
        if self.in_house is None:
            return None
        return compare_totals(self.years, self.portfolio_total, self.in_house.total)


def _text(value: Any, fallback: str) -> str:
    return value if isinstance(value, str) and value else fallback


def entry_for(
    file: str, data: Mapping[str, Any], years: int = 5, usage: Mapping[str, Any] | None = None
) -> TcoEntry:
    """Model one contract document's data; vendor and contract id fall back to the file name."""
    vendor = data.get("vendor") if isinstance(data.get("vendor"), Mapping) else {}
    contract = data.get("contract") if isinstance(data.get("contract"), Mapping) else {}
    assert isinstance(vendor, Mapping) and isinstance(contract, Mapping)
    name = _text(vendor.get("name"), _text(vendor.get("id"), file))
    return TcoEntry(file, name, _text(contract.get("id"), ""), data, compute_tco(data, years, usage))


def build_run(
    documents: Sequence[tuple[str, Mapping[str, Any]]],
    years: int = 5,
    district: Mapping[str, Any] | None = None,
) -> TcoRun:
    """Model each (file, contract data); with a district, its ``in_house`` section and usage estimates.

    ``usage_estimates`` in the district file maps a contract id to yearly quantities
    (:data:`checker.tco.USAGE_KEYS`), which prices that contract's usage fees.
    """
    estimates = district.get("usage_estimates") if district else None
    by_id: Mapping[str, Any] = estimates if isinstance(estimates, Mapping) else {}
    entries = []
    for file, data in documents:
        contract = data.get("contract")
        cid = contract.get("id") if isinstance(contract, Mapping) else None
        usage = by_id.get(cid) if isinstance(cid, str) else None
        entries.append(entry_for(file, data, years, usage if isinstance(usage, Mapping) else None))
    in_house = None
    if district is not None:
        section = district.get("in_house")
        in_house = compute_in_house(section if isinstance(section, Mapping) else {}, years)
    return TcoRun(years, tuple(entries), in_house)


def to_json(run: TcoRun) -> str:
    """JSON with a top-level ``tco_5yr_usd`` when the run is one contract over five years."""
    out: dict[str, Any] = {}
    if len(run.entries) == 1 and run.years == 5:
        out["tco_5yr_usd"] = run.entries[0].model.total
    out["years"] = run.years
    out["portfolio_total_usd"] = run.portfolio_total
    out["contracts"] = [e.to_dict() for e in run.entries]
    if run.in_house is not None and run.comparison is not None:
        out["in_house"] = run.in_house.to_dict()
        out["comparison"] = run.comparison.to_dict()
    return strictjson.dumps(out, indent=2, sort_keys=False, default=str) + "\n"


CSV_HEADER = ("file", "vendor", "contract_id", "item", "year", "amount_usd", "basis")


def _cell(text: str) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection: ``=``, ``+``, ``-``, ``@``)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_rows(entry: TcoEntry) -> list[tuple[Any, ...]]:
    head = (_cell(entry.file), _cell(entry.vendor), _cell(entry.contract_id))
    m = entry.model
    rows: list[tuple[Any, ...]] = [
        (*head, "annual", r.year, cents(r.annual_usd), r.derivation) for r in m.rows
    ]
    for c in m.one_time:
        basis = "stated" if c.amount_usd is not None else "not stated (counted 0)"
        rows.append((*head, c.key, "", c.amount_usd if c.amount_usd is not None else 0, basis))
    for f in m.usage_fees:
        total = cents(f.annual_usd * m.years) if f.annual_usd is not None else ""
        rows.append((*head, f.key, "", total, "estimated" if f.priced else "unpriced (hidden cost)"))
    rows.append((*head, "total", "", m.total if m.total is not None else "", m.reason or ""))
    return rows


def to_csv(run: TcoRun) -> str:
    """Long-format CSV (one amount per row), ready for a pivot table."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for entry in run.entries:
        writer.writerows(_csv_rows(entry))
    if run.in_house is not None:
        for r in run.in_house.rows:
            writer.writerow(("", "in-house", "", "in_house", r.year, cents(r.total_usd), ""))
        total = run.in_house.total
        writer.writerow(
            ("", "in-house", "", "total", "", total if total is not None else "", run.in_house.reason or "")
        )
    return buf.getvalue()


def usd(value: float | None) -> str:
    """``12,345.60`` (or an em dash for unknown)."""
    return "—" if value is None else f"{value:,.2f}"


def _entry_lines(e: TcoEntry) -> list[str]:
    m = e.model
    title = f"{e.vendor}" + (f" — contract {e.contract_id}" if e.contract_id else "") + f" ({e.file})"
    title = "".join(ch if ch.isprintable() else "?" for ch in title)  # no terminal control codes
    lines = [title, "=" * min(len(title), 100)]
    if m.total is None:
        return [*lines, f"  TCO cannot be computed: {m.reason}", ""]
    lock = f", price lock {m.price_lock_months} months" if m.price_lock_months else ", no price lock"
    lines.append(f"  Escalator {m.escalator_pct:g} % a year (after any cap){lock}")
    lines.append(f"  {'Year':>4}  {'Cost USD':>14}  {'Basis':<10}  {'Per-device part':>15}")
    for r in m.rows:
        lines.append(
            f"  {r.year:>4}  {usd(r.annual_usd):>14}  {r.derivation:<10}  {usd(r.per_device_usd):>15}"
        )
    for c in m.one_time:
        amount = usd(c.amount_usd) if c.amount_usd is not None else "not stated (counted 0)"
        lines.append(f"  {c.label:<28} {amount:>22}")
    for f in m.usage_fees:
        if f.priced:
            lines.append(f"  {f.label + ' (estimated)':<28} {usd((f.annual_usd or 0) * m.years):>22}")
    lines.append(f"  {'Total, ' + str(m.years) + ' years':<28} {usd(m.total):>22}")
    if m.vendor_total is not None:
        diff = f" ({m.vendor_diff_pct:g} % from ours)" if m.vendor_diff_pct is not None else ""
        lines.append(f"  {'Vendor figure':<28} {usd(m.vendor_total):>22}{diff}")
    return [*lines, *_hidden_lines(m), *(f"  Note: {n}" for n in m.notes), ""]


def _hidden_lines(m: TcoModel) -> list[str]:
    out = []
    if m.unknown_fees:
        out.append("  Hidden costs, not stated: " + ", ".join(c.label.lower() for c in m.unknown_fees))
    unpriced = [
        f"{f.label.lower()} ({usd(f.unit_price_usd)} {f.unit})"
        if f.unit_price_usd is not None
        else f"{f.label.lower()} (rate not stated)"
        for f in m.unpriced_usage_fees
    ]
    if unpriced:
        out.append("  Hidden costs, usage-priced: " + "; ".join(unpriced))
    return out


def to_table(run: TcoRun) -> str:
    """A plain-text report: each contract's years, fees and hidden costs, then the totals."""
    lines: list[str] = []
    for entry in run.entries:
        lines += _entry_lines(entry)
    if len(run.entries) > 1:
        lines.append(f"All contracts, {run.years} years: {usd(run.portfolio_total)} USD")
    if run.in_house is not None and run.comparison is not None:
        ih, cmp = run.in_house, run.comparison
        lines.append(
            f"In-house, {run.years} years: "
            + (usd(ih.total) + " USD" if ih.total is not None else f"cannot be computed: {ih.reason}")
        )
        if cmp.difference_usd is not None:
            side = {
                "in_house": "in-house is cheaper",
                "vendor": "the vendor is cheaper",
                "equal": "the same",
            }[cmp.cheaper or "equal"]
            lines.append(f"Vendor − in-house: {usd(cmp.difference_usd)} USD ({side})")
    return "\n".join(lines).rstrip("\n") + "\n"
