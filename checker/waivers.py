"""Waivers: accepted risks, recorded with a reason, an approver and an expiry date.

A waiver names a ``rule`` and either a ``file`` glob (relative to the config
file's folder) or a finding ``fingerprint``.  :func:`apply_waivers` marks the
findings it matches (``Finding.waiver``) and never drops one: waived findings
stay in every output.  The waivers file itself is checked on every run:

==================  =========  ==================================================
state               severity   effect
==================  =========  ==================================================
valid               —          matching findings are marked waived
expiring            low        ``WAIVER-EXPIRING``: still suppresses; expires
                               within ``warn_days`` (default 30)
expired             high       ``WAIVER-EXPIRED``: suppresses nothing any more
unused              info       ``WAIVER-UNUSED``: matched no finding (stale)
==================  =========  ==================================================

A malformed waiver, one for an unknown rule, or one for a rule marked
``waivable: false`` (the statutory critical rules) is a :class:`ConfigError`
with the waiver's line: the whole file is refused rather than half applied.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .config import did_you_mean, line_in, read_mapping
from .documents import display_name
from .errors import ConfigError
from .globs import glob_error, glob_match
from .models import AppliedWaiver, Finding, Reference, RuleMeta, Severity, fingerprint

EXPIRED, EXPIRING, UNUSED = "WAIVER-EXPIRED", "WAIVER-EXPIRING", "WAIVER-UNUSED"
_HINT = "see docs/waivers.md"


@dataclass(frozen=True)
class Waiver:
    """One validated waiver, with where it was written (``source`` = ``file:line``)."""

    rule: str
    reason: str
    approved_by: str
    expires: dt.date
    file: str | None = None  # a glob, relative to the base folder
    fingerprint: str | None = None
    ticket: str = ""
    source_file: str = ""
    line: int = 0
    index: int = 0

    @property
    def source(self) -> str:
        return f"{self.source_file}:{self.line}" if self.line else self.source_file

    @property
    def target(self) -> str:
        """What it covers, for messages: the glob or ``fingerprint <hex>``."""
        return self.file if self.file is not None else f"fingerprint {self.fingerprint}"

    def applied(self) -> AppliedWaiver:
        return AppliedWaiver(self.reason, self.approved_by, self.expires.isoformat(), self.source)

    def matches(self, finding: Finding, base_dir: Path) -> bool:
        if finding.rule != self.rule:
            return False
        if self.fingerprint is not None:
            return finding.fingerprint.lower() == self.fingerprint.lower()
        return self.file is not None and bool(finding.file) and glob_match(finding.file, self.file, base_dir)


def load_waivers(path: Path | str, known_rules: Mapping[str, RuleMeta]) -> list[Waiver]:
    """Read and check a waivers file; every problem is a ConfigError at its line."""
    path = Path(path)
    raw, lines = read_mapping(path, "waivers")
    return [
        _waiver(item, i, display_name(path), lines, known_rules)
        for i, item in enumerate(raw.get("waivers") or [])
    ]


def _waiver(
    item: dict[str, Any],
    i: int,
    file: str,
    lines: Mapping[str, tuple[int, int]],
    rules: Mapping[str, RuleMeta],
) -> Waiver:
    key = f"waivers[{i}]"

    def fail(message: str, hint: str, field: str = "") -> ConfigError:
        return ConfigError(
            file, f"{key}: {message}", hint, line_in(lines, f"{key}.{field}" if field else key)
        )

    rule = item["rule"]
    meta = rules.get(rule)
    if meta is None:
        raise fail(
            f"unknown rule {rule!r}{did_you_mean(rule, rules)}", "list rules with k12check rules list", "rule"
        )
    if not meta.waivable:
        raise fail(f"{rule} cannot be waived (waivable: false: a statutory requirement)",
                   "fix the contract or the configuration instead; remove this waiver", "rule")  # fmt: skip
    glob, fp = item.get("file"), item.get("fingerprint")
    if (glob is None) == (fp is None):
        both = "not both" if glob is not None else "got neither"
        raise fail(f"a waiver needs exactly one of file (a glob) or fingerprint ({both})",
                   "add file: contracts/acme-*.yaml, or the fingerprint from the JSON/SARIF output")  # fmt: skip
    if glob is not None and (problem := glob_error(glob)):
        raise fail(problem, "use *, ? and **/ relative to the config file's folder", "file")
    return Waiver(
        rule=rule,
        reason=item["reason"].strip(),
        approved_by=item["approved_by"].strip(),
        expires=_date(item["expires"], fail),
        file=glob,
        fingerprint=fp,
        ticket=str(item.get("ticket") or ""),
        source_file=file,
        line=line_in(lines, key) or 0,
        index=i,
    )


def _date(value: Any, fail: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise fail(f"expires must be a date YYYY-MM-DD (got {value!r})", "write e.g. expires: 2027-03-31",
                   "expires") from None  # fmt: skip


def apply_waivers(
    findings: Iterable[Finding],
    waivers: list[Waiver],
    today: dt.date,
    warn_days: int,
    base_dir: Path,
    *,
    rules: Mapping[str, RuleMeta] | None = None,
    checked_files: Iterable[str] | None = None,
    walked_dirs: Iterable[str | Path] = (),
) -> tuple[list[Finding], list[Finding]]:
    """Mark the findings valid waivers match; report expired, expiring and unused waivers.

    Returns ``(findings, extra)``: the same findings in the same order, waived ones
    with ``waiver`` set (the first valid matching waiver in file order), and the
    ``WAIVER-*`` findings about the waivers file.  ``rules`` may supply metadata
    (title, severity, remediation) for the ``WAIVER-*`` ids.

    For a partial run (``--changed-since``) pass ``checked_files``: a waiver can
    only be called unused when the run looked where it points — a glob waiver
    matching none of the checked files, and any fingerprint waiver, is then not
    reported as unused — unless the run walked a folder it points into
    (``walked_dirs``: a glob under a walked folder, a fingerprint waiver when a
    walked folder holds the waivers' base folder), where nothing was missed.
    """
    marks = WaiverMarks(waivers, today, base_dir)
    out = list(marks.mark(findings))
    return out, marks.problems(warn_days, rules=rules, checked_files=checked_files, walked_dirs=walked_dirs)


class WaiverMarks:
    """:func:`apply_waivers` in two steps, so the findings can stream through it.

    ``mark(findings)`` yields each finding, waived where a valid waiver matches,
    and remembers which waivers matched; once it has been read to the end,
    ``problems(...)`` gives the ``WAIVER-*`` findings (expired, expiring, unused).
    """

    def __init__(self, waivers: list[Waiver], today: dt.date, base_dir: Path) -> None:
        self.waivers, self.today, self.base_dir = waivers, today, base_dir
        self.expired = {w.index for w in waivers if w.expires < today}
        self.used: set[int] = set()

    def mark(self, findings: Iterable[Finding]) -> Iterator[Finding]:
        for finding in findings:
            if finding.waiver is None:
                hits = [w for w in self.waivers if w.matches(finding, self.base_dir)]
                self.used.update(w.index for w in hits)
                valid = [w for w in hits if w.index not in self.expired]
                if valid:
                    finding = replace(finding, waiver=valid[0].applied())
            yield finding

    def problems(
        self,
        warn_days: int,
        *,
        rules: Mapping[str, RuleMeta] | None = None,
        checked_files: Iterable[str] | None = None,
        walked_dirs: Iterable[str | Path] = (),
    ) -> list[Finding]:
        waivers, today, expired = self.waivers, self.today, self.expired
        judged = _judged(waivers, self.base_dir, checked_files, [Path(d).resolve() for d in walked_dirs])
        # Expiry is news only where the run looked: a gate on one contract does not
        # report the waivers of others (fingerprint waivers cannot be placed: always).
        relevant = judged | {w.index for w in waivers if w.file is None}
        extra = [_expired(w, today, rules) for w in waivers if w.index in expired and w.index in relevant]
        extra += [_expiring(w, today, rules) for w in waivers
                  if w.index not in expired and w.index in relevant and (w.expires - today).days <= warn_days]  # fmt: skip
        extra += [
            _unused(w, rules) for w in waivers if w.index in judged and w.index not in self.used | expired
        ]
        return sorted(extra)


def _judged(
    waivers: list[Waiver], base_dir: Path, checked_files: Iterable[str] | None, walked: list[Path]
) -> set[int]:
    """Waivers the run can call unused: all on a full run, else those pointing where it looked."""
    if checked_files is None:
        return {w.index for w in waivers}
    files = list(checked_files)
    base = base_dir.resolve()
    out: set[int] = set()
    for w in waivers:
        if w.file is None:
            looked = any(_within(base, d) for d in walked)
        else:
            looked = any(glob_match(f, w.file, base_dir) for f in files) or any(
                _within(_fixed_part(w.file, base), d) for d in walked
            )
        if looked:
            out.add(w.index)
    return out


def _fixed_part(pattern: str, base: Path) -> Path:
    """The folder a glob's literal leading part names (``contracts/a*.yaml`` → ``base/contracts``)."""
    parts = pattern.replace("\\", "/").removeprefix("./").split("/")
    fixed = [p for p in itertools.takewhile(lambda p: not any(c in p for c in "*?["), parts[:-1])]
    if len(fixed) == len(parts) - 1 and not any(c in parts[-1] for c in "*?["):
        fixed = parts[:-1]  # a plain file name: its folder
    return (base / Path(*fixed)).resolve() if fixed else base


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


_DEFAULTS: dict[str, tuple[Severity, str, str]] = {
    EXPIRED: (Severity.HIGH, "An expired waiver no longer suppresses its findings",
              "Fix the finding, or renew the waiver with a new approval and expiry date."),
    EXPIRING: (Severity.LOW, "A waiver expires soon",
               "Fix the finding before the waiver expires, or renew it with a new approval."),
    UNUSED: (Severity.INFO, "A waiver matches no finding",
             "Remove the stale waiver (the finding is fixed, or the glob or fingerprint is wrong)."),
}  # fmt: skip


def _meta_finding(
    rule: str, w: Waiver, message: str, value: Any, rules: Mapping[str, RuleMeta] | None
) -> Finding:
    severity, title, remediation = _DEFAULTS[rule]
    meta = (rules or {}).get(rule)
    references: tuple[Reference, ...] = ()
    if meta is not None:
        severity, title = meta.severity, meta.title or title
        remediation, references = meta.remediation or remediation, meta.references
    return Finding(
        file=w.source_file,
        line=w.line,
        rule=rule,
        path=f"waivers[{w.index}]",
        column=0,
        fingerprint=fingerprint(rule, w.source_file, f"{w.rule}|{w.target}"),
        severity=severity,
        title=title,
        message=message,
        value=value,
        area="waiver",
        target="any",
        remediation=remediation,
        references=references,
        document=w.source_file,
    )


def _expired(w: Waiver, today: dt.date, rules: Mapping[str, RuleMeta] | None) -> Finding:
    days = (today - w.expires).days
    message = (f"waiver for {w.rule} on {w.target} expired on {w.expires.isoformat()} "
               f"({days} day{'s' if days != 1 else ''} ago; approved by {w.approved_by}); its findings count again")  # fmt: skip
    return _meta_finding(EXPIRED, w, message, w.expires, rules)


def _expiring(w: Waiver, today: dt.date, rules: Mapping[str, RuleMeta] | None) -> Finding:
    days = (w.expires - today).days
    when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
    message = f"waiver for {w.rule} on {w.target} expires {when} ({w.expires.isoformat()}; approved by {w.approved_by})"
    return _meta_finding(EXPIRING, w, message, w.expires, rules)


def _unused(w: Waiver, rules: Mapping[str, RuleMeta] | None) -> Finding:
    message = (
        f"waiver for {w.rule} on {w.target} matches no finding; remove it or correct its file or fingerprint"
    )
    return _meta_finding(UNUSED, w, message, w.target, rules)
