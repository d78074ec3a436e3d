"""JSON Schema (draft 2020-12) derived from the Cerberus schemas, for editors.

``k12check schema contract`` prints it; with a ``# yaml-language-server: $schema=...``
line at the top of a file, editors validate and complete as the user types.
Cerberus stays the reference: this export is a faithful subset (types, enums,
ranges, patterns, required and unknown fields).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .validate import load_schema

DIALECT = "https://json-schema.org/draft/2020-12/schema"
NAMES = ("contract", "district", "config", "waivers", "rule")

_TYPES = {"string": "string", "integer": "integer", "float": "number", "number": "number", "boolean": "boolean",
          "dict": "object", "list": "array", "date": "string", "datetime": "string"}  # fmt: skip
_FORMATS = {"date": "date", "datetime": "date-time"}


def export(name: str) -> dict[str, Any]:
    """The JSON Schema of a bundled Cerberus schema."""
    body = _object(load_schema(name), allow_unknown=False)
    return {"$schema": DIALECT, "$id": f"https://k12check.invalid/schemas/{name}.schema.json",
            "title": f"k12check {name}", **body}  # fmt: skip


def _object(schema: Mapping[str, Any], allow_unknown: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": {k: _field(r) for k, r in schema.items()}}
    required = sorted(k for k, r in schema.items() if r.get("required"))
    if required:
        out["required"] = required
    if isinstance(allow_unknown, Mapping):
        out["additionalProperties"] = _field(allow_unknown)
    elif not allow_unknown:
        out["additionalProperties"] = False
    return out


def _field(rules: Mapping[str, Any]) -> dict[str, Any]:
    kinds = rules.get("type")
    names = [] if kinds is None else ([kinds] if isinstance(kinds, str) else list(kinds))
    out: dict[str, Any] = {}
    types = sorted({_TYPES[n] for n in names if n in _TYPES})
    if rules.get("nullable") and types:
        types.append("null")
    if types:
        out["type"] = types[0] if len(types) == 1 else types
    if len(names) == 1 and names[0] in _FORMATS:
        out["format"] = _FORMATS[names[0]]
    meta = rules.get("meta")
    if isinstance(meta, Mapping) and "description" in meta:
        out["description"] = str(meta["description"])
    is_list = "list" in names
    if "allowed" in rules:
        enum = list(rules["allowed"])
        if is_list:
            out.setdefault("items", {})["enum"] = enum
        else:
            out["enum"] = enum + ([None] if rules.get("nullable") else [])
    for rule, key in (("min", "minimum"), ("max", "maximum")):
        if rule in rules:
            out[key] = rules[rule]
    for rule, key in (("minlength", "min"), ("maxlength", "max")):
        if rule in rules:
            out[f"{key}Items" if is_list else f"{key}Length"] = rules[rule]
    if "regex" in rules:
        pattern = str(rules["regex"])
        out["pattern"] = (
            ("" if pattern.startswith("^") else "^") + pattern + ("" if pattern.endswith("$") else "$")
        )
    if rules.get("empty") is False:
        out["minLength"] = max(1, out.get("minLength", 1))
    sub = rules.get("schema")
    if isinstance(sub, Mapping):
        if "dict" in names:
            out.update(
                {k: v for k, v in _object(sub, rules.get("allow_unknown", False)).items() if k != "type"}
            )
        elif is_list:
            out["items"] = {**_field(sub), **out.get("items", {})}
    if "keysrules" in rules:
        out["propertyNames"] = _field(rules["keysrules"])
    if "valuesrules" in rules:
        out["additionalProperties"] = _field(rules["valuesrules"])
    return out
