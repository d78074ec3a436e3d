"""``report --previous``: last year's report JSON, checked field by field before use.

The trend reads only a few fields of the previous report; each must have the type
it had when k12check wrote it.  A hand-edited or hostile file (a list where a
mapping was, a number for a fingerprint, a billion-level nesting) is one line
naming the field, exit 2, before anything is computed from it.  Nesting is already
bounded by the loader (64 levels).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import UsageError

_TEXT_FIELDS = ("rule", "severity", "title", "vendor", "vendor_key", "fingerprint", "file")
_SEVERITIES_TYPE = "a mapping of severity to count"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return {dict: "a mapping", list: "a list", str: "text", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def _counts(value: Any, where: str) -> str | None:
    if not isinstance(value, dict):
        return f"{where} must be {_SEVERITIES_TYPE} (got {_kind(value)})"
    for key, count in value.items():
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            return f"{where}.{key} must be a count (got {_kind(count)})"
    return None


def _finding(item: Any, where: str) -> str | None:
    if not isinstance(item, dict):
        return f"{where} must be a mapping (got {_kind(item)})"
    for key in _TEXT_FIELDS:
        if key in item and item[key] is not None and not isinstance(item[key], str):
            return f"{where}.{key} must be text (got {_kind(item[key])})"
    return None


def _year(value: Any, where: str) -> str | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return None
    return f"{where} must be a year (got {_kind(value)})"


def problem(report: Mapping[str, Any]) -> str | None:
    """The first field of ``report`` the trend cannot use, as a phrase; None when all fit."""
    checks = [_year(report.get("year"), "year")]
    summary = report.get("summary", {})
    if not isinstance(summary, dict):
        return f"summary must be a mapping (got {_kind(summary)})"
    if "by_severity" in summary:
        checks.append(_counts(summary["by_severity"], "summary.by_severity"))
    trend = report.get("trend", {})
    if not isinstance(trend, dict):
        return f"trend must be a mapping (got {_kind(trend)})"
    history = trend.get("history", [])
    if not isinstance(history, list):
        return f"trend.history must be a list (got {_kind(history)})"
    for i, entry in enumerate(history):
        if not isinstance(entry, dict):
            return f"trend.history[{i}] must be a mapping (got {_kind(entry)})"
        checks.append(_year(entry.get("year"), f"trend.history[{i}].year"))
        checks.append(_counts(entry.get("by_severity", {}), f"trend.history[{i}].by_severity"))
    checks.extend(_finding(f, f"findings[{i}]") for i, f in enumerate(report.get("findings", [])))
    return next((c for c in checks if c is not None), None)


def check(report: Mapping[str, Any], path: str) -> None:
    """A UsageError naming the first unusable field of the previous report."""
    why = problem(report)
    if why is not None:
        raise UsageError(f"--previous {path}: {why}; give a report written by k12check report --format json")
