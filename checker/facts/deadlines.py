"""Deadline facts judged against ``--today`` (FLEX-004, the report's calendar).

A deadline that has passed is a negative number of days, so a rule can tell
"due soon" from "missed" without arithmetic of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from . import FactContext, fact


@fact("renewal_notice_days_left")
def renewal_notice_days_left(data: Mapping[str, Any], ctx: FactContext) -> int | None:
    """Days from `--today` to the renewal-notice deadline (negative once it has passed)."""
    deadline = ctx.get("renewal_notice_deadline", data)
    if not isinstance(deadline, dt.date):
        return None
    return (deadline - ctx.today).days
