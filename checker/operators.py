"""The closed set of comparison operators (one registry; negation is ``not:``).

Each operator is ``fn(value, expected) -> bool``.  A value of the wrong type
makes the comparison fail (raise TypeError) — a contract field written as
``"reasonable"`` where hours are expected does not satisfy ``lte: 72``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from .facts import as_date


def _same(a: Any, b: Any) -> bool:
    """Equality where booleans never equal numbers (``True != 1`` here)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dt.date) or isinstance(b, dt.date):
        da, db = as_date(a), as_date(b)
        return da is not None and da == db
    return bool(a == b)


def _num(v: Any) -> Any:
    if isinstance(v, bool) or not isinstance(v, (int, float, dt.date)):
        raise TypeError(f"not a number: {v!r}")
    return v


def _order(a: Any, b: Any) -> tuple[Any, Any]:
    if isinstance(a, dt.date) or isinstance(b, dt.date):
        da, db = as_date(a), as_date(b)
        if da is None or db is None:
            raise TypeError("not a date")
        return da, db
    return _num(a), _num(b)


def _items(v: Any) -> list[Any]:
    if not isinstance(v, list):
        raise TypeError(f"not a list: {v!r}")
    return v


def _contains(value: Any, item: Any) -> bool:
    if isinstance(value, str):
        return isinstance(item, str) and item in value
    return any(_same(x, item) for x in _items(value))


def _lt(a: Any, b: Any) -> bool:
    x, y = _order(a, b)
    return bool(x < y)


def _lte(a: Any, b: Any) -> bool:
    x, y = _order(a, b)
    return bool(x <= y)


def _length(v: Any) -> int:
    if isinstance(v, (str, list, dict)):
        return len(v)
    raise TypeError(f"no length: {v!r}")


TYPE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "list": lambda v: isinstance(v, list),
    "mapping": lambda v: isinstance(v, dict),
    "date": lambda v: isinstance(v, dt.date),
}


def _matches(value: Any, pattern: re.Pattern[str]) -> bool:
    return isinstance(value, str) and pattern.search(value) is not None


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "equals": _same,
    "not_equals": lambda v, e: not _same(v, e),
    "in": lambda v, e: any(_same(v, x) for x in _items(e)),
    "not_in": lambda v, e: not any(_same(v, x) for x in _items(e)),
    "lt": _lt,
    "lte": _lte,
    "gt": lambda v, e: _lt(e, v),
    "gte": lambda v, e: _lte(e, v),
    "matches": _matches,
    "contains": _contains,
    "contains_all": lambda v, e: all(_contains(v, x) for x in _items(e)),
    "contains_any": lambda v, e: any(_contains(v, x) for x in _items(e)),
    "exists": lambda v, e: (v is not None) is bool(e),
    "type": lambda v, e: TYPE_CHECKS[e](v),
    "min_length": lambda v, e: _length(v) >= _num(e),
    "max_length": lambda v, e: _length(v) <= _num(e),
    "before": _lt,
    "after": lambda v, e: _lt(e, v),
}

NUMERIC = ("lt", "lte", "gt", "gte", "equals", "not_equals")

# How an operator reads in explanations and default messages.
WORDS: dict[str, str] = {
    "equals": "equal to",
    "not_equals": "anything but",
    "in": "one of",
    "not_in": "none of",
    "lt": "less than",
    "lte": "at most",
    "gt": "more than",
    "gte": "at least",
    "matches": "matching",
    "contains": "containing",
    "contains_all": "containing all of",
    "contains_any": "containing any of",
    "exists": "present:",
    "type": "of type",
    "min_length": "of length at least",
    "max_length": "of length at most",
    "before": "before",
    "after": "after",
}
