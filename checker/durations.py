"""Durations as agreements write them: a number, ``{value, unit}``, or a qualitative promise.

A duration field carries its unit in its name (``notify_district_within_hours``,
``on_request_within_days``).  Its value may be

- a number in that unit (``72``);
- ``{value: 10, unit: business_days}``: converted to the field's unit by the rule below,
  rounded **up** (a vendor's "10 business days" is read as the latest day it allows);
- a qualitative promise from :data:`QUALITATIVE` ("promptly"): not a measurable deadline.

Conversion rule (shown in the evidence of every finding on a converted value):
1 day = 24 hours; 1 business day = 7/5 calendar days; 1 month = 30 days.  The
result is rounded up to a whole number of the field's unit.

Comparisons (``lte: 72``) read a converted value as a :class:`Duration` (an ``int``
that remembers what the contract said) and a qualitative promise as a
:class:`Qualitative` (a ``str``, which no numeric comparison accepts).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

QUALITATIVE: tuple[str, ...] = ("promptly", "without_unreasonable_delay", "reasonable", "as_required_by_law")
UNITS: tuple[str, ...] = ("hours", "days", "business_days", "months")

# Length of one unit in hours (exact fractions: 7/5 of a day is not a float problem).
_HOURS: dict[str, Fraction] = {
    "minutes": Fraction(1, 60),
    "hours": Fraction(1),
    "days": Fraction(24),
    "business_days": Fraction(24 * 7, 5),
    "months": Fraction(24 * 30),
}
_SUFFIX = (("_minutes", "minutes"), ("_hours", "hours"), ("_days", "days"), ("_months", "months"))
_WORDS = {"business_days": "business days"}
RULE_TEXT = "1 day = 24 hours, 1 business day = 7/5 days, 1 month = 30 days, rounded up"


class Duration(int):
    """A converted duration: the number in the field's unit, and what the contract said."""

    said: str
    unit: str

    def __new__(cls, amount: int, said: str, unit: str) -> Duration:
        obj = super().__new__(cls, amount)
        obj.said, obj.unit = said, unit
        return obj

    def __str__(self) -> str:
        return f"{int(self)} (= {self.said})"

    __repr__ = __str__

    def evidence(self) -> str:
        """The conversion as the evidence shows it."""
        return f"{self.said} = {int(self)} {_WORDS.get(self.unit, self.unit)} ({RULE_TEXT})"


class Qualitative(str):
    """A qualitative promise ("promptly"): no deadline a district can hold a vendor to."""

    __slots__ = ()


def field_unit(path: str) -> str | None:
    """The unit a field's name gives (``..._hours`` → ``hours``); None for other fields.

    ``..._business_days`` fields (counted in business days by name) are not converted.
    """
    last = path.rsplit(".", 1)[-1]
    if last.endswith("_business_days"):
        return None
    for suffix, unit in _SUFFIX:
        if last.endswith(suffix) or last.startswith(unit + "_") or f"_{unit}_" in last:
            return unit
    return None


def convert(value: Any, unit: str) -> Any:
    """``value`` as comparisons read it in the field's ``unit`` (anything else unchanged)."""
    kind = type(value)
    if kind is str:
        return Qualitative(value) if value in QUALITATIVE else value
    if kind is not dict:
        return value
    amount, given = value.get("value"), value.get("unit")
    if isinstance(amount, bool) or not isinstance(amount, int) or given not in _HOURS:
        return value
    hours = amount * _HOURS[given] / _HOURS[unit]
    said = f"{amount} {_WORDS.get(given, given)}"
    return Duration(math.ceil(hours), said, unit)


def evidence(value: Any) -> Any:
    """A finding's evidence value: a converted duration shows the conversion."""
    return value.evidence() if isinstance(value, Duration) else value


def qualitative_message(value: Any, message: str) -> str:
    """A deadline rule's message for a qualitative promise: its own words, not silence's."""
    if not isinstance(value, Qualitative):
        return message
    words = str(value).replace("_", " ")
    return f"'{words}' is not a measurable deadline: {message}"
