"""Why a rule holds or not: each condition with the actual value, the expected one,
its line, and whether it held (``k12check explain RULE FILE``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .applicability import scope as contract_scope
from .catalog import Rule, display
from .conditions import (
    FAIL,
    HOLD,
    All,
    AnyOf,
    Compare,
    Cond,
    ContractExists,
    Count,
    Each,
    Env,
    Not,
)
from .document import Document
from .engine import Tailoring
from .facts import FactContext
from .invalid import cannot_judge, invalid_values
from .operators import WORDS

STATUS = {HOLD: "holds", FAIL: "FAILS", 2: "n/a", 3: "?"}


@dataclass(frozen=True)
class Step:
    """One line of an explanation."""

    depth: int
    status: int
    text: str
    line: int = 0

    def render(self) -> str:
        where = f"  (line {self.line})" if self.line else ""
        return f"{'  ' * self.depth}[{STATUS[self.status]:>5}] {self.text}{where}"


def explain(rule: Rule, doc: Document, today: dt.date, tailoring: Tailoring | None = None) -> list[Step]:
    """The rule's scope checks, then its condition tree, evaluated against ``doc``."""
    tailoring = tailoring or Tailoring()
    facts = FactContext(today=today, state=tailoring.state)
    params = {**rule.params, **tailoring.params.get(rule.id, {})}
    env = Env(doc.data, params, facts, today, rule.missing)
    steps: list[Step] = []
    state = facts.get("state", doc.data)
    invalid = invalid_values(doc.kind, doc.data) if doc.kind in ("contract", "district") else None
    unjudged = cannot_judge(rule, invalid, state)
    if unjudged:
        where = ", ".join(unjudged)
        steps.append(Step(0, 3, f"cannot judge: invalid value at {where} (see its SCHEMA finding)"))
        return steps
    if rule.meta.states:
        ok = state in rule.meta.states
        steps.append(
            Step(0, HOLD if ok else 2, f"district state {state or 'unknown'} in {list(rule.meta.states)}")
        )
        if not ok:
            return steps
    reason = (
        contract_scope(doc.data).why_not(rule)
        if doc.kind == "contract" and isinstance(doc.data, dict)
        else None
    )
    if reason is not None:  # the service type or the agreement package (rules/applicability.yaml)
        steps.append(Step(0, 2, f"not applicable: {reason}"))
        return steps
    if rule.applies is not None:
        steps.append(Step(0, rule.applies.eval(env, doc.data, "")[0], "applies when:"))
        _walk(rule.applies, env, doc, doc.data, "", 1, steps)
        if steps[-1].status != HOLD and rule.applies.eval(env, doc.data, "")[0] != HOLD:
            return steps
    if rule.check is not None:
        steps.append(Step(0, rule.check.eval(env, doc.data, "")[0], "check (must hold):"))
        _walk(rule.check, env, doc, doc.data, "", 1, steps)
    return steps


def _walk(
    cond: Cond, env: Env, doc: Document, base: Any, base_path: str, depth: int, out: list[Step]
) -> None:
    status = cond.eval(env, base, base_path)[0]
    if isinstance(cond, Compare):
        for path, value in cond.values(env, base, base_path):
            expected = cond.expected.get(env, base, base_path)
            subject = f"fact {cond.fact}" if cond.fact else path
            want = getattr(expected, "pattern", expected)
            text = f"{subject} = {display(value)}; must be {WORDS[cond.op]} {display(want)}"
            line = doc.locate(path)[1] if not cond.fact else 0
            one_status = cond.judge(value, expected, env) if expected is not None else 2
            out.append(Step(depth, one_status, text, line))
        return
    if isinstance(cond, (All, AnyOf)):
        out.append(Step(depth, status, "all of:" if isinstance(cond, All) else "any of:"))
        for part in cond.parts:
            _walk(part, env, doc, base, base_path, depth + 1, out)
    elif isinstance(cond, Not):
        out.append(Step(depth, status, "not:"))
        _walk(cond.part, env, doc, base, base_path, depth + 1, out)
    elif isinstance(cond, Each):
        _each(cond, env, doc, base, base_path, depth, out, status)
    elif isinstance(cond, Count):
        out.append(
            Step(
                depth,
                status,
                f"count of {cond.path.text} must be {WORDS[cond.op]} "
                f"{display(cond.expected.get(env, base, base_path))}",
            )
        )
    elif isinstance(cond, ContractExists):
        out.append(Step(depth, status, "a matching signed, unexpired contract exists"))


def _each(
    cond: Each, env: Env, doc: Document, base: Any, base_path: str, depth: int, out: list[Step], status: int
) -> None:
    list_path, items = cond.elements(env, base, base_path)
    count = len(items) if isinstance(items, list) else 0
    out.append(Step(depth, status, f"each of {count} element(s) of {list_path}:", doc.locate(list_path)[1]))
    if not isinstance(items, list) or cond.check is None:
        return
    for n, item in enumerate(items):
        ipath = f"{list_path}[{n}]"
        if cond.where is not None and cond.where.eval(env, item, ipath)[0] != HOLD:
            out.append(Step(depth + 1, 2, f"{ipath}: not selected by where:"))
            continue
        _walk(cond.check, env, doc, item, ipath, depth + 1, out)
