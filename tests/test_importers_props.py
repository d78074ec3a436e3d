"""Property tests: any value under any mapped key imports to a valid district document.

Real exports hold every kind of surprise (a string where a boolean belongs, a list for
a number, nested dicts); the importers must map what they can, report the rest as
source issues, and never crash or write something the district schema refuses.
The loaders are called directly, without the Importer wrapper that turns unexpected
exceptions into InputErrors, so a bug would surface here.
"""

from __future__ import annotations

import datetime as dt
import json
import plistlib
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from checker.errors import InputError
from checker.importers import chrome, intune, inventory_csv, mobileconfig
from checker.importers.base import ImportOptions, load_data
from checker.importers.plist import parse_plist
from checker.validate import validate

TEXT = st.characters(blacklist_categories=("Cc", "Cs"))  # plists cannot hold control characters
SCALARS = st.one_of(
    st.booleans(),
    st.integers(-(2**31), 2**31),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(TEXT, max_size=12),
    st.sampled_from(
        ["On", "Off", "BuiltIn", "Plugin", "numeric", "alphanumeric", "block", "FORCED", "*", "chrome:*"]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(TEXT, max_size=6), inner, max_size=3),
    max_leaves=8,
)


def _keys(table: dict[str, Any]) -> list[str]:
    return sorted(table)


APPLE = load_data("apple_map.yaml")["payloads"]
PAYLOAD_TYPES = [
    *sorted(APPLE),
    "com.example.unknown",
    "com.apple.ManagedClient.preferences",
    "com.apple.profileRemovalPassword",
]


@st.composite
def payloads(draw: st.DrawFn) -> dict[str, Any]:
    ptype = draw(st.sampled_from(PAYLOAD_TYPES))
    keys = _keys(APPLE.get(ptype, {})) or ["Anything"]
    body = draw(st.dictionaries(st.sampled_from(keys), VALUES, max_size=6))
    return {"PayloadType": ptype, **body}


@given(
    st.lists(payloads(), max_size=4),
    st.dictionaries(
        st.sampled_from(
            ["PayloadRemovalDisallowed", "HasRemovalPasscode", "PayloadDisplayName", "TargetDeviceType"]
        ),
        SCALARS,
    ),
)
def test_any_profile_imports_to_a_valid_document(items: list[dict[str, Any]], top: dict[str, Any]) -> None:
    data = plistlib.dumps({"PayloadType": "Configuration", "PayloadContent": items, **top})
    doc = mobileconfig.load(data, "p.mobileconfig", ImportOptions())
    assert validate("district", doc.data) == []


INTUNE = load_data("intune_map.yaml")["types"]


@st.composite
def graph_objects(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from([*sorted(INTUNE), "managedDevice"]))
    keys = (
        _keys(INTUNE[kind]["keys"])
        if kind in INTUNE
        else ["serialNumber", "osVersion", "lastSyncDateTime", "isEncrypted"]
    )
    body = draw(
        st.dictionaries(
            st.sampled_from([*keys, "assignments", "scheduledActionsForRule", "displayName"]),
            VALUES,
            max_size=6,
        )
    )
    if kind == "managedDevice":
        body["serialNumber"] = draw(st.text(min_size=1, max_size=8).filter(str.strip))
        body.pop("lastSyncDateTime", None)
    return {"@odata.type": f"#microsoft.graph.{kind}", **body}


@given(st.lists(graph_objects(), min_size=1, max_size=4))
def test_any_graph_export_imports_to_a_valid_document(items: list[dict[str, Any]]) -> None:
    doc = intune.load(json.dumps(items).encode(), "g.json", ImportOptions())
    assert validate("district", doc.data) == []


CHROME = load_data("chrome_map.yaml")


@given(st.dictionaries(st.sampled_from(sorted(CHROME["policies"])), VALUES, min_size=1, max_size=8))
def test_any_flat_chrome_map_imports_to_a_valid_document(policies: dict[str, Any]) -> None:
    doc = chrome.load(json.dumps(policies).encode(), "c.json", ImportOptions())
    assert validate("district", doc.data) == []


@st.composite
def gam_records(draw: st.DrawFn) -> dict[str, Any]:
    fields = draw(st.dictionaries(st.sampled_from(sorted(CHROME["api"])), VALUES, min_size=1, max_size=3))
    name = draw(
        st.sampled_from(
            ["chrome.users.X", "chrome.devices.Y", "chrome.users.apps.InstallType", "chrome.printers.Z"]
        )
    )
    record: dict[str, Any] = {"name": name, "fields": [{"name": k, "value": v} for k, v in fields.items()]}
    record["orgUnitPath"] = draw(st.sampled_from(["/", "/Students", "/Staff/Kiosks", "orgunits/03ph8a2z"]))
    if name.endswith("InstallType"):
        record["additionalTargetKeys"] = [
            {
                "name": "app_id",
                "value": draw(st.sampled_from(["chrome:abc", "chrome:*", "android:x.y", "web"])),
            }
        ]
    return record


@given(st.lists(gam_records(), min_size=1, max_size=5))
def test_any_gam_export_imports_to_a_valid_document(records: list[dict[str, Any]]) -> None:
    doc = chrome.load(json.dumps(records).encode(), "gam.json", ImportOptions())
    assert validate("district", doc.data) == []


CELLS = st.one_of(
    st.text(max_size=10),
    st.sampled_from(["2026-01-15", "Yes", "no", "Dev", "/Students/Carts", "iPad", "1/2/2026 3:04 PM"]),
)


@given(
    st.lists(st.tuples(st.text(alphabet="ABC123", min_size=1, max_size=6), CELLS, CELLS, CELLS), max_size=5)
)
def test_any_inventory_rows_import_or_fail_with_a_row_error(rows: list[tuple[str, str, str, str]]) -> None:
    lines = ["serialNumber,bootMode,orgUnitPath,supervised"] + [
        ",".join(json.dumps(c) for c in row) for row in rows
    ]
    try:
        doc = inventory_csv.load("\n".join(lines).encode(), "i.csv", ImportOptions())
    except InputError as exc:
        assert exc.line is not None and "row" in exc.message
        return
    assert validate("district", doc.data) == []
    assert all(
        isinstance(d.get("last_checkin", dt.datetime.now(dt.UTC)), dt.datetime)
        for d in doc.data.get("devices", [])
    )


@given(st.binary(max_size=200))
def test_random_bytes_are_an_input_error_or_a_value(data: bytes) -> None:
    try:
        parse_plist(data, "r.plist")
    except InputError as exc:
        assert "\\n" not in str(exc) and str(exc).startswith("r.plist")
