"""Messages always render (issue 13 point 4): every rule's message, for every example and
for each example with each of its fields removed, renders without a template error; an
absent field reads "not stated"; no template error text ever reaches a user."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from checker import messages
from checker.catalog import load_rules
from checker.ruletest import EXAMPLE_TODAY, evaluate_example, examples_of

RULESET = load_rules()
RULES = [r for r in RULESET.rules if r.builtin is None]


def _key_paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every mapping key in ``value`` (at any depth, inside lists too), as a tuple of steps."""
    if isinstance(value, dict):
        for key, child in value.items():
            if prefix or not (str(key).startswith("_") or key in ("kind", "schema_version")):
                yield (*prefix, key)
                yield from _key_paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _key_paths(child, (*prefix, i))


def _without(example: dict[str, Any], steps: tuple[Any, ...]) -> dict[str, Any]:
    out = copy.deepcopy(example)
    node: Any = out
    for step in steps[:-1]:
        node = node[step]
    del node[steps[-1]]
    return out


def _variants(example: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield "as written", example
    for steps in _key_paths(example):
        yield "without " + ".".join(str(s) for s in steps), _without(example, steps)


def _direct_context(rule: Any, body: dict[str, Any]) -> dict[str, Any]:
    """A message context with no evidence at all: the template reads only the document."""
    doc = {k: v for k, v in body.items() if not str(k).startswith("_")}
    return {
        "value": messages.NotStated(name="value"),
        "expected": messages.NotStated(name="expected"),
        "params": rule.params,
        "path": "",
        "doc": doc,
        "rule": rule.id,
        "failures": [],
        "item": None,
        "state": body.get("_state"),
        "fact": lambda name: None,
    }


@pytest.fixture
def loud(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Template errors are collected instead of replaced by the title."""
    errors: list[str] = []

    def record(title: str, context: dict[str, Any], exc: Exception) -> str:
        errors.append(f"{context.get('rule')}: {type(exc).__name__}: {exc}")
        return "TEMPLATE ERROR"

    monkeypatch.setattr(messages, "on_template_error", record)
    return errors


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_every_message_renders_for_every_example_and_every_field_removed(rule: Any, loud: list[str]) -> None:
    rendered = 0
    for kind, n, example in examples_of(rule):
        for what, body in _variants(example):
            where = f"{rule.id} {kind} example {n} {what}"
            result = evaluate_example(rule, RULESET, body, f"{rule.id}-{kind}-{n}")
            for finding in result.findings:
                assert "TEMPLATE ERROR" not in finding.message, f"{where}: {loud}"
                assert "template" not in finding.message.lower(), where
                rendered += 1
            text = messages.render(messages.compile_message(rule.message), _direct_context(rule, body))
            assert text, where
    assert not loud
    assert rendered  # the fail examples produced messages


def test_an_absent_field_reads_not_stated() -> None:
    template = messages.compile_message(
        "tz {{ doc.sla.support_timezone }}, model {{ item.model }}, "
        "{% if doc.sla.support_timezone > 3 %}big{% endif %}{{ doc.a.b.c | join(',') }}"
        "{% for x in doc.nothing %}x{% endfor %} {{ doc.sla.support_timezone.split('/') }}"
    )
    text = messages.render(template, {"doc": {"sla": {"support_hours": "school_hours"}}, "item": None})
    assert text == "tz not stated, model not stated,  not stated"


def test_a_broken_template_shows_the_title_and_evidence_never_an_error() -> None:
    from checker.catalog import compile_rule

    raw = {
        "id": "X-001",
        "title": "Thing is stated",
        "area": "privacy",
        "target": "contract",
        "severity": "high",
        "description": "d",
        "remediation": "r",
        "references": [{"cite": "c", "jurisdiction": "project"}],
        "check": {"path": "a", "equals": 1},
        "message": "{{ value / 0 }}",
        "examples": {"pass": [{"a": 1}], "fail": [{"a": 2}]},
    }
    rule = compile_rule(raw, "X-001.yaml", {})
    text = rule.render(value=2, expected=1, doc={}, item=None, failures=[], params={}, path="a", rule="X-001")
    assert text == "Thing is stated (got 2)"
    assert "template" not in text


def test_example_today_is_fixed() -> None:
    assert EXAMPLE_TODAY.isoformat() == "2026-09-01"


@pytest.mark.parametrize(
    ("rule_id", "example", "says"),
    [
        ("SLA-003", {"district": {"timezone": "America/New_York"}, "sla": {"support_hours": "business_hours"}},
         "support_timezone = not stated"),
        ("PRIV-013", {"privacy": {"sells_data": False}}, "ai_training_on_student_data = not stated"),
        ("BRCH-008", {"breach": {"vendor_notifies_families_directly": True}}, None),
    ],
)  # fmt: skip
def test_a_section_without_the_field_reads_not_stated(rule_id: str, example: dict, says: str | None) -> None:
    rule = RULESET.by_id[rule_id]
    result = evaluate_example(rule, RULESET, example, rule_id)
    messages_ = [f.message for f in result.findings if f.rule == rule_id]
    assert messages_, result.findings
    assert all("template" not in m and "dict object" not in m for m in messages_)
    if says:
        assert says in messages_[0]
