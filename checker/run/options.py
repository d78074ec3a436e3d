"""``RunOptions``: everything one run can be told, in one place, each option once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..models import Severity
from ..yamlio import MAX_BYTES

Progress = Callable[[int, int, str], None]  # (files done, files in all, last file) after each batch


@dataclass(frozen=True)
class RunOptions:
    """What a run is asked to do.  ``None`` means "the configuration's, else the default".

    The defaults are those of a bare ``k12check lint``: the configuration is found
    upward from the working directory (``find_config``), and its waivers and
    baseline apply, so the library and the command line agree on the same inputs.
    """

    today: dt.date | None = None
    fail_on: Severity | None = None
    config: Path | None = None  # k12check.yaml to use
    find_config: bool = True  # else look for k12check.yaml upward from the working directory
    rule_dirs: tuple[str | Path, ...] = ()
    builtin_rules: bool = True
    schema: bool = True  # validate documents against the contract and district models
    max_bytes: int = MAX_BYTES
    audience: str | None = None  # audience of imported MDM exports without scopes
    jobs: int = 1  # worker processes; >1 splits the files into chunks
    only: frozenset[Path] | None = None  # resolved paths to keep (--changed-since); None keeps all
    waivers: Path | None = None  # waivers file (default: the configuration's)
    no_waivers: bool = False
    baseline: Path | None = None  # baseline file (default: the configuration's, when baseline_from_config)
    baseline_from_config: bool = True  # gate and report use only a baseline named explicitly
    no_baseline: bool = False
    write_baseline: Path | None = None
    update_baseline: bool = False
    gate: bool = False  # decide the pre-signing gate (RunOutcome.decision)
    empty_ok: bool = False  # the gate passes a run that checked nothing (--changed-since found nothing)
    select: tuple[str, ...] = ()  # rule ids, id prefixes or areas to check (checker.selection)
    ignore: tuple[str, ...] = ()  # ... and to leave out
    keep_documents: bool = False  # keep each contract and district's data (report, tco)
    spill_at: int | None = None  # findings kept in memory before sorted runs go to disk
    progress: Progress | None = field(default=None, compare=False)

    def resolved_today(self) -> dt.date:
        return self.today or dt.date.today()
