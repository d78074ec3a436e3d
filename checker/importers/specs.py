"""Apply one source key to a policy record according to its spec in a mapping table.

The tables (``apple_map.yaml``, ``intune_map.yaml``, ``chrome_map.yaml``) describe
each vendor key as data::

    minLength: {field: passcode.min_length, type: int, range: [0, 16]}
    passcodeBlockSimple: {field: passcode.allow_simple, type: bool, invert: true}
    IncognitoModeAvailability: {field: content_filter.incognito, type: int,
                                map: {0: available, 1: disabled, 2: forced}}
    blacklistedAppBundleIDs: {..., deprecated: use blockedAppBundleIDs}

Spec keys: ``field`` (normalized dotted field; absent = validated but not mapped),
``type`` (bool, int, number, string, list, dict, any), ``invert``, ``map`` (value →
normalized value; null = not configured), ``range`` ([min, max], inclusive),
``values`` (the documented values; others are reported and not mapped),
``deprecated`` (the replacement), ``combine`` (all/any/union when several keys feed
one field), ``unset`` (source values that mean "not configured", e.g. Intune's
``false`` for compliance checks that are switched off), ``transform`` (a named helper
below).  A value of the wrong type is reported and not mapped: the device ignores it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from .base import Origin
from .record import PolicyRecord

_MISSING = object()


def _domains(value: Any) -> list[str]:
    """``*@district.org`` / ``user@district.org`` / ``district.org`` → ``district.org`` (unique, in order)."""
    items = value.split(",") if isinstance(value, str) else value
    out: list[str] = []
    for item in items if isinstance(items, list) else []:
        text = str(item).strip()
        domain = text.rsplit("@", 1)[-1].lstrip("*.").lower() if text else ""
        if domain and domain not in out:
            out.append(domain)
    return out


def _split(value: Any) -> list[str]:
    """A comma-separated string (as the Chrome Policy API returns some lists) or a list → list of text."""
    items = value.split(",") if isinstance(value, str) else value
    return [str(v).strip() for v in items if str(v).strip()] if isinstance(items, list) else []


TRANSFORMS: dict[str, Callable[[Any], Any]] = {"domains": _domains, "split": _split}


def coerce(value: Any, kind: str, key: str, rec: PolicyRecord, origin: Origin) -> Any:
    """``value`` as ``kind``, or _MISSING (with a source issue) when it cannot be."""
    if kind in ("any", None):
        return value
    is_num = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind == "int" and is_num:
        if isinstance(value, float) and not value.is_integer():
            rounded = math.floor(value + 0.5)
            rec.issue(key, "not a whole number", f"{value:g} read as {rounded}", value, origin)
            return rounded
        return int(value)
    if kind == "int" and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    if kind == "number" and is_num:
        return int(value) if isinstance(value, float) and value.is_integer() else value
    if kind == "string" and isinstance(value, str):
        return value
    if kind == "string" and is_num:
        return str(value)
    if (kind == "list" and isinstance(value, list)) or (kind == "dict" and isinstance(value, dict)):
        return value
    rec.issue(
        key,
        "of the wrong type",
        f"{_type(value)} where {_NAMES.get(kind, kind)} is expected",
        _short(value),
        origin,
    )
    return _MISSING


_NAMES = {
    "bool": "a boolean",
    "int": "a whole number",
    "number": "a number",
    "string": "text",
    "list": "a list",
    "dict": "a dictionary",
}


def _type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    names: dict[type, str] = {str: "text", list: "a list", dict: "a dictionary", bytes: "data"}
    return names.get(type(value), type(value).__name__)


def _short(value: Any) -> Any:
    """The value as evidence: scalars and short lists of scalars as they are, anything else as short text."""
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if (
        isinstance(value, list)
        and len(value) <= 10
        and all(isinstance(v, (bool, int, float, str)) for v in value)
    ):
        return value
    return str(value)[:60]


def apply_key(
    rec: PolicyRecord,
    key: str,
    value: Any,
    spec: Mapping[str, Any],
    origin: Origin,
    combine: str | None = None,
) -> Any:
    """Map ``key``'s ``value`` onto ``rec`` as ``spec`` says (see the module docstring).

    Returns the normalized value (None when the key is unset or invalid), for the
    importers' handlers that need more than one key.
    """
    if spec.get("deprecated"):
        rec.issue(key, "deprecated", f"use {spec['deprecated']}", _short(value), origin)
    if value is None or _is_unset(value, spec.get("unset", ())):
        return None
    value = coerce(value, spec.get("type", "any"), key, rec, origin)
    if value is _MISSING:
        return None
    if "range" in spec and isinstance(value, (int, float)) and not isinstance(value, bool):
        low, high = spec["range"]
        if not low <= value <= high:
            rec.issue(key, "out of range", f"{value} is outside {low}–{high}", value, origin)
    allowed = spec.get("values") or spec.get("map")
    if allowed is not None and value not in allowed:
        rec.issue(
            key,
            "an undocumented value",
            f"expected one of {', '.join(map(str, allowed))}",
            _short(value),
            origin,
        )
        return None
    if "map" in spec:
        value = spec["map"][value]
    if "transform" in spec:
        value = TRANSFORMS[spec["transform"]](value)
    if spec.get("invert") and isinstance(value, bool):
        value = not value
    if spec.get("field"):
        rec.set(spec["field"], value, origin, spec.get("combine") or combine)
    return value


def _is_unset(value: Any, unset: Any) -> bool:
    """``value`` is one of the "not configured" values (``False`` never matches ``0``)."""
    return any(type(u) is type(value) and u == value for u in unset)
