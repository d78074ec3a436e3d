"""Helpers every formatter shares: ordering, counts, locations, safe text.

Formatters render a :class:`~checker.models.Result`; they never evaluate.  What
they need beyond the result (the tool version, colour, ``--show-passed``) comes
in one :class:`RenderContext`, so every formatter has the same signature.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath, PureWindowsPath
from typing import Any

from .. import textsafe
from ..jurisdictions import is_state
from ..models import ErrorRecord, Finding, Reference, Result, RuleMeta, Severity, jsonable

TOOL_NAME = "k12check"
INFORMATION_URI = "https://github.com/k12check/k12check"

# C0/C1 control characters (and DEL), lone surrogates and bidi controls: shown escaped,
# so a value in a contract can neither forge output lines, send escape sequences to a
# terminal, reorder what a reader sees, nor stop an encoder.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class RenderContext:
    """Everything a formatter may know besides the result."""

    rules: Mapping[str, RuleMeta] = field(default_factory=dict)
    tool_version: str = "0"
    color: bool = False
    show_passed: bool = False


def ordered(result: Result) -> Sequence[Finding]:
    """Findings in the one documented order (file, line, rule, path, column).

    A :class:`~checker.findings.Findings` is that order already, and is returned as
    it is (iterate it once: a large one streams from disk).
    """
    return result.sorted_findings()


def ordered_errors(result: Result) -> list[ErrorRecord]:
    return sorted(result.errors, key=lambda e: (e.file, e.line or 0, e.message))


def severities_desc() -> list[Severity]:
    return sorted(Severity, reverse=True)


def summary_line(result: Result) -> str:
    """``N findings (c critical, h high, …) in D documents; W waived; E errors``.

    ``N`` and the severity counts are of unwaived findings (what gates the exit code).
    """
    counts = result.counts()
    total = sum(counts.values())
    parts = ", ".join(f"{counts[s.label]} {s.label}" for s in severities_desc())
    docs = len(result.documents)
    skipped = len(result.skipped)
    return (
        f"{total} {_plural(total, 'finding')} ({parts}) in {docs} {_plural(docs, 'document')}; "
        f"{result.waived()} waived; {len(result.errors)} {_plural(len(result.errors), 'error')}"
        + (f"; {skipped} {_plural(skipped, 'file')} without kind: skipped" if skipped else "")
    )


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def where(file: str, line: int | None, column: int = 0) -> str:
    """``file:line:col`` with unknown parts (0 or None) left out."""
    if not line:
        return file
    return f"{file}:{line}:{column}" if column else f"{file}:{line}"


def posix_path(file: str) -> str:
    """A path with forward slashes and no leading ``./`` (for SARIF, GitHub, GitLab)."""
    if "\\" in file and PureWindowsPath(file).drive:
        text = PureWindowsPath(file).as_posix()
    else:
        text = PurePath(file).as_posix() if file else ""
    while text.startswith("./"):
        text = text[2:]
    return text


def one_line(text: Any, limit: int = 0) -> str:
    """Text safe for one output line: control characters escaped, optionally shortened."""
    out = _CONTROL.sub(lambda m: _escape_char(m.group()), str(text))
    if limit and len(out) > limit:
        out = out[: limit - 1] + "…"
    return out


def _escape_char(ch: str) -> str:
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch) or textsafe.escape_char(ch)


def evidence(value: Any, limit: int = 200) -> str:
    """The evidence value as compact JSON (dates as ISO text), shortened for display."""
    text = json.dumps(jsonable(value), ensure_ascii=False, sort_keys=True, default=str)
    return one_line(text, limit)


def evidence_of(path: str, value: Any, limit: int = 200) -> str:
    """``path = value``; a finding over several fields (the engine's ``{path: value}``) lists each."""
    if (
        isinstance(value, dict)
        and value
        and all(isinstance(k, str) and ("." in k or "[" in k or k.startswith("fact:")) for k in value)
    ):
        parts = [f"{one_line(k)} = {evidence(v, limit)}" for k, v in value.items()]
        return one_line("; ".join(parts), limit * 2)
    return f"{one_line(path) or '(document)'} = {evidence(value, limit)}"


def meta_for(finding: Finding, rules: Mapping[str, RuleMeta]) -> RuleMeta:
    """The rule's metadata, or a stand-in built from the finding (SCHEMA-*, WAIVER-*)."""
    meta = rules.get(finding.rule)
    if meta is not None:
        return meta
    return RuleMeta(
        id=finding.rule,
        title=finding.title or finding.rule,
        area=finding.area,
        target=finding.target,
        severity=finding.severity,
        remediation=finding.remediation,
        references=finding.references,
    )


def references_of(finding: Finding, rules: Mapping[str, RuleMeta]) -> tuple[Reference, ...]:
    """The finding's citations (already its district's own); never another state's law."""
    if finding.references:
        return finding.references
    meta = rules.get(finding.rule)
    return tuple(r for r in meta.references if not is_state(r.jurisdiction)) if meta is not None else ()


def remediation_of(finding: Finding, rules: Mapping[str, RuleMeta]) -> str:
    if finding.remediation:
        return finding.remediation
    meta = rules.get(finding.rule)
    return meta.remediation if meta is not None else ""


def citation(ref: Reference) -> str:
    return f"{ref.cite} ({ref.url})" if ref.url else ref.cite


def waiver_text(finding: Finding) -> str:
    """``reason (approved by X; expires D)`` for a waived finding, else ``""``."""
    w = finding.waiver
    if w is None:
        return ""
    return f"{w.reason} (approved by {w.approved_by}; expires {w.expires})"


def message_of(finding: Finding) -> str:
    """The message, falling back to the title, then the rule id (never empty)."""
    return finding.message or finding.title or finding.rule
