"""One run end to end: configuration → rules → lint → waivers → baseline.

``lint``, ``gate`` and ``report`` all go through :func:`run`, so a k12check.yaml,
a waivers file and a baseline mean the same thing to every command.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import selection
from .api import LintOptions, lint
from .baseline import apply_baseline, as_dicts, load_baseline, update_baseline, write_baseline
from .catalog import RuleSet, load_rules
from .config import Config, check_rules, find_config, gate_class, load_config
from .engine import Tailoring
from .findings import FindingsBuilder
from .models import Finding, Result, Severity
from .waivers import WaiverMarks, load_waivers
from .yamlio import MAX_BYTES


@dataclass
class RunRequest:
    """What a command asks for; ``None`` means "the configuration's, else the default"."""

    paths: Sequence[str | Path]
    config: Path | None = None
    find_config: bool = True
    today: dt.date | None = None
    fail_on: Severity | None = None
    rule_dirs: Sequence[str | Path] = ()
    builtin_rules: bool = True
    schema: bool = True
    max_bytes: int = MAX_BYTES
    jobs: int = 1
    only: frozenset[Path] | None = None
    no_waivers: bool = False
    waivers: Path | None = None
    baseline: Path | None = None
    write_baseline: Path | None = None
    update_baseline: bool = False
    audience: str | None = None
    select: Sequence[str] = ()  # rule ids, id prefixes or areas (checker.selection)
    ignore: Sequence[str] = ()
    progress: Callable[[int, int, str], None] | None = None


@dataclass
class Run:
    """A finished run: the result, the rules that judged it, and the configuration used."""

    result: Result
    ruleset: RuleSet
    config: Config
    notes: list[str] = field(default_factory=list)

    def classify(self, finding: Finding) -> str | None:
        """Gate class of a finding: "hard", "soft" or None (config precedence)."""
        return gate_class(finding, self.config)


def load_run_config(request: RunRequest) -> Config:
    """The explicit config, else k12check.yaml found upward from here, else defaults."""
    path = request.config
    if path is None and request.find_config:
        path = find_config(Path.cwd())
    return load_config(path) if path is not None else Config()


def prepare(request: RunRequest) -> tuple[Config, LintOptions, RuleSet]:
    """Configuration, options and rules for a run (ConfigError/RuleError surface here)."""
    config = load_run_config(request)
    ruleset = load_rules([*config.rule_paths, *request.rule_dirs], builtin=request.builtin_rules)
    check_rules(config, ruleset.metas())
    tailoring = Tailoring(
        params=config.params,
        severity=config.severity,
        disabled=config.disabled_ids,
        state=config.state,
        file_filter=config.rule_enabled if any(d.files for d in config.disable) else None,
    )
    options = LintOptions(
        today=request.today or dt.date.today(),
        fail_on=_first(request.fail_on, config.fail_on, Severity.HIGH),
        rule_dirs=[],
        builtin_rules=request.builtin_rules,
        schema=request.schema,
        tailoring=tailoring,
        max_bytes=request.max_bytes,
        import_options=_import_options(request, config),
        progress=request.progress,
        jobs=request.jobs,
        only=request.only,
    )
    return config, options, ruleset


def run(request: RunRequest) -> Run:
    """Lint, then apply waivers and the baseline as the configuration and request say."""
    config, options, every = prepare(request)
    chosen = selection.parse(request.select, request.ignore)
    ruleset = selection.apply(every, chosen)  # --select / --ignore: only these rules run
    result = lint(request.paths, options, rules=ruleset)
    done = Run(result, ruleset, config)
    if chosen:
        done.notes.append(f"{chosen.describe()}: {len(ruleset.rules)} of {len(every.rules)} rules checked")
    checked = [d.file for d in result.documents]
    partial = checked if request.only is not None else None
    waivers_file = request.waivers or config.waivers
    if waivers_file is not None and not request.no_waivers:
        waivers = load_waivers(waivers_file, every.metas())
        if chosen:  # waivers of rules left out neither apply nor go stale
            kept = ruleset.by_id
            waivers = [w for w in waivers if w.rule in kept]
        base = config.base_dir if request.waivers is None else Path(waivers_file).parent
        marks = WaiverMarks(waivers, options.today, base)
        marked = FindingsBuilder(spill_at=options.spill_at)
        marked.extend(marks.mark(result.findings))  # streams: the findings may be on disk
        marked.extend(marks.problems(config.waivers_warn_days, rules=ruleset.metas(), checked_files=checked,
                                     walked_dirs=[] if partial is not None else _folders(request.paths)))  # fmt: skip
        result.findings = marked.finish()
    if request.write_baseline is not None:
        write_baseline(request.write_baseline, result.findings)
        done.notes.append(f"baseline written to {request.write_baseline}")
    baseline_file = request.baseline or config.baseline
    if baseline_file is not None and request.write_baseline is None and Path(baseline_file).exists():
        _apply_baseline(done, Path(baseline_file), request.update_baseline, partial)
    return done


def _first(*values: Any) -> Any:
    """The first value that is not None (``Severity.INFO`` is 0, so ``or`` would skip it)."""
    return next(v for v in values if v is not None)


def _folders(paths: Any) -> list[Path]:
    return [Path(p) for p in paths if Path(p).is_dir()]


def _apply_baseline(done: Run, path: Path, update: bool, partial: list[str] | None) -> None:
    result = done.result
    if update:
        dropped = update_baseline(path, result.findings, checked_files=partial)
        done.notes.append(
            f"baseline {path}: {len(dropped)} fixed entr{'y' if len(dropped) == 1 else 'ies'} dropped"
        )
    new, fixed = apply_baseline(result.findings, load_baseline(path), checked_files=partial)
    known = len(result.findings) - len(new)
    result.extra["baseline"] = {"file": str(path), "known": known}
    result.extra["baseline_fixed"] = as_dicts(fixed)
    result.findings = new
    done.notes.append(
        f"baseline {path}: {known} known finding(s) not shown; {len(fixed)} fixed since it was written"
        + (" (listed under extra.baseline_fixed in --format json)" if fixed else "")
    )


def _import_options(request: RunRequest, config: Config) -> Any:
    try:
        from .importers import ImportOptions
    except ImportError:
        return None
    kwargs: dict[str, Any] = {}
    if request.audience:
        kwargs["audience"] = request.audience
    if config.csv_aliases:
        kwargs["alias_overrides"] = dict(config.csv_aliases)
    return ImportOptions(**kwargs)
