"""Small helpers for money arithmetic shared by the TCO models and the report."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any


def number(value: Any) -> float | None:
    """A real number from YAML data (bools and text are not numbers) or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def cents(value: float) -> float:
    """Round to cents, half up (as a spreadsheet's ROUND does; Python's round is half-even)."""
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
