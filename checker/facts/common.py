"""Facts the foundation provides: dates, the state breach cap, the TCO."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from typing import Any

from . import FactContext, as_date, dig, fact

# Statutory vendor → district breach-notice caps in hours (contracts.md §3).
# NY: 8 NYCRR 121.10(a), 7 calendar days [C]; CT: C.G.S. 10-234dd, 30 days for
# student information [S]; IL: SOPPA 30 days [U, project reading].
STATE_BREACH_CAP_HOURS: dict[str, int] = {"NY": 168, "CT": 720, "IL": 720}


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@fact("state", kinds=("contract", "district"))
def state(data: Mapping[str, Any], ctx: FactContext) -> str | None:
    """The district's two-letter state: the document's `district.state`, else the config's."""
    value = dig(data, "district.state")
    return str(value).upper() if isinstance(value, str) and value else ctx.state


@fact("state_breach_cap_hours")
def state_breach_cap_hours(data: Mapping[str, Any], ctx: FactContext) -> int | None:
    """The district state's statutory breach-notice cap in hours (NY 168, CT 720, IL 720); null elsewhere."""
    return STATE_BREACH_CAP_HOURS.get(state(data, ctx) or "")


@fact("end_date")
def end_date(data: Mapping[str, Any], ctx: FactContext) -> dt.date | None:
    """`contract.end_date`, else `contract.effective_date` + `contract.term_months`."""
    explicit = as_date(dig(data, "contract.end_date"))
    if explicit:
        return explicit
    start = as_date(dig(data, "contract.effective_date"))
    months = dig(data, "contract.term_months")
    if start is None or not isinstance(months, int) or isinstance(months, bool):
        return None
    return add_months(start, months)


@fact("days_until_end")
def days_until_end(data: Mapping[str, Any], ctx: FactContext) -> int | None:
    """Days from `--today` to the contract's end date (negative once it has ended)."""
    end = ctx.get("end_date", data)
    return None if end is None else (end - ctx.today).days


@fact("tco_5yr_usd")
def tco_5yr_usd(data: Mapping[str, Any], ctx: FactContext) -> float | None:
    """Five-year total cost of ownership as defined in contracts.md §5 (see `k12check tco`)."""
    from ..tco import compute_tco

    return compute_tco(data, years=5).total
