"""Numbers at the edge: every number read from any input is finite and within 64 bits.

YAML ``.inf``/``.nan``, JSON ``1e400``/``NaN``/``Infinity`` and a plist's
``<real>inf</real>`` are refused where they are read, with the field and the line;
so are integers beyond the signed 64-bit range every MDM and spreadsheet uses. Nothing downstream (TCO sums, rounding, JSON output) ever meets
an infinity, a NaN, or an integer Python cannot print.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

MAX_MAGNITUDE = 2**63 - 1  # 9,223,372,036,854,775,807: 19 digits
LIMIT_TEXT = "numbers must be finite, and integers within ±9,223,372,036,854,775,807 (64 bits)"
INTEGER_HINT = LIMIT_TEXT + "; if it is an id or a fingerprint, put it in quotes"
_DIGITS_PER_BIT = math.log10(2)


def problem(value: Any) -> str | None:
    """Why ``value`` is refused (a short phrase), or None for a fine value or a non-number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return "not a number (NaN)"
        return "an infinite number" if math.isinf(value) else None
    if -MAX_MAGNITUDE <= value <= MAX_MAGNITUDE:
        return None
    digits = int(value.bit_length() * _DIGITS_PER_BIT) + 1
    return f"an integer of about {digits:,} digits, beyond the 64-bit range"


def long_integer_problem(text: str) -> str:
    return f"an integer of {len(text.lstrip('+-')):,} digits, beyond the 64-bit range"


def too_long_integer(text: str) -> bool:
    """Whether integer text has more digits than any 64-bit number (checked before int(),
    which would stop at 4,300 digits with a message about Python internals)."""
    return sum(ch.isdigit() for ch in text[:100]) > 19


def first_problem(value: Any) -> tuple[str, str] | None:
    """``(path, why)`` of the first refused number under ``value``; None when all are fine."""
    for path, leaf in walk(value):
        why = problem(leaf)
        if why is not None:
            return path, why
    return None


def walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """``(path, value)`` of every leaf under ``value`` (iterative; depth already bounded)."""
    from .yamlio import join_key

    todo: list[tuple[str, Any]] = [(path, value)]
    while todo:
        here, node = todo.pop()
        if isinstance(node, dict):
            todo.extend((join_key(here, str(k)), v) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            todo.extend((f"{here}[{i}]", v) for i, v in reversed(list(enumerate(node))))
        else:
            yield here, node
