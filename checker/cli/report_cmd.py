"""``k12check report``: the annual audit report (DESIGN §8) as HTML, JSON or Markdown."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import UsageError
from ..formats import write_atomic
from ..outputs_guard import check_outputs
from ..report import build_report, inputs_of, load_previous, to_json
from ..report_render import to_html, to_markdown
from .app import app
from .common import (
    AUDIENCE_OPT,
    CONFIG_OPT,
    MAX_SIZE_OPT,
    NO_BUILTIN_OPT,
    RULES_OPT,
    TODAY_OPT,
    guarded,
    run_checks,
    run_options,
)

FORMATS = ("html", "json", "markdown")


@app.command("report")
@guarded
def report_command(
    paths: list[Path] = typer.Argument(..., help="Contract and district files or folders."),
    year: int = typer.Option(..., "--year", help="The report year, e.g. 2026."),
    previous: Path | None = typer.Option(
        None, "--previous", help="Last year's report as JSON (k12check report --format json), for the trend."
    ),
    today: str | None = TODAY_OPT,
    fmt: str = typer.Option("html", "--format", "-f", help="html (self-contained file), json or markdown."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    rules: list[Path] = RULES_OPT,
    no_builtin: bool = NO_BUILTIN_OPT,
    config: Path | None = CONFIG_OPT,
    max_file_size: float = MAX_SIZE_OPT,
    audience: str | None = AUDIENCE_OPT,
) -> None:
    """Write the annual audit report: summary, charts, vendor scorecards, calendar,
    money (TCO and in-house), vendor concentration, regulation matrix and appendix.

    Keep this year's --format json beside the HTML: next year's --previous reads it.
    Exit 0 when written (findings do not fail a report), 2 on errors.

    Example: k12check report examples/ --year 2026 --previous audit-2025.json -o audit-2026.html
    """
    if fmt not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    if not 1990 <= year <= 2200:
        raise UsageError(f"--year must be a year like 2026 (got {year})")
    check_outputs([output], [*paths, previous, config])
    check_outputs([output], [*paths, previous, config])
    prior = load_previous(previous) if previous is not None else None
    options = run_options(
        paths,
        today=today,
        rules=rules,
        no_builtin=no_builtin,
        config=config,
        max_file_size=max_file_size,
        audience=audience,
        keep_documents=True,
    )
    outcome = run_checks(paths, options)
    for error in outcome.errors:
        typer.echo(f"error: {error.render()}", err=True)
    report = build_report(inputs_of(outcome, year, prior))
    text = {"html": to_html, "json": to_json, "markdown": to_markdown}[fmt](report)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(output, text)
        typer.echo(f"Report written to {output}", err=True)
    if outcome.errors:
        raise typer.Exit(2)
