"""Chrome/ChromeOS exports → the district model: flat maps (tabs, legacy names) and GAM records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from checker.document import Document
from checker.errors import InputError
from checker.importers import IMPORTERS, ImportOptions, detect
from checker.validate import validate
from tests.importer_helpers import FIX, line_of

CHROME = FIX / "chrome"
FLAT = CHROME / "student-browser-tabs.json"
JSONL = CHROME / "students-policies.jsonl"


def load(path: Path, **options: Any) -> Document:
    importer = detect(path.name, path.read_bytes())
    assert importer is IMPORTERS["chrome"]
    doc = importer.load(path.read_bytes(), path.name, ImportOptions(**options))
    assert validate("district", doc.data) == []
    return doc


def test_flat_policy_map_with_tabs_and_legacy_names() -> None:
    assert b'\n\t"' in FLAT.read_bytes()
    doc = load(FLAT)
    assert doc.origin == "chrome_json"
    [p] = doc.data["policies"]
    assert (p["platform"], p["scope"]) == ("chrome_browser", "student-browser-tabs")
    assert p["apps"] == {
        "block_external_extensions": True,
        "dev_tools": False,
        "extension_default": "blocked",
        "list_mode": "allow",
        "app_keys": ["hdkgmcmbpabmkkpfcjbbmbkoojaohdfd", "aapbdbdomjkkjkaonfhkkikfgjllcleb"],
    }
    assert p["content_filter"] == {
        "incognito": "disabled",
        "browser_guest": False,
        "safe_search": True,
        "youtube_restrict": "moderate",
        "safe_browsing": 1,
        "present": True,
        "mechanism": "safe_sites",
    }
    assert p["data"] == {
        "secondary_accounts": "domains",
        "secondary_account_domains": ["students.example.org", "example.org"],
    }
    deprecated = {i["key"] for i in p["source_issues"] if i["problem"] == "deprecated"}
    assert deprecated == {"URLBlacklist", "ExtensionInstallBlacklist", "ExtensionInstallWhitelist"}
    wrong = [i for i in p["source_issues"] if i["problem"] == "of the wrong type"]
    assert [(i["key"], i["value"]) for i in wrong] == [
        ("BrowserAddPersonEnabled", 0)
    ]  # Chrome ignores 0 for a boolean
    assert {(a["app_id"], a["install"]) for a in doc.data["apps"]} == {
        ("hdkgmcmbpabmkkpfcjbbmbkoojaohdfd", "allowed"),
        ("aapbdbdomjkkjkaonfhkkikfgjllcleb", "forced"),
    }
    assert doc.data["sources"][0]["unmapped"] == {
        "URLBlacklist": ["*.games.example.com", "chrome://flags"],
        "HomepageLocation": "https://www.example.org",
    }


def test_flat_lines_point_at_the_policy_lines() -> None:
    doc = load(FLAT)
    assert doc.locate("policies[0].content_filter.incognito") == (
        FLAT.name,
        line_of(FLAT, "IncognitoModeAvailability"),
        2,
    )
    assert doc.locate("policies[0].apps.extension_default")[1] == line_of(FLAT, "ExtensionInstallBlacklist")
    assert doc.locate("apps[1]")[1] == line_of(FLAT, "ExtensionInstallForcelist")


def test_gam_json_lines_become_ou_scopes() -> None:
    doc = load(JSONL)
    assert doc.origin == "chrome_policy_api"
    scopes = {s["id"]: s for s in doc.data["scopes"]}
    assert scopes["students-high-school"] == {
        "id": "students-high-school",
        "vendor": "google",
        "name": "High School",
        "ou_path": "/Students/High School",
        "audience": "students",
        "grade_band": "high",
    }
    assert scopes["students-library-carts"]["audience"] == "shared"
    hs, carts = doc.data["policies"]
    assert hs["platform"] == "chromeos"
    assert hs["device_access"] == {
        "allow_new_users": False,
        "sign_in_domains": ["students.example.org", "gmail.com"],
        "guest_mode": True,
        "forced_reenrollment": False,
    }
    assert hs["updates"] == {
        "auto_update": True,
        "target_version_pin": "114.",
        "min_os_version": "120.0.6099",
    }
    assert hs["content_filter"] == {
        "incognito": "disabled",
        "safe_search": True,
        "youtube_restrict": "strict",
    }
    assert hs["data"] == {"secondary_accounts": "blocked"}
    assert hs["apps"] == {"list_mode": "allow", "app_keys": ["hdkgmcmbpabmkkpfcjbbmbkoojaohdfd"]}
    assert carts["device_access"] == {"ephemeral_users": True}
    assert doc.data["tenant"] == {"chrome_inactive_days": 45}
    assert doc.data["apps"][0]["install"] == "forced"


def test_gam_record_lines() -> None:
    doc = load(JSONL)
    assert doc.locate("policies[0].device_access.guest_mode")[1] == line_of(JSONL, "chrome.devices.GuestMode")
    assert doc.locate("policies[0].content_filter.incognito")[1] == line_of(
        JSONL, "INCOGNITO_MODE_AVAILABILITY_ENUM_UNAVAILABLE"
    )
    assert doc.locate("scopes[1]")[1] == line_of(JSONL, "/Students/Library Carts")


def test_gam_unmapped_namespaces_are_kept() -> None:
    unmapped = load(JSONL).data["sources"][0]["unmapped"]
    assert "chrome.devices.managedguest.SafeBrowsingProtectionLevel: not imported" in unmapped.values()
    assert unmapped["/Students/High School chrome.users.UrlBlocking.urlBlocklist"].startswith(
        "https://socialmedia"
    )


def test_gam_list_form_and_staff_hint() -> None:
    doc = load(CHROME / "staff-policies-list.json")
    assert doc.data["scopes"][0]["audience"] == "staff"
    assert doc.data["policies"][0]["audience"] == "staff"


def test_scope_option_puts_every_ou_in_one_scope() -> None:
    doc = load(JSONL, scope_name="All Chromebooks")
    assert [s["id"] for s in doc.data["scopes"]] == ["all-chromebooks"]
    [p] = doc.data["policies"]
    assert p["device_access"]["ephemeral_users"] is True and p["device_access"]["guest_mode"] is True


def test_chrome_policy_page_export() -> None:
    path = CHROME / "chrome-policy-export.json"
    doc = load(path)
    [p] = doc.data["policies"]
    assert p["platform"] == "chromeos"
    assert p["device_access"] == {
        "guest_mode": False,
        "dev_mode_blocked": True,
        "sign_in_domains": ["students.example.org"],
    }
    assert p["updates"] == {"min_os_version": "120.0.6099"}
    issues = {i["key"]: i for i in p["source_issues"]}
    assert issues["DeviceUserWhitelist"]["problem"] == "deprecated"
    assert issues["IncognitoModeAvailability"]["problem"] == "an undocumented value"
    assert doc.locate("policies[0].device_access.dev_mode_blocked")[1] == line_of(
        path, '"DeviceBlockDevmode"'
    )


@pytest.mark.parametrize(
    "text",
    [
        b'{"kind": "district", "schema_version": 1}',
        b'{"name": "not chrome", "version": 2}',
        b"[1, 2, 3]",
        b"{}",
        b'{"URLBlocklist": ["a"], "lowercase": 1}',
    ],
)
def test_other_json_is_not_detected(text: bytes) -> None:
    assert detect("x.json", text) is None


def test_not_a_chrome_export_is_an_error_when_forced() -> None:
    with pytest.raises(InputError, match="not a Chrome policy map"):
        IMPORTERS["chrome"].load(b'{"a": 1}', "x.json")


def test_broken_json_lines_name_the_line() -> None:
    data = JSONL.read_bytes().replace(
        b'"chrome.devices.ForcedReenrollment"', b'"chrome.devices.ForcedReenrollment",,'
    )
    with pytest.raises(InputError) as err:
        IMPORTERS["chrome"].load(data, "broken.jsonl")
    assert err.value.line == line_of(JSONL, "chrome.devices.ForcedReenrollment")


def test_lint_walks_json_lines_under_either_suffix(tmp_path: Path) -> None:
    """GAM output saved as .jsonl or as .json (not one JSON value) is imported, not an error."""
    from checker.run import RunOptions
    from checker.run import run as lint

    (tmp_path / "a.jsonl").write_bytes(JSONL.read_bytes())
    (tmp_path / "b.json").write_bytes(JSONL.read_bytes())
    (tmp_path / "c.json").write_text('{"not": "json lines"\n{"broken": 1}\n')
    result = lint([tmp_path], RunOptions())
    assert {f.file.rsplit("/", 1)[-1] for f in result.findings} == {"a.jsonl", "b.json"}
    assert [e.file.rsplit("/", 1)[-1] for e in result.errors] == ["c.json"]
