"""``k12check gate``: the pre-signing decision (BLOCK / CONDITIONAL / PASS) with a record."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from .. import __version__
from ..formats import write_atomic
from ..gate import BLOCK, RecordContext, decide, record, record_markdown
from .app import app
from .common import (
    BASELINE_OPT,
    CHANGED_OPT,
    CONFIG_OPT,
    FAIL_ON_OPT,
    FORMAT_OPT,
    IGNORE_OPT,
    MAX_SIZE_OPT,
    NO_BUILTIN_OPT,
    NO_WAIVERS_OPT,
    RULES_OPT,
    SELECT_OPT,
    TODAY_OPT,
    WAIVERS_OPT,
    RunArgs,
    emit,
    guarded,
    run_lint,
)


@app.command("gate")
@guarded
def gate_command(
    paths: list[Path] = typer.Argument(..., help="The contract(s) about to be signed (files or folders)."),
    decision_record: Path | None = typer.Option(
        None, "--decision-record", help="Write the decision record: FILE.json and FILE.md beside it."
    ),
    formats: list[str] = FORMAT_OPT,
    fail_on: str | None = FAIL_ON_OPT,
    today: str | None = TODAY_OPT,
    rules: list[Path] = RULES_OPT,
    no_builtin: bool = NO_BUILTIN_OPT,
    config: Path | None = CONFIG_OPT,
    no_waivers: bool = NO_WAIVERS_OPT,
    waivers: Path | None = WAIVERS_OPT,
    baseline: Path | None = BASELINE_OPT,
    changed_since: str | None = CHANGED_OPT,
    max_file_size: float = MAX_SIZE_OPT,
    select: list[str] = SELECT_OPT,
    ignore: list[str] = IGNORE_OPT,
) -> None:
    """Decide whether a contract may be signed: BLOCK (exit 1), CONDITIONAL or PASS (exit 0).

    BLOCK: unwaived findings at or above the fail threshold, any hard-fail rule, an input
    that could not be checked (exit 2), or no document checked at all.
    CONDITIONAL: only soft-fail or below-threshold findings remain, or waivers were used.
    Exit 2 on input, rule or configuration errors.

    Example: k12check gate contracts/acme-2026.yaml --decision-record records/acme-2026
    """
    args = RunArgs(
        paths,
        formats,
        None,
        fail_on,
        today,
        rules,
        no_builtin,
        config,
        changed_since=changed_since,
        max_file_size=max_file_size,
        no_waivers=no_waivers,
        waivers=waivers,
        baseline=baseline,
        select=select,
        ignore=ignore,
    )
    result, ruleset = run_lint(args)
    decision = decide(result, args.classify, empty_ok=changed_since is not None)
    result.extra["decision"] = decision.verdict
    result.extra["reasons"] = list(decision.reasons)
    emit(result, ruleset, args)
    typer.echo(f"\nDecision: {decision.verdict}")
    for reason in decision.reasons:
        typer.echo(f"  - {reason}")
    if decision_record is not None:
        ctx = RecordContext(__version__, ruleset.digest(), len(ruleset.rules), args.config_used)
        data = record(result, decision, ctx)
        base = (
            decision_record.with_suffix("") if decision_record.suffix in (".json", ".md") else decision_record
        )
        write_atomic(base.with_suffix(".json"), json.dumps(data, indent=2, sort_keys=False) + "\n")
        write_atomic(base.with_suffix(".md"), record_markdown(data))
        typer.echo(f"Decision record: {base.with_suffix('.json')} and {base.with_suffix('.md')}")
    if result.errors:
        raise typer.Exit(2)
    raise typer.Exit(1 if decision.verdict == BLOCK else 0)
