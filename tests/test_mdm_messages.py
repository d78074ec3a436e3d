"""The MDM rules' own examples, run the way importers write documents.

Importers copy each scope's audience onto its policy records (`policies[].audience`)
and name policies; the rules must judge such documents exactly as the examples
expect, and every finding's message template must render.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from checker.catalog import load_rules
from checker.ruletest import examples_of, run_example

RULESET = load_rules()
MDM = [r for r in RULESET.rules if r.id.startswith("MDM-")]
CASES = [(rule, kind, n, ex) for rule in MDM for kind, n, ex in examples_of(rule)]


def as_imported(example: dict[str, Any]) -> dict[str, Any]:
    """The example with audiences copied onto policies and a name on each, as importers do."""
    body = copy.deepcopy(example)
    audience = {s.get("id"): s.get("audience") for s in body.get("scopes") or [] if isinstance(s, dict)}
    for n, policy in enumerate(body.get("policies") or []):
        if isinstance(policy, dict):
            if audience.get(policy.get("scope")) is not None:
                policy.setdefault("audience", audience[policy.get("scope")])
            policy.setdefault("name", f"Profile {n + 1}")
    return body


def test_all_64_mdm_rules_are_present() -> None:
    ids = {r.id for r in MDM}
    areas = {"ACC": 9, "APP": 9, "SEC": 11, "DATA": 9, "INV": 9, "OPS": 8, "X": 9}
    for area, count in areas.items():
        assert {f"MDM-{area}-{i:03d}" for i in range(1, count + 1)} <= ids
    assert len(ids) == 64


@pytest.mark.parametrize(
    ("rule", "kind", "n", "example"), CASES, ids=[f"{r.id}-{k}-{n}" for r, k, n, _ in CASES]
)
def test_example_as_imported(rule, kind, n, example) -> None:
    for body in (example, as_imported(example)):
        outcome = run_example(rule, RULESET, kind, n, body)
        assert outcome.ok, f"{outcome.name}: {outcome.detail}"
        assert "message template failed" not in outcome.detail, outcome.detail
