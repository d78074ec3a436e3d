"""``k12check lint``: check contracts, district files and MDM exports."""

from __future__ import annotations

from pathlib import Path

import typer

from .app import app
from .common import (
    CHANGED_OPT,
    CONFIG_OPT,
    FAIL_ON_OPT,
    FORMAT_OPT,
    JOBS_OPT,
    MAX_SIZE_OPT,
    NO_BUILTIN_OPT,
    OUTPUT_OPT,
    RULES_OPT,
    TODAY_OPT,
    RunArgs,
    emit,
    guarded,
    run_lint,
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
    max_file_size: float = MAX_SIZE_OPT,
    jobs: int = JOBS_OPT,
    changed_since: str | None = CHANGED_OPT,
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
    """
    args = RunArgs(
        paths,
        formats,
        output,
        fail_on,
        today,
        rules,
        no_builtin,
        config,
        show_passed,
        max_file_size,
        no_schema,
        jobs,
        changed_since,
    )
    result, ruleset = run_lint(args)
    emit(result, ruleset, args)
    raise typer.Exit(result.exit_code())
