"""Value objects shared by every layer: severities, locations, findings, results.

Findings are frozen and totally ordered (file, line, rule, path, column), so
sorting once gives the same order on every run.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .findings import Findings


class Severity(enum.IntEnum):
    """Finding severity, ordered: ``Severity.HIGH > Severity.MEDIUM``."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    def __str__(self) -> str:
        return self.name.lower()

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str | Severity) -> Severity:
        """``"high"`` → ``Severity.HIGH``; raises ``ValueError`` naming the allowed values."""
        if isinstance(text, Severity):
            return text
        try:
            return cls[str(text).strip().upper()]
        except KeyError:
            allowed = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (allowed: {allowed})") from None

    @property
    def sarif_level(self) -> str:
        """SARIF ``level``: critical/high → error, medium → warning, low/info → note."""
        if self >= Severity.HIGH:
            return "error"
        return "warning" if self == Severity.MEDIUM else "note"

    @property
    def security_severity(self) -> str:
        """SARIF ``properties.security-severity`` (GitHub code scanning)."""
        return {4: "9.0", 3: "7.0", 2: "5.0", 1: "3.0", 0: "0.0"}[int(self)]


SEVERITIES: tuple[str, ...] = tuple(s.label for s in Severity)


@dataclass(frozen=True, order=True)
class Location:
    """A place in an input file; ``line`` and ``column`` are 1-based (0 = unknown)."""

    file: str
    line: int = 0
    column: int = 0


@dataclass(frozen=True, slots=True)
class Reference:
    """A citation: the statute, regulation or framework a rule implements."""

    cite: str
    url: str | None = None
    jurisdiction: str = ""  # what law or framework it is (checker.jurisdictions)


@dataclass(frozen=True)
class AppliedWaiver:
    """The waiver that suppresses a finding (the finding stays in every output)."""

    reason: str
    approved_by: str
    expires: str
    source: str = ""


def fingerprint(rule: str, identity: str, path: str) -> str:
    """Stable id of a finding: rule, document identity and dotted path (never the line)."""
    raw = f"{rule}\x1f{identity}\x1f{path}".encode()
    return hashlib.sha256(raw).hexdigest()[:32]


@dataclass(frozen=True, order=True, slots=True)
class Finding:
    """One rule that does not hold at one place of one document.

    Equality and order use (file, line, rule, path, column, fingerprint) only.
    """

    file: str
    line: int
    rule: str
    path: str
    column: int = 0
    fingerprint: str = ""
    severity: Severity = field(default=Severity.MEDIUM, compare=False)
    title: str = field(default="", compare=False)
    message: str = field(default="", compare=False)
    value: Any = field(default=None, compare=False, hash=False)
    area: str = field(default="", compare=False)
    target: str = field(default="", compare=False)
    remediation: str = field(default="", compare=False)
    references: tuple[Reference, ...] = field(default=(), compare=False)
    document: str = field(default="", compare=False)
    waiver: AppliedWaiver | None = field(default=None, compare=False)

    @property
    def sort_key(self) -> tuple[str, int, str, str, int, str]:
        return (self.file, self.line, self.rule, self.path, self.column, self.fingerprint)

    @property
    def suppressed(self) -> bool:
        return self.waiver is not None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a finding (DESIGN §6); keys are stable."""
        return {
            "rule": self.rule,
            "severity": self.severity.label,
            "title": self.title,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "value": jsonable(self.value),
            "area": self.area,
            "target": self.target,
            "remediation": self.remediation,
            "references": [
                {"cite": r.cite, "url": r.url, "jurisdiction": r.jurisdiction} for r in self.references
            ],
            "fingerprint": self.fingerprint,
            "document": self.document,
            "waiver": None
            if self.waiver is None
            else {
                "reason": self.waiver.reason,
                "approved_by": self.waiver.approved_by,
                "expires": self.waiver.expires,
                "source": self.waiver.source,
            },
        }


def jsonable(value: Any) -> Any:
    """Evidence values as JSON types (dates become ISO strings)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True, slots=True)
class ErrorRecord:
    """An input, rule or configuration error, kept in the result (exit code 2)."""

    file: str
    line: int | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "message": self.message}

    def render(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


PASSED, FAILED, NOT_APPLICABLE = "p", "f", "n"


class DocumentStats:
    """What was checked in one document: the rule ids that passed, failed, did not apply.

    Stored compactly (one character per rule, against a rule-id tuple shared by the
    whole run), so a 100,000-file run does not keep 300 lists of ids per file.
    """

    __slots__ = ("_codes", "_order", "file", "identity", "kind", "sha256")

    def __init__(self, file: str, kind: str, identity: str, sha256: str = "",
                 passed: list[str] | None = None, failed: list[str] | None = None,
                 not_applicable: list[str] | None = None) -> None:  # fmt: skip
        self.file, self.kind, self.identity, self.sha256 = file, kind, identity, sha256
        self._order: tuple[str, ...] = ()
        self._codes = ""
        for code, ids in ((PASSED, passed), (FAILED, failed), (NOT_APPLICABLE, not_applicable)):
            for rule in ids or ():
                self.record(rule, code)

    def record(self, rule: str, code: str) -> None:
        """Add one rule's outcome (slow path: tests and merges; the engine uses set_codes)."""
        self._order = (*self._order, rule)
        self._codes += code

    def set_codes(self, order: tuple[str, ...], codes: str) -> None:
        """All outcomes at once: ``codes[i]`` is the outcome of ``order[i]`` (``-`` = not run)."""
        self._order, self._codes = order, codes

    def _ids(self, code: str) -> list[str]:
        return [rule for rule, c in zip(self._order, self._codes, strict=False) if c == code]

    @property
    def passed(self) -> list[str]:
        return self._ids(PASSED)

    @property
    def failed(self) -> list[str]:
        return self._ids(FAILED)

    @property
    def not_applicable(self) -> list[str]:
        return self._ids(NOT_APPLICABLE)

    def merge(self, other: DocumentStats) -> None:
        """Take in another evaluation of the same document (portfolio rules)."""
        for rule, code in zip(other._order, other._codes, strict=False):
            if code != "-":
                self.record(rule, code)

    def __repr__(self) -> str:
        return f"DocumentStats({self.file!r}, {self.kind!r}, passed={len(self.passed)}, failed={len(self.failed)})"

    def to_dict(self) -> dict[str, Any]:
        passed, failed, na = self.passed, self.failed, self.not_applicable
        return {
            "file": self.file,
            "kind": self.kind,
            "identity": self.identity,
            "sha256": self.sha256,
            "passed": len(passed),
            "failed": len(failed),
            "not_applicable": len(na),
            "passed_rules": sorted(passed),
            "failed_rules": sorted(failed),
            "not_applicable_rules": sorted(na),
        }


@dataclass(frozen=True)
class BaselineRecord:
    """What a baseline did to a run: the file, how many known findings it hid, the fixed entries."""

    file: str
    known: int
    fixed: tuple[dict[str, Any], ...] = ()
    hidden: tuple[tuple[str, int], ...] = ()  # (severity label, findings hidden), most severe first

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "known": self.known, "hidden_by_severity": dict(self.hidden)}


@dataclass(frozen=True)
class GateVerdict:
    """The gate's verdict and its reasons, worst first (the decision record holds the rest)."""

    verdict: str
    reasons: tuple[str, ...] = ()


@dataclass
class Result:
    """Everything one run produced.  Formatters render it; they never evaluate.

    ``findings`` is always a sorted :class:`~checker.findings.Findings` (a list given
    here is sorted into one); a large run keeps most of it on disk, so read it by
    iterating, and take counts from :meth:`counts` and :meth:`waived`.
    """

    findings: Sequence[Finding] = field(default_factory=Findings)
    errors: list[ErrorRecord] = field(default_factory=list)
    documents: list[DocumentStats] = field(default_factory=list)
    rules_loaded: int = 0
    today: str = ""
    fail_on: Severity = Severity.HIGH
    skipped: list[str] = field(default_factory=list)  # files met in a folder walk that are not documents
    baseline: BaselineRecord | None = None  # set when a baseline hid known findings
    decision: GateVerdict | None = None  # set by the gate

    def __post_init__(self) -> None:
        self.sorted_findings()

    def sorted_findings(self) -> Findings:
        """``findings`` as a :class:`Findings` (a list assigned later is sorted into one)."""
        if not isinstance(self.findings, Findings):
            self.findings = Findings.of(self.findings)
        return self.findings

    def active(self) -> list[Finding]:
        """Findings not suppressed by a waiver (a list: reads every finding into memory)."""
        return [f for f in self.findings if f.waiver is None]

    def counts(self) -> dict[str, int]:
        """Unwaived findings by severity label, most severe first (no pass over the findings)."""
        tally = self.sorted_findings().unwaived_by_severity()
        return {s.label: tally[int(s)] for s in sorted(Severity, reverse=True)}

    def waived(self) -> int:
        """How many findings a waiver suppresses."""
        return self.sorted_findings().waived

    def exit_code(self) -> int:
        """0 clean, 1 unwaived findings at or above ``fail_on``, 2 errors (DESIGN §4)."""
        if self.errors:
            return 2
        tally = self.sorted_findings().unwaived_by_severity()
        if any(n and severity >= self.fail_on for severity, n in tally.items()):
            return 1
        return 0


@dataclass(frozen=True)
class RuleMeta:
    """What formatters and reports may know of a rule (no logic: formatters never evaluate)."""

    id: str
    title: str
    area: str
    target: str
    severity: Severity
    description: str = ""
    remediation: str = ""
    references: tuple[Reference, ...] = ()
    tags: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    waivable: bool = True
    file: str = ""
    params: tuple[tuple[str, Any], ...] = ()
    terms: str = ""  # the kind of terms a contract rule judges (rules/applicability.yaml)
    service_types: tuple[str, ...] = ()  # the service types it applies to (empty: all)
