"""JUnit XML (Jenkins/Ant ``junit-10`` style), for CI test-report views.

One ``<testsuite>`` per document (plus one for findings in files that are not
documents, e.g. a waivers file, and one for input errors); one ``<testcase>``
per rule evaluated on that document:

* passed rules (``DocumentStats.passed``) are plain test cases;
* rules with unwaived findings carry one ``<failure>`` whose message is the
  first finding's and whose body lists every finding with ``file:line``;
* rules whose findings are all waived are ``<skipped>`` with the waiver reason;
* rules that did not apply are ``<skipped>`` ("not applicable").

Counts (``tests``, ``failures``, ``errors``, ``skipped``) are computed from the
cases written, so they always add up.  Text that XML 1.0 cannot carry (control
characters) is written as ``\\xNN``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field

from ..models import DocumentStats, ErrorRecord, Finding, Result
from ._common import (
    TOOL_NAME,
    RenderContext,
    evidence_of,
    message_of,
    meta_for,
    ordered,
    ordered_errors,
    remediation_of,
    waiver_text,
)

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _x(text: object) -> str:
    return _XML_BAD.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


@dataclass
class _Case:
    name: str
    classname: str
    file: str
    line: int = 0
    outcome: str = "passed"  # passed | failure | skipped | error
    message: str = ""
    kind: str = ""
    body: str = ""


@dataclass
class _Suite:
    name: str
    cases: list[_Case] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)


def render(result: Result, ctx: RenderContext) -> str:
    suites = _suites(result, ctx)
    root = ET.Element("testsuites", name=TOOL_NAME)
    _count(root, [c for s in suites for c in s.cases])
    for suite in suites:
        root.append(_suite_element(suite))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suites(result: Result, ctx: RenderContext) -> list[_Suite]:
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in ordered(result):
        by_file[f.file].append(f)
    suites = []
    docs = {d.file: d for d in result.documents}
    for file in sorted(set(docs) | set(by_file)):
        suites.append(_document_suite(file, docs.get(file), by_file.get(file, []), ctx))
    if result.errors:
        suites.append(_error_suite(ordered_errors(result)))
    return suites


def _document_suite(
    file: str, doc: DocumentStats | None, findings: list[Finding], ctx: RenderContext
) -> _Suite:
    suite = _Suite(name=file or "(no file)")
    if doc is not None:
        suite.properties = {"kind": doc.kind, "identity": doc.identity}
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_rule[f.rule].append(f)
    rules = set(by_rule)
    if doc is not None:
        rules |= set(doc.passed) | set(doc.failed) | set(doc.not_applicable)
    for rule in sorted(rules):
        suite.cases.append(_case(rule, suite.name, by_rule.get(rule, []), doc, ctx))
    return suite


def _case(
    rule: str, file: str, findings: list[Finding], doc: DocumentStats | None, ctx: RenderContext
) -> _Case:
    title = meta_for(findings[0], ctx.rules).title if findings else getattr(ctx.rules.get(rule), "title", "")
    case = _Case(name=f"{rule}: {title}" if title else rule, classname=file, file=file)
    active = [f for f in findings if f.waiver is None]
    if active:
        case.line = active[0].line
        case.outcome, case.kind = "failure", f"{rule} {active[0].severity.label}"
        case.message = message_of(active[0])
        case.body = "\n\n".join(_finding_text(f, ctx) for f in findings)
    elif findings:
        case.line = findings[0].line
        case.outcome = "skipped"
        case.message = "waived: " + "; ".join(sorted({waiver_text(f) for f in findings}))
    elif doc is not None and rule in doc.not_applicable:
        case.outcome, case.message = "skipped", "not applicable"
    elif doc is not None and rule in doc.failed:
        case.outcome, case.kind, case.message = "failure", rule, "rule failed (no finding recorded)"
    return case


def _finding_text(f: Finding, ctx: RenderContext) -> str:
    loc = f"{f.file}:{f.line}" if f.line else f.file
    lines = [f"{loc}: {f.severity.label}: {message_of(f)}"]
    if f.path:
        lines.append(f"evidence: {evidence_of(f.path, f.value)}")
    fix = remediation_of(f, ctx.rules)
    if fix:
        lines.append(f"remediation: {fix}")
    if f.waiver is not None:
        lines.append(f"waived: {waiver_text(f)}")
    return "\n".join(lines)


def _error_suite(errors: list[ErrorRecord]) -> _Suite:
    suite = _Suite(name="input errors")
    for e in errors:
        suite.cases.append(
            _Case(name=e.file or "(input)", classname="input errors", file=e.file, line=e.line or 0,
                  outcome="error", kind="InputError", message=e.message, body=e.render())
        )  # fmt: skip
    return suite


def _count(elem: ET.Element, cases: list[_Case]) -> None:
    elem.set("tests", str(len(cases)))
    for attr, outcome in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
        elem.set(attr, str(sum(1 for c in cases if c.outcome == outcome)))
    elem.set("time", "0")


def _suite_element(suite: _Suite) -> ET.Element:
    elem = ET.Element("testsuite", name=_x(suite.name))
    _count(elem, suite.cases)
    if suite.properties:
        props = ET.SubElement(elem, "properties")
        for key, value in suite.properties.items():
            ET.SubElement(props, "property", name=key, value=_x(value))
    for case in suite.cases:
        elem.append(_case_element(case))
    return elem


def _case_element(case: _Case) -> ET.Element:
    elem = ET.Element("testcase", name=_x(case.name), classname=_x(case.classname), file=_x(case.file))
    if case.line:
        elem.set("line", str(case.line))
    elem.set("time", "0")
    if case.outcome == "skipped":
        ET.SubElement(elem, "skipped", message=_x(case.message))
    elif case.outcome in ("failure", "error"):
        child = ET.SubElement(elem, case.outcome, message=_x(case.message), type=_x(case.kind))
        child.text = _x(case.body)
    return elem
