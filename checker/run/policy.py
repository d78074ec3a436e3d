"""The run's policy steps: waivers marked, the baseline applied (or written)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from ..baseline import apply_baseline, as_dicts, load_baseline, update_baseline, write_baseline
from ..catalog import RuleSet
from ..findings import FindingsBuilder
from ..models import BaselineRecord, Severity
from ..waivers import WaiverMarks, load_waivers
from .options import RunOptions
from .outcome import RunOutcome


def waive(
    outcome: RunOutcome, opts: RunOptions, paths: Sequence[str | Path], today: dt.date, every: RuleSet
) -> None:
    """Mark waived findings, and add the waivers' own problems (expired, unused) as findings.

    Waivers are checked against ``every`` rule loaded; those of rules ``--select`` /
    ``--ignore`` left out neither apply nor go stale.
    """
    config, ruleset = outcome.config, outcome.ruleset
    assert config is not None and ruleset is not None
    waivers_file = opts.waivers or config.waivers
    if waivers_file is None or opts.no_waivers:
        return
    waivers = load_waivers(waivers_file, every.metas())
    if len(ruleset.rules) != len(every.rules):
        kept = ruleset.by_id
        waivers = [w for w in waivers if w.rule in kept]
    base = config.base_dir if opts.waivers is None else Path(waivers_file).parent
    marks = WaiverMarks(waivers, today, base)
    checked = [d.file for d in outcome.documents]
    marked = FindingsBuilder(spill_at=opts.spill_at)
    marked.extend(marks.mark(outcome.findings))  # streams: the findings may be on disk
    marked.extend(
        marks.problems(
            config.waivers_warn_days,
            rules=ruleset.metas(),
            checked_files=checked,
            walked_dirs=[] if opts.only is not None else [Path(p) for p in paths if Path(p).is_dir()],
        )
    )
    outcome.findings = marked.finish()
    outcome.waivers_file = str(waivers_file)


def baseline(outcome: RunOutcome, opts: RunOptions) -> None:
    """Write the baseline (``write_baseline``), or hide the findings it knows."""
    config = outcome.config
    assert config is not None
    if opts.write_baseline is not None:
        write_baseline(opts.write_baseline, outcome.findings)
        outcome.notes.append(f"baseline written to {opts.write_baseline}")
        return
    path = opts.baseline or (config.baseline if opts.baseline_from_config else None)
    if opts.no_baseline or path is None or not Path(path).exists():
        return
    path = Path(path)
    partial = [d.file for d in outcome.documents] if opts.only is not None else None
    if opts.update_baseline:
        dropped = update_baseline(path, outcome.findings, checked_files=partial)
        outcome.notes.append(
            f"baseline {path}: {len(dropped)} fixed entr{'y' if len(dropped) == 1 else 'ies'} dropped"
        )
    before = Counter(f.severity for f in outcome.findings if f.waiver is None)
    new, fixed = apply_baseline(outcome.findings, load_baseline(path), checked_files=partial)
    known = len(outcome.findings) - len(new)
    after = Counter(f.severity for f in new if f.waiver is None)
    hidden = tuple(
        (s.label, before[s] - after[s]) for s in sorted(Severity, reverse=True) if before[s] - after[s]
    )
    outcome.baseline = BaselineRecord(str(path), known, tuple(as_dicts(fixed)), hidden)
    outcome.findings = new
    outcome.notes.append(
        f"baseline {path}: {known} known finding(s) not shown; {len(fixed)} fixed since it was written"
        + (" (listed under extra.baseline_fixed in --format json)" if fixed else "")
    )
