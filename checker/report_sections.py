"""The audit report's sections (DESIGN §8, parts 3-7) as plain, JSON-ready data.

Each builder is a pure function of the lint result, the loaded documents and the
date, so the HTML, Markdown and JSON reports say the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from . import areas, jurisdictions
from .deadline_events import contract_events, event
from .document import Document
from .facts import as_date, load_builtin_facts
from .gate import Classify, decide
from .models import DocumentStats, Finding, Result, RuleMeta
from .money import cents
from .tco_export import TcoRun, build_run
from .tco_inhouse import compare_totals


def contract_areas() -> tuple[tuple[str, str, str], ...]:
    """(area, title, column label) of the areas scored per contract, from the rule packs."""
    return tuple((a.name, a.title, a.short or a.title) for a in areas.contract_areas())


WINDOW_DAYS = 365


def pct(part: float, whole: float) -> float | None:
    return None if not whole else round(part / whole * 100, 1)


def scorecards(
    result: Result, stats: Sequence[DocumentStats], rules: Mapping[str, RuleMeta], who: Mapping[str, dict[str, Any]],
    classify: Classify | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """Per contract: pass rate in each area (passed ÷ applicable rules) and the gate decision."""
    by_doc: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_doc[f.document].append(f)
    cards = []
    for s in stats:
        if s.kind != "contract":
            continue
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for rule in s.passed:
            counts[rules[rule].area if rule in rules else ""][0] += 1
        for rule in s.failed:
            counts[rules[rule].area if rule in rules else ""][1] += 1
        areas = [
            {
                "area": a,
                "title": t,
                "passed": counts[a][0],
                "failed": counts[a][1],
                "pct": pct(counts[a][0], sum(counts[a])),
            }
            for a, t, _ in contract_areas()
        ]
        sub = Result(findings=by_doc.get(s.identity, []), fail_on=result.fail_on, documents=[s])
        decision = decide(sub, classify)
        cards.append(
            {**who.get(s.identity, {"vendor": s.file, "file": s.file}), "identity": s.identity, "areas": areas,
             "passed": len(s.passed), "failed": len(s.failed), "pct": pct(len(s.passed), len(s.passed) + len(s.failed)),
             "gate": decision.verdict, "gate_reasons": list(decision.reasons)}
        )  # fmt: skip
    return sorted(cards, key=lambda c: (c["pct"] if c["pct"] is not None else 101, c["vendor"]))


def _aue_label(n: int, model: str) -> str:
    return f"{n} device{'' if n == 1 else 's'} ({model}) reach{'es' if n == 1 else ''} auto-update expiration"


def _aue_events(doc: Document, today: dt.date) -> tuple[list[dict[str, Any]], int]:
    groups: dict[tuple[dt.date, str], int] = defaultdict(int)
    past = 0
    devices = doc.data.get("devices")
    for d in devices if isinstance(devices, list) else []:
        aue = as_date(d.get("aue_date")) if isinstance(d, dict) else None
        if aue is None or d.get("managed") is False:
            continue
        if aue < today:
            past += 1
        else:
            groups[(aue, str(d.get("model") or d.get("platform") or "device"))] += 1
    events = [
        event(day, today, "aue", _aue_label(n, model), file=doc.file, count=n)
        for (day, model), n in sorted(groups.items())
    ]
    return events, past


def _waiver_events(result: Result, today: dt.date, who: Mapping[str, dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for f in result.findings:
        w = f.waiver
        day = as_date(w.expires) if w is not None else None
        if w is None or day is None or (f.rule, f.file, w.expires) in seen:
            continue
        seen.add((f.rule, f.file, w.expires))
        vendor = who.get(f.document, {}).get("vendor", f.file)
        out.append(event(day, today, "waiver", f"Waiver of {f.rule} for {vendor} expires", file=f.file,
                          rule=f.rule, approved_by=w.approved_by, reason=w.reason))  # fmt: skip
    return out


def calendar(
    result: Result, docs: Sequence[Document], today: dt.date, who: Mapping[str, dict[str, Any]]
) -> dict[str, Any]:
    """Dates in the next 12 months (contract ends, renewal notices, DPA expiry, waivers, device
    AUE) and the deadlines already missed while a contract runs (``missed: true``, negative days)."""
    load_builtin_facts()
    events: list[dict[str, Any]] = _waiver_events(result, today, who)
    past_aue = 0
    for doc in docs:
        if doc.kind == "contract":
            events += contract_events(
                doc, today, who.get(doc.identity, {"vendor": doc.file, "file": doc.file})
            )
        elif doc.kind == "district":
            aue, past = _aue_events(doc, today)
            events += aue
            past_aue += past
    end = today + dt.timedelta(days=WINDOW_DAYS)
    window = [e for e in events if today.isoformat() <= e["date"] <= end.isoformat() or e.get("missed")]
    return {"from": today.isoformat(), "to": end.isoformat(), "events": sorted(window, key=lambda e: (e["date"], e["label"])),
            "devices_past_aue": past_aue}  # fmt: skip


def _contract_money(entry: Any) -> dict[str, Any]:
    m = entry.model
    return {
        "vendor": entry.vendor, "contract_id": entry.contract_id, "file": entry.file, "total": m.total,
        "reason": m.reason, "year1": m.rows[0].annual_usd if m.rows else None,
        "rows": [{"year": r.year, "annual_usd": round(r.annual_usd, 2), "basis": r.derivation} for r in m.rows],
        "one_time": sum(c.amount_usd or 0 for c in m.one_time), "escalator_pct": m.escalator_pct,
        "price_lock_months": m.price_lock_months, "vendor_total": m.vendor_total, "vendor_diff_pct": m.vendor_diff_pct,
        "unknown_fees": [c.label for c in m.unknown_fees],
        "unpriced": [{"label": f.label, "price": f.unit_price_usd, "unit": f.unit} for f in m.unpriced_usage_fees],
    }  # fmt: skip


OUTSOURCED_SERVICES = ("mdm", "managed_service")


def _outsources_it(data: Mapping[str, Any]) -> bool:
    """The contract buys IT work the district's own staff could do (what ``in_house`` prices)."""
    return bool(_strings(data, "strat", "vendor_functions")) or any(
        s.replace(" ", "_") in OUTSOURCED_SERVICES for s in _strings(data, "contract", "service_type")
    )


def _in_house(run: TcoRun, docs: Sequence[Document]) -> dict[str, Any]:
    """The in-house model against the contracts that outsource IT work (all contracts when none does)."""
    assert run.in_house is not None
    ih = run.in_house
    outsourced = {d.file for d in docs if d.kind == "contract" and _outsources_it(d.data)}
    base = [e for e in run.entries if e.file in outsourced] or list(run.entries)
    vendor_total = cents(sum(e.model.total or 0.0 for e in base))
    return {
        "in_house": {"total": ih.total, "reason": ih.reason, "inputs": dict(ih.inputs), "assumed_zero": list(ih.assumed_zero),
                     "rows": [{"year": r.year, "total_usd": round(r.total_usd, 2)} for r in ih.rows]},
        "comparison": compare_totals(run.years, vendor_total, ih.total).to_dict(),
        "compared_with": [e.vendor for e in base],
    }  # fmt: skip


def money(docs: Sequence[Document], years: int = 5) -> tuple[dict[str, Any], TcoRun]:
    """TCO per contract, the portfolio total, hidden costs and the in-house comparison."""
    contracts = [(d.file, d.data) for d in docs if d.kind == "contract"]
    district = next(
        (d.data for d in docs if d.kind == "district" and isinstance(d.data.get("in_house"), dict)), None
    )
    run = build_run(contracts, years, district)
    out: dict[str, Any] = {
        "years": years, "portfolio_total": run.portfolio_total,
        "contracts": sorted((_contract_money(e) for e in run.entries), key=lambda c: -(c["total"] or 0)),
        "hidden_cost_contracts": sum(1 for e in run.entries if e.model.unknown_fees or e.model.unpriced_usage_fees),
        "in_house": None, "comparison": None, "compared_with": [],
    }  # fmt: skip
    if run.in_house is not None:
        out.update(_in_house(run, docs))
    return out, run


def _strings(data: Mapping[str, Any], section: str, key: str) -> list[str]:
    part = data.get(section)
    value = part.get(key) if isinstance(part, dict) else None
    if isinstance(value, str):
        return [value.replace("_", " ")]
    return [str(v).replace("_", " ") for v in value] if isinstance(value, list) else []


def concentration(docs: Sequence[Document], run: TcoRun, who: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """Which vendor does which outsourced functions, and its share of the five-year spend.

    A vendor is flagged when it takes half the spend or three or more functions.
    """
    totals = {e.file: e.model.total or 0.0 for e in run.entries}
    vendors: dict[str, dict[str, Any]] = {}
    for doc in (d for d in docs if d.kind == "contract"):
        info = who.get(doc.identity, {"vendor": doc.file, "vendor_key": doc.file})
        new = {"vendor": info["vendor"], "contracts": 0, "functions": set(), "services": set(), "spend": 0.0}
        v = vendors.setdefault(info["vendor_key"], new)
        v["contracts"] += 1
        v["spend"] += totals.get(doc.file, 0.0)
        v["functions"].update(_strings(doc.data, "strat", "vendor_functions"))
        v["services"].update(_strings(doc.data, "contract", "service_type"))
    every = sorted(set().union(*(v["functions"] for v in vendors.values()))) if vendors else []
    spend = sum(v["spend"] for v in vendors.values())
    rows = []
    for v in vendors.values():
        row = {
            **v,
            "functions": sorted(v["functions"]),
            "services": sorted(v["services"]),
            "spend": round(v["spend"], 2),
        }
        row["spend_pct"] = pct(v["spend"], spend)
        row["function_pct"] = pct(len(v["functions"]), len(every))
        row["flag"] = (row["spend_pct"] or 0) >= 50 or len(row["functions"]) >= 3
        rows.append(row)
    by_function = {f: sorted(r["vendor"] for r in rows if f in r["functions"]) for f in every}
    return {
        "vendors": sorted(rows, key=lambda r: (-r["spend"], r["vendor"])),
        "functions": by_function,
        "total_spend": round(spend, 2),
    }


def regulations(
    result: Result, rules: Mapping[str, RuleMeta], states: frozenset[str] | None = None
) -> list[dict[str, Any]]:
    """Each law that binds the district(s) and each framework the run used → its rules → open findings.

    Groups come from the citations' ``jurisdiction:`` fields.  ``states``: the
    districts' states (federal law and theirs are listed; with none known, every
    law is).  A framework is listed when one of its rules judged a document of the
    run.  Each open finding counts under the jurisdictions of its own citations,
    which are its district's (see :func:`checker.jurisdictions.for_state`).
    """
    used = {rid for d in result.documents for rid in (*d.passed, *d.failed)}
    hits: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in result.active():
        for code in {r.jurisdiction for r in f.references}:
            hits[(code, f.rule)].append(f)
    groups: dict[str, dict[str, Any]] = {}
    for rule_id in sorted(rules):
        meta = rules[rule_id]
        for code in sorted({r.jurisdiction for r in meta.references}):
            if not _listed(code, rule_id, states, used):
                continue
            entry = groups.setdefault(code, {"statute": jurisdictions.title(code), "jurisdiction": code,
                                             "rules": [], "findings": 0, "documents": set()})  # fmt: skip
            found = hits.get((code, rule_id), [])
            cites = sorted({r.cite for r in meta.references if r.jurisdiction == code})
            entry["rules"].append(
                {"id": rule_id, "title": meta.title, "findings": len(found), "cites": cites}
            )
            entry["findings"] += len(found)
            entry["documents"].update(f.file for f in found)
    out = [{**e, "documents": len(e["documents"])} for e in groups.values()]
    # Laws first (federal, then the state), then frameworks; by open findings within each.
    return sorted(
        out, key=lambda e: (not jurisdictions.is_law(e["jurisdiction"]), -e["findings"], e["statute"])
    )


def district_states(docs: Sequence[Document], state: str | None = None) -> frozenset[str]:
    """The configured state, else every ``district.state`` the documents name (none: unknown)."""
    if state:
        return frozenset({state.upper()})
    named = (d.data.get("district") for d in docs)
    return frozenset(
        str(x["state"]).upper() for x in named if isinstance(x, dict) and isinstance(x.get("state"), str)
    )


def _listed(code: str, rule_id: str, states: frozenset[str] | None, used: set[str]) -> bool:
    if jurisdictions.is_law(code):
        return not states or code == jurisdictions.FEDERAL or code in states
    return code in jurisdictions.FRAMEWORKS and rule_id in used
