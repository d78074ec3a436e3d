"""The pre-signing gate: a decision from a lint result, and the decision record.

Decision (DESIGN §5, issue "pre-signing gate"):

* ``BLOCK`` — an unwaived hard-fail finding, or an unwaived finding at or above the
  fail threshold that is not classed soft-fail;
* ``CONDITIONAL`` — only soft-fail or below-threshold findings remain, or waivers
  were used to get there;
* ``PASS`` — nothing found and nothing waived.

Precedence of the classes is decided by ``classify`` (from the configuration:
an id beats a severity; hard beats soft).  The decision record is the audit trail
of a signing: date, tool version, sha256 of every input and of the rule set, the
configuration used, every finding and every waiver applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .models import Finding, Result

BLOCK, CONDITIONAL, PASS = "BLOCK", "CONDITIONAL", "PASS"

Classify = Callable[[Finding], "str | None"]  # "hard" | "soft" | None


@dataclass(frozen=True)
class Decision:
    verdict: str
    reasons: tuple[str, ...]
    blocking: tuple[Finding, ...] = ()

    @property
    def exit_code(self) -> int:
        return 1 if self.verdict == BLOCK else 0


def decide(result: Result, classify: Classify | None = None, *, empty_ok: bool = False) -> Decision:
    """The gate's verdict on ``result`` with the reasons, worst first.

    An input that could not be checked blocks (nothing unverified passes), and so
    does a run that checked no document at all, unless ``empty_ok`` (a
    ``--changed-since`` run that found nothing changed).
    """
    classify = classify or (lambda f: None)
    unchecked: list[str] = []
    if result.errors:
        names = sorted({e.file for e in result.errors})
        unchecked.append(
            f"{len(names)} input(s) could not be checked (exit 2): {', '.join(names[:5])}"
            + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        )
    elif not result.documents and not empty_ok:
        skipped = result.skipped
        unchecked.append(
            "no k12check document was checked"
            + (f" ({len(skipped)} file(s) without kind: skipped)" if skipped else "")
            + "; name the contract files, each starting with kind: contract"
        )
    blocking: list[Finding] = []
    conditional: list[Finding] = []
    for f in result.active():
        cls = classify(f)
        if cls == "hard" or (cls is None and f.severity >= result.fail_on):
            blocking.append(f)
        else:
            conditional.append(f)
    waived = [f for f in result.findings if f.waiver is not None]
    reasons: list[str] = []
    if blocking:
        hard = sum(1 for f in blocking if classify(f) == "hard")
        reasons.append(
            f"{len(blocking)} unwaived finding(s) at or above {result.fail_on.label}"
            + (f" ({hard} hard-fail)" if hard else "")
            + ": "
            + ", ".join(sorted({f.rule for f in blocking}))
        )
    if conditional:
        reasons.append(
            f"{len(conditional)} finding(s) below the threshold or soft-fail: "
            + ", ".join(sorted({f.rule for f in conditional}))
        )
    if waived:
        reasons.append(f"{len(waived)} finding(s) waived: " + ", ".join(sorted({f.rule for f in waived})))
    reasons[:0] = unchecked
    if blocking or unchecked:
        verdict = BLOCK
    elif conditional or waived:
        verdict = CONDITIONAL
    else:
        verdict = PASS
        reasons.append(f"no findings in {len(result.documents)} document(s)")
    return Decision(verdict, tuple(reasons), tuple(sorted(blocking)))


@dataclass
class RecordContext:
    """What the record says about the run besides the result."""

    tool_version: str
    rules_digest: str
    rules_count: int
    config: dict[str, Any] = field(default_factory=dict)
    generated: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))


def record(result: Result, decision: Decision, ctx: RecordContext) -> dict[str, Any]:
    """The decision record as JSON-able data (schema ``k12check/decision-record/v1``)."""
    waivers = [
        {
            "rule": f.rule,
            "file": f.file,
            "line": f.line,
            "path": f.path,
            "fingerprint": f.fingerprint,
            "reason": f.waiver.reason,
            "approved_by": f.waiver.approved_by,
            "expires": f.waiver.expires,
            "source": f.waiver.source,
        }
        for f in result.findings
        if f.waiver is not None
    ]
    return {
        "schema": "k12check/decision-record/v1",
        "decision": decision.verdict,
        "reasons": list(decision.reasons),
        "date": result.today,
        "generated": ctx.generated,
        "tool": {"name": "k12check", "version": ctx.tool_version},
        "rules": {"count": ctx.rules_count, "sha256": ctx.rules_digest},
        "fail_on": result.fail_on.label,
        "config": ctx.config,
        "inputs": [
            {
                "file": d.file,
                "kind": d.kind,
                "identity": d.identity,
                "sha256": d.sha256,
                "passed": len(d.passed),
                "failed": len(d.failed),
                "not_applicable": len(d.not_applicable),
            }
            for d in result.documents
        ],
        "errors": [e.to_dict() for e in result.errors],
        "findings": [f.to_dict() for f in result.findings],
        "waivers_applied": waivers,
    }


def record_markdown(data: dict[str, Any]) -> str:
    """The same record for people: what was checked, decided and waived."""
    lines = [
        f"# k12check decision record: **{data['decision']}**",
        "",
        f"- Date judged: {data['date']} (record written {data['generated']})",
        f"- Tool: k12check {data['tool']['version']}; {data['rules']['count']} rules, "
        f"rule set sha256 `{data['rules']['sha256'][:16]}…`",
        f"- Fail threshold: {data['fail_on']}",
        "",
        "## Why",
        *[f"- {_md(r)}" for r in data["reasons"]],
        "",
        "## Inputs",
        "| file | kind | sha256 | passed | failed | n/a |",
        "|---|---|---|---:|---:|---:|",
        *[
            f"| {_md(i['file'])} | {i['kind']} | `{i['sha256'][:16]}…` | {i['passed']} | {i['failed']} | "
            f"{i['not_applicable']} |"
            for i in data["inputs"]
        ],
        "",
        "## Findings",
    ]
    if data["findings"]:
        lines += ["| severity | rule | where | message | waived |", "|---|---|---|---|---|"]
        for f in data["findings"]:
            waived = "yes" if f["waiver"] else ""
            lines.append(
                f"| {f['severity']} | {f['rule']} | {_md(f['file'])}:{f['line']} | {_md(f['message'])} | {waived} |"
            )
    else:
        lines.append("None.")
    lines += ["", "## Waivers applied"]
    if data["waivers_applied"]:
        lines += ["| rule | where | reason | approved by | expires |", "|---|---|---|---|---|"]
        for w in data["waivers_applied"]:
            lines.append(
                f"| {w['rule']} | {_md(w['file'])}:{w['line']} | {_md(w['reason'])} | "
                f"{_md(w['approved_by'])} | {w['expires']} |"
            )
    else:
        lines.append("None.")
    if data["errors"]:
        lines += [
            "",
            "## Errors",
            *[f"- {_md(e['file'])}:{e['line'] or ''} {_md(e['message'])}" for e in data["errors"]],
        ]
    return "\n".join(lines) + "\n"


def _md(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")
