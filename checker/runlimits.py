"""Command-line bounds, checked before a run starts: file size, worker count, audience.

Each refusal is one line naming the option and what it accepts (exit 2); a worker
count above the CPU count is clamped with a note rather than refused.
"""

from __future__ import annotations

import math
import os

from .errors import UsageError

MAX_FILE_MIB = 1024.0  # the largest --max-file-size: a GiB of contract text is no contract
AUDIENCES = ("students", "staff", "shared", "kiosk")  # as checker.importers.base.AUDIENCES


def max_bytes(mib: float) -> int:
    """``--max-file-size`` in bytes; a UsageError unless it is a finite number in (0, 1024]."""
    if not isinstance(mib, (int, float)) or not math.isfinite(mib) or mib <= 0 or mib > MAX_FILE_MIB:
        raise UsageError(
            f"--max-file-size must be a number of MiB above 0 and at most {MAX_FILE_MIB:g} (got {mib})"
        )
    return max(1, int(mib * 1024 * 1024))


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


def jobs(requested: int | None) -> tuple[int, str | None]:
    """Worker processes to use, and a note when ``requested`` was clamped to the CPU count.

    ``0`` or None means one per CPU; a negative count is refused.
    """
    cpus = cpu_count()
    if requested is None or requested == 0:
        return cpus, None
    if requested < 0:
        raise UsageError(f"--jobs must be 0 (one per CPU) or a positive number (got {requested})")
    if requested > cpus:
        return cpus, f"note: --jobs {requested} is more than the {cpus} CPU(s) here; using {cpus}"
    return requested, None


def audience(value: str | None) -> str | None:
    """``--audience`` checked against the known audiences (None: not given)."""
    if value is None or value in AUDIENCES:
        return value
    raise UsageError(f"--audience must be one of {', '.join(AUDIENCES)} (got {value!r})")
