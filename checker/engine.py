"""Evaluate compiled rules against documents: ``evaluate(rules, doc) → findings``.

For every rule whose ``target`` is the document's kind: out-of-state and
``applies``-false rules are *not applicable*; a check that holds is *passed*;
one that does not becomes one finding (or one per failing element for
``each``), located at the failing path's line or its nearest present parent.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .applicability import scope as contract_scope
from .catalog import Rule
from .conditions import HOLD, SKIP, Env, Failure
from .document import Document
from .durations import evidence, qualitative_message
from .facts import FACTS, FactContext
from .invalid import InvalidValues, cannot_judge, invalid_values, unjudged_elements
from .jurisdictions import for_state
from .models import FAILED, NOT_APPLICABLE, PASSED, DocumentStats, Finding, Reference, Severity, fingerprint
from .validate import Issue

SCHEMA_RULES = {
    "unknown": "SCHEMA-UNKNOWN",
    "type": "SCHEMA-TYPE",
    "value": "SCHEMA-VALUE",
    "required": "SCHEMA-REQUIRED",
}


@dataclass
class Tailoring:
    """Per-district adjustments from k12check.yaml (DESIGN §5)."""

    params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    severity: Mapping[str, Severity] = field(default_factory=dict)
    disabled: frozenset[str] = frozenset()
    state: str | None = None
    file_filter: Callable[[str, str], bool] | None = None  # (rule id, file) -> enabled; per-file disables

    def enabled(self, rule_id: str, file: str) -> bool:
        if rule_id in self.disabled:
            return False
        return self.file_filter is None or self.file_filter(rule_id, file)


@dataclass
class Evaluation:
    findings: list[Finding]
    stats: DocumentStats


def evaluate(
    rules: Iterable[Rule],
    doc: Document,
    today: dt.date,
    tailoring: Tailoring | None = None,
    *,
    portfolio: Any = None,
    schema: bool = True,
    target: str | None = None,
) -> Evaluation:
    """All findings of ``rules`` on ``doc`` (unsorted) and what passed / did not apply.

    ``target`` picks the rules to run (default: the document's kind); portfolio
    rules run with ``target="portfolio"`` on the district document.
    """
    kind = target or doc.kind
    tailoring = tailoring or Tailoring()
    facts = FactContext(today=today, state=tailoring.state)
    stats = DocumentStats(doc.file, doc.kind, doc.identity, doc.sha256)
    findings: list[Finding] = []
    by_id: dict[str, Rule] = {}
    env = Env(doc.data, {}, facts, today, "fail", portfolio)  # one per document; params set per rule
    state = facts.get("state", doc.data)
    all_enabled = not tailoring.disabled and tailoring.file_filter is None
    scope = contract_scope(doc.data) if kind == "contract" and type(doc.data) is dict else None
    rules = rules if isinstance(rules, (list, tuple)) else list(rules)
    codes = []
    invalid = invalid_values(doc.kind, doc.data) if doc.kind in ("contract", "district") else None
    for rule in rules:
        rid = rule.id
        by_id[rid] = rule
        if rule.builtin or rule.meta.target not in (kind, "any"):
            codes.append("-")
            continue
        if not all_enabled and not tailoring.enabled(rid, doc.file):
            codes.append("-")
            continue
        if invalid is not None and invalid.bad:
            if cannot_judge(rule, invalid, state):
                codes.append(NOT_APPLICABLE)  # cannot judge: it reads an invalid value (the unknown outcome)
                continue
            env.skip_elements = unjudged_elements(rule, invalid)
        if scope is not None and not scope.admits(rule):  # service type or package (one table)
            codes.append(NOT_APPLICABLE)
            continue
        status, failures = _run(rule, doc, tailoring, env, state)
        if status == HOLD:
            codes.append(PASSED)
        elif status == SKIP:
            codes.append(NOT_APPLICABLE)
        else:
            codes.append(FAILED)
            findings.extend(_findings(rule, doc, failures, tailoring, facts, today, portfolio))
    stats.set_codes(_order(rules), sys.intern("".join(codes)))  # most documents share a pattern
    if schema and invalid is not None:
        for issue in invalid.issues:
            schema_rule = by_id.get(SCHEMA_RULES[issue.kind])
            if schema_rule is not None and tailoring.enabled(schema_rule.id, doc.file):
                findings.append(schema_finding(schema_rule, doc, issue, tailoring, invalid))
    return Evaluation(findings, stats)


_ORDERS: dict[tuple[int, int], tuple[str, ...]] = {}


def _order(rules: list[Rule] | tuple[Rule, ...]) -> tuple[str, ...]:
    """The rule-id tuple for a rule list, shared by every document of a run (saves memory)."""
    key = (id(rules), len(rules))
    order = _ORDERS.get(key)
    if order is None or len(order) != len(rules) or (rules and order[0] != rules[0].id):
        order = tuple(r.id for r in rules)
        if len(_ORDERS) > 64:
            _ORDERS.clear()
        _ORDERS[key] = order
    return order


def _run(
    rule: Rule, doc: Document, tailoring: Tailoring, env: Env, state: str | None
) -> tuple[int, list[Failure]]:
    states = rule.meta.states
    if states and state not in states:
        return (SKIP, [])
    env.params = _params(rule, tailoring)
    env.missing = rule.missing
    if rule.applies is not None and rule.applies.eval(env, doc.data, "")[0] != HOLD:
        return (SKIP, [])
    assert rule.check is not None
    return rule.check.eval(env, doc.data, "")


def _params(rule: Rule, tailoring: Tailoring) -> Mapping[str, Any]:
    if not tailoring.params:
        return rule.params
    override = tailoring.params.get(rule.id)
    return {**rule.params, **override} if override else rule.params


def _severity(
    rule: Rule,
    doc: Document,
    tailoring: Tailoring,
    facts: FactContext,
    env: Env,
    item: Any = None,
    element: str = "",
) -> Severity:
    """Re-levelled by the config, else the first matching ``escalate`` entry, else the rule's.

    In ``each`` rules a ``when`` is judged on the failing element (paths relative to
    it, ``$.`` for the document), so one device can be high while another is medium.
    """
    if rule.id in tailoring.severity:
        return tailoring.severity[rule.id]
    state = facts.get("state", doc.data)
    base, base_path = (item, element) if element else (doc.data, "")
    for esc in rule.escalate:
        if esc.states is not None and state not in esc.states:
            continue
        if esc.when is not None and esc.when.eval(env, base, base_path)[0] != HOLD:
            continue
        return esc.severity
    return rule.meta.severity


def _findings(
    rule: Rule,
    doc: Document,
    failures: list[Failure],
    tailoring: Tailoring,
    facts: FactContext,
    today: dt.date,
    portfolio: Any,
) -> list[Finding]:
    if not failures:
        failures = [Failure("", None, None, "check")]
    groups: dict[str, list[Failure]] = {}
    for f in failures:
        groups.setdefault(f.element or "", []).append(f)
    params = _params(rule, tailoring)
    env = Env(doc.data, params, facts, today, rule.missing, portfolio)
    severity = _severity(rule, doc, tailoring, facts, env)
    per_element = any(e.when is not None for e in rule.escalate)
    refs = for_state(rule.meta.references, facts.get("state", doc.data))  # its own state's law, not others'
    out = []
    for element, group in groups.items():
        first = group[0]
        file, line, column = doc.locate(first.path)
        item = _item(doc.data, element) if element else None
        level = (
            _severity(rule, doc, tailoring, facts, env, item, element)
            if per_element and element
            else severity
        )
        message = rule.render(
            value=first.value,
            expected=first.expected,
            params=params,
            path=first.path,
            doc=doc.data,
            rule=rule.id,
            failures=group,
            item=item,
            state=facts.get("state", doc.data),
            fact=functools.partial(_fact_value, facts, doc.data),
        )
        message = qualitative_message(first.value, message)
        key = element or first.path
        if len(group) == 1 and first.path == key and not first.label:
            value = evidence(first.value)
        else:  # several fields, or a fact pointed at a field: each value under its own name
            value = {f.label or f.path: evidence(f.value) for f in group}
        out.append(_finding(rule, doc, key, file, line, column, level, message, value, refs))
    return out


def _finding(
    rule: Rule,
    doc: Document,
    key: str,
    file: str,
    line: int,
    column: int,
    severity: Severity,
    message: str,
    value: Any,
    references: tuple[Reference, ...] | None = None,
) -> Finding:
    meta = rule.meta
    return Finding(
        file=file,
        line=line,
        rule=meta.id,
        path=key,
        column=column,
        severity=severity,
        title=meta.title,
        message=message,
        value=value,
        area=meta.area,
        target=meta.target,
        remediation=meta.remediation,
        references=meta.references if references is None else references,
        fingerprint=fingerprint(meta.id, doc.identity, key),
        document=doc.identity,
    )


def schema_finding(
    rule: Rule, doc: Document, issue: Issue, tailoring: Tailoring, invalid: InvalidValues | None = None
) -> Finding:
    """A SCHEMA-* finding for one validation issue, at the field's line (with its hint, the
    rules it left unjudged, and high severity when one of them is critical or high)."""
    file, line, column = doc.locate(issue.path)
    severity = tailoring.severity.get(rule.id, rule.meta.severity)
    fix = {
        "unknown": "fix the field name or remove it",
        "type": "write the value in the type the model expects",
        "value": "use one of the allowed values",
        "required": "add the field",
    }
    advice = fix.get(issue.kind, "see the model reference")
    message = f"{issue.message}; {advice}"
    if invalid is not None:
        message, severity = invalid.describe(issue, advice, severity)
    return _finding(rule, doc, issue.path, file, line, column, severity, message, issue.value)


def _fact_value(facts: FactContext, data: Any, name: str) -> Any:
    """``fact('name')`` in message templates (unknown names read as null)."""
    return facts.get(name, data) if name in FACTS else None


def _item(data: Any, element: str) -> Any:
    from .paths import Path

    try:
        return Path(element).first(data, "", data)[1]
    except ValueError:
        return None
