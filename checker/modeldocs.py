"""Generate the data-model references (``docs/contract-model.md``, ``docs/district-model.md``).

The pages are derived from the Cerberus schemas (field, type, unit, allowed values,
nullable, the schema's own trailing comment) and from the rules: which rules read a
field is found by walking each rule's compiled conditions (``check``, ``applies`` and
``escalate.when``), so the reference cannot drift from what the rules really read.

Each page keeps a hand-written part above :data:`MARKER`; only the part below it is
regenerated.  A test compares the committed pages with :func:`generate`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any

from .catalog import RuleSet
from .modelreads import MODELS, readers, types_of
from .resources import schemas_dir
from .validate import load_schema
from .yamlio import SourceMap, load_bytes

MARKER = "<!-- generated below by `k12check rules model-docs --out docs/`; edit only above this line -->"

# Units follow from the last name part (contracts.md §1 conventions); longest suffix first.
UNITS = (
    ("_per_device_month_usd", "US dollars per device per month"),
    ("_per_device_usd", "US dollars per device"),
    ("_hourly_usd", "US dollars per hour"),
    ("_annual_usd", "US dollars per year"),
    ("_usd", "US dollars"),
    ("_pct", "percent (0-100)"),
    ("_business_days", "business days"),
    ("_months_per_year", "months per year"),
    ("_days", "days"),
    ("_hours", "hours"),
    ("_minutes", "minutes"),
    ("_months", "months"),
    ("_fte", "full-time equivalents"),
    ("_count", "count"),
)
PATTERNS = {
    "^[A-Z]{2}$": "two capital letters (a state code)",
    "^[a-z0-9][a-z0-9._-]*$": "lower case letters, digits, `.`, `_`, `-`",
    "^[a-z][a-z0-9_]*$": "lower case snake_case",
    "^(UTC|[A-Za-z]+(/[A-Za-z0-9_+-]+)+)$": "an IANA time zone such as `America/Chicago`, or `UTC`",
}


@dataclass(frozen=True)
class Field:
    """One documented field of a model."""

    path: str  # dotted, list elements as []: contract.products[].app_ids
    type: str
    unit: str
    values: str
    nullable: bool
    required: bool
    note: str


# ---- the schema side ------------------------------------------------------------------------


def fields(model: str) -> list[Field]:
    """Every field of a model's schema, in schema order (parents before children)."""
    smap = load_bytes((FilePath(schemas_dir()) / f"{model}.yaml").read_bytes(), model).source_map
    lines = (FilePath(schemas_dir()) / f"{model}.yaml").read_text(encoding="utf-8").splitlines()
    return list(_fields(load_schema(model), "", "", smap, lines))


def _fields(
    schema: Mapping[str, Any], prefix: str, spath: str, smap: SourceMap, lines: list[str]
) -> Iterator[Field]:
    for key, rules in schema.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        here = f"{spath}.{key}" if spath else str(key)
        yield _field(name, key, rules, _note(smap, here, lines))
        yield from _children(name, rules, here, smap, lines)


def _children(
    name: str, rules: Mapping[str, Any], here: str, smap: SourceMap, lines: list[str]
) -> Iterator[Field]:
    sub = rules.get("schema")
    if isinstance(sub, Mapping) and types_of(rules) == ["list"]:
        if isinstance(sub.get("schema"), Mapping) and "dict" in types_of(sub):
            yield from _fields(sub["schema"], f"{name}[]", f"{here}.schema.schema", smap, lines)
    elif isinstance(sub, Mapping):
        yield from _fields(sub, name, f"{here}.schema", smap, lines)
    values = rules.get("valuesrules")
    if isinstance(values, Mapping) and not isinstance(sub, Mapping):
        key = "<key>"
        yield _field(f"{name}.{key}", key, values, _note(smap, f"{here}.valuesrules", lines))
        yield from _children(f"{name}.{key}", values, f"{here}.valuesrules", smap, lines)


def _field(name: str, key: str, rules: Mapping[str, Any], note: str) -> Field:
    return Field(
        path=name,
        type=_type_text(rules),
        unit=unit_of(key if key != "<key>" else ""),
        values=_values_text(rules),
        nullable=bool(rules.get("nullable")),
        required=bool(rules.get("required")),
        note=note,
    )


def unit_of(name: str) -> str:
    """The unit a field name's suffix announces ('' when none)."""
    probe = "_" + name
    return next((unit for suffix, unit in UNITS if probe.endswith(suffix)), "")


def _type_text(rules: Mapping[str, Any]) -> str:
    names = [{"dict": "mapping", "float": "number"}.get(t, t) for t in types_of(rules)] or ["any"]
    text = " or ".join(names)
    sub = rules.get("schema")
    if names == ["list"] and isinstance(sub, Mapping):
        inner = types_of(sub)
        text = "list of " + ("mappings" if inner == ["dict"] else " or ".join(inner) or "any")
    return text


def _values_text(rules: Mapping[str, Any]) -> str:
    sub = rules.get("schema") if types_of(rules) == ["list"] else None
    source = sub if isinstance(sub, Mapping) and "allowed" in sub else rules
    parts = []
    if "allowed" in source:
        parts.append(", ".join(f"`{v}`" for v in source["allowed"]))
    low, high = rules.get("min"), rules.get("max")
    if low is not None and high is not None:
        parts.append(f"{low} to {high}")
    elif low is not None:
        parts.append(f"at least {low}")
    elif high is not None:
        parts.append(f"at most {high}")
    if "regex" in rules:
        pattern = str(rules["regex"])
        parts.append(PATTERNS.get(pattern, "pattern (see the schema)" if "|" in pattern else f"`{pattern}`"))
    keys = rules.get("keysrules")
    if isinstance(keys, Mapping) and "regex" in keys:
        parts.append("keys: " + PATTERNS.get(str(keys["regex"]), f"`{keys['regex']}`"))
    return "; ".join(parts)


def _note(smap: SourceMap, spath: str, lines: list[str]) -> str:
    """The trailing ``# comment`` on the field's line of the schema file, if any."""
    where = smap.get(spath)
    if where is None or where[0] > len(lines):
        return ""
    return _comment(lines[where[0] - 1])


def _comment(line: str) -> str:
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[i + 1 :].strip()
    return ""


# ---- the pages --------------------------------------------------------------------------------

TITLES = {"contract": "The contract model", "district": "The district model"}


def page_name(model: str) -> str:
    return f"{model}-model.md"


def generate(ruleset: RuleSet, docs_dir: FilePath) -> dict[str, str]:
    """``{file name: text}`` of every model page; the hand-written part above :data:`MARKER` is kept."""
    found, _ = readers(ruleset)
    return {page_name(m): _page(m, header_of(docs_dir / page_name(m), m), found) for m in MODELS}


def header_of(file: FilePath, model: str) -> str:
    """The hand-written part of a page: above the marker (the whole page if it has none)."""
    if not file.is_file():
        return f"# {TITLES[model]}\n"
    text = file.read_text(encoding="utf-8")
    return text.split(MARKER, 1)[0].rstrip() + "\n"


def _page(model: str, header: str, found: Mapping[str, Mapping[str, set[str]]]) -> str:
    reads = found[model]
    out = [header.rstrip(), "", MARKER, "", "## Field reference", "", _INTRO.format(model=model), ""]
    for group, rows in _groups(fields(model)):
        out += [f"### {group}", "", "| field | type | unit | values | nullable | read by | note |",
                "|---|---|---|---|---|---|---|"]  # fmt: skip
        out += [_row(f, reads.get(f.path, set())) for f in rows]
        out.append("")
    out += _facts_section(model, found["fact"])
    return "\n".join(out).rstrip() + "\n"


_INTRO = (
    "Generated from `checker/schemas/{model}.yaml` and the rules by `k12check rules model-docs "
    "--out docs/`; a test fails when this part is stale. **unit** follows from the name's suffix; "
    "**read by** lists the rules whose conditions (`check`, `applies`, `escalate`) read the field "
    "directly — rules that read a derived fact are listed under [Facts read by rules](#facts-read-by-rules); "
    "**note** is the schema's own comment. `[]` stands for every element of a list and `<key>` for any key "
    "of a free-form mapping."
)


def _groups(items: Iterable[Field]) -> list[tuple[str, list[Field]]]:
    """Fields by top-level section; top-level scalars (``kind``, ``schema_version``) first."""
    groups: dict[str, list[Field]] = {}
    for f in items:
        top = f.path.split(".", 1)[0].split("[", 1)[0]
        scalar = f.path == top and not f.type.startswith(("mapping", "list"))
        groups.setdefault("Top level" if scalar else f"`{top}`", []).append(f)
    return list(groups.items())


def _row(f: Field, rules: set[str]) -> str:
    kind = f.type + (" (required)" if f.required else "")
    read_by = ", ".join(f"[{r}](rules/{r}.md)" for r in sorted(rules)) or "—"
    cells = [f"`{f.path}`", kind, f.unit, f.values, "yes" if f.nullable else "no", read_by, f.note]
    return "| " + " | ".join(_cell(x) for x in cells) + " |"


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


def _facts_section(model: str, facts: Mapping[str, set[str]]) -> list[str]:
    from .facts import FACTS, load_builtin_facts

    load_builtin_facts()
    names = sorted(n for n in facts if n in FACTS and model in FACTS[n].kinds)
    out = ["## Facts read by rules", ""]
    if not names:
        return [*out, "No rule reads a derived fact of this model.", ""]
    out += ["Derived facts are documented functions over the whole document (`k12check rules facts`).", "",
            "| fact | what it is | read by |", "|---|---|---|"]  # fmt: skip
    for name in names:
        doc = " ".join(FACTS[name].doc.split())
        read_by = ", ".join(f"[{r}](rules/{r}.md)" for r in sorted(facts[name]))
        out.append(f"| `{name}` | {_cell(doc)} | {read_by} |")
    return [*out, ""]
