"""Real public MDM exports (../shared/realworld, see its SOURCES.md) import without error.

The files are read in place — never copied into the project (their licences differ).
Skipped when the folder is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.importers import detect
from checker.validate import validate

REALWORLD = Path(__file__).resolve().parents[1].parent / "shared" / "realworld"
FILES = (
    sorted(p for p in REALWORLD.rglob("*") if p.is_file() and p.name != "SOURCES.md")
    if REALWORLD.is_dir()
    else []
)


def _load(rel: str):  # type: ignore[no-untyped-def]
    path = REALWORLD / rel
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    importer = detect(path.name, path.read_bytes())
    assert importer is not None
    return importer.load(path.read_bytes(), path.name)


@pytest.mark.skipif(not FILES, reason="../shared/realworld is absent")
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_real_file_imports_and_validates(path: Path) -> None:
    importer = detect(path.name, path.read_bytes())
    assert importer is not None, f"{path.name} not recognised"
    doc = importer.load(path.read_bytes(), path.name)
    assert doc.kind == "district"
    assert validate("district", doc.data) == []
    assert doc.data.get("policies") or doc.data.get("tenant"), "nothing was imported"
    for key, (line, col) in doc.source_map.items():
        assert line >= 1 and col >= 1, key


def test_ncsc_ios_restrictions_without_passcode() -> None:
    [p] = _load("ncsc/NCSC iOS Example Configurations.mobileconfig").data["policies"]
    assert "passcode" not in p  # MDM-ACC-001 fails, as SOURCES.md expects
    assert p["apps"]["app_keys"] == ["com.apple.shortcuts"]
    assert p["data"]["encrypted_backup_forced"] is True and p["data"]["airdrop_unmanaged_forced"] is True
    assert p["device_access"] == {
        "erase_allowed": False,
        "profile_install_allowed": False,
        "vpn_creation_allowed": False,
    }
    assert [i["key"] for i in p["source_issues"]] == ["blacklistedAppBundleIDs"]


def test_ncsc_older_profile_reports_its_duplicate_keys() -> None:
    [p] = _load("ncsc/NCSC_example_iOS_device_configuration.mobileconfig").data["policies"]
    assert p["passcode"]["min_length"] == 8 and p["passcode"]["alphanumeric"] is True
    assert any(i["problem"] == "duplicated" for i in p["source_issues"])


def test_rtrouton_plist_version_1_software_update() -> None:
    [p] = _load("rtrouton/EnableAutomaticDownloadandInstallationofAppleSoftwareUpdates.mobileconfig").data[
        "policies"
    ]
    assert (p["platform"], p["updates"]) == ("macos", {"auto_update": True})


def test_oib_windows_and_update_ring() -> None:
    [pw] = _load("oib/Win - OIB - Compliance - U - Password - v3.1.json").data["policies"]
    assert pw["passcode"]["min_length"] == 8 and pw["compliance"]["block_grace_hours"] == 0
    [ring] = _load("oib/Win - OIB - WUfB - Ring 3 - Production - v3.0.json").data["policies"]
    assert ring["updates"]["deferral_days"] == 10 and ring["updates"]["deadline_days"] == 2


def test_oib_macos_gatekeeper_and_ms_ios_level_2() -> None:
    [mac] = _load("oib/MacOS - OIB - Compliance - U - Device Security - v1.0.json").data["policies"]
    assert mac["compliance"]["gatekeeper"] is True and mac["encryption"]["method"] == "filevault"
    [ios] = _load("ms-intune-config-frameworks/level-2-iOS_iPadOS-enhanced-security-compliance.json").data[
        "policies"
    ]
    assert ios["passcode"]["min_length"] == 6 and ios["updates"]["min_os_version"] == "14.8"


def test_secureblue_tab_indented_chrome_map_has_safe_sites_off() -> None:
    [p] = _load("secureblue/hardening.json").data["policies"]
    assert p["platform"] == "chrome_browser"
    assert p["content_filter"] == {"present": False}
    assert p["apps"]["block_external_extensions"] is True


@pytest.mark.skipif(not FILES, reason="../shared/realworld is absent")
def test_findings_on_real_files_are_about_values_the_files_set() -> None:
    """Each real file names no device group: what it lacks is unknown, so every finding
    is about a value it sets (an MDM administrator reading the file can see it)."""
    import datetime as dt

    from checker.run import RunOptions
    from checker.run import run as lint

    result = lint([REALWORLD], RunOptions(today=dt.date(2026, 6, 1)))
    assert result.errors == [] and result.findings
    for f in result.findings:
        values = f.value.values() if isinstance(f.value, dict) else [f.value]
        assert all(v is not None for v in values), (f.file, f.rule, f.value)
    assert not [f for f in result.findings if f.rule in ("MDM-ACC-001", "MDM-SEC-001")]
