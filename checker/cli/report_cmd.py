"""``k12check report``: the annual audit report (DESIGN §8) as HTML, JSON or Markdown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from ..errors import UsageError
from ..formats import write_atomic
from ..report import ReportInputs, build_report, load_documents, load_previous, to_json
from ..report_render import to_html, to_markdown
from .app import app
from .common import CONFIG_OPT, NO_BUILTIN_OPT, RULES_OPT, TODAY_OPT, RunArgs, guarded, parse_today, run_lint

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
    prior = load_previous(previous) if previous is not None else None
    args = RunArgs(paths, ["text"], None, None, today, rules, no_builtin, config)
    result, ruleset = run_lint(args)
    for error in result.errors:
        typer.echo(f"error: {error.render()}", err=True)
    inputs = ReportInputs(
        result=result,
        rules=ruleset.metas(),
        documents=load_documents(paths),
        year=year,
        today=parse_today(today) if today else dt.date.today(),
        previous=prior,
        classify=args.classify,
        district_name=_district_name(args.config_used),
        state=_district_state(args.config_used),
    )
    report = build_report(inputs)
    text = {"html": to_html, "json": to_json, "markdown": to_markdown}[fmt](report)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(output, text)
        typer.echo(f"Report written to {output}", err=True)
    if result.errors:
        raise typer.Exit(2)


def _district_state(config_used: dict[str, object]) -> str | None:
    district = config_used.get("district") if isinstance(config_used, dict) else None
    state = district.get("state") if isinstance(district, dict) else None
    return state if isinstance(state, str) and state else None


def _district_name(config_used: dict[str, object]) -> str | None:
    district = config_used.get("district") if isinstance(config_used, dict) else None
    name = district.get("name") if isinstance(district, dict) else None
    return name if isinstance(name, str) and name else None
