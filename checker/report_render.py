"""Render the audit report's view model as HTML (self-contained) or Markdown.

Templates live in ``reports/templates/`` (package data).  The HTML environment
autoescapes everything: vendor names, messages and evidence come from documents
a vendor may have written.  Charts are inline SVG from :mod:`checker.charts`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import charts, textsafe
from .charts import Bar
from .resources import reports_dir

SEVERITY_STYLE = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
EVENT_KINDS = {
    "renewal_notice": "Renewal notice",
    "contract_end": "Contract ends",
    "dpa_expiry": "DPA expires",
    "waiver": "Waiver expires",
    "aue": "Device AUE",
}


def usd(value: Any, cents: bool = False) -> str:
    if value is None or value == "":
        return "—"
    return f"${value:,.2f}" if cents else f"${value:,.0f}"


def percent(value: Any) -> str:
    return "—" if value is None else f"{value:g}%"


def num(value: Any) -> str:
    """``3`` not ``3.0``; ``1.5`` stays."""
    return "—" if value is None else f"{value:g}"


def md(value: Any) -> str:
    """Text safe inside a Markdown table cell (no HTML, cell breaks, links or mentions)."""
    return "" if value is None else textsafe.markdown(re.sub(r"\s+", " ", str(value)))


def _env(autoescape: bool) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(reports_dir() / "templates")),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(usd=usd, percent=percent, md=md, num=num)
    env.globals.update(event_kinds=EVENT_KINDS)
    return env


def chart_set(r: Mapping[str, Any]) -> dict[str, Markup]:
    """Every chart of the report, from its data."""
    s, t = r["summary"], r["trend"]
    sev = [Bar(k.capitalize(), v, SEVERITY_STYLE[k]) for k, v in s["by_severity"].items()]
    areas = [Bar(a["title"], a["count"], 5) for a in s["by_area"]]
    history = [
        (str(h["year"]), [float(h["by_severity"].get(k, 0)) for k in SEVERITY_STYLE]) for h in t["history"]
    ]
    series = [(k.capitalize(), n) for k, n in SEVERITY_STYLE.items()]
    cash = r["money"]["contracts"]
    tco = [Bar(c["vendor"], c["total"] or 0, 5, usd(c["total"])) for c in cash if c["total"] is not None]
    conc = [
        Bar(v["vendor"], v["spend_pct"] or 0, 5, f"{percent(v['spend_pct'])} of spend")
        for v in r["concentration"]["vendors"]
    ]
    return {
        "severity": charts.hbar("c-sev", "Open findings by severity", sev, 90, width=470),
        "areas": charts.hbar("c-area", "Open findings by area", areas, 260),
        "trend": charts.stacked_columns(
            "c-trend", "Open findings by year and severity", history, series, width=470
        ),
        "tco": charts.hbar("c-tco", "Five-year cost of ownership per contract", tco, 280),
        "concentration": charts.hbar("c-conc", "Share of five-year spend per vendor", conc, 280),
    }


def to_html(report: Mapping[str, Any]) -> str:
    """One self-contained HTML file (inline CSS and SVG; no scripts, no remote assets)."""
    template = _env(True).get_template("report.html.j2")
    return template.render(r=report, charts=chart_set(report), severity_order=list(SEVERITY_STYLE))


def to_markdown(report: Mapping[str, Any]) -> str:
    template = _env(False).get_template("report.md.j2")
    return template.render(r=report, severity_order=list(SEVERITY_STYLE)).rstrip() + "\n"
