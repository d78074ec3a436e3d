"""Apple profiles → the district model: mapping, quirks, issues and lines in the original file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from checker.importers import IMPORTERS, ImportOptions, detect
from checker.validate import validate
from tests.importer_helpers import FIX as ROOT
from tests.importer_helpers import line_of

FIX = ROOT / "apple"
IPAD = FIX / "hs-ipad-students.mobileconfig"
MAC = FIX / "mac-updates-v1.mobileconfig"


def load(path: Path, **options: Any):  # type: ignore[no-untyped-def]
    importer = detect(path.name, path.read_bytes())
    assert importer is IMPORTERS["mobileconfig"]
    return importer.load(path.read_bytes(), path.name, ImportOptions(**options))


def test_ipad_profile_maps_onto_one_policy_record() -> None:
    doc = load(IPAD)
    assert (doc.kind, doc.origin, doc.file) == ("district", "mobileconfig", IPAD.name)
    assert validate("district", doc.data) == []
    assert doc.data["scopes"] == [
        {"id": "hs-ipad-students", "vendor": "jamf", "name": "hs-ipad-students", "audience": "students"}
    ]
    [p] = doc.data["policies"]
    assert (p["scope"], p["platform"], p["audience"], p["name"]) == (
        "hs-ipad-students",
        "ipados",
        "students",
        "HS iPad Students",
    )
    assert p["removal_disallowed"] is True
    assert p["passcode"] == {
        "required": True,
        "allow_simple": True,
        "min_length": 4,
        "max_failed_attempts": 10,
        "auto_lock_minutes": 5,
        "grace_minutes": 15,
        "max_age_days": 31,
    }
    assert p["device_access"] == {
        "profile_install_allowed": False,
        "erase_allowed": False,
        "vpn_creation_allowed": True,
    }
    # allowAppInstallation true + allowUIAppInstallation false: the App Store is off
    assert p["apps"]["user_install_allowed"] is False
    assert p["apps"]["list_mode"] == "allow"
    assert p["apps"]["app_keys"] == ["com.readwell.student", "com.apple.mobilesafari"]
    assert p["content_filter"] == {"present": True, "mechanism": "builtin"}
    assert p["updates"] == {"deferral_days": 120}
    assert "cloud_backup" not in p["data"]  # a string where a boolean belongs is ignored by iOS too


def test_legacy_keys_reals_wrong_types_and_ranges_are_source_issues() -> None:
    [p] = load(IPAD).data["policies"]
    issues = {(i["key"], i["problem"]): i for i in p["source_issues"]}
    assert issues[("whitelistedAppBundleIDs", "deprecated")]["detail"] == "use allowListedAppBundleIDs"
    assert issues[("BlacklistedURLs", "deprecated")]["detail"] == "use DenyListURLs"
    assert issues[("maxPINAgeInDays", "not a whole number")]["detail"] == "30.6 read as 31"
    assert issues[("allowCloudBackup", "of the wrong type")]["value"] == "no"
    assert issues[("enforcedSoftwareUpdateDelay", "out of range")]["detail"] == "120 is outside 1–90"
    assert ("maxInactivity", "not a whole number") not in issues  # <real>5</real>: Apple's own quirk, fine


def test_source_lines_point_at_the_original_key_lines() -> None:
    doc = load(IPAD)
    assert doc.locate("policies[0].passcode.min_length") == (
        IPAD.name,
        line_of(IPAD, "<key>minLength</key>"),
        4,
    )
    assert doc.locate("policies[0].removal_disallowed")[1] == line_of(
        IPAD, "<key>PayloadRemovalDisallowed</key>"
    )
    assert doc.locate("policies[0].apps.user_install_allowed")[1] == line_of(
        IPAD, "<key>allowUIAppInstallation</key>"
    )
    assert doc.locate("policies[0].content_filter.present")[1] == line_of(
        IPAD, "<key>AutoFilterEnabled</key>"
    )
    issues = doc.data["policies"][0]["source_issues"]
    k = next(i for i, x in enumerate(issues) if x["key"] == "BlacklistedURLs")
    assert doc.locate(f"policies[0].source_issues[{k}]")[1] == line_of(IPAD, "<key>BlacklistedURLs</key>")
    # a field the profile does not set points at its nearest present parent
    assert doc.locate("policies[0].passcode.alphanumeric")[1] == line_of(IPAD, "<key>allowSimple</key>")
    prov = doc.data["policies"][0]["provenance"]["passcode.min_length"]
    assert prov == {
        "source": IPAD.name,
        "key_path": "PayloadContent[0].minLength",
        "line": line_of(IPAD, "<key>minLength</key>"),
    }


def test_unknown_payloads_and_unmapped_keys_are_kept_not_mapped() -> None:
    doc = load(IPAD)
    unmapped = doc.data["sources"][0]["unmapped"]
    assert unmapped["PayloadContent[3].ServerURL"] == "https://agent.example.com"
    assert unmapped["PayloadContent[3].Token"] == "c2VjcmV0"  # <data> as base64 text
    assert unmapped["PayloadContent[1].allowHostPairing"] is False
    assert unmapped["PayloadContent[1].ratingApps"] == 1000
    assert "PayloadContent[1].PayloadUUID" not in unmapped


def test_allow_listed_bundle_ids_become_apps() -> None:
    apps = load(IPAD).data["apps"]
    assert [(a["app_id"], a["id_type"], a["install"], a["scopes"]) for a in apps] == [
        ("com.readwell.student", "apple_bundle", "allowed", ["hs-ipad-students"]),
        ("com.apple.mobilesafari", "apple_bundle", "allowed", ["hs-ipad-students"]),
    ]


def test_macos_profile_with_version_1_mcx_filevault_and_partial_auto_update() -> None:
    doc = load(MAC)
    assert validate("district", doc.data) == []
    [p] = doc.data["policies"]
    assert p["platform"] == "macos"
    assert p["encryption"] == {"required": True, "method": "filevault", "recovery_key_escrow": True}
    assert p["compliance"] == {"firewall": True, "gatekeeper": True}
    assert p["updates"] == {"auto_update": False}  # AutomaticallyInstallMacOSUpdates is false
    assert doc.locate("policies[0].updates.auto_update")[1] == line_of(
        MAC, "AutomaticallyInstallMacOSUpdates"
    )
    assert p["data"] == {"airdrop_allowed": False}  # MCX com.apple.NetworkBrowser DisableAirDrop
    assert doc.locate("policies[0].data.airdrop_allowed")[1] == line_of(MAC, "<key>DisableAirDrop</key>")


def test_bare_managed_preferences_plist_is_its_domain() -> None:
    doc = load(FIX / "com.apple.SoftwareUpdate.plist")
    [p] = doc.data["policies"]
    assert (p["platform"], p["updates"]) == ("macos", {"auto_update": True})


@pytest.mark.parametrize("platform", ["ios", "ipados", "macos"])
def test_options_platform_scope_and_audience(platform: str) -> None:
    doc = load(IPAD, platform=platform, scope_name="Lincoln Carts", audience="shared", vendor="mosyle")
    [p] = doc.data["policies"]
    assert (p["platform"], p["scope"], p["audience"], p["vendor"]) == (
        platform,
        "lincoln-carts",
        "shared",
        "mosyle",
    )
    assert doc.data["scopes"][0]["name"] == "Lincoln Carts"


def test_disabled_payloads_are_not_applied() -> None:
    text = IPAD.read_text().replace(
        "<string>com.apple.mobiledevice.passwordpolicy</string>",
        "<string>com.apple.mobiledevice.passwordpolicy</string>\n\t\t\t<key>PayloadEnabled</key>\n\t\t\t<false/>",
    )
    doc = IMPORTERS["mobileconfig"].load(text.encode(), "x.mobileconfig")
    assert "passcode" not in doc.data["policies"][0]
    assert "PayloadEnabled false" in doc.data["sources"][0]["unmapped"]["PayloadContent[0]"]


def test_profile_removal_password_payload_and_top_level_quirks() -> None:
    text = b"""<plist version="1"><dict>
<key>PayloadType</key><string>Configuration</string>
<key>TargetDeviceType</key><integer>5</integer>
<key>PayloadContent</key><array><dict>
<key>PayloadType</key><string>com.apple.profileRemovalPassword</string>
<key>RemovalPassword</key><string>hunter2</string>
</dict></array></dict></plist>"""
    [p] = IMPORTERS["mobileconfig"].load(text, "r.mobileconfig").data["policies"]
    assert (p["platform"], p["removal_passcode"]) == ("macos", True)


def test_root_must_be_a_dict() -> None:
    from checker.errors import InputError

    with pytest.raises(InputError, match="root is not a <dict>"):
        IMPORTERS["mobileconfig"].load(b"<plist><array/></plist>", "a.plist")


def test_a_profile_that_names_no_group_is_partial_and_its_gaps_are_unknown() -> None:
    """Linted alone, a profile's record is `partial`: what it lacks is not reported, what it sets is."""
    import datetime as dt

    from checker.catalog import load_rules
    from checker.engine import evaluate

    doc = load(MAC)
    [p] = doc.data["policies"]
    assert p["partial"] is True
    assert "partial" not in load(MAC, scope_name="lab-macs").data["policies"][0]  # the group is named
    rules = [r for r in load_rules().rules if r.id in ("MDM-ACC-001", "MDM-SEC-001", "MDM-APP-007")]
    today = dt.date(2026, 11, 28)
    assert evaluate(rules, doc, today).findings == []
    grouped = load(MAC, scope_name="lab-macs")
    assert {f.rule for f in evaluate(rules, grouped, today).findings} >= {"MDM-ACC-001", "MDM-APP-007"}
