"""``k12check schema NAME``: print a JSON Schema for editors (yaml-language-server)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from ..errors import UsageError
from ..jsonschema_export import NAMES, export
from .app import app
from .common import guarded


@app.command("schema")
@guarded
def schema_command(
    name: str = typer.Argument(..., help="One of: contract, district, config, waivers, rule."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
) -> None:
    """Print the JSON Schema (draft 2020-12) of a model, derived from its Cerberus schema.

    Save it beside your files and start them with
    `# yaml-language-server: $schema=contract.schema.json` so editors check as you type.

    Example: k12check schema contract -o .k12check/contract.schema.json
    """
    if name not in NAMES:
        raise UsageError(f"unknown schema {name!r}; choose one of {', '.join(NAMES)}")
    text = json.dumps(export(name), indent=2) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        from ..formats import write_atomic

        write_atomic(output, text)
