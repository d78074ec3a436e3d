"""A fast path for schema validation, compiled from the same Cerberus schemas.

Cerberus stays the schema language and the reference semantics; it costs about
2.8x a YAML parse per contract.  This module compiles a schema once into nested
closures that answer only "is this document valid?" with Cerberus's verdict, so
the common case (a valid document) never builds a Cerberus validator run.  When
the answer is "invalid", :mod:`checker.validate` asks Cerberus for the detailed
issues.  ``tests/test_fastschema.py`` checks, with Hypothesis, that both agree.

Only the rules our schemas use are compiled (``SUPPORTED``); a schema using any
other rule compiles to ``None`` and validation falls back to Cerberus entirely.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence, Sized
from typing import Any

Check = Callable[[Any], bool]

SUPPORTED = frozenset(
    {"type", "nullable", "required", "allowed", "min", "max", "minlength", "maxlength", "regex", "empty",
     "schema", "keysrules", "valuesrules", "meta", "allow_unknown"}
)  # fmt: skip

# Cerberus 1.3's types_mapping as checker.validate.StrictValidator sets it: (included, excluded).
_TYPES: dict[str, tuple[tuple[type, ...], tuple[type, ...]]] = {
    "boolean": ((bool,), ()),
    "date": ((dt.date,), ()),
    "datetime": ((dt.datetime,), ()),
    "dict": ((Mapping,), ()),
    "float": ((float, int), (bool,)),
    "integer": ((int,), (bool,)),
    "list": ((Sequence,), (str,)),
    "number": ((int, float), (bool,)),
    "string": ((str,), ()),
}


class Unsupported(Exception):
    """The schema uses a rule this compiler does not know; use Cerberus."""


def compile_schema(schema: Mapping[str, Any]) -> Check | None:
    """A validity check for whole documents, or None when the schema needs Cerberus."""
    try:
        return _mapping(schema)
    except Unsupported:
        return None


def _mapping(schema: Mapping[str, Any], allow_unknown: Any = False) -> Check:
    inherited = allow_unknown if isinstance(allow_unknown, bool) else False
    specs = {name: _spec(rules, inherited) for name, rules in schema.items()}
    required = frozenset(name for name, rules in schema.items() if rules.get("required"))
    if isinstance(allow_unknown, Mapping):
        other: _Spec | None = _spec(allow_unknown, False)
    else:
        other = (True, None, (), None, ()) if allow_unknown else None

    def check(value: Any) -> bool:
        if not isinstance(value, Mapping):
            return False
        for key, item in value.items():
            spec = specs.get(key, other)
            if spec is None:
                return False
            if item is None:
                if spec[0]:
                    continue
                return False
            inc = spec[1]
            bad_type = inc is not None and not (isinstance(item, inc) and not isinstance(item, spec[2]))
            if bad_type and (spec[3] is None or not spec[3](item)):
                return False
            for fn in spec[4]:
                if not fn(item):
                    return False
        return not required or required.issubset(value.keys())

    return check


# (nullable, included types or None, excluded types, full type check for multi-type rules, value checks)
_Spec = tuple[bool, "tuple[type, ...] | None", "tuple[type, ...]", "Check | None", "tuple[Check, ...]"]


def _spec(rules: Mapping[str, Any], inherited: bool) -> _Spec:
    """A field's rules as a tuple the mapping loop reads inline (no call for the common case)."""
    unknown = set(rules) - SUPPORTED
    if unknown:
        raise Unsupported(sorted(unknown))
    spec = rules.get("type")
    names = [] if spec is None else ([spec] if isinstance(spec, str) else list(spec))
    for name in names:
        if name not in _TYPES:
            raise Unsupported(name)
    if len(names) == 1:
        inc, exc = _TYPES[names[0]]
        multi = None
    elif names:
        inc, exc, multi = (object,), (object,), _type(names)  # always falls through to `multi`
    else:
        inc, exc, multi = None, (), None
    if "empty" in rules:
        checks: tuple[Check, ...] = (_field(rules, inherited),)
        return (bool(rules.get("nullable", False)), None, (), None, checks)
    return (
        bool(rules.get("nullable", False)),
        inc,
        exc,
        multi,
        tuple(c for _, c in _value_checks(rules, inherited)),
    )


def _field(rules: Mapping[str, Any], inherited: bool = False) -> Check:
    """A standalone check for one value (list items, keys and values of mappings)."""
    unknown = set(rules) - SUPPORTED
    if unknown:
        raise Unsupported(sorted(unknown))
    nullable = bool(rules.get("nullable", False))
    type_ok = _type(rules.get("type"))
    checks = _value_checks(rules, inherited)
    empty_rule = rules.get("empty")
    checks_when_empty = [
        c for name, c in checks if name not in ("allowed", "minlength", "maxlength", "regex")
    ]
    plain = [c for _, c in checks]

    def check(value: Any) -> bool:
        if value is None:
            return nullable
        if type_ok is not None and not type_ok(value):
            return False
        active = plain
        if empty_rule is not None and isinstance(value, Sized) and len(value) == 0:
            if not empty_rule:
                return False
            active = checks_when_empty
        return all(c(value) for c in active)

    return check


def _type(spec: Any) -> Check | None:
    if spec is None:
        return None
    names = [spec] if isinstance(spec, str) else list(spec)
    pairs = []
    for name in names:
        if name not in _TYPES:
            raise Unsupported(name)
        pairs.append(_TYPES[name])

    def check(value: Any) -> bool:
        return any(isinstance(value, inc) and not isinstance(value, exc) for inc, exc in pairs)

    return check


def _value_checks(rules: Mapping[str, Any], inherited: bool) -> list[tuple[str, Check]]:
    out: list[tuple[str, Check]] = []
    for name, arg in rules.items():
        if name in _NESTED:
            out.append((name, _NESTED[name](arg, rules, inherited)))
        elif name in _MAKERS:
            out.append((name, _MAKERS[name](arg, rules)))
    return out


def _allowed(arg: Any, rules: Mapping[str, Any]) -> Check:
    allowed = list(arg)

    def check(value: Any) -> bool:
        if isinstance(value, Iterable) and not isinstance(value, str):
            return all(x in allowed for x in value)
        return value in allowed

    return check


def _bound(arg: Any, below: bool) -> Check:
    def check(value: Any) -> bool:
        try:
            return not (value < arg if below else value > arg)
        except TypeError:
            return True

    return check


def _length(arg: int, below: bool) -> Check:
    def check(value: Any) -> bool:
        if not isinstance(value, Iterable) or not isinstance(value, Sized):
            return True
        return not (len(value) < arg if below else len(value) > arg)

    return check


def _regex(arg: str, rules: Mapping[str, Any]) -> Check:
    pattern = re.compile(arg if arg.endswith("$") else arg + "$")
    return lambda value: not isinstance(value, str) or pattern.match(value) is not None


def _container(kind: Any) -> str | None:
    """The container ("dict" or "list") a field with a ``schema`` rule holds.

    A multi-type field (a duration: ``[integer, string, dict]``) may hold one
    container kind; its ``schema`` applies to that kind only, as in Cerberus.
    """
    if kind in ("dict", "list"):
        return str(kind)
    if isinstance(kind, list):
        found = [k for k in kind if k in ("dict", "list")]
        return found[0] if len(found) == 1 else None
    return None


def _schema(arg: Any, rules: Mapping[str, Any], inherited: bool) -> Check:
    kind = _container(rules.get("type"))
    if kind is None:
        raise Unsupported("schema without a dict or list type")
    if kind == "dict":
        inner = _mapping(arg, rules.get("allow_unknown", inherited))
        return lambda value: not isinstance(value, Mapping) or inner(value)
    item = _field(arg, inherited)

    def check(value: Any) -> bool:
        if not isinstance(value, Sequence) or isinstance(value, str):
            return True
        return all(item(x) for x in value)

    return check


def _keys(arg: Any, rules: Mapping[str, Any], inherited: bool) -> Check:
    inner = _field(arg, inherited)
    return lambda value: not isinstance(value, Mapping) or all(inner(k) for k in value)


def _values(arg: Any, rules: Mapping[str, Any], inherited: bool) -> Check:
    inner = _field(arg, inherited)
    return lambda value: not isinstance(value, Mapping) or all(inner(v) for v in value.values())


_MAKERS: dict[str, Callable[[Any, Mapping[str, Any]], Check]] = {
    "allowed": _allowed,
    "min": lambda a, r: _bound(a, True),
    "max": lambda a, r: _bound(a, False),
    "minlength": lambda a, r: _length(a, True),
    "maxlength": lambda a, r: _length(a, False),
    "regex": _regex,
}
_NESTED: dict[str, Callable[[Any, Mapping[str, Any], bool], Check]] = {
    "schema": _schema,
    "keysrules": _keys,
    "valuesrules": _values,
}


# ---- issues: where and why a document is invalid ---------------------------------------
#
# For invalid documents, the (path, kind, rule) of every error, mirroring Cerberus's
# error tree; ``tests/test_fastschema.py`` compares both on generated documents.

Problem = tuple[tuple[Any, ...], str, Any, Any]  # (path parts, rule, constraint, value)


def problems(schema: Mapping[str, Any], document: Any) -> list[Problem]:
    """Every validation error of ``document``: (path, rule, constraint, value)."""
    out: list[Problem] = []
    _mapping_problems(schema, document, (), False, out)
    return out


def _mapping_problems(schema: Mapping[str, Any], value: Any, path: tuple[Any, ...], allow: Any,
                      out: list[Problem]) -> None:  # fmt: skip
    inherited = allow if isinstance(allow, bool) else False
    for key, item in value.items():
        rules = schema.get(key)
        if rules is None:
            if isinstance(allow, Mapping):
                _field_problems(allow, item, (*path, key), False, out)
            elif not allow:
                out.append(((*path, key), "unknown", None, item))
            continue
        _field_problems(rules, item, (*path, key), inherited, out)
    for key, rules in schema.items():
        if rules.get("required") and key not in value:
            out.append(((*path, key), "required", True, None))


def _field_problems(rules: Mapping[str, Any], value: Any, path: tuple[Any, ...], inherited: bool,
                    out: list[Problem]) -> None:  # fmt: skip
    if value is None:
        if not rules.get("nullable", False):
            out.append((path, "nullable", False, None))
        return
    kind = rules.get("type")
    if kind is not None and not _type(kind)(value):  # type: ignore[misc]
        out.append((path, "type", kind, value))
        return
    skip: tuple[str, ...] = ()
    if "empty" in rules and isinstance(value, Sized) and len(value) == 0:
        if not rules["empty"]:
            out.append((path, "empty", False, value))
        skip = ("allowed", "minlength", "maxlength", "regex")
    for name, arg in rules.items():
        if name in skip:
            continue
        if name in _MAKERS and not _MAKERS[name](arg, rules)(value):
            out.append((path, name, arg, value))
        elif name == "schema":
            _nested_problems(arg, rules, value, path, inherited, out)
        elif name in ("keysrules", "valuesrules") and isinstance(value, Mapping):
            for k, v in value.items():
                target = k if name == "keysrules" else v
                _field_problems(arg, target, (*path, k), inherited, out)


def _nested_problems(arg: Any, rules: Mapping[str, Any], value: Any, path: tuple[Any, ...], inherited: bool,
                     out: list[Problem]) -> None:  # fmt: skip
    kind = _container(rules.get("type"))
    if kind == "dict" and isinstance(value, Mapping):
        _mapping_problems(arg, value, path, rules.get("allow_unknown", inherited), out)
    elif kind == "list" and isinstance(value, Sequence) and not isinstance(value, str):
        for n, item in enumerate(value):
            _field_problems(arg, item, (*path, n), inherited, out)
