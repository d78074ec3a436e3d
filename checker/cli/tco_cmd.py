"""``k12check tco``: the total cost of ownership of contracts, and the in-house alternative."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import typer

from ..documents import display_name
from ..errors import UsageError
from ..formats import write_atomic
from ..outputs_guard import check_outputs
from ..run import run
from ..tco_export import TcoRun, build_run, to_csv, to_json, to_table
from .app import app
from .common import MAX_SIZE_OPT, guarded, run_options

FORMATS = ("table", "json", "csv", "xlsx")


def _contracts(
    paths: list[Path], max_file_size: float
) -> tuple[list[tuple[str, Mapping[str, Any]]], list[str]]:
    """(display name, data) of every contract under ``paths``, and the input problems met."""
    outcome = run(
        paths, run_options(paths, max_file_size=max_file_size, keep_documents=True, no_waivers=True)
    )
    problems = [e.render() for e in outcome.errors]
    docs: list[tuple[str, Mapping[str, Any]]] = []
    named = {display_name(p) for p in paths}
    for doc in outcome.kept:
        if doc.kind == "contract":
            docs.append((doc.file, doc.data))
        elif doc.file in named:
            problems.append(f"{doc.file}: is a {doc.kind} file, not a contract (give it with --in-house)")
    return docs, problems


def _district(path: Path, max_file_size: float) -> Mapping[str, Any]:
    outcome = run(
        [path], run_options([path], max_file_size=max_file_size, keep_documents=True, no_waivers=True)
    )
    if outcome.errors:
        raise UsageError(f"--in-house {outcome.errors[0].render()}")
    if not outcome.kept:
        raise UsageError(f"--in-house {path}: not a district file")
    doc = outcome.kept[0]
    if doc.kind != "district":
        raise UsageError(f"--in-house {path}: is a {doc.kind} file, not a district file")
    if not isinstance(doc.data.get("in_house"), Mapping):
        raise UsageError(
            f"--in-house {path}: the district file has no in_house section; add one (see docs/report-and-tco.md)"
        )
    return doc.data


def _emit(run: TcoRun, fmt: str, output: Path | None) -> None:
    if fmt == "xlsx":
        if output is None:
            raise UsageError("--format xlsx needs a file: add -o tco.xlsx")
        from ..tco_xlsx import to_xlsx

        write_atomic(output, to_xlsx(run))
        return
    text = {"table": to_table, "json": to_json, "csv": to_csv}[fmt](run)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(output, text)


@app.command("tco")
@guarded
def tco_command(
    paths: list[Path] = typer.Argument(..., help="Contract files or folders."),
    in_house: Path | None = typer.Option(
        None, "--in-house", help="District file whose in_house section prices the same work done by staff."
    ),
    years: int = typer.Option(
        5, "--years", min=1, max=30, help="Years to model (the vendor figure is a 5-year one)."
    ),
    fmt: str = typer.Option("table", "--format", "-f", help="table, json, csv or xlsx (xlsx needs -o)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    max_file_size: float = MAX_SIZE_OPT,
) -> None:
    """Five-year total cost of ownership per contract , with hidden costs.

    Each year's price follows the price lock, the escalator (capped) and any listed
    years; one-time and exit fees are added; silent fees and usage-priced fees are
    listed as hidden costs; the vendor's own five-year figure is compared. With
    --in-house, the district's in_house section is costed over the same years.
    The XLSX has live formulas: change the escalator and the totals move.

    Example: k12check tco examples/contracts --in-house district.yaml -f xlsx -o tco.xlsx
    """
    if fmt not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    check_outputs([output], [*paths, in_house])
    docs, problems = _contracts(paths, max_file_size)
    for problem in problems:
        typer.echo(f"k12check: {problem}", err=True)
    if not docs:
        raise UsageError("no contract files found; give contract YAML files or folders holding them")
    district = _district(in_house, max_file_size) if in_house is not None else None
    _emit(build_run(docs, years, district), fmt, output)
    if problems:
        raise typer.Exit(2)
