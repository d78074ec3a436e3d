"""``k12check explain RULE FILE``: why a rule holds or fails on one document."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import typer

from ..errors import UsageError
from ..explain import explain
from ..run import run
from .app import app
from .common import CONFIG_OPT, NO_BUILTIN_OPT, RULES_OPT, TODAY_OPT, guarded, run_options


@app.command("explain")
@guarded
def explain_command(
    rule_id: str = typer.Argument(..., help="The rule id, e.g. BRCH-002."),
    file: Path = typer.Argument(..., help="The contract or district file to explain it on."),
    today: str | None = TODAY_OPT,
    rules: list[Path] = RULES_OPT,
    no_builtin: bool = NO_BUILTIN_OPT,
    config: Path | None = CONFIG_OPT,
) -> None:
    """Show each condition of RULE on FILE: the actual value, the expected one, its line, and
    whether it held.

    Exit 1 when the rule fails at or above the fail threshold (default high), as lint would.

    Example: k12check explain BRCH-002 examples/contracts/problem-vendor-2026.yaml
    """
    options = run_options([file], today=today, rules=rules, no_builtin=no_builtin, config=config)
    outcome = run([file], replace(options, keep_documents=True, no_waivers=True, no_baseline=True))
    ruleset, tailoring = outcome.ruleset, outcome.tailoring
    assert ruleset is not None
    rule = ruleset.by_id.get(rule_id.upper())
    if rule is None:
        raise UsageError(f"no rule {rule_id!r}; see k12check rules list")
    if outcome.errors:
        raise UsageError(outcome.errors[0].render())
    if not outcome.kept:
        raise UsageError(f"{file}: not a contract or district file")
    doc = outcome.kept[0]
    if rule.meta.target not in (doc.kind, "any"):
        raise UsageError(f"{rule.id} checks {rule.meta.target} documents; {doc.file} is a {doc.kind}")
    today_ = dt.date.fromisoformat(outcome.today)
    typer.echo(f"{rule.id} [{rule.meta.severity.label}] {rule.meta.title}\non {doc.file} as of {today_}\n")
    for step in explain(rule, doc, today_, tailoring):
        typer.echo(step.render())
    findings = [f for f in outcome.findings if f.rule == rule.id]
    verdict = f"{len(findings)} finding(s)" if findings else "no finding"
    typer.echo(f"\nresult: {verdict}")
    for f in findings:
        typer.echo(f"  {f.file}:{f.line}: {f.message}")
    if any(f.severity >= outcome.fail_on for f in findings):
        raise typer.Exit(1)
