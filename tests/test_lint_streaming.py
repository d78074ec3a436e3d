"""The streamed run (checker.run): worker processes and the pickled contract summaries
change nothing in the result (issue 7: --jobs, flat memory)."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import pytest

from checker.catalog import load_rules
from checker.documents import Input, discover, load_document
from checker.engine import evaluate
from checker.portfolio import Portfolio
from checker.run import RunOptions
from checker.run import run as lint
from checker.run.executor import CHUNK as _CHUNK

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TODAY = dt.date(2026, 11, 28)


def _portfolio(folder: Path) -> Path:
    """The example district and enough copies of the example contracts for two workers."""
    contracts = sorted((EXAMPLES / "contracts").glob("*.yaml"))
    for i in range(2 * _CHUNK // len(contracts) + 2):
        for src in contracts:
            shutil.copy(src, folder / f"{i:02d}-{src.name}")
    shutil.copy(EXAMPLES / "district" / "district.yaml", folder / "district.yaml")
    (folder / "broken.yaml").write_text("kind: contract\nvendor: [\n")
    return folder


def _snapshot(folder: Path, jobs: int, spill_at: int | None = None) -> tuple[list, list, list, list]:  # type: ignore[type-arg]
    result = lint([folder], RunOptions(today=TODAY, jobs=jobs, spill_at=spill_at), rules=load_rules())
    assert result.findings.spilled == (spill_at is not None)
    return (
        [f.to_dict() for f in result.findings],
        [d.to_dict() for d in result.documents],
        [e.to_dict() for e in result.errors],
        result.skipped,
    )


def test_two_workers_report_exactly_what_one_process_does(tmp_path: Path) -> None:
    folder = _portfolio(tmp_path)
    one = _snapshot(folder, 1)
    assert sum(1 for f in one[0] if f["target"] == "portfolio") > 0  # the cross-checks ran
    assert len(one[2]) == 1 and one[2][0]["file"].endswith("broken.yaml")
    assert _snapshot(folder, 2) == one


def test_findings_sorted_on_disk_are_what_memory_holds(tmp_path: Path) -> None:
    """A run whose findings go to disk every 5 (as a 100k-file run's do every 16,384)."""
    folder = _portfolio(tmp_path)
    one = _snapshot(folder, 1)
    assert len(one[0]) > 100
    assert _snapshot(folder, 1, spill_at=5) == one
    assert _snapshot(folder, 2, spill_at=5) == one


def test_progress_counts_every_file_once(tmp_path: Path) -> None:
    folder = _portfolio(tmp_path)
    seen: list[tuple[int, int]] = []
    lint([folder], RunOptions(today=TODAY, progress=lambda done, total, _: seen.append((done, total))))
    total = len(list(folder.iterdir()))
    assert seen[-1] == (total, total)
    assert [done for done, _ in seen] == sorted({done for done, _ in seen})


def test_cross_checks_see_every_contract_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The summaries kept pickled during the run are the ones Portfolio.add makes."""
    folder = _portfolio(tmp_path)
    rules = load_rules()
    reference = Portfolio(TODAY)
    for item in discover([folder]):
        if isinstance(item, Input) and item.path.name != "broken.yaml":
            reference.add(load_document(item))
    [district] = reference.districts
    expected = evaluate(
        rules.rules, district, TODAY, schema=False, portfolio=reference.view(district), target="portfolio"
    )
    without = evaluate(
        rules.rules,
        district,
        TODAY,
        schema=False,
        portfolio={**reference.view(district), "contracts": []},
        target="portfolio",
    )
    assert sorted(expected.findings) != sorted(without.findings)  # the contracts matter here
    for jobs, spool in ((1, 1 << 20), (2, 1 << 20), (1, 1)):  # summaries in memory, then on disk
        monkeypatch.setattr(sys.modules["checker.run.run"], "_SUMMARIES_IN_MEMORY", spool)
        result = lint([folder], RunOptions(today=TODAY, jobs=jobs), rules=rules)
        assert [f for f in result.findings if f.target == "portfolio"] == sorted(expected.findings)


def test_a_full_temporary_folder_is_a_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Findings that cannot go to disk: exit 2 and what to do, no traceback."""
    import errno
    import tempfile

    from typer.testing import CliRunner

    from checker import findings
    from checker.cli import app

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(findings, "SPILL_AT", 2)
    monkeypatch.setattr(tempfile, "TemporaryFile", full)
    got = CliRunner().invoke(app, ["lint", str(EXAMPLES / "contracts"), "--today", "2026-11-28"])
    assert got.exit_code == 2, got.output
    assert "No space left on device" in got.stderr and "TMPDIR" in got.stderr
    assert len(got.stderr.strip().splitlines()) == 1
    assert got.exception is None or isinstance(got.exception, SystemExit)  # no traceback


def test_a_small_run_never_touches_the_temporary_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Findings and contract summaries stay in memory until they are large."""
    import tempfile

    def unwanted(*args: object, **kwargs: object) -> None:
        raise AssertionError("a temporary file was made")

    monkeypatch.setattr(tempfile, "TemporaryFile", unwanted)
    result = lint([EXAMPLES], RunOptions(today=TODAY), rules=load_rules())
    assert len(result.findings) > 100 and not result.errors
