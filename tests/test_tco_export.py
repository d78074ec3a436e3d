"""`k12check tco`: JSON/CSV/table output and the XLSX whose live formulas match the Python model."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner
from xlsx_eval import Workbook

from checker.cli import app
from checker.tco import compute_in_house, compute_tco
from checker.tco_export import build_run, to_csv, to_json, to_table
from checker.tco_xlsx import FIRST, to_xlsx

ROOT = Path(__file__).parents[1]
EXAMPLES = sorted((ROOT / "examples" / "contracts").glob("*.yaml"))
IN_HOUSE = {
    "staff_fte": 2,
    "salary_usd": 50000,
    "benefits_pct": 30,
    "annual_raise_pct": 3,
    "tools_annual_usd": 1000,
    "training_annual_usd": 500,
    "vacancy_months_per_year": 1,
}


def c(**cost: Any) -> dict[str, Any]:
    return {"vendor": {"name": "V"}, "contract": {"id": "C"}, "cost": cost}


# Cases that exercise every branch of the model's formulas.
CASES: list[tuple[str, dict[str, Any]]] = [
    ("lock", c(initial_usd=10000, annual_usd=[20000], escalator_pct=5, price_lock_months=24)),
    ("cap", c(initial_usd=0, annual_usd=[10000], escalator_pct=8, escalator_cap_pct=3, tco_5yr_usd=50000)),
    ("listed-gap", c(annual_usd=[100, None, 300], escalator_pct=10)),
    ("per-device", c(annual_usd=[1000], per_device_month_usd=2, device_count=100, escalator_pct=10)),
    ("no-escalator-cap-only", c(annual_usd=[500], escalator_cap_pct=4)),
    ("no-price", c(initial_usd=5)),
    (
        "fees",
        {
            "cost": {
                "initial_usd": 1,
                "annual_usd": [10],
                "fees": {"onboarding_usd": 100, "data_export_usd": 10000, "after_hours_hourly_usd": 150},
            },
            "exit": {"transition_fee_usd": 100000},
        },
    ),
]


def model_values(book: Workbook, run: Any, key_label: str) -> list[Any]:
    ws = book.wb["Model"]
    row = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith(key_label))
    cols = range(FIRST, FIRST + len(run.entries) + 1)
    return [book.value("Model", f"{get_column_letter(col)}{row}") for col in cols]


def evaluate(run: Any) -> Workbook:
    return Workbook(load_workbook(io.BytesIO(to_xlsx(run))))


def test_xlsx_formulas_compute_the_python_totals() -> None:
    docs = [(name, data) for name, data in CASES] + [
        (p.name, yaml.safe_load(p.read_text())) for p in EXAMPLES
    ]
    run = build_run(docs, 5, {"in_house": IN_HOUSE})
    book = evaluate(run)
    totals = model_values(book, run, "Total cost of ownership")
    expected = [e.model.total if e.model.total is not None else "no first-year price" for e in run.entries]
    assert totals[:-1] == expected
    assert totals[-1] == pytest.approx(run.portfolio_total)
    years = [model_values(book, run, f"Year {y} cost")[:-1] for y in range(1, 6)]
    for i, entry in enumerate(run.entries):
        for row in entry.model.rows:
            assert years[row.year - 1][i] == pytest.approx(row.annual_usd), (entry.file, row.year)
    diffs = model_values(book, run, "Vendor's figure differs")[:-1]
    assert diffs == [
        e.model.vendor_diff_pct if e.model.vendor_diff_pct is not None else "" for e in run.entries
    ]


def test_changing_the_escalator_cell_moves_the_total() -> None:
    data = c(
        initial_usd=10000, annual_usd=[20000], escalator_pct=5, escalator_cap_pct=7, price_lock_months=24
    )
    run = build_run([("x", data)], 5)
    wb = load_workbook(io.BytesIO(to_xlsx(run)))
    ws = wb["Inputs"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Escalator")
    assert ws.cell(row, FIRST).value == 5
    ws.cell(row, FIRST).value = 6  # the business officer's edit
    total = model_values(Workbook(wb), run, "Total cost of ownership")[0]
    assert total != run.entries[0].model.total
    assert total == compute_tco(c(**{**data["cost"], "escalator_pct": 6})).total
    ws.cell(row, FIRST).value = 9  # above the cap of 7: the cap applies
    total = model_values(Workbook(wb), run, "Total cost of ownership")[0]
    assert (
        total
        == compute_tco(c(**{**data["cost"], "escalator_pct": 7})).total
        == 118798.86  # 10000 + 2 × 20000 + 20000 × (1.07 + 1.07² + 1.07³)
    )


def test_in_house_sheet_matches_and_compares() -> None:
    run = build_run([("lock", CASES[0][1])], 5, {"in_house": IN_HOUSE})
    wb = load_workbook(io.BytesIO(to_xlsx(run)))
    ws = wb["In-house"]
    book = Workbook(wb)
    by_label = {ws.cell(r, 1).value: book.value("In-house", f"F{r}") for r in range(1, ws.max_row + 1)}
    assert by_label["In-house total"] == compute_in_house(IN_HOUSE).total == 755203.29
    assert by_label["Vendor total (all contracts)"] == 116202.5
    assert by_label["Difference (vendor − in-house)"] == run.comparison.difference_usd  # type: ignore[union-attr]
    raise_row = next(r for r in range(1, 12) if str(ws.cell(r, 1).value).startswith("Annual raise"))
    total_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "In-house total")
    ws.cell(raise_row, 2).value = 0  # no raises: staff is flat at 130000
    assert Workbook(wb).value("In-house", f"F{total_row}") == round(130000 * 13 / 12 * 5 + 7500, 2)


def test_hostile_vendor_name_stays_text_in_xlsx_and_csv() -> None:
    data = {
        "vendor": {"name": '=HYPERLINK("http://x","y")'},
        "contract": {"id": "+1"},
        "cost": {"annual_usd": [1]},
    }
    run = build_run([("f.yaml", data)], 5)
    ws = load_workbook(io.BytesIO(to_xlsx(run)))["Inputs"]
    assert ws.cell(3, FIRST).data_type == "s" and ws.cell(3, FIRST).value.startswith("=HYPERLINK")
    rows = list(csv.reader(io.StringIO(to_csv(run))))
    assert rows[1][1].startswith("'=") and rows[1][2] == "'+1"


def test_json_has_top_level_tco_for_one_contract() -> None:
    run = build_run([("lock.yaml", CASES[0][1])], 5)
    data = json.loads(to_json(run))
    assert data["tco_5yr_usd"] == 116202.5 and data["contracts"][0]["vendor"] == "V"
    assert data["contracts"][0]["unknown_fees"] == [
        "onboarding",
        "offboarding",
        "data_export",
        "transition_fee",
    ]
    two = json.loads(to_json(build_run(CASES[:2], 5)))
    assert "tco_5yr_usd" not in two and two["portfolio_total_usd"] == round(116202.5 + 53091.36, 2)
    assert "tco_5yr_usd" not in json.loads(to_json(build_run(CASES[:1], 3)))


def test_csv_and_table() -> None:
    run = build_run(CASES, 5, {"in_house": IN_HOUSE})
    rows = list(csv.DictReader(io.StringIO(to_csv(run))))
    lock_total = next(r for r in rows if r["file"] == "lock" and r["item"] == "total")
    assert float(lock_total["amount_usd"]) == 116202.5
    assert [r["basis"] for r in rows if r["file"] == "lock" and r["item"] == "annual"][:3] == [
        "listed",
        "locked",
        "escalated",
    ]
    table = to_table(run)
    assert (
        "116,202.50" in table
        and "TCO cannot be computed" in table
        and "In-house, 5 years: 755,203.29" in table
    )
    assert "after-hours support (150.00 USD per hour)" in table


def test_usage_estimates_from_the_district_price_the_fee() -> None:
    district = {"in_house": IN_HOUSE, "usage_estimates": {"C9": {"after_hours_hours_per_year": 10}}}
    data = {"contract": {"id": "C9"}, "cost": {"annual_usd": [1000], "fees": {"after_hours_hourly_usd": 150}}}
    run = build_run([("u", data)], 5, district)
    assert run.entries[0].model.total == 12500
    assert model_values(evaluate(run), run, "Total cost of ownership")[0] == 12500


def _write(tmp: Path, name: str, data: dict[str, Any]) -> Path:
    path = tmp / name
    path.write_text(yaml.safe_dump(data))
    return path


def test_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    contract = _write(tmp_path, "a.yaml", {"kind": "contract", "schema_version": 1, **CASES[0][1]})
    district = _write(tmp_path, "d.yaml", {"kind": "district", "schema_version": 1, "in_house": IN_HOUSE})
    out = runner.invoke(app, ["tco", str(contract), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["tco_5yr_usd"] == 116202.5
    xlsx = tmp_path / "t.xlsx"
    out = runner.invoke(
        app, ["tco", str(contract), "--in-house", str(district), "-f", "xlsx", "-o", str(xlsx)]
    )
    assert out.exit_code == 0, out.output
    assert load_workbook(xlsx).sheetnames == ["Inputs", "Model", "In-house"]
    out = runner.invoke(app, ["tco", str(contract), "-f", "xlsx"])
    assert out.exit_code == 2 and "needs a file" in out.stderr
    out = runner.invoke(app, ["tco", str(contract), "--in-house", str(contract)])
    assert out.exit_code == 2 and "not a district file" in out.stderr
    out = runner.invoke(app, ["tco", str(district)])
    assert out.exit_code == 2
    out = runner.invoke(app, ["tco", str(tmp_path), "--years", "3"])
    assert out.exit_code == 0 and "Total, 3 years" in out.stdout
