"""Run every rule's own examples: each must show the outcome it states (``_expect``), or
else a fail example must produce the rule's finding and a pass example none
(``k12check rules test`` and the test suite).

An example is a partial document; ``kind`` and ``schema_version`` are added when
absent (schema rules give whole documents).  Keys starting with ``_`` steer the run:
``_today`` (date for date-relative rules, default 2026-09-01), ``_state`` (the
configured district state), for portfolio rules ``_contracts`` (contract bodies
seen beside the district), and ``_name``, ``_expect``, ``_severity``
(:mod:`checker.examplespec`).

Until the engine reports the ``unknown`` outcome itself, a rule that was not run is
told apart here: out of its ``states:`` or ``applies:`` is not applicable; anything
else (a field it needs is absent, a value is invalid) is unknown.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .catalog import Rule, RuleSet
from .conditions import HOLD, Env
from .document import Document
from .engine import Evaluation, Tailoring, evaluate
from .examplespec import FAIL, NOT_APPLICABLE_OUTCOME, PASS, UNKNOWN, Expectation, expectation
from .facts import FactContext, as_date
from .invalid import cannot_judge, invalid_values
from .models import FAILED, NOT_APPLICABLE, PASSED, Severity
from .portfolio import Portfolio
from .yamlio import SourceMap

EXAMPLE_TODAY = dt.date(2026, 9, 1)


@dataclass(frozen=True)
class ExampleOutcome:
    rule: str
    kind: str  # "pass" | "fail"
    index: int  # 1-based
    ok: bool
    detail: str
    label: str = ""  # the example's _name
    expected: str = ""  # what the example expects, in words

    @property
    def name(self) -> str:
        return f"{self.rule}-{self.kind}-{self.index}"


def examples_of(rule: Rule) -> Iterator[tuple[str, int, dict[str, Any]]]:
    for kind in ("pass", "fail"):
        for n, example in enumerate(rule.examples.get(kind, []), 1):
            yield kind, n, example


def run_example(
    rule: Rule, ruleset: RuleSet, kind: str, index: int, example: dict[str, Any]
) -> ExampleOutcome:
    """Evaluate one example of ``rule`` and judge it against what it expects."""
    try:
        expect = expectation(kind, index, example)
    except ValueError as exc:
        return ExampleOutcome(rule.id, kind, index, False, str(exc), "", "a valid example")
    name = f"{rule.id}-{kind}-{index}"
    result = evaluate_example(rule, ruleset, example, name)
    hits = [f for f in result.findings if f.rule == rule.id]
    body = _body(rule, example)
    today = as_date(example.get("_today")) or EXAMPLE_TODAY
    outcome = observed(
        rule, result, _document(body, name, body.get("kind", "contract")), today, example.get("_state")
    )
    problem = judge(expect, kind, outcome, [f.severity for f in hits])
    stated = f" ({outcome})" if expect.outcome else ""
    detail = "; ".join(f.message for f in hits) if hits else f"no finding{stated}"
    if problem:
        detail = f"{problem}: {detail}"
    return ExampleOutcome(rule.id, kind, index, problem is None, detail, expect.name, _wanted(expect, kind))


def _wanted(expect: Expectation, kind: str) -> str:
    if expect.outcome is None:
        return "a finding" if kind == "fail" else "no finding"
    return expect.outcome + (f" ({expect.severity.label})" if expect.severity else "")


def evaluate_example(rule: Rule, ruleset: RuleSet, example: dict[str, Any], name: str) -> Evaluation:
    """Run ``rule`` (every rule, for schema rules) on one example document."""
    today = as_date(example.get("_today")) or EXAMPLE_TODAY
    state = example.get("_state")
    contracts = example.get("_contracts") or []
    body = _body(rule, example)
    doc_kind = "district" if rule.meta.target in ("district", "portfolio") else "contract"
    doc = _document(body, name, body.get("kind", doc_kind))
    tailoring = Tailoring(state=state)
    if rule.meta.target == "portfolio":
        portfolio = Portfolio(today)
        for n, c in enumerate(contracts, 1):
            c = {"kind": "contract", "schema_version": 1, **c}
            portfolio.add(_document(c, f"contract-{n}", "contract"), tailoring)
        return evaluate(
            [rule], doc, today, tailoring, schema=False, portfolio=portfolio.view(doc), target="portfolio"
        )
    rules = [rule] if rule.meta.area != "schema" else ruleset.rules
    return evaluate(rules, doc, today, tailoring, schema=rule.meta.area == "schema")


def _body(rule: Rule, example: dict[str, Any]) -> dict[str, Any]:
    """The example as a document: steering keys dropped, ``kind`` and ``schema_version`` added."""
    body = {k: copy.deepcopy(v) for k, v in example.items() if not str(k).startswith("_")}
    if rule.meta.area != "schema":
        body.setdefault("kind", "district" if rule.meta.target in ("district", "portfolio") else "contract")
        body.setdefault("schema_version", 1)
    return body


def observed(rule: Rule, result: Evaluation, doc: Document, today: dt.date, state: str | None) -> str:
    """The rule's outcome on the example: fail, pass, not_applicable or unknown."""
    if any(f.rule == rule.id for f in result.findings):
        return FAIL
    codes = dict(zip(result.stats._order, result.stats._codes, strict=False))
    code = codes.get(rule.id)
    if code == FAILED:
        return FAIL
    if code == PASSED:
        return PASS
    if code != NOT_APPLICABLE:
        return UNKNOWN
    return _skipped_as(rule, doc, today, state)


def _skipped_as(rule: Rule, doc: Document, today: dt.date, state: str | None) -> str:
    facts = FactContext(today=today, state=state)
    doc_state = facts.get("state", doc.data)
    if cannot_judge(rule, invalid_values(doc.kind, doc.data), doc_state):
        return UNKNOWN
    if rule.meta.states and doc_state not in rule.meta.states:
        return NOT_APPLICABLE_OUTCOME
    if rule.applies is not None:
        env = Env(doc.data, rule.params, facts, today, rule.missing, None)
        if rule.applies.eval(env, doc.data, "")[0] != HOLD:
            return NOT_APPLICABLE_OUTCOME
    return UNKNOWN


def judge(expect: Expectation, kind: str, outcome: str, severities: list[Severity]) -> str | None:
    """Why the observed outcome does not meet the expectation, or None when it does."""
    if expect.outcome is None:
        wanted_fail = kind == "fail"
        if (outcome == FAIL) != wanted_fail:
            return f"expected {'a finding' if wanted_fail else 'no finding'}, got {outcome}"
        return None
    if outcome != expect.outcome:
        return f"expected {expect.outcome}, got {outcome}"
    if expect.severity is not None and expect.severity not in severities:
        got = ", ".join(s.label for s in severities) or "none"
        return f"expected severity {expect.severity.label}, got {got}"
    return None


def run_all(ruleset: RuleSet, only: set[str] | None = None) -> list[ExampleOutcome]:
    """Every example of every (selected) rule, in rule-id order."""
    out = []
    for rule in ruleset.rules:
        if only and rule.id not in only:
            continue
        for kind, n, example in examples_of(rule):
            out.append(run_example(rule, ruleset, kind, n, example))
    return out


def _document(body: dict[str, Any], name: str, kind: str) -> Document:
    return Document(file=name, kind=kind, data=body, source_map=_flat_map(body), identity=name)


def _flat_map(body: Any, path: str = "", out: SourceMap | None = None) -> SourceMap:
    """Examples have no file lines; map every path to line 1 so locating works."""
    out = {} if out is None else out
    out[path] = (1, 1)
    return out
