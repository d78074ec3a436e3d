"""Facts the contract rule catalog needs (contracts.md §2, §5).

Each fact is a pure function of the contract data and the context (``--today``,
the district state); rules read them as ``{fact: name}`` and never do arithmetic
themselves.  A fact that cannot be computed from what the contract states is
``None`` (the rule then treats it as silence).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from . import FactContext, dig, fact

# The fixed keys of `cost.fees` (contracts.md §1), in model order.
FEE_KEYS: tuple[str, ...] = (
    "onboarding_usd",
    "offboarding_usd",
    "data_export_usd",
    "overage_per_device_usd",
    "after_hours_hourly_usd",
    "travel_usd",
    "true_up_usd",
)

# Fees charged per use: they cannot enter a five-year TCO without usage
# estimates, so any that is unstated or non-zero is a hidden cost (§5).
USAGE_FEE_KEYS: tuple[str, ...] = (
    "overage_per_device_usd",
    "after_hours_hourly_usd",
    "travel_usd",
    "true_up_usd",
)

# Which vendor's certification covers a district platform (QUAL-001), and the
# words that identify that vendor's certifications in free text.
PLATFORM_VENDOR: dict[str, str] = {
    "ios": "apple",
    "ipados": "apple",
    "macos": "apple",
    "chromeos": "google",
    "android": "google",
    "windows": "microsoft",
}
VENDOR_KEYWORDS: dict[str, tuple[str, ...]] = {
    "apple": ("apple",),
    "google": ("google", "chrome", "android"),
    "microsoft": ("microsoft", "intune", "windows", "endpoint manager"),
}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _fees(data: Mapping[str, Any]) -> Mapping[str, Any]:
    fees = dig(data, "cost.fees")
    return fees if isinstance(fees, Mapping) else {}


@fact("unstated_fees")
def unstated_fees(data: Mapping[str, Any], ctx: FactContext) -> list[str]:
    """Names of the `cost.fees` entries the contract leaves unstated (null or absent; 0 counts as stated)."""
    fees = _fees(data)
    return [key for key in FEE_KEYS if _number(fees.get(key)) is None]


@fact("unpriced_fees")
def unpriced_fees(data: Mapping[str, Any], ctx: FactContext) -> list[str]:
    """Usage-priced fees (overage, after-hours, travel, true-up) that are unstated or non-zero: hidden costs the TCO cannot include."""
    fees = _fees(data)
    out = []
    for key in USAGE_FEE_KEYS:
        amount = _number(fees.get(key))
        if amount is None or amount != 0:
            out.append(key)
    return out


@fact("renewal_notice_deadline")
def renewal_notice_deadline(data: Mapping[str, Any], ctx: FactContext) -> dt.date | None:
    """Last day to give notice before renewal: the end date minus `contract.renewal_notice_days`."""
    end = ctx.get("end_date", data)
    days = dig(data, "contract.renewal_notice_days")
    if end is None or isinstance(days, bool) or not isinstance(days, int):
        return None
    return end - dt.timedelta(days=days)


@fact("tco_vendor_diff_pct")
def tco_vendor_diff_pct(data: Mapping[str, Any], ctx: FactContext) -> float | None:
    """Absolute % difference between the vendor's `cost.tco_5yr_usd` and our `tco_5yr_usd`; null if either is unknown."""
    vendor = _number(dig(data, "cost.tco_5yr_usd"))
    ours = _number(ctx.get("tco_5yr_usd", data))
    if vendor is None or ours is None:
        return None
    if ours == 0:
        return 0.0 if vendor == 0 else 100.0
    return round(abs(vendor - ours) / ours * 100, 2)


@fact("uncertified_platform_vendors")
def uncertified_platform_vendors(data: Mapping[str, Any], ctx: FactContext) -> list[str] | None:
    """Platform vendors (apple, google, microsoft) of `district.platforms` with no matching `quality.certifications` entry; null if the district lists no platforms."""
    platforms = dig(data, "district.platforms")
    if not isinstance(platforms, list) or not platforms:
        return None
    certs = dig(data, "quality.certifications")
    text = " | ".join(c.lower() for c in certs if isinstance(c, str)) if isinstance(certs, list) else ""
    needed = sorted({PLATFORM_VENDOR[p] for p in platforms if p in PLATFORM_VENDOR})
    return [v for v in needed if not any(word in text for word in VENDOR_KEYWORDS[v])]
