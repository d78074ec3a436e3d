"""``k12check rules``: list, show, test and document the rules."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from ..catalog import Rule, RuleSet, load_rules
from ..errors import UsageError
from ..facts import FACTS
from ..jurisdictions import title as jurisdiction_title
from ..models import Severity
from ..ruletest import run_all
from .app import app
from .common import NO_BUILTIN_OPT, RULES_OPT, guarded

rules_app = typer.Typer(
    help="List, show, test and document the rules.\n\nExample: k12check rules list --area breach --state NY",
    no_args_is_help=True,
)
app.add_typer(rules_app, name="rules")


def _load(rules: list[Path], no_builtin: bool) -> RuleSet:
    ruleset = load_rules(rules, builtin=not no_builtin)
    for err in ruleset.errors:
        typer.echo(f"error: {err.render()}", err=True)
    return ruleset


def _row(rule: Rule) -> dict[str, object]:
    m = rule.meta
    return {
        "id": m.id,
        "title": m.title,
        "severity": m.severity.label,
        "area": m.area,
        "target": m.target,
        "states": list(m.states),
        "tags": list(m.tags),
        "waivable": m.waivable,
        "references": [{"cite": r.cite, "url": r.url, "jurisdiction": r.jurisdiction} for r in m.references],
        "params": dict(m.params),
        "file": m.file,
    }


@rules_app.command("list")
@guarded
def list_rules(
    fmt: str = typer.Option("table", "--format", help="table or json"),
    area: str | None = typer.Option(None, "--area", help="Only this area (privacy, breach, mdm-apps, ...)."),
    state: str | None = typer.Option(None, "--state", help="Only rules that apply in this state (e.g. NY)."),
    severity: str | None = typer.Option(None, "--severity", help="Only this severity."),
    rules: list[Path] = RULES_OPT,
    no_builtin: bool = NO_BUILTIN_OPT,
) -> None:
    """List the rules with id, severity, area and title; the filters combine.

    --state keeps the rules that apply everywhere and those for that state.

    Example: k12check rules list --area breach --state NY --severity critical
    """
    if fmt not in ("table", "json"):
        raise UsageError(f"--format must be table or json (got {fmt!r})")
    wanted = _severity(severity)
    if state is not None and not (len(state) == 2 and state.isalpha()):
        raise UsageError(f"--state must be a two-letter state code like NY (got {state!r})")
    ruleset = _load(rules, no_builtin)
    areas = sorted({r.meta.area for r in ruleset.rules})
    if area is not None and area not in areas:
        raise UsageError(f"unknown area {area!r}; choose one of: {', '.join(areas)}")
    chosen = [
        r
        for r in ruleset.rules
        if (area is None or r.meta.area == area)
        and (wanted is None or r.meta.severity == wanted)
        and (state is None or not r.meta.states or state.upper() in r.meta.states)
    ]
    if fmt == "json":
        typer.echo(json.dumps({"rules": [_row(r) for r in chosen]}, indent=2, sort_keys=False))
    else:
        title = f"{len(chosen)} rule{'' if len(chosen) == 1 else 's'}"
        table = Table("id", "severity", "area", "target", "title", title=title)
        for r in chosen:
            table.add_row(r.id, r.meta.severity.label, r.meta.area, r.meta.target, r.meta.title)
        Console().print(table)
    raise typer.Exit(2 if ruleset.errors else 0)


def _severity(text: str | None) -> Severity | None:
    try:
        return None if text is None else Severity.parse(text)
    except ValueError as exc:
        raise UsageError(f"--severity: {exc}") from None


@rules_app.command("show")
@guarded
def show_rule(
    rule_id: str = typer.Argument(..., help="The rule id, e.g. BRCH-002 (see k12check rules list)."),
    rules: list[Path] = RULES_OPT,
    no_builtin: bool = NO_BUILTIN_OPT,
) -> None:
    """Show one rule: what it checks, why, citations, parameters and examples.

    Example: k12check rules show BRCH-002
    """
    ruleset = _load(rules, no_builtin)
    rule = ruleset.by_id.get(rule_id.upper())
    if rule is None:
        typer.echo(f"k12check: no rule {rule_id!r}; see k12check rules list", err=True)
        raise typer.Exit(2)
    m = rule.meta
    lines = [f"{m.id}  [{m.severity.label}]  {m.title}", f"area: {m.area}   target: {m.target}"]
    if m.states:
        lines.append("states: " + ", ".join(m.states))
    lines += ["", m.description, "", "Remediation: " + m.remediation, "", "Citations:"]
    lines += [
        f"  - {r.cite} ({jurisdiction_title(r.jurisdiction)})" + (f" <{r.url}>" if r.url else "")
        for r in m.references
    ]
    if m.params:
        lines += ["", "Parameters (override in k12check.yaml rules.params):"]
        lines += [f"  {k}: {v}" for k, v in m.params]
    lines += ["", f"Defined in {m.file}"]
    typer.echo("\n".join(lines))


@rules_app.command("test")
@guarded
def test_rules(
    ids: list[str] = typer.Argument(None, help="Rule ids to test (default: all)."),
    rules: list[Path] = RULES_OPT,
    no_builtin: bool = NO_BUILTIN_OPT,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Print every example, not only failures."),
) -> None:
    """Run every rule's pass and fail examples; exit 1 when one misbehaves.

    Example: k12check rules test --rules my-rules/ --no-builtin
    """
    ruleset = _load(rules, no_builtin)
    outcomes = run_all(ruleset, {i.upper() for i in ids} if ids else None)
    bad = [o for o in outcomes if not o.ok]
    for o in outcomes if verbose else bad:
        mark = "ok  " if o.ok else "FAIL"
        label = f" ({o.label})" if o.label else ""
        typer.echo(f"{mark} {o.name}{label}: expected {o.expected}; got {o.detail}")
    typer.echo(f"{len(outcomes) - len(bad)} passed, {len(bad)} failed")
    raise typer.Exit(2 if ruleset.errors else (1 if bad else 0))


@rules_app.command("facts")
def list_facts() -> None:
    """List the derived facts rules can read ({fact: name}).

    Example: k12check rules facts
    """
    from ..facts import load_builtin_facts

    load_builtin_facts()
    for name in sorted(FACTS):
        info = FACTS[name]
        typer.echo(f"{name}  ({', '.join(info.kinds)})\n    {info.doc}")


@rules_app.command("docs")
@guarded
def rules_docs(
    out: Path = typer.Option(Path("docs/rules"), "--out", help="Folder for the generated pages."),
    check: bool = typer.Option(
        False, "--check", help="Only report whether the folder is up to date (exit 1 if not)."
    ),
) -> None:
    """Write one Markdown page per rule and an index by area and by statute.

    Example: k12check rules docs --out docs/rules/
    """
    from ..ruledocs import generate

    pages = generate(_load([], False))
    stale = sorted(n for n, text in pages.items() if not (out / n).is_file() or (out / n).read_text() != text)
    extra = sorted(p.name for p in out.glob("*.md") if p.name not in pages) if out.is_dir() else []
    if check:
        for name in stale + extra:
            typer.echo(f"stale: {out / name}")
        raise typer.Exit(1 if stale or extra else 0)
    out.mkdir(parents=True, exist_ok=True)
    for name in extra:
        (out / name).unlink()
    for name in stale:
        (out / name).write_text(pages[name])
    typer.echo(f"{len(pages)} pages in {out} ({len(stale)} written, {len(extra)} removed)")
