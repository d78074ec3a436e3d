"""Where files are checked: in this process, or in chunks over worker processes.

The run hands the executor its files (as plain strings, ~0.2 KB each) and gets
back :class:`Batch` es in input order.  Each file is loaded, validated and
evaluated, and dropped; a contract leaves a small pickled summary behind when the
rules have portfolio (cross-check) rules.  Worker processes are forked, so the
compiled rules are inherited rather than pickled.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import pickle
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..catalog import RuleSet
from ..document import Document
from ..documents import Input, Skipped, load_document
from ..engine import Evaluation, Tailoring, evaluate
from ..errors import InputError
from ..models import DocumentStats, ErrorRecord, Finding
from ..portfolio import summarize
from ..runlimits import cpu_count

CHUNK = 64  # files per batch


@dataclass(frozen=True)
class Job:
    """What checking one file needs (picklable: the same for every file of a run)."""

    ruleset: RuleSet
    today: dt.date
    tailoring: Tailoring
    schema: bool = True
    any_shape: bool = False  # custom rules on YAML/JSON of any shape (--no-builtin --no-schema)
    max_bytes: int = 0
    import_options: Any = None
    summaries: bool = True  # keep contract summaries (the rules have portfolio rules)
    keep_documents: bool = False


@dataclass
class Batch:
    """What checking some files produced (picklable, for worker processes)."""

    findings: list[Finding] = field(default_factory=list)
    documents: list[DocumentStats] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    districts: list[Document] = field(default_factory=list)
    contracts: list[bytes] = field(default_factory=list)  # pickled contract summaries
    kept: list[Document] = field(default_factory=list)
    count: int = 0
    last: str = ""


Item = tuple[str, str, bool]  # (path, display name, named explicitly)


def batches(items: list[Item], job: Job, jobs: int = 1) -> Iterator[Batch]:
    """The files checked in order, a batch per chunk (``items`` is emptied as it goes)."""
    chunks = _chunks(items)
    if jobs > 1 and len(items) >= 2 * CHUNK:
        return _parallel(chunks, job, jobs)
    return (check_batch(chunk, job) for chunk in chunks)


def check_batch(items: Sequence[Input], job: Job) -> Batch:
    batch = Batch()
    for item in items:
        doc = _load(item, job, batch)
        if doc is not None:
            evaluation = evaluate(job.ruleset.rules, doc, job.today, job.tailoring, schema=job.schema)
            batch.findings.extend(evaluation.findings)
            batch.documents.append(evaluation.stats)
            _keep(doc, job, batch)
        batch.count += 1
        batch.last = item.display
    return batch


def check_one(item: Input, job: Job) -> tuple[Document | None, Evaluation | None, Batch]:
    """Load and evaluate one file (explain, tests); the batch holds its error or skip."""
    batch = Batch()
    doc = _load(item, job, batch)
    if doc is None:
        return None, None, batch
    return doc, evaluate(job.ruleset.rules, doc, job.today, job.tailoring, schema=job.schema), batch


def _load(item: Input, job: Job, batch: Batch) -> Document | None:
    """The document, or None with the error (or skip) recorded in ``batch``."""
    try:
        return load_document(
            item, max_bytes=job.max_bytes, import_options=job.import_options, any_shape=job.any_shape
        )
    except Skipped:
        batch.skipped.append(item.display)
    except InputError as exc:
        batch.errors.append(error_record(exc))
    except RecursionError:
        batch.errors.append(ErrorRecord(item.display, None, "input nests too deeply; flatten the document"))
    return None


def _keep(doc: Document, job: Job, batch: Batch) -> None:
    """What the run needs after this file: the district, a contract's summary, the data."""
    if doc.kind == "district":
        batch.districts.append(doc)
    elif doc.kind == "contract" and job.summaries:
        summary = summarize(doc, job.today, job.tailoring.state)
        batch.contracts.append(pickle.dumps(summary, pickle.HIGHEST_PROTOCOL))
    if job.keep_documents and doc.kind in ("contract", "district"):
        batch.kept.append(doc)


def error_record(exc: InputError) -> ErrorRecord:
    return ErrorRecord(exc.file, exc.line, f"{exc.message}; {exc.hint}" if exc.hint else exc.message)


def _chunks(items: list[Item]) -> Iterator[list[Input]]:
    """``items`` as Inputs in runs of ``CHUNK``, in order, emptying the list as it goes."""
    items.reverse()
    while items:
        yield [Input(Path(path), display, explicit)
               for path, display, explicit in (items.pop() for _ in range(min(CHUNK, len(items))))]  # fmt: skip


_WORKER: Job | None = None


def _init_worker(job: Job) -> None:
    global _WORKER
    _WORKER = job


def _work(items: list[Input]) -> Batch:
    assert _WORKER is not None
    return check_batch(items, _WORKER)


def _parallel(chunks: Iterator[list[Input]], job: Job, jobs: int) -> Iterator[Batch]:
    """Chunks in worker processes; a few per worker in flight, batches back in order."""
    ctx = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    workers = min(jobs, cpu_count())  # never more processes than CPUs, whatever was asked
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(job,)) as pool:
        pending: deque[Future[Batch]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_work, chunk))
            if len(pending) >= 4 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
