"""Plain text for people at a terminal: errors first, then findings grouped by file.

Each finding is one line ``file:line:col  SEVERITY  RULE  message`` followed by
indented evidence, citation, remediation and waiver lines.  The summary counts
open findings by area (:mod:`checker.formats.by_area`) above the one-line total.  Colour (plain ANSI
codes, severities only) is used only when the caller asks for it — the CLI asks
when standard output is a terminal.  Every text taken from inputs has its
control characters escaped, so a contract cannot write escape sequences to the
reviewer's terminal.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

from ..models import DocumentStats, Finding, Result, Severity
from ._common import (
    RenderContext,
    citation,
    evidence_of,
    message_of,
    one_line,
    ordered,
    ordered_errors,
    references_of,
    remediation_of,
    summary_line,
    waiver_text,
    where,
)
from .by_area import AreaTally

_COLORS = {
    Severity.CRITICAL: "\x1b[1;31m",
    Severity.HIGH: "\x1b[31m",
    Severity.MEDIUM: "\x1b[33m",
    Severity.LOW: "\x1b[36m",
    Severity.INFO: "\x1b[2m",
}
_RESET = "\x1b[0m"
_WIDTH = max(len(s.name) for s in Severity)


def render(result: Result, ctx: RenderContext) -> str:
    return "".join(stream(result, ctx))


def stream(result: Result, ctx: RenderContext) -> Iterator[str]:
    """The text a line at a time (each with its newline), findings read once, in order."""
    errors = [f"error: {one_line(e.render())}" for e in ordered_errors(result)]
    for line in errors:
        yield line + "\n"
    if errors:
        yield "\n"
    stats = {d.file: d for d in result.documents} if ctx.show_passed else {}
    shown: set[str] = set()
    tally = AreaTally()
    for file, group in groupby(tally.counted(ordered(result)), key=lambda f: f.file):
        if ctx.show_passed:
            shown.add(file)
        yield one_line(file or "(no file)") + "\n"
        for f in group:
            yield "".join(line + "\n" for line in _finding(f, ctx))
        if file in stats:
            yield "".join(line + "\n" for line in _passed(stats[file]))
        yield "\n"
    if ctx.show_passed:
        for doc in sorted(result.documents, key=lambda d: d.file):
            if doc.file not in shown:
                yield "".join(line + "\n" for line in [one_line(doc.file), *_passed(doc), ""])
    yield "".join(line + "\n" for line in tally.lines())
    yield summary_line(result) + "\n"


def _finding(f: Finding, ctx: RenderContext) -> list[str]:
    sev = f.severity.name.ljust(_WIDTH)
    if ctx.color:
        sev = f"{_COLORS[f.severity]}{sev}{_RESET}"
    mark = "  [waived]" if f.waiver is not None else ""
    head = (
        f"{one_line(where(f.file, f.line, f.column))}  {sev}  {one_line(f.rule)}  {one_line(message_of(f))}"
    )
    out = [f"  {head}{mark}"]
    if f.path or f.value is not None:
        out.append(f"      evidence: {evidence_of(f.path, f.value)}")
    out.extend(f"      citation: {one_line(citation(r))}" for r in references_of(f, ctx.rules))
    fix = remediation_of(f, ctx.rules)
    if fix:
        out.append(f"      fix: {one_line(fix)}")
    if f.waiver is not None:
        out.append(f"      waived: {one_line(waiver_text(f))}")
    return out


def _passed(doc: DocumentStats) -> list[str]:
    out = [f"  passed ({len(doc.passed)}): {', '.join(sorted(doc.passed)) or '-'}"]
    if doc.not_applicable:
        out.append(f"  not applicable ({len(doc.not_applicable)}): {', '.join(sorted(doc.not_applicable))}")
    return out
