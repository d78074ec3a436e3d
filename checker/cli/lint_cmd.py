"""``k12check lint``: check contracts, district files and MDM exports."""

from __future__ import annotations

from pathlib import Path

import typer

from .app import app
from .common import (
    AUDIENCE_OPT,
    BASELINE_OPT,
    CHANGED_OPT,
    CONFIG_OPT,
    FAIL_ON_OPT,
    FORMAT_OPT,
    IGNORE_OPT,
    JOBS_OPT,
    MAX_SIZE_OPT,
    NO_BUILTIN_OPT,
    NO_WAIVERS_OPT,
    OUTPUT_OPT,
    RULES_OPT,
    SELECT_OPT,
    TODAY_OPT,
    UPDATE_BASELINE_OPT,
    WAIVERS_OPT,
    WRITE_BASELINE_OPT,
    emit,
    guard_outputs,
    guarded,
    run_checks,
    run_options,
)


@app.command("lint")
@guarded
def lint_command(
    paths: list[Path] = typer.Argument(
        ..., help="Files or folders: contract/district YAML or JSON, MDM exports."
    ),
    formats: list[str] = FORMAT_OPT,
    output: Path | None = OUTPUT_OPT,
    fail_on: str | None = FAIL_ON_OPT,
    today: str | None = TODAY_OPT,
    rules: list[Path] = RULES_OPT,
    no_builtin: bool = NO_BUILTIN_OPT,
    config: Path | None = CONFIG_OPT,
    show_passed: bool = typer.Option(False, "--show-passed", help="Also list the checks that passed."),
    no_waivers: bool = NO_WAIVERS_OPT,
    waivers: Path | None = WAIVERS_OPT,
    baseline: Path | None = BASELINE_OPT,
    write_baseline: Path | None = WRITE_BASELINE_OPT,
    update_baseline: bool = UPDATE_BASELINE_OPT,
    changed_since: str | None = CHANGED_OPT,
    audience: str | None = AUDIENCE_OPT,
    select: list[str] = SELECT_OPT,
    ignore: list[str] = IGNORE_OPT,
    jobs: int = JOBS_OPT,
    max_file_size: float = MAX_SIZE_OPT,
    no_schema: bool = typer.Option(
        False, "--no-schema", help="Skip model validation (for documents of any shape with --no-builtin)."
    ),
) -> None:
    """Check files against the rules and print findings with file:line, severity, citation and fix.

    Exit code 0: nothing unwaived at or above --fail-on; 1: findings at or above it;
    2: an input, rule or configuration error (every other file is still checked).

    Examples:

      k12check lint examples/

      k12check lint contracts/ district.yaml --fail-on medium --format sarif:k12check.sarif

      k12check lint contracts/ --baseline .k12check-baseline.json --changed-since origin/main

      k12check lint contracts/ --format concise --select privacy,breach --ignore PRIV-012
    """
    options = run_options(
        paths,
        today=today,
        fail_on=fail_on,
        rules=rules,
        no_builtin=no_builtin,
        config=config,
        max_file_size=max_file_size,
        no_schema=no_schema,
        jobs=jobs,
        changed_since=changed_since,
        no_waivers=no_waivers,
        waivers=waivers,
        baseline=baseline,
        write_baseline=write_baseline,
        update_baseline=update_baseline,
        audience=audience,
        select=select,
        ignore=ignore,
    )
    guard_outputs(paths, [output], options, formats)
    outcome = run_checks(paths, options)
    emit(outcome, formats, output, show_passed)
    raise typer.Exit(outcome.exit_code())
