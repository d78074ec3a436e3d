"""Baselines: adopt k12check on an existing portfolio without failing on old debt.

``--write-baseline FILE`` records the fingerprints of today's findings;
``--baseline FILE`` then reports only findings that are not in it and lists the
baseline entries that are now fixed; ``--update-baseline`` drops the fixed
entries and never adds any, so a baseline only ever shrinks.

Matching is by fingerprint (rule, document identity, dotted path — never the
line), so edits elsewhere in a contract do not make old findings "new".  Not
recorded: waived findings (a waiver that expires must bring its finding back)
and the ``WAIVER-*`` findings about the waivers file.

The file is JSON, sorted, one entry per fingerprint, with rule, file and path
beside each fingerprint so a reviewer can read what was accepted.  Files are
stored relative to the baseline's folder, so it works from any directory.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .config import read_mapping
from .findings import Findings, FindingsBuilder
from .formats import write_atomic
from .models import Finding

FORMAT_VERSION = 1
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


@dataclass(frozen=True, order=True)
class BaselineEntry:
    """One accepted finding, by fingerprint (the other fields are for people)."""

    file: str
    rule: str
    path: str
    fingerprint: str
    document: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"fingerprint": self.fingerprint, "rule": self.rule, "file": self.file, "path": self.path,
                "document": self.document}  # fmt: skip


@dataclass(frozen=True)
class Baseline:
    entries: tuple[BaselineEntry, ...] = ()
    tool_version: str = ""
    path: Path | None = None

    @property
    def fingerprints(self) -> frozenset[str]:
        return frozenset(e.fingerprint for e in self.entries)


def baselinable(finding: Finding) -> bool:
    """Recorded in a baseline: unwaived, with a fingerprint, not about the waivers file."""
    return finding.waiver is None and bool(finding.fingerprint) and not finding.rule.startswith("WAIVER-")


def entries_for(findings: Iterable[Finding], base_dir: Path) -> tuple[BaselineEntry, ...]:
    seen: dict[str, BaselineEntry] = {}
    for f in sorted(findings):
        if baselinable(f) and f.fingerprint not in seen:
            seen[f.fingerprint] = BaselineEntry(
                _relative(f.file, base_dir), f.rule, f.path, f.fingerprint, f.document
            )
    return tuple(sorted(seen.values()))


def write_baseline(
    path: Path | str, findings: Iterable[Finding], *, tool_version: str = __version__
) -> Baseline:
    """Record ``findings`` (atomically) and return the baseline written."""
    path = Path(path)
    baseline = Baseline(entries_for(findings, path.parent), tool_version, path)
    _write(path, baseline)
    return baseline


def _write(path: Path, baseline: Baseline) -> None:
    data = {
        "version": FORMAT_VERSION,
        "tool": {"name": "k12check", "version": baseline.tool_version},
        "entries": [e.to_dict() for e in baseline.entries],
    }
    # The file is read back through the line-aware YAML parser, which refuses raw DEL and
    # C1 controls and folds U+0085/U+2028/U+2029 into line breaks: write those escaped.
    text = _YAML_UNSAFE.sub(
        lambda m: f"\\u{ord(m.group()):04x}", json.dumps(data, indent=2, ensure_ascii=False)
    )
    write_atomic(path, text + "\n")


def load_baseline(path: Path | str) -> Baseline:
    """Read a baseline; a ConfigError with the line when it is not one."""
    path = Path(path)
    raw, _ = read_mapping(path, "baseline")
    entries = tuple(
        BaselineEntry(
            e.get("file", ""), e["rule"], e.get("path", ""), e["fingerprint"].lower(), e.get("document", "")
        )
        for e in raw["entries"]
    )
    return Baseline(tuple(sorted(set(entries))), str((raw.get("tool") or {}).get("version", "")), path)


def apply_baseline(
    findings: Iterable[Finding], baseline: Baseline, *, checked_files: Iterable[str] | None = None
) -> tuple[Findings, list[BaselineEntry]]:
    """``(new findings, fixed entries)``: findings not in the baseline, and entries no longer found.

    Findings without a fingerprint are always new.  For a partial run
    (``--changed-since``) pass ``checked_files`` (paths as given): entries for files
    that were not checked are never called fixed.  The findings are read once
    (they may stream from disk); the new ones come back sorted.
    """
    known = baseline.fingerprints
    new = FindingsBuilder()
    present: set[str] = set()
    for f in findings:
        fingerprint = f.fingerprint.lower()
        if fingerprint:
            present.add(fingerprint)
        if not fingerprint or fingerprint not in known:
            new.add(f)
    return new.finish(), _fixed(present, baseline, checked_files)


def _fixed(present: set[str], baseline: Baseline, checked_files: Iterable[str] | None) -> list[BaselineEntry]:
    """Entries whose fingerprint is not ``present`` (and, on a partial run, whose file was checked)."""
    fixed = [e for e in baseline.entries if e.fingerprint not in present]
    if checked_files is None:
        return fixed
    base = baseline.path.parent if baseline.path is not None else Path.cwd()
    checked = {_relative(f, base) for f in checked_files}
    return [e for e in fixed if e.file in checked]


def update_baseline(
    path: Path | str, findings: Iterable[Finding], *, checked_files: Iterable[str] | None = None
) -> list[BaselineEntry]:
    """Drop the fixed entries from the baseline at ``path`` (never adds); returns those dropped."""
    baseline = load_baseline(path)
    present = {f.fingerprint.lower() for f in findings if f.fingerprint}
    fixed = _fixed(present, baseline, checked_files)
    if fixed:
        gone = set(fixed)
        kept = tuple(e for e in baseline.entries if e not in gone)
        _write(Path(path), Baseline(kept, __version__, baseline.path))
    return fixed


def _relative(file: str, base_dir: Path) -> str:
    """``file`` relative to ``base_dir``, with ``/`` (absolute when on another drive)."""
    absolute = os.path.abspath(file)
    try:
        return Path(os.path.relpath(absolute, os.path.abspath(base_dir))).as_posix()
    except ValueError:
        return Path(absolute).as_posix()


def as_dicts(entries: Iterable[BaselineEntry]) -> list[dict[str, Any]]:
    """Entries as JSON data (for ``BaselineRecord.fixed``)."""
    return [e.to_dict() for e in entries]
