"""``k12check explain RULE FILE``: why a rule holds or fails on one document."""

from __future__ import annotations

from pathlib import Path

import typer

from ..documents import Input, display_name, load_document
from ..engine import evaluate
from ..errors import UsageError
from ..explain import explain
from .app import app
from .common import CONFIG_OPT, NO_BUILTIN_OPT, RULES_OPT, TODAY_OPT, RunArgs, build_options, guarded


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
    opts, ruleset = build_options(
        RunArgs([file], today=today, rules=rules, no_builtin=no_builtin, config=config)
    )
    rule = ruleset.by_id.get(rule_id.upper())
    if rule is None:
        raise UsageError(f"no rule {rule_id!r}; see k12check rules list")
    doc = load_document(Input(file, display_name(file), True), max_bytes=opts.max_bytes)
    if rule.meta.target not in (doc.kind, "any"):
        raise UsageError(f"{rule.id} checks {rule.meta.target} documents; {doc.file} is a {doc.kind}")
    typer.echo(
        f"{rule.id} [{rule.meta.severity.label}] {rule.meta.title}\non {doc.file} as of {opts.today}\n"
    )
    for step in explain(rule, doc, opts.today, opts.tailoring):
        typer.echo(step.render())
    findings = [f for f in evaluate([rule], doc, opts.today, opts.tailoring, schema=False).findings]
    verdict = f"{len(findings)} finding(s)" if findings else "no finding"
    typer.echo(f"\nresult: {verdict}")
    for f in findings:
        typer.echo(f"  {f.file}:{f.line}: {f.message}")
    if any(f.severity >= opts.fail_on for f in findings):
        raise typer.Exit(1)
