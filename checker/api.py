"""The library API: ``lint(paths, ...) -> Result``.  The CLI is a thin layer over it.

Documents are streamed: each is loaded, validated, evaluated and dropped;
contracts leave only a small summary behind for the portfolio (cross-check)
rules, which run once every file has been read.  What a run keeps per file is
its :class:`DocumentStats` (about 0.3 KB) and, only when the rules have a
portfolio rule, that summary, pickled (in memory for the first megabyte, then in a
temporary file) until the end.
Findings go to a :class:`~checker.findings.FindingsBuilder`, which keeps at most
a few thousand in memory and sorts the rest on disk, so memory stays flat
however many files a run reads.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .catalog import RuleSet, load_rules
from .document import Document
from .documents import Input, Skipped, discover, load_document
from .engine import Evaluation, Tailoring, evaluate
from .errors import InputError
from .findings import FindingsBuilder, scratch_error, scratch_file
from .models import DocumentStats, ErrorRecord, Finding, Result, Severity
from .portfolio import Portfolio
from .runlimits import cpu_count
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
    progress: Callable[[int, int, str], None] | None = None  # (done, total, last file) after each batch
    jobs: int = 1  # worker processes; >1 splits the files into chunks
    only: frozenset[Path] | None = None  # resolved paths to keep (--changed-since); None keeps all
    spill_at: int | None = None  # findings kept in memory before sorted runs go to disk (None: SPILL_AT)


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
    findings = FindingsBuilder(spill_at=opts.spill_at)
    items: list[tuple[str, str, bool]] = []  # Inputs as plain strings until their turn (~0.2 KB)
    for item in discover(paths):
        if isinstance(item, InputError):
            result.errors.append(ErrorRecord(item.file, item.line, _tail(item)))
        elif opts.only is None or item.path.resolve() in opts.only:
            path = str(item.path)
            items.append((path, path if item.display == path else item.display, item.explicit))
    total = len(items)
    summaries = any(rule.meta.target == "portfolio" for rule in ruleset.rules)
    chunks = _chunks(items)  # hands the Inputs out and forgets them
    if opts.jobs > 1 and total >= 2 * _CHUNK:
        batches = _parallel(chunks, ruleset, opts, summaries)
    else:
        batches = (_check_batch(chunk, ruleset, opts, summaries) for chunk in chunks)
    done = 0
    with scratch_file("k12check-contracts-", in_memory=_SUMMARIES_IN_MEMORY) as contracts:
        kept = 0
        for batch in batches:
            findings.extend(batch.findings)
            result.documents.extend(batch.documents)
            result.errors.extend(batch.errors)
            result.extra.setdefault("skipped", []).extend(batch.skipped)
            portfolio.merge(batch.portfolio)
            try:
                contracts.writelines(batch.contracts)
            except OSError as exc:
                raise scratch_error(exc) from None
            kept += len(batch.contracts)
            done += batch.count
            if opts.progress is not None:
                opts.progress(done, total, batch.last)
        if portfolio.districts:  # the cross-checks read every contract's summary at once
            contracts.seek(0)
            portfolio.contracts = [pickle.load(contracts) for _ in range(kept)]
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
    result.findings = findings.finish()
    result.extra["skipped"] = sorted(result.extra.get("skipped", []))
    return result


@dataclass
class Batch:
    """What checking some files produced (picklable, for worker processes)."""

    findings: list[Finding] = field(default_factory=list)
    documents: list[DocumentStats] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    portfolio: Portfolio | None = None  # district documents
    contracts: list[bytes] = field(default_factory=list)  # pickled contract summaries
    count: int = 0
    last: str = ""


def _check_batch(
    items: Sequence[Input], ruleset: RuleSet, opts: LintOptions, summaries: bool = True
) -> Batch:
    batch = Batch(portfolio=Portfolio(opts.today))
    for item in items:
        evaluation = check_file(item, ruleset, opts, batch)
        if evaluation is not None:
            batch.findings.extend(evaluation.findings)
            batch.documents.append(evaluation.stats)
        assert batch.portfolio is not None
        if batch.portfolio.contracts:  # the summary check_file just made: kept pickled, or not at all
            summary = batch.portfolio.contracts.pop()
            if summaries:
                batch.contracts.append(pickle.dumps(summary, pickle.HIGHEST_PROTOCOL))
        batch.count += 1
        batch.last = item.display
    return batch


def _chunks(items: list[tuple[str, str, bool]]) -> Iterator[list[Input]]:
    """``items`` as Inputs in runs of ``_CHUNK``, in order, emptying the list as it goes."""
    items.reverse()
    while items:
        yield [Input(Path(path), display, explicit)
               for path, display, explicit in (items.pop() for _ in range(min(_CHUNK, len(items))))]  # fmt: skip


_CHUNK = 64
_SUMMARIES_IN_MEMORY = 1 << 20  # bytes of pickled contract summaries (~1,000) before they go to disk
_WORKER: tuple[RuleSet, LintOptions, bool] | None = None


def _init_worker(ruleset: RuleSet, opts: LintOptions, summaries: bool) -> None:
    global _WORKER
    _WORKER = (ruleset, opts, summaries)


def _work(items: list[Input]) -> Batch:
    assert _WORKER is not None
    return _check_batch(items, *_WORKER)


def _parallel(
    chunks: Iterator[list[Input]], ruleset: RuleSet, opts: LintOptions, summaries: bool
) -> Iterator[Batch]:
    """Chunks of files in worker processes (fork: the compiled rules are inherited).

    A few chunks per worker are in flight at a time, and batches come back in order.
    """
    ctx = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    worker_opts = replace(opts, progress=None)
    workers = min(opts.jobs, cpu_count())  # never more processes than CPUs, whatever was asked
    with ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_init_worker, initargs=(ruleset, worker_opts, summaries)
    ) as pool:
        pending: deque[Future[Batch]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_work, chunk))
            if len(pending) >= 4 * opts.jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def check_file(item: Input, ruleset: RuleSet, opts: LintOptions, batch: Batch) -> Evaluation | None:
    """Load and evaluate one file; record an error (and return None) when it cannot be read."""
    try:
        doc = load_document(
            item,
            max_bytes=opts.max_bytes,
            import_options=opts.import_options,
            any_shape=not opts.schema and not opts.builtin_rules,  # custom rules on any YAML/JSON
        )
    except Skipped:
        batch.skipped.append(item.display)
        return None
    except InputError as exc:
        batch.errors.append(ErrorRecord(exc.file, exc.line, _tail(exc)))
        return None
    except RecursionError:
        batch.errors.append(ErrorRecord(item.display, None, "input nests too deeply; flatten the document"))
        return None
    evaluation = evaluate(ruleset.rules, doc, opts.today, opts.tailoring, schema=opts.schema)
    assert batch.portfolio is not None
    batch.portfolio.add(doc, opts.tailoring)
    return evaluation


def evaluate_document(doc: Document, ruleset: RuleSet, options: LintOptions | None = None) -> Evaluation:
    """Evaluate one already-loaded document (used by `rules test` and `explain`)."""
    opts = options or LintOptions()
    return evaluate(ruleset.rules, doc, opts.today, opts.tailoring, schema=opts.schema)


def _merge_stats(result: Result, evaluation: Evaluation) -> None:
    for stats in result.documents:
        if stats.file == evaluation.stats.file and stats.kind == evaluation.stats.kind:
            stats.merge(evaluation.stats)
            return
    result.documents.append(evaluation.stats)


def _tail(exc: InputError) -> str:
    return f"{exc.message}; {exc.hint}" if exc.hint else exc.message
