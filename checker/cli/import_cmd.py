"""``k12check import``: MDM exports → one normalized ``district.yaml``.

A thin layer over :func:`checker.importers.import_files` and
:func:`checker.importers.dump_district`.  Linting an export directly
(``k12check lint profile.mobileconfig``) needs no import; this command writes the
normalized model for a district to review, complete and keep.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ..config import find_config, load_config
from ..documents import Input, discover, read_bounded
from ..errors import UsageError
from ..importers import IMPORTERS, ImportOptions, detect, dump_district, import_files
from ..importers.base import AUDIENCES
from ..outputs_guard import check_outputs
from .app import app
from .common import guarded
from .init_cmd import write_or_print

KINDS = ("auto", *IMPORTERS)
PLATFORMS = ("ios", "ipados", "macos")


@app.command("import")
@guarded
def import_command(
    files: list[str] = typer.Argument(
        ...,
        help="Export files (.mobileconfig/.plist, Intune or Chrome .json/.jsonl, inventory .csv) "
        "or folders of them, walked in sorted order.",
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the YAML here instead of standard output."
    ),
    audience: str = typer.Option(
        "students",
        "--audience",
        help="Audience of scopes the exports do not describe: students, staff, shared or kiosk.",
    ),
    kind: str = typer.Option(
        "auto",
        "--kind",
        help="Format of every file: auto (by extension and content), mobileconfig, intune, chrome or csv.",
    ),
    scope: str | None = typer.Option(
        None,
        "--scope",
        help="Put everything into this one scope (default: one per file, or the export's OUs).",
    ),
    platform: str | None = typer.Option(
        None,
        "--platform",
        help="Platform of Apple profiles when the payloads do not tell: ios, ipados or macos.",
    ),
    vendor: str | None = typer.Option(
        None, "--vendor", help="MDM vendor of the exports when they do not say (jamf, mosyle, kandji …)."
    ),
    config: Path | None = typer.Option(
        None, "--config", help="k12check.yaml with import.csv_aliases (default: found upward)."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite the output file if it exists."),
) -> None:
    """Import MDM exports into one normalized district.yaml (kind: district).

    Example: k12check import jamf/*.mobileconfig intune/*.json google/cros.csv -o district.yaml

    Example: k12check import exports/ -o district.yaml
    """
    if files and files[0] in KINDS and not Path(files[0]).exists():  # `k12check import KIND FILE...`
        kind, files = files[0], files[1:]
    if not files:
        raise UsageError("name at least one export file")
    _check(kind, KINDS, "--kind")
    _check(audience, AUDIENCES, "--audience")
    if platform is not None:
        _check(platform, PLATFORMS, "--platform")
    found = config or find_config(Path.cwd())
    aliases = dict(load_config(found).csv_aliases) if found else {}
    options = ImportOptions(
        audience=audience, scope_name=scope, alias_overrides=aliases or None, platform=platform, vendor=vendor
    )
    files = expand_folders(files)
    check_outputs([output], [Path(f) for f in files])  # -o onto an export (even with --force): refused
    data = import_files(files, options, kind)
    target = output.name if output is not None else "district.yaml"
    write_or_print(dump_district(data, [Path(f).name for f in files], target), output, force)


def expand_folders(args: list[str]) -> list[str]:
    """Each folder replaced by the exports in it (sorted walk; files that are not exports skipped)."""
    out: list[str] = []
    for arg in args:
        if not Path(arg).is_dir():
            out.append(arg)
            continue
        found = []
        for item in discover([arg]):
            if isinstance(item, Input) and detect(item.path.name, read_bounded(item.path, item.display)):
                found.append(str(item.path))
        if not found:
            raise UsageError(
                f"{arg}: no MDM exports in this folder (.mobileconfig, .plist, Intune or Chrome .json, .csv)"
            )
        out.extend(found)
    return out


def _check(value: str, allowed: tuple[str, ...], option: str) -> None:
    if value not in allowed:
        raise UsageError(f"{option} must be one of {', '.join(allowed)} (got {value!r})")
