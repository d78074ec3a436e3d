"""A contract's dates for the report's calendar: upcoming, and missed while it still runs.

A renewal-notice deadline that passed with no decision recorded
(``contract.renewal_decision``) and a data privacy agreement that expired while
the contract runs are *missed*: they stay on the calendar, with negative days,
until someone acts, instead of silently dropping off its start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .document import Document
from .facts import FactContext, as_date, dig


def event(day: dt.date, today: dt.date, kind: str, label: str, **extra: Any) -> dict[str, Any]:
    """One calendar entry; ``days`` is negative for a date already past."""
    return {
        "date": day.isoformat(),
        "days": (day - today).days,
        "kind": kind,
        "label": label,
        "missed": False,
        **extra,
    }


def contract_events(doc: Document, today: dt.date, who: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Renewal notice, contract end and DPA expiry of one contract (missed ones flagged)."""
    ctx = FactContext(today=today)
    data = doc.data
    end = ctx.get("end_date", data)
    running = not isinstance(end, dt.date) or end >= today
    vendor = who.get("vendor", doc.file)
    out: list[dict[str, Any]] = []
    notice = ctx.get("renewal_notice_deadline", data)
    if isinstance(notice, dt.date):
        what = (
            "renews automatically unless notice is given"
            if dig(data, "contract.auto_renew")
            else "renewal notice deadline"
        )
        missed = notice < today and running and dig(data, "contract.renewal_decision") is None
        if missed:
            what = f"renewal notice deadline missed {(today - notice).days} days ago, no decision recorded"
        out.append(event(notice, today, "renewal_notice", f"{vendor}: {what}", missed=missed, **who))
    if isinstance(end, dt.date):
        out.append(event(end, today, "contract_end", f"{vendor}: contract ends", missed=False, **who))
    expires = as_date(dig(data, "contract.dpa.expiration_date"))
    if expires is not None:
        missed = expires < today and running
        what = (
            "data privacy agreement expired while the contract runs"
            if missed
            else "data privacy agreement expires"
        )
        out.append(event(expires, today, "dpa_expiry", f"{vendor}: {what}", missed=missed, **who))
    return out
