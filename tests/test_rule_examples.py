"""Every rule's own examples, one test each (``BRCH-002-fail-1``): fail examples must
produce that rule's finding, pass examples none.  Also lints the rule files."""

from __future__ import annotations

import pytest

from checker.catalog import load_rules
from checker.ruletest import examples_of, run_example

RULESET = load_rules()
CASES = [(rule, kind, n, ex) for rule in RULESET.rules for kind, n, ex in examples_of(rule)]


def test_builtin_rules_load_without_errors() -> None:
    assert RULESET.errors == []
    assert len(RULESET.rules) >= 4


@pytest.mark.parametrize(
    ("rule", "kind", "n", "example"), CASES, ids=[f"{r.id}-{k}-{n}" for r, k, n, _ in CASES]
)
def test_rule_example(rule, kind, n, example) -> None:
    outcome = run_example(rule, RULESET, kind, n, example)
    assert outcome.ok, (
        f"{outcome.name}: expected {'a finding' if kind == 'fail' else 'no finding'}, got {outcome.detail}"
    )


def test_every_rule_has_both_kinds_of_example_and_a_citation() -> None:
    for rule in RULESET.rules:
        assert rule.meta.references, rule.id
        assert rule.examples.get("pass") and rule.examples.get("fail"), rule.id
