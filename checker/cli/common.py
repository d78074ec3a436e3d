"""Options and plumbing shared by the commands that run checks (lint, gate, report)."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import typer

from .. import __version__, textsafe
from ..errors import K12Error, UsageError
from ..models import ErrorRecord, Severity
from ..run import RunOptions, RunOutcome, run

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
MAX_SIZE_OPT = typer.Option(
    5.0, "--max-file-size", help="Largest input file to read, in MiB (above 0, at most 1024; CSV too)."
)
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
AUDIENCE_OPT = typer.Option(
    None,
    "--audience",
    help="Audience of imported MDM exports without scopes: students, staff, shared, kiosk.",
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
    1,
    "--jobs",
    "-j",
    help="Worker processes (0 = one per core; more than the cores is clamped); pays off from ~200 files.",
)


def guarded(fn: F) -> F:
    """Turn the project's own errors into a one-line message and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except K12Error as exc:
            typer.echo(f"k12check: {textsafe.one_line(str(exc))}", err=True)
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


def run_options(
    paths: list[Path],
    *,
    today: str | None = None,
    fail_on: str | None = None,
    rules: list[Path] | None = None,
    no_builtin: bool = False,
    config: Path | None = None,
    max_file_size: float = 5.0,
    no_schema: bool = False,
    jobs: int = 1,
    changed_since: str | None = None,
    no_waivers: bool = False,
    waivers: Path | None = None,
    baseline: Path | None = None,
    write_baseline: Path | None = None,
    update_baseline: bool = False,
    audience: str | None = None,
    gate: bool = False,
    keep_documents: bool = False,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
) -> RunOptions:
    """The run's options for the command-line flags (each flag is one option)."""
    from .. import runlimits

    max_bytes = runlimits.max_bytes(max_file_size)
    jobs, note = runlimits.jobs(jobs)
    if note:
        typer.echo(note, err=True)
    audience = runlimits.audience(audience)
    only = None
    if changed_since:
        from ..gitchanges import changed_in

        only = frozenset(changed_in(changed_since, paths))
    return RunOptions(
        today=parse_today(today),
        fail_on=parse_severity(fail_on, None) if fail_on else None,
        config=config,
        rule_dirs=tuple(rules or ()),
        builtin_rules=not no_builtin,
        schema=not no_schema,
        max_bytes=max_bytes,
        audience=audience,
        jobs=jobs,
        only=only,
        waivers=waivers,
        no_waivers=no_waivers,
        baseline=baseline,
        write_baseline=write_baseline,
        update_baseline=update_baseline,
        gate=gate,
        empty_ok=changed_since is not None,
        keep_documents=keep_documents,
        select=tuple(select or ()),
        ignore=tuple(ignore or ()),
    )


def guard_outputs(
    paths: list[Path], outputs: list[Path | None], options: RunOptions | None = None, formats: list[str] = ()
) -> None:
    """Refuse outputs that are inputs, folders, devices or FIFOs before anything runs."""
    from ..formats import parse_specs
    from ..outputs_guard import check_outputs

    written = [path for _, path in parse_specs(list(formats))] + list(outputs)
    if options is not None:
        written.append(options.write_baseline)
    inputs = [*paths] + ([options.config, options.waivers] if options is not None else [])
    check_outputs(written, inputs)


def run_checks(paths: list[Path], options: RunOptions) -> RunOutcome:
    """The run, with a progress bar on a terminal; its notes go to stderr."""
    if not show_progress():
        outcome = run(paths, options)
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

            outcome = run(paths, replace(options, progress=tick))
    for note in outcome.notes:
        typer.echo(f"k12check: {note}", err=True)
    return outcome


def no_color() -> bool:
    """``NO_COLOR`` set to a non-empty value turns colour off (https://no-color.org)."""
    return os.environ.get("NO_COLOR", "") != ""


def show_progress() -> bool:
    """A progress bar only on a terminal, and never in CI logs."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def emit(
    result: RunOutcome, formats: list[str], output: Path | None = None, show_passed: bool = False
) -> None:
    """Print errors to stderr and every requested format to stdout or its file."""
    from ..formats import blocks, parse_specs, stream, write_atomic

    specs = parse_specs(formats)
    if output is not None and specs and specs[0][1] is None:
        specs[0] = (specs[0][0], output)
    if not any(name == "text" and path is None for name, path in specs):  # text on stdout lists them already
        for error in result.errors:
            typer.echo(f"error: {textsafe.one_line(ErrorRecord.render(error))}", err=True)
    color = sys.stdout.isatty() and not no_color()
    for name, path in specs:
        pieces = stream(  # each finding is rendered only as it is written
            name,
            result,
            result.metas(),
            tool_version=__version__,
            color=color and path is None,
            show_passed=show_passed,
        )
        if path is None:
            last = ""
            for last in blocks(pieces):
                typer.echo(last, nl=False)
            if not last.endswith("\n"):
                typer.echo("")
        else:
            write_atomic(Path(path), pieces)
