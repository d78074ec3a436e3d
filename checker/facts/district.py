"""Facts the district (MDM-*) and cross-check (MDM-X-*) rules need (district.md §3-§5).

Rules never do arithmetic or joins between lists; these facts do.  Most return a
list of ids (scope ids, device serials) that fail a cross-list condition, so a
rule can still report one finding per element: ``each: devices`` with
``check: {path: serial, not_in: {fact: duplicate_serials}}``.  Where such a list
can be long (every outdated device of a large fleet), a short list of distinct values
(OS version texts) is tested first, so most devices never reach the long one.
A fact that cannot be computed (no inventory, no versions) is ``None``, which
makes the comparison not applicable.

Thresholds that a fact needs (the OS lag) are read from the district's
``thresholds:`` with the district.md §3 default behind them; those defaults are
project choices, not law.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

from . import FactContext, as_date, dig, fact

KINDS = ("district",)
OS_MAJOR_LAG_MAX = 1  # district.md §3 [U]: OS at most one major version behind the fleet newest
NONCOMPLIANT_STATES = ("noncompliant", "ingraceperiod", "error", "conflict")
MDM_VENDORS = ("jamf", "intune", "google", "mosyle", "kandji")
_VERSION = re.compile(r"\d+(?:\.\d+)*")


def _records(data: Mapping[str, Any], key: str) -> Iterator[Mapping[str, Any]]:
    items = data.get(key)
    if isinstance(items, list):
        yield from (x for x in items if isinstance(x, Mapping))


def _scope_ids(data: Mapping[str, Any], field: str, values: tuple[str, ...]) -> list[str]:
    return [
        str(s["id"]) for s in _records(data, "scopes") if s.get("id") is not None and s.get(field) in values
    ]


def version(text: Any) -> tuple[int, ...] | None:
    """``"17.5.1"`` → ``(17, 5, 1)``; the leading dotted number of any version text, else None."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str):
        return None
    m = _VERSION.search(text)
    return tuple(int(p) for p in m.group().split(".")) if m else None


def _managed(device: Mapping[str, Any]) -> bool:
    return device.get("managed") is not False and device.get("status") not in (
        "retired",
        "lost",
        "deprovisioned",
    )


def _int_threshold(data: Mapping[str, Any], key: str, default: int) -> int:
    value = dig(data, f"thresholds.{key}")
    return value if isinstance(value, int) and not isinstance(value, bool) else default


# ---- scopes ------------------------------------------------------------------------------


@fact("student_scope_ids", kinds=KINDS)
def student_scope_ids(data: Mapping[str, Any], ctx: FactContext) -> list[str]:
    """Ids of scopes whose `audience` is `students`."""
    return _scope_ids(data, "audience", ("students",))


@fact("shared_scope_ids", kinds=KINDS)
def shared_scope_ids(data: Mapping[str, Any], ctx: FactContext) -> list[str]:
    """Ids of scopes whose `audience` is `shared` or `kiosk` (carts, Shared iPad, kiosks)."""
    return _scope_ids(data, "audience", ("shared", "kiosk"))


@fact("staff_scope_ids", kinds=KINDS)
def staff_scope_ids(data: Mapping[str, Any], ctx: FactContext) -> list[str]:
    """Ids of scopes whose `audience` is `staff`."""
    return _scope_ids(data, "audience", ("staff",))


@fact("byod_scope_ids", kinds=KINDS)
def byod_scope_ids(data: Mapping[str, Any], ctx: FactContext) -> list[str]:
    """Ids of scopes whose devices are personally owned (`ownership: byod`)."""
    return _scope_ids(data, "ownership", ("byod",))


@fact("elementary_scope_ids", kinds=KINDS)
def elementary_scope_ids(data: Mapping[str, Any], ctx: FactContext) -> list[str]:
    """Ids of scopes with `grade_band: elem` (students under 13: COPPA)."""
    return _scope_ids(data, "grade_band", ("elem",))


def _student_facing(data: Mapping[str, Any]) -> list[str]:
    return _scope_ids(data, "audience", ("students", "shared", "kiosk"))


@fact("one_to_one_scope_ids", kinds=KINDS)
def one_to_one_scope_ids(data: Mapping[str, Any], ctx: FactContext) -> list[str]:
    """Scopes whose devices are assigned one per person: `one_to_one: true`, or unstated with audience students or staff."""
    return [
        str(s["id"])
        for s in _records(data, "scopes")
        if s.get("id") is not None
        and (
            s.get("one_to_one") is True
            or (s.get("one_to_one") is None and s.get("audience") in ("students", "staff"))
        )
    ]


@fact("intune_scope_ids", kinds=KINDS)
def intune_scope_ids(data: Mapping[str, Any], ctx: FactContext) -> list[str]:
    """Ids of scopes managed through Microsoft Intune (`vendor: intune`)."""
    return _scope_ids(data, "vendor", ("intune",))


@fact("student_scopes_without_policy", kinds=KINDS)
def student_scopes_without_policy(data: Mapping[str, Any], ctx: FactContext) -> list[str]:
    """Student-facing scopes (students, shared, kiosk) that no policy record configures."""
    configured = {str(p.get("scope")) for p in _records(data, "policies")}
    return [s for s in _student_facing(data) if s not in configured]


@fact("unfiltered_student_scopes", kinds=KINDS)
def unfiltered_student_scopes(data: Mapping[str, Any], ctx: FactContext) -> list[str]:
    """Student-facing scopes where no policy has a content filter (`content_filter.present: true`)."""
    filtered = {
        str(p.get("scope")) for p in _records(data, "policies") if dig(p, "content_filter.present") is True
    }
    return [s for s in _student_facing(data) if s not in filtered]


@fact("chrome_filtered_scopes", kinds=KINDS)
def chrome_filtered_scopes(data: Mapping[str, Any], ctx: FactContext) -> list[str]:
    """Scopes where a ChromeOS or Chrome browser policy has a content filter: Google applies user policy (the filter) to both, so one record covers the other."""
    return sorted(
        {
            str(p.get("scope"))
            for p in _records(data, "policies")
            if p.get("platform") in ("chromeos", "chrome_browser")
            and dig(p, "content_filter.present") is True
        }
    )


@fact("ios_restricted_scopes", kinds=KINDS)
def ios_restricted_scopes(data: Mapping[str, Any], ctx: FactContext) -> list[str]:
    """Scopes where some iOS/iPadOS policy sets restrictions (`device_access`): a compliance policy beside it need not repeat them."""
    return sorted(
        {
            str(p.get("scope"))
            for p in _records(data, "policies")
            if p.get("platform") in ("ios", "ipados")
            and isinstance(p.get("device_access"), Mapping)
            and any(v is not None for v in p["device_access"].values())
        }
    )


@fact("scopes_without_devices", kinds=KINDS)
def scopes_without_devices(data: Mapping[str, Any], ctx: FactContext) -> list[str] | None:
    """Scope ids no inventory device belongs to; null when the district has no inventory."""
    devices = list(_records(data, "devices"))
    if not devices:
        return None
    used = {str(d.get("scope")) for d in devices}
    return [
        str(s["id"]) for s in _records(data, "scopes") if s.get("id") is not None and str(s["id"]) not in used
    ]


@fact("policy_conflicts", kinds=KINDS)
def policy_conflicts(data: Mapping[str, Any], ctx: FactContext) -> list[str]:
    """Settings that two policy records for the same scope and platform set differently (`scope/platform field: a vs b`)."""
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for p in _records(data, "policies"):
        groups.setdefault((str(p.get("scope")), str(p.get("platform"))), []).append(p)
    out: list[str] = []
    for (scope, platform), records in groups.items():
        if len(records) < 2:
            continue
        seen: dict[str, list[Any]] = {}
        for record in records:
            for key, value in _leaves(record):
                if value is not None and value not in seen.setdefault(key, []):
                    seen[key].append(value)
        out.extend(
            f"{scope}/{platform} {key}: {' vs '.join(map(str, vals))}"
            for key, vals in seen.items()
            if len(vals) > 1
        )
    return out


# Fields of a policy record that say where it came from, not what it sets: two profiles
# named differently (or from different files) for one scope do not disagree.
_NOT_SETTINGS = frozenset(
    {"scope", "platform", "audience", "vendor", "name", "source", "source_issues", "partial"}
    | {"provenance", "assignments", "conflicts"}
)


def _leaves(record: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in record.items():
        if key in _NOT_SETTINGS and not prefix:
            continue
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _leaves(value, name + ".")
        elif isinstance(value, list):
            yield name, sorted(map(str, value))
        else:
            yield name, value


# ---- devices -----------------------------------------------------------------------------


@fact("duplicate_serials", kinds=KINDS)
def duplicate_serials(data: Mapping[str, Any], ctx: FactContext) -> list[str]:
    """Serial numbers that appear on more than one device record (in one MDM or across MDMs)."""
    counts: dict[str, int] = {}
    for d in _records(data, "devices"):
        serial = d.get("serial")
        if isinstance(serial, str) and serial.strip():
            counts[serial] = counts.get(serial, 0) + 1
    return sorted(s for s, n in counts.items() if n > 1)


@fact("noncompliant_device_pct", kinds=KINDS)
def noncompliant_device_pct(data: Mapping[str, Any], ctx: FactContext) -> float | None:
    """Percent of devices with a known `compliance_state` that are noncompliant or in their grace period."""
    states = [
        str(d["compliance_state"]).lower() for d in _records(data, "devices") if d.get("compliance_state")
    ]
    if not states:
        return None
    bad = sum(1 for s in states if s in NONCOMPLIANT_STATES)
    return round(bad * 100 / len(states), 1)


def _minimums(data: Mapping[str, Any]) -> dict[tuple[str, str], tuple[int, ...]]:
    out: dict[tuple[str, str], tuple[int, ...]] = {}
    for p in _records(data, "policies"):
        v = version(dig(p, "updates.min_os_version"))
        key = (str(p.get("scope")), _family(p.get("platform")))
        if v is not None and (key not in out or v > out[key]):
            out[key] = v
    return out


def _family(platform: Any) -> str:
    return "ios" if platform in ("ios", "ipados") else str(platform)


def _below_minimum(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    minimums = _minimums(data)
    out = []
    for d in _records(data, "devices"):
        have = version(d.get("os_version"))
        need = minimums.get((str(d.get("scope")), _family(d.get("platform"))))
        if have is not None and need is not None and have < need:
            out.append(d)
    return out


@fact("devices_below_os_minimum", kinds=KINDS)
def devices_below_os_minimum(data: Mapping[str, Any], ctx: FactContext) -> list[str]:
    """Serials of devices whose `os_version` is below the `updates.min_os_version` of their scope's policy for the platform."""
    return [str(d["serial"]) for d in _below_minimum(data) if d.get("serial") is not None]


@fact("os_versions_below_minimum", kinds=KINDS)
def os_versions_below_minimum(data: Mapping[str, Any], ctx: FactContext) -> list[str]:
    """The distinct `os_version` texts of devices below their scope's minimum (a short list: rules test it before the per-serial one)."""
    return sorted({str(d["os_version"]) for d in _below_minimum(data)})


@fact("scopes_below_os_minimum", kinds=KINDS)
def scopes_below_os_minimum(data: Mapping[str, Any], ctx: FactContext) -> list[str]:
    """Scopes with at least one device below the scope's minimum OS version."""
    return sorted({str(d.get("scope")) for d in _below_minimum(data)})


@fact("os_minimum_exceptions", kinds=KINDS)
def os_minimum_exceptions(data: Mapping[str, Any], ctx: FactContext) -> list[str]:
    """Serials of devices that share an outdated version text and a scope with devices below the minimum, yet meet their own minimum (another platform of the scope): usually none."""
    below = _below_minimum(data)
    versions = {str(d["os_version"]) for d in below}
    scopes = {str(d.get("scope")) for d in below}
    failing = {id(d) for d in below}
    return [
        str(d["serial"])
        for d in _records(data, "devices")
        if id(d) not in failing
        and str(d.get("os_version")) in versions
        and str(d.get("scope")) in scopes
        and d.get("serial") is not None
    ]


def _behind(family: str) -> Any:
    def behind(data: Mapping[str, Any], ctx: FactContext) -> list[str]:
        lag = _int_threshold(data, "os_major_lag_max", OS_MAJOR_LAG_MAX)
        texts = {
            str(d["os_version"])
            for d in _records(data, "devices")
            if _family(d.get("platform")) == family and d.get("os_version") is not None
        }
        majors = {t: v[0] for t in texts if (v := version(t)) is not None}
        newest = max(majors.values(), default=None)
        return sorted(t for t, major in majors.items() if newest is not None and newest - major > lag)

    return behind


for _family_name, _label in (("ios", "iOS and iPadOS"), ("macos", "macOS"), ("chromeos", "ChromeOS")):
    fact(
        f"os_versions_behind_fleet_{_family_name}",
        kinds=KINDS,
        doc=f"The {_label} `os_version` texts in the inventory more than `thresholds.os_major_lag_max` (default 1) "
        f"major versions behind the newest {_label} major version in the fleet.",
    )(_behind(_family_name))


@fact("chromeos_pinned_behind_scopes", kinds=KINDS)
def chromeos_pinned_behind_scopes(data: Mapping[str, Any], ctx: FactContext) -> list[str] | None:
    """Scopes whose ChromeOS `updates.target_version_pin` milestone is more than `thresholds.os_major_lag_max` (default 1) behind the newest ChromeOS milestone in the inventory; null without ChromeOS inventory versions."""
    majors = [
        v[0]
        for d in _records(data, "devices")
        if d.get("platform") == "chromeos"
        if (v := version(d.get("os_version")))
    ]
    if not majors:
        return None
    newest, lag = max(majors), _int_threshold(data, "os_major_lag_max", OS_MAJOR_LAG_MAX)
    out = []
    for p in _records(data, "policies"):
        pin = version(dig(p, "updates.target_version_pin"))
        if p.get("platform") == "chromeos" and pin is not None and newest - pin[0] > lag:
            out.append(str(p.get("scope")))
    return out


@fact("student_device_count", kinds=KINDS)
def student_device_count(data: Mapping[str, Any], ctx: FactContext) -> int | None:
    """Managed devices in student-facing scopes (students, shared, kiosk); null without inventory."""
    devices = [d for d in _records(data, "devices") if _managed(d)]
    if not devices:
        return None
    scopes = set(_student_facing(data))
    return sum(1 for d in devices if str(d.get("scope")) in scopes)


def device_vendor(device: Mapping[str, Any], data: Mapping[str, Any]) -> str | None:
    """The MDM vendor a device record came from: its `source` as a vendor, or the vendor of the `sources[]` entry it names."""
    source = device.get("source")
    if source in MDM_VENDORS:
        return str(source)
    for s in _records(data, "sources"):
        if source is not None and source in (s.get("path"), s.get("id")):
            return str(s.get("vendor")) if s.get("vendor") else None
    return "google" if device.get("platform") == "chromeos" else None


def _count_for(vendor: str) -> Any:
    def count(data: Mapping[str, Any], ctx: FactContext) -> int:
        return sum(1 for d in _records(data, "devices") if _managed(d) and device_vendor(d, data) == vendor)

    return count


def _seats_for(vendor: str) -> Any:
    def seats(data: Mapping[str, Any], ctx: FactContext) -> int | None:
        refs = {vendor} | {
            str(s["vendor_ref"])
            for s in _records(data, "sources")
            if s.get("vendor") == vendor and s.get("vendor_ref")
        }
        found = [
            n
            for lic in _records(data, "licenses")
            if lic.get("vendor_ref") in refs and not _ended(lic.get("ends"), ctx.today)
            if isinstance(n := lic.get("seats"), int) and not isinstance(n, bool)
        ]
        found += [
            n
            for s in _records(data, "sources")
            if s.get("vendor") == vendor and isinstance(n := s.get("seats"), int) and not isinstance(n, bool)
        ]
        return sum(found) if found else None

    return seats


def _ended(value: Any, today: dt.date) -> bool:
    end = as_date(value)
    return end is not None and end < today


for _vendor in ("google", "jamf", "mosyle", "kandji"):
    fact(
        f"managed_devices_{_vendor}",
        kinds=KINDS,
        doc=f"Managed (enrolled, not retired) inventory devices that come from {_vendor} (licence seats in use).",
    )(_count_for(_vendor))
    fact(
        f"licensed_seats_{_vendor}",
        kinds=KINDS,
        doc=f"Seats the district records for {_vendor}: unexpired `licenses[]` rows whose `vendor_ref` is {_vendor} "
        f"(or the `vendor_ref` of a {_vendor} source) plus `sources[].seats`; null when none is recorded.",
    )(_seats_for(_vendor))


@fact("post_aue_managed_devices", kinds=KINDS)
def post_aue_managed_devices(data: Mapping[str, Any], ctx: FactContext) -> int:
    """Managed devices whose Auto Update Expiration (`aue_date`) is before --today (licences spent on them)."""
    return sum(
        1
        for d in _records(data, "devices")
        if _managed(d) and (aue := as_date(d.get("aue_date"))) is not None and aue < ctx.today
    )


@fact("earliest_aue_date", kinds=KINDS)
def earliest_aue_date(data: Mapping[str, Any], ctx: FactContext) -> dt.date | None:
    """The earliest `aue_date` among managed devices; null when no device has one."""
    dates = [a for d in _records(data, "devices") if _managed(d) if (a := as_date(d.get("aue_date")))]
    return min(dates) if dates else None


@fact("earliest_aue_serial", kinds=KINDS)
def earliest_aue_serial(data: Mapping[str, Any], ctx: FactContext) -> str | None:
    """Serial of the first managed device (in inventory order) with the earliest `aue_date`."""
    earliest = ctx.get("earliest_aue_date", data)
    for d in _records(data, "devices"):
        if (
            _managed(d)
            and earliest is not None
            and as_date(d.get("aue_date")) == earliest
            and d.get("serial")
        ):
            return str(d["serial"])
    return None


@fact("earliest_aue_device_count", kinds=KINDS)
def earliest_aue_device_count(data: Mapping[str, Any], ctx: FactContext) -> int:
    """How many managed devices share the earliest `aue_date`."""
    earliest = ctx.get("earliest_aue_date", data)
    return sum(
        1
        for d in _records(data, "devices")
        if _managed(d) and earliest is not None and as_date(d.get("aue_date")) == earliest
    )
