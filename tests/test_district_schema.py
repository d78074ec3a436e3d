"""The district model's Cerberus schema (checker/schemas/district.yaml) as data.

A full, realistic district (examples/district/district.yaml) validates; a wrong type
and an unknown field are refused, with the path of the offending field.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import cerberus
import pytest

from checker.validate import load_schema
from checker.yamlio import load_bytes

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "district" / "district.yaml"


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    value = load_bytes(EXAMPLE.read_bytes(), str(EXAMPLE)).value
    assert isinstance(value, dict)
    return value


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return load_schema("district")


def test_full_example_is_valid(example: dict[str, Any], schema: dict[str, Any]) -> None:
    v = cerberus.Validator(schema)
    assert v.validate(example), v.errors
    for section in (
        "district",
        "thresholds",
        "sources",
        "licenses",
        "scopes",
        "policies",
        "tenant",
        "apps",
        "devices",
        "in_house",
    ):
        assert example.get(section), f"the example should exercise {section}"


def test_every_field_is_nullable(schema: dict[str, Any]) -> None:
    doc = {
        "kind": "district",
        "schema_version": 1,
        "district": {"id": None, "name": None, "state": None},
        "tenant": {"intune_secure_by_default": None},
        "in_house": {"staff_fte": None},
        "policies": [{"scope": "hs", "passcode": {"min_length": None}, "content_filter": None}],
        "devices": [{"serial": "X1", "last_checkin": None, "boot_mode": None}],
    }
    v = cerberus.Validator(schema)
    assert v.validate(doc), v.errors


@pytest.mark.parametrize(
    ("path", "value", "error_at"),
    [
        (("policies", 0, "passcode", "min_length"), "six", "policies"),
        (("devices", 0, "supervised"), "yes", "devices"),
        (("thresholds", "stale_checkin_days"), 0, "thresholds"),
        (("scopes", 0, "audience"), "teachers", "scopes"),
        (("in_house", "vacancy_months_per_year"), 13, "in_house"),
    ],
)
def test_wrong_types_and_values_are_refused(
    example: dict[str, Any], schema: dict[str, Any], path: tuple[Any, ...], value: Any, error_at: str
) -> None:
    doc = copy.deepcopy(example)
    node: Any = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    v = cerberus.Validator(schema)
    assert not v.validate(doc)
    assert error_at in v.errors


@pytest.mark.parametrize("where", ["top", "policy", "device"])
def test_unknown_fields_are_refused(example: dict[str, Any], schema: dict[str, Any], where: str) -> None:
    doc = copy.deepcopy(example)
    target = {"top": doc, "policy": doc["policies"][0], "device": doc["devices"][0]}[where]
    target["passcde"] = {"min_length": 6}
    v = cerberus.Validator(schema)
    assert not v.validate(doc)
    assert "unknown field" in str(v.errors)


def test_importer_fields_are_in_the_schema(schema: dict[str, Any]) -> None:
    """What the importers write beyond district.md §3 is declared, documented data."""
    sources = schema["sources"]["schema"]["schema"]
    policies = schema["policies"]["schema"]["schema"]
    assert sources["unmapped"]["type"] == "dict"
    for field in (
        "source_issues",
        "conflicts",
        "provenance",
        "assignments",
        "removal_disallowed",
        "removal_passcode",
    ):
        assert field in policies
    assert set(schema["licenses"]["schema"]["schema"]) == {"vendor_ref", "product", "seats", "ends"}
