"""The condition language: every form and operator, missing-value policies, bad rules."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.conditions import FAIL, HOLD, SKIP, ConditionError, Env, compile_condition
from checker.facts import FACTS, FactContext, load_builtin_facts

load_builtin_facts()
TODAY = dt.date(2026, 9, 1)


def run(cond: dict, doc: dict, params: dict | None = None, missing: str = "fail") -> tuple[int, list]:
    compiled = compile_condition(cond, params or {}, FACTS)
    env = Env(doc, params or {}, FactContext(today=TODAY), TODAY, missing)
    return compiled.eval(env, doc, "")


@pytest.mark.parametrize(
    ("op", "expected", "value", "holds"),
    [
        ("equals", True, True, True),
        ("equals", True, 1, False),  # booleans never equal numbers
        ("not_equals", "none", "ndpa_v1", True),
        ("in", ["lea", "shared"], "lea", True),
        ("not_in", ["vendor"], "vendor", False),
        ("lt", 10, 9, True),
        ("lte", 72, 72, True),
        ("gt", 0, 0, False),
        ("gte", 99.9, 99.95, True),
        ("lte", 72, "reasonable", False),  # wrong type fails, never crashes
        ("matches", "^[A-Z]{2}$", "NY", True),
        ("contains", "csv", ["csv", "json"], True),
        ("contains", "sub", "a substring", True),
        ("contains_all", ["date", "contact"], ["date"], False),
        ("contains_any", ["csv", "json"], ["proprietary", "json"], True),
        ("exists", False, None, True),
        ("type", "integer", 3, True),
        ("type", "integer", True, False),
        ("min_length", 1, [], False),
        ("max_length", 3, "abcd", False),
        ("before", "2027-01-01", dt.date(2026, 5, 1), True),
        ("after", dt.date(2027, 1, 1), dt.date(2026, 5, 1), False),
    ],
)
def test_operators(op, expected, value, holds) -> None:
    status, _ = run({"path": "a", op: expected}, {"a": value})
    assert (status == HOLD) is holds


def test_missing_policies() -> None:
    assert run({"path": "a.b", "equals": 1}, {})[0] == FAIL
    assert run({"path": "a.b", "equals": 1}, {}, missing="pass")[0] == HOLD
    assert run({"path": "a.b", "equals": 1}, {}, missing="skip")[0] == SKIP
    assert run({"path": "a.b", "equals": 1, "missing": "pass"}, {})[0] == HOLD


def test_star_paths_hold_for_every_element() -> None:
    doc = {"s": [{"n": 1}, {"n": 5}]}
    status, failures = run({"path": "s[*].n", "lte": 3}, doc)
    assert status == FAIL and [f.path for f in failures] == ["s[1].n"]
    assert run({"path": "s[*].n", "lte": 9}, doc)[0] == HOLD


def test_all_any_not() -> None:
    doc = {"a": True, "b": False}
    assert run({"all": [{"path": "a", "equals": True}, {"path": "b", "equals": True}]}, doc)[0] == FAIL
    assert run({"any": [{"path": "a", "equals": True}, {"path": "b", "equals": True}]}, doc)[0] == HOLD
    status, failures = run({"not": {"path": "a", "equals": True}}, doc)
    assert status == FAIL and failures[0].path == "a" and failures[0].value is True


def test_each_reports_every_failing_element_and_where_filters() -> None:
    doc = {"devs": [{"os": "ios", "enc": False}, {"os": "win", "enc": False}, {"os": "ios", "enc": True}]}
    cond = {
        "each": "devs",
        "where": {"path": "os", "equals": "ios"},
        "check": {"path": "enc", "equals": True},
    }
    status, failures = run(cond, doc)
    assert status == FAIL and [(f.element, f.path) for f in failures] == [("devs[0]", "devs[0].enc")]


def test_count_and_references() -> None:
    doc = {"fns": ["mdm", "helpdesk", "repair", "network"], "cap": 3}
    assert run({"count": "fns", "lte": {"param": "p"}}, doc, {"p": 3})[0] == FAIL
    assert run({"count": "fns", "lte": {"path": "cap"}}, doc)[0] == FAIL
    assert run({"count": "fns", "where": {"path": "$.cap", "equals": 3}, "equals": 4}, doc)[0] == HOLD
    assert run({"path": "x", "lte": {"min": [{"param": "p"}, None, 5]}}, {"x": 4}, {"p": 72})[0] == HOLD
    assert run({"path": "d", "after": {"today_plus_days": 30}}, {"d": dt.date(2026, 12, 1)})[0] == HOLD
    stale = {
        "path": "seen",
        "after": {"today_minus_days": {"first": [{"path": "$.t.days"}, {"param": "days"}]}},
    }
    assert run(stale, {"seen": dt.date(2026, 8, 1)}, {"days": 30})[0] == FAIL  # 31 days before 2026-09-01
    assert run(stale, {"seen": dt.date(2026, 8, 1), "t": {"days": 45}}, {"days": 30})[0] == HOLD


def test_facts_in_conditions() -> None:
    doc = {"district": {"state": "NY"}, "breach": {"notify_district_within_hours": 100}}
    cond = {"path": "breach.notify_district_within_hours", "lte": {"fact": "state_breach_cap_hours"}}
    assert run(cond, doc)[0] == HOLD
    assert run({"fact": "state_breach_cap_hours", "equals": 168}, doc)[0] == HOLD
    status, failures = run({"fact": "state_breach_cap_hours", "equals": 1, "at": "breach"}, doc)
    assert status == FAIL and failures[0].path == "breach"
    # an unresolvable expected value cannot be decided: not applicable
    assert run(cond, {"breach": {"notify_district_within_hours": 100}})[0] == SKIP


@pytest.mark.parametrize(
    ("cond", "fragment"),
    [
        ({}, "a condition must be a mapping"),
        ({"path": "a"}, "exactly one comparison"),
        ({"path": "a", "equals": 1, "lte": 2}, "exactly one comparison"),
        ({"path": "a", "bigger": 1}, "exactly one comparison"),
        ({"path": "a", "matches": "("}, "invalid regular expression"),
        ({"path": "a", "lte": {"param": "nope"}}, "unknown param"),
        ({"fact": "nope", "equals": 1}, "unknown fact"),
        ({"each": "a"}, "needs a check"),
        ({"wat": 1}, "allowed forms"),
        ({"path": "a..b", "equals": 1}, "cannot read path"),
        ({"path": "a", "type": "float"}, "type: must be one of"),
        ({"count": "a", "contains": 1}, "numeric comparison"),
    ],
)
def test_bad_conditions_name_the_allowed_forms(cond, fragment) -> None:
    with pytest.raises(ConditionError, match=fragment.replace("(", r"\(")):
        compile_condition(cond, {}, FACTS)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5) | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("abc"), inner, max_size=3),
    max_leaves=12,
)


@given(doc=st.dictionaries(st.sampled_from("abc"), _json, max_size=3))
def test_evaluation_never_crashes_on_arbitrary_documents(doc) -> None:
    for cond in (
        {"path": "a.b[*].c", "lte": 3},
        {"each": "a", "check": {"path": "b", "in": [1, "x"]}},
        {"count": "b", "where": {"path": "c", "exists": True}, "gte": 1},
        {"not": {"any": [{"path": "c", "matches": "x"}, {"path": "a", "contains": 1}]}},
        {"path": "a", "after": {"today_plus_days": 3}},
    ):
        status, _ = run(cond, doc)
        assert status in (HOLD, FAIL, SKIP)
