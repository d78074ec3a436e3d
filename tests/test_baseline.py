"""Baselines: write, load, apply (only new findings count), update (only ever shrinks)."""

from __future__ import annotations

import dataclasses
import json
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.baseline import apply_baseline, baselinable, load_baseline, update_baseline, write_baseline
from checker.errors import ConfigError
from checker.models import AppliedWaiver, Finding, Severity, fingerprint
from checker.textsafe import clean_input
from tests.strategies import findings as finding_strategy


def _f(tmp_path: Path, rule: str, doc: str, path: str, line: int = 5) -> Finding:
    file = str(tmp_path / "contracts" / f"{doc}.yaml")
    return Finding(
        file, line, rule, path, fingerprint=fingerprint(rule, doc, path), severity=Severity.HIGH, document=doc
    )


@pytest.fixture
def found(tmp_path: Path) -> list[Finding]:
    return [
        _f(tmp_path, "BRCH-002", "acme", "breach.hours"),
        _f(tmp_path, "SEC-005", "acme", "security.pentest"),
        _f(tmp_path, "PRIV-001", "beta", "privacy.sells_data"),
    ]


def test_round_trip_is_sorted_and_readable(tmp_path: Path, found: list[Finding]) -> None:
    path = tmp_path / ".k12check-baseline.json"
    written = write_baseline(path, list(reversed(found)), tool_version="1.2.3")
    data = json.loads(path.read_text())
    assert data["version"] == 1 and data["tool"] == {"name": "k12check", "version": "1.2.3"}
    assert [(e["file"], e["rule"], e["path"]) for e in data["entries"]] == [
        ("contracts/acme.yaml", "BRCH-002", "breach.hours"),
        ("contracts/acme.yaml", "SEC-005", "security.pentest"),
        ("contracts/beta.yaml", "PRIV-001", "privacy.sells_data"),
    ]
    loaded = load_baseline(path)
    assert loaded.entries == written.entries and loaded.tool_version == "1.2.3"
    assert loaded.fingerprints == {f.fingerprint for f in found}
    write_baseline(path, found, tool_version="1.2.3")
    assert json.loads(path.read_text()) == data  # deterministic


def test_not_recorded_waived_waiver_findings_and_no_fingerprint(tmp_path: Path, found: list[Finding]) -> None:
    waived = replace(found[0], waiver=AppliedWaiver("r", "CTO", "2027-01-01"))
    meta = Finding("waivers.yaml", 2, "WAIVER-EXPIRED", "waivers[0]", fingerprint="ab" * 16)
    bare = replace(found[1], fingerprint="")
    dupe = replace(found[2], line=99)  # same fingerprint, another line: one entry
    baseline = write_baseline(tmp_path / "b.json", [waived, meta, bare, found[2], dupe])
    assert [e.rule for e in baseline.entries] == ["PRIV-001"]


def test_apply_reports_only_new_and_lists_fixed(tmp_path: Path, found: list[Finding]) -> None:
    baseline = write_baseline(tmp_path / "b.json", found[:2])
    moved = replace(found[0], line=40)  # edits above it: same fingerprint, still known
    new, fixed = apply_baseline([moved, found[2]], baseline)
    assert new == [found[2]]
    assert [(e.rule, e.path) for e in fixed] == [("SEC-005", "security.pentest")]


def test_findings_without_fingerprint_are_always_new(tmp_path: Path, found: list[Finding]) -> None:
    baseline = write_baseline(tmp_path / "b.json", found)
    bare = replace(found[0], fingerprint="")
    assert apply_baseline([bare], baseline)[0] == [bare]


def test_partial_run_never_calls_unchecked_entries_fixed(tmp_path: Path, found: list[Finding]) -> None:
    baseline = write_baseline(tmp_path / "b.json", found)
    checked = [str(tmp_path / "contracts" / "acme.yaml")]
    new, fixed = apply_baseline([found[0]], baseline, checked_files=checked)
    assert new == [] and [e.rule for e in fixed] == ["SEC-005"]  # beta.yaml was not checked


def test_update_drops_fixed_and_never_adds(tmp_path: Path, found: list[Finding]) -> None:
    path = tmp_path / "b.json"
    write_baseline(path, found[:2])
    brand_new = found[2]
    dropped = update_baseline(path, [found[0], brand_new])
    assert [e.rule for e in dropped] == ["SEC-005"]
    assert [e.rule for e in load_baseline(path).entries] == ["BRCH-002"]  # PRIV-001 was not added
    before = path.read_text()
    assert update_baseline(path, [found[0], brand_new]) == []
    assert path.read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.json"]  # no temp files left


def test_baseline_works_from_another_directory(
    tmp_path: Path, found: list[Finding], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ci" / "baseline.json"
    write_baseline(path, found)
    assert load_baseline(path).entries[0].file == "../contracts/acme.yaml"
    (tmp_path / "contracts").mkdir()
    monkeypatch.chdir(tmp_path / "contracts")
    checked = ["acme.yaml"]  # as typed from the new working directory
    _, fixed = apply_baseline([], load_baseline(path), checked_files=checked)
    assert {e.rule for e in fixed} == {"BRCH-002", "SEC-005"}


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ('{"version": 1, "entries": [', None, "invalid JSON"),
        ('{"version": 2, "entries": []}', 1, "version must be one of 1"),
        ('{"version": 1,\n "entries": [\n  {"rule": "A-001"}\n ]}', 3, "entries[0].fingerprint is required"),
        (
            '{"version": 1,\n "entries": [\n  {"rule": "A-001", "fingerprint": "nothex!"}]}',
            3,
            "fingerprint (hex",
        ),
        ("[]", 1, "must be a mapping"),
    ],
)
def test_malformed_baseline(tmp_path: Path, text: str, line: int | None, needle: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_baseline(path)
    assert needle in info.value.message, info.value.render()
    if line is not None:
        assert info.value.line == line


def test_missing_baseline_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the file"):
        load_baseline(tmp_path / "absent.json")


@given(st.lists(finding_strategy(), max_size=12))
def test_round_trip_property(findings: list[Finding]) -> None:
    """Against its own baseline a run has only unrecordable findings new, and nothing fixed."""
    # findings come from loaded documents, whose text has control characters escaped
    # on input (checker.textsafe), as the baseline's text is when it is read back
    findings = [
        dataclasses.replace(
            f, file=clean_input(f.file), path=clean_input(f.path), document=clean_input(f.document)
        )
        for f in findings
    ]
    with tempfile.TemporaryDirectory() as folder:
        baseline = write_baseline(Path(folder) / "b.json", findings)
        loaded = load_baseline(Path(folder) / "b.json")
        assert loaded.entries == baseline.entries
        new, fixed = apply_baseline(findings, loaded)
        assert fixed == []
        recorded = {f.fingerprint for f in findings if baselinable(f)}
        assert new == sorted(f for f in findings if not f.fingerprint or f.fingerprint not in recorded)


def test_a_run_with_a_baseline_says_what_it_hid_and_what_was_fixed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from checker.run import RunOptions, run

    root = Path(__file__).parents[1]
    contract = tmp_path / "acme.yaml"
    text = (root / "examples" / "contracts" / "problem-vendor-2026.yaml").read_text()
    contract.write_text(text)
    monkeypatch.chdir(tmp_path)
    today = dt.date(2026, 11, 28)
    first = run([contract], RunOptions(today=today, write_baseline=tmp_path / "b.json"))
    total = len(first.findings)
    contract.write_text(text.replace("notify_district_within_hours: 240", "notify_district_within_hours: 48"))
    again = run([contract], RunOptions(today=today, baseline=tmp_path / "b.json"))
    assert again.findings == []
    assert again.notes == [
        f"baseline {tmp_path / 'b.json'}: {total - 1} known finding(s) not shown; 1 fixed since it was written"
        " (listed under extra.baseline_fixed in --format json)"
    ]
