"""The rule condition language (docs/writing-rules.md), compiled once per rule.

:func:`compile_condition` turns a condition mapping into a tree of small
evaluator objects; a malformed condition raises :class:`ConditionError` naming
the allowed forms.  Evaluation returns ``(status, failures)`` with status
:data:`HOLD`, :data:`FAIL` or :data:`SKIP` (not applicable).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from .durations import convert, field_unit
from .operators import OPERATORS, TYPE_CHECKS
from .paths import Path, PathSyntaxError

HOLD, FAIL, SKIP = 0, 1, 2
MISSING_POLICIES = ("fail", "pass", "skip")
FORMS = "path + comparison, all, any, not, each, count, fact + comparison, contract_exists"
COMPARISONS = ", ".join(OPERATORS)
REF_KEYS = ("param", "path", "fact", "today_plus_days", "today_minus_days", "min", "max", "first")


class ConditionError(ValueError):
    """A condition that is not one of the allowed forms."""


@dataclass(frozen=True)
class Failure:
    """Where a condition did not hold, with the evidence."""

    path: str
    value: Any
    expected: Any
    op: str
    element: str = ""  # inside `each`: the element's path (one finding per element)
    label: str = ""  # a fact read at a document path (`at:`): ``fact:NAME``, for the evidence


class Env:
    """What evaluation may read: the document, params, facts, the date, the portfolio."""

    __slots__ = ("facts", "missing", "params", "partial", "portfolio", "root", "skip_elements", "today")

    def __init__(
        self,
        root: Any,
        params: Mapping[str, Any],
        facts: Any,
        today: dt.date,
        missing: str = "fail",
        portfolio: Any = None,
    ) -> None:
        self.root = root
        self.params = params
        self.facts = facts
        self.today = today
        self.missing = missing
        self.portfolio = portfolio
        # Judging an element marked `partial: true` (a policy record from a file that names
        # no device group): a setting it lacks is unknown, not absent, so comparisons skip.
        self.partial = False
        # `each` elements holding an invalid value the rule reads (``devices[3]``): not judged.
        self.skip_elements: frozenset[str] = frozenset()


# ---- references -------------------------------------------------------------------------


class Ref:
    def get(self, env: Env, base: Any, base_path: str) -> Any:
        raise NotImplementedError


class Lit(Ref):
    def __init__(self, value: Any) -> None:
        self.value = value

    def get(self, env: Env, base: Any, base_path: str) -> Any:
        return self.value


class ParamRef(Ref):
    def __init__(self, name: str) -> None:
        self.name = name

    def get(self, env: Env, base: Any, base_path: str) -> Any:
        return env.params.get(self.name)


class PathRef(Ref):
    def __init__(self, path: Path) -> None:
        self.path = path

    def get(self, env: Env, base: Any, base_path: str) -> Any:
        return self.path.first(base, base_path, env.root)[1]


class FactRef(Ref):
    def __init__(self, name: str) -> None:
        self.name = name

    def get(self, env: Env, base: Any, base_path: str) -> Any:
        return env.facts.get(self.name, env.root)


class TodayPlus(Ref):
    def __init__(self, days: Ref, sign: int = 1) -> None:
        self.days, self.sign = days, sign

    def get(self, env: Env, base: Any, base_path: str) -> Any:
        days = self.days.get(env, base, base_path)
        if isinstance(days, bool) or not isinstance(days, (int, float)):
            return None
        return env.today + dt.timedelta(days=self.sign * int(days))


class First(Ref):
    """The first value that is not null (a district threshold, else the rule's default)."""

    def __init__(self, refs: list[Ref]) -> None:
        self.refs = refs

    def get(self, env: Env, base: Any, base_path: str) -> Any:
        for ref in self.refs:
            value = ref.get(env, base, base_path)
            if value is not None:
                return value
        return None


class Extreme(Ref):
    def __init__(self, refs: list[Ref], pick: Any) -> None:
        self.refs, self.pick = refs, pick

    def get(self, env: Env, base: Any, base_path: str) -> Any:
        values = [v for r in self.refs if (v := r.get(env, base, base_path)) is not None]
        return self.pick(values) if values else None


def compile_ref(raw: Any, known_params: Mapping[str, Any], facts: Mapping[str, Any]) -> Ref:
    """A literal, or one of ``{param|path|fact|today_plus_days|min|max: ...}``."""
    if not (isinstance(raw, dict) and len(raw) == 1 and next(iter(raw)) in REF_KEYS):
        return Lit(raw)
    ((kind, arg),) = raw.items()
    if kind == "param":
        if arg not in known_params:
            raise ConditionError(f"unknown param {arg!r}: declare it under params:")
        return ParamRef(arg)
    if kind == "path":
        return PathRef(_path(arg))
    if kind == "fact":
        if arg not in facts:
            raise ConditionError(f"unknown fact {arg!r} (known: {', '.join(sorted(facts))})")
        return FactRef(arg)
    if kind in ("today_plus_days", "today_minus_days"):
        return TodayPlus(compile_ref(arg, known_params, facts), 1 if kind == "today_plus_days" else -1)
    if not isinstance(arg, list) or not arg:
        raise ConditionError(f"{kind}: takes a non-empty list of values or references")
    refs = [compile_ref(a, known_params, facts) for a in arg]
    if kind == "first":
        return First(refs)
    return Extreme(refs, min if kind == "min" else max)


def _path(text: Any) -> Path:
    if not isinstance(text, str) or not text:
        raise ConditionError(f"a path must be text like a.b[*].c (got {text!r})")
    try:
        return Path(text)
    except PathSyntaxError as exc:
        raise ConditionError(str(exc)) from None


# ---- conditions -------------------------------------------------------------------------

Outcome = tuple[int, list[Failure]]
_OK: Outcome = (HOLD, [])


class Cond:
    anchor = ""  # the first path the condition reads (for `not` and explanations)

    def eval(self, env: Env, base: Any, base_path: str) -> Outcome:
        raise NotImplementedError


class Compare(Cond):
    """``path`` (or ``fact``) plus one comparison."""

    def __init__(
        self, op: str, expected: Ref, path: Path | None, fact: str | None, missing: str | None
    ) -> None:
        self.op, self.fn, self.expected = op, OPERATORS[op], expected
        self.path, self.fact, self.missing = path, fact, missing
        self.at = ""  # fact conditions: the document path findings point at (`at:`)
        self.label = ""  # with `at:`, ``fact:NAME``: the value is the fact's, not the path's
        self.anchor = path.text if path else ""
        # a duration field (unit in its name): {value, unit} and qualitative promises are converted
        self.unit = field_unit(path.text) if path is not None and not path.has_star else None

    def values(self, env: Env, base: Any, base_path: str) -> list[tuple[str, Any]]:
        if self.path is None:
            return [(self.at or base_path, env.facts.get(self.fact, env.root))]
        return list(self.path.resolve(base, base_path, env.root))

    def judge(self, value: Any, expected: Any, env: Env) -> int:
        """HOLD, FAIL or SKIP for one value (the missing-value policy applies to null)."""
        if value is None and env.partial and not (self.op == "exists" and expected is False):
            return SKIP  # a partial record: what it lacks is unknown
        if value is None and self.op != "exists":
            policy = self.missing or env.missing
            return HOLD if policy == "pass" else (SKIP if policy == "skip" else FAIL)
        try:
            return HOLD if self.fn(value, expected) else FAIL
        except (TypeError, ValueError, KeyError):
            return FAIL

    def eval(self, env: Env, base: Any, base_path: str) -> Outcome:
        expected = self.expected.get(env, base, base_path)
        if expected is None and self.op != "exists":
            return (SKIP, [])
        path = self.path
        if path is not None and not path.has_star and not base_path and not path.absolute:
            # the hot path: one value at a known path from the document root
            value: Any = base
            for step in path.steps:
                if type(value) is dict:
                    value = value.get(step)
                elif isinstance(value, list) and isinstance(step, int) and -len(value) <= step < len(value):
                    value = value[step]
                else:
                    value = None
                    break
            if self.unit is not None and (type(value) is dict or type(value) is str):
                value = convert(value, self.unit)
            verdict = self.judge(value, expected, env)
            if verdict == FAIL:
                return (FAIL, [Failure(path.canonical, value, expected, self.op)])
            return (verdict, [])
        status, failures = HOLD, []
        for where, value in self.values(env, base, base_path):
            if self.unit is not None and (type(value) is dict or type(value) is str):
                value = convert(value, self.unit)
            verdict = self.judge(value, expected, env)
            if verdict == FAIL:
                status = FAIL
                failures.append(Failure(where, value, expected, self.op, label=self.label))
            elif verdict == SKIP and status == HOLD:
                status = SKIP
        return (status, failures)


class All(Cond):
    def __init__(self, parts: list[Cond]) -> None:
        self.parts = parts
        self.anchor = parts[0].anchor

    def eval(self, env: Env, base: Any, base_path: str) -> Outcome:
        status, failures = HOLD, []
        for part in self.parts:
            s, f = part.eval(env, base, base_path)
            if s == FAIL:
                status = FAIL
                failures.extend(f)
            elif s == SKIP and status == HOLD:
                status = SKIP
        return (status, failures)


class AnyOf(Cond):
    def __init__(self, parts: list[Cond]) -> None:
        self.parts = parts
        self.anchor = parts[0].anchor

    def eval(self, env: Env, base: Any, base_path: str) -> Outcome:
        first_fail: list[Failure] | None = None
        skipped = False
        for part in self.parts:
            s, f = part.eval(env, base, base_path)
            if s == HOLD:
                return _OK
            if s == FAIL and first_fail is None:
                first_fail = f
            skipped = skipped or s == SKIP
        if first_fail is not None and not (skipped and env.partial):  # unknown or false: unknown
            return (FAIL, first_fail)
        return (SKIP, []) if skipped else _OK


class Not(Cond):
    def __init__(self, part: Cond) -> None:
        self.part = part
        self.anchor = part.anchor

    def eval(self, env: Env, base: Any, base_path: str) -> Outcome:
        s, _ = self.part.eval(env, base, base_path)
        if s == SKIP:
            return (SKIP, [])
        if s == FAIL:
            return _OK
        path, value = base_path, None
        if self.anchor:
            path, value = Path(self.anchor).first(base, base_path, env.root)
        return (FAIL, [Failure(path, value, None, "not")])


class Each(Cond):
    """One failure per element whose ``check`` does not hold."""

    def __init__(self, path: Path, where: Cond | None, check: Cond | None, missing: str | None) -> None:
        self.path, self.where, self.check, self.missing = path, where, check, missing
        self.anchor = path.text

    def elements(self, env: Env, base: Any, base_path: str) -> tuple[str, Any]:
        return self.path.first(base, base_path, env.root)

    def eval(self, env: Env, base: Any, base_path: str) -> Outcome:
        list_path, items = self.elements(env, base, base_path)
        if not isinstance(items, list):
            policy = self.missing or env.missing
            if items is None and policy != "fail":
                return (SKIP, []) if policy == "skip" else _OK
            return (FAIL, [Failure(list_path, items, "a list", "each")])
        status, failures = HOLD, list[Failure]()
        for n, item in enumerate(items):
            ipath = f"{list_path}[{n}]"
            if env.skip_elements and ipath in env.skip_elements:
                status = SKIP if status == HOLD else status  # cannot judge this element
                continue
            if self.where is not None and self.where.eval(env, item, ipath)[0] != HOLD:
                continue
            if self.check is None:
                continue
            if type(item) is dict and item.get("partial") is True:
                outer, env.partial = env.partial, True
                try:
                    s, f = self.check.eval(env, item, ipath)
                finally:
                    env.partial = outer
            else:
                s, f = self.check.eval(env, item, ipath)
            if s == FAIL:
                status = FAIL
                failures.extend(x if x.element else replace(x, element=ipath) for x in f)
        return (status, failures)


class Count(Cond):
    def __init__(self, path: Path, where: Cond | None, op: str, expected: Ref) -> None:
        self.path, self.where, self.op, self.expected = path, where, op, expected
        self.anchor = path.text

    def eval(self, env: Env, base: Any, base_path: str) -> Outcome:
        list_path, items = self.path.first(base, base_path, env.root)
        items = items if isinstance(items, list) else []
        n = sum(
            1
            for i, item in enumerate(items)
            if self.where is None or self.where.eval(env, item, f"{list_path}[{i}]")[0] == HOLD
        )
        expected = self.expected.get(env, base, base_path)
        if expected is None:
            return (SKIP, [])
        try:
            ok = OPERATORS[self.op](n, expected)
        except (TypeError, ValueError):
            ok = False
        return _OK if ok else (FAIL, [Failure(list_path, n, expected, self.op)])


class ContractExists(Cond):
    """Portfolio: some contract summary matches ``match`` (and ``where``)."""

    def __init__(self, match: dict[str, Ref], where: Cond | None) -> None:
        self.match, self.where = match, where
        self.anchor = ""

    def eval(self, env: Env, base: Any, base_path: str) -> Outcome:
        wanted = {k: r.get(env, base, base_path) for k, r in self.match.items()}
        if any(v is None for v in wanted.values()):
            return (FAIL, [Failure(base_path, None, wanted, "contract_exists")])
        for contract in (env.portfolio or {}).get("contracts", []):
            matched = all(_dig(contract, k) == v or _listed(_dig(contract, k), v) for k, v in wanted.items())
            if matched and (self.where is None or self.where.eval(env, contract, "")[0] == HOLD):
                return _OK
        return (FAIL, [Failure(base_path, wanted, "a signed, unexpired contract", "contract_exists")])


def _dig(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _listed(container: Any, value: Any) -> bool:
    return isinstance(container, list) and value in container


# ---- compiling --------------------------------------------------------------------------


def compile_condition(raw: Any, params: Mapping[str, Any], facts: Mapping[str, Any]) -> Cond:
    """Compile a condition mapping; :class:`ConditionError` names the allowed forms."""
    if not isinstance(raw, dict) or not raw:
        raise ConditionError(f"a condition must be a mapping with one of: {FORMS} (got {raw!r})")
    keys = set(raw)
    for form, builder in _BUILDERS:
        if form in keys:
            return builder(raw, params, facts)
    raise ConditionError(f"unknown condition keys {sorted(keys)}; allowed forms: {FORMS}")


def _sub(raw: Any, params: Mapping[str, Any], facts: Mapping[str, Any]) -> Cond:
    return compile_condition(raw, params, facts)


def _only(raw: dict[str, Any], allowed: set[str], form: str) -> None:
    extra = set(raw) - allowed
    if extra:
        raise ConditionError(f"{form}: unexpected keys {sorted(extra)} (allowed: {sorted(allowed)})")


def _missing(raw: dict[str, Any]) -> str | None:
    policy = raw.get("missing")
    if policy is not None and policy not in MISSING_POLICIES:
        raise ConditionError(f"missing: must be one of {', '.join(MISSING_POLICIES)} (got {policy!r})")
    return policy


def _comparison(raw: dict[str, Any], skip: set[str], form: str) -> str:
    ops = [k for k in raw if k not in skip]
    if len(ops) != 1 or ops[0] not in OPERATORS:
        raise ConditionError(f"{form} needs exactly one comparison of: {COMPARISONS} (got {sorted(ops)})")
    return ops[0]


def _expected(op: str, arg: Any, params: Mapping[str, Any], facts: Mapping[str, Any]) -> Ref:
    if op == "matches":
        if not isinstance(arg, str):
            raise ConditionError("matches: takes a regular expression as text")
        try:
            return Lit(re.compile(arg))
        except re.error as exc:
            raise ConditionError(f"matches: invalid regular expression {arg!r} ({exc})") from None
    if op == "type" and arg not in TYPE_CHECKS:
        raise ConditionError(f"type: must be one of {', '.join(TYPE_CHECKS)} (got {arg!r})")
    if op == "exists" and not isinstance(arg, bool):
        raise ConditionError("exists: takes true or false")
    return compile_ref(arg, params, facts)


def _build_compare(raw: dict[str, Any], params: Mapping[str, Any], facts: Mapping[str, Any]) -> Cond:
    form = "path" if "path" in raw else "fact"
    op = _comparison(raw, {form, "missing", "at"} if form == "fact" else {form, "missing"}, form)
    if form == "fact" and raw["fact"] not in facts:
        raise ConditionError(f"unknown fact {raw['fact']!r} (known: {', '.join(sorted(facts))})")
    path = _path(raw["path"]) if form == "path" else None
    fact = raw["fact"] if form == "fact" else None
    cond = Compare(op, _expected(op, raw[op], params, facts), path, fact, _missing(raw))
    if "at" in raw:
        cond.at = _path(raw["at"]).canonical
        cond.label = f"fact:{cond.fact}"
    return cond


def _build_group(raw: dict[str, Any], params: Mapping[str, Any], facts: Mapping[str, Any]) -> Cond:
    form = "all" if "all" in raw else "any"
    _only(raw, {form}, form)
    parts = raw[form]
    if not isinstance(parts, list) or not parts:
        raise ConditionError(f"{form}: takes a non-empty list of conditions")
    compiled = [_sub(p, params, facts) for p in parts]
    return All(compiled) if form == "all" else AnyOf(compiled)


def _build_not(raw: dict[str, Any], params: Mapping[str, Any], facts: Mapping[str, Any]) -> Cond:
    _only(raw, {"not"}, "not")
    return Not(_sub(raw["not"], params, facts))


def _opt(raw: dict[str, Any], key: str, params: Mapping[str, Any], facts: Mapping[str, Any]) -> Cond | None:
    return _sub(raw[key], params, facts) if key in raw else None


def _build_each(raw: dict[str, Any], params: Mapping[str, Any], facts: Mapping[str, Any]) -> Cond:
    _only(raw, {"each", "where", "check", "missing"}, "each")
    if "check" not in raw:
        raise ConditionError("each: needs a check: condition for every element")
    return Each(
        _path(raw["each"]),
        _opt(raw, "where", params, facts),
        _opt(raw, "check", params, facts),
        _missing(raw),
    )


def _build_count(raw: dict[str, Any], params: Mapping[str, Any], facts: Mapping[str, Any]) -> Cond:
    op = _comparison(raw, {"count", "where"}, "count")
    if op not in ("lt", "lte", "gt", "gte", "equals", "not_equals"):
        raise ConditionError("count: takes one numeric comparison (lt, lte, gt, gte, equals, not_equals)")
    return Count(
        _path(raw["count"]), _opt(raw, "where", params, facts), op, compile_ref(raw[op], params, facts)
    )


def _build_exists(raw: dict[str, Any], params: Mapping[str, Any], facts: Mapping[str, Any]) -> Cond:
    _only(raw, {"contract_exists"}, "contract_exists")
    spec = raw["contract_exists"]
    if not isinstance(spec, dict) or not isinstance(spec.get("match"), dict) or not spec["match"]:
        raise ConditionError("contract_exists: needs match: {contract.path: value or reference}")
    _only(spec, {"match", "where"}, "contract_exists")
    match = {str(k): compile_ref(v, params, facts) for k, v in spec["match"].items()}
    return ContractExists(match, _opt(spec, "where", params, facts))


_BUILDERS = (
    ("all", _build_group),
    ("any", _build_group),
    ("not", _build_not),
    ("each", _build_each),
    ("count", _build_count),
    ("contract_exists", _build_exists),
    ("path", _build_compare),
    ("fact", _build_compare),
)
