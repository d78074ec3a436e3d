"""Generate the rule catalog pages (``docs/rules/``) from the rules' own metadata.

One page per rule (description, what is checked in words, severity, parameters,
citations, examples) and an index grouped by area and by statute.  The output
is a pure function of the rule files, so a test can tell when the committed
pages are stale.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import yaml

from .catalog import Rule, RuleSet

AREA_TITLES = {
    "privacy": "Privacy", "breach": "Breach", "control": "Control, retention and exit", "cost": "1. Cost",
    "service": "2. Service quality and expertise", "flexibility": "3. Flexibility",
    "responsiveness": "4. Responsiveness", "customization": "5. Customization", "security": "6. Security",
    "integration": "7. Integration", "strategy": "8. Long-term strategy", "mdm-access": "MDM: access",
    "mdm-apps": "MDM: apps and content", "mdm-security": "MDM: device security", "mdm-data": "MDM: data",
    "mdm-inventory": "MDM: inventory", "mdm-ops": "MDM: operations", "portfolio": "Cross-checks",
    "schema": "Schema", "waiver": "Waivers", "custom": "Custom",
}  # fmt: skip


def statute_of(cite: str) -> str:
    """The statute or framework a citation belongs to (for the index by statute)."""
    c = cite.upper()
    table = [
        ("CFR 99", "FERPA (34 CFR 99)"), ("FERPA", "FERPA (34 CFR 99)"), ("16 CFR 312", "COPPA (16 CFR 312)"),
        ("COPPA", "COPPA (16 CFR 312)"), ("1232H", "PPRA (20 USC 1232h)"), ("PPRA", "PPRA (20 USC 1232h)"),
        ("254(H)", "CIPA (47 USC 254(h))"), ("54.520", "CIPA (47 USC 254(h))"), ("CIPA", "CIPA (47 USC 254(h))"),
        ("NYCRR", "New York Ed Law 2-d / 8 NYCRR 121"), ("ILCS", "Illinois SOPPA"), ("SOPPA", "Illinois SOPPA"),
        ("IAC", "Illinois SOPPA"), ("49073", "California Ed Code 49073.1"), ("B&P", "California SOPIPA"),
        ("22584", "California SOPIPA"), ("10-234", "Connecticut 10-234bb/dd"), ("CT ", "Connecticut 10-234bb/dd"),
        ("53E-9", "Utah 53E-9"), ("UT ", "Utah 53E-9"), ("22-16", "Colorado 22-16"), ("CO ", "Colorado 22-16"),
        ("TEX", "Texas Education Code"), ("TX", "Texas Education Code"), ("MT ", "Montana 20-7-1326"),
        ("20-7-1326", "Montana 20-7-1326"), ("NDPA", "NDPA (SDPC)"), ("SDPC", "NDPA (SDPC)"), ("CISA", "CISA K-12"), ("CIS", "CIS Benchmarks"),
        ("MSCP", "CIS Benchmarks"), ("NIST", "NIST"), ("CISA", "CISA K-12"), ("K12 SIX", "K12 SIX"),
        ("1EDTECH", "1EdTech rubrics"), ("COMMON SENSE", "Common Sense privacy"), ("ED-SPACES", "ed-spaces outsourcing guide"),
        ("APPLE", "Apple platform documentation"), ("GOOGLE", "Google platform documentation"),
        ("MICROSOFT", "Microsoft Intune documentation"), ("INTUNE", "Microsoft Intune documentation"),
    ]  # fmt: skip
    for needle, name in table:
        if needle in c:
            return name
    return "Other practice and guidance"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _yaml(data: Any) -> str:
    return yaml.safe_dump(
        data, sort_keys=False, default_flow_style=False, allow_unicode=True, width=88
    ).rstrip()


def rule_page(rule: Rule) -> str:
    m = rule.meta
    out = [f"# {m.id}: {m.title}", "", f"**Severity:** {m.severity.label}  ", f"**Area:** {AREA_TITLES.get(m.area, m.area)}  ",
           f"**Checks:** {m.target} documents  "]  # fmt: skip
    if rule.escalate:
        for esc in rule.escalate:
            where = f"in {', '.join(sorted(esc.states))}" if esc.states else "when its condition holds"
            out.append(f"**Raised to {esc.severity.label}** {where}  ")
    if m.states:
        out.append(f"**Applies in:** {', '.join(m.states)}  ")
    if m.terms:  # from rules/applicability.yaml
        out.append(f"**Judges:** {m.terms} terms (not applicable to a package without them)  ")
    if m.service_types:
        out.append(f"**Service types:** {', '.join(m.service_types)}  ")
    out.append(f"**Waivable:** {'yes' if m.waivable else 'no (statutory)'}")
    out += ["", m.description, "", "## What is checked", ""]
    if rule.builtin:
        out.append(f"Produced by k12check's {rule.builtin} step, not by a condition.")
    else:
        raw = _raw(rule)
        if "applies" in raw:
            out += ["Applies when:", "", "```yaml", _yaml(raw["applies"]), "```", ""]
        out += ["Must hold:", "", "```yaml", _yaml(raw.get("check")), "```", "",
                f"A field that is absent or null counts as **{rule.missing}**."]  # fmt: skip
    if m.params:
        out += ["", "## Parameters", "", "| name | default |", "|---|---|"]
        out += [f"| `{k}` | `{v}` |" for k, v in m.params]
        out += ["", f"Override per district in `k12check.yaml`: `rules.params.{m.id}.<name>`."]
    out += ["", "## Remediation", "", m.remediation, "", "## Citations", ""]
    out += [f"- {r.cite}" + (f" — <{r.url}>" if r.url else "") for r in m.references]
    for kind in ("pass", "fail"):
        examples = rule.examples.get(kind, [])
        if examples:
            out += [
                "",
                f"## Example that {'passes' if kind == 'pass' else 'fails'}",
                "",
                "```yaml",
                _yaml(examples[0]),
                "```",
            ]
    out += ["", f"Source: `{_rel(m.file)}`", ""]
    return "\n".join(out)


def _raw(rule: Rule) -> dict[str, Any]:
    from .yamlio import load_bytes

    with open(rule.meta.file, "rb") as fh:
        data = load_bytes(fh.read(), rule.meta.file).value
    return data if isinstance(data, dict) else {}


def _rel(file: str) -> str:
    marker = "/rules/"
    return "rules/" + file.split(marker, 1)[1] if marker in file else file


def index_page(rules: Iterable[Rule]) -> str:
    rules = list(rules)
    by_area: dict[str, list[Rule]] = defaultdict(list)
    by_statute: dict[str, set[str]] = defaultdict(set)
    for r in rules:
        by_area[r.meta.area].append(r)
        for ref in r.meta.references:
            by_statute[statute_of(ref.cite)].add(r.id)
    titles = {r.id: r.meta.title for r in rules}
    out = ["# Rule catalog", "", f"{len(rules)} rules. Generated by `k12check rules docs --out docs/rules/` "
           "from the rule files; do not edit by hand.", "", "## By area", ""]  # fmt: skip
    order = list(AREA_TITLES)
    for area in sorted(by_area, key=lambda a: (order.index(a) if a in order else 99, a)):
        out += [f"### {AREA_TITLES.get(area, area)}", "", "| id | severity | title |", "|---|---|---|"]
        out += [f"| [{r.id}]({r.id}.md) | {r.meta.severity.label} | {r.meta.title} |" for r in by_area[area]]
        out.append("")
    out += ["## By statute or framework", ""]
    for statute in sorted(by_statute):
        ids = sorted(by_statute[statute])
        out += [f"### {statute}", "", *[f"- [{i}]({i}.md) {titles[i]}" for i in ids], ""]
    return "\n".join(out)


def generate(ruleset: RuleSet) -> dict[str, str]:
    """File name → Markdown for every page of the catalog."""
    pages = {f"{r.id}.md": rule_page(r) for r in ruleset.rules}
    pages["index.md"] = index_page(ruleset.rules)
    return pages
