"""Shared Hypothesis strategies, one section per layer.

Add new strategies under the section of the layer they build (or a new section);
keep them composable: small strategies for fields, then whole value objects.
Texts deliberately include the characters that break output formats: control
characters, newlines, ``|``, ``<``, backticks, ``%``, ``:`` and ``,``.
"""

from __future__ import annotations

import datetime as dt
import string

from hypothesis import strategies as st

from checker.models import (
    AppliedWaiver,
    DocumentStats,
    ErrorRecord,
    Finding,
    Reference,
    Result,
    RuleMeta,
    Severity,
    fingerprint,
)

# ---------------------------------------------------------------------------
# Scalars: severities, ids, paths, hostile text
# ---------------------------------------------------------------------------

severities = st.sampled_from(list(Severity))

rule_ids = st.from_regex(r"\A[A-Z]{2,5}-[0-9]{3}\Z")

#: Characters each output format must escape, mixed into ordinary text.
NASTY = "|<>&`%:,\n\r\t\x00\x1b\\*_[]!#@\"'{}"

hostile_text = st.text(
    alphabet=st.one_of(st.sampled_from(NASTY), st.characters(codec="utf-8", exclude_categories=("Cs",))),
    max_size=40,
)

_segment = st.text(
    alphabet=string.ascii_letters + string.digits + "-_ .%,:#", min_size=1, max_size=12
).filter(lambda s: s.strip(" .") != "")

#: Relative file paths such as a user would type (``contracts/acme 2026.yaml``).
file_paths = st.lists(_segment, min_size=1, max_size=3).map(lambda parts: "/".join(parts) + ".yaml")

dotted_paths = st.lists(st.from_regex(r"\A[a-z_]{1,8}(\[[0-9]\])?\Z"), max_size=3).map(".".join)

dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))

#: Evidence values: any YAML-like value, including dates.
evidence_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | hostile_text | dates,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=8,
)

# ---------------------------------------------------------------------------
# Models: references, waivers, findings, errors, rule metadata, results
# ---------------------------------------------------------------------------

references = st.builds(
    Reference,
    cite=hostile_text.filter(bool),
    url=st.none() | st.sampled_from(["https://example.org/law", "http://x.test/a?b=1&c=<2>", "not a url"]),
)

applied_waivers = st.builds(
    AppliedWaiver,
    reason=hostile_text,
    approved_by=hostile_text,
    expires=dates.map(dt.date.isoformat),
    source=st.just("waivers.yaml:3"),
)


@st.composite
def findings(draw: st.DrawFn, files: st.SearchStrategy[str] = file_paths) -> Finding:
    """A finding with hostile text in every free-text field."""
    rule = draw(rule_ids)
    file = draw(files)
    path = draw(dotted_paths)
    return Finding(
        file=file,
        line=draw(st.integers(0, 5000)),
        rule=rule,
        path=path,
        column=draw(st.integers(0, 200)),
        fingerprint=draw(st.sampled_from([fingerprint(rule, file, path), ""])),
        severity=draw(severities),
        title=draw(hostile_text),
        message=draw(hostile_text),
        value=draw(evidence_values),
        area=draw(st.sampled_from(["privacy", "breach", "security", ""])),
        target=draw(st.sampled_from(["contract", "district", "portfolio"])),
        remediation=draw(hostile_text),
        references=tuple(draw(st.lists(references, max_size=2))),
        document=draw(st.text(max_size=10)),
        waiver=draw(st.none() | applied_waivers),
    )


error_records = st.builds(
    ErrorRecord,
    file=file_paths,
    line=st.none() | st.integers(1, 999),
    message=hostile_text,
)


def rule_meta_for(rule: str, severity: Severity = Severity.HIGH, **kw: object) -> RuleMeta:
    """A plain RuleMeta for ``rule`` (tests that need known rules)."""
    base: dict[str, object] = {
        "title": f"Title of {rule}",
        "area": "privacy",
        "target": "contract",
        "severity": severity,
        "description": f"Why {rule} matters.",
        "remediation": f"Fix {rule}.",
        "references": (Reference("FERPA 34 CFR 99.31", "https://www.ecfr.gov/current/title-34/part-99"),),
        "tags": ("ferpa",),
    }
    base.update(kw)
    return RuleMeta(id=rule, **base)  # type: ignore[arg-type]


@st.composite
def results(draw: st.DrawFn) -> Result:
    """A Result whose document stats are consistent with its findings."""
    files = draw(st.lists(file_paths, min_size=1, max_size=3, unique=True))
    found = draw(st.lists(findings(st.sampled_from(files)), max_size=8))
    docs = []
    for file in files:
        failed = sorted({f.rule for f in found if f.file == file})
        others = draw(st.lists(rule_ids.filter(lambda r, fl=failed: r not in fl), max_size=4, unique=True))
        cut = draw(st.integers(0, len(others)))
        docs.append(DocumentStats(file, "contract", file, passed=others[:cut], failed=failed,
                                  not_applicable=others[cut:]))  # fmt: skip
    return Result(
        findings=found,
        errors=draw(st.lists(error_records, max_size=2)),
        documents=docs,
        rules_loaded=draw(st.integers(0, 200)),
        today=draw(dates.map(dt.date.isoformat)),
        fail_on=draw(severities),
    )


def rules_for(result: Result) -> dict[str, RuleMeta]:
    """Rule metadata for some of the rules a result mentions (the rest stay unknown)."""
    ids = sorted({f.rule for f in result.findings})
    return {rid: rule_meta_for(rid) for rid in ids[::2]}
