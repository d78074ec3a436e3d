"""The compiled validator agrees with Cerberus (the reference) on every verdict."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.fastschema import compile_schema, problems
from checker.resources import schemas_dir
from checker.validate import StrictValidator, _issues_from_problems, issues_of, load_schema

_ANY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 200),
    st.floats(-1, 200, allow_nan=False),
    st.text(max_size=6),
    st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
    st.just([]),
    st.just({}),
    st.lists(st.text(max_size=3), max_size=2),
)


def _value(rules: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
    """Mostly well-typed values for the rules, sometimes anything at all."""
    kind = rules.get("type")
    good: st.SearchStrategy[Any]
    if "allowed" in rules and kind != "list":
        good = st.sampled_from(list(rules["allowed"]))
    elif kind == "dict" and isinstance(rules.get("schema"), dict) and depth < 4:
        good = _mapping(rules["schema"], depth + 1)
    elif kind == "list" and isinstance(rules.get("schema"), dict) and depth < 4:
        item = rules["schema"]
        inner = st.sampled_from(list(item["allowed"])) if "allowed" in item else _value(item, depth + 1)
        good = st.lists(inner, max_size=3)
    elif kind == "integer":
        good = st.integers(-2, 400)
    elif kind in ("float", "number"):
        good = st.floats(-1, 120, allow_nan=False) | st.integers(0, 100)
    elif kind == "boolean":
        good = st.booleans()
    elif kind == "date":
        good = st.dates(dt.date(2020, 1, 1), dt.date(2032, 1, 1))
    elif kind == "string":
        good = st.sampled_from(["NY", "ny", "acme-k12", "x", "", "US", "Acme"])
    else:
        good = _ANY
    return st.one_of(good, good, good, st.none(), _ANY) if depth else good


def _mapping(schema: dict[str, Any], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    fields = {k: _value(r, depth) for k, r in schema.items() if isinstance(r, dict)}
    known = st.fixed_dictionaries({}, optional=fields)
    extra = st.dictionaries(st.sampled_from(["typo_field", "notes"]), _ANY, max_size=1)
    return st.one_of(known, known, known, st.tuples(known, extra).map(lambda kv: {**kv[0], **kv[1]}))


def _agree(name: str, doc: dict[str, Any]) -> None:
    """Same verdict, and the same (path, kind) issues, from the fast path and Cerberus."""
    schema = load_schema(name)
    fast = compile_schema(schema)
    assert fast is not None, f"{name} schema must compile"
    reference = StrictValidator(schema, allow_unknown=False)
    verdict = reference.validate(doc)
    assert fast(doc) is verdict, f"fast={fast(doc)} cerberus={verdict} errors={reference.errors}"
    ours = {(i.path, i.kind) for i in _issues_from_problems(problems(schema, doc), schema)}
    theirs = {(i.path, i.kind) for i in issues_of(reference, schema)}
    assert ours == theirs
    assert (not ours) is verdict


@settings(max_examples=150)
@given(doc=_mapping(load_schema("contract")))
def test_contract_verdicts_agree(doc: dict[str, Any]) -> None:
    _agree("contract", doc)


@pytest.mark.parametrize("name", ["rule", "contract", "district"])
def test_bundled_schemas_compile(name: str) -> None:
    """The per-document schemas must take the fast path (config and waivers may use Cerberus)."""
    try:
        schema = load_schema(name)
    except FileNotFoundError:
        pytest.skip(f"{name} schema not present")
    assert compile_schema(schema) is not None


@pytest.mark.skipif(not (schemas_dir() / "district.yaml").exists(), reason="district schema not present")
@settings(max_examples=100)
@given(doc=st.deferred(lambda: _mapping(load_schema("district"))))
def test_district_verdicts_agree(doc: dict[str, Any]) -> None:
    _agree("district", doc)


@pytest.mark.parametrize(
    ("rules", "value"),
    [
        ({"type": "integer"}, True),  # StrictValidator: a boolean is not an integer
        ({"type": "number"}, True),  # ...but not a number
        ({"type": "float"}, 3),
        ({"type": "list", "minlength": 1}, []),
        ({"type": "list", "allowed": ["x"]}, []),
        ({"type": "string", "regex": "x+"}, ""),
        ({"type": "string", "empty": False}, ""),
        ({"type": "string", "empty": True, "regex": "x+"}, ""),
        ({"type": "integer", "min": 0, "nullable": True}, None),
        ({"type": "date"}, dt.datetime(2026, 1, 1)),
        ({"type": "string", "min": "b"}, "a"),
        (
            {"type": "dict", "allow_unknown": True, "schema": {"a": {"type": "dict", "schema": {}}}},
            {"a": {"z": 1}},
        ),
    ],
)
def test_edge_cases_agree(rules: dict[str, Any], value: Any) -> None:
    schema = {"f": rules}
    fast = compile_schema(schema)
    assert fast is not None
    assert fast({"f": value}) is StrictValidator(schema).validate({"f": value})
