"""``k12check init``: write commented starting files (``init contract``; more kinds plug in here).

The templates are package data (``checker/schemas/*-template.yaml``), so what a
district fills in is exactly what the schema accepts; a test fills the contract
template and checks that it lints with no SCHEMA findings.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import UsageError
from ..formats import write_atomic
from ..resources import schemas_dir
from .app import app
from .common import guarded

init_app = typer.Typer(
    help="Write a commented template to start a new file.\n\nExample: k12check init contract -o contracts/acme-2026.yaml",
    no_args_is_help=True,
)
app.add_typer(init_app, name="init")

OUT_OPT = typer.Option(None, "--output", "-o", help="Write to this file instead of standard output.")
FORCE_OPT = typer.Option(False, "--force", help="Overwrite the output file if it exists.")


def template_text(name: str) -> str:
    """The text of the bundled template ``<name>-template.yaml``."""
    return (schemas_dir() / f"{name}-template.yaml").read_text(encoding="utf-8")


def write_or_print(text: str, output: Path | None, force: bool) -> None:
    """Print ``text``, or write it to ``output`` atomically; refuse to overwrite without ``force``."""
    if output is None:
        typer.echo(text, nl=False)
        return
    if output.exists() and not force:
        raise UsageError(f"{output} already exists; pass --force to overwrite it")
    if output.is_dir():
        raise UsageError(f"{output} is a directory; give a file name")
    parent = output.parent if str(output.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{parent} does not exist; create the folder first")
    write_atomic(output, text)
    typer.echo(f"wrote {output}", err=True)


SERVICE_OPT = typer.Option(
    None,
    "--service-type",
    help="Only the fields the rules for this service type read: "
    "mdm, managed_service, edtech_app, platform, filtering_monitoring, sis or other.",
)


@init_app.command("contract")
@guarded
def init_contract(
    output: Path | None = OUT_OPT, force: bool = FORCE_OPT, service_type: str | None = SERVICE_OPT
) -> None:
    """A contract file with every field of the model, grouped by area, each with what to look for.

    Example: k12check init contract --service-type edtech_app -o contracts/readwell-2026.yaml
    """
    text = template_text("contract")
    if service_type is not None:
        from ..applicability import SERVICE_TYPES
        from ..catalog import load_rules
        from ..contract_template import template_for

        if service_type not in SERVICE_TYPES:
            raise UsageError(f"unknown service type {service_type!r}; use one of {', '.join(SERVICE_TYPES)}")
        text = template_for(load_rules(), text, service_type)
        text = text.replace("  service_type: null ", f"  service_type: {service_type}", 1)
    write_or_print(text, output, force)


@init_app.command("config")
@guarded
def init_config(output: Path | None = OUT_OPT, force: bool = FORCE_OPT) -> None:
    """A commented k12check.yaml: district and state, fail threshold, rule tailoring, gate
    classes, waivers and baseline.

    Example: k12check init config -o k12check.yaml
    """
    write_or_print(template_text("config"), output, force)
