"""Golden CLI scenarios: tests/golden/scenarios/<name>.yaml holds the arguments; the
expected stdout, stderr and exit code sit beside it (<name>.out, .err, .exit).

Regenerate after an intended change with ``K12_REGEN=1 python -m pytest tests/test_cli_golden.py``
and review the diff.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "tests" / "golden" / "scenarios").glob("*.yaml"))


def run_cli(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "checker", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.stem for s in SCENARIOS])
def test_golden(scenario: Path) -> None:
    args = yaml.safe_load(scenario.read_text())["args"]
    proc = run_cli(args)
    got = {".out": proc.stdout, ".err": proc.stderr, ".exit": f"{proc.returncode}\n"}
    if os.environ.get("K12_REGEN"):
        for suffix, text in got.items():
            scenario.with_suffix(suffix).write_text(text)
    for suffix, text in got.items():
        expected = scenario.with_suffix(suffix).read_text()
        assert text == expected, f"{scenario.stem}{suffix} differs (K12_REGEN=1 to regenerate)"
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.stem for s in SCENARIOS])
def test_golden_with_findings_sorted_on_disk(
    scenario: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The same stdout and exit code when every few findings go to disk (the 100k-file path:
    lint, waivers, baseline, gate, report and every format read the findings as a stream)."""
    from typer.testing import CliRunner

    from checker import findings
    from checker.cli import app

    args = yaml.safe_load(scenario.read_text())["args"]
    monkeypatch.setattr(findings, "SPILL_AT", 2)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.chdir(ROOT)
    got = CliRunner().invoke(app, args, catch_exceptions=False)
    assert got.stdout == scenario.with_suffix(".out").read_text()
    assert f"{got.exit_code}\n" == scenario.with_suffix(".exit").read_text()
