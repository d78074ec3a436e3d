"""Waivers: every state (valid, expiring, expired, unused, malformed, unwaivable, none)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checker.errors import ConfigError
from checker.models import Finding, Severity, fingerprint
from checker.waivers import EXPIRED, EXPIRING, UNUSED, Waiver, apply_waivers, load_waivers
from tests.strategies import rule_meta_for

TODAY = dt.date(2026, 11, 28)
RULES = {
    "SEC-005": rule_meta_for("SEC-005"),
    "BRCH-002": rule_meta_for("BRCH-002"),
    "PRIV-001": rule_meta_for("PRIV-001", severity=Severity.CRITICAL, waivable=False),
}

WAIVERS = """\
waivers:
  - rule: SEC-005
    file: contracts/acme-*.yaml
    reason: Vendor completes its first penetration test by March; ticket IT-2231
    approved_by: J. Rivera, CTO
    expires: 2027-03-31
"""


def _load(tmp_path: Path, text: str) -> list[Waiver]:
    path = tmp_path / "waivers.yaml"
    path.write_text(text)
    return load_waivers(path, RULES)


def _waiver(tmp_path: Path, expires: str = "2027-03-31", **kw: str) -> str:
    fields = {"rule": "SEC-005", "file": "contracts/acme-*.yaml", "reason": "r", "approved_by": "CTO"} | kw
    body = "".join(f"    {k}: {v}\n" for k, v in fields.items() if v)
    return f"  - {body[4:]}    expires: {expires}\n"


def _finding(
    tmp_path: Path, rule: str = "SEC-005", name: str = "acme-2026.yaml", path: str = "security.pentest"
) -> Finding:
    file = str(tmp_path / "contracts" / name)
    return Finding(file, 10, rule, path, fingerprint=fingerprint(rule, name, path), severity=Severity.HIGH)


def _apply(tmp_path: Path, findings: list[Finding], waivers: list[Waiver], warn_days: int = 30, **kw: object):
    return apply_waivers(findings, waivers, TODAY, warn_days, tmp_path, **kw)


# --- loading ------------------------------------------------------------------------------


def test_load_valid(tmp_path: Path) -> None:
    [w] = _load(tmp_path, WAIVERS)
    assert (w.rule, w.file, w.fingerprint, w.expires) == (
        "SEC-005",
        "contracts/acme-*.yaml",
        None,
        dt.date(2027, 3, 31),
    )
    assert w.approved_by == "J. Rivera, CTO" and w.source == f"{tmp_path / 'waivers.yaml'}:2"


def test_load_fingerprint_and_string_date(tmp_path: Path) -> None:
    text = "waivers:\n" + _waiver(tmp_path, expires="'2027-01-15'", file="", fingerprint="ABCDEF0123456789")
    [w] = _load(tmp_path, text)
    assert w.file is None and w.fingerprint == "ABCDEF0123456789" and w.expires == dt.date(2027, 1, 15)


def test_empty_waivers_key_means_none(tmp_path: Path) -> None:
    assert _load(tmp_path, "waivers:\n") == []


@pytest.mark.parametrize(
    ("entry", "line", "needle"),
    [
        (_waiver(Path(), reason=""), 2, "waivers[0].reason is required"),
        (_waiver(Path(), approved_by=""), 2, "waivers[0].approved_by is required"),
        (_waiver(Path(), file=""), 2, "exactly one of file (a glob) or fingerprint (got neither)"),
        (
            _waiver(Path(), fingerprint="abcdef0123"),
            2,
            "exactly one of file (a glob) or fingerprint (not both)",
        ),
        (_waiver(Path(), rule="SEC-05"), 2, "unknown rule 'SEC-05'; did you mean 'SEC-005'?"),
        (_waiver(Path(), rule="PRIV-001"), 2, "PRIV-001 cannot be waived (waivable: false"),
        (
            _waiver(Path(), expires="'next spring'"),
            6,
            "expires must be a date YYYY-MM-DD (got 'next spring')",
        ),
        (_waiver(Path(), expires="2027-02-30"), 6, "invalid date"),
        (_waiver(Path(), file="'x/[z-a]'"), 3, "invalid glob"),
        (_waiver(Path(), fingerprint="xyz", file=""), 5, "a finding fingerprint (hex"),
        (
            _waiver(Path()) + "    approver: me\n",
            7,
            "unknown field 'approver' under waivers[0]: did you mean 'approved_by'?",
        ),
    ],
)
def test_malformed_waivers_are_config_errors(tmp_path: Path, entry: str, line: int, needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, "waivers:\n" + entry)
    assert needle in info.value.message, info.value.render()
    assert info.value.line == line, info.value.render()
    assert info.value.file == str(tmp_path / "waivers.yaml")


def test_empty_or_wrong_file(tmp_path: Path) -> None:
    for text, needle in [
        ("", "file is empty"),
        ("rules: []\n", "unknown field 'rules'"),
        ("[1]\n", "mapping"),
    ]:
        with pytest.raises(ConfigError, match=needle):
            _load(tmp_path, text)


# --- applying -----------------------------------------------------------------------------


def test_valid_waiver_marks_and_never_drops(tmp_path: Path) -> None:
    waivers = _load(tmp_path, WAIVERS)
    findings = [_finding(tmp_path), _finding(tmp_path, "BRCH-002"), _finding(tmp_path, name="beta.yaml")]
    marked, extra = _apply(tmp_path, findings, waivers)
    assert [f.sort_key for f in marked] == [f.sort_key for f in findings]
    assert marked[0].waiver is not None and marked[0].waiver.source.endswith("waivers.yaml:2")
    assert marked[0].waiver.expires == "2027-03-31" and marked[0].waiver.approved_by == "J. Rivera, CTO"
    assert marked[1].waiver is None  # another rule in the same file
    assert marked[2].waiver is None  # a file the glob does not cover
    assert extra == []


def test_fingerprint_waiver(tmp_path: Path) -> None:
    target = _finding(tmp_path, path="security.pentest")
    other = _finding(tmp_path, path="security.mfa")
    text = "waivers:\n" + _waiver(tmp_path, file="", fingerprint=target.fingerprint.upper())
    marked, extra = _apply(tmp_path, [target, other], _load(tmp_path, text))
    assert marked[0].waiver is not None and marked[1].waiver is None and extra == []


def test_expired_waiver_stops_suppressing(tmp_path: Path) -> None:
    waivers = _load(tmp_path, "waivers:\n" + _waiver(tmp_path, expires="2026-11-27"))
    marked, extra = _apply(tmp_path, [_finding(tmp_path)], waivers)
    assert marked[0].waiver is None
    [e] = extra
    assert (e.rule, e.severity, e.line, e.file) == (EXPIRED, Severity.HIGH, 2, str(tmp_path / "waivers.yaml"))
    assert "expired on 2026-11-27 (1 day ago" in e.message and e.value == dt.date(2026, 11, 27)


def test_waiver_is_valid_through_its_expiry_day(tmp_path: Path) -> None:
    waivers = _load(tmp_path, "waivers:\n" + _waiver(tmp_path, expires=TODAY.isoformat()))
    marked, extra = _apply(tmp_path, [_finding(tmp_path)], waivers)
    assert marked[0].waiver is not None
    assert [(e.rule, e.severity) for e in extra] == [(EXPIRING, Severity.LOW)] and "expires today" in extra[
        0
    ].message


@pytest.mark.parametrize(
    ("days", "warn_days", "expiring"), [(30, 30, True), (31, 30, False), (5, 0, False), (0, 0, True)]
)
def test_expiring_window(tmp_path: Path, days: int, warn_days: int, expiring: bool) -> None:
    expires = (TODAY + dt.timedelta(days=days)).isoformat()
    marked, extra = _apply(
        tmp_path,
        [_finding(tmp_path)],
        _load(tmp_path, "waivers:\n" + _waiver(tmp_path, expires=expires)),
        warn_days,
    )
    assert marked[0].waiver is not None  # an expiring waiver still suppresses
    assert [e.rule for e in extra] == ([EXPIRING] if expiring else [])


def test_unused_waiver_is_info(tmp_path: Path) -> None:
    waivers = _load(tmp_path, "waivers:\n" + _waiver(tmp_path, file="contracts/zeta-*.yaml"))
    marked, extra = _apply(tmp_path, [_finding(tmp_path)], waivers)
    assert marked[0].waiver is None
    [e] = extra
    assert (e.rule, e.severity, e.line) == (UNUSED, Severity.INFO, 2) and "matches no finding" in e.message


def test_expired_and_unused_reports_only_expired(tmp_path: Path) -> None:
    waivers = _load(tmp_path, "waivers:\n" + _waiver(tmp_path, file="nothing/*.yaml", expires="2020-01-01"))
    _, extra = _apply(tmp_path, [], waivers)
    assert [e.rule for e in extra] == [EXPIRED]


def test_first_valid_waiver_wins_and_all_matching_count_as_used(tmp_path: Path) -> None:
    text = (
        "waivers:\n" + _waiver(tmp_path, expires="2020-01-01", reason="old") + _waiver(tmp_path, reason="new")
    )
    text += _waiver(tmp_path, reason="third")
    marked, extra = _apply(tmp_path, [_finding(tmp_path)], _load(tmp_path, text))
    assert marked[0].waiver is not None and marked[0].waiver.reason == "new"
    assert [e.rule for e in extra] == [EXPIRED]  # no WAIVER-UNUSED for "third": it matched too


def test_no_waivers_is_the_strict_gate(tmp_path: Path) -> None:
    findings = [_finding(tmp_path)]
    assert _apply(tmp_path, findings, []) == (findings, [])


def test_partial_run_does_not_call_unchecked_waivers_unused(tmp_path: Path) -> None:
    text = (
        "waivers:\n"
        + _waiver(tmp_path, file="contracts/acme-*.yaml")
        + _waiver(tmp_path, file="", fingerprint="ab" * 16)
    )
    checked = [str(tmp_path / "contracts" / "beta.yaml")]
    _, extra = _apply(tmp_path, [], _load(tmp_path, text), checked_files=checked)
    assert extra == []
    checked.append(str(tmp_path / "contracts" / "acme-2027.yaml"))
    _, extra = _apply(tmp_path, [], _load(tmp_path, text), checked_files=checked)
    assert [(e.rule, e.line) for e in extra] == [(UNUSED, 2)]


def test_waiver_finding_fingerprint_survives_reordering(tmp_path: Path) -> None:
    a = _waiver(tmp_path, file="x/*.yaml")
    b = _waiver(tmp_path, file="y/*.yaml")
    _, first = _apply(tmp_path, [], _load(tmp_path, "waivers:\n" + a + b))
    _, second = _apply(tmp_path, [], _load(tmp_path, "waivers:\n" + b + a))
    assert {e.fingerprint for e in first} == {e.fingerprint for e in second}
    assert len({e.fingerprint for e in first}) == 2


def test_rule_metadata_overrides_defaults(tmp_path: Path) -> None:
    rules = dict(RULES, **{EXPIRED: rule_meta_for(EXPIRED, severity=Severity.CRITICAL, remediation="Renew.")})
    waivers = _load(tmp_path, "waivers:\n" + _waiver(tmp_path, expires="2020-01-01"))
    _, [e] = _apply(tmp_path, [], waivers, rules=rules)
    assert e.severity == Severity.CRITICAL and e.remediation == "Renew."


def test_a_full_run_reports_a_mistyped_glob_and_a_stale_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the pipeline: a folder walk looked everywhere its waivers point."""
    from checker.run import RunOptions, run

    root = Path(__file__).parents[1]
    (tmp_path / "contracts").mkdir()
    clean = (root / "examples" / "contracts" / "clean-mdm-2026.yaml").read_text()
    (tmp_path / "contracts" / "clean.yaml").write_text(clean)
    entry = "  - {{rule: CTRL-018, {target}, reason: r, approved_by: CISO, expires: 2027-06-30}}\n"
    (tmp_path / "waivers.yaml").write_text(
        "waivers:\n"
        + entry.format(target="file: contracts/clean.yaml")
        + entry.format(target="file: contracts/c1ean.yaml")  # a typo: matches nothing
        + entry.format(target="fingerprint: 0123456789abcdef0123456789abcdef")
    )
    (tmp_path / "k12check.yaml").write_text("waivers: waivers.yaml\n")
    monkeypatch.chdir(tmp_path)
    today = dt.date(2026, 11, 28)

    def unused(*paths: str) -> list[tuple[str, int]]:
        result = run(list(paths), RunOptions(today=today))
        return [(f.file, f.line) for f in result.findings if f.rule == UNUSED]

    assert unused("contracts") == [("waivers.yaml", 3)]  # the typo; the fingerprint may be elsewhere
    assert unused(".") == [("waivers.yaml", 3), ("waivers.yaml", 4)]  # the whole repository
    assert unused("contracts/clean.yaml") == []  # one file named: other waivers are not judged


@pytest.mark.parametrize("where", ["request", "config"])
def test_fail_on_info_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """Severity.INFO is 0: a threshold of info must not fall back to the default (high)."""
    from checker.run import RunOptions, run

    clean = Path(__file__).parents[1] / "examples" / "contracts" / "clean-mdm-2026.yaml"
    (tmp_path / "k12check.yaml").write_text("fail_on: info\n" if where == "config" else "{}\n")
    monkeypatch.chdir(tmp_path)
    options = RunOptions(today=dt.date(2026, 11, 28))
    if where == "request":
        options = RunOptions(today=dt.date(2026, 11, 28), fail_on=Severity.INFO)
    result = run([clean], options)
    assert [f.severity for f in result.findings] == [Severity.INFO]
    assert result.fail_on is Severity.INFO and result.exit_code() == 1


def test_an_all_digit_fingerprint_says_to_quote_it(tmp_path: Path) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text(
        "waivers:\n  - fingerprint: 12345678901234567890123456789012\n"
        "    reason: pilot\n    approved_by: CISO\n    expires: 2027-06-30\n"
    )
    with pytest.raises(ConfigError) as info:
        load_waivers(path, {})
    # 32 digits are no 64-bit number: the loader refuses it, naming the field and saying to quote it
    assert info.value.line == 2 and "invalid number at waivers[0].fingerprint" in info.value.message
    assert "quotes" in (info.value.hint or "")
    path.write_text(path.read_text().replace("fingerprint: 1234", "fingerprint: x1234"))
    with pytest.raises(ConfigError) as other:
        load_waivers(path, {})
    assert "quotes" not in (other.value.hint or "")  # only where a number stood for text
