"""Chrome Policy API records (as GAM prints them) → the normalized district model.

A record is ``{"name": "chrome.users.UrlBlocking", "fields": [{"name": "urlBlocklist",
"value": "..."}], "orgUnitPath": "/Students", "direct": true}``; the raw API form
``{"targetKey": {...}, "value": {"policySchema": "...", "value": {...}}}`` is read too.
Each organizational unit becomes a scope (id from its path, audience and grade band
from its words, see ``scopes.yaml``) with one ChromeOS policy record; records of
``chrome.devices.*`` and ``chrome.users.*`` both feed it.  App records
(``chrome.users.apps.InstallType`` with an ``app_id`` target) become ``apps[]``.
Managed-guest, kiosk, network and printer namespaces are not mapped.
"""

from __future__ import annotations

from typing import Any

from ..document import Document
from ..yamlio import SourceMap, join_key
from .base import ImportOptions, Locator, Origin, load_data
from .builder import DistrictBuilder
from .chrome import Values, finish
from .record import PolicyRecord
from .specs import apply_key

FORMAT = "chrome_policy_api"
APP_SCHEMAS = {"chrome.users.apps.InstallType", "chrome.devices.kiosk.apps.InstallType"}
_FLAT_NAMES = {
    "secondaryGoogleAccountSigninAllowed": "SecondaryGoogleAccountSigninAllowed",
    "allowedDomainsForApps": "AllowedDomainsForApps",
    "safeSitesFilterBehavior": "SafeSitesFilterBehavior",
    "deviceMinimumVersion": "DeviceMinimumVersion",
}
_ID_TYPES = {"chrome": "chrome_ext", "android": "android_pkg", "web": "web_url"}


def schema_of(record: Any) -> str | None:
    if not isinstance(record, dict):
        return None
    name = record.get("name")
    if not isinstance(name, str) and isinstance(record.get("value"), dict):
        name = record["value"].get("policySchema")
    return name if isinstance(name, str) and name.startswith("chrome.") else None


def looks_like(value: Any) -> bool:
    """A Chrome Policy API record or a list of them."""
    items = value if isinstance(value, list) else [value]
    return bool(items) and all(schema_of(v) for v in items)


def _fields(record: dict[str, Any], base: str) -> list[tuple[str, Any, str]]:
    """(field name, value, key path of the value) of a GAM or raw API record."""
    if isinstance(record.get("fields"), list):
        return [
            (str(f.get("name")), f.get("value"), f"{join_key(base, 'fields')}[{i}].value")
            for i, f in enumerate(record["fields"])
            if isinstance(f, dict)
        ]
    inner = record.get("value", {}).get("value") if isinstance(record.get("value"), dict) else None
    vpath = join_key(join_key(base, "value"), "value")
    return [(k, v, join_key(vpath, k)) for k, v in inner.items()] if isinstance(inner, dict) else []


def _target(record: dict[str, Any], key: str) -> Any:
    if record.get(key) is not None:
        return record[key]
    for item in record.get("additionalTargetKeys") or []:
        if isinstance(item, dict) and item.get("name") in (key, "app_id") and key == "appId":
            return item.get("value")
    target = record.get("targetKey")
    return target.get("targetResource") if isinstance(target, dict) and key == "orgUnitPath" else None


def load_records(value: Any, smap: SourceMap, file: str, options: ImportOptions) -> Document:
    at = Locator(smap)
    table = load_data("chrome_map.yaml")["api"]
    b = DistrictBuilder(file, FORMAT, options, "google")
    per_policy: dict[int, tuple[PolicyRecord, Values]] = {}
    inactive: list[tuple[int, Origin]] = []
    for i, record in enumerate(value if isinstance(value, list) else [value]):
        base = f"[{i}]" if isinstance(value, list) else ""
        schema = str(schema_of(record))
        parts = schema.split(".")
        if not (len(parts) == 3 and parts[1] in ("users", "devices")) and schema not in APP_SCHEMAS:
            b.keep_unmapped(base or "$", f"{schema}: not imported")
            continue
        if schema == "chrome.devices.InactiveDeviceNotifications":  # tenant reporting, not an OU setting
            _inactive(record, base, at, table, inactive)
            continue
        rec, values = _policy_for(b, record, base, at, per_policy)
        if schema in APP_SCHEMAS:
            _app(b, rec, record, base, at, table)
            continue
        _record_fields(b, rec, values, record, base, parts[1], at, table)
    for rec, values in per_policy.values():
        finish(b, rec, values)
    if inactive:
        days, origin = min(inactive, key=lambda d: d[0])
        b.set_tenant("chrome_inactive_days", days, origin)
    return b.document()


def _policy_for(
    b: DistrictBuilder,
    record: dict[str, Any],
    base: str,
    at: Locator,
    per_policy: dict[int, tuple[PolicyRecord, Values]],
) -> tuple[PolicyRecord, Values]:
    ou = _target(record, "orgUnitPath")
    if isinstance(ou, str) and ou.startswith("orgunits/"):
        ou = None  # an OU id, not a path: the file scope
    if isinstance(ou, str) and ou:
        name = ou.rstrip("/").rsplit("/", 1)[-1] or "/"
        scope = b.scope(name, ou_path=ou, origin=at(join_key(base, "orgUnitPath")))
    else:
        scope = b.file_scope(at(base))
    rec = b.policy(scope, "chromeos", ou if isinstance(ou, str) and ou else None, at(base))
    return per_policy.setdefault(id(rec), (rec, {}))


def _record_fields(
    b: DistrictBuilder,
    rec: PolicyRecord,
    values: Values,
    record: dict[str, Any],
    base: str,
    namespace: str,
    at: Locator,
    table: dict[str, Any],
) -> None:
    mine: Values = {}
    for fname, raw, vpath in _fields(record, base):
        spec = table.get(fname)
        if spec is not None and spec.get("namespace") not in (None, namespace):
            spec = None
        if spec is None or not (spec.get("field") or spec.get("code")):
            b.keep_unmapped(
                f"{_target(record, 'orgUnitPath') or base or '$'} {schema_of(record)}.{fname}", raw
            )
        if spec is None:
            continue
        if isinstance(raw, str) and "map" in spec and "_ENUM_" in raw:
            raw = raw.split("_ENUM_", 1)[1]
        mine[_FLAT_NAMES.get(fname, fname)] = (apply_key(rec, fname, raw, spec, at(vpath)), at(vpath))
    values.update(mine)


def _inactive(
    record: dict[str, Any], base: str, at: Locator, table: dict[str, Any], inactive: list[tuple[int, Origin]]
) -> None:
    """Inactive-device notifications (MDM-OPS-004): days considered inactive, when notifications are on."""
    scratch = PolicyRecord({}, at(base), "")
    got = {
        f: (apply_key(scratch, f, raw, table[f], at(p)), at(p))
        for f, raw, p in _fields(record, base)
        if f in table
    }
    days, origin = got.get("numDaysConsideredInactive", (None, None))
    if (
        got.get("notificationEnabled", (None, None))[0] is not False
        and isinstance(days, int)
        and origin is not None
    ):
        inactive.append((days, origin))


def _app(
    b: DistrictBuilder,
    rec: PolicyRecord,
    record: dict[str, Any],
    base: str,
    at: Locator,
    table: dict[str, Any],
) -> None:
    """``chrome.users.apps.InstallType`` for one app id (``chrome:<id>``, ``android:<pkg>``, ``web:<url>``)."""
    app = _target(record, "appId")
    mode = next(((v, p) for f, v, p in _fields(record, base) if f == "appInstallType"), None)
    if not isinstance(app, str) or mode is None:
        return
    raw, vpath = mode
    raw = raw.split("_ENUM_", 1)[1] if isinstance(raw, str) and "_ENUM_" in raw else raw
    install = apply_key(rec, "appInstallType", raw, table["appInstallType"], at(vpath))
    if install is None:
        return
    kind, _, app_id = app.partition(":") if ":" in app else ("chrome", "", app)
    if app_id in ("*", ""):
        rec.set(
            "apps.extension_default", "blocked" if install in ("blocked", "remove") else "allowed", at(vpath)
        )
        return
    b.app(_ID_TYPES.get(kind, "chrome_ext"), app_id, install, str(rec.record["scope"]), at(vpath))
    if install in ("forced", "allowed", "available"):
        rec.set("apps.list_mode", "allow", at(vpath))
        rec.set("apps.app_keys", [app_id], at(vpath), "union")
