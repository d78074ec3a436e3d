"""The annual audit report (DESIGN §8) as one JSON-ready view model.

:func:`build_report` turns a lint result and the loaded documents into a plain
dict — summary, charts' data, trend, scorecards, calendar, money, concentration,
regulation matrix and appendix — which the JSON, Markdown and HTML formats render
as is (:mod:`checker.report_render`).  The JSON is also next year's ``--previous``:
findings are matched by fingerprint (rule, document identity, path), so a finding
keeps its identity when lines move.  The trend compares open (unwaived) findings.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, areas, previous_report, report_dedupe, strictjson
from .document import Document
from .documents import read_bounded
from .errors import InputError, UsageError
from .gate import Classify
from .models import Finding, Result, RuleMeta, Severity, jsonable
from .report_sections import (
    calendar,
    concentration,
    contract_areas,
    district_states,
    money,
    regulations,
    scorecards,
)
from .yamlio import load_bytes

if TYPE_CHECKING:
    from .run import RunOutcome

# Top-level marker of a report JSON.  Deliberately not ``kind:`` — a report kept beside
# the documents (examples/audit-2025.json) must be skipped by a directory walk, not
# rejected as an unknown document kind.
REPORT_KEY, REPORT_KIND = "report", "k12check-audit"
REPORT_VERSION = 1
SEVERITY_ORDER = [s.label for s in sorted(Severity, reverse=True)]


@dataclass
class ReportInputs:
    """Everything a report is made from (the CLI fills it; tests build it directly)."""

    result: Result
    rules: Mapping[str, RuleMeta]
    documents: Sequence[Document]
    year: int
    today: dt.date
    previous: Mapping[str, Any] | None = None
    classify: Classify | None = None
    district_name: str | None = None
    state: str | None = None  # the district's state from the config, when it names one
    tool_version: str = __version__
    meta: dict[str, Any] = field(default_factory=dict)


def load_previous(path: str | Path) -> dict[str, Any]:
    """Last year's JSON report; anything else is a usage error naming the file."""
    path = Path(path)
    try:
        value = load_bytes(read_bounded(path, str(path)), str(path), json_mode=True).value
    except InputError as exc:
        raise UsageError(f"--previous: {exc}") from None
    if (
        not isinstance(value, dict)
        or value.get(REPORT_KEY) != REPORT_KIND
        or not isinstance(value.get("findings"), list)
    ):
        raise UsageError(f"--previous {path}: not a k12check report JSON (make one with --format json)")
    previous_report.check(value, str(path))  # every field the trend reads has its type
    return value


def _who(docs: Sequence[Document], district_name: str | None) -> dict[str, dict[str, Any]]:
    """Document identity → how a reader knows it (vendor, contract id, file)."""
    out: dict[str, dict[str, Any]] = {}
    for d in docs:
        if d.kind == "contract":
            v = d.data.get("vendor") if isinstance(d.data.get("vendor"), dict) else {}
            c = d.data.get("contract") if isinstance(d.data.get("contract"), dict) else {}
            assert isinstance(v, dict) and isinstance(c, dict)
            name = v.get("name") if isinstance(v.get("name"), str) and v.get("name") else d.file
            key = v.get("id") if isinstance(v.get("id"), str) and v.get("id") else str(name)
            out[d.identity] = {"vendor": str(name), "vendor_key": key, "contract_id": str(c.get("id") or ""),
                               "title": str(c.get("title") or ""), "file": d.file}  # fmt: skip
        else:
            out[d.identity] = {"vendor": f"{district_name or 'District'} MDM configuration", "vendor_key": "district",
                               "contract_id": "", "title": "", "file": d.file}  # fmt: skip
    return out


def _finding(f: Finding, who: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    data = f.to_dict()
    info = who.get(f.document, {})
    data["vendor"] = info.get("vendor", f.file)
    data["vendor_key"] = info.get("vendor_key", f.file)
    data["value"] = jsonable(f.value)
    return data


def summary(result: Result, docs: Sequence[Document], cards: Sequence[dict[str, Any]]) -> dict[str, Any]:
    active = result.active()
    by_sev = Counter(f.severity.label for f in active)
    by_area = Counter(f.area for f in active)
    return {
        "documents": len(result.documents),
        "contracts": sum(1 for d in result.documents if d.kind == "contract"),
        "districts": sum(1 for d in result.documents if d.kind == "district"),
        "findings": len(result.findings),
        "open": len(active),
        "waived": len(result.findings) - len(active),
        "by_severity": {s: by_sev.get(s, 0) for s in SEVERITY_ORDER},
        "by_area": [{"area": a, "title": areas.title(a), "count": n} for a, n in by_area.most_common()],
        "gates": {v: sum(1 for c in cards if c["gate"] == v) for v in ("BLOCK", "CONDITIONAL", "PASS")},
        "checks_passed": sum(len(d.passed) for d in result.documents),
        "checks_failed": sum(len(d.failed) for d in result.documents),
        "errors": [e.render() for e in result.errors],
    }


def trend(
    year: int,
    current: Sequence[dict[str, Any]],
    by_sev: Mapping[str, int],
    previous: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """New, fixed and persisting open findings by fingerprint; per-vendor movement; yearly history."""
    history = [{"year": year, "by_severity": dict(by_sev)}]
    if previous is None:
        return {
            "previous_year": None,
            "new": [],
            "fixed": [],
            "persisting": 0,
            "vendors": [],
            "history": history,
        }
    prev = [f for f in previous.get("findings", []) if isinstance(f, dict) and not f.get("waiver")]
    prev_fps, cur_fps = {f.get("fingerprint") for f in prev}, {f["fingerprint"] for f in current}
    brief = lambda f: {k: f.get(k) for k in ("rule", "severity", "title", "vendor", "file", "fingerprint")}  # noqa: E731
    old = previous.get("trend", {}).get("history", []) if isinstance(previous.get("trend"), dict) else []
    past = [h for h in old if isinstance(h, dict) and h.get("year") != year]
    if not any(h.get("year") == previous.get("year") for h in past):
        past.append(
            {"year": previous.get("year"), "by_severity": previous.get("summary", {}).get("by_severity", {})}
        )
    # A previous file without vendor keys (hand-made, older) is matched by vendor name.
    key_of = {f.get("vendor"): f["vendor_key"] for f in current}
    old_key = lambda f: f.get("vendor_key") or key_of.get(f.get("vendor"), f.get("vendor"))  # noqa: E731
    before, after = Counter(old_key(f) for f in prev), Counter(f["vendor_key"] for f in current)
    names = {old_key(f): f.get("vendor") for f in prev} | {f["vendor_key"]: f["vendor"] for f in current}
    vendors = [{"vendor": names[k], "previous": before.get(k, 0), "current": after.get(k, 0),
                "change": after.get(k, 0) - before.get(k, 0)} for k in sorted(names, key=lambda k: str(names[k]))]  # fmt: skip
    return {
        "previous_year": previous.get("year"),
        "new": [brief(f) for f in current if f["fingerprint"] not in prev_fps],
        "fixed": [brief(f) for f in prev if f.get("fingerprint") not in cur_fps],
        "persisting": len(cur_fps & prev_fps),
        "vendors": vendors,
        "history": sorted(past, key=lambda h: str(h.get("year"))) + history,
    }


def _appendix(
    result: Result,
    docs: Sequence[Document],
    findings: Sequence[dict[str, Any]],
    who: Mapping[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    rank = {s: n for n, s in enumerate(SEVERITY_ORDER)}
    out = []
    for s in result.documents:
        mine = sorted(
            (f for f in findings if f["document"] == s.identity),
            key=lambda f: (rank[f["severity"]], f["rule"], f["line"]),
        )
        out.append({**who.get(s.identity, {"vendor": s.file, "file": s.file}), "identity": s.identity, "kind": s.kind,
                    "findings": mine, "passed": sorted(s.passed), "not_applicable": len(s.not_applicable)})  # fmt: skip
    return out


def build_report(inp: ReportInputs) -> dict[str, Any]:
    """The whole report as plain data (DESIGN §8, parts 1-8)."""
    result, documents, copies = report_dedupe.dedupe(inp.result, inp.documents)  # identical files once
    inp = replace(inp, result=result, documents=documents)
    district = inp.district_name or next(
        (str(d.data["district"].get("name")) for d in inp.documents
         if d.kind == "district" and isinstance(d.data.get("district"), dict) and d.data["district"].get("name")),
        None,
    )  # fmt: skip
    who = _who(inp.documents, district)
    findings = [_finding(f, who) for f in inp.result.findings]
    cards = scorecards(inp.result, inp.result.documents, inp.rules, who, inp.classify)
    summ = summary(inp.result, inp.documents, cards)
    cash, run = money(inp.documents)
    active = [f for f in findings if not f["waiver"]]
    report = {
        REPORT_KEY: REPORT_KIND,
        "version": REPORT_VERSION,
        "tool": {"name": "k12check", "version": inp.tool_version, "rules": len(inp.rules)},
        "year": inp.year,
        "today": inp.today.isoformat(),
        "district": district,
        "summary": summ,
        "areas": [{"area": a, "title": t, "short": short} for a, t, short in contract_areas()],
        "trend": trend(inp.year, active, summ["by_severity"], inp.previous),
        "scorecards": cards,
        "calendar": calendar(inp.result, inp.documents, inp.today, who),
        "money": cash,
        "concentration": concentration(inp.documents, run, who),
        "regulations": regulations(inp.result, inp.rules, district_states(inp.documents, inp.state)),
        "appendix": _appendix(inp.result, inp.documents, findings, who),
        "findings": findings,
        **inp.meta,
    }
    if copies:
        report["identical_files"] = copies  # counted once, under the first file's name
    report["headlines"] = headlines(report)
    return report


def _usd(value: float) -> str:
    return f"${value:,.0f}"


def _n(count: int, word: str, plural: str | None = None) -> str:
    """``3 contracts``, ``1 contract``."""
    return f"{count} {word if count == 1 else plural or word + 's'}"


def headlines(r: Mapping[str, Any]) -> list[str]:
    """The few sentences a board member reads first."""
    s, t, cal, cash = r["summary"], r["trend"], r["calendar"], r["money"]
    sev = s["by_severity"]
    checked = _n(s["contracts"], "vendor contract")
    if s["districts"]:
        checked += f" and {_n(s['districts'], 'district configuration file')}"
    out = [
        f"{checked} checked on {r['today']}: {_n(s['open'], 'open finding')}, "
        f"{sev['critical']} critical and {sev['high']} high."
    ]
    if s["contracts"]:
        blocked, clean = s["gates"]["BLOCK"], s["gates"]["PASS"]
        out.append(
            f"{blocked} of {_n(s['contracts'], 'contract')} would be blocked at signing today; {clean} pass cleanly."
        )
    if t["previous_year"] is not None:
        out.append(
            f"Since {t['previous_year']}: {len(t['new'])} new, {len(t['fixed'])} fixed and "
            f"{t['persisting']} persisting {'finding' if t['persisting'] == 1 else 'findings'}."
        )
    if cal["events"]:
        first = cal["events"][0]
        out.append(
            f"{_n(len(cal['events']), 'date')} to act on in the next 12 months; the first is "
            f"{first['date']} ({first['label']})."
        )
    if cash["contracts"]:
        n = cash["hidden_cost_contracts"]
        hidden = (
            f"; {_n(n, 'contract')} {'leaves' if n == 1 else 'leave'} fees unstated or usage-priced"
            if n
            else ""
        )
        out.append(f"Five-year cost of all contracts: {_usd(cash['portfolio_total'])}{hidden}.")
    cmp = cash.get("comparison")
    if cmp and cmp.get("difference_usd") is not None:
        side = "more" if cmp["difference_usd"] > 0 else "less"
        out.append(
            f"The outsourced IT work costs {_usd(abs(cmp['difference_usd']))} {side} over {cash['years']} years "
            f"than doing it in-house would ({_usd(cmp['vendor_total'])} against {_usd(cmp['in_house_total'])})."
        )
    copies = r.get("identical_files") or []
    if copies:
        first = copies[0]
        out.append(
            f"{_n(len(copies), 'file')} repeated another file byte for byte and "
            f"{'was' if len(copies) == 1 else 'were'} counted once (e.g. {first['file']} = {first['same_as']})."
        )
    return out


def inputs_of(outcome: RunOutcome, year: int, previous: Mapping[str, Any] | None = None) -> ReportInputs:
    """What a report is made from: a run's outcome (with its documents kept) and the year."""
    config = outcome.config
    return ReportInputs(
        result=outcome,
        rules=outcome.metas(),
        documents=outcome.kept,
        year=year,
        today=dt.date.fromisoformat(outcome.today),
        previous=previous,
        classify=outcome.classify,
        district_name=config.district_name if config is not None else None,
        state=config.state if config is not None else None,
    )


def make_report(
    paths: Sequence[str | Path],
    *,
    year: int,
    today: dt.date,
    previous: Mapping[str, Any] | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Run the checks on ``paths`` and build the report (the library entry point).

    ``options`` are :class:`~checker.run.RunOptions` fields (e.g. ``schema=False``).
    """
    from .run import RunOptions, run

    outcome = run(paths, RunOptions(today=today, keep_documents=True, **options))
    return build_report(inputs_of(outcome, year, previous))


def to_json(report: Mapping[str, Any]) -> str:
    return strictjson.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n"
