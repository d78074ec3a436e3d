"""What portfolio (cross-check) rules see: the district plus small contract summaries.

Contracts are summarized as they stream past, so a run over thousands of
contracts keeps only a few fields of each (DESIGN §2).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .document import Document
from .engine import Tailoring
from .facts import FactContext, dig

# The contract fields the cross-checks read (district.md §5).
SUMMARY_FIELDS = (
    "vendor.id",
    "vendor.name",
    "contract.id",
    "contract.status",
    "contract.service_type",
    "contract.products",
    "contract.effective_date",
    "contract.dpa.type",
    "data.students_under_13",
    "data.categories",
    "cost.device_count",
    "strat.vendor_functions",
    "privacy.coppa",
    "privacy.purpose_limited",
    "deletion.on_termination",
    "deletion.certificate",
    "sec.cipa_filtering",
    "sec.retire_wipe_standard",
)


class Portfolio:
    """Collects district documents and contract summaries during a run."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.districts: list[Document] = []
        self.contracts: list[dict[str, Any]] = []

    def add(self, doc: Document, tailoring: Tailoring | None = None) -> None:
        if doc.kind == "district":
            self.districts.append(doc)
        elif doc.kind == "contract":
            self.contracts.append(summarize(doc, self.today, tailoring.state if tailoring else None))

    def merge(self, other: Portfolio | None) -> None:
        """Take in what a worker (or a batch) collected."""
        if other is not None:
            self.districts.extend(other.districts)
            self.contracts.extend(other.contracts)

    def view(self, district: Document) -> dict[str, Any]:
        return {"district": district.data, "contracts": self.contracts, "today": self.today}


def summarize(doc: Document, today: dt.date, state: str | None = None) -> dict[str, Any]:
    """A small mapping with the fields cross-checks need, plus derived dates."""
    out: dict[str, Any] = {"file": doc.file, "identity": doc.identity}
    for dotted in SUMMARY_FIELDS:
        value = dig(doc.data, dotted)
        if value is not None:
            head, _, leaf = dotted.rpartition(".")
            section = out
            for part in head.split("."):
                section = section.setdefault(part, {})
            section[leaf] = value
    facts = FactContext(today=today, state=state)
    end = facts.get("end_date", doc.data)
    out["end_date"] = end
    out["app_ids"] = product_app_ids(dig(doc.data, "contract.products"))
    signed = dig(doc.data, "contract.status") in ("signed", "renewal")
    out["active"] = bool(signed and (end is None or end >= today))
    return out


def product_app_ids(products: Any) -> list[str]:
    """Every app id the contract's products cover (bundle ids, extension ids, URLs), in order."""
    out: list[str] = []
    for product in products if isinstance(products, list) else []:
        ids = product.get("app_ids") if isinstance(product, dict) else None
        for app_id in ids if isinstance(ids, list) else []:
            if str(app_id) not in out:
                out.append(str(app_id))
    return out
