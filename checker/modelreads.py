"""Which document fields a rule reads: a walk over its compiled conditions.

Used by the model references (:mod:`checker.modeldocs`) and their test: every path a
built-in rule reads must be a field of the contract or district schema, so a misspelt
path in a rule is caught before a contract ever runs into it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import conditions as c
from .catalog import Rule, RuleSet
from .paths import STAR
from .validate import load_schema

MODELS = ("contract", "district")
# The model a rule's own paths are relative to, by target (portfolio rules run on the district file).
TARGET_MODEL = {"contract": "contract", "district": "district", "portfolio": "district"}


def types_of(rules: Mapping[str, Any]) -> list[str]:
    """The Cerberus `type` of a field as a list (empty when the schema gives none)."""
    kind = rules.get("type")
    return [] if kind is None else ([kind] if isinstance(kind, str) else list(kind))


Steps = tuple[Any, ...]


@dataclass(frozen=True)
class Read:
    """One path a rule reads: the model it is in, its steps, and whether it must exist there."""

    model: str
    steps: Steps
    strict: bool = True  # False for contract summaries in portfolio rules (they add keys)


@dataclass(frozen=True)
class _Ctx:
    model: str
    root: str
    strict: bool = True


def rule_reads(rule: Rule) -> list[Read]:
    """Every document path the rule's conditions read (check, applies, escalate.when)."""
    model = TARGET_MODEL.get(rule.meta.target)
    if model is None:
        return []
    ctx, out = _Ctx(model, model), list[Read]()
    for cond in (rule.check, rule.applies):
        if cond is not None:
            _cond(cond, (), ctx, out)
    base: Steps = ()
    if isinstance(rule.check, c.Each) and not rule.check.path.absolute:
        base = (*rule.check.path.steps, STAR)  # escalations are judged on the failing element
    for esc in rule.escalate:
        if esc.when is not None:
            _cond(esc.when, base, ctx, out)
    return out


def _path(path: Any, base: Steps, ctx: _Ctx) -> Read:
    if path.absolute:
        return Read(ctx.root, tuple(path.steps))
    return Read(ctx.model, base + tuple(path.steps), ctx.strict)


def _cond(node: c.Cond, base: Steps, ctx: _Ctx, out: list[Read]) -> None:
    if isinstance(node, c.Compare):
        if node.path is not None:
            out.append(_path(node.path, base, ctx))
        if node.fact is not None:
            out.append(Read("fact", (node.fact,)))
        _ref(node.expected, base, ctx, out)
    elif isinstance(node, (c.All, c.AnyOf)):
        for part in node.parts:
            _cond(part, base, ctx, out)
    elif isinstance(node, c.Not):
        _cond(node.part, base, ctx, out)
    elif isinstance(node, (c.Each, c.Count)):
        read = _path(node.path, base, ctx)
        out.append(read)
        inner = _Ctx(read.model, ctx.root, read.strict)
        for sub in (node.where, getattr(node, "check", None)):
            if sub is not None:
                _cond(sub, (*read.steps, STAR), inner, out)
        if isinstance(node, c.Count):
            _ref(node.expected, base, ctx, out)
    elif isinstance(node, c.ContractExists):
        summary = _Ctx("contract", ctx.root, strict=False)
        for key, ref in node.match.items():
            out.append(Read("contract", tuple(key.split(".")), strict=False))
            _ref(ref, base, ctx, out)
        if node.where is not None:
            _cond(node.where, (), summary, out)


def _ref(ref: c.Ref, base: Steps, ctx: _Ctx, out: list[Read]) -> None:
    if isinstance(ref, c.PathRef):
        out.append(_path(ref.path, base, ctx))
    elif isinstance(ref, c.FactRef):
        out.append(Read("fact", (ref.name,)))
    elif isinstance(ref, c.TodayPlus):
        _ref(ref.days, base, ctx, out)
    elif isinstance(ref, (c.First, c.Extreme)):
        for sub in ref.refs:
            _ref(sub, base, ctx, out)


def field_of(model: str, steps: Steps) -> str | None:
    """The documented field a path lands in (``a.b[].c``), or None when the schema has no such field.

    A path into a free-form mapping or list (no sub-schema) lands in that field.
    """
    rules: Mapping[str, Any] = {"type": "dict", "schema": load_schema(model)}
    name = ""
    for step in steps:
        kinds = types_of(rules)
        sub = rules.get("schema")
        if isinstance(step, str) and "dict" in kinds:
            if isinstance(sub, Mapping) and step in sub:
                rules, name = sub[step], f"{name}.{step}" if name else step
            elif isinstance(rules.get("valuesrules"), Mapping):
                rules, name = rules["valuesrules"], f"{name}.<key>"
            else:
                return name or None if sub is None else None
        elif not isinstance(step, str) and "list" in kinds:
            if not isinstance(sub, Mapping) or "dict" not in types_of(sub):
                return name  # an element of a list of scalars is read as the list
            rules, name = sub, f"{name}[]"
        else:
            return None
    return name or None


def readers(ruleset: RuleSet) -> tuple[dict[str, dict[str, set[str]]], list[tuple[str, str]]]:
    """``{model: {field: {rule ids}}}`` (model ``fact``: fact names) and the (rule id, path)
    reads no schema field holds."""
    found: dict[str, dict[str, set[str]]] = {m: defaultdict(set) for m in (*MODELS, "fact")}
    unknown: list[tuple[str, str]] = []
    for rule in ruleset.rules:
        for read in rule_reads(rule):
            if read.model == "fact":
                found["fact"][read.steps[0]].add(rule.id)
                continue
            name = field_of(read.model, read.steps) if read.model in found else None
            if name is not None:
                found[read.model][name].add(rule.id)
            elif read.strict:
                unknown.append((rule.id, _dotted(read.steps)))
    return found, sorted(set(unknown))


def _dotted(steps: Steps) -> str:
    return ".".join("[*]" if s is STAR else (f"[{s}]" if isinstance(s, int) else s) for s in steps).replace(
        ".[", "["
    )
