"""The Typer application object and the entry point."""

from __future__ import annotations

import sys

import typer

from .. import __version__

app = typer.Typer(
    name="k12check",
    help="Check K-12 vendor contracts and MDM configurations against privacy, security and "
    "outsourcing rules. Findings carry a severity, citation, evidence line and remediation.\n\n"
    "Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 input/rule/config errors.\n\n"
    "Examples:\n\n"
    "  k12check lint examples/\n\n"
    "  k12check gate contracts/acme-2026.yaml --decision-record records/acme-2026\n\n"
    "  k12check report contracts/ district.yaml --year 2026 -o audit-2026.html\n\n"
    "Guides: docs/index.md (getting started, CI, audit report, security model).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"k12check {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """k12check: compliance checks for K-12 vendor contracts and district MDM settings."""


def main() -> None:
    """Console-script entry point (exit codes 0/1/2, DESIGN §4)."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("k12check: interrupted\n")
        sys.exit(130)
