"""Schema validation with Cerberus, reported as issues at dotted paths.

Cerberus is the schema language and the reference semantics.  Its errors are
flattened into :class:`Issue` values (``unknown``, ``type``, ``value``,
``required``) with a message in the project's one shape
(``<field> must be <expected> (got <actual>)``) and, for unknown fields, a
"did you mean" suggestion from the schema.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import cerberus

from .fastschema import Problem, compile_schema, problems
from .resources import schemas_dir
from .yamlio import join_key, load_bytes

UNKNOWN, TYPE, VALUE, REQUIRED = "unknown", "type", "value", "required"


@dataclass(frozen=True)
class Issue:
    """One schema problem: where, what kind, and a one-line explanation."""

    path: str
    kind: str
    message: str
    value: Any = None


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    """A bundled Cerberus schema (``checker/schemas/<name>.yaml``) as a mapping."""
    path = Path(schemas_dir()) / f"{name}.yaml"
    loaded = load_bytes(path.read_bytes(), str(path)).value
    return loaded if isinstance(loaded, dict) else {}


class StrictValidator(cerberus.Validator):
    """Cerberus with numbers that are never booleans (``true`` is not 1 hour)."""

    types_mapping: ClassVar[dict[str, Any]] = {
        **cerberus.Validator.types_mapping,
        "integer": cerberus.TypeDefinition("integer", (int,), (bool,)),
        "float": cerberus.TypeDefinition("float", (float, int), (bool,)),
    }


@functools.cache
def validator(name: str) -> cerberus.Validator:
    """A reusable strict validator for the named schema."""
    return StrictValidator(load_schema(name), allow_unknown=False)


@functools.cache
def fast_check(name: str) -> Callable[[Any], bool] | None:
    """The compiled validity check for the named schema (None: Cerberus only)."""
    return compile_schema(load_schema(name))


@functools.cache
def has_schema(name: str) -> bool:
    return (Path(schemas_dir()) / f"{name}.yaml").is_file()


def validate(name: str, document: Mapping[str, Any]) -> list[Issue]:
    """Issues of ``document`` against the named schema (empty when valid).

    The compiled fast path answers for valid documents; Cerberus, the reference,
    explains invalid ones.
    """
    if not has_schema(name):  # a model without a bundled schema is not validated
        return []
    fast = fast_check(name)
    if fast is not None:
        if fast(document):
            return []
        schema = load_schema(name)
        return sorted(
            _issues_from_problems(problems(schema, document), schema), key=lambda i: (i.path, i.kind)
        )
    v = validator(name)
    if v.validate(dict(document)):
        return []
    return sorted(issues_of(v, load_schema(name)), key=lambda i: (i.path, i.kind))


def _issues_from_problems(found: list[Problem], schema: Mapping[str, Any]) -> Iterator[Issue]:
    for parts, rule, constraint, value in found:
        path = dotted(parts)
        field = path or "document"
        if rule == "unknown":
            yield Issue(path, UNKNOWN, _unknown_message(parts, schema), value)
        elif rule == "required":
            yield Issue(path, REQUIRED, f"{field} is required (got nothing)")
        elif rule in ("type", "nullable"):
            want = constraint if rule == "type" else "a value"
            yield Issue(path, TYPE, f"{field} must be {_kind(want)} (got {_show(value)})", value)
        else:
            yield Issue(
                path, VALUE, f"{field} must be {_expect(rule, constraint)} (got {_show(value)})", value
            )


def issues_of(v: cerberus.Validator, schema: Mapping[str, Any]) -> Iterator[Issue]:
    for err in v._errors:
        yield from _leaves(err, schema)


def _leaves(err: Any, schema: Mapping[str, Any]) -> Iterator[Issue]:
    if err.is_group_error:
        for child in err.child_errors or ():
            yield from _leaves(child, schema)
        return
    path = dotted(err.document_path)
    field = path or "document"
    if err.code == cerberus.errors.UNKNOWN_FIELD.code:
        yield Issue(path, UNKNOWN, _unknown_message(err.document_path, schema), err.value)
    elif err.rule == "required":
        yield Issue(path, REQUIRED, f"{field} is required (got nothing)")
    elif err.rule in ("type", "nullable"):
        want = err.constraint if err.rule == "type" else "a value"
        yield Issue(path, TYPE, f"{field} must be {_kind(want)} (got {_show(err.value)})", err.value)
    else:
        yield Issue(
            path,
            VALUE,
            f"{field} must be {_expect(err.rule, err.constraint)} (got {_show(err.value)})",
            err.value,
        )


def dotted(parts: tuple[Any, ...]) -> str:
    out = ""
    for p in parts:
        out = f"{out}[{p}]" if isinstance(p, int) else join_key(out, str(p))
    return out


def _unknown_message(parts: tuple[Any, ...], schema: Mapping[str, Any]) -> str:
    name = str(parts[-1]) if parts else "?"
    known = sorted(_fields_at(schema, parts[:-1]))
    hint = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    where = dotted(parts[:-1]) or "the top level"
    text = f"unknown field {name!r} under {where}"
    if hint:
        return f"{text}: did you mean {hint[0]!r}?"
    return f"{text} (known: {', '.join(known[:12])}{', …' if len(known) > 12 else ''})"


def _fields_at(schema: Mapping[str, Any], parts: tuple[Any, ...]) -> list[str]:
    """Field names the schema allows at ``parts`` (a mapping inside dicts and lists)."""
    fields: Any = schema  # the current mapping's field rules
    rules: Any = {}  # the rules of the value just stepped into
    for p in parts:
        if isinstance(p, int):
            rules = rules.get("schema", {}) if isinstance(rules, dict) and rules.get("type") == "list" else {}
        else:
            rules = fields.get(p, {}) if isinstance(fields, dict) else {}
        fields = rules.get("schema", {}) if isinstance(rules, dict) and rules.get("type") == "dict" else {}
    return [str(k) for k in fields] if isinstance(fields, dict) else []


_KINDS = {
    "integer": "a whole number",
    "float": "a number",
    "number": "a number",
    "boolean": "true or false",
    "string": "text",
    "date": "a date (YYYY-MM-DD)",
    "datetime": "a date and time",
    "dict": "a mapping",
    "list": "a list",
}


def _kind(want: Any) -> str:
    if isinstance(want, (list, tuple)):
        return " or ".join(_KINDS.get(w, str(w)) for w in want)
    return _KINDS.get(str(want), str(want))


def _expect(rule: str | None, constraint: Any) -> str:
    if rule == "allowed":
        return "one of " + ", ".join(str(c) for c in constraint)
    if rule in ("min", "minlength"):
        return f"at least {constraint}"
    if rule in ("max", "maxlength"):
        return f"at most {constraint}"
    if rule == "regex":
        words = re.fullmatch(r"\^\(([a-z_|]+)\)\$", str(constraint))
        if words:  # a closed list of words (a qualitative duration): name them
            return "a number, {value, unit} or one of " + ", ".join(words.group(1).split("|"))
        return f"text matching {constraint}"
    if rule == "empty":
        return "non-empty"
    return f"valid for {rule} {constraint!r}"


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
