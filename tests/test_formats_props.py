"""Property tests: every formatter, on arbitrary findings with hostile text, renders
output its consumer accepts (JSON parses and validates, SARIF validates against the
OASIS schema, JUnit parses and its counts add up, Markdown and GitHub commands stay
escaped)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from checker import formats
from checker.models import Result
from tests.strategies import results, rules_for

ROOT = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
JSON_SCHEMA = ROOT / "checker" / "schemas" / "json-output.schema.json"


@cache
def _validator(path: Path, draft: str) -> Any:
    import jsonschema

    return getattr(jsonschema, draft)(json.loads(path.read_text()))


def _render(name: str, result: Result, **kw: bool) -> str:
    return formats.render(name, result, rules_for(result), tool_version="1.2.3", **kw)


def check_every_format_renders(result: Result) -> None:
    for name in formats.available():
        for color in (False, True):
            out = _render(name, result, color=color, show_passed=color)
            assert isinstance(out, str) and out.endswith("\n"), name


def check_json_parses_back_and_validates(result: Result) -> None:
    data = json.loads(_render("json", result))
    _validator(JSON_SCHEMA, "Draft202012Validator").validate(data)
    assert len(data["findings"]) == len(result.findings)
    assert data["stats"]["exit_code"] == result.exit_code()
    assert sum(data["stats"]["by_severity"].values()) + data["stats"]["waived"] == len(result.findings)


def check_sarif_validates_against_oasis_schema(result: Result) -> None:
    if not SARIF_SCHEMA.is_file():
        return  # ../shared is absent: the schema part is skipped (test_sarif_schema_present says so)
    log = json.loads(_render("sarif", result))
    _validator(SARIF_SCHEMA, "Draft7Validator").validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == len(result.findings)
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
    assert sum("suppressions" in r for r in run["results"]) == sum(
        f.waiver is not None for f in result.findings
    )
    assert run["invocations"][0]["executionSuccessful"] is (not result.errors)


def check_junit_parses_and_counts_add_up(result: Result) -> None:
    root = ET.fromstring(_render("junit", result))
    suites = root.findall("testsuite")
    for suite in [root, *suites]:
        cases = suite.iter("testcase")
        kinds = [next((c.tag for c in case), "passed") for case in cases]
        assert int(suite.get("tests")) == len(kinds)
        assert int(suite.get("failures")) == kinds.count("failure")
        assert int(suite.get("errors")) == kinds.count("error")
        assert int(suite.get("skipped")) == kinds.count("skipped")
    # one case per (document, rule): every rule with a finding appears in its file's suite
    names = {(s.get("name"), c.get("name").split(":")[0]) for s in suites for c in s.findall("testcase")}
    assert {(f.file, f.rule) for f in result.findings} <= names
    assert int(root.get("errors")) == len(result.errors)


def check_markdown_never_passes_html_or_links_through(result: Result) -> None:
    out = _render("markdown", result)
    allowed = {"details", "/details", "summary", "/summary", "b", "/b", "sub", "/sub"}
    tags = set(re.findall(r"<(/?[A-Za-z]+)", out))
    assert tags <= allowed, tags - allowed
    assert "![" not in out.replace("\\!\\[", "")
    for line in out.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            assert len(re.findall(r"(?<!\\)\|", line)) in (4, 5), line


def check_github_commands_stay_one_per_line(result: Result) -> None:
    lines = _render("github", result).rstrip("\n").split("\n")  # the runner splits on \n only
    assert len(lines) == len(result.findings) + len(result.errors) + 1
    for line in lines:
        assert re.match(r"^::(error|warning|notice)( [a-z]+=[^,:\r\n]*(,[a-z]+=[^,:\r\n]*)*)?::", line), line


def check_gitlab_report_fields(result: Result) -> None:
    items = json.loads(_render("gitlab", result))
    assert len(items) == len(result.findings) + len(result.errors)
    assert len({i["fingerprint"] for i in items}) == len(items)
    for item in items:
        assert item["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert item["location"]["lines"]["begin"] >= 1 and isinstance(item["location"]["path"], str)


CHECKS = [
    check_every_format_renders,
    check_json_parses_back_and_validates,
    check_sarif_validates_against_oasis_schema,
    check_junit_parses_and_counts_add_up,
    check_markdown_never_passes_html_or_links_through,
    check_github_commands_stay_one_per_line,
    check_gitlab_report_fields,
]


@given(results())
def test_formats_on_arbitrary_results(result: Result) -> None:
    """One generated result, every consumer's check (generation dominates the cost)."""
    for check in CHECKS:
        check(result)


def test_sarif_schema_present() -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.skip("../shared/schemas/sarif-schema-2.1.0.json is not present: SARIF schema checks skipped")


@given(results())
def test_streamed_json_formats_are_what_json_dumps_writes(result: Result) -> None:
    """JSON, SARIF and GitLab are written in pieces; the text is strict json.dumps's, byte for
    byte (a non-finite value is null, never a bare NaN/Infinity)."""
    from checker import strictjson
    from checker.formats import RenderContext, gitlab, json_fmt, sarif

    ctx = RenderContext(rules=rules_for(result), tool_version="1.0", show_passed=True)
    for module, data in ((json_fmt, json_fmt.as_dict(result, ctx)), (sarif, sarif.as_dict(result, ctx)),
                         (gitlab, gitlab.as_list(result))):  # fmt: skip
        assert module.render(result, ctx) == strictjson.dumps(data, indent=2, ensure_ascii=False) + "\n"
