"""Find, validate and compile rules (``rules/<pack>/<ID>.yaml``).

Rule files are read in sorted order, validated by the strict Cerberus schema
``schemas/rule.yaml`` and compiled once (paths split, regexes compiled,
references bound).  A bad rule becomes an error naming the file, the line and
the allowed forms; the other rules still load.  Duplicate ids are errors.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import meta as jinja_meta

from . import filekinds, jurisdictions, messages
from .applicability import TABLE_FILE, bind, builtin_table
from .conditions import Cond, ConditionError, compile_condition
from .errors import InputError, RuleError
from .examplespec import check_examples
from .facts import FACTS, load_builtin_facts
from .messages import evidence
from .models import ErrorRecord, Reference, RuleMeta, Severity
from .resources import rules_dir
from .validate import validate
from .yamlio import MAX_BYTES, SourceMap, load_bytes

display = evidence  # how evidence reads in a message (kept under its old name)


@dataclass
class Escalation:
    severity: Severity
    states: frozenset[str] | None
    when: Cond | None


@dataclass
class Rule:
    """A compiled rule: metadata plus the evaluators."""

    meta: RuleMeta
    check: Cond | None
    applies: Cond | None = None
    escalate: list[Escalation] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    missing: str = "fail"
    message: str = ""
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    builtin: str | None = None
    line_of: SourceMap = field(default_factory=dict)
    terms: str | None = None  # set by checker.applicability.bind
    service_types: frozenset[str] | None = None
    id: str = field(init=False)
    _template: Any = None
    _cacheable: bool = False
    _cache: dict[str, str] = field(default_factory=dict)
    _packaged: bool = False

    def __post_init__(self) -> None:
        self.id = self.meta.id  # read on every evaluation: an attribute, not a property

    def render(self, **context: Any) -> str:
        """The finding message (Jinja2 sandbox; compiled on first use).

        Messages that read only the evidence (not the whole document or element)
        are memoized: thousands of findings share a handful of texts.
        """
        if self._template is None:
            self._template = messages.compile_message(self.message)
            used = jinja_meta.find_undeclared_variables(messages.ENVIRONMENT.parse(self.message))
            self._cacheable = not (used & {"doc", "item", "failures", "fact"})
            self._packaged = _packaged(self.meta.file)
        key = ""
        if self._cacheable:
            key = repr(
                (context.get("value"), context.get("expected"), context.get("path"), context.get("state"))
            )
            hit = self._cache.get(key)
            if hit is not None:
                return hit
        try:
            text = messages.render(self._template, context, timed=not self._packaged)
        except Exception as exc:  # a template error must never stop a run, nor reach a user
            text = messages.on_template_error(self.meta.title, context, exc)
        if self._cacheable and len(self._cache) < 4096:
            self._cache[key] = text
        return text


def _packaged(file: str) -> bool:
    """Whether a rule file is one of the rules shipped with k12check."""
    if not file:
        return False
    try:
        return Path(file).resolve().is_relative_to(rules_dir().resolve())
    except (OSError, ValueError):
        return False


@dataclass
class RuleSet:
    rules: list[Rule] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)

    @property
    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    def metas(self) -> dict[str, RuleMeta]:
        return {r.id: r.meta for r in self.rules}

    def digest(self) -> str:
        """sha256 over every rule file's bytes, in id order: which rules judged a run."""
        h = hashlib.sha256()
        for rule in self.rules:
            h.update(rule.id.encode() + b"\0")
            try:
                h.update(Path(rule.meta.file).read_bytes())
            except OSError:
                h.update(rule.meta.file.encode())
        return h.hexdigest()


def rule_files(directory: Path) -> list[Path]:
    """Rule files under ``directory`` (sorted; ``pack.yaml`` and the applicability table excluded)."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(directory, onerror=_unreadable_folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(
            Path(dirpath) / f
            for f in sorted(filenames)
            if f.endswith((".yaml", ".yml")) and f not in ("pack.yaml", "pack.yml", TABLE_FILE)
        )
    return sorted(found)


def _unreadable_folder(exc: OSError) -> None:
    raise filekinds.folder_error(exc, str(exc.filename or "?"))


def load_rules(extra_dirs: Iterable[str | Path] = (), *, builtin: bool = True) -> RuleSet:
    """Load the built-in packs (unless ``builtin=False``) and any extra rule folders."""
    load_builtin_facts()
    dirs = ([rules_dir()] if builtin else []) + [Path(d) for d in extra_dirs]
    out = RuleSet()
    seen: dict[str, str] = {}
    for directory in dirs:
        if not directory.is_dir():
            out.errors.append(ErrorRecord(str(directory), None, _no_folder(directory)))
            continue
        try:
            paths = rule_files(directory)
        except InputError as exc:  # a folder that cannot be listed: an error, never a silent skip
            out.errors.append(ErrorRecord(exc.file, exc.line, _tail(exc)))
            paths = []
        for path in paths:
            try:
                rule = load_rule_file(path)
            except InputError as exc:
                out.errors.append(ErrorRecord(exc.file, exc.line, _tail(exc)))
                continue
            if rule.id in seen:
                out.errors.append(
                    ErrorRecord(
                        str(path),
                        1,
                        f"duplicate rule id {rule.id} (also in {seen[rule.id]}); "
                        "rule ids are unique and never reused",
                    )
                )
                continue
            seen[rule.id] = str(path)
            out.rules.append(rule)
    out.rules.sort(key=lambda r: r.id)
    try:
        bind(out.rules, builtin_table())
    except InputError as exc:
        out.errors.append(ErrorRecord(exc.file, exc.line, _tail(exc)))
    return out


def _no_folder(directory: Path) -> str:
    why = filekinds.folder_problem(directory) or "not found"
    return (
        "rule folder not found; check --rules"
        if why.startswith("no such")
        else f"rule folder: {why}; check --rules"
    )


def _tail(exc: InputError) -> str:
    return f"{exc.message}; {exc.hint}" if exc.hint else exc.message


def load_rule_file(path: Path) -> Rule:
    """Read, validate and compile one rule file; RuleError on any problem."""
    file = str(path)
    loaded = load_bytes(filekinds.read_regular(path, file, MAX_BYTES), file)
    raw, smap = loaded.value, loaded.source_map
    if not isinstance(raw, dict):
        raise RuleError(file, "a rule file must be a mapping", "see docs/writing-rules.md", 1)
    issues = validate("rule", raw)
    if issues:
        first = issues[0]
        line = _line(smap, first.path)
        raise RuleError(file, first.message, "see docs/writing-rules.md for the rule format", line)
    if path.stem != raw["id"]:
        raise RuleError(file, f"file name must be the rule id ({raw['id']}.yaml)", "rename the file", 1)
    return compile_rule(raw, file, smap)


def _line(smap: SourceMap, path: str) -> int:
    while path and path not in smap:
        path = path.rsplit(".", 1)[0] if "." in path else ""
    return smap.get(path, (1, 1))[0]


def compile_rule(raw: Mapping[str, Any], file: str, smap: SourceMap) -> Rule:
    """Compile validated rule data; conditions are checked here (ConditionError → RuleError)."""
    params = dict(raw.get("params") or {})
    builtin = raw.get("builtin")
    if builtin is None and "check" not in raw:
        raise RuleError(
            file, "check is required (a condition that must hold)", "see docs/writing-rules.md", 1
        )
    if builtin is None and not (raw.get("examples") or {}).get("fail"):
        raise RuleError(file, "examples must have pass and fail lists", "add executable examples", 1)
    problems = check_examples(raw.get("examples") or {})
    if problems:
        kind, n, problem = problems[0]
        where = f"examples.{kind}[{n - 1}]"
        raise RuleError(file, f"{where}: {problem}", "see docs/writing-rules.md", _line(smap, where))
    key = "check"
    try:
        check = compile_condition(raw["check"], params, FACTS) if "check" in raw else None
        key = "applies"
        applies = compile_condition(raw["applies"], params, FACTS) if "applies" in raw else None
        key = "escalate"
        escalate = [_escalation(e, params) for e in raw.get("escalate") or []]
    except ConditionError as exc:
        raise RuleError(
            file, f"{key}: {exc}", "see docs/writing-rules.md#conditions", _line(smap, key)
        ) from None
    meta = RuleMeta(
        id=raw["id"],
        title=raw["title"],
        area=raw["area"],
        target=raw["target"],
        severity=Severity.parse(raw["severity"]),
        description=raw["description"].strip(),
        remediation=raw["remediation"].strip(),
        references=_references(raw["references"], file, smap),
        tags=tuple(raw.get("tags") or ()),
        states=tuple(raw.get("states") or ()),
        waivable=bool(raw.get("waivable", True)),
        file=file,
        params=tuple(sorted(params.items())),
    )
    return Rule(
        meta=meta,
        check=check,
        applies=applies,
        escalate=escalate,
        params=params,
        missing=raw.get("missing", "fail"),
        message=raw["message"],
        examples={k: list(v) for k, v in (raw.get("examples") or {}).items()},
        builtin=builtin,
        line_of=smap,
    )


def _references(raw: list[dict[str, Any]], file: str, smap: SourceMap) -> tuple[Reference, ...]:
    for i, r in enumerate(raw):
        if not jurisdictions.is_known(r["jurisdiction"]):
            raise RuleError(
                file,
                f"references[{i}].jurisdiction {r['jurisdiction']!r} is not a known law or framework",
                f"use one of {jurisdictions.ALLOWED_HINT} (see docs/writing-rules.md)",
                _line(smap, f"references[{i}].jurisdiction"),
            )
    return tuple(Reference(r["cite"], r.get("url"), r["jurisdiction"]) for r in raw)


def _escalation(raw: Mapping[str, Any], params: Mapping[str, Any]) -> Escalation:
    when = compile_condition(raw["when"], params, FACTS) if "when" in raw else None
    states = frozenset(raw["states"]) if "states" in raw else None
    if when is None and states is None:
        raise ConditionError("each escalate entry needs states: or when:")
    return Escalation(Severity.parse(raw["severity"]), states, when)
