"""``k12check gate``: the pre-signing decision (BLOCK / CONDITIONAL / PASS) with a record."""

from __future__ import annotations

from pathlib import Path

import typer

from .. import __version__, strictjson
from ..formats import write_atomic
from ..gate import RecordContext, record, record_markdown
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
    emit,
    guard_outputs,
    guarded,
    run_checks,
    run_options,
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
    options = run_options(
        paths,
        today=today,
        fail_on=fail_on,
        rules=rules,
        no_builtin=no_builtin,
        config=config,
        max_file_size=max_file_size,
        changed_since=changed_since,
        no_waivers=no_waivers,
        waivers=waivers,
        baseline=baseline,
        gate=True,
        select=select,
        ignore=ignore,
    )
    records = []
    if decision_record is not None:
        base = (
            decision_record.with_suffix("") if decision_record.suffix in (".json", ".md") else decision_record
        )
        records = [base.with_suffix(".json"), base.with_suffix(".md")]
    guard_outputs(paths, list(records), options, formats)
    outcome = run_checks(paths, options)
    decision = outcome.gate
    assert decision is not None
    emit(outcome, formats)
    typer.echo(f"\nDecision: {decision.verdict}")
    for reason in decision.reasons:
        typer.echo(f"  - {reason}")
    if decision_record is not None:
        ruleset = outcome.ruleset
        assert ruleset is not None
        ctx = RecordContext(__version__, ruleset.digest(), len(ruleset.rules), outcome.config_record())
        data = record(outcome, decision, ctx)
        base = (
            decision_record.with_suffix("") if decision_record.suffix in (".json", ".md") else decision_record
        )
        write_atomic(base.with_suffix(".json"), strictjson.dumps(data, indent=2, sort_keys=False) + "\n")
        write_atomic(base.with_suffix(".md"), record_markdown(data))
        typer.echo(f"Decision record: {base.with_suffix('.json')} and {base.with_suffix('.md')}")
    if outcome.errors:
        raise typer.Exit(2)
    raise typer.Exit(decision.exit_code)
