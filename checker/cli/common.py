"""Options and plumbing shared by the commands that run checks (lint, gate, report)."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import typer

from .. import __version__
from ..api import LintOptions
from ..catalog import RuleSet
from ..errors import K12Error, UsageError
from ..models import ErrorRecord, Result, Severity
from ..pipeline import RunRequest, prepare, run

F = TypeVar("F", bound=Callable[..., Any])

FORMAT_OPT = typer.Option(
    ["text"],
    "--format",
    "-f",
    help="Output format, repeatable: text, concise, json, sarif, junit, markdown, github, "
    "gitlab; FORMAT:PATH writes that format to a file (e.g. sarif:out.sarif).",
)
OUTPUT_OPT = typer.Option(None, "--output", "-o", help="Write the (first) format to this file, atomically.")
FAIL_ON_OPT = typer.Option(None, "--fail-on", help="Lowest severity that fails the run (default: high).")
TODAY_OPT = typer.Option(
    None, "--today", help="The date to judge expiries against, YYYY-MM-DD (default: today)."
)
RULES_OPT = typer.Option([], "--rules", help="An extra rule folder (repeatable).")
NO_BUILTIN_OPT = typer.Option(False, "--no-builtin", help="Use only the rules given with --rules.")
CONFIG_OPT = typer.Option(None, "--config", help="k12check.yaml to use (default: found upward from here).")
MAX_SIZE_OPT = typer.Option(5.0, "--max-file-size", help="Largest input file to read, in MiB.")
CHANGED_OPT = typer.Option(
    None, "--changed-since", help="Check only files changed since this git revision (e.g. origin/main)."
)
NO_WAIVERS_OPT = typer.Option(False, "--no-waivers", help="Ignore every waiver (the strict gate).")
WAIVERS_OPT = typer.Option(None, "--waivers", help="Waivers file (default: the one k12check.yaml names).")
BASELINE_OPT = typer.Option(None, "--baseline", help="Report only findings not in this baseline file.")
WRITE_BASELINE_OPT = typer.Option(None, "--write-baseline", help="Record today's findings as the baseline.")
UPDATE_BASELINE_OPT = typer.Option(
    False, "--update-baseline", help="Drop fixed entries from the baseline (never adds)."
)
SELECT_OPT = typer.Option(
    [],
    "--select",
    help="Check only these rules: ids, id prefixes or areas, comma-separated (e.g. BRCH,PRIV-01).",
)
IGNORE_OPT = typer.Option(
    [], "--ignore", help="Skip these rules: ids, id prefixes or areas (e.g. PRIV-012,cost)."
)
JOBS_OPT = typer.Option(
    1, "--jobs", "-j", help="Worker processes (0 = one per core); pays off from ~200 files."
)


@dataclass
class RunArgs:
    paths: list[Path]
    formats: list[str] = field(default_factory=lambda: ["text"])
    output: Path | None = None
    fail_on: str | None = None
    today: str | None = None
    rules: list[Path] = field(default_factory=list)
    no_builtin: bool = False
    config: Path | None = None
    show_passed: bool = False
    max_file_size: float = 5.0
    no_schema: bool = False
    jobs: int = 1
    changed_since: str | None = None
    no_waivers: bool = False
    waivers: Path | None = None
    baseline: Path | None = None
    write_baseline: Path | None = None
    update_baseline: bool = False
    audience: str | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    # filled in by the configuration step
    classify: Any = None
    config_used: dict[str, Any] = field(default_factory=dict)


def guarded(fn: F) -> F:
    """Turn the project's own errors into a one-line message and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except K12Error as exc:
            typer.echo(f"k12check: {exc}", err=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def parse_today(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--today must be a date like 2026-09-01 (got {text!r})") from None


def parse_severity(text: str | None, default: Severity | None = Severity.HIGH) -> Severity:
    if not text:
        return default if default is not None else Severity.HIGH
    try:
        return Severity.parse(text)
    except ValueError as exc:
        raise UsageError(f"--fail-on: {exc}") from None


def request_of(args: RunArgs) -> RunRequest:
    """The library request for the command-line options."""
    only = None
    if args.changed_since:
        from ..gitchanges import changed_in

        only = frozenset(changed_in(args.changed_since, args.paths))
    return RunRequest(
        paths=list(args.paths),
        config=args.config,
        today=parse_today(args.today),
        fail_on=parse_severity(args.fail_on, None) if args.fail_on else None,
        rule_dirs=list(args.rules),
        builtin_rules=not args.no_builtin,
        schema=not args.no_schema,
        max_bytes=int(args.max_file_size * 1024 * 1024),
        jobs=max(1, args.jobs or (os.cpu_count() or 1)),
        only=only,
        no_waivers=args.no_waivers,
        waivers=args.waivers,
        baseline=args.baseline,
        write_baseline=args.write_baseline,
        update_baseline=args.update_baseline,
        audience=args.audience,
        select=list(args.select),
        ignore=list(args.ignore),
    )


def build_options(args: RunArgs) -> tuple[LintOptions, RuleSet]:
    """Options and rules only (for commands that evaluate one document, like explain)."""
    _, opts, ruleset = prepare(request_of(args))
    return opts, ruleset


def run_lint(args: RunArgs) -> tuple[Result, RuleSet]:
    """Run the whole pipeline with a progress bar on a terminal; keeps the Run on ``args``."""
    request = request_of(args)
    if not show_progress():
        done = run(request)
    else:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        columns = (
            TextColumn("checking"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
        )
        # On stderr (the stream checked above): stdout may be a JSON or SARIF pipe.
        with Progress(*columns, transient=True, console=Console(stderr=True)) as bar:
            task = bar.add_task("", total=None)

            def tick(done: int, total: int, last: str) -> None:
                if total >= 50:
                    bar.update(task, completed=done, total=total, description=last[-40:])

            request.progress = tick
            done = run(request)
    args.classify = done.classify
    args.config_used = done.config.as_record()
    for note in done.notes:
        typer.echo(f"k12check: {note}", err=True)
    return done.result, done.ruleset


def no_color() -> bool:
    """``NO_COLOR`` set to a non-empty value turns colour off (https://no-color.org)."""
    return os.environ.get("NO_COLOR", "") != ""


def show_progress() -> bool:
    """A progress bar only on a terminal, and never in CI logs."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def emit(result: Result, ruleset: RuleSet, args: RunArgs) -> None:
    """Print errors to stderr and every requested format to stdout or its file."""
    from ..formats import blocks, parse_specs, stream, write_atomic

    specs = parse_specs(args.formats)
    if args.output is not None and specs and specs[0][1] is None:
        specs[0] = (specs[0][0], args.output)
    if not any(name == "text" and path is None for name, path in specs):  # text on stdout lists them already
        for error in result.errors:
            typer.echo(f"error: {ErrorRecord.render(error)}", err=True)
    color = sys.stdout.isatty() and not no_color()
    for name, path in specs:
        pieces = stream(  # each finding is rendered only as it is written
            name,
            result,
            ruleset.metas(),
            tool_version=__version__,
            color=color and path is None,
            show_passed=args.show_passed,
        )
        if path is None:
            last = ""
            for last in blocks(pieces):
                typer.echo(last, nl=False)
            if not last.endswith("\n"):
                typer.echo("")
        else:
            write_atomic(Path(path), pieces)
