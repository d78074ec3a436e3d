"""The library API: ``lint(paths, ...) -> Result``.  The CLI is a thin layer over it.

Documents are streamed: each is loaded, validated, evaluated and dropped;
contracts leave only a small summary behind for the portfolio (cross-check)
rules, which run once every file has been read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalog import RuleSet, load_rules
from .document import Document
from .documents import Input, Skipped, discover, load_document
from .engine import Evaluation, Tailoring, evaluate
from .errors import InputError
from .models import ErrorRecord, Finding, Result, Severity
from .portfolio import Portfolio
from .yamlio import MAX_BYTES


@dataclass
class LintOptions:
    """Everything a run can be told, with the defaults of a bare ``k12check lint``."""

    today: dt.date = field(default_factory=dt.date.today)
    fail_on: Severity = Severity.HIGH
    rule_dirs: Sequence[str | Path] = ()
    builtin_rules: bool = True
    schema: bool = True  # validate documents against the contract/district models
    tailoring: Tailoring = field(default_factory=Tailoring)
    max_bytes: int = MAX_BYTES
    import_options: Any = None
    progress: Callable[[int, str], None] | None = None  # called after each file


def lint(
    paths: Iterable[str | Path],
    options: LintOptions | None = None,
    *,
    rules: RuleSet | None = None,
    **overrides: Any,
) -> Result:
    """Check every file under ``paths``; never raises for bad input (errors are in the Result)."""
    opts = options or LintOptions()
    for key, value in overrides.items():
        setattr(opts, key, value)
    ruleset = rules if rules is not None else load_rules(opts.rule_dirs, builtin=opts.builtin_rules)
    result = Result(rules_loaded=len(ruleset.rules), today=opts.today.isoformat(), fail_on=opts.fail_on)
    result.errors.extend(ruleset.errors)
    portfolio = Portfolio(opts.today)
    findings: list[Finding] = []
    for n, item in enumerate(discover(paths), 1):
        if isinstance(item, InputError):
            result.errors.append(ErrorRecord(item.file, item.line, _tail(item)))
            continue
        evaluation = check_file(item, ruleset, opts, portfolio, result)
        if evaluation is not None:
            findings.extend(evaluation.findings)
            result.documents.append(evaluation.stats)
        if opts.progress is not None:
            opts.progress(n, item.display)
    for district in portfolio.districts:
        evaluation = evaluate(
            ruleset.rules,
            district,
            opts.today,
            opts.tailoring,
            schema=False,
            portfolio=portfolio.view(district),
            target="portfolio",
        )
        findings.extend(evaluation.findings)
        _merge_stats(result, evaluation)
    result.findings = sorted(findings)
    result.extra["skipped"] = sorted(result.extra.get("skipped", []))
    return result


def check_file(
    item: Input, ruleset: RuleSet, opts: LintOptions, portfolio: Portfolio, result: Result
) -> Evaluation | None:
    """Load and evaluate one file; record an error (and return None) when it cannot be read."""
    try:
        doc = load_document(item, max_bytes=opts.max_bytes, import_options=opts.import_options)
    except Skipped:
        result.extra.setdefault("skipped", []).append(item.display)
        return None
    except InputError as exc:
        result.errors.append(ErrorRecord(exc.file, exc.line, _tail(exc)))
        return None
    except RecursionError:
        result.errors.append(ErrorRecord(item.display, None, "input nests too deeply; flatten the document"))
        return None
    evaluation = evaluate(ruleset.rules, doc, opts.today, opts.tailoring, schema=opts.schema)
    portfolio.add(doc, opts.tailoring)
    return evaluation


def evaluate_document(doc: Document, ruleset: RuleSet, options: LintOptions | None = None) -> Evaluation:
    """Evaluate one already-loaded document (used by `rules test` and `explain`)."""
    opts = options or LintOptions()
    return evaluate(ruleset.rules, doc, opts.today, opts.tailoring, schema=opts.schema)


def _merge_stats(result: Result, evaluation: Evaluation) -> None:
    for stats in result.documents:
        if stats.file == evaluation.stats.file and stats.kind == evaluation.stats.kind:
            stats.passed.extend(evaluation.stats.passed)
            stats.failed.extend(evaluation.stats.failed)
            stats.not_applicable.extend(evaluation.stats.not_applicable)
            return
    result.documents.append(evaluation.stats)


def _tail(exc: InputError) -> str:
    return f"{exc.message}; {exc.hint}" if exc.hint else exc.message
