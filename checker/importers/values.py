"""Cell values of inventory exports: dates (to UTC), booleans and platforms.

Exports write dates many ways: ISO 8601 with or without a zone and with up to seven
fractional digits (Graph), ``2026-01-15 08:30:00`` (Intune admin center),
``2026-01-15 at 8:30 AM`` (Jamf), US ``1/15/2026 8:30:00 AM``, or epoch
milliseconds (the Directory API's deprecated ``autoUpdateExpiration``).  A time
without a zone is read as UTC; slashed dates are month/day/year (US exports).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .base import load_data

_US = (
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%m/%d/%y %I:%M %p",
    "%m/%d/%y %H:%M",
    "%m/%d/%y",
)
_JAMF = ("%Y-%m-%d at %I:%M %p", "%Y-%m-%d at %H:%M")
_ZONE_WORDS = re.compile(r"\s+(UTC|GMT|Z)$", re.IGNORECASE)


def parse_datetime(text: str) -> dt.datetime:
    """A timestamp in UTC; ValueError when the text is no date this module knows."""
    raw = _ZONE_WORDS.sub("", text.strip())
    if re.fullmatch(r"\d{9,13}", raw):  # epoch seconds or milliseconds
        seconds = int(raw) / (1000 if len(raw) > 11 else 1)
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError:
        value = _strptime(raw)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _strptime(raw: str) -> dt.datetime:
    for fmt in _JAMF + _US:
        try:
            return dt.datetime.strptime(raw.upper() if "%p" in fmt else raw, fmt)
        except ValueError:
            continue
    raise ValueError(raw)


def parse_date(text: str) -> dt.date:
    """A calendar date (for AUE, profile expiry and lease ends)."""
    raw = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return dt.date.fromisoformat(raw)
    return parse_datetime(raw).date()


def parse_bool(text: str) -> bool | None:
    """``true``/``Yes``/``Encrypted`` … → bool; anything else → None (unknown)."""
    words = load_data("csv_aliases.yaml")["booleans"]
    low = text.strip().lower()
    if low in words[True]:
        return True
    if low in words[False]:
        return False
    return None


def parse_platform(*texts: Any) -> str | None:
    """The model platform named by the platform column or, failing that, the model name."""
    table = load_data("csv_aliases.yaml")["platforms"]
    for text in texts:
        low = str(text or "").strip().lower()
        if not low:
            continue
        for platform, names in table.items():
            if any(re.search(rf"\b{re.escape(n)}", low) for n in names):
                return str(platform)
    return None
