"""SARIF 2.1.0 (OASIS), the format GitHub code scanning and most security dashboards read.

Mapping (DESIGN §4, §6):

* severity → ``level`` (critical/high → error, medium → warning, low/info → note)
  and ``properties.security-severity`` (9.0/7.0/5.0/3.0/0.0), which GitHub uses to
  rank security alerts;
* every rule known to the run is a ``reportingDescriptor`` with help text
  (description, remediation, citations) and ``helpUri`` = its first citation URL;
  citations of states no finding's district is in are left out (they are in the
  rule's documentation);
* ``partialFingerprints["k12check/v1"]`` is the finding's fingerprint (rule,
  document identity, path — never the line), so alerts survive edits above them;
* waived findings stay, with ``suppressions`` (kind ``external``: the waiver file);
* input, rule and configuration errors are tool execution notifications and make
  ``executionSuccessful`` false.

Locations are relative POSIX URIs under ``uriBaseId`` ``%SRCROOT%``; absolute
paths become ``file://`` URIs.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from .. import textsafe
from ..jurisdictions import is_state
from ..models import ErrorRecord, Finding, Result, RuleMeta, jsonable
from ._common import (
    INFORMATION_URI,
    TOOL_NAME,
    RenderContext,
    message_of,
    meta_for,
    ordered,
    ordered_errors,
    posix_path,
    waiver_text,
)
from ._jsonstream import Lazy, iterencode

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "k12check/v1"


def render(result: Result, ctx: RenderContext) -> str:
    return "".join(stream(result, ctx))


def stream(result: Result, ctx: RenderContext) -> Iterator[str]:
    """The log in pieces: each result is built only as it is written."""
    yield from iterencode(_log(result, ctx, Lazy))
    yield "\n"


def as_dict(result: Result, ctx: RenderContext) -> dict[str, Any]:
    return _log(result, ctx, list)


def _log(result: Result, ctx: RenderContext, array: Any) -> dict[str, Any]:
    findings = ordered(result)  # read three times: states cited, rules named, then the results
    states = _states_cited(findings)
    metas = [_own_states(m, states) for m in _rule_metas(findings, ctx.rules)]
    index = {m.id: i for i, m in enumerate(metas)}
    driver = {
        "name": TOOL_NAME,
        "version": ctx.tool_version,
        "informationUri": INFORMATION_URI,
        "rules": [_descriptor(m) for m in metas],
    }
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [_invocation(ordered_errors(result))],
        "columnKind": "unicodeCodePoints",
        "results": array(_result(f, index[f.rule]) for f in findings),
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _states_cited(findings: Iterable[Finding]) -> frozenset[str]:
    """The states whose law the run's findings cite (each finding cites only its district's)."""
    return frozenset(r.jurisdiction for f in findings for r in f.references if is_state(r.jurisdiction))


def _own_states(meta: RuleMeta, states: frozenset[str]) -> RuleMeta:
    """The descriptor's citations without the laws of states no district of the run is in."""
    refs = tuple(r for r in meta.references if not is_state(r.jurisdiction) or r.jurisdiction in states)
    return meta if refs == meta.references else dataclasses.replace(meta, references=refs)


def _rule_metas(findings: Iterable[Finding], rules: Mapping[str, RuleMeta]) -> list[RuleMeta]:
    """Every loaded rule, plus stand-ins for ids only findings know (SCHEMA-*, WAIVER-*)."""
    metas = {rid: meta for rid, meta in rules.items()}
    for f in findings:
        if f.rule not in metas:
            metas[f.rule] = meta_for(f, rules)
    return [metas[k] for k in sorted(metas)]


def _descriptor(meta: RuleMeta) -> dict[str, Any]:
    title = meta.title or meta.id
    out: dict[str, Any] = {
        "id": meta.id,
        "name": _pascal(title) or meta.id,
        "shortDescription": {"text": title},
        "fullDescription": {"text": meta.description or title},
        "help": {"text": _help_text(meta), "markdown": _help_markdown(meta)},
        "defaultConfiguration": {"level": meta.severity.sarif_level},
        "properties": {
            "tags": _unique(["compliance", meta.area, meta.target, *meta.tags]),
            "security-severity": meta.severity.security_severity,
            "precision": "high",
            "severity": meta.severity.label,
        },
    }
    urls = [r.url for r in meta.references if r.url and _is_url(r.url)]
    if urls:
        out["helpUri"] = urls[0]
    return out


def _pascal(title: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", title))


def _unique(items: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        if item:
            seen.setdefault(item, None)
    return list(seen)


def _is_url(url: str) -> bool:
    return re.match(r"^https?://[^\s()<>\[\]]+$", url) is not None


def _help_text(meta: RuleMeta) -> str:
    parts = [meta.description or meta.title or meta.id]
    if meta.remediation:
        parts.append(f"Remediation: {meta.remediation}")
    if meta.references:
        cites = [f"- {r.cite}" + (f" ({r.url})" if r.url else "") for r in meta.references]
        parts.append("References:\n" + "\n".join(cites))
    return "\n\n".join(parts)


def _help_markdown(meta: RuleMeta) -> str:
    """Built from escaped text only: a rule pack's raw HTML or Markdown never passes through."""
    md = textsafe.markdown
    parts = [f"**{md(meta.id)}**: {md(meta.title or meta.id)}"]
    if meta.description:
        parts.append(md(meta.description))
    if meta.remediation:
        parts.append(f"**Remediation:** {md(meta.remediation)}")
    if meta.references:
        cites = [
            f"- [{md(r.cite)}]({r.url})" if r.url and _is_url(r.url) else f"- {md(r.cite)}"
            for r in meta.references
        ]
        parts.append("**References:**\n\n" + "\n".join(cites))
    return "\n\n".join(parts)


def _result(f: Finding, rule_index: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": f.severity.sarif_level,
        "message": {"text": message_of(f)},
    }
    if f.file:
        out["locations"] = [_location(f.file, f.line, f.column)]
    if f.fingerprint:
        out["partialFingerprints"] = {FINGERPRINT_KEY: f.fingerprint}
    if f.waiver is not None:
        out["suppressions"] = [{"kind": "external", "status": "accepted", "justification": waiver_text(f)}]
    out["properties"] = {
        "security-severity": f.severity.security_severity,
        "severity": f.severity.label,
        "path": f.path,
        "evidence": jsonable(f.value),
    }
    return out


def _location(file: str, line: int | None, column: int) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(file)}
    if line and line > 0:
        region: dict[str, int] = {"startLine": line}
        if column > 0:
            region["startColumn"] = column
        physical["region"] = region
    return {"physicalLocation": physical}


def _artifact(file: str) -> dict[str, str]:
    path = textsafe.display_path(posix_path(file))  # a URI is UTF-8: no lone surrogates
    if PurePosixPath(path).is_absolute() or re.match(r"^[A-Za-z]:/", path):
        return {"uri": "file://" + ("" if path.startswith("/") else "/") + quote(path, safe="/:")}
    return {"uri": quote(path, safe="/"), "uriBaseId": "%SRCROOT%"}


def _invocation(errors: list[ErrorRecord]) -> dict[str, Any]:
    notes = []
    for e in errors:
        note: dict[str, Any] = {"level": "error", "message": {"text": e.render()}}
        if e.file:
            note["locations"] = [_location(e.file, e.line, 0)]
        notes.append(note)
    out: dict[str, Any] = {"executionSuccessful": not errors}
    if notes:
        out["toolExecutionNotifications"] = notes
    return out
