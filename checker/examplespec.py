"""What a rule example expects: its name and, optionally, the rule's outcome on it.

An example is a partial document; keys starting with ``_`` steer the run.  Besides
``_today``, ``_state`` and ``_contracts`` (see :mod:`checker.ruletest`):

* ``_name`` — what the example shows ("no deadline at all"), used in test ids and reports;
* ``_expect`` — the rule's outcome: ``fail`` (fail list only), ``pass``,
  ``not_applicable`` or ``unknown`` (pass list only: no finding either way);
* ``_severity`` — with ``_expect: fail``, the finding's severity (after escalation).

Without ``_expect`` a fail example must produce a finding and a pass example none.
The outcomes are observed by :func:`checker.ruletest.run_example`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .models import Severity

FAIL, PASS, NOT_APPLICABLE_OUTCOME, UNKNOWN = "fail", "pass", "not_applicable", "unknown"
OUTCOMES = {"fail": (FAIL,), "pass": (PASS, NOT_APPLICABLE_OUTCOME, UNKNOWN)}  # allowed per list
STEERING = ("_name", "_expect", "_severity", "_today", "_state", "_contracts")


@dataclass(frozen=True)
class Expectation:
    name: str
    outcome: str | None  # None: only "a finding" (fail list) or "no finding" (pass list)
    severity: Severity | None


def expectation(kind: str, index: int, example: dict[str, Any]) -> Expectation:
    """The example's name and expected outcome; ValueError says what is wrong."""
    name = example.get("_name", "")
    outcome = example.get("_expect")
    if outcome is not None and outcome not in OUTCOMES.get(kind, ()):
        allowed = ", ".join(OUTCOMES.get(kind, ()))
        raise ValueError(f"_expect: {outcome!r} is not allowed in a {kind} example (allowed: {allowed})")
    severity = example.get("_severity")
    if severity is not None and outcome != FAIL:
        raise ValueError("_severity is only for examples with _expect: fail")
    unknown = sorted(k for k in example if str(k).startswith("_") and k not in STEERING)
    if unknown:
        raise ValueError(f"unknown steering key {unknown[0]!r} (known: {', '.join(STEERING)})")
    return Expectation(str(name), outcome, Severity.parse(severity) if severity is not None else None)


def check_examples(examples: dict[str, list[dict[str, Any]]]) -> list[tuple[str, int, str]]:
    """Problems in a rule's examples: (list, 1-based index, message)."""
    problems = []
    for kind, items in examples.items():
        for n, example in enumerate(items or (), 1):
            try:
                expectation(kind, n, example)
            except ValueError as exc:
                problems.append((kind, n, str(exc)))
    return problems
