"""Chrome and ChromeOS policy exports → the normalized district model.

Two on-disk forms (district.md §1.3):

* a flat policy map, ``{"URLBlocklist": [...], "IncognitoModeAvailability": 1, ...}``
  as in ``/etc/opt/chrome/policies/managed/*.json`` (tabs and all), or the
  ``policyValues`` of a ``chrome://policy`` export.  No scope information: one
  scope named after the file; ChromeOS (``chromeos``) when a ``Device*`` policy is
  present, else the browser (``chrome_browser``);
* Chrome Policy API records as GAM prints them (``show chromepolicies ... formatjson``:
  one JSON object per line, or a list) — see :mod:`checker.importers.chrome_api`.

Legacy names (``URLBlacklist``, ``ExtensionInstallWhitelist``, ``DeviceUserWhitelist`` …)
map like the current ones and are reported as deprecated (MDM-OPS-007).
"""

from __future__ import annotations

import re
from typing import Any

from ..document import Document
from ..errors import InputError
from ..yamlio import MAX_BYTES, SourceMap, join_key, load_bytes
from .base import ImportOptions, Locator, Origin, check_size, load_data, stem
from .builder import DistrictBuilder
from .record import PolicyRecord
from .specs import TRANSFORMS, apply_key

FORMAT = "chrome_json"
_POLICY_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
Values = dict[str, tuple[Any, Origin]]


def read_json(data: bytes, file: str, max_bytes: int = MAX_BYTES) -> tuple[Any, SourceMap]:
    """A JSON document, or JSON Lines (GAM prints one record per line), with key lines."""
    try:
        loaded = load_bytes(data, file, json_mode=True, max_bytes=max_bytes)
        return loaded.value, loaded.source_map
    except InputError as first:
        lines = data.splitlines()
        if len([ln for ln in lines if ln.strip()]) < 2:
            raise
        values: list[Any] = []
        smap: SourceMap = {"": (1, 1)}
        for n, raw in enumerate(lines, 1):
            if not raw.strip():
                continue
            try:
                one = load_bytes(raw, file, json_mode=True, max_bytes=max_bytes)
            except InputError as exc:
                raise first if n == 1 else InputError(file, exc.message, exc.hint, n) from None
            base = f"[{len(values)}]"
            smap.update(
                {
                    f"{base}.{p}" if p and not p.startswith("[") else base + p: (n, c)
                    for p, (_, c) in one.source_map.items()
                }
            )
            values.append(one.value)
        return values, smap


def flat_policies(value: Any) -> tuple[dict[str, Any], str, bool] | None:
    """(policies, base path, wrapped) of a flat policy map or a chrome://policy export; else None."""
    if not isinstance(value, dict) or "kind" in value:
        return None
    chrome = (
        value.get("policyValues", {}).get("chrome", {}) if isinstance(value.get("policyValues"), dict) else {}
    )
    if isinstance(chrome, dict) and isinstance(chrome.get("policies"), dict):
        return chrome["policies"], "policyValues.chrome.policies", True
    table = load_data("chrome_map.yaml")
    known = set(table["policies"]) | set(table["known_other"])
    if value and all(_POLICY_NAME.match(k) for k in value) and known & set(value):
        return value, "", False
    return None


def load(data: bytes, file: str, options: ImportOptions) -> Document:
    """Import a flat policy map or Chrome Policy API records."""
    from . import chrome_api

    check_size(data, file, options.max_bytes)
    value, smap = read_json(data, file, options.max_bytes)
    if chrome_api.looks_like(value):
        return chrome_api.load_records(value, smap, file, options)
    found = flat_policies(value)
    if found is None:
        raise InputError(
            file,
            "not a Chrome policy map or Chrome Policy API export",
            "export policies as JSON (policies/managed) or with GAM ... formatjson",
            1,
        )
    policies, base, wrapped = found
    table = load_data("chrome_map.yaml")
    at = Locator(smap)
    device = any(k.startswith(tuple(table["device_prefixes"])) for k in policies)
    b = DistrictBuilder(file, FORMAT, options, "google" if device else None)
    rec = b.policy(b.file_scope(at("")), "chromeos" if device else "chrome_browser", stem(file), at(base))
    values: Values = {}
    for key, raw in policies.items():
        kpath = join_key(base, key)
        if wrapped:
            raw, kpath = (raw.get("value") if isinstance(raw, dict) else None), join_key(kpath, "value")
        spec = table["policies"].get(key)
        if spec is None or not (spec.get("field") or spec.get("code")):
            b.keep_unmapped(kpath, raw)
        if spec is not None:
            values[key] = (apply_key(rec, key, raw, spec, at(kpath)), at(kpath))
    finish(b, rec, values)
    return b.document()


# -- handlers shared by both forms (values keyed by the flat policy names) ------------------------
def finish(b: DistrictBuilder, rec: PolicyRecord, values: Values) -> None:
    """Map what needs several keys: extensions, SafeSites, secondary accounts, minimum version."""
    _extensions(b, rec, values)
    sites, origin = values.get("SafeSitesFilterBehavior", (None, None))
    if isinstance(sites, bool) and origin is not None:
        rec.set("content_filter.present", sites, origin)
        if sites:
            rec.set("content_filter.mechanism", "safe_sites", origin)
    _secondary_accounts(rec, values)
    _minimum_version(rec, values)


def _first(values: Values, *keys: str) -> tuple[Any, Origin | None]:
    return next((values[k] for k in keys if k in values and values[k][0] is not None), (None, None))


def _extensions(b: DistrictBuilder, rec: PolicyRecord, values: Values) -> None:
    scope = str(rec.record["scope"])
    block, block_at = _first(values, "ExtensionInstallBlocklist", "ExtensionInstallBlacklist")
    allow, allow_at = _first(values, "ExtensionInstallAllowlist", "ExtensionInstallWhitelist")
    force, force_at = _first(values, "ExtensionInstallForcelist")
    settings, settings_at = _first(values, "ExtensionSettings")
    installs: list[tuple[str, str, Origin]] = []
    for ids, install, origin in (
        (block, "blocked", block_at),
        (allow, "allowed", allow_at),
        (force, "forced", force_at),
    ):
        if isinstance(ids, list) and origin is not None:
            installs += [(str(i).split(";")[0].strip(), install, origin) for i in ids if str(i).strip()]
    if isinstance(settings, dict) and settings_at is not None:
        installs += _settings_installs(settings, settings_at)
    default = next((m for i, m, _ in installs if i == "*"), None)
    if default is not None:
        origin = next(o for i, _, o in installs if i == "*")
        rec.set(
            "apps.extension_default", "blocked" if default in ("blocked", "remove") else "allowed", origin
        )
    elif block is not None and block_at is not None:
        rec.set("apps.extension_default", "allowed", block_at)
    apps = [(i, m, o) for i, m, o in installs if i != "*"]
    listed = [i for i, m, _ in apps if m in ("allowed", "forced", "available")]
    mode = "allow" if listed else ("block" if apps else None)
    if mode is not None:
        rec.set("apps.list_mode", mode, apps[0][2])
        rec.set("apps.app_keys", listed or [i for i, _, _ in apps], apps[0][2], "union")
    for app_id, install, origin in apps:
        b.app("chrome_ext", app_id, install, scope, origin)


_MODES = {
    "blocked": "blocked",
    "allowed": "allowed",
    "force_installed": "forced",
    "normal_installed": "available",
    "removed": "remove",
}


def _settings_installs(settings: dict[str, Any], origin: Origin) -> list[tuple[str, str, Origin]]:
    """ExtensionSettings: ``{"*": {"installation_mode": "blocked"}, "<id>,<id>": {...}}``."""
    out: list[tuple[str, str, Origin]] = []
    for key, entry in settings.items():
        mode = _MODES.get(str(entry.get("installation_mode"))) if isinstance(entry, dict) else None
        if mode is None or key.startswith("update_url:"):
            continue
        out += [
            (k.strip(), mode, Origin(join_key(origin.key_path, key), origin.line, origin.col))
            for k in key.split(",")
            if k.strip()
        ]
    return out


def _secondary_accounts(rec: PolicyRecord, values: Values) -> None:
    allowed, origin = _first(values, "SecondaryGoogleAccountSigninAllowed")
    domains_raw, domains_at = _first(values, "AllowedDomainsForApps")
    domains = [d.lower() for d in TRANSFORMS["split"](domains_raw)]
    if allowed is False and origin is not None:
        rec.set("data.secondary_accounts", "blocked", origin)
    elif domains and domains_at is not None:
        rec.set("data.secondary_accounts", "domains", domains_at)
        rec.set("data.secondary_account_domains", domains, domains_at)
    elif allowed is True and origin is not None:
        rec.set("data.secondary_accounts", "any", origin)


def _minimum_version(rec: PolicyRecord, values: Values) -> None:
    """DeviceMinimumVersion ``{"requirements": [{"chromeos_version": ...}]}`` → the lowest required version."""
    raw, origin = _first(values, "DeviceMinimumVersion")
    if origin is None:
        return
    items = raw.get("requirements", [raw]) if isinstance(raw, dict) else raw
    found = [
        str(v)
        for i in (items if isinstance(items, list) else [])
        if isinstance(i, dict)
        for v in (i.get("chromeos_version") or i.get("chromeosVersion"),)
        if v
    ]
    if found:
        rec.set("updates.min_os_version", min(found, key=_version_key), origin)


def _version_key(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text)[:4])
