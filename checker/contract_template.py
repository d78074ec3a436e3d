"""The contract template cut to one service type (``k12check init contract --service-type``).

The full template lists every field of the model.  For a service type, only the
fields read by the rules that apply to it (the applicability table) are kept,
plus the parties and the contract section, which every report needs.  Facts
(``end_date``, ``tco_5yr_usd`` ...) compute from fields of their own, listed in
:data:`FACT_FIELDS`; a test keeps that list in step with the facts the rules read.
"""

from __future__ import annotations

from collections.abc import Iterable

from .catalog import Rule, RuleSet
from .modelreads import field_of, rule_reads

ALWAYS: tuple[str, ...] = ("kind", "schema_version", "vendor", "contract", "district")
_DATES = ("contract.effective_date", "contract.term_months", "contract.end_date")
FACT_FIELDS: dict[str, tuple[str, ...]] = {
    "state": ("district.state",),
    "state_breach_cap_hours": ("district.state",),
    "end_date": _DATES,
    "days_until_end": _DATES,
    "renewal_notice_deadline": (*_DATES, "contract.renewal_notice_days"),
    "renewal_notice_days_left": (*_DATES, "contract.renewal_notice_days"),
    "tco_5yr_usd": ("cost", "exit.transition_fee_usd"),
    "tco_vendor_diff_pct": ("cost", "exit.transition_fee_usd"),
    "unstated_fees": ("cost.fees",),
    "unpriced_fees": ("cost.fees",),
    "uncertified_platform_vendors": ("quality.certifications", "district.platforms"),
}


def applicable_rules(ruleset: RuleSet, service_type: str) -> list[Rule]:
    """The contract rules the applicability table applies to ``service_type``."""
    return [
        r
        for r in ruleset.rules
        if r.meta.target == "contract"
        and not r.builtin
        and (r.service_types is None or service_type in r.service_types)
    ]


def fields_read(rules: Iterable[Rule]) -> set[str]:
    """Template field paths (``sla.severities``, ``privacy.state_terms``) the rules read."""
    out: set[str] = set()
    for rule in rules:
        for read in rule_reads(rule):
            if read.model == "fact":
                out.update(FACT_FIELDS.get(str(read.steps[0]), ()))
            elif read.model == "contract":
                name = field_of("contract", read.steps)
                if name:
                    out.add(name.split("[]")[0].split(".<key>")[0])
    return out


def _wanted(path: str, keep: set[str]) -> bool:
    if path.split(".")[0] in ALWAYS:
        return True
    return any(k == path or k.startswith(path + ".") or path.startswith(k + ".") for k in keep)


def cut_template(text: str, keep: set[str], service_type: str) -> str:
    """``text`` (the full template) with only the field lines ``keep`` needs, in order."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("kind:"))
    out = [
        *lines[:start],
        f"# Cut to a {service_type} service: only the fields the rules for it read",
        f"# (k12check init contract --service-type {service_type}; without it, every field).",
    ]
    pending: list[str] = []  # blank lines and a section header, printed with the next kept field
    stack: list[tuple[int, str]] = []
    kept = False
    for line in lines[start:]:
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if not stripped or (indent == 0 and stripped.startswith("#")):
            pending.append(line)
            continue
        if stripped.startswith("#"):  # a field's continuation comment
            if kept:
                out.append(line)
            continue
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, stripped.split(":", 1)[0]))
        kept = _wanted(".".join(k for _, k in stack), keep)
        if kept:
            out.extend(pending)
            out.append(line)
            pending = []
        elif indent == 0:
            pending = []  # the whole section is left out, and its header with it
    return "\n".join(out) + "\n"


def template_for(ruleset: RuleSet, text: str, service_type: str) -> str:
    """The template for ``service_type`` from the full template ``text``."""
    return cut_template(text, fields_read(applicable_rules(ruleset, service_type)), service_type)
