"""A pull-request comment (GitHub/GitLab flavoured Markdown).

Layout: the decision line, a severity-count table, a findings table (severity,
rule, location, message), then one collapsible ``<details>`` per finding with
evidence, citation and remediation.

Everything taken from inputs is escaped: ``|`` (would split a table cell),
``<``/``>``/``&`` (raw HTML), backticks, ``*``/``_``/``~`` (emphasis), ``[``,
``]`` and ``!`` (links and tracking images), backslashes; newlines are folded;
``@mentions``, autolinks and bidi controls are neutralised (:func:`checker.textsafe.markdown`).
The comment stays under GitHub's 65,536-character limit: past the budget the
remaining details are summarized with a pointer to the full outputs.

The decision comes from ``result.decision`` (verdict and reasons) when the gate
set it; otherwise from the exit code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .. import textsafe
from ..models import Finding, Result
from ._common import (
    TOOL_NAME,
    RenderContext,
    evidence_of,
    message_of,
    ordered,
    ordered_errors,
    references_of,
    remediation_of,
    severities_desc,
    summary_line,
    waiver_text,
    where,
)

BUDGET = 60_000  # characters; GitHub rejects comments over 65,536
_ICONS = {"critical": "🟥", "high": "🟧", "medium": "🟨", "low": "🟦", "info": "⬜"}


md = textsafe.markdown  # inline-safe Markdown from untrusted input (no HTML, links, mentions)


def render(result: Result, ctx: RenderContext) -> str:
    findings = ordered(result)
    parts = [_heading(result), "", _severity_table(result), ""]
    errors = ordered_errors(result)
    if errors:
        parts += ["**Errors** (these files were not fully checked):", ""]
        parts += [f"- {md(_short(e.render(), 300))}" for e in errors[:50]]
        parts += [f"- …and {len(errors) - 50} more errors"] if len(errors) > 50 else []
        parts.append("")
    footer = (
        f"<sub>{TOOL_NAME} {md(ctx.tool_version)} · rules loaded: {result.rules_loaded}"
        f" · fail on: {result.fail_on.label}"
        + (f" · as of {md(result.today)}" if result.today else "")
        + "</sub>"
    )
    if findings:
        left = BUDGET - _size(parts) - len(footer)
        table = _findings_table(findings, left * 2 // 3)
        parts += [table, ""]
        parts += _details(findings, ctx, left - len(table) - 1)
    parts.append(footer)
    return "\n".join(parts) + "\n"


def _size(parts: list[str]) -> int:
    return sum(len(p) + 1 for p in parts)


def _heading(result: Result) -> str:
    gate = result.decision
    decision = gate.verdict if gate is not None else {0: "PASS", 1: "FAIL"}.get(result.exit_code(), "ERROR")
    icon = {"PASS": "✅", "CONDITIONAL": "⚠️", "BLOCK": "⛔", "FAIL": "❌"}.get(str(decision).upper(), "⚠️")
    lines = [f"## {icon} {TOOL_NAME}: {md(decision)}", "", md(summary_line(result))]
    if gate is not None and gate.reasons:
        lines += [""] + [f"- {md(r)}" for r in gate.reasons]
    return "\n".join(lines)


def _severity_table(result: Result) -> str:
    active = result.counts()
    waived = {s.label: 0 for s in severities_desc()}
    for f in result.findings:
        if f.waiver is not None:
            waived[f.severity.label] += 1
    rows = ["| Severity | Findings | Waived |", "|---|---:|---:|"]
    rows += [
        f"| {_ICONS[s.label]} {s.label} | {active[s.label]} | {waived[s.label]} |" for s in severities_desc()
    ]
    return "\n".join(rows)


def _findings_table(findings: Sequence[Finding], budget: int) -> str:
    rows = ["| Severity | Rule | Location | Message |", "|---|---|---|---|"]
    used = _size(rows)
    for i, f in enumerate(findings):
        sev = f"{_ICONS[f.severity.label]} {f.severity.label}" + (" (waived)" if f.waiver else "")
        row = f"| {sev} | {md(f.rule)} | {md(where(f.file, f.line))} | {md(_short(message_of(f)))} |"
        if used + len(row) + 1 > budget:
            rows += [
                "",
                f"_…and {len(findings) - i} more findings; see the SARIF or JSON output for all of them._",
            ]
            break
        rows.append(row)
        used += len(row) + 1
    return "\n".join(rows)


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _details(findings: Sequence[Finding], ctx: RenderContext, budget: int) -> list[str]:
    out: list[str] = []
    used = 0
    for i, f in enumerate(findings):
        block = _detail(f, ctx)
        if used + len(block) > budget:
            rest = len(findings) - i
            out += [f"_…and {rest} more finding details; see the SARIF or JSON output for all of them._", ""]
            break
        out += [block, ""]
        used += len(block) + 1
    return out


def _detail(f: Finding, ctx: RenderContext) -> str:
    summary = (
        f"<b>{md(f.severity.label.upper())}</b> {md(f.rule)} · {md(where(f.file, f.line))} · {md(f.title)}"
    )
    lines = [f"<details><summary>{summary}</summary>", "", md(message_of(f)), ""]
    if f.path or f.value is not None:
        lines.append(f"- **Evidence:** {md(evidence_of(f.path, f.value))}")
    for ref in references_of(f, ctx.rules):
        url = ref.url if ref.url and re.match(r"^https?://[^\s()<>]+$", ref.url) else None
        lines.append(f"- **Citation:** [{md(ref.cite)}]({url})" if url else f"- **Citation:** {md(ref.cite)}")
    fix = remediation_of(f, ctx.rules)
    if fix:
        lines.append(f"- **Remediation:** {md(fix)}")
    if f.waiver is not None:
        lines.append(f"- **Waived:** {md(waiver_text(f))}")
    lines += ["", "</details>"]
    return "\n".join(lines)
