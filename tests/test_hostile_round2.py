"""Hostile input, round two (issue 14): numbers and text at the edge, special files,
bounds, outputs that never destroy, strict CSV.  The one-file-per-class corpus runs
in tests/test_hostile.py; this file checks each mechanism on its own."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checker import numcheck, textsafe
from checker.catalog import load_rules
from checker.errors import InputError, UsageError
from checker.models import ErrorRecord, Finding, Reference, Result, RuleMeta, Severity
from checker.run import RunOptions
from checker.run import run as lint
from checker.yamlio import load_text

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = Path(__file__).resolve().parent / "hostile"
GOOD = ROOT / "examples" / "contracts" / "problem-vendor-2026.yaml"
CSV = ROOT / "examples" / "district" / "exports" / "google" / "cros-devices.csv"
TODAY = "2026-09-01"
RULES = load_rules()


def _no_constants(name: str) -> None:
    raise ValueError(f"not JSON: {name}")


def strict_json(text: str) -> object:
    """A parser that rejects NaN and Infinity (as browsers, jq and SARIF viewers do)."""
    return json.loads(text, parse_constant=_no_constants)


def cli(cwd: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CI": "1", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "checker", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# ---- numbers at the edge ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "json_mode", "line", "says"),
    [
        ("a:\n  b: .inf\n", False, 2, "invalid number at a.b (an infinite number)"),
        ("a:\n  b: -.Inf\n", False, 2, "an infinite number"),
        ("a: [1, .NaN]\n", False, 1, "invalid number at a[1] (not a number (NaN))"),
        ("a: 1.0e+400\n", False, 1, "an infinite number"),
        ("a: " + "9" * 5000 + "\n", False, 1, "invalid number at a (an integer of 5,000 digits"),
        ("a: 9223372036854775808\n", False, 1, "beyond the 64-bit range"),
        ('{\n"a": 1e400}', True, 2, "invalid number at a (an infinite number)"),
        ('{\n"a": NaN}', True, 2, "invalid number"),
        ('{\n"a": -Infinity}', True, 2, "invalid number"),
        ('{"a":\n ' + "1" * 5000 + "}", True, 2, "an integer of 5,000 digits"),
        (
            '{"s": "\\udfff",\n "a": 1e400}',
            True,
            2,
            "invalid number at a (an infinite number)",
        ),  # json fallback
        ('{"s": "\\udfff",\n "a": NaN}', True, 2, "invalid number NaN (not JSON)"),
    ],
)
def test_non_finite_and_huge_numbers_are_refused_with_field_and_line(
    text: str, json_mode: bool, line: int, says: str
) -> None:
    with pytest.raises(InputError) as caught:
        load_text(text, "f.json" if json_mode else "f.yaml", json_mode=json_mode)
    assert caught.value.line == line
    assert says in caught.value.message
    assert "4300" not in str(caught.value) and "Exceeds the limit" not in str(caught.value)


def test_numbers_within_64_bits_are_read() -> None:
    value = load_text("a: 9223372036854775807\nb: -1.5e+18\nc: 0x10\n", "f.yaml").value
    assert value == {"a": 2**63 - 1, "b": -1.5e18, "c": 16}
    assert numcheck.problem(2**63) is not None and numcheck.problem(True) is None


def test_huge_plist_integer_is_refused_with_its_key(tmp_path: Path) -> None:
    from checker.importers.plist import parse_plist

    data = (
        b'<?xml version="1.0"?>\n<plist version="1.0">\n<dict>\n<key>n</key>\n<integer>'
        + b"7" * 5000
        + b"</integer>\n</dict>\n</plist>\n"
    )
    with pytest.raises(InputError) as caught:
        parse_plist(data, "p.plist")
    assert caught.value.line == 5 and "at n is refused (an integer of 5,000 digits" in caught.value.message


# ---- text at the edge and in every writer -------------------------------------------------


def test_surrogates_and_controls_are_escaped_on_input() -> None:
    yaml_value = load_text('v: "a\\x01b\\x1b[31m\\u202e"\n', "f.yaml").value
    assert yaml_value == {"v": "a\\x01b\\x1b[31m\u202e"}  # bidi is kept on input, escaped on output
    json_value = load_text('{"v": "x\\udfffy", "k\\u0007": 1}', "f.json", json_mode=True).value
    assert json_value == {"v": "x\\udfffy", "k\\x07": 1}


def test_a_lone_surrogate_contract_is_judged_and_every_format_encodes(tmp_path: Path) -> None:
    value = load_text(GOOD.read_text(), "good.yaml").value
    body = json.dumps(value, default=str).replace(
        '"kind": "contract"', '"kind": "contract", "note": "\\udfff \\u0007"'
    )
    (tmp_path / "c.json").write_text(body)
    for fmt in ("json", "sarif", "junit", "markdown", "github", "gitlab", "text"):
        proc = cli(tmp_path, "lint", "c.json", "--today", TODAY, "--format", fmt)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, (fmt, proc.stderr[-800:])
        if fmt in ("json", "sarif", "gitlab"):
            strict_json(proc.stdout)


def _hostile_result() -> tuple[Result, dict[str, RuleMeta]]:
    evil = "@team see https://evil.example \u202eexe.txt \x1b[31m\udfff <b>x</b>"
    finding = Finding(
        rule="X-001",
        severity=Severity.HIGH,
        title=evil,
        message=evil,
        file="bad\udcff.yaml",
        line=3,
        path="a.b",
        value=float("nan"),
        document="contract:x",
        fingerprint="f",
    )
    meta = RuleMeta(
        id="X-001",
        title=evil,
        area="custom",
        target="contract",
        severity=Severity.HIGH,
        description="<script>alert(1)</script> @org/team",
        remediation="![x](https://evil.example/t.png)",
        references=(Reference(cite="<img src=x>", url="https://ok.example/a"),),
    )
    result = Result(findings=[finding], errors=[ErrorRecord("bad\udcff.yaml", 1, evil)], today=TODAY)
    return result, {"X-001": meta}


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "markdown", "github", "gitlab", "text"])
def test_every_writer_carries_hostile_text_safely(fmt: str) -> None:
    from checker import formats

    result, rules = _hostile_result()
    text = formats.render(fmt, result, rules, tool_version="1")
    text.encode("utf-8")  # no lone surrogate left
    if fmt in ("text", "markdown", "github", "junit"):  # read by people: no escape sequences
        assert "\x1b" not in text
    if fmt in ("text", "markdown", "github"):  # and no reordered text
        assert "\u202e" not in text
    if fmt in ("json", "sarif", "gitlab"):
        strict_json(text)
        assert "NaN" not in text
    if fmt == "junit":
        import xml.etree.ElementTree as ET

        ET.fromstring(text)
    if fmt == "markdown":
        assert "@team" not in text and "https://evil" not in text and "<b>x" not in text
    if fmt == "sarif":
        help_md = json.loads(text)["runs"][0]["tool"]["driver"]["rules"][0]["help"]["markdown"]
        assert "<script>" not in help_md and "<img" not in help_md and "@org" not in help_md
        assert "![x]" not in help_md


def test_markdown_escaper_neutralises_mentions_autolinks_and_bidi() -> None:
    out = textsafe.markdown("@octo-team www.evil.example http://x.example \u202e\u2066 a|b")
    assert "@octo" not in out and "www." not in out and "http:" not in out
    assert "\u202e" not in out and "\u2066" not in out and "\\|" in out
    assert textsafe.display_path("a\udcff\x1b.yaml") == "a\\xff\\x1b.yaml"


def test_a_file_name_that_is_not_utf8_reaches_sarif_and_json(tmp_path: Path) -> None:
    name = os.fsdecode(b"bad\xff.yaml")
    shutil.copy(GOOD, tmp_path / name)
    for fmt in ("sarif", "json"):
        proc = cli(tmp_path, "lint", ".", "--today", TODAY, "--format", fmt)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr[-800:]
        assert "bad\\\\xff.yaml" in proc.stdout or "bad%5Cxff.yaml" in proc.stdout
        strict_json(proc.stdout)


def test_a_control_character_in_a_vendor_name_reaches_the_xlsx(tmp_path: Path) -> None:
    body = GOOD.read_text()
    start = body.index("  name:", body.index("vendor:"))
    end = body.index("\n", start)
    (tmp_path / "c.yaml").write_text(body[:start] + '  name: "Acme\\x01\\x1b Inc"' + body[end:])
    proc = cli(tmp_path, "tco", "c.yaml", "-f", "xlsx", "-o", "t.xlsx")
    assert proc.returncode == 0, proc.stderr[-800:]
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").worksheets[0]
    assert any(c.value == "Acme\\x01\\x1b Inc" for row in sheet.iter_rows() for c in row)


# ---- special files, permissions, links, duplicates ----------------------------------------


def test_fifo_socket_and_device_are_reported_and_never_opened(tmp_path: Path) -> None:
    shutil.copy(GOOD, tmp_path / "good.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "sock.yaml"))
    try:
        start = time.monotonic()
        proc = cli(tmp_path, "lint", ".", "--today", TODAY, "--format", "json", timeout=30)
    finally:
        sock.close()
    assert time.monotonic() - start < 20 and proc.returncode == 2, proc.stderr
    errors = {e["file"]: e["message"] for e in json.loads(proc.stdout)["errors"]}
    assert {file: message.split(";")[0] for file, message in errors.items()} == {
        "pipe.yaml": "a named pipe (FIFO), not a regular file: skipped, not opened",
        "sock.yaml": "a socket, not a regular file: skipped, not opened",
        "zero.yaml": "a character device, not a regular file: skipped, not opened",
    }


def test_an_unreadable_folder_is_an_error_not_a_silent_skip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    shutil.copy(GOOD, tmp_path / "good.yaml")
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if str(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(os, "scandir", scandir)
    result = lint(["."], RunOptions(today=dt.date.fromisoformat(TODAY)), rules=RULES)
    assert [(e.file, e.message.split(";")[0]) for e in result.errors] == [
        ("sub", "cannot read folder (permission denied)")
    ]
    assert result.exit_code() == 2 and len(result.documents) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_folder_really_unreadable(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    shutil.copy(GOOD, tmp_path / "sub" / "c.yaml")
    (tmp_path / "sub").chmod(0)
    try:
        proc = cli(tmp_path, "lint", ".", "--today", TODAY)
    finally:
        (tmp_path / "sub").chmod(0o755)
    assert proc.returncode == 2 and "cannot read folder (permission denied)" in proc.stdout + proc.stderr


def test_symlink_loops_in_rules_and_config_are_one_line_errors(tmp_path: Path) -> None:
    shutil.copy(GOOD, tmp_path / "good.yaml")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "loop.yaml").symlink_to("loop.yaml")
    (tmp_path / "rules" / "up").symlink_to("..")
    (tmp_path / "lp").symlink_to("lp")
    proc = cli(tmp_path, "lint", "good.yaml", "--rules", "rules", "--rules", "lp", "--today", TODAY)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    out = proc.stdout + proc.stderr
    assert "rules/loop.yaml: cannot read file (a symbolic link loop)" in out
    assert "lp: rule folder: a symbolic link loop; check --rules" in out
    proc = cli(tmp_path, "lint", "good.yaml", "--config", "lp", "--today", TODAY)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == "k12check: lp: cannot read the file (a symbolic link loop); check the path"


def test_the_same_file_twice_is_judged_once(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    shutil.copy(GOOD, tmp_path / "c" / "good.yaml")
    (tmp_path / "c" / "link.yaml").symlink_to("good.yaml")
    os.link(tmp_path / "c" / "good.yaml", tmp_path / "c" / "hard.yaml")
    opts = RunOptions(today=dt.date.fromisoformat(TODAY))
    once = lint([tmp_path / "c" / "good.yaml"], opts, rules=RULES)
    many = lint(
        [tmp_path / "c", tmp_path / "c" / "good.yaml", tmp_path / "c" / "link.yaml"], opts, rules=RULES
    )
    assert len(many.documents) == 1 and len(many.findings) == len(once.findings)


# ---- bounds --------------------------------------------------------------------------------


def test_jobs_are_clamped_to_the_cpus_with_a_note(tmp_path: Path) -> None:
    from checker import runlimits

    cpus = runlimits.cpu_count()
    assert runlimits.jobs(10_000) == (
        cpus,
        f"note: --jobs 10000 is more than the {cpus} CPU(s) here; using {cpus}",
    )
    assert runlimits.jobs(0) == (cpus, None)
    shutil.copy(GOOD, tmp_path / "good.yaml")
    proc = cli(tmp_path, "lint", "good.yaml", "--jobs", "10000", "--today", TODAY)
    assert proc.returncode == 1 and "note: --jobs 10000 is more than the" in proc.stderr


@pytest.mark.parametrize("size", ["nan", "-1", "0", "inf", "1e9"])
def test_max_file_size_must_be_positive_and_finite(tmp_path: Path, size: str) -> None:
    shutil.copy(GOOD, tmp_path / "good.yaml")
    proc = cli(tmp_path, "lint", "good.yaml", "--max-file-size", size)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().startswith("k12check: --max-file-size must be a number of MiB above 0")


def test_max_file_size_applies_to_csv_in_the_importer_itself() -> None:
    from checker.importers import ImportOptions, inventory_csv

    data = CSV.read_bytes()
    inventory_csv.load(data, "d.csv", ImportOptions(max_bytes=len(data)))  # fits
    with pytest.raises(InputError, match="over the"):
        inventory_csv.load(data, "d.csv", ImportOptions(max_bytes=len(data) - 1))


def test_audience_is_checked_on_lint(tmp_path: Path) -> None:
    shutil.copy(GOOD, tmp_path / "good.yaml")
    proc = cli(tmp_path, "lint", "good.yaml", "--audience", "aliens")
    assert proc.returncode == 2
    assert (
        proc.stderr.strip()
        == "k12check: --audience must be one of students, staff, shared, kiosk (got 'aliens')"
    )


def _custom_rule(folder: Path, message: str) -> None:
    folder.mkdir()
    (folder / "ZZZ-001.yaml").write_text(
        "id: ZZZ-001\ntitle: Custom check\narea: privacy\ntarget: contract\nseverity: low\n"
        "description: A rule pack's rule with a hostile message template.\n"
        "check: {path: contract.id, equals: never}\n"
        f"message: {json.dumps(message)}\n"
        "remediation: None.\nreferences: [{cite: Test, jurisdiction: district}]\n"
        "examples: {pass: [{contract: {id: never}}], fail: [{contract: {id: other}}]}\n"
    )


@pytest.mark.parametrize(
    ("template", "note"),
    [
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "loop steps"),
        ("{{ 'x' * 1000000000 }}", "a repeated value over"),
        ("{{ 'x' | center(1000000000) }}", "a filter argument over"),
        ("{{ '{:>1000000000}'.format(1) }}", "a format width over"),
    ],
)
def test_a_looping_or_huge_template_stops_fast(tmp_path: Path, template: str, note: str) -> None:
    from checker import msgtemplates

    env = msgtemplates.environment(str)
    start = time.monotonic()
    with pytest.raises(msgtemplates.TemplateLimit, match=note):
        msgtemplates.render(env.from_string(template), {})
    assert time.monotonic() - start < 2


def test_a_long_message_is_cut_and_a_bad_template_does_not_stop_the_run(tmp_path: Path) -> None:
    from checker import msgtemplates

    env = msgtemplates.environment(str)
    text = msgtemplates.render(env.from_string("{% for i in range(5000) %}abcdefgh{% endfor %}"), {})
    assert len(text) <= msgtemplates.MAX_CHARS and text.endswith("(message cut at 4,096 characters)")
    shutil.copy(GOOD, tmp_path / "good.yaml")
    _custom_rule(
        tmp_path / "rules", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    )
    start = time.monotonic()
    proc = cli(tmp_path, "lint", "good.yaml", "--rules", "rules", "--today", TODAY, "--format", "json")
    assert time.monotonic() - start < 30, proc.stderr
    mine = [f for f in json.loads(proc.stdout)["findings"] if f["rule"] == "ZZZ-001"]
    assert proc.stderr.count("Traceback") == 0
    assert len(mine) == 1 and mine[0]["message"].startswith(
        "Custom check (got "
    )  # title and value, no error text


def test_report_counts_identical_documents_once_and_stays_small(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    shutil.copy(GOOD, tmp_path / "one.yaml")
    for i in range(50):
        shutil.copy(GOOD, tmp_path / "c" / f"copy{i:02d}.yaml")
    single = cli(tmp_path, "report", "one.yaml", "--year", "2026", "--today", TODAY, "-o", "one.html")
    many = cli(tmp_path, "report", "c", "--year", "2026", "--today", TODAY, "-o", "many.html", timeout=300)
    assert single.returncode == 0 and many.returncode == 0, many.stderr[-800:]
    one, fifty = (tmp_path / "one.html").stat().st_size, (tmp_path / "many.html").stat().st_size
    assert fifty < one + 20_000  # the 49 copies add a note, not 49 more scorecards (was ~quadratic)
    assert "49 files repeated another file byte for byte" in (tmp_path / "many.html").read_text()


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (lambda d: d["findings"].__setitem__(0, "text"), "findings[0] must be a mapping (got text)"),
        (lambda d: d["findings"][1].__setitem__("fingerprint", 7), "findings[1].fingerprint must be text"),
        (lambda d: d.__setitem__("trend", []), "trend must be a mapping (got a list)"),
        (lambda d: d["summary"].__setitem__("by_severity", {"high": "many"}), "summary.by_severity.high"),
        (lambda d: d.__setitem__("year", "last"), "year must be a year (got text)"),
        (lambda d: d.__setitem__("deep", json.loads("[" * 60 + "]" * 60)), None),  # fine: 61 levels
    ],
)
def test_previous_report_is_checked_before_use(tmp_path: Path, edit: object, says: str | None) -> None:
    data = json.loads((ROOT / "examples" / "audit-2025.json").read_text())
    edit(data)  # type: ignore[operator]
    (tmp_path / "prev.json").write_text(json.dumps(data))
    shutil.copy(GOOD, tmp_path / "good.yaml")
    proc = cli(tmp_path, "report", "good.yaml", "--year", "2026", "--previous", "prev.json", "--today", TODAY)
    assert "Traceback" not in proc.stderr
    if says is None:
        assert proc.returncode == 0
    else:
        assert proc.returncode == 2 and says in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_previous_report_nested_too_deep_is_one_line(tmp_path: Path) -> None:
    text = (
        (ROOT / "examples" / "audit-2025.json")
        .read_text()
        .replace('"note":', '"x": ' + "[" * 5000 + "]" * 5000 + ', "note":', 1)
    )
    (tmp_path / "prev.json").write_text(text)
    shutil.copy(GOOD, tmp_path / "good.yaml")
    proc = cli(tmp_path, "report", "good.yaml", "--year", "2026", "--previous", "prev.json")
    assert proc.returncode == 2 and proc.stderr.strip() == (
        "k12check: --previous: prev.json:4: nesting deeper than 64 levels; flatten the document"
    )


# ---- outputs never destroy -----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["-o", "c/good.yaml"],
        ["--format", "json:c/good.yaml"],
        ["--format", "sarif:link.yaml"],
        ["--write-baseline", "c/good.yaml"],
    ],
)
def test_an_output_that_is_an_input_is_refused_before_the_run(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "c").mkdir()
    shutil.copy(GOOD, tmp_path / "c" / "good.yaml")
    (tmp_path / "link.yaml").symlink_to("c/good.yaml")
    proc = cli(tmp_path, "lint", "c", *args)
    assert proc.returncode == 2 and "it is also an input of this run" in proc.stderr
    assert (tmp_path / "c" / "good.yaml").read_text() == GOOD.read_text()


def test_gate_decision_record_over_an_input_is_refused(tmp_path: Path) -> None:
    shutil.copy(GOOD, tmp_path / "good.json")
    proc = cli(tmp_path, "gate", "good.json", "--decision-record", "good")
    assert proc.returncode == 2 and "it is also an input of this run" in proc.stderr


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_an_output_onto_a_fifo_folder_or_device_is_refused(tmp_path: Path, kind: str) -> None:
    shutil.copy(GOOD, tmp_path / "good.yaml")
    target = tmp_path / "out.json"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    else:
        target.symlink_to("/dev/null")
    proc = cli(tmp_path, "lint", "good.yaml", "-o", "out.json", "--format", "json", timeout=30)
    assert proc.returncode == 2 and "cannot write out.json: it is a" in proc.stderr
    assert "an output must be a regular file" in proc.stderr
    if kind == "fifo":
        import stat

        assert stat.S_ISFIFO(os.stat(target).st_mode)


_WRITER = """
import sys, time
sys.path.insert(0, {root!r})
from checker.formats import write_atomic
def pieces():
    yield "x" * 100000
    print("writing", flush=True)
    time.sleep(60)
    yield "never"
write_atomic({target!r}, pieces())
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_a_write_removes_the_temporary_file(tmp_path: Path, signum: int) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous\n")
    code = _WRITER.format(root=str(ROOT), target=str(target))
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline() == "writing\n"
    assert len(list(tmp_path.iterdir())) == 2  # the temporary file is there
    proc.send_signal(signum)
    proc.communicate(timeout=30)
    assert proc.returncode in ((143,) if signum == signal.SIGTERM else (130, 1, -signal.SIGINT))
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"] and target.read_text() == "previous\n"


# ---- CSV -----------------------------------------------------------------------------------


def test_csv_rows_after_an_unterminated_quote_are_never_dropped_silently(tmp_path: Path) -> None:
    lines = CSV.read_text().splitlines(keepends=True)
    broken = lines[0] + lines[1].replace(",ACTIVE,", ',"ACTIVE,', 1) + "".join(lines[2:])
    (tmp_path / "d.csv").write_text(broken)
    result = lint([tmp_path / "d.csv"], RunOptions(today=dt.date.fromisoformat(TODAY)), rules=RULES)
    assert [(e.line, e.message.split(";")[0]) for e in result.errors] == [
        (2, "invalid CSV in this row (a quoted cell is never closed)")
    ]


def test_usage_errors_are_one_line() -> None:
    from checker import runlimits

    for bad in (float("nan"), -1.0, 0.0, float("inf")):
        with pytest.raises(UsageError):
            runlimits.max_bytes(bad)
    assert runlimits.max_bytes(1.0) == 1048576
    from checker.importers.base import AUDIENCES

    assert runlimits.AUDIENCES == AUDIENCES


def test_import_onto_one_of_its_exports_is_refused_even_with_force(tmp_path: Path) -> None:
    shutil.copy(CSV, tmp_path / "devices.csv")
    proc = cli(tmp_path, "import", "devices.csv", "-o", "devices.csv", "--force")
    assert proc.returncode == 2 and "it is also an input of this run" in proc.stderr
    assert (tmp_path / "devices.csv").read_bytes() == CSV.read_bytes()


def test_report_and_tco_outputs_are_guarded_too(tmp_path: Path) -> None:
    shutil.copy(GOOD, tmp_path / "good.yaml")
    os.mkfifo(tmp_path / "out.html")
    proc = cli(tmp_path, "report", "good.yaml", "--year", "2026", "-o", "out.html", timeout=30)
    assert proc.returncode == 2 and "it is a named pipe (FIFO)" in proc.stderr
    proc = cli(tmp_path, "tco", "good.yaml", "-f", "json", "-o", "good.yaml")
    assert proc.returncode == 2 and "it is also an input of this run" in proc.stderr
