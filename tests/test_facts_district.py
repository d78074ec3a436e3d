"""The district catalog's facts (checker/facts/district.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from checker.facts import FACTS, FactContext, load_builtin_facts
from checker.facts.district import device_vendor, version

load_builtin_facts()
TODAY = dt.date(2026, 9, 1)
SCOPES = [
    {"id": "es", "audience": "students", "grade_band": "elem", "vendor": "jamf"},
    {"id": "cart", "audience": "shared"},
    {"id": "staff", "audience": "staff", "ownership": "byod", "vendor": "intune"},
]


def fact(name: str, data: dict[str, Any]) -> Any:
    return FactContext(today=TODAY).get(name, data)


def test_district_facts_are_registered_for_districts_with_docs() -> None:
    names = [n for n, info in FACTS.items() if info.kinds == ("district",)]
    assert len(names) >= 20
    assert all(FACTS[n].doc for n in names)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17.5.1", (17, 5, 1)),
        ("macOS 14.6", (14, 6)),
        ("126.0.6478.132", (126, 0, 6478, 132)),
        (18, (18,)),
        ("", None),
        (None, None),
    ],
)
def test_version(text: Any, expected: Any) -> None:
    assert version(text) == expected


def test_scope_lists() -> None:
    data = {"scopes": SCOPES}
    assert fact("student_scope_ids", data) == ["es"]
    assert fact("shared_scope_ids", data) == ["cart"]
    assert fact("staff_scope_ids", data) == ["staff"]
    assert fact("byod_scope_ids", data) == ["staff"]
    assert fact("elementary_scope_ids", data) == ["es"]
    assert fact("intune_scope_ids", data) == ["staff"]


def test_student_scopes_without_policy_or_filter() -> None:
    data = {
        "scopes": SCOPES,
        "policies": [
            {"scope": "es", "platform": "ipados", "content_filter": {"present": True}},
            {"scope": "staff", "platform": "windows", "content_filter": {"present": True}},
        ],
    }
    assert fact("student_scopes_without_policy", data) == ["cart"]
    assert fact("unfiltered_student_scopes", data) == ["cart"]


def test_chrome_filter_in_either_record_covers_the_scope() -> None:
    data = {"policies": [{"scope": "hs", "platform": "chrome_browser", "content_filter": {"present": True}}]}
    assert fact("chrome_filtered_scopes", data) == ["hs"]
    data["policies"][0]["platform"] = "ipados"
    assert fact("chrome_filtered_scopes", data) == []


def test_scopes_without_devices_needs_an_inventory() -> None:
    assert fact("scopes_without_devices", {"scopes": SCOPES}) is None
    data = {"scopes": SCOPES, "devices": [{"serial": "A", "scope": "es"}]}
    assert fact("scopes_without_devices", data) == ["cart", "staff"]


def test_policy_conflicts_between_records_of_one_scope_and_platform() -> None:
    data = {
        "policies": [
            {"scope": "es", "platform": "ipados", "passcode": {"min_length": 6, "required": True}},
            {"scope": "es", "platform": "ipados", "passcode": {"min_length": 4, "required": True}},
            {"scope": "es", "platform": "macos", "passcode": {"min_length": 4}},
        ]
    }
    assert fact("policy_conflicts", data) == ["es/ipados passcode.min_length: 6 vs 4"]


def test_duplicate_serials_and_noncompliant_share() -> None:
    devices = [
        {"serial": "A", "compliance_state": "compliant"},
        {"serial": "A", "compliance_state": "noncompliant"},
        {"serial": "B", "compliance_state": "inGracePeriod"},
        {"serial": "C"},
    ]
    assert fact("duplicate_serials", {"devices": devices}) == ["A"]
    assert fact("noncompliant_device_pct", {"devices": devices}) == pytest.approx(66.7)
    assert fact("noncompliant_device_pct", {"devices": [{"serial": "C"}]}) is None


def test_os_minimum_and_fleet_lag() -> None:
    data = {
        "policies": [{"scope": "es", "platform": "ipados", "updates": {"min_os_version": "17.2"}}],
        "devices": [
            {"serial": "OLD", "platform": "ipados", "scope": "es", "os_version": "17.1.2"},
            {"serial": "OK", "platform": "ios", "scope": "es", "os_version": "18.0"},
            {"serial": "LAG", "platform": "ipados", "scope": "other", "os_version": "16.7"},
            {"serial": "MAC", "platform": "macos", "scope": "es", "os_version": "13.6"},
            {"serial": "WIN", "platform": "windows", "scope": "es", "os_version": "10.0.19045"},
            {"serial": "WIN11", "platform": "windows", "scope": "es", "os_version": "10.0.22631"},
        ],
    }
    assert fact("devices_below_os_minimum", data) == ["OLD"]
    assert fact("os_versions_below_minimum", data) == ["17.1.2"]
    assert fact("scopes_below_os_minimum", data) == ["es"]
    assert fact("os_minimum_exceptions", data) == []
    assert fact("os_versions_behind_fleet_ios", data) == ["16.7"]
    assert fact("os_versions_behind_fleet_macos", data) == []
    assert fact("os_versions_behind_fleet_chromeos", data) == []
    data["thresholds"] = {"os_major_lag_max": 2}
    assert fact("os_versions_behind_fleet_ios", data) == []


def test_os_minimum_exception_same_version_other_platform() -> None:
    data = {
        "policies": [
            {"scope": "lab", "platform": "ipados", "updates": {"min_os_version": "17.0"}},
            {"scope": "lab", "platform": "macos", "updates": {"min_os_version": "14.0"}},
        ],
        "devices": [
            {"serial": "IPAD", "platform": "ipados", "scope": "lab", "os_version": "14.8"},
            {"serial": "MAC", "platform": "macos", "scope": "lab", "os_version": "14.8"},
        ],
    }
    assert fact("devices_below_os_minimum", data) == ["IPAD"]
    assert fact("os_minimum_exceptions", data) == ["MAC"]


def test_chromeos_pin_behind_the_fleet() -> None:
    policies = [
        {"scope": "hs", "platform": "chromeos", "updates": {"target_version_pin": "120."}},
        {"scope": "ms", "platform": "chromeos", "updates": {"target_version_pin": "126."}},
    ]
    assert fact("chromeos_pinned_behind_scopes", {"policies": policies}) is None
    devices = [{"serial": "A", "platform": "chromeos", "os_version": "127.0.6533.132"}]
    assert fact("chromeos_pinned_behind_scopes", {"policies": policies, "devices": devices}) == ["hs"]


def test_device_vendor_and_licence_counts() -> None:
    data: dict[str, Any] = {
        "sources": [{"vendor": "jamf", "path": "jamf.csv"}],
        "devices": [
            {"serial": "1", "platform": "ipados", "source": "jamf.csv"},
            {"serial": "2", "platform": "ipados", "source": "jamf"},
            {"serial": "3", "platform": "ipados", "source": "jamf", "managed": False},
            {"serial": "4", "platform": "chromeos", "aue_date": dt.date(2025, 6, 1)},
            {"serial": "5", "platform": "chromeos", "aue_date": dt.date(2030, 6, 1), "status": "retired"},
        ],
    }
    assert device_vendor(data["devices"][0], data) == "jamf"
    assert device_vendor({"platform": "windows", "source": "x.json"}, data) is None
    assert fact("managed_devices_jamf", data) == 2
    assert fact("managed_devices_google", data) == 1
    assert fact("post_aue_managed_devices", data) == 1
    assert fact("earliest_aue_date", data) == dt.date(2025, 6, 1)


def test_student_device_count() -> None:
    assert fact("student_device_count", {"scopes": SCOPES}) is None
    devices = [
        {"serial": "1", "scope": "es"},
        {"serial": "2", "scope": "cart"},
        {"serial": "3", "scope": "staff"},
    ]
    assert fact("student_device_count", {"scopes": SCOPES, "devices": devices}) == 2


def test_one_to_one_scopes() -> None:
    scopes = [
        *SCOPES,
        {"id": "lib", "audience": "students", "one_to_one": False},
        {"id": "k", "audience": "kiosk", "one_to_one": True},
    ]
    assert fact("one_to_one_scope_ids", {"scopes": scopes}) == ["es", "staff", "k"]


def test_licensed_seats_from_licences_and_sources() -> None:
    data: dict[str, Any] = {
        "sources": [{"vendor": "google", "vendor_ref": "google-edu", "seats": 10}],
        "licenses": [
            {"vendor_ref": "google-edu", "seats": 100, "ends": dt.date(2027, 6, 30)},
            {"vendor_ref": "google", "seats": 50},
            {"vendor_ref": "google", "seats": 70, "ends": dt.date(2025, 6, 30)},  # ended
            {"vendor_ref": "jamf", "seats": 5},
        ],
    }
    assert fact("licensed_seats_google", data) == 160
    assert fact("licensed_seats_jamf", data) == 5
    assert fact("licensed_seats_mosyle", data) is None
