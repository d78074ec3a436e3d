"""Run every rule's own examples: pass examples must produce no finding of the rule,
fail examples at least one (``k12check rules test`` and the test suite).

An example is a partial document; ``kind`` and ``schema_version`` are added when
absent (schema rules give whole documents).  Keys starting with ``_`` steer the run:
``_today`` (date for date-relative rules, default 2026-09-01), ``_state`` (the
configured district state) and, for portfolio rules, ``_contracts`` (contract bodies
seen beside the district).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .catalog import Rule, RuleSet
from .document import Document
from .engine import Evaluation, Tailoring, evaluate
from .facts import as_date
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
    """Evaluate one example of ``rule`` and judge it."""
    result = evaluate_example(rule, ruleset, example, f"{rule.id}-{kind}-{index}")
    hits = [f for f in result.findings if f.rule == rule.id]
    ok = bool(hits) if kind == "fail" else not hits
    detail = "; ".join(f.message for f in hits) if hits else "no finding"
    return ExampleOutcome(rule.id, kind, index, ok, detail)


def evaluate_example(rule: Rule, ruleset: RuleSet, example: dict[str, Any], name: str) -> Evaluation:
    """Run ``rule`` (every rule, for schema rules) on one example document."""
    body = copy.deepcopy(example)
    today = as_date(body.pop("_today", None)) or EXAMPLE_TODAY
    state = body.pop("_state", None)
    contracts = body.pop("_contracts", [])
    doc_kind = "district" if rule.meta.target in ("district", "portfolio") else "contract"
    if rule.meta.area != "schema":
        body.setdefault("kind", doc_kind)
        body.setdefault("schema_version", 1)
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
