"""Microsoft Intune Graph JSON exports → the normalized district model.

Reads what IntuneManagement, IntuneBackupAndRestore and plain Graph calls write: one
object, a list of objects, or a Graph collection (``{"value": [...]}``), in UTF-8 or
UTF-16 with a BOM and CRLF line ends; ``@odata.type`` with or without ``#`` (or
``odata.type``); explicit nulls.  Keys containing ``@`` (``roleScopeTagIds@odata.type``)
or starting with ``#`` (``#microsoft.graph.assign``) are dropped.  Mapped types are in
``intune_map.yaml``: iOS, Windows 10 and macOS compliance policies, iOS restrictions,
Windows Update for Business rings, and the tenant's settings and clean-up rule;
``managedDevice`` objects become ``devices[]`` through the inventory alias table.

The file carries no scope (assignments name Entra group ids only), so everything
goes into one scope named after the file.  Policies of one platform are merged into
one record: a device must satisfy every compliance policy assigned to it, so the
stricter value is kept without a conflict, and the block action's grace period is
the longest among them (so MDM-OPS-003 judges the weakest policy).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..document import Document
from ..yamlio import join_key, load_bytes
from .base import ImportOptions, Locator, Origin, check_size, load_data
from .builder import DistrictBuilder
from .record import PolicyRecord
from .specs import apply_key

FORMAT = "graph_json"
TENANT_TYPES = {
    "deviceManagement",
    "deviceManagementSettings",
    "managedDeviceCleanupSettings",
    "managedDeviceCleanupRule",
}
TENANT_CONTAINERS = ("settings", "managedDeviceCleanupSettings")


def odata_type(obj: Any) -> str | None:
    """``#microsoft.graph.iosCompliancePolicy`` / ``microsoft.graph.…`` → ``iosCompliancePolicy``."""
    if not isinstance(obj, dict):
        return None
    raw = obj.get("@odata.type", obj.get("odata.type"))
    return str(raw).lstrip("#").removeprefix("microsoft.graph.") if isinstance(raw, str) else None


def objects(value: Any) -> Iterator[tuple[str, Any]]:
    """(path, object) of each Graph object in the file."""
    if isinstance(value, list):
        yield from ((f"[{i}]", v) for i, v in enumerate(value))
    elif isinstance(value, dict) and isinstance(value.get("value"), list) and odata_type(value) is None:
        yield from ((f"value[{i}]", v) for i, v in enumerate(value["value"]))
    else:
        yield "", value


def is_tenant(obj: Any) -> bool:
    """deviceManagement settings or a clean-up rule (with or without ``@odata.type``)."""
    if not isinstance(obj, dict):
        return False
    if odata_type(obj) in TENANT_TYPES:
        return True
    keys = load_data("intune_map.yaml")["tenant"]
    return any(k in obj for k in keys) or any(isinstance(obj.get(c), dict) for c in TENANT_CONTAINERS)


def looks_like(value: Any) -> bool:
    """Intune Graph JSON: objects with an ``@odata.type``, or tenant settings."""
    items = [v for _, v in objects(value)]
    return bool(items) and any(odata_type(v) or is_tenant(v) for v in items)


def load(data: bytes, file: str, options: ImportOptions) -> Document:
    check_size(data, file, options.max_bytes)
    loaded = load_bytes(data, file, json_mode=True, max_bytes=options.max_bytes)
    at = Locator(loaded.source_map)
    table = load_data("intune_map.yaml")
    b = DistrictBuilder(file, FORMAT, options, "intune")
    assigned: dict[int, list[tuple[PolicyRecord, str | None, Any, Origin]]] = {}
    for base, obj in objects(loaded.value):
        spec = table["types"].get(odata_type(obj) or "")
        if spec is not None:
            rec = _policy(b, base, obj, spec, table, at)
            if isinstance(obj.get("assignments"), list):
                origin = at(join_key(base, "assignments"))
                assigned.setdefault(id(rec), []).append(
                    (rec, obj.get("displayName"), obj["assignments"], origin)
                )
        elif odata_type(obj) == "managedDevice":
            _device(b, base, obj, at)
        elif is_tenant(obj):
            _tenant(b, base, obj, table, at)
        else:
            b.keep_unmapped(base or "$", f"{odata_type(obj) or 'object without @odata.type'}: not imported")
    for entries in assigned.values():
        _assignments(entries)
    return b.document()


def _dropped(key: str) -> bool:
    return "@" in key or key.startswith("#")


def _has_value(value: Any) -> bool:
    return value not in (None, False, "", [], {})


def _policy(
    b: DistrictBuilder,
    base: str,
    obj: dict[str, Any],
    spec: dict[str, Any],
    table: dict[str, Any],
    at: Locator,
) -> PolicyRecord:
    name = obj.get("displayName") if isinstance(obj.get("displayName"), str) else None
    rec = b.policy(b.file_scope(at("")), spec["platform"], name, at(base))
    compliance = spec["kind"] == "compliance"
    values: dict[str, tuple[Any, Origin]] = {}
    for key, value in obj.items():
        if _dropped(key):
            continue
        kpath = join_key(base, key)
        kspec = spec["keys"].get(key)
        if kspec is None:
            if key not in table["bookkeeping"] and _has_value(value):
                b.keep_unmapped(kpath, value)
            continue
        if kspec.get("type") == "bool" and "unset" not in kspec:
            kspec = {**kspec, "unset": [False]}  # Intune's "Not configured"
        got = apply_key(rec, key, value, kspec, at(kpath), "strict" if compliance else None)
        values[key] = (got, at(kpath))
    if compliance:
        _block_grace(rec, base, obj, at)
    _app_lists(b, rec, values)
    _update_delay(rec, values)
    if rec.get("encryption.required") is True and spec.get("encryption"):
        rec.set("encryption.method", spec["encryption"], rec.origins["encryption.required"])
    return rec


def _block_grace(rec: PolicyRecord, base: str, obj: dict[str, Any], at: Locator) -> None:
    """``compliance.block_grace_hours``: the grace of the policy's block action (the shortest, if several)."""
    rec.ensure("compliance", at(join_key(base, "scheduledActionsForRule")))
    best: tuple[float, str] | None = None
    rules = obj.get("scheduledActionsForRule")
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        actions = rule.get("scheduledActionConfigurations") if isinstance(rule, dict) else None
        for j, action in enumerate(actions if isinstance(actions, list) else []):
            hours = action.get("gracePeriodHours") if isinstance(action, dict) else None
            if (
                action.get("actionType") == "block"
                and isinstance(hours, (int, float))
                and not isinstance(hours, bool)
            ):
                path = f"{join_key(base, 'scheduledActionsForRule')}[{i}].scheduledActionConfigurations[{j}].gracePeriodHours"
                if best is None or hours < best[0]:
                    best = (hours, path)
    if best is not None:
        rec.set("compliance.block_grace_hours", best[0], at(best[1]), "max")


def _app_lists(b: DistrictBuilder, rec: PolicyRecord, values: dict[str, tuple[Any, Origin]]) -> None:
    """``restrictedApps`` (compliance) and ``appsVisibilityList`` (restrictions) → app lists and ``apps[]``."""
    mode = "block" if "restrictedApps" in values else values.get("appsVisibilityListType", (None, None))[0]
    items, origin = values.get("restrictedApps") or values.get("appsVisibilityList") or (None, None)
    if mode not in ("allow", "block") or not isinstance(items, list) or origin is None:
        return
    ids = [
        (str(a.get("appId") or a.get("bundleId")), a.get("name"))
        for a in items
        if isinstance(a, dict) and (a.get("appId") or a.get("bundleId"))
    ]
    if not ids:
        return
    rec.set("apps.list_mode", mode, origin)
    rec.set("apps.app_keys", [i for i, _ in ids], origin, "union")
    for app_id, name in ids:
        b.app(
            "apple_bundle",
            app_id,
            "allowed" if mode == "allow" else "blocked",
            str(rec.record["scope"]),
            origin,
            name,
        )


def _update_delay(rec: PolicyRecord, values: dict[str, tuple[Any, Origin]]) -> None:
    forced, origin = values.get("softwareUpdatesForceDelayed", (None, None))
    if forced is True and origin is not None:
        delay, delay_at = values.get("softwareUpdatesEnforcedDelayInDays", (None, origin))
        rec.set("updates.deferral_days", delay if delay is not None else 30, delay_at)


def _assignments(entries: list[tuple[PolicyRecord, str | None, Any, Origin]]) -> None:
    """Assignment targets (MDM-OPS-008); absent from the export → unknown.

    When policies merged into one record are all assigned to no group the record's
    ``assignments`` is empty; when only some are, those are named in a source issue
    (the others' targets are kept).
    """
    rec = entries[0][0]
    targets = [_targets(raw) for _, _, raw, _ in entries]
    if not any(targets):
        rec.set("assignments", [], entries[0][3])
        return
    for (_, name, _, origin), found in zip(entries, targets, strict=True):
        if found:
            rec.set("assignments", found, origin, "union")
        else:
            rec.issue("assignments", "empty", f"policy {name!r} is assigned to no group", [], origin)


def _targets(raw: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in raw if isinstance(raw, list) else []:
        target = item.get("target") if isinstance(item, dict) else None
        if isinstance(target, dict):
            entry = {"target": odata_type(target) or "unknown", "group_id": target.get("groupId")}
            out.append({k: v for k, v in entry.items() if v is not None})
    return out


def _tenant(b: DistrictBuilder, base: str, obj: dict[str, Any], table: dict[str, Any], at: Locator) -> None:
    scratch = PolicyRecord({}, at(base), b.file)
    places = [(base, obj)] + [
        (join_key(base, c), obj[c]) for c in TENANT_CONTAINERS if isinstance(obj.get(c), dict)
    ]
    for where, node in places:
        for key, spec in table["tenant"].items():
            if key in node:
                origin = at(join_key(where, key))
                value = apply_key(scratch, key, node[key], {**spec, "field": None}, origin)
                b.set_tenant(spec["field"], value, origin)


def _device(b: DistrictBuilder, base: str, obj: dict[str, Any], at: Locator) -> None:
    """A Graph ``managedDevice`` [MSG-MD] → ``devices[]``, through the inventory alias table."""
    from .inventory_csv import add_device, alias_table, norm

    table = alias_table(b.options.alias_overrides, b.file)
    cells: dict[str, tuple[str, Origin]] = {}
    for key, value in obj.items():
        field = table.get(norm(key))
        if field is None or field in cells or value is None or _dropped(key):
            continue
        text = str(value).lower() if isinstance(value, bool) else str(value)
        origin = at(join_key(base, key))
        cells[field] = (text, Origin(f"{base or '$'}.{key}", origin.line, origin.col))
    add_device(b, cells, Origin(base or "$", *at(base).pos), "intune")
