"""The TCO model as a workbook whose numbers are live formulas over its inputs.

* **Inputs**: one column per contract, one labelled row (with its unit) per input —
  initial price, listed annual prices, device count, per-device price, escalator,
  cap, price lock, fees, usage fees and estimates, the vendor's own figure.  Blank
  means the contract is silent (a comment says how it is counted).
* **Model**: the same columns; each year's cost, the one-time costs and the total
  are formulas over **Inputs** implementing contracts.md §5 (see :mod:`checker.tco`),
  so a business officer can change the escalator and watch the total move.
* **In-house** (with a district ``in_house`` section): inputs, yearly formulas
  (raises, benefits, vacancy backfill, tools, training) and the comparison.

Only IF, OR, MIN, N, ROUND, SUM, ABS and ISTEXT are used, so Excel and LibreOffice agree.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from . import textsafe
from .money import number
from .tco import ONE_TIME, USAGE_FEES
from .tco_export import TcoEntry, TcoRun
from .tco_inhouse import IN_HOUSE_INPUTS

MONEY = "#,##0.00"
BOLD = Font(bold=True)
INPUT_FILL = PatternFill("solid", fgColor="FFF6D5")  # pale yellow: cells meant to be edited
SILENT_FILL = PatternFill("solid", fgColor="F4CCCC")  # pale red: the contract is silent
FIRST = 3  # first contract column (A = label, B = unit)

Getter = Callable[[Mapping[str, Any]], Any]


def _dig(data: Mapping[str, Any], dotted: str) -> Any:
    cur: Any = data
    for part in dotted.split("."):
        cur = cur.get(part) if isinstance(cur, Mapping) else None
    return cur


def _listed(year: int) -> Getter:
    def get(data: Mapping[str, Any]) -> Any:
        listed = _dig(data, "cost.annual_usd")
        return listed[year - 1] if isinstance(listed, list) and len(listed) >= year else None

    return get


def _path(dotted: str) -> Getter:
    return lambda data: _dig(data, dotted)


def input_rows(years: int) -> list[tuple[str, str, str, Getter, str]]:
    """(key, label, unit, getter, what blank means) for every input row, in sheet order."""
    rows = [
        ("initial", "Initial (one-time) price", "USD", _path("cost.initial_usd"), "not stated: counted 0")
    ]
    for y in range(1, years + 1):
        blank = "no price: TCO cannot be computed" if y == 1 else "not listed: derived from the year before"
        rows.append((f"annual_{y}", f"Listed price, year {y}", "USD per year", _listed(y), blank))
    rows += [
        ("device_count", "Device count", "devices", _path("cost.device_count"), "no per-device charges"),
        (
            "per_device",
            "Per-device price",
            "USD per device per month",
            _path("cost.per_device_month_usd"),
            "no per-device charges",
        ),
        ("escalator", "Escalator", "% per year", _path("cost.escalator_pct"), "not stated: 0 %"),
        ("cap", "Escalator cap", "% per year", _path("cost.escalator_cap_pct"), "no cap"),
        ("lock", "Price lock", "months from the start", _path("cost.price_lock_months"), "no lock: 0 months"),
    ]
    rows += [
        (k, label, "USD, once", _path(p), "not stated: counted 0 (hidden cost)")
        for k, label, p in ONE_TIME[1:]
    ]
    for key, label, path, unit, usage_key in USAGE_FEES:
        rows.append((f"{key}_price", label, unit, _path(path), "not stated: unpriced hidden cost"))
        rows.append(
            (
                f"{key}_qty",
                f"{label}: estimated use",
                usage_key.replace("_", " "),
                lambda d: None,
                "no estimate: unpriced",
            )
        )
    rows.append(("vendor", "Vendor's own 5-year figure", "USD", _path("cost.tco_5yr_usd"), "not quoted"))
    return rows


def _title(ws: Worksheet, text: str) -> None:
    ws["A1"] = text
    ws["A1"].font = Font(bold=True, size=14)


def _header(ws: Worksheet, title: str, run: TcoRun, first_row: int = 3) -> None:
    _title(ws, title)
    for label, row in (("Vendor", first_row), ("Contract", first_row + 1), ("File", first_row + 2)):
        ws.cell(row, 1, label).font = BOLD
    for i, e in enumerate(run.entries):
        col = FIRST + i
        for row, value in ((first_row, e.vendor), (first_row + 1, e.contract_id), (first_row + 2, e.file)):
            _text(ws, row, col, value)
        ws.column_dimensions[get_column_letter(col)].width = 22
    ws.column_dimensions["A"].width = 38
    ws.column_dimensions["B"].width = 26
    ws.freeze_panes = ws.cell(first_row + 3, FIRST)


def _text(ws: Worksheet, row: int, col: int, value: str) -> Any:
    """A text cell that stays text: a vendor name like ``=HYPERLINK(...)`` is not a formula."""
    cell = ws.cell(row, col)
    cell.value = textsafe.one_line(str(value)) if value is not None else None  # XML 1.0 has no \x01
    cell.data_type = "s"
    cell.font = BOLD
    return cell


def _usage_value(entry: TcoEntry, key: str) -> float | None:
    for f in entry.model.usage_fees:
        if f"{f.key}_qty" == key:
            return f.quantity_per_year
    return None


def write_inputs(ws: Worksheet, run: TcoRun) -> dict[str, int]:
    """Fill the Inputs sheet; returns input key → row."""
    _header(ws, "TCO inputs (yellow cells may be changed; red = the contract is silent)", run)
    rows: dict[str, int] = {}
    for offset, (key, label, unit, get, blank) in enumerate(input_rows(run.years)):
        row = 6 + offset
        rows[key] = row
        ws.cell(row, 1, label)
        ws.cell(row, 2, unit)
        for i, e in enumerate(run.entries):
            value = _usage_value(e, key) if key.endswith("_qty") else number(get(e.data))
            cell = ws.cell(row, FIRST + i, value)
            cell.fill = INPUT_FILL if value is not None or key.endswith("_qty") else SILENT_FILL
            cell.number_format = MONEY if unit.startswith("USD") else "General"
            if value is None:
                cell.comment = Comment(f"Blank: {blank}", "k12check")
    return rows


def _model_formulas(c: str, years: int, i: dict[str, int], m: dict[str, int]) -> dict[str, str]:
    """The Model sheet's formulas for the contract in column ``c`` (contracts.md §5)."""
    inp = lambda key: f"Inputs!{c}{i[key]}"  # noqa: E731
    f = {
        "e": f'=IF({inp("cap")}="",N({inp("escalator")}),MIN(N({inp("escalator")}),{inp("cap")}))',
        "per_device": f'=IF(OR({inp("per_device")}="",{inp("device_count")}=""),0,{inp("per_device")}*{inp("device_count")}*12)',
        "year_1": f"=N({inp('annual_1')})+{c}{m['per_device']}",
    }
    for y in range(2, years + 1):
        prev, listed = f"{c}{m[f'year_{y - 1}']}", inp(f"annual_{y}")
        esc = f"{prev}*(1+{c}{m['e']}/100)"
        f[f"year_{y}"] = f'=IF({listed}<>"",{listed},IF({(y - 1) * 12}>=N({inp("lock")}),{esc},{prev}))'
    f["recurring"] = f"=SUM({c}{m['year_1']}:{c}{m[f'year_{years}']})"
    for key, _, _ in ONE_TIME:
        f[key] = f"=N({inp(key)})"
    for key, *_ in USAGE_FEES:
        p, q = inp(f"{key}_price"), inp(f"{key}_qty")
        f[f"usage_{key}"] = f'=IF(OR({p}="",{q}=""),0,{p}*{q}*{years})'
    parts = [f"{c}{m['recurring']}"] + [f"{c}{m[k]}" for k, _, _ in ONE_TIME]
    parts += [f"{c}{m['usage_' + k]}" for k, *_ in USAGE_FEES]
    f["total"] = f'=IF({inp("annual_1")}="","no first-year price",ROUND({"+".join(parts)},2))'
    if years == 5:
        v, t = inp("vendor"), f"{c}{m['total']}"
        f["vendor"] = f'=IF({v}="","",{v})'
        f["diff"] = f'=IF(OR({v}="",ISTEXT({t})),"",IF({t}=0,IF({v}=0,0,100),ROUND(ABS({v}-{t})/{t}*100,2)))'
    return f


def model_rows(years: int) -> list[tuple[str, str, str]]:
    """(key, label, unit) of the Model sheet rows, in order."""
    rows = [
        ("e", "Effective escalator (after the cap)", "% per year"),
        ("per_device", "Per-device charges, year 1", "USD"),
    ]
    rows += [(f"year_{y}", f"Year {y} cost", "USD") for y in range(1, years + 1)]
    rows.append(("recurring", f"Recurring cost, {years} years", "USD"))
    rows += [(key, label, "USD, once") for key, label, _ in ONE_TIME]
    rows += [(f"usage_{k}", f"{label} (estimated use × {years} years)", "USD") for k, label, *_ in USAGE_FEES]
    rows.append(("total", f"Total cost of ownership, {years} years", "USD"))
    if years == 5:
        rows += [
            ("vendor", "Vendor's own 5-year figure", "USD"),
            ("diff", "Vendor's figure differs from ours by", "%"),
        ]
    return rows


def write_model(ws: Worksheet, run: TcoRun, inputs: dict[str, int]) -> dict[str, int]:
    """Fill the Model sheet with formulas; returns row key → row (Portfolio column last)."""
    _header(ws, f"TCO model, {run.years} years (formulas over the Inputs sheet)", run)
    spec = model_rows(run.years)
    m = {key: 6 + n for n, (key, _, _) in enumerate(spec)}
    last = FIRST + len(run.entries)
    ws.cell(3, last, "Portfolio").font = BOLD
    ws.column_dimensions[get_column_letter(last)].width = 22
    for n in range(len(run.entries)):
        c = get_column_letter(FIRST + n)
        for key, formula in _model_formulas(c, run.years, inputs, m).items():
            ws[f"{c}{m[key]}"] = formula
    for key, label, unit in spec:
        ws.cell(m[key], 1, label).font = BOLD if key == "total" else Font()
        ws.cell(m[key], 2, unit)
        for col in range(FIRST, last + 1):
            ws.cell(m[key], col).number_format = "0.00" if unit.startswith("%") else MONEY
        if key not in ("e", "diff") and run.entries:
            span = f"{get_column_letter(FIRST)}{m[key]}:{get_column_letter(last - 1)}{m[key]}"
            ws.cell(m[key], last, f"=SUM({span})")
    for col in range(1, last + 1):
        ws.cell(m["total"], col).font = BOLD
    return m


def write_in_house(ws: Worksheet, run: TcoRun, total_ref: str) -> None:
    """The in-house inputs, yearly formulas and the comparison with the vendor total."""
    assert run.in_house is not None
    _title(ws, "In-house cost of the same work (yellow cells may be changed)")
    given = run.in_house.inputs
    ref: dict[str, str] = {}
    for n, (key, label) in enumerate(IN_HOUSE_INPUTS):
        row = 3 + n
        ref[key] = f"N($B${row})"
        ws.cell(row, 1, label)
        ws.cell(row, 2, given.get(key)).fill = INPUT_FILL
    top = 4 + len(IN_HOUSE_INPUTS)
    for col, title in enumerate(
        ("Year", "Staff (loaded)", "Vacancy backfill", "Tools", "Training", "Total"), 1
    ):
        ws.cell(top, col, title).font = BOLD
    raise_, loaded = (
        ref["annual_raise_pct"],
        f"{ref['staff_fte']}*{ref['salary_usd']}*(1+{ref['benefits_pct']}/100)",
    )
    for y in range(1, run.years + 1):
        r = top + y
        ws.cell(r, 1, y)
        ws.cell(r, 2, f"={loaded}*(1+{raise_}/100)^(A{r}-1)")
        ws.cell(r, 3, f"=B{r}*{ref['vacancy_months_per_year']}/12")
        ws.cell(r, 4, f"={ref['tools_annual_usd']}")
        ws.cell(r, 5, f"={ref['training_annual_usd']}")
        ws.cell(r, 6, f"=SUM(B{r}:E{r})")
    end = top + run.years
    rows = (
        (
            "In-house total",
            f'=IF(OR($B$3="",$B$4=""),"missing staff or salary",ROUND(SUM(F{top + 1}:F{end}),2))',
        ),
        ("Vendor total (all contracts)", f"={total_ref}"),
        ("Difference (vendor − in-house)", f'=IF(ISTEXT(F{end + 2}),"",ROUND(F{end + 3}-F{end + 2},2))'),
    )
    for n, (label, formula) in enumerate(rows, start=2):
        ws.cell(end + n, 1, label).font = BOLD
        ws.cell(end + n, 6, formula).font = BOLD
    for row in ws.iter_rows(min_row=3, max_row=end + 4, min_col=2, max_col=6):
        for cell in row:
            cell.number_format = MONEY
    ws.column_dimensions["A"].width = 40
    for letter in "BCDEF":
        ws.column_dimensions[letter].width = 18


def workbook(run: TcoRun) -> Workbook:
    """The whole workbook (Inputs, Model, and In-house when the run has it)."""
    wb = Workbook()
    inputs_ws = wb.active
    assert inputs_ws is not None
    inputs_ws.title = "Inputs"
    rows = write_inputs(inputs_ws, run)
    model = write_model(wb.create_sheet("Model"), run, rows)
    if run.in_house is not None:
        total_ref = f"Model!{get_column_letter(FIRST + len(run.entries))}{model['total']}"
        write_in_house(wb.create_sheet("In-house"), run, total_ref)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                cell.alignment = Alignment(vertical="top")
    return wb


def to_xlsx(run: TcoRun) -> bytes:
    """The workbook as bytes (deterministic apart from the XLSX timestamps openpyxl writes)."""
    buf = io.BytesIO()
    workbook(run).save(buf)
    return buf.getvalue()
