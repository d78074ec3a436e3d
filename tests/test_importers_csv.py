"""Inventory CSV → devices: each vendor's columns, dates in UTC, row lines, aliases and errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from checker.document import Document
from checker.errors import InputError
from checker.importers import IMPORTERS, ImportOptions, detect
from checker.importers.values import parse_datetime
from checker.validate import validate
from tests.importer_helpers import FIX, line_of

CSV = FIX / "csv"
UTC = dt.UTC


def load(path: Path, **options: Any) -> Document:
    importer = detect(path.name, path.read_bytes())
    assert importer is IMPORTERS["csv"]
    doc = importer.load(path.read_bytes(), path.name, ImportOptions(**options))
    assert doc.origin == "csv"
    assert validate("district", doc.data) == []
    return doc


def test_google_gam_print_cros() -> None:
    path = CSV / "google-cros.csv"
    doc = load(path)
    assert doc.data["sources"][0]["vendor"] == "google"
    first, carts, gone = doc.data["devices"]
    assert first == {
        "serial": "5CD2140A1B",
        "platform": "chromeos",
        "model": "HP Chromebook 11 G9 EE",
        "os_version": "131.0.6778.85",
        "last_checkin": dt.datetime(2026, 11, 20, 14, 3, 11, tzinfo=UTC),
        "assigned_user": "s.garcia@students.example.org",
        "scope": "students-high-school",
        "boot_mode": "verified",
        "aue_date": dt.date(2031, 6, 1),
        "extended_support": "no",
        "status": "active",
        "source": path.name,
    }
    assert (carts["boot_mode"], carts["extended_support"], carts["scope"]) == (
        "dev",
        "eligible",
        "students-library-carts",
    )
    assert carts["model"] == "Lenovo 100e Chromebook Gen 2, AST"  # quoted comma
    assert gone["status"] == "deprovisioned" and "extended_support" not in gone
    scopes = {s["id"]: s for s in doc.data["scopes"]}
    assert scopes["students-library-carts"]["audience"] == "shared"
    assert scopes["students-high-school"]["grade_band"] == "high"


def test_each_device_points_at_its_row() -> None:
    path = CSV / "google-cros.csv"
    doc = load(path)
    assert doc.locate("devices[1]") == (path.name, line_of(path, "5CD2140A1C"), 1)
    assert doc.locate("devices[2].last_checkin")[1] == line_of(path, "5CD2140A1D")
    assert doc.locate("devices[2].encrypted")[1] == line_of(path, "5CD2140A1D")  # absent field: the row


def test_intune_managed_devices() -> None:
    doc = load(CSV / "intune-devices.csv")
    assert doc.data["sources"][0]["vendor"] == "intune"
    win, old, ipad = doc.data["devices"]
    assert (win["platform"], win["encrypted"], win["compliance_state"]) == ("windows", True, "compliant")
    assert win["last_checkin"] == dt.datetime(2026, 11, 25, 7, 41, 9, tzinfo=UTC)
    assert (old["encrypted"], "assigned_user" in old) == (False, False)
    assert (ipad["platform"], ipad["supervised"], ipad["compliance_state"]) == (
        "ipados",
        True,
        "inGracePeriod",
    )
    assert doc.data["scopes"] == [
        {"id": "intune-devices", "vendor": "intune", "name": "intune-devices", "audience": "students"}
    ]


def test_jamf_export_with_sep_line_semicolons_and_multiline_cell() -> None:
    path = CSV / "jamf-mobile.csv"
    doc = load(path)
    assert doc.data["sources"][0]["vendor"] == "jamf"
    one, two = doc.data["devices"]
    assert one["last_checkin"] == dt.datetime(2026, 11, 26, 8, 30, tzinfo=UTC)  # "2026-11-26 at 8:30 AM"
    assert two["last_checkin"] == dt.datetime(2026, 11, 2, 14, 15, tzinfo=UTC)  # US month/day
    assert (one["supervised"], two["supervised"], two["managed"]) == (True, False, True)
    assert two["mdm_profile_expires"] == dt.date(2026, 12, 5)
    assert two["model"] == "iPad (10th generation)\nrefurbished"
    assert doc.data["scopes"][0] == {
        "id": "lincoln-middle",
        "vendor": "jamf",
        "name": "Lincoln Middle",
        "audience": "students",
        "grade_band": "middle",
    }
    assert doc.locate("devices[0]")[1] == 3  # after "sep=;" and the header
    assert doc.locate("devices[1]")[1] == 4  # the row's first line, though its cell spans two


def test_kandji_api_columns() -> None:
    doc = load(CSV / "kandji-devices.csv")
    assert doc.data["sources"][0]["vendor"] == "kandji"
    mac, ipad = doc.data["devices"]
    assert (mac["platform"], mac["encrypted"], mac["managed"]) == ("macos", True, True)
    assert (ipad["platform"], ipad["status"]) == ("ipados", "missing")
    assert doc.data["scopes"][0]["audience"] == "shared" and doc.data["scopes"][0]["grade_band"] == "elem"


def test_alias_overrides_from_the_config() -> None:
    data = b"Asset Serial,Checked In,Thing\nABC123,2026-11-01,x\n"
    doc = IMPORTERS["csv"].load(
        data,
        "custom.csv",
        ImportOptions(alias_overrides={"Asset Serial": "serial", "Checked In": "last_checkin"}),
    )
    [device] = doc.data["devices"]
    assert device["serial"] == "ABC123"
    assert device["last_checkin"] == dt.datetime(2026, 11, 1, tzinfo=UTC)
    with pytest.raises(InputError, match="unknown field 'serial_no'"):
        IMPORTERS["csv"].load(
            data, "custom.csv", ImportOptions(alias_overrides={"Asset Serial": "serial_no"})
        )


@pytest.mark.parametrize(
    ("name", "line", "says"),
    [
        ("missing-serial.csv", 3, "row 3 has no serial number (column serialNumber is empty)"),
        ("bad-date.csv", 2, "lastSync 'last Tuesday' is not a date"),
    ],
)
def test_bad_rows_are_errors_naming_the_row(name: str, line: int, says: str) -> None:
    path = CSV / name
    with pytest.raises(InputError) as err:
        IMPORTERS["csv"].load(path.read_bytes(), name)
    assert err.value.line == line
    assert says in str(err.value)
    assert str(err.value).startswith(f"{name}:{line}: ")


def test_no_serial_column_and_empty_file() -> None:
    with pytest.raises(InputError, match="no serial-number column") as err:
        IMPORTERS["csv"].load(b"model,lastSync\nx,2026-01-01\n", "n.csv")
    assert err.value.line == 1
    with pytest.raises(InputError, match="empty"):
        IMPORTERS["csv"].load(b"\n\n", "e.csv")


def test_utf16_and_windows_1252_exports() -> None:
    text = "serialNumber,annotatedUser\r\nX1,José\r\n"
    doc = IMPORTERS["csv"].load(b"\xff\xfe" + text.encode("utf-16-le"), "u.csv")
    assert doc.data["devices"][0]["assigned_user"] == "José"
    doc = IMPORTERS["csv"].load(text.encode("cp1252"), "w.csv")
    assert doc.data["devices"][0]["assigned_user"] == "José"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-15T08:30:00Z", dt.datetime(2026, 1, 15, 8, 30, tzinfo=UTC)),
        ("2026-01-15T08:30:00.1234567Z", dt.datetime(2026, 1, 15, 8, 30, 0, 123456, tzinfo=UTC)),
        ("2026-01-15T10:30:00+02:00", dt.datetime(2026, 1, 15, 8, 30, tzinfo=UTC)),
        ("2026-01-15 08:30:00", dt.datetime(2026, 1, 15, 8, 30, tzinfo=UTC)),
        ("2026-01-15 at 8:30 PM", dt.datetime(2026, 1, 15, 20, 30, tzinfo=UTC)),
        ("1/15/2026 8:30:00 AM", dt.datetime(2026, 1, 15, 8, 30, tzinfo=UTC)),
        ("1768465800000", dt.datetime(2026, 1, 15, 8, 30, tzinfo=UTC)),
        ("2026-01-15 08:30:00 UTC", dt.datetime(2026, 1, 15, 8, 30, tzinfo=UTC)),
    ],
)
def test_dates_are_read_to_utc(text: str, expected: dt.datetime) -> None:
    assert parse_datetime(text) == expected
