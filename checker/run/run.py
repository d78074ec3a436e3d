"""``run()``: discover → load → validate → evaluate → cross-check → waive → baseline → outcome.

Each step is one call below; the executor does the per-file steps (load,
validate, evaluate) in this process or in workers.  Nothing here raises for bad
input: unreadable or malformed files are error records in the outcome, and every
other file is still checked.  Configuration and rule errors do raise
(:class:`~checker.errors.K12Error`): a run cannot start without its rules.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import selection
from ..catalog import RuleSet, load_rules
from ..config import Config, check_rules, find_config, load_config
from ..documents import discover
from ..engine import Tailoring, evaluate
from ..errors import InputError
from ..findings import FindingsBuilder, scratch_error, scratch_file
from ..gate import decide
from ..models import GateVerdict, Severity
from ..portfolio import Portfolio
from . import executor, policy
from .executor import Job
from .options import RunOptions
from .outcome import RunOutcome

_SUMMARIES_IN_MEMORY = 1 << 20  # bytes of pickled contract summaries (~1,000) before they go to disk


def run(
    paths: Iterable[str | Path],
    options: RunOptions | None = None,
    *,
    rules: RuleSet | None = None,
    **overrides: Any,
) -> RunOutcome:
    """Check every file under ``paths``; never raises for bad input (errors are in the outcome).

    ``overrides`` are :class:`RunOptions` fields (``run(paths, today=...)``).  ``rules``
    replaces loading the rule folders (tests and benchmarks pass a set they loaded
    once); the configuration's tailoring still applies.
    """
    opts = replace(options or RunOptions(), **overrides)
    paths = list(paths)
    config, every, job = prepare(opts, rules)
    ruleset = job.ruleset  # the rules --select / --ignore leave in
    outcome = RunOutcome(
        rules_loaded=len(ruleset.rules),
        today=job.today.isoformat(),
        fail_on=_first(opts.fail_on, config.fail_on, Severity.HIGH),
        ruleset=ruleset,
        config=config,
        tailoring=job.tailoring,
    )
    outcome.errors.extend(ruleset.errors)
    if len(ruleset.rules) != len(every.rules) or opts.select or opts.ignore:
        chosen = selection.parse(opts.select, opts.ignore)
        outcome.notes.append(f"{chosen.describe()}: {len(ruleset.rules)} of {len(every.rules)} rules checked")
    items = _discover(paths, opts, outcome)
    findings = FindingsBuilder(spill_at=opts.spill_at)
    portfolio = Portfolio(job.today)
    with scratch_file("k12check-contracts-", in_memory=_SUMMARIES_IN_MEMORY) as summaries:
        kept = 0
        for batch in _progress(executor.batches(items, job, opts.jobs), len(items), opts):
            findings.extend(batch.findings)
            outcome.documents.extend(batch.documents)
            outcome.errors.extend(batch.errors)
            outcome.skipped.extend(batch.skipped)
            outcome.kept.extend(batch.kept)
            portfolio.districts.extend(batch.districts)
            try:
                summaries.writelines(batch.contracts)
            except OSError as exc:
                raise scratch_error(exc) from None
            kept += len(batch.contracts)
        if portfolio.districts:  # the cross-checks read every contract's summary at once
            summaries.seek(0)
            portfolio.contracts = [pickle.load(summaries) for _ in range(kept)]
    _cross_check(portfolio, job, outcome, findings)
    outcome.findings = findings.finish()
    outcome.skipped.sort()
    policy.waive(outcome, opts, paths, job.today, every)
    policy.baseline(outcome, opts)
    if opts.gate:
        outcome.gate = decide(outcome, outcome.classify, empty_ok=opts.empty_ok)
        outcome.decision = GateVerdict(outcome.gate.verdict, outcome.gate.reasons)
    return outcome


def prepare(opts: RunOptions, rules: RuleSet | None = None) -> tuple[Config, RuleSet, Job]:
    """The configuration, every rule loaded, and what checking a file needs (with the rules
    ``--select`` / ``--ignore`` leave in); ConfigError, RuleError and UsageError surface here."""
    config = _config(opts)
    if rules is None:
        rules = load_rules([*config.rule_paths, *opts.rule_dirs], builtin=opts.builtin_rules)
    check_rules(config, rules.metas())
    tailoring = Tailoring(
        params=config.params,
        severity=config.severity,
        disabled=config.disabled_ids,
        state=config.state,
        file_filter=config.rule_enabled if any(d.files for d in config.disable) else None,
    )
    chosen = selection.apply(rules, selection.parse(opts.select, opts.ignore))
    job = Job(
        ruleset=chosen,
        today=opts.resolved_today(),
        tailoring=tailoring,
        schema=opts.schema,
        any_shape=not opts.schema and not opts.builtin_rules,
        max_bytes=opts.max_bytes,
        import_options=_import_options(opts, config),
        summaries=any(rule.meta.target == "portfolio" for rule in chosen.rules),
        keep_documents=opts.keep_documents,
    )
    return config, rules, job


def _config(opts: RunOptions) -> Config:
    """The named config, else k12check.yaml found upward from here, else the defaults."""
    path = opts.config
    if path is None and opts.find_config:
        path = find_config(Path.cwd())
    return load_config(path) if path is not None else Config()


def _discover(paths: list[str | Path], opts: RunOptions, outcome: RunOutcome) -> list[executor.Item]:
    """The files to check, as plain strings until their turn; missing paths are errors."""
    items: list[executor.Item] = []
    for item in discover(paths):
        if isinstance(item, InputError):
            outcome.errors.append(executor.error_record(item))
        elif opts.only is None or item.path.resolve() in opts.only:
            path = str(item.path)
            items.append((path, path if item.display == path else item.display, item.explicit))
    return items


def _progress(batches: Iterator[executor.Batch], total: int, opts: RunOptions) -> Iterator[executor.Batch]:
    done = 0
    for batch in batches:
        done += batch.count
        yield batch
        if opts.progress is not None:
            opts.progress(done, total, batch.last)


def _cross_check(portfolio: Portfolio, job: Job, outcome: RunOutcome, findings: FindingsBuilder) -> None:
    """Portfolio rules: each district against the summaries of every contract."""
    for district in portfolio.districts:
        evaluation = evaluate(
            job.ruleset.rules,
            district,
            job.today,
            job.tailoring,
            schema=False,
            portfolio=portfolio.view(district),
            target="portfolio",
        )
        findings.extend(evaluation.findings)
        for stats in outcome.documents:
            if stats.file == evaluation.stats.file and stats.kind == evaluation.stats.kind:
                stats.merge(evaluation.stats)
                break
        else:
            outcome.documents.append(evaluation.stats)


def _first(*values: Any) -> Any:
    """The first value that is not None (``Severity.INFO`` is 0, so ``or`` would skip it)."""
    return next(v for v in values if v is not None)


def _import_options(opts: RunOptions, config: Config) -> Any:
    from ..importers import ImportOptions

    kwargs: dict[str, Any] = {}
    if opts.audience:
        kwargs["audience"] = opts.audience
    if config.csv_aliases:
        kwargs["alias_overrides"] = dict(config.csv_aliases)
    return ImportOptions(**kwargs)
