"""Per-device severities of the inventory rules (district.md §4 "M/H", "L/M").

MDM-INV-001 (medium; high past 90 days), MDM-INV-003 (low; medium when extended
updates are available but off) and MDM-INV-004 (medium; high below the scope's
minimum) write their escalation as a condition on the device (`when:` with paths
relative to the element); the engine judges `escalate.when` on each failing element.
"""

from __future__ import annotations

import datetime as dt

from checker.catalog import load_rules
from checker.document import Document
from checker.engine import evaluate
from checker.models import Severity

TODAY = dt.date(2026, 9, 1)
RULES = load_rules()


def severities(rule_id: str, data: dict) -> dict[str, Severity]:
    body = {"kind": "district", "schema_version": 1, **data}
    doc = Document("d.yaml", "district", body, {"": (1, 1)}, "district@d.yaml")
    rule = RULES.by_id[rule_id]
    findings = evaluate([rule], doc, TODAY, schema=False).findings
    return {f.path: f.severity for f in findings}


def test_base_severities_apply_today() -> None:
    devices = [
        {
            "serial": "A",
            "platform": "ipados",
            "last_checkin": dt.datetime(2026, 7, 15, tzinfo=dt.UTC),
        }
    ]
    assert severities("MDM-INV-001", {"devices": devices}) == {"devices[0]": Severity.MEDIUM}


def test_inv001_high_only_for_the_device_silent_past_90_days() -> None:
    devices = [
        {
            "serial": "A",
            "platform": "ipados",
            "last_checkin": dt.datetime(2026, 7, 15, tzinfo=dt.UTC),
        },
        {
            "serial": "B",
            "platform": "ipados",
            "last_checkin": dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
        },
    ]
    assert severities("MDM-INV-001", {"devices": devices}) == {
        "devices[0]": Severity.MEDIUM,
        "devices[1]": Severity.HIGH,
    }


def test_inv003_medium_only_for_the_device_with_extended_updates_off() -> None:
    devices = [
        {"serial": "A", "platform": "chromeos", "aue_date": dt.date(2027, 3, 1)},
        {
            "serial": "B",
            "platform": "chromeos",
            "aue_date": dt.date(2031, 6, 1),
            "extended_support": "eligible",
        },
    ]
    assert severities("MDM-INV-003", {"devices": devices}) == {
        "devices[0]": Severity.LOW,
        "devices[1]": Severity.MEDIUM,
    }


def test_inv004_high_only_below_the_scope_minimum() -> None:
    data = {
        "policies": [{"scope": "hs", "platform": "ipados", "updates": {"min_os_version": "17.0"}}],
        "devices": [
            {"serial": "A", "platform": "ipados", "scope": "hs", "os_version": "16.7"},
            {"serial": "B", "platform": "ipados", "scope": "lib", "os_version": "16.7"},
            {"serial": "C", "platform": "ipados", "scope": "lib", "os_version": "18.1"},
        ],
    }
    assert severities("MDM-INV-004", data) == {"devices[0]": Severity.HIGH, "devices[1]": Severity.MEDIUM}
