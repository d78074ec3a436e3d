"""The one derived value the peer workload's rules need: the five-year TCO (rule 20).

Rules never compute (docs/writing-rules.md); arithmetic lives in facts.  This
fact reads the peer workload's ``cost`` section, a shape the built-in
``tco_5yr_usd`` fact (contracts.md §5) does not know, so the peer driver
registers it before loading ``benchmarks/peers/rules``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checker.facts import FACTS, FactContext, fact

NAME = "peer_tco_5y_usd"


def tco_5y(data: Mapping[str, Any], ctx: FactContext) -> float | None:
    """initial_usd + annual_usd * (1 + f + f^2 + f^3 + f^4), f = 1 + annual_escalator_pct / 100."""
    cost = data.get("cost")
    if not isinstance(cost, Mapping):
        return None
    initial, annual, pct = cost.get("initial_usd"), cost.get("annual_usd"), cost.get("annual_escalator_pct")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (initial, annual, pct)):
        return None
    f = 1 + pct / 100
    return initial + annual * (1 + f + f * f + f * f * f + f * f * f * f)


def register() -> None:
    """Register the fact once (idempotent: the test suite and the driver may both call it)."""
    if NAME not in FACTS:
        fact(NAME, kinds=("document", "contract"), doc=tco_5y.__doc__ or "")(tco_5y)
