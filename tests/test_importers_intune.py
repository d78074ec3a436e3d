"""Intune Graph JSON → the district model: encodings, @odata quirks, merging, tenant settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from checker.document import Document
from checker.importers import IMPORTERS, ImportOptions, detect
from checker.validate import validate
from tests.importer_helpers import FIX, line_of

INTUNE = FIX / "intune"
UTF16 = INTUNE / "win-compliance-utf16.json"


def load(path: Path, **options: Any) -> Document:
    importer = detect(path.name, path.read_bytes())
    assert importer is IMPORTERS["intune"]
    doc = importer.load(path.read_bytes(), path.name, ImportOptions(**options))
    assert doc.origin == "graph_json"
    assert validate("district", doc.data) == []
    return doc


def test_utf16_bom_crlf_export_is_read() -> None:
    raw = UTF16.read_bytes()
    assert raw.startswith(b"\xff\xfe") and b"\r\x00\n\x00" in raw
    [p] = load(UTF16).data["policies"]
    assert (p["platform"], p["vendor"], p["scope"]) == ("windows", "intune", "win-compliance-utf16")
    assert p["name"] == "Win - Students - Password + Win - Students - Device Health"


def test_compliance_policies_of_one_platform_merge_to_the_strictest() -> None:
    [p] = load(UTF16).data["policies"]
    assert p["passcode"] == {
        "required": True,
        "allow_simple": False,
        "min_length": 6,
        "auto_lock_minutes": 30,
        "alphanumeric": False,
    }
    assert p["encryption"] == {"required": True, "method": "bitlocker"}
    assert p["updates"] == {"min_os_version": "10.0.22631"}  # the higher of the two minimums
    assert p["compliance"] == {
        "block_grace_hours": 96,
        "secure_boot": True,
        "code_integrity": True,
        "tpm_required": True,
        "firewall": True,
    }
    assert "conflicts" not in p  # compliance policies all apply: no disagreement to report
    assert "av_required" not in p["compliance"]  # false is Intune's "Not configured"


def test_lines_point_into_the_utf16_file() -> None:
    doc = load(UTF16)
    assert doc.locate("policies[0].passcode.min_length")[1] == line_of(
        UTF16, '"passwordMinimumLength"', encoding="utf-16"
    )
    assert doc.locate("policies[0].compliance.block_grace_hours")[1] == line_of(
        UTF16, '"gracePeriodHours":  96', encoding="utf-16"
    )
    assert doc.locate("policies[0].encryption.required")[1] == line_of(
        UTF16, '"bitLockerEnabled":  true', encoding="utf-16"
    )


def test_at_and_hash_keys_are_dropped_and_assignments_kept() -> None:
    doc = load(UTF16)
    [p] = doc.data["policies"]
    unmapped = doc.data["sources"][0].get("unmapped", {})
    assert not [k for k in unmapped if "@" in k or "#" in k]
    assert p["assignments"] == [
        {"target": "groupAssignmentTarget", "group_id": "5e0c0000-0000-4000-8000-00000000aaaa"}
    ]
    [issue] = p["source_issues"]
    assert issue["key"] == "assignments" and "Device Health" in issue["detail"]


def test_odata_type_without_hash_nulls_and_restricted_apps() -> None:
    path = INTUNE / "ios-compliance-nohash.json"
    doc = load(path)
    [p] = doc.data["policies"]
    assert p["platform"] == "ios"
    assert p["passcode"] == {
        "min_length": 4,
        "auto_lock_minutes": 15,
        "alphanumeric": False,
        "required": True,
    }
    assert "min_os_version" not in p.get("updates", {})  # explicit null: not configured
    assert p["compliance"] == {"jailbreak_blocked": True}
    assert p["apps"] == {"list_mode": "block", "app_keys": ["com.example.chessblitz"]}
    assert doc.data["apps"][0]["name"] == "Chess Blitz"
    assert doc.locate("policies[0].compliance.jailbreak_blocked")[1] == line_of(
        path, "securityBlockJailbrokenDevices"
    )
    assert doc.locate("policies[0].compliance")[1] == line_of(path, "securityBlockJailbrokenDevices")


def test_plain_odata_type_key_is_read() -> None:
    data = b'{"odata.type": "#microsoft.graph.macOSCompliancePolicy", "displayName": "mac", "firewallEnabled": true,\n "gatekeeperAllowedAppSource": "anywhere", "storageRequireEncryption": true}'
    doc = IMPORTERS["intune"].load(data, "mac.json")
    [p] = doc.data["policies"]
    assert p["compliance"]["firewall"] is True and p["compliance"]["gatekeeper"] is False
    assert p["encryption"] == {"required": True, "method": "filevault"}
    assert detect("mac.json", data) is IMPORTERS["intune"]


def test_restrictions_collection_with_visibility_list_and_unknown_types() -> None:
    path = INTUNE / "ios-restrictions.json"
    doc = load(path)
    [p] = doc.data["policies"]
    assert p["apps"] == {
        "user_install_allowed": False,
        "enterprise_app_trust": False,
        "list_mode": "allow",
        "app_keys": ["com.readwell.student", "com.instructure.canvas"],
    }
    assert p["device_access"] == {"profile_install_allowed": False}
    assert p["data"] == {"cloud_backup": False, "airdrop_unmanaged_forced": True}
    assert p["updates"] == {"deferral_days": 14}
    assert [i["key"] for i in p["source_issues"]] == ["vpnBlockCreation"]
    assert "androidCompliancePolicy" in doc.data["sources"][0]["unmapped"]["value[1]"]
    assert [a["install"] for a in doc.data["apps"]] == ["allowed", "allowed"]


def test_tenant_settings_false_is_kept_and_zero_cleanup_is_none() -> None:
    path = INTUNE / "tenant-settings.json"
    doc = load(path)
    assert doc.data["tenant"] == {"intune_secure_by_default": False, "intune_checkin_days": 45}
    assert "policies" not in doc.data
    assert doc.locate("tenant.intune_secure_by_default")[1] == line_of(path, "secureByDefault")


def test_update_ring() -> None:
    [p] = load(INTUNE / "wufb-ring.json").data["policies"]
    assert p["updates"] == {"auto_update": True, "deferral_days": 21}
    assert p["assignments"] == []


def test_managed_devices_become_inventory() -> None:
    path = INTUNE / "managed-devices.json"
    doc = load(path)
    win, ipad = doc.data["devices"]
    assert (win["serial"], win["platform"], win["encrypted"], win["compliance_state"]) == (
        "PF3ABCD1",
        "windows",
        False,
        "noncompliant",
    )
    assert (ipad["platform"], ipad["supervised"], "assigned_user" in ipad) == ("ipados", True, False)
    assert doc.locate("devices[1]")[1] == line_of(path, "{", 3)
    assert doc.locate("devices[0].encrypted")[1] == line_of(path, '"isEncrypted": false')


@pytest.mark.parametrize(
    "name",
    [
        "managed-devices.json",
        "ios-compliance-nohash.json",
        "ios-restrictions.json",
        "tenant-settings.json",
        "wufb-ring.json",
        "win-compliance-utf16.json",
    ],
)
def test_detected_as_intune(name: str) -> None:
    path = INTUNE / name
    assert detect(path.name, path.read_bytes()) is IMPORTERS["intune"]
