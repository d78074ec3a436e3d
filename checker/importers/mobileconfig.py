"""Apple configuration profiles (``.mobileconfig``, ``.plist``) → the normalized district model.

A profile becomes one policy record for one scope (named after the file unless
``--scope`` says otherwise): all its payloads are merged into that record per
``apple_map.yaml`` (district.md §1.1, §3).  The platform is ``macos`` when a payload
exists only on macOS (FileVault, SoftwareUpdate, firewall, Gatekeeper, MCX …) or
``TargetDeviceType`` is 5; else the profile's name decides (iPad → ``ipados``,
iPhone/iOS → ``ios``, Mac → ``macos``); else the macOS-only top-level ``PayloadScope``
means ``macos``; else ``ios``.  ``--platform`` overrides all of this.  Unknown payload
types (vendor agents, TCC, VPN …) are not mapped: their keys are kept under
``sources[].unmapped``.  Deprecated names (``blacklistedAppBundleIDs``,
``BlacklistedURLs``), out-of-range values, wrong types, non-integral ``<real>``
values where Apple expects an integer, and duplicated keys become
``policies[].source_issues`` (MDM-OPS-007).  Managed-preference plists (a bare
preference domain, or ``com.apple.ManagedClient.preferences`` MCX payloads) are read
as payloads of that domain.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..document import Document
from ..errors import InputError
from ..yamlio import join_key
from .base import ImportOptions, Origin, check_size, load_data, stem, words
from .builder import DistrictBuilder
from .plist import ParsedPlist, parse_plist
from .record import PolicyRecord
from .specs import apply_key

FORMAT = "mobileconfig"
MCX = "com.apple.ManagedClient.preferences"
_VENDOR_WORDS = {
    "jamf": "jamf",
    "jamfsoftware": "jamf",
    "mosyle": "mosyle",
    "kandji": "kandji",
    "intune": "intune",
}
_AUTO_UPDATE_KEYS = (
    "AutomaticCheckEnabled",
    "AutomaticDownload",
    "AutomaticallyInstallMacOSUpdates",
    "CriticalUpdateInstall",
    "ConfigDataInstall",
)


def load(data: bytes, file: str, options: ImportOptions) -> Document:
    """Import one profile; InputError (with the line) when it cannot be read."""
    check_size(data, file, options.max_bytes)
    parsed = parse_plist(data, file)
    root = parsed.value
    if not isinstance(root, dict):
        raise InputError(
            file,
            "the property list's root is not a <dict>",
            "a configuration profile is a <dict> with PayloadContent",
            parsed.positions[""][0],
        )
    table = load_data("apple_map.yaml")
    payloads = list(_payloads(root, "", file))
    b = DistrictBuilder(file, FORMAT, options, _vendor(root))
    at = _Locator(parsed)
    name = root.get("PayloadDisplayName") if isinstance(root.get("PayloadDisplayName"), str) else stem(file)
    rec = b.policy(b.file_scope(at("")), options.platform or _platform(root, payloads, table), name, at(""))
    for key, spec in table["top"].items():
        if key in root:
            apply_key(rec, key, root[key], spec, at(join_key("", key)))
    _duplicates(rec, parsed.duplicates)
    for path, payload in payloads:
        _payload(b, rec, path, payload, table, at)
    return b.document()


class _Locator:
    """Key path in the plist → Origin (line and column of its <key>)."""

    def __init__(self, parsed: ParsedPlist) -> None:
        self.pos = parsed.positions

    def __call__(self, path: str) -> Origin:
        probe = path
        while probe not in self.pos and probe:
            probe = probe.rsplit(".", 1)[0] if "." in probe else ""
        return Origin(path, *self.pos.get(probe, (1, 1)))


def _payloads(root: dict[str, Any], path: str, file: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(key path, payload dict) of every payload, MCX preference domains unfolded."""
    content = root.get("PayloadContent")
    if root.get("PayloadType") in (None, "Configuration") and isinstance(content, list):
        for i, payload in enumerate(content):
            if isinstance(payload, dict):
                yield from _unfold(payload, f"{join_key(path, 'PayloadContent')}[{i}]")
    elif "PayloadType" in root:
        yield from _unfold(root, path)
    else:  # a bare managed-preferences plist, e.g. com.apple.SoftwareUpdate.plist
        yield path, {"PayloadType": stem(file), **root}


def _unfold(payload: dict[str, Any], path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    content = payload.get("PayloadContent")
    if payload.get("PayloadType") != MCX or not isinstance(content, dict):
        yield path, payload
        return
    for domain, spec in content.items():
        forced = spec.get("Forced") if isinstance(spec, dict) else None
        for i, item in enumerate(forced if isinstance(forced, list) else []):
            settings = item.get("mcx_preference_settings") if isinstance(item, dict) else None
            if isinstance(settings, dict):
                where = join_key(
                    f"{join_key(join_key(path, 'PayloadContent'), domain)}.Forced[{i}]",
                    "mcx_preference_settings",
                )
                yield where, {"PayloadType": domain, **settings}


def _duplicates(rec: PolicyRecord, duplicates: list[tuple[str, int, int]]) -> None:
    """One issue per dict with repeated keys (Apple's parser keeps the later value of each)."""
    groups: dict[str, list[tuple[str, int, int]]] = {}
    for path, first, line in duplicates:
        parent, _, key = path.rpartition(".")
        groups.setdefault(parent, []).append((key, first, line))
    for parent, items in groups.items():
        keys = ", ".join(k for k, _, _ in items)
        lines = ", ".join(f"{f}→{n}" for _, f, n in items)
        where = f" in {parent}" if parent else ""
        detail = f"repeated{where} (lines {lines}); the device keeps the later values"
        rec.issue(
            keys,
            "duplicated",
            detail,
            None,
            Origin(f"{parent}.{items[0][0]}" if parent else items[0][0], items[0][2]),
        )


def _platform(root: dict[str, Any], payloads: list[tuple[str, dict[str, Any]]], table: dict[str, Any]) -> str:
    """macOS-only payloads or ``TargetDeviceType`` 5 → macos; then the profile's name
    (iPad → ipados, iPhone/iOS → ios, Mac → macos); then the macOS-only top-level
    ``PayloadScope``; else ios."""
    if root.get("TargetDeviceType") == 5 or any(
        p.get("PayloadType") in table["macos_only"] for _, p in payloads
    ):
        return "macos"
    named = set(words(" ".join(str(root.get(k, "")) for k in ("PayloadDisplayName", "PayloadIdentifier"))))
    if named & {"ipad", "ipads", "ipados"}:
        return "ipados"
    if named & {"ios", "iphone", "iphones"}:
        return "ios"
    if named & {"macos", "osx", "mac", "macs", "macbook"} or "PayloadScope" in root:
        return "macos"
    return "ios"


def _vendor(root: dict[str, Any]) -> str | None:
    text = " ".join(str(root.get(k, "")) for k in ("PayloadIdentifier", "PayloadOrganization")).lower()
    return next((v for w, v in _VENDOR_WORDS.items() if w in text), None)


def _payload(
    b: DistrictBuilder,
    rec: PolicyRecord,
    path: str,
    payload: dict[str, Any],
    table: dict[str, Any],
    at: _Locator,
) -> None:
    ptype = payload.get("PayloadType")
    if payload.get("PayloadEnabled") is False:
        b.keep_unmapped(path, f"{ptype} payload (PayloadEnabled false: not applied)")
        return
    specs = table["payloads"].get(ptype, {})
    values: dict[str, tuple[Any, Origin]] = {}
    for key, value in payload.items():
        kpath = join_key(path, key)
        if key in table["bookkeeping"]:
            continue
        spec = specs.get(key)
        if spec is None or not (spec.get("field") or spec.get("code") or spec.get("list_mode")):
            b.keep_unmapped(kpath, value)
        if spec is not None:
            values[key] = (apply_key(rec, key, value, spec, at(kpath)), at(kpath))
    handler = _HANDLERS.get(str(ptype))
    if handler is not None:
        handler(b, rec, values, specs, at(join_key(path, "PayloadType")))


# -- handlers for keys that need more than a one-to-one mapping ---------------------------------
Values = dict[str, tuple[Any, Origin]]


def _passcode(
    b: DistrictBuilder, rec: PolicyRecord, values: Values, specs: dict[str, Any], here: Origin
) -> None:
    """A passcode payload requires a passcode (forcePIN only matters when it says false)."""
    if "forcePIN" not in values:
        rec.set("passcode.required", True, here)


def _restrictions(
    b: DistrictBuilder, rec: PolicyRecord, values: Values, specs: dict[str, Any], here: Origin
) -> None:
    scope = str(rec.record["scope"])
    for key, (ids, origin) in values.items():
        mode = specs[key].get("list_mode")
        if not mode or not isinstance(ids, list):
            continue
        keys = [str(i) for i in ids if isinstance(i, str) and i]
        rec.set("apps.list_mode", mode, origin)
        rec.set("apps.app_keys", keys, origin, "union")
        for i, app_id in enumerate(keys):
            b.app(
                "apple_bundle",
                app_id,
                "allowed" if mode == "allow" else "blocked",
                scope,
                Origin(f"{origin.key_path}[{i}]", origin.line, origin.col),
            )
    forced, origin = values.get("forceDelayedSoftwareUpdates", (None, here))
    if forced is True:  # Apple's default delay is 30 days when none is given
        delay, delay_at = values.get("enforcedSoftwareUpdateDelay", (30, origin))
        rec.set("updates.deferral_days", delay if delay is not None else 30, delay_at)


def _filevault(
    b: DistrictBuilder, rec: PolicyRecord, values: Values, specs: dict[str, Any], here: Origin
) -> None:
    if rec.get("encryption.required") is not None:
        rec.set("encryption.method", "filevault", values.get("Enable", (None, here))[1])


def _escrow(
    b: DistrictBuilder, rec: PolicyRecord, values: Values, specs: dict[str, Any], here: Origin
) -> None:
    rec.set("encryption.recovery_key_escrow", True, here)


def _software_update(
    b: DistrictBuilder, rec: PolicyRecord, values: Values, specs: dict[str, Any], here: Origin
) -> None:
    """``updates.auto_update`` is true only when all five automatic-update keys are true (CIS macOS 1.2–1.6)."""
    got = [values.get(k, (None, here)) for k in _AUTO_UPDATE_KEYS]
    off = next((o for v, o in got if v is False), None)
    if off is not None:
        rec.set("updates.auto_update", False, off)
    elif all(v is True for v, _ in got):
        rec.set("updates.auto_update", True, got[0][1])


def _web_filter(
    b: DistrictBuilder, rec: PolicyRecord, values: Values, specs: dict[str, Any], here: Origin
) -> None:
    """A plug-in filter, or the built-in one with AutoFilterEnabled, is a filter (APL-WCF)."""
    kind, origin = values.get("FilterType", ("BuiltIn", here))
    if kind == "Plugin":
        rec.set("content_filter.present", True, origin)
        rec.set("content_filter.mechanism", "plugin", origin)
    elif kind in ("BuiltIn", None):
        auto, auto_at = values.get("AutoFilterEnabled", (False, origin))
        rec.set("content_filter.present", auto is True, auto_at)
        rec.set("content_filter.mechanism", "builtin", origin)


def _removal_password(
    b: DistrictBuilder, rec: PolicyRecord, values: Values, specs: dict[str, Any], here: Origin
) -> None:
    rec.set("removal_passcode", True, here)


_HANDLERS = {
    "com.apple.mobiledevice.passwordpolicy": _passcode,
    "com.apple.applicationaccess": _restrictions,
    "com.apple.applicationaccess.new": _restrictions,
    "com.apple.MCX.FileVault2": _filevault,
    "com.apple.security.FDERecoveryKeyEscrow": _escrow,
    "com.apple.SoftwareUpdate": _software_update,
    "com.apple.webcontent-filter": _web_filter,
    "com.apple.profileRemovalPassword": _removal_password,
}
