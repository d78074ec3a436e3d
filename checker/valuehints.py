"""Hints for invalid values, and the value checks the schema language cannot state.

:func:`hint` turns a schema issue into advice for the obvious mistakes: a value close to
an allowed one ("did you mean 'managed_service'?"), a quoted date ("remove the quotes"),
a percentage written as a fraction or outside 0-100.  :func:`cross_field_issues` adds the
invalid values only two fields together show (an end date before the start date) and
percentages outside 0-100 where the schema sets no bound.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from typing import Any

from .paths import Path, PathSyntaxError
from .validate import TYPE, VALUE, Issue, load_schema

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# (start, end) field pairs of one mapping: the end may not come before the start
DATE_PAIRS = (("effective_date", "end_date"), ("start_date", "end_date"), ("starts", "ends"))


def field_rules(kind: str, path: str) -> Mapping[str, Any]:
    """The schema rules of the field at dotted ``path`` (empty when the schema has none)."""
    try:
        steps = Path(path).steps
    except PathSyntaxError:
        return {}
    rules: Any = {"type": "dict", "schema": load_schema(kind)}
    for step in steps:
        sub = rules.get("schema") if isinstance(rules, Mapping) else None
        if isinstance(step, int):
            rules = sub if rules.get("type") == "list" and isinstance(sub, Mapping) else {}
        elif isinstance(sub, Mapping) and step in sub:
            rules = sub[step]
        else:
            return {}
    return rules if isinstance(rules, Mapping) else {}


def hint(kind: str, issue: Issue) -> str | None:
    """Advice for an obvious mistake in ``issue``'s value, or None."""
    if issue.kind not in (TYPE, VALUE):
        return None
    rules = field_rules(kind, issue.path)
    value = issue.value
    types = rules.get("type")
    types = [types] if isinstance(types, str) else list(types or ())
    if isinstance(value, str) and _ISO_DATE.match(value) and ("date" in types or "datetime" in types):
        return f"remove the quotes: write {value} unquoted so that it reads as a date"
    allowed = rules.get("allowed")
    if allowed and isinstance(value, str):
        match = did_you_mean(value, [str(a) for a in allowed])
        if match:
            return f"did you mean {match!r}?"
    if issue.path.endswith("_pct") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return "a percentage is a number from 0 to 100 (99.9 for 99.9 %)"
    return None


def did_you_mean(value: str, allowed: list[str]) -> str | None:
    """The allowed value ``value`` most likely meant (case, '-' or ' ' for '_', a typo)."""
    normal = {re.sub(r"[\s-]+", "_", a.lower()): a for a in allowed}
    key = re.sub(r"[\s-]+", "_", value.strip().lower())
    if key in normal:
        return normal[key]
    close = difflib.get_close_matches(key, list(normal), n=1, cutoff=0.75)
    return normal[close[0]] if close else None


def cross_field_issues(kind: str, data: Mapping[str, Any]) -> list[Issue]:
    """Invalid values the schema cannot see, in the document's top-level sections."""
    out: list[Issue] = []
    for section, body in data.items():
        if not isinstance(body, Mapping):
            continue
        for start, end in DATE_PAIRS:
            first, last = body.get(start), body.get(end)
            if (
                isinstance(first, dt.date)
                and isinstance(last, dt.date)
                and type(first) is type(last)
                and last < first
            ):
                out.append(
                    Issue(
                        f"{section}.{end}",
                        VALUE,
                        f"{section}.{end} ({last}) is before {section}.{start} ({first})",
                        last,
                    )
                )
        for name, value in body.items():
            if (
                isinstance(name, str)
                and name.endswith("_pct")
                and isinstance(value, (int, float))
                and not isinstance(value, bool)
                and _unbounded_miss(kind, f"{section}.{name}", value)
            ):
                out.append(
                    Issue(f"{section}.{name}", VALUE, f"{section}.{name} must be 0-100 (got {value})", value)
                )
    return out


def _unbounded_miss(kind: str, path: str, value: float) -> bool:
    """True when ``value`` is outside 0-100 on a side the schema does not bound itself."""
    rules = field_rules(kind, path)
    return (value > 100 and "max" not in rules) or (value < 0 and "min" not in rules)
