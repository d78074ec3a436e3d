"""Editor JSON Schemas: valid draft 2020-12, accept the bundled examples, reject wrong types."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from checker.jsonschema_export import NAMES, export
from checker.resources import schemas_dir
from checker.yamlio import load_bytes

ROOT = Path(__file__).resolve().parents[1]


def _plain(value: Any) -> Any:
    """YAML dates become strings, as an editor sees them."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def _docs(kind: str) -> list[Path]:
    found = []
    for path in sorted((ROOT / "examples").rglob("*.yaml")) + sorted(
        (ROOT / "tests" / "golden" / "inputs").glob("*.yaml")
    ):
        try:
            data = load_bytes(path.read_bytes(), str(path)).value
        except Exception:  # deliberately broken inputs are not examples
            continue
        if isinstance(data, dict) and data.get("kind") == kind:
            found.append(path)
    return found


@pytest.mark.parametrize("name", [n for n in NAMES if (schemas_dir() / f"{n}.yaml").exists()])
def test_exported_schema_is_valid_draft_2020_12(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(export(name))


@pytest.mark.parametrize("kind", ["contract", "district"])
def test_examples_validate_and_wrong_types_are_rejected(kind: str) -> None:
    if not (schemas_dir() / f"{kind}.yaml").exists():
        pytest.skip(f"no {kind} schema")
    validator = jsonschema.Draft202012Validator(export(kind), format_checker=jsonschema.FormatChecker())
    docs = _docs(kind)
    assert docs, f"no {kind} examples found"
    for path in docs:
        data = _plain(load_bytes(path.read_bytes(), str(path)).value)
        errors = [e.message for e in validator.iter_errors(data)]
        assert not errors, f"{path}: {errors[:3]}"
    bad = {"kind": kind, "schema_version": "one"}
    assert list(validator.iter_errors(bad))
