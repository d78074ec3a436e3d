"""Folder walks: stray YAML is skipped and counted; a contract without kind: is an error."""

from __future__ import annotations

from pathlib import Path

from checker.formats._common import summary_line
from checker.run import RunOptions
from checker.run import run as lint

EXAMPLE = Path(__file__).parents[1] / "examples" / "contracts" / "clean-mdm-2026.yaml"


def test_a_contract_that_lost_its_kind_line_is_an_error_not_a_skip(tmp_path: Path) -> None:
    text = EXAMPLE.read_text().replace("kind: contract\n", "", 1)
    (tmp_path / "acme.yaml").write_text(text)
    (tmp_path / "ci.yaml").write_text("jobs: {}\non: push\n")  # somebody else's YAML
    result = lint([tmp_path], RunOptions())
    [error] = result.errors
    assert error.file.endswith("acme.yaml") and error.line == 1
    assert "are those of a contract" in error.message and "add kind: contract" in error.message
    assert [Path(s).name for s in result.skipped] == ["ci.yaml"]
    assert summary_line(result).endswith("; 1 file without kind: skipped")


def test_district_sections_name_the_district_kind(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text("district: {id: x}\npolicies: []\ndevices: []\n")
    [error] = lint([tmp_path], RunOptions()).errors
    assert "those of a district" in error.message and "add kind: district" in error.message
