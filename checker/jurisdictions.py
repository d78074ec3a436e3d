"""What law or framework each rule reference is (``references[].jurisdiction``).

One vocabulary, read by the rule schema, the catalog, the finding output and the
report's regulation matrix; nothing guesses a statute from a citation's text.

- ``US-federal``: federal statute or regulation (FERPA, COPPA, PPRA, CIPA).
- a two-letter state code (``NY``, ``CA``, ...): that state's statute or regulation.
- ``NDPA``, ``CIS``, ``NIST``, ``CISA``, ``NCSC``, ``1EdTech``: frameworks and model terms.
- ``vendor``: a vendor's own documentation (Apple, Google, Microsoft, Jamf).
- ``market``: market practice, not law.
- ``project``: k12check's own model or default (a parameter, not law).
- ``district``: the district's own policy (custom rules).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Reference

FEDERAL = "US-federal"
FRAMEWORKS: dict[str, str] = {
    "NDPA": "National Data Privacy Agreement (SDPC)",
    "CIS": "CIS Benchmarks",
    "NIST": "NIST",
    "CISA": "CISA K-12 guidance",
    "NCSC": "UK NCSC device security guidance",
    "1EdTech": "1EdTech rubrics",
}
GUIDANCE: dict[str, str] = {
    "vendor": "Vendor documentation",
    "market": "Market practice",
    "project": "k12check model and defaults",
    "district": "District policy",
}
STATES: dict[str, str] = {
    "CA": "California", "CO": "Colorado", "CT": "Connecticut", "IL": "Illinois", "MT": "Montana",
    "NY": "New York", "TX": "Texas", "UT": "Utah",
}  # fmt: skip
ALLOWED_HINT = f"{FEDERAL}, a two-letter state code, {', '.join([*FRAMEWORKS, *GUIDANCE])}"
_STATE = re.compile(r"^[A-Z]{2}$")


def is_state(code: str) -> bool:
    return bool(_STATE.match(code))


def is_known(code: str) -> bool:
    """A value the ``jurisdiction:`` field accepts."""
    return code == FEDERAL or code in FRAMEWORKS or code in GUIDANCE or is_state(code)


def title(code: str) -> str:
    """How a jurisdiction reads in the catalog and the report."""
    if code == FEDERAL:
        return "US federal law"
    if is_state(code):
        return f"{STATES.get(code, code)} state law"
    return FRAMEWORKS.get(code) or GUIDANCE.get(code) or code


def is_law(code: str) -> bool:
    """Federal or state law (binds a district), as opposed to frameworks and guidance."""
    return code == FEDERAL or is_state(code)


def binds(code: str, state: str | None) -> bool:
    """The law binds a district of ``state``: federal law, or that state's own."""
    return code == FEDERAL or (state is not None and code == state)


def _rank(code: str, state: str | None) -> int:
    if state is not None and code == state:
        return 0
    if code == FEDERAL:
        return 1
    if code == "NDPA":
        return 2
    if code in FRAMEWORKS:
        return 3
    return 4 if code in GUIDANCE else 5


_MEMO: dict[tuple[int, str | None], tuple[tuple[Reference, ...], tuple[Reference, ...]]] = {}


def for_state(references: tuple[Reference, ...], state: str | None) -> tuple[Reference, ...]:
    """:func:`citations_for` memoized by the tuple's identity (a rule's references are one tuple).

    Called for every failing rule of every document, so it must not hash the references.
    """
    key = (id(references), state)
    hit = _MEMO.get(key)
    if hit is not None and hit[0] is references:
        return hit[1]
    if len(_MEMO) > 8192:
        _MEMO.clear()
    out = citations_for(references, state)
    _MEMO[key] = (references, out)  # holding the tuple keeps its id from being reused
    return out


def citations_for(references: Iterable[Reference], state: str | None) -> tuple[Reference, ...]:
    """A finding's citations for a district of ``state``.

    Its own state, federal law, the NDPA and the frameworks first; other states' laws
    are dropped (they stay in the rule's documentation).  With no known state every
    citation is kept, in the same order of precedence.
    """
    kept = [r for r in references if state is None or not is_state(r.jurisdiction) or r.jurisdiction == state]
    return tuple(sorted(kept, key=lambda r: _rank(r.jurisdiction, state)))


def order_key(code: str) -> tuple[int, str]:
    """Catalog order: federal law, states A-Z, frameworks, then guidance."""
    if code == FEDERAL:
        return (0, "")
    if is_state(code):
        return (1, code)
    if code in FRAMEWORKS:
        return (2, list(FRAMEWORKS).index(code).__str__())
    return (3, list(GUIDANCE).index(code).__str__() if code in GUIDANCE else code)
