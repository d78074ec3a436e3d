"""``--select`` / ``--ignore``: which rules a run uses, chosen by id, id prefix or area.

As in ruff: ``--select BRCH,PRIV-01 --ignore PRIV-012`` keeps every BRCH-* rule and
PRIV-010 to PRIV-019 except PRIV-012.  A token is a rule id, the start of rule ids
(``BRCH``, ``PRIV-01``, ``MDM-SEC``) or an area name (``breach``, ``mdm-apps``);
case does not matter.  When a rule matches tokens of both options the more specific
token wins (a whole id over a prefix, a longer prefix over a shorter one, any prefix
over an area); on a tie ``--ignore`` wins.  No ``--select`` means every rule.  A token
that matches no rule is a usage error, so a typo never silently checks nothing.

The selection filters the loaded rule set before the run: unselected rules are not
evaluated at all (a SCHEMA-* rule left out means no schema findings of that kind).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .catalog import Rule, RuleSet
from .errors import UsageError

_AREA = 1  # an area match is less specific than any id prefix
_WHOLE_ID = 10_000


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.select or self.ignore)

    def keeps(self, rule: Rule) -> bool:
        """The rule is in the selection."""
        chosen = _specificity(self.select, rule) if self.select else 0
        dropped = _specificity(self.ignore, rule)
        if self.select and chosen < 0:
            return False
        return dropped < 0 or chosen > dropped

    def describe(self) -> str:
        parts = [f"--select {','.join(self.select)}"] if self.select else []
        return " ".join(parts + ([f"--ignore {','.join(self.ignore)}"] if self.ignore else []))


def parse(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Selection:
    """Comma-separated, repeatable option values → a :class:`Selection`."""
    return Selection(_tokens(select), _tokens(ignore))


def _tokens(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(t.strip() for v in values for t in v.split(",") if t.strip())


def _specificity(tokens: Sequence[str], rule: Rule) -> int:
    """How specifically the best of ``tokens`` names the rule (-1: none does)."""
    best = -1
    rid, area = rule.id.upper(), rule.meta.area.lower()
    for token in tokens:
        if token.upper() == rid:
            best = max(best, _WHOLE_ID)
        elif rid.startswith(token.upper()):
            best = max(best, 1 + len(token))
        elif token.lower() == area:
            best = max(best, _AREA)
    return best


def apply(ruleset: RuleSet, selection: Selection) -> RuleSet:
    """The rule set with only the selected rules (errors kept); UsageError for a token matching nothing."""
    if not selection:
        return ruleset
    for option, tokens in (("--select", selection.select), ("--ignore", selection.ignore)):
        for token in tokens:
            if not any(_specificity((token,), r) >= 0 for r in ruleset.rules):
                raise UsageError(
                    f"{option} {token!r} matches no rule id, id prefix or area; see k12check rules list"
                )
    return RuleSet(rules=[r for r in ruleset.rules if selection.keeps(r)], errors=list(ruleset.errors))
