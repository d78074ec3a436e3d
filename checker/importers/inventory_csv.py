"""Device inventory CSV (Google ``gam print cros``, Intune, Jamf, Kandji …) → ``devices[]``.

Columns are matched through the alias table ``csv_aliases.yaml`` plus the
``import.csv_aliases`` of the config (:class:`~checker.importers.base.ImportOptions`
``alias_overrides``); unknown columns are ignored.  Every device's source position is
its row's first line, so an inventory finding points at the CSV row.  Dates are read
to UTC (:mod:`checker.importers.values`).  A row without a serial number, a date
that cannot be read, a quote never closed or a row whose cell count differs from the
header's is an error naming the row: a device the checks silently skip
would hide exactly what inventory rules look for.  Devices go into the scope their
OU path, blueprint or site column names (scope hints in ``scopes.yaml``), else into
one scope named after the file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from typing import Any

from .. import textsafe
from ..document import Document
from ..errors import InputError
from ..yamlio import decode
from .base import ImportOptions, Origin, check_size, load_data
from .builder import DistrictBuilder
from .values import parse_bool, parse_date, parse_datetime, parse_platform

FORMAT = "csv"
MAX_ROWS = 200_000
Cells = dict[str, tuple[str, Origin]]  # model field → (cell text, origin of the cell)
DATE_HINT = "write dates as ISO 8601 (2026-01-31 or 2026-01-31T08:00:00Z)"


def norm(header: str) -> str:
    """Header as matched: lower case, no spaces or punctuation, no ``general.`` prefix."""
    low = header.strip().lower()
    low = low.removeprefix("general.")
    return re.sub(r"[^a-z0-9]", "", low)


def alias_table(overrides: Mapping[str, str] | None, file: str) -> dict[str, str]:
    """Normalized header → model field; overrides first."""
    aliases: dict[str, list[str]] = load_data("csv_aliases.yaml")["aliases"]
    table: dict[str, str] = {}
    for header, target in (overrides or {}).items():
        if target not in aliases:
            raise InputError(
                file,
                f"import.csv_aliases maps {header!r} to unknown field {target!r}",
                f"use one of {', '.join(aliases)}",
            )
        table[norm(header)] = target
    for target, names in aliases.items():
        for name in names:
            table.setdefault(norm(name), target)
    return table


def vendor_of(headers: list[str]) -> str | None:
    present = {norm(h) for h in headers}
    for vendor, names in load_data("csv_aliases.yaml")["vendors"].items():
        if any(norm(n) in present for n in names):
            return str(vendor)
    return None


def load(data: bytes, file: str, options: ImportOptions) -> Document:
    check_size(data, file, options.max_bytes)
    rows = _rows(_text(data, file), file)
    try:
        header_line, header = next(rows)
    except StopIteration:
        raise InputError(file, "the CSV file is empty", "export the inventory with a header row", 1) from None
    table = alias_table(options.alias_overrides, file)
    columns: dict[str, tuple[int, str]] = {}
    for i, name in enumerate(header):
        target = table.get(norm(name))
        if target is not None and target not in columns:
            columns[target] = (i, name.strip())
    if "serial" not in columns:
        raise InputError(
            file,
            "no serial-number column",
            "name it serialNumber (or map your column with import.csv_aliases in k12check.yaml)",
            header_line,
        )
    vendor = vendor_of(header)
    b = DistrictBuilder(file, FORMAT, options, vendor)
    for line, row in rows:
        if len(row) != len(header):  # a stray quote or delimiter shifts every cell after it
            raise InputError(
                file,
                f"the row at line {line} has {len(row)} cells but the header has {len(header)}",
                "fix the row (a stray comma or quote?) or export the file again",
                line,
            )
        cells = {
            f: (textsafe.clean_input(row[i].strip()), Origin(f"row {line}.{name}", line, 1))
            for f, (i, name) in columns.items()
        }
        add_device(b, cells, Origin(f"row {line}", line, 1), vendor)
    return b.document()


def _text(data: bytes, file: str) -> str:
    try:
        return decode(data, file)
    except InputError:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
            raise
        return data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows


def _rows(text: str, file: str) -> Iterator[tuple[int, list[str]]]:
    """(first line of the row, cells) of each non-empty row, the header first."""
    lines = text.splitlines(keepends=True)
    delimiter, skip = ",", 0
    if lines and lines[0].lower().startswith("sep="):  # Excel's delimiter hint line
        delimiter, skip = (lines[0][4:5] or ","), 1
    elif lines:
        first = lines[0]
        delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO("".join(lines[skip:]), newline=""), delimiter=delimiter, strict=True)
    end = skip
    try:
        for count, row in enumerate(reader):
            start, end = end + 1, reader.line_num + skip
            if count > MAX_ROWS:
                raise InputError(file, f"more than {MAX_ROWS:,} rows", "split the export", start)
            if any(cell.strip() for cell in row):
                yield start, row
    except csv.Error as exc:  # strict: an unterminated quote is an error, never rows swallowed
        what = "a quoted cell is never closed" if "end of data" in str(exc) else str(exc)
        raise InputError(
            file, f"invalid CSV in this row ({what})", "fix the quotes in this row or export again", end + 1
        ) from None


def add_device(b: DistrictBuilder, cells: Cells, row: Origin, vendor: str | None) -> None:
    """One device from its cells (CSV row or Graph object); errors name the row."""
    text = {f: v for f, (v, _) in cells.items() if v}
    if not text.get("serial"):
        column = cells["serial"][1].key_path.split(".", 1)[-1] if "serial" in cells else "serial"
        raise InputError(
            b.file,
            f"{row.key_path} has no serial number (column {column} is empty)",
            "fill it in or remove the row",
            row.line,
        )
    device: dict[str, Any] = {"serial": text["serial"]}
    platform = parse_platform(text.get("platform"), text.get("model")) or (
        "chromeos" if vendor == "google" else None
    )
    if platform == "ios" and parse_platform(text.get("model")) == "ipados":  # MDMs often say "iOS" for iPads
        platform = "ipados"
    device.update({"platform": platform, "model": text.get("model"), "os_version": text.get("os_version")})
    device["last_checkin"] = _when(b, cells, "last_checkin", parse_datetime, row)
    device["assigned_user"] = text.get("assigned_user")
    scope = text.get("scope")
    device["scope"] = _scope(b, scope, row) if scope else b.file_scope(row)
    for field in ("managed", "supervised", "encrypted"):
        device[field] = parse_bool(text[field]) if field in text else None
    boot = text.get("boot_mode", "").lower()
    device["boot_mode"] = boot if boot in ("verified", "dev") else None
    device["aue_date"] = _when(b, cells, "aue_date", parse_date, row)
    device["extended_support"] = _extended(text)
    device["compliance_state"] = text.get("compliance_state")
    device["mdm_profile_expires"] = _when(b, cells, "mdm_profile_expires", parse_date, row)
    device["status"] = (
        "missing" if parse_bool(text.get("missing", "")) else (text.get("status") or "").lower() or None
    )
    device["lease_ends"] = _when(b, cells, "lease_ends", parse_date, row)
    device["source"] = b.file
    record = {k: v for k, v in device.items() if v is not None}
    origins = {"": row} | {f: cells[f][1] for f in record if f in cells}
    b.device(record, origins)


def _scope(b: DistrictBuilder, name: str, row: Origin) -> str:
    if name.startswith("/"):  # an OU path: named by its last part, as the Chrome importer does
        return b.scope(name.rstrip("/").rsplit("/", 1)[-1] or "/", ou_path=name, origin=row)
    return b.scope(name, origin=row)


def _when(b: DistrictBuilder, cells: Cells, field: str, parse: Any, row: Origin) -> Any:
    raw, origin = cells.get(field, ("", row))
    if not raw:
        return None
    try:
        return parse(raw)
    except (ValueError, OverflowError, OSError):
        column = origin.key_path.split(".", 1)[-1]
        raise InputError(
            b.file, f"{row.key_path}: {column} {raw!r} is not a date", DATE_HINT, row.line
        ) from None


def _extended(text: dict[str, str]) -> str | None:
    if parse_bool(text.get("extended_support_enabled", "")):
        return "enabled"
    eligible = parse_bool(text.get("extended_support_eligible", ""))
    return {True: "eligible", False: "no", None: None}[eligible]
