"""Rule areas and their titles, read from the packs' ``rules/<area>/pack.yaml``.

The one source of area titles: the rule catalog, the text summary and the audit
report all ask here.  Areas without a pack (``waiver`` findings about the waivers
file, ``custom`` rules) read as their name.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .errors import InputError
from .resources import rules_dir
from .validate import validate
from .yamlio import load_bytes

_NO_PACK = {"waiver": "Waivers", "custom": "Custom"}


@dataclass(frozen=True)
class Area:
    name: str
    title: str
    order: int
    short: str | None = None  # a column label: set for the contract areas the report scores
    description: str = ""


@functools.cache
def areas() -> tuple[Area, ...]:
    """Every built-in area, in catalog order (a bad pack file is an InputError)."""
    out = []
    for path in sorted(rules_dir().glob("*/pack.yaml")):
        raw = load_bytes(path.read_bytes(), str(path)).value
        issues = validate("pack", raw) if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or issues:
            why = issues[0].message if issues else "a pack file must be a mapping"
            raise InputError(str(path), why, "see docs/writing-rules.md (rule packs)", 1)
        out.append(
            Area(raw["name"], raw["title"], raw["order"], raw.get("short"), raw["description"].strip())
        )
    return tuple(sorted(out, key=lambda a: (a.order, a.name)))


def title(area: str) -> str:
    """The area's title (its name when it has no pack)."""
    for a in areas():
        if a.name == area:
            return a.title
    return _NO_PACK.get(area, area)


def order(area: str) -> tuple[int, str]:
    """Sort key: pack order, then areas without a pack by name."""
    for a in areas():
        if a.name == area:
            return (a.order, area)
    return (999, area)


def contract_areas() -> tuple[Area, ...]:
    """The areas the report scores per contract (those whose pack names a column label)."""
    return tuple(a for a in areas() if a.short)
