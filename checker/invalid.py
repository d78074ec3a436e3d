"""Invalid values fail closed: a rule that reads one cannot judge the document.

A value outside its enumeration, of the wrong type, or invalid with another field (an
end date before the start date) is not evidence of anything.  Left alone it would switch
rules off silently — ``service_type: managed-services`` makes every rule scoped to
``managed_service`` "not applicable" — or let them judge garbage.  So the engine asks
:func:`cannot_judge` before running a rule: a rule that reads an invalid value (or whose
``states:`` depend on an invalid state code) is not run and counts as *cannot judge*
(today it is recorded like a skipped rule; it is the ``unknown`` outcome).  The schema
finding for the value then says which rules it left unjudged, with a hint, and is
**high** when one of them is critical or high, so a gate blocks on it.

Values inside list elements (one device's ``platform``) do not stop a rule that judges
every element: the other elements are still judged and that one is not
(:func:`unjudged_elements`; it makes the rule's outcome unknown unless another element fails).  A rule whose ``states:`` exclude
the (valid) state is not applicable, whatever else is invalid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .catalog import Rule
from .modelreads import rule_reads
from .models import Severity
from .paths import STAR, Path, PathSyntaxError
from .validate import TYPE, VALUE, Issue, dotted, validate
from .valuehints import cross_field_issues, hint

Steps = tuple[Any, ...]
STATE_PATH: Steps = ("district", "state")  # what a rule's `states:` reads (the `state` fact)
# Facts and the document fields they are derived from (a fact over an invalid field is invalid).
FACT_SOURCES: dict[str, tuple[Steps, ...]] = {
    "state": (STATE_PATH,),
    "state_breach_cap_hours": (STATE_PATH,),
    "end_date": (("contract", "end_date"), ("contract", "effective_date"), ("contract", "term_months")),
}
SHOWN = 12  # rules named in a schema finding (the most severe first)
_READS: dict[int, tuple[Rule, tuple[Steps, ...]]] = {}


@dataclass
class InvalidValues:
    """A document's schema issues and the invalid values among them (by path)."""

    kind: str
    issues: list[Issue]
    bad: dict[Steps, str]  # steps of an invalid value -> its dotted path
    disabled: dict[str, list[Rule]] = field(default_factory=dict)  # path -> rules left unjudged

    def describe(self, issue: Issue, fix: str, severity: Severity) -> tuple[str, Severity]:
        """The schema finding's message (the hint, what to do, the rules it left unjudged)
        and its severity: high when one of those rules is critical or high."""
        advice = hint(self.kind, issue)
        message = f"{issue.message}: {advice}" if advice else issue.message
        message += f"; {fix}"
        rules = self.disabled.get(issue.path, [])
        if rules:
            worst = sorted(rules, key=lambda r: (-r.meta.severity, r.id))  # the ones that matter first
            named = ", ".join(f"{r.id} ({r.meta.severity.label})" for r in worst[:SHOWN])
            more = f" and {len(worst) - SHOWN} more" if len(worst) > SHOWN else ""
            message += f"; until it is fixed, these rules cannot judge it: {named}{more}"
            if max(r.meta.severity for r in rules) >= Severity.HIGH:
                severity = max(severity, Severity.HIGH)
        return message, severity


def invalid_values(kind: str, data: Mapping[str, Any]) -> InvalidValues:
    """The schema issues of a contract or district document, and its invalid values."""
    issues = sorted(validate(kind, data) + cross_field_issues(kind, data), key=lambda i: (i.path, i.kind))
    bad: dict[Steps, str] = {}
    for issue in issues:
        if issue.kind in (TYPE, VALUE) and issue.path:
            try:
                bad[tuple(Path(issue.path).steps)] = issue.path
            except PathSyntaxError:
                continue
    return InvalidValues(kind, issues, bad)


def cannot_judge(rule: Rule, invalid: InvalidValues | None, state: str | None) -> list[str]:
    """The invalid values ``rule`` would read (empty: it can judge); records them."""
    if invalid is None or not invalid.bad:
        return []
    states = rule.meta.states
    if states and state not in states and STATE_PATH not in invalid.bad:
        return []  # out of its states: not applicable
    hits = []
    for steps, path in invalid.bad.items():
        if any(_related(read, steps) for read in _reads(rule)):
            hits.append(path)
    for path in hits:
        invalid.disabled.setdefault(path, []).append(rule)
    return hits


def unjudged_elements(rule: Rule, invalid: InvalidValues) -> frozenset[str]:
    """List elements (``devices[3]``) holding an invalid value that ``rule`` reads through a
    wildcard: the rule judges the other elements and cannot judge these; records them."""
    found: set[str] = set()
    for steps, path in invalid.bad.items():
        for read in _reads(rule):
            at = _element_of(read, steps)
            if at is not None:
                found.add(dotted(steps[: at + 1]))
                rules = invalid.disabled.setdefault(path, [])
                if all(r is not rule for r in rules):
                    rules.append(rule)
                break
    return frozenset(found)


def _element_of(read: Steps, bad: Steps) -> int | None:
    """The index of the first wildcard where ``read`` meets ``bad`` inside a list element."""
    at: int | None = None
    for n, (want, got) in enumerate(zip(read, bad, strict=False)):
        if want is STAR and isinstance(got, int):
            at = n if at is None else at
        elif want != got:
            return None
    return at


def _reads(rule: Rule) -> tuple[Steps, ...]:
    cached = _READS.get(id(rule))
    if cached is not None and cached[0] is rule:
        return cached[1]
    steps: list[Steps] = [STATE_PATH] if rule.meta.states else []
    if getattr(rule, "service_types", None) is not None:  # the applicability table reads these
        steps.append(("contract", "service_type"))
    if getattr(rule, "terms", None) is not None:
        steps.append(("contract", "documents"))
    for read in rule_reads(rule):
        if read.model == "fact":
            steps.extend(FACT_SOURCES.get(str(read.steps[0]), ()))
        elif read.model in ("contract", "district"):
            steps.append(read.steps)
    if len(_READS) > 4096:
        _READS.clear()
    _READS[id(rule)] = (rule, tuple(steps))
    return _READS[id(rule)][1]


def _related(read: Steps, bad: Steps) -> bool:
    """True when the rule reads the invalid value, or the value it sits in.

    The invalid value is the field read or holds it (``sla`` is text: ``sla.support_hours``
    cannot be read), or it is an item of a list read whole (``data.categories[2]``).  A
    wildcard read (``devices[*].platform``) meets a value inside one element: that is
    :func:`unjudged_elements`, not a match here; nor is a list an ``each`` walks (``devices``)
    related to a field inside one of its elements.
    """
    for want, got in zip(read, bad, strict=False):
        if want is STAR or want != got:
            return False
    return all(isinstance(step, int) for step in bad[len(read) :])
