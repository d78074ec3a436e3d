"""``k12check.yaml``: tailoring, gating classes and where the waivers and baseline live.

The file is found upward from the working directory (:func:`find_config`) or
named with ``--config``; :func:`load_config` validates it against the Cerberus
schema ``checker/schemas/config.yaml`` and reports the first problem as a
:class:`~checker.errors.ConfigError` with ``file:line``.  :func:`check_rules`
then checks it against the loaded rules (ids exist, parameters have the types of
the rule's defaults), which needs the rule set and so is a separate step.

Paths and globs in the file are relative to the file's folder, so a config means
the same thing from wherever the command runs.

Gating precedence (:func:`gate_class`), one rule, documented in
``docs/configuration.md``: **an id beats a severity; hard beats soft.**
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from . import filekinds
from .document import parent_path
from .errors import ConfigError, InputError
from .globs import glob_error, glob_match
from .models import SEVERITIES, Finding, RuleMeta, Severity, jsonable
from .yamlio import MAX_BYTES, SourceMap, load_bytes

CONFIG_NAME = "k12check.yaml"
DEFAULT_WARN_DAYS = 30

GateClass = Literal["hard", "soft"]

_FRIENDLY = {
    "text matching ^[A-Z]{2}$": "a two-letter state code in capitals (e.g. NY)",
    "text matching ^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$": "a rule id like BRCH-002",
    "text matching ^(critical|high|medium|low|info|[A-Z][A-Z0-9]*(-[A-Z0-9]+)+)$": (
        "a rule id like BRCH-002 or a severity (critical, high, medium, low, info)"
    ),
    "text matching ^[a-z][a-z0-9_]*$": "a parameter name in snake_case",
    "text matching ^[0-9a-fA-F]{8,64}$": "a finding fingerprint (hex, as in the JSON or SARIF output)",
}


@dataclass(frozen=True)
class DisableEntry:
    """``rules.disable`` item: a rule off everywhere (``files`` empty) or for some globs."""

    rule: str
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    """A validated ``k12check.yaml`` (the defaults when there is none)."""

    path: Path | None = None
    district_name: str | None = None
    state: str | None = None
    fail_on: Severity | None = None
    rule_paths: tuple[Path, ...] = ()
    disable: tuple[DisableEntry, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    hard_fail: frozenset[str] = frozenset()
    soft_fail: frozenset[str] = frozenset()
    waivers: Path | None = None
    baseline: Path | None = None
    waivers_warn_days: int = DEFAULT_WARN_DAYS
    csv_aliases: Mapping[str, str] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False)
    lines: SourceMap = field(default_factory=dict, compare=False, repr=False)

    @property
    def base_dir(self) -> Path:
        """The folder paths and globs are relative to (the config's, else the working one)."""
        return self.path.parent if self.path is not None else Path.cwd()

    @property
    def disabled_ids(self) -> frozenset[str]:
        """Rules turned off everywhere."""
        return frozenset(d.rule for d in self.disable if not d.files)

    def rule_enabled(self, rule: str, file: str) -> bool:
        """False when ``rules.disable`` turns ``rule`` off for ``file`` (a path as given)."""
        for entry in self.disable:
            if entry.rule == rule and (
                not entry.files or any(glob_match(file, g, self.base_dir) for g in entry.files)
            ):
                return False
        return True

    def line_of(self, dotted: str) -> int | None:
        """Line of ``dotted`` (or its nearest present parent) in the config file."""
        return line_in(self.lines, dotted)

    def as_record(self) -> dict[str, Any]:
        """The configuration as used, for the decision record."""
        return {"path": str(self.path) if self.path else None, "settings": jsonable(dict(self.raw))}


def find_config(start: Path) -> Path | None:
    """``k12check.yaml`` in ``start`` or the nearest parent folder.

    The search stops at the repository root (a folder holding ``.git``) so a stray
    file above the checkout never applies; ``None`` when there is none.
    """
    here = Path(os.path.abspath(start))
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists():
            return None
    return None


def load_config(path: Path | str) -> Config:
    """Read and validate ``path``; a :class:`ConfigError` (with its line) otherwise."""
    path = Path(path)
    raw, lines = read_mapping(path, "config")
    return _build(path, raw, lines)


def read_mapping(path: Path, schema: str) -> tuple[dict[str, Any], SourceMap]:
    """Load a YAML/JSON mapping and validate it against a bundled schema (ConfigError on failure)."""
    name = str(path)
    try:
        data = filekinds.read_regular(path, name, MAX_BYTES)  # no FIFO, device or link loop
        loaded = load_bytes(data, name, json_mode=path.suffix == ".json")
    except OSError as exc:
        raise ConfigError(name, f"cannot read the file ({exc.strerror or exc})", "check the path") from None
    except InputError as exc:
        if exc.message == "file is empty" and schema == "config":
            return {}, {}
        if exc.message.startswith("cannot read file ("):
            why = exc.message.replace("cannot read file", "cannot read the file", 1)
            raise ConfigError(name, why, "check the path") from None
        raise ConfigError(name, exc.message, exc.hint, exc.line) from None
    if not isinstance(loaded.value, dict):
        raise ConfigError(name, "the file must be a mapping of settings", "see docs/configuration.md", 1)
    from .validate import validate  # Cerberus: only paid for when a file is read

    issues = [_suggest(i, schema) for i in validate(schema, loaded.value)]
    if issues:
        issues.sort(key=lambda i: (line_in(loaded.source_map, i.path) or 0, i.path))
        first = issues[0]
        more = (
            f" (and {len(issues) - 1} more problem{'s' if len(issues) > 2 else ''})"
            if len(issues) > 1
            else ""
        )
        message = friendly(first.message)
        hint = _hint(schema)
        if _NUMBER_FOR_TEXT.search(message):  # fingerprint: 1234…, version: 2.0 and the like
            hint = "put the value in quotes (YAML reads a value of only digits as a number); " + hint
        raise ConfigError(name, message + more, hint, line_in(loaded.source_map, first.path))
    return loaded.value, loaded.source_map


_NUMBER_FOR_TEXT = re.compile(r"must be text \(got -?[0-9][0-9_.eE+-]*\)$")


def _suggest(issue: Any, schema: str) -> Any:
    """A "did you mean" for unknown fields inside list items, which ``validate`` misses.

    (``validate._fields_at`` unwraps a list's item schema twice; remove this once fixed.)
    """
    if issue.kind != "unknown" or "did you mean" in issue.message or not issue.path:
        return issue
    from .validate import load_schema

    fields: Any = load_schema(schema)
    rule: Any = {}
    for part in re.findall(r"[^.\[\]]+", parent_path(issue.path)):
        rule = (rule.get("schema") or {}) if part.isdigit() else (fields.get(part) or {})
        kinds = rule.get("type") if isinstance(rule.get("type"), list) else [rule.get("type")]
        fields = (rule.get("schema") or {}) if "dict" in kinds else {}
    field_name = issue.path.rsplit(".", 1)[-1]
    hint = did_you_mean(field_name, [str(k) for k in fields]) if isinstance(fields, dict) else ""
    if not hint:
        return issue
    return replace(issue, message=re.sub(r" \(known: [^)]*\)$", "", issue.message) + ":" + hint[1:])


def friendly(message: str) -> str:
    for raw, nice in _FRIENDLY.items():
        message = message.replace(raw, nice)
    return message


def _hint(schema: str) -> str:
    return {"config": "see docs/configuration.md", "waivers": "see docs/waivers.md"}.get(schema, "")


def line_in(lines: Mapping[str, tuple[int, int]], dotted: str) -> int | None:
    probe = dotted
    while True:
        if probe in lines:
            return lines[probe][0]
        if not probe:
            return None
        probe = parent_path(probe)


def _build(path: Path, raw: dict[str, Any], lines: SourceMap) -> Config:
    base = path.parent
    district = raw.get("district") or {}
    rules = raw.get("rules") or {}
    waivers = raw.get("waivers")
    warn_days = raw.get("waivers_warn_days")
    if isinstance(waivers, dict):
        nested = waivers.get("warn_days")
        if nested is not None and warn_days is not None and nested != warn_days:
            raise ConfigError(str(path), f"waivers.warn_days ({nested}) and waivers_warn_days ({warn_days}) "
                              "disagree", "keep one of them", line_in(lines, "waivers.warn_days"))  # fmt: skip
        warn_days = nested if nested is not None else warn_days
        waivers = waivers.get("file")
    return Config(
        path=path,
        district_name=district.get("name"),
        state=district.get("state"),
        fail_on=Severity.parse(raw["fail_on"]) if "fail_on" in raw else None,
        rule_paths=tuple(base / p for p in rules.get("paths", ())),
        disable=tuple(_disable(path, item, i, lines) for i, item in enumerate(rules.get("disable", ()))),
        severity={k: Severity.parse(v) for k, v in (rules.get("severity") or {}).items()},
        params={k: dict(v) for k, v in (rules.get("params") or {}).items()},
        hard_fail=frozenset(raw.get("hard_fail", ())),
        soft_fail=frozenset(raw.get("soft_fail", ())),
        waivers=base / waivers if waivers else None,
        baseline=base / raw["baseline"] if raw.get("baseline") else None,
        waivers_warn_days=DEFAULT_WARN_DAYS if warn_days is None else int(warn_days),
        csv_aliases=dict((raw.get("import") or {}).get("csv_aliases") or {}),
        raw=raw,
        lines=lines,
    )


def _disable(path: Path, item: str | dict[str, Any], i: int, lines: SourceMap) -> DisableEntry:
    if isinstance(item, str):
        return DisableEntry(item)
    files = item["files"]
    globs = (files,) if isinstance(files, str) else tuple(files)
    for glob in globs:
        problem = glob_error(glob)
        if problem:
            where = line_in(lines, f"rules.disable[{i}].files")
            raise ConfigError(str(path), problem, "use *, ? and **/ (see docs/configuration.md)", where)
    return DisableEntry(item["rule"], globs)


def gate_class(finding: Finding, config: Config) -> GateClass | None:
    """``"hard"``, ``"soft"`` or ``None`` (the ``fail_on`` threshold decides) for ``finding``.

    Precedence — an id beats a severity; hard beats soft:

    1. the rule id is in ``hard_fail`` → hard
    2. the rule id is in ``soft_fail`` → soft
    3. the finding's severity is in ``hard_fail`` → hard
    4. the finding's severity is in ``soft_fail`` → soft

    A severity names that severity only (list ``[critical, high]`` for both).
    """
    for key in (finding.rule, finding.severity.label):
        if key in config.hard_fail:
            return "hard"
        if key in config.soft_fail:
            return "soft"
    return None


def check_rules(config: Config, rules: Mapping[str, RuleMeta]) -> None:
    """Check the rule ids and parameters the config names against the loaded rules."""
    named: list[tuple[str, str]] = [(f"rules.disable[{i}]", d.rule) for i, d in enumerate(config.disable)]
    named += [(f"rules.severity.{r}", r) for r in config.severity]
    named += [(f"rules.params.{r}", r) for r in config.params]
    for key in ("hard_fail", "soft_fail"):
        named += [(key, r) for r in sorted(getattr(config, key)) if r not in SEVERITIES]
    for where, rule in named:
        if rule not in rules:
            _fail(
                config,
                where,
                f"unknown rule {rule!r}{did_you_mean(rule, rules)}",
                "list rules with k12check rules list",
            )
    for rule, values in config.params.items():
        _check_params(config, rules[rule], values)


def _check_params(config: Config, meta: RuleMeta, values: Mapping[str, Any]) -> None:
    defaults = dict(meta.params)
    for name, value in values.items():
        where = f"rules.params.{meta.id}.{name}"
        if name not in defaults:
            known = ", ".join(sorted(defaults)) or "none"
            _fail(config, where, f"{meta.id} has no parameter {name!r}{did_you_mean(name, defaults)} (known: {known})",
                  "use one of the rule's parameters (k12check rules show " + meta.id + ")")  # fmt: skip
        want = defaults[name]
        if not same_kind(value, want):
            _fail(config, where, f"{where} must be {kind_name(want)} like the default {want!r} (got {value!r})",
                  "give a value of the default's type")  # fmt: skip


def same_kind(value: Any, default: Any) -> bool:
    """Does ``value`` have the type of ``default``?  Numbers mix; bools are not numbers."""
    if default is None:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    if isinstance(default, (list, tuple)):
        return isinstance(value, (list, tuple))
    return isinstance(value, type(default))


def kind_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (list, tuple)):
        return "a list"
    names: dict[type, str] = {str: "text", dict: "a mapping"}
    return names.get(type(value), type(value).__name__)


def did_you_mean(name: str, known: Mapping[str, Any] | list[str]) -> str:
    hint = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"; did you mean {hint[0]!r}?" if hint else ""


def _fail(config: Config, where: str, message: str, hint: str) -> None:
    raise ConfigError(str(config.path or CONFIG_NAME), message, hint, config.line_of(where))
