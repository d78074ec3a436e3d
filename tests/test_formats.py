"""Output formats: each one parsed back by its consumer's rules (DESIGN §6, issue 5)."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker import formats
from checker.errors import UsageError
from checker.formats import github
from checker.models import (
    AppliedWaiver,
    DocumentStats,
    ErrorRecord,
    Finding,
    GateVerdict,
    Reference,
    Result,
    Severity,
)
from tests.strategies import rule_meta_for

ROOT = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
JSON_SCHEMA = ROOT / "checker" / "schemas" / "json-output.schema.json"

WAIVER = AppliedWaiver("Pen test due in March; IT-2231", "J. Rivera, CTO", "2027-03-31", "waivers.yaml:3")


def _finding(rule: str, sev: Severity, line: int, **kw: object) -> Finding:
    base: dict[str, object] = {
        "file": "contracts/acme.yaml",
        "line": line,
        "rule": rule,
        "path": "breach.notify_district_within_hours",
        "column": 3,
        "fingerprint": f"fp-{rule}",
        "severity": sev,
        "title": f"Title of {rule}",
        "message": f"{rule} does not hold",
        "value": 168,
        "remediation": f"Fix {rule}.",
        "references": (Reference("8 NYCRR 121.10(a)", "https://example.org/121.10"),),
        "document": "acme-2026",
    }
    base.update(kw)
    return Finding(**base)  # type: ignore[arg-type]


@pytest.fixture
def result() -> Result:
    findings = [
        _finding("BRCH-002", Severity.HIGH, 12),
        _finding("PRIV-001", Severity.CRITICAL, 4, path="privacy.sells_data", value=True),
        _finding("SEC-005", Severity.MEDIUM, 20, waiver=WAIVER, path="security.pentest"),
        _finding("COST-004", Severity.LOW, 0, file="contracts/beta.yaml", path="", value=None),
    ]
    docs = [
        DocumentStats("contracts/acme.yaml", "contract", "acme-2026", passed=["CTRL-001", "SLA-002"],
                      failed=["BRCH-002", "PRIV-001", "SEC-005"], not_applicable=["PRIV-014"]),
        DocumentStats("contracts/beta.yaml", "contract", "beta", passed=["BRCH-002"], failed=["COST-004"]),
    ]  # fmt: skip
    errors = [ErrorRecord("contracts/broken.yaml", 7, "invalid YAML: mapping values are not allowed here")]
    return Result(findings, errors, docs, rules_loaded=9, today="2026-11-28", fail_on=Severity.HIGH)


@pytest.fixture
def rules() -> dict:
    return {
        r: rule_meta_for(r) for r in ("BRCH-002", "PRIV-001", "SEC-005", "CTRL-001", "SLA-002", "PRIV-014")
    }


def _render(name: str, result: Result, rules: dict, **kw: bool) -> str:
    return formats.render(name, result, rules, tool_version="9.9.9", **kw)


# --- registry, specs, atomic writes -------------------------------------------------------


def test_registry_names() -> None:
    assert formats.available() == [
        "concise",
        "github",
        "gitlab",
        "json",
        "junit",
        "markdown",
        "sarif",
        "text",
    ]
    with pytest.raises(UsageError, match=r"unknown format 'xml'.*sarif"):
        formats.render("xml", Result(), {}, tool_version="1")


def test_parse_specs() -> None:
    assert formats.parse_specs([]) == [("text", None)]
    got = formats.parse_specs(["text", "sarif:out/a.sarif", "JSON:C:/x/out.json"])
    assert got == [("text", None), ("sarif", Path("out/a.sarif")), ("json", Path("C:/x/out.json"))]
    for bad, msg in [
        (["yaml:x"], "unknown format 'yaml'"),
        (["sarif:"], "a file name must follow"),
        (["text", "json"], "only one --format may write to standard output"),
        (["json:a", "sarif:a"], "same file: a"),
    ]:
        with pytest.raises(UsageError, match=msg):
            formats.parse_specs(bad)


def test_write_atomic_replaces_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.sarif"
    formats.write_atomic(target, "first\n")
    formats.write_atomic(target, "second\n")
    assert target.read_text() == "second\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.sarif"]
    assert target.stat().st_mode & 0o777 != 0o600 or os.umask(0o022) == 0o077


def test_write_atomic_interrupted_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")

    def boom(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(KeyboardInterrupt):
        formats.write_atomic(target, "new" * 1000)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_write_atomic_interrupted_mid_stream_keeps_old_file(tmp_path: Path) -> None:
    """Ctrl-C while a streamed format is still rendering: the pieces so far never show."""
    target = tmp_path / "out.json"
    target.write_text("old")

    def pieces() -> Iterator[str]:
        yield "x" * 200_000  # past one block: some of it is already in the temporary file
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        formats.write_atomic(target, pieces())
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_streamed_pieces_are_the_rendered_text(result: Result, rules: dict) -> None:
    for name in formats.available():
        pieces = list(formats.stream(name, result, rules, tool_version="1.0", show_passed=True))
        assert "".join(pieces) == formats.render(name, result, rules, tool_version="1.0", show_passed=True)
        if name in ("text", "json", "sarif", "github", "gitlab"):
            assert len(pieces) > 3, name  # really in pieces, not one string


def test_write_atomic_unwritable_is_usage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(UsageError, match="cannot write"):
        formats.write_atomic(blocker / "out.json", "x")


# --- text ---------------------------------------------------------------------------------


def test_text_layout(result: Result, rules: dict) -> None:
    out = _render("text", result, rules)
    lines = out.splitlines()
    assert lines[0] == "error: contracts/broken.yaml:7: invalid YAML: mapping values are not allowed here"
    assert "contracts/acme.yaml" in lines
    assert "  contracts/acme.yaml:4:3  CRITICAL  PRIV-001  PRIV-001 does not hold" in lines
    assert "  contracts/acme.yaml:20:3  MEDIUM    SEC-005  SEC-005 does not hold  [waived]" in lines
    assert "  contracts/beta.yaml  LOW       COST-004  COST-004 does not hold" in lines
    assert "      evidence: privacy.sells_data = true" in lines
    assert "      citation: 8 NYCRR 121.10(a) (https://example.org/121.10)" in lines
    assert "      fix: Fix BRCH-002." in lines
    assert (
        "      waived: Pen test due in March; IT-2231 (approved by J. Rivera, CTO; expires 2027-03-31)"
        in lines
    )
    assert lines[-1] == (
        "3 findings (1 critical, 1 high, 0 medium, 1 low, 0 info) in 2 documents; 1 waived; 1 error"
    )
    # file order, then line order within a file
    assert out.index("acme.yaml:4:3") < out.index("acme.yaml:12:3") < out.index("beta.yaml  LOW")
    assert "\x1b" not in out


def test_text_color_only_when_asked_and_only_severities(result: Result, rules: dict) -> None:
    out = _render("text", result, rules, color=True)
    assert "\x1b[1;31mCRITICAL\x1b[0m" in out
    assert out.count("\x1b[0m") == len(result.findings)


def test_text_escapes_terminal_controls(rules: dict) -> None:
    bad = _finding("BRCH-002", Severity.HIGH, 1, message="ok\x1b[2J\nfake: line", value="\x1b]0;pwn\x07")
    out = _render("text", Result([bad]), rules)
    assert "\x1b" not in out and "\x07" not in out
    assert "ok\\x1b[2J\\nfake: line" in out


def test_text_show_passed(result: Result, rules: dict) -> None:
    assert "passed" not in _render("text", result, rules)
    out = _render("text", result, rules, show_passed=True)
    assert "  passed (2): CTRL-001, SLA-002" in out
    assert "  not applicable (1): PRIV-014" in out
    clean = Result(documents=[DocumentStats("c.yaml", "contract", "c", passed=["A-001"])])
    assert "  passed (1): A-001" in _render("text", clean, rules, show_passed=True)


# --- json ---------------------------------------------------------------------------------


def _json_validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(JSON_SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_json_shape_and_schema(result: Result, rules: dict) -> None:
    data = json.loads(_render("json", result, rules))
    _json_validator().validate(data)
    assert data["version"] == "1" and data["tool"] == {"name": "k12check", "version": "9.9.9"}
    assert [f["rule"] for f in data["findings"]] == ["PRIV-001", "BRCH-002", "SEC-005", "COST-004"]
    assert data["findings"][2]["waiver"]["approved_by"] == "J. Rivera, CTO"
    assert data["errors"] == [
        {"file": "contracts/broken.yaml", "line": 7, "message": result.errors[0].message}
    ]
    stats = data["stats"]
    assert stats["by_severity"] == {"critical": 1, "high": 1, "medium": 0, "low": 1, "info": 0}
    assert (stats["documents"], stats["findings"], stats["waived"], stats["exit_code"]) == (2, 3, 1, 2)
    assert (stats["rules_loaded"], stats["today"], stats["fail_on"]) == (9, "2026-11-28", "high")
    assert "passed_rules" not in stats["per_document"][0]


def test_json_show_passed_lists_rules(result: Result, rules: dict) -> None:
    data = json.loads(_render("json", result, rules, show_passed=True))
    _json_validator().validate(data)
    assert data["stats"]["per_document"][0]["passed_rules"] == ["CTRL-001", "SLA-002"]


def test_json_schema_rejects_wrong_shape(result: Result, rules: dict) -> None:
    data = json.loads(_render("json", result, rules))
    data["findings"][0]["severity"] = "severe"
    assert list(_json_validator().iter_errors(data))


# --- sarif --------------------------------------------------------------------------------


def sarif_validator():
    if not SARIF_SCHEMA.is_file():
        pytest.skip("../shared/schemas/sarif-schema-2.1.0.json is not present")
    jsonschema = pytest.importorskip("jsonschema")
    return jsonschema.Draft7Validator(json.loads(SARIF_SCHEMA.read_text()))


def test_sarif_valid_and_mapped(result: Result, rules: dict) -> None:
    log = json.loads(_render("sarif", result, rules))
    sarif_validator().validate(log)
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted(ids) and "COST-004" in ids  # unknown rule gets a stand-in descriptor
    by_rule = {r["ruleId"]: r for r in run["results"]}
    for res in run["results"]:
        assert ids[res["ruleIndex"]] == res["ruleId"]
    assert by_rule["PRIV-001"]["level"] == "error"
    assert by_rule["PRIV-001"]["properties"]["security-severity"] == "9.0"
    assert by_rule["SEC-005"]["level"] == "warning" and by_rule["COST-004"]["level"] == "note"
    assert by_rule["BRCH-002"]["partialFingerprints"] == {"k12check/v1": "fp-BRCH-002"}
    loc = by_rule["BRCH-002"]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "contracts/acme.yaml", "uriBaseId": "%SRCROOT%"}
    assert loc["region"] == {"startLine": 12, "startColumn": 3}
    assert "region" not in by_rule["COST-004"]["locations"][0]["physicalLocation"]
    sup = by_rule["SEC-005"]["suppressions"]
    assert sup == [{"kind": "external", "status": "accepted",
                    "justification": "Pen test due in March; IT-2231 (approved by J. Rivera, CTO; expires 2027-03-31)"}]  # fmt: skip
    assert "suppressions" not in by_rule["BRCH-002"]
    rule = driver["rules"][ids.index("BRCH-002")]
    assert rule["helpUri"] == "https://www.ecfr.gov/current/title-34/part-99"
    assert "Fix BRCH-002." in rule["help"]["text"] and "FERPA 34 CFR 99.31" in rule["help"]["markdown"]
    assert rule["defaultConfiguration"] == {"level": "error"}
    assert rule["properties"]["security-severity"] == "7.0"
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert inv["toolExecutionNotifications"][0]["message"]["text"].startswith("contracts/broken.yaml:7:")


def test_sarif_clean_run_and_odd_paths(rules: dict) -> None:
    odd = _finding("BRCH-002", Severity.HIGH, 1, file="./my contracts/a#1.yaml")
    log = json.loads(_render("sarif", Result([odd]), rules))
    sarif_validator().validate(log)
    art = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert art["uri"] == "my%20contracts/a%231.yaml"
    assert log["runs"][0]["invocations"] == [{"executionSuccessful": True}]
    absolute = _finding("BRCH-002", Severity.HIGH, 1, file="/srv/c.yaml")
    log = json.loads(_render("sarif", Result([absolute]), rules))
    art = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert art == {"uri": "file:///srv/c.yaml"}


# --- junit --------------------------------------------------------------------------------


def test_junit_structure_and_counts(result: Result, rules: dict) -> None:
    root = ET.fromstring(_render("junit", result, rules))
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["contracts/acme.yaml", "contracts/beta.yaml", "input errors"]
    acme = suites["contracts/acme.yaml"]
    cases = {c.get("name").split(":")[0]: c for c in acme.findall("testcase")}
    assert sorted(cases) == ["BRCH-002", "CTRL-001", "PRIV-001", "PRIV-014", "SEC-005", "SLA-002"]
    fail = cases["BRCH-002"].find("failure")
    assert fail is not None and fail.get("message") == "BRCH-002 does not hold"
    assert "contracts/acme.yaml:12: high: BRCH-002 does not hold" in fail.text
    assert cases["BRCH-002"].get("line") == "12" and cases["BRCH-002"].get("file") == "contracts/acme.yaml"
    assert cases["SEC-005"].find("skipped").get("message").startswith("waived: Pen test")
    assert cases["PRIV-014"].find("skipped").get("message") == "not applicable"
    assert list(cases["CTRL-001"]) == []
    assert (acme.get("tests"), acme.get("failures"), acme.get("skipped"), acme.get("errors")) == (
        "6",
        "2",
        "2",
        "0",
    )
    errs = suites["input errors"]
    assert errs.get("errors") == "1" and errs.find("testcase/error") is not None
    for attr in ("tests", "failures", "errors", "skipped"):
        assert int(root.get(attr)) == sum(int(s.get(attr)) for s in suites.values())


def test_junit_strips_xml_invalid_characters(rules: dict) -> None:
    bad = _finding("BRCH-002", Severity.HIGH, 1, message="a\x00b\x1bc]]>&<")
    root = ET.fromstring(_render("junit", Result([bad]), rules))
    assert root.find(".//failure").get("message") == "a\\x00b\\x1bc]]>&<"


# --- markdown -----------------------------------------------------------------------------


def test_markdown_comment(result: Result, rules: dict) -> None:
    out = _render("markdown", result, rules)
    assert out.startswith("## ")
    assert "| 🟥 critical | 1 | 0 |" in out and "| 🟨 medium | 0 | 1 |" in out
    assert "| 🟧 high | BRCH\\-002 |" not in out  # '-' is not escaped
    assert "| 🟧 high | BRCH-002 | contracts/acme.yaml:12 | BRCH-002 does not hold |" in out
    assert "🟨 medium (waived)" in out
    assert out.count("<details>") == 4 == out.count("</details>")
    assert "- **Citation:** [8 NYCRR 121.10(a)](https://example.org/121.10)" in out
    assert "**Errors**" in out


def test_markdown_decision_from_gate(result: Result, rules: dict) -> None:
    result.decision = GateVerdict("BLOCK", ("PRIV-001 is a hard fail",))
    out = _render("markdown", result, rules)
    assert (
        out.startswith("## ⛔ k12check: BLOCK")
        and "- PRIV\\-001" not in out
        and "- PRIV-001 is a hard fail" in out
    )


def test_markdown_escapes_injection(rules: dict) -> None:
    evil = "<img src=x onerror=alert(1)> | `code` ![t](http://evil/p.png) [x](javascript:1)"
    out = _render(
        "markdown", Result([_finding("BRCH-002", Severity.HIGH, 1, message=evil, value=evil)]), rules
    )
    assert "<img" not in out and "![t]" not in out and "[x](" not in out
    assert "&lt;img src=x onerror=alert(1)&gt; \\| \\`code\\`" in out
    table_row = next(line for line in out.splitlines() if line.startswith("| 🟧 high | BRCH-002"))
    assert len(re.findall(r"(?<!\\)\|", table_row)) == 5  # escaped pipes do not add cells


def test_markdown_stays_under_github_limit(rules: dict) -> None:
    many = [
        _finding("BRCH-002", Severity.HIGH, i, message="m" * 150, remediation="r" * 300)
        for i in range(1, 2000)
    ]
    out = _render("markdown", Result(many), rules)
    assert len(out) < 65_536
    assert "more findings; see the SARIF or JSON output" in out
    assert "more finding details" in out and 0 < out.count("<details>") == out.count("</details>")
    assert out.rstrip().endswith("</sub>")
    few = _render("markdown", Result(many[:20]), rules)
    assert "more finding" not in few and few.count("<details>") == 20


# --- github -------------------------------------------------------------------------------


def test_github_annotations(result: Result, rules: dict) -> None:
    lines = _render("github", result, rules).splitlines()
    assert lines[0].startswith("::error file=contracts/broken.yaml,line=7,title=k12check input error::")
    assert any(
        line.startswith("::error file=contracts/acme.yaml,line=12,col=3,title=BRCH-002::") for line in lines
    )
    assert any(
        line.startswith("::notice file=contracts/acme.yaml,line=20,col=3,title=SEC-005 (waived)::")
        for line in lines
    )
    assert any(line.startswith("::notice file=contracts/beta.yaml,title=COST-004::") for line in lines)
    assert lines[-1].startswith("::notice title=k12check summary::3 findings")
    assert len(lines) == 1 + len(result.findings) + 1


def test_github_escaping() -> None:
    assert github.escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    inject = _finding("BRCH-002", Severity.MEDIUM, 2, file="a,b:c.yaml", message="x\n::add-mask::secret")
    out = formats.render("github", Result([inject]), {}, tool_version="1")
    first = out.splitlines()[0]
    assert first.startswith(
        "::warning file=a%2Cb%3Ac.yaml,line=2,col=3,title=BRCH-002::x%0A::add-mask::secret"
    )
    assert not any(line.startswith("::add-mask") for line in out.splitlines())


# --- gitlab -------------------------------------------------------------------------------


def test_gitlab_code_quality(result: Result, rules: dict) -> None:
    items = json.loads(_render("gitlab", result, rules))
    assert isinstance(items, list) and len(items) == 5
    for item in items:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(item)
        assert item["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert item["location"]["lines"]["begin"] >= 1
    by = {i["check_name"]: i for i in items}
    assert by["PRIV-001"]["severity"] == "blocker" and by["BRCH-002"]["severity"] == "critical"
    assert by["COST-004"]["severity"] == "minor" and by["COST-004"]["location"]["lines"]["begin"] == 1
    assert by["SEC-005"]["severity"] == "info" and by["SEC-005"]["description"].startswith("[waived]")
    assert by["k12check-input-error"]["location"] == {"path": "contracts/broken.yaml", "lines": {"begin": 7}}
    assert len({i["fingerprint"] for i in items}) == len(items)


def test_gitlab_duplicate_fingerprints_made_unique(rules: dict) -> None:
    a = _finding("BRCH-002", Severity.HIGH, 1)
    b = _finding("BRCH-002", Severity.HIGH, 2)
    items = json.loads(_render("gitlab", Result([a, b]), rules))
    assert items[0]["fingerprint"] == "fp-BRCH-002" != items[1]["fingerprint"]


def test_every_format_is_deterministic(result: Result, rules: dict) -> None:
    for name in formats.available():
        shuffled = Result(
            list(reversed(result.findings)), list(result.errors), result.documents, 9, "2026-11-28"
        )
        assert _render(name, result, rules) == _render(name, shuffled, rules), name
